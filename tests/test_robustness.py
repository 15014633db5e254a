"""Robustness metrics (:mod:`helpers.robustness`), each checked against payoff tables worked by hand.

Payoff tables: rows are futures, columns are options, higher is better. The arithmetic is written out in the
comments so a reader can redo it on paper.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import robustness
from helpers.errors import InputError

VALUES = pd.DataFrame({"option": ["A", "B", "A", "B"], "trust": [0.5, 0.7, 0.4, 0.6]})

@pytest.fixture
def hand():
    # Three futures x three options; a zero and a negative payoff on purpose.
    #            A     B     C
    # future 0  10     6     0      best 10
    # future 1   0     4     9      best  9
    # future 2   5     4    -1      best  5
    return pd.DataFrame({"A": [10.0, 0.0, 5.0], "B": [6.0, 4.0, 4.0], "C": [0.0, 9.0, -1.0]})


def test_maximin_maximax_laplace(hand):
    # worst: A min(10, 0, 5) = 0, B min(6, 4, 4) = 4, C min(0, 9, -1) = -1 -> maximin B
    assert robustness.worst_case(hand).to_dict() == {"A": 0.0, "B": 4.0, "C": -1.0}
    # best: A 10, B 6, C 9 -> maximax A
    assert robustness.best_case(hand).to_dict() == {"A": 10.0, "B": 6.0, "C": 9.0}
    # mean: A 15/3 = 5, B 14/3 = 4.667, C 8/3 = 2.667 -> Laplace A
    assert robustness.expected_value(hand).to_dict() == pytest.approx({"A": 5.0, "B": 14 / 3, "C": 8 / 3})
    choices = robustness.robust_choices(hand, metrics="all").set_index("metric")["choice"]
    assert (choices["maximin"], choices["maximax"], choices["Laplace (mean)"]) == ("B", "A", "A")


def test_hurwicz_with_chosen_optimism(hand):
    # alpha = 0.3: A 0.3*10 + 0.7*0 = 3.0, B 0.3*6 + 0.7*4 = 4.6, C 0.3*9 + 0.7*(-1) = 2.0 -> B
    assert robustness.hurwicz(hand, 0.3).to_dict() == pytest.approx({"A": 3.0, "B": 4.6, "C": 2.0})
    # alpha = 0.8: A 8.0, B 0.8*6 + 0.2*4 = 5.6, C 0.8*9 + 0.2*(-1) = 7.0 -> A
    assert robustness.hurwicz(hand, 0.8).to_dict() == pytest.approx({"A": 8.0, "B": 5.6, "C": 7.0})
    # the ends are maximin and maximax
    assert robustness.hurwicz(hand, 0).to_dict() == robustness.worst_case(hand).to_dict()
    assert robustness.hurwicz(hand, 1).to_dict() == robustness.best_case(hand).to_dict()
    table = robustness.robust_choices(hand, metrics="all", alpha=0.8).set_index("metric")
    assert table.loc["Hurwicz", "choice"] == "A" and table.loc["Hurwicz", "value"] == pytest.approx(8.0)
    assert "0.8 x best + 0.2 x worst" in table.loc["Hurwicz", "rule"]


def test_regret_metrics(hand):
    # regret = best in the future minus the payoff:
    #            A            B            C
    # future 0  10-10 = 0    10-6 = 4     10-0 = 10
    # future 1   9-0  = 9     9-4 = 5      9-9 = 0
    # future 2   5-5  = 0     5-4 = 1      5+1 = 6
    # max regret: A 9, B 5, C 10 -> minimax regret B
    assert robustness.max_regret(hand).to_dict() == {"A": 9.0, "B": 5.0, "C": 10.0}
    # mean regret: A 9/3 = 3, B 10/3 = 3.333, C 16/3 = 5.333 -> A; and mean(best) - mean = 8 - mean payoff
    mr = robustness.mean_regret(hand)
    assert mr.to_dict() == pytest.approx({"A": 3.0, "B": 10 / 3, "C": 16 / 3})
    assert (mr + robustness.expected_value(hand)).tolist() == pytest.approx([8.0, 8.0, 8.0])
    # 90th percentile, linear interpolation at position (3 - 1) * 0.9 = 1.8 of the sorted regrets:
    # A (0, 0, 9): 0 + 0.8 * (9 - 0) = 7.2; B (1, 4, 5): 4 + 0.8 * 1 = 4.8; C (0, 6, 10): 6 + 0.8 * 4 = 9.2 -> B
    assert robustness.regret_percentile(hand, 90).to_dict() == pytest.approx({"A": 7.2, "B": 4.8, "C": 9.2})
    # 50th percentile = median: A 0, B 4, C 6 -> A; 100th = max regret
    assert robustness.regret_percentile(hand, 50).to_dict() == pytest.approx({"A": 0.0, "B": 4.0, "C": 6.0})
    assert robustness.regret_percentile(hand, 100).to_dict() == robustness.max_regret(hand).to_dict()
    choices = robustness.robust_choices(hand, metrics="all").set_index("metric")["choice"]
    assert (choices["minimax regret"], choices["mean regret"], choices["percentile regret"]) == ("B", "A", "B")
    assert robustness.robust_choices(hand, metrics="all", percentile=50).set_index("metric").loc[
        "percentile regret", "choice"] == "A"


def test_starr_domain_share_of_futures_within_threshold(hand):
    # regrets as above: A (0, 9, 0), B (4, 5, 1), C (10, 0, 6)
    # threshold 0 (best in the future): A 2/3, B 0, C 1/3 -> A
    assert robustness.starr_domain(hand, 0).to_dict() == pytest.approx({"A": 2 / 3, "B": 0.0, "C": 1 / 3})
    # threshold 4 (within 4 of the best, 4 itself counts): A 2/3, B (4, 1) 2/3, C (0) 1/3 -> A by option order, tie
    assert robustness.starr_domain(hand, 4).to_dict() == pytest.approx({"A": 2 / 3, "B": 2 / 3, "C": 1 / 3})
    row = robustness.robust_choices(hand, metrics="all", threshold=4).set_index("metric").loc["Starr's domain"]
    assert row["choice"] == "A" and bool(row["tie_broken"])
    # threshold 5: A 2/3, B 3/3 = 1, C 1/3 -> B
    assert robustness.starr_domain(hand, 5)["B"] == 1.0
    assert robustness.robust_choices(hand, metrics="all", threshold=5).set_index("metric").loc[
        "Starr's domain", "choice"] == "B"


def test_mean_minus_sd(hand):
    # population SD (ddof 0): A values 10, 0, 5, mean 5, deviations 5, -5, 0 -> variance 50/3, SD 4.082
    #   B values 6, 4, 4, mean 14/3, deviations 4/3, -2/3, -2/3 -> variance (16+4+4)/9/3 = 8/9, SD 0.943
    #   C values 0, 9, -1, mean 8/3, deviations -8/3, 19/3, -11/3 -> variance (64+361+121)/27 = 546/27, SD 4.497
    # mean - SD: A 5 - 4.082 = 0.918, B 4.667 - 0.943 = 3.724, C 2.667 - 4.497 = -1.830 -> B
    expected = {"A": 5 - np.sqrt(50 / 3), "B": 14 / 3 - np.sqrt(8 / 9), "C": 8 / 3 - np.sqrt(546 / 27)}
    assert robustness.mean_minus_sd(hand).to_dict() == pytest.approx(expected)
    # k = 0 is the mean
    assert robustness.mean_minus_sd(hand, k=0).to_dict() == pytest.approx(robustness.expected_value(hand).to_dict())
    assert robustness.robust_choices(hand, metrics="all").set_index("metric").loc["mean minus SD", "choice"] == "B"


def test_relative_regret_with_guarded_denominator():
    # Best payoffs 10, 0 and -4: a plain ratio would divide by zero in future 1 and flip the sign in future 2.
    #            A     B      best   |best|  guarded max(|best|, 2)
    # future 0  10     8       10     10      10
    # future 1   0    -1        0      0       2
    # future 2  -6    -4       -4      4       4
    p = pd.DataFrame({"A": [10.0, 0.0, -6.0], "B": [8.0, -1.0, -4.0]})
    # regret: A (0, 0, 2), B (2, 1, 0); relative: A (0/10, 0/2, 2/4) = (0, 0, 0.5), B (0.2, 0.5, 0)
    rel = robustness.relative_regret(p, floor=2)
    assert rel["A"].tolist() == pytest.approx([0.0, 0.0, 0.5]) and rel["B"].tolist() == pytest.approx([0.2, 0.5, 0.0])
    # max: A 0.5, B 0.5 -> tie, A first by option order
    row = robustness.robust_choices(p, metrics="all", floor=2).set_index("metric").loc["relative regret"]
    assert row["choice"] == "A" and bool(row["tie_broken"])
    # floor 0.5: future 1 divides by 0.5, B's regret 1 becomes 2 -> A 0.5, B 2 -> A without a tie
    assert robustness.max_relative_regret(p, floor=0.5).to_dict() == pytest.approx({"A": 0.5, "B": 2.0})
    # default floor: a tenth of the median |best| (10, 0, 4 -> 4) = 0.4, so future 1 divides by 0.4
    assert robustness.relative_floor(p) == pytest.approx(0.4)
    assert robustness.max_relative_regret(p).to_dict() == pytest.approx({"A": 0.5, "B": 2.5})
    # every best payoff zero: the floor falls back to a tenth of the largest |payoff| (3 -> 0.3)
    assert robustness.relative_floor(pd.DataFrame({"A": [0.0, 0.0], "B": [-3.0, 0.0]})) == pytest.approx(0.3)
    assert robustness.relative_floor(pd.DataFrame({"A": [0.0, 0.0]})) == pytest.approx(0.1)


def test_winner_flips_by_metric_on_the_illustrative_table():
    p = robustness.example_payoff()
    #            A     B     C     D      best
    # future 1   5     1     9     6      9
    # future 2   5     2     8     6      8
    # future 3   5     3     8     4      8
    # future 4   5    14     0     7     14
    # Laplace: A 20/4 = 5, B 20/4 = 5, C 25/4 = 6.25, D 23/4 = 5.75 -> C
    # maximin: A 5, B 1, C 0, D 4 -> A.  maximax: A 5, B 14, C 9, D 7 -> B
    # Hurwicz 0.5: A 5, B (14 + 1)/2 = 7.5, C (9 + 0)/2 = 4.5, D (7 + 4)/2 = 5.5 -> B
    # regret: A (4, 3, 3, 9), B (8, 6, 5, 0), C (0, 0, 0, 14), D (3, 2, 4, 7)
    # minimax regret: A 9, B 8, C 14, D 7 -> D
    # mean regret: A 19/4, B 19/4, C 14/4, D 16/4 -> C (as Laplace)
    # 90th percentile at position 3 * 0.9 = 2.7 of the sorted regrets:
    #   A (3, 3, 4, 9): 4 + 0.7*5 = 7.5; B (0, 5, 6, 8): 6 + 0.7*2 = 7.4; C (0, 0, 0, 14): 0 + 0.7*14 = 9.8;
    #   D (2, 3, 4, 7): 4 + 0.7*3 = 6.1 -> D
    # Starr, threshold 1: regret <= 1 in A 0/4, B 1/4, C 3/4, D 0/4 -> C
    # mean - SD: A 5 - 0 = 5; D 5.75 - sqrt((0.0625 + 0.0625 + 3.0625 + 1.5625)/4) = 5.75 - 1.090 = 4.660;
    #   C 6.25 - sqrt((7.5625 + 3.0625 + 3.0625 + 39.0625)/4) = 6.25 - 3.631 = 2.619; B lower -> A
    # relative regret (floor 0.1 * median best 8.5 = 0.85, below every best): A (4/9, 3/8, 3/8, 9/14) max 0.643;
    #   B max 8/9 = 0.889; C 14/14 = 1; D (3/9, 2/8, 4/8, 7/14) max 0.5 -> D
    table = robustness.robust_choices(p, metrics="all", alpha=0.5, percentile=90, threshold=1)
    choices = table.set_index("metric")["choice"].to_dict()
    assert choices == {"Laplace (mean)": "C", "maximin": "A", "maximax": "B", "Hurwicz": "B",
                       "minimax regret": "D", "mean regret": "C", "percentile regret": "D",
                       "Starr's domain": "C", "mean minus SD": "A", "relative regret": "D"}
    values = table.set_index("metric")["value"]
    assert values["percentile regret"] == pytest.approx(6.1)
    assert values["mean minus SD"] == pytest.approx(5.0)
    assert values["relative regret"] == pytest.approx(0.5)
    assert values["Starr's domain"] == pytest.approx(0.75)
    assert not table["tie_broken"].any()
    assert table["agrees"].tolist() == [c == "C" for c in choices.values()]
    assert table["assumes"].str.len().gt(0).all() and len(set(table["choice"])) == 4


def test_classic_output_is_unchanged_and_all_adds_columns(hand):
    classic = robustness.robust_choices(hand)
    assert classic["metric"].tolist() == ["expected value", "maximin", "minimax regret"]
    assert list(robustness.metric_table(hand).columns) == ["expected_value", "worst_case", "max_regret"]
    share = pd.Series({"A": 0.5, "B": 0.0, "C": 1.0})
    full = robustness.robust_choices(hand, share, metrics="all")
    assert full["metric"].tolist()[-1] == "satisficing" and len(full) == 11
    table = robustness.metric_table(hand, share, metrics="all", alpha=0.8)
    assert table.shape == (3, 11) and table.loc["A", "hurwicz"] == pytest.approx(8.0)


@pytest.fixture
def hand_payoff():
    # Futures x options, with zeros and a negative payoff to check regret is absolute.
    return pd.DataFrame({"A": [10.0, 0.0, 5.0], "B": [6.0, 4.0, 4.0], "C": [0.0, 9.0, -1.0]},
                        index=pd.Index([0, 1, 2], name="draw"))


def test_robustness_metrics_on_hand_worked_table(hand_payoff):
    # Expected value: A 5, B 14/3, C 8/3 -> A.  Worst case: A 0, B 4, C -1 -> B.
    # Regret per future: best is 10, 9, 5 -> A (0, 9, 0), B (4, 5, 1), C (10, 0, 6);
    # max regret A 9, B 5, C 10 -> B.
    ev = robustness.expected_value(hand_payoff)
    assert ev.to_dict() == pytest.approx({"A": 5.0, "B": 14 / 3, "C": 8 / 3})
    assert robustness.worst_case(hand_payoff).to_dict() == {"A": 0.0, "B": 4.0, "C": -1.0}
    reg = robustness.regret(hand_payoff)
    assert reg["A"].tolist() == [0.0, 9.0, 0.0] and reg["C"].tolist() == [10.0, 0.0, 6.0]
    assert robustness.max_regret(hand_payoff).to_dict() == {"A": 9.0, "B": 5.0, "C": 10.0}
    choices = robustness.robust_choices(hand_payoff).set_index("metric")["choice"]
    assert choices.to_dict() == {"expected value": "A", "maximin": "B", "minimax regret": "B"}


def test_satisficing_hand_worked_table():
    values = pd.DataFrame({"draw": [0, 0, 1, 1, 2, 2], "option": ["A", "B"] * 3,
                           "trust": [0.5, 0.7, 0.4, 0.6, 0.6, 0.8],
                           "cost": [100, 300, 120, 150, 90, 400]})
    # Thresholds: trust >= 0.5 and cost <= 200.
    # A: (0.5, 100) yes, (0.4, 120) no, (0.6, 90) yes -> 2/3. B: (0.7, 300) no, (0.6, 150) yes, (0.8, 400) no -> 1/3.
    share = robustness.satisficing(values, {"trust": 0.5, "cost": 200}, {"trust": True, "cost": False})
    assert share.to_dict() == pytest.approx({"A": 2 / 3, "B": 1 / 3})
    with pytest.raises(InputError, match="speed"):
        robustness.satisficing(values, {"speed": 1}, {"speed": True})


def test_robust_choice_ties_go_to_first_option_and_are_reported():
    p = pd.DataFrame({"X": [1.0, 2.0], "Y": [2.0, 1.0]})
    table = robustness.robust_choices(p).set_index("metric")
    assert table.loc["expected value", "choice"] == "X"
    assert bool(table.loc["expected value", "tie_broken"])


def test_satisficing_with_no_option_meeting_reports_none():
    p = pd.DataFrame({"X": [1.0, 2.0], "Y": [2.0, 0.0]})
    table = robustness.robust_choices(p, pd.Series({"X": 0.0, "Y": 0.0})).set_index("metric")
    assert table.loc["satisficing", "choice"] == robustness.NONE_MEETS


def test_robust_choices_keep_integer_option_labels():
    # Means 1.5 and 1.75; worst cases 1 and 0.5; max regret 2 and 1.5.
    p = pd.DataFrame({1: [1.0, 2.0], 2: [3.0, 0.5]})
    table = robustness.robust_choices(p, pd.Series({1: 0.5, 2: 1.0})).set_index("metric")
    assert table.loc["expected value", "choice"] == 2 and table.loc["expected value", "value"] == 1.75
    assert table.loc["maximin", "choice"] == 1 and table.loc["minimax regret", "choice"] == 2
    assert table.loc["satisficing", "choice"] == 2
    assert robustness.pick(pd.Series([1.0, 2.0], index=[10, 20]), True) == (20, False)


def test_satisficing_reads_direction_strings_and_names_an_unknown_criterion():
    assert robustness.satisficing(VALUES, {"trust": 0.5}, {"trust": "higher_is_better"}).tolist() == [0.5, 1.0]
    assert robustness.satisficing(VALUES, {"trust": 0.5}, {"trust": "lower_is_better"}).tolist() == [1.0, 0.0]
    for crit in ("turst", "option"):
        with pytest.raises(InputError, match="allowed: trust") as exc:
            robustness.satisficing(VALUES, {crit: 0.5}, {crit: True})
        assert exc.value.field == "thresholds"


def test_bad_metric_settings_name_the_field(hand):
    # the settings a notebook types: each out-of-range value is refused by robust_choices, metric_table and
    # the single-metric function alike
    cases = [("alpha", 1.5, robustness.hurwicz), ("alpha", "0.5", robustness.hurwicz),
             ("percentile", 100.5, robustness.regret_percentile), ("threshold", -0.01, robustness.starr_domain),
             ("floor", 0, robustness.relative_regret), ("k", -1, robustness.mean_minus_sd)]
    for field, value, single in cases:
        for call in (lambda: robustness.robust_choices(hand, metrics="all", **{field: value}),
                     lambda: robustness.metric_table(hand, metrics="all", **{field: value}),
                     lambda: single(hand, value)):
            with pytest.raises(InputError) as exc:
                call()
            assert exc.value.field == field, (field, value)
    with pytest.raises(InputError, match="'classic' or 'all'") as exc:
        robustness.robust_choices(hand, metrics="ten")
    assert exc.value.field == "metrics"
