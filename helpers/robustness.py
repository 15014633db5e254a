"""Robustness metrics: which option is "best" when we do not know which future we are in.

A payoff table has one row per future (a Monte Carlo draw) and one column per option; higher is better.
Four ways to read it, each a defensible answer to a different question:

- **expected value**: the best option on average over the futures (risk-neutral);
- **maximin**: the option whose worst future is least bad (cautious);
- **minimax regret**: the option whose largest shortfall against the best option *in the same future*
  is smallest. Regret is absolute (best payoff minus this payoff), so it is safe when payoffs are zero
  or negative, unlike ratios;
- **satisficing**: the option that most often meets a set of thresholds, one per criterion (a "good
  enough" test rather than an optimum).

:func:`robust_choices` puts the four side by side, so a reader can see when the "robust" choice depends
on the metric. Ties are broken by the option order given (the first listed wins), and are reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.errors import InputError

TIE_TOL = 1e-9
#: What satisficing picks when no option meets the thresholds in any future.
NONE_MEETS = "none"


def _check_payoff(payoff: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(payoff, pd.DataFrame) or payoff.shape[0] < 1 or payoff.shape[1] < 1:
        raise InputError(where="payoff table", field="payoff", value=type(payoff).__name__,
                         allowed="a DataFrame with one row per future and one column per option")
    values = payoff.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise InputError(where="payoff table", field="payoff", value="NaN or infinite value",
                         allowed="finite numbers")
    return payoff.astype(float)


def expected_value(payoff: pd.DataFrame) -> pd.Series:
    """Mean payoff of each option over the futures (higher is better)."""
    return _check_payoff(payoff).mean(axis=0).rename("expected_value")


def worst_case(payoff: pd.DataFrame) -> pd.Series:
    """Lowest payoff of each option over the futures; maximin picks the highest of these."""
    return _check_payoff(payoff).min(axis=0).rename("worst_case")


def regret(payoff: pd.DataFrame) -> pd.DataFrame:
    """Absolute regret: in each future, the best payoff of any option minus this option's payoff (>= 0)."""
    p = _check_payoff(payoff)
    return (-p).add(p.max(axis=1), axis=0)


def max_regret(payoff: pd.DataFrame) -> pd.Series:
    """Largest regret of each option over the futures; minimax regret picks the lowest of these."""
    return regret(payoff).max(axis=0).rename("max_regret")


def satisficing(values: pd.DataFrame, thresholds: Mapping[str, float], higher_is_better: Mapping[str, bool],
                option_col: str = "option") -> pd.Series:
    """Share of futures in which each option meets every threshold.

    ``values`` is a long table with one row per future and option, a column ``option_col`` and one column
    per criterion. A benefit criterion meets its threshold when value >= threshold; a cost criterion when
    value <= threshold. Criteria without a threshold are ignored.
    """
    if not thresholds:
        raise InputError(where="satisficing", field="thresholds", value=dict(thresholds),
                         allowed="at least one criterion: threshold pair")
    if option_col not in values.columns:
        raise InputError(where="satisficing", field=option_col, value=list(values.columns),
                         problem=f"no '{option_col}' column", allowed="a long table with an option column")
    ok = pd.Series(True, index=values.index)
    for crit, t in thresholds.items():
        if crit not in values.columns:
            raise InputError(where="satisficing", field="thresholds", value=crit,
                             allowed=", ".join(c for c in values.columns if c != option_col),
                             fix="use a criterion present in the table")
        if crit not in higher_is_better:
            raise InputError(where="satisficing", field="higher_is_better", value=crit,
                             problem=f"no direction given for {crit!r}")
        if not np.isfinite(t):
            raise InputError(where="satisficing", field=crit, value=t, allowed="a finite threshold")
        col = values[crit].astype(float)
        ok &= (col >= t) if higher_is_better[crit] else (col <= t)
    order = list(dict.fromkeys(values[option_col]))
    return ok.groupby(values[option_col], sort=False).mean().reindex(order).rename("satisficing_share")


def pick(scores: pd.Series, higher_is_better: bool, order: Sequence[str] | None = None) -> tuple[str, bool]:
    """The best option by a metric, and whether it was tied with another (then the first in ``order``,
    default the series order, wins)."""
    s = scores.astype(float)
    if order is not None:
        s = s.reindex([o for o in order if o in s.index])
    target = s.max() if higher_is_better else s.min()
    tied = s.index[(s - target).abs() <= TIE_TOL].tolist()
    return str(tied[0]), len(tied) > 1


METRICS = {
    "expected value": ("expected_value", True, "highest mean score over the futures"),
    "maximin": ("worst_case", True, "highest score in its worst future"),
    "minimax regret": ("max_regret", False, "smallest largest shortfall against the best option in each future"),
    "satisficing": ("satisficing_share", True, "most often meets every threshold"),
}


def robust_choices(payoff: pd.DataFrame, satisficing_share: pd.Series | None = None) -> pd.DataFrame:
    """One row per metric: the option it picks, its value, the rule, and whether a tie was broken.

    A final column ``agrees`` says whether the pick matches the expected-value pick.
    """
    p = _check_payoff(payoff)
    order = list(p.columns)
    series = {"expected_value": expected_value(p), "worst_case": worst_case(p), "max_regret": max_regret(p)}
    if satisficing_share is not None:
        series["satisficing_share"] = satisficing_share.reindex(order)
    rows = []
    for metric, (key, hib, rule) in METRICS.items():
        if key not in series:
            continue
        choice, tied = pick(series[key], hib, order)
        value = float(series[key][choice])
        if key == "satisficing_share" and value == 0:
            choice, tied = NONE_MEETS, False
        rows.append({"metric": metric, "choice": choice, "value": value, "rule": rule, "tie_broken": tied})
    out = pd.DataFrame(rows)
    out["agrees"] = out["choice"] == out.loc[0, "choice"]
    return out


def metric_table(payoff: pd.DataFrame, satisficing_share: pd.Series | None = None) -> pd.DataFrame:
    """All metrics for every option (options as rows)."""
    p = _check_payoff(payoff)
    cols = [expected_value(p), worst_case(p), max_regret(p)]
    if satisficing_share is not None:
        cols.append(satisficing_share.reindex(p.columns).rename("satisficing_share"))
    return pd.concat(cols, axis=1)
