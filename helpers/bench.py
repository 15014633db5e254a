"""Benchmarks of the trust-and-reporting model (``python -m helpers bench``).

Prints one figure per line:

- ``speedup_vs_loop: N``: wall time of the per-draw Python loop (:func:`helpers.model.simulate_loop_arrays`)
  divided by the wall time of the vectorized model (:func:`helpers.model.simulate_arrays`) on the same
  parameter draws, after checking that both give the same results;
- ``seconds_100k_draws_all_options: N``: drawing 100,000 parameter sets and evaluating the model for all
  seven options (best of three runs; the conversion to a tidy table is not included). With ``--draws``
  the name follows the count (``--draws 20000`` prints ``seconds_20k_draws_all_options``);
- ``peak_memory_mb: N``: peak memory traced by :mod:`tracemalloc` (Python and numpy allocations) while
  drawing and evaluating those 100,000 draws (the model's own arrays);
- ``peak_rss_tidy_table_mb: N``: what a user sees: the peak resident memory of a fresh Python process that
  runs :func:`helpers.model.simulate` for those draws and all options, tidy table included (measured in a
  child process, so nothing this benchmark did before counts); ``rss_after_imports_mb`` is the same process
  before the simulation, for comparison;
- ``seconds_default_report: N``: only when ``helpers.report`` provides ``benchmark()``.

Figures depend on the machine and its load; they are printed, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from helpers import model

SEED = 20261129


def _best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def speedup_vs_loop(draws: int = 2000, seed: int = SEED, repeats: int = 3) -> float:
    """Loop time / vectorized time for the same draws; raises if the two disagree."""
    city = model.default_city()
    params = model.draw_parameters(draws, seed)
    scores = model.option_scores()
    fast = model.simulate_arrays(params, scores, city)
    slow = model.simulate_loop_arrays(params, scores, city)
    for name in model.OUTCOMES:
        if not np.allclose(np.broadcast_to(fast[name], slow[name].shape), slow[name], rtol=1e-9, atol=1e-9):
            raise AssertionError(f"vectorized and loop models disagree on {name}")
    t_fast = _best_of(lambda: model.simulate_arrays(params, scores, city), 5 * repeats)
    t_slow = _best_of(lambda: model.simulate_loop_arrays(params, scores, city), 2)
    return t_slow / t_fast


def seconds_all_options(draws: int = 100_000, seed: int = SEED, repeats: int = 3) -> float:
    """Best wall time to draw ``draws`` parameter sets and evaluate all options."""
    city = model.default_city()
    scores = model.option_scores()

    def run():
        params = model.draw_parameters(draws, seed)
        model.simulate_arrays(params, scores, city)

    run()  # warm-up: tables loaded and cached, memory touched
    return _best_of(run, repeats)


def peak_memory_mb(draws: int = 100_000, seed: int = SEED) -> float:
    """Peak traced memory (tracemalloc) of drawing and evaluating ``draws`` draws for all options."""
    city = model.default_city()
    scores = model.option_scores()
    model.draw_parameters(10, seed)  # load and cache the tables before tracing
    tracemalloc.start()
    try:
        params = model.draw_parameters(draws, seed)
        model.simulate_arrays(params, scores, city)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


_RSS_CHILD = """
import json, resource, sys
from helpers import model
model.simulate(10, 1)  # imports done, tables loaded and cached
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
table = model.simulate(int(sys.argv[1]), int(sys.argv[2]))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before": before, "peak": peak, "rows": len(table)}))
"""


def peak_rss_tidy_table_mb(draws: int = 100_000, seed: int = SEED) -> tuple[float, float]:
    """(resident memory after imports, peak resident memory) in MB of a fresh process that builds the
    tidy table of ``draws`` draws for all options. Linux and macOS report the peak themselves."""
    out = subprocess.run([sys.executable, "-c", _RSS_CHILD, str(draws), str(seed)], check=True,
                         capture_output=True, text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return figures["before"] * unit / 1e6, figures["peak"] * unit / 1e6


def _count_label(n: int) -> str:
    """100000 -> '100k', 2000000 -> '2m', 1500 -> '1500': the draw count as the figure's name shows it."""
    for size, suffix in ((1_000_000, "m"), (1000, "k")):
        if n % size == 0:
            return f"{n // size}{suffix}"
    return str(n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=100_000, help="draws for the timing and memory runs")
    parser.add_argument("--loop-draws", type=int, default=2000, help="draws for the loop comparison")
    parser.add_argument("--skip-report", action="store_true", help="do not time the report (helpers.report)")
    args = parser.parse_args(argv)
    for flag, value, top in (("--draws", args.draws, model.MAX_DRAWS), ("--loop-draws", args.loop_draws, 100_000)):
        if not 1 <= value <= top:
            parser.error(f"{flag} must be a whole number from 1 to {top:,} (got {value})")
    print(f"speedup_vs_loop: {speedup_vs_loop(args.loop_draws):.0f}")
    print(f"seconds_{_count_label(args.draws)}_draws_all_options: {seconds_all_options(args.draws):.3f}")
    print(f"peak_memory_mb: {peak_memory_mb(args.draws):.1f}")
    before, peak = peak_rss_tidy_table_mb(args.draws)
    print(f"peak_rss_tidy_table_mb: {peak:.0f}")
    print(f"rss_after_imports_mb: {before:.0f}")
    if args.skip_report:
        return 0
    try:
        from helpers import report
    except Exception:  # absent, or not importable right now: skip the report line silently
        report = None
    bench = getattr(report, "benchmark", None) if report is not None else None
    if callable(bench):
        try:
            seconds = float(bench())
        except Exception as exc:  # the report is another module's work; never lose the model figures
            print(f"note: helpers.report.benchmark() failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        else:
            print(f"seconds_default_report: {seconds:.2f}")
    return 0
