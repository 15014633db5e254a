"""Plain helpers shared by several test files, defined once: a small config (as YAML text and as a mapping), and
editing a copy of a CSV file. Test files import them with ``from _helpers import ...`` (pytest puts ``tests/``
on the import path); fixtures live in ``conftest.py``."""

from __future__ import annotations

import csv
from pathlib import Path

from helpers import config as cfgmod

BASE = "name: Testville\nstate_regime: neutral\npopulation: 50000\nforeign_born_share: 0.2\n"
MAPPING = {"name": "Testville (fictional)", "population": 50000, "foreign_born_share": 0.2, "draws": 150}


def write(tmp_path: Path, text: str, name: str = "city.yml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def load(**extra) -> cfgmod.Config:
    return cfgmod.load_config(MAPPING | extra)


def only(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def edit_csv(source, target, edit):
    """Copy a CSV from ``source`` to ``target`` with ``edit(rows)`` applied to its rows (dicts)."""
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    edit(rows)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return target
