"""Charts of the legal layer: the state map, 287(g) agreements over time, the compliance matrix, the timeline of authorities and the legal risks.

Each function draws a chart in the house style of :mod:`helpers.plots`; the numbers come
from the computing modules, which return tables and draw nothing."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers import legal
from helpers.agreements import MODELS, MODEL_NAMES, counts_over_time, runs, source_ids
from helpers.legal import REGIME_SHORT, RISKS, VERDICTS, VERDICT_COLORS, VERDICT_TEXT
from helpers.options import OPTION_CODES
from helpers.states import GREY_HATCH_FILL, REGIME_COLORS, REGIME_TEXT, _map_sources, day_text, map_table

__all__ = ['plot_agreements_over_time', 'plot_state_map', 'plot_compliance_matrix', 'plot_timeline', 'plot_risks']


def plot_agreements_over_time(ax=None):
    """Agreements over time by model: ICE list snapshots as lines (broken where snapshots are more than
    :data:`MAX_GAP_DAYS` apart), the total in black, and later DHS totals as separate points (not joined:
    the months between are not observed). Hollow markers: counts not rechecked here. Sets a finding title and
    a REAL caption; returns ``(fig, ax)``."""
    import matplotlib.dates as mdates
    from matplotlib import patheffects

    from helpers import plots

    fig, ax = plots.figure_for(ax, figsize=(9, 4.8))
    long = counts_over_time()
    colors = {"TFM": plots.OPTION_COLORS["TFM"], "WSO": plots.OPTION_COLORS["WSO"],
              "JEM": plots.OPTION_COLORS["JEM"], "total": plots.OKABE_ITO["black"]}
    markers = {"TFM": "o", "WSO": "s", "JEM": "^", "total": "D"}
    # a thin dark outline keeps the light palette colours (yellow) visible on white
    outline = [patheffects.Stroke(linewidth=3.4, foreground="#333333"), patheffects.Normal()]
    snaps = long[long["counter"] == "ICE list snapshot"]
    for model in (*MODELS, "total"):
        sub = snaps[snaps["model"] == model].sort_values("date").reset_index(drop=True)
        label = "All models (ICE list)" if model == "total" else f"{MODEL_NAMES[model]} ({model})"
        for k, run in enumerate(runs(sub["date"])):
            part = sub.loc[run]
            ax.plot(part["date"], part["count"], color=colors[model], linewidth=2.2,
                    label=label if k == 0 else None, path_effects=outline)
        ok = sub["verified"] == "yes"
        ax.plot(sub.loc[ok, "date"], sub.loc[ok, "count"], linestyle="none", marker=markers[model],
                color=colors[model], markersize=5)
        ax.plot(sub.loc[~ok, "date"], sub.loc[~ok, "count"], linestyle="none", marker=markers[model],
                markerfacecolor="white", color=colors[model], markersize=4)
    rel = long[(long["counter"] != "ICE list snapshot") & (long["model"] == "total")]
    if len(rel):
        ax.plot(rel["date"], rel["count"], linestyle="none", marker="D", color=colors["total"], markersize=7,
                markerfacecolor=plots.OKABE_ITO["sky_blue"], label="All models (DHS release, not joined)")
        for _, r in rel.iterrows():
            ax.annotate(f"{r['count']:,}", (r["date"], r["count"]), textcoords="offset points", xytext=(6, -4),
                        fontsize=8)
    first = snaps[snaps["model"] == "total"].sort_values("date").iloc[0]
    last_snap = snaps[snaps["model"] == "total"].sort_values("date").iloc[-1]
    finding = (f"ICE's 287(g) list grew from {first['count']:,} to {last_snap['count']:,} agreements "
               f"({first['date'].day} {first['date']:%B} to {last_snap['date'].day} {last_snap['date']:%B %Y})")
    if len(rel):
        latest = rel.sort_values("date").iloc[-1]
        finding += f";\nDHS reported {latest['count']:,} on {latest['date'].day} {latest['date']:%B %Y}"
    plots.finding_title(ax, finding, subtitle="Agreements by 287(g) model; gaps are months with no published count")
    ax.set_xlabel("Date of ICE's list or DHS release")
    ax.set_ylabel("287(g) agreements (count)")
    ax.set_ylim(0, None)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.legend(fontsize=8, loc="upper left")
    plots.caption(fig, "REAL", sources=source_ids(),
                  note="Counts are agreements, not agencies; hollow markers are tallies of ICE's archived lists not "
                       "rechecked here; a listing does not show how an agreement is used")
    return fig, ax


def plot_state_map(ax=None):
    """Tile-grid map of the 50 states and DC by regime: fill colour = regime, the number under each code =
    options open to a municipality there; hatched tiles are partial rows (a best reading, not confirmed), and
    a thick black frame marks a state whose own exceptions open or close options compared with its regime
    type. Sets a finding title and a REAL caption; returns ``(fig, ax)``."""
    from matplotlib.patches import Patch, Rectangle

    from helpers import plots

    fig, ax = plots.figure_for(ax, figsize=(10, 6.4))
    t = map_table()
    for code, r in t.iterrows():
        x, y = r["col"], -r["row"]
        partial = r["verified"] != "yes"
        # fill and white hatching (hatch lines take the edge colour), then a black frame on its own
        ax.add_patch(Rectangle((x - 0.46, y - 0.46), 0.92, 0.92, facecolor=REGIME_COLORS[r["regime"]],
                               edgecolor="#FFFFFF", linewidth=0.8, hatch="///" if partial else None))
        if r["menu_changed"]:
            ax.add_patch(Rectangle((x - 0.44, y - 0.44), 0.88, 0.88, facecolor="none", edgecolor="#000000",
                                   linewidth=3.0))
        color = REGIME_TEXT[r["regime"]]
        # text on a small plain box so hatching never runs through the letters
        box = dict(boxstyle="round,pad=0.2", facecolor=REGIME_COLORS[r["regime"]], edgecolor="none")
        ax.text(x, y + 0.12, code, ha="center", va="center", fontsize=10, fontweight="bold", color=color,
                bbox=box if partial else None)
        ax.text(x, y - 0.22, f"{r['n_open']} open", ha="center", va="center", fontsize=7, color=color,
                bbox=box if partial else None)
    ax.set_xlim(-0.6, max(t["col"]) + 0.6)
    ax.set_ylim(-max(t["row"]) - 0.6, 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    counts = t["regime"].value_counts()
    handles = [Patch(facecolor=REGIME_COLORS[g], edgecolor="#333333",
                     label=f"{legal.REGIME_SHORT[g]} ({int(counts.get(g, 0))})") for g in legal.REGIMES]
    handles += [Patch(facecolor=GREY_HATCH_FILL, edgecolor="#FFFFFF", hatch="///",
                      label=f"Partial row: a best reading ({int((t['verified'] != 'yes').sum())})"),
                Patch(facecolor="white", edgecolor="#000000", linewidth=3.0,
                      label=f"Own exceptions change what is open ({int(t['menu_changed'].sum())})")]
    # the legend sits in the empty top-left of the grid (rows 0-1, columns 1-4)
    x0 = (0.54 - ax.get_xlim()[0]) / (ax.get_xlim()[1] - ax.get_xlim()[0])
    ax.legend(handles=handles, loc="upper left", fontsize=8, bbox_to_anchor=(x0, 1.0), borderaxespad=0.0)
    dc = "DC" in t.index and t.loc["DC", "regime"]
    lim = counts.get("limits_cooperation", 0)
    lim_text = (f"{lim - 1} states and DC limit it" if dc == "limits_cooperation" else f"{lim} limit it")
    finding = (f"{int(counts.get('requires_cooperation', 0))} states require cooperation with ICE, {lim_text}, "
               f"{int(counts.get('neutral', 0))} have no statewide rule;\n"
               f"in {int(t['menu_changed'].sum())} of them the state's own exceptions change which options are open")
    plots.finding_title(ax, finding, subtitle=f"Closest regime of each state's law; number = options open to a "
                                              f"municipality (of {len(OPTION_CODES)}); legal data as of "
                                              f"{day_text(legal.as_of())}")
    plots.caption(fig, "REAL", sources=_map_sources(t.index),
                  note="Regimes and exceptions from data/states.csv applied to data/legal_rules.csv (our reading of "
                       "the sources; helpers.states). Tile positions are schematic, not geographic. Legal "
                       "information for teaching, not legal advice")
    return fig, ax


def plot_compliance_matrix(matrix: pd.DataFrame, ax) -> None:
    """Options (rows) x regimes (columns) as coloured cells with the verdict written in each."""
    from matplotlib.colors import ListedColormap

    codes = {v: i for i, v in enumerate(VERDICTS)}
    grid = matrix.replace(codes).astype(int).to_numpy()
    cmap = ListedColormap([VERDICT_COLORS[v] for v in VERDICTS])
    ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=len(VERDICTS) - 0.5, aspect="auto")
    for (i, j), verdict in np.ndenumerate(matrix.to_numpy()):
        ax.text(j, i, f"{verdict}", ha="center", va="center", color=VERDICT_TEXT[verdict], fontsize=9,
                fontweight="bold")
    ax.set_xticks(range(matrix.shape[1]), [REGIME_SHORT[r] for r in matrix.columns])
    ax.set_yticks(range(matrix.shape[0]), list(matrix.index))
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("State regime")
    ax.set_ylabel("Option (most to least cooperation)")


def plot_timeline(events: pd.DataFrame, ax, seed: int = 0) -> None:
    """Authorities by year (x) and kind (y); hollow markers for partly verified rows. Points of the same
    year and kind are spread by a small seeded jitter so they stay visible."""
    kinds = ["state_law", "case", "executive", "guidance", "regulation", "statute"]
    labels = {"state_law": "State or local law", "case": "Court decision", "executive": "Executive action",
              "guidance": "Agency form or program", "regulation": "Regulation", "statute": "Federal statute"}
    rng = np.random.default_rng(seed)
    for k, kind in enumerate(kinds):
        sub = events[events["kind"] == kind]
        if sub.empty:
            continue
        y = k + rng.uniform(-0.25, 0.25, len(sub))
        x = sub["year"].astype(float).to_numpy() + rng.uniform(-0.3, 0.3, len(sub))
        ok = (sub["verified"] == "yes").to_numpy()
        color = ["#0072B2", "#D55E00", "#CC79A7", "#009E73", "#56B4E9", "#000000"][k]
        ax.scatter(x[ok], y[ok], s=36, color=color, edgecolor=color, zorder=3)
        ax.scatter(x[~ok], y[~ok], s=36, facecolor="white", edgecolor=color, linewidth=1.5, zorder=3)
    ax.set_yticks(range(len(kinds)), [labels[k] for k in kinds])
    ax.axvspan(2024.5, 2025.5, color="#F0E442", alpha=0.3, zorder=1)
    ax.set_xlabel("Year enacted, issued or decided")
    ax.set_xlim(1985, 2027.5)
    ax.grid(axis="x", alpha=0.3)


def plot_risks(scores: pd.DataFrame, ax, colors: Mapping[str, str]) -> None:
    """Grouped horizontal bars: for each risk, one bar per option (option colours)."""
    n_opt = len(scores.index)
    height = 0.8 / n_opt
    for j, code in enumerate(scores.index):
        y = np.arange(len(scores.columns)) + (j - (n_opt - 1) / 2) * height
        ax.barh(y, scores.loc[code].to_numpy(), height=height, color=colors[code], label=code)
    for i, risk in enumerate(scores.columns):
        if (scores[risk] == 0).all():
            ax.text(0.01, i, "0 for every option", va="center", ha="left", fontsize=9, color="#6E6E6E")
    ax.set_yticks(range(len(scores.columns)), [RISKS[r]["label"] for r in scores.columns])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("Exposure score (0 none to 1 highest; ILLUSTRATIVE ordinal scale)")
    ax.legend(ncols=4, loc="lower right", fontsize=8)
