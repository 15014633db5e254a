"""The notebook runner executes in place, records no timing metadata, leaves a file untouched when a
cell fails and writes one canonical form; the committed notebooks are in that form, and a notebook opened
and saved in JupyterLab returns to it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
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


def test_notebooks_run_side_by_side_and_a_failure_is_named_after_all_have_run(tmp_path, capsys):
    good = [_write(tmp_path / f"good{i}.ipynb", f"print({i} * 7)") for i in range(2)]
    bad = _write(tmp_path / "bad.ipynb", "raise ValueError('boom')")
    before = bad.read_bytes()
    assert runner.main([str(good[0]), str(bad), str(good[1]), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "1 notebook(s) failed and were left as they were" in err and "bad.ipynb" in err and "boom" in err
    assert bad.read_bytes() == before  # left as it was
    for i, nb in enumerate(good):      # the others ran and were written
        out = json.loads(nb.read_text(encoding="utf-8"))["cells"][0]["outputs"]
        assert "".join(out[0]["text"]) == f"{i * 7}\n"
    timings = runner.run(good[::-1], progress=False, jobs=2)
    assert [name for name, _ in timings] == [paths.relative(nb) for nb in good[::-1]]  # in the order given
    assert runner.main([str(good[0]), "-j", "0"]) == 2


def test_tracebacks_of_teaching_errors_keep_the_call_and_the_message_only(tmp_path):
    """No package line numbers and no clone path: editing a module or cloning elsewhere leaves the file as it was."""
    nb_path = _write(tmp_path / "err.ipynb", "from helpers import paths\npaths.data_path('no_such_table')")
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[0].metadata["tags"] = ["raises-exception"]
    nbformat.write(nb, nb_path)
    runner.execute_notebook(nb_path)
    output = json.loads(nb_path.read_text(encoding="utf-8"))["cells"][0]["outputs"][0]
    assert output["ename"] == "InputError"
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(output["traceback"]))  # without the colour codes
    assert "data_path('no_such_table')" in text and "no_such_table" in output["traceback"][-1]
    assert "helpers/paths.py" not in text and str(paths.ROOT) not in text
    assert "frames inside the package omitted" in text


def test_cli_rejects_a_missing_notebook(capsys):
    assert runner.main(["notebooks/does-not-exist.ipynb"]) == 2
    assert "not a notebook file" in capsys.readouterr().err


NOTEBOOKS = paths.notebook_paths()
IDS = [paths.relative(p) for p in NOTEBOOKS]


def test_runner_writes_the_canonical_form(tmp_path):
    """A notebook saved by another front end (other display name, Python version, split stream) comes back
    in the committed form after a run."""
    nb_path = _write(tmp_path / "t.ipynb", "import sys\nprint('a', flush=True)\nsys.stdout.flush()\nprint('b')")
    nb = nbformat.read(nb_path, as_version=4)
    nb.metadata["kernelspec"]["display_name"] = "Python 3.11 (venv)"
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    nbformat.write(nb, nb_path)
    runner.execute_notebook(nb_path)
    saved = json.loads(nb_path.read_text(encoding="utf-8"))
    assert saved["metadata"]["kernelspec"] == runner.KERNELSPEC
    assert "version" not in saved["metadata"]["language_info"]
    outputs = saved["cells"][0]["outputs"]
    assert len(outputs) == 1 and "".join(outputs[0]["text"]) == "a\nb\n"


def test_canonical_merges_only_consecutive_pieces_of_one_stream():
    nb = new_notebook(cells=[new_code_cell("x")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="one"),
                           nbformat.v4.new_output("stream", name="stdout", text="\n"),
                           nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
                           nbformat.v4.new_output("stream", name="stdout", text="two\n")]
    runner.canonical(nb)
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [
        ("stdout", "one\n"), ("stderr", "warn\n"), ("stdout", "two\n")]


def _serialised(nb) -> str:
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_committed_notebook_is_what_the_runner_writes(notebook):
    """The committed file is in the runner's form: canonical metadata, merged streams, JSON layout, and
    execution counts 1, 2, 3... in order as a top-to-bottom run gives. (That every output equals a fresh
    run's, figures included, is checked on nbval's own execution: see tests/conftest.py.)"""
    text = notebook.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert nb.metadata.get("kernelspec") == runner.KERNELSPEC, (
        "kernel metadata differs from the one every notebook uses; run `python -m helpers run` on it")
    assert _serialised(runner.canonical(nbformat.reads(text, as_version=4))) == text, (
        "the file is not in the form `python -m helpers run` writes; run it with `python -m helpers run`")
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), "cells were not run top to bottom in one kernel"


@pytest.fixture(scope="module")
def jupyterlab_metadata():
    """The metadata JupyterLab writes on save: the installed kernelspec and the live kernel's language_info."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import start_new_kernel

    spec = KernelSpecManager().get_kernel_spec(runner.KERNEL)
    km, kc = start_new_kernel(kernel_name=runner.KERNEL, stderr=subprocess.DEVNULL)
    try:
        kc.kernel_info()
        language_info = kc.get_shell_msg(timeout=60)["content"]["language_info"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    kernelspec = {"display_name": spec.display_name, "language": spec.language, "name": runner.KERNEL}
    return kernelspec, language_info


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_opening_and_saving_in_jupyterlab_does_not_break_the_suite(notebook, tmp_path, jupyterlab_metadata):
    """Open and autosave as JupyterLab does (its front end sets the kernel's metadata; Jupyter Server's
    contents manager writes the file): the saved notebook still passes nbval (which compares outputs only)
    and the form check, once restored by `make run`."""
    from jupyter_server.services.contents.filemanager import FileContentsManager
    from nbformat.sign import NotebookNotary

    kernelspec, language_info = jupyterlab_metadata
    shutil.copy(notebook, tmp_path / notebook.name)
    manager = FileContentsManager(root_dir=str(tmp_path))
    manager.notary = NotebookNotary(db_file=":memory:")  # no trust database in the reader's home
    model = manager.get(notebook.name, content=True, type="notebook")
    model["content"].metadata["kernelspec"] = kernelspec
    model["content"].metadata["language_info"] = language_info
    manager.save({"type": "notebook", "format": "json", "content": model["content"]}, notebook.name)
    saved_text = (tmp_path / notebook.name).read_text(encoding="utf-8")
    saved = nbformat.reads(saved_text, as_version=4)
    committed = nbformat.read(notebook, as_version=4)
    assert kernelspec == runner.KERNELSPEC, "the installed kernel's display name is not the committed one"
    assert [c.get("outputs") for c in saved.cells] == [c.get("outputs") for c in committed.cells]
    assert _serialised(runner.canonical(saved)) == notebook.read_text(encoding="utf-8")
