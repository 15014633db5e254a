"""The tile map, the readable table of states, what changed, and the brief checks (helpers.states)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers import legal, plots, states
from helpers.errors import InputError
from helpers.options import OPTION_CODES


def test_tile_grid_places_every_state_once():
    st = states.load_states()
    assert set(states.TILE_GRID) == set(st.index) and len(states.TILE_GRID) == 51
    positions = list(states.TILE_GRID.values())
    assert len(set(positions)) == len(positions), "two states share a tile"
    # north at the top, west at the left, for a few states whose place nobody disputes
    g = states.TILE_GRID
    assert g["WA"][1] < g["MT"][1] < g["MN"][1] < g["NY"][1] < g["ME"][1]
    assert g["ND"][0] < g["SD"][0] < g["NE"][0] < g["KS"][0] < g["OK"][0] < g["TX"][0]


def test_map_table_counts_match_the_legal_layer():
    t = states.map_table()
    cm = legal.compliance_matrix()
    for code in ("TX", "CA", "PA", "MA", "OH", "NM", "TN"):
        v = states.verdicts(code)
        assert t.loc[code, "n_open"] == (v != "infeasible").sum()
        assert t.loc[code, "open"] == ", ".join(states.feasible_options(code))
        assert t.loc[code, "menu_changed"] == bool((v != cm[t.loc[code, "regime"]]).any())
    # hand-checked: Massachusetts allows release notification although its regime type forbids it;
    # Texas follows its regime type exactly; New Mexico leaves only STRICT
    assert t.loc["MA", "menu_changed"] and not t.loc["TX", "menu_changed"]
    assert t.loc["NM", "open"] == "STRICT"
    assert (t["verified"] != "yes").sum() == (states.load_states()["verified"] != "yes").sum()


def test_menu_changes_are_the_differences_from_the_regime_type():
    ma = states.menu_changes("Massachusetts")
    assert list(ma["option"]) == ["NOTIFY"]
    assert ma.iloc[0]["regime_verdict"] == "infeasible" and ma.iloc[0]["state_verdict"] == "feasible"
    assert states.menu_changes("TX").empty


def test_state_map_draws_51_tiles_with_a_finding_title():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plots.plot_state_map()
    try:
        t = states.map_table()
        codes = [x.get_text() for x in ax.texts if x.get_text() in states.TILE_GRID]
        assert sorted(codes) == sorted(t.index)
        frames = [p for p in ax.patches if p.get_facecolor()[3] == 0]  # the black frames have no fill
        assert len(frames) == int(t["menu_changed"].sum())
        hatched = [p for p in ax.patches if p.get_hatch()]
        assert len(hatched) == int((t["verified"] != "yes").sum())
        title = ax.get_title(loc="left")
        n = t["regime"].value_counts()
        assert f"{n['requires_cooperation']} states require cooperation" in title
        assert f"{n['neutral']} have no statewide rule" in title
    finally:
        plt.close(fig)


def test_state_table_uses_names_and_search_filters():
    table = states.state_table()
    assert len(table) == 51 and table.index.name == "state" and "Ohio" in table.index
    assert set(table["regime"]) <= set(legal.REGIME_SHORT.values())
    assert list(states.state_table("tennessee").index) == ["Tennessee"]
    assert "Texas" in states.state_table("TX").index
    with pytest.raises(InputError, match="did you mean Ohio"):
        states.state_table("Ohoi")
    with pytest.raises(InputError, match="search"):
        states.state_table("  ")


def test_changes_in_2026_name_the_states_that_cite_them():
    ch = states.changes_in(2026)
    assert list(ch["date"]) == sorted(ch["date"].dropna()) + [None] * ch["date"].isna().sum()
    tn = ch[ch["name"].str.contains("Public Chapter 1015")]
    assert len(tn) == 1 and tn.iloc[0]["states"] == "Tennessee"
    assert not ch["name"].str.match(r"^[A-Z]+-\d+$").any()  # names, not ids


def test_standing_says_partial_and_contested():
    pa = states.standing("Pennsylvania")
    assert pa["partial"] and pa["regime"] == "neutral" and pa["open"] == list(OPTION_CODES)
    oh = states.standing("OH")
    assert not oh["partial"] and "Hold on an ICE detainer" in oh["contested"]
    assert any(s.startswith("FULL: feasible here") for s in oh["menu_changes"])


def test_brief_checks_come_from_currency_for_the_states_own_rows():
    checks = states.brief_checks("OH")
    assert checks[0].startswith("The legal data are current as of 28 May 2026")
    # Ohio's row cites a 2023 source: 40 whole months before the legal layer's date (from 1 Jan 2023)
    assert any("Ohio's row in data/states.csv" in c and "40 months" in c for c in checks)
    assert any(c.startswith("Contested in Ohio") for c in checks)
    assert not any("partial" in c for c in checks[:3])
    # a later reference date makes more rows old; the list never names another state's row
    later = states.brief_checks("TN", today=dt.date(2027, 12, 1))
    assert any("Tennessee's row" in c for c in later) and not any("Ohio" in c for c in later)
    assert not any("Tennessee's row" in c for c in states.brief_checks("TN"))
    assert any("row is partial" in c for c in states.brief_checks("PA"))
    with pytest.raises(InputError, match="did you mean"):
        states.brief_checks("Pensylvania")


def test_regime_colours_have_readable_text():
    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for regime, fill in states.REGIME_COLORS.items():
        a, b = sorted((luminance(fill), luminance(states.REGIME_TEXT[regime])), reverse=True)
        assert (a + 0.05) / (b + 0.05) >= 4.5, regime
    assert set(states.REGIME_COLORS) == set(legal.REGIMES)
    assert isinstance(states.state_table().loc["Texas"], pd.Series)


def test_notebook_03_state_table_output_names_the_options():
    import json

    from helpers import paths

    nb = json.loads((paths.ROOT / "notebooks" / "03-the-legal-landscape.ipynb").read_text(encoding="utf-8"))
    shown = ["".join(o["data"]["text/html"]) for c in nb["cells"] if c["cell_type"] == "code"
             and "states.state_table(" in "".join(c["source"]) for o in c.get("outputs", [])
             if "text/html" in o.get("data", {})]
    assert len(shown) == 2
    for html in shown:
        assert "287(g) Jail Enforcement Model (JEM)" in html
        assert "TFM, JEM" not in html          # no bare list of codes
