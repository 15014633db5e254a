"""The "your municipality" report: config checking, the command line, atomic output, offline HTML,
the run record, and the three example municipalities rendered end to end."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import config as cfgmod
from helpers import paths, report
from helpers.errors import InputError

EXAMPLES = sorted(cfgmod.EXAMPLES.glob("*.yml"))
FAST = {"draws": 200}  # modest draws keep the rendered examples fast; the config's own seed is kept


def write(tmp_path: Path, text: str, name: str = "city.yml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


BASE = "name: Testville\nstate_regime: neutral\npopulation: 50000\nforeign_born_share: 0.2\n"


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

def load(tmp_path: Path, extra: str = "", base: str = BASE) -> cfgmod.Config:
    return cfgmod.load_config(write(tmp_path, base + extra))


def test_minimal_config_takes_documented_defaults(tmp_path):
    cfg = load(tmp_path)
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
        load(tmp_path, typo)
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
        load(tmp_path, "profile: police_chief\nweights: {public_safety: 1}\n")


def test_weights_are_rescaled_and_missing_criteria_weigh_nothing(tmp_path):
    cfg = load(tmp_path, "weights:\n  public_safety: 3\n  community_trust: 1\n")
    assert cfg.weights["public_safety"] == pytest.approx(0.75)
    assert cfg.weights["community_trust"] == pytest.approx(0.25)
    assert sum(cfg.weights.values()) == pytest.approx(1)
    assert set(v for k, v in cfg.weights.items() if k not in ("public_safety", "community_trust")) == {0}
    assert "weights" in cfg.supplied and "profile" not in cfg.defaulted


def test_options_are_upper_cased_deduplicated_and_put_in_order(tmp_path):
    cfg = load(tmp_path, "options: [strict, full, FULL, cond]\nprofile: police_chief\n")
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
    cfg = load(tmp_path, "profile: police_chief\noptions: [COND, FULL]\n")
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
