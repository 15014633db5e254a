"""Tests for the legal layer (helpers.legal and the three legal tables)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import decision, evidence, legal
from helpers.data import split_list
from helpers.errors import InputError
from helpers.options import OPTION_CODES, load_levers
from helpers.paths import DATA

LEVERS = list(load_levers()["lever_id"])


def raw_rules() -> pd.DataFrame:
    return pd.read_csv(DATA / "legal_rules.csv", dtype=str, keep_default_na=False)


def write_rules(df: pd.DataFrame, tmp_path, name: str = "legal_rules.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return path


def reference_verdict(settings: dict[str, str], regime: str) -> str:
    """Independent reading of data/legal_rules.csv straight from the CSV text (no helpers.legal code)."""
    rules = raw_rules()
    rules = rules[rules["regime"] == regime].set_index("lever_id")
    broken, unsettled = False, False
    for lever, s in settings.items():
        r = rules.loc[lever]
        cond_ok = r["conditional_ok"] == "true"
        if r["status"] == "required":
            broken |= not (s == "Y" or (s == "C" and cond_ok))
        elif r["status"] == "prohibited":
            broken |= s == "Y" or (s == "C" and not cond_ok)
        elif r["status"] == "contested":
            unsettled |= s in [x.strip() for x in r["contested_settings"].split(";")]
    return "infeasible" if broken else ("contested" if unsettled else "feasible")


# ---------------------------------------------------------------- regimes and bad input

def test_regimes_are_the_three_contract_ids():
    assert legal.REGIMES == ("requires_cooperation", "limits_cooperation", "neutral")
    assert legal.check_regime(" Limits-Cooperation ") == "limits_cooperation"
    assert legal.check_regime("requires cooperation") == "requires_cooperation"


@pytest.mark.parametrize("bad", ["texas", "sanctuary", "", "neutrall"])
def test_unknown_regime_lists_the_valid_ones(bad):
    with pytest.raises(InputError) as exc:
        legal.assess("COND", bad)
    for regime in legal.REGIMES:
        assert regime in str(exc.value)
    assert exc.value.field == "regime"


def test_close_regime_name_gets_a_suggestion():
    with pytest.raises(InputError, match="did you mean 'neutral'"):
        legal.check_regime("neutrall")


@pytest.mark.parametrize("fn", [legal.feasible_options, legal.risk_scores, legal.risk_details])
def test_every_regime_entry_point_checks_the_regime(fn):
    with pytest.raises(InputError, match="limits_cooperation"):
        fn("california")


def test_unknown_option_lists_the_valid_ones():
    with pytest.raises(InputError) as exc:
        legal.assess("SANCTUARY", "neutral")
    for code in OPTION_CODES:
        assert code in str(exc.value)


def test_lever_vector_errors_name_the_lever():
    base = legal.lever_settings("FULL")
    with pytest.raises(InputError, match="holds"):
        legal.assess({**base, "holds": "Y"}, "neutral")
    missing = {k: v for k, v in base.items() if k != "notify"}
    with pytest.raises(InputError, match="notify"):
        legal.assess(missing, "neutral")
    with pytest.raises(InputError) as exc:
        legal.assess({**base, "transfer": "maybe"}, "neutral")
    assert exc.value.field == "transfer" and "Y, C, N, NA" in str(exc.value)
    with pytest.raises(InputError, match="option code"):
        legal.assess(42, "neutral")


def test_lever_vector_accepts_lower_case_and_series():
    base = {k: v.lower() for k, v in legal.lever_settings("STRICT").items()}
    a = legal.assess(base, "limits_cooperation")
    b = legal.assess(pd.Series(legal.lever_settings("STRICT"), name="my city"), "limits_cooperation")
    assert a.option == "custom" and b.option == "my city"
    assert a.verdict == b.verdict == legal.assess("STRICT", "limits_cooperation").verdict


# ---------------------------------------------------------------- each status, hand-worked

@pytest.mark.parametrize("status, setting, cond, contested, expected", [
    ("required", "Y", False, (), "ok"),
    ("required", "C", True, (), "ok"),
    ("required", "C", False, (), "violates"),
    ("required", "N", True, (), "violates"),
    ("required", "NA", True, (), "violates"),
    ("prohibited", "Y", True, (), "violates"),
    ("prohibited", "C", True, (), "ok"),
    ("prohibited", "C", False, (), "violates"),
    ("prohibited", "N", False, (), "ok"),
    ("prohibited", "NA", False, (), "ok"),
    ("permitted", "Y", None, (), "ok"),
    ("permitted", "N", None, (), "ok"),
    ("contested", "Y", None, ("Y", "C"), "contested"),
    ("contested", "C", None, ("Y", "C"), "contested"),
    ("contested", "N", None, ("Y", "C"), "ok"),
])
def test_setting_outcome_table(status, setting, cond, contested, expected):
    assert legal.setting_outcome(status, setting, cond, contested) == expected


def test_required_lever_not_set_makes_option_infeasible_and_names_it():
    a = legal.assess("FULL", "requires_cooperation")
    assert not a.feasible and a.verdict == "infeasible"
    assert a.blocking_levers == ["agreement_287g"]
    row = a.lever_status.set_index("lever_id").loc["agreement_287g"]
    assert (row["status"], row["setting"], row["outcome"]) == ("required", "N", "violates")
    assert "ST-15" in split_list(row["authority_ids"])


def test_prohibited_lever_set_makes_option_infeasible():
    a = legal.assess("TFM", "limits_cooperation")
    assert not a.feasible
    assert {"hold", "agreement_287g", "field_operations"} <= set(a.blocking_levers)


def test_conditional_setting_meets_a_prohibition_that_allows_it():
    a = legal.assess("COND", "limits_cooperation")
    hold = a.lever_status.set_index("lever_id").loc["hold"]
    assert (hold["setting"], hold["status"], hold["outcome"]) == ("C", "prohibited", "ok")
    assert a.feasible


def test_contested_setting_keeps_option_feasible_but_flags_it():
    vector = {**legal.lever_settings("JEM"), "courthouse_limits": "Y"}
    a = legal.assess(vector, "requires_cooperation")
    assert a.feasible and a.verdict == "contested"
    assert a.contested_levers == ["courthouse_limits"] and a.blocking_levers == []
    assert "contested" in a.summary()


def test_permitted_everywhere_means_every_option_is_feasible_under_neutral():
    rules = legal.load_rules()
    assert set(rules.loc[rules["regime"] == "neutral", "status"]) == {"permitted"}
    assert legal.feasible_options("neutral") == list(OPTION_CODES)


# ---------------------------------------------------------------- matrix against an independent reading

def test_compliance_matrix_matches_an_independent_reading_of_the_csv():
    matrix = legal.compliance_matrix()
    assert list(matrix.index) == list(OPTION_CODES) and list(matrix.columns) == list(legal.REGIMES)
    for regime in legal.REGIMES:
        for code in OPTION_CODES:
            assert matrix.loc[code, regime] == reference_verdict(legal.lever_settings(code), regime), (code, regime)


def test_feasible_options_agree_with_the_matrix():
    matrix = legal.compliance_matrix()
    for regime in legal.REGIMES:
        assert legal.feasible_options(regime) == [c for c in OPTION_CODES if matrix.loc[c, regime] != "infeasible"]


@settings(max_examples=60, deadline=None)
@given(vector=st.fixed_dictionaries({lv: st.sampled_from(legal.SETTINGS) for lv in LEVERS}),
       regime=st.sampled_from(legal.REGIMES))
def test_any_lever_vector_matches_the_reference(vector, regime):
    a = legal.assess(vector, regime)
    assert a.verdict == reference_verdict(vector, regime)
    assert a.feasible == (a.blocking_levers == [])
    assert set(a.blocking_levers) == set(a.lever_status.loc[a.lever_status["outcome"] == "violates", "lever_id"])
    assert a.risks["level"].between(0, 1).all()
    assert list(a.risks["risk_id"]) == list(legal.RISK_IDS)


# ---------------------------------------------------------------- traceability and partial rows

def test_every_rules_cell_traces_to_authorities_with_urls():
    rules = legal.load_rules()
    authorities = legal.load_authorities()
    sources = pd.read_csv(DATA / "sources.csv", dtype=str).set_index("source_id")
    assert len(rules) == len(legal.REGIMES) * len(LEVERS)
    for _, row in rules.iterrows():
        ids = split_list(row["authority_ids"])
        assert ids
        for a in ids:
            url = authorities.loc[a, "url"]
            assert url.startswith("http")
            assert sources.loc["law-" + a.lower(), "url"] == url


def test_authorities_keep_research_ids_and_verified_flags():
    research = pd.read_csv(DATA / "sources.csv", dtype=str)
    authorities = legal.load_authorities()
    law_ids = sorted(s for s in research["source_id"] if s.startswith("law-"))
    assert sorted("law-" + a.lower() for a in authorities.index) == law_ids
    assert set(authorities["verified"]) == {"yes", "partial"}
    assert authorities["year"].min() == 1987 and authorities["year"].max() == 2026


def test_partial_authorities_are_shown_as_partial():
    authorities = legal.load_authorities()
    partial = set(authorities.index[authorities["verified"] == "partial"])
    for regime in legal.REGIMES:
        for code in OPTION_CODES:
            a = legal.assess(code, regime)
            for _, row in a.lever_status.iterrows():
                cited = set(split_list(row["authority_ids"]))
                assert set(split_list(row["partial_ids"])) == cited & partial
            assert set(a.partial_levers) == set(a.lever_status.loc[a.lever_status["partial_ids"] != "", "lever_id"])
    assert set(legal.unsettled()["authority_id"]) == partial


def test_settled_statuses_rest_on_a_verified_authority():
    authorities = legal.load_authorities()
    for _, row in legal.load_rules().iterrows():
        if row["status"] in ("required", "prohibited"):
            assert any(authorities.loc[a, "verified"] == "yes" for a in split_list(row["authority_ids"]))


# ---------------------------------------------------------------- bad rules tables are rejected on load

def test_rules_file_with_required_and_prohibited_conflict_is_rejected_naming_rows(tmp_path):
    df = raw_rules()
    i = df.index[(df["regime"] == "neutral") & (df["lever_id"] == "hold")][0]
    extra = df.loc[[i]].copy()
    extra["status"] = "prohibited"
    extra["conditional_ok"] = "false"
    first = df.loc[[i]].copy()
    first["status"] = "required"
    first["conditional_ok"] = "false"
    bad = pd.concat([df.drop(index=i), first, extra], ignore_index=True)
    path = write_rules(bad, tmp_path)
    with pytest.raises(InputError) as exc:
        legal.load_rules(path)
    msg = str(exc.value)
    assert "both required" in msg and "prohibited" in msg and "'hold'" in msg and "'neutral'" in msg
    assert f"data row {len(bad) - 1}" in msg and exc.value.row == len(bad)


def test_rules_file_with_a_repeated_row_is_rejected(tmp_path):
    df = raw_rules()
    bad = pd.concat([df, df.iloc[[5]]], ignore_index=True)
    with pytest.raises(InputError, match="repeats data row 6"):
        legal.load_rules(write_rules(bad, tmp_path))


def test_rules_file_citing_an_unknown_authority_is_rejected_naming_the_row(tmp_path):
    df = raw_rules()
    df.loc[3, "authority_ids"] = "ST-12; ST-99"
    df.loc[3, "source_ids"] = "law-st-12; law-st-99"
    with pytest.raises(InputError) as exc:
        legal.load_rules(write_rules(df, tmp_path))
    assert "ST-99" in str(exc.value) and exc.value.row == 4 and exc.value.field == "authority_ids"


def test_rules_file_with_mismatched_source_ids_is_rejected(tmp_path):
    df = raw_rules()
    df.loc[0, "source_ids"] = "law-st-12"
    with pytest.raises(InputError, match="source_ids do not match"):
        legal.load_rules(write_rules(df, tmp_path))


def test_rules_file_missing_a_lever_is_rejected(tmp_path):
    df = raw_rules()
    df = df[~((df["regime"] == "limits_cooperation") & (df["lever_id"] == "reporting"))]
    with pytest.raises(InputError, match="'limits_cooperation' has no row for lever 'reporting'"):
        legal.load_rules(write_rules(df, tmp_path))


def test_rules_file_with_unknown_status_or_lever_is_rejected(tmp_path):
    df = raw_rules()
    df.loc[2, "status"] = "encouraged"
    with pytest.raises(InputError, match="status"):
        legal.load_rules(write_rules(df, tmp_path))
    df = raw_rules()
    df.loc[2, "lever_id"] = "curfew"
    with pytest.raises(InputError, match="curfew"):
        legal.load_rules(write_rules(df, tmp_path, "b.csv"))


def test_settled_status_on_partial_authorities_only_is_rejected(tmp_path):
    df = raw_rules()
    i = df.index[(df["regime"] == "neutral") & (df["lever_id"] == "data_sharing")][0]
    df.loc[i, ["status", "conditional_ok", "authority_ids", "source_ids"]] = \
        ["prohibited", "false", "FED-02; ST-07", "law-fed-02; law-st-07"]
    with pytest.raises(InputError, match="only on partial authorities"):
        legal.load_rules(write_rules(df, tmp_path))


def test_contested_row_needs_its_settings_and_permitted_row_takes_no_conditional(tmp_path):
    df = raw_rules()
    i = df.index[df["status"] == "contested"][0]
    df.loc[i, "contested_settings"] = ""
    with pytest.raises(InputError, match="must list the settings"):
        legal.load_rules(write_rules(df, tmp_path))
    df = raw_rules()
    i = df.index[df["status"] == "permitted"][0]
    df.loc[i, "conditional_ok"] = "true"
    with pytest.raises(InputError, match="takes no conditional_ok"):
        legal.load_rules(write_rules(df, tmp_path, "c.csv"))
    df = raw_rules()
    i = df.index[df["status"] == "required"][0]
    df.loc[i, "conditional_ok"] = ""
    with pytest.raises(InputError, match="conditional setting"):
        legal.load_rules(write_rules(df, tmp_path, "d.csv"))


def test_bad_rules_file_leaves_data_untouched(tmp_path):
    before = (DATA / "legal_rules.csv").read_bytes()
    df = raw_rules()
    df.loc[0, "authority_ids"] = "NOPE-01"
    with pytest.raises(InputError):
        legal.load_rules(write_rules(df, tmp_path))
    assert (DATA / "legal_rules.csv").read_bytes() == before


def test_custom_rules_change_the_verdicts(tmp_path):
    """A hand-made reading: make release notice required in the neutral regime."""
    df = raw_rules()
    i = df.index[(df["regime"] == "neutral") & (df["lever_id"] == "notify")][0]
    df.loc[i, ["status", "conditional_ok"]] = ["required", "false"]
    rules = legal.load_rules(write_rules(df, tmp_path))
    # notify settings: TFM..FULL Y, COND C, NOTIFY Y, STRICT N -> COND and STRICT break the rule
    assert legal.feasible_options("neutral", rules=rules) == ["TFM", "JEM", "WSO", "FULL", "NOTIFY"]
    assert legal.compliance_matrix(rules=rules).loc["STRICT", "neutral"] == "infeasible"


# ---------------------------------------------------------------- risks

def test_risk_scores_shape_range_and_order():
    for regime in legal.REGIMES:
        scores = legal.risk_scores(regime)
        assert list(scores.index) == list(OPTION_CODES)
        assert list(scores.columns) == ["fourth_amendment_liability", "funding_designation_exposure",
                                        "state_sanction_exposure"]
        assert ((scores >= 0) & (scores <= 1)).all().all()


def test_risk_levels_hand_worked_from_the_risk_table():
    pts = pd.read_csv(DATA / "legal_risks.csv").set_index(["risk_id", "lever_id", "setting"])["points"]
    fa = "fourth_amendment_liability"
    full = legal.risk_scores("neutral").loc["FULL"]
    # FULL: hold Y + transfer Y, no judicial warrant, no field operations
    assert full[fa] == pytest.approx(min(1, pts[(fa, "hold", "Y")] + pts[(fa, "transfer", "Y")]))
    cond = legal.risk_scores("neutral").loc["COND"]
    # COND: hold C + transfer C, scaled by the judicial-warrant safeguard
    expected = (pts[(fa, "hold", "C")] + pts[(fa, "transfer", "C")]) * pts[(fa, "judicial_warrant", "Y")]
    assert cond[fa] == pytest.approx(expected, abs=1e-3)
    assert legal.risk_scores("neutral").loc["STRICT", fa] == 0


def test_holds_raise_liability_and_refusals_raise_funding_exposure():
    base = legal.lever_settings("NOTIFY")
    with_hold = legal.assess({**base, "hold": "Y"}, "neutral").risks.set_index("risk_id")["level"]
    without = legal.assess(base, "neutral").risks.set_index("risk_id")["level"]
    assert with_hold["fourth_amendment_liability"] > without["fourth_amendment_liability"]
    assert with_hold["funding_designation_exposure"] < without["funding_designation_exposure"]


def test_state_sanctions_follow_breaches_of_state_law():
    pts = pd.read_csv(DATA / "legal_risks.csv")
    per_breach = pts[(pts["risk_id"] == "state_sanction_exposure") & (pts["regime"] == "requires_cooperation")
                     & (pts["setting"] == "violates")]["points"].iloc[0]
    for regime in legal.REGIMES:
        scores = legal.risk_scores(regime)["state_sanction_exposure"]
        for code in OPTION_CODES:
            a = legal.assess(code, regime)
            if regime == "neutral" or a.verdict == "feasible":
                assert scores[code] == 0
            else:
                assert scores[code] > 0
    full = legal.assess("FULL", "requires_cooperation")
    assert len(full.blocking_levers) == 1
    assert legal.risk_scores("requires_cooperation").loc["FULL", "state_sanction_exposure"] == pytest.approx(
        per_breach)


def test_every_risk_cell_cites_existing_authorities():
    known = set(legal.load_authorities().index)
    for regime in legal.REGIMES:
        details = legal.risk_details(regime)
        assert len(details) == len(OPTION_CODES) * len(legal.RISK_IDS)
        for _, row in details.iterrows():
            ids = split_list(row["authority_ids"])
            assert ids and set(ids) <= known
            assert row["explanation"].strip()


def test_bad_risk_rules_file_is_rejected(tmp_path):
    df = pd.read_csv(DATA / "legal_risks.csv", dtype=str, keep_default_na=False)
    df.loc[0, "lever_id"] = "any"
    path = tmp_path / "legal_risks.csv"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match="lever 'any'"):
        legal.load_risk_rules(path)


# ---------------------------------------------------------------- reading tables

def test_notice_states_not_legal_advice_and_as_of_date():
    text = legal.notice()
    assert "Legal information for teaching, not legal advice" in text
    day = pd.Timestamp(legal.as_of())
    assert f"{day.day} {day:%B %Y}" in text


def test_changes_in_2025_are_all_2025_and_in_date_order():
    ch = legal.changes_in(2025)
    auth = legal.load_authorities()
    assert set(ch["authority_id"]) == set(auth.index[auth["year"] == 2025])
    dated = ch["date"].dropna().tolist()
    assert dated == sorted(dated) and all(d.startswith("2025") for d in dated)
    st13 = ch.set_index("authority_id").loc["ST-13", "rules_cells"]
    assert "requires_cooperation/agreement_287g" in st13


def test_timeline_bounds_and_order():
    tl = legal.timeline(1987, 2026)
    assert tl["year"].is_monotonic_increasing
    assert len(tl) == len(legal.load_authorities())
    assert legal.timeline(2000, 2010)["year"].between(2000, 2010).all()


def test_rules_matrix_and_cell_authorities():
    m = legal.rules_matrix()
    assert m.shape == (len(LEVERS), 3) and set(m.to_numpy().ravel()) <= set(legal.STATUSES)
    cell = legal.cell_authorities("requires_cooperation", "hold")
    assert "ST-12" in set(cell["authority_id"]) and cell["url"].str.startswith("http").all()
    with pytest.raises(InputError, match="hold"):
        legal.cell_authorities("neutral", "holds")


def test_source_ids_maps_authorities_to_sources():
    assert legal.source_ids("FED-09; CASE-04") == ["law-fed-09", "law-case-04"]
    with pytest.raises(InputError):
        legal.source_ids(["FED-99"])


# ---------------------------------------------------------------- drawing

def _contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        c = [int(h.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted([lum(a), lum(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_matrix_cell_text_is_readable():
    for verdict in legal.VERDICTS:
        assert _contrast(legal.VERDICT_COLORS[verdict], legal.VERDICT_TEXT[verdict]) >= 4.5


def test_drawings_write_every_verdict_and_flag_all_zero_risks():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers import plots

    matrix = legal.compliance_matrix()
    fig, ax = plt.subplots()
    plots.plot_compliance_matrix(matrix, ax)
    texts = [t.get_text() for t in ax.texts]
    assert sorted(texts) == sorted(matrix.to_numpy().ravel().tolist())
    plt.close(fig)
    fig, ax = plt.subplots()
    plots.plot_risks(legal.risk_scores("neutral"), ax, plots.OPTION_COLORS)
    assert [t.get_text() for t in ax.texts] == ["0 for every option"]
    assert len(ax.patches) == len(OPTION_CODES) * len(legal.RISK_IDS)
    plt.close(fig)
    fig, ax = plt.subplots()
    plots.plot_timeline(legal.timeline(), ax, seed=1)
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(legal.load_authorities())
    plt.close(fig)


def test_every_compliance_cell_traces_to_authorities_with_urls():
    table = legal.blocking_table()
    authorities = legal.load_authorities()
    assert len(table) == len(OPTION_CODES) * len(legal.REGIMES)
    for _, row in table.iterrows():
        basis = split_list(row["rule_authority_ids"])
        assert basis and all(authorities.loc[a, "url"].startswith("http") for a in basis)
        assert set(split_list(row["authority_ids"])) <= set(basis)
        assert (row["blocking_levers"] != "") == (row["verdict"] == "infeasible")


def test_rules_matrix_marks_cells_citing_partial_authorities():
    plain, marked = legal.rules_matrix(), legal.rules_matrix(mark_partial=True)
    rules = legal.load_rules()
    partial = set(legal.unsettled()["authority_id"])
    names = load_levers()["name"]
    for _, r in rules.iterrows():
        cell = marked.loc[names[r["lever_id"]], r["regime"]]
        has_partial = bool(set(split_list(r["authority_ids"])) & partial)
        assert cell == plain.loc[names[r["lever_id"]], r["regime"]] + (" *" if has_partial else "")


def test_readable_names_a_home_regime_column_and_the_compliance_matrix_axes():
    out = legal.readable(pd.DataFrame({"home_regime": ["requires_cooperation", "neutral"]}))
    assert list(out["home regime"]) == ["State requires cooperation", "No state mandate"]
    matrix = legal.readable(legal.compliance_matrix())
    assert list(matrix.columns) == [legal.REGIME_SHORT[r] for r in legal.compliance_matrix().columns]
    assert all(i.endswith(f"({code})") for i, code in zip(matrix.index, OPTION_CODES))
    with pytest.raises(InputError, match="sanctuary"):
        legal.readable(pd.DataFrame({"home_regime": ["sanctuary"]}))


# ---------------------------------------------------------------- inputs an analyst passes

def test_rule_tables_given_by_hand_are_checked():
    rules, risks = legal.load_rules(), legal.load_risk_rules()
    gap = rules[~((rules["regime"] == "neutral") & (rules["lever_id"] == rules["lever_id"].iloc[0]))]
    for call in (lambda: legal.compliance_matrix(gap), lambda: legal.feasible_options("neutral", gap),
                 lambda: legal.assess("FULL", "neutral", rules=gap)):
        with pytest.raises(InputError, match="has no row for lever"):
            call()
    with pytest.raises(InputError, match="points must be a number"):
        legal.assess("FULL", "neutral", risk_rules=risks.assign(points="high"))
    with pytest.raises(InputError, match="column is missing"):
        legal.assess("FULL", "neutral", risk_rules=risks.drop(columns="points"))
    # the tables as loaded still give the same answers through the checked path
    assert legal.compliance_matrix(rules).equals(legal.compliance_matrix())


def test_more_arguments_of_the_wrong_type(perf):
    with pytest.raises(InputError, match="field 'start'"):
        legal.timeline("2000")
    with pytest.raises(InputError, match="field 'start'"):
        legal.changes_in("2025")
    with pytest.raises(InputError, match="series_ids"):
        evidence.context_series(None)
    with pytest.raises(InputError, match="field 'top'"):
        decision.gap_tornado(perf, "police_chief", 20, 1, top=-1)
