"""The Chromium the site tests drive: find it, or set it up (``make browser``, run by ``make test``).

``find_chromium()`` is the one lookup the tests use. It returns the first of these that is an executable
file, or ``None``:

1. ``$CHROMIUM`` when set (then nothing else is considered, so a wrong path is reported, not bypassed);
2. ``/usr/bin/chromium`` (Debian's ``chromium`` package);
3. ``chromium``, ``chromium-browser``, ``google-chrome`` or ``google-chrome-stable`` on ``PATH``;
4. the Chromium that ``python -m playwright install chromium`` downloaded, as playwright reports it.

``python -m helpers.browser`` prints the browser's path and version, or says exactly what is missing and
how to get it (exit status 1). With ``--install`` it first sets one up when none is found: Debian's
``chromium`` package through ``apt-get`` when running as root or with password-less ``sudo``, otherwise
playwright's own Chromium (a download into the user's cache; no administrator rights needed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DEBIAN_CHROMIUM = "/usr/bin/chromium"
PATH_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

HOW_TO_GET = (
    "The site tests drive a real Chromium and none was found. Any one of these provides it:\n"
    "  - Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n"
    "  - anywhere (no administrator rights): .venv/bin/python -m playwright install chromium\n"
    "  - a Chromium or Chrome you already have: export CHROMIUM=/path/to/the/browser\n"
    "`make browser` (run by `make test`) tries the first two itself."
)


def _executable(path: str | os.PathLike | None) -> str | None:
    if not path:
        return None
    found = shutil.which(str(path))
    if found:
        return found
    p = Path(path)
    return str(p) if p.is_file() and os.access(p, os.X_OK) else None


def playwright_chromium() -> str | None:
    """Path of the Chromium installed by ``python -m playwright install chromium``, when it is there."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # playwright is a test tool (the `test` extra), not a runtime dependency
        return None
    with sync_playwright() as pw:
        path = pw.chromium.executable_path
    return _executable(path)


def find_chromium() -> str | None:
    """The Chromium to drive: ``$CHROMIUM``, Debian's, one on ``PATH``, or playwright's; ``None`` if none."""
    if os.environ.get("CHROMIUM"):
        return _executable(os.environ["CHROMIUM"])
    for candidate in (DEBIAN_CHROMIUM, *PATH_NAMES):
        found = _executable(candidate)
        if found:
            return found
    return playwright_chromium()


def version(exe: str) -> str:
    """The browser's ``--version`` line; raises ``RuntimeError`` when it cannot start (e.g. missing libraries)."""
    try:
        proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(f"{exe} does not start: {exc}") from exc
    if proc.returncode != 0:
        raise RuntimeError(f"{exe} --version failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return proc.stdout.strip()


def _can_administer() -> list[str] | None:
    """The prefix that runs apt-get as root without asking for a password (``[]`` or ``['sudo', '-n']``)."""
    if shutil.which("apt-get") is None:
        return None
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        ok = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
        if ok:
            return ["sudo", "-n"]
    return None


def _run(cmd: list[str], env: dict[str, str] | None = None) -> bool:
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, env=env, check=False).returncode == 0


def install() -> None:
    """Set up a Chromium: Debian's package when apt-get may be run as root, else playwright's download."""
    prefix = _can_administer()
    if prefix is not None:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if _run([*prefix, "apt-get", "update", "-qq"], env) and \
                _run([*prefix, "apt-get", "install", "-y", "-qq", "chromium"], env):
            return
    try:
        import playwright  # noqa: F401
    except ImportError:
        return
    _run([sys.executable, "-m", "playwright", "install", "chromium"])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--install"]):
        print("usage: python -m helpers.browser [--install]", file=sys.stderr)
        return 2
    set_path = os.environ.get("CHROMIUM")
    exe = find_chromium()
    if exe is None and set_path:
        print(f"CHROMIUM={set_path} is not an executable file. Point CHROMIUM at the browser, "
              "or unset it to use Debian's chromium or playwright's.", file=sys.stderr)
        return 1
    if exe is None and args == ["--install"]:
        install()
        exe = find_chromium()
    if exe is None:
        print(HOW_TO_GET, file=sys.stderr)
        return 1
    try:
        print(f"browser: {exe} ({version(exe)})")
    except RuntimeError as exc:
        print(f"{exc}\nOn Linux, `sudo .venv/bin/python -m playwright install-deps chromium` installs the system "
              "libraries a downloaded Chromium needs; or install Debian's chromium package.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
