"""helpers.tables: tables keep every character, wrap long text, and render the same bytes every time."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import tables
from helpers.errors import InputError

LONG = ("Limits on holding a person past release on an immigration detainer without a judicial warrant, "
        "as read by the state's highest court, which found no authority in state law for such an arrest; "
        "the ruling binds every county and city in the state and leaves federal officers free to act alone "
        "on their own warrants.")


def _frame():
    return pd.DataFrame({"explanation": [LONG, "short"], "count": [12, 3], "share": [0.25, 0.5]},
                        index=pd.Index(["FED-1", "CASE-2"], name="authority"))


def test_a_300_character_cell_is_shown_in_full():
    assert len(LONG) >= 290
    out = tables.to_html(_frame())
    assert LONG in html.unescape(out)
    assert "…" not in out and "..." not in out


def test_the_same_table_gives_the_same_bytes_and_no_random_ids():
    first, second = tables.to_html(_frame()), tables.to_html(_frame())
    assert first == second
    assert not re.search(r"\bid=|T_[0-9a-f]{5}|<style", first)


def test_cells_wrap_with_text_left_numbers_right_and_rows_top_aligned():
    out = tables.to_html(_frame())
    cells = re.findall(r'<(th|td)( scope="\w+")? style="([^"]*)">([^<]*)<', out)
    style = {text: css for _, _, css, text in cells}
    assert "white-space:normal" in style["short"] and "vertical-align:top" in style["short"]
    assert "text-align:left" in style["short"] and "text-align:right" in style["12"]
    assert "overflow-wrap:break-word" in style["0.25"]
    assert "min-width" in style["short"]          # the long-text column, every cell of it, gets room
    assert "min-width" not in style["12"] and "min-width" not in style["FED-1"]


def test_index_names_header_and_row_labels():
    out = tables.to_html(_frame())
    assert re.search(r'<th scope="col"[^>]*>authority</th>', out)
    assert re.search(r'<th scope="row"[^>]*>FED-1</th>', out)
    plain = tables.to_html(pd.DataFrame({"a": ["x", "y"]}))
    assert 'scope="row"' not in plain               # the default 0, 1 row numbers carry nothing
    filtered = tables.to_html(pd.DataFrame({"a": ["x", "y", "z"]}).iloc[[2]])
    assert re.search(r'<th scope="row"[^>]*>2</th>', filtered)  # kept rows keep their labels
    assert 'scope="row"' in tables.to_html(pd.DataFrame({"a": ["x"]}), index=True)


def test_multiindex_rows_and_columns_and_colliding_names():
    idx = pd.MultiIndex.from_tuples([("permissive", "STRICT"), ("permissive", "FULL")], names=["regime", "option"])
    df = pd.DataFrame({("risk", "level"): ["high", "low"], ("regime", ""): ["a", "b"]}, index=idx)
    out = tables.to_html(df)
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', out)
    assert heads == ["regime", "option", "risk / level", "regime"]
    rows = re.findall(r"<tr>(.*?)</tr>", out, re.S)[1:]
    assert [re.findall(r">([^<]+)</t[hd]>", r) for r in rows] == [["permissive", "STRICT", "high", "a"],
                                                                  ["permissive", "FULL", "low", "b"]]


def test_text_is_escaped_urls_become_links_and_missing_values_are_empty():
    df = pd.DataFrame({"source": ["<script>alert(1)</script>", "https://www.ice.gov/identify-and-arrest/287g"],
                       "n": [np.nan, 1.0]})
    out = tables.to_html(df)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert ('<a href="https://www.ice.gov/identify-and-arrest/287g" target="_blank" rel="noopener" '
            'style="overflow-wrap:anywhere">') in out
    assert "NaN" not in out and "nan" not in out
    assert tables.to_html(df, na_rep="n/a").count("n/a") == 1
    nullable = pd.DataFrame({"advocates": pd.array(["limits", None], dtype="string"),
                             "n": pd.array([1, None], dtype="Int64")})
    out = tables.to_html(nullable)
    assert "NA" not in out and re.findall(r"<td[^>]*>([^<]*)</td>", out) == ["limits", "1", "", ""]
    assert 'text-align:right' in re.findall(r"<td[^>]*>", out)[1]   # still a number column


def test_a_series_is_a_one_column_table_and_other_input_is_refused():
    out = tables.to_html(pd.Series({"state": "Tennessee", "note": LONG}, name="value"))
    assert ">value</th>" in out and ">Tennessee</td>" in out
    with pytest.raises(InputError) as err:
        tables.to_html([1, 2])
    assert err.value.field == "df"


def test_apply_style_stops_pandas_cutting_plain_text_and_sets_the_html_form():
    from IPython.core.interactiveshell import InteractiveShell

    with pd.option_context("display.max_colwidth", 50):
        assert "…" in repr(_frame()) or "..." in repr(_frame())   # pandas' default cuts the cell
        shell = InteractiveShell.instance()
        try:
            tables.apply_style()
            tables.apply_style()                                   # twice is harmless
            data, _ = shell.display_formatter.format(_frame())
        finally:
            InteractiveShell.clear_instance()
        assert LONG in data["text/plain"]
        assert "…" not in data["text/plain"]
        assert data["text/html"] == tables.to_html(_frame())


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def test_long_text_wraps_inside_a_narrow_page_in_a_browser():
    """Headless Chromium: a 300-character cell wraps onto several lines and the table fits 600 px."""
    exe = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if exe is None:
        pytest.fail(f"Chromium was not found at {CHROMIUM}; install the Debian package `chromium`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    df = pd.DataFrame({"option": ["STRICT"], "explanation": [LONG],
                       "source": ["https://www.justice.gov/" + "a-very-long-path-segment/" * 6]})
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 600, "height": 800})
        page.set_content(f'<div id="box" style="width:560px">{tables.to_html(df)}</div>')
        m = page.evaluate("""() => {
            const cells = document.querySelectorAll('td');
            const box = document.getElementById('box');
            return {table: document.querySelector('table').scrollWidth, box: box.clientWidth,
                    option: cells[0].getBoundingClientRect().height,
                    explanation: cells[1].getBoundingClientRect().height,
                    text: cells[1].textContent}; }""")
        browser.close()
    assert m["text"] == LONG
    assert m["table"] <= m["box"]                       # nothing spills out sideways
    assert m["explanation"] > 3 * 16                    # several lines, not one cut line


def test_a_named_column_axis_labels_the_columns_as_a_group():
    ct = pd.crosstab(pd.Series(["case", "case", "statute"], name="kind"),
                     pd.Series(["yes", "partial", "yes"], name="verified"))
    out = tables.to_html(ct)
    assert re.search(r'<th colspan="2" scope="colgroup"[^>]*>verified</th>', out)
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', out) == ["kind", "partial", "yes"]


# --- legal.readable: the legal tables with names in place of internal ids ----------------------------

from helpers import legal  # noqa: E402  (kept next to the tests that use it)

_ID = re.compile(r"\b(FED|CASE|ST)-\d+\b|requires_cooperation|limits_cooperation|_liability|_exposure|"
                 r"judicial_warrant|agreement_287g")


def _all_text(df: pd.DataFrame) -> str:
    return " ".join([*map(str, df.columns), *map(str, df.index.names), *map(str, df.index.to_flat_index()),
                     *df.astype(str).to_numpy().ravel().tolist()])


def test_readable_blocking_table_names_regimes_options_levers_and_authorities():
    why = legal.blocking_table()
    why = why[why["verdict"] == "infeasible"].set_index(["regime", "option"])[["blocking_levers", "authority_ids"]]
    out = legal.readable(why)
    assert not _ID.search(_all_text(out)), _ID.search(_all_text(out))
    first = out.loc[("State requires cooperation", "Full detainer compliance (FULL)")]
    assert first["levers that break state law"] == "Sign a 287(g) agreement"
    assert first["authorities"].startswith("Texas SB 8 (2025), Gov. Code ch. 753; ")
    assert len(out) == len(why)                         # the same rows, only relabelled


def test_readable_drops_a_redundant_id_column_and_leftover_row_numbers():
    cells = legal.readable(legal.cell_authorities("requires_cooperation", "agreement_287g"))
    assert list(cells.columns) == ["name", "kind", "year", "verified", "url"]
    assert set(cells["kind"]) <= set(legal.KIND_LABELS.values())
    details = legal.risk_details("neutral").query("option == 'FULL'")[["risk_id", "level", "authority_ids"]]
    out = legal.readable(details)
    assert list(out.index) == [0, 1, 2] and list(out.columns) == ["risk", "level", "authorities"]
    assert list(out["risk"]) == [legal.RISKS[r]["label"] for r in details["risk_id"]]


def test_readable_keeps_margins_and_matrix_axes():
    auth = legal.load_authorities()
    ct = legal.readable(pd.crosstab(auth["kind"], auth["verified"], margins=True, margins_name="total"))
    assert ct.loc["total", "total"] == len(auth) and "state law" in ct.index
    matrix = legal.readable(legal.rules_matrix())
    assert list(matrix.columns) == [legal.REGIME_SHORT[r] for r in legal.REGIMES]
    assert matrix.columns.name == "regime" and not _ID.search(_all_text(matrix))
    scores = legal.readable(legal.risk_scores("neutral"))
    assert list(scores.columns) == [legal.RISKS[r]["label"] for r in legal.RISK_IDS]


def test_readable_refuses_an_unknown_id():
    with pytest.raises(InputError) as err:
        legal.readable(pd.DataFrame({"authority_ids": ["FED-01; FED-999"]}))
    assert err.value.value == "FED-999"
