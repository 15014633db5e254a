"""The council brief: one designed document, ``brief.html`` and ``brief.pdf``, built from the report's analysis.

``python -m helpers report`` (:mod:`helpers.report`) writes the brief next to ``results.csv``, the run record and
the executed notebook. Everything in it comes from :func:`helpers.report.analyse` and the data tables:

- a one-screen summary: the question, the options the state's law leaves open, the first choice under the
  chosen weights and how often it comes first across the model's draws, and what would change it (contested
  facts of the model, the model input that moves the choice most, and the nearest change of one weight);
- an options table read across: legal status under the state's law with its date, six outcomes with their
  5-95% range, the main legal risk; under it, the evidence behind each outcome's range;
- the strongest case for and against each open option, with who makes it (``data/options.csv``);
- two charts with their uncertainty, sized to the options shown; caveats; the legal notice in prose;
- the sources as a numbered list of links, with publisher and date read (``data/sources.csv``).

The page is rendered by Jinja2 (autoescaped) from ``helpers/templates/``; it loads nothing from the network
(styles inline, charts embedded as SVG data). The PDF is printed by headless Chromium through playwright;
when either is missing the HTML is still written and :class:`PdfUnavailable` says what to install.

The words that describe numbers are made by small functions (:func:`number`, :func:`extremes`,
:func:`outcome_finding`, :func:`first_choice` ...) that compare values *as printed*: a tie is called a tie, two
values that print the same are never "more" or "most", and a zero prints as 0.
"""

from __future__ import annotations

import base64
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "brief.html.j2"

#: The outcomes in the options table and the chart, in reading order: reporting, crime, removals by conviction
#: category, net cost.
BRIEF_OUTCOMES: tuple[str, ...] = ("reporting_rate_immigrant_victims", "victimizations",
                                   "removals_serious_conviction", "removals_other_conviction",
                                   "removals_no_conviction", "net_cost_usd")
#: Short column heads for the outcomes (the full label and unit are in the table's notes).
SHORT_LABELS: dict[str, str] = {
    "reporting_rate_immigrant_victims": "Immigrant victims who report",
    "victimizations": "Violent victimizations",
    "removals_serious_conviction": "Removals: serious or violent conviction",
    "removals_other_conviction": "Removals: other conviction",
    "removals_no_conviction": "Removals: no conviction",
    "net_cost_usd": "Net cost to the city",
}
#: Kinds of evidence, strongest first (``evidence_type`` in data/model_parameters.csv).
EVIDENCE_ORDER: tuple[str, ...] = ("observed behaviour", "descriptive", "stated intention", "judgement")
#: Inputs named as behind an outcome's range: at most this many, each with a rank correlation at least this strong.
DRIVERS_TOP = 2
DRIVERS_MIN_RHO = 0.2
#: Contested modelling choices of helpers.balance that are method choices, not facts (left out of "what would
#: change it").
NOT_FACTS: tuple[str, ...] = ("global scale",)
#: Contested choices that bundle every side-favouring parameter (each side's whole case).
BUNDLES: tuple[str, ...] = ("limits case", "cooperation case")
#: Facts named in the summary's "what would change it" (the rest follow in one line).
SUMMARY_FACTS = 2
#: Paper the PDF is printed on; the page also fits A4 (see the print stylesheet).
PAPER = "Letter"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
PDF_TIMEOUT_MS = 60_000
#: Page margins of the PDF (the print stylesheet's @page margins are the same): they fit A4 and Letter.
PDF_MARGINS = {"top": "12mm", "right": "14mm", "bottom": "14mm", "left": "14mm"}


# =============================================================================================== words for numbers

def _kind(outcome: str) -> str:
    """How an outcome prints: "share" (a rate, as a whole percent), "usd" (dollars) or "count"."""
    from helpers.model import RATE_OUTCOMES

    if outcome in RATE_OUTCOMES:
        return "share"
    if outcome.endswith("_usd"):
        return "usd"
    return "count"


KINDS = ("share", "count", "usd")


def rounded(value: float, kind: str) -> float:
    """``value`` at the precision it is printed with: shares as whole percents, counts as whole numbers,
    dollars to the nearest thousand. A value that rounds to zero is 0.0 (never -0.0)."""
    v = float(value)
    if kind == "share":
        out = round(100.0 * v) / 100.0
    elif kind == "usd":
        out = round(v / 1000.0) * 1000.0
    else:
        out = float(round(v))
    return out + 0.0 if out != 0 else 0.0


def number(value: float, kind: str, compact: bool = False) -> str:
    """``value`` as printed in the brief: "41%", "1,234", "$412,000", "-$15,000"; with ``compact`` (tables and
    charts) dollars print in thousands, "$412k" (the same rounding). Zero is always "0" (or "0%", "$0"), never
    "-0"."""
    r = rounded(value, kind)
    if kind == "share":
        return f"{100 * r:.0f}%"
    if kind == "usd":
        sign = "-" if r < 0 else ""
        return f"{sign}${abs(r) / 1000:,.0f}k" if compact and r != 0 else f"{sign}${abs(r):,.0f}"
    return f"{r:,.0f}"


def span(lo: float, hi: float, kind: str, compact: bool = False) -> str:
    """A 5-95% range as printed: "38% to 44%"; one value when both ends print the same. With ``compact``:
    "38-44%" style with an en dash (" to " is kept when an end is negative, so a minus sign is never read as
    a dash), dollars in thousands."""
    a, b = number(lo, kind, compact), number(hi, kind, compact)
    if a == b:
        return a
    if compact and not a.startswith("-") and not b.startswith("-"):
        if kind == "share":
            a = a.rstrip("%")
        return f"{a}\u2013{b}"
    return f"{a} to {b}"


def names_list(items: Sequence[str], conj: str = "and") -> str:
    """"A", "A and B", "A, B and C"."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def extremes(values: Mapping[str, float], kind: str) -> tuple[list[str], list[str], bool]:
    """Options with the highest and the lowest value *as printed* (every option sharing the printed extreme),
    and whether all print the same. Order follows ``values``."""
    r = {k: rounded(v, kind) for k, v in values.items()}
    top, bottom = max(r.values()), min(r.values())
    high = [k for k, v in r.items() if v == top]
    low = [k for k, v in r.items() if v == bottom]
    return high, low, top == bottom


def outcome_finding(label: str, medians: Mapping[str, float], kind: str, names: Mapping[str, str] | None = None,
                    ranges: Mapping[str, tuple[float, float]] | None = None) -> str:
    """One sentence on one outcome across options, from the medians as printed: which option is highest and
    which lowest, a tie when several share a printed extreme, "the same under every option" when all print
    the same; when the 90% ranges of the highest and the lowest overlap, it says so."""
    names = names or {}
    show = lambda keys: names_list([names.get(k, k) for k in keys])  # noqa: E731
    high, low, same = extremes(medians, kind)
    first = next(iter(medians))
    if len(medians) == 1:
        return f"{label}: {number(medians[first], kind)} under {show([first])}."
    if same:
        return f"{label}: {number(medians[first], kind)} under every option shown (no difference at this rounding)."
    hi_text = (f"highest under {show(high)} ({number(medians[high[0]], kind)})" if len(high) == 1 else
               f"highest, and level, under {show(high)} ({number(medians[high[0]], kind)} each)")
    lo_text = (f"lowest under {show(low)} ({number(medians[low[0]], kind)})" if len(low) == 1 else
               f"lowest, and level, under {show(low)} ({number(medians[low[0]], kind)} each)")
    sentence = f"{label}: {hi_text}; {lo_text}"
    if ranges is not None and all(k in ranges for k in high + low):
        top_lo = min(ranges[k][0] for k in high)
        bottom_hi = max(ranges[k][1] for k in low)
        if rounded(top_lo, kind) <= rounded(bottom_hi, kind):
            sentence += "; their 90% ranges overlap"
    return sentence + "."


def share_leaders(shares: Mapping[str, float]) -> tuple[list[str], int]:
    """The options that rank first most often, as printed in whole percents, and that percent."""
    high, _, _ = extremes(shares, "share")
    return high, int(round(100 * rounded(shares[high[0]], "share")))


def first_choice(ranking: pd.DataFrame, shares: Mapping[str, float], names: Mapping[str, str],
                 weights_label: str) -> dict[str, Any]:
    """The first choice and how sure it is, in words that match the numbers.

    ``ranking`` is :func:`helpers.decision.ranking` (mean weighted score, ties flagged), ``shares`` the share of
    draws in which each option ranks first. Returns ``{"options": [...], "tie": bool, "sentence": str,
    "sure": str}``.
    """
    order = [str(o) for o in ranking["option"]]
    top = order[0]
    tied = [o for o in order if bool(ranking.set_index("option").loc[o, "tied"])
            and abs(float(ranking.set_index("option").loc[o, "score"]) - float(ranking["score"].iloc[0])) <= 1e-9]
    firsts = tied if len(tied) > 1 else [top]
    label = weights_label[:1].lower() + weights_label[1:]
    if len(order) == 1:
        return {"options": [top], "tie": False,
                "sentence": f"{names[top]} is the only option open, so there is no ranking to make.",
                "sure": "It is first in every draw because it is the only option left."}
    if len(firsts) > 1:
        sentence = (f"With {label}, {names_list([names[o] for o in firsts])} tie for the highest average score "
                    "across the model's draws.")
    else:
        sentence = f"With {label}, {names[top]} has the highest average score across the model's draws."
    pct = {o: int(round(100 * rounded(shares[o], "share"))) for o in order}
    lead_share = pct[firsts[0]] if len(firsts) == 1 else None
    others = [o for o in order if o not in firsts]
    best_other_pct = max(pct[o] for o in others) if others else 0
    best_other = [o for o in others if pct[o] == best_other_pct]
    if lead_share is not None:
        rest = 100 - lead_share
        sure = f"It ranks first in {lead_share}% of the draws; in the other {rest}% another option does"
        if best_other_pct > 0:
            verb = "most often" if len(best_other) == 1 else "most often, and equally,"
            sure += f", {verb} {names_list([names[o] for o in best_other])} ({best_other_pct}% each)" \
                if len(best_other) > 1 else f", {verb} {names[best_other[0]]} ({best_other_pct}%)"
        sure += "."
        if best_other_pct > lead_share:
            sure += (f" So {names_list([names[o] for o in best_other])} comes first in more single draws, "
                     "though its average score is lower.")
        elif best_other_pct == lead_share:
            sure += " The two come first equally often."
    else:
        sure = "They rank first in " + names_list([f"{pct[o]}% ({names[o]})" for o in firsts]) + " of the draws."
    return {"options": firsts, "tie": len(firsts) > 1, "sentence": sentence, "sure": sure}


# =============================================================================================== citations

@dataclass
class Citations:
    """Numbered sources in order of first citation; :meth:`cite` returns the numbers for a list of ids."""

    order: list[str] = field(default_factory=list)

    def cite(self, ids: str | Iterable[str]) -> list[int]:
        from helpers.data import split_list

        items = split_list(ids) if isinstance(ids, str) else [i for x in ids for i in split_list(x)]
        out = []
        for sid in items:
            if sid not in self.order:
                self.order.append(sid)
            n = self.order.index(sid) + 1
            if n not in out:
                out.append(n)
        return sorted(out)

    def entries(self) -> list[dict[str, str]]:
        from helpers.sources import get

        rows = get(self.order) if self.order else pd.DataFrame(columns=["title", "publisher", "url", "date_read"])
        from helpers import states

        out = []
        for n, (_, r) in enumerate(rows.iterrows(), 1):
            title, publisher = str(r["title"]).strip(), str(r["publisher"]).strip()
            out.append({"n": n, "title": title.rstrip("."),
                        "publisher": "" if publisher.lower() in title.lower() else publisher.rstrip("."),
                        "url": str(r["url"]), "read": short_day(str(r["date_read"]))})
        return out


def short_day(iso: str) -> str:
    """'2026-11-29' -> '29 Nov 2026' (a year or year-month is returned as given)."""
    import datetime as dt

    if len(iso) != 10:
        return iso
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


def groups(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted citation numbers: [1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


# =============================================================================================== the analysis, for a council

def _names() -> pd.Series:
    from helpers.options import load_options

    return load_options()["name"]


def _law(a, info: dict | None) -> dict[str, Any]:
    """Where the law comes from, in words: the state (with its row's date) or a regime type (with the legal
    layer's date). ``info`` is :func:`helpers.states.standing` for the config's state (None without a state)."""
    from helpers import legal, states

    cfg = a.cfg
    if cfg.state is not None:
        laws = ("" if info["key_laws"].strip().lower().startswith("none") else info["key_laws"])
        return {"where": f"{info['state']}'s law" if cfg.uses_state_rules else
                f"the rules of a '{legal.REGIME_SHORT[cfg.state_regime]}' regime (overriding {info['state']}'s row)",
                "state": info["state"], "regime": legal.REGIME_SHORT[cfg.state_regime],
                "as_of": states.day_text(info["as_of"]) if cfg.uses_state_rules else states.day_text(legal.as_of()),
                "partial": info["partial"], "key_laws": laws, "summary": info["summary"]}
    return {"where": f"the rules of a '{legal.REGIME_SHORT[cfg.state_regime]}' regime", "state": None,
            "regime": legal.REGIME_SHORT[cfg.state_regime], "as_of": states.day_text(legal.as_of()),
            "partial": False, "key_laws": "", "summary": legal.REGIME_LABELS[cfg.state_regime]}


def _blocking(a) -> pd.DataFrame:
    from helpers import legal

    if a.cfg.uses_state_rules:
        from helpers import states

        table = states.blocking_table(a.cfg.state)
    else:
        table = legal.blocking_table()
    return table[table["regime"] == a.cfg.state_regime].set_index("option")


def _lever_names(cell: str) -> list[str]:
    from helpers.data import split_list
    from helpers.options import load_levers

    levers = load_levers().set_index("lever_id")["name"]
    return [str(levers.get(x, x)) for x in split_list(cell.replace(",", ";"))]


def _authority_names(ids: str) -> list[str]:
    from helpers import legal
    from helpers.data import split_list

    auth = legal.load_authorities()
    return [str(auth.loc[i, "name"]).split(" - ")[0] for i in split_list(ids) if i in auth.index]


def legal_rows(a, cites: Citations) -> tuple[dict[str, dict], list[dict]]:
    """Legal status of each compared option: for open ones a short status (with contested levers), for closed
    ones the levers in conflict and the laws behind them, cited."""
    from helpers import legal

    names = _names()
    block = _blocking(a)
    open_rows: dict[str, dict] = {}
    closed: list[dict] = []
    for o in a.cfg.options:
        r = block.loc[o]
        status = str(a.status[o])
        if o in a.open_options:
            contested = _lever_names(r["contested_levers"]) if r["contested_levers"] else []
            open_rows[o] = {"status": "Open, contested" if status == "contested" else "Open",
                            "contested": contested}
        else:
            ids = str(r["authority_ids"])
            closed.append({"name": str(names[o]), "levers": _lever_names(r["blocking_levers"]),
                           "laws": _authority_names(ids), "cites": cites.cite(legal.source_ids(ids))})
    return open_rows, closed


def main_risks(a, cites: Citations) -> dict[str, dict]:
    """Each open option's largest legal risk under the regime (an ILLUSTRATIVE ordinal score, 0 to 1), cited."""
    from helpers import legal

    details = legal.risk_details(a.cfg.state_regime).set_index(["option", "risk_id"])
    out = {}
    for o in a.open_options:
        levels = a.perf.risk.loc[o] if a.perf is not None else legal.risk_scores(a.cfg.state_regime).loc[o]
        levels = levels.reindex(list(legal.RISK_IDS)).astype(float)
        top = max(legal.RISK_IDS, key=lambda r: (levels[r], -legal.RISK_IDS.index(r)))
        if levels[top] <= 0:
            out[o] = {"label": "None scored under these rules", "score": "0", "cites": []}
            continue
        ids = str(details.loc[(o, top), "authority_ids"])
        out[o] = {"label": legal.RISKS[top]["label"], "score": f"{levels[top]:.2f}".rstrip("0").rstrip("."),
                  "cites": cites.cite(legal.source_ids(ids))}
    return out


def _parameter_ranks(a) -> pd.DataFrame:
    """Ranks of every drawn model parameter (the draws behind ``a.results``), constant ones left out."""
    from helpers import model

    params = model.draw_parameters(a.cfg.draws, a.cfg.seed)
    params = params.loc[:, params.nunique() > 1]
    return params.rank()


def drivers(a, outcome: str, ranks: pd.DataFrame | None = None, top: int = DRIVERS_TOP,
            min_rho: float = DRIVERS_MIN_RHO) -> pd.DataFrame:
    """The model inputs behind an outcome's range: Spearman rank correlation between each drawn parameter and
    the outcome, averaged in absolute value over the open options; the ``top`` strongest at or above ``min_rho``
    (at least the strongest one), with provenance and evidence type from data/model_parameters.csv."""
    from helpers import model

    ranks = _parameter_ranks(a) if ranks is None else ranks
    wide = model.wide(a.results, outcome)
    opts = [o for o in (a.open_options or list(a.cfg.options)) if o in wide.columns]
    x = ranks.to_numpy(dtype=float)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    rhos = []
    for o in opts:
        y = wide[o].rank().to_numpy(dtype=float)
        sd = y.std()
        rhos.append(np.zeros(x.shape[1]) if sd == 0 else np.abs(((y - y.mean()) / sd) @ x / len(y)))
    rho = np.mean(rhos, axis=0)
    meta = model.load_parameters()
    out = pd.DataFrame({"parameter": ranks.columns, "rho": rho})
    out = out.sort_values("rho", ascending=False, kind="stable").reset_index(drop=True)
    keep = out[out["rho"] >= min_rho].head(top)
    if keep.empty:
        keep = out.head(1)
    keep = keep.copy()
    keep["meaning"] = [str(meta.at[p, "meaning"]) for p in keep["parameter"]]
    keep["provenance"] = [str(meta.at[p, "provenance"]) for p in keep["parameter"]]
    keep["evidence_type"] = [str(meta.at[p, "evidence_type"]) for p in keep["parameter"]]
    keep["source_ids"] = [str(meta.at[p, "source_ids"]) if isinstance(meta.at[p, "source_ids"], str) else ""
                          for p in keep["parameter"]]
    return keep


def grade(evidence: pd.DataFrame) -> str:
    """The evidence grade of an outcome from the inputs behind its range (:func:`drivers`): "measured" when all
    are REAL, "study-based" when all rest on observed behaviour or counts, "assumption-led" when any is a
    judgement or a stated intention."""
    if (evidence["provenance"] == "REAL").all():
        return "measured"
    if evidence["evidence_type"].isin(EVIDENCE_ORDER[:2]).all():
        return "study-based"
    return "assumption-led"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def evidence_notes(a, cites: Citations) -> dict[str, dict]:
    """For each brief outcome: its grade and the inputs behind its range, in words, cited."""
    ranks = _parameter_ranks(a)
    out = {}
    for outcome in BRIEF_OUTCOMES:
        d = drivers(a, outcome, ranks)
        parts = []
        for _, r in d.iterrows():
            n = cites.cite(r["source_ids"]) if r["source_ids"] else []
            parts.append({"text": f"{_lower_first(r['meaning'].rstrip('.'))} ({r['evidence_type']}, {r['provenance']})",
                          "cites": n})
        out[outcome] = {"grade": grade(d), "inputs": parts}
    return out


def outcome_cells(a) -> dict[str, dict[str, dict[str, str]]]:
    """Printed median and 5-95% range of every brief outcome for every open option."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    s = a.summary.assign(option=a.summary["option"].astype(str), outcome=a.summary["outcome"].astype(str))
    s = s.set_index(["option", "outcome"])
    for o in a.open_options:
        out[o] = {}
        for k in BRIEF_OUTCOMES:
            r = s.loc[(o, k)]
            kind = _kind(k)
            out[o][k] = {"median": number(r["median"], kind, compact=True),
                         "range": span(r["lo"], r["hi"], kind, compact=True)}
    return out


def findings(a, names: Mapping[str, str]) -> dict[str, str]:
    """One sentence per brief outcome across the open options (:func:`outcome_finding`)."""
    from helpers.model import OUTCOMES

    s = a.summary.assign(option=a.summary["option"].astype(str), outcome=a.summary["outcome"].astype(str))
    s = s.set_index(["option", "outcome"])
    out = {}
    for k in BRIEF_OUTCOMES:
        meds = {o: float(s.loc[(o, k), "median"]) for o in a.open_options}
        ranges = {o: (float(s.loc[(o, k), "lo"]), float(s.loc[(o, k), "hi"])) for o in a.open_options}
        out[k] = outcome_finding(OUTCOMES[k][0], meds, _kind(k), names, ranges)
    return out


def chart_title(a, names: Mapping[str, str]) -> str:
    """Title of the outcomes chart: reporting and removals of people with a serious conviction, the two outcomes
    each side cites most, as printed."""
    from helpers.model import OUTCOMES

    if len(a.open_options) == 1:
        return f"What the model expects under {names[a.open_options[0]]}, the only option open"
    parts = []
    s = a.summary.assign(option=a.summary["option"].astype(str), outcome=a.summary["outcome"].astype(str))
    s = s.set_index(["option", "outcome"])
    for k, what, verb in (("reporting_rate_immigrant_victims", "immigrant victims' reporting", "is"),
                          ("removals_serious_conviction", "removals of people with a serious conviction", "are")):
        meds = {o: float(s.loc[(o, k), "median"]) for o in a.open_options}
        high, _, same = extremes(meds, _kind(k))
        if same:
            parts.append(f"{what} {verb} the same under every option shown")
        elif len(high) == 1:
            parts.append(f"{what} {verb} highest under {names[high[0]]}")
        else:
            parts.append(f"{what} {verb} highest, and level, under {names_list([names[o] for o in high])}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


# =============================================================================================== what would change it

def contested_changes(a, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each contested fact of the model (helpers.balance.CONTESTED, method choices left out) set alone at its
    defensible end, with this city's options, law and weights: the first choice after, and whether it changed.

    The model is rerun on the analysis's own draws with the contested parameters fixed (common random numbers,
    as :func:`helpers.model.draw_parameters` fixes them), scored on the swing between the open options as
    :func:`helpers.decision.performance` scores them, and ranked by mean weighted score."""
    from helpers import balance, decision, mcda, model

    if a.perf is None or len(a.open_options) < 2:
        return []
    base_top = str(a.ranking.loc[0, "option"])
    table = model.load_parameters()
    params = model.draw_parameters(a.cfg.draws, a.cfg.seed, table=table)
    opts = a.perf.options
    scores = model.option_scores(opts)
    plan = decision._criteria_plan(a.perf)
    w = decision._weights_vector(a.perf, a.profile_id, a.profiles)
    out = []
    for label, (what, how) in balance.CONTESTED.items():
        if label in NOT_FACTS or how == "global":
            continue
        overrides = (balance.scenario_overrides(how, table) if isinstance(how, str)
                     else balance.contested_overrides(how, table))
        p = params.copy()
        for name, value in overrides.items():
            p[name] = value
        X = decision._criteria_from_outcomes(model.simulate_arrays(p, scores, a.cfg.city), plan, len(opts))
        mean = mcda.weighted_sum(X, w, a.perf.benefit, mcda.swing_ranges(X, a.perf.benefit)).mean(axis=0)
        top = str(decision.ranking(pd.Series(mean, index=opts)).loc[0, "option"])
        what = _plain(what, names)
        out.append({"choice": label, "what": what, "top": top, "changes": top != base_top,
                    "sentence": (f"With {what}, {names[top]} would come first instead of {names[base_top]}."
                                 if top != base_top else f"With {what}, {names[base_top]} stays first.")})
    return out


def input_change(a, names: Mapping[str, str]) -> dict[str, Any] | None:
    """The model input that moves the gap between the two leading options most (the report's tornado), in
    words: whether the order flips across the input's range."""
    t = a.tornado
    if t is None or t.empty:
        return None
    r = t.iloc[0]
    first, second = str(r["first"]), str(r["second"])
    label = _lower_first(str(r["label"]).rstrip("."))
    lo_lead = first if r["output_low"] > 0 else second if r["output_low"] < 0 else None
    hi_lead = first if r["output_high"] > 0 else second if r["output_high"] < 0 else None
    flips = lo_lead != hi_lead
    lo_v, hi_v = f"{r['low']:g}", f"{r['high']:g}"
    if flips:
        def who(x):
            return f"{names[x]} leads" if x is not None else f"{names[first]} and {names[second]} are level"
        sentence = (f"The model input that moves the choice most is {label}: at the low end of its range ({lo_v}) "
                    f"{who(lo_lead)}; at the high end ({hi_v}) {who(hi_lead)}.")
    else:
        sentence = (f"The model input that moves the gap between {names[first]} and {names[second]} most is {label} "
                    f"(range {lo_v} to {hi_v}); across that range the order of the two does not change.")
    return {"sentence": sentence, "flips": flips, "parameter": str(r["parameter"])}


def weight_changes(a, names: Mapping[str, str], top: int = 2) -> list[str]:
    """The nearest changes of one weight that would put another option first (others keep their proportions)."""
    from helpers import decision

    if a.perf is None or len(a.open_options) < 2:
        return []
    th = decision.thresholds_table(a.perf, a.profile_id, a.profiles)
    crit = decision.load_criteria()
    cands = []
    for cid, r in th.iterrows():
        for col, new, verb in (("flips_if_raised_to", "new_top_if_raised", "rose"),
                               ("flips_if_lowered_to", "new_top_if_lowered", "fell")):
            if not pd.isna(r[col]):
                cands.append((abs(r[col] - r["weight"]), list(th.index).index(cid), cid, verb, r["weight"], r[col],
                              r[new], r["top"]))
    cands.sort(key=lambda c: (round(c[0], 9), c[1]))
    out = []
    for _, _, cid, verb, now, then, new, old in cands[:top]:
        now_p, then_p = f"{100 * now:.0f}%", f"{100 * then:.0f}%"
        if now_p == then_p:
            now_p, then_p = f"{100 * now:.1f}%", f"{100 * then:.1f}%"
        name = str(crit.loc[cid, "name"]).lower()
        out.append(f"If the weight on {name} {verb} from {now_p} to {then_p} of the total (the others keeping their "
                   f"proportions), {names[new]} would come first instead of {names[old]}.")
    return out


# =============================================================================================== charts

def _svg(fig) -> str:
    """A figure as a base64 SVG data URI (text kept as text, deterministic ids, no date)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def tick_labels(values: Sequence[float], kind: str) -> list[str]:
    """Axis tick labels for positions ``values`` (shares in percent points, counts, dollars): printed as the brief
    prints numbers, with as many more decimals as it takes for every label to be exact (a tick at 37.5 is not
    labelled 38) and distinct; never "-0"."""
    def fmt(v: float, extra: int) -> str:
        if kind == "share":
            r = round(v, extra) + 0.0
            return f"{r if r != 0 else 0.0:.{extra}f}%"
        if kind == "usd":
            r = round(v / 1000.0, extra) + 0.0
            r = r if r != 0 else 0.0
            return "$0" if r == 0 else f"{'-' if r < 0 else ''}${abs(r):,.{extra}f}k"
        r = round(v, extra) + 0.0
        return f"{r if r != 0 else 0.0:,.{extra}f}"

    scale = 1000.0 if kind == "usd" else 1.0
    for extra in range(0, 4):
        labels = [fmt(float(v), extra) for v in values]
        tol = 1e-6 * max([1.0] + [abs(float(v)) / scale for v in values])
        exact = all(abs(round(float(v) / scale, extra) - float(v) / scale) < tol for v in values)
        if exact and len(set(labels)) == len(labels):
            return labels
    return labels



# =============================================================================================== the page

GENERAL_CAVEATS = (
    "The model is a chain of stated assumptions, not a fitted forecast. It is calibrated to national figures, "
    "not to this city's records.",
    "The ranges show the spread from the model's uncertain inputs only. They leave out the chance that the "
    "model's structure itself is wrong.",
    "Published studies disagree on several links, for example how much enforcement changes crime reporting.",
    "A state's legal reading comes from the sources read for it, dated in the data; partial readings are best "
    "readings not yet confirmed. Statutes, injunctions and agency practice can differ from this reading and can "
    "change quickly.",
    "The ranking belongs to its weights. Another set of weights, equally defensible, can put another option first.",
)


def _cases(a, cites: Citations) -> list[dict]:
    from helpers.options import load_options

    opts = load_options()
    out = []
    for o in a.open_options:
        r = opts.loc[o]
        out.append({"name": str(r["name"]), "family": str(r["family"]), "summary": str(r["summary"]),
                    "for": str(r["case_for"]), "for_by": str(r["case_for_by"]).rstrip("."),
                    "against": str(r["case_against"]), "against_by": str(r["case_against_by"]).rstrip("."),
                    "cites": cites.cite(str(r["source_ids"]))})
    return out


def _inputs(a) -> dict[str, list[str]]:
    from helpers import report

    table = report.inputs_table(a.cfg)
    city_fields = set(report._city_field_names())
    given = [f"{r['meaning'].rstrip('.')}: {r['value']}" for k, r in table.iterrows()
             if r["supplied or default"] == "supplied" and k in city_fields and k != "name"]
    defaults = [f"{r['meaning'].rstrip('.')}: {r['value']} ({r['provenance']})" for k, r in table.iterrows()
                if r["supplied or default"] == "default" and k in city_fields]
    return {"given": given, "defaults": defaults}


def context(a) -> dict[str, Any]:
    """Everything the template shows, as plain values (strings, numbers, lists, dicts)."""
    from helpers import __version__, legal, report

    cfg = a.cfg
    names = {str(k): str(v) for k, v in _names().items()}
    cites = Citations()
    info = None
    law_cites: list[int] = []
    if cfg.state is not None:
        from helpers import states

        info = states.standing(cfg.state)
        if cfg.uses_state_rules:
            law_cites = cites.cite(str(states.lookup(cfg.state)["source_ids"]))
    law = _law(a, info)
    law["cites"] = law_cites
    open_legal, closed = legal_rows(a, cites)
    weights_label = a.weights_label
    ctx: dict[str, Any] = {
        "name": cfg.name, "population": f"{cfg.city.population:,}",
        "foreign_born": f"{100 * cfg.city.foreign_born_share:.0f}%" if
        f"{100 * cfg.city.foreign_born_share:.0f}" == f"{100 * cfg.city.foreign_born_share:.1f}".rstrip("0").rstrip(".")
        else f"{100 * cfg.city.foreign_born_share:.1f}%",
        "law": law, "n_compared": len(cfg.options), "n_open": len(a.open_options),
        "open": [{"code": o, "name": names[o], **open_legal[o]} for o in a.open_options],
        "closed": closed, "weights_label": weights_label,
        "draws": f"{cfg.draws:,}", "seed": cfg.seed, "config": Path(cfg.source).name if cfg.source else "",
        "version": __version__, "legal_as_of": legal.as_of(),
        "notice": legal.notice(),
    }
    if a.ranking is not None and len(a.ranking):
        shares = {o: float(a.acceptability.loc[o, "1st"]) for o in a.acceptability.index}
        ctx["choice"] = first_choice(a.ranking, shares, names, weights_label)
        ctx["choice_names"] = [names[o] for o in ctx["choice"]["options"]]
    contested = contested_changes(a, names)
    for c in contested:
        c["top_name"] = names[c["top"]]
    ctx["facts"] = [c for c in contested if c["changes"]]
    ctx["facts_stay"] = [c for c in contested if not c["changes"]]
    ctx["input_change"] = input_change(a, names)
    ctx["weight_changes"] = weight_changes(a, names)
    # the summary's "what would change it": up to three, facts first
    # the summary's "what would change it": two facts at most (single contested facts first, then the model
    # input that moves the choice most, then the two sides' bundled cases), and the nearest change of one weight
    singles = [c for c in ctx["facts"] if c["choice"] not in BUNDLES]
    bundles = [c for c in ctx["facts"] if c["choice"] in BUNDLES]
    ctx["facts"] = singles + bundles
    shown = [c["sentence"] for c in singles[:SUMMARY_FACTS]]
    if ctx["input_change"] and ctx["input_change"]["flips"] and len(shown) < SUMMARY_FACTS:
        shown.append(ctx["input_change"]["sentence"])
    n_facts = len(shown) - (1 if ctx["input_change"] and ctx["input_change"]["sentence"] in shown else 0)
    for c in bundles:
        if len(shown) < SUMMARY_FACTS:
            shown.append(c["sentence"])
            n_facts += 1
    ctx["summary_facts"] = n_facts
    ctx["summary_changes"] = ([{"kind": "A fact", "text": t} for t in shown]
                              + [{"kind": "Values", "text": t} for t in ctx["weight_changes"][:1]])
    ctx["no_fact_changes"] = len(a.open_options) >= 2 and not ctx["facts"] and not (
        ctx["input_change"] and ctx["input_change"]["flips"])
    ctx["outcomes"] = [{"key": k, "label": SHORT_LABELS[k], "full": report_label(k)} for k in BRIEF_OUTCOMES]
    ctx["cells"] = outcome_cells(a)
    ctx["risks"] = main_risks(a, cites)
    ctx["evidence"] = evidence_notes(a, cites)
    ctx["findings"] = findings(a, names)
    ctx["chart_title"] = chart_title(a, names)
    from helpers import plots

    ctx["chart_outcomes"] = _svg(plots.plot_brief_outcomes(a, names))
    model_cites = cites.cite(report._model_sources())
    ctx["model_cites"] = model_cites
    ctx["firsts"] = ({o: number(float(a.acceptability.loc[o, "1st"]), "share") for o in a.open_options}
                     if a.acceptability is not None else {o: "" for o in a.open_options})
    ctx["cases"] = _cases(a, cites)
    ctx["caveats"] = list(GENERAL_CAVEATS)
    ctx["run_caveats"] = [_plain(c, names) for c in report.caveats(a)]
    ctx["state_lines"] = report.state_summary(a, info)
    ctx["county"] = _plain(report.county_sentence(a), names) if cfg.county is not None else None
    if cfg.county is not None:
        from helpers import agreements

        ctx["county_cites"] = cites.cite(agreements.source_ids())
    ctx["checks"] = [c for c in report.brief_checks(a) if "python -m helpers" not in c]
    ctx["inputs"] = _inputs(a)
    defaults = report.sources_table(cfg)
    ctx["input_cites"] = cites.cite(list(defaults.index))
    ctx["sources"] = cites.entries()
    ctx["parameters"] = report.parameter_provenance().replace(" (data/model_parameters.csv)", "")
    return ctx


def report_label(outcome: str) -> str:
    from helpers.model import OUTCOMES

    name, unit, _ = OUTCOMES[outcome]
    return f"{name} ({unit})"


def _plain(text: str, names: Mapping[str, str]) -> str:
    """A caveat from helpers.report with option codes and input field names replaced by what they mean."""
    from helpers.model import CITY_FIELDS

    for code, name in names.items():
        text = re.sub(rf"\b{re.escape(code)}\b", name, text)
    for _, row in CITY_FIELDS.iterrows():
        text = re.sub(rf"\b{re.escape(str(row['field']))}\b", _lower_first(str(row["meaning"]).rstrip(".")), text)
    return text.replace("the rank acceptability", "the share of draws in which each option ranks first")


def environment():
    """The Jinja2 environment over helpers/templates (autoescape on, undefined names are errors)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.globals["groups"] = groups
    return env


def render_html(a) -> str:
    """The brief as one self-contained HTML page."""
    return environment().get_template(TEMPLATE).render(**context(a))


# =============================================================================================== PDF

class PdfUnavailable(RuntimeError):
    """The PDF could not be printed here; the message names what is missing and how to get it."""


HOW_TO_GET_PDF = ("Install Chromium (Debian/Ubuntu: sudo apt-get install -y chromium; or .venv/bin/python -m "
                  "playwright install chromium), or point CHROMIUM at a Chromium or Chrome you have; then run the "
                  "same command again. Or open brief.html in a browser and print it to PDF.")


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (playwright), offline: every request other
    than the page itself is refused. The browser is the one :func:`helpers.browser.find_chromium` finds.
    Raises :class:`PdfUnavailable` naming what is missing."""
    from helpers.browser import find_chromium

    exe = find_chromium()
    if exe is None:
        where = f"CHROMIUM={os.environ['CHROMIUM']} is not an executable file" if os.environ.get("CHROMIUM") \
            else ("no Chromium was found (looked for $CHROMIUM, /usr/bin/chromium, chromium or chrome on PATH, "
                  "and playwright's own Chromium)")
        raise PdfUnavailable(f"brief.pdf was not printed: {where}. {HOW_TO_GET_PDF}")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfUnavailable("brief.pdf was not printed: the Python package 'playwright' is not installed. "
                             "Install it with .venv/bin/python -m pip install playwright (the version in "
                             "requirements.txt), then run the same command again.") from None
    url = Path(html_path).resolve().as_uri()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS, headless=True)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
                page.goto(url, wait_until="load", timeout=PDF_TIMEOUT_MS)
                page.emulate_media(media="print")
                page.pdf(path=str(pdf_path), format=PAPER, print_background=True, prefer_css_page_size=False,
                         display_header_footer=True, header_template="<span></span>",
                         footer_template=FOOTER, margin=PDF_MARGINS)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise PdfUnavailable(f"brief.pdf was not printed: Chromium at {exe} failed ({str(exc).splitlines()[0]}). "
                             f"{HOW_TO_GET_PDF}") from None


FOOTER = ('<div style="font-size:7.5pt;color:#555;width:100%;text-align:center;font-family:sans-serif">'
          'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
