"""The "your municipality" report: one config file in, a sourced and uncertainty-aware brief out.

``python -m helpers report CONFIG.yml --out DIR`` (or ``make report CONFIG=...``) checks the config
(:mod:`helpers.config`), executes ``notebooks/09-your-municipality.ipynb`` with papermill (the config is
injected after the cell tagged ``parameters``), and writes into ``DIR``:

- ``report.ipynb``   the executed notebook;
- ``report.html``    the same, self-contained (figures embedded, no script or stylesheet fetched from the
                     network, code hidden) so it reads offline;
- ``results.csv``    options x outcomes with median and 5-95 % range, plus legal feasibility;
- ``run_record.json`` seed, draws, package versions, data file hashes, the inputs as used and which
                     inputs were supplied or defaulted.

Everything is written into a temporary folder beside ``DIR`` and moved into place only when all four
files exist; on bad input the command exits with code 2, prints one message on stderr and writes nothing.

The analysis itself (:func:`analyse`) is plain Python the notebook calls, so it is tested without a kernel.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import paths
from helpers.config import Config, load_config
from helpers.errors import InputError, describe

NOTEBOOK: Path = paths.NOTEBOOKS / "09-your-municipality.ipynb"
KERNEL = "python3"
OUTPUT_FILES: tuple[str, ...] = ("report.ipynb", "report.html", "results.csv", "run_record.json")
RECORD_NAME = "run_record.json"
LEGAL_NOTICE = "Legal information for teaching, not legal advice"
PACKAGES = ("numpy", "pandas", "scipy", "matplotlib", "SALib", "pymcdm", "pyyaml", "papermill", "nbclient",
            "nbconvert", "nbformat", "ipykernel", "frictionless")
CELL_TIMEOUT_S = 600


# =============================================================================================== output

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages a report depends on."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def data_hashes() -> dict[str, str]:
    """SHA-256 of every data table and descriptor the report reads (``data/*.csv``, ``data/schemas/*``)."""
    files = sorted(paths.DATA.glob("*.csv")) + sorted(paths.SCHEMAS.glob("*.json"))
    return {paths.relative(p): _sha256(p) for p in files}


def _git_commit() -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def run_record(cfg: Config, config_path: Path | None, seconds: float | None = None) -> dict[str, Any]:
    """The run record: what was run, with which inputs, code and data, so a reader can rerun it."""
    from helpers import __version__

    record: dict[str, Any] = {
        "report": "your municipality",
        "municipality": cfg.name,
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python -m helpers report " + (str(config_path) if config_path else "<mapping>"),
        "config_file": str(config_path) if config_path else None,
        "config_sha256": _sha256(config_path) if config_path else None,
        "seed": cfg.seed,
        "draws": cfg.draws,
        "inputs_as_used": cfg.as_used(),
        "inputs_supplied": list(cfg.supplied),
        "inputs_defaulted": list(cfg.defaulted),
        "notebook": paths.relative(NOTEBOOK),
        "notebook_sha256": _sha256(NOTEBOOK),
        "helpers_version": __version__,
        "git_commit": _git_commit(),
        "packages": package_versions(),
        "platform": platform.platform(),
        "data_files_sha256": data_hashes(),
        "outputs": list(OUTPUT_FILES),
    }
    if seconds is not None:
        record["seconds"] = round(seconds, 2)
    return record


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)
_REMOTE_IMPORT = re.compile(r"@import\s+(?:url\()?[\"']?(?:https?:)?//[^;]*;", re.IGNORECASE)


def offline_html(body: str) -> str:
    """Remove every ``<script>`` and every stylesheet or ``@import`` fetched from the network.

    The report needs no script (no widgets, no math), so nothing is loaded when it is opened offline.
    """
    body = _SCRIPT.sub("", body)
    body = _REMOTE_LINK.sub("", body)
    return _REMOTE_IMPORT.sub("", body)


def remote_references(body: str) -> list[str]:
    """Tags that would load something from the network (``<script src=http..>``, ``<link href=http..>``,
    ``<img src=http..>``, ``@import url(http..)``); empty for an offline page."""
    pattern = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//[^>]*>"
                         r"|@import\s+(?:url\()?[\"']?(?:https?:)?//", re.IGNORECASE)
    return pattern.findall(body)


def export_html(nb, title: str) -> str:
    """A self-contained HTML page of an executed notebook: figures embedded as data URIs, code hidden,
    no network requests."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return offline_html(body)


def _quiet_kernel_manager():
    """A kernel manager whose kernel process writes nothing to our stderr (its start-up log lines are
    noise here; cell output still travels over the kernel's message channels)."""
    import subprocess

    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    return QuietKernelManager


def execute(config_path: Path | None, overrides: dict[str, Any] | None, out_nb: Path, output_dir: Path,
            notebook: Path = NOTEBOOK) -> None:
    """Execute the report notebook with papermill (in-process), writing the executed copy to ``out_nb``."""
    import papermill as pm

    params: dict[str, Any] = {"config_file": str(config_path) if config_path else "",
                              "overrides": dict(overrides or {}), "output_dir": str(output_dir)}
    pm.execute_notebook(str(notebook), str(out_nb), parameters=params, kernel_name=KERNEL,
                        cwd=str(notebook.parent), progress_bar=False, log_output=False,
                        execution_timeout=CELL_TIMEOUT_S, kernel_manager_class=_quiet_kernel_manager())


def _check_target(out: Path) -> None:
    """``DIR`` may be new, empty, or hold an earlier report (which is replaced); anything else is refused
    so the command never deletes a reader's own files."""
    if out.exists() and not out.is_dir():
        raise InputError(describe(where=str(out), field="--out", problem="exists and is not a folder",
                                  fix="pass a new folder name with --out"), field="--out", value=str(out))
    if out.is_dir():
        present = {p.name for p in out.iterdir()}
        if present and not (RECORD_NAME in present and present <= set(OUTPUT_FILES)):
            raise InputError(describe(where=str(out), field="--out",
                                      problem="folder holds files that are not an earlier report",
                                      allowed="a new or empty folder, or the folder of an earlier report",
                                      fix="pass a new folder name with --out"), field="--out", value=str(out))


def _move_into_place(tmp: Path, out: Path) -> None:
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        os.replace(out, old)
        try:
            os.replace(tmp, out)
        except OSError:
            os.replace(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, out)


def render(config: str | Path | dict | None, out_dir: str | Path, overrides: dict[str, Any] | None = None,
           notebook: Path = NOTEBOOK) -> Path:
    """Render the report for a config into ``out_dir``; returns the folder.

    The config is checked first (:class:`InputError` before anything is written). Outputs are written into
    a temporary folder beside ``out_dir`` and moved into place only when all of them exist.
    """
    start = time.perf_counter()
    config_path = None if isinstance(config, dict) else \
        Path(config if config is not None else _default_example()).resolve()
    cfg = load_config(config if isinstance(config, dict) else config_path, overrides)
    out = Path(out_dir).expanduser().resolve()
    _check_target(out)
    created: list[Path] = []
    parent = out.parent
    while not parent.exists():
        created.append(parent)
        parent = parent.parent
    tmp: Path | None = None
    try:
        for p in reversed(created):
            p.mkdir()
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        # a mapping config is written out, so the notebook reads exactly the same inputs
        nb_config = config_path
        if config_path is None:
            import yaml

            nb_config = tmp / "config.yml"
            nb_config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
        execute(nb_config, overrides, tmp / "report.ipynb", tmp, notebook)
        if nb_config != config_path:
            nb_config.unlink()
        import nbformat

        nb = nbformat.read(tmp / "report.ipynb", as_version=4)
        (tmp / "report.html").write_text(export_html(nb, f"{cfg.name}: local policing and immigration "
                                                          "enforcement brief"), encoding="utf-8")
        if not (tmp / "results.csv").exists():
            raise RuntimeError("the report notebook did not write results.csv")
        record = run_record(cfg, config_path, time.perf_counter() - start)
        (tmp / RECORD_NAME).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _move_into_place(tmp, out)
        tmp = None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            for p in created:
                try:
                    p.rmdir()
                except OSError:
                    pass
    return out


def _default_example() -> Path:
    from helpers.config import DEFAULT_EXAMPLE

    return DEFAULT_EXAMPLE


def _notebook_error(exc: Exception) -> tuple[int, str]:
    """Exit code and message for a failure inside the notebook (an InputError there is bad input)."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if ename == "InputError":
        return 2, f"error: {evalue}"
    cell = getattr(exc, "exec_count", None)
    where = f" (cell {cell})" if cell is not None else ""
    return 1, f"error: the report notebook failed{where}: {ename}: {evalue}"


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers report CONFIG.yml --out DIR [--draws N] [--seed S]``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m helpers report",
        description="Render the 'your municipality' brief for a config file (see data/examples/).")
    parser.add_argument("config", help="YAML config of your municipality (see data/examples/README.md)")
    parser.add_argument("--out", default=None, help="output folder (default: reports/<config name>)")
    parser.add_argument("--draws", type=int, default=None, help="Monte Carlo draws (overrides the config)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (overrides the config)")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else Path("reports") / Path(args.config).stem
    overrides = {k: v for k, v in (("draws", args.draws), ("seed", args.seed)) if v is not None}
    try:
        folder = render(args.config, out, overrides or None)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a failure inside the notebook: one message, nothing written
        from papermill.exceptions import PapermillExecutionError

        if not isinstance(exc, PapermillExecutionError):
            raise
        code, message = _notebook_error(exc)
        print(message, file=sys.stderr)
        return code
    print(f"Report written to {folder}:")
    for name in OUTPUT_FILES:
        print(f"  {name}")
    print(f"Open {folder / 'report.html'} in a browser (it works offline).")
    return 0


def benchmark(draws: int | None = None) -> float:
    """Seconds to render the default example report (default settings) into a temporary folder."""
    overrides = {"draws": draws} if draws else None
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        render(None, Path(tmp) / "report", overrides)
        return time.perf_counter() - start
