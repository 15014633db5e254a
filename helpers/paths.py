"""Where things live in the repository.

Notebooks, tests and the command line all find files through these helpers, so no code anywhere
spells a relative path such as ``../../data``. The root is the folder holding ``pyproject.toml``
and the ``helpers`` package; it is found from this file's location, so it works from any working
directory (a notebook's own folder, the repository root, or a test's temporary folder).
"""

from __future__ import annotations

from pathlib import Path

from helpers.errors import InputError

ROOT: Path = Path(__file__).resolve().parent.parent
DATA: Path = ROOT / "data"
SCHEMAS: Path = DATA / "schemas"
NOTEBOOKS: Path = ROOT / "notebooks"
TESTS: Path = ROOT / "tests"


def data_path(name: str) -> Path:
    """Path of a data file in ``data/``: ``data_path("options")`` or ``data_path("options.csv")``."""
    filename = name if "." in name else f"{name}.csv"
    path = DATA / filename
    if not path.exists():
        known = sorted(p.name for p in DATA.iterdir() if p.is_file())
        raise InputError(
            where="data/", field="name", value=name,
            allowed=", ".join(known), fix="use one of the files listed in data/README.md",
        )
    return path


def schema_path(table: str) -> Path:
    """Path of the Frictionless resource descriptor of a table (``data/schemas/<table>.resource.json``)."""
    return SCHEMAS / f"{table}.resource.json"


def notebook_paths(include_exercises: bool = True) -> list[Path]:
    """Every notebook of the collection, in reading order (numbered files first, then exercises)."""
    main = sorted(p for p in NOTEBOOKS.glob("*.ipynb"))
    extra: list[Path] = []
    if include_exercises:
        extra = sorted(p for p in NOTEBOOKS.glob("*/**/*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return main + extra


def relative(path: Path) -> str:
    """A path relative to the repository root, with forward slashes (for messages and captions)."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).as_posix()
