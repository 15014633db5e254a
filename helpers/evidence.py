"""Published findings on sanctuary policies, enforcement programs, crime, reporting and trust.

``data/evidence_studies.csv`` holds one row per finding of a published study, with the original free-text
policy, outcome and design kept beside controlled classes (``policy_class``, ``outcome_class``,
``design_class``) that charts use. This module loads that table with row-level checks on top of
:func:`helpers.data.load_table`, and shapes rows for charts so that no number is ever typed into a notebook:

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
from helpers.errors import InputError, describe

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
def _at(where: str, i: int, sid: object) -> str:
    return f"{where}, line {i + 2} (study_id {sid!s})"


def _study_id_at(path: Path, row: int | None) -> str | None:
    """The study_id of data row ``row`` (1-based) of a CSV, read as plain text; None if unreadable."""
    if row is None or row < 1:
        return None
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        return str(raw["study_id"].iloc[row - 1]) or None
    except Exception:  # noqa: BLE001 - only used to improve a message
        return None


def check_evidence(df: pd.DataFrame, where: str = "data/evidence_studies.csv") -> None:
    """Row-level rules the descriptor cannot express; raises :class:`InputError` naming the row.

    - a number (point estimate, confidence bound, denominator) only when ``verified = yes``;
    - at least one source id;
    - ``design_class``, ``direction``, ``policy_class``, ``outcome_class``, ``verified`` from their vocabularies;
    - a number comes with its ``scale``, ``unit`` and ``approximate`` flag; a bound or a denominator needs
      the point estimate; ``ci_low <= point_estimate <= ci_high``;
    - the sign of a signed change agrees with ``direction``.
    """
    vocab = {"design_class": DESIGN_CLASSES, "direction": DIRECTIONS, "policy_class": POLICY_CLASSES,
             "outcome_class": OUTCOME_CLASSES, "verified": {"yes": 1, "partial": 1}}
    for i, row in df.reset_index(drop=True).iterrows():
        sid = row.get("study_id")
        at = _at(where, i, sid)
        for col, allowed in vocab.items():
            value = row.get(col)
            if pd.isna(value) or str(value) not in allowed:
                raise InputError(describe(where=at, field=col, value=None if pd.isna(value) else value,
                                          problem="value is missing" if pd.isna(value) else
                                          f"value {value!r} is not a known {col}",
                                          allowed=", ".join(allowed),
                                          fix=f"use one of the {col} values (meanings in helpers/evidence.py)"),
                                 where=where, row=i + 1, field=col, value=value, allowed=", ".join(allowed))
        if not split_list(row.get("source_ids")):
            raise InputError(describe(where=at, field="source_ids", problem="the finding has no source",
                                      allowed="ids from data/sources.csv",
                                      fix="add the study to data/sources.csv and cite its id"),
                             where=where, row=i + 1, field="source_ids")
        numbers = {c: row.get(c) for c in NUMBER_COLUMNS if c in row.index and not pd.isna(row.get(c))}
        if numbers and row["verified"] != "yes":
            col, value = next(iter(numbers.items()))
            raise InputError(describe(
                where=at, field=col, value=value,
                problem=f"a {row['verified']} row claims the number {value!r}",
                allowed="numbers only on verified = yes rows",
                fix="remove the number and keep direction and estimate_text, or check the figure in the "
                    "source and set verified = yes"), where=where, row=i + 1, field=col, value=value,
                allowed="numbers only on verified = yes rows")
        point = numbers.get("point_estimate")
        others = [c for c in ("ci_low", "ci_high", "denominator") if c in numbers]
        if point is None:
            if others:
                raise InputError(describe(where=at, field=others[0], value=numbers[others[0]],
                                          problem="a bound or denominator is given without a point estimate",
                                          fix="give point_estimate too, or remove the value"),
                                 where=where, row=i + 1, field=others[0], value=numbers[others[0]])
            if not pd.isna(row.get("scale")):
                raise InputError(describe(where=at, field="scale", value=row.get("scale"),
                                          problem="scale is set but there is no point estimate",
                                          fix="leave scale empty on rows without a number"),
                                 where=where, row=i + 1, field="scale", value=row.get("scale"))
            continue
        for col in ("scale", "unit", "approximate"):
            if pd.isna(row.get(col)):
                allowed = ", ".join(SCALES) if col == "scale" else ("yes, no" if col == "approximate" else None)
                raise InputError(describe(where=at, field=col, problem="value is missing for a row with a number",
                                          allowed=allowed, fix=f"say in '{col}' how to read point_estimate"),
                                 where=where, row=i + 1, field=col, allowed=allowed)
        scale = str(row["scale"])
        if scale not in SCALES:
            raise InputError(describe(where=at, field="scale", value=scale, allowed=", ".join(SCALES),
                                      fix="use one of the scale values"), where=where, row=i + 1,
                             field="scale", value=scale, allowed=", ".join(SCALES))
        if ("ci_low" in numbers) != ("ci_high" in numbers):
            col = "ci_high" if "ci_low" in numbers else "ci_low"
            raise InputError(describe(where=at, field=col, problem="only one confidence bound is given",
                                      fix="give both bounds or neither"), where=where, row=i + 1, field=col)
        if "ci_low" in numbers and not (numbers["ci_low"] <= point <= numbers["ci_high"]):
            raise InputError(describe(where=at, field="point_estimate", value=point,
                                      problem=f"point estimate {point} lies outside its interval "
                                              f"[{numbers['ci_low']}, {numbers['ci_high']}]",
                                      fix="check the figures against the source"),
                             where=where, row=i + 1, field="point_estimate", value=point)
        if "denominator" in numbers and pd.isna(row.get("denominator_unit")):
            raise InputError(describe(where=at, field="denominator_unit", problem="value is missing",
                                      fix="say what the denominator counts"), where=where, row=i + 1,
                             field="denominator_unit")
        if scale == "proportion_change" and point <= -1 or scale == "percent_change" and point <= -100:
            raise InputError(describe(where=at, field="point_estimate", value=point,
                                      problem=f"a {scale} cannot fall below -100%",
                                      fix="check the scale: proportion_change uses 0.1 for +10%"),
                             where=where, row=i + 1, field="point_estimate", value=point)
        signed = SCALES[scale]["signed"]
        if signed and row["direction"] in ("increases", "decreases") and point != 0 \
                and (point > 0) != (row["direction"] == "increases"):
            raise InputError(describe(where=at, field="direction", value=row["direction"],
                                      problem=f"direction {row['direction']!r} disagrees with the sign of "
                                              f"point_estimate {point}",
                                      fix="check the direction and the sign against the source"),
                             where=where, row=i + 1, field="direction", value=row["direction"])


def load_evidence(path: str | Path | None = None) -> pd.DataFrame:
    """The findings table, validated (descriptor + :func:`check_evidence`), with readable labels added.

    Added columns: ``policy_label``, ``policy_lean``, ``outcome_label``, ``design_label``,
    ``design_strength`` (1-3), ``strength_label``, ``direction_label`` and ``has_number``.
    Any problem raises :class:`InputError` naming the line and the study_id.
    """
    file = Path(path) if path is not None else paths.DATA / f"{TABLE}.csv"
    where = paths.relative(file)
    try:
        df = load_table(TABLE, path)
    except InputError as exc:
        sid = _study_id_at(file, exc.row)
        if sid is None:
            raise
        raise InputError(f"{exc} (study_id {sid})", where=exc.where, row=exc.row, field=exc.field,
                         value=exc.value, allowed=exc.allowed, fix=exc.fix) from None
    check_evidence(df, where)
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
    items = [value] if isinstance(value, str) else list(value)
    for v in items:
        if v not in allowed:
            raise InputError(where="helpers.evidence", field=name, value=v, allowed=", ".join(allowed),
                             fix=f"pick {name} values from the list")
    return items


# ------------------------------------------------------------------------------------- numeric findings
def require_numeric(rows: pd.DataFrame, where: str = "chart") -> pd.DataFrame:
    """Guard before anything is drawn as a number: every row must be ``verified = yes`` with a point estimate.

    Returns the rows unchanged; raises :class:`InputError` naming the first offending study_id.
    """
    for col in ("study_id", "verified", "point_estimate"):
        if col not in rows.columns:
            raise InputError(where=where, field=col, problem="column is missing",
                             fix="pass rows from load_evidence() or numeric_findings()")
    for _, row in rows.iterrows():
        if row["verified"] != "yes":
            raise InputError(describe(where=where, field="verified", value=row["verified"],
                                      problem=f"study_id {row['study_id']} is {row['verified']!s}: its direction "
                                              "was seen but no magnitude, so it cannot be shown as a number",
                                      allowed="verified = yes rows",
                                      fix="show it by direction only (evidence_map), or verify the figure"),
                             where=where, field="verified", value=row["verified"])
        if pd.isna(row["point_estimate"]):
            raise InputError(describe(where=where, field="point_estimate", value=None,
                                      problem=f"study_id {row['study_id']} has no point estimate to plot",
                                      fix="select rows with numeric_findings()"),
                             where=where, field="point_estimate")
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
