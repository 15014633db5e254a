"""Multi-criteria decision analysis (MCDA) methods, on plain arrays.

Everything here is generic: it knows nothing about policing, the model or the data files, so each
method can be checked against independent references (see ``tests/test_mcda.py``).
:mod:`helpers.decision` feeds it the project's criteria, profiles and Monte Carlo draws.

Conventions
-----------
- A decision matrix ``X`` has shape ``(..., options, criteria)``; leading axes (for example Monte Carlo
  draws) are carried through every method, so nothing loops over draws in Python.
- ``benefit`` is a vector over criteria: ``True`` when higher values are better. Each flag may be a bool,
  0/1, or a direction as written in ``data/criteria.csv`` (``"higher_is_better"``, ``"lower_is_better"``).
- The methods trust their inputs: :mod:`helpers.decision` checks what a user types (profiles, weights) before
  anything reaches them.
- Weights are non-negative and sum to one; shape ``(criteria,)`` or ``(..., criteria)``.

Methods
-------
- Weights from a ranking: rank-order centroid (see Roberts and Goodwin 2002), or swing weights (points given
  to each criterion's swing from worst to best, divided by their sum, as in Edwards and Barron 1994).
- Weighted sum of linear value scores, each criterion rescaled so that the worst level in a reference
  range scores 0 and the best scores 1 (a transparent additive value model). The reference range is the
  swing between the options' means (:func:`swing_ranges`, the default of :mod:`helpers.decision`) or the
  range over every draw and option (:func:`criterion_ranges`).
- TOPSIS (Hwang and Yoon 1981): closeness to the ideal and distance from the anti-ideal option, with
  vector normalisation (the original) or min-max normalisation.
- Ranking with a deterministic tie-break: scores within ``TIE_TOL`` of the best score of their group are
  tied and ordered by the option order given (the same test as :func:`top_is_tied`), and the tie is
  reported, never hidden.
- Rank acceptability (as in SMAA, Lahdelma and Salminen 2001): the share of draws in which each option
  takes each rank.
- Flip analysis: the smallest change of weights that changes the top option, in total weight moved
  (a small linear programme), and one criterion at a time.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from helpers.errors import InputError

#: Scores closer than this are treated as tied (then ordered by the option order given).
TIE_TOL = 1e-9
#: How a criterion's direction may be written (as in data/criteria.csv), and what it means for ``benefit``.
DIRECTIONS = {"higher_is_better": True, "lower_is_better": False}
#: Largest number of points :func:`simplex_grid` returns (the grid grows with the square of 1/step).
MAX_GRID_POINTS = 200_000
#: Number of shares in a :func:`simplex_grid` point (a ternary grid: three criterion groups).
GRID_PARTS = 3


def is_number(value) -> bool:
    """True for a real number (int, float, numpy number); False for bools, strings, None and the rest."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def benefit_flags(benefit) -> np.ndarray:
    """``benefit`` as a boolean array: True, 1 or ``"higher_is_better"`` is a benefit criterion; False, 0
    or ``"lower_is_better"`` a cost (a direction as written in ``data/criteria.csv``)."""
    b = np.asarray(benefit, dtype=object)
    return np.array([DIRECTIONS[v] if isinstance(v, str) else bool(v) for v in b.ravel()], dtype=bool).reshape(b.shape)


# --------------------------------------------------------------------------------------------------
# Weights from a ranking
# --------------------------------------------------------------------------------------------------
def rank_order_centroid(n: int) -> np.ndarray:
    """Rank-order centroid weights for ``n`` strictly ranked criteria: ``w_i = (1/n) sum_{k=i..n} 1/k``.

    They are the centre of the set of weight vectors consistent with the ranking (w_1 >= ... >= w_n).
    """
    inv = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inv[::-1])[::-1] / n


def roc_weights_from_groups(groups: Sequence[Sequence[str]]) -> dict[str, float]:
    """Rank-order centroid weights for a ranking given as tie groups, most important first.

    Tied criteria share the average of the centroid weights of the positions they occupy, so the
    weights still sum to one.
    """
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
    total = float(sum(points.values()))
    return {c: p / total for c, p in points.items()}


def sample_ranked_weights(groups: Sequence[Sequence[str]], n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` weight vectors drawn uniformly from the set consistent with a ranking (w_1 >= w_2 >= ...).

    Columns follow the criteria in ranking order (flattened groups). A uniform draw on the simplex,
    sorted in decreasing order, is uniform on the ranked region; tied criteria then share the average of
    their positions' draws. Returns shape ``(n, criteria)``.
    """
    k = sum(len(g) for g in groups)
    w = np.sort(rng.dirichlet(np.ones(k), size=int(n)), axis=1)[:, ::-1]
    pos = 0
    for g in groups:
        if len(g) > 1:
            w[:, pos:pos + len(g)] = w[:, pos:pos + len(g)].mean(axis=1, keepdims=True)
        pos += len(g)
    return w


# --------------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------------
def normalize_weights(weights) -> np.ndarray:
    """Weights (non-negative, not all zero) rescaled to sum to one along the last axis."""
    w = np.asarray(weights, dtype=float)
    return w / w.sum(axis=-1, keepdims=True)


# --------------------------------------------------------------------------------------------------
# Weighted sum of value scores
# --------------------------------------------------------------------------------------------------
def _matrix(X, benefit) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(X, dtype=float), benefit_flags(benefit)


def criterion_ranges(X, benefit) -> tuple[np.ndarray, np.ndarray]:
    """Worst and best level of each criterion over every option and every leading axis (e.g. all draws)."""
    x, b = _matrix(X, benefit)
    flat = x.reshape(-1, x.shape[-1])
    lo, hi = flat.min(axis=0), flat.max(axis=0)
    return np.where(b, lo, hi), np.where(b, hi, lo)


def swing_ranges(X, benefit) -> tuple[np.ndarray, np.ndarray]:
    """Worst and best of each criterion among the options' means over the leading axes (e.g. the draws):
    the swing between the options being compared, the reference of swing weighting (Keeney and Raiffa).

    With these ranges a weight means what a stakeholder says when asked "how much does the swing from
    the worst to the best option on this criterion matter?"; an uncertainty shared by every option (a
    national crime rate, say) no longer shrinks a criterion's scale."""
    x, b = _matrix(X, benefit)
    means = x.reshape(-1, *x.shape[-2:]).mean(axis=0)
    lo, hi = means.min(axis=0), means.max(axis=0)
    return np.where(b, lo, hi), np.where(b, hi, lo)


def value_scores(X, benefit, ranges: tuple | None = None) -> np.ndarray:
    """Linear value scores: 0 at the worst level of the reference range, 1 at the best.

    ``ranges`` is ``(worst, best)`` per criterion; by default the range over all of ``X`` (all draws),
    so a score means the same thing in every draw. A criterion with no spread scores 1 everywhere: it
    cannot separate the options.
    """
    x, b = _matrix(X, benefit)
    worst, best = criterion_ranges(x, b) if ranges is None else (np.asarray(r, dtype=float) for r in ranges)
    span = best - worst
    flat = np.abs(span) < 1e-12 * np.maximum(1.0, np.abs(best))
    safe = np.where(flat, 1.0, span)
    v = (x - worst) / safe
    return np.where(flat, 1.0, v)


def weighted_sum(X, weights, benefit, ranges: tuple | None = None) -> np.ndarray:
    """Weighted sum of linear value scores, shape ``(..., options)``; higher is better (0 to 1 in range)."""
    x, b = _matrix(X, benefit)
    w = normalize_weights(weights)
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
    vector = {"vector": True, "minmax": False}[normalization]  # another name is a KeyError
    x, b = _matrix(X, benefit)
    w = normalize_weights(weights)
    if vector:
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
    """Ranks (1 = best) along the last axis, higher score better. Works on any leading shape.

    Scores are sorted from best to worst and cut into tie groups: a group starts at its best score and
    takes every following score within ``tol`` of it (``best - score <= tol``, the test
    :func:`top_is_tied` uses). Inside a group the option that comes first in the given order ranks first,
    so a near-tie is always settled by the option order, never by a difference smaller than ``tol``."""
    s = np.asarray(scores, dtype=float)
    n = s.shape[-1]
    if s.size == 0:
        return np.zeros(s.shape, dtype=np.intp)
    # Best first; equal scores keep the given order (stable sort).
    order = np.argsort(-s, axis=-1, kind="stable").reshape(-1, n)
    if n > 1:
        ss = np.take_along_axis(s.reshape(-1, n), order, axis=-1)
        # Differences of huge scores may overflow to inf (still > tol, as they should be); equal infinite
        # scores give NaN (not > tol: tied). Neither needs a warning.
        with np.errstate(over="ignore", invalid="ignore"):
            near = ~((ss[:, :-1] - ss[:, 1:]) > tol)
            rows = np.flatnonzero(near.any(axis=1))  # only rows with a near-tie need the tie groups
            if rows.size:
                every = rows.size == order.shape[0]
                sub, pos = (ss, order) if every else (ss[rows], order[rows])
                group = np.zeros(sub.shape, dtype=np.intp)
                lead = sub[:, 0]
                for i in range(1, n):  # a loop over options, vectorised over the rows (draws)
                    new = (lead - sub[:, i]) > tol
                    group[:, i] = group[:, i - 1] + new
                    lead = np.where(new, sub[:, i], lead)
                # Order by (group, given position): group * n + position is a unique integer key.
                grouped = np.take_along_axis(pos, np.argsort(group * n + pos, axis=-1), axis=-1)
                if every:
                    order = grouped
                else:
                    order[rows] = grouped
    order = order.reshape(s.shape)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, n + 1), order.shape), axis=-1)
    return ranks


def top_is_tied(scores, tol: float = TIE_TOL) -> np.ndarray:
    """True where the best and second-best scores are within ``tol`` (the tie-break decided the top)."""
    s = np.sort(np.asarray(scores, dtype=float), axis=-1)
    if s.shape[-1] < 2:
        return np.zeros(s.shape[:-1], dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        return (np.abs(s[..., -1] - s[..., -2]) <= tol) | (s[..., -1] == s[..., -2])


def rank_acceptability(ranks) -> np.ndarray:
    """Share of draws in which each option takes each rank: array ``(options, ranks)``; rows and columns
    each sum to one. ``ranks`` has shape ``(draws, options)``, each row a permutation of 1..options."""
    r = np.asarray(ranks)
    return np.stack([(r == k).mean(axis=0) for k in range(1, r.shape[1] + 1)], axis=1)


# --------------------------------------------------------------------------------------------------
# Flips: how far the weights must move before the top option changes
# --------------------------------------------------------------------------------------------------
#: Margin retried in flip_distance when the solver's answer, checked exactly, does not change the top.
LP_MARGIN = 1e-6
#: Relative amount added to TIE_TOL when a challenger listed after the best option must lead by more than it.
FLIP_NUDGE = 1e-3


def _values_weights(values, weights) -> tuple[np.ndarray, np.ndarray]:
    """A value-score matrix ``(options, criteria)`` and one weight vector for it, summing to one."""
    return np.asarray(values, dtype=float), normalize_weights(weights)


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

    v, w = _values_weights(values, weights)
    k = v.shape[1]
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
        # the first one does not really put b first, wider margins are tried before giving up on b. A lead
        # of exactly TIE_TOL is still a tie for rank() (it needs more), so the first retry adds a hair.
        margins = (0.0,) if b < best else (TIE_TOL, TIE_TOL * (1 + FLIP_NUDGE))
        for margin in (*margins, LP_MARGIN):
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
    v, w = _values_weights(values, weights)
    n_opt, k = v.shape
    best = int(np.argmin(rank(v @ w)))
    out = []
    for j in range(k):
        if k == 1:  # the only criterion: no other weight can absorb a change, so its weight stays 1
            out.append({"criterion": j, "weight": float(w[j]), "up": None, "winner_up": None,
                        "down": None, "winner_down": None})
            continue
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
                down, win_down = max(t, 0.0) + 0.0, b  # + 0.0 turns -0.0 (from 0 / negative) into 0.0
        out.append({"criterion": j, "weight": float(w[j]), "up": up, "winner_up": win_up,
                    "down": down, "winner_down": win_down})
    return out


# --------------------------------------------------------------------------------------------------
# Weight space
# --------------------------------------------------------------------------------------------------
def grid_points(divisions: int, parts: int = GRID_PARTS) -> int:
    """Number of points of a simplex grid with ``parts`` shares and step ``1/divisions``:
    ``C(divisions + parts - 1, parts - 1)``."""
    from math import comb

    return comb(divisions + parts - 1, parts - 1)


def _max_grid_divisions() -> int:
    n = 1
    while grid_points(n + 1) <= MAX_GRID_POINTS:
        n += 1
    return n


def simplex_grid(step: float = 0.05) -> np.ndarray:
    """Points ``(a, b, c)`` with ``a + b + c = 1`` on a regular grid of the given step (a ternary grid)."""
    n = round(1.0 / step) if is_number(step) and 0 < step <= 1 else 0
    if not 1 <= n <= _max_grid_divisions() or abs(n * step - 1.0) > 1e-9:
        raise InputError(where="simplex_grid", field="step", value=step,
                         allowed=f"a number 1/n for a whole number n from 1 to {_max_grid_divisions()} "
                                 f"(at most {MAX_GRID_POINTS:,} grid points)",
                         fix="use a step such as 0.1, 0.05 or 0.025")
    pts = [(i / n, j / n, (n - i - j) / n) for i in range(n + 1) for j in range(n + 1 - i)]
    return np.array(pts)


def group_weights(group_shares, membership, within) -> np.ndarray:
    """Criterion weights from shares per group: ``group_shares`` ``(points, groups)``, ``membership``
    a group index per criterion, ``within`` the weights inside each group (rescaled to sum to one per
    group; a group whose criteria all have zero weight splits equally)."""
    g = np.asarray(group_shares, dtype=float)
    m = np.asarray(membership, dtype=int)
    wi = np.array(within, dtype=float)
    for grp in range(g.shape[1]):
        idx = m == grp
        s = wi[idx].sum()
        wi[idx] = wi[idx] / s if s > 0 else 1.0 / idx.sum()
    return g[:, m] * wi[None, :]
