"""Checks that apply to every test path, the notebooks included (see tests/conftest.py for fixtures)."""

from __future__ import annotations

import pytest


# ------------------------------------------------------------------ one execution, two checks per notebook
# This file sits at the repository root so that it applies to the notebooks as well as to tests/.
# `make test` runs strict nbval over every notebook: each cell is executed once and its text outputs are
# compared, after sanitizing, with the committed ones. nbval does not compare figures, and its sanitizing
# would hide a changed memory address. This hook checks, on the same execution, that every output is
# exactly the committed one, figures included: so `make run` (which writes what a fresh run produces)
# leaves `git status` clean, without executing each notebook a second time. The committed file's form
# (metadata, execution counts, JSON layout) is checked without a kernel in tests/test_runner.py.


def _exact(outputs) -> list[dict]:
    """What a reader sees of a cell's outputs: stream text, every MIME type of displayed data, errors."""
    import copy

    from nbval.plugin import coalesce_streams

    seen = []
    for out in coalesce_streams(copy.deepcopy(list(outputs))):
        kind = out["output_type"]
        if kind == "stream":
            seen.append({"stream": out["name"], "text": out["text"]})
        elif kind in ("display_data", "execute_result"):
            seen.append({kind: dict(out["data"])})
        elif kind == "error":
            seen.append({"error": out["ename"], "value": out["evalue"]})
    return seen


@pytest.hookimpl(trylast=True)
def pytest_runtest_call(item):
    fresh = getattr(item, "test_outputs", None)  # set by nbval's cell item when it executed the cell
    if fresh is None or not getattr(item, "options", {}).get("check") or item.cell.execution_count is None:
        return
    committed = _exact(item.cell.outputs)
    got = _exact(fresh)
    if got != committed:
        changed = [i for i, (a, b) in enumerate(zip(committed, got)) if a != b] or ["count"]
        kinds = sorted({k for o in committed + got for k in (o.get("display_data") or o.get("execute_result")
                                                              or {"text": 0})})
        raise AssertionError(
            f"output {changed[0]} of this cell differs from the committed one after a fresh run (outputs "
            f"{len(committed)} committed, {len(got)} fresh; kinds {', '.join(kinds)}). If the change is "
            "intended, re-run the notebook with `python -m helpers run <notebook>` and commit it; if not, "
            "the cell is not deterministic.")


# ------------------------------------------------------------------ kernels started by parallel workers
# Every kernel gets five TCP ports, chosen by asking the OS for a free one and releasing it for the kernel to
# bind a moment later. Two test workers starting kernels at the same time can be handed the same free port,
# and one kernel then never answers ("Kernel didn't respond in 60 seconds"): jupyter_client's known race
# across processes (https://github.com/jupyter/jupyter_client/issues/487). Under pytest-xdist each worker
# therefore picks its kernels' ports from its own block, below the range the OS hands out, so no two
# workers can pick the same one. This applies to the test run only; notebooks and reports run as usual.

FIRST_PORT, LAST_PORT = 20000, 32767  # Linux hands out ports from 32768 up for outgoing connections


def _ports_from_block(low: int, high: int):
    import itertools
    import socket

    from jupyter_client.connect import LocalPortCache

    fallback = LocalPortCache.find_available_port
    candidates = itertools.cycle(range(low, high))

    def find_available_port(self, ip: str) -> int:
        for port in itertools.islice(candidates, high - low):
            if port in self.currently_used_ports:
                continue
            with socket.socket() as probe:
                try:
                    probe.bind((ip, port))
                except OSError:  # in use, or still closing after an earlier kernel
                    continue
            self.currently_used_ports.add(port)
            return port
        return fallback(self, ip)

    return find_available_port


def pytest_configure(config):
    import os

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"... in an xdist worker
    if worker.startswith("gw") and worker[2:].isdigit():
        from jupyter_client.connect import LocalPortCache

        size = (LAST_PORT + 1 - FIRST_PORT) // max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
        low = FIRST_PORT + size * int(worker[2:])
        LocalPortCache.find_available_port = _ports_from_block(low, low + size)
