"""Decision analysis on the project's data: criteria, profiles, weights, performance, and bad input.

The legal layer is passed in explicitly where a test needs a particular legal reading (``risk``,
``feasible``, ``status``), so each behaviour is checked on a table whose answer is known. The project's
criteria are all model outcomes; criteria read from the legal layer are still supported, and are checked
here on a criteria table extended by hand (:func:`legal_criteria`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import decision, mcda, model, robustness
from helpers.errors import InputError
from helpers.options import OPTION_CODES


CRITERIA = ["public_safety", "civil_liberties", "federal_cooperation", "removals_convicted",
            "removals_never_convicted", "fiscal_exposure", "local_control"]
MODEL_OUTCOMES = {"victimizations": "public_safety", "detentions_without_judicial_warrant": "civil_liberties",
                  "federal_requests_honoured": "federal_cooperation",
                  "removals_serious_conviction": "removals_convicted", "removals_other_conviction": "removals_convicted",
                  "removals_no_conviction": "removals_never_convicted", "net_cost_usd": "fiscal_exposure",
                  "deputized_officers": "local_control"}


# ---------------------------------------------------------------------------------------------- fixtures
def tidy_results(values: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """values[outcome][option] = list of per-draw values -> tidy draw, option, outcome, value."""
    rows = []
    for outcome, by_option in values.items():
        for option, vals in by_option.items():
            for d, v in enumerate(vals):
                rows.append({"draw": d, "option": option, "outcome": outcome, "value": float(v)})
    return pd.DataFrame(rows)


def legal_criteria() -> pd.DataFrame:
    """The project's criteria plus two legal-layer criteria (as the old table had): ``legal_risk``, the
    larger of two risk columns, and ``federal_relations``, one risk column."""
    crit = decision.load_criteria()
    base = crit.loc["civil_liberties"]
    extra = []
    for cid, fields, combine in (("legal_risk", "fourth_amendment_liability; state_sanction_exposure", "max"),
                                 ("federal_relations", "funding_designation_exposure", "single")):
        row = base.copy()
        row["criterion_id"], row["name"], row["layer"] = cid, cid.replace("_", " ").capitalize(), "legal"
        row["fields"], row["combine"], row["direction"] = fields, combine, "lower_is_better"
        row["group"], row["mirror_of"] = "shared_concerns", ""
        extra.append(row.rename(cid))
    return pd.concat([crit, pd.DataFrame(extra)])


@pytest.fixture
def small_case():
    """Three options, two draws, every model outcome the criteria need, and a legal reading."""
    opts = ["FULL", "COND", "STRICT"]
    vals = {
        "victimizations": {"FULL": [100, 110], "COND": [95, 105], "STRICT": [90, 100]},
        "detentions_without_judicial_warrant": {"FULL": [50, 60], "COND": [0, 0], "STRICT": [0, 0]},
        "federal_requests_honoured": {"FULL": [1, 1], "COND": [0.5, 0.5], "STRICT": [0, 0]},
        "removals_serious_conviction": {"FULL": [10, 12], "COND": [9, 11], "STRICT": [8, 10]},
        "removals_other_conviction": {"FULL": [20, 22], "COND": [10, 12], "STRICT": [6, 8]},
        "removals_no_conviction": {"FULL": [8, 10], "COND": [2, 2], "STRICT": [1, 1]},
        "net_cost_usd": {"FULL": [5e5, 6e5], "COND": [2e5, 2e5], "STRICT": [1e5, 2e5]},
        "deputized_officers": {"FULL": [0, 0], "COND": [0, 0], "STRICT": [0, 0]},
        "officer_hours": {"FULL": [1, 1], "COND": [1, 1], "STRICT": [1, 1]},  # unused outcome is ignored
    }
    risk = pd.DataFrame({"fourth_amendment_liability": [0.8, 0.2, 0.0],
                         "funding_designation_exposure": [0.0, 0.5, 1.0],
                         "state_sanction_exposure": [0.0, 0.6, 0.9]}, index=opts)
    return tidy_results(vals), risk, opts


# ---------------------------------------------------------------------------------------------- data
def test_criteria_cover_the_issue_list_with_directions_and_layers():
    crit = decision.load_criteria()
    assert list(crit.index) == CRITERIA
    assert set(crit["direction"]) <= set(decision.DIRECTIONS)
    assert crit.loc["removals_convicted", "direction"] == "higher_is_better"
    assert crit.loc["removals_never_convicted", "direction"] == "lower_is_better"
    assert crit.loc["federal_cooperation", "direction"] == "higher_is_better"
    assert crit.loc["civil_liberties", "fields"] == "detentions_without_judicial_warrant"
    assert crit.loc["fiscal_exposure", "fields"] == "net_cost_usd"
    assert crit.loc["removals_convicted", "combine"] == "sum"
    assert {f.strip() for f in crit.loc["removals_convicted", "fields"].split(";")} == {
        "removals_serious_conviction", "removals_other_conviction"}
    # every criterion is a model outcome now; the legal layer constrains which options are compared
    assert (crit["layer"] == "model").all()
    assert set(crit["group"]) == set(decision.GROUPS)
    # each outcome counts under one criterion only (no value counted twice)
    fields = [f.strip() for fs in crit["fields"] for f in fs.split(";")]
    assert len(fields) == len(set(fields))


def test_mirrors_name_each_other():
    crit = decision.load_criteria()
    mirrors = crit["mirror_of"].fillna("").astype(str).str.strip()
    assert mirrors["civil_liberties"] == "federal_cooperation"
    assert mirrors["removals_convicted"] == "removals_never_convicted"
    for cid, m in mirrors.items():
        if m:
            assert m in crit.index and mirrors[m] == cid, cid
            # a mirror is the same mechanism read from the other side: opposite groups
            assert crit.loc[cid, "group"] != crit.loc[m, "group"]


def test_model_criteria_name_real_model_outcomes():
    from helpers import model
    crit = decision.load_criteria()
    for _, row in crit[crit["layer"] == "model"].iterrows():
        for f in row["fields"].split(";"):
            assert f.strip() in model.OUTCOMES
            assert model.OUTCOMES[f.strip()][2] == row["direction"]


def test_profiles_are_fictional_illustrative_and_at_least_five():
    prof = decision.load_profiles()
    assert len(prof) >= 5
    assert (prof["provenance"] == "ILLUSTRATIVE").all()
    assert prof["who"].str.contains("fictional", case=False).all()


def test_rank_order_centroid_profile_gets_the_centroid_weights():
    w = decision.profile_weights("police_chief")
    ranking = decision.load_profiles().loc["police_chief", "ranking"].split(" > ")
    assert w[ranking].to_numpy() == pytest.approx(mcda.rank_order_centroid(7))


def test_swing_profile_weights_are_points_over_their_sum():
    row = decision.load_profiles().loc["city_attorney"]
    points = {p.split(":")[0].strip(): float(p.split(":")[1]) for p in row["swing_points"].split(";")}
    w = decision.profile_weights("city_attorney")
    total = sum(points.values())
    for c, p in points.items():
        assert w[c] == pytest.approx(p / total)


def test_tied_criteria_get_equal_weight_and_all_weights_sum_to_one():
    w = decision.profile_weights("full_cooperation")
    assert w["civil_liberties"] == pytest.approx(w["removals_never_convicted"])
    b = decision.profile_weights("budget_office")  # swing points 20 = 20 and 10 = 10
    assert b["federal_cooperation"] == pytest.approx(b["civil_liberties"]) == pytest.approx(20 / 230)
    assert b["removals_convicted"] == pytest.approx(b["removals_never_convicted"]) == pytest.approx(10 / 230)
    allw = decision.all_profile_weights()
    assert np.allclose(allw.sum(axis=1), 1.0)
    assert (allw.to_numpy() > 0).all()


# ---------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("weights, match", [
    ({**dict.fromkeys(CRITERIA, 1.0), "public_safety": -0.2}, r"profile 'mine'.*public_safety.*negative"),
    (dict.fromkeys(CRITERIA, 0.0), r"profile 'mine' gives every criterion zero weight"),
    ({**dict.fromkeys(CRITERIA, 1.0), "happiness": 1.0}, r"profile 'mine' names unknown criterion 'happiness'"),
    ({c: 1.0 for c in CRITERIA[:-1]}, r"profile 'mine' has no weight for criterion 'local_control'"),
    ({**dict.fromkeys(CRITERIA, 1.0), "fiscal_exposure": float("nan")}, r"profile 'mine'.*fiscal_exposure"),
    ({**dict.fromkeys(CRITERIA, 1.0), "community_trust": 1.0}, r"profile 'mine' names unknown criterion 'community_trust'"),
])
def test_bad_weights_name_profile_and_criterion(weights, match):
    with pytest.raises(InputError, match=match):
        decision.check_weights(weights, profile="mine")


def test_good_hand_weights_are_normalised():
    w = decision.check_weights({c: 2.0 for c in CRITERIA}, profile="mine")
    assert w.sum() == pytest.approx(1.0) and list(w.index) == CRITERIA


def _edit_profiles(table_copy, profile: str, column: str, value: str):
    path = table_copy("stakeholder_profiles")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[df["profile_id"] == profile, column] = value
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("profile, column, value, match", [
    ("police_chief", "ranking", "public_safety > fiscal_exposure > civil_liberties > local_control"
     " > federal_cooperation > removals_convicted",
     r"profile 'police_chief' is missing criterion 'removals_never_convicted'"),
    ("police_chief", "ranking", "public_safety > fiscal_exposre > civil_liberties > local_control"
     " > federal_cooperation > removals_convicted > removals_never_convicted",
     r"unknown criterion 'fiscal_exposre'.*fiscal_exposure"),
    ("police_chief", "ranking", "public_safety > community_trust > fiscal_exposure > civil_liberties"
     " > local_control > federal_cooperation > removals_convicted > removals_never_convicted",
     r"unknown criterion 'community_trust'"),
    ("police_chief", "ranking", "public_safety > public_safety > fiscal_exposure > civil_liberties"
     " > local_control > federal_cooperation > removals_convicted > removals_never_convicted",
     r"ranks criterion 'public_safety' twice"),
    ("city_attorney", "swing_points", "fiscal_exposure: 100; civil_liberties: 80; federal_cooperation: 70; "
     "public_safety: 50; local_control: 40; removals_convicted: 20", r"'city_attorney'.*'removals_never_convicted'"),
    ("city_attorney", "swing_points", "fiscal_exposure: 100; civil_liberties: -80; federal_cooperation: 70; "
     "public_safety: 50; local_control: 40; removals_convicted: 20; removals_never_convicted: 20",
     r"'city_attorney'.*'civil_liberties'"),
    ("city_attorney", "swing_points", "fiscal_exposure: 10; civil_liberties: 80; federal_cooperation: 70; "
     "public_safety: 50; local_control: 40; removals_convicted: 5; removals_never_convicted: 5",
     r"'city_attorney'.*do not fall along the ranking"),
    ("city_attorney", "swing_points", "fiscal_exposure: 100; civil_liberties: 80; federal_cooperation: 70; "
     "public_safety: 50; local_control: 40; removals_convicted: 20; removals_never_convicted: 10",
     r"'city_attorney' ties removals_convicted = removals_never_convicted.*different swing points"),
    ("police_chief", "swing_points", "fiscal_exposure: 100", r"'police_chief' uses rank_order_centroid"),
])
def test_bad_profiles_file_names_profile_and_criterion(table_copy, profile, column, value, match):
    path = _edit_profiles(table_copy, profile, column, value)
    with pytest.raises(InputError, match=match):
        decision.load_profiles(path=path)


def test_unknown_profile_id_lists_known_ones():
    with pytest.raises(InputError, match="police_chief"):
        decision.profile_weights("mayor")


# ------------------------------------------------------------------------------------- inputs an analyst passes
@pytest.mark.parametrize("column, value, needle", [
    ("direction", "higher is better", "did you mean 'higher_is_better'"),
    ("combine", "median", "allowed: single, max, mean, sum"),
    ("layer", "legl", "did you mean 'legal'"),
    ("group", "other", "allowed: enforcement_aims, rights_protections, shared_concerns"),
    ("group", "trust_and_rights", "criterion 'civil_liberties' has group 'trust_and_rights'"),
])
def test_a_criteria_table_given_by_hand_is_checked(results, column, value, needle):
    crit = decision.load_criteria()
    crit.loc[crit.index[1], column] = value
    with pytest.raises(InputError, match=needle):
        decision.performance(results, "neutral", criteria=crit)


def test_duplicate_criteria_and_single_with_two_fields_are_refused(results):
    crit = decision.load_criteria()
    with pytest.raises(InputError, match="appears twice"):
        decision.performance(results, "neutral", criteria=pd.concat([crit, crit.iloc[[0]]]))
    crit.loc[crit.index[0], ["combine", "fields"]] = ["single", "victimizations; reported_crimes"]
    with pytest.raises(InputError, match="combine is 'single'"):
        decision.performance(results, "neutral", criteria=crit)


def test_duplicate_result_rows_are_refused_not_resolved_by_order(results):
    extra = results.iloc[[5]].assign(value=-999.0)
    for table in (pd.concat([results, extra]), pd.concat([extra, results])):
        with pytest.raises(InputError, match="two rows for the same draw, option and outcome"):
            decision.performance(table, "neutral")


def test_lower_case_codes_and_empty_results(results, perf):
    lower = results.assign(option=results["option"].astype(str).str.lower())
    again = decision.performance(lower, "neutral")
    assert again.options == perf.options
    pd.testing.assert_frame_equal(again.table, perf.table)
    with pytest.raises(InputError, match="no rows"):
        decision.performance(results.iloc[:0], "neutral")


def test_sensitivity_reruns_the_model_for_the_results_city():
    city = model.make_city(name="Springfield (fictional)", population=90_000, foreign_born_share=0.3,
                           undocumented_share=0.1, community_share=0.2)
    perf = decision.performance(model.simulate(60, 7, city=city), "neutral")
    assert perf.city == city
    implicit = decision.gap_tornado(perf, "police_chief", 60, 7)
    explicit = decision.gap_tornado(perf, "police_chief", 60, 7, city=city)
    default = decision.gap_tornado(perf, "police_chief", 60, 7, city=model.default_city())
    assert implicit["base_output"].iloc[0] == pytest.approx(explicit["base_output"].iloc[0])
    assert implicit["base_output"].iloc[0] != pytest.approx(default["base_output"].iloc[0])


def test_weights_given_as_a_dict_work_everywhere(perf):
    w = {c: 1.0 for c in perf.table.columns}
    w["fiscal_exposure"] = 3.0
    acc = decision.acceptability(perf, w, seed=1)
    assert acc.sum(axis=0).round(9).eq(1.0).all()
    groups = decision.ranking_groups(w, criteria=perf.criteria)
    assert groups[0] == ["fiscal_exposure"] and len(groups) == 2
    metrics, choices = decision.robustness_table(perf, w)
    assert set(metrics.index) == set(perf.options) and len(choices)


@pytest.mark.parametrize("seed", [-1, 1.5, "1", None, True])
def test_seeds_must_be_whole_numbers(perf, seed):
    with pytest.raises(InputError, match="field 'seed'"):
        decision.acceptability(perf, "police_chief", seed)
    with pytest.raises(InputError, match="field 'seed'"):
        decision.acceptability_table(perf, seed)


def test_an_empty_profile_table_is_named(perf):
    empty = decision.load_profiles().iloc[:0]
    for call in (lambda: decision.compare_methods(perf, empty), lambda: decision.flip_table(perf, empty),
                 lambda: decision.acceptability_table(perf, 1, empty)):
        with pytest.raises(InputError, match="at least one row"):
            call()


def _swing_profile():
    table = decision.load_profiles()
    return table[table["elicitation"] == "swing"].iloc[0]


@pytest.mark.parametrize("edit, needle", [
    (lambda s: s.replace(s.split(";")[0].split(":")[1].strip(), "1e", 1), "points a number from 0 to 100"),
    (lambda s: s + "; " + s.split(";")[0].strip(), "swing points twice"),
    (lambda s: "; ".join(f"{p.split(':')[0].strip()}: 0" for p in s.split(";")), "zero swing points"),
])
def test_swing_point_mistakes_name_the_file_and_the_profile(table_copy, edit, needle):
    row = _swing_profile()
    path = _edit_profiles(table_copy, row["profile_id"], "swing_points", edit(row["swing_points"]))
    with pytest.raises(InputError, match=needle) as err:
        decision.load_profiles(path=path)
    assert str(path) in str(err.value) and row["profile_id"] in str(err.value)


# ---------------------------------------------------------------------------------------------- performance
def test_performance_drops_infeasible_options_visibly(small_case):
    results, risk, opts = small_case
    kw = dict(risk=risk, feasible=["FULL", "COND"],
              status={"FULL": "feasible", "COND": "contested", "STRICT": "infeasible"})
    perf = decision.performance(results, "requires_cooperation", **kw)
    assert perf.dropped == ["STRICT"] and perf.contested == ["COND"]
    assert perf.options == ["FULL", "COND"]
    assert "STRICT" in perf.dropped_note() and "COND" in perf.dropped_note()
    assert perf.matrix().shape == (2, 2, 7)
    assert list(perf.table.columns) == CRITERIA
    assert perf.table.loc[(1, "FULL"), "public_safety"] == pytest.approx(110)
    # removals_convicted adds the serious and other conviction categories: 9 + 10 and 12 + 22
    assert perf.table.loc[(0, "COND"), "removals_convicted"] == pytest.approx(19)
    assert perf.table.loc[(1, "FULL"), "removals_convicted"] == pytest.approx(34)
    assert perf.table.loc[(1, "FULL"), "federal_cooperation"] == pytest.approx(1.0)
    assert perf.table.loc[(0, "FULL"), "fiscal_exposure"] == pytest.approx(5e5)


def test_legal_layer_criteria_are_still_read_from_the_risk_table(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "requires_cooperation", criteria=legal_criteria(), risk=risk,
                                feasible=["FULL", "COND"], status={"COND": "contested"})
    assert perf.matrix().shape == (2, 2, 9)
    # legal_risk is the larger of the two legal columns; federal_relations is the funding column.
    assert perf.table.loc[(0, "COND"), "legal_risk"] == pytest.approx(0.6)
    assert perf.table.loc[(1, "FULL"), "legal_risk"] == pytest.approx(0.8)
    assert perf.table.loc[(1, "FULL"), "federal_relations"] == pytest.approx(0.0)
    assert perf.table.loc[(0, "COND"), "federal_relations"] == pytest.approx(0.5)


def test_performance_reports_missing_outcome_and_no_feasible_option(small_case):
    results, risk, opts = small_case
    with pytest.raises(InputError, match="victimizations.*public_safety"):
        decision.performance(results[results["outcome"] != "victimizations"], "neutral", risk=risk,
                             feasible=opts, status={})
    # one field of a summed criterion missing is enough to refuse
    with pytest.raises(InputError, match="removals_other_conviction.*removals_convicted"):
        decision.performance(results[results["outcome"] != "removals_other_conviction"], "neutral", risk=risk,
                             feasible=opts, status={})
    with pytest.raises(InputError, match="no option in the results is feasible"):
        decision.performance(results, "neutral", risk=risk, feasible=["TFM"], status={})
    with pytest.raises(InputError, match="scale.*swing, global"):
        decision.performance(results, "neutral", risk=risk, feasible=opts, status={}, scale="local")


def test_scores_rank_a_dominant_option_first_by_both_methods(small_case):
    results, risk, opts = small_case
    # Make STRICT strictly better than the others on every criterion, in every draw.
    better = results.copy()
    for option, outcome, value in [("STRICT", "removals_serious_conviction", 20.0),
                                   ("STRICT", "removals_other_conviction", 30.0),
                                   ("COND", "detentions_without_judicial_warrant", 1.0),
                                   ("STRICT", "federal_requests_honoured", 1.0),
                                   ("FULL", "federal_requests_honoured", 0.9),
                                   ("STRICT", "net_cost_usd", -1e4),
                                   ("FULL", "deputized_officers", 2.0),
                                   ("COND", "deputized_officers", 1.0)]:
        better.loc[(better["option"] == option) & (better["outcome"] == outcome), "value"] = value
    perf = decision.performance(better, "neutral", risk=risk, feasible=opts, status={})
    X = perf.matrix()
    sign = np.where(perf.benefit, 1.0, -1.0)
    i = perf.options.index("STRICT")
    others = [j for j in range(len(perf.options)) if j != i]
    assert ((X[:, [i], :] - X[:, others, :]) * sign > 0).all()  # the fixture really is dominant
    comp = decision.compare_methods(perf)
    assert (comp["weighted_sum_first"] == "STRICT").all() and (comp["topsis_first"] == "STRICT").all()
    acc = decision.acceptability(perf, "police_chief", seed=1)
    assert acc.loc["STRICT", "1st"] == 1.0
    flips = decision.flip_table(perf)
    assert flips["challenger"].isna().all()  # a dominant option never loses, whatever the weights


def test_weighted_sum_scores_match_hand_computation(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
    assert perf.scale == "swing"
    w = decision.profile_weights("police_chief")
    s = decision.draw_scores(perf, "police_chief")
    # Draw 0, STRICT, on the swing scale: 0 at the worst option mean, 1 at the best (worked by hand).
    # public_safety: means 105, 100, 95 (lower better); STRICT draw 0 has 90 -> (90-105)/(95-105) = 1.5
    # civil_liberties: means 55, 0, 0; STRICT 0 -> 1
    # federal_cooperation: means 1, 0.5, 0 (higher better); STRICT 0 -> 0
    # removals_convicted: sums 30/34, 19/23, 14/18 -> means 32, 21, 16; STRICT 14 -> (14-16)/(32-16) = -0.125
    # removals_never_convicted: means 9, 2, 1; STRICT 1 -> 1
    # fiscal_exposure: means 550k, 200k, 150k; STRICT 100k -> (100k-550k)/(150k-550k) = 1.125
    # local_control: no spread between the options -> 1 everywhere
    v = {"public_safety": 1.5, "civil_liberties": 1.0, "federal_cooperation": 0.0, "removals_convicted": -0.125,
         "removals_never_convicted": 1.0, "fiscal_exposure": 1.125, "local_control": 1.0}
    assert perf.values()[0, opts.index("STRICT"), :] == pytest.approx([v[c] for c in CRITERIA])
    assert s.loc[0, "STRICT"] == pytest.approx(sum(w[c] * v[c] for c in CRITERIA))
    # FULL in draw 1: 110 -> (110-105)/(95-105) = -0.5; 60 -> (60-55)/(0-55) = -1/11; 1 -> 1;
    # 34 -> (34-16)/16 = 1.125; 10 -> (10-9)/(1-9) = -0.125; 600k -> (600k-550k)/(-400k) = -0.125; 1
    v_full = {"public_safety": -0.5, "civil_liberties": -1 / 11, "federal_cooperation": 1.0,
              "removals_convicted": 1.125, "removals_never_convicted": -0.125, "fiscal_exposure": -0.125,
              "local_control": 1.0}
    assert s.loc[1, "FULL"] == pytest.approx(sum(w[c] * v_full[c] for c in CRITERIA))


def test_swing_scale_puts_the_best_option_mean_at_one_and_the_worst_at_zero(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
    values = decision.value_table(perf)
    for c in CRITERIA:
        if c == "local_control":  # no spread: cannot separate the options, scores 1 for all
            assert (values[c] == 1.0).all()
            continue
        assert values[c].max() == pytest.approx(1.0) and values[c].min() == pytest.approx(0.0)
    assert values.loc["STRICT", "public_safety"] == pytest.approx(1.0)
    assert values.loc["FULL", "public_safety"] == pytest.approx(0.0)
    assert values.loc["COND", "public_safety"] == pytest.approx(0.5)  # mean 100 between 105 and 95
    assert values.loc["COND", "removals_convicted"] == pytest.approx((21 - 16) / (32 - 16))
    worst, best = perf.ranges()
    assert worst[CRITERIA.index("fiscal_exposure")] == pytest.approx(5.5e5)
    assert best[CRITERIA.index("fiscal_exposure")] == pytest.approx(1.5e5)


def test_global_scale_is_still_available_and_uses_every_draw(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={}, scale="global")
    assert perf.scale == "global"
    w = decision.profile_weights("police_chief")
    s = decision.draw_scores(perf, "police_chief")
    # Draw 0, STRICT: value score per criterion against the range over both draws and all options.
    t = perf.table
    expected = 0.0
    for c in CRITERIA:
        col = t[c]
        hib = perf.criteria.loc[c, "direction"] == "higher_is_better"
        worst, best = (col.min(), col.max()) if hib else (col.max(), col.min())
        v = 1.0 if best == worst else (t.loc[(0, "STRICT"), c] - worst) / (best - worst)
        expected += w[c] * v
    assert s.loc[0, "STRICT"] == pytest.approx(expected)
    # on the global scale every value lies in 0..1; public_safety: 90 is the best of 90..110
    vals = perf.values()
    assert vals.min() >= 0.0 and vals.max() <= 1.0
    assert vals[0, opts.index("STRICT"), CRITERIA.index("public_safety")] == pytest.approx(1.0)
    assert vals[1, opts.index("COND"), CRITERIA.index("public_safety")] == pytest.approx((105 - 110) / (90 - 110))


def test_acceptability_is_deterministic_and_sums_to_one(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
    a = decision.acceptability(perf, "budget_office", seed=5)
    b = decision.acceptability(perf, "budget_office", seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert np.allclose(a.sum(axis=0), 1) and np.allclose(a.sum(axis=1), 1)
    for call in (lambda: decision.acceptability(perf, "budget_office", seed=5, method="median"),
                 lambda: decision.draw_scores(perf, "budget_office", method="median")):
        with pytest.raises(InputError, match="weighted_sum, topsis") as exc:
            call()
        assert exc.value.field == "method"


def test_cruxes_thresholds_really_flip_the_choice(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
    values = decision.value_table(perf)
    for pid in decision.load_profiles().index:
        th = decision.thresholds_table(perf, pid)
        w = decision.profile_weights(pid).reindex(values.columns)
        for cid, r in th.iterrows():
            t = r["flips_if_raised_to"]
            if pd.isna(t):
                assert r["new_top_if_raised"] == ""
                continue
            # Just above the threshold (others rescaled proportionally), the named option wins.
            t2 = min(1.0, t + 1e-6)
            new = w * (1 - t2) / (1 - w[cid])
            new[cid] = t2
            scores = values.to_numpy() @ new.to_numpy()
            assert values.index[int(np.argmax(scores))] == r["new_top_if_raised"]
    sentences = decision.cruxes(perf)
    assert sentences and all("(fictional)" in s for s in sentences)


def test_robustness_summary_flags_metric_dependence(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
    summary = decision.robustness_summary(perf)
    assert list(summary.columns[:4]) == ["expected value", "maximin", "minimax regret", "satisficing"]
    assert (summary["depends_on_metric"] == (summary.iloc[:, :4].nunique(axis=1) > 1)).all()


def test_robustness_all_metrics_keep_the_classic_columns(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
    classic = decision.robustness_summary(perf)
    full = decision.robustness_summary(perf, metrics="all")
    assert list(classic.columns) == ["expected value", "maximin", "minimax regret", "satisficing", "depends_on_metric"]
    assert len(full.columns) == 12 and full.columns[0] == "Laplace (mean)"
    assert (full["maximin"] == classic["maximin"]).all() and (full["Laplace (mean)"] == classic["expected value"]).all()
    metrics, choices = decision.robustness_table(perf, "police_chief", metrics="all", threshold=0.2)
    assert "0.2 of the best" in choices.set_index("metric").loc["Starr's domain", "rule"]
    p = decision.payoff(perf, "police_chief")
    assert metrics["starr_share"].tolist() == robustness.starr_domain(p, 0.2).tolist()
    assert metrics["max_relative_regret"].tolist() == robustness.max_relative_regret(p, 1.0).tolist()


def test_weight_map_corners_match_single_group_optimum(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
    m = decision.weight_map(perf, "police_chief", step=0.25)
    values = decision.value_table(perf)
    w = decision.profile_weights("police_chief").reindex(values.columns)
    groups = perf.criteria["group"].reindex(values.columns)
    for g in decision.GROUPS:
        inside = w.where(groups == g, 0.0)
        expected = values.index[int(np.argmin(mcda.rank(values.to_numpy() @ (inside / inside.sum()).to_numpy())))]
        corner = m[np.isclose(m[g], 1.0)]
        assert corner["winner"].iloc[0] == expected


def test_real_model_feeds_the_criteria():
    from helpers import model
    results = model.simulate(50, 3)
    risk = pd.DataFrame(0.5, index=list(OPTION_CODES), columns=["fourth_amendment_liability",
                                                                 "funding_designation_exposure",
                                                                 "state_sanction_exposure"])
    perf = decision.performance(results, "neutral", risk=risk, feasible=list(OPTION_CODES), status={})
    assert perf.matrix().shape == (50, 7, 7)
    tor = decision.gap_tornado(perf, "police_chief", draws=50, seed=3, top=3)
    assert len(tor) == 3 and (tor["swing"].diff().dropna() <= 1e-12).all()
    a, b = decision.leading_pair(perf, "police_chief")
    gap = decision.draw_scores(perf, "police_chief").mean()
    assert tor["base_output"].iloc[0] == pytest.approx(gap[a] - gap[b])


def test_performance_with_the_real_legal_layer_drops_what_it_marks_infeasible():
    from helpers import legal, model

    results = model.simulate(30, 4)
    for regime in legal.REGIMES:
        perf = decision.performance(results, regime)
        feasible = legal.feasible_options(regime)
        assert perf.options == feasible
        assert perf.dropped == [o for o in OPTION_CODES if o not in feasible]
        assert list(perf.risk.index) == feasible
        # a legal-layer criterion (given by hand) reads the regime's risk scores
        perf_l = decision.performance(results, regime, criteria=legal_criteria())
        expected_risk = legal.risk_scores(regime).loc[feasible, ["fourth_amendment_liability",
                                                                 "state_sanction_exposure"]].max(axis=1)
        got = perf_l.table.xs(0, level="draw")["legal_risk"]
        assert np.allclose(got.to_numpy(), expected_risk.to_numpy())
        # the model criteria do not depend on the legal reading
        pd.testing.assert_frame_equal(perf_l.table[CRITERIA], perf.table)
    overview = decision.regime_overview(results)
    assert list(overview.index) == list(decision.load_profiles().index)
    for pid, row in overview.iterrows():
        assert row["top_under_home_regime"] in legal.feasible_options(row["home_regime"])
        assert row["hypothetical_top_if_all_lawful"] in OPTION_CODES
        assert row["changed_by_law"] == (row["top_under_home_regime"] != row["hypothetical_top_if_all_lawful"])
        if row["home_regime"] == "neutral":
            assert not row["changed_by_law"] and row["left_out_at_home"] == "none"
    with pytest.raises(InputError, match="neutral"):
        decision.performance(results, "sanctuary")


def test_profile_acceptability_ranks_each_profile_only_among_options_its_law_allows():
    from helpers import legal, model

    results = model.simulate(60, 5)
    profiles = decision.load_profiles()
    acc = decision.profile_acceptability(results, seed=11)
    assert list(dict.fromkeys(acc["profile"])) == list(profiles.index)
    for pid, part in acc.groupby("profile", sort=False):
        home = profiles.loc[pid, "home_regime"]
        assert (part["regime"] == home).all()
        allowed = legal.feasible_options(home)
        assert list(part["option"]) == allowed  # never an option the home regime forbids, none missing
        assert part["first"].sum() == pytest.approx(1.0)
        assert ((part["first"] >= 0) & (part["first"] <= 1)).all()
        assert part["second"].sum() == pytest.approx(1.0 if len(allowed) > 1 else 0.0)
    # a regime that forbids options really removes them: the mandate sheriff's state leaves fewer
    home = profiles.loc["mandate_sheriff", "home_regime"]
    assert len(legal.feasible_options(home)) < len(OPTION_CODES)
    assert not set(acc.loc[acc["profile"] == "mandate_sheriff", "option"]) - set(legal.feasible_options(home))
    # same seed, same table; each profile matches acceptability() under its home regime with seed + i
    pd.testing.assert_frame_equal(acc, decision.profile_acceptability(results, seed=11))
    perfs = decision.home_performance(results)
    i = list(profiles.index).index("immigrant_rights")
    one = decision.acceptability(perfs[profiles.loc["immigrant_rights", "home_regime"]], "immigrant_rights", 11 + i)
    got = acc[acc["profile"] == "immigrant_rights"].set_index("option")["first"]
    assert np.allclose(got.to_numpy(), one["1st"].reindex(got.index).to_numpy())
    with pytest.raises(InputError, match="seed"):
        decision.profile_acceptability(results, seed=-1)


def test_gap_sobol_returns_indices_for_every_uncertain_parameter():
    from helpers import model

    results = model.simulate(40, 2)
    risk = pd.DataFrame(0.5, index=list(OPTION_CODES), columns=["fourth_amendment_liability",
                                                                 "funding_designation_exposure",
                                                                 "state_sanction_exposure"])
    perf = decision.performance(results, "neutral", risk=risk, feasible=list(OPTION_CODES), status={})
    sob = decision.gap_sobol(perf, "police_chief", n=32, seed=1)
    assert set(sob["parameter"]) == set(decision.uncertain_parameters().index)
    assert (sob["ST"].diff().dropna() <= 1e-12).all()
    with pytest.raises(InputError, match="power of 2"):
        decision.gap_sobol(perf, "police_chief", n=100, seed=1)


def test_gap_sobol_gives_each_parameter_its_monte_carlo_distribution(monkeypatch):
    from helpers import model

    seen = []

    def fake_gap_function(perf, profile, profiles, city):
        def gap(params):
            seen.append(params.copy())
            return params.sum(axis=1).to_numpy()
        return gap, ("A", "B")

    monkeypatch.setattr(decision, "_gap_function", fake_gap_function)
    decision.gap_sobol(None, "police_chief", n=512, seed=3)
    sample = pd.concat(seen)
    up = decision.uncertain_parameters()
    assert len(sample) == 512 * (len(up) + 2)
    for name, row in up.iterrows():
        x = sample[name]
        assert x.between(row["low"], row["high"]).all(), name
        lo, mode, hi = row["low"], row["mode"], row["high"]
        expected = {"uniform": (lo + hi) / 2, "triangular": (lo + mode + hi) / 3,
                    "pert": (lo + 4 * mode + hi) / 6}[row["distribution"]]
        assert x.mean() == pytest.approx(expected, abs=0.02 * (hi - lo)), name
    fixed = model.load_parameters().set_index("parameter")
    for name in set(fixed.index) - set(up.index):
        assert (sample[name] == fixed.at[name, "mode"]).all()


# ------------------------------------------------------------------ decision.readable: names, not ids
def test_every_profile_and_criterion_id_in_the_data_maps_to_its_name():
    import csv

    from helpers.paths import DATA

    for file, id_col in (("stakeholder_profiles.csv", "profile_id"), ("criteria.csv", "criterion_id")):
        with open(DATA / file, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert rows
        raw = pd.DataFrame({"x": range(len(rows))}, index=pd.Index([r[id_col] for r in rows], name=id_col))
        out = decision.readable(raw)
        assert list(out.index) == [r["name"] for r in rows]
        assert out.index.name == id_col.removesuffix("_id")
        # as values of a column, and as column labels, too
        column = id_col.removesuffix("_id")
        assert list(decision.readable(pd.DataFrame({column: [r[id_col] for r in rows]}))[column]) == \
            [r["name"] for r in rows]
        wide = decision.readable(pd.DataFrame([[1.0] * len(rows)], columns=pd.Index([r[id_col] for r in rows],
                                                                                    name=id_col)))
        assert list(wide.columns) == [r["name"] for r in rows]


def test_readable_profiles_table_uses_names_for_profiles_regimes_and_the_ranking():
    profiles = decision.load_profiles()
    out = decision.readable(profiles[["name", "home_regime", "ranking"]])
    assert "name" not in out.columns and out.index.name == "profile"
    assert out.loc["Sheriff in a mandate state", "home regime"] == "State requires cooperation"
    assert out.loc["Immigrant-rights coalition", "home regime"] == "State limits cooperation"
    # the stored ranking keeps its > and =, with criterion names in place of ids
    city = out.loc["City attorney", "ranking"]
    raw = profiles.loc["city_attorney", "ranking"]
    assert city.count(">") == raw.count(">") and city.count("=") == raw.count("=")
    assert city.endswith("Removals of people with convictions = Removals of people never convicted")
    assert not any(c in city for c in CRITERIA)


def test_readable_translates_text_that_starts_with_or_mentions_an_id():
    table = pd.DataFrame({"from": ["public_safety -0.005", None], "to": ["local_control +0.005", None],
                          "largest move": ["police_chief: JEM 36% -> 0%", ""],
                          "first choices that change": ["police_chief JEM->WSO, local_control_sheriff FULL->WSO", ""],
                          "measured": ["lowest 100% (police_chief: public_safety)", "highest 0.91 (local_control)"]})
    out = decision.readable(table)
    assert out.loc[0, "from"] == "Public safety -0.005" and pd.isna(out.loc[1, "from"])
    assert out.loc[0, "to"] == "Local control +0.005"
    assert out.loc[0, "largest move"] == "Police chief: JEM 36% -> 0%"
    assert out.loc[0, "first choices that change"] == "Police chief JEM->WSO, Sheriff who keeps local control FULL->WSO"
    # whole words only: local_control inside local_control_sheriff is not touched
    assert list(out["measured"]) == ["lowest 100% (Police chief: Public safety)", "highest 0.91 (Local control)"]


def test_readable_passes_regimes_and_options_to_the_legal_names():
    table = pd.DataFrame({"regime": ["neutral"], "top": ["JEM"]},
                         index=pd.Index(["police_chief"], name="profile"))
    out = decision.readable(table)
    assert out.loc["Police chief", "regime"] == "No state mandate"
    assert out.loc["Police chief", "top"] == "JEM"          # option codes inside cells stay as charts use them
    assert list(decision.readable(pd.DataFrame({"x": [1]}, index=pd.Index(["FULL"], name="option"))).index) == \
        ["Full detainer compliance (FULL)"]


@pytest.mark.parametrize("table, bad", [
    (pd.DataFrame({"profile": ["police_chief", "mayor"]}), "mayor"),
    (pd.DataFrame({"x": [1]}, index=pd.Index(["public_safty"], name="criterion")), "public_safty"),
    (pd.DataFrame({"ranking": ["public_safety > civil_liberty"]}), "civil_liberty"),
    (pd.DataFrame({"largest move": ["city_manager: JEM 10% -> 0%"]}), "city_manager"),
    (pd.DataFrame({"home_regime": ["sanctuary"]}), "sanctuary"),
])
def test_readable_refuses_an_unknown_id_and_names_it(table, bad):
    with pytest.raises(InputError, match=bad):
        decision.readable(table)


# --------------------------------------------- the committed outputs of notebook 07 show names, not ids
def _displayed_tables(notebook: str) -> list[str]:
    import json

    from helpers.paths import ROOT

    nb = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))
    return ["".join(out["data"]["text/html"]) for cell in nb["cells"] if cell["cell_type"] == "code"
            for out in cell.get("outputs", []) if "<table" in "".join(out.get("data", {}).get("text/html", ""))]


def test_notebook_07_tables_show_no_regime_profile_or_criterion_id():
    import re

    tables = _displayed_tables("07-stakeholders-and-trade-offs.ipynb")
    assert len(tables) >= 9
    ids = ["requires_cooperation", "limits_cooperation", *decision.load_profiles().index, *CRITERIA]
    for html in tables:
        found = [i for i in ids if re.search(rf"(?<![\w-]){i}(?![\w-])", html)]
        assert not found, found
    joined = "\n".join(tables)
    assert "Sheriff in a mandate state" in joined and "State requires cooperation" in joined
