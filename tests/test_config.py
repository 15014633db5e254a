"""helpers.config: reading the YAML of a "your municipality" config, the declared model of its keys, the
messages a user gets for a bad config (file and line, field, value, what is allowed, the fix), the state and
regime rules, and values given from Python or the command line.

More bad values (one per key) are checked, through the same model, in tests/test_report.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml

from helpers import config as cfgmod
from helpers import legal, states
from helpers.errors import InputError

from _helpers import BASE, load, write


def with_line(line: str, base: str = BASE) -> str:
    """BASE with the line of the same key replaced by ``line`` (appended at the end, line 4 or 5)."""
    key = line.split(":")[0]
    return "".join(l + "\n" for l in base.splitlines() if not l.startswith(key + ":")) + line + "\n"


def message(tmp_path: Path, text: str, **kw) -> str:
    with pytest.raises(InputError) as err:
        cfgmod.load_config(write(tmp_path, text), **kw)
    return str(err.value)


def refused(**extra) -> InputError:
    with pytest.raises(InputError) as err:
        load(**extra)
    return err.value


# --------------------------------------------------------------------------------------------- YAML

def test_read_yaml_gives_the_line_of_top_level_and_nested_keys(tmp_path):
    data, lines = cfgmod.read_yaml(write(tmp_path, "# comment\n" + BASE + "weights:\n  public_safety: 2\n"))
    assert data["weights"] == {"public_safety": 2}
    assert lines == {"name": 2, "state_regime": 3, "population": 4, "foreign_born_share": 5, "weights": 6,
                     "weights.public_safety": 7}


def test_a_key_written_twice_is_refused_at_any_level(tmp_path):
    assert "line 5, field 'population': key repeats line 3" in message(tmp_path, BASE + "population: 6\n")
    msg = message(tmp_path, BASE + "weights:\n  public_safety: 1\n  public_safety: 2\n")
    assert "line 7, field 'weights.public_safety': key repeats line 6" in msg


def test_files_that_are_not_a_config(tmp_path):
    with pytest.raises(InputError, match="config file not found"):
        cfgmod.load_config(tmp_path / "nope.yml")
    with pytest.raises(InputError, match="is a folder, not a config file"):
        cfgmod.load_config(tmp_path)
    (tmp_path / "latin1.yml").write_bytes(BASE.replace("Testville", "S\xe3o Paulo").encode("latin-1"))
    with pytest.raises(InputError, match="is not UTF-8 text; fix: save the config as plain UTF-8 text"):
        cfgmod.load_config(tmp_path / "latin1.yml")
    for text in ("", "# only a comment\n", "~\n"):
        assert "the file is empty" in message(tmp_path, text)
    assert "the file holds a list, not 'key: value' lines" in message(tmp_path, "- a\n- b\n")


def test_yaml_errors_name_the_line_and_run_nothing(tmp_path):
    msg = message(tmp_path, BASE + "options: [FULL, COND\nseed: 3\n")
    assert "YAML syntax error" in msg and "fix: correct the line" in msg
    marker = tmp_path / "ran"
    msg = message(tmp_path, BASE + f"seed: !!python/object/apply:os.system ['touch {marker}']\n")
    assert "line 5: YAML value cannot be read" in msg and "tag" in msg and "remove any '!' tag" in msg
    assert not marker.exists()
    assert "YAML value cannot be read: month must be in 1..12" in message(tmp_path, BASE + "seed: 2024-13-45\n")


# --------------------------------------------------------------------------------------------- the model

def test_minimal_config_and_the_examples():
    cfg = cfgmod.load_config(yaml.safe_load(BASE))
    assert (cfg.name, cfg.state_regime, cfg.regime_from, cfg.state, cfg.county) == \
        ("Testville", "neutral", "config", None, None)
    assert (cfg.draws, cfg.seed, cfg.profile) == (cfgmod.DEFAULT_DRAWS, cfgmod.DEFAULT_SEED, None)
    assert cfg.weights == cfgmod.equal_weights() and sum(cfg.weights.values()) == pytest.approx(1)
    assert cfgmod.load_config().source == "data/examples/riverton-neutral.yml"  # None reads the default example
    supplied = [cfgmod.load_config(p).supplied for p in cfgmod.EXAMPLES.glob("*.yml")]
    named_only = [s for s in supplied if "state" in s and "state_regime" not in s]
    assert named_only, "at least one example should name only its state"
    readme = (cfgmod.EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert "| `state` |" in readme and "| `county` |" in readme and "unless state is given" in readme


def test_the_model_declares_every_key_a_config_may_hold():
    from helpers import model

    declared = list(cfgmod.schema().model_fields)
    assert sorted(declared) == sorted(cfgmod.allowed_keys())
    assert {f.name for f in dataclasses.fields(model.City)} <= set(declared)
    assert cfgmod.POPULATION_MAX == model.MAX_POPULATION
    assert cfgmod.load_config(yaml.safe_load(with_line("population: 100000000"))).city.population == 100_000_000


@pytest.mark.parametrize("text, words", [
    # unknown keys: a close match, or where the keys are listed
    (BASE + "populaton: 5\n", "line 5, field 'populaton': unknown key 'populaton'; allowed: name, "),
    (BASE + "xyzzy: 1\n", "fix: remove it; the keys a config may hold are listed in data/examples/README.md"),
    # a required key written without a value is empty, not missing
    (BASE.replace("population: 50000", "population:"), "line 3, field 'population': the value is empty"),
    # numbers: the value as written, the range, and a hint for numbers YAML read as text
    (with_line("population: 1" + "0" * 400), "line 4, field 'population': a 401-digit number is out of range"),
    (with_line("population: 1.0e+300"), "field 'population': 1e+300 is out of range; allowed: whole number "
                                        "from 1 to 100,000,000"),
    (with_line("population: 50000.5"), "50000.5 is not a whole number; allowed: whole number from 1 to "
                                       "100,000,000; fix: round it to a whole number"),
    (with_line("population: fifty thousand"), "'fifty thousand' is not a number"),
    (with_line("population: 1e6"), "fix: write it as a plain number without quotes, e.g. 1000000"),
    (with_line("foreign_born_share: 14%"), "fix: write shares as fractions without '%': 0.14 for 14%"),
    (with_line("foreign_born_share: 14"), "14 is out of range; allowed: 0 to 1 (0.14 for 14%); fix: shares are "
                                          "fractions: write 0.14 for 14 percent"),
    (BASE + "community_policing: 3\n", "field 'community_policing': 3 is out of range; allowed: 0 to 1; fix: use"),
    (BASE + "draws: 50\n", "line 5, field 'draws': 50 is out of range; allowed: whole number from 100 to 20,000"),
    # text, lists and mappings of the wrong kind
    (with_line("name: " + "x" * 130), "field 'name': name is 130 characters long; allowed: text, 1 to 120"),
    (BASE + "options: ''\n", "field 'options': '' is not a list of option codes"),
    (BASE + "options: strict, FULLL\n", "'FULLL' is not an option code; allowed: TFM, JEM, WSO, FULL, COND, "
                                        "NOTIFY, STRICT; fix: did you mean FULL?"),
    (BASE + "weights:\n  public_safety: 1\n  civil_libertys: 2\n", "line 7, field 'weights.civil_libertys': "
     "'civil_libertys' is not a criterion; allowed: public_safety, civil_liberties"),
    (BASE + "weights:\n  public_safety:\n", "line 6, field 'weights.public_safety': the value is empty"),
])
def test_a_bad_value_is_named_with_its_line_what_is_allowed_and_the_fix(tmp_path, text, words):
    assert words in message(tmp_path, text)


def test_whole_numbers_may_carry_a_decimal_point_and_numpy_numbers_become_plain():
    cfg = cfgmod.load_config(yaml.safe_load(BASE.replace("50000", "50000.0") + "draws: 300.0\nseed: 7.0\n"))
    assert (cfg.city.population, cfg.draws, cfg.seed) == (50000, 300, 7) and type(cfg.seed) is int
    data = yaml.safe_load(BASE) | {"population": np.int64(50000), "foreign_born_share": np.float64(0.2),
                                   "draws": np.int32(300), "seed": np.uint32(5), "options": [np.str_("COND"), "FULL"],
                                   "weights": {"public_safety": np.float32(3), "local_control": np.int8(1)}}
    cfg = cfgmod.load_config(data)
    used = cfg.as_used()
    assert used["population"] == 50000 and type(used["population"]) is int
    assert type(used["foreign_born_share"]) is float and type(cfg.draws) is int and type(cfg.seed) is int
    assert all(type(w) is float for w in cfg.weights.values()) and cfg.weights["public_safety"] == 0.75
    yaml.safe_dump(used)
    yaml.safe_dump(cfg.raw)
    with pytest.raises(InputError, match="field 'population': True is not a number"):
        cfgmod.load_config(yaml.safe_load(BASE) | {"population": np.True_})


def test_a_mapping_without_keys_asks_for_the_first_required_one():
    with pytest.raises(InputError, match="field 'name': required key is missing.*add a line 'name: Riverton"):
        cfgmod.load_config({})


def test_values_from_the_command_line_are_attributed_to_it(tmp_path):
    path = write(tmp_path, BASE + "draws: 500\nseed: 4\n")
    with pytest.raises(InputError) as err:
        cfgmod.load_config(path, overrides={"seed": -1})
    assert str(err.value).startswith("--seed (command line), field 'seed': -1 is out of range")
    assert cfgmod.load_config(path, overrides={"draws": np.int64(300)}).draws == 300
    # the same value written in the file is located by its line
    assert "city.yml, line 5, field 'draws'" in message(tmp_path, BASE + "draws: 50\n")


# --------------------------------------------------------------------------------------------- state and regime

def test_state_by_code_or_name_gives_its_regime():
    for given in ("OH", "oh", "Ohio", " ohio ", "OHIO"):
        cfg = load(state=given)
        assert cfg.state == "OH" and cfg.state_regime == "requires_cooperation", given
        assert cfg.regime_from == "state" and cfg.uses_state_rules and cfg.notes == ()
        assert "state_regime" in cfg.defaulted and "state" in cfg.supplied
    assert load(state="Washington DC").state == "DC" and load(state="District of Columbia").state == "DC"


def test_unknown_state_gets_did_you_mean_with_field_and_line(tmp_path):
    msg = message(tmp_path, "name: T\nstate: Pensylvania\npopulation: 5000\nforeign_born_share: 0.1\n")
    assert "line 2, field 'state': 'Pensylvania' is not a state code or name" in msg
    assert "did you mean Pennsylvania (PA)" in msg


def test_empty_or_non_text_state_is_named():
    assert refused(state=None, state_regime="neutral").field == "state"
    assert "the value is empty" in str(refused(state=None, state_regime="neutral"))
    for bad, words in ((42, "42 is not a state code or name"), ("", "'' is not a state code or name"),
                       (["OH"], "['OH'] is not a state code or name")):
        err = refused(state=bad, state_regime="neutral")
        assert err.field == "state" and words in str(err), str(err)


def test_neither_state_nor_regime_names_both_in_the_fix():
    msg = str(refused())
    assert "field 'state_regime': required key is missing" in msg and "state: OH" in msg
    assert "field 'state_regime': the value is empty" in str(refused(state_regime=None))


def test_agreeing_regime_changes_nothing_and_a_different_one_overrides_with_a_note():
    both, only = load(state="California", state_regime="limits_cooperation"), load(state="CA")
    assert both.state_regime == only.state_regime == "limits_cooperation"
    assert both.regime_from == only.regime_from == "state" and both.notes == ()
    assert both.open_options() == only.open_options() == states.feasible_options("CA")
    cfg = load(state="Massachusetts", state_regime="neutral")
    assert cfg.state_regime == "neutral" and cfg.regime_from == "override" and not cfg.uses_state_rules
    assert len(cfg.notes) == 1 and "overrides" in cfg.notes[0] and "Massachusetts" in cfg.notes[0]
    assert cfg.open_options() == legal.feasible_options("neutral")  # the type's rules, not the state's exceptions
    assert "did you mean 'limits_cooperation'" in str(refused(state="MA", state_regime="limit_cooperation"))


def test_options_all_closed_are_refused_naming_the_state_or_the_regime():
    msg = str(refused(state="New Mexico", options=["COND", "NOTIFY"]))
    assert "field 'options': none of the options COND, NOTIFY is open in New Mexico" in msg and "STRICT" in msg
    msg = str(refused(state_regime="limits_cooperation", options="tfm"))
    assert "none of the options TFM is open under the 'limits_cooperation' regime" in msg


def test_county_needs_a_state_and_text():
    assert "'county' is given without 'state'" in str(refused(state_regime="neutral", county="Harris"))
    assert "field 'county': 12 is not a county name" in str(refused(state="TX", county=12))
    assert load(state="TX", county="  Harris   County ").county == "Harris County"
