"""Charts of the trust-and-reporting model: outcome intervals and the causal diagram.

Each function draws a chart in the house style of :mod:`helpers.plots`; the numbers come
from the computing modules, which return tables and draw nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.model import CASE_STEPS, DIAGRAM_ARROWS, DIAGRAM_BOXES, OUTCOMES, RATE_OUTCOMES

__all__ = ['plot_intervals', 'plot_diagram']


def plot_intervals(ax, summary: pd.DataFrame, outcome: str, scale: float | None = None, label: str | None = None,
                   offset: float = 0.0, marker: str = "o", hollow: bool = False):
    """Median (marker) and interval (bar) of one outcome for each option, in option colours, on ``ax``.

    ``offset`` shifts the rows vertically and ``hollow`` draws open markers, so two summaries (for example
    with and without community policing) can share one chart."""
    from helpers.plots import OPTION_COLORS
    if outcome not in OUTCOMES and outcome not in CASE_STEPS:
        raise InputError(where="plot_intervals", field="outcome", value=outcome,
                         allowed=", ".join(list(OUTCOMES) + list(CASE_STEPS)))
    sub = summary[summary["outcome"] == outcome]
    if sub.empty:
        raise InputError(where="plot_intervals", field="outcome", value=outcome,
                         problem="no rows for this outcome in the summary", fix="summarize the results first")
    is_rate = outcome in RATE_OUTCOMES or outcome in CASE_STEPS
    k = (100.0 if is_rate else 1.0) if scale is None else scale
    opts = [str(o) for o in sub["option"]]
    y = np.arange(len(opts))[::-1]
    for yi, (_, r) in zip(y, sub.iterrows()):
        color = OPTION_COLORS.get(str(r["option"]), "#6E6E6E")
        ax.plot([r["lo"] * k, r["hi"] * k], [yi + offset, yi + offset], color=color, linewidth=3, alpha=0.6,
                solid_capstyle="butt")
        ax.plot([r["median"] * k], [yi + offset], marker=marker, markersize=8, markeredgecolor="black",
                color="white" if hollow else color)
    ax.set_yticks(y, opts)
    if outcome.endswith("_usd"):  # dollars in thousands, so tick labels stay short and never collide
        import matplotlib.ticker as mticker
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"${v / 1000:,.0f}k"))
        ax.xaxis.set_major_locator(mticker.MaxNLocator(4))
    name, unit = OUTCOMES[outcome][:2] if outcome in OUTCOMES else CASE_STEPS[outcome]
    unit_label = "%" if k == 100.0 and is_rate else unit
    import textwrap
    ax.set_xlabel("\n".join(textwrap.wrap(label or f"{name} ({unit_label})", width=45)))
    ax.set_ylabel("option")
    return ax


def plot_diagram(ax) -> None:
    """Draw the model's causal chain (boxes and arrows) on ``ax``: the trust channel across the top, the
    enforcement channel across the bottom, both ending in victimizations. Community policing also costs
    officer hours (not drawn, to keep the picture readable)."""
    from helpers.plots import GREY, OKABE_ITO
    colors = {"cp": OKABE_ITO["bluish_green"], "detainers": OKABE_ITO["vermillion"],
              "removals": OKABE_ITO["vermillion"], "costs": GREY}
    boxes = {}
    for key, (x, y, text) in DIAGRAM_BOXES.items():
        boxes[key] = ax.text(x, y, text, ha="center", va="center", fontsize=8.5, transform=ax.transAxes,
                             bbox={"boxstyle": "round,pad=0.4", "facecolor": "white",
                                   "edgecolor": colors.get(key, OKABE_ITO["blue"]), "linewidth": 1.6})
    for a, b in DIAGRAM_ARROWS:
        ax.annotate("", xy=(0.5, 0.5), xycoords=boxes[b], xytext=(0.5, 0.5), textcoords=boxes[a],
                    arrowprops={"arrowstyle": "-|>", "color": GREY, "linewidth": 1.2,
                                "patchA": boxes[a].get_bbox_patch(), "patchB": boxes[b].get_bbox_patch(),
                                "shrinkA": 2, "shrinkB": 2})
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
