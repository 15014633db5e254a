"""Decision analysis: compare the options through stakeholders' eyes, under uncertainty.

This module joins the project's pieces: criteria (``data/criteria.csv``), fictional stakeholder
profiles (``data/stakeholder_profiles.csv``), the Monte Carlo outcomes of :mod:`helpers.model` and the
legal risk scores of :mod:`helpers.legal`. The generic methods live in :mod:`helpers.mcda` (weights,
weighted sum, TOPSIS, ranking, flips), :mod:`helpers.robustness` (expected value, maximin, minimax
regret, satisficing and, with ``metrics="all"``, ten metrics from maximax to relative regret) and :mod:`helpers.sensitivity` (tornado, Sobol).

Flow::

    results = model.simulate(draws, seed)             # tidy: draw, option, outcome, value
    perf = performance(results, regime)                # draws x options x criteria; infeasible options dropped
    compare_methods(perf)                              # weighted sum vs TOPSIS, per profile
    acceptability(perf, "police_chief", seed=...)      # how often each option ranks 1st, 2nd ...
    flip_table(perf); thresholds_table(perf, pid)      # weight changes that change the answer
    robustness_summary(perf)                           # when the "robust" choice depends on the metric
    cruxes(perf)                                       # plain sentences tied to the numbers

Weights are never typed in: each profile stores a ranking of the criteria (and, for swing weighting,
points per swing), and :func:`profile_weights` derives the weights by the documented method. Every
profile is fictional and ILLUSTRATIVE. Ties between options are broken by the option order in
``helpers.options.OPTION_CODES`` (most to least cooperation) and reported wherever they occur.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from helpers import mcda, robustness, sensitivity
from helpers.data import load_table, split_list
from helpers.errors import InputError
from helpers.mcda import is_number
from helpers.options import OPTION_CODES, check_codes

DIRECTIONS = ("higher_is_better", "lower_is_better")
GROUPS = ("enforcement_aims", "rights_protections", "shared_concerns")
GROUP_LABELS = {"enforcement_aims": "enforcement aims", "rights_protections": "rights protections",
                "shared_concerns": "safety, cost and local control"}
METHODS = ("weighted_sum", "topsis")
#: How each criterion is put on its 0-1 value scale: ``swing`` (default) against the range between the
#: options' mean values, so a weight means what a stakeholder said about that swing; ``global`` against the
#: range over every draw and option (kept as a sensitivity check: shared uncertainty shrinks the scale).
SCALES = ("swing", "global")
#: TOPSIS rescales each criterion within each draw from the worst to the best option (min-max), so, like the
#: swing scale of the weighted sum, a criterion's weight applies to the spread between the options; the
#: original vector normalisation would let a large shared level (thousands of victimizations) drown it.
TOPSIS_NORMALIZATION = "minmax"
ELICITATION = {"rank_order_centroid": "rank-order centroid weights from the ranking",
               "swing": "swing weights (points for each criterion's worst-to-best swing, divided by their sum)"}
TIE_NOTE = ("Ties are broken by option order (most to least cooperation: " + ", ".join(OPTION_CODES) + ").")


# --------------------------------------------------------------------------------------------------
# Criteria and profiles
# --------------------------------------------------------------------------------------------------
def load_criteria() -> pd.DataFrame:
    """The criteria table (``data/criteria.csv``), indexed by ``criterion_id`` in file order."""
    return check_criteria(load_table("criteria"), "data/criteria.csv")


#: Columns a criteria table needs, and the values allowed where the set is closed (as in its descriptor).
CRITERIA_ENUMS = {"direction": ("higher_is_better", "lower_is_better"), "layer": ("model", "legal"),
                  "combine": ("single", "max", "mean", "sum"),
                  "group": ("enforcement_aims", "rights_protections", "shared_concerns")}


def check_criteria(criteria: pd.DataFrame, where: str = "criteria") -> pd.DataFrame:
    """Check a criteria table (the file's, or one built by hand for a what-if): ids unique, direction,
    layer, combine and group from their allowed sets, ``single`` with exactly one field. Returns it
    indexed by ``criterion_id``."""
    df = criteria.reset_index(drop=True) if "criterion_id" in criteria.columns else criteria.reset_index()
    ids = df["criterion_id"].astype(str)
    dup = ids[ids.duplicated()]
    if len(dup):
        raise InputError(where=where, field="criterion_id", value=dup.iloc[0],
                         problem=f"criterion {dup.iloc[0]!r} appears twice", fix="keep one row per criterion")
    for i, row in df.iterrows():
        cid = str(row["criterion_id"])
        for col, allowed in CRITERIA_ENUMS.items():
            if row[col] not in allowed:
                close = difflib.get_close_matches(str(row[col]), allowed, n=1)
                raise InputError(where=where, row=int(i) + 1, field=col, value=row[col],
                                 problem=f"criterion {cid!r} has {col} {row[col]!r}", allowed=", ".join(allowed),
                                 fix=f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(allowed)}")
        if row["combine"] == "single" and len(split_list(row["fields"])) != 1:
            raise InputError(where=where, row=int(i) + 1, field="fields", value=row["fields"],
                             problem="combine is 'single' but several fields are listed",
                             allowed="exactly one field, or combine = max, mean or sum")
    return df.set_index("criterion_id", drop=False)


def _criterion_ids(criteria: pd.DataFrame | None) -> list[str]:
    return list((load_criteria() if criteria is None else criteria).index)


def _unknown(profile: str, crit: str, known: Sequence[str]) -> dict:
    close = difflib.get_close_matches(crit, list(known), n=1)
    return dict(field=f"profile '{profile}', criterion", value=crit,
                problem=f"profile '{profile}' names unknown criterion {crit!r}", allowed=", ".join(known),
                fix=f"did you mean '{close[0]}'?" if close else "use criterion ids from data/criteria.csv")


def _raise_first(problems: Iterator[dict], where: str) -> None:
    """Raise the first problem found (each a dict of :class:`InputError` fields), if any."""
    for problem in problems:
        raise InputError(where=where, **problem)


def parse_ranking(text: str) -> list[list[str]]:
    """Parse ``"a > b = c > d"`` into tie groups ``[["a"], ["b", "c"], ["d"]]``."""
    return [[c.strip() for c in part.split("=")] for part in str(text).split(">")]


#: One ``criterion: points`` pair of a profile's swing points.
SWING_PAIR = re.compile(r"([A-Za-z0-9_]+)\s*:\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


def parse_swing_points(text: str) -> dict[str, float]:
    """Parse ``"a: 100; b: 60"`` into ``{"a": 100.0, "b": 60.0}``."""
    return {m.group(1): float(m.group(2)) for m in map(SWING_PAIR.fullmatch, split_list(text))}


def _ranking_problems(text: str, pid: str, known: Sequence[str]) -> Iterator[dict]:
    seen: list[str] = []
    for c in (c for g in parse_ranking(text) for c in g):
        if not c:
            yield dict(field=f"profile '{pid}', ranking", value=text, problem=f"profile '{pid}': empty place in "
                       "the ranking", allowed="criterion ids joined by '>' or '='")
        elif c not in known:
            yield _unknown(pid, c, known)
        elif c in seen:
            yield dict(field=f"profile '{pid}', criterion", value=c,
                       problem=f"profile '{pid}' ranks criterion {c!r} twice", fix="list each criterion once")
        seen.append(c)
    for c in (c for c in known if c not in seen):
        yield dict(field=f"profile '{pid}', criterion", value=c, problem=f"profile '{pid}' is missing criterion {c!r}",
                   allowed="every criterion in data/criteria.csv: " + ", ".join(known), fix=f"place '{c}' in the ranking")


def _swing_problems(text: str, pid: str, known: Sequence[str], groups: list[list[str]]) -> Iterator[dict]:
    seen: list[str] = []
    for item in split_list(text):
        m = SWING_PAIR.fullmatch(item)
        crit, pts = (m.group(1), float(m.group(2))) if m else (None, None)
        if not m:
            yield dict(field=f"profile '{pid}', swing_points", value=item,
                       allowed="'criterion: points' pairs separated by ';', points a number from 0 to 100")
        elif crit not in known:
            yield _unknown(pid, crit, known)
        elif crit in seen:
            yield dict(field=f"profile '{pid}', swing_points", value=crit,
                       problem=f"profile '{pid}' gives criterion {crit!r} swing points twice",
                       fix="list each criterion once")
        elif not 0 <= pts <= 100:
            yield dict(field=f"profile '{pid}', criterion '{crit}'", value=pts,
                       problem=f"profile '{pid}' gives criterion {crit!r} {pts:g} swing points",
                       allowed="0 to 100 points", fix="score each swing from 0 to 100")
        seen.append(crit)
    pts = parse_swing_points(text)
    for c in (c for c in known if c not in pts):
        yield dict(field=f"profile '{pid}', criterion", value=c,
                   problem=f"profile '{pid}' gives no swing points for criterion {c!r}",
                   allowed="points for every criterion: " + ", ".join(known))
    if not any(pts.values()):
        yield dict(field=f"profile '{pid}', swing_points", value=text,
                   problem=f"profile '{pid}' gives every criterion zero swing points",
                   fix="give the most important swing 100 points")
    levels = [[pts[c] for c in g] for g in groups]
    for g, lv in zip(groups, levels):
        if len(set(lv)) > 1:
            yield dict(field=f"profile '{pid}', criterion", value=g[0],
                       problem=f"profile '{pid}' ties {' = '.join(g)} in the ranking but gives them different "
                               "swing points", fix="give tied criteria the same points or untie them")
    for (a, *_), (b, *_), g in zip(levels, levels[1:], groups[1:]):
        if a <= b:
            yield dict(field=f"profile '{pid}', criterion", value=g[0],
                       problem=f"profile '{pid}': swing points do not fall along the ranking at {g[0]!r}",
                       fix="a criterion ranked lower needs fewer points (use '=' for ties)")


def profile_problems(row: pd.Series, known: Sequence[str]) -> Iterator[dict]:
    """What is wrong with one stakeholder profile against the criteria ``known``: every criterion ranked once;
    swing points (for swing elicitation only) for every criterion, 0 to 100, falling along the ranking."""
    pid = str(row["profile_id"])
    yield from _ranking_problems(row["ranking"], pid, known)
    if row["elicitation"] == "swing":
        yield from _swing_problems(row["swing_points"], pid, known, parse_ranking(row["ranking"]))
    elif not pd.isna(row["swing_points"]) and str(row["swing_points"]).strip():
        yield dict(field=f"profile '{pid}', swing_points", value=row["swing_points"],
                   problem=f"profile '{pid}' uses rank_order_centroid but also lists swing points",
                   fix="leave swing_points empty or set elicitation to swing")


def load_profiles(criteria: pd.DataFrame | None = None, path=None) -> pd.DataFrame:
    """The stakeholder profiles (``data/stakeholder_profiles.csv``), indexed by ``profile_id``, each
    checked against the criteria (:func:`profile_problems`)."""
    known = _criterion_ids(criteria)
    df = load_table("stakeholder_profiles", path=path).set_index("profile_id", drop=False)
    where = "data/stakeholder_profiles.csv" if path is None else str(path)
    for _, row in df.iterrows():
        _raise_first(profile_problems(row, known), where)
    return df


def _profiles_or_default(profiles: pd.DataFrame | None, criteria: pd.DataFrame | None) -> pd.DataFrame:
    """The profile table passed in (which must have rows), or the checked file."""
    if profiles is None:
        return load_profiles(criteria)
    if not isinstance(profiles, pd.DataFrame) or profiles.empty:
        raise InputError(where="stakeholder profiles", field="profiles",
                         value=type(profiles).__name__ if not isinstance(profiles, pd.DataFrame) else "no rows",
                         allowed="a table like helpers.decision.load_profiles(), with at least one row")
    return profiles


def _profile_row(profile, profiles: pd.DataFrame | None) -> pd.Series:
    if isinstance(profile, pd.Series):
        return profile
    table = _profiles_or_default(profiles, None)
    if profile not in table.index:
        raise InputError(where="stakeholder profiles", field="profile_id", value=profile,
                         allowed=", ".join(table.index), fix="use a profile id from data/stakeholder_profiles.csv")
    return table.loc[profile]


def ranking_groups(profile, profiles: pd.DataFrame | None = None,
                   criteria: pd.DataFrame | None = None) -> list[list[str]]:
    """The profile's ranking as tie groups, most important first. Weights given by hand (a dict or a
    Series of weights) are ranked by size, equal weights tied."""
    if isinstance(profile, Mapping) or (isinstance(profile, pd.Series) and "profile_id" not in profile):
        w = check_weights(profile, getattr(profile, "name", None) or "custom", criteria)
        levels = sorted(set(w.round(12)), reverse=True)
        return [[c for c in w.index if round(w[c], 12) == lv] for lv in levels]
    return parse_ranking(_profile_row(profile, profiles)["ranking"])


def profile_weights(profile, profiles: pd.DataFrame | None = None,
                    criteria: pd.DataFrame | None = None) -> pd.Series:
    """Weights of one profile (a ``profile_id`` or a profile row), derived from its stored ranking by its
    elicitation method; a Series over the criteria in ``data/criteria.csv`` order, summing to one."""
    known = _criterion_ids(criteria)
    row = _profile_row(profile, profiles)
    pid = str(row["profile_id"])
    w = mcda.swing_weights(parse_swing_points(row["swing_points"])) if row["elicitation"] == "swing" \
        else mcda.roc_weights_from_groups(parse_ranking(row["ranking"]))
    return pd.Series([w[c] for c in known], index=pd.Index(known, name="criterion"), name=pid)


def all_profile_weights(profiles: pd.DataFrame | None = None, criteria: pd.DataFrame | None = None) -> pd.DataFrame:
    """Profiles x criteria table of derived weights."""
    table = _profiles_or_default(profiles, criteria)
    return pd.DataFrame({pid: profile_weights(pid, table, criteria) for pid in table.index}).T


def _weight_problems(items: dict, values: dict, profile: str, known: Sequence[str]) -> Iterator[dict]:
    yield from (_unknown(profile, c, known) for c in items if c not in known)
    for c in known:
        if c not in items:
            yield dict(field=f"profile '{profile}', criterion", value=c,
                       problem=f"profile '{profile}' has no weight for criterion {c!r}",
                       allowed="a weight for every criterion: " + ", ".join(known), fix="give it 0 if it does not matter")
        elif not np.isfinite(values[c]) or values[c] < 0:
            yield dict(field=f"profile '{profile}', criterion '{c}'", value=items[c],
                       problem=f"profile '{profile}' gives criterion {c!r} the weight {items[c]!r}",
                       allowed="a finite number >= 0", fix="weights cannot be negative")
    if sum(values.values()) <= 0:
        yield dict(field=f"profile '{profile}', weights", value=values,
                   problem=f"profile '{profile}' gives every criterion zero weight", allowed="at least one positive weight")


def check_weights(weights: Mapping[str, float] | pd.Series, profile: str = "custom",
                  criteria: pd.DataFrame | None = None) -> pd.Series:
    """Validate weights given by hand (for what-if questions): keyed by known criteria, none missing,
    none negative, not all zero. Returns them rescaled to sum to one, in criteria order."""
    known = _criterion_ids(criteria)
    items = dict(weights.items())
    values = {c: float(items[c]) if is_number(items[c]) else np.nan for c in known if c in items}
    _raise_first(_weight_problems(items, values, profile, known), "weights")
    total = sum(values.values())
    return pd.Series([values[c] / total for c in known], index=pd.Index(known, name="criterion"), name=profile)


# --------------------------------------------------------------------------------------------------
# Performance table
# --------------------------------------------------------------------------------------------------
class Performance(NamedTuple):
    """Per-draw criterion values of the options still in the comparison.

    ``table``: DataFrame indexed by (draw, option), one column per criterion, in natural units.
    ``dropped``: options removed because the legal layer marks them infeasible under ``regime``.
    ``contested``: options kept, but whose legal status under ``regime`` is contested.
    """
    table: pd.DataFrame
    dropped: list
    regime: str
    contested: list
    criteria: pd.DataFrame
    risk: pd.DataFrame
    #: The municipality the results were simulated for (``results.attrs["city"]``, set by
    #: ``helpers.model.simulate``); the sensitivity functions re-run the model for it.
    city: object = None
    #: The value scale (:data:`SCALES`).
    scale: str = "swing"

    def ranges(self) -> tuple[np.ndarray, np.ndarray]:
        """(worst, best) per criterion on the performance's value scale (:data:`SCALES`)."""
        if self.scale == "global":
            return mcda.criterion_ranges(self.matrix(), self.benefit)
        return mcda.swing_ranges(self.matrix(), self.benefit)

    def values(self) -> np.ndarray:
        """Value scores ``(draws, options, criteria)`` on the performance's scale (1 = the best option's
        mean, 0 = the worst's, under the swing scale; single draws may fall outside 0-1)."""
        return mcda.value_scores(self.matrix(), self.benefit, self.ranges())

    @property
    def options(self) -> list[str]:
        return [str(o) for o in self.table.index.get_level_values("option").unique()]

    @property
    def benefit(self) -> np.ndarray:
        return (self.criteria["direction"] == "higher_is_better").to_numpy()

    def matrix(self) -> np.ndarray:
        """The values as an array ``(draws, options, criteria)``."""
        n_opt = len(self.options)
        return self.table.to_numpy(dtype=float).reshape(-1, n_opt, self.table.shape[1])

    def dropped_note(self) -> str:
        """A sentence saying which options left the comparison and why (empty string if none)."""
        parts = []
        if self.dropped:
            one = len(self.dropped) == 1
            parts.append(f"Under the '{self.regime}' regime the legal layer marks {', '.join(self.dropped)} "
                         f"infeasible, so {'it leaves' if one else 'they leave'} the comparison.")
        if self.contested:
            one = len(self.contested) == 1
            parts.append(f"{', '.join(self.contested)} {'stays' if one else 'stay'} in but "
                         f"{'is' if one else 'are'} legally contested.")
        return " ".join(parts)


def _combine(frame: pd.DataFrame, how: str) -> pd.Series:
    return {"single": lambda f: f.iloc[:, 0], "max": lambda f: f.max(axis=1), "mean": lambda f: f.mean(axis=1),
            "sum": lambda f: f.sum(axis=1)}[how](frame)


def performance(results: pd.DataFrame, regime: str, criteria: pd.DataFrame | None = None,
                risk: pd.DataFrame | None = None, feasible: Sequence[str] | None = None,
                status: Mapping[str, str] | None = None, scale: str = "swing") -> Performance:
    """Per-draw option x criterion values from model results (tidy ``draw, option, outcome, value``)
    and legal risk scores; options infeasible under ``regime`` are dropped and listed.

    ``risk`` (options x risk columns), ``feasible`` (option codes) and ``status`` (option -> feasible /
    infeasible / contested) default to :mod:`helpers.legal` for the regime; pass them to test or to
    explore a hypothetical legal reading. ``scale`` is ``"swing"`` (default) or ``"global"`` (:data:`SCALES`).
    """
    if scale not in SCALES:
        raise InputError(where="performance", field="scale", value=scale, allowed=", ".join(SCALES))
    crit = load_criteria() if criteria is None else check_criteria(criteria, "performance: criteria")
    city = results.attrs.get("city")
    if results.empty:
        raise InputError(where="performance", field="results", problem="the results table has no rows",
                         fix="pass the output of helpers.model.simulate")
    codes = results["option"].astype(str)
    if not codes.isin(OPTION_CODES).all():  # lower-case or padded codes: normalise once (check_codes accepts them)
        results = results.assign(option=codes.str.strip().str.upper())
    dup = results.duplicated(["draw", "option", "outcome"])
    if dup.any():
        first = results.loc[dup.idxmax()]
        raise InputError(where="performance", field="results",
                         value=f"draw {first['draw']}, option {first['option']}, outcome {first['outcome']}",
                         problem="the results hold two rows for the same draw, option and outcome",
                         fix="keep one value per draw x option x outcome (do not concatenate two runs)")
    if risk is None or feasible is None or status is None:
        from helpers import legal
        regime = legal.check_regime(regime)
        risk = legal.risk_scores(regime) if risk is None else risk
        feasible = legal.feasible_options(regime) if feasible is None else feasible
        if status is None:
            status = legal.compliance_matrix()[regime].to_dict()
    feasible = check_codes(feasible, where="performance: feasible options") if len(feasible) else []
    given = set(results["option"])
    present = [o for o in OPTION_CODES if o in given]
    unknown = sorted(given - set(OPTION_CODES))
    if unknown:
        check_codes(unknown, where="performance: results")
    keep = [o for o in present if o in feasible]
    dropped = [o for o in present if o not in feasible]
    if not keep:
        raise InputError(where="performance", field="regime", value=regime,
                         problem=f"no option in the results is feasible under '{regime}'",
                         allowed="a regime under which at least one simulated option is feasible")
    contested = [o for o in keep if str(status.get(o, "")) == "contested"]
    wide = results[results["option"].isin(keep)].pivot_table(index=["draw", "option"], columns="outcome",
                                                              values="value", aggfunc="first", sort=True)
    draws = sorted(results["draw"].unique())
    full_index = pd.MultiIndex.from_product([draws, keep], names=["draw", "option"])
    wide = wide.reindex(full_index)
    out = pd.DataFrame(index=full_index)
    for cid, row in crit.iterrows():
        fields = split_list(row["fields"])
        if row["layer"] == "model":
            missing = [f for f in fields if f not in wide.columns]
            if missing:
                raise InputError(where="performance", field=f"criterion '{cid}'", value=missing[0],
                                 problem=f"model outcome {missing[0]!r} for criterion '{cid}' is not in the results",
                                 allowed=", ".join(map(str, wide.columns)))
            block = wide[fields]
        else:
            block = risk.loc[full_index.get_level_values("option"), fields].set_axis(full_index)
        out[cid] = _combine(block.astype(float), row["combine"])
    if out.isna().any().any():
        cid = out.columns[out.isna().any()][0]
        raise InputError(where="performance", field=f"criterion '{cid}'", value="missing value",
                         problem=f"some draw x option has no value for criterion '{cid}'",
                         fix="give every draw a value for every option and outcome")
    return Performance(out, dropped, regime, contested, crit, risk.reindex(keep), city, scale)


# --------------------------------------------------------------------------------------------------
# Scores and method comparison
# --------------------------------------------------------------------------------------------------
def _weights_vector(perf: Performance, profile, profiles=None) -> np.ndarray:
    if isinstance(profile, (pd.Series, Mapping)) and not (isinstance(profile, pd.Series) and "profile_id" in profile):
        w = check_weights(profile, getattr(profile, "name", None) or "custom", perf.criteria)
    else:
        w = profile_weights(profile, profiles, perf.criteria)
    return w.reindex(perf.table.columns).to_numpy()


def _scores(perf: Performance, X: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    """Scores ``(draws, options)`` by ``method`` (:data:`METHODS`, as typed in a notebook)."""
    if method not in METHODS:
        raise InputError(where="scores", field="method", value=method, allowed=", ".join(METHODS))
    return mcda.weighted_sum(X, w, perf.benefit, perf.ranges()) if method == "weighted_sum" \
        else mcda.topsis(X, w, perf.benefit, TOPSIS_NORMALIZATION)


def draw_scores(perf: Performance, profile, method: str = "weighted_sum", profiles=None) -> pd.DataFrame:
    """Score of each option in each draw for a profile (draws x options; higher is better).

    Weighted sum: value scores on the performance's scale (swing between the options by default). TOPSIS
    (Hwang and Yoon): each criterion rescaled within each draw from the worst to the best option."""
    w = _weights_vector(perf, profile, profiles)
    X = perf.matrix()
    s = _scores(perf, X, w, method)
    draws = perf.table.index.get_level_values("draw")[::len(perf.options)]
    return pd.DataFrame(s, index=pd.Index(draws, name="draw"), columns=pd.Index(perf.options, name="option"))


def mean_values(perf: Performance) -> pd.DataFrame:
    """Mean of each criterion per option over the draws (options x criteria, natural units)."""
    return perf.table.groupby(level="option", sort=False).mean()


def value_table(perf: Performance) -> pd.DataFrame:
    """Mean linear value score per option and criterion on the performance's scale (swing: 0 for the
    option with the worst mean, 1 for the best)."""
    v = perf.values().mean(axis=0)
    return pd.DataFrame(v, index=pd.Index(perf.options, name="option"), columns=perf.table.columns)


def swing_table(perf: Performance, lo: float = 0.05, hi: float = 0.95) -> pd.DataFrame:
    """Each criterion's swing between the options, in its own unit: the options with the best and worst
    mean, the difference of their means, its interval over the draws (same draws for both options), and
    the share of the range over every draw and option that this swing covers (what the old global scale
    gave the criterion). Swing weights refer to these swings."""
    means = mean_values(perf)
    X = perf.matrix()
    opts = perf.options
    g_lo, g_hi = X.reshape(-1, X.shape[-1]).min(axis=0), X.reshape(-1, X.shape[-1]).max(axis=0)
    rows = []
    for j, (cid, row) in enumerate(perf.criteria.reindex(perf.table.columns).iterrows()):
        col = means[cid]
        benefit = row["direction"] == "higher_is_better"
        best = col.idxmax() if benefit else col.idxmin()
        worst = col.idxmin() if benefit else col.idxmax()
        diff = X[:, opts.index(best), j] - X[:, opts.index(worst), j]
        span = g_hi[j] - g_lo[j]
        rows.append({"criterion": cid, "unit": row["unit"], "best": best, "worst": worst,
                     "swing (best minus worst, mean)": float(col[best] - col[worst]),
                     "low": float(np.quantile(diff, lo)), "high": float(np.quantile(diff, hi)),
                     "share of the global range": float(abs(col[best] - col[worst]) / span) if span > 0 else 0.0})
    return pd.DataFrame(rows).set_index("criterion")


def ranking(scores: pd.Series) -> pd.DataFrame:
    """Options ordered best first, with rank, score and whether a tie was broken by option order."""
    order = [o for o in OPTION_CODES if o in scores.index]
    s = scores.reindex(order)
    r = mcda.rank(s.to_numpy())
    out = pd.DataFrame({"option": order, "score": s.to_numpy(), "rank": r})
    out["tied"] = out["score"].map(lambda x: int((np.abs(s.to_numpy() - x) <= mcda.TIE_TOL).sum()) > 1)
    return out.sort_values("rank").reset_index(drop=True)


def compare_methods(perf: Performance, profiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each profile: the top two options by weighted sum and by TOPSIS (ranked on mean scores over
    the draws), the rank correlation between the two orders, and whether the top choices agree."""
    table = _profiles_or_default(profiles, perf.criteria)
    rows = []
    for pid in table.index:
        ranks = {}
        for m in METHODS:
            ranks[m] = ranking(draw_scores(perf, pid, m, table).mean(axis=0))
        ws, tp = ranks["weighted_sum"], ranks["topsis"]
        a = ws.set_index("option")["rank"]
        b = tp.set_index("option")["rank"].reindex(a.index)
        rho = float(np.corrcoef(a, b)[0, 1]) if len(a) > 2 else float("nan")
        rows.append({"profile": pid, "weighted_sum_first": ws.loc[0, "option"],
                     "weighted_sum_second": ws.loc[1, "option"] if len(ws) > 1 else "",
                     "topsis_first": tp.loc[0, "option"], "topsis_second": tp.loc[1, "option"] if len(tp) > 1 else "",
                     "rank_correlation": round(rho, 3), "agree_on_first": ws.loc[0, "option"] == tp.loc[0, "option"],
                     "tie_broken": bool(ws.loc[0, "tied"] or tp.loc[0, "tied"])})
    return pd.DataFrame(rows).set_index("profile")


# --------------------------------------------------------------------------------------------------
# Rank acceptability under uncertain outcomes and weights
# --------------------------------------------------------------------------------------------------
def acceptability(perf: Performance, profile, seed: int, method: str = "weighted_sum",
                  uncertain_weights: bool = True, profiles=None) -> pd.DataFrame:
    """Share of draws in which each option ranks 1st, 2nd, ... for a profile.

    Each Monte Carlo draw is paired with one weight vector drawn uniformly from all weights consistent
    with the profile's ranking (``uncertain_weights``), so the table reflects uncertainty about outcomes
    and about exactly how much more one criterion matters than the next. With ``uncertain_weights=False``
    only the outcomes vary.
    """
    seed = _check_seed(seed, "acceptability")
    X = perf.matrix()
    crit = list(perf.table.columns)
    if uncertain_weights:
        groups = ranking_groups(profile, profiles, perf.criteria)
        flat = [c for g in groups for c in g]
        sampled = mcda.sample_ranked_weights(groups, X.shape[0], np.random.default_rng(seed))
        w = pd.DataFrame(sampled, columns=flat)[crit].to_numpy()
    else:
        w = _weights_vector(perf, profile, profiles)
    s = _scores(perf, X, w, method)
    acc = mcda.rank_acceptability(mcda.rank(s))
    cols = [_ordinal(k) for k in range(1, acc.shape[1] + 1)]
    return pd.DataFrame(acc, index=pd.Index(perf.options, name="option"), columns=cols)


def _check_seed(seed: object, where: str) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2 ** 63:
        raise InputError(where=where, field="seed", value=seed, allowed="a whole number >= 0",
                         fix="pass a fixed seed such as 20260101 so the result can be reproduced")
    return int(seed)


def _ordinal(k: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(k, f"{k}th")


def acceptability_summary(perf: Performance, seed: int, profiles: pd.DataFrame | None = None,
                          method: str = "weighted_sum") -> pd.DataFrame:
    """Profiles x options: share of draws ranked first, plus the most often first option per profile."""
    table = _profiles_or_default(profiles, perf.criteria)
    rows = {}
    for i, pid in enumerate(table.index):
        acc = acceptability(perf, pid, seed + i, method, profiles=table)
        rows[pid] = acc["1st"]
    out = pd.DataFrame(rows).T
    out.index.name = "profile"
    return out


# --------------------------------------------------------------------------------------------------
# Flips and weight space
# --------------------------------------------------------------------------------------------------
def flip_table(perf: Performance, profiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each profile, the smallest total weight move that lets another option tie or overtake its top
    choice (weighted sum on mean value scores), and where the weight moves from and to."""
    table = _profiles_or_default(profiles, perf.criteria)
    values = value_table(perf)
    crit = list(values.columns)
    rows = []
    for pid in table.index:
        w = profile_weights(pid, table, perf.criteria).reindex(crit).to_numpy()
        res = mcda.flip_distance(values.to_numpy(), w)
        row = {"profile": pid, "top": values.index[res["best"]], "challenger": None, "weight_moved": np.nan,
               "from": "", "to": ""}
        if res["challenger"] is not None:
            delta = res["new_weights"] - w
            row.update(challenger=values.index[res["challenger"]], weight_moved=round(res["moved"], 3),
                       **{"from": "; ".join(f"{crit[j]} -{-delta[j]:.3f}" for j in np.argsort(delta, kind="stable") if delta[j] < -5e-4),
                          "to": "; ".join(f"{crit[j]} +{delta[j]:.3f}" for j in np.argsort(-delta, kind="stable") if delta[j] > 5e-4)})
        rows.append(row)
    return pd.DataFrame(rows).set_index("profile")


def thresholds_table(perf: Performance, profile, profiles=None) -> pd.DataFrame:
    """For one profile: each criterion's weight now, and the weight at which the top option changes if that
    weight alone rises or falls (the others keep their proportions), with the option that takes over.
    NaN (and an empty option) where no such weight exists in that direction."""
    values = value_table(perf)
    crit = list(values.columns)
    w = _weights_vector(perf, profile, profiles)
    res = mcda.one_criterion_thresholds(values.to_numpy(), w)
    top = values.index[int(np.argmin(mcda.rank(values.to_numpy() @ w)))]
    opts = list(values.index)
    rows = []
    for r in res:
        rows.append({"criterion": crit[r["criterion"]], "weight": r["weight"], "top": top,
                     "flips_if_raised_to": np.nan if r["up"] is None else float(r["up"]),
                     "new_top_if_raised": "" if r["winner_up"] is None else opts[r["winner_up"]],
                     "flips_if_lowered_to": np.nan if r["down"] is None else float(r["down"]),
                     "new_top_if_lowered": "" if r["winner_down"] is None else opts[r["winner_down"]]})
    return pd.DataFrame(rows).set_index("criterion")


def weight_map(perf: Performance, profile, step: float = 0.025, profiles=None) -> pd.DataFrame:
    """Winner (weighted sum on mean value scores) over the triangle of weight shares given to the three
    criterion groups; inside each group the profile's own relative weights are kept."""
    values = value_table(perf)
    crit = perf.criteria.reindex(values.columns)
    membership = crit["group"].map({g: i for i, g in enumerate(GROUPS)}).to_numpy()
    within = _weights_vector(perf, profile, profiles)
    grid = mcda.simplex_grid(step)
    W = mcda.group_weights(grid, membership, within)
    scores = W @ values.to_numpy().T
    winners = np.argmin(mcda.rank(scores), axis=1)
    out = pd.DataFrame(grid, columns=list(GROUPS))
    out["winner"] = np.array(values.index)[winners]
    out["tied"] = mcda.top_is_tied(scores)
    return out


def profile_group_shares(perf: Performance, profiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of each profile's weight that falls in each criterion group (profiles x groups)."""
    w = all_profile_weights(profiles, perf.criteria)
    groups = perf.criteria["group"].reindex(w.columns)
    return w.T.groupby(groups.to_numpy()).sum().T.reindex(columns=list(GROUPS))


# --------------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------------
def payoff(perf: Performance, profile, method: str = "weighted_sum", profiles=None) -> pd.DataFrame:
    """Payoff table for the robustness metrics: the profile's score of each option in each draw."""
    return draw_scores(perf, profile, method, profiles)


SATISFICING_TOP = 3


def default_thresholds(perf: Performance, profile=None, profiles=None, top: int = SATISFICING_TOP) -> dict[str, float]:
    """ILLUSTRATIVE 'good enough' thresholds: the median over every draw and option (an option meets it
    when it does at least as well as the typical option in the typical future), set for the ``top``
    criteria the profile ranks highest (all criteria when no profile is given)."""
    cols = list(perf.table.columns)
    if profile is not None:
        flat = [c for g in ranking_groups(profile, profiles, perf.criteria) for c in g]
        cols = flat[:top]
    return {c: float(perf.table[c].median()) for c in cols}


#: ILLUSTRATIVE parameters of the ten robustness metrics on the swing score scale (a score of 1 is the best
#: mean on every criterion): Hurwicz optimism 0.5 (best and worst future weighed equally), the 90th
#: percentile of regret, Starr's domain criterion counting a future when the option is within 0.1 score
#: points of the best, one standard deviation, and a relative-regret denominator of at least 1 score point.
ROBUSTNESS_PARAMS = {"alpha": 0.5, "percentile": 90, "threshold": 0.1, "k": 1.0, "floor": 1.0}


def robustness_table(perf: Performance, profile, thresholds: Mapping[str, float] | None = None,
                     profiles=None, metrics: str = "classic", **params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Metrics per option and the choice each metric makes, for one profile.

    ``metrics="classic"``: expected value, worst case, maximum regret and satisficing share;
    ``metrics="all"``: the ten metrics of :mod:`helpers.robustness` and satisficing, with
    :data:`ROBUSTNESS_PARAMS` unless ``params`` (alpha, percentile, threshold, k, floor) says otherwise."""
    p = payoff(perf, profile, profiles=profiles)
    th = default_thresholds(perf, profile, profiles) if thresholds is None else dict(thresholds)
    benefit = dict(zip(perf.table.columns, perf.benefit))
    sat = robustness.satisficing(perf.table.reset_index(), th, benefit)
    kw = {**ROBUSTNESS_PARAMS, **params} if metrics == "all" else dict(params)
    return (robustness.metric_table(p, sat, metrics, **kw), robustness.robust_choices(p, sat, metrics, **kw))


def robustness_summary(perf: Performance, profiles: pd.DataFrame | None = None,
                       thresholds: Mapping[str, float] | None = None, metrics: str = "classic",
                       **params) -> pd.DataFrame:
    """Profiles x metrics: the option each robustness metric picks, and whether the pick depends on the metric
    (``metrics`` and ``params`` as in :func:`robustness_table`)."""
    table = _profiles_or_default(profiles, perf.criteria)
    rows = {}
    for pid in table.index:
        _, choices = robustness_table(perf, pid, thresholds, table, metrics, **params)
        rows[pid] = choices.set_index("metric")["choice"]
    out = pd.DataFrame(rows).T
    out["depends_on_metric"] = out.nunique(axis=1) > 1
    out.index.name = "profile"
    return out


# --------------------------------------------------------------------------------------------------
# Cruxes in plain words
# --------------------------------------------------------------------------------------------------
def _crit_name(perf: Performance, cid: str) -> str:
    return str(perf.criteria.loc[cid, "name"]).lower()


def cruxes(perf: Performance, profiles: pd.DataFrame | None = None, tornado_results: Mapping | None = None,
           max_per_profile: int = 2) -> list[str]:
    """Sentences stating, for each profile, the weight thresholds at which its preferred option changes,
    and, when tornado results are given (profile -> :func:`helpers.sensitivity.tornado` table with a
    ``label`` column), the local inputs that move the gap most. Every number comes from the analysis."""
    table = _profiles_or_default(profiles, perf.criteria)
    out: list[str] = []
    for pid in table.index:
        name = str(table.loc[pid, "name"])
        th = thresholds_table(perf, pid, table)
        top = th["top"].iloc[0]
        cands = []
        for cid, r in th.iterrows():
            if not pd.isna(r["flips_if_raised_to"]):
                cands.append((abs(r["flips_if_raised_to"] - r["weight"]), cid, "rose", r["weight"],
                              r["flips_if_raised_to"], r["new_top_if_raised"]))
            if not pd.isna(r["flips_if_lowered_to"]):
                cands.append((abs(r["weight"] - r["flips_if_lowered_to"]), cid, "fell", r["weight"],
                              r["flips_if_lowered_to"], r["new_top_if_lowered"]))
        cands.sort(key=lambda c: (round(c[0], 9), list(th.index).index(c[1])))
        if len(perf.options) == 1:
            out.append(f"{name} (fictional): {top} is the only option left under the '{perf.regime}' regime, "
                       "so no weight can change the choice.")
        elif not cands:
            out.append(f"{name} (fictional): {top} stays first however any single weight moves.")
        for _, cid, verb, now, then, new in cands[:max_per_profile]:
            nd = 2 if round(now, 2) != round(then, 2) else 3
            out.append(f"{name} (fictional): {top} is preferred now; if the weight on {_crit_name(perf, cid)} "
                       f"{verb} from {now:.{nd}f} to {then:.{nd}f} (others keeping their proportions), "
                       f"{new} would take first place.")
        if tornado_results and pid in tornado_results:
            tor = tornado_results[pid]
            if len(tor):
                r = tor.iloc[0]
                label = str(r.get("label", r["parameter"]))
                label = f"{label[:1].lower()}{label[1:]} ({r['parameter']})"
                out.append(f"{name} (fictional): the input that moves the gap between the two leading options most "
                           f"is {label}: across its range the gap goes from {r['output_low']:+.3f} to "
                           f"{r['output_high']:+.3f} score points, so it is the local figure to watch.")
    return out


# --------------------------------------------------------------------------------------------------
# Sensitivity of a profile's choice to the model's uncertain inputs
# --------------------------------------------------------------------------------------------------
def _criteria_plan(perf: Performance) -> list[tuple]:
    """How to build each criterion from model outcome arrays: (layer, fields, combine, legal values)."""
    opts = perf.options
    plan = []
    for _, row in perf.criteria.iterrows():
        fields = split_list(row["fields"])
        legal_vals = None if row["layer"] == "model" else perf.risk.loc[opts, fields].to_numpy(dtype=float)
        plan.append((row["layer"], fields, row["combine"], legal_vals))
    return plan


def _criteria_from_outcomes(outcomes: Mapping[str, np.ndarray], plan: list[tuple], n_opt: int) -> np.ndarray:
    """Criterion values ``(draws, options, criteria)`` from model outcome arrays ``(draws, options)``."""
    n = next(iter(outcomes.values())).shape[0]
    cols = []
    for layer, fields, how, legal_vals in plan:
        if layer == "model":
            block = np.stack([np.broadcast_to(outcomes[f], (n, n_opt)) for f in fields], axis=-1)
        else:
            block = np.broadcast_to(legal_vals[None, :, :], (n, *legal_vals.shape))
        cols.append(block[..., 0] if how == "single" else getattr(np, how)(block, axis=-1))
    return np.stack(cols, axis=-1)


def leading_pair(perf: Performance, profile, profiles=None) -> tuple[str, str]:
    """The profile's first and second options by mean weighted-sum score (ties by option order)."""
    r = ranking(draw_scores(perf, profile, "weighted_sum", profiles).mean(axis=0))
    if len(r) < 2:
        raise InputError(where="leading_pair", field="options", value=list(r["option"]),
                         problem="only one option is left in the comparison", allowed="two or more options")
    return str(r.loc[0, "option"]), str(r.loc[1, "option"])


def _gap_function(perf: Performance, profile, profiles, city):
    from helpers import model

    w = _weights_vector(perf, profile, profiles)
    ranges = perf.ranges()
    a, b = leading_pair(perf, profile, profiles)
    ia, ib = perf.options.index(a), perf.options.index(b)
    scores = model.option_scores(perf.options)
    city = perf.city if city is None else city
    city = model.default_city() if city is None else city.validate()

    plan, n_opt = _criteria_plan(perf), len(perf.options)

    def gap(params: pd.DataFrame) -> np.ndarray:
        X = _criteria_from_outcomes(model.simulate_arrays(params, scores, city), plan, n_opt)
        s = mcda.weighted_sum(X, w, perf.benefit, ranges)
        return s[:, ia] - s[:, ib]

    return gap, (a, b)


def uncertain_parameters() -> pd.DataFrame:
    """Model parameters that carry a range (low < high), with their meaning, unit and range."""
    from helpers import model

    t = model.load_parameters()
    t = t[(t["high"] > t["low"]) & (t["distribution"] != "fixed")]
    return t.set_index("parameter", drop=False)[["parameter", "meaning", "unit", "low", "mode", "high",
                                                 "distribution", "provenance"]]


def gap_tornado(perf: Performance, profile, draws: int, seed: int, city=None, profiles=None,
                top: int | None = 10) -> pd.DataFrame:
    """One-at-a-time sensitivity of the gap between the profile's two leading options (mean weighted-sum
    score of the first minus the second, in score points on the 0-1 scale).

    Each uncertain model parameter is fixed at its low and then its high value while every other parameter
    keeps its Monte Carlo draws (the same ``draws`` and ``seed``: common random numbers). Value scores use
    the ranges of ``perf``, so scores stay comparable. A gap that changes sign means the choice flips.
    """
    from helpers import model

    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise InputError(where="gap_tornado", field="top", value=top, allowed="a whole number >= 1, or None for all")
    gap, pair = _gap_function(perf, profile, profiles, city)
    base_params = model.draw_parameters(draws, seed)
    up = uncertain_parameters()

    def f(values: dict) -> float:
        params = base_params.copy()
        for name, v in values.items():
            if not np.isnan(v):
                params[name] = v
        return float(gap(params).mean())

    base = {name: np.nan for name in up.index}
    out = sensitivity.tornado(f, base, up["low"].to_dict(), up["high"].to_dict())
    out["label"] = out["parameter"].map(up["meaning"])
    out["first"], out["second"] = pair
    return (out if top is None else out.head(top)).reset_index(drop=True)


def gap_sobol(perf: Performance, profile, n: int, seed: int, city=None, profiles=None) -> pd.DataFrame:
    """Sobol first-order and total indices of the gap between the profile's two leading options, with
    every uncertain model parameter varied together and independently, each with the distribution the
    Monte Carlo gives it (triangular, PERT or uniform on its low-high range): SALib's Sobol' points on the
    unit cube are mapped through each parameter's quantile function (:func:`helpers.model.inverse_cdf`).
    ``n`` must be a power of 2; the model runs ``n * (parameters + 2)`` times, vectorised."""
    from helpers import model

    gap, pair = _gap_function(perf, profile, profiles, city)
    up = uncertain_parameters()
    modes = model.load_parameters().set_index("parameter")["mode"].astype(float)
    names = list(up.index)
    shapes = [(float(r.low), float(r.mode), float(r.high), r.distribution) for r in up.itertuples()]

    def f(U: np.ndarray) -> np.ndarray:
        params = pd.DataFrame({p: np.full(U.shape[0], modes[p]) for p in modes.index})
        for j, (name, shape) in enumerate(zip(names, shapes)):
            params[name] = model.inverse_cdf(U[:, j], *shape)
        return gap(params)

    out = sensitivity.sobol_indices(f, names, [(0.0, 1.0)] * len(names), n, seed)
    out["label"] = out["parameter"].map(up["meaning"])
    out["first"], out["second"] = pair
    return out.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)


def acceptability_table(perf: Performance, seed: int, profiles: pd.DataFrame | None = None,
                        method: str = "weighted_sum") -> pd.DataFrame:
    """Long table: for each profile and option, the share of draws ranked first and second (uncertain
    outcomes and uncertain weights consistent with the profile's ranking). Profile ``i`` uses seed
    ``seed + i``."""
    seed = _check_seed(seed, "acceptability_table")
    table = _profiles_or_default(profiles, perf.criteria)
    frames = []
    for i, pid in enumerate(table.index):
        acc = acceptability(perf, pid, seed + i, method, profiles=table)
        second = acc["2nd"] if "2nd" in acc else 0.0
        frames.append(pd.DataFrame({"profile": pid, "option": acc.index, "first": acc["1st"].to_numpy(),
                                    "second": np.asarray(second)}))
    return pd.concat(frames, ignore_index=True)


def home_performance(results: pd.DataFrame, profiles: pd.DataFrame | None = None,
                     scale: str = "swing") -> dict[str, Performance]:
    """One :class:`Performance` per regime named as a home regime in the profiles: each profile is ranked
    only among the options its own state's law leaves open."""
    from helpers import legal

    table = _profiles_or_default(profiles, None)
    return {reg: performance(results, legal.check_regime(reg), scale=scale)
            for reg in dict.fromkeys(table["home_regime"].astype(str))}


def at_home(results: pd.DataFrame, func, profiles: pd.DataFrame | None = None, scale: str = "swing",
            **kwargs) -> pd.DataFrame:
    """Apply a per-profile table function (``compare_methods``, ``flip_table``, ``robustness_summary``,
    ``acceptability_summary`` ...) with each profile under its **home regime**: ``func(perf, profiles=...,
    **kwargs)`` runs once per regime on the profiles at home there, and the rows come back in profile order
    with a ``regime`` column. Rankings for a profile are thus only among the options its law allows."""
    table = _profiles_or_default(profiles, None)
    perfs = home_performance(results, table, scale)
    parts = []
    for reg, perf in perfs.items():
        sub = table[table["home_regime"].astype(str) == reg]
        out = func(perf, profiles=sub, **kwargs)
        parts.append(out.assign(regime=reg))
    out = pd.concat(parts).reindex(table.index)
    out.index.name = "profile"
    return out


def profile_acceptability(results: pd.DataFrame, seed: int, profiles: pd.DataFrame | None = None,
                          method: str = "weighted_sum") -> pd.DataFrame:
    """Like :func:`acceptability_table`, but each profile is ranked under its **home regime**, among the
    options its state's law leaves open (rankings under the law). Adds the ``regime`` column; options a
    regime forbids do not appear for its profiles. Profile ``i`` uses seed ``seed + i``."""
    seed = _check_seed(seed, "profile_acceptability")
    table = _profiles_or_default(profiles, None)
    perfs = home_performance(results, table)
    frames = []
    for i, pid in enumerate(table.index):
        home = str(table.loc[pid, "home_regime"])
        acc = acceptability(perfs[home], pid, seed + i, method, profiles=table)
        second = acc["2nd"] if "2nd" in acc else 0.0
        frames.append(pd.DataFrame({"profile": pid, "regime": home, "option": acc.index,
                                    "first": acc["1st"].to_numpy(), "second": np.asarray(second)}))
    return pd.concat(frames, ignore_index=True)


def regime_overview(results: pd.DataFrame, profiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each profile: its home regime, the options that leave the comparison there, its top option
    (weighted sum, mean score) under its home regime, and, labelled **hypothetical**, the top option it
    would have if every option were lawful ('neutral' regime)."""
    table = _profiles_or_default(profiles, None)
    perfs = home_performance(results, table)
    if "neutral" not in perfs:
        perfs["neutral"] = performance(results, "neutral")
    rows = []
    for pid in table.index:
        home = str(table.loc[pid, "home_regime"])
        top_all = ranking(draw_scores(perfs["neutral"], pid, profiles=table).mean()).loc[0, "option"]
        top_home = ranking(draw_scores(perfs[home], pid, profiles=table).mean()).loc[0, "option"]
        rows.append({"profile": pid, "home_regime": home, "left_out_at_home": ", ".join(perfs[home].dropped) or "none",
                     "top_under_home_regime": top_home, "hypothetical_top_if_all_lawful": top_all,
                     "changed_by_law": top_all != top_home})
    return pd.DataFrame(rows).set_index("profile")



def _luminance(color: str) -> float:
    """WCAG relative luminance of a colour (0 black, 1 white), to pick readable text on top of it."""
    from matplotlib.colors import to_rgb

    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ternary_xy(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plane coordinates of group shares (a, b, c): a at bottom left, b at bottom right, c at the top."""
    s = np.atleast_2d(np.asarray(shares, dtype=float))
    return s[:, 1] + s[:, 2] / 2.0, s[:, 2] * np.sqrt(3) / 2.0



def chart_sources(perf: Performance | None = None) -> list[str]:
    """Source ids behind the decision charts: the criteria's sources and the REAL model parameters'."""
    from helpers import model

    crit = load_criteria() if perf is None else perf.criteria
    ids: list[str] = []
    for cell in list(crit["source_ids"]) + list(model.load_parameters().query("provenance == 'REAL'")["source_ids"]):
        for i in split_list(cell):
            if i not in ids:
                ids.append(i)
    return ids


# --------------------------------------------------------------------------------------------------------
# Tables for reading: names in place of profile and criterion ids
# --------------------------------------------------------------------------------------------------------

#: Columns (and index levels) that hold one profile id, one criterion id, or text led by one.
_PROFILE_AXES = ("profile", "profile_id")
_CRITERION_AXES = ("criterion", "criterion_id", "top criterion", "top_criterion", "mirror_of")


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The same table with names in place of stakeholder profile and criterion ids, for reading.

    Profiles (``police_chief`` -> "Police chief", from ``data/stakeholder_profiles.csv``) and criteria
    (``public_safety`` -> "Public safety", from ``data/criteria.csv``) are translated wherever they appear:
    as a column, an index or the column labels (a profile or criterion index beside a ``name`` column is
    replaced by that column); inside a ``ranking`` ("a > b = c"), a ``criteria`` list, ``from`` / ``to``
    cells ("public_safety -0.005") and the cells of the balance checks that start with a profile
    ("police_chief: JEM 36% -> 0%", "police_chief JEM->WSO, ..."); in the free text of a ``measured``
    column every whole-word id is replaced. Everything else (regimes, option codes
    as "name (code)", levers, authorities, risks) goes through :func:`helpers.legal.readable`. An id that is
    not in the data raises :class:`InputError` naming it.
    """
    from helpers import legal

    criteria = load_criteria()
    profiles = load_profiles(criteria)
    profile_names = dict(zip(profiles.index.astype(str), profiles["name"].astype(str)))
    criterion_names = dict(zip(criteria.index.astype(str), criteria["name"].astype(str)))

    def one(mapping: Mapping[str, str], what: str, field: str):
        def name(value: object) -> object:
            if not isinstance(value, str) or value in ("", "-", "none"):
                return value
            if value not in mapping:
                raise InputError(where="decision.readable", field=field, value=value,
                                 allowed=f"ids of {what}: " + ", ".join(mapping))
            return mapping[value]
        return name

    profile = one(profile_names, "profiles in data/stakeholder_profiles.csv", "profile")
    criterion = one(criterion_names, "criteria in data/criteria.csv", "criterion")

    def led(fn, sep: str):
        """Text that starts with an id, then ``sep`` and the rest: the id becomes its name."""
        def cell(value: object) -> object:
            if not isinstance(value, str) or not value.strip():
                return value
            head, mid, rest = value.partition(sep)
            return f"{fn(head.strip())}{mid}{rest}"
        return cell

    def listed(fn, sep: str):
        def cell(value: object) -> object:
            if not isinstance(value, str) or not value.strip():
                return value
            return sep.join(str(fn(x.strip())) for x in value.split(sep.strip()) if x.strip())
        return cell

    def ranking(value: object) -> object:
        if not isinstance(value, str):
            return value
        parts = re.split(r"(\s*[>=]\s*)", value.strip())
        return "".join(p if re.fullmatch(r"\s*[>=]\s*", p) else str(criterion(p)) for p in parts)

    known = {**profile_names, **criterion_names}
    any_id = re.compile(r"\b(" + "|".join(sorted(map(re.escape, known), key=len, reverse=True)) + r")\b")

    def prose(value: object) -> object:
        """Free text (a check's ``measured`` cell): every whole-word profile or criterion id becomes its name."""
        return any_id.sub(lambda m: known[m.group(1)], value) if isinstance(value, str) else value

    by_column = {**{c: profile for c in _PROFILE_AXES}, **{c: criterion for c in _CRITERION_AXES},
                 "ranking": ranking, "measured": prose, "criteria": listed(criterion, ", "),
                 "from": led(criterion, " "), "to": led(criterion, " "),
                 "largest move": led(profile, ":"),
                 "first choices that change": listed(led(profile, " "), ", ")}
    out = table.copy()
    named = out.index.name in ("profile_id", "criterion_id") and "name" in out.columns and out.index.nlevels == 1
    if named:
        out = out.set_index("name").rename_axis(out.index.name.removesuffix("_id"))
    for col in out.columns:
        if col in by_column:
            out[col] = out[col].map(by_column[col])

    def relabel(index: pd.Index) -> pd.Index:
        if isinstance(index, pd.MultiIndex):
            levels = [relabel(index.get_level_values(i)) for i in range(index.nlevels)]
            return pd.MultiIndex.from_arrays(levels, names=[lv.name for lv in levels])
        fn = {**{c: profile for c in _PROFILE_AXES}, **{c: criterion for c in _CRITERION_AXES}}.get(index.name)
        values = [v for v in index if isinstance(v, str)]
        if fn is None and values and len(values) == len(index):
            fn = criterion if set(values) <= set(criterion_names) else \
                profile if set(values) <= set(profile_names) else None
        if fn is None:
            return index
        name = index.name.removesuffix("_id") if isinstance(index.name, str) else index.name
        return pd.Index(index.map(fn), name=name)

    if not named:
        out.index = relabel(out.index)
    out.columns = relabel(out.columns)
    return legal.readable(out)
