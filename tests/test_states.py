"""The 50-state legal layer: data/states.csv validates, every state's exceptions apply to the regime rules, the
mixed states (limits on holds, local 287(g) allowed) read as they are, lookups accept codes and names, and the
currency listing dates rows from their sources; and what readers see (notebook 03, the report): the tile map, the
readable table of states, what changed, and the brief checks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers import data, legal, plots, states
from helpers.errors import InputError
from helpers.options import OPTION_CODES, load_levers

USPS = set("""AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY
OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY""".split())


def test_fifty_states_and_dc_once_each_with_a_valid_regime():
    df = states.load_states()
    assert len(df) == 51
    assert set(df.index) == USPS
    assert df["state"].is_unique
    assert set(df["regime"]) <= set(legal.REGIMES)
    assert set(df["verified"]) == {"yes", "partial"}
    assert (df["provenance"] == "REAL").all()


def test_every_override_names_a_lever_and_a_valid_status():
    levers = set(load_levers()["lever_id"])
    n = 0
    for _, row in states.load_states().iterrows():
        for o in states.parse_overrides(row["lever_overrides"]):
            assert o["lever_id"] in levers
            assert o["status"] in legal.STATUSES
            n += 1
    assert n > 50  # the table does describe states lever by lever


def test_state_rules_are_the_regime_rows_with_the_exceptions_applied():
    rules = legal.load_rules()
    for code, row in states.load_states().iterrows():
        mine = states.state_rules(code).set_index("lever_id")
        base = rules[rules["regime"] == row["regime"]].set_index("lever_id")
        overrides = {o["lever_id"]: o for o in states.parse_overrides(row["lever_overrides"])}
        assert list(mine.index) == list(load_levers()["lever_id"])
        for lever in mine.index:
            expected = overrides[lever]["status"] if lever in overrides else base.loc[lever, "status"]
            assert mine.loc[lever, "status"] == expected, (code, lever)
            assert mine.loc[lever, "origin"] == ("state exception" if lever in overrides else "regime")


def test_a_state_without_exceptions_has_exactly_its_regimes_feasibility():
    df = states.load_states()
    plain = df[df["lever_overrides"].isna()]
    assert {"CA", "FL", "GA", "WA"} <= set(plain.index)
    for code, row in plain.iterrows():
        assert states.feasible_options(code) == legal.feasible_options(row["regime"])


# The four states the issue names as mixed, worked by hand from the lever table (data/levers.csv) and the
# exceptions: MA, MN and NY prohibit holds unless conditional (e.g. on a judge's warrant) and permit every
# other lever, so only the options with hold C or N remain: COND (C), NOTIFY (N), STRICT (N). Virginia's
# directive binds state agencies only, so a municipality keeps the federal floor: all seven options.
@pytest.mark.parametrize("code, expected", [
    ("MA", ["COND", "NOTIFY", "STRICT"]),
    ("MN", ["COND", "NOTIFY", "STRICT"]),
    ("NY", ["COND", "NOTIFY", "STRICT"]),
    ("VA", list(OPTION_CODES)),
])
def test_mixed_states_feasibility(code, expected):
    assert states.feasible_options(code) == expected


@pytest.mark.parametrize("code", ["MA", "MN", "NY"])
def test_state_allowing_287g_but_barring_holds(code):
    settings = legal.lever_settings("NOTIFY")  # no hold, no 287(g)
    with_287g = dict(settings, agreement_287g="Y")
    assert states.assess(with_287g, code).feasible  # signing 287(g) is lawful here ...
    assert not legal.assess(with_287g, "limits_cooperation").feasible  # ... but not under the plain limits type
    with_hold = dict(with_287g, hold="Y")
    a = states.assess(with_hold, code)
    assert not a.feasible and a.blocking_levers == ["hold"]  # holding on a detainer alone is not
    assert states.assess(dict(with_287g, hold="C"), code).feasible  # a conditional hold (judge's warrant) is


def test_287g_ban_states_block_exactly_the_287g_archetypes():
    for code in ("MD", "DE"):
        v = states.verdicts(code)
        assert [c for c in OPTION_CODES if v[c] == "infeasible"] == ["TFM", "JEM", "WSO"], code


def test_anti_sanctuary_state_without_287g_mandate_allows_full_cooperation_without_287g():
    # Ohio bans hindering policies but mandates neither 287(g) nor holds: FULL (no 287(g)) stays open, refusing
    # holds is contested, and STRICT (no status inquiry or data sharing) still breaks the regime's required levers.
    v = states.verdicts("Ohio")
    assert v["FULL"] == "feasible" and v["TFM"] == "feasible"
    assert v["COND"] == "contested" and v["NOTIFY"] == "contested"
    assert v["STRICT"] == "infeasible"
    assert legal.compliance_matrix().loc["FULL", "requires_cooperation"] == "infeasible"


def test_tennessee_requires_287g_citing_its_2026_law():
    r = states.state_rules("TN").set_index("lever_id")
    assert r.loc["agreement_287g", "status"] == "required"
    assert "ST-24" in data.split_list(r.loc["agreement_287g", "authority_ids"])
    assert states.feasible_options("TN") == ["TFM", "JEM", "WSO"]


def test_exceptions_cite_authorities_that_resolve_and_settled_ones_are_verified():
    auth = legal.load_authorities()
    for code in states.load_states().index:
        r = states.state_rules(code)
        for _, row in r[r["origin"] == "state exception"].iterrows():
            ids = data.split_list(row["authority_ids"])
            assert ids and all(a in auth.index for a in ids), code
            if row["status"] in ("required", "prohibited"):
                assert (auth.loc[ids, "verified"] == "yes").any(), (code, row["lever_id"])


@pytest.mark.parametrize("given", ["OH", "oh", "Ohio", " ohio ", "OHIO"])
def test_lookup_by_code_or_name_any_case(given):
    assert states.lookup(given)["state_code"] == "OH"


def test_lookup_of_dc_aliases():
    for given in ("DC", "District of Columbia", "Washington, D.C.", "washington dc"):
        assert states.lookup(given)["state_code"] == "DC"
    assert states.lookup("Washington")["state_code"] == "WA"


def test_unknown_state_gets_a_did_you_mean():
    with pytest.raises(InputError) as exc:
        states.lookup("Tennesee")
    assert "did you mean Tennessee (TN)?" in str(exc.value) and exc.value.field == "state"
    with pytest.raises(InputError, match="not a state code or name"):
        states.lookup("XZ")
    for bad in (None, 12, ""):
        with pytest.raises(InputError):
            states.lookup(bad)


def test_as_of_comes_from_the_row():
    assert states.as_of("MD") == "2026-02-17"
    assert states.as_of("Ohio") == "2023"


def test_bad_overrides_are_rejected_with_the_field():
    for cell, words in [("holds=permitted", "unknown lever"), ("hold=allowed", "unknown status"),
                        ("hold=contested", "must list the unsettled"), ("hold=permitted:C", "takes no settings"),
                        ("hold=prohibited:N", "only ':C'"), ("hold=permitted; hold=prohibited", "two exceptions"),
                        ("hold=contested:X", "unknown setting")]:
        with pytest.raises(InputError, match=words) as exc:
            states.parse_overrides(cell)
        assert exc.value.field == "lever_overrides"


def test_a_settled_exception_without_a_verified_authority_is_rejected():
    row = states.lookup("AK").copy()  # no authority of its own
    row["lever_overrides"] = "hold=prohibited"
    with pytest.raises(InputError, match="cites no authority"):
        states._rules_for_row(row, legal.load_rules())
    row["authority_ids"] = "ST-25"  # Indiana SEA 76: partial
    row["lever_overrides"] = "hold=prohibited"
    table = states._rules_table(row, legal.load_rules())
    with pytest.raises(InputError, match="only on partial authorities"):
        legal.validate_rules(table)


def test_states_file_with_a_wrong_regime_is_rejected(tmp_path):
    path = tmp_path / "states.csv"
    df = pd.read_csv(data.paths.DATA / "states.csv", dtype=str, keep_default_na=False)
    df.loc[3, "regime"] = "mixed"
    df.to_csv(path, index=False)
    with pytest.raises(InputError) as exc:
        data.load_table("states", path)
    assert exc.value.field == "regime" and exc.value.row == 4


# Currency, with a fixed reference date. Hand-worked: on 2026-11-30 with 60 months, the cutoff is 2021-11-30;
# rows dated before it are MO 2016-08-28, MS 2017-04-04, IA and ST-29 2018-04-11, CASE-30 2018-11-16,
# DC 2020-12-17 and MT 2021-03-31.
def test_currency_lists_rows_older_than_the_limit():
    table = states.currency(60, dt.date(2026, 11, 30))
    assert list(zip(table["table"], table["id"])) == [
        ("states", "MO"), ("states", "MS"), ("legal_authorities", "ST-29"), ("states", "IA"),
        ("legal_authorities", "CASE-30"), ("states", "DC"), ("states", "MT")]
    assert table.loc[0, "months_old"] == 123  # Aug 2016 -> Nov 2026 (day 30 >= 28)


def test_currency_uses_the_start_of_a_reduced_date_and_the_months_boundary():
    # Ohio's as_of is the year 2023, read as 1 Jan 2023: 46 months before 2026-11-30, so listed at 46 but not 47.
    at46 = states.currency(46, "2026-11-30")
    at47 = states.currency(47, "2026-11-30")
    assert "OH" in set(at46["id"]) and "OH" not in set(at47["id"])
    everything = states.currency(0, "2100-01-01")
    assert len(everything) == 51 + len(legal.load_authorities())


def test_currency_rejects_bad_arguments():
    for months in (-1, 1.5, True, "12"):
        with pytest.raises(InputError):
            states.currency(months, "2026-11-30")
    with pytest.raises(InputError, match="ISO date"):
        states.currency(12, "30/11/2026")


def test_currency_command(capsys):
    from helpers.__main__ import main

    assert main(["currency", "--months", "60", "--today", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("7 legal row(s)") and "Missouri" in out and "Montana" in out
    assert main(["currency", "--months", "12", "--today", "not-a-date"]) == 2


def test_the_verdict_table_agrees_with_the_full_assessment_in_every_state():
    """The quick verdicts of every state's table are those the full assessment (risks and all) gives."""
    from helpers import legal

    table = states.verdict_table()
    risk_rules = legal.load_risk_rules()
    for code in table.index:
        rules = states.state_rules(code)
        regime = str(states.lookup(code)["regime"])
        assert {o: legal._assess(o, regime, rules, risk_rules).verdict for o in table.columns} == \
            table.loc[code].to_dict(), code


def test_an_exception_that_breaks_the_rules_check_is_caught_when_the_states_load(tmp_path, monkeypatch):
    """The check of every state's exceptions against the rules runs once per version of the tables: an
    edited states.csv is checked again, and its bad row is named."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(data.paths.DATA, folder)
    monkeypatch.setattr(data.paths, "DATA", folder)
    monkeypatch.setattr(data, "VERDICTS", tmp_path / "cache" / "validated.json")
    states._load.cache_clear()
    assert len(states.load_states()) == 51
    df = pd.read_csv(folder / "states.csv", dtype=str, keep_default_na=False)
    n = int(df.index[df["state_code"] == "AK"][0])
    df.loc[n, ["authority_ids", "lever_overrides"]] = ["ST-25", "hold=prohibited"]  # a partial authority only
    df.to_csv(folder / "states.csv", index=False)
    states._load.cache_clear()
    try:
        with pytest.raises(InputError, match="only on partial authorities") as exc:
            states.load_states()
        assert exc.value.field == "lever_overrides" and exc.value.row == n + 1
    finally:
        states._load.cache_clear()


def test_one_states_verdicts_and_the_regime_types_agree_with_the_full_tables():
    from helpers import legal

    table = states.verdict_table()
    for code in ("PA", "NY", "TX", "CA", "MA", "TN"):
        assert states.verdicts(code).to_dict() == table.loc[code].to_dict(), code
    matrix = legal.compliance_matrix()
    for regime in legal.REGIMES:
        assert legal.option_verdicts(regime, legal.load_rules()) == matrix[regime].to_dict(), regime


# Currency printing: every cell in full, wrapped, never cut.
def test_currency_command_prints_every_name_in_full_within_the_width(capsys):
    from helpers.__main__ import main

    table = states.currency(0, "2100-01-01")
    longest = max(table["name"], key=len)
    assert len(longest) > 70                      # the cut the plain pandas print used to make
    assert main(["currency", "--months", "0", "--today", "2100-01-01"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert max(len(line) for line in lines) <= 100
    assert "…" not in "\n".join(lines) and "..." not in "\n".join(lines)
    # read the name column back from the wrapped lines: each row's name is there word for word
    start = lines[0].index("name")
    end = lines[0].index("as_of")
    names, current = [], None
    for line in lines[1:]:
        piece = line[start:end].strip()
        if line[:start].strip():                  # a new row starts where the table column is filled
            current = [piece]
            names.append(current)
        else:
            current.append(piece)
    assert [" ".join(p for p in n if p) for n in names] == list(table["name"])


def test_wrapped_lines_keep_short_tables_on_one_line_a_row():
    small = pd.DataFrame({"id": ["A", "B"], "n": [1, 22]})
    assert states.wrapped_lines(small) == ["id   n", "A    1", "B   22"]


# The state table names the options it lists.
def test_state_table_names_the_open_and_contested_options_with_their_codes():
    from helpers.options import load_options

    named = {f"{r.name} ({r.code})" for r in load_options().itertuples()}
    table = states.state_table()
    tn = table.loc["Tennessee"]
    assert tn["options open"] == ("287(g) Task Force Model (TFM); 287(g) Jail Enforcement Model (JEM); "
                                  "287(g) Warrant Service Officer (WSO)")
    for col in ("options open", "of which contested"):
        for cell in table[col]:
            assert cell == "-" or set(cell.split("; ")) <= named, cell
    # the same options as the map table's codes, in the same order
    codes = states.map_table().set_index("state")["open"]
    for state, cell in table["options open"].items():
        assert [x.rsplit("(", 1)[1].rstrip(")") for x in cell.split("; ")] == codes[state].split(", ")


# The tile map, the readable table of states, what changed, and the brief checks (notebook 03).
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
