"""Shared fixtures for the unit and data tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import paths


@pytest.fixture
def table_copy(tmp_path: Path):
    """Copy ``data/<name>.csv`` to a temporary file and return its path, to edit into bad input."""

    def _copy(name: str) -> Path:
        target = tmp_path / f"{name}.csv"
        shutil.copy(paths.DATA / f"{name}.csv", target)
        return target

    return _copy
