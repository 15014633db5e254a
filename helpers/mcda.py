"""Multi-criteria decision analysis (MCDA) methods, on plain arrays.

Everything here is generic: it knows nothing about policing, the model or the data files, so each
method can be checked against independent references (see ``tests/test_decision_mcda.py``).
:mod:`helpers.decision` feeds it the project's criteria, profiles and Monte Carlo draws.

Conventions
-----------
- A decision matrix ``X`` has shape ``(..., options, criteria)``; leading axes (for example Monte Carlo
  draws) are carried through every method, so nothing loops over draws in Python.
- ``benefit`` is a boolean vector over criteria: ``True`` when higher values are better.
- Weights are non-negative and sum to one; shape ``(criteria,)`` or ``(..., criteria)``.

Methods
-------
- Weights from a ranking: rank-order centroid (see Roberts and Goodwin 2002), or swing weights (points given
  to each criterion's swing from worst to best, divided by their sum, as in Edwards and Barron 1994).
- Weighted sum of linear value scores, each criterion rescaled so that the worst level in a reference
  range scores 0 and the best scores 1 (a transparent additive value model).
- TOPSIS (Hwang and Yoon 1981): closeness to the ideal and distance from the anti-ideal option, with
  vector normalisation (the original) or min-max normalisation.
- Ranking with a deterministic tie-break: equal scores (after rounding to ``TIE_TOL``) are ordered by
  the option order given, and the tie is reported, never hidden.
- Rank acceptability (as in SMAA, Lahdelma and Salminen 2001): the share of draws in which each option
  takes each rank.
- Flip analysis: the smallest change of weights that changes the top option, in total weight moved
  (a small linear programme), and one criterion at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.errors import InputError

#: Scores closer than this are treated as tied (then ordered by the option order given).
TIE_TOL = 1e-9
TOPSIS_NORMALIZATIONS = ("vector", "minmax")


# --------------------------------------------------------------------------------------------------
# Weights from a ranking
# --------------------------------------------------------------------------------------------------
def rank_order_centroid(n: int) -> np.ndarray:
    """Rank-order centroid weights for ``n`` strictly ranked criteria: ``w_i = (1/n) sum_{k=i..n} 1/k``.

    They are the centre of the set of weight vectors consistent with the ranking (w_1 >= ... >= w_n).
    """
    if int(n) != n or n < 1:
        raise InputError(where="rank_order_centroid", field="n", value=n, allowed="an integer >= 1")
    n = int(n)
    inv = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inv[::-1])[::-1] / n


def _check_groups(groups: Sequence[Sequence[str]], where: str) -> list[list[str]]:
    out = [list(g) for g in groups]
    flat = [c for g in out for c in g]
    if not flat or any(len(g) == 0 for g in out):
        raise InputError(where=where, field="ranking", value=groups, allowed="at least one criterion per rank")
    dup = sorted({c for c in flat if flat.count(c) > 1})
    if dup:
        raise InputError(where=where, field="ranking", value=dup[0], problem=f"criterion {dup[0]!r} is ranked twice",
                         fix="list each criterion once")
    return out


def roc_weights_from_groups(groups: Sequence[Sequence[str]]) -> dict[str, float]:
    """Rank-order centroid weights for a ranking given as tie groups, most important first.

    Tied criteria share the average of the centroid weights of the positions they occupy, so the
    weights still sum to one.
    """
    groups = _check_groups(groups, "rank_order_centroid")
    n = sum(len(g) for g in groups)
    roc = rank_order_centroid(n)
    out: dict[str, float] = {}
    pos = 0
    for g in groups:
        share = float(roc[pos:pos + len(g)].mean())
        for c in g:
            out[c] = share
        pos += len(g)
    return out


def swing_weights(points: dict[str, float]) -> dict[str, float]:
    """Swing weights: points for each criterion's swing from worst to best, divided by their sum."""
    if not points:
        raise InputError(where="swing_weights", field="points", value=points, allowed="at least one criterion")
    for c, p in points.items():
        if not np.isfinite(p) or p < 0:
            raise InputError(where="swing_weights", field=c, value=p, allowed="a finite number >= 0",
                             fix="give each swing 0 to 100 points")
    total = float(sum(points.values()))
    if total <= 0:
        raise InputError(where="swing_weights", field="points", value=points,
                         problem="all swing points are zero", allowed="at least one positive score")
    return {c: float(p) / total for c, p in points.items()}


def sample_ranked_weights(groups: Sequence[Sequence[str]], n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` weight vectors drawn uniformly from the set consistent with a ranking (w_1 >= w_2 >= ...).

    Columns follow the criteria in ranking order (flattened groups). A uniform draw on the simplex,
    sorted in decreasing order, is uniform on the ranked region; tied criteria then share the average of
    their positions' draws. Returns shape ``(n, criteria)``.
    """
    groups = _check_groups(groups, "sample_ranked_weights")
    k = sum(len(g) for g in groups)
    w = np.sort(rng.dirichlet(np.ones(k), size=int(n)), axis=1)[:, ::-1]
    pos = 0
    for g in groups:
        if len(g) > 1:
            w[:, pos:pos + len(g)] = w[:, pos:pos + len(g)].mean(axis=1, keepdims=True)
        pos += len(g)
    return w


# --------------------------------------------------------------------------------------------------
# Checks shared by the methods
# --------------------------------------------------------------------------------------------------
def check_weights(weights, n_criteria: int, where: str = "weights", names: Sequence[str] | None = None) -> np.ndarray:
    """Validate weights (finite, >= 0, not all zero) and rescale them to sum to one along the last axis."""
    w = np.asarray(weights, dtype=float)
    label = (lambda j: names[j]) if names is not None else (lambda j: f"criterion {j}")
    if w.shape[-1:] != (n_criteria,):
        raise InputError(where=where, field="weights", value=f"shape {w.shape}",
                         allowed=f"one weight per criterion ({n_criteria})")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        at = tuple(np.argwhere(bad)[0])
        j = int(at[-1])
        raise InputError(where=where, field=label(j), value=float(w[at]),
                         allowed="a finite weight >= 0", fix="weights cannot be negative")
    total = w.sum(axis=-1, keepdims=True)
    if (total <= 0).any():
        raise InputError(where=where, field="weights", value="all zero",
                         problem="all weights are zero", allowed="at least one positive weight")
    return w / total


def _check_matrix(X, benefit) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(X, dtype=float)
    b = np.asarray(benefit, dtype=bool)
    if x.ndim < 2:
        raise InputError(where="decision matrix", field="X", value=f"shape {x.shape}",
                         allowed="an array of shape (..., options, criteria)")
    if b.shape != (x.shape[-1],):
        raise InputError(where="decision matrix", field="benefit", value=f"shape {b.shape}",
                         allowed=f"one flag per criterion ({x.shape[-1]})")
    if not np.isfinite(x).all():
        raise InputError(where="decision matrix", field="X", value="NaN or infinite value",
                         allowed="finite numbers", fix="check the model outcomes feeding the criteria")
    return x, b


# --------------------------------------------------------------------------------------------------
# Weighted sum of value scores
# --------------------------------------------------------------------------------------------------
def criterion_ranges(X, benefit) -> tuple[np.ndarray, np.ndarray]:
    """Worst and best level of each criterion over every option and every leading axis (e.g. all draws)."""
    x, b = _check_matrix(X, benefit)
    flat = x.reshape(-1, x.shape[-1])
    lo, hi = flat.min(axis=0), flat.max(axis=0)
    return np.where(b, lo, hi), np.where(b, hi, lo)


def value_scores(X, benefit, ranges: tuple | None = None) -> np.ndarray:
    """Linear value scores: 0 at the worst level of the reference range, 1 at the best.

    ``ranges`` is ``(worst, best)`` per criterion; by default the range over all of ``X`` (all draws),
    so a score means the same thing in every draw. A criterion with no spread scores 1 everywhere: it
    cannot separate the options.
    """
    x, b = _check_matrix(X, benefit)
    worst, best = criterion_ranges(x, b) if ranges is None else (np.asarray(ranges[0], float),
                                                                   np.asarray(ranges[1], float))
    span = best - worst
    flat = np.abs(span) < 1e-12 * np.maximum(1.0, np.abs(best))
    safe = np.where(flat, 1.0, span)
    v = (x - worst) / safe
    return np.where(flat, 1.0, v)


def weighted_sum(X, weights, benefit, ranges: tuple | None = None) -> np.ndarray:
    """Weighted sum of linear value scores, shape ``(..., options)``; higher is better (0 to 1 in range)."""
    x, b = _check_matrix(X, benefit)
    w = check_weights(weights, x.shape[-1], where="weighted_sum")
    v = value_scores(x, b, ranges)
    return np.einsum("...oc,...c->...o", v, w)


# --------------------------------------------------------------------------------------------------
# TOPSIS
# --------------------------------------------------------------------------------------------------
def topsis(X, weights, benefit, normalization: str = "vector") -> np.ndarray:
    """TOPSIS closeness coefficients, shape ``(..., options)``; higher is better, between 0 and 1.

    ``normalization="vector"`` divides each column by its Euclidean norm (Hwang and Yoon's original);
    ``"minmax"`` rescales each column to 0..1 (1 = best), as pymcdm does by default. Each decision
    matrix (each draw) is normalised on its own, which is part of what can make TOPSIS and the weighted
    sum disagree. When every option is identical, all closeness values are 0.5.
    """
    if normalization not in TOPSIS_NORMALIZATIONS:
        raise InputError(where="topsis", field="normalization", value=normalization,
                         allowed=", ".join(TOPSIS_NORMALIZATIONS))
    x, b = _check_matrix(X, benefit)
    w = check_weights(weights, x.shape[-1], where="topsis")
    if normalization == "vector":
        norm = np.sqrt((x ** 2).sum(axis=-2, keepdims=True))
        r = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
        v = r * w[..., None, :]
        pis = np.where(b, v.max(axis=-2, keepdims=True), v.min(axis=-2, keepdims=True))
        nis = np.where(b, v.min(axis=-2, keepdims=True), v.max(axis=-2, keepdims=True))
    else:
        lo, hi = x.min(axis=-2, keepdims=True), x.max(axis=-2, keepdims=True)
        span = hi - lo
        r = np.divide(x - lo, span, out=np.zeros_like(x), where=span > 0)
        r = np.where(b, r, np.where(span > 0, 1.0 - r, 0.0))
        v = r * w[..., None, :]
        pis, nis = v.max(axis=-2, keepdims=True), v.min(axis=-2, keepdims=True)
    d_plus = np.sqrt(((v - pis) ** 2).sum(axis=-1))
    d_minus = np.sqrt(((v - nis) ** 2).sum(axis=-1))
    total = d_plus + d_minus
    return np.divide(d_minus, total, out=np.full_like(total, 0.5), where=total > 0)


# --------------------------------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------------------------------
def rank(scores, tol: float = TIE_TOL) -> np.ndarray:
    """Ranks (1 = best) along the last axis, higher score better. Scores are compared after rounding to
    multiples of ``tol``; equal rounded scores (a tie) go to the option that comes first in the given
    order. Works on any leading shape."""
    s = np.asarray(scores, dtype=float)
    n = s.shape[-1]
    # Quantise so near-equal scores compare equal, then sort by (-score, position): a stable sort on
    # -quantised scores keeps the given order among ties.
    q = np.round(s / tol) if tol > 0 else s
    order = np.argsort(-q, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, n + 1), order.shape), axis=-1)
    return ranks


def top_is_tied(scores, tol: float = TIE_TOL) -> np.ndarray:
    """True where the best and second-best scores are within ``tol`` (the tie-break decided the top)."""
    s = np.sort(np.asarray(scores, dtype=float), axis=-1)
    if s.shape[-1] < 2:
        return np.zeros(s.shape[:-1], dtype=bool)
    return np.abs(s[..., -1] - s[..., -2]) <= tol


def rank_acceptability(ranks) -> np.ndarray:
    """Share of draws in which each option takes each rank: array ``(options, ranks)``; rows and columns
    each sum to one. ``ranks`` has shape ``(draws, options)``."""
    r = np.asarray(ranks)
    if r.ndim != 2:
        raise InputError(where="rank_acceptability", field="ranks", value=f"shape {r.shape}",
                         allowed="an array of shape (draws, options)")
    n = r.shape[1]
    out = np.stack([(r == k).mean(axis=0) for k in range(1, n + 1)], axis=1)
    return out


# --------------------------------------------------------------------------------------------------
# Flips: how far the weights must move before the top option changes
# --------------------------------------------------------------------------------------------------
#: Margin retried in flip_distance when the solver's answer, checked exactly, does not change the top.
LP_MARGIN = 1e-6


def flip_distance(values, weights) -> dict:
    """Smallest change of weights that makes another option take first place (a tie counts when the
    tie-break favours the challenger; otherwise it must lead by ``TIE_TOL``).

    ``values`` is a value-score matrix ``(options, criteria)`` (weighted sum = values @ weights).
    The change is measured as total weight moved, half the L1 distance between the weight vectors
    (0 = no change, 1 = all weight moved elsewhere). Solved as one small linear programme per
    challenger. Returns ``best``, ``challenger`` (option indices), ``moved``, ``new_weights``;
    ``challenger`` is None when no weights make another option win (e.g. the best option dominates).
    """
    from scipy.optimize import linprog

    v = np.asarray(values, dtype=float)
    k = v.shape[1]
    w = check_weights(weights, k, where="flip_distance")
    scores = v @ w
    best = int(np.argmin(rank(scores)))  # rank 1
    result = {"best": best, "challenger": None, "moved": np.nan, "new_weights": None}
    # variables: p (k), m (k) >= 0 ; w' = w + p - m
    c = np.ones(2 * k)
    a_eq = np.concatenate([np.ones(k), -np.ones(k)])[None, :]
    for b in range(v.shape[0]):
        if b == best:
            continue
        d = v[best] - v[b]  # score gap of best over b is w'.d; b takes first place when w'.d < 0, or
        # when w'.d = 0 and b comes first in the order (the tie-break)
        a_ub = [np.concatenate([d, -d]),                     # (w + p - m).d <= -margin
                *np.concatenate([-np.eye(k), np.eye(k)], axis=1)]  # -(w + p - m) <= 0
        # The solver meets constraints only to about 1e-7, so every solution is checked with rank(); if
        # the first one does not really put b first, a wider margin is tried once before giving up on b.
        for margin in ((0.0 if b < best else TIE_TOL), LP_MARGIN):
            b_ub = [-(w @ d) - margin, *w]
            res = linprog(c, A_ub=np.array(a_ub), b_ub=np.array(b_ub), A_eq=a_eq, b_eq=[0.0],
                          bounds=[(0, None)] * (2 * k), method="highs")
            if res.status != 0:
                break
            new = np.clip(w + res.x[:k] - res.x[k:], 0.0, None)
            new = new / new.sum()
            if int(np.argmin(rank(v @ new))) == b:
                break
            new = None
        if res.status != 0 or new is None:
            continue
        moved = float(np.abs(new - w).sum()) / 2.0
        if result["challenger"] is None or moved < result["moved"] - 1e-12:
            result.update(challenger=b, moved=moved, new_weights=new)
    return result


def one_criterion_thresholds(values, weights) -> list[dict]:
    """For each criterion, the weights at which the top option changes when that weight alone moves
    (the others keep their proportions and absorb the change).

    Returns one dict per criterion: ``weight`` (current), ``up`` and ``down`` (the nearest threshold
    above and below, or None), ``winner_up`` and ``winner_down`` (option index that takes over).
    """
    v = np.asarray(values, dtype=float)
    n_opt, k = v.shape
    w = check_weights(weights, k, where="one_criterion_thresholds")
    best = int(np.argmin(rank(v @ w)))
    out = []
    for j in range(k):
        rest = 1.0 - w[j]
        others = np.delete(np.arange(k), j)
        if rest > 1e-12:
            r = v[:, others] @ (w[others] / rest)
        else:
            r = v[:, others].mean(axis=1) if len(others) else np.zeros(n_opt)
        up, down, win_up, win_down = None, None, None, None
        for b in range(n_opt):
            if b == best:
                continue
            dv = v[best, j] - v[b, j]
            dr = r[best] - r[b]
            denom = dr - dv
            if abs(denom) < 1e-15:
                continue
            t = dr / denom  # where S_best(t) == S_b(t)
            # At the ends of the range a crossing is only a tie, which the tie-break gives to the option
            # listed first: it changes the top option only if the challenger comes first.
            if b > best and (t >= 1.0 - 1e-12 or t <= 1e-12):
                continue
            if w[j] + 1e-12 < t <= 1.0 + 1e-12 and (up is None or t < up - 1e-12):
                up, win_up = min(t, 1.0), b
            if -1e-12 <= t < w[j] - 1e-12 and (down is None or t > down + 1e-12):
                down, win_down = max(t, 0.0), b
        out.append({"criterion": j, "weight": float(w[j]), "up": up, "winner_up": win_up,
                    "down": down, "winner_down": win_down})
    return out


# --------------------------------------------------------------------------------------------------
# Weight space
# --------------------------------------------------------------------------------------------------
def simplex_grid(step: float = 0.05) -> np.ndarray:
    """Points ``(a, b, c)`` with ``a + b + c = 1`` on a regular grid of the given step (a ternary grid)."""
    n = round(1.0 / step)
    if n < 1 or abs(n * step - 1.0) > 1e-9:
        raise InputError(where="simplex_grid", field="step", value=step, allowed="1/n for a whole number n")
    pts = [(i / n, j / n, (n - i - j) / n) for i in range(n + 1) for j in range(n + 1 - i)]
    return np.array(pts)


def group_weights(group_shares, membership, within) -> np.ndarray:
    """Criterion weights from shares per group: ``group_shares`` ``(points, groups)``, ``membership``
    a group index per criterion, ``within`` the weights inside each group (rescaled to sum to one per
    group; a group whose criteria all have zero weight splits equally)."""
    g = np.asarray(group_shares, dtype=float)
    m = np.asarray(membership, dtype=int)
    wi = np.asarray(within, dtype=float).copy()
    for grp in range(g.shape[1]):
        idx = m == grp
        if not idx.any():
            raise InputError(where="group_weights", field="membership", value=grp,
                             problem=f"group {grp} has no criterion")
        s = wi[idx].sum()
        wi[idx] = wi[idx] / s if s > 0 else 1.0 / idx.sum()
    return g[:, m] * wi[None, :]
