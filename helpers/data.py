"""Load every table in ``data/`` after validating it against its descriptor.

Each table ``data/<name>.csv`` has a Frictionless resource descriptor ``data/schemas/<name>.resource.json``
(the Data Package / Table Schema standard): column names, types, units, meanings, allowed values and keys.
:func:`load_table` checks the header, validates every cell with the ``frictionless`` library, checks
provenance (every row is REAL with resolvable sources, or ILLUSTRATIVE with a stated assumption), runs
the table's rules that a descriptor cannot state (:mod:`helpers.checks`), and only then returns a typed
:class:`pandas.DataFrame`. Any problem raises one :class:`~helpers.errors.InputError` that names the
file, the line, the column and what is allowed.

The cell check is the slow part (about 1 s to import the validator in each new notebook kernel, then a
fraction of a second per table). It runs once per data version: when a file passes, a fingerprint of its
bytes, its descriptor, this module and the validator's version is recorded in ``.cache/validated.json``
(not committed), and a later load of the identical file skips the cell check; any edit changes the
fingerprint, so an edited file is checked again. Header, types, provenance and references are checked on
every load. ``python -m helpers validate`` checks every table afresh.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import checks, paths
from helpers.errors import InputError, describe

PROVENANCE_VALUES = ("REAL", "ILLUSTRATIVE")
LIST_SEPARATOR = ";"


def table_names() -> list[str]:
    """Names of every described table (one per descriptor in ``data/schemas/``)."""
    return sorted(p.name.removesuffix(".resource.json") for p in paths.SCHEMAS.glob("*.resource.json"))


def descriptor(name: str) -> dict:
    """The resource descriptor of a table, as a dict (see ``data/schemas/``)."""
    path = paths.schema_path(name)
    if not path.exists():
        raise InputError(where="data/schemas", field="table", value=name,
                         allowed=", ".join(table_names()),
                         fix=f"add data/schemas/{name}.resource.json or pick a described table")
    try:
        desc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{paths.relative(path)}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return desc


def _fields(desc: dict) -> list[dict]:
    return desc["schema"]["fields"]


def _allowed(field: dict) -> str:
    """Plain-words description of what a column accepts."""
    c = field.get("constraints", {})
    parts = [field.get("type", "string")]
    if "enum" in c:
        parts = ["one of " + ", ".join(map(str, c["enum"]))]
    if "minimum" in c:
        parts.append(f">= {c['minimum']}")
    if "maximum" in c:
        parts.append(f"<= {c['maximum']}")
    if "pattern" in c:
        parts.append(f"matching {c['pattern']}")
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    return ", ".join(parts)


def _check_header(path: Path, desc: dict) -> list[str]:
    where = paths.relative(path)
    try:
        header = pd.read_csv(path, nrows=0, dtype=str).columns.tolist()
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{where}: cannot be read as CSV ({exc})") from None
    names = [f["name"] for f in _fields(desc)]
    # Unknown columns first: a typo in a header shows as both, and the typo is the useful message.
    for col in header:
        if col not in names:
            close = difflib.get_close_matches(col, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it or describe it in the schema"
            raise InputError(describe(where=where, field=col, problem="unknown column",
                                      allowed="columns " + ", ".join(names), fix=hint),
                             where=where, field=col, allowed=", ".join(names))
    for col in names:
        if col not in header:
            raise InputError(describe(where=where, field=col, problem="column is missing",
                                      allowed="columns " + ", ".join(names),
                                      fix=f"add a '{col}' column; its meaning is in "
                                          f"data/schemas/{desc['name']}.resource.json"),
                             where=where, field=col, allowed=", ".join(names))
    return header


def _validate_cells(path: Path, desc: dict) -> None:
    from frictionless import Resource, Schema  # imported lazily: about 1 s

    # Foreign keys are checked by _check_foreign_keys (they may hold several ids); column order is free.
    schema_desc = {k: v for k, v in desc["schema"].items() if k != "foreignKeys"}
    schema_desc["fieldsMatch"] = "equal"
    resource = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(schema_desc),
                        format="csv", encoding="utf-8")
    report = resource.validate(limit_errors=50)
    if report.valid:
        return
    where = paths.relative(path)
    errors = report.tasks[0].errors if report.tasks else report.errors
    fields = {f["name"]: f for f in _fields(desc)}
    first = errors[0]
    line = getattr(first, "row_number", None)
    col = getattr(first, "field_name", None)
    cell = getattr(first, "cell", None)
    kind = getattr(first, "type", "")
    if line is not None and kind in ("extra-cell", "missing-cell"):
        cells = _row_length(path, line)
        header = len(_check_header(path, desc))
        more, fix = (("more", "quote a cell that contains a comma (\"a, b\"), or remove the extra cell")
                     if kind == "extra-cell" else
                     ("fewer", "add the missing cells; an empty cell still needs its comma"))
        problem = (f"this row has {cells if cells is not None else more} cells but the header has {header} "
                   f"columns ({more} cells than columns)")
        raise InputError(describe(where=f"{where}, line {line} (data row {line - 1})", problem=problem, fix=fix),
                         where=where, row=line - 1)
    if line is not None and col is not None:
        kind = getattr(first, "type", "")
        if kind == "constraint-error" and "required" in first.note:
            problem = "value is missing"
        elif kind == "primary-key" or "unique" in first.note:
            problem = f"value {cell!r} repeats an earlier row"
        elif kind == "type-error":
            problem = f"value {cell!r} is not of type {fields[col].get('type')}"
        else:
            problem = f"value {cell!r} is not allowed ({first.note})"
        more = f" ({len(errors) - 1} more problem(s) in this file)" if len(errors) > 1 else ""
        raise InputError(describe(where=f"{where}, line {line} (data row {line - 1})", field=col,
                                  problem=problem + more, allowed=_allowed(fields.get(col, {})),
                                  fix="correct the cell; column meanings are in data/README.md"),
                         where=where, row=line - 1, field=col, value=cell, allowed=_allowed(fields.get(col, {})))
    if line is not None:
        raise InputError(f"{where}, line {line} (data row {line - 1}): {first.note or first.message}",
                         where=where, row=line - 1)
    raise InputError(f"{where}: {first.message}", where=where)


def _row_length(path: Path, row_number: int) -> int | None:
    """Number of cells in CSV row ``row_number`` (1 = the header), or None if the file has fewer rows."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for i, row in enumerate(csv.reader(fh), start=1):
            if i == row_number:
                return len(row)
    return None


def _typed(path: Path, desc: dict) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    out = pd.DataFrame(index=raw.index)
    for f in _fields(desc):
        col, kind = f["name"], f.get("type", "string")
        s = raw[col]
        if kind in ("integer", "number", "year"):
            num = pd.to_numeric(s, errors="coerce")
            bad = s.notna() & ~np.isfinite(num.astype(float))  # 'nan', 'inf', '1e999' pass the schema check
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise InputError(describe(where=f"{paths.relative(path)}, line {i + 2} (data row {i + 1})",
                                          field=col, value=s.iloc[i], allowed="a finite number, or an empty cell",
                                          fix="write the published figure, or leave the cell empty"),
                                 where=paths.relative(path), row=i + 1, field=col, value=s.iloc[i])
            out[col] = num.astype("Int64" if kind in ("integer", "year") else "float64")
        elif kind == "boolean":
            true = set(f.get("trueValues", ["true", "True", "TRUE", "1", "yes"]))
            out[col] = s.map(lambda v: None if pd.isna(v) else v in true).astype("boolean")
        else:
            out[col] = s.astype("string")
    return out


def _check_foreign_keys(df: pd.DataFrame, desc: dict, where: str) -> None:
    for fk in desc["schema"].get("foreignKeys", []):
        col = fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0]
        ref_table = fk["reference"]["resource"]
        ref_col = fk["reference"]["fields"] if isinstance(fk["reference"]["fields"], str) \
            else fk["reference"]["fields"][0]
        known = set(load_table(ref_table)[ref_col].dropna())
        for i, value in df[col].items():
            if pd.isna(value):
                continue
            for item in split_list(value):
                if item not in known:
                    close = difflib.get_close_matches(item, sorted(known), n=3)
                    raise InputError(describe(
                        where=f"{where}, line {i + 2} (data row {i + 1})", field=col,
                        problem=f"{item!r} is not a known {ref_col} in data/{ref_table}.csv",
                        allowed=("close matches: " + ", ".join(close)) if close else f"ids from data/{ref_table}.csv",
                        fix=f"add the row to data/{ref_table}.csv or correct the id"),
                        where=where, row=i + 1, field=col, value=item)


def check_provenance(df: pd.DataFrame, where: str) -> None:
    """Every row is REAL with at least one source id, or ILLUSTRATIVE with a note saying what it assumes."""
    if "provenance" not in df.columns:
        return
    for i, row in df.iterrows():
        prov = row["provenance"]
        at = f"{where}, line {i + 2} (data row {i + 1})"
        if prov == "REAL" and ("source_ids" not in df.columns or pd.isna(row["source_ids"])
                               or not split_list(row["source_ids"])):
            raise InputError(describe(where=at, field="source_ids", problem="a REAL row has no source",
                                      fix="cite a source_id from data/sources.csv, or mark the row ILLUSTRATIVE "
                                          "and say what it assumes in 'notes'"), where=where, row=i + 1,
                             field="source_ids")
        if prov == "ILLUSTRATIVE" and ("notes" not in df.columns or pd.isna(row["notes"])
                                       or not str(row["notes"]).strip()):
            raise InputError(describe(where=at, field="notes",
                                      problem="an ILLUSTRATIVE row does not say what it assumes",
                                      fix="write the assumption and why it was chosen in 'notes'"),
                             where=where, row=i + 1, field="notes")


def split_list(value: object) -> list[str]:
    """Split a ``a; b; c`` cell into its items (empty cell -> empty list)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [v.strip() for v in str(value).split(LIST_SEPARATOR) if v.strip()]


VERDICTS: Path = paths.ROOT / ".cache" / "validated.json"


@lru_cache(maxsize=1)
def _checker_version() -> str:
    from importlib.metadata import version

    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16] + "/frictionless " + version("frictionless")


def _fingerprint(path: Path, name: str) -> str:
    h = hashlib.sha256(_checker_version().encode())
    for part in (paths.schema_path(name).read_bytes(), path.read_bytes()):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _verdicts() -> set[str]:
    try:
        return set(json.loads(VERDICTS.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def _record_verdict(fingerprint: str) -> None:
    """Remember that a file with this fingerprint passed; a folder we cannot write to only costs speed."""
    try:
        VERDICTS.parent.mkdir(exist_ok=True)
        known = sorted(_verdicts() | {fingerprint})
        fd, tmp = tempfile.mkstemp(dir=VERDICTS.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(known[-500:], fh)
        os.replace(tmp, VERDICTS)  # atomic: parallel kernels never read half a file
    except OSError:
        pass


def check_once(label: str, files: list[Path], check) -> None:
    """Run ``check()`` (a cross-table rule that raises on bad data) unless these exact ``files`` passed the
    check named ``label`` before; record the pass. Like the cell check, it runs again after any edit."""
    h = hashlib.sha256(f"{_checker_version()}|{label}".encode())
    for file in files:
        part = Path(file).read_bytes()
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    fingerprint = h.hexdigest()
    if fingerprint in _verdicts():
        return
    check()
    _record_verdict(fingerprint)


@lru_cache(maxsize=64)
def _load_cached(name: str, path_str: str, mtime: float, fresh: bool = False) -> pd.DataFrame:
    path = Path(path_str)
    desc = descriptor(name)
    where = paths.relative(path)
    _check_header(path, desc)
    fingerprint = _fingerprint(path, name)
    if fresh or fingerprint not in _verdicts():
        _validate_cells(path, desc)
        _record_verdict(fingerprint)
    df = _typed(path, desc)
    check_provenance(df, where)
    _check_foreign_keys(df, desc, where)
    checks.check_table(name, df, where)  # the rules a descriptor cannot state
    return df


def load_table(name: str, path: str | Path | None = None, fresh: bool = False) -> pd.DataFrame:
    """Load ``data/<name>.csv`` (or another file checked against the same descriptor), validated and typed.

    ``fresh=True`` checks every cell even if this exact file passed before. Returns a fresh copy each call,
    so callers may modify it freely.
    """
    desc = descriptor(name)
    file = Path(path) if path is not None else paths.DATA / desc["path"]
    if not file.exists():
        raise InputError(describe(where=paths.relative(file), problem="file not found",
                                  fix=f"expected the table '{name}' here"), where=paths.relative(file))
    if not file.is_file():
        raise InputError(describe(where=paths.relative(file), problem="is a folder, not a file",
                                  fix=f"give the path of the CSV file for the table '{name}'"),
                         where=paths.relative(file))
    return _load_cached(name, str(file.resolve()), file.stat().st_mtime, fresh).copy()


def validate_all() -> dict[str, int]:
    """Check every described table afresh (every cell); returns row counts. Raises on the first invalid table."""
    return {name: len(load_table(name, fresh=True)) for name in table_names()}


def column_docs(name: str) -> pd.DataFrame:
    """The columns of a table with type, unit and meaning, from its descriptor (for notebooks and README)."""
    desc = descriptor(name)
    return pd.DataFrame([
        {"column": f["name"], "type": f.get("type", "string"), "unit": f.get("unit", ""),
         "meaning": f.get("description", ""), "allowed": _allowed(f)}
        for f in _fields(desc)
    ])


def provenance_summary() -> pd.DataFrame:
    """Rows per table by provenance (REAL / ILLUSTRATIVE), for the start page's "how to read numbers"."""
    rows = []
    for name in table_names():
        df = load_table(name)
        if "provenance" not in df.columns:
            continue
        counts = df["provenance"].value_counts()
        rows.append({"table": f"data/{name}.csv", "REAL rows": int(counts.get("REAL", 0)),
                     "ILLUSTRATIVE rows": int(counts.get("ILLUSTRATIVE", 0))})
    return pd.DataFrame(rows).set_index("table")
