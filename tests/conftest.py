"""Shared fixtures for the unit and data tests (plain shared helpers are in ``_helpers.py``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from helpers import decision, model, paths

# Property tests draw the same examples on every run (derandomize), so `make test` and CI give the same
# verdict every time. To hunt for new counterexamples, run with HYPOTHESIS_PROFILE=explore (fresh random
# examples on each run); add what it finds as an explicit regression test.
settings.register_profile("repo", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repo"))


@pytest.fixture
def table_copy(tmp_path: Path):
    """Copy ``data/<name>.csv`` to a temporary file and return its path, to edit into bad input."""

    def _copy(name: str) -> Path:
        target = tmp_path / f"{name}.csv"
        shutil.copy(paths.DATA / f"{name}.csv", target)
        return target

    return _copy


@pytest.fixture(scope="module")
def results():
    """A small model run on the default city (40 draws, seed 3)."""
    return model.simulate(40, 3)


@pytest.fixture(scope="module")
def perf(results):
    """The decision performance of ``results`` under the neutral regime."""
    return decision.performance(results, "neutral")
