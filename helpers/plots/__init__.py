"""The house plotting style: colour-blind-safe colours, finding-first titles, provenance captions.

Every chart in the collection:

- uses the Okabe-Ito palette (distinguishable under the common forms of colour-vision deficiency);
- has a title that states the finding (:func:`finding_title`), not just the variable;
- carries a caption line that says whether its numbers are REAL or ILLUSTRATIVE and names the sources
  (:func:`caption`), so a reader can trace every number to ``data/sources.csv``.

This package is the charts layer: every chart function of the collection lives here, named ``plot_*``,
and the computing modules (model, decision, evidence, legal, states...) return tables and draw nothing.
The house style is in this file; the charts are grouped by layer in :mod:`helpers.plots.evidence`,
:mod:`helpers.plots.legal`, :mod:`helpers.plots.model`, :mod:`helpers.plots.decision` and
:mod:`helpers.plots.report`, and all are reachable as ``plots.plot_...``.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from helpers.errors import InputError

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
PALETTE: list[str] = [OKABE_ITO[k] for k in
                      ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple", "yellow",
                       "black")]

#: One fixed colour per option, the same in every notebook (most cooperation = vermillion/orange,
#: least = blue/green), so readers learn them once.
OPTION_COLORS: dict[str, str] = {
    "TFM": OKABE_ITO["vermillion"],
    "JEM": OKABE_ITO["orange"],
    "WSO": OKABE_ITO["yellow"],
    "FULL": OKABE_ITO["reddish_purple"],
    "COND": OKABE_ITO["sky_blue"],
    "NOTIFY": OKABE_ITO["bluish_green"],
    "STRICT": OKABE_ITO["blue"],
}
GREY = "#6E6E6E"
PROVENANCE_KINDS = ("REAL", "ILLUSTRATIVE", "REAL and ILLUSTRATIVE")


def apply_style() -> None:
    """Set the house matplotlib defaults (call once at the top of a notebook)."""
    mpl.rcParams.update({
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 100,
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 10,
        "legend.frameon": False,
        "font.size": 10,
        "savefig.bbox": "tight",
        "figure.constrained_layout.use": True,
        # A thin dark outline on bars and other filled shapes: light palette colours (yellow, sky blue)
        # have low contrast against white, and the outline keeps every bar visible.
        "patch.force_edgecolor": True,
        "patch.edgecolor": "#333333",
        "patch.linewidth": 0.6,
    })


def finding_title(ax, finding: str, subtitle: str | None = None) -> None:
    """Title that states the finding (a full sentence), with an optional smaller subtitle line."""
    if not finding or not finding.strip():
        raise InputError(where="finding_title", field="finding", value=finding,
                         allowed="a sentence stating what the chart shows")
    ax.set_title(finding if subtitle is None else f"{finding}\n", loc="left")
    if subtitle:
        ax.text(0, 1.01, subtitle, transform=ax.transAxes, fontsize=9, color=GREY, va="bottom", ha="left")


def drawable(text: str, replacement: str = "?", **font) -> str:
    """``text`` with every character the chart font cannot draw replaced by ``replacement`` (so matplotlib
    draws no empty boxes and warns about no missing glyph), e.g. a city name in a script the installed fonts
    lack. ``font`` takes the text's font settings (``fontsize``, ``fontweight``, ``fontstyle``, ``fontfamily``);
    missing combining marks and invisible format characters are dropped rather than replaced."""
    import unicodedata

    from matplotlib import font_manager as fm

    prop = fm.FontProperties(family=font.get("fontfamily"), style=font.get("fontstyle"),
                             weight=font.get("fontweight"), size=font.get("fontsize"))
    # The fonts Agg draws with: one per family in the font's family list (matplotlib falls back along it
    # for a missing glyph), or the default font when none of them is installed.
    files = []
    for family in prop.get_family():
        one = prop.copy()
        one.set_family(family)
        try:
            files.append(fm.findfont(one, fallback_to_default=False))
        except ValueError:  # this family is not installed
            pass
    fonts = [fm.get_font(f) for f in dict.fromkeys(files or [fm.findfont(prop)])]
    out: list[str] = []
    replaced = False  # the last letter was replaced: marks that modify it (e.g. an emoji selector) go too
    for ch in text:
        mark = unicodedata.category(ch) in ("Mn", "Me", "Cf")
        if mark and replaced:
            continue
        if ch.isspace() or ch.isascii() or any(f.get_char_index(ord(ch)) for f in fonts):
            out.append(ch)
            replaced = False
        elif not mark:
            out.append(replacement)
            replaced = True
    return "".join(out)


def caption_text(kind: str, sources: str | Iterable[str] | None = None, note: str | None = None) -> str:
    """The caption string: ``"REAL data. Source: ... . Note"``. ``kind`` is REAL, ILLUSTRATIVE or both."""
    from helpers.sources import cite

    k = str(kind).strip().upper()
    if k == "REAL AND ILLUSTRATIVE":
        k = "REAL and ILLUSTRATIVE"
    if k not in PROVENANCE_KINDS:
        raise InputError(where="caption", field="kind", value=kind, allowed=", ".join(PROVENANCE_KINDS))
    has_sources = sources is not None and (not isinstance(sources, str) or sources.strip())
    if k != "ILLUSTRATIVE" and not has_sources:
        raise InputError(where="caption", field="sources", value=sources,
                         problem="a chart with REAL numbers must name its sources",
                         fix="pass source ids from data/sources.csv")
    label = {"REAL": "REAL data", "ILLUSTRATIVE": "ILLUSTRATIVE numbers (assumptions, not measurements)",
             "REAL and ILLUSTRATIVE": "REAL data combined with ILLUSTRATIVE assumptions"}[k]
    parts = [label + "."]
    if has_sources:
        parts.append(f"Sources: {cite(sources)}.")
    if note:
        parts.append(note.rstrip(".") + ".")
    return " ".join(parts)


def caption(fig: Figure, kind: str, sources: str | Iterable[str] | None = None, note: str | None = None,
            width: int = 110) -> str:
    """Stamp a provenance caption under the figure; returns the caption text."""
    import textwrap

    text = caption_text(kind, sources, note)
    wrapped = "\n".join(textwrap.wrap(text, width=width))
    fig.text(0.0, -0.02, wrapped, ha="left", va="top", fontsize=8, color=GREY,
             transform=fig.transFigure)
    return text


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` with the house style applied."""
    apply_style()
    return plt.subplots(nrows, ncols, **kwargs)


def figure_for(ax=None, **kwargs):
    """``(fig, ax)``: the given axes and their figure, or a new one-panel figure in the house style."""
    if ax is None:
        return new_figure(**kwargs)
    apply_style()
    return ax.figure, ax


def plot_series(ax, frame, label: str, color: str, breaks: list[int] | None = None, marker: str = "o") -> None:
    """Plot a published series (columns ``year``, ``value``, ``verified``) without drawing across gaps or
    method breaks. Values seen only in a secondary source (``verified == "partial"``) get hollow markers."""
    from helpers.series import segments

    frame = frame.sort_values("year")
    years = [int(y) for y in frame["year"]]
    values = dict(zip(years, frame["value"].astype(float)))
    for run in segments(years, breaks):
        ax.plot(run, [values[y] for y in run], color=color, linewidth=1.8)
    full = frame[frame["verified"] == "yes"]
    part = frame[frame["verified"] != "yes"]
    ax.plot(full["year"].astype(int), full["value"].astype(float), linestyle="none", marker=marker, color=color,
            label=label)
    if len(part):
        ax.plot(part["year"].astype(int), part["value"].astype(float), linestyle="none", marker=marker,
                markerfacecolor="white", color=color, label=f"{label} (secondary source)")
    for b in breaks or []:
        if min(years) < b <= max(years):
            ax.axvline(b - 0.5, color=GREY, linestyle=":", linewidth=1)


SETTING_COLORS = {"Y": OKABE_ITO["vermillion"], "C": OKABE_ITO["yellow"], "N": OKABE_ITO["sky_blue"],
                  "NA": "#DDDDDD"}


def plot_lever_matrix(ax, matrix, directions=None) -> None:
    """Heat-map style grid of lever settings (rows: levers, columns: options), each cell lettered so the
    chart reads without colour. ``directions`` (lever name -> cooperation/safeguard/transparency) adds a
    marker to the row labels of levers where "Y" means more limits rather than more cooperation."""
    import numpy as np
    from matplotlib.colors import ListedColormap

    codes = ["Y", "C", "N", "NA"]
    grid = matrix.replace({c: i for i, c in enumerate(codes)}).astype(int).to_numpy()
    ax.imshow(grid, cmap=ListedColormap([SETTING_COLORS[c] for c in codes]), vmin=0, vmax=3, aspect="auto")
    for (i, j), v in np.ndenumerate(grid):
        ax.text(j, i, codes[v], ha="center", va="center", fontsize=9)
    labels = list(matrix.index)
    if directions is not None:
        labels = [f"{name} *" if directions.get(name) in ("safeguard", "transparency") else name for name in labels]
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xticks(range(matrix.shape[1]), list(matrix.columns))
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


# The charts of each layer (imported last: they use the house style above).
from helpers.plots.decision import *  # noqa: E402,F401,F403
from helpers.plots.evidence import *  # noqa: E402,F401,F403
from helpers.plots.legal import *  # noqa: E402,F401,F403
from helpers.plots.model import *  # noqa: E402,F401,F403
from helpers.plots.report import *  # noqa: E402,F401,F403
