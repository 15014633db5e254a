"""Student copies: one zip of the exercise notebooks, outputs cleared, with no answer-key text in it."""

from __future__ import annotations

import zipfile

import nbformat
import pytest

from helpers import student_copies
from helpers.__main__ import main as cli
from helpers.errors import InputError

SOLUTIONS = student_copies.EXERCISES / "solutions"


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    out = student_copies.build(tmp_path_factory.mktemp("copies") / "students.zip")
    with zipfile.ZipFile(out) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def _solution_only_code():
    """Code that appears in an answer key and in no exercise notebook: the worked solutions."""
    exercise_code = set()
    for path in student_copies.exercise_paths():
        exercise_code |= {c.source.strip() for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"}
    only = set()
    for path in sorted(SOLUTIONS.glob("*-solutions.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and cell.source.strip() not in exercise_code:
                only.add(cell.source.strip())
    return only


def test_the_zip_holds_every_exercise_notebook_and_no_answer_key(copy):
    names = sorted(n for n in copy if n.endswith(".ipynb"))
    assert names == [f"exercises/{p.name}" for p in student_copies.exercise_paths()]
    assert len(names) == 7
    assert not any("solution" in n for n in copy)


def test_outputs_are_cleared(copy):
    for name, text in copy.items():
        if not name.endswith(".ipynb"):
            continue
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, name
        assert "Correct." not in text  # no stored self-check reply


def test_the_student_copy_contains_no_solution_text(copy):
    solutions = _solution_only_code()
    assert len(solutions) > 20  # the keys really do hold worked code the exercises lack
    everything = "\n".join(copy.values())
    for marker in student_copies.KEY_MARKERS:
        assert marker not in everything, marker
    for code in solutions:
        assert code not in everything, code
    for path in sorted(SOLUTIONS.glob("*-solutions.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown" and ("**Model answer.**" in cell.source or "**Rubric.**" in cell.source):
                assert cell.source not in everything


def test_the_zip_is_the_same_bytes_on_every_run(tmp_path):
    a = student_copies.build(tmp_path / "a.zip").read_bytes()
    b = student_copies.build(tmp_path / "b.zip").read_bytes()
    assert a == b


def test_an_exercise_carrying_a_model_answer_is_refused(tmp_path):
    source = student_copies.exercise_paths()[0]
    nb = nbformat.read(source, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("**Model answer.** pasted here by mistake"))
    bad = tmp_path / source.name
    nbformat.write(nb, bad)
    with pytest.raises(InputError) as err:
        student_copies.student_notebook(bad)
    assert "Model answer" in str(err.value) and source.name in str(err.value)


def test_the_command_writes_the_zip(tmp_path, capsys):
    out = tmp_path / "copies.zip"
    assert cli(["student-copies", "--out", str(out)]) == 0
    assert out.exists() and "7 exercise notebooks" in capsys.readouterr().out
