"""The ten robustness metrics of :mod:`helpers.robustness`, each checked against payoff tables worked by hand.

Payoff tables: rows are futures, columns are options, higher is better. The arithmetic is written out in the
comments so a reader can redo it on paper.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import robustness
from helpers.errors import InputError


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


@pytest.mark.parametrize("kwargs, field", [
    ({"alpha": -0.1}, "alpha"), ({"alpha": 1.5}, "alpha"), ({"alpha": "0.5"}, "alpha"), ({"alpha": True}, "alpha"),
    ({"alpha": float("nan")}, "alpha"),
    ({"percentile": -1}, "percentile"), ({"percentile": 100.5}, "percentile"), ({"percentile": None}, "percentile"),
    ({"threshold": -0.01}, "threshold"), ({"threshold": float("inf")}, "threshold"),
    ({"floor": 0}, "floor"), ({"floor": -1.0}, "floor"), ({"k": -1}, "k"),
    ({"metrics": "ten"}, "metrics"),
])
def test_bad_parameters_name_the_field(hand, kwargs, field):
    kw = {"metrics": "all", **kwargs}
    with pytest.raises(InputError) as exc:
        robustness.robust_choices(hand, **kw)
    assert exc.value.field == field
    with pytest.raises(InputError) as exc:
        robustness.metric_table(hand, **kw)
    assert exc.value.field == field


def test_bad_parameters_in_the_single_metric_functions(hand):
    for func, arg, field in [(robustness.hurwicz, 2.0, "alpha"), (robustness.regret_percentile, 101, "percentile"),
                             (robustness.starr_domain, -1, "threshold"), (robustness.relative_regret, 0.0, "floor"),
                             (robustness.mean_minus_sd, -0.5, "k")]:
        with pytest.raises(InputError) as exc:
            func(hand, arg)
        assert exc.value.field == field, func.__name__
