"""Paths: the repository root is found from anywhere, and an unknown data file lists the known ones."""

from __future__ import annotations

import pytest

from helpers import paths
from helpers.errors import InputError


def test_root_is_found_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert (paths.ROOT / "pyproject.toml").exists()
    assert paths.data_path("options") == paths.DATA / "options.csv"


def test_data_path_unknown_file_lists_known_files():
    with pytest.raises(InputError) as exc:
        paths.data_path("no_such_table")
    assert "options.csv" in str(exc.value)
