"""The "your municipality" report: config checking, the command line, atomic output, offline HTML,
the run record, and the three example municipalities rendered end to end; for a checked config, the command
line's one-line errors, the state's lines (its rules, the county's 287(g) agreements, the "check before you
brief" list), names the chart font cannot draw, numpy numbers passed to the notebook, and output folders that
Jupyter has opened."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import config as cfgmod, plots
from helpers import agreements, legal, paths, report, states
from helpers.errors import InputError

from _helpers import BASE, load, only, write

EXAMPLES = sorted(cfgmod.EXAMPLES.glob("*.yml"))
FAST = {"draws": 200}  # modest draws keep the rendered examples fast; the config's own seed is kept
#: Examples whose report notebook the rendered-report tests execute: every example but the default one, which
#: notebook 09 itself runs under nbval.
RUN_NOTEBOOK = {p.stem for p in EXAMPLES if p != cfgmod.DEFAULT_EXAMPLE}


@pytest.fixture
def no_pdf(monkeypatch, tmp_path):
    """No Chromium: for tests of other parts of the report, which then skip printing brief.pdf."""
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))


# --------------------------------------------------------------------------------------------- YAML layer

def test_yaml_syntax_error_names_the_line(tmp_path):
    p = write(tmp_path, BASE + "options: [FULL, COND\nseed: 3\n")
    with pytest.raises(InputError, match=r"YAML syntax error") as err:
        cfgmod.read_yaml(p)
    line = int(re.search(r"line (\d+)", str(err.value)).group(1))
    assert line in (5, 6, 7)


@pytest.mark.parametrize("payload", [
    "seed: !!python/object/apply:os.system ['echo hacked']\n",
    "seed: !!python/name:os.system\n",
    "weights: !custom {a: 1}\n",
])
def test_unsafe_yaml_tags_are_refused_before_anything_runs(tmp_path, payload):
    marker = tmp_path / "ran"
    p = write(tmp_path, BASE + payload.replace("echo hacked", f"touch {marker}"))
    with pytest.raises(InputError, match="tag") as err:
        cfgmod.read_yaml(p)
    assert "line 5" in str(err.value)
    assert not marker.exists()


def test_duplicate_keys_are_refused(tmp_path):
    p = write(tmp_path, BASE + "population: 60000\n")
    with pytest.raises(InputError, match="repeats line 3"):
        cfgmod.read_yaml(p)


def test_missing_file_and_non_mapping(tmp_path):
    with pytest.raises(InputError, match="not found"):
        cfgmod.read_yaml(tmp_path / "nope.yml")
    with pytest.raises(InputError, match="list"):
        cfgmod.read_yaml(write(tmp_path, "- a\n- b\n"))


def test_read_yaml_reports_top_level_key_lines(tmp_path):
    data, lines = cfgmod.read_yaml(write(tmp_path, "# comment\n" + BASE))
    assert data["population"] == 50000
    assert lines == {"name": 2, "state_regime": 3, "population": 4, "foreign_born_share": 5}


# --------------------------------------------------------------------------------------------- config checks

def load_file(tmp_path: Path, extra: str = "", base: str = BASE) -> cfgmod.Config:
    """``base`` + ``extra`` written to a config file and loaded (``load`` from _helpers takes a mapping)."""
    return cfgmod.load_config(write(tmp_path, base + extra))


def test_minimal_config_takes_documented_defaults(tmp_path):
    cfg = load_file(tmp_path)
    assert cfg.name == "Testville" and cfg.state_regime == "neutral"
    assert cfg.city.population == 50000 and cfg.city.foreign_born_share == pytest.approx(0.2)
    assert cfg.supplied == cfgmod.REQUIRED_KEYS
    assert cfg.draws == cfgmod.DEFAULT_DRAWS and cfg.seed == cfgmod.DEFAULT_SEED
    assert "draws" in cfg.defaulted and "seed" in cfg.defaulted and "population" not in cfg.defaulted
    from helpers.options import OPTION_CODES

    assert cfg.options == OPTION_CODES
    # neither profile nor weights: every criterion weighs the same
    assert cfg.profile is None
    assert len(set(cfg.weights.values())) == 1 and sum(cfg.weights.values()) == pytest.approx(1)
    defaults = cfgmod.city_fields()
    for key, value in cfgmod.city_inputs(cfg.city).items():
        if key not in ("name", "population", "foreign_born_share"):
            assert value == defaults[key], key
            assert key in cfg.defaulted


@pytest.mark.parametrize("typo, suggestion", [
    ("populaton: 5\n", "population"),
    ("foreign_born: 0.1\n", "foreign_born_share"),
    ("draw: 300\n", "draws"),
    ("profil: police_chief\n", "profile"),
])
def test_unknown_key_is_named_with_close_matches(tmp_path, typo, suggestion):
    with pytest.raises(InputError) as err:
        load_file(tmp_path, typo)
    msg = str(err.value)
    assert typo.split(":")[0] in msg and f"'{suggestion}'" in msg and "line 5" in msg


@pytest.mark.parametrize("missing", cfgmod.REQUIRED_KEYS)
def test_missing_required_key(tmp_path, missing):
    text = "".join(line + "\n" for line in BASE.splitlines() if not line.startswith(missing + ":"))
    with pytest.raises(InputError, match=f"'{missing}'.*required key is missing"):
        cfgmod.load_config(write(tmp_path, text))


@pytest.mark.parametrize("line, field, words", [
    ("population: 0", "population", "out of range"),
    ("population: -5", "population", "out of range"),
    ("population: 12.5", "population", "not a whole number"),
    ("population: '50000'", "population", "without quotes"),
    ("population: 1e6", "population", "e.g. 1000000"),
    ("foreign_born_share: 14%", "foreign_born_share", "0.14 for 14%"),
    ("population: true", "population", "not a number"),
    ("foreign_born_share: 14", "foreign_born_share", "write 0.14 for 14 percent"),
    ("foreign_born_share: -0.1", "foreign_born_share", "out of range"),
    ("foreign_born_share: .nan", "foreign_born_share", "not a finite number"),
    ("state_regime: limit_cooperation", "state_regime", "did you mean 'limits_cooperation'"),
    ("name: ''", "name", "not a name"),
    ("draws: 5", "draws", "out of range"),
    ("seed: -1", "seed", "out of range"),
    ("seed: 1.5", "seed", "not a whole number"),
    ("options: [FULL, STRICTT]", "options", "did you mean STRICT"),
    ("options: []", "options", "not a list"),
    ("options: {FULL: 1}", "options", "not a list"),
    ("profile: police_cheif", "profile", "did you mean 'police_chief'"),
    ("weights: {public_safety: 1, trust: 2}", "weights.trust", "not a criterion"),
    ("weights: {public_safety: -1}", "weights.public_safety", "out of range"),
    ("weights: {public_safety: 0}", "weights", "all weights are zero"),
    ("weights: [1, 2]", "weights", "not a mapping"),
])
def test_bad_values_name_field_value_and_what_is_allowed(tmp_path, line, field, words):
    key = line.split(":")[0]
    text = "".join(l + "\n" for l in BASE.splitlines() if not l.startswith(key + ":")) + line + "\n"
    with pytest.raises(InputError) as err:
        cfgmod.load_config(write(tmp_path, text))
    msg = str(err.value)
    assert f"field '{field}'" in msg, msg
    assert words in msg, msg
    assert "allowed:" in msg or "fix:" in msg


def test_profile_and_weights_together_are_refused(tmp_path):
    with pytest.raises(InputError, match="both 'profile' and 'weights'"):
        load_file(tmp_path, "profile: police_chief\nweights: {public_safety: 1}\n")


def test_weights_are_rescaled_and_missing_criteria_weigh_nothing(tmp_path):
    from helpers import decision

    cfg = load_file(tmp_path, "weights:\n  public_safety: 3\n  federal_cooperation: 1\n")
    assert cfg.weights["public_safety"] == pytest.approx(0.75)
    assert cfg.weights["federal_cooperation"] == pytest.approx(0.25)
    assert sum(cfg.weights.values()) == pytest.approx(1)
    assert set(v for k, v in cfg.weights.items() if k not in ("public_safety", "federal_cooperation")) == {0}
    assert set(cfg.weights) == set(decision.load_criteria().index)
    assert "weights" in cfg.supplied and "profile" not in cfg.defaulted


def test_options_are_upper_cased_deduplicated_and_put_in_order(tmp_path):
    cfg = load_file(tmp_path, "options: [strict, full, FULL, cond]\nprofile: police_chief\n")
    assert cfg.options == ("FULL", "COND", "STRICT")
    assert cfg.profile == "police_chief" and cfg.weights is None


def test_overrides_and_mappings(tmp_path):
    cfg = cfgmod.load_config(write(tmp_path, BASE), overrides={"draws": 300, "seed": 9})
    assert (cfg.draws, cfg.seed) == (300, 9) and "draws" in cfg.supplied
    same = cfgmod.load_config(yaml.safe_load(BASE), overrides={"draws": 300, "seed": 9})
    assert same.as_used() == cfg.as_used()
    with pytest.raises(InputError, match="draws"):
        cfgmod.load_config(yaml.safe_load(BASE), overrides={"draws": 10})


def test_as_used_round_trips_through_yaml(tmp_path):
    cfg = load_file(tmp_path, "profile: police_chief\noptions: [COND, FULL]\n")
    used = cfg.as_used()
    again = cfgmod.load_config({k: v for k, v in used.items() if v is not None and k != "weights"})
    assert again.as_used() == used


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_valid_and_fictional(path):
    cfg = cfgmod.load_config(path)
    assert "fictional" in cfg.name.lower()
    assert "FICTIONAL" in path.read_text(encoding="utf-8")


def test_examples_cover_every_regime():
    regimes = {cfgmod.load_config(p).state_regime for p in EXAMPLES}
    assert regimes == set(cfgmod.regimes())
    assert cfgmod.DEFAULT_EXAMPLE in EXAMPLES


# --------------------------------------------------------------------------------------------- analysis (no kernel)

@pytest.fixture(scope="module")
def lakeshore():
    cfg = cfgmod.load_config(cfgmod.EXAMPLES / "lakeshore-limits.yml", overrides=FAST)
    return cfg, report.analyse(cfg)


def test_analysis_keeps_only_options_the_regime_allows(lakeshore):
    from helpers import legal

    cfg, a = lakeshore
    allowed = legal.feasible_options(cfg.state_regime)
    assert a.open_options == [o for o in cfg.options if o in allowed]
    assert set(a.open_options) < set(cfg.options)  # the example compares some closed options on purpose
    assert list(a.acceptability.index) == a.open_options
    assert a.acceptability.sum(axis=1).to_numpy() == pytest.approx(1.0)
    assert a.acceptability.sum(axis=0).to_numpy() == pytest.approx(1.0)
    table = report.legal_table(a)
    for o in cfg.options:
        assert table.loc[o, "status under state law"] == legal.compliance_matrix().loc[o, cfg.state_regime]
        assert (table.loc[o, "levers in conflict"] == "none") == (o in a.open_options)


def test_config_weights_are_used_exactly(lakeshore):
    from helpers import decision

    cfg, a = lakeshore
    assert a.profile_id == report.CUSTOM_PROFILE and not a.uncertain_weights
    w = decision.profile_weights(a.profile_id, a.profiles)
    assert w.to_dict() == pytest.approx(cfg.weights)
    # by hand: the example gives 3 + 2 + 2 + 2 + 1 + 1 + 1 = 12 points
    assert w["public_safety"] == pytest.approx(3 / 12)
    assert w["civil_liberties"] == w["removals_never_convicted"] == w["fiscal_exposure"] == pytest.approx(2 / 12)
    assert w["federal_cooperation"] == w["removals_convicted"] == w["local_control"] == pytest.approx(1 / 12)


@pytest.mark.parametrize("weights", [
    {"public_safety": 1},
    {"public_safety": 2, "civil_liberties": 2, "federal_cooperation": 1},
    {"fiscal_exposure": 0.3, "civil_liberties": 0.1, "removals_convicted": 0.6},
    {"removals_convicted": 1, "removals_never_convicted": 1, "local_control": 2},
])
def test_weights_profile_round_trips(weights):
    from helpers import decision

    full = cfgmod.load_config(yaml.safe_load(BASE) | {"weights": weights}).weights
    table = report._weights_profile(full, decision.load_criteria(), "test")
    assert decision.profile_weights(report.CUSTOM_PROFILE, table).to_dict() == pytest.approx(full)
    groups = decision.ranking_groups(report.CUSTOM_PROFILE, table)
    flat = [full[c] for g in groups for c in g]
    assert flat == sorted(flat, reverse=True)


def test_profile_weights_come_from_the_profile(tmp_path):
    from helpers import decision

    cfg = load_file(tmp_path, "profile: city_attorney\ndraws: 200\noptions: [FULL, COND, STRICT]\n")
    a = report.analyse(cfg)
    assert a.uncertain_weights and a.profile_id == "city_attorney"
    assert a.weights.to_dict() == pytest.approx(decision.profile_weights("city_attorney").to_dict())
    assert any("City attorney" in c for c in a.cruxes)


def test_results_table_matches_an_independent_run(lakeshore):
    from helpers import model

    cfg, a = lakeshore
    res = report.results_table(a)
    assert len(res) == len(cfg.options) * len(model.OUTCOMES)
    assert (res["p05"] <= res["median"]).all() and (res["median"] <= res["p95"]).all()
    again = model.simulate(cfg.draws, cfg.seed, options=list(cfg.options), city=cfg.city)
    check = again[(again["option"] == "STRICT") & (again["outcome"] == "victimizations")]["value"]
    row = res[(res["option"] == "STRICT") & (res["outcome"] == "victimizations")].iloc[0]
    assert row["median"] == pytest.approx(check.median())
    assert row["p05"] == pytest.approx(check.quantile(0.05))
    closed = res[~res["option"].isin(a.open_options)]
    assert closed["share_ranked_first"].isna().all() and (closed["legal_status"] == "infeasible").all()


def test_headlines_name_open_options_and_the_leader(lakeshore):
    cfg, a = lakeshore
    h = report.headlines(a)
    assert len(h) == 4
    assert h.iloc[0]["value"].startswith(f"{len(a.open_options)} of the {len(cfg.options)} compared")
    top = a.ranking.loc[0, "option"]
    assert h.iloc[1]["value"].startswith(top)
    assert f"{100 * a.acceptability.loc[top, '1st']:.0f}% of draws" in h.iloc[1]["value"]


def test_inputs_table_marks_supplied_and_defaulted(lakeshore):
    cfg, a = lakeshore
    t = report.inputs_table(cfg)
    assert list(t.index) == list(cfg.as_used())
    for key in cfg.supplied:
        assert t.loc[key, "supplied or default"] == "supplied"
    assert t.loc["officers_per_1000", "provenance"] == "REAL"
    assert "Source:" in t.loc["officers_per_1000", "basis"]
    assert t.loc["undocumented_share", "provenance"] == "ILLUSTRATIVE"


def test_title_escapes_html():
    cfg = cfgmod.load_config(yaml.safe_load(BASE) | {"name": '<script>alert("x")</script> & Sons'})

    class Stub:  # only the config is read by title_html
        pass

    stub = Stub()
    stub.cfg = cfg
    text = report.title_html(stub)
    assert "<script>" not in text and "&lt;script&gt;" in text and "&amp; Sons" in text


# --------------------------------------------------------------------------------------------- output plumbing

def test_check_target_protects_other_files(tmp_path):
    report._check_target(tmp_path / "new")
    report._check_target(tmp_path)  # empty folder
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not an earlier report"):
        report._check_target(tmp_path)
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    for name in report.OUTPUT_FILES:
        (earlier / name).write_text("x")
    report._check_target(earlier)
    older = tmp_path / "older"  # a report from before the brief: report.html instead of brief.html
    older.mkdir()
    for name in ("report.ipynb", "report.html", "results.csv", "run_record.json"):
        (older / name).write_text("x")
    report._check_target(older)
    with pytest.raises(InputError, match="not a folder"):
        report._check_target(tmp_path / "notes.txt")


def test_move_into_place_replaces_an_earlier_report(tmp_path):
    out, new = tmp_path / "out", tmp_path / "new"
    out.mkdir()
    (out / "run_record.json").write_text("old")
    new.mkdir()
    (new / "run_record.json").write_text("new")
    report._move_into_place(new, out)
    assert (out / "run_record.json").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_notebook_errors_map_to_exit_codes():
    class Err(Exception):
        def __init__(self, ename, evalue):
            super().__init__(evalue)
            self.ename, self.evalue, self.exec_count = ename, evalue, 4

    assert report._notebook_error(Err("InputError", "city: bad"))[0] == 2
    code, msg = report._notebook_error(Err("ZeroDivisionError", "division by zero"))
    assert code == 1 and "cell 4" in msg and "ZeroDivisionError" in msg


@pytest.mark.parametrize("text, words", [
    (BASE + "populaton: 5\n", "did you mean 'population'"),
    (BASE.replace("50000", "fifty thousand"), "not a number"),
    (BASE + "options: [FULL, COND\n", "YAML syntax error"),
    (BASE + "seed: !!python/object/apply:os.getcwd []\n", "tag"),
    (BASE + "options: [FULL, XYZ]\n", "'XYZ' is not an option code"),
    (BASE + "profile: sheriff\n", "not a stakeholder profile"),
    (BASE.replace("neutral", "limits_cooperation") + "options: [TFM]\n", "none of the options"),
])
def test_cli_bad_input_exit_2_one_message_nothing_written(tmp_path, capsys, text, words):
    cfg = write(tmp_path, text)
    out = tmp_path / "deeper" / "report"
    code = report.main([str(cfg), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], captured.err
    assert only(tmp_path) == ["city.yml"]  # no output folder, no parent, no temporary folder


def test_cli_missing_config_and_bad_overrides(tmp_path, capsys):
    assert report.main([str(tmp_path / "nope.yml"), "--out", str(tmp_path / "r")]) == 2
    assert "config file not found" in capsys.readouterr().err
    cfg = write(tmp_path, BASE)
    assert report.main([str(cfg), "--out", str(tmp_path / "r"), "--draws", "3"]) == 2
    assert "field 'draws'" in capsys.readouterr().err
    assert only(tmp_path) == ["city.yml"]


def test_cli_refuses_a_folder_of_other_files(tmp_path, capsys):
    cfg = write(tmp_path, BASE)
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    assert report.main([str(cfg), "--out", str(target)]) == 2
    assert "not an earlier report" in capsys.readouterr().err
    assert only(target) == ["notes.txt"] and only(tmp_path) == ["city.yml", "mine"]


def _stub_report_notebook(path, code: str):
    """A stand-in for notebook 09: the report's parameters cell, then one cell of ``code``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('config_file = ""\noverrides = {}\noutput_dir = ""',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_failing_notebook_leaves_nothing_behind(tmp_path, no_pdf):
    from papermill.exceptions import PapermillExecutionError

    broken = _stub_report_notebook(tmp_path / "broken.ipynb", "raise ZeroDivisionError('boom')")
    cfg = write(tmp_path, BASE + "draws: 150\n")
    with pytest.raises(PapermillExecutionError, match="boom"):
        report.render(cfg, tmp_path / "a" / "out", notebook=broken)
    assert only(tmp_path) == ["broken.ipynb", "city.yml"]


def test_the_notebook_kernel_keeps_the_terminal_quiet(tmp_path, capfd):
    """The kernel's start-up warnings stay off the terminal; what a cell prints still reaches the notebook."""
    import nbformat

    stub = _stub_report_notebook(tmp_path / "stub.ipynb",
                                 "import sys\nprint('to stdout')\nprint('to stderr', file=sys.stderr)")
    report.execute(None, {}, tmp_path / "out.ipynb", tmp_path, notebook=stub)
    captured = capfd.readouterr()  # file descriptors 1 and 2, which the kernel process inherits
    assert captured.out == "" and captured.err == "", captured
    outputs = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[-1].outputs
    assert [(o["name"], o["text"]) for o in outputs] == [("stdout", "to stdout\n"), ("stderr", "to stderr\n")]


# --------------------------------------------------------------------------------------------- rendered reports

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each example rendered once (modest draws), plus a mapping config whose name needs escaping. The report
    notebook is executed for the examples notebook 09 does not already run (nbval runs it on the default one)."""
    base = tmp_path_factory.mktemp("reports")
    out = {}
    for path in EXAMPLES:
        out[path.stem] = report.render(path, base / path.stem, overrides=FAST, run_notebook=path.stem in RUN_NOTEBOOK)
    nasty = yaml.safe_load(cfgmod.DEFAULT_EXAMPLE.read_text(encoding="utf-8"))
    nasty["name"] = '<script>alert("x")</script> & "Sons" <b>'
    with pytest.MonkeyPatch.context() as mp:  # its HTML is what matters: no Chromium, so no PDF is printed
        mp.setenv("CHROMIUM", str(base / "no-chromium"))
        out["nasty"] = report.render(nasty, base / "nasty", overrides={"draws": 150, "seed": 3}, run_notebook=False)
    return base, out


@pytest.mark.slow
@pytest.mark.parametrize("stem", [p.stem for p in EXAMPLES])
def test_example_renders_all_outputs(rendered, stem):
    base, out = rendered
    folder = out[stem]
    assert only(folder) == sorted(report.OUTPUT_FILES)
    assert not [p for p in base.iterdir() if p.name.startswith(".")], "a temporary folder was left behind"
    cfg = cfgmod.load_config(cfgmod.EXAMPLES / f"{stem}.yml", overrides=FAST)
    from helpers import legal, model

    res = pd.read_csv(folder / "results.csv")
    assert list(res["option"].unique()) == list(cfg.options)
    assert len(res) == len(cfg.options) * len(model.OUTCOMES)
    assert (res["draws"] == 200).all() and (res["seed"] == cfg.seed).all()
    status = legal.compliance_matrix()[cfg.state_regime]
    assert (res["legal_status"] == res["option"].map(status)).all()
    firsts = res.drop_duplicates("option").set_index("option")["share_ranked_first"].dropna()
    assert firsts.sum() == pytest.approx(1.0)

    record = json.loads((folder / "run_record.json").read_text(encoding="utf-8"))
    assert record["seed"] == cfg.seed and record["draws"] == 200
    assert record["inputs_as_used"] == json.loads(json.dumps(cfg.as_used()))
    assert "draws" in record["inputs_supplied"] and "undocumented_share" in record["inputs_defaulted"]
    assert record["overrides"] == FAST
    for rel, digest in record["data_files_sha256"].items():
        assert report._sha256(paths.ROOT / rel) == digest
    assert {"numpy", "pandas", "papermill", "python"} <= set(record["packages"])

    assert record["outputs"] == list(report.OUTPUT_FILES) and "pdf_not_printed" not in record
    ran = stem in RUN_NOTEBOOK
    assert record["notebook_run"] is ran
    assert set(record["seconds_by_part"]) == {"brief", "pdf"} | ({"notebook"} if ran else set())

    page = (folder / "brief.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert page.count('src="data:image/svg+xml;base64,') == 1
    assert report.LEGAL_NOTICE in page
    assert cfg.name in page and "The strongest case for and against each open option" in page
    # the brief's numbers are results.csv's, as printed
    from helpers import brief

    names = brief._names()
    for o in [o for o in cfg.options if status[o] != "infeasible"]:
        row = res[(res["option"] == o) & (res["outcome"] == "removals_no_conviction")].iloc[0]
        assert (f"<strong>{brief.number(row['median'], 'count')}</strong>"
                f"<span class=\"range\">{brief.span(row['p05'], row['p95'], 'count', compact=True)}</span>") in page
        assert names[o] in page
    assert (folder / "brief.pdf").read_bytes().startswith(b"%PDF")

    import nbformat

    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "draws" in injected[0].source
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    assert bool(outputs) is ran  # executed, or left ready to run


@pytest.mark.slow
def test_city_name_is_escaped_in_the_html(rendered):
    _, out = rendered
    page = (out["nasty"] / "brief.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Sons&#34; &lt;b&gt;" in page


def test_examples_readme_is_up_to_date():
    readme = (cfgmod.EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert readme == cfgmod.examples_readme(), "regenerate with config.write_examples_readme()"
    for key in cfgmod.allowed_keys():
        assert f"| `{key}` |" in readme
    for path in EXAMPLES:
        assert f"`{path.name}`" in readme


@pytest.mark.parametrize("extra", [
    {"state_regime": "limits_cooperation", "options": ["COND", "FULL"]},
    {"options": ["STRICT"], "profile": "budget_office"},
])
def test_one_open_option_still_gives_a_whole_report(extra):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cfg = cfgmod.load_config(yaml.safe_load(BASE) | extra | {"draws": 150})
    a = report.analyse(cfg)
    assert len(a.open_options) == 1 and a.cruxes == [] and report.tornado_table(a) is None
    assert a.acceptability.loc[a.open_options[0], "1st"] == pytest.approx(1.0)
    assert "the only open option" in report.headlines(a).iloc[1]["value"]
    assert any("Only one option is open" in c for c in report.caveats(a))
    for fig in (plots.plot_report_outcomes(a), plots.plot_report_acceptability(a)):
        plt.close(fig)
    assert report.outcomes_table(a).shape[1] == len(cfg.options)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(population=st.integers(1, 10**8), share=st.floats(0, 1), draws=st.integers(*cfgmod.DRAWS_RANGE),
       seed=st.integers(0, 2**32 - 1), regime=st.sampled_from(["requires_cooperation", "limits_cooperation",
                                                                "neutral"]))
def test_any_valid_config_is_accepted_as_given(population, share, draws, seed, regime):
    data = {"name": "P", "state_regime": regime, "population": population, "foreign_born_share": share,
            "undocumented_share": share / 2, "community_share": (1 - share) / 2, "draws": draws, "seed": seed}
    cfg = cfgmod.load_config(data)
    used = cfg.as_used()
    for key, value in data.items():
        assert used[key] == pytest.approx(value) if isinstance(value, float) else used[key] == value


@settings(max_examples=20, deadline=None)
@given(population=st.one_of(st.integers(max_value=0), st.floats(allow_nan=True), st.text(max_size=5),
                            st.booleans(), st.none()),
       share=st.one_of(st.floats().filter(lambda x: not 0 <= x <= 1), st.text(max_size=3)))
def test_bad_population_or_share_is_named(population, share):
    for field, value in (("population", population), ("foreign_born_share", share)):
        data = {"name": "P", "state_regime": "neutral", "population": 1000, "foreign_born_share": 0.1,
                field: value}
        if field == "population" and isinstance(value, float) and value.is_integer() and value > 0:
            continue  # an integral float such as 1000.0 is a valid whole number
        with pytest.raises(InputError) as err:
            cfgmod.load_config(data)
        assert f"'{field}'" in str(err.value)


@pytest.mark.slow
def test_brief_is_a_document_not_the_teaching_notebook(rendered):
    _, out = rendered
    page = (out["riverton-neutral"] / "brief.html").read_text(encoding="utf-8")
    assert not re.search(r'href="[^"]*\.ipynb', page)
    for teaching in ("You will learn", "This notebook", "Discuss", "Previous:", "Next:", "python -m helpers",
                     "<pre", "<code", "\u2026"):
        assert teaching not in page, teaching
    nb = json.loads((out["riverton-neutral"] / "report.ipynb").read_text(encoding="utf-8"))
    assert "Previous: What would change the answer" in json.dumps(nb)  # the executed notebook stays the teaching one


def test_a_mapping_config_is_kept_beside_a_notebook_that_is_not_run(tmp_path, no_pdf):
    data = yaml.safe_load(BASE) | {"draws": 120, "options": ["COND", "STRICT"]}
    out = report.render(data, tmp_path / "out", run_notebook=False)
    assert "config.yml" in only(out) and yaml.safe_load((out / "config.yml").read_text(encoding="utf-8")) == data
    nb = json.loads((out / "report.ipynb").read_text(encoding="utf-8"))
    assert str(out / "config.yml") in json.dumps(nb)
    report._check_target(out)  # and the folder is still an earlier report for the next run


def test_missing_chromium_writes_everything_else_and_says_how(tmp_path, monkeypatch, capsys):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('config_file = ""\noverrides = {}\noutput_dir = ""',
                                          metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    stub = tmp_path / "stub.ipynb"
    nbformat.write(nb, stub)
    monkeypatch.setattr(report, "NOTEBOOK", stub)
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    cfg = write(tmp_path, BASE + "draws: 150\noptions: [COND, STRICT]\n")
    assert report.main([str(cfg), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "note: brief.pdf was not printed" in captured.err and "apt-get install -y chromium" in captured.err
    assert "brief.pdf" not in captured.out and "brief.html" in captured.out
    assert only(tmp_path / "out") == sorted(set(report.OUTPUT_FILES) - {"brief.pdf"})
    record = json.loads((tmp_path / "out" / report.RECORD_NAME).read_text(encoding="utf-8"))
    assert "no-chromium is not an executable file" in record["pdf_not_printed"]
    assert "brief.pdf" not in record["outputs"]
    res = pd.read_csv(tmp_path / "out" / "results.csv")  # the report's own (the notebook was not run)
    assert set(res["option"]) == {"COND", "STRICT"}
    assert record["notebook_run"] is False and "ready to run" in captured.out
    nb = json.loads((tmp_path / "out" / "report.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and str(cfg) in "".join(injected[0]["source"])
    assert not any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    # a second run replaces the first (a folder without brief.pdf is still an earlier report)
    monkeypatch.delenv("CHROMIUM")
    assert report.main([str(cfg), "--out", str(tmp_path / "out")]) == 0
    assert only(tmp_path / "out") == sorted(report.OUTPUT_FILES)


def test_sources_table_lists_defaults_and_model_sources(tmp_path):
    from helpers.data import load_table

    cfg = load_file(tmp_path)
    table = report.sources_table(cfg)
    assert "bjs-full-time-employees-in-law" in table.index  # officers_per_1000 took its REAL default
    assert table["url"].str.startswith("http").all()
    registry = set(load_table("sources")["source_id"])
    assert set(table.index) <= registry
    given = load_file(tmp_path, "officers_per_1000: 1.5\n")
    if "bjs-full-time-employees-in-law" not in report._model_sources():
        assert "bjs-full-time-employees-in-law" not in report.sources_table(given).index


def test_a_default_that_clashes_with_given_values_is_explained(tmp_path):
    with pytest.raises(InputError) as err:
        load_file(tmp_path, base=BASE.replace("0.2", "0.01"))
    msg = str(err.value)
    assert "'undocumented_share'" in msg and "took its default" in msg
    cfg = load_file(tmp_path, "undocumented_share: 0.005\n", base=BASE.replace("0.2", "0.01"))
    assert cfg.city.undocumented_share == pytest.approx(0.005)


def test_options_may_be_one_comma_separated_string(tmp_path):
    assert load_file(tmp_path, "options: strict, FULL\n").options == ("FULL", "STRICT")


def test_dollar_signs_in_a_name_do_not_break_the_chart():
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cfg = cfgmod.load_config(yaml.safe_load(BASE) | {"name": r"Fort $1 \notacommand $2", "draws": 100,
                                                      "options": ["COND", "STRICT"]})
    fig = plots.plot_report_outcomes(report.analyse(cfg))
    fig.savefig(io.BytesIO(), format="png")  # math mode would raise on the unknown command between two '$'
    assert r"Fort \$1 \notacommand \$2" in fig.get_suptitle()
    plt.close(fig)


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


def test_render_writes_numpy_numbers_as_plain_yaml(tmp_path, no_pdf):
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
