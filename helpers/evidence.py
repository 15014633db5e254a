"""Published findings on sanctuary policies, enforcement programs, crime, reporting and trust.

``data/evidence_studies.csv`` holds one row per finding of a published study, with the original free-text
policy, outcome and design kept beside controlled classes (``policy_class``, ``outcome_class``,
``design_class``) that charts use. This module loads that table (its descriptor and the row rules in
:func:`helpers.checks.evidence_studies` are checked by :func:`helpers.data.load_table`), and shapes rows
for charts so that no number is ever typed into a notebook:

- a number (``point_estimate``, a confidence bound, a denominator) is allowed only on a ``verified = yes``
  row; ``partial`` rows keep their direction and never a number, and :func:`require_numeric` refuses to
  pass them to a chart;
- every row cites a source in ``data/sources.csv``; design, direction and the other classes come from
  closed vocabularies.

It also holds an ILLUSTRATIVE power illustration (:func:`power_grid`): how a change in crime reporting
concentrated in part of the population can stay invisible in aggregate recorded-crime data of the size
the published panel studies use. Its inputs are assumptions (:func:`power_assumptions`), not measurements.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import paths
from helpers.data import load_table, split_list
from helpers.errors import InputError

TABLE = "evidence_studies"

#: Policy classes, in the order the evidence map shows them, with a label and which way each leans
#: relative to local participation in federal immigration enforcement.
POLICY_CLASSES: dict[str, dict[str, str]] = {
    "less_cooperation": {"label": "Local limits on cooperation (sanctuary, detainer limits)",
                         "lean": "less enforcement"},
    "less_enforcement": {"label": "Lower federal enforcement or legal status", "lean": "less enforcement"},
    "police_ice_cooperation": {"label": "Local police working with ICE (surveys, climate)",
                               "lean": "more enforcement"},
    "secure_communities": {"label": "Secure Communities (jail fingerprint checks)", "lean": "more enforcement"},
    "program_287g": {"label": "287(g) agreements", "lean": "more enforcement"},
    "state_enforcement": {"label": "State enforcement laws (SB 1070, E-Verify)", "lean": "more enforcement"},
    "enforcement_climate": {"label": "Enforcement intensity or climate", "lean": "more enforcement"},
    "community_policing": {"label": "Community policing and procedural justice", "lean": "policing practice"},
    "context": {"label": "Context only (no policy compared)", "lean": "context"},
}

#: Outcome classes, in map order.
OUTCOME_CLASSES: dict[str, str] = {
    "crime": "Crime",
    "clearance": "Clearance",
    "rearrests": "Re-arrests after release",
    "deportations": "Deportations",
    "reporting_observed": "Reporting (observed)",
    "reporting_stated": "Reporting (stated intent)",
    "trust": "Trust, legitimacy",
    "population": "Immigrant population",
    "wellbeing": "Health, school, safety net",
}

#: Design classes with their strength for a causal reading: 3 = a comparison group and a before/after or
#: random assignment (or a review pooling such studies); 2 = observational with statistical controls;
#: 1 = descriptive, stated intentions or qualitative.
DESIGN_CLASSES: dict[str, dict[str, object]] = {
    "systematic_review": {"label": "Systematic review / meta-analysis", "strength": 3},
    "quasi_experimental": {"label": "Quasi-experimental (difference-in-differences, IV, natural experiment)",
                           "strength": 3},
    "survey_experiment": {"label": "Survey experiment (randomised framing; stated answers)", "strength": 3},
    "panel_observational": {"label": "Observational panel (regression over time)", "strength": 2},
    "cross_sectional": {"label": "Cross-sectional or multilevel comparison", "strength": 2},
    "model_extrapolation": {"label": "Extrapolation from a study's own estimates", "strength": 2},
    "survey_stated": {"label": "Survey of stated intentions or perceptions", "strength": 1},
    "descriptive": {"label": "Descriptive counts or comparisons (no comparison group)", "strength": 1},
    "qualitative": {"label": "Qualitative case study", "strength": 1},
}
STRENGTH_LABELS: dict[int, str] = {3: "stronger design", 2: "observational with controls",
                                   1: "descriptive or stated"}

DIRECTIONS: dict[str, str] = {"increases": "increases", "decreases": "decreases",
                              "no_detectable_effect": "no detectable effect", "mixed": "mixed"}

#: Kinds of number in ``point_estimate``; ``to_percent`` converts to a percent change where that is meaningful.
SCALES: dict[str, dict[str, object]] = {
    "proportion_change": {"label": "change, as a proportion (0.1 = +10%)", "to_percent": 100.0, "signed": True},
    "percent_change": {"label": "percent change", "to_percent": 1.0, "signed": True},
    "percentage_points": {"label": "percentage points", "to_percent": None, "signed": True},
    "percent_of_respondents": {"label": "percent of respondents", "to_percent": None, "signed": False},
    "percent_reported": {"label": "percent of victimizations reported", "to_percent": None, "signed": False},
    "count": {"label": "count", "to_percent": None, "signed": False},
    "rate_difference": {"label": "difference in a rate", "to_percent": None, "signed": True},
    "odds_ratio": {"label": "odds ratio", "to_percent": None, "signed": False},
}

NUMBER_COLUMNS = ("point_estimate", "ci_low", "ci_high", "denominator")


# --------------------------------------------------------------------------------------------- loading
def load_evidence(path: str | Path | None = None) -> pd.DataFrame:
    """The findings table, validated (descriptor + :func:`helpers.checks.evidence_studies`), with readable labels added.

    Added columns: ``policy_label``, ``policy_lean``, ``outcome_label``, ``design_label``,
    ``design_strength`` (1-3), ``strength_label``, ``direction_label`` and ``has_number``.
    Any problem raises :class:`InputError` naming the line and the study_id.
    """
    from helpers.checks import naming_key

    file = Path(path) if path is not None else paths.DATA / f"{TABLE}.csv"
    try:
        df = load_table(TABLE, path)
    except InputError as exc:
        raise naming_key(exc, file, "study_id") from None
    out = df.copy()
    out["policy_label"] = out["policy_class"].map(lambda c: POLICY_CLASSES[c]["label"]).astype("string")
    out["policy_lean"] = out["policy_class"].map(lambda c: POLICY_CLASSES[c]["lean"]).astype("string")
    out["outcome_label"] = out["outcome_class"].map(OUTCOME_CLASSES).astype("string")
    out["design_label"] = out["design_class"].map(lambda c: DESIGN_CLASSES[c]["label"]).astype("string")
    out["design_strength"] = out["design_class"].map(lambda c: DESIGN_CLASSES[c]["strength"]).astype("int64")
    out["strength_label"] = out["design_strength"].map(STRENGTH_LABELS).astype("string")
    out["direction_label"] = out["direction"].map(DIRECTIONS).astype("string")
    out["has_number"] = out["point_estimate"].notna()
    return out


def _table(table: pd.DataFrame | None) -> pd.DataFrame:
    return load_evidence() if table is None else table


def _check_choice(name: str, value: str | Iterable[str] | None, allowed: dict) -> list[str] | None:
    if value is None:
        return None
    items = list(value) if isinstance(value, (list, tuple, set, pd.Index, pd.Series)) else [value]
    for v in items:
        if v not in allowed:
            raise InputError(where="helpers.evidence", field=name, value=v, allowed=", ".join(map(str, allowed)),
                             fix=f"pick {name} values from the list")
    return items


# ------------------------------------------------------------------------------------- numeric findings
def require_numeric(rows: pd.DataFrame, where: str = "chart") -> pd.DataFrame:
    """Guard before anything is drawn as a number: every row must be ``verified = yes`` with a point estimate.

    Returns the rows unchanged; raises :class:`InputError` naming the first offending study_id.
    """
    for _, row in rows.iterrows():
        if row["verified"] != "yes":
            raise InputError(where=where, field="verified", value=row["verified"],
                             problem=f"study_id {row['study_id']} is {row['verified']!s}: its direction was seen but "
                                     "no magnitude, so it cannot be shown as a number", allowed="verified = yes rows",
                             fix="show it by direction only (evidence_map), or verify the figure")
        if pd.isna(row["point_estimate"]):
            raise InputError(where=where, field="point_estimate",
                             problem=f"study_id {row['study_id']} has no point estimate to plot",
                             fix="select rows with numeric_findings()")
    return rows


def numeric_findings(scale: str | Iterable[str] | None = None, outcome_class: str | Iterable[str] | None = None,
                     policy_class: str | Iterable[str] | None = None,
                     table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Verified findings that carry a number, optionally filtered by scale, outcome class or policy class.

    Columns: the table's own plus ``value`` (= point_estimate), ``value_pct`` (a percent change, for the
    ``proportion_change`` and ``percent_change`` scales; empty otherwise), ``scale_label`` and ``label``
    (short "authors year: outcome" text for charts). Sorted by outcome class, then value.
    """
    t = _table(table)
    scales = _check_choice("scale", scale, SCALES)
    outcomes = _check_choice("outcome_class", outcome_class, OUTCOME_CLASSES)
    policies = _check_choice("policy_class", policy_class, POLICY_CLASSES)
    rows = t[(t["verified"] == "yes") & t["point_estimate"].notna()].copy()
    if scales is not None:
        rows = rows[rows["scale"].isin(scales)]
    if outcomes is not None:
        rows = rows[rows["outcome_class"].isin(outcomes)]
    if policies is not None:
        rows = rows[rows["policy_class"].isin(policies)]
    rows["value"] = rows["point_estimate"].astype(float)
    factor = rows["scale"].map(lambda s: SCALES[str(s)]["to_percent"])
    rows["value_pct"] = (rows["value"] * pd.to_numeric(factor, errors="coerce")).round(6)
    rows["scale_label"] = rows["scale"].map(lambda s: SCALES[str(s)]["label"]).astype("string")
    rows["label"] = [short_label(r) for _, r in rows.iterrows()]
    order = {c: k for k, c in enumerate(OUTCOME_CLASSES)}
    rows = rows.assign(_o=rows["outcome_class"].map(order)).sort_values(["_o", "value", "study_id"], kind="stable")
    return require_numeric(rows.drop(columns="_o").reset_index(drop=True), where="numeric_findings")


def short_label(row: pd.Series) -> str:
    """``"Hausman 2020: Deportations of people with no criminal conviction"`` (authors' surnames, year, outcome)."""
    names = [a.split(",")[0].split("(")[0].strip() for a in split_list(row["authors"])]
    names = [n for n in names if n] or [str(row["authors"]).strip()]
    who = names[0] if len(names) == 1 else (f"{names[0]} & {names[1]}" if len(names) == 2 else f"{names[0]} et al.")
    year = "" if pd.isna(row.get("year")) else f" {int(row['year'])}"
    return f"{who}{year}: {row['outcome']}"


# ----------------------------------------------------------------------------------------- evidence map
#: Marker shape per direction on the evidence map (drawn by :func:`plot_evidence_map`).
DIRECTION_MARKERS: dict[str, str] = {"increases": "^", "decreases": "v", "no_detectable_effect": "o", "mixed": "D"}


def evidence_map(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per finding placed on a policy x outcome grid, for the evidence map.

    Columns: study_id, label, policy/outcome class and label, direction, design strength, verified,
    ``row`` and ``col`` (grid cell indices in the order of :data:`POLICY_CLASSES` and :data:`OUTCOME_CLASSES`,
    empty rows and columns dropped) and ``x``, ``y`` (position inside the cell: findings in one cell are
    laid out on a small grid, strongest design first, so nothing overlaps and nothing is random).
    """
    t = _table(table)
    policies = [p for p in POLICY_CLASSES if p in set(t["policy_class"])]
    outcomes = [o for o in OUTCOME_CLASSES if o in set(t["outcome_class"])]
    out = t.assign(label=[short_label(r) for _, r in t.iterrows()],
                   row=t["policy_class"].map({p: i for i, p in enumerate(policies)}).astype("int64"),
                   col=t["outcome_class"].map({o: i for i, o in enumerate(outcomes)}).astype("int64"))
    out = out.sort_values(["row", "col", "design_strength", "study_id"], ascending=[True, True, False, True],
                          kind="stable").reset_index(drop=True)
    rank = out.groupby(["row", "col"]).cumcount().to_numpy()
    size = out.groupby(["row", "col"])["study_id"].transform("size").to_numpy()
    per_line = np.ceil(np.sqrt(size)).astype(int)
    lines = np.ceil(size / per_line).astype(int)
    ix, iy = rank % per_line, rank // per_line
    step = 0.8 / np.maximum(per_line, 1)
    out["x"] = out["col"] + (ix - (per_line - 1) / 2) * step
    out["y"] = out["row"] + (iy - (lines - 1) / 2) * np.minimum(step, 0.8 / np.maximum(lines, 1))
    cols = ["study_id", "label", "policy_class", "policy_label", "policy_lean", "outcome_class", "outcome_label",
            "direction", "direction_label", "design_class", "design_strength", "strength_label", "verified",
            "has_number", "source_ids", "row", "col", "x", "y"]
    return out[cols]


def map_counts(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Policy x outcome table of findings, each cell summarised as counts by direction, e.g. ``"3 down, 2 none"``."""
    t = _table(table)
    short = {"increases": "up", "decreases": "down", "no_detectable_effect": "none", "mixed": "mixed"}
    policies = [p for p in POLICY_CLASSES if p in set(t["policy_class"])]
    outcomes = [o for o in OUTCOME_CLASSES if o in set(t["outcome_class"])]
    cells = {}
    for (p, o), g in t.groupby(["policy_class", "outcome_class"]):
        counts = g["direction"].value_counts()
        cells[(p, o)] = ", ".join(f"{counts[d]} {short[d]}" for d in DIRECTIONS if d in counts.index)
    frame = pd.DataFrame([[cells.get((p, o), "") for o in outcomes] for p in policies],
                         index=pd.Index([POLICY_CLASSES[p]["label"] for p in policies], name="policy"),
                         columns=pd.Index([OUTCOME_CLASSES[o] for o in outcomes], name="outcome"))
    return frame


#: Outcome classes where "increases" and "decreases" mean the same thing for every finding in the class
#: (trust and wellbeing mix outcomes such as perceived disorder and legitimacy, so a difference in
#: direction there is not a disagreement).
SINGLE_MEANING_OUTCOMES = ("crime", "clearance", "rearrests", "deportations", "reporting_observed",
                           "reporting_stated", "population")


def conflicts(table: pd.DataFrame | None = None, min_strength: int = 1,
              outcomes: Iterable[str] = SINGLE_MEANING_OUTCOMES) -> pd.DataFrame:
    """Policy x outcome cells where findings (of at least ``min_strength``) point in different directions.

    One row per cell and direction: the cell, the direction, how many findings, the strongest design
    strength among them and the findings' labels. Cells are ordered as on the map. Only ``outcomes``
    classes are compared (default: those where a direction has one meaning for every finding).
    """
    _check_choice("min_strength", min_strength, STRENGTH_LABELS)
    wanted = _check_choice("outcomes", list(outcomes), OUTCOME_CLASSES)
    m = evidence_map(table)
    m = m[(m["design_strength"] >= min_strength) & m["outcome_class"].isin(wanted)]
    rows = []
    for (r, c), g in m.groupby(["row", "col"], sort=True):
        if g["direction"].nunique() < 2:
            continue
        for d in DIRECTIONS:
            h = g[g["direction"] == d]
            if h.empty:
                continue
            rows.append({"policy": h["policy_label"].iloc[0], "outcome": h["outcome_label"].iloc[0],
                         "direction": DIRECTIONS[d], "findings": len(h),
                         "strongest_design": STRENGTH_LABELS[int(h["design_strength"].max())],
                         "studies": "; ".join(h["label"])})
    return pd.DataFrame(rows, columns=["policy", "outcome", "direction", "findings", "strongest_design", "studies"])


def version_discrepancies(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Findings whose figures differ between versions of the same study (``version_note``), with sources."""
    t = _table(table)
    rows = t[t["version_note"].notna()]
    return pd.DataFrame({"finding": [short_label(r) for _, r in rows.iterrows()],
                         "verified": rows["verified"].to_numpy(),
                         "what differs": rows["version_note"].to_numpy(),
                         "source_ids": rows["source_ids"].to_numpy()})


# ------------------------------------------------------------------------------ sides of the argument
def side(row: pd.Series) -> str:
    """Which argument a crime, clearance or re-arrest finding is usually cited for.

    ``"supports more enforcement"`` when crime falls (or clearance rises) under more enforcement, or crime
    or re-arrests rise under less; ``"supports limits"`` for the mirror cases; ``"no detectable effect"``
    and ``"mixed"`` as such; ``"other outcome"`` for reporting, trust, health and other outcomes, and
    ``"not a policy comparison"`` for context and policing-practice rows.
    """
    lean, outcome, d = row["policy_lean"], row["outcome_class"], row["direction"]
    if outcome not in ("crime", "rearrests", "clearance"):
        return "other outcome"
    if lean not in ("more enforcement", "less enforcement"):
        return "not a policy comparison"
    if d == "no_detectable_effect":
        return "no detectable effect"
    if d == "mixed":
        return "mixed"
    good = (d == "decreases") if outcome in ("crime", "rearrests") else (d == "increases")
    return "supports more enforcement" if good == (lean == "more enforcement") else "supports limits"


SIDES = ("supports more enforcement", "no detectable effect", "mixed", "supports limits")


def public_safety_balance(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count of crime, clearance and re-arrest findings by side (:func:`side`) and design strength.

    Rows: the sides in :data:`SIDES`; columns: design strength labels (strongest first) and ``total``.
    """
    t = _table(table)
    t = t.assign(side=[side(r) for _, r in t.iterrows()])
    t = t[t["side"].isin(SIDES)]
    strengths = [STRENGTH_LABELS[s] for s in (3, 2, 1)]
    counts = pd.crosstab(t["side"], t["strength_label"]).reindex(index=list(SIDES), columns=strengths,
                                                                  fill_value=0)
    counts = counts.fillna(0).astype("int64")
    counts["total"] = counts.sum(axis=1)
    counts.index.name, counts.columns.name = "side", "design"
    return counts


def findings_by_side(which: str, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The crime, clearance and re-arrest findings on one side, strongest design first, with what each shows."""
    _check_choice("which", which, SIDES)
    t = _table(table)
    t = t.assign(side=[side(r) for _, r in t.iterrows()], finding=[short_label(r) for _, r in t.iterrows()])
    rows = t[t["side"] == which].sort_values(["design_strength", "study_id"], ascending=[False, True],
                                             kind="stable")
    return rows[["finding", "policy", "estimate_text", "design_label", "verified", "publisher_stance",
                 "source_ids"]].reset_index(drop=True)


def rearrest_tallies(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Verified counts of people released despite a detainer and later re-arrested (findings with a denominator).

    ``share_pct`` is computed here (re-arrested / released x 100, one decimal); the two counts are the
    source's own. Rows keep their source ids.
    """
    t = _table(table)
    rows = require_numeric(t[(t["outcome_class"] == "rearrests") & t["denominator"].notna()
                             & (t["verified"] == "yes")], where="rearrest_tallies")
    return pd.DataFrame({
        "study_id": rows["study_id"].to_numpy(),
        "period": rows["denominator_unit"].to_numpy(),
        "released": rows["denominator"].astype("int64").to_numpy(),
        "rearrested": rows["point_estimate"].astype("int64").to_numpy(),
        "share_pct": (100 * rows["point_estimate"] / rows["denominator"]).round(1).to_numpy(),
        "approximate": rows["approximate"].to_numpy(),
        "source_ids": rows["source_ids"].to_numpy(),
    })


def stated_vs_observed(table: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Verified reporting findings split into what people say and what reporting data show.

    Returns ``{"stated_share", "stated_change", "observed_change", "observed_other", "changes"}``:
    shares of survey respondents saying they would be less likely to contact police; stated and observed
    changes in reporting as percent changes (``value_pct``); and observed findings on other scales
    (percentage points, percent reported) that cannot share an axis with percent changes; ``changes`` is
    stated and observed percent changes together, with ``kind`` and a "stated | " or "observed | " label.
    """
    n = numeric_findings(outcome_class=["reporting_stated", "reporting_observed"], table=table)
    stated = n[n["outcome_class"] == "reporting_stated"]
    observed = n[n["outcome_class"] == "reporting_observed"]
    stated_change = stated[stated["value_pct"].notna()].reset_index(drop=True)
    observed_change = observed[observed["value_pct"].notna()].reset_index(drop=True)
    changes = pd.concat([stated_change.assign(kind="stated", label="stated | " + stated_change["label"]),
                         observed_change.assign(kind="observed", label="observed | " + observed_change["label"])],
                        ignore_index=True)
    return {
        "stated_share": stated[stated["scale"] == "percent_of_respondents"].reset_index(drop=True),
        "stated_change": stated_change,
        "observed_change": observed_change,
        "observed_other": observed[observed["value_pct"].isna()].reset_index(drop=True),
        "changes": changes,
    }


# ------------------------------------------------------------------------------------ context series
#: What the ``year`` column means, by series prefix (see data/real_series.csv notes).
YEAR_KIND: dict[str, str] = {"ice": "federal fiscal year (Oct-Sep)", "trac": "federal fiscal year (Oct-Sep)",
                             "g287": "year of the as-of date", "ncvs": "calendar year", "fbi": "calendar year"}


def year_kind(series_id: str) -> str:
    """``"federal fiscal year (Oct-Sep)"``, ``"calendar year"``, ... for a series id."""
    return YEAR_KIND.get(str(series_id).split("_")[0], "year (see notes)")


def context_series(series_ids: str | Iterable[str], verified_only: bool = True) -> pd.DataFrame:
    """Published national series for context charts, split into segments that may be joined by a line.

    Uses :mod:`helpers.series`: a new segment starts at a method break (2016 NCVS redesign, 2021 NIBRS)
    and after a missing year, so a chart never draws across either. With ``verified_only`` (the default)
    rows seen only in secondary sources (``verified = partial``) are left out; ``omitted`` counts them.
    Columns: series_id, description, year, year_kind, value, unit, verified, source_ids, segment,
    starts_after_break, omitted (draw with :func:`helpers.plots.plot_series`). A series with no verified
    row is kept as a single row with empty year and value, so callers can say what is missing instead of
    silently dropping it.
    """
    from helpers import series as ser

    ids = [series_ids] if isinstance(series_ids, str) else list(series_ids or [])
    if not ids:
        raise InputError(where="context_series", field="series_ids", value=series_ids, problem="no series given",
                         allowed="a series id or a list of ids from data/real_series.csv")
    description = load_table("real_series").drop_duplicates("series_id").set_index("series_id")["description"]
    frames = []
    for sid in ids:
        everything = ser.series(sid)
        rows = ser.series(sid, verified_only=verified_only)
        omitted = len(everything) - len(rows)
        if rows.empty:
            frames.append(pd.DataFrame([{"series_id": sid, "description": description[sid], "year": pd.NA,
                                         "year_kind": year_kind(sid), "value": np.nan,
                                         "unit": everything["unit"].iloc[0], "verified": "", "source_ids": "",
                                         "segment": pd.NA,
                                         "starts_after_break": False, "omitted": omitted}]))
            continue
        breaks = ser.break_years(sid)
        years = [int(y) for y in rows["year"]]
        seg_of = {}
        for k, run in enumerate(ser.segments(years, breaks)):
            for y in run:
                seg_of[y] = k
        frames.append(pd.DataFrame({
            "series_id": sid, "description": description[sid], "year": rows["year"].astype("Int64"),
            "year_kind": year_kind(sid), "value": rows["value"].astype(float), "unit": rows["unit"],
            "verified": rows["verified"], "source_ids": rows["source_ids"], "segment": [seg_of[y] for y in years],
            "starts_after_break": [y in breaks for y in years], "omitted": omitted}))
    out = pd.concat(frames, ignore_index=True)
    out["segment"] = out["segment"].astype("Int64")
    return out


def breaks_in(frame: pd.DataFrame) -> pd.DataFrame:
    """The method breaks that fall inside the years of a :func:`context_series` frame (year, what changed)."""
    from helpers import series as ser

    rows = []
    for sid, g in frame.dropna(subset=["year"]).groupby("series_id", sort=False):
        lo, hi = int(g["year"].min()), int(g["year"].max())
        for year, text in ser.BREAKS.get(str(sid).split("_")[0], []):
            if lo <= year <= hi:
                rows.append({"series_id": sid, "year": year, "what_changed": text})
    return pd.DataFrame(rows, columns=["series_id", "year", "what_changed"]).drop_duplicates(["year", "what_changed"])


# ---------------------------------------------------------------------- ILLUSTRATIVE power illustration
def power_assumptions() -> pd.DataFrame:
    """The ILLUSTRATIVE assumptions behind :func:`power_grid`, each with why it was chosen.

    None of these is a measurement. They describe a study of the size the published county panels use
    (Hausman 2020 studied about 140 counties per the Stanford release; see data/evidence_studies.csv), not
    any real data set.
    """
    rows = [
        ("n_units", 140, "counties", "About the number of counties in one published panel (hausman2020-2); "
                                     "half adopt the policy, half do not."),
        ("years_pre", 3, "years", "Three years of recorded crime before adoption; a common window."),
        ("years_post", 3, "years", "Three years after adoption."),
        ("noise_sd", 0.10, "log points", "Year-to-year noise in a county's log recorded-crime count after "
                                         "county and year effects; assumed, not estimated from data."),
        ("group_share", "0.05-0.40", "share of victimizations",
         "Share of all victimizations that involve the group whose reporting changes; varied."),
        ("reporting_change", "0.05-0.40", "relative change",
         "Relative change in that group's reporting to police (0.10 = +10%); varied."),
        ("alpha", 0.05, "two-sided", "Conventional significance level."),
    ]
    return pd.DataFrame([{"parameter": p, "value": v, "unit": u, "provenance": "ILLUSTRATIVE", "notes": n}
                         for p, v, u, n in rows])


def _whole(v: object, minimum: int) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, np.integer)) and v >= minimum


def _grid(values: object, low: float, high: float) -> bool:
    arr = np.atleast_1d(np.asarray(values, dtype=float)) if not isinstance(values, str) else np.array([np.nan])
    return arr.size > 0 and bool(((arr > low) & (arr <= high)).all())


#: The settings of the power illustration a notebook may change: name -> (the value is usable, allowed).
POWER_SETTINGS = {
    "group_share": (lambda v: _grid(v, 0.0, 1.0), "numbers in (0.0, 1.0]"),
    "reporting_change": (lambda v: _grid(v, -1.0, 10.0), "numbers in (-1.0, 10.0]"),
    "n_units": (lambda v: _whole(v, 4), "a whole number >= 4"),
    "years_pre": (lambda v: _whole(v, 1), "a whole number >= 1"),
    "years_post": (lambda v: _whole(v, 1), "a whole number >= 1"),
    "n_studies": (lambda v: _whole(v, 10), "a whole number >= 10"),
    "noise_sd": (lambda v: isinstance(v, (int, float)) and np.isfinite(v) and v > 0, "a number > 0"),
    "alpha": (lambda v: isinstance(v, float) and 0 < v < 0.5, "a number in (0, 0.5)"),
    "power": (lambda v: isinstance(v, float) and 0 < v < 1, "a number in (0, 1)"),
}


def _check_settings(where: str, **settings: object) -> None:
    """Settings of the power illustration as typed in a notebook, each within :data:`POWER_SETTINGS`."""
    for name, value in settings.items():
        usable, allowed = POWER_SETTINGS[name]
        if not usable(value):
            raise InputError(where=where, field=name, value=value, allowed=allowed)


def aggregate_change(group_share: object, reporting_change: object) -> np.ndarray:
    """Relative change in all recorded crime when one group's reporting changes and nothing else does.

    With the group's victimizations a share ``s`` of all victimizations and the same baseline reporting
    rate as everyone else, recorded crime changes by ``s x r``.
    """
    _check_settings("aggregate_change", group_share=group_share, reporting_change=reporting_change)
    return np.multiply.outer(np.atleast_1d(np.asarray(group_share, dtype=float)),
                             np.atleast_1d(np.asarray(reporting_change, dtype=float)))


def analytic_power(effect: object, n_units: int = 140, years_pre: int = 3, years_post: int = 3,
                   noise_sd: float = 0.10, alpha: float = 0.05) -> np.ndarray:
    """Normal-approximation power of the difference-in-differences test in :func:`power_grid` (a check)."""
    from scipy.special import ndtr, ndtri  # the normal distribution's cdf and quantile (scipy.stats uses them)

    _check_settings("analytic_power", n_units=n_units)
    n_t = n_units // 2
    se = noise_sd * np.sqrt(1 / years_pre + 1 / years_post) * np.sqrt(1 / n_t + 1 / (n_units - n_t))
    z = ndtri(1 - alpha / 2)
    d = np.log1p(np.asarray(effect, dtype=float)) / se
    return ndtr(-(z - d)) + ndtr(-z - d)


def power_grid(group_shares: object, reporting_changes: object, n_units: int = 140, years_pre: int = 3,
               years_post: int = 3, noise_sd: float = 0.10, n_studies: int = 1000, alpha: float = 0.05,
               seed: int = 0) -> pd.DataFrame:
    """ILLUSTRATIVE: how often a study of this size detects a reporting change hidden inside recorded crime.

    Simulates ``n_studies`` county panels (``n_units`` counties, half adopting a policy, ``years_pre`` +
    ``years_post`` years of log recorded crime with county effects, year effects and noise of sd
    ``noise_sd``). True crime never changes; in adopting counties after adoption one group's reporting
    changes by ``reporting_change``, so recorded crime changes by ``group_share x reporting_change``
    (:func:`aggregate_change`). Each study runs the standard two-group difference-in-differences test
    (two-sample t-test on county before/after differences) at level ``alpha``. The same noise draws are
    reused for every cell of the grid (common random numbers); everything is numpy arrays, and memory
    grows with ``n_studies x n_units x years`` only, not with the size of the grid.

    Returns one row per (group_share, reporting_change): the aggregate change in percent, the power
    (share of studies with p < alpha, in percent), the mean estimate in percent and ``provenance`` =
    ILLUSTRATIVE.
    """
    from scipy.special import stdtrit  # the t distribution's quantile (what scipy.stats.t.ppf computes)

    _check_settings("power_grid", group_share=group_shares, reporting_change=reporting_changes, n_units=n_units,
                    years_pre=years_pre, years_post=years_post, n_studies=n_studies, noise_sd=noise_sd, alpha=alpha)
    shares = np.atleast_1d(np.asarray(group_shares, dtype=float))
    changes = np.atleast_1d(np.asarray(reporting_changes, dtype=float))
    rng = np.random.default_rng(seed)
    n_t = n_units // 2
    years = years_pre + years_post
    unit_fx = rng.normal(0.0, 1.0, size=(n_studies, n_units, 1))
    year_fx = rng.normal(0.0, 0.05, size=(n_studies, 1, years))
    noise = rng.normal(0.0, noise_sd, size=(n_studies, n_units, years))
    y0 = unit_fx + year_fx + noise                                   # log recorded crime without any change
    diff0 = y0[:, :, years_pre:].mean(axis=2) - y0[:, :, :years_pre].mean(axis=2)   # (studies, units)
    a, b = diff0[:, :n_t], diff0[:, n_t:]                             # adopting and other counties
    est0 = a.mean(axis=1) - b.mean(axis=1)                            # (studies,) estimate with no change
    pooled = ((a.var(axis=1, ddof=1) * (n_t - 1) + b.var(axis=1, ddof=1) * (n_units - n_t - 1))
              / (n_units - 2))
    se = np.sqrt(pooled * (1 / n_t + 1 / (n_units - n_t)))
    # A change shifts every adopting county's difference by the same amount: the estimate moves by it and
    # the within-group variances do not, so each grid cell is the no-change study shifted (exact, and cheap).
    effect = np.log1p(np.multiply.outer(shares, changes)).ravel()     # (cells,)
    est = est0[None, :] + effect[:, None]                             # (cells, studies)
    t = est / se[None, :]
    crit = stdtrit(n_units - 2, 1 - alpha / 2)
    power = (np.abs(t) > crit).mean(axis=1)
    s_grid, r_grid = np.meshgrid(shares, changes, indexing="ij")
    return pd.DataFrame({
        "group_share": s_grid.ravel().round(6),
        "reporting_change": r_grid.ravel().round(6),
        "aggregate_change_pct": (100 * s_grid * r_grid).ravel().round(4),
        "power_pct": (100 * power).round(1),
        "mean_estimate_pct": (100 * np.expm1(est.mean(axis=1))).round(2),
        "provenance": "ILLUSTRATIVE",
    })


def min_detectable_change(n_units: int = 140, years_pre: int = 3, years_post: int = 3, noise_sd: float = 0.10,
                          alpha: float = 0.05, power: float = 0.80) -> float:
    """ILLUSTRATIVE: smallest aggregate relative change detected with the given power (normal approximation)."""
    from scipy.special import ndtri  # the normal quantile

    _check_settings("min_detectable_change", n_units=n_units, power=power)
    n_t = n_units // 2
    se = noise_sd * np.sqrt(1 / years_pre + 1 / years_post) * np.sqrt(1 / n_t + 1 / (n_units - n_t))
    return float(np.expm1((ndtri(1 - alpha / 2) + ndtri(power)) * se))


# ------------------------------------------------------------------------------------------- drawing
# Drawing is kept apart from the functions above, which return tables that tests check without drawing.

def _colors() -> tuple[dict[str, str], dict[str, str]]:
    from helpers.plots import GREY, OKABE_ITO

    direction = {"increases": OKABE_ITO["orange"], "decreases": OKABE_ITO["blue"], "no_detectable_effect": GREY,
                 "mixed": OKABE_ITO["reddish_purple"]}
    lean = {"less enforcement": OKABE_ITO["blue"], "more enforcement": OKABE_ITO["vermillion"],
            "policing practice": OKABE_ITO["bluish_green"], "context": GREY}
    return direction, lean



def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width=width))

