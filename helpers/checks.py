"""The rules of the data tables that their Frictionless descriptors cannot state, in one place.

A descriptor (``data/schemas/``) fixes each column's type, required cells, unique keys and closed
vocabularies; :func:`helpers.data.load_table` enforces it. What is left is a short list of rules across the
columns of a row (``low <= mode <= high``), across rows (conviction shares that leave room for the rest)
and across tables (evidence ids that exist, parameters the model reads). :func:`check_table` runs them
whenever a table loads, so the computing modules trust what they are given.

Every rule raises one :class:`~helpers.errors.InputError` naming the row (its key: a parameter id, a
study_id) and the field.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from helpers.errors import InputError, describe

#: Units whose values must lie in [0, 1].
PROBABILITY_UNITS = ("probability", "share")
#: Parameters the model divides by: their low end must be above zero.
POSITIVE_PARAMETERS = ("base_report_victim", "base_witness_cooperation", "clearance_base", "undoc_baseline_ratio")

#: A broken rule: (data row, 0-based, or None for a rule across rows; row key; field; problem; allowed; fix).
Problem = tuple[int | None, str, str, str, str, str]


def _raise_first(problems: Iterator[Problem], where: str, key: str, lines: bool = True) -> None:
    """Raise the first problem, naming the line of a file (when ``lines``), the row's key and the field."""
    for i, name, field, problem, allowed, fix in problems:
        line = f"line {i + 2} " if lines and i is not None else ""
        at = f"{where}, {line}({key} '{name}')" if name else where
        raise InputError(describe(where=at, field=field, problem=problem, allowed=allowed, fix=fix),
                         where=where, row=None if i is None else i + 1, field=field, allowed=allowed, fix=fix)


# ------------------------------------------------------------------------------ model parameters
def _value_problems(table: pd.DataFrame) -> Iterator[Problem]:
    """Ranges of each parameter row, and the conviction shares across two rows."""
    for i, (_, row) in enumerate(table.iterrows()):
        name, low, mode, high = row["parameter"], float(row["low"]), float(row["mode"]), float(row["high"])
        if low > high:
            yield i, name, "low", f"low {low:g} is above high {high:g}", "low <= mode <= high", \
                "swap or correct the bounds"
        if not low <= mode <= high:
            yield i, name, "mode", f"mode {mode:g} is outside [{low:g}, {high:g}]", "low <= mode <= high", \
                "put the mode between low and high"
        if str(row["unit"]).strip().lower() in PROBABILITY_UNITS and (low < 0 or high > 1):
            yield i, name, "low" if low < 0 else "high", \
                f"a {row['unit']} of {low if low < 0 else high:g} is outside [0, 1]", "0 <= value <= 1", \
                "express the value as a fraction between 0 and 1"
        if low < 0:
            yield i, name, "low", f"value {low:g} is negative", \
                "a value >= 0 (every model input is a rate, share, count or cost)", "use a non-negative lower bound"
        if name in POSITIVE_PARAMETERS and low <= 0:
            yield i, name, "low", f"value {low:g} is not above 0", "a value above 0", \
                "the model divides by this parameter; use a small positive bound"
    rows = table.set_index("parameter")
    if {"share_serious", "share_other"} <= set(rows.index):
        top = float(rows.at["share_serious", "high"]) + float(rows.at["share_other", "high"])
        bottom = float(rows.at["share_serious", "low"]) + float(rows.at["share_other", "low"])
        if top > 1.0 + 1e-12 or bottom <= 0:
            yield None, "share_other", "high", f"share_serious + share_other ranges over [{bottom:g}, {top:g}]", \
                "above 0 and at most 1 (the rest have no conviction)", "lower the highs or raise the lows of the two shares"


def parameter_values(table: pd.DataFrame, where: str) -> None:
    """The value rules of the parameter table (also applied to ``simulate(overrides=...)``)."""
    _raise_first(_value_problems(table), where, "parameter", lines=False)


def _parameter_problems(table: pd.DataFrame) -> Iterator[Problem]:
    from helpers.data import load_table, split_list, table_names
    from helpers.model import MODEL_PARAMETERS

    for i, name in enumerate(table["parameter"]):
        if name not in MODEL_PARAMETERS:
            close = difflib.get_close_matches(name, MODEL_PARAMETERS, n=1)
            yield i, name, "parameter", f"the model has no parameter '{name}'", "", \
                f"did you mean '{close[0]}'?" if close else \
                "remove the row, or add the parameter to the equations in helpers/model.py and to MODEL_PARAMETERS"
    for name in MODEL_PARAMETERS:
        if name not in set(table["parameter"]):
            yield None, "", "parameter", f"parameter '{name}' is missing", "", "add a row for it"
    yield from _value_problems(table)
    for i, (_, row) in enumerate(table.iterrows()):
        d_lo, d_hi, low, high = row["defensible_low"], row["defensible_high"], row["low"], row["high"]
        if not (d_lo <= low and high <= d_hi):
            yield i, row["parameter"], "defensible_low" if not d_lo <= low else "defensible_high", \
                f"the defensible range {d_lo:g} to {d_hi:g} does not contain the central range [{low:g}, {high:g}]", \
                "defensible_low <= low and high <= defensible_high", \
                "widen the defensible range (it spans every cited value)"
    if "evidence_studies" in table_names():
        known = set(load_table("evidence_studies")["study_id"].dropna())
        for i, (_, row) in enumerate(table.iterrows()):
            for item in split_list(row["evidence_ids"]):
                if item not in known:
                    yield i, row["parameter"], "evidence_ids", \
                        f"{item!r} is not a study_id in data/evidence_studies.csv", "", \
                        "cite an existing evidence row or add it there first"


def model_parameters(table: pd.DataFrame, where: str) -> None:
    """Every parameter the model reads, once; sensible ranges; defensible ranges that contain them; evidence
    ids that exist."""
    _raise_first(_parameter_problems(table), where, "parameter")


# ------------------------------------------------------------------------------ evidence findings
def _evidence_problems(df: pd.DataFrame) -> Iterator[Problem]:
    from helpers.evidence import NUMBER_COLUMNS, SCALES

    for i, (_, row) in enumerate(df.iterrows()):
        sid = row["study_id"]
        numbers = {c: row[c] for c in NUMBER_COLUMNS if not pd.isna(row[c])}
        if numbers and row["verified"] != "yes":
            col, value = next(iter(numbers.items()))
            yield i, sid, col, f"a {row['verified']} row claims the number {value!r}", \
                "numbers only on verified = yes rows", \
                "remove the number and keep direction and estimate_text, or check the figure in the source and " \
                "set verified = yes"
        point = numbers.get("point_estimate")
        if point is None:
            others = [c for c in ("ci_low", "ci_high", "denominator") if c in numbers]
            if others:
                yield i, sid, others[0], "a bound or denominator is given without a point estimate", "", \
                    "give point_estimate too, or remove the value"
            if not pd.isna(row["scale"]):
                yield i, sid, "scale", "scale is set but there is no point estimate", "", \
                    "leave scale empty on rows without a number"
            continue
        for col in ("scale", "unit", "approximate"):
            if pd.isna(row[col]):
                yield i, sid, col, "value is missing for a row with a number", \
                    ", ".join(SCALES) if col == "scale" else ("yes, no" if col == "approximate" else ""), \
                    f"say in '{col}' how to read point_estimate"
        if ("ci_low" in numbers) != ("ci_high" in numbers):
            yield i, sid, "ci_high" if "ci_low" in numbers else "ci_low", "only one confidence bound is given", "", \
                "give both bounds or neither"
        if "ci_low" in numbers and not numbers["ci_low"] <= point <= numbers["ci_high"]:
            yield i, sid, "point_estimate", f"point estimate {point} lies outside its interval " \
                f"[{numbers['ci_low']}, {numbers['ci_high']}]", "", "check the figures against the source"
        if "denominator" in numbers and pd.isna(row["denominator_unit"]):
            yield i, sid, "denominator_unit", "value is missing", "", "say what the denominator counts"
        scale = row["scale"]
        if scale == "proportion_change" and point <= -1 or scale == "percent_change" and point <= -100:
            yield i, sid, "point_estimate", f"a {scale} cannot fall below -100%", "", \
                "check the scale: proportion_change uses 0.1 for +10%"
        if not pd.isna(scale) and SCALES[scale]["signed"] and row["direction"] in ("increases", "decreases") \
                and point != 0 and (point > 0) != (row["direction"] == "increases"):
            yield i, sid, "direction", f"direction {row['direction']!r} disagrees with the sign of point_estimate " \
                f"{point}", "", "check the direction and the sign against the source"


def evidence_studies(df: pd.DataFrame, where: str = "data/evidence_studies.csv") -> None:
    """A number only on a verified row, with its scale, unit and approximate flag; a bound or denominator
    only with a point estimate; ``ci_low <= point_estimate <= ci_high``; the sign of a signed change agrees
    with ``direction``."""
    _raise_first(_evidence_problems(df), where, "study_id")


def _count_problems(df: pd.DataFrame) -> Iterator[Problem]:
    models = ["TFM", "JEM", "WSO"]
    for i, row in df.iterrows():
        given = [pd.notna(row[m]) for m in models]
        if any(given) and not all(given):
            yield i, str(row["label"]), "TFM", "give the count of all three models, or of none", "", \
                "copy the three counts from the source, or leave all three empty"
        elif all(given) and sum(int(row[m]) for m in models) != int(row["total"]):
            yield i, str(row["label"]), "total", f"the models add up to {sum(int(row[m]) for m in models)}, not " \
                f"{int(row['total'])}", "", "check the counts against the source"


def agreements_287g_counts(df: pd.DataFrame, where: str = "data/agreements_287g_counts.csv") -> None:
    """Counts by model are given all together or not at all, and add up to the total."""
    _raise_first(_count_problems(df), where, "label")


#: Table name -> its rules, run by :func:`helpers.data.load_table` after the descriptor's checks.
RULES = {"model_parameters": model_parameters, "evidence_studies": evidence_studies,
         "agreements_287g_counts": agreements_287g_counts}


def check_table(name: str, df: pd.DataFrame, where: str) -> None:
    """Run the rules of table ``name`` (if it has any) on its loaded, typed rows."""
    if name in RULES:
        RULES[name](df, where)


def key_at(path: Path, row: int | None, key: str) -> str | None:
    """The ``key`` cell of data row ``row`` (1-based) of a CSV, read as plain text; None if there is none."""
    if row is None or row < 1:
        return None
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        return str(raw[key].iloc[row - 1]) or None
    except (OSError, KeyError, IndexError, ValueError):  # only used to improve a message
        return None


def naming_key(exc: InputError, path: Path, key: str) -> InputError:
    """``exc`` from loading a table, with the key of its data row added to the message (a parameter id, a
    study_id) when the message does not name it yet."""
    value = key_at(path, exc.row, key)
    msg = str(exc)
    if value is None or f"{key} {value}" in msg or f"'{value}'" in msg:
        return exc
    tag = f"(data row {exc.row})"
    msg = msg.replace(tag, f"(data row {exc.row}, {key} {value})", 1) if tag in msg else f"{msg} ({key} {value})"
    return InputError(msg, where=exc.where, row=exc.row, field=exc.field, value=exc.value, allowed=exc.allowed,
                      fix=exc.fix)

