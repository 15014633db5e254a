"""Dependencies are declared honestly and pinned in one place.

pyproject.toml declares what the package needs: ``[project.dependencies]`` is what ``import helpers`` and
``python -m helpers ...`` need at run time; test, site and lab tools are optional extras. requirements.in
asks for the project with its extras; requirements.txt is the lock generated from it (``make lock``);
environment.yml (conda, Binder) installs that same lock through its pip section instead of repeating pins.
"""

from __future__ import annotations

import ast
import functools
import json
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, version

import yaml

from helpers import paths

PROJECT = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PROJECT_NAME = PROJECT["name"]

#: Tools that must never be pulled in by `pip install .` (they belong in an extra, or nowhere).
NOT_RUNTIME = {"pytest", "pytest-xdist", "nbval", "hypothesis", "playwright", "pymcdm", "coverage",
               "jupyter-book", "jupyterlab", "uv", "pip-tools"}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def req_name(requirement: str) -> str:
    return norm(re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0])


def runtime() -> set[str]:
    return {req_name(r) for r in PROJECT["dependencies"]}


def extras() -> dict[str, set[str]]:
    return {k: {req_name(r) for r in v} for k, v in PROJECT.get("optional-dependencies", {}).items()}


def lock() -> dict[str, tuple[str, set[str]]]:
    """requirements.txt as {name: (version, names it is required via)} (uv's ``# via`` annotations)."""
    pins: dict[str, tuple[str, set[str]]] = {}
    current = None
    for raw in (paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            current = None
            continue
        if line.startswith("#"):
            via = re.match(r"#\s*(?:via\s+)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*$", line)
            if current and raw.startswith("    ") and via and via.group(1) != "via":
                pins[current][1].add(norm(via.group(1)))
            continue
        name, sep, ver = line.partition("==")
        assert sep and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) and re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", ver), \
            f"requirements.txt: '{line}' is not an exact 'name==version' pin"
        current = norm(name)
        pins[current] = (ver, set())
    return pins


def environment() -> dict:
    return yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))


# --- declared dependencies --------------------------------------------------------------------------------

def test_pip_install_dot_pulls_no_test_or_site_tools():
    leaked = sorted(runtime() & NOT_RUNTIME)
    assert not leaked, f"[project.dependencies] holds tools users do not need at run time: {leaked}"
    for extra, names in extras().items():
        both = sorted(names & runtime())
        assert not both, f"extra '{extra}' repeats runtime dependencies: {both}"
    assert {"pytest", "nbval", "hypothesis", "playwright"} <= extras()["test"]
    assert "jupyter-book" in extras()["site"] and "jupyterlab" in extras()["lab"]


def _imports(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Top-level names imported anywhere in a module (also inside functions): (always, optional).

    An import inside ``try: ... except ImportError`` is optional: the code runs without it.
    """
    always, optional = set(), set()

    def visit(node, guarded):
        if isinstance(node, ast.Try):
            caught = {getattr(h.type, "id", None) for h in node.handlers} | {
                getattr(e, "id", None) for h in node.handlers if isinstance(h.type, ast.Tuple) for e in h.type.elts}
            inner = guarded or bool(caught & {"ImportError", "ModuleNotFoundError"})
            for child in node.body:
                visit(child, inner)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, guarded)
            return
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for n in names:
            (optional if guarded else always).add(n.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return always, optional


def third_party(names: set[str]) -> set[str]:
    return {n for n in names if n not in sys.stdlib_module_names and n not in {"helpers", "__future__"}}


@functools.cache
def _module_owners() -> dict[str, list[str]]:
    return packages_distributions()


def distributions(module: str) -> set[str]:
    dists = _module_owners().get(module)
    assert dists, f"no installed distribution provides the module '{module}'"
    return {norm(d) for d in dists}


def test_every_import_in_helpers_and_notebooks_is_declared():
    always, optional = set(), set()
    for path in sorted((paths.ROOT / "helpers").rglob("*.py")):
        a, o = _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        always |= a
        optional |= o
    # Notebooks run through `python -m helpers run` and `report`: what their code cells import is runtime too.
    for nb_path in paths.notebook_paths():
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                src = "".join(cell["source"])
                code = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%", "!")))
                always |= _imports(ast.parse(code))[0]
    all_extras = set().union(*extras().values())
    undeclared = {m: sorted(distributions(m)) for m in sorted(third_party(always))
                  if not distributions(m) & runtime()}
    assert not undeclared, f"imported at run time but not in [project.dependencies]: {undeclared}"
    undeclared = {m: sorted(distributions(m)) for m in sorted(third_party(optional - always))
                  if not distributions(m) & (runtime() | all_extras)}
    assert not undeclared, f"optional imports declared nowhere: {undeclared}"
    # The notebooks execute in the "python3" kernel, which ipykernel provides.
    assert "ipykernel" in runtime()


# --- the lock ---------------------------------------------------------------------------------------------

def test_requirements_in_asks_for_the_project_with_every_extra():
    lines = [ln.split("#")[0].strip() for ln in (paths.ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    assert len(lines) == 1, f"requirements.in should only name the project; pins belong in requirements.txt: {lines}"
    m = re.fullmatch(r"-e \.\[([a-z,]+)\]", lines[0])
    assert m, lines[0]
    assert sorted(m.group(1).split(",")) == sorted(extras())


def test_the_lock_is_generated_by_make_lock():
    text = (paths.ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert text.startswith("# This file was autogenerated by uv via the following command:\n#    make lock\n")
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lock:", makefile, re.M)
    assert "uv pip compile requirements.in --output-file requirements.txt" in makefile


def test_the_lock_holds_every_declared_dependency_and_nothing_stale():
    pins = lock()
    project = norm(PROJECT_NAME)
    declared = runtime() | set().union(*extras().values())
    missing = sorted(declared - set(pins))
    assert not missing, f"declared in pyproject.toml but not in requirements.txt (run `make lock`): {missing}"
    direct = sorted(n for n, (_, via) in pins.items() if project in via)
    assert direct == sorted(declared), "requirements.txt was locked from other dependencies than pyproject.toml " \
                                       "declares (run `make lock`)"
    # Every locked package is needed: follow the 'via' chains up to the project.
    needed, todo = set(), [project]
    while todo:
        parent = todo.pop()
        for name, (_, via) in pins.items():
            if parent in via and name not in needed:
                needed.add(name)
                todo.append(name)
    assert sorted(set(pins) - needed) == []


def test_installed_versions_match_the_lock():
    wrong = {}
    for name, (pinned, _) in lock().items():
        try:
            got = version(name)
        except PackageNotFoundError:
            got = None
        if got != pinned:
            wrong[name] = (got, pinned)
    assert not wrong, f"installed versions differ from requirements.txt (run `make install`): {wrong}"


# --- conda / Binder ---------------------------------------------------------------------------------------

def test_environment_yml_installs_the_lock_and_repeats_no_pins():
    deps = environment()["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert sorted(re.split(r"[=<> ]", d)[0] for d in conda) == ["pip", "python"], \
        f"conda should supply only Python and pip; everything else comes from the lock: {conda}"
    assert pip_sections == [["-r requirements.txt", "-e ."]]
    assert not (paths.ROOT / "postBuild").exists(), "environment.yml installs the project itself; postBuild would repeat it"


def test_environment_yml_python_agrees_with_pyproject_and_the_lock():
    python = next(d for d in environment()["dependencies"] if isinstance(d, str) and d.startswith("python"))
    minor = python.split("=", 1)[1]
    assert re.fullmatch(r"3\.\d+", minor), python
    assert PROJECT["requires-python"] == f">={minor}", "environment.yml and requires-python name different Pythons"
