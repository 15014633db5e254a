"""helpers.launch: the README's launch badges are generated from the one recorded repository address."""

from __future__ import annotations

import re
import shutil
import tomllib
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from helpers import launch
from helpers.errors import InputError
from helpers.paths import ROOT


@pytest.mark.parametrize("given", [
    "civic-lab/policing-notebooks", "https://github.com/civic-lab/policing-notebooks",
    "https://github.com/civic-lab/policing-notebooks.git", "git@github.com:civic-lab/policing-notebooks.git",
    "ssh://git@github.com/civic-lab/policing-notebooks.git", "https://github.com/civic-lab/policing-notebooks/",
    "  civic-lab/policing-notebooks\n",
])
def test_parse_repository_accepts_the_usual_spellings(given):
    assert launch.parse_repository(given) == ("civic-lab", "policing-notebooks")


@pytest.mark.parametrize("given", ["", "policing-notebooks", "a/b/c", "https://gitlab.com/a/b", "../x/y",
                                   "owner/na me", None, 42, "https://github.com/a/b?x=1"])
def test_parse_repository_rejects_anything_else_naming_the_field(given):
    with pytest.raises(InputError) as info:
        launch.parse_repository(given)
    text = str(info.value)
    assert "repository" in text and "OWNER/NAME" in text


def test_readme_block_matches_the_recorded_repository():
    assert launch.current_block() == launch.badge_block(launch.recorded_repository())


def _links(block: str) -> list[str]:
    return re.findall(r"\]\((https://[^)]+)\)", block)


def test_badges_launch_files_that_exist_and_name_the_repository():
    block = launch.badge_block(("civic-lab", "policing-notebooks"))
    links = _links(block)
    binder = [u for u in links if u.startswith("https://mybinder.org/v2/gh/civic-lab/policing-notebooks/HEAD")]
    assert len(binder) == 2
    for url in binder:
        target = unquote(parse_qs(urlparse(url).query)["urlpath"][0]).removeprefix("lab/tree/")
        assert (ROOT / target).exists(), target
    assert any(u.startswith("https://nbviewer.org/github/civic-lab/policing-notebooks/") for u in links)
    assert block.startswith(launch.START) and block.endswith(launch.END)
    assert _links(launch.badge_block(None)) == []  # no address yet: instructions, no dead badges


@pytest.fixture
def checkout(tmp_path):
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _recorded(root):
    with open(root / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"].get("urls", {}).get("Repository")


def test_record_writes_pyproject_and_readme_together(checkout):
    before = tomllib.loads((ROOT / "pyproject.toml").read_text())
    launch.record("https://github.com/civic-lab/policing-notebooks.git", root=checkout)
    assert _recorded(checkout) == "https://github.com/civic-lab/policing-notebooks"
    after = tomllib.loads((checkout / "pyproject.toml").read_text())
    after["project"].pop("urls")
    before["project"].pop("urls", None)
    assert after == before  # nothing else in pyproject.toml changed
    readme = (checkout / "README.md").read_text()
    assert launch.badge_block(("civic-lab", "policing-notebooks")) in readme
    assert readme.count(launch.START) == 1
    # a second address replaces the first, in both files
    launch.record("other-org/fork", root=checkout)
    assert _recorded(checkout) == "https://github.com/other-org/fork"
    readme = (checkout / "README.md").read_text()
    assert "civic-lab" not in readme and launch.badge_block(("other-org", "fork")) in readme
    assert list(checkout.glob(".*.tmp")) == []


def test_record_changes_nothing_on_bad_input(checkout):
    readme_before = (checkout / "README.md").read_text()
    pyproject_before = (checkout / "pyproject.toml").read_text()
    with pytest.raises(InputError, match="repository"):
        launch.record("not a repository", root=checkout)
    (checkout / "README.md").write_text(readme_before.replace(launch.END, ""))
    with pytest.raises(InputError, match="markers"):
        launch.record("civic-lab/policing-notebooks", root=checkout)
    assert (checkout / "pyproject.toml").read_text() == pyproject_before


def test_cli_check_and_errors(capsys):
    assert launch.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert launch.main(["https://example.org/x"]) == 2
    assert "repository" in capsys.readouterr().err


def test_record_keeps_other_project_urls(checkout):
    text = (checkout / "pyproject.toml").read_text()
    text = text.replace("[tool.setuptools]", '[project.urls]\nHomepage = "https://example.org"\n\n[tool.setuptools]')
    (checkout / "pyproject.toml").write_text(text)
    launch.record("civic-lab/policing-notebooks", root=checkout)
    with open(checkout / "pyproject.toml", "rb") as fh:
        urls = tomllib.load(fh)["project"]["urls"]
    assert urls == {"Homepage": "https://example.org",
                    "Repository": "https://github.com/civic-lab/policing-notebooks"}


def test_record_keeps_windows_line_ends(checkout):
    for name in ("README.md", "pyproject.toml"):
        path = checkout / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    launch.record("civic-lab/policing-notebooks", root=checkout)
    for name in ("README.md", "pyproject.toml"):
        raw = (checkout / name).read_bytes()
        assert raw.count(b"\n") == raw.count(b"\r\n"), name
    assert _recorded(checkout) == "https://github.com/civic-lab/policing-notebooks"
    assert launch.current_block(checkout / "README.md") == launch.badge_block(("civic-lab", "policing-notebooks"))


def test_cli_refuses_an_empty_repository_and_check_with_an_argument(capsys):
    assert launch.main([""]) == 2  # not silently replaced by the origin remote
    assert "repository" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        launch.main(["--check", "civic-lab/policing-notebooks"])
    assert info.value.code == 2 and "--check takes no repository" in capsys.readouterr().err
