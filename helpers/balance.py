"""Is this analysis fair? Balance of the comparison as a tested property.

The collection promises to take no side. A model can break that promise by construction, whatever its prose
says: by a value scale on which one side's criteria barely move, by counting one side's mechanism twice,
by holding one side's evidence to a looser standard, or by ranking options a state forbids. This module
measures each of those and prints a balance report (``python -m helpers balance``); ``tests/test_balance.py``
holds the report to the standards below.

Two families of options are compared: **cooperation** (the 287(g) models and full detainer compliance)
and **limits** (conditional cooperation, notification only, no cooperation without a judicial warrant), as
``data/options.csv`` groups them.

Three **scenarios** of the model, built by one rule from ``data/model_parameters.csv``:

- ``central``: every parameter drawn from its central range (observed behaviour where any exists);
- ``limits case``: every parameter that favours a side fixed at the end of its *defensible* range (every
  cited value, stated intentions and tallies included) that favours the limits side;
- ``cooperation case``: the same with the cooperation side's ends.

The standards (:data:`STANDARDS`):

- **split**: over random weightings (uniform on the simplex) and over every ordering of the criteria
  (rank-order centroid weights), the share of first places won by each family lies between 25% and 75%;
- **attainability**: every option comes first for some weighting in some scenario, or the report names
  what beats it everywhere and why;
- **own side**: each side's advocate profile puts its own family first in most draws, and the two shares
  are within 20 points of each other;
- **lean**: the number of criteria leaning to each family differs by at most one, and the summed lean is
  near zero;
- **mechanisms**: no causal channel feeds two criteria unless they are declared mirrors, and no two
  criteria's option scores correlate above 0.95;
- **weights**: each profile's top criterion keeps at least half its nominal weight after scaling;
- **contested choices**: each contested modelling choice is flipped one at a time; a flip that moves a
  profile's result by more than 25 points is reported as *decisive* (information, not a failure).

Every ranking of a profile here uses the "neutral" regime, where every option is lawful: balance is a
property of the model, not of one state's law. Rankings shown for a profile elsewhere use its home regime.
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers import decision, mcda, model
from helpers.data import split_list
from helpers.options import OPTION_CODES, load_options

SEED = 20261129
DRAWS = 1000
SCENARIOS = ("central", "limits case", "cooperation case")
FAMILIES = ("cooperation", "limits")
#: Thresholds of the standards, stated once.
SPLIT_RANGE = (0.25, 0.75)
OWN_SIDE_MIN = 0.5
OWN_SIDE_GAP = 0.20
LEAN_COUNT_GAP = 1
LEAN_SUM_MAX = 0.5
CORRELATION_MAX = 0.95
WEIGHT_KEPT_MIN = 0.5
DECISIVE_POINTS = 0.25
RANDOM_WEIGHTINGS = 20_000
STANDARDS = {
    "split_random": f"first places won by limits options over random weightings within {SPLIT_RANGE}",
    "split_orderings": f"first places won by limits options over every ordering of the criteria within {SPLIT_RANGE}",
    "attainability": "every option first for some weighting in some scenario, or named with what beats it",
    "own_side": f"each advocate's family first in more than {OWN_SIDE_MIN:.0%} of draws, shares within "
                f"{OWN_SIDE_GAP:.0%}",
    "lean_count": f"criteria leaning to each family differ by at most {LEAN_COUNT_GAP}",
    "lean_sum": f"summed lean within +/-{LEAN_SUM_MAX}",
    "mechanisms": "no mechanism feeds two criteria unless they are declared mirrors",
    "correlation": f"no two criteria's option scores correlate above {CORRELATION_MAX}",
    "weights_kept": f"each profile's top criterion keeps at least {WEIGHT_KEPT_MIN:.0%} of its nominal weight",
}


# --------------------------------------------------------------------------------------------------
# Families and scenarios
# --------------------------------------------------------------------------------------------------
def families() -> pd.Series:
    """Option code -> family ("limits" for options that limit cooperation, else "cooperation")."""
    opts = load_options().set_index("code")
    fam = np.where(opts["family"] == "limits on cooperation", "limits", "cooperation")
    return pd.Series(fam, index=opts.index, name="family").reindex(list(OPTION_CODES))


def scenario_overrides(scenario: str, table: pd.DataFrame | None = None) -> dict[str, float]:
    """Parameter overrides of a scenario: ``{}`` for the central one; for a side's case, every parameter
    that favours a side fixed at the end of its defensible range that favours ``scenario``'s side."""
    if scenario not in SCENARIOS:
        from helpers.errors import InputError
        raise InputError(where="balance", field="scenario", value=scenario, allowed=", ".join(SCENARIOS))
    if scenario == "central":
        return {}
    side = scenario.split()[0]
    t = model.load_parameters() if table is None else table
    out = {}
    for name, row in t.iterrows():
        if row["favours"] == "neutral":
            continue
        high = row["favours"] == side
        out[name] = float(row["defensible_high"] if high else row["defensible_low"])
    return out


def scenario_table(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Parameters that favour a side: their central range and the value each side's case gives them."""
    t = model.load_parameters() if table is None else table
    t = t[t["favours"] != "neutral"]
    lim, coop = scenario_overrides("limits case", t), scenario_overrides("cooperation case", t)
    return pd.DataFrame({"favours (higher values)": t["favours"], "evidence type": t["evidence_type"],
                         "central low": t["low"], "central high": t["high"],
                         "limits case": pd.Series(lim), "cooperation case": pd.Series(coop),
                         "provenance": t["provenance"]})


def simulate_scenarios(draws: int = DRAWS, seed: int = SEED, city=None) -> dict[str, pd.DataFrame]:
    """Model results for each scenario (same seed: common random numbers)."""
    return {s: model.simulate(draws, seed, city=city, overrides=scenario_overrides(s) or None) for s in SCENARIOS}


# --------------------------------------------------------------------------------------------------
# First places over weightings
# --------------------------------------------------------------------------------------------------
def ordering_weights(n: int) -> np.ndarray:
    """Rank-order centroid weights for every ordering of ``n`` criteria: shape ``(n!, n)``."""
    roc = mcda.rank_order_centroid(n)
    perms = np.array(list(itertools.permutations(range(n))))  # perms[k, r] = criterion in place r
    w = np.empty_like(perms, dtype=float)
    np.put_along_axis(w, perms, np.broadcast_to(roc, perms.shape), axis=1)
    return w


def random_weights(n: int, count: int = RANDOM_WEIGHTINGS, seed: int = SEED) -> np.ndarray:
    """``count`` weight vectors drawn uniformly from the simplex of ``n`` criteria (Dirichlet(1, ..., 1))."""
    return np.random.default_rng(seed).dirichlet(np.ones(n), count)


def first_places(perf: decision.Performance, weights: np.ndarray) -> pd.Series:
    """Share of weight vectors under which each option comes first (weighted sum of the options' mean
    value scores; ties broken by option order, as everywhere in the collection)."""
    values = decision.value_table(perf).to_numpy()
    scores = weights @ values.T
    first = np.argmin(mcda.rank(scores), axis=1)
    counts = np.bincount(first, minlength=len(perf.options)) / len(weights)
    return pd.Series(counts, index=pd.Index(perf.options, name="option"), name="first")


def family_split(shares: pd.Series) -> pd.Series:
    """Option shares summed by family."""
    fam = families()
    return shares.groupby(fam.reindex(shares.index).to_numpy()).sum().reindex(list(FAMILIES), fill_value=0.0)


# --------------------------------------------------------------------------------------------------
# Attainability
# --------------------------------------------------------------------------------------------------
def best_margin(values: np.ndarray, j: int) -> tuple[float, np.ndarray]:
    """Largest margin by which option ``j`` can beat every other option under some weighting (a small
    linear programme over the weight simplex), and the weights that achieve it. A margin above zero
    means ``j`` comes first for some weighting; zero means a tie at best."""
    from scipy.optimize import linprog

    n_opt, n_c = values.shape
    others = [k for k in range(n_opt) if k != j]
    if not others:
        return math.inf, np.full(n_c, 1.0 / n_c)
    # variables: w (n_c), t; maximise t s.t. (v_k - v_j) . w + t <= 0, sum w = 1, w >= 0
    c = np.zeros(n_c + 1)
    c[-1] = -1.0
    a_ub = np.hstack([values[others] - values[j], np.ones((len(others), 1))])
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(len(others)), A_eq=[[1.0] * n_c + [0.0]], b_eq=[1.0],
                  bounds=[(0, None)] * n_c + [(None, None)], method="highs")
    return float(res.x[-1]), res.x[:-1]


def dominators(values: pd.DataFrame, option: str) -> list[str]:
    """Options at least as good as ``option`` on every criterion and better on one (mean value scores)."""
    v = values.loc[option]
    out = []
    for o, row in values.iterrows():
        if o != option and (row >= v - 1e-12).all() and (row > v + 1e-12).any():
            out.append(str(o))
    return out


def attainability(perfs: Mapping[str, decision.Performance]) -> pd.DataFrame:
    """For each option: the best margin by which it can come first in each scenario, whether it ever does,
    and, if never, what beats it (the options that dominate it in the central scenario, or else the
    options it ties or trails at its best weighting)."""
    rows = []
    central = decision.value_table(perfs["central"])
    for o in central.index:
        row = {"option": o}
        for s, perf in perfs.items():
            values = decision.value_table(perf)
            margin, _ = best_margin(values.to_numpy(), list(values.index).index(o))
            row[s] = round(margin, 4)
        ever = any(row[s] > 1e-9 for s in perfs)
        row["comes first somewhere"] = ever
        if ever:
            row["beaten by"] = ""
        else:
            dom = dominators(central, o)
            if dom:
                row["beaten by"] = "dominated by " + ", ".join(dom) + " on every criterion (central scenario)"
            else:
                margin, w = best_margin(central.to_numpy(), list(central.index).index(o))
                scores = central.to_numpy() @ w
                best = [central.index[k] for k in np.flatnonzero(scores >= scores.max() - 1e-9) if central.index[k] != o]
                row["beaten by"] = "at its best weighting it trails or ties " + ", ".join(best)
        rows.append(row)
    return pd.DataFrame(rows).set_index("option")


# --------------------------------------------------------------------------------------------------
# Lean, mechanisms, correlation, weights
# --------------------------------------------------------------------------------------------------
def lean_table(perf: decision.Performance) -> pd.DataFrame:
    """Per criterion: mean value score of each family's options and the lean (cooperation minus limits;
    positive leans to cooperation). Value scores are on the performance's scale (0 to 1)."""
    values = decision.value_table(perf)
    fam = families().reindex(values.index)
    by_family = values.groupby(fam.to_numpy()).mean().T.reindex(columns=list(FAMILIES))
    by_family["lean"] = by_family["cooperation"] - by_family["limits"]
    by_family["leans to"] = np.where(by_family["lean"] > 1e-9, "cooperation",
                                     np.where(by_family["lean"] < -1e-9, "limits", "neither"))
    by_family.index.name = "criterion"
    return by_family


def mechanism_table(criteria: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each mechanism, the criteria it feeds, and whether feeding more than one is declared (mirrors)."""
    crit = decision.load_criteria() if criteria is None else criteria
    feeds: dict[str, list[str]] = {}
    for cid, row in crit.iterrows():
        for m in split_list(row["mechanisms"]):
            feeds.setdefault(m, []).append(str(cid))
    rows = []
    for m, cids in feeds.items():
        declared = len(cids) == 1 or (len(cids) == 2 and str(crit.loc[cids[0], "mirror_of"]) == cids[1]
                                      and str(crit.loc[cids[1], "mirror_of"]) == cids[0])
        rows.append({"mechanism": m, "criteria": ", ".join(cids), "declared": declared})
    return pd.DataFrame(rows).set_index("mechanism")


def correlations(perf: decision.Performance) -> pd.DataFrame:
    """Correlation across options of the criteria's mean value scores (criteria x criteria)."""
    return decision.value_table(perf).corr()


def kept_weights(perf: decision.Performance, profiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each profile: its top criterion, the nominal weight, the effective weight after scaling (weight
    times the share of the criterion's value scale that separates the options' means, renormalised) and
    the share of the nominal weight kept."""
    table = decision._profiles_or_default(profiles, perf.criteria)
    values = decision.value_table(perf)
    spread = (values.max() - values.min()).clip(lower=0.0)
    rows = []
    for pid in table.index:
        w = decision.profile_weights(pid, table, perf.criteria).reindex(values.columns)
        eff = w * spread
        eff = eff / eff.sum() if eff.sum() > 0 else eff
        top = w.idxmax()
        rows.append({"profile": pid, "top criterion": top, "nominal": round(float(w[top]), 3),
                     "effective": round(float(eff[top]), 3),
                     "kept": round(float(eff[top] / w[top]), 3) if w[top] > 0 else float("nan")})
    return pd.DataFrame(rows).set_index("profile")


# --------------------------------------------------------------------------------------------------
# Own side and contested choices
# --------------------------------------------------------------------------------------------------
def family_firsts(perf: decision.Performance, seed: int, profiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Profiles x families: share of draws (uncertain outcomes and weights within each ranking) in which
    an option of the family comes first."""
    acc = decision.acceptability_summary(perf, seed, profiles)
    fam = families().reindex(acc.columns)
    return acc.T.groupby(fam.to_numpy()).sum().T.reindex(columns=list(FAMILIES), fill_value=0.0)


def own_side(perf: decision.Performance, seed: int = SEED, profiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each advocate profile (``advocates`` column): the share of draws in which its own family comes
    first."""
    table = decision._profiles_or_default(profiles, perf.criteria)
    firsts = family_firsts(perf, seed, table)
    adv = table["advocates"].dropna()
    adv = adv[adv.astype(str).isin(FAMILIES)]
    return pd.DataFrame({"advocates": adv, "own family first": [float(firsts.loc[p, f]) for p, f in adv.items()]})


#: Contested modelling choices, flipped one at a time: label -> (what it changes, how). ``how`` is a side's
#: case, ``"global"`` (the value scale), or parameter overrides; an override written as ``"defensible_high"``
#: or ``"defensible_low"`` takes that end of the parameter's range in data/model_parameters.csv, so the flips
#: follow the data. The old composition is the calibration this collection used before it matched Hausman's
#: counts (about two thirds of prevented removals never convicted).
CONTESTED: dict[str, tuple[str, dict | str]] = {
    "limits case": ("every side-favouring parameter at the limits side's end of its defensible range", "limits case"),
    "cooperation case": ("every side-favouring parameter at the cooperation side's end", "cooperation case"),
    "chilling effect from stated intentions": ("the chilling effect at the stated intentions of Wong et al. (2019)",
                                               {"chill_victim": "defensible_high", "chill_witness": "defensible_high"}),
    "reoffence at the scaled CIS tally": ("offences averted per removal at the CIS tally scaled for reporting "
                                          "and clearance", {"reoffence_averted_per_removal": "defensible_high"}),
    "reimbursement at its low end": ("287(g) reimbursement at the low end of its defensible range",
                                     {"reimbursement_share_287g": "defensible_low"}),
    "287(g) liability not covered": ("287(g) officers carry the same liability as FULL",
                                     {"liability_cover_287g": 0.0}),
    "old composition": ("about two thirds of prevented removals never convicted",
                        {"share_serious": 0.2, "share_other": 0.35, "keep_other": 0.72}),
    "global scale": ("value scores against the range over every draw and option, not the swing between options",
                     "global"),
}


def contested_overrides(how: dict, table: pd.DataFrame | None = None) -> dict[str, float]:
    """Parameter overrides of a contested choice, with ``"defensible_high"``/``"defensible_low"`` read from
    the parameter table."""
    t = model.load_parameters() if table is None else table
    return {p: float(t.at[p, v]) if isinstance(v, str) else float(v) for p, v in how.items()}


def contested_flips(results: pd.DataFrame, draws: int, seed: int, profiles: pd.DataFrame | None = None,
                    city=None) -> pd.DataFrame:
    """Each contested choice flipped alone: for every profile, the share of draws won by its central first
    choice before and after (neutral regime), the limits family's share of random-weighting first places,
    and whether the flip is decisive (a profile's share moves by more than 25 points)."""
    base_perf = decision.performance(results, "neutral")
    table = decision._profiles_or_default(profiles, base_perf.criteria)
    base = decision.acceptability_summary(base_perf, seed, table)
    top = base.idxmax(axis=1)
    w = random_weights(len(base_perf.criteria))
    rows = []
    for label, (what, how) in CONTESTED.items():
        if how == "global":
            perf = decision.performance(results, "neutral", scale="global")
        else:
            overrides = scenario_overrides(how) if isinstance(how, str) else contested_overrides(how)
            if isinstance(how, dict):
                what = f"{what} ({', '.join(f'{p} {v:g}' for p, v in overrides.items())})"
            perf = decision.performance(model.simulate(draws, seed, city=city, overrides=overrides), "neutral")
        acc = decision.acceptability_summary(perf, seed, table)
        moves = {pid: float(acc.loc[pid, top[pid]] - base.loc[pid, top[pid]]) for pid in table.index}
        biggest = max(moves, key=lambda p: abs(moves[p]))
        new_top = acc.idxmax(axis=1)
        rows.append({"choice": label, "what it changes": what,
                     "limits share of first places": round(float(family_split(first_places(perf, w))["limits"]), 3),
                     "largest move": f"{biggest}: {top[biggest]} {base.loc[biggest, top[biggest]]:.0%} -> "
                                     f"{acc.loc[biggest, top[biggest]]:.0%}",
                     "largest move (points)": round(abs(moves[biggest]) * 100, 1),
                     "first choices that change": ", ".join(f"{p} {top[p]}->{new_top[p]}" for p in table.index
                                                             if new_top[p] != top[p]) or "none",
                     "decisive": abs(moves[biggest]) > DECISIVE_POINTS})
    return pd.DataFrame(rows).set_index("choice")


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------
@dataclass
class BalanceReport:
    """Every table of the balance report and the pass/fail of each standard (:data:`STANDARDS`)."""

    split: pd.DataFrame
    orderings: pd.DataFrame
    attainability: pd.DataFrame
    own_side: pd.DataFrame
    lean: pd.DataFrame
    mechanisms: pd.DataFrame
    correlations: pd.DataFrame
    weights: pd.DataFrame
    contested: pd.DataFrame
    scenarios: pd.DataFrame
    checks: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def passed(self) -> bool:
        return bool(self.checks["passed"].all())


def _check(rows: list, standard: str, value: str, passed: bool) -> None:
    rows.append({"standard": standard, "rule": STANDARDS[standard], "measured": value, "passed": bool(passed)})


def balance_report(draws: int = DRAWS, seed: int = SEED, city=None, profiles: pd.DataFrame | None = None,
                   contested: bool = True) -> BalanceReport:
    """Compute the balance report (neutral regime, every option lawful)."""
    results = simulate_scenarios(draws, seed, city)
    perfs = {s: decision.performance(r, "neutral") for s, r in results.items()}
    central = perfs["central"]
    n = len(central.criteria)
    w_random = random_weights(n, seed=seed)
    w_orders = ordering_weights(n)
    split = pd.DataFrame({s: first_places(p, w_random) for s, p in perfs.items()})
    orders = pd.DataFrame({s: first_places(p, w_orders) for s, p in perfs.items()})
    fam_random = split.apply(family_split)
    fam_orders = orders.apply(family_split)
    attain = attainability(perfs)
    own = own_side(central, seed, profiles)
    lean = lean_table(central)
    mech = mechanism_table(central.criteria)
    corr = correlations(central)
    kept = kept_weights(central, profiles)
    flips = contested_flips(results["central"], draws, seed, profiles, city) if contested else pd.DataFrame()

    rows: list = []
    lo, hi = SPLIT_RANGE
    r, o = float(fam_random.loc["limits", "central"]), float(fam_orders.loc["limits", "central"])
    _check(rows, "split_random", f"{r:.0%} limits, {1 - r:.0%} cooperation", lo <= r <= hi)
    _check(rows, "split_orderings", f"{o:.0%} limits, {1 - o:.0%} cooperation ({len(w_orders):,} orderings)",
           lo <= o <= hi)
    never = attain[~attain["comes first somewhere"]]
    _check(rows, "attainability", "every option comes first somewhere" if never.empty else
           "; ".join(f"{k}: {v}" for k, v in never["beaten by"].items()),
           never.empty or (never["beaten by"].str.len() > 0).all())
    shares = own["own family first"]
    gap = float(shares.max() - shares.min()) if len(shares) else float("nan")
    _check(rows, "own_side", "; ".join(f"{p} ({a}) {s:.0%}" for p, a, s in
                                      zip(own.index, own["advocates"], shares)) + f"; gap {gap:.0%}",
           len(shares) == 2 and (shares > OWN_SIDE_MIN).all() and gap <= OWN_SIDE_GAP)
    counts = lean["leans to"].value_counts()
    n_coop, n_lim = int(counts.get("cooperation", 0)), int(counts.get("limits", 0))
    _check(rows, "lean_count", f"{n_coop} lean to cooperation, {n_lim} to limits", abs(n_coop - n_lim) <= LEAN_COUNT_GAP)
    total = float(lean["lean"].sum())
    _check(rows, "lean_sum", f"{total:+.2f}", abs(total) <= LEAN_SUM_MAX)
    bad = mech[~mech["declared"]]
    _check(rows, "mechanisms", "each feeds one criterion or a declared mirror pair" if bad.empty
           else "; ".join(f"{m} feeds {c}" for m, c in bad["criteria"].items()), bad.empty)
    upper = corr.where(np.triu(np.ones(corr.shape, dtype=bool), 1))
    pair = upper.stack()
    top_pair = pair.idxmax()
    _check(rows, "correlation", f"highest {pair.max():.2f} ({top_pair[0]} and {top_pair[1]})",
           float(pair.max()) <= CORRELATION_MAX)
    worst = kept["kept"].idxmin()
    _check(rows, "weights_kept", f"lowest {kept.loc[worst, 'kept']:.0%} ({worst}: {kept.loc[worst, 'top criterion']})",
           float(kept["kept"].min()) >= WEIGHT_KEPT_MIN)
    return BalanceReport(split=pd.concat([split, fam_random]), orderings=pd.concat([orders, fam_orders]),
                         attainability=attain, own_side=own, lean=lean, mechanisms=mech, correlations=corr,
                         weights=kept, contested=flips, scenarios=scenario_table(), checks=pd.DataFrame(rows))


def format_report(rep: BalanceReport) -> str:
    """The balance report as plain text."""
    pct = lambda t: (100 * t).round(0).astype(int).astype(str) + "%"  # noqa: E731
    parts = ["Balance report (neutral regime: every option lawful, so rankings are hypothetical for profiles whose "
             "home state closes options; fictional profiles; ILLUSTRATIVE weights)", "",
             "Standards", rep.checks.set_index("standard")[["measured", "passed"]].to_string(), "",
             "First places over random weightings (uniform on the simplex), by scenario",
             pct(rep.split).to_string(), "",
             f"First places over every ordering of the criteria (rank-order centroid weights)",
             pct(rep.orderings).to_string(), "",
             "Attainability: best margin by which each option can come first (value-score points)",
             rep.attainability.to_string(), "",
             "Advocates: share of draws in which their own family comes first", rep.own_side.to_string(), "",
             "Lean of each criterion (mean value score of cooperation minus limits options)",
             rep.lean.round(2).to_string(), "",
             "Mechanisms and the criteria they feed", rep.mechanisms.to_string(), "",
             "Top criterion's weight kept after scaling", rep.weights.to_string(), ""]
    if not rep.contested.empty:
        parts += ["Contested choices flipped one at a time (decisive: a profile's result moves > 25 points)",
                  rep.contested[["limits share of first places", "largest move", "largest move (points)",
                                 "first choices that change", "decisive"]].to_string(), ""]
    parts += ["Scenarios: parameters that favour a side", rep.scenarios.to_string(), "",
              "PASS: the comparison meets every balance standard." if rep.passed else
              "FAIL: see the standards marked False above."]
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers balance",
                                     description="Print the balance report; exit 1 if a standard fails.")
    parser.add_argument("--draws", type=int, default=DRAWS, help=f"Monte Carlo draws (default {DRAWS})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed (default {SEED})")
    parser.add_argument("--no-contested", action="store_true", help="skip the contested-choice flips (faster)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not 1 <= args.draws <= model.MAX_DRAWS:
        parser.error(f"--draws must be a whole number from 1 to {model.MAX_DRAWS:,} (got {args.draws})")
    if args.seed < 0:
        parser.error(f"--seed must be a whole number >= 0 (got {args.seed})")
    rep = balance_report(args.draws, args.seed, contested=not args.no_contested)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.max_colwidth", 90):
        print(format_report(rep))
    return 0 if rep.passed else 1


# --------------------------------------------------------------------------------------------------
# Charts (drawing only; the numbers come from the report)
# --------------------------------------------------------------------------------------------------
FAMILY_COLORS = {"cooperation": "#D55E00", "limits": "#0072B2"}  # Okabe-Ito vermillion and blue

