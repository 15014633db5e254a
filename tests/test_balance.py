"""Balance as a tested property: the comparison must not favour a side by how it is built (helpers.balance)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from helpers import balance, decision, legal, mcda, model

SEED = balance.SEED


@pytest.fixture(scope="module")
def report():
    return balance.balance_report(draws=600, seed=SEED)


@pytest.fixture(scope="module")
def central():
    return model.simulate(600, SEED)


# ---------------------------------------------------------------------------------------------- standards
def test_every_standard_is_checked_and_passes(report):
    assert set(report.checks["standard"]) == set(balance.STANDARDS)
    failed = report.checks[~report.checks["passed"]]
    assert failed.empty, failed.to_string()
    assert report.passed


@pytest.mark.parametrize("table", ["split", "orderings"])
def test_first_places_are_split_between_the_families(report, table):
    shares = getattr(report, table)
    lo, hi = balance.SPLIT_RANGE
    limits = float(shares.loc["limits", "central"])
    assert lo <= limits <= hi
    assert shares.loc[["cooperation", "limits"], "central"].sum() == pytest.approx(1.0)
    # option rows sum to one as well, and every option row is a share
    options = shares.loc[[o for o in shares.index if o not in balance.FAMILIES]]
    assert options.sum().to_numpy() == pytest.approx(np.ones(len(balance.SCENARIOS)))


def test_each_sides_case_moves_first_places_towards_that_side(report):
    limits = report.split.loc["limits"]
    assert limits["limits case"] > limits["central"] > limits["cooperation case"]


def test_every_option_comes_first_somewhere_or_is_named(report):
    att = report.attainability
    assert list(att.index) == list(model.OPTION_CODES)
    for option, row in att.iterrows():
        assert row["comes first somewhere"] or row["beaten by"], option


def test_advocates_put_their_own_family_first(report):
    own = report.own_side
    assert set(own["advocates"]) == {"limits", "cooperation"}
    assert (own["own family first"] > balance.OWN_SIDE_MIN).all()
    assert own["own family first"].max() - own["own family first"].min() <= balance.OWN_SIDE_GAP


def test_lean_counts_and_sum(report):
    lean = report.lean
    assert set(lean.index) == set(decision.load_criteria().index)
    counts = lean["leans to"].value_counts()
    assert abs(counts.get("cooperation", 0) - counts.get("limits", 0)) <= balance.LEAN_COUNT_GAP
    assert abs(lean["lean"].sum()) <= balance.LEAN_SUM_MAX
    # the lean is the difference of the family means
    assert (lean["cooperation"] - lean["limits"]).to_numpy() == pytest.approx(lean["lean"].to_numpy())


def test_no_criterion_pair_is_redundant(report):
    corr = report.correlations.to_numpy()
    off = corr[~np.eye(len(corr), dtype=bool)]
    assert off.max() <= balance.CORRELATION_MAX


def test_top_criteria_keep_their_weight_on_the_swing_scale(report):
    assert (report.weights["kept"] >= balance.WEIGHT_KEPT_MIN).all()


def test_the_weight_standard_can_fail_on_the_global_scale(central):
    """The old scale is kept as a sensitivity check: on it, a shared national uncertainty shrinks public
    safety's scale, so the police chief's top criterion loses most of its weight."""
    perf = decision.performance(central, "neutral", scale="global")
    kept = balance.kept_weights(perf)
    assert kept.loc["police_chief", "top criterion"] == "public_safety"
    assert kept.loc["police_chief", "kept"] < balance.WEIGHT_KEPT_MIN


def test_contested_choices_are_each_flipped(report):
    flips = report.contested
    assert list(flips.index) == list(balance.CONTESTED)
    assert flips["decisive"].dtype == bool
    assert ((flips["limits share of first places"] >= 0) & (flips["limits share of first places"] <= 1)).all()
    assert (flips.loc[flips["decisive"], "largest move (points)"] > 100 * balance.DECISIVE_POINTS).all()


# ---------------------------------------------------------------------------------------------- pieces
def test_ordering_weights_cover_every_ordering_with_centroid_weights():
    w = balance.ordering_weights(3)
    assert w.shape == (6, 3)
    roc = mcda.rank_order_centroid(3)
    assert {tuple(np.round(r, 12)) for r in w} == {tuple(np.round(p, 12)) for p in itertools.permutations(roc)}
    assert w.sum(axis=1) == pytest.approx(np.ones(6))
    assert balance.ordering_weights(7).shape == (5040, 7)


def test_random_weights_lie_on_the_simplex():
    w = balance.random_weights(4, 1000, seed=1)
    assert w.shape == (1000, 4) and (w >= 0).all() and w.sum(axis=1) == pytest.approx(np.ones(1000))
    assert w.mean(axis=0) == pytest.approx(np.full(4, 0.25), abs=0.02)


def test_best_margin_on_a_hand_worked_table():
    # two specialists and a compromise that is never first: at equal weights it scores 0.4 against 0.5
    values = np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])
    m0, w0 = balance.best_margin(values, 0)
    assert m0 == pytest.approx(0.6)          # all weight on the first criterion: 1 - 0.4
    assert w0 == pytest.approx([1.0, 0.0])
    m2, _ = balance.best_margin(values, 2)
    assert m2 == pytest.approx(-0.1)         # the best it can do is trail by 0.1 at equal weights
    # a compromise above the line 0.5 wins in the middle
    m2b, w2b = balance.best_margin(np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]]), 2)
    assert m2b == pytest.approx(0.1) and w2b == pytest.approx([0.5, 0.5])


def test_dominators_name_options_better_everywhere():
    values = pd.DataFrame([[0.9, 0.8], [0.5, 0.5], [0.5, 0.6], [1.0, 0.0]], index=["A", "B", "C", "D"])
    assert balance.dominators(values, "B") == ["A", "C"]
    assert balance.dominators(values, "A") == []
    assert balance.dominators(values, "D") == []


def test_mechanism_check_flags_a_channel_counted_twice():
    crit = decision.load_criteria()
    assert balance.mechanism_table(crit)["declared"].all()
    twice = crit.copy()
    twice.loc["civil_liberties", "mechanisms"] = "warrantless_custody; chilling"
    table = balance.mechanism_table(twice)
    assert not table.loc["chilling", "declared"]
    assert table.loc["chilling", "criteria"] == "public_safety, civil_liberties"
    # a declared mirror pair is allowed; the same pair without the declaration is not
    undeclared = crit.copy()
    undeclared.loc["removals_convicted", "mirror_of"] = ""
    assert not balance.mechanism_table(undeclared).loc["removal_pipeline", "declared"]


def test_side_cases_follow_one_rule_for_both_sides():
    table = model.load_parameters()
    lim, coop = balance.scenario_overrides("limits case"), balance.scenario_overrides("cooperation case")
    assert balance.scenario_overrides("central") == {}
    sided = table[table["favours"] != "neutral"]
    assert set(lim) == set(coop) == set(sided.index)
    assert {"limits", "cooperation"} <= set(sided["favours"])
    for name, row in sided.iterrows():
        high, low = float(row["defensible_high"]), float(row["defensible_low"])
        if row["favours"] == "limits":
            assert (lim[name], coop[name]) == (high, low)
        else:
            assert (lim[name], coop[name]) == (low, high)
        assert low <= float(row["low"]) <= float(row["high"]) <= high


def test_every_causal_parameter_is_tagged():
    table = model.load_parameters()
    assert set(table["evidence_type"]) <= {"observed behaviour", "descriptive", "stated intention", "judgement"}
    assert set(table["favours"]) <= {"limits", "cooperation", "neutral"}
    # the chilling effect's central range rests on observed behaviour; stated intentions only in a side case
    for name in model.CHILL_PARAMETERS:
        assert table.loc[name, "evidence_type"] == "observed behaviour"
        assert table.loc[name, "high"] < table.loc[name, "defensible_high"]


def test_the_model_reproduces_hausmans_counts_not_only_his_changes():
    eff = model.detainer_refusal_effect(model.draw_parameters(4000, SEED)).median()
    assert eff["removals_all"] == pytest.approx(-1 / 3, abs=0.04)
    assert eff["removals_no_conviction"] == pytest.approx(-0.5, abs=0.05)
    assert eff["prevented_never_convicted_share"] == pytest.approx(3300 / 22300, abs=0.05)


# ---------------------------------------------------------------------------------------------- the law
def test_no_profile_is_shown_a_first_choice_its_law_forbids(central):
    acc = decision.profile_acceptability(central, SEED)
    profiles = decision.load_profiles()
    for pid, rows in acc.groupby("profile"):
        open_options = set(legal.feasible_options(profiles.loc[pid, "home_regime"]))
        assert set(rows["option"]) <= open_options, pid
        assert rows["first"].sum() == pytest.approx(1.0)
    sheriff = acc[acc["profile"] == "mandate_sheriff"]
    assert set(sheriff["option"]) == set(legal.feasible_options("requires_cooperation"))


def test_regime_overview_labels_the_all_lawful_choice_hypothetical(central):
    overview = decision.regime_overview(central)
    assert "hypothetical_top_if_all_lawful" in overview.columns
    for pid, row in overview.iterrows():
        assert row["top_under_home_regime"] in legal.feasible_options(row["home_regime"])


def test_the_command_prints_the_report_and_passes(capsys):
    assert balance.main(["--draws", "300", "--no-contested"]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "split_orderings" in out and "5,040 orderings" in out


@pytest.mark.parametrize("argv, needle", [(["--draws", "0"], "--draws must be a whole number from 1"),
                                          (["--seed", "-1"], "--seed must be a whole number >= 0"),
                                          (["--draws", "many"], "invalid int value")])
def test_the_command_names_a_bad_argument(capsys, argv, needle):
    with pytest.raises(SystemExit) as exc:
        balance.main(argv)
    assert exc.value.code == 2
    assert needle in capsys.readouterr().err
