"""Robustness metrics: which option is "best" when we do not know which future we are in.

A payoff table has one row per future (a Monte Carlo draw) and one column per option; higher is better.
Each metric is a defensible answer to a different question, and each assumes something about the decision
maker's attitude to risk (the one-line ``assumes`` text in :data:`ASSUMES`, shown by :func:`robust_choices`):

- **Laplace (mean)**, also called expected value: the best option on average, every future counted
  equally (risk-neutral);
- **maximin**: the option whose worst future is least bad (extremely cautious);
- **maximax**: the option whose best future is best (extremely optimistic);
- **Hurwicz** with optimism ``alpha`` in [0, 1]: ``alpha`` x best future + (1 - ``alpha``) x worst future
  (``alpha = 0`` is maximin, ``alpha = 1`` maximax);
- **minimax regret**: the option whose largest shortfall against the best option *in the same future*
  is smallest. Regret is absolute (best payoff minus this payoff), so it is safe when payoffs are zero
  or negative, unlike ratios;
- **mean regret**: the smallest average shortfall. Mean regret equals the mean of each future's best
  payoff minus the option's mean payoff, so it always picks the Laplace option; it is listed because it
  reads the same choice as a missed opportunity;
- **percentile regret** (default the 90th percentile): minimax regret that ignores the worst
  ``100 - percentile`` per cent of futures (numpy's linear interpolation between futures);
- **Starr's domain criterion** with a threshold ``threshold >= 0``: the share of futures in which the
  option's regret is at most ``threshold``, i.e. in which it is the best option or within ``threshold``
  of it (with ``threshold = 0``: the share of futures in which it is the best). McPhail et al. (2018,
  Earth's Future 6(2): 169-191, doi:10.1002/2017EF000649) describe Starr's domain criterion as the share
  of scenarios in which a performance threshold is met (transformation "satisfaction of a threshold",
  all scenarios, mean); here the performance measure put to the threshold is the regret, so one threshold
  means the same in every future even when a shock shifts all payoffs alike;
- **mean minus SD**: mean payoff minus ``k`` (default 1) population standard deviations over the futures
  (variance-averse: it penalises spread, upside as well as downside);
- **relative regret**: the largest regret as a share of the best payoff in the same future, with a
  guarded denominator ``max(|best payoff|, floor)``. A plain ratio breaks when the best payoff is zero
  (division by zero), near zero (a tiny shortfall becomes huge) or negative (the sign flips); the absolute
  value keeps the sign and ``floor`` caps the blow-up. By default ``floor`` is a tenth of the median
  absolute best payoff over the futures (a tenth of the largest absolute payoff when that median is 0);
- **satisficing**: the option that most often meets a set of thresholds, one per criterion (a "good
  enough" test rather than an optimum), computed from the criteria by :func:`satisficing`.

:func:`robust_choices` puts them side by side (``metrics="classic"``: expected value, maximin, minimax
regret and satisficing, as before; ``metrics="all"``: the ten above, then satisficing), so a reader can see
when the "robust" choice depends on the metric. Ties are broken by the option order given (the first
listed wins), and are reported. :func:`example_payoff` is a hand-sized ILLUSTRATIVE table on which the
winner changes with the metric.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.mcda import benefit_flags, is_number

TIE_TOL = 1e-9
#: What satisficing picks when no option meets the thresholds in any future.
NONE_MEETS = "none"


def _payoff(payoff: pd.DataFrame) -> pd.DataFrame:
    return payoff.astype(float)


def expected_value(payoff: pd.DataFrame) -> pd.Series:
    """Mean payoff of each option over the futures (higher is better)."""
    return _payoff(payoff).mean(axis=0).rename("expected_value")


def worst_case(payoff: pd.DataFrame) -> pd.Series:
    """Lowest payoff of each option over the futures; maximin picks the highest of these."""
    return _payoff(payoff).min(axis=0).rename("worst_case")


def regret(payoff: pd.DataFrame) -> pd.DataFrame:
    """Absolute regret: in each future, the best payoff of any option minus this option's payoff (>= 0)."""
    p = _payoff(payoff)
    return (-p).add(p.max(axis=1), axis=0)


def max_regret(payoff: pd.DataFrame) -> pd.Series:
    """Largest regret of each option over the futures; minimax regret picks the lowest of these."""
    return regret(payoff).max(axis=0).rename("max_regret")


def _check_param(value, where: str, field: str, low: float, high: float | None, allowed: str, fix: str,
                 open_low: bool = False) -> float:
    """A finite number in [low, high] (``high`` None: no upper bound; ``open_low``: above ``low``), as typed
    in a notebook, or :class:`InputError` naming ``field``."""
    if not is_number(value) or not np.isfinite(value) or value < low or (open_low and value == low) \
            or (high is not None and value > high):
        raise InputError(where=where, field=field, value=value, allowed=allowed, fix=fix)
    return float(value)


def check_alpha(alpha) -> float:
    """Hurwicz optimism: a number in [0, 1]."""
    return _check_param(alpha, "Hurwicz", "alpha", 0.0, 1.0, "a number from 0 (maximin) to 1 (maximax)",
                        "use 0.5 to weigh the best and the worst future equally")


def check_percentile(percentile) -> float:
    """Percentile of regret: a number in [0, 100]."""
    return _check_param(percentile, "percentile regret", "percentile", 0.0, 100.0, "a number from 0 to 100",
                        "use 90 for the 90th percentile (100 is minimax regret)")


def check_threshold(threshold) -> float:
    """Regret threshold of Starr's domain criterion: a number >= 0, in payoff units."""
    return _check_param(threshold, "Starr's domain criterion", "threshold", 0.0, None,
                        "a number >= 0 in payoff units (0: the option must be the best in the future)",
                        "a regret is never negative, so a negative threshold is never met")


def best_case(payoff: pd.DataFrame) -> pd.Series:
    """Highest payoff of each option over the futures; maximax picks the highest of these."""
    return _payoff(payoff).max(axis=0).rename("best_case")


def hurwicz(payoff: pd.DataFrame, alpha: float = 0.5) -> pd.Series:
    """Hurwicz score: ``alpha`` x best payoff + (1 - ``alpha``) x worst payoff of each option (higher is
    better). ``alpha`` is the optimism, from 0 (maximin) to 1 (maximax)."""
    a = check_alpha(alpha)
    p = _payoff(payoff)
    return (a * p.max(axis=0) + (1 - a) * p.min(axis=0)).rename("hurwicz")


def mean_regret(payoff: pd.DataFrame) -> pd.Series:
    """Mean regret of each option over the futures (lower is better; same order as the mean payoff)."""
    return regret(payoff).mean(axis=0).rename("mean_regret")


def regret_percentile(payoff: pd.DataFrame, percentile: float = 90) -> pd.Series:
    """The ``percentile``-th percentile of each option's regret over the futures (lower is better), with
    numpy's linear interpolation: over ``n`` futures sorted by regret it sits at position
    ``(n - 1) x percentile / 100``. 100 gives the maximum regret, 50 the median."""
    q = check_percentile(percentile)
    r = regret(payoff)
    return pd.Series(np.percentile(r.to_numpy(), q, axis=0), index=r.columns, name="regret_percentile")


def starr_domain(payoff: pd.DataFrame, threshold: float = 0.0) -> pd.Series:
    """Starr's domain criterion: the share of futures in which the option's regret is at most
    ``threshold`` (payoff units, >= 0), that is, in which it is the best option or within ``threshold`` of
    the best (higher is better). With ``threshold = 0`` it is the share of futures in which it is the best."""
    t = check_threshold(threshold)
    return (regret(payoff) <= t + TIE_TOL).mean(axis=0).rename("starr_share")


def mean_minus_sd(payoff: pd.DataFrame, k: float = 1.0) -> pd.Series:
    """Mean payoff minus ``k`` population standard deviations (ddof = 0) over the futures (higher is
    better). ``k`` >= 0 is the penalty on spread; 0 gives the mean."""
    kk = _check_param(k, "mean minus SD", "k", 0.0, None, "a number >= 0",
                      "use 1 to subtract one standard deviation")
    p = _payoff(payoff)
    return (p.mean(axis=0) - kk * p.std(axis=0, ddof=0)).rename("mean_minus_sd")


def relative_floor(payoff: pd.DataFrame) -> float:
    """Default guard of :func:`relative_regret`: a tenth of the median absolute best payoff over the
    futures, or a tenth of the largest absolute payoff when that median is 0 (1 when every payoff is 0)."""
    p = _payoff(payoff)
    scale = float(np.median(p.max(axis=1).abs()))
    if scale == 0:
        scale = float(p.abs().to_numpy().max()) or 1.0
    return 0.1 * scale


def relative_regret(payoff: pd.DataFrame, floor: float | None = None) -> pd.DataFrame:
    """Regret as a share of the best payoff in the same future, guarded: ``regret / max(|best|, floor)``.

    The guard keeps the ratio defined and bounded: the absolute value stops a negative best payoff from
    flipping the sign, and ``floor`` (> 0, payoff units; default :func:`relative_floor`) stops a best payoff
    at or near zero from dividing by zero or inflating a tiny shortfall."""
    p = _payoff(payoff)
    f = relative_floor(p) if floor is None else _check_param(
        floor, "relative regret", "floor", 0.0, None, "a number > 0 in payoff units",
        "leave it out for a tenth of the median absolute best payoff", open_low=True)
    denominator = np.maximum(p.max(axis=1).abs(), f)
    return regret(p).div(denominator, axis=0)


def max_relative_regret(payoff: pd.DataFrame, floor: float | None = None) -> pd.Series:
    """Largest guarded relative regret of each option over the futures (lower is better)."""
    return relative_regret(payoff, floor).max(axis=0).rename("max_relative_regret")


def example_payoff() -> pd.DataFrame:
    """ILLUSTRATIVE hand-sized payoff table (four futures x four made-up options, higher is better) on
    which the winner changes with the metric: A is steady, B a gamble on one future, C best in three
    futures and worst in the fourth, D a hedge that is never far behind. Not model output."""
    return pd.DataFrame({"A": [5.0, 5.0, 5.0, 5.0], "B": [1.0, 2.0, 3.0, 14.0],
                         "C": [9.0, 8.0, 8.0, 0.0], "D": [6.0, 6.0, 4.0, 7.0]},
                        index=pd.Index(["future 1", "future 2", "future 3", "future 4"], name="future"))


def satisficing(values: pd.DataFrame, thresholds: Mapping[str, float], higher_is_better: Mapping[str, bool],
                option_col: str = "option") -> pd.Series:
    """Share of futures in which each option meets every threshold.

    ``values`` is a long table with one row per future and option, a column ``option_col`` and one column
    per criterion. A benefit criterion meets its threshold when value >= threshold; a cost criterion when
    value <= threshold. Criteria without a threshold are ignored. ``higher_is_better`` maps each
    thresholded criterion to True/False, 1/0 or ``"higher_is_better"``/``"lower_is_better"``.
    """
    ok = pd.Series(True, index=values.index)
    for crit, t in thresholds.items():
        if crit not in values.columns or crit == option_col:
            raise InputError(where="satisficing", field="thresholds", value=crit,
                             allowed=", ".join(str(c) for c in values.columns if c != option_col),
                             fix="use a criterion present in the table")
        col = values[crit].astype(float)
        ok &= (col >= t) if benefit_flags([higher_is_better[crit]])[0] else (col <= t)
    order = list(dict.fromkeys(values[option_col]))
    return ok.groupby(values[option_col], sort=False).mean().reindex(order).rename("satisficing_share")


def pick(scores: pd.Series, higher_is_better: bool, order: Sequence | None = None) -> tuple[object, bool]:
    """The best option by a metric (its label, as in the index), and whether it was tied with another
    (then the first in ``order``, default the series order, wins). Missing (NaN) scores are skipped."""
    s = scores.astype(float)
    if order is not None:
        s = s.reindex([o for o in order if o in s.index])
    s = s.dropna()
    target = s.max() if higher_is_better else s.min()
    with np.errstate(over="ignore"):
        tied = s.index[((s - target).abs() <= TIE_TOL) | (s == target)].tolist()
    return tied[0], len(tied) > 1


METRICS = {
    "expected value": ("expected_value", True, "highest mean score over the futures"),
    "maximin": ("worst_case", True, "highest score in its worst future"),
    "minimax regret": ("max_regret", False, "smallest largest shortfall against the best option in each future"),
    "satisficing": ("satisficing_share", True, "most often meets every threshold"),
}

#: The ten metrics of ``metrics="all"`` (name -> series key, higher is better, rule), then satisficing.
#: Rules with a parameter are filled in by :func:`robust_choices`.
ALL_METRICS = {
    "Laplace (mean)": ("expected_value", True, "highest mean score, every future counted equally"),
    "maximin": ("worst_case", True, "highest score in its worst future"),
    "maximax": ("best_case", True, "highest score in its best future"),
    "Hurwicz": ("hurwicz", True, "highest {alpha:g} x best + {beta:g} x worst future"),
    "minimax regret": ("max_regret", False, "smallest largest shortfall against the best option in each future"),
    "mean regret": ("mean_regret", False, "smallest average shortfall against the best option"),
    "percentile regret": ("regret_percentile", False, "smallest {percentile:g}th percentile of shortfall"),
    "Starr's domain": ("starr_share", True, "most often within {threshold:g} of the best option"),
    "mean minus SD": ("mean_minus_sd", True, "highest mean minus {k:g} standard deviation(s)"),
    "relative regret": ("max_relative_regret", False,
                        "smallest largest shortfall as a share of max(|best|, {floor:.3g})"),
    "satisficing": ("satisficing_share", True, "most often meets every threshold"),
}

#: What each metric assumes about the decision maker, in one line.
ASSUMES = {
    "expected value": "risk-neutral: every future counts equally and a gain offsets a loss",
    "Laplace (mean)": "risk-neutral: every future counts equally and a gain offsets a loss",
    "maximin": "extremely cautious: only the worst future matters",
    "maximax": "extremely optimistic: only the best future matters",
    "Hurwicz": "in between: weighs the best and the worst future by a chosen optimism, ignores the rest",
    "minimax regret": "fears hindsight: the biggest missed opportunity in any future matters most",
    "mean regret": "risk-neutral about missed opportunities (always the Laplace choice)",
    "percentile regret": "fears large missed opportunities but discounts the rarest extreme futures",
    "Starr's domain": "wants to be (nearly) the best as often as possible; how far behind otherwise does not matter",
    "mean minus SD": "dislikes spread, even upside surprises: trades average for predictability",
    "relative regret": "judges a shortfall against what was achievable in that future, as a share",
    "satisficing": "wants 'good enough' on the criteria it cares about, as often as possible",
}


def _metric_series(p: pd.DataFrame, satisficing_share, metrics: str, params: dict) -> tuple[dict, dict]:
    """The series each metric ranks, and the metric registry, for ``metrics`` 'classic' or 'all'."""
    if metrics not in ("classic", "all"):
        raise InputError(where="robust_choices", field="metrics", value=metrics, allowed="'classic' or 'all'",
                         fix="'classic' for expected value, maximin, minimax regret and satisficing; 'all' for the ten")
    series = {"expected_value": expected_value(p), "worst_case": worst_case(p), "max_regret": max_regret(p)}
    registry = METRICS
    if metrics == "all":
        registry = ALL_METRICS
        series.update({"best_case": best_case(p), "hurwicz": hurwicz(p, params["alpha"]),
                       "mean_regret": mean_regret(p),
                       "regret_percentile": regret_percentile(p, params["percentile"]),
                       "starr_share": starr_domain(p, params["threshold"]),
                       "mean_minus_sd": mean_minus_sd(p, params["k"]),
                       "max_relative_regret": max_relative_regret(p, params["floor"])})
    if satisficing_share is not None:
        series["satisficing_share"] = satisficing_share.reindex(list(p.columns)).astype(float)
    return series, registry


def robust_choices(payoff: pd.DataFrame, satisficing_share: pd.Series | None = None, metrics: str = "classic", *,
                   alpha: float = 0.5, percentile: float = 90, threshold: float = 0.0, k: float = 1.0,
                   floor: float | None = None) -> pd.DataFrame:
    """One row per metric: the option it picks, its value, the rule, what the metric assumes about the
    decision maker, and whether a tie was broken.

    ``metrics="classic"`` gives expected value, maximin, minimax regret (and satisficing when a share is
    given); ``metrics="all"`` gives the ten metrics of :data:`ALL_METRICS` (then satisficing), with the
    Hurwicz optimism ``alpha``, the regret ``percentile``, Starr's regret ``threshold``, the SD multiplier
    ``k`` and the relative-regret ``floor``. A final column ``agrees`` says whether the pick matches the
    first row's (the mean) pick.
    """
    p = _payoff(payoff)
    order = list(p.columns)
    params = {"alpha": check_alpha(alpha), "percentile": check_percentile(percentile),
              "threshold": check_threshold(threshold), "k": k, "floor": floor}
    series, registry = _metric_series(p, satisficing_share, metrics, params)
    fill = {"alpha": params["alpha"], "beta": 1 - params["alpha"], "percentile": params["percentile"],
            "threshold": params["threshold"], "k": k,
            "floor": relative_floor(p) if floor is None else floor}
    rows = []
    for metric, (key, hib, rule) in registry.items():
        if key not in series:
            continue
        choice, tied = pick(series[key], hib, order)
        value = float(series[key][choice])
        if key == "satisficing_share" and value == 0:
            choice, tied = NONE_MEETS, False
        rows.append({"metric": metric, "choice": choice, "value": value, "rule": rule.format(**fill),
                     "assumes": ASSUMES[metric], "tie_broken": tied})
    out = pd.DataFrame(rows)
    out["agrees"] = out["choice"] == out.loc[0, "choice"]
    return out


def metric_table(payoff: pd.DataFrame, satisficing_share: pd.Series | None = None, metrics: str = "classic", *,
                 alpha: float = 0.5, percentile: float = 90, threshold: float = 0.0, k: float = 1.0,
                 floor: float | None = None) -> pd.DataFrame:
    """All metrics for every option (options as rows); ``metrics`` and the parameters as in
    :func:`robust_choices`."""
    p = _payoff(payoff)
    params = {"alpha": check_alpha(alpha), "percentile": check_percentile(percentile),
              "threshold": check_threshold(threshold), "k": k, "floor": floor}
    series, registry = _metric_series(p, satisficing_share, metrics, params)
    keys = [key for key, _, _ in registry.values() if key in series]
    return pd.concat([series[key].rename(key) for key in keys], axis=1)
