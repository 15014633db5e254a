"""Charts of the evidence: the evidence map, reported changes and shares, and tallies.

Each function draws a chart in the house style of :mod:`helpers.plots`; the numbers come
from the computing modules, which return tables and draw nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.evidence import DIRECTIONS, DIRECTION_MARKERS, STRENGTH_LABELS, _colors, _wrap, require_numeric

__all__ = ['plot_evidence_map', 'plot_percent_findings', 'plot_shares', 'plot_tallies']


def plot_evidence_map(ax, emap: pd.DataFrame) -> None:
    """Draw :func:`evidence_map` rows: marker shape and colour = direction, fill = strength of design."""
    from matplotlib.lines import Line2D

    dir_colors, _ = _colors()
    rows = emap.drop_duplicates("row").sort_values("row")
    cols = emap.drop_duplicates("col").sort_values("col")
    for k in range(len(rows) + 1):
        ax.axhline(k - 0.5, color="#DDDDDD", lw=0.8, zorder=0)
    for k in range(len(cols) + 1):
        ax.axvline(k - 0.5, color="#DDDDDD", lw=0.8, zorder=0)
    for (direction, strength), g in emap.groupby(["direction", "design_strength"], sort=True):
        color = dir_colors[direction]
        face = {3: color, 2: color + "66", 1: "white"}[int(strength)]
        ax.scatter(g["x"], g["y"], marker=DIRECTION_MARKERS[direction], s=46, facecolors=face,
                   edgecolors=color, linewidths=1.2, zorder=3)
    ax.set_xticks(cols["col"].to_numpy(), cols["outcome_label"].to_list(), rotation=35, ha="right")
    ax.set_yticks(rows["row"].to_numpy(), rows["policy_label"].to_list())
    ax.set_xlim(-0.5, len(cols) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.tick_params(length=0)
    handles = [Line2D([], [], ls="", marker=DIRECTION_MARKERS[d], color=dir_colors[d], label=DIRECTIONS[d])
               for d in DIRECTIONS]
    handles += [Line2D([], [], ls="", marker="s", markeredgecolor="black",
                       markerfacecolor={3: "black", 2: "#00000066", 1: "white"}[s], label=STRENGTH_LABELS[s])
                for s in (3, 2, 1)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              title="direction / design", title_fontsize=8)


def plot_percent_findings(ax, rows: pd.DataFrame, xlabel: str = "Change reported by the study (%)",
                          wrap: int = 70) -> None:
    """Horizontal dot chart of verified percent changes (``value_pct``), coloured by which way the policy
    leans; approximate figures are marked with a leading '~' and a hollow dot."""
    from matplotlib.lines import Line2D

    rows = require_numeric(rows, where="plot_percent_findings")
    if rows["value_pct"].isna().any():
        bad = rows.loc[rows["value_pct"].isna(), "study_id"].iloc[0]
        raise InputError(where="plot_percent_findings", field="value_pct", value=None,
                         problem=f"study_id {bad} is not on a percent-change scale",
                         fix="select rows with numeric_findings(scale=['proportion_change', 'percent_change'])")
    _, lean_colors = _colors()
    y = np.arange(len(rows))
    for k, (_, r) in enumerate(rows.iterrows()):
        color = lean_colors[r["policy_lean"]]
        approx = bool(r["approximate"]) if not pd.isna(r["approximate"]) else False
        ax.plot([0, r["value_pct"]], [k, k], color=color, lw=1.0, alpha=0.6)
        ax.scatter(r["value_pct"], k, s=40, color=color, facecolors="white" if approx else color, zorder=3,
                   linewidths=1.3)
    labels = [_wrap(("~ " if (not pd.isna(a) and bool(a)) else "") + str(lab), wrap)
              for a, lab in zip(rows["approximate"], rows["label"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    present = [lean for lean in lean_colors if lean in set(rows["policy_lean"])]
    handles = [Line2D([], [], ls="", marker="o", color=lean_colors[lean], label=f"policy: {lean}")
               for lean in present]
    handles.append(Line2D([], [], ls="", marker="o", color="black", markerfacecolor="white",
                          label="~ approximate in the source"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)


def plot_shares(ax, rows: pd.DataFrame, xlabel: str = "Share of respondents (%)", wrap: int = 34) -> None:
    """Horizontal bars for verified survey shares (scale ``percent_of_respondents``), values written on the bars."""
    from helpers.plots import OKABE_ITO

    rows = require_numeric(rows, where="plot_shares")
    wrong = rows[rows["scale"] != "percent_of_respondents"]
    if len(wrong):
        raise InputError(where="plot_shares", field="scale", value=wrong["scale"].iloc[0],
                         problem=f"study_id {wrong['study_id'].iloc[0]} is not a share of respondents",
                         allowed="percent_of_respondents")
    y = np.arange(len(rows))
    ax.barh(y, rows["value"], color=OKABE_ITO["vermillion"])
    for k, v in enumerate(rows["value"]):
        ax.text(v + 1, k, f"{v:.0f}%", va="center", fontsize=8)
    ax.set_yticks(y, [_wrap(o, wrap) for o in rows["outcome"]], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)


def plot_tallies(ax, tallies: pd.DataFrame) -> None:
    """Bars of :func:`rearrest_tallies`: people released despite a detainer, and those later re-arrested."""
    from helpers.plots import OKABE_ITO

    y = np.arange(len(tallies))
    ax.barh(y, tallies["released"], color=OKABE_ITO["sky_blue"], label="released despite a detainer")
    ax.barh(y, tallies["rearrested"], color=OKABE_ITO["vermillion"], label="of whom re-arrested in the period")
    for k, (_, r) in enumerate(tallies.iterrows()):
        approx = "about " if (not pd.isna(r["approximate"]) and bool(r["approximate"])) else ""
        ax.text(r["released"] + 150, k, f"{approx}{r['rearrested']:,} of {r['released']:,} ({r['share_pct']:.0f}%)",
                va="center", fontsize=8)
    ax.set_yticks(y, [_wrap(p, 30) for p in tallies["period"]], fontsize=8)
    ax.set_xlim(0, float(tallies["released"].max()) * 1.45)
    ax.set_ylim(len(tallies) - 0.5, -0.5)
    ax.set_xlabel("People")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, fontsize=8)
