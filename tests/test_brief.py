"""The council brief (helpers.brief): words that match numbers, citations, the contested-fact reruns, and a
browser check of brief.html and brief.pdf in headless Chromium (console, links, images, print width at A4
and Letter, page count, the PDF's text), with a city name that holds HTML and non-Latin letters."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
import zlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import brief, report
from helpers.browser import find_chromium
from helpers import config as cfgmod

RIVERTON = cfgmod.EXAMPLES / "riverton-neutral.yml"
NASTY_NAME = "<script>alert(1)</script> & Co: Nuevo León / Київ / 東京"


# --------------------------------------------------------------------------------------------- words for numbers

@pytest.mark.parametrize("value, kind, text", [
    (0.0, "count", "0"), (-0.0, "count", "0"), (-0.4, "count", "0"), (-0.5, "count", "0"), (0.4, "count", "0"),
    (1234.5, "count", "1,234"), (1235.5, "count", "1,236"), (-3.6, "count", "-4"),
    (0.405, "share", "40%"), (0.4051, "share", "41%"), (-0.004, "share", "0%"), (1.0, "share", "100%"),
    (-499.0, "usd", "$0"), (412_345.0, "usd", "$412,000"), (-15_499.0, "usd", "-$15,000"), (500.0, "usd", "$0"),
])
def test_number_prints_at_the_brief_precision_and_never_minus_zero(value, kind, text):
    assert brief.number(value, kind) == text
    assert not brief.number(value, kind).startswith("-0")


def test_compact_dollars_and_spans():
    assert brief.number(94_400.0, "usd", compact=True) == "$94k"
    assert brief.number(-300.0, "usd", compact=True) == "$0"
    assert brief.span(0.352, 0.421, "share") == "35% to 42%"
    assert brief.span(0.352, 0.421, "share", compact=True) == "35\u201342%"
    assert brief.span(-12_000.0, 40_000.0, "usd", compact=True) == "-$12k to $40k"  # no dash next to a minus
    assert brief.span(1.6, 2.4, "count") == "2"  # both ends print the same


def test_extremes_compare_printed_values():
    high, low, same = brief.extremes({"A": 2.4, "B": 1.6, "C": 0.9}, "count")
    assert (high, low, same) == (["A", "B"], ["C"], False)  # 2.4 and 1.6 both print 2
    assert brief.extremes({"A": 0.401, "B": 0.399}, "share")[2] is True


def test_outcome_finding_calls_a_tie_a_tie():
    names = {"COND": "Conditional cooperation", "STRICT": "No cooperation", "FULL": "Full compliance"}
    same = brief.outcome_finding("Removals", {"COND": 2.3, "STRICT": 1.8}, "count", names)
    assert "most" not in same and "highest" not in same and "2 under every option" in same
    tie = brief.outcome_finding("Removals", {"COND": 2.3, "STRICT": 1.8, "FULL": 5.0}, "count", names)
    assert tie == ("Removals: highest under Full compliance (5); lowest, and level, under Conditional cooperation "
                   "and No cooperation (2 each).")
    ranges = {"COND": (1.0, 4.0), "STRICT": (0.5, 3.0), "FULL": (2.0, 9.0)}
    assert tie.rstrip(".") + "; their 90% ranges overlap." == brief.outcome_finding(
        "Removals", {"COND": 2.3, "STRICT": 1.8, "FULL": 5.0}, "count", names, ranges)
    apart = brief.outcome_finding("Removals", {"COND": 2.3, "FULL": 5.0}, "count", names,
                                  {"COND": (2.0, 2.6), "FULL": (4.4, 6.0)})
    assert "overlap" not in apart and "highest under Full compliance (5)" in apart


def _ranking(scores: dict[str, float]) -> pd.DataFrame:
    from helpers import decision

    return decision.ranking(pd.Series(scores))


def test_first_choice_says_how_sure_with_numbers_that_add_up():
    names = {"COND": "Conditional cooperation", "STRICT": "No cooperation", "FULL": "Full compliance"}
    out = brief.first_choice(_ranking({"FULL": 0.5, "COND": 0.7, "STRICT": 0.6}),
                             {"FULL": 0.1, "COND": 0.556, "STRICT": 0.344}, names, "Equal weights (default)")
    assert out["options"] == ["COND"] and not out["tie"]
    assert out["sentence"] == ("With equal weights (default), Conditional cooperation has the highest average score "
                               "across the model's draws.")
    assert "ranks first in 56% of the draws; in the other 44% another option does, most often No cooperation (34%)" \
        in out["sure"]
    # the leader by average score is not the one that comes first most often: said, not hidden
    odd = brief.first_choice(_ranking({"COND": 0.7, "STRICT": 0.6}), {"COND": 0.4, "STRICT": 0.6}, names, "W")
    assert "No cooperation comes first in more single draws" in odd["sure"]
    even = brief.first_choice(_ranking({"COND": 0.7, "STRICT": 0.6}), {"COND": 0.504, "STRICT": 0.496}, names, "W")
    assert "equally often" in even["sure"]  # 50% and 50% as printed
    tied = brief.first_choice(_ranking({"COND": 0.6, "STRICT": 0.6}), {"COND": 0.5, "STRICT": 0.5}, names, "W")
    assert tied["tie"] and tied["options"] == ["COND", "STRICT"] and "tie for the highest" in tied["sentence"]
    one = brief.first_choice(_ranking({"COND": 0.6}), {"COND": 1.0}, names, "W")
    assert "only option open" in one["sentence"]


def test_tick_labels_are_exact_distinct_and_never_minus_zero():
    assert brief.tick_labels([1, 1.5, 2, 2.5], "count") == ["1.0", "1.5", "2.0", "2.5"]
    assert brief.tick_labels([-1e-13, 2, 4], "count") == ["0", "2", "4"]
    assert brief.tick_labels([35, 37.5, 40], "share") == ["35.0%", "37.5%", "40.0%"]
    assert brief.tick_labels([-1e-9, 80_000, 160_000], "usd") == ["$0", "$80k", "$160k"]
    assert brief.tick_labels([-500, 0, 500], "usd") == ["-$0.5k", "$0", "$0.5k"]


def test_citations_number_sources_in_order_of_first_citation():
    c = brief.Citations()
    assert c.cite("hausman2020; jacome2022") == [1, 2]
    assert c.cite(["jacome2022", "comino2020; hausman2020"]) == [1, 2, 3]
    entries = c.entries()
    assert [e["n"] for e in entries] == [1, 2, 3]
    assert all(e["url"].startswith("http") for e in entries)
    assert brief.groups([5, 1, 2, 3, 8, 9]) == [(1, 3), (5, 5), (8, 9)]
    assert brief.short_day("2026-11-29") == "29 Nov 2026" and brief.short_day("2025") == "2025"


# --------------------------------------------------------------------------------------------- the analysis, re-used

@pytest.fixture(scope="module")
def riverton():
    cfg = cfgmod.load_config(RIVERTON, overrides={"draws": 600})
    return report.analyse(cfg)


def test_state_verdicts_match_the_full_table():
    for state in ("PA", "TX", "CA", "OH"):
        cfg = cfgmod.load_config({"name": "V", "state": state, "population": 1000, "foreign_born_share": 0.1})
        assert report.verdicts(cfg).to_dict() == cfg.verdicts().to_dict()


def test_contested_reruns_agree_with_a_full_rerun(riverton):
    from helpers import balance, decision, model

    a = riverton
    names = {str(k): str(v) for k, v in brief._names().items()}
    fast = brief.contested_changes(a, names)
    assert {c["choice"] for c in fast} == set(balance.CONTESTED) - set(brief.NOT_FACTS)
    for c in fast[:3]:
        what, how = balance.CONTESTED[c["choice"]]
        ov = balance.scenario_overrides(how) if isinstance(how, str) else balance.contested_overrides(how)
        res = model.simulate(a.cfg.draws, a.cfg.seed, options=a.open_options, city=a.cfg.city, overrides=ov)
        perf = decision.performance(res, a.cfg.state_regime, risk=a.perf.risk, feasible=a.open_options,
                                    status=a.status.to_dict())
        top = decision.ranking(decision.draw_scores(perf, a.profile_id, profiles=a.profiles).mean(axis=0))
        assert c["top"] == top.loc[0, "option"], c["choice"]
        assert c["changes"] == (c["top"] != a.ranking.loc[0, "option"])


def test_evidence_grade_follows_the_inputs_behind_the_range(riverton):
    a = riverton
    d = brief.drivers(a, "victimizations")
    assert 1 <= len(d) <= brief.DRIVERS_TOP and (d["rho"].diff().dropna() <= 0).all()
    assert "victimization_rate" in set(d["parameter"])  # the city's base rate drives its crime count
    table = pd.DataFrame({"provenance": ["REAL", "REAL"], "evidence_type": ["descriptive", "judgement"]})
    assert brief.grade(table) == "measured"
    table["provenance"] = ["REAL", "ILLUSTRATIVE"]
    assert brief.grade(table) == "assumption-led"
    table["evidence_type"] = ["descriptive", "observed behaviour"]
    assert brief.grade(table) == "study-based"


def test_context_numbers_match_the_results_table(riverton):
    a = riverton
    cells = brief.outcome_cells(a)
    res = report.results_table(a).set_index(["option", "outcome"])
    for o in a.open_options:
        for k in brief.BRIEF_OUTCOMES:
            kind = brief._kind(k)
            assert cells[o][k]["median"] == brief.number(res.loc[(o, k), "median"], kind, compact=True)
            assert cells[o][k]["range"] == brief.span(res.loc[(o, k), "p05"], res.loc[(o, k), "p95"], kind,
                                                       compact=True)


# --------------------------------------------------------------------------------------------- the page in a browser

def pdf_pages(data: bytes) -> list[str]:
    """Text of each page of a PDF printed by Chromium (Skia): Flate streams, Type0 fonts with ToUnicode maps."""
    objs: dict[int, tuple[bytes, bytes | None]] = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*", data):
        start = m.end()
        head = data[start:data.find(b"endobj", start)]
        stream = None
        s = head.find(b"stream")
        length = re.search(rb"/Length (\d+)", head[:s]) if s != -1 else None
        if length:
            body = start + s + len(b"stream")
            body += 2 if data[body:body + 2] == b"\r\n" else 1
            raw = data[body:body + int(length.group(1))]
            head = head[:s]
            stream = zlib.decompress(raw) if b"/FlateDecode" in head else raw
        objs[int(m.group(1))] = (head, stream)

    def cmap(stream: bytes) -> dict[int, str]:
        out = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    out[code] = chr(int(dst, 16) + i)
        return out

    fonts = {n: cmap(objs[int(m.group(1))][1]) for n, (head, _) in objs.items()
             if (m := re.search(rb"/ToUnicode (\d+) 0 R", head)) and objs[int(m.group(1))][1] is not None}
    pages = []
    for _, (head, _) in sorted(objs.items()):
        if not re.search(rb"/Type /Page\b", head):
            continue
        block = re.search(rb"/Font <<(.*?)>>", head, re.S)
        fmap = {k.decode(): int(v) for k, v in re.findall(rb"/(\w+) (\d+) 0 R", block.group(1))} if block else {}
        contents = re.search(rb"/Contents (\[[^\]]*\]|\d+ 0 R)", head).group(1)
        text, current = [], {}
        for c in (int(x) for x in re.findall(rb"(\d+) 0 R", contents)):
            for tok in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]*)>|(ET)", objs[c][1] or b""):
                if tok.group(1):
                    current = fonts.get(fmap.get(tok.group(1).decode()), {})
                elif tok.group(3):
                    text.append("\n")
                else:
                    h = tok.group(2).decode()
                    text.append("".join(current.get(int(h[i:i + 4], 16), "") for i in range(0, len(h), 4)))
        pages.append(unicodedata.normalize("NFKC", "".join(text)))
    return pages


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def chromium():
    exe = find_chromium()
    if exe is None:
        pytest.fail(f"Chromium was not found. {brief.HOW_TO_GET_PDF}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=brief.CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def briefs(tmp_path_factory, riverton):
    """The default example (all seven options; the module's analysis of it) and a city whose name holds HTML and
    non-Latin letters, each as brief.html and brief.pdf, built as the report builds them."""
    out = {}
    base = tmp_path_factory.mktemp("briefs")
    nasty = yaml.safe_load(RIVERTON.read_text(encoding="utf-8")) | {"name": NASTY_NAME, "draws": 600,
                                                                      "options": ["JEM", "WSO", "COND", "STRICT"]}
    for key, a in (("riverton", riverton), ("nasty", report.analyse(cfgmod.load_config(nasty)))):
        folder = base / key
        folder.mkdir()
        (folder / "brief.html").write_text(brief.render_html(a), encoding="utf-8")
        brief.print_pdf(folder / "brief.html", folder / "brief.pdf")
        out[key] = (a, folder)
    return out


CHECK_PAGE = """() => {
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'));
  const ids = new Set(Array.from(document.querySelectorAll('[id]')).map(e => e.id));
  const imgs = Array.from(document.images).map(i => ({ok: i.complete && i.naturalWidth > 0, alt: i.alt}));
  const width = document.documentElement.clientWidth;
  const wide = Array.from(document.querySelectorAll('body *')).filter(e => {
      const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5); })
      .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40));
  return {links, ids: Array.from(ids), imgs, wide, scroll: document.documentElement.scrollWidth, width,
          h1: document.querySelector('h1').textContent, title: document.title,
          scripts: document.querySelectorAll('script').length,
          sources: document.querySelectorAll('ol.sources li').length};
}"""

#: Text width of the printed page in CSS pixels (96 per inch) at the print stylesheet's margins (14 mm each side).
PRINT_WIDTHS = {"A4": round((210 - 28) / 25.4 * 96), "Letter": round((215.9 - 28) / 25.4 * 96)}


@pytest.mark.slow
@pytest.mark.parametrize("key", ["riverton", "nasty"])
def test_brief_in_chromium(briefs, chromium, key):
    a, folder = briefs[key]
    url = (folder / "brief.html").resolve().as_uri()
    for paper, width in PRINT_WIDTHS.items():
        page = chromium.new_page(viewport={"width": width, "height": 1000})
        messages, errors, requests = [], [], []
        page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url, wait_until="load")
        page.emulate_media(media="print")
        info = page.evaluate(CHECK_PAGE)
        page.close()
        assert not messages and not errors, (messages, errors)
        assert all(r == url or r.startswith("data:") for r in requests), requests  # nothing from the network
        assert info["scripts"] == 0
        for href in info["links"]:
            if href.startswith("#"):
                assert href[1:] in info["ids"], f"in-page link {href} has no target"
            else:
                m = re.match(r"https?://([^/\s]+)", href)
                assert m and "." in m.group(1) and " " not in href, f"malformed link {href!r}"
        assert sum(not h.startswith("#") for h in info["links"]) == info["sources"] > 10  # one link per source
        assert info["imgs"] and all(i["ok"] and len(i["alt"]) > 40 for i in info["imgs"]), info["imgs"]
        assert info["scroll"] <= info["width"] and not info["wide"], (paper, info["wide"][:5])
        assert info["h1"].startswith(a.cfg.name + ":")  # the name reads exactly as given, escaped, not run
        assert info["title"].startswith(a.cfg.name)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["riverton", "nasty"])
def test_brief_pdf_pages_and_text(briefs, key):
    a, folder = briefs[key]
    pages = pdf_pages((folder / "brief.pdf").read_bytes())
    assert 2 <= len(pages) <= 4, f"{len(pages)} pages"
    text = flat("".join(pages))
    names = brief._names()
    first = names[str(a.ranking.loc[0, "option"])]
    assert flat(f"{first} has the highest average score") in text
    if key == "riverton":
        assert flat(a.cfg.name) in text
    else:  # the fonts here may lack CJK letters; the Latin and Cyrillic parts and the escaped markup are there
        assert flat("<script>alert(1)</script> & Co: Nuevo León / Київ") in text
    assert flat("information for teaching, not legal advice") in text.lower()


class _Loads(HTMLParser):
    """What a page loads by itself: every ``src``, the ``href`` of each ``<link>``, and ``url(...)`` in styles."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[k] or "" for k in ("src", "srcset") if k in attrs]
        if tag == "link" and "href" in attrs:
            self.urls.append(attrs["href"] or "")
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs.get("style") or "")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", data)


def loads(page: str) -> list[str]:
    parser = _Loads()
    parser.feed(page)
    return [u if isinstance(u, str) else "".join(u) for u in parser.urls]


def test_loads_finds_what_a_page_would_fetch():
    page = ('<html><head><script src="https://cdn.example/x.js"></script><link rel="stylesheet" '
            'href="https://fonts.example/f.css"><style>@import "https://x/y.css"; p {background: url(bg.png)}'
            '</style></head><body><img src="data:image/png;base64,AA"><a href="https://example.org">a link</a>'
            "</body></html>")
    assert loads(page) == ["https://cdn.example/x.js", "https://fonts.example/f.css", "https://x/y.css", "bg.png",
                           "data:image/png;base64,AA"]


def test_brief_html_is_self_contained_and_escaped(briefs):
    a, folder = briefs["nasty"]
    page = (folder / "brief.html").read_text(encoding="utf-8")
    assert "<script" not in page and all(u.startswith("data:") for u in loads(page)), loads(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co: Nuevo León / Київ / 東京" in page
    assert page.count('src="data:image/svg+xml;base64,') == 1
    for template_text in ("You will learn", "Discuss", "Previous", "Next:", "python -m", "{{", "{%", "nan", "-0 "):
        assert template_text not in page, template_text
    text = page.split('<section id="sources"')[0]  # sources keep their own titles
    codes = re.findall(r">[^<]*\b(TFM|JEM|WSO|FULL|COND|NOTIFY|STRICT)\b[^<]*<", text)
    assert not codes, codes  # option names, never internal codes, in the text


def test_every_open_option_has_its_case_for_and_against_attributed(briefs):
    from helpers.options import load_options

    a, folder = briefs["riverton"]
    page = (folder / "brief.html").read_text(encoding="utf-8")
    from markupsafe import escape

    opts = load_options()
    for o in a.open_options:
        for col in ("case_for", "case_against", "case_for_by", "case_against_by"):
            assert str(escape(str(opts.loc[o, col]).rstrip("."))) in page, (o, col)
    assert a.cfg.name in page and report.LEGAL_NOTICE in page


def test_missing_chromium_still_writes_the_brief_and_says_how(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(brief.PdfUnavailable, match="no-such-browser is not an executable file.*apt-get install"):
        brief.print_pdf(tmp_path / "x.html", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_no_chromium_anywhere_names_where_it_looked_and_how_to_get_one(tmp_path, monkeypatch):
    """The PDF uses the shared browser lookup: with no $CHROMIUM, no Debian package, nothing on PATH and no
    playwright download, the brief says where it looked and how to get a browser."""
    from helpers import browser

    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "DEBIAN_CHROMIUM", str(tmp_path / "absent" / "chromium"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(browser, "playwright_chromium", lambda: None)
    with pytest.raises(brief.PdfUnavailable) as err:
        brief.print_pdf(tmp_path / "x.html", tmp_path / "x.pdf")
    assert str(err.value) == ("brief.pdf was not printed: no Chromium was found (looked for $CHROMIUM, "
                              "/usr/bin/chromium, chromium or chrome on PATH, and playwright's own Chromium). "
                              + brief.HOW_TO_GET_PDF)
    assert "apt-get install -y chromium" in str(err.value) and "playwright install chromium" in str(err.value)
    assert not (tmp_path / "x.pdf").exists()
