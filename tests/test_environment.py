"""The pip path (requirements.in / requirements.txt / pyproject.toml) and the conda path (environment.yml)
list the same packages at the same versions, so the committed outputs reproduce from either."""

from __future__ import annotations

import re
import tomllib

import yaml

from helpers import paths


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_requirements() -> list[str]:
    names = []
    for line in (paths.ROOT / "requirements.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            names.append(norm(re.split(r"[<>=!~ \[]", line)[0]))
    return names


def lock() -> dict[str, str]:
    pins = {}
    for line in (paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: '{line}' is not pinned with =="
            pins[norm(name)] = version
    return pins


def conda_pip_pins() -> dict[str, str]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    pins = {}
    for item in pip_section:
        if item.startswith("-e"):
            continue
        name, _, version = item.partition("==")
        assert version, f"environment.yml: '{item}' is not pinned with =="
        pins[norm(name)] = version
    return pins


def test_every_direct_requirement_is_locked():
    pins = lock()
    missing = [n for n in direct_requirements() if n not in pins]
    assert not missing, f"not in requirements.txt: {missing}"


def test_environment_yml_matches_the_lock():
    pins, conda = lock(), conda_pip_pins()
    assert sorted(conda) == sorted(direct_requirements()), "environment.yml and requirements.in list different packages"
    drift = {n: (v, pins.get(n)) for n, v in conda.items() if pins.get(n) != v}
    assert not drift, f"environment.yml versions differ from requirements.txt: {drift}"


def test_environment_yml_python_matches_pyproject():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    minimum = project["requires-python"].removeprefix(">=")
    assert python.split("=")[-1].startswith(minimum)


def test_pyproject_dependencies_match_requirements_in():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = sorted(norm(re.split(r"[<>=!~ \[]", d)[0]) for d in project["dependencies"])
    assert names == sorted(direct_requirements())


def test_installed_versions_match_the_lock():
    from importlib.metadata import PackageNotFoundError, version

    pins = lock()
    wrong = {}
    for name in direct_requirements():
        try:
            got = version(name)
        except PackageNotFoundError:
            got = None
        if got != pins[name]:
            wrong[name] = (got, pins[name])
    assert not wrong, f"installed versions differ from requirements.txt (run `make install`): {wrong}"
