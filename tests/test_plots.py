"""Plotting helpers: captions that say where numbers come from, titles, the option palette, text the font can
draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import options, plots  # noqa: E402
from helpers.errors import InputError  # noqa: E402


def test_caption_requires_sources_for_real_numbers():
    with pytest.raises(InputError, match="must name its sources"):
        plots.caption_text("REAL")
    with pytest.raises(InputError, match="ILLUSTRATIVE"):
        plots.caption_text("GUESS")
    text = plots.caption_text("ILLUSTRATIVE", note="Assumed values")
    assert text.startswith("ILLUSTRATIVE") and text.endswith("Assumed values.")
    assert "REAL data" in plots.caption_text("real", ["hausman2020"])


def test_caption_is_drawn_on_the_figure():
    fig, ax = plots.new_figure()
    plots.finding_title(ax, "Reporting is below half")
    text = plots.caption(fig, "REAL", "bjs-criminal-victimization-2022-ncj")
    assert any(t.get_text().replace("\n", " ") == text for t in fig.texts)
    assert ax.get_title(loc="left") == "Reporting is below half"
    with pytest.raises(InputError):
        plots.finding_title(ax, "  ")
    plt.close(fig)


def test_option_colours_are_distinct_and_from_the_palette():
    assert set(plots.OPTION_COLORS) == set(options.OPTION_CODES)
    assert len(set(plots.OPTION_COLORS.values())) == 7
    assert set(plots.OPTION_COLORS.values()) <= set(plots.OKABE_ITO.values())


# Glyphs: names the chart font cannot draw.
def test_drawable_replaces_only_what_the_font_lacks():
    assert plots.drawable("Riverton (fictional): $1 & São Paulo – Zürich") == \
        "Riverton (fictional): $1 & São Paulo – Zürich"
    assert plots.drawable("東京 Tokyo", fontweight="bold") == "?? Tokyo"
    assert plots.drawable("🏙️ City") == "? City"  # the emoji's variation selector goes with it
