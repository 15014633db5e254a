"""Edge cases of the report config and the report command: huge or mistyped numbers, values given on the
command line, hostile YAML, numpy numbers, empty values, names the chart font cannot draw, and output folders
that Jupyter has opened."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from helpers import config as cfgmod
from helpers import report
from helpers.errors import InputError

BASE = "name: Testville\nstate_regime: neutral\npopulation: 50000\nforeign_born_share: 0.2\n"


def write(tmp_path: Path, text: str, name: str = "city.yml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def with_line(line: str, base: str = BASE) -> str:
    """BASE with the line of the same key replaced by ``line`` (appended at the end)."""
    key = line.split(":")[0]
    return "".join(l + "\n" for l in base.splitlines() if not l.startswith(key + ":")) + line + "\n"


def message(tmp_path: Path, text: str, **kw) -> str:
    with pytest.raises(InputError) as err:
        cfgmod.load_config(write(tmp_path, text), **kw)
    return str(err.value)


def only(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


# --------------------------------------------------------------------------------------------- 1. huge population

@pytest.mark.parametrize("value, shown", [
    ("1" + "0" * 400, "a 401-digit number"),  # used to crash with OverflowError
    ("1.0e+300", "1e+300"),                    # used to be accepted as a 301-digit population
    ("100000001", "100000001"),
])
def test_population_has_a_realistic_upper_bound(tmp_path, value, shown):
    msg = message(tmp_path, with_line(f"population: {value}"))
    assert "line 4, field 'population'" in msg and f"{shown} is out of range" in msg
    assert "from 1 to 100,000,000 (larger than any municipality)" in msg
    assert len(msg) < 300  # the 401 digits are not printed


def test_largest_population_is_accepted_and_matches_the_model(tmp_path):
    from helpers import model

    assert cfgmod.POPULATION_MAX == model.MAX_POPULATION
    cfg = cfgmod.load_config(write(tmp_path, with_line("population: 100000000")))
    assert cfg.city.population == 100_000_000


def test_cli_huge_population_exit_2_one_line(tmp_path, capsys):
    cfg = write(tmp_path, with_line("population: 1" + "0" * 400))
    assert report.main([str(cfg), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "larger than any municipality" in err[0]
    assert only(tmp_path) == ["city.yml"]


# --------------------------------------------------------------------------------------------- 2. 180.000

@pytest.mark.parametrize("line, field, words", [
    ("population: 180.000", "population", "write 180000 (no separators)"),
    ("population: 1.250.000", "population", "write 1250000 (no separators"),  # YAML text, not a number
    ("population: 1.500", "population", "write 1500 (no separators)"),      # YAML reads 1.5
    ("population: '180.000'", "population", "write 180000 (no separators"),
    ("draws: 2.000", "draws", "write 2000 (no separators)"),
])
def test_whole_numbers_written_with_a_thousands_dot_are_refused(tmp_path, line, field, words):
    msg = message(tmp_path, with_line(line))
    assert f"field '{field}'" in msg and words in msg, msg


def test_decimal_point_check_keeps_plain_and_fractional_values(tmp_path):
    assert "(no separators)" in message(tmp_path, with_line("population: 180.000"))
    fractional = message(tmp_path, with_line("population: 50000.5"))  # the error it always had
    assert "50000.5 is not a whole number" in fractional and "round it to a whole number" in fractional
    cfg = cfgmod.load_config(write(tmp_path, BASE + "draws: 300\nseed: 0\n"))
    assert (cfg.city.population, cfg.draws, cfg.seed) == (50000, 300, 0)
    # a whole number with a plain decimal point is unambiguous: accepted, as a plain int
    cfg = cfgmod.load_config(write(tmp_path, BASE.replace("50000", "50000.0") + "draws: 300.0\nseed: 7.0\n"))
    assert (cfg.city.population, cfg.draws, cfg.seed) == (50000, 300, 7) and type(cfg.seed) is int
    # from Python (no source text) an integral float stays a valid whole number
    again = cfgmod.load_config(yaml.safe_load(BASE) | {"population": 50000.0, "draws": 300.0})
    assert again.city.population == 50000 and type(again.draws) is int


# --------------------------------------------------------------------------------------------- 3. decimal comma

@pytest.mark.parametrize("line, words", [
    ("foreign_born_share: 0,14", "write 0.14 (with a decimal point, not a comma"),
    ("foreign_born_share: 12,5", "write 12.5 (with a decimal point, not a comma"),
    ("foreign_born_share: 14,5%", "0.145 for 14,5%"),
    ("population: 180,000", "write 180000 (no separators"),
    ("population: 1,250,000", "write 1250000 (no separators"),
])
def test_decimal_comma_and_thousands_separators_get_the_right_hint(tmp_path, line, words):
    msg = message(tmp_path, with_line(line))
    assert words in msg, msg
    assert "e.g. 14 " not in msg and "e.g. 125 " not in msg


# --------------------------------------------------------------------------------------------- 4. command line

def test_values_from_the_command_line_are_attributed_to_it(tmp_path, capsys):
    cfg = write(tmp_path, BASE + "draws: 500\nseed: 4\n")
    assert report.main([str(cfg), "--out", str(tmp_path / "r"), "--draws", "50"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --draws (command line), field 'draws': 50 is out of range"), err
    assert "line 5" not in err and "city.yml" not in err
    with pytest.raises(InputError) as exc:
        cfgmod.load_config(cfg, overrides={"seed": -1})
    assert str(exc.value).startswith("--seed (command line), field 'seed'")
    # the same value written in the file is still located by its line
    assert "city.yml, line 5, field 'draws'" in message(tmp_path, BASE + "draws: 50\n")


# --------------------------------------------------------------------------------------------- 5. alias bombs

def alias_bomb(levels: int, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [6, 8])
def test_alias_bomb_is_refused_without_being_expanded(tmp_path, levels):
    text = alias_bomb(levels)
    assert len(text) < 500  # a few hundred bytes that expand to 9**levels values
    with pytest.raises(InputError, match=r"expands to more than 10,000 values \(through anchors"):
        cfgmod.read_yaml(write(tmp_path, text))
    # a few aliases in a small config still load
    cfg = cfgmod.load_config(write(tmp_path, BASE + "weights: {public_safety: &w 2, civil_liberties: *w}\n"))
    assert cfg.weights["public_safety"] == cfg.weights["civil_liberties"] == pytest.approx(0.5)


def test_anchor_that_refers_to_itself_is_refused(tmp_path):
    with pytest.raises(InputError, match="line 5: an anchor refers to itself"):
        cfgmod.read_yaml(write(tmp_path, BASE + "options: &a [*a]\n"))


def test_deep_nesting_and_unbuildable_values_give_one_message(tmp_path):
    deep = "options: " + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(InputError, match="nested too deeply"):
        cfgmod.read_yaml(write(tmp_path, BASE + deep))
    with pytest.raises(InputError, match=r"line 5: YAML value cannot be read \(month must be in 1..12\)"):
        cfgmod.read_yaml(write(tmp_path, BASE + "seed: 2024-13-45\n"))


# --------------------------------------------------------------------------------------------- 6. unhashable key

@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", BASE + "? {a: 1}\n: 2\n"])
def test_a_key_that_is_a_list_or_mapping_is_named_as_such(tmp_path, text):
    with pytest.raises(InputError) as err:
        cfgmod.read_yaml(write(tmp_path, text))
    msg = str(err.value)
    assert "a key is a list or a mapping, not a name" in msg and "plain name" in msg
    assert "tag" not in msg


# --------------------------------------------------------------------------------------------- 7. huge weights

def test_weights_whose_sum_overflows_are_rescaled_safely(tmp_path):
    from helpers import decision

    huge = cfgmod.load_config(write(tmp_path, BASE + "weights: {fiscal_exposure: 1.0e+308, public_safety: 1.0e+308}\n"))
    small = cfgmod.load_config(yaml.safe_load(BASE) | {"weights": {"fiscal_exposure": 1, "public_safety": 1}})
    assert huge.weights == small.weights
    assert huge.weights["fiscal_exposure"] == 0.5 and sum(huge.weights.values()) == 1
    table = report._weights_profile(huge.weights, decision.load_criteria(), "test")  # divided by zero before
    assert decision.profile_weights(report.CUSTOM_PROFILE, table).to_dict() == pytest.approx(huge.weights)


# --------------------------------------------------------------------------------------------- 8. glyphs

def test_drawable_replaces_only_what_the_font_lacks():
    from helpers import plots

    assert plots.drawable("Riverton (fictional): $1 & São Paulo – Zürich") == \
        "Riverton (fictional): $1 & São Paulo – Zürich"
    assert plots.drawable("東京 Tokyo", fontweight="bold") == "?? Tokyo"
    assert plots.drawable("🏙️ City") == "? City"  # the emoji's variation selector goes with it


@pytest.mark.parametrize("name", ["東京", "मुंबई", "🏙️ Smile City"])
def test_non_latin_names_draw_without_missing_glyphs(name):
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cfg = cfgmod.load_config(yaml.safe_load(BASE) | {"name": name, "draws": 100, "options": ["COND", "STRICT"]})
    a = report.analyse(cfg)
    fig = report.plot_outcomes(a)
    fig.savefig(io.BytesIO(), format="png")  # a missing glyph warns, and warnings are errors here
    assert fig.get_suptitle().startswith("?") and name not in fig.get_suptitle()
    plt.close(fig)

    class Stub:  # the HTML keeps the real name
        pass

    stub = Stub()
    stub.cfg = cfg
    assert name in report.title_html(stub)


# --------------------------------------------------------------------------------------------- 9. Jupyter folders

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


# --------------------------------------------------------------------------------------------- 10. numpy numbers

def test_numpy_numbers_are_accepted_and_become_plain(tmp_path):
    data = yaml.safe_load(BASE) | {"population": np.int64(50000), "foreign_born_share": np.float64(0.2),
                                   "draws": np.int32(300), "seed": np.uint32(5), "options": [np.str_("COND"), "FULL"],
                                   "weights": {"public_safety": np.float32(3), "local_control": np.int8(1)}}
    cfg = cfgmod.load_config(data)
    used = cfg.as_used()
    assert used["population"] == 50000 and type(used["population"]) is int
    assert type(used["foreign_born_share"]) is float and type(cfg.draws) is int and type(cfg.seed) is int
    assert all(type(w) is float for w in cfg.weights.values())
    yaml.safe_dump(used)  # refused numpy scalars before
    yaml.safe_dump(cfg.raw)
    with pytest.raises(InputError, match="not a number"):
        cfgmod.load_config(yaml.safe_load(BASE) | {"population": np.True_})


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


# --------------------------------------------------------------------------------------------- 11. empty values

def test_an_empty_value_is_not_called_missing(tmp_path):
    msg = message(tmp_path, BASE.replace("population: 50000", "population:"))
    assert "line 3, field 'population': the value is empty" in msg and "missing" not in msg
    assert "population: 180000" in msg


@pytest.mark.parametrize("text", ["", "# only a comment\n", "~\n"])
def test_an_empty_file_is_called_empty(tmp_path, text):
    msg = message(tmp_path, text)
    assert "the file is empty" in msg and "field 'name'" not in msg
    with pytest.raises(InputError, match="holds no keys"):
        cfgmod.load_config({})


# --------------------------------------------------------------------------------------------- 12. empty --out

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


def test_population_bound_is_the_models():
    from helpers import model

    assert cfgmod.POPULATION_MAX == model.MAX_POPULATION
