"""Sensitivity analysis: which inputs move a result, one at a time (tornado) and all together (Sobol).

- :func:`tornado` sets each input to its low and high value while the others stay at their base value,
  and records the output; inputs are sorted by the width of the swing. It shows local, one-at-a-time
  effects and misses interactions.
- :func:`sobol_indices` estimates variance-based global indices with SALib: the first-order index S1
  (share of the output variance explained by one input alone) and the total index ST (including all its
  interactions). Samples come from SALib's ``sobol`` sampler (a scrambled Sobol' sequence; ``N`` must be
  a power of two), never the deprecated ``saltelli`` sampler, whose warning would break strict nbval.
- :func:`ishigami` and :func:`ishigami_indices` give the standard test function with known analytic
  indices (Ishigami and Homma 1990), used in the tests and shown in notebook 08 as a check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.mcda import is_number

#: Smallest Sobol' base sample: with fewer points the estimates are noise (indices above 1 or below 0).
MIN_SOBOL_N = 16
#: Fewest bootstrap resamples for the confidence half-widths (a standard deviation needs several).
MIN_RESAMPLES = 10


def tornado(func: Callable[[dict], float], base: Mapping[str, float], low: Mapping[str, float],
            high: Mapping[str, float]) -> pd.DataFrame:
    """One-at-a-time sensitivity of ``func(params) -> float``.

    Every key of ``low``/``high`` must be in ``base``; low and high values are finite numbers (a base value
    may be anything ``func`` understands, e.g. NaN for "leave as drawn"). ``func`` must return one finite
    number. Returns one row per input with ``low``, ``high``, ``output_low``, ``output_high``,
    ``base_output`` and ``swing`` (``|output_high - output_low|``), sorted by swing, widest first (ties
    keep the input order given).
    """
    base_out = float(func(dict(base)))
    rows = []
    for name in [n for n in base if n in low]:
        out_lo = float(func({**base, name: low[name]}))
        out_hi = float(func({**base, name: high[name]}))
        rows.append({"parameter": name, "low": float(low[name]), "high": float(high[name]),
                     "output_low": out_lo, "output_high": out_hi, "base_output": base_out,
                     "swing": abs(out_hi - out_lo)})
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    return df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def _whole(value, field: str, allowed: str, minimum: int, fix: str | None = None, power_of_two: bool = False) -> int:
    """A whole number >= ``minimum`` (and a power of two when asked), as typed in a notebook."""
    whole = is_number(value) and np.isfinite(value) and int(value) == value and value >= minimum
    if not whole or (power_of_two and int(value) & (int(value) - 1)):
        raise InputError(where="sobol_indices", field=field, value=value, allowed=allowed, fix=fix)
    return int(value)


def sobol_indices(func: Callable[[np.ndarray], np.ndarray], names: Sequence[str],
                  bounds: Sequence[tuple[float, float]], n: int, seed: int,
                  num_resamples: int = 100) -> pd.DataFrame:
    """First-order and total Sobol indices of a vectorised ``func(X) -> y`` (X has one row per sample).

    Inputs are independent and uniform on ``bounds``. Uses ``n * (d + 2)`` model evaluations.
    Returns one row per input: ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (95% bootstrap half-widths).
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    n = _whole(n, "n", f"a power of 2 of at least {MIN_SOBOL_N}; 1024 or more for stable indices", MIN_SOBOL_N,
               fix="Sobol' sequences keep their balance only for powers of 2, and fewer base samples give noise "
                   "(indices below 0 or above 1)", power_of_two=True)
    seed = _whole(seed, "seed", "a whole number >= 0", 0, fix="pass the notebook's SEED")
    num_resamples = _whole(num_resamples, "num_resamples", f"a whole number >= {MIN_RESAMPLES}", MIN_RESAMPLES,
                           fix="the confidence half-widths are the spread of the bootstrap resamples; keep the "
                               "default 100")
    names = list(names)
    for name, (lo, hi) in zip(names, bounds):
        if not lo < hi:
            raise InputError(where="sobol_indices", field=name, value=(lo, hi), allowed="low < high",
                             fix="give each input's (low, high) range, low first")
    problem = {"num_vars": len(names), "names": names, "bounds": [[float(a), float(b)] for a, b in bounds]}
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(func(X), dtype=float)
    if np.var(y) == 0:
        return pd.DataFrame({"parameter": names, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0})
    # SALib seeds its bootstrap only when ``seed`` is truthy (seed 0 would use numpy's global state and
    # change on every run); a Generator is always truthy and gives the same draws as the integer seed.
    si = sobol_analyze.analyze(problem, y, calc_second_order=False, num_resamples=num_resamples,
                               print_to_console=False, seed=np.random.default_rng(seed))
    return pd.DataFrame({"parameter": names, "S1": si["S1"], "S1_conf": si["S1_conf"],
                         "ST": si["ST"], "ST_conf": si["ST_conf"]})


def ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami function ``sin x1 + a sin^2 x2 + b x3^4 sin x1`` on ``[-pi, pi]^3``."""
    X = np.asarray(X, dtype=float)
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> pd.DataFrame:
    """Analytic first-order and total Sobol indices of the Ishigami function (inputs uniform on [-pi, pi])."""
    pi = np.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = 8 * b ** 2 * pi ** 8 / 225
    var = a ** 2 / 8 + b * pi ** 4 / 5 + b ** 2 * pi ** 8 / 18 + 0.5
    return pd.DataFrame({"parameter": ["x1", "x2", "x3"],
                         "S1": [v1 / var, v2 / var, 0.0],
                         "ST": [(v1 + v13) / var, v2 / var, v13 / var]})
