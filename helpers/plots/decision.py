"""Charts of the comparison: weights, acceptability, weight maps, tornado and Sobol charts, and the balance checks.

Each function draws a chart in the house style of :mod:`helpers.plots`; the numbers come
from the computing modules, which return tables and draw nothing."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers import decision
from helpers.balance import FAMILY_COLORS, family_split
from helpers.decision import GROUPS, GROUP_LABELS, _luminance, load_criteria, ternary_xy
from helpers.options import OPTION_CODES

__all__ = ['plot_first_places', 'plot_lean', 'plot_weights', 'plot_acceptability', 'plot_weight_map', 'plot_tornado', 'plot_sobol']


def plot_first_places(ax, shares: pd.DataFrame) -> None:
    """Stacked horizontal bars, one per scenario: the share of weightings under which each option comes
    first, in option colours, with the limits family's total printed at the right."""
    from helpers.plots import OPTION_COLORS

    opts = [o for o in OPTION_CODES if o in shares.index]
    scen = list(shares.columns)
    y = np.arange(len(scen))
    left = np.zeros(len(scen))
    for o in opts:
        vals = shares.loc[o, scen].to_numpy(dtype=float)
        ax.barh(y, vals, left=left, color=OPTION_COLORS[o], label=o, edgecolor="white", linewidth=0.5)
        for yi, (l, v) in enumerate(zip(left, vals)):
            if v >= 0.06:
                ax.text(l + v / 2, yi, f"{v:.0%}", ha="center", va="center", fontsize=8,
                        color="white" if decision._luminance(OPTION_COLORS[o]) < 0.179 else "black")
        left += vals
    for yi, s in enumerate(scen):
        lim = float(family_split(shares[s])["limits"])
        ax.text(1.01, yi, f"limits {lim:.0%}\ncooperation {1 - lim:.0%}", va="center", fontsize=8)
    ax.set_yticks(y, scen)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of weightings under which the option comes first (0 to 1)")
    ax.legend(ncol=len(opts), loc="upper center", bbox_to_anchor=(0.5, -0.22), fontsize=8)


def plot_lean(ax, lean: pd.DataFrame, names: Mapping[str, str] | None = None) -> None:
    """Diverging bars: each criterion's lean (mean value score of cooperation options minus limits options)."""
    t = lean.iloc[::-1]
    y = np.arange(len(t))
    colors = [FAMILY_COLORS["cooperation"] if v > 0 else FAMILY_COLORS["limits"] for v in t["lean"]]
    ax.barh(y, t["lean"], color=colors, edgecolor="black", linewidth=0.5)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [names.get(c, c) if names else c for c in t.index])
    ax.set_xlim(-1, 1)
    ax.set_xlabel("Lean: mean value score of cooperation options minus limits options\n"
                  "(left: favours limits, right: favours cooperation)")


# --------------------------------------------------------------------------------------------------
# Charts (drawing only; every number comes from the functions above)
# --------------------------------------------------------------------------------------------------
def plot_weights(ax, weights: pd.DataFrame, criteria: pd.DataFrame | None = None,
                 labels: Mapping[str, str] | None = None) -> None:
    """Heat grid of profile weights (profiles as rows, criteria as columns), with the values printed."""
    crit = load_criteria() if criteria is None else criteria
    im = ax.imshow(weights.to_numpy(), cmap="Blues", vmin=0, vmax=max(0.5, float(weights.to_numpy().max())),
                   aspect="auto")
    ax.set_xticks(range(weights.shape[1]), [str(crit.loc[c, "name"]).replace(" and ", "\nand ") for c in weights.columns],
                  rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(weights.shape[0]), [labels.get(p, p) if labels else p for p in weights.index], fontsize=8)
    for i in range(weights.shape[0]):
        for j in range(weights.shape[1]):
            v = weights.iat[i, j]
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8, color="white" if v > 0.3 else "black")
    ax.spines[:].set_visible(False)
    ax.figure.colorbar(im, ax=ax, shrink=0.8, label="weight (each row sums to 1)")


def plot_acceptability(ax, table: pd.DataFrame, colors: Mapping[str, str], column: str = "first",
                       labels: Mapping[str, str] | None = None) -> None:
    """Stacked horizontal bars: for each profile, the share of draws in which each option ranks first."""
    wide = table.pivot(index="profile", columns="option", values=column)
    # options closed to a profile (its home regime forbids them) have no row: they take no share
    wide = wide.reindex(list(dict.fromkeys(table["profile"]))).fillna(0.0)
    opts = [o for o in OPTION_CODES if o in wide.columns]
    left = np.zeros(len(wide))
    y = np.arange(len(wide))
    for o in opts:
        vals = wide[o].to_numpy()
        ax.barh(y, vals, left=left, color=colors[o], label=o, edgecolor="white", linewidth=0.5)
        for yi, (l, v) in enumerate(zip(left, vals)):
            if v >= 0.08:
                ax.text(l + v / 2, yi, f"{v:.0%}", ha="center", va="center", fontsize=8,
                        color="white" if _luminance(colors[o]) < 0.179 else "black")
        left += vals
    ax.set_yticks(y, [labels.get(p, p) if labels else p for p in wide.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"Share of Monte Carlo draws in which the option ranks {column} (0 to 1)")
    ax.legend(ncol=len(opts), loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=8)


def plot_weight_map(ax, wmap: pd.DataFrame, colors: Mapping[str, str], marks: pd.DataFrame | None = None,
                    labels: Mapping[str, str] | None = None, legend: bool = True) -> None:
    """Ternary map of the winning option over the three criterion groups; ``marks`` (profiles x groups)
    are drawn as labelled black points (``labels`` maps profile ids to display names)."""
    shares = wmap[list(GROUPS)].to_numpy()
    x, y = ternary_xy(shares)
    # Marker size from the grid step and the axes width, so the hexagons tile the triangle.
    step = float(np.min(np.diff(np.unique(shares[:, 0])))) if len(wmap) > 1 else 0.1
    width_pt = ax.get_position().width * ax.figure.get_figwidth() * 72 / 1.3
    size = max(4.0, (width_pt * step * 1.05) ** 2)
    for o in [o for o in OPTION_CODES if o in set(wmap["winner"])]:
        sel = (wmap["winner"] == o).to_numpy()
        ax.scatter(x[sel], y[sel], s=size, marker="h", color=colors[o], label=f"{o} first", linewidths=0)
    corners = np.array([[0, 0], [1, 0], [0.5, np.sqrt(3) / 2], [0, 0]])
    ax.plot(corners[:, 0], corners[:, 1], color="black", linewidth=0.8)
    names = [GROUP_LABELS[g] for g in GROUPS]
    ax.text(0.0, -0.06, f"all weight on\n{names[0]}", ha="center", va="top", fontsize=8)
    ax.text(1.0, -0.06, f"all weight on\n{names[1]}", ha="center", va="top", fontsize=8)
    ax.text(0.5, np.sqrt(3) / 2 + 0.04, f"all weight on\n{names[2]}", ha="center", va="bottom", fontsize=8)
    if marks is not None:
        mx, my = ternary_xy(marks[list(GROUPS)].to_numpy())
        ax.scatter(mx, my, s=40, color="black", edgecolor="white", zorder=3)
        for pid, xi, yi in zip(marks.index, mx, my):
            name = labels.get(pid, pid) if labels else pid
            ax.annotate(str(name), (xi, yi), xytext=(5, 4), textcoords="offset points", fontsize=8,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.set_aspect("equal")
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(-0.22, 1.05)
    ax.axis("off")
    if legend:
        ax.legend(loc="upper left", fontsize=8, markerscale=1.0, frameon=False)


def plot_tornado(ax, tor: pd.DataFrame, wrap: int = 60) -> None:
    """Tornado bars: the gap between the two leading options with each input at its low and high value."""
    import textwrap

    t = tor.iloc[::-1].reset_index(drop=True)
    base = float(t["base_output"].iloc[0])
    y = np.arange(len(t))
    lo, hi = t["output_low"].to_numpy(), t["output_high"].to_numpy()
    ax.barh(y, lo - base, left=base, color="#0072B2", label="input at its low value")
    ax.barh(y, hi - base, left=base, color="#E69F00", label="input at its high value")
    ax.axvline(base, color="black", linewidth=0.8)
    ax.axvline(0, color="#D55E00", linewidth=1, linestyle="--", label="gap = 0: the two options swap")
    labels = [textwrap.shorten(str(s), wrap, placeholder="...") for s in t.get("label", t["parameter"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(f"Mean score of {t['first'].iloc[0]} minus {t['second'].iloc[0]} (score points, 0-1 scale)")
    ax.legend(fontsize=8, loc="lower right")


def plot_sobol(ax, sob: pd.DataFrame, top: int = 8, wrap: int = 60) -> None:
    """Horizontal bars of first-order and total Sobol indices, largest total first, with 95% intervals."""
    import textwrap

    t = sob.head(top).iloc[::-1].reset_index(drop=True)
    y = np.arange(len(t))
    ax.barh(y + 0.2, t["ST"], height=0.4, xerr=t["ST_conf"], color="#0072B2", label="total (with interactions)")
    ax.barh(y - 0.2, t["S1"], height=0.4, xerr=t["S1_conf"], color="#56B4E9", label="first order (alone)")
    labels = [textwrap.shorten(str(s), wrap, placeholder="...") for s in t.get("label", t["parameter"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("Share of the variance of the gap (Sobol index, 0 to 1)")
    ax.legend(fontsize=8, loc="lower right")
