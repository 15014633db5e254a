"""The notebook check of `make test`: strict nbval plus, on the same execution, exact outputs (figures
included) from the repository's conftest.py. Each case runs pytest on a small notebook in a scratch folder."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers import paths, runner

pytest_plugins = ["pytester"]

# A "figure" with fixed bytes, and a line that nbval's sanitize rule rewrites before comparing.
CELLS = ("from IPython.display import display\n"
         "display({'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=='}, raw=True)",
         "print('object at 0x7f3a2c1d9e80')")


@pytest.fixture
def run_check(pytester):
    pytester.makeconftest((paths.ROOT / "conftest.py").read_text(encoding="utf-8"))
    sanitize = pytester.path / "sanitize.cfg"
    sanitize.write_text((paths.ROOT / "tests" / "nbval_sanitize.cfg").read_text(encoding="utf-8"))
    nb_path = pytester.path / "t.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(s) for s in CELLS], metadata={"kernelspec": runner.KERNELSPEC}),
                   nb_path)
    runner.execute_notebook(nb_path)

    def _run(edit=None):
        if edit is not None:
            nb = nbformat.read(nb_path, as_version=4)
            edit(nb)
            nbformat.write(nb, nb_path)
        return pytester.runpytest_subprocess("--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                                             str(sanitize), "-p", "no:cacheprovider", str(nb_path))

    return _run


def test_a_fresh_run_of_the_committed_notebook_passes(run_check):
    run_check().assert_outcomes(passed=2)


def test_a_changed_figure_fails_although_nbval_skips_figures(run_check):
    def edit(nb):
        nb.cells[0].outputs[0].data["image/png"] = "AAAA"

    result = run_check(edit)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*differs from the committed one after a fresh run*image/png*"])


def test_a_change_hidden_by_sanitizing_still_fails(run_check):
    def edit(nb):
        nb.cells[1].outputs[0].text = "object at 0x000000000000\n"

    run_check(edit).assert_outcomes(passed=1, failed=1)
