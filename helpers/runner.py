"""Execute the notebooks top to bottom, in place (``make run``).

Each notebook runs in a fresh kernel started in the notebook's own folder, exactly as a reader's
"Restart and run all" would. Cell timing metadata is not recorded, so a clean checkout stays clean
after a run when the outputs are deterministic. A progress bar goes to stderr; the summary, with the
wall time of each notebook, goes to stdout.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from helpers import paths

KERNEL = "python3"
CELL_TIMEOUT_S = 600
#: The kernelspec JupyterLab writes for the ipykernel kernel this project installs; every notebook carries it,
#: so opening and saving a notebook in JupyterLab leaves its kernel metadata as it was.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL}


def execute_notebook(path: Path, timeout: int = CELL_TIMEOUT_S, out: Path | None = None,
                     cwd: Path | None = None) -> float:
    """Execute one notebook top to bottom and write it in place (or to ``out``); returns wall seconds.

    The kernel starts in ``cwd`` (default: the notebook's own folder). Raises on a failing cell, leaving
    the file untouched.
    """
    from jupyter_core.utils import run_sync  # as nbclient does: works inside a running event loop (JupyterLab) too

    return run_sync(_execute)(Path(path), timeout, out, cwd)


async def _execute(path: Path, timeout: int = CELL_TIMEOUT_S, out: Path | None = None,
                   cwd: Path | None = None) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, record_timing=False,
                            resources={"metadata": {"path": str(cwd or path.parent)}})
    start = time.perf_counter()
    # The kernel process's own stderr (an ipykernel notice about TCP transport on every start) is not a
    # notebook output; keep it off the terminal. Errors inside cells still surface as exceptions.
    await client.async_execute(stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    canonical(nb)
    target = Path(out) if out is not None else path
    tmp = target.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    tmp.replace(target)  # write then move, so a failure never leaves a half-written notebook
    return elapsed


def canonical(nb):
    """Put a notebook (``nbformat`` node) in the form the repository commits, in place; returns it.

    What JupyterLab or the kernel rewrites on open, save or run, and what does not describe the analysis,
    is normalised, so `make run` restores the committed form after a reader opened a notebook in
    JupyterLab, and a run on any supported Python writes the same file:

    - the kernelspec is :data:`KERNELSPEC`; the kernel's exact Python version (3.11.7, 3.13.0...) and
      widget state are dropped;
    - consecutive pieces of one output stream are merged (the kernel may flush one ``print`` in two
      messages; a reader sees one block either way);
    - tracebacks of deliberate error cells keep the cell's own frame and the error line (no package
      line numbers, no clone path).
    """
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.get("language_info", {}).pop("version", None)
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    _short_tracebacks(nb)
    return nb


def _short_tracebacks(nb) -> None:
    """Keep, of each deliberate error cell's traceback, the frame of the cell itself and the error line.

    The frames inside the package name line numbers of its modules, so any edit to a module would change
    the committed notebook (and they would name the folder the repository was cloned to). A reader who runs
    the cell sees the whole traceback; the committed page shows what the cell teaches: the call and the
    message. nbval ignores tracebacks; git does not.
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and len(output.get("traceback", [])) > 4:
                tb = output["traceback"]
                output["traceback"] = tb[:3] + ["\x1b[2m(frames inside the package omitted)\x1b[0m", tb[-1]]


def default_jobs() -> int:
    """How many notebooks run at once by default: one per CPU this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run(notebooks: list[Path] | None = None, progress: bool = True, jobs: int | None = None) -> list[tuple[str, float]]:
    """Execute the given notebooks (default: all, in reading order), ``jobs`` at a time (default: one per
    CPU), each in its own kernel; returns (name, seconds) pairs in the order given.

    Every notebook runs whatever happens to the others; a notebook whose cell fails is left as it was, and
    the first failure is raised, naming its notebook, once all have finished.
    """
    from jupyter_core.utils import run_sync

    targets = notebooks or paths.notebook_paths()
    results = run_sync(_run_all)(targets, jobs or default_jobs(), progress)
    failed = [(nb, r) for nb, r in zip(targets, results) if isinstance(r, BaseException)]
    if failed:
        nb, err = failed[0]
        names = ", ".join(paths.relative(n) for n, _ in failed)
        raise RuntimeError(f"{len(failed)} notebook(s) failed and were left as they were: {names}. "
                           f"{paths.relative(nb)}:\n{err}") from err
    return [(paths.relative(nb), float(r)) for nb, r in zip(targets, results)]


async def _run_all(targets: list[Path], jobs: int, progress: bool) -> list:
    from tqdm import tqdm

    # One event loop drives every kernel: the kernels do the work in their own processes, and the ports
    # they are given come from one process, so two kernels can never be handed the same port.
    limit = asyncio.Semaphore(max(1, jobs))
    bar = tqdm(total=len(targets), desc="Running notebooks", unit="nb", file=sys.stderr, disable=not progress)

    async def one(nb: Path) -> float:
        async with limit:
            try:
                return await _execute(nb)
            finally:
                bar.update()

    try:
        return await asyncio.gather(*(one(nb) for nb in targets), return_exceptions=True)
    finally:
        bar.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m helpers run",
                                     description="Execute notebooks top to bottom, in place.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help=f"notebooks run at once (default: one per CPU, here {default_jobs()})")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        print(f"error: --jobs {args.jobs}: give at least 1", file=sys.stderr)
        return 2
    targets = [p.resolve() for p in args.notebooks] or None
    if targets:
        for p in targets:
            if not p.exists() or p.suffix != ".ipynb":
                print(f"error: {p}: not a notebook file (expected an existing .ipynb)", file=sys.stderr)
                return 2
    start = time.perf_counter()
    try:
        timings = run(targets, jobs=args.jobs)
    except RuntimeError as err:  # a cell failed: its notebook was left as it was; the others were written
        print(f"error: {err}", file=sys.stderr)
        return 1
    total = time.perf_counter() - start
    print("Executed notebooks (seconds):")
    for name, secs in timings:
        print(f"  {secs:6.1f}  {name}")
    print(f"  {total:6.1f}  total")
    print(f"\nRead the results: open {paths.relative(paths.NOTEBOOKS)}/00-start-here.ipynb in JupyterLab "
          "(make lab), or read the notebooks on the rendered site if it was built.")
    return 0
