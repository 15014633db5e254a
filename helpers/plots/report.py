"""Charts of the municipal report.

Each function draws a chart in the house style of :mod:`helpers.plots`; the numbers come
from the computing modules, which return tables and draw nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the report's modules load its config validator: imported when a report chart is drawn
    from helpers.report import Analysis


def _ticks(kind: str):
    """A matplotlib tick formatter that labels ticks as the brief prints numbers (brief.tick_labels)."""
    import matplotlib.ticker as mticker

    from helpers.brief import tick_labels

    class Ticks(mticker.Formatter):
        def __call__(self, x, pos=None):
            return tick_labels([x], kind)[0]

        def format_ticks(self, values):
            return tick_labels(values, kind)

    return Ticks()




__all__ = ['plot_report_outcomes', 'plot_report_acceptability', 'plot_brief_outcomes']


def plot_report_outcomes(a: Analysis):
    """Six outcomes for the open options: median dot and 90% interval, in option colours."""
    import textwrap

    import matplotlib.pyplot as plt
    import matplotlib.ticker as mticker

    from helpers import model, plots
    from helpers.report import CHART_OUTCOMES, REMOVALS_OUTCOME, TRUST_OUTCOME, _median, _model_sources

    opts = a.open_options or list(a.cfg.options)
    sub = a.summary[a.summary["option"].isin(opts)]
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.5))
    for ax, outcome in zip(axes.flat, CHART_OUTCOMES):
        plots.plot_intervals(ax, sub, outcome, label="")
        name, unit, direction = model.OUTCOMES[outcome]
        unit_label = "%" if outcome in model.RATE_OUTCOMES else unit
        ax.set_title(textwrap.fill(name, 40), fontsize=9, loc="left", fontweight="normal")
        if outcome not in model.RATE_OUTCOMES:
            ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
            ax.xaxis.set_major_locator(mticker.MaxNLocator(4))
        ax.set_xlabel(f"{unit_label} ({'higher' if direction == 'higher_is_better' else 'lower'} is better)",
                      fontsize=8)
        ax.set_ylabel("")
    meds = {o: _median(a.summary, o, TRUST_OUTCOME) for o in opts}
    rem = {o: _median(a.summary, o, REMOVALS_OUTCOME) for o in opts}
    best_trust, best_rem = max(meds, key=meds.get), max(rem, key=rem.get)
    if best_trust == best_rem:
        finding = f"{best_trust} leads on both immigrant victims' reporting and removals of people with convictions"
    else:
        finding = (f"{best_trust} keeps the most immigrant victims reporting; {best_rem} removes the most "
                   "people with convictions")
    # a '$' in a city name would switch matplotlib to math mode: show it as a plain dollar sign; letters the
    # chart font cannot draw (e.g. 東京) become '?' in the chart (the HTML text keeps the real name)
    title = plots.drawable(textwrap.fill(f"{a.cfg.name}: {finding}", 95), fontsize=12, fontweight="bold")
    fig.suptitle(title.replace("$", r"\$"), x=0.0, ha="left", fontsize=12, fontweight="bold")
    plots.caption(fig, "REAL and ILLUSTRATIVE", sources=_model_sources(),
                  note=f"Model outcomes per year for this city, {a.cfg.draws:,} Monte Carlo draws (seed "
                       f"{a.cfg.seed}); dot = median, bar = 90% interval; only options open under state law")
    return fig


def plot_report_acceptability(a: Analysis):
    """Share of draws in which each open option ranks first, in option colours."""
    import matplotlib.pyplot as plt

    from helpers import plots

    acc = a.acceptability
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(acc) + 1.8))
    opts = list(acc.index)[::-1]
    shares = [100 * float(acc.loc[o, "1st"]) for o in opts]
    ax.barh(opts, shares, color=[plots.OPTION_COLORS[o] for o in opts], edgecolor="black", linewidth=0.5)
    for y, v in enumerate(shares):
        ax.text(v + 1, y, f"{v:.0f}%", va="center", fontsize=9)
    ax.set_xlim(0, 110)
    ax.set_xlabel("share of draws in which the option ranks first (%)")
    ax.set_ylabel("option")
    top = max(acc.index, key=lambda o: float(acc.loc[o, "1st"]))
    plots.finding_title(ax, f"{top} ranks first in {100 * float(acc.loc[top, '1st']):.0f}% of draws",
                        subtitle=f"Weights: {a.weights_label}")
    plots.caption(fig, "ILLUSTRATIVE", note="Model outcomes and legal scores are combined by a weighted sum of "
                  "value scores (helpers.decision); weights are assumptions, not measurements")
    return fig


def plot_brief_outcomes(a, names: Mapping[str, str]):
    """Six panels (the brief's outcomes) for the open options: median dot and 90% interval, in option colours;
    the height follows the number of options."""
    import textwrap

    import matplotlib.pyplot as plt
    import matplotlib.ticker as mticker

    from helpers import model, plots
    from helpers.brief import BRIEF_OUTCOMES, SHORT_LABELS, _kind

    opts = a.open_options
    n = len(opts)
    s = a.summary.assign(option=a.summary["option"].astype(str), outcome=a.summary["outcome"].astype(str))
    s = s.set_index(["option", "outcome"])
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "brief", "font.size": 8,
                         "font.family": ["DejaVu Sans"], "axes.titlesize": 8.5, "axes.labelsize": 8,
                         "xtick.labelsize": 7.5, "ytick.labelsize": 7.5, "axes.spines.top": False,
                         "axes.spines.right": False, "figure.constrained_layout.use": True}):
        fig, axes = plt.subplots(2, 3, figsize=(7.2, 2 * (0.2 * n + 0.95)), sharey=True)
        y = np.arange(n)[::-1]
        for ax, k in zip(axes.flat, BRIEF_OUTCOMES):
            kind = _kind(k)
            scale = 100.0 if kind == "share" else 1.0
            for yi, o in zip(y, opts):
                r = s.loc[(o, k)]
                color = plots.OPTION_COLORS.get(o, plots.GREY)
                ax.plot([r["lo"] * scale, r["hi"] * scale], [yi, yi], color=color, linewidth=3.2, alpha=0.65,
                        solid_capstyle="butt")
                ax.plot([r["median"] * scale], [yi], marker="o", markersize=5.5, markeredgecolor="black",
                        markeredgewidth=0.6, color=color)
            name, unit, direction = model.OUTCOMES[k]
            ax.set_title(textwrap.fill(SHORT_LABELS[k], 30), loc="left")
            ax.xaxis.set_major_formatter(_ticks(kind))
            ax.xaxis.set_major_locator(mticker.MaxNLocator(4))
            unit_text = {"share": "% of victimizations", "usd": "dollars per year"}.get(kind, unit)
            ax.set_xlabel(f"{unit_text}\n({'higher' if direction == 'higher_is_better' else 'lower'} is better)")
            ax.set_ylim(-0.6, n - 0.4)
            ax.grid(axis="x", color="#dddddd", linewidth=0.5)
            ax.set_axisbelow(True)
        for ax in axes[:, 0]:
            ax.set_yticks(y, [textwrap.fill(str(names[o]), 24) for o in opts])
    return fig
