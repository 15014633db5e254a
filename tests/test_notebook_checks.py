"""The notebook check of `make test`: strict nbval plus, on the same execution, exact outputs (figures
included) from the repository's conftest.py. Each case runs pytest on a small notebook in a scratch folder."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from helpers import paths, runner

pytest_plugins = ["pytester"]

# A "figure" with fixed bytes, and a line that nbval's sanitize rule rewrites before comparing.
CELLS = ("from IPython.display import display\n"
         "display({'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=='}, raw=True)",
         "print('object at 0x7f3a2c1d9e80')")


def _figure(nb):
    nb.cells[0].outputs[0].data["image/png"] = "AAAA"


def _sanitized_line(nb):
    nb.cells[1].outputs[0].text = "object at 0x000000000000\n"


def test_the_check_passes_a_fresh_run_and_fails_changes_nbval_would_miss(pytester):
    """One pytest run over three copies of a freshly run notebook: one as run, one with a changed figure (nbval
    skips figures), one with a change nbval's sanitizing would hide."""
    pytester.makeconftest((paths.ROOT / "conftest.py").read_text(encoding="utf-8"))
    sanitize = pytester.path / "sanitize.cfg"
    sanitize.write_text((paths.ROOT / "tests" / "nbval_sanitize.cfg").read_text(encoding="utf-8"))
    fresh = pytester.path / "fresh.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(s) for s in CELLS], metadata={"kernelspec": runner.KERNELSPEC}),
                   fresh)
    runner.execute_notebook(fresh)
    for name, edit in (("figure", _figure), ("sanitized", _sanitized_line)):
        nb = nbformat.read(fresh, as_version=4)
        edit(nb)
        nbformat.write(nb, pytester.path / f"{name}.ipynb")
    result = pytester.runpytest_subprocess("--nbval", "--nbval-current-env", "--nbval-sanitize-with", str(sanitize),
                                           "-p", "no:cacheprovider", "-rA", "fresh.ipynb", "figure.ipynb",
                                           "sanitized.ipynb")
    result.assert_outcomes(passed=4, failed=2)
    result.stdout.fnmatch_lines(["*differs from the committed one after a fresh run*image/png*"])
    failed = {line.split("::")[0].split()[-1] for line in result.stdout.lines if line.startswith("FAILED")}
    assert failed == {"figure.ipynb", "sanitized.ipynb"}, result.stdout.str()
