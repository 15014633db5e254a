"""The package's layout: data -> model -> decision -> report, with every chart in the charts layer."""

from __future__ import annotations

import ast

from helpers import paths

HELPERS = paths.ROOT / "helpers"
CHART_CALLS = {"plot", "bar", "barh", "scatter", "fill_between", "errorbar", "imshow", "subplots", "axhline",
               "axvline", "hlines", "vlines", "annotate", "legend", "set_xlabel", "set_ylabel", "set_title"}


def _functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


def _draws(fn: ast.FunctionDef) -> bool:
    """The function draws: it calls a matplotlib drawing method (ax.plot, plt.subplots, fig.legend...)."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in CHART_CALLS
               for n in ast.walk(fn))


def test_every_chart_function_lives_in_the_charts_layer():
    outside = [f"{p.relative_to(paths.ROOT)}:{fn.name}" for p in sorted(HELPERS.glob("*.py"))
               for fn in _functions(p) if fn.name.startswith("plot_") or _draws(fn)]
    assert not outside, f"chart functions outside helpers/plots/: {outside}"


def test_chart_functions_are_named_plot_and_draw_means_sample():
    # the house-style helpers (new_figure, finding_title, caption...) are in helpers/plots/__init__.py
    charts = [fn.name for p in sorted((HELPERS / "plots").glob("[!_]*.py")) for fn in _functions(p)
              if fn.col_offset == 0 and _draws(fn) and not fn.name.startswith("_")]
    assert charts and all(name.startswith("plot_") for name in charts), charts
    draws = [fn.name for p in HELPERS.rglob("*.py") for fn in _functions(p) if fn.name.startswith("draw_")]
    assert set(draws) <= {"draw_scores", "draw_parameters"}, draws


def test_computing_modules_do_not_import_the_charts_layer_at_import_time():
    """A computing module may call a chart only from inside a function, so importing it never draws and the
    charts layer can import the computing modules it draws from."""
    for path in sorted(HELPERS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module in ("helpers", "helpers.plots"):
                names = {a.name for a in node.names}
                assert node.module != "helpers.plots" and "plots" not in names, path.name
