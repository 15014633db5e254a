"""The "your municipality" report: one config file in, a sourced and uncertainty-aware brief out.

``python -m helpers report CONFIG.yml --out DIR`` (or ``make report CONFIG=...``) checks the config
(:mod:`helpers.config`), runs the analysis (:func:`analyse`) and writes into ``DIR``:

- ``brief.html``     the brief for a council (:mod:`helpers.brief`): one self-contained page (styles and charts
                     inline, nothing fetched from the network) with a print stylesheet;
- ``brief.pdf``      the same brief printed by headless Chromium; when Chromium or playwright is missing the
                     other files are still written and the command says what to install;
- ``results.csv``    options x outcomes with median and 5-95 % range, plus legal feasibility;
- ``run_record.json`` seed, draws, package versions, data file hashes, the inputs as used and which
                     inputs were supplied or defaulted;
- ``report.ipynb``   ``notebooks/09-your-municipality.ipynb`` with the config injected after the cell tagged
                     ``parameters`` (papermill), for those who want to follow or rerun each step. The command
                     writes it ready to run; with ``--run-notebook`` it is also executed, in its own kernel
                     while the brief is built (slower: the notebook repeats the analysis).

Everything is written into a temporary folder beside ``DIR`` and moved into place only when every file
exists; on bad input the command exits with code 2, prints one message on stderr and writes nothing.

The analysis itself (:func:`analyse`) is plain Python the notebook and the brief call, so it is tested without
a kernel.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import paths
from helpers.config import Config, load_config, plain
from helpers.errors import InputError, describe

NOTEBOOK: Path = paths.NOTEBOOKS / "09-your-municipality.ipynb"
KERNEL = "python3"
OUTPUT_FILES: tuple[str, ...] = ("brief.html", "brief.pdf", "results.csv", "run_record.json", "report.ipynb")
#: Other files a report folder may hold: the config of a report made from a mapping with the notebook not run
#: (the notebook reads it when run), and what an earlier version of the report wrote.
EARLIER_FILES: tuple[str, ...] = ("config.yml", "report.html")
RECORD_NAME = "run_record.json"
LEGAL_NOTICE = "Legal information for teaching, not legal advice"
PACKAGES = ("numpy", "pandas", "scipy", "matplotlib", "SALib", "pymcdm", "pyyaml", "papermill", "nbclient",
            "nbconvert", "nbformat", "ipykernel", "frictionless")
CELL_TIMEOUT_S = 600
#: Command-line arguments of the report's kernel: it logs errors only, so its start-up warnings (such as
#: ipykernel's note that local TCP is unencrypted) do not reach the terminal; cell output still travels
#: over the kernel's message channels into the notebook.
KERNEL_ARGUMENTS = ["--log-level=ERROR"]


# =============================================================================================== analysis

#: Outcomes drawn in the report's chart and used for the headline numbers, one per concern raised.
CHART_OUTCOMES: tuple[str, ...] = ("reporting_rate_immigrant_victims", "victimizations", "removals_with_conviction",
                                   "removals_no_conviction", "detentions_without_judicial_warrant", "net_cost_usd")
TRUST_OUTCOME = "reporting_rate_immigrant_victims"
REMOVALS_OUTCOME = "removals_with_conviction"
CUSTOM_PROFILE = "your_weights"
TORNADO_DRAWS = 400   # draws behind each end of the one-at-a-time sensitivity (common random numbers)
TORNADO_TOP = 5


@dataclass
class Analysis:
    """Everything the report shows for one config, computed without drawing anything."""

    cfg: Config
    results: pd.DataFrame                  # tidy Monte Carlo output: draw, option, outcome, value
    summary: pd.DataFrame                  # option, outcome, median, lo, hi, mean
    status: pd.Series                      # option -> feasible / contested / infeasible under the regime
    open_options: list[str]                # chosen options the regime allows, in option order
    weights: pd.Series                     # criterion -> weight used for the ranking (sums to 1)
    weights_label: str                     # whose weights, in words
    profile_id: str                        # the profile id used with helpers.decision
    profiles: pd.DataFrame                 # the one-row profile table (a stored profile or the config's weights)
    perf: Any = None                       # helpers.decision.Performance (None when nothing is open)
    ranking: pd.DataFrame | None = None    # mean-score ranking of the open options
    acceptability: pd.DataFrame | None = None
    uncertain_weights: bool = True
    cruxes: list[str] = field(default_factory=list)
    tornado: pd.DataFrame | None = None    # inputs that move the gap between the two leading options most


def _weights_profile(weights: dict[str, float], criteria: pd.DataFrame, label: str) -> pd.DataFrame:
    """A one-row profile table for weights given in the config, so helpers.decision can use them like a
    stored profile (swing elicitation: points proportional to the weights; ranking by weight, ties kept)."""
    ids = list(criteria.index)
    top = max(weights.values())
    points = {c: round(100.0 * weights[c] / top, 9) for c in ids}
    order = sorted(ids, key=lambda c: (-points[c], ids.index(c)))
    groups: list[list[str]] = []
    for c in order:
        if groups and points[groups[-1][0]] == points[c]:
            groups[-1].append(c)
        else:
            groups.append([c])
    row = {"profile_id": CUSTOM_PROFILE, "name": label, "who": label, "home_regime": "neutral",
           "elicitation": "swing", "ranking": " > ".join(" = ".join(g) for g in groups),
           "swing_points": "; ".join(f"{c}: {points[c]:.9g}" for c in ids), "provenance": "ILLUSTRATIVE",
           "notes": "Weights given in the config file."}
    return pd.DataFrame([row]).set_index("profile_id", drop=False)


def verdicts(cfg: Config) -> pd.Series:
    """Each option's legal verdict for the config, as :meth:`helpers.config.Config.verdicts` gives it, but under a
    state's own rules only that state's seven options are assessed (not every state's), which keeps the report
    fast."""
    if not cfg.uses_state_rules:
        return cfg.verdicts()
    from helpers import states
    from helpers.options import OPTION_CODES

    code = str(states.lookup(cfg.state)["state_code"])
    return pd.Series({o: states.assess(o, code).verdict for o in OPTION_CODES}, name=code)


def analyse(cfg: Config) -> Analysis:
    """Run the model, the legal layer and the decision layer for a checked config."""
    from helpers import decision, legal, model

    results = model.simulate(cfg.draws, cfg.seed, options=list(cfg.options), city=cfg.city)
    summary = model.summarize(results)
    status = verdicts(cfg).reindex(list(cfg.options))  # the state's own rules when the config names a state
    status.name = "legal_status"
    open_options = [o for o in cfg.options if status[o] != "infeasible"]
    criteria = decision.load_criteria()
    if cfg.profile is not None:
        profiles = decision.load_profiles().loc[[cfg.profile]]
        label = f"{profiles.loc[cfg.profile, 'name']} (fictional profile '{cfg.profile}')"
        uncertain = True  # a profile stores a ranking; exact weights are uncertain within it
    else:
        label = "Equal weights (default)" if "weights" not in cfg.supplied else "Weights from the config"
        profiles = _weights_profile(cfg.weights, criteria, label)
        uncertain = False  # weights given as numbers are used exactly
    pid = str(profiles.index[0])
    weights = decision.profile_weights(pid, profiles, criteria)
    out = Analysis(cfg=cfg, results=results, summary=summary, status=status, open_options=open_options,
                   weights=weights, weights_label=label, profile_id=pid, profiles=profiles,
                   uncertain_weights=uncertain)
    if not open_options:
        return out
    perf = decision.performance(results, cfg.state_regime, feasible=open_options, status=status.to_dict())
    out.perf = perf
    out.ranking = decision.ranking(decision.draw_scores(perf, pid, profiles=profiles).mean(axis=0))
    out.acceptability = decision.acceptability(perf, pid, seed=cfg.seed, uncertain_weights=uncertain,
                                               profiles=profiles)
    if len(perf.options) >= 2:
        out.tornado = decision.gap_tornado(perf, pid, min(cfg.draws, TORNADO_DRAWS), cfg.seed, city=cfg.city,
                                           profiles=profiles, top=TORNADO_TOP)
        out.cruxes = [c.replace(" (fictional)", "", 1) if pid == CUSTOM_PROFILE else c
                      for c in decision.cruxes(perf, profiles=profiles, max_per_profile=2,
                                               tornado_results={pid: out.tornado})]
    return out


def weights_table(a: Analysis) -> pd.DataFrame:
    """The weight of each criterion in the ranking, with its name and the question it answers."""
    from helpers import decision

    crit = decision.load_criteria()
    return pd.DataFrame({"name": crit.loc[a.weights.index, "name"].to_numpy(),
                         "question": crit.loc[a.weights.index, "question"].to_numpy(),
                         "weight": a.weights.round(3).to_numpy()}, index=a.weights.index)


def acceptability_table(a: Analysis) -> pd.DataFrame:
    """Rank acceptability as whole percentages of draws (options x ranks)."""
    return (100 * a.acceptability).round(0).astype(int).astype(str) + "%"


def tornado_table(a: Analysis) -> pd.DataFrame | None:
    """The model inputs that move the gap between the two leading options most (score points, 0-1 scale)."""
    if a.tornado is None or a.tornado.empty:
        return None
    t = a.tornado
    first, second = str(t["first"].iloc[0]), str(t["second"].iloc[0])
    gap = f"{first} minus {second}"
    out = pd.DataFrame({"model input": t["label"], "range": [f"{lo:g} to {hi:g}" for lo, hi in zip(t["low"], t["high"])],
                        f"gap ({gap}) at low end": t["output_low"].round(3),
                        f"gap ({gap}) at high end": t["output_high"].round(3),
                        "order flips": (np.sign(t["output_low"]) != np.sign(t["output_high"]))})
    out.index = pd.Index(t["parameter"], name="parameter")
    return out


def _fmt(outcome: str, v: float) -> str:
    from helpers.model import RATE_OUTCOMES

    if outcome in RATE_OUTCOMES:
        return f"{100 * v:.0f}%"
    if outcome.endswith("_usd"):
        return f"${v:,.0f}"
    return f"{v:,.0f}"


def _interval(summary: pd.DataFrame, option: str, outcome: str) -> str:
    r = summary[(summary["option"] == option) & (summary["outcome"] == outcome)].iloc[0]
    return f"{_fmt(outcome, r['median'])} (90% interval {_fmt(outcome, r['lo'])} to {_fmt(outcome, r['hi'])})"


def _median(summary: pd.DataFrame, option: str, outcome: str) -> float:
    return float(summary[(summary["option"] == option) & (summary["outcome"] == outcome)]["median"].iloc[0])


def headlines(a: Analysis) -> pd.DataFrame:
    """The four headline numbers, each with what it rests on."""
    from helpers.model import OUTCOMES
    from helpers.options import load_options

    names = load_options()["name"]
    rows = []
    closed = [o for o in a.cfg.options if o not in a.open_options]
    rows.append({"headline": "Options your state's law leaves open",
                 "value": f"{len(a.open_options)} of the {len(a.cfg.options)} compared"
                          + (f" ({', '.join(a.open_options)})" if a.open_options else ""),
                 "rests on": f"legal layer ({_law_source(a.cfg)}); closed: " + (", ".join(closed) or "none")})
    if a.ranking is not None and len(a.ranking):
        top = str(a.ranking.loc[0, "option"])
        share = float(a.acceptability.loc[top, "1st"]) if a.acceptability is not None else float("nan")
        value = (f"{top} ({names[top]}), the only open option" if len(a.ranking) == 1
                 else f"{top} ({names[top]}), first in {100 * share:.0f}% of draws")
        rows.append({"headline": f"First for: {a.weights_label}", "value": value,
                     "rests on": "ILLUSTRATIVE: the model and these weights; other weights can put "
                                 "another option first (see the cruxes)"})
    for outcome in (TRUST_OUTCOME, REMOVALS_OUTCOME):
        label = OUTCOMES[outcome][0]
        opts = a.open_options or list(a.cfg.options)
        meds = {o: _median(a.summary, o, outcome) for o in opts}
        lo_o, hi_o = min(meds, key=meds.get), max(meds, key=meds.get)
        if len(opts) == 1 or lo_o == hi_o:
            value = f"{_interval(a.summary, opts[0], outcome)} under {opts[0]}"
        else:
            value = (f"from {_fmt(outcome, meds[lo_o])} under {lo_o} to {_fmt(outcome, meds[hi_o])} under {hi_o} "
                     "(medians across the open options)")
        unit = OUTCOMES[outcome][1]
        rows.append({"headline": f"{label} ({unit})", "value": value,
                     "rests on": "ILLUSTRATIVE model output (helpers.model); ranges in the outcomes table"})
    return pd.DataFrame(rows).set_index("headline")


def _law_source(cfg: Config) -> str:
    """Where the legal verdicts come from, in words."""
    if cfg.uses_state_rules:
        return f"data/states.csv for {cfg.state}, applied to data/legal_rules.csv"
    return "data/legal_rules.csv"


def legal_table(a: Analysis) -> pd.DataFrame:
    """Each chosen option's status under the state's law (its own rules when the config names a state, the
    regime type's otherwise), with the levers that block it."""
    from helpers import legal
    from helpers.options import load_options

    names = load_options()["name"]
    if a.cfg.uses_state_rules:
        from helpers import states

        blocking = states.blocking_table(a.cfg.state)
    else:
        blocking = legal.blocking_table()
    blocking = blocking[blocking["regime"] == a.cfg.state_regime].set_index("option")
    rows = []
    for o in a.cfg.options:
        rows.append({"option": o, "name": names[o], "status under state law": a.status[o],
                     "levers in conflict": blocking.loc[o, "blocking_levers"] or
                     (blocking.loc[o, "contested_levers"] and "contested: " + blocking.loc[o, "contested_levers"])
                     or "none",
                     "authorities": _shorten(blocking.loc[o, "authority_ids"])})
    return pd.DataFrame(rows).set_index("option")


def _shorten(ids: str, keep: int = 5) -> str:
    from helpers.data import split_list

    items = split_list(ids)
    if not items:
        return "-"
    more = f" (+{len(items) - keep} more)" if len(items) > keep else ""
    return "; ".join(items[:keep]) + more


def outcomes_table(a: Analysis) -> pd.DataFrame:
    """Outcomes (rows) x chosen options (columns): ``median (5th to 95th percentile)``."""
    from helpers.model import OUTCOMES, outcome_table

    table = outcome_table(a.summary, list(OUTCOMES), digits=0)
    table.index = [f"{name} ({OUTCOMES[k][1]})" for k, name in zip(OUTCOMES, table.index)]
    table.index.name = "outcome per year (median, 90% interval)"
    table.columns = [f"{o} (closed)" if o not in a.open_options else o for o in table.columns]
    return table


def results_table(a: Analysis) -> pd.DataFrame:
    """The ``results.csv`` table: one row per option x outcome with median, 5th and 95th percentiles, mean,
    legal status under the regime, and the share of draws in which the option ranks first."""
    from helpers.model import OUTCOMES
    from helpers.options import load_options

    names = load_options()["name"]
    df = a.summary.copy()
    df["option"] = df["option"].astype(str)
    df["outcome"] = df["outcome"].astype(str)
    df.insert(0, "municipality", a.cfg.name)
    df.insert(1, "state_regime", a.cfg.state_regime)
    df.insert(3, "option_name", df["option"].map(names))
    df.insert(4, "legal_status", df["option"].map(a.status))
    df.insert(6, "label", df["outcome"].map(lambda k: OUTCOMES[k][0]))
    df.insert(7, "unit", df["outcome"].map(lambda k: OUTCOMES[k][1]))
    df.insert(8, "direction", df["outcome"].map(lambda k: OUTCOMES[k][2]))
    df.insert(2, "state", a.cfg.state or "")  # the state's code when the config names one
    df = df.rename(columns={"lo": "p05", "hi": "p95"})
    first = a.acceptability["1st"] if a.acceptability is not None else pd.Series(dtype=float)
    df["share_ranked_first"] = df["option"].map(first)
    df["draws"] = a.cfg.draws
    df["seed"] = a.cfg.seed
    df["provenance"] = "ILLUSTRATIVE"
    return df


def save_results(a: Analysis, output_dir: str | Path | None) -> Path | None:
    """Write ``results.csv`` into ``output_dir`` (nothing when it is empty); returns the path."""
    if not output_dir:
        return None
    path = Path(output_dir) / "results.csv"
    results_table(a).to_csv(path, index=False, float_format="%.6g")
    return path


def inputs_table(cfg: Config) -> pd.DataFrame:
    """Provenance of every input: its value, whether the config supplied it or it took the documented
    default, and where the default comes from (REAL with sources, or ILLUSTRATIVE with its assumption)."""
    from helpers.model import CITY_FIELDS
    from helpers.sources import cite

    used = cfg.as_used()
    docs = CITY_FIELDS.set_index("field")
    rows = []
    for key, value in used.items():
        supplied = key in cfg.supplied
        if key in docs.index:
            d = docs.loc[key]
            meaning = str(d["meaning"])
            if supplied:
                prov, basis = "your input", f"given in {Path(cfg.source).name}"
            else:
                prov = str(d["provenance"])
                basis = str(d["notes"])
                if isinstance(d["source_ids"], str) and d["source_ids"].strip():
                    basis += f" Source: {cite(d['source_ids'])}."
        else:
            meaning = REPORT_SETTINGS.get(key, key)
            prov = "your input" if supplied else "report setting"
            basis = f"given in {Path(cfg.source).name}" if supplied else REPORT_DEFAULTS.get(key, "default")
        rows.append({"input": key, "meaning": meaning, "value": _show(value, key),
                     "supplied or default": "supplied" if supplied else "default",
                     "provenance": prov, "basis": basis})
    return pd.DataFrame(rows).set_index("input")


def sources_table(cfg: Config) -> pd.DataFrame:
    """Full references (title, publisher, URL, date read) behind the defaults this run used and the
    model's REAL parameters."""
    from helpers.data import split_list
    from helpers.model import CITY_FIELDS
    from helpers.sources import references

    ids: list[str] = []
    for _, row in CITY_FIELDS.iterrows():
        if row["field"] in cfg.defaulted and isinstance(row["source_ids"], str):
            ids.extend(i for i in split_list(row["source_ids"]) if i not in ids)
    ids.extend(i for i in _model_sources() if i not in ids)
    return references(ids).set_index("source_id")


REPORT_SETTINGS = {
    "name": "Name of the municipality",
    "state": "The city's state (its row in data/states.csv)",
    "county": "The city's county (for ICE's 287(g) list)",
    "state_regime": "What state law says about cooperation with ICE",
    "options": "Options compared",
    "profile": "Stakeholder profile whose weights rank the options",
    "weights": "Weight of each criterion in the ranking",
    "draws": "Monte Carlo draws",
    "seed": "Random seed (same seed, same numbers)",
}
REPORT_DEFAULTS = {
    "state": "none: the regime type is given directly",
    "county": "none: no county lookup",
    "state_regime": "derived from the state's row in data/states.csv",
    "options": "all seven archetypes",
    "profile": "none: the weights below are used",
    "weights": "every criterion weighs the same (a starting point, not a neutral verdict)",
    "draws": "enough draws for stable 5th-95th percentiles at report speed",
    "seed": "the project's fixed report seed",
}


#: Optional city rates -> the model parameter drawn when the config leaves them empty.
RATE_PARAMETERS = {"violent_victimization_rate": "victimization_rate", "bookings_per_1000": "bookings_per_1000"}


def _show(value: Any, key: str = "") -> str:
    if value is None:
        if key in RATE_PARAMETERS:
            from helpers import model

            real = model.load_parameters().at[RATE_PARAMETERS[key], "provenance"] == "REAL"
            return "empty (drawn from the national range)" if real else "empty (drawn from an illustrative range)"
        return "none"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}" if key in ("population", "draws") else str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k} {v:.2f}" for k, v in value.items())
    return str(value)


def title_html(a: Analysis) -> str:
    """The report's opening line as HTML, with the city name escaped."""
    from helpers import legal

    c = a.cfg
    if c.state is not None:
        from helpers import states

        row = states.lookup(c.state)
        where = f"{html.escape(str(row['state']))}: {html.escape(legal.REGIME_SHORT[c.state_regime])}"
        where += " (override)" if c.regime_from == "override" else ""
    else:
        where = html.escape(legal.REGIME_LABELS[c.state_regime])
    return (f"<p style=\"font-size:1.25em\"><strong>{html.escape(c.name)}</strong>: population "
            f"{c.city.population:,}, foreign-born share {100 * c.city.foreign_born_share:.1f}%, "
            f"{where}.</p>"
            f"<p>Config: <code>{html.escape(Path(c.source).name)}</code>; {c.draws:,} Monte Carlo draws, "
            f"seed {c.seed}; options compared: {html.escape(', '.join(c.options))}.</p>")


def caveats(a: Analysis) -> list[str]:
    """Caveats specific to this run (the general ones are in the notebook's prose)."""
    out = []
    city_defaults = [k for k in a.cfg.defaulted if k in {f for f in _city_field_names()}]
    if city_defaults:
        out.append("These local inputs took their national or illustrative default, not a figure for this city: "
                   + ", ".join(city_defaults) + ". Replace them in the config when you have local data.")
    under = _under(a.cfg)
    out.extend(a.cfg.notes)
    contested = [o for o in a.open_options if a.status[o] == "contested"]
    if contested:
        out.append(f"{', '.join(contested)}: open, but the legal layer marks a setting as contested {under}; "
                   "the outcome depends on how courts or the state resolve it.")
    closed = [o for o in a.cfg.options if o not in a.open_options]
    if closed:
        verb = "is" if len(closed) == 1 else "are"
        out.append(f"{', '.join(closed)} {verb} closed {under}: shown in the outcomes table for "
                   "comparison only, and left out of the chart and the ranking.")
    if len(a.open_options) == 1:
        out.append("Only one option is open, so there is no ranking to make and no crux to find.")
    if a.cfg.draws < 1000:
        out.append(f"Only {a.cfg.draws:,} draws: percentiles and acceptability shares may move by a few points "
                   "with another seed; use 2,000 or more for a brief you will share.")
    if not a.uncertain_weights:
        out.append("The weights are used exactly as given, so the rank acceptability reflects uncertainty about "
                   "outcomes only, not about the weights.")
    return out


def _under(cfg: Config) -> str:
    """'under this regime' or 'under Ohio's law', for sentences."""
    if cfg.uses_state_rules:
        from helpers import states

        return f"under {states.lookup(cfg.state)['state']}'s law"
    return "under this regime"


# --------------------------------------------------------------------------------------------- the state's law

def state_summary(a: Analysis, info: dict | None = None) -> list[str]:
    """Sentences on the law the report applies: the state's regime, its row's date, whether the row is partial
    or has contested levers, what its own exceptions change, and any override; or, without a state, that a
    regime type is used. ``info`` is :func:`helpers.states.standing` for the config's state when the caller has
    it already."""
    from helpers import legal, states

    cfg = a.cfg
    if cfg.state is None:
        return [f"No state is given, so the report applies the rules of a regime type, "
                f"'{legal.REGIME_SHORT[cfg.state_regime]}', not a particular state's. Add 'state: XX' (a code or "
                "a name) to use your state's own row in data/states.csv, its date and its exceptions."]
    info = states.standing(cfg.state) if info is None else info
    name = info["state"]
    laws = ("no statewide law on these levers was found in the sources read" if
            info["key_laws"].strip().lower().startswith("none") else f"laws behind it: {info['key_laws']}")
    out = [f"{name} ({info['code']}): {legal.REGIME_SHORT[info['regime']]}, from the state's row in "
           f"data/states.csv, current as of {states.day_text(info['as_of'])} (the newest source read for the row); "
           f"{laws}."]
    if info["partial"]:
        out.append(f"{name}'s row is partial: a best reading of research leads, not confirmed in the sources read. "
                   "Treat the regime and the options open as a starting point to check.")
    else:
        out.append(f"{name}'s row is verified: its classification was confirmed in the sources read.")
    if info["contested"]:
        out.append(f"Contested levers in {name}: {', '.join(info['contested'])}. Options with a contested setting "
                   "stay open and are flagged.")
    if info["menu_changes"] and cfg.uses_state_rules:
        out.append(f"{name}'s own exceptions change the regime type's menu: " + "; ".join(info["menu_changes"]) + ".")
    out.extend(cfg.notes)
    return out


def county_agreements(a: Analysis) -> pd.DataFrame | None:
    """The 287(g) agreements ICE listed for the config's county (None when the config gives no county)."""
    if a.cfg.county is None:
        return None
    from helpers import agreements

    table = agreements.agreements_for(a.cfg.county, a.cfg.state)
    table.index = pd.RangeIndex(1, len(table) + 1, name="agreement")
    return table


def county_sentence(a: Analysis) -> str:
    """One sentence on the county's listing on ICE's 287(g) list, with its date."""
    from helpers import agreements, states

    day = states.day_text(agreements.list_date())
    if a.cfg.county is None:
        return (f"No county is given. Add 'county: ...' to list the 287(g) agreements ICE listed for it on {day}.")
    state = states.lookup(a.cfg.state)["state"]
    table = county_agreements(a)
    if len(table):
        models = table["model"].value_counts()
        split = ", ".join(f"{n} {m}" for m, n in models.items())
        return (f"ICE's 287(g) list of {day} names {len(table)} agreement(s) for {a.cfg.county}, {state} ({split}). "
                "A listing shows that an agreement existed on that date, not how it is used.")
    close = agreements.close_counties(a.cfg.county, a.cfg.state)
    near = f" Near spellings on the list: {', '.join(close)}." if close else ""
    return (f"ICE's 287(g) list of {day} names no agreement for {a.cfg.county}, {state} (the list names only "
            f"counties with an agreement).{near}")


def brief_checks(a: Analysis) -> list[str]:
    """The "check before you brief" list: built from :func:`helpers.states.brief_checks` (currency of the
    state's own legal rows, measured against the legal layer's as-of date) plus the date of ICE's list."""
    from helpers import agreements, legal, states

    day = states.day_text(agreements.list_date())
    if a.cfg.state is None:
        return [f"The legal data are current as of {states.day_text(legal.as_of())}: look for later changes.",
                "Name your state in the config ('state: XX') to get checks for its own legal rows."]
    out = states.brief_checks(a.cfg.state)
    out.extend(a.cfg.notes)
    where = f"{a.cfg.county}, {states.lookup(a.cfg.state)['state']}" if a.cfg.county else "your county"
    out.append(f"ICE's 287(g) list used here is dated {day}: check ICE's current list for {where}.")
    out.append("For a check against today's date, run 'python -m helpers currency --months 12'.")
    return out


def _city_field_names() -> list[str]:
    from helpers.model import City
    import dataclasses

    return [f.name for f in dataclasses.fields(City)]


def print_list(items: list[str]) -> None:
    """Print sentences as a numbered list (plain text, so nothing in them is read as HTML)."""
    import textwrap

    if not items:
        print("(none)")
    for i, item in enumerate(items, 1):
        print(textwrap.fill(item, width=100, initial_indent=f"{i}. ", subsequent_indent="   "))


# --------------------------------------------------------------------------------------------- charts



def parameter_provenance() -> str:
    """One sentence: how many of the model's parameters are REAL and how many ILLUSTRATIVE."""
    from helpers import model

    params = model.load_parameters()
    counts = params["provenance"].value_counts()
    return (f"The model reads {len(params)} parameters (data/model_parameters.csv): {int(counts.get('REAL', 0))} "
            f"REAL, anchored to cited sources, and {int(counts.get('ILLUSTRATIVE', 0))} ILLUSTRATIVE, "
            "assumptions stated in their notes.")


def _model_sources() -> list[str]:
    from helpers import model
    from helpers.data import split_list

    params = model.load_parameters()
    ids: list[str] = []
    for cell in params.loc[params["provenance"] == "REAL", "source_ids"]:
        ids.extend(i for i in split_list(cell) if i not in ids)
    return ids


# =============================================================================================== output

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages a report depends on."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def data_hashes() -> dict[str, str]:
    """SHA-256 of every data table and descriptor the report reads (``data/*.csv``, ``data/schemas/*``)."""
    files = sorted(paths.DATA.glob("*.csv")) + sorted(paths.SCHEMAS.glob("*.json"))
    return {paths.relative(p): _sha256(p) for p in files}


def _git_commit() -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def run_record(cfg: Config, config_path: Path | None, seconds: float | None = None,
               overrides: dict[str, Any] | None = None, notebook: Path | None = None) -> dict[str, Any]:
    """The run record: what was run, with which inputs, code and data, so a reader can rerun it."""
    from helpers import __version__

    record: dict[str, Any] = {
        "report": "your municipality",
        "municipality": cfg.name,
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "config_file": str(config_path) if config_path else None,
        "config_sha256": _sha256(config_path) if config_path else None,
        "overrides": dict(overrides or {}),
        "seed": cfg.seed,
        "draws": cfg.draws,
        "inputs_as_used": cfg.as_used(),
        "inputs_supplied": list(cfg.supplied),
        "inputs_defaulted": list(cfg.defaulted),
        "notebook": paths.relative(notebook or NOTEBOOK),
        "notebook_sha256": _sha256(notebook or NOTEBOOK),
        "helpers_version": __version__,
        "git_commit": _git_commit(),
        "packages": package_versions(),
        "platform": platform.platform(),
        "data_files_sha256": data_hashes(),
        "outputs": list(OUTPUT_FILES),
    }
    if seconds is not None:
        record["seconds"] = round(seconds, 2)
    return record


def execute(config_path: Path | None, overrides: dict[str, Any] | None, out_nb: Path, output_dir: Path | str,
            notebook: Path | None = None, run: bool = True) -> None:
    """Execute the report notebook with papermill (in-process), writing the executed copy to ``out_nb``; with
    ``run=False`` only inject the parameters (papermill's ``prepare_only``) and clear the outputs, so the copy
    is ready to run and shows no numbers until it is run."""
    import papermill as pm

    notebook = notebook or NOTEBOOK
    params: dict[str, Any] = {"config_file": str(config_path) if config_path else "",
                              "overrides": dict(overrides or {}), "output_dir": str(output_dir)}
    pm.execute_notebook(str(notebook), str(out_nb), parameters=params, kernel_name=KERNEL,
                        cwd=str(notebook.parent), progress_bar=False, log_output=False, prepare_only=not run,
                        execution_timeout=CELL_TIMEOUT_S, extra_arguments=KERNEL_ARGUMENTS)
    if not run:  # the copy carries the teaching notebook's outputs, another city's numbers: clear them
        import nbformat

        nb = nbformat.read(out_nb, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, out_nb)


#: Entries that Jupyter or the Finder add to a folder they open; removed with the earlier report it replaces.
TOLERATED_ENTRIES: tuple[str, ...] = (".ipynb_checkpoints", ".DS_Store")
SHOWN_ENTRIES = 3  # unexpected entries named in the message


def _tolerated(entry: Path) -> bool:
    """A Finder ``.DS_Store`` file, or a Jupyter ``.ipynb_checkpoints`` folder holding only checkpoints of the
    report's own files (``report-checkpoint.ipynb``, ``results-checkpoint.csv``, ...)."""
    if entry.name not in TOLERATED_ENTRIES or entry.is_symlink():
        return False
    if entry.name == ".DS_Store":
        return entry.is_file()
    if not entry.is_dir():
        return False
    allowed = {f"{Path(n).stem}-checkpoint{Path(n).suffix}" for n in OUTPUT_FILES + EARLIER_FILES}
    return all(p.name in allowed and p.is_file() and not p.is_symlink() for p in entry.iterdir())


def _check_target(out: Path) -> None:
    """``DIR`` may be new, empty, or hold an earlier report (which is replaced); anything else is refused,
    naming the unexpected entries, so the command never deletes a reader's own files. What Jupyter or the
    Finder add to a folder they open (:data:`TOLERATED_ENTRIES`) does not count."""
    if out.exists() and not out.is_dir():
        raise InputError(describe(where=str(out), field="--out", problem="exists and is not a folder",
                                  fix="pass a new folder name with --out"), field="--out", value=str(out))
    if out.is_dir():
        present = {p.name for p in out.iterdir() if not _tolerated(p)}
        known = set(OUTPUT_FILES + EARLIER_FILES)
        if present and not (RECORD_NAME in present and present <= known):
            odd = sorted(present - known) if RECORD_NAME in present else sorted(present)
            shown = ", ".join(odd[:SHOWN_ENTRIES]) + (f" (+{len(odd) - SHOWN_ENTRIES} more)"
                                                      if len(odd) > SHOWN_ENTRIES else "")
            raise InputError(describe(where=str(out), field="--out",
                                      problem=f"folder holds files that are not an earlier report: {shown}",
                                      allowed="a new or empty folder, or the folder of an earlier report",
                                      fix="pass a new folder name with --out"), field="--out", value=str(out))


def _move_into_place(tmp: Path, out: Path) -> None:
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        os.replace(out, old)
        try:
            os.replace(tmp, out)
        except OSError:
            os.replace(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, out)


class _NotebookRun:
    """:func:`execute` in a background thread (the kernel is its own process, so it runs beside the brief);
    :meth:`wait` returns when it is done and re-raises what it raised."""

    def __init__(self, *args) -> None:
        import threading

        # jupyter_client imports IPython the first time it looks up a kernel spec (in the thread), and matplotlib
        # looks IPython up in sys.modules when the brief draws its first chart (in this thread): import it here,
        # before the thread starts, so the chart never finds it half-imported.
        import IPython  # noqa: F401

        self.error: BaseException | None = None
        self.seconds = 0.0
        self.thread = threading.Thread(target=self._run, args=args, name="report-notebook", daemon=True)
        self.thread.start()

    def _run(self, *args) -> None:
        import asyncio

        start = time.perf_counter()
        try:
            execute(*args)
        except BaseException as exc:  # re-raised in the caller's thread by wait()
            self.error = exc
        finally:  # close the event loop the kernel client opened for this thread
            try:
                loop = asyncio.get_event_loop_policy().get_event_loop()
            except RuntimeError:
                loop = None
            if loop is not None and not loop.is_running() and not loop.is_closed():
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()
            asyncio.set_event_loop(None)
        self.seconds = time.perf_counter() - start

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def render(config: str | Path | dict | None, out_dir: str | Path, overrides: dict[str, Any] | None = None,
           notebook: Path | None = None, run_notebook: bool = True) -> Path:
    """Render the report for a config into ``out_dir``; returns the folder.

    The config is checked first (:class:`InputError` before anything is written). Outputs are written into
    a temporary folder beside ``out_dir`` and moved into place only when all of them exist. The notebook is
    executed in its own kernel while the brief is built here; ``results.csv`` is the notebook's own (the same
    numbers, from the same :func:`analyse`), or written here when the notebook wrote none. With
    ``run_notebook=False`` (the command line's default, which keeps it fast) ``report.ipynb`` is the notebook with
    the config injected, ready to run. The run record says how long each part took, whether the notebook was
    run, and, when the PDF could not be printed, why (``pdf_not_printed``).
    """
    from helpers import brief

    start = time.perf_counter()
    if not str(out_dir).strip():
        raise InputError(describe(field="--out", problem="the output folder is empty text",
                                  fix="pass a folder name, e.g. --out reports/riverton"), field="--out",
                         value=str(out_dir))
    if isinstance(config, dict):  # numpy numbers become plain ones, so YAML can write them for the notebook
        config = plain(config)
    overrides = plain(dict(overrides)) if overrides else overrides
    config_path = None if isinstance(config, dict) else \
        Path(config if config is not None else _default_example()).resolve()
    cfg = load_config(config if isinstance(config, dict) else config_path, overrides)
    out = Path(out_dir).expanduser().resolve()
    _check_target(out)
    created: list[Path] = []
    parent = out.parent
    while not parent.exists():
        created.append(parent)
        parent = parent.parent
    tmp: Path | None = None
    run: _NotebookRun | None = None
    seconds: dict[str, float] = {}
    pdf_note: str | None = None
    try:
        for p in reversed(created):
            p.mkdir()
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes a private folder; the report gets the usual permissions
        # a mapping config is written out, so the notebook reads exactly the same inputs
        nb_config = config_path
        if config_path is None:
            import yaml

            nb_config = tmp / "config.yml"
            nb_config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
        if run_notebook:
            run = _NotebookRun(nb_config, overrides, tmp / "report.ipynb", tmp, notebook)
        else:  # ready to run: it reads the config where it will be (kept beside it for a mapping config)
            execute(config_path or out / "config.yml", overrides, tmp / "report.ipynb", "", notebook, run=False)
        step = time.perf_counter()
        a = analyse(cfg)
        (tmp / "brief.html").write_text(brief.render_html(a), encoding="utf-8")
        seconds["brief"] = round(time.perf_counter() - step, 2)
        step = time.perf_counter()
        try:
            brief.print_pdf(tmp / "brief.html", tmp / "brief.pdf")
        except brief.PdfUnavailable as exc:
            pdf_note = str(exc)
        seconds["pdf"] = round(time.perf_counter() - step, 2)
        if run is not None:
            run.wait()
            seconds["notebook"] = round(run.seconds, 2)
            run = None
            if nb_config != config_path:
                nb_config.unlink()
        if not (tmp / "results.csv").exists():
            save_results(a, tmp)
        record = run_record(cfg, config_path, time.perf_counter() - start, overrides, notebook)
        record["outputs"] = [n for n in OUTPUT_FILES if n == RECORD_NAME or (tmp / n).exists()]
        record["seconds_by_part"] = seconds
        record["notebook_run"] = run_notebook
        if pdf_note:
            record["pdf_not_printed"] = pdf_note
        (tmp / RECORD_NAME).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _move_into_place(tmp, out)
        tmp = None
    finally:
        if run is not None:  # the brief failed: let the notebook finish before its folder goes
            run.thread.join()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            for p in created:
                try:
                    p.rmdir()
                except OSError:
                    pass
    return out


def _default_example() -> Path:
    from helpers.config import DEFAULT_EXAMPLE

    return DEFAULT_EXAMPLE


def _notebook_error(exc: Exception) -> tuple[int, str]:
    """Exit code and message for a failure inside the notebook (an InputError there is bad input)."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if ename == "InputError":
        return 2, f"error: {evalue}"
    cell = getattr(exc, "exec_count", None)
    where = f" (cell {cell})" if cell is not None else ""
    return 1, f"error: the report notebook failed{where}: {ename}: {evalue}"


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers report CONFIG.yml --out DIR [--draws N] [--seed S]``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m helpers report",
        description="Render the 'your municipality' brief for a config file (see data/examples/).")
    parser.add_argument("config", help="YAML config of your municipality (see data/examples/README.md)")
    parser.add_argument("--out", default=None, help="output folder (default: reports/<config name>)")
    parser.add_argument("--draws", type=int, default=None, help="Monte Carlo draws (overrides the config)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (overrides the config)")
    parser.add_argument("--run-notebook", action="store_true",
                        help="also execute report.ipynb (notebook 09 with this config); without it the notebook is "
                             "written ready to run, which keeps the command fast")
    args = parser.parse_args(argv)
    if args.out is not None and not args.out.strip():
        print("error: --out: the output folder is empty text; fix: pass a folder name, e.g. --out "
              "reports/riverton (without --out the report goes to reports/<config name>)", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out is not None else Path("reports") / Path(args.config).stem
    overrides = {k: v for k, v in (("draws", args.draws), ("seed", args.seed)) if v is not None}
    try:
        folder = render(args.config, out, overrides or None, run_notebook=args.run_notebook)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. --out under a file, or a folder we may not write to
        print(f"error: --out {out}: cannot write the report there ({exc.strerror or exc}); "
              "fix: pass a folder you can write to", file=sys.stderr)
        return 2
    except Exception as exc:  # a failure inside the notebook: one message, nothing written
        from papermill.exceptions import PapermillExecutionError

        if not isinstance(exc, PapermillExecutionError):
            raise
        code, message = _notebook_error(exc)
        print(message, file=sys.stderr)
        return code
    record = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
    print(f"Report written to {folder}:")
    for name in OUTPUT_FILES:
        if (folder / name).exists():
            print(f"  {name}")
    print(f"Open {folder / 'brief.html'} in a browser (it works offline)"
          + (f", or print {folder / 'brief.pdf'}." if (folder / "brief.pdf").exists() else "."))
    if record.get("pdf_not_printed"):
        print(f"note: {record['pdf_not_printed']}", file=sys.stderr)
    part = record.get("seconds_by_part", {})
    notebook = (f"notebook {part['notebook']:.1f} s (run beside the brief)" if "notebook" in part else
                "report.ipynb ready to run (add --run-notebook to execute it too)")
    print(f"Took {record['seconds']:.1f} s: brief {part.get('brief', 0):.1f} s, PDF {part.get('pdf', 0):.1f} s; "
          f"{notebook}.")
    return 0


def benchmark(draws: int | None = None) -> float:
    """Seconds to render the default example report (the command's default settings: the notebook is written
    ready to run, not executed) into a temporary folder."""
    overrides = {"draws": draws} if draws else None
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        render(None, Path(tmp) / "report", overrides, run_notebook=False)
        return time.perf_counter() - start
