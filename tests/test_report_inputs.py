"""The report for a checked config: the command line's one-line errors, the state's lines (its rules, the
county's 287(g) agreements, the "check before you brief" list), names the chart font cannot draw, numpy numbers
passed to the notebook, and output folders that Jupyter has opened."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from helpers import agreements, legal, plots, report, states
from helpers import config as cfgmod
from helpers.errors import InputError

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


# --------------------------------------------------------------------------------------------- command line

def test_cli_bad_numbers_exit_2_with_one_line_naming_where_they_came_from(tmp_path, capsys):
    cfg = write(tmp_path, BASE.replace("50000", "1" + "0" * 400) + "draws: 500\nseed: 4\n")
    assert report.main([str(cfg), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "line 3, field 'population': a 401-digit number is out of range" in err[0], err
    assert "100,000,000" in err[0] and len(err[0]) < 400  # the 401 digits are not printed
    cfg = write(tmp_path, BASE + "draws: 500\nseed: 4\n")
    assert report.main([str(cfg), "--out", str(tmp_path / "r"), "--draws", "50"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --draws (command line), field 'draws': 50 is out of range"), err
    assert "line 5" not in err and "city.yml" not in err
    assert only(tmp_path) == ["city.yml"]


# --------------------------------------------------------------------------------------------- the state's lines

def test_state_rules_decide_the_menu_where_they_differ_from_the_type():
    # Massachusetts limits holds but leaves notification to local choice: NOTIFY is open there, not under
    # the limits regime type (hand-checked in data/states.csv and tests/test_states.py)
    cfg = load(state="MA")
    assert "NOTIFY" in cfg.open_options() and "NOTIFY" not in legal.feasible_options("limits_cooperation")
    a = report.analyse(cfg)
    assert a.open_options == states.feasible_options("MA")
    assert a.status.to_dict() == states.verdicts("MA").to_dict()
    assert list(a.acceptability.index) == a.open_options
    table = report.legal_table(a)
    assert table.loc["NOTIFY", "status under state law"] == "feasible"
    assert (table.loc["FULL", "levers in conflict"] != "none")
    res = report.results_table(a)
    assert (res["state"] == "MA").all() and set(res.loc[res["legal_status"] != "infeasible", "option"]) == \
        set(a.open_options)


def test_report_lines_for_a_partial_state_with_a_listed_county():
    cfg = load(state="PA", county="Lancaster")
    a = report.analyse(cfg)
    lines = report.state_summary(a)
    assert lines[0].startswith("Pennsylvania (PA): No state mandate") and "18 July 2025" in lines[0]
    assert any("row is partial" in s for s in lines)
    listed = agreements.agreements_for("Lancaster", "PA")
    table = report.county_agreements(a)
    assert len(table) == len(listed) > 0 and list(table["agency"]) == list(listed["agency"])
    sentence = report.county_sentence(a)
    assert f"names {len(listed)} agreement(s) for Lancaster, Pennsylvania" in sentence
    assert states.day_text(agreements.list_date()) in sentence
    checks = report.brief_checks(a)
    assert checks[:len(states.brief_checks("PA"))] == states.brief_checks("PA")
    assert any("check ICE's current list for Lancaster, Pennsylvania" in c for c in checks)
    assert "Pennsylvania: No state mandate" in report.title_html(a)


def test_report_lines_for_contested_levers_and_a_county_not_listed():
    a = report.analyse(load(state="Ohio", county="Hamiltn"))
    lines = report.state_summary(a)
    assert any(s.startswith("Contested levers in Ohio: Hold on an ICE detainer") for s in lines)
    assert any("own exceptions change the regime type's menu" in s for s in lines)
    assert report.county_agreements(a).empty
    sentence = report.county_sentence(a)
    assert "names no agreement for Hamiltn, Ohio" in sentence
    close = agreements.close_counties("Hamiltn", "OH")
    if close:
        assert "Near spellings" in sentence and close[0] in sentence


def test_without_a_state_the_report_says_it_uses_a_regime_type():
    a = report.analyse(load(state_regime="neutral"))
    assert report.state_summary(a)[0].startswith("No state is given")
    assert report.county_agreements(a) is None
    assert any("Name your state" in c for c in report.brief_checks(a))


def test_override_note_reaches_the_caveats_and_checks():
    a = report.analyse(load(state="Massachusetts", state_regime="neutral"))
    assert any("overrides" in c for c in report.caveats(a))
    assert any("overrides" in c for c in report.brief_checks(a))
    assert "(override)" in report.title_html(a)


# --------------------------------------------------------------------------------------------- glyphs

def test_drawable_replaces_only_what_the_font_lacks():
    from helpers import plots

    assert plots.drawable("Riverton (fictional): $1 & São Paulo – Zürich") == \
        "Riverton (fictional): $1 & São Paulo – Zürich"
    assert plots.drawable("東京 Tokyo", fontweight="bold") == "?? Tokyo"
    assert plots.drawable("🏙️ City") == "? City"  # the emoji's variation selector goes with it


def test_a_non_latin_name_draws_without_missing_glyphs():
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    name = "東京"
    cfg = cfgmod.load_config(yaml.safe_load(BASE) | {"name": name, "draws": 100, "options": ["COND", "STRICT"]})
    a = report.analyse(cfg)
    fig = plots.plot_report_outcomes(a)
    fig.savefig(io.BytesIO(), format="png")  # a missing glyph warns, and warnings are errors here
    assert fig.get_suptitle().startswith("?") and name not in fig.get_suptitle()
    plt.close(fig)

    class Stub:  # the HTML keeps the real name
        pass

    stub = Stub()
    stub.cfg = cfg
    assert name in report.title_html(stub)


# --------------------------------------------------------------------------------------------- output folders

RECORD = report.RECORD_NAME


def earlier_report(folder: Path) -> Path:
    folder.mkdir()
    for name in report.OUTPUT_FILES:
        (folder / name).write_text("old")
    return folder


def test_jupyter_and_finder_files_do_not_block_a_rerender(tmp_path):
    out = earlier_report(tmp_path / "out")
    (out / ".ipynb_checkpoints").mkdir()
    (out / ".ipynb_checkpoints" / "report-checkpoint.ipynb").write_text("{}")
    (out / ".DS_Store").write_bytes(b"\0")
    report._check_target(out)
    empty = tmp_path / "opened"
    empty.mkdir()
    (empty / ".ipynb_checkpoints").mkdir()
    report._check_target(empty)
    new = tmp_path / "new"
    new.mkdir()
    (new / RECORD).write_text("new")
    report._move_into_place(new, out)  # the old report goes, with what Jupyter added to it
    assert only(out) == [RECORD] and only(tmp_path) == ["opened", "out"]


def test_unexpected_entries_are_named(tmp_path):
    out = earlier_report(tmp_path / "out")
    for name in ("notes.txt", "b.csv", "c.md", "d.png"):
        (out / name).write_text("mine")
    with pytest.raises(InputError, match=r"not an earlier report: b\.csv, c\.md, d\.png \(\+1 more\)"):
        report._check_target(out)
    other = tmp_path / "other"
    other.mkdir()
    (other / ".ipynb_checkpoints").mkdir()
    (other / ".ipynb_checkpoints" / "mine-checkpoint.ipynb").write_text("{}")  # a checkpoint of the reader's own
    with pytest.raises(InputError, match=r"not an earlier report: \.ipynb_checkpoints;"):
        report._check_target(other)


def test_render_writes_numpy_numbers_as_plain_yaml(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('config_file = ""\noverrides = {}\noutput_dir = ""',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import pathlib, yaml\n"
                                          "d = yaml.safe_load(open(config_file, encoding='utf-8'))\n"
                                          "pathlib.Path(output_dir, 'results.csv').write_text("
                                          "repr((d['foreign_born_share'], d['population'], overrides)))")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    stub = tmp_path / "stub.ipynb"
    nbformat.write(nb, stub)
    data = yaml.safe_load(BASE) | {"foreign_born_share": np.float64(0.2), "population": np.int64(50000)}
    out = report.render(data, tmp_path / "out", overrides={"draws": np.int64(300)}, notebook=stub)
    assert (out / "results.csv").read_text() == "(0.2, 50000, {'draws': 300})"
    assert json.loads((out / RECORD).read_text())["overrides"] == {"draws": 300}


def test_empty_out_is_an_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = write(tmp_path, BASE)
    for value in ("", "  "):
        assert report.main([str(cfg), "--out", value, "--draws", "100"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: --out: the output folder is empty"), err
    assert only(tmp_path) == ["city.yml"]  # no reports/city written
    with pytest.raises(InputError, match="--out"):
        report.render(cfg, "")

