"""The notebook runner executes in place, records no timing metadata, leaves a file untouched when a
cell fails, and the committed notebooks are byte-for-byte what a fresh top-to-bottom run produces."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers import paths, runner


def _write(path: Path, *sources: str) -> Path:
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_runs_in_place_without_timing_metadata(tmp_path):
    nb = _write(tmp_path / "t.ipynb", "import numpy as np\nrng = np.random.default_rng(1)\nprint(round(float(rng.random()), 6))")
    runner.execute_notebook(nb)
    first = nb.read_bytes()
    cell = json.loads(first)["cells"][0]
    assert "".join(cell["outputs"][0]["text"]).strip() == "0.511822"
    assert "execution" not in cell["metadata"]
    language = json.loads(first)["metadata"]["language_info"]
    assert language["name"] == "python" and "version" not in language  # no Python version recorded
    runner.execute_notebook(nb)
    assert nb.read_bytes() == first, "two runs of a seeded notebook differ"


def test_failing_cell_leaves_the_file_untouched(tmp_path):
    nb = _write(tmp_path / "bad.ipynb", "x = 1", "raise ValueError('boom')")
    before = nb.read_bytes()
    with pytest.raises(Exception, match="boom"):
        runner.execute_notebook(nb)
    assert nb.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))


def test_tracebacks_of_teaching_errors_do_not_depend_on_the_clone_location(tmp_path):
    nb_path = _write(tmp_path / "err.ipynb", "from helpers import paths\npaths.data_path('no_such_table')")
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[0].metadata["tags"] = ["raises-exception"]
    nbformat.write(nb, nb_path)
    runner.execute_notebook(nb_path)
    output = json.loads(nb_path.read_text(encoding="utf-8"))["cells"][0]["outputs"][0]
    assert output["ename"] == "InputError"
    text = "\n".join(output["traceback"])
    assert "helpers/paths.py" in text
    assert str(paths.ROOT) not in text


def test_cli_rejects_a_missing_notebook(capsys):
    assert runner.main(["notebooks/does-not-exist.ipynb"]) == 2
    assert "not a notebook file" in capsys.readouterr().err


MAIN_NOTEBOOKS = paths.notebook_paths(include_exercises=False)
EXERCISE_NOTEBOOKS = [p for p in paths.notebook_paths() if p not in MAIN_NOTEBOOKS]


def _strip_volatile(nb: dict) -> dict:
    nb = json.loads(json.dumps(nb))
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def _assert_fresh_run_matches(notebook: Path, tmp_path: Path) -> None:
    """What `make run` would write equals what is committed (images included), so `git status` stays clean."""
    out = tmp_path / notebook.name
    runner.execute_notebook(notebook, out=out, cwd=notebook.parent)
    fresh = _strip_volatile(json.loads(out.read_text(encoding="utf-8")))
    committed = _strip_volatile(json.loads(notebook.read_text(encoding="utf-8")))
    name = paths.relative(notebook)
    assert len(committed["cells"]) == len(fresh["cells"])
    for i, (a, b) in enumerate(zip(committed["cells"], fresh["cells"])):
        assert a.get("outputs") == b.get("outputs"), f"{name}: cell {i} output differs after a fresh run"
    assert committed == fresh, f"{name}: notebook differs after a fresh run (metadata?)"


# One class per group, so pytest-xdist (--dist loadscope) runs the two groups on different workers.
@pytest.mark.slow
class TestMainNotebooksReproduce:
    @pytest.mark.parametrize("notebook", MAIN_NOTEBOOKS, ids=[p.name for p in MAIN_NOTEBOOKS])
    def test_committed_outputs_are_what_a_fresh_run_produces(self, notebook, tmp_path):
        _assert_fresh_run_matches(notebook, tmp_path)


@pytest.mark.slow
class TestExerciseNotebooksReproduce:
    @pytest.mark.parametrize("notebook", EXERCISE_NOTEBOOKS, ids=[paths.relative(p) for p in EXERCISE_NOTEBOOKS])
    def test_committed_outputs_are_what_a_fresh_run_produces(self, notebook, tmp_path):
        _assert_fresh_run_matches(notebook, tmp_path)
