"""Student copies of the exercise notebooks: a zip with outputs cleared and no answer keys.

``python -m helpers student-copies [--out PATH]`` (what ``make student-copies`` runs) writes one zip holding
the exercise notebooks of ``notebooks/exercises/`` (never ``solutions/``), each with every output and execution
count cleared and the link to its answer key removed, plus a short ``README.txt``. The zip is the same bytes on
every run (fixed file dates, sorted names), so it can be compared or committed by a course.

Before writing, :func:`student_notebook` refuses a notebook that still carries answer-key text (a model answer,
a rubric or a link to the key), so a solution pasted into an exercise by mistake cannot reach students.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

import nbformat

from helpers import paths
from helpers.errors import InputError

EXERCISES = paths.NOTEBOOKS / "exercises"
DEFAULT_OUT = paths.ROOT / "_build" / "student-copies.zip"
#: Text that only answer keys carry; a student copy containing any of it is refused.
KEY_MARKERS = ("**Model answer.**", "**Rubric.**", "Answer key", "solutions/")
_KEY_LINK = re.compile(r"\s*\|\s*\[Answer key[^\]]*\]\([^)]*\)")
_FIXED_DATE = (2026, 1, 1, 0, 0, 0)
README = """Exercise notebooks (student copies)

These are the exercise notebooks of the collection, with outputs cleared and without answer keys.
Put the .ipynb files in notebooks/exercises/ of a copy of the collection, open them in JupyterLab
(make lab) and run each cell from the top. Each numeric or multiple-choice question has a self-check
that replies with a hint; the questions under "Interpret" are graded by your instructor.
"""


def exercise_paths() -> list[Path]:
    """The exercise notebooks a student copy holds, in name order (never the answer keys)."""
    return sorted(p for p in EXERCISES.glob("*-exercises.ipynb") if p.parent == EXERCISES)


def student_notebook(path: Path):
    """The notebook at ``path`` as a student gets it: outputs and execution counts cleared, the link to the
    answer key removed. Raises :class:`InputError` if answer-key text remains."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        else:
            cell.source = _KEY_LINK.sub("", cell.source)
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        found = [m for m in KEY_MARKERS if m in cell.source]
        if found:
            raise InputError(where=f"student copy of {path.name}", field=f"cell {i}", value=found[0],
                             problem=f"the exercise notebook carries answer-key text ({found[0]!r})",
                             fix="move model answers and rubrics to the notebook in solutions/")
    return nb


def build(out: Path | str = DEFAULT_OUT) -> Path:
    """Write the zip of student copies to ``out`` (parent folders are created) and return its path."""
    out = Path(out)
    sources = exercise_paths()
    if not sources:
        raise InputError(where="student-copies", field="notebooks", value=str(EXERCISES),
                         problem="no exercise notebooks were found")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries = [("exercises/README.txt", README)]
        entries += [(f"exercises/{p.name}", nbformat.writes(student_notebook(p)) + "\n") for p in sources]
        for name, text in entries:
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text)
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers student-copies",
                                     description="Write a zip of the exercise notebooks with outputs cleared and "
                                                 "no answer keys.")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help=f"zip to write (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        out = build(args.out)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with zipfile.ZipFile(out) as zf:
        names = [n for n in zf.namelist() if n.endswith(".ipynb")]
    print(f"Wrote {len(names)} exercise notebooks (outputs cleared, no answer keys) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
