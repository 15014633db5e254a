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
from helpers.mcda import direction_flag, is_number

TIE_TOL = 1e-9
#: What satisficing picks when no option meets the thresholds in any future.
NONE_MEETS = "none"


def _check_numeric(col: pd.Series, where: str, field: str) -> None:
    """A column of numbers: a numeric dtype, or an object column holding only numbers (no text, no None)."""
    if pd.api.types.is_numeric_dtype(col):
        return
    bad = [v for v in col.tolist() if not (is_number(v) or isinstance(v, (bool, np.bool_)))] \
        if col.dtype == object else [col.iloc[0]]
    if bad:
        raise InputError(where=where, field=field, value=bad[0], allowed="numbers",
                         fix="convert the column to numbers (text and missing entries cannot be compared)")


def _check_payoff(payoff: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(payoff, pd.DataFrame) or payoff.shape[0] < 1 or payoff.shape[1] < 1:
        raise InputError(where="payoff table", field="payoff", value=type(payoff).__name__,
                         allowed="a DataFrame with one row per future and one column per option")
    if payoff.columns.has_duplicates:
        dup = payoff.columns[payoff.columns.duplicated()][0]
        raise InputError(where="payoff table", field="columns", value=dup, problem=f"option {dup!r} appears twice",
                         allowed="one column per option", fix="give each option one column")
    for col in payoff.columns:
        _check_numeric(payoff[col], "payoff table", str(col))
    values = payoff.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise InputError(where="payoff table", field="payoff", value="NaN or infinite value",
                         allowed="finite numbers")
    # Means add up one value per future, regret subtracts two payoffs: both must stay below the largest float.
    limit = np.finfo(float).max / max(payoff.shape[0], 2)
    biggest = float(np.abs(values).max())
    if biggest > limit:
        raise InputError(where="payoff table", field="payoff", value=biggest,
                         problem="payoffs this large overflow when averaged or compared",
                         allowed=f"absolute values up to {limit:.3g} for {payoff.shape[0]} futures",
                         fix="rescale the payoffs (for example divide them by a power of ten)")
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
    value <= threshold. Criteria without a threshold are ignored. ``higher_is_better`` maps each
    thresholded criterion to True/False, 1/0 or ``"higher_is_better"``/``"lower_is_better"``.
    """
    if not isinstance(values, pd.DataFrame) or values.empty:
        raise InputError(where="satisficing", field="values", value=type(values).__name__,
                         allowed="a non-empty DataFrame with one row per future and option",
                         fix="pass a long table, e.g. perf.table.reset_index()")
    if not isinstance(thresholds, Mapping) or not thresholds:
        raise InputError(where="satisficing", field="thresholds",
                         value=dict(thresholds) if isinstance(thresholds, Mapping) else thresholds,
                         allowed="a mapping with at least one criterion: threshold pair")
    if not isinstance(higher_is_better, Mapping):
        raise InputError(where="satisficing", field="higher_is_better", value=type(higher_is_better).__name__,
                         allowed="a mapping criterion -> True/False", fix="e.g. {'trust': True, 'cost': False}")
    if option_col not in values.columns:
        raise InputError(where="satisficing", field=option_col, value=list(values.columns),
                         problem=f"no '{option_col}' column", allowed="a long table with an option column")
    ok = pd.Series(True, index=values.index)
    for crit, t in thresholds.items():
        if crit == option_col:
            raise InputError(where="satisficing", field="thresholds", value=crit,
                             problem=f"{crit!r} is the option column, not a criterion",
                             allowed=", ".join(str(c) for c in values.columns if c != option_col))
        if crit not in values.columns:
            raise InputError(where="satisficing", field="thresholds", value=crit,
                             allowed=", ".join(str(c) for c in values.columns if c != option_col),
                             fix="use a criterion present in the table")
        if crit not in higher_is_better:
            raise InputError(where="satisficing", field="higher_is_better", value=crit,
                             problem=f"no direction given for {crit!r}")
        if not is_number(t) or not np.isfinite(t):
            raise InputError(where="satisficing", field=crit, value=t, allowed="a finite number as threshold")
        benefit = direction_flag(higher_is_better[crit], where="satisficing", field=f"higher_is_better[{crit!r}]")
        _check_numeric(values[crit], "satisficing", str(crit))
        col = values[crit].astype(float)
        if not np.isfinite(col.to_numpy()).all():
            raise InputError(where="satisficing", field=crit, value="NaN or infinite value", allowed="finite numbers",
                             fix="a missing value cannot be compared with a threshold")
        ok &= (col >= t) if benefit else (col <= t)
    order = list(dict.fromkeys(values[option_col]))
    return ok.groupby(values[option_col], sort=False).mean().reindex(order).rename("satisficing_share")


def pick(scores: pd.Series, higher_is_better: bool, order: Sequence | None = None) -> tuple[object, bool]:
    """The best option by a metric (its label, as in the index), and whether it was tied with another
    (then the first in ``order``, default the series order, wins). Missing (NaN) scores are skipped."""
    if not isinstance(scores, pd.Series):
        raise InputError(where="pick", field="scores", value=type(scores).__name__,
                         allowed="a Series of scores indexed by option")
    _check_numeric(scores, "pick", "scores")
    s = scores.astype(float)
    if order is not None:
        s = s.reindex([o for o in order if o in s.index])
    s = s.dropna()
    if s.empty:
        raise InputError(where="pick", field="scores", value=scores.tolist(),
                         problem="no option has a score to compare", allowed="at least one number",
                         fix="check that the scores and the option order name the same options")
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


def _check_share(share, order: list) -> pd.Series:
    """A satisficing share per option (from :func:`satisficing`), lined up with the payoff's options."""
    if not isinstance(share, pd.Series):
        raise InputError(where="robust_choices", field="satisficing_share", value=type(share).__name__,
                         allowed="a Series indexed by option (the output of robustness.satisficing)")
    if share.index.has_duplicates:
        raise InputError(where="robust_choices", field="satisficing_share",
                         value=share.index[share.index.duplicated()][0], problem="an option appears twice",
                         allowed="one share per option")
    if not any(o in share.index for o in order):
        raise InputError(where="robust_choices", field="satisficing_share", value=list(share.index),
                         problem="no option of the payoff table has a satisficing share",
                         allowed=", ".join(str(o) for o in order),
                         fix="compute the shares for the same options as the payoff table")
    _check_numeric(share, "robust_choices", "satisficing_share")
    s = share.reindex(order).astype(float)
    known = s.dropna()
    if not ((known >= 0) & (known <= 1)).all():
        raise InputError(where="robust_choices", field="satisficing_share", value=known.tolist(),
                         allowed="shares between 0 and 1")
    return s


def robust_choices(payoff: pd.DataFrame, satisficing_share: pd.Series | None = None) -> pd.DataFrame:
    """One row per metric: the option it picks, its value, the rule, and whether a tie was broken.

    A final column ``agrees`` says whether the pick matches the expected-value pick.
    """
    p = _check_payoff(payoff)
    order = list(p.columns)
    series = {"expected_value": expected_value(p), "worst_case": worst_case(p), "max_regret": max_regret(p)}
    if satisficing_share is not None:
        series["satisficing_share"] = _check_share(satisficing_share, order)
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
        cols.append(_check_share(satisficing_share, list(p.columns)).rename("satisficing_share"))
    return pd.concat(cols, axis=1)
