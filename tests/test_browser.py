"""helpers.browser: which Chromium the site tests drive, and what `make browser` does when there is none.

Stand-in browsers are small shell scripts in a temporary folder; nothing here downloads or installs anything.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from helpers import browser

REAL_PLAYWRIGHT_LOOKUP = browser.playwright_chromium


def stub(path: Path, body: str = 'echo "Chromium 1.2.3 stub"') -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def no_browser(tmp_path, monkeypatch):
    """A machine with no Chromium: no $CHROMIUM, no Debian package, an empty PATH, no playwright download."""
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "DEBIAN_CHROMIUM", str(tmp_path / "absent" / "chromium"))
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    # Asking playwright starts its driver (about a second); the tests about playwright's browser ask it.
    monkeypatch.setattr(browser, "playwright_chromium", lambda: None)
    return tmp_path


@pytest.fixture
def ask_playwright(no_browser, monkeypatch):
    monkeypatch.setattr(browser, "playwright_chromium", REAL_PLAYWRIGHT_LOOKUP)
    return no_browser


def test_chromium_variable_wins_and_a_wrong_one_is_not_bypassed(no_browser, monkeypatch):
    debian = stub(no_browser / "debian" / "chromium")
    monkeypatch.setattr(browser, "DEBIAN_CHROMIUM", str(debian))
    mine = stub(no_browser / "mine" / "chrome")
    monkeypatch.setenv("CHROMIUM", str(mine))
    assert browser.find_chromium() == str(mine)
    monkeypatch.setenv("CHROMIUM", str(no_browser / "typo"))
    assert browser.find_chromium() is None
    monkeypatch.delenv("CHROMIUM")
    assert browser.find_chromium() == str(debian)


def test_a_browser_on_path_is_found(no_browser):
    exe = stub(no_browser / "bin" / "chromium-browser")
    assert browser.find_chromium() == str(exe)


def test_playwrights_own_chromium_is_found_where_playwright_says_it_is(ask_playwright):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        expected = Path(pw.chromium.executable_path)
    assert expected.is_relative_to(ask_playwright / "ms-playwright")
    assert browser.find_chromium() is None  # nothing anywhere, playwright's not downloaded yet
    stub(expected)
    assert browser.find_chromium() == str(expected)


def test_version_reads_the_browser_and_reports_one_that_cannot_start(tmp_path):
    assert browser.version(str(stub(tmp_path / "ok"))) == "Chromium 1.2.3 stub"
    broken = stub(tmp_path / "broken", 'echo "libnss3.so: cannot open shared object file" >&2; exit 127')
    with pytest.raises(RuntimeError, match="libnss3"):
        browser.version(str(broken))


def test_without_a_browser_main_says_what_is_missing_and_how_to_get_it(no_browser, capsys):
    assert browser.main([]) == 1
    err = capsys.readouterr().err
    assert "apt-get install -y chromium" in err and "playwright install chromium" in err and "CHROMIUM=" in err


def test_a_wrong_chromium_variable_is_named(no_browser, monkeypatch, capsys):
    monkeypatch.setenv("CHROMIUM", str(no_browser / "typo"))
    assert browser.main(["--install"]) == 1
    assert f"CHROMIUM={no_browser / 'typo'} is not an executable file" in capsys.readouterr().err


def test_install_tries_debians_package_then_playwrights_and_stops_with_the_advice(no_browser, monkeypatch, capsys):
    ran = []

    def fake_run(cmd, env=None):
        ran.append(cmd)
        return False  # every install fails (as it would offline)

    monkeypatch.setattr(browser, "_run", fake_run)
    monkeypatch.setattr(browser, "_can_administer", lambda: [])  # root on a Debian machine
    assert browser.main(["--install"]) == 1
    assert ran[0] == ["apt-get", "update", "-qq"]
    assert ran[-1][1:] == ["-m", "playwright", "install", "chromium"]
    assert "playwright install chromium" in capsys.readouterr().err


def test_install_without_administrator_rights_uses_playwright_and_then_finds_its_browser(ask_playwright, monkeypatch,
                                                                                         capsys):
    ran = []

    def fake_run(cmd, env=None):  # stands in for the download: put a browser where playwright keeps it
        ran.append(cmd)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            stub(Path(pw.chromium.executable_path))
        return True

    monkeypatch.setattr(browser, "_run", fake_run)
    monkeypatch.setattr(browser, "_can_administer", lambda: None)
    assert browser.main(["--install"]) == 0
    assert [cmd[1:] for cmd in ran] == [["-m", "playwright", "install", "chromium"]]
    assert "browser: " + str(ask_playwright / "ms-playwright") in capsys.readouterr().out


def test_found_browser_is_printed_with_its_version(no_browser, capsys):
    stub(no_browser / "bin" / "chromium")
    assert browser.main(["--install"]) == 0
    assert capsys.readouterr().out.strip() == f"browser: {no_browser / 'bin' / 'chromium'} (Chromium 1.2.3 stub)"


@pytest.mark.skipif(os.name != "posix", reason="administrator detection is for Debian-like systems")
def test_administrator_check_needs_apt_get(no_browser):
    assert browser._can_administer() is None  # PATH holds no apt-get
