"""The static site: unit tests of the build helpers, then a headless-browser check of every page.

The browser part builds the site (Jupyter Book, offline, no re-execution), serves it on loopback and
opens every page in the Debian ``chromium`` package driven by the ``playwright`` Python package. Each
page must load with no console error or warning, no uncaught page error, no failed or 4xx/5xx request,
every image loaded (``naturalWidth > 0``) with real alt text, every internal link (fragments included)
resolving, and, on pages of notebooks using the house table style, no table cell cut short with "…".
A screenshot of the start page is kept in ``test-artifacts/``. When Chromium is missing the test fails
with the command that installs it: a site that was never opened is not a tested site.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from urllib.parse import unquote, urldefrag, urlparse

import nbformat
import pytest

from helpers import paths, site
from helpers.browser import HOW_TO_GET, find_chromium
from helpers.errors import InputError

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = paths.ROOT / "test-artifacts"
#: Notebooks whose tables must show every cell in full on the site (they call tables.apply_style()).
WRAPPED_TABLES = ["00-start-here", "01-what-municipal-police-do", "02-the-policy-spectrum", "03-the-legal-landscape",
                  "04-what-the-evidence-says", "05-the-trust-and-reporting-model", "06-juans-story",
                  "07-stakeholders-and-trade-offs", "08-what-would-change-the-answer", "10-is-this-analysis-fair"]
#: Console message types that fail a page: errors and warnings (plain log lines are allowed).
CONSOLE_PROBLEMS = ("error", "warning", "assert")


# --- unit tests of helpers.site (fast, no browser) -------------------------------------------------------

def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _chart_cell():
    cell = nbformat.v4.new_code_cell("plt.show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=",
                                                                  "text/plain": "<Figure>"})]
    return cell


def test_reading_minutes_follows_the_stated_model():
    prose = " ".join(["word"] * 450)                      # 450 words = 2.25 min
    nb = _nb(nbformat.v4.new_markdown_cell("# Title\n\n" + prose),  # +1 word for "Title"
             _chart_cell(), _chart_cell())                 # 2 charts = 1 min
    expected = -(-((451 / site.WORDS_PER_MINUTE) * 60 + 2 * site.SECONDS_PER_CHART) // 60)
    assert site.reading_minutes(nb) == int(expected) == 4
    assert site.reading_minutes(_nb(nbformat.v4.new_markdown_cell("# Short"))) == 1


def test_reading_minutes_ignores_link_targets_and_code_fences():
    plain = _nb(nbformat.v4.new_markdown_cell(" ".join(["w"] * 400) + " [a]"))
    noisy = _nb(nbformat.v4.new_markdown_cell(" ".join(["w"] * 400) + " [a](" + "/x" * 300 + ")\n```\n"
                                              + "code " * 500 + "\n```\n"))
    assert site.reading_minutes(noisy) == site.reading_minutes(plain) == 3  # 401 words round up to 3 min


def test_chart_descriptions_pairs_each_chart_with_the_next_markdown_cell():
    nb = _nb(nbformat.v4.new_markdown_cell("# T"), _chart_cell(),
             nbformat.v4.new_markdown_cell("**Chart description.** Bars for seven options."),
             _chart_cell(), nbformat.v4.new_markdown_cell("Some prose."),
             _chart_cell())
    assert site.chart_descriptions(nb) == [(1, "Bars for seven options."), (3, None), (5, None)]


def test_site_copy_gets_alt_text_and_reading_time_and_the_source_is_untouched(tmp_path):
    nb = _nb(nbformat.v4.new_markdown_cell("# Title\n\n*The question.*"), _chart_cell(),
             nbformat.v4.new_markdown_cell("**Chart description.** Seven *dots*, one per option.\n\n## Next"))
    src, dest = tmp_path / "a.ipynb", tmp_path / "site" / "a.ipynb"
    nbformat.write(nb, src)
    before = src.read_bytes()
    site._prepare_notebook(src, dest)
    assert src.read_bytes() == before
    copy = nbformat.read(dest, as_version=4)
    assert copy.cells[1].source == f"*Reading time: about {site.reading_minutes(nb)} min.*"
    assert copy.cells[2].metadata["mystnb"]["image"]["alt"] == "Seven dots, one per option."


def test_headings_ignore_fenced_code():
    md = "# One\n\n```python\n# a comment, not a heading\n```\n\n## Two\n#not-a-heading\n"
    assert site.headings(md) == [(1, "One"), (2, "Two")]


def test_notebook_summary_reads_title_and_question():
    nb = _nb(nbformat.v4.new_markdown_cell("# The legal landscape\n\nWhat may a city decide?\n\n- bullet"))
    s = site.notebook_summary(nb)
    assert (s["title"], s["question"], s["charts"]) == ("The legal landscape", "What may a city decide?", 0)


def test_build_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path):
    keep = tmp_path / "precious.txt"
    keep.write_text("mine")
    with pytest.raises(InputError) as err:
        site.build(tmp_path)
    assert err.value.field == "out"
    assert keep.read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["precious.txt"]
    with pytest.raises(InputError):
        site.build(paths.NOTEBOOKS / "site")


def test_a_failed_build_leaves_the_previous_site_and_no_scratch_files(tmp_path, monkeypatch):
    book = tmp_path / "book"
    shutil.copytree(site.BOOK, book, ignore=shutil.ignore_patterns("_vendor"))
    (book / "_config.yml").write_text("title: [unclosed\n", encoding="utf-8")  # not valid YAML
    monkeypatch.setattr(site, "BOOK", book)
    out = tmp_path / "out" / "html"
    out.mkdir(parents=True)
    (out / site._MARKER).write_text("built earlier")
    (out / "index.html").write_text("<p>previous site</p>")
    with pytest.raises(site.SiteError) as err:
        site.build(out)
    assert "jupyter-book build failed" in str(err.value)
    assert (out / "index.html").read_text() == "<p>previous site</p>"
    assert sorted(p.name for p in out.parent.iterdir()) == ["html"]


def test_cli_reports_bad_output_folder_without_a_traceback(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("x")
    assert site.main(["--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "field 'out'" in err and "fix:" in err


# --- the built site in a browser -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "html"
    return site.build(out)


@pytest.fixture(scope="session")
def server(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site.html_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


# The browser lives for this module only: Playwright's sync API keeps an event loop running while it is
# open, and any later test module that starts its own Playwright would then fail.
@pytest.fixture(scope="module")
def browser():
    exe = find_chromium()
    if exe is None:
        pytest.fail(f"{HOW_TO_GET}\nThe site test needs a real browser; it does not skip.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def context(browser):
    # A fresh profile, as a first-time reader has: nothing stored, so the theme starts from the site's
    # configured colour mode (book/_config.yml, html_context.default_mode).
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def _open(context, url):
    """Open a tab and start loading ``url``; returns (page, problems): console errors and warnings, uncaught
    page errors, failed requests and 4xx/5xx responses, collected as the page loads."""
    problems: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text} at {m.location.get('url')}")
            if m.type in CONSOLE_PROBLEMS else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    response = page.goto(url, wait_until="commit")
    if response is None or response.status >= 400:
        problems.append(f"page did not load: {url}")
    return page, problems


def _visit(context, url):
    """Open a page and wait until every script, stylesheet and image has loaded; returns (page, problems)."""
    page, problems = _open(context, url)
    page.wait_for_load_state("load")
    return page, problems


def _visit_all(context, urls, at_once=6):
    """Like :func:`_visit` for many pages, ``at_once`` tabs loading side by side (the browser spreads them over
    its processes); yields (url, page, problems) in the order given, each page fully loaded."""
    urls = list(urls)
    for i in range(0, len(urls), at_once):
        opened = [(url, *_open(context, url)) for url in urls[i:i + at_once]]
        for url, page, problems in opened:
            page.wait_for_load_state("load")
            yield url, page, problems


_IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  return imgs.map(i => ({src: i.currentSrc || i.src, width: i.naturalWidth, alt: i.getAttribute('alt')}));
}"""


def test_every_page_loads_cleanly_with_images_alt_text_and_working_links(built_site, server, context):
    expected = (["intro.html"] + [paths.relative(nb).removesuffix(".ipynb") + ".html" for nb in paths.notebook_paths()]
                + [f"docs/{md.stem}.html" for md in sorted((paths.ROOT / "docs").glob("*.md"))] + ["data/README.html"])
    missing = [p for p in expected if p not in built_site.pages]
    assert not missing, f"pages missing from the built site: {missing}"
    pages = sorted(set(expected) | {"search.html", "genindex.html"})
    # pages of notebooks that use the house table style must show every table cell in full
    wrapped = {paths.relative(nb).removesuffix(".ipynb") + ".html" for nb in paths.notebook_paths()
               if "tables.apply_style()" in nb.read_text(encoding="utf-8")}
    assert {f"notebooks/{n}.html" for n in WRAPPED_TABLES} <= wrapped
    problems: dict[str, list[str]] = {}
    links: dict[str, set[str]] = {}
    ids: dict[str, set[str]] = {}
    for url, page, found in _visit_all(context, [server + rel for rel in pages]):
        rel = url.removeprefix(server)
        for img in page.evaluate(_IMAGES_JS):
            if img["width"] == 0:
                found.append(f"image did not load: {img['src']}")
            alt = (img["alt"] or "").strip()
            if not alt or re.search(r"\.(png|jpe?g|svg|gif)$", alt, re.I):
                found.append(f"image without alt text: {img['src']} (alt={alt!r})")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        links[rel] = {h for h in hrefs if h.startswith(server)}
        ids[rel] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        if rel in wrapped:
            cut = page.eval_on_selector_all(".cell_output td, .cell_output th",
                                            "els => els.map(e => e.textContent.trim())"
                                            ".filter(t => t.endsWith('…') || t.endsWith('...'))")
            found += [f"table cell cut short: {t[-60:]!r}" for t in cut]
        page.close()
        if found:
            problems[rel] = found
    assert not problems, "problems found in the browser:\n" + "\n".join(
        f"  {page}: {p}" for page, items in problems.items() for p in items)

    broken = []
    root = built_site.html_dir
    for rel, hrefs in links.items():
        for href in sorted(hrefs):
            target, frag = urldefrag(href)
            path = unquote(urlparse(target).path).lstrip("/") or "index.html"
            if path.endswith("/"):
                path += "index.html"
            if not (root / path).is_file():
                broken.append(f"{rel} -> {href} (no such file)")
                continue
            if frag and path.endswith(".html"):
                known = ids.get(path)
                if known is None:
                    known = set(re.findall(r'\bid="([^"]+)"', (root / path).read_text(encoding="utf-8")))
                    ids[path] = known
                if unquote(frag) not in known:
                    broken.append(f"{rel} -> {href} (no element with id {frag!r})")
    assert not broken, "broken internal links:\n  " + "\n  ".join(broken)


def test_sidebar_lists_every_notebook_in_name_order_under_its_caption(server, context):
    """book/_toc.yml's glob: patterns pick up every notebook, exercise and answer key, sorted by name."""
    page, problems = _visit(context, server + "intro.html")
    captions = page.eval_on_selector_all("nav.bd-docs-nav p.caption", "els => els.map(e => e.textContent.trim())")
    hrefs = page.eval_on_selector_all("nav.bd-docs-nav a.reference", "els => els.map(e => e.getAttribute('href'))")
    page.close()
    assert not problems, problems
    assert captions == ["The notebooks", "Exercises", "Answer keys", "For teachers", "About the data"]
    notebooks = [paths.relative(nb).removesuffix(".ipynb") + ".html" for nb in paths.notebook_paths()]
    assert hrefs == ["#"] + notebooks + ["docs/for-instructors.html", "docs/teaching-guide.html",
                                         "docs/glossary.html", "data/README.html", "data/CHANGELOG.html"]


def test_build_has_no_warnings(built_site):
    """Sphinx warnings name links to missing notebooks, unknown files and other defects readers would hit."""
    assert not built_site.warnings, "site build warnings:\n  " + "\n  ".join(built_site.warnings)


def test_search_finds_a_word_from_the_start_page(server, context):
    page, problems = _visit(context, server + "search.html?q=immigration")
    page.wait_for_selector("ul.search li", timeout=15000)
    hits = page.eval_on_selector_all("ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    page.close()
    assert not problems, problems
    assert any(h.startswith("intro.html") for h in hits), hits


def test_start_page_screenshot_is_kept(server, context):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "site-start-page.png"
    page, problems = _visit(context, server + "intro.html")
    title = page.title()
    page.screenshot(path=str(shot), full_page=False)
    page.close()
    assert not problems, problems
    assert "Local policing and immigration enforcement" in title
    assert shot.stat().st_size > 10_000  # a real rendered page, not a blank image


_VISIBLE_SEARCH_JS = """() => Array.from(document.querySelectorAll('.search-button__button, input[type=search]'))
  .filter(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                 return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; })
  .map(e => e.className)"""


@pytest.mark.parametrize("width", [1280, 600])
def test_start_page_shows_exactly_one_search_box(server, browser, width):
    """One search box or button on screen, at desktop width and at phone width."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page, problems = _visit(ctx, server + "intro.html")
    boxes = page.evaluate(_VISIBLE_SEARCH_JS)
    page.close()
    ctx.close()
    assert not problems, problems
    assert len(boxes) == 1, f"{len(boxes)} visible search boxes at {width} px: {boxes}"


def test_a_first_visit_starts_in_the_configured_colour_mode(server, context):
    page, problems = _visit(context, server + "notebooks/00-start-here.html")
    mode = page.evaluate("() => [document.documentElement.dataset.mode, document.documentElement.dataset.theme]")
    page.close()
    assert not problems, problems
    assert mode == ["light", "light"]
