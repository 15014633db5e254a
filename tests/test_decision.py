"""Decision analysis on the project's data: criteria, profiles, weights, performance, and bad input.

The legal layer is passed in explicitly where a test needs a particular legal reading (``risk``,
``feasible``, ``status``), so each behaviour is checked on a table whose answer is known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import decision, mcda
from helpers.errors import InputError
from helpers.options import OPTION_CODES

CRITERIA = ["public_safety", "community_trust", "legal_risk", "fiscal_cost", "civil_liberties",
            "federal_relations", "removals_serious"]
MODEL_OUTCOMES = {"victimizations": "public_safety", "reporting_rate_immigrant_victims": "community_trust",
                  "net_cost_usd": "fiscal_cost", "detentions_without_judicial_warrant": "civil_liberties",
                  "removals_serious_conviction": "removals_serious"}


# ---------------------------------------------------------------------------------------------- fixtures
def tidy_results(values: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """values[outcome][option] = list of per-draw values -> tidy draw, option, outcome, value."""
    rows = []
    for outcome, by_option in values.items():
        for option, vals in by_option.items():
            for d, v in enumerate(vals):
                rows.append({"draw": d, "option": option, "outcome": outcome, "value": float(v)})
    return pd.DataFrame(rows)


@pytest.fixture
def small_case():
    """Three options, two draws, every model outcome the criteria need, and a legal reading."""
    opts = ["FULL", "COND", "STRICT"]
    vals = {
        "victimizations": {"FULL": [100, 110], "COND": [95, 105], "STRICT": [90, 100]},
        "reporting_rate_immigrant_victims": {"FULL": [0.30, 0.32], "COND": [0.35, 0.37], "STRICT": [0.40, 0.42]},
        "net_cost_usd": {"FULL": [5e5, 6e5], "COND": [2e5, 2e5], "STRICT": [0, 0]},
        "detentions_without_judicial_warrant": {"FULL": [50, 60], "COND": [0, 0], "STRICT": [0, 0]},
        "removals_serious_conviction": {"FULL": [10, 12], "COND": [9, 11], "STRICT": [8, 10]},
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
    assert crit.loc["removals_serious", "direction"] == "higher_is_better"
    assert crit.loc["civil_liberties", "fields"] == "detentions_without_judicial_warrant"
    assert set(crit.loc[crit["layer"] == "legal", "criterion_id"]) == {"legal_risk", "federal_relations"}
    assert set(crit["group"]) == set(decision.GROUPS)


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
    assert w["community_trust"] == pytest.approx(w["civil_liberties"])
    allw = decision.all_profile_weights()
    assert np.allclose(allw.sum(axis=1), 1.0)
    assert (allw.to_numpy() > 0).all()


# ---------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("weights, match", [
    ({**dict.fromkeys(CRITERIA, 1.0), "public_safety": -0.2}, r"profile 'mine'.*public_safety.*negative"),
    (dict.fromkeys(CRITERIA, 0.0), r"profile 'mine' gives every criterion zero weight"),
    ({**dict.fromkeys(CRITERIA, 1.0), "happiness": 1.0}, r"profile 'mine' names unknown criterion 'happiness'"),
    ({c: 1.0 for c in CRITERIA[:-1]}, r"profile 'mine' has no weight for criterion 'removals_serious'"),
    ({**dict.fromkeys(CRITERIA, 1.0), "fiscal_cost": float("nan")}, r"profile 'mine'.*fiscal_cost"),
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
    ("police_chief", "ranking", "public_safety > community_trust > legal_risk > fiscal_cost > removals_serious"
     " > civil_liberties", r"profile 'police_chief' is missing criterion 'federal_relations'"),
    ("police_chief", "ranking", "public_safety > communty_trust > legal_risk > fiscal_cost > removals_serious"
     " > civil_liberties > federal_relations", r"unknown criterion 'communty_trust'.*community_trust"),
    ("police_chief", "ranking", "public_safety > public_safety > community_trust > legal_risk > fiscal_cost"
     " > removals_serious > civil_liberties > federal_relations", r"ranks criterion 'public_safety' twice"),
    ("city_attorney", "swing_points", "legal_risk: 100; federal_relations: 80; civil_liberties: 70; "
     "fiscal_cost: 40; public_safety: 35; community_trust: 30", r"'city_attorney'.*'removals_serious'"),
    ("city_attorney", "swing_points", "legal_risk: 100; federal_relations: -80; civil_liberties: 70; "
     "fiscal_cost: 40; public_safety: 35; community_trust: 30; removals_serious: 10",
     r"'city_attorney'.*'federal_relations'"),
    ("city_attorney", "swing_points", "legal_risk: 10; federal_relations: 80; civil_liberties: 70; "
     "fiscal_cost: 40; public_safety: 35; community_trust: 30; removals_serious: 5",
     r"'city_attorney'.*do not fall along the ranking"),
    ("police_chief", "swing_points", "legal_risk: 100", r"'police_chief' uses rank_order_centroid"),
])
def test_bad_profiles_file_names_profile_and_criterion(table_copy, profile, column, value, match):
    path = _edit_profiles(table_copy, profile, column, value)
    with pytest.raises(InputError, match=match):
        decision.load_profiles(path=path)


def test_unknown_profile_id_lists_known_ones():
    with pytest.raises(InputError, match="police_chief"):
        decision.profile_weights("mayor")


# ---------------------------------------------------------------------------------------------- performance
def test_performance_drops_infeasible_options_visibly(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "requires_cooperation", risk=risk, feasible=["FULL", "COND"],
                                status={"FULL": "feasible", "COND": "contested", "STRICT": "infeasible"})
    assert perf.dropped == ["STRICT"] and perf.contested == ["COND"]
    assert perf.options == ["FULL", "COND"]
    assert "STRICT" in perf.dropped_note() and "COND" in perf.dropped_note()
    assert perf.matrix().shape == (2, 2, 7)
    # legal_risk is the larger of the two legal columns; federal_relations is the funding column.
    assert perf.table.loc[(0, "COND"), "legal_risk"] == pytest.approx(0.6)
    assert perf.table.loc[(1, "FULL"), "federal_relations"] == pytest.approx(0.0)
    assert perf.table.loc[(1, "FULL"), "public_safety"] == pytest.approx(110)


def test_performance_reports_missing_outcome_and_no_feasible_option(small_case):
    results, risk, opts = small_case
    with pytest.raises(InputError, match="victimizations.*public_safety"):
        decision.performance(results[results["outcome"] != "victimizations"], "neutral", risk=risk,
                             feasible=opts, status={})
    with pytest.raises(InputError, match="no option in the results is feasible"):
        decision.performance(results, "neutral", risk=risk, feasible=["TFM"], status={})
    with pytest.raises(InputError, match="state_sanction_exposure"):
        decision.performance(results, "neutral", risk=risk.drop(columns="state_sanction_exposure"),
                             feasible=opts, status={})


def test_scores_rank_a_dominant_option_first_by_both_methods(small_case):
    results, risk, opts = small_case
    # Make STRICT strictly better than the others on every criterion.
    risk = risk.assign(funding_designation_exposure=[0.2, 0.1, 0.0], state_sanction_exposure=[0.0, 0.0, 0.0])
    better = results.copy()
    mask = (better["option"] == "STRICT") & (better["outcome"] == "removals_serious_conviction")
    better.loc[mask, "value"] = 20.0
    mask = (better["option"] == "COND") & (better["outcome"] == "detentions_without_judicial_warrant")
    better.loc[mask, "value"] = 1.0
    perf = decision.performance(better, "neutral", risk=risk, feasible=opts, status={})
    comp = decision.compare_methods(perf)
    assert (comp["weighted_sum_first"] == "STRICT").all() and (comp["topsis_first"] == "STRICT").all()
    acc = decision.acceptability(perf, "police_chief", seed=1)
    assert acc.loc["STRICT", "1st"] == 1.0
    flips = decision.flip_table(perf)
    assert flips["challenger"].isna().all()  # a dominant option never loses, whatever the weights


def test_weighted_sum_scores_match_hand_computation(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
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


def test_acceptability_is_deterministic_and_sums_to_one(small_case):
    results, risk, opts = small_case
    perf = decision.performance(results, "neutral", risk=risk, feasible=opts, status={})
    a = decision.acceptability(perf, "budget_office", seed=5)
    b = decision.acceptability(perf, "budget_office", seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert np.allclose(a.sum(axis=0), 1) and np.allclose(a.sum(axis=1), 1)


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
        expected_risk = legal.risk_scores(regime).loc[feasible, ["fourth_amendment_liability",
                                                                 "state_sanction_exposure"]].max(axis=1)
        got = perf.table.xs(0, level="draw")["legal_risk"]
        assert np.allclose(got.to_numpy(), expected_risk.to_numpy())
    overview = decision.regime_overview(results)
    for pid, row in overview.iterrows():
        assert row["top_under_home_regime"] in legal.feasible_options(row["home_regime"])
    with pytest.raises(InputError, match="neutral"):
        decision.performance(results, "sanctuary")


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
