"""Accessibility of the collection: colour-blind-safe palette, alt text for every chart, headings in order,
and a reading time for every notebook.

Palette. Every pair of colours in each categorical colour set of ``helpers`` (the option colours and
the general palette in ``helpers.plots``, and any other ``*_COLORS`` / ``*PALETTE`` set) must stay apart by a CIEDE2000 colour difference of at least ``MIN_DELTA_E`` for
normal colour vision and for the three dichromacies (protanopia, deuteranopia, tritanopia), simulated
at full severity with the matrices of Machado, Oliveira and Fernandes (2009), "A physiologically-based
model for simulation of color vision deficiency", IEEE TVCG 15(6), applied in linear RGB. The colour
maths is written out here and checked against published reference values (Sharma, Wu and Dalal 2005
test data for CIEDE2000), so the check itself is tested. A difference of 10 is a common working
threshold for colours that must be told apart in small chart marks; the threshold is a stated
assumption, and a known red/green pair (matplotlib's default red and green) fails it under deuteranopia.

Alt text. The house convention (CONTRIBUTING.md) is that the markdown cell right after each chart starts
with ``**Chart description.**`` and describes the chart in words; the site uses that text as the image's
alt attribute.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

from helpers import paths, plots, site
from helpers.options import OPTION_CODES

MIN_DELTA_E = 10.0
MIN_ALT_WORDS = 8
WCAG_TEXT_CONTRAST = 4.5

#: Machado et al. (2009), severity 1.0, for linear RGB.
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISIONS = ("normal",) + tuple(MACHADO)


# --- colour maths --------------------------------------------------------------------------------------

def hex_to_rgb(color: str) -> np.ndarray:
    h = color.lstrip("#")
    assert re.fullmatch(r"[0-9a-fA-F]{6}", h), f"not a #RRGGBB colour: {color!r}"
    return np.array([int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def srgb_to_linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(color: str, vision: str) -> np.ndarray:
    """sRGB (0-1) of ``color`` as seen with the given colour vision."""
    rgb = hex_to_rgb(color)
    if vision == "normal":
        return rgb
    return linear_to_srgb(MACHADO[vision] @ srgb_to_linear(rgb))


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour."""
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    t = (m @ srgb_to_linear(np.asarray(rgb, dtype=float))) / np.array([0.95047, 1.0, 1.08883])
    d = 6 / 29
    f = np.where(t > d ** 3, np.cbrt(t), t / (3 * d * d) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e_2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005 formulation)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p - h1p > 180 else h2p - h1p + 360
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (dc / s_c) * (d_h / s_h))


def closest_pairs(colors: dict[str, str], vision: str) -> list[tuple[float, str, str]]:
    """Every pair of named colours with its CIEDE2000 difference under ``vision``, closest first."""
    lab = {k: rgb_to_lab(simulate(v, vision)) for k, v in colors.items()}
    return sorted((delta_e_2000(lab[a], lab[b]), a, b) for a, b in itertools.combinations(colors, 2))


def contrast_ratio(c1: str, c2: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    def lum(c):
        r, g, b = srgb_to_linear(hex_to_rgb(c))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    hi, lo = sorted((lum(c1), lum(c2)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- the colour maths is right ----------------------------------------------------------------------------

@pytest.mark.parametrize("lab1, lab2, expected", [
    # Sharma, Wu and Dalal (2005), CIEDE2000 test data, pairs 1, 2, 7 and 17.
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
])
def test_delta_e_2000_matches_published_reference_values(lab1, lab2, expected):
    assert delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_simulation_keeps_greys_and_white_and_lab_is_standard():
    for vision in MACHADO:
        for grey in ("#000000", "#808080", "#FFFFFF"):
            assert simulate(grey, vision) == pytest.approx(hex_to_rgb(grey), abs=2e-3)
    assert rgb_to_lab(hex_to_rgb("#FFFFFF")) == pytest.approx([100, 0, 0], abs=1e-3)
    assert rgb_to_lab(hex_to_rgb("#FF0000")) == pytest.approx([53.24, 80.09, 67.20], abs=0.05)


def test_check_flags_a_red_green_pair_under_deuteranopia():
    red_green = {"red": "#D62728", "green": "#2CA02C"}  # matplotlib tab10 red and green
    assert closest_pairs(red_green, "normal")[0][0] > 50
    assert closest_pairs(red_green, "deuteranopia")[0][0] < MIN_DELTA_E


# --- the house palette ------------------------------------------------------------------------------------

def test_every_option_has_its_own_colour():
    assert set(plots.OPTION_COLORS) == set(OPTION_CODES)
    assert len({c.upper() for c in plots.OPTION_COLORS.values()}) == len(OPTION_CODES)


def colour_sets() -> dict[str, dict[str, str]]:
    """Every categorical colour set in ``helpers``: module-level names ending in COLORS or PALETTE that hold
    two or more #RRGGBB colours (a new set in any module is checked without editing this test)."""
    import importlib
    import pkgutil

    import helpers

    found: dict[str, dict[str, str]] = {}
    seen: set[int] = set()
    for info in pkgutil.iter_modules(helpers.__path__):
        if info.name == "__main__":
            continue
        module = importlib.import_module(f"helpers.{info.name}")
        for name, value in vars(module).items():
            if not name.endswith(("COLORS", "PALETTE")) or not isinstance(value, (dict, list)) or id(value) in seen:
                continue
            colors = dict(value) if isinstance(value, dict) else {c: c for c in value}
            if len(colors) >= 2 and all(isinstance(c, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", c)
                                        for c in colors.values()):
                seen.add(id(value))
                found[f"{info.name}.{name}"] = colors
    return found


COLOUR_SETS = colour_sets()


def test_the_house_palettes_are_among_the_checked_sets():
    assert {"plots.OPTION_COLORS", "plots.PALETTE"} <= set(COLOUR_SETS)


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", sorted(COLOUR_SETS))
def test_palette_colours_stay_distinguishable(name, vision):
    too_close = [(round(d, 1), a, b) for d, a, b in closest_pairs(COLOUR_SETS[name], vision) if d < MIN_DELTA_E]
    assert not too_close, (f"helpers.{name}: these colour pairs are hard to tell apart with {vision} vision "
                           f"(CIEDE2000 below {MIN_DELTA_E}): {too_close}")


def test_caption_grey_is_readable_on_white():
    assert contrast_ratio(plots.GREY, "#FFFFFF") >= WCAG_TEXT_CONTRAST


# --- notebooks: alt text, headings, reading time ----------------------------------------------------------

NOTEBOOKS = paths.notebook_paths(include_exercises=True)
MAIN = paths.notebook_paths(include_exercises=False)


def _ids(nbs):
    return [paths.relative(p) for p in nbs]


def test_there_are_notebooks_to_check():
    assert MAIN, "no notebooks found in notebooks/"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_every_chart_has_a_chart_description(nb_path):
    missing, short = [], []
    for index, text in site.chart_descriptions(nb_path):
        if text is None:
            missing.append(index)
            continue
        first_paragraph = re.split(r"\n\s*\n", text)[0]
        if len(first_paragraph.split()) < MIN_ALT_WORDS:
            short.append(index)
    assert not missing, (f"{paths.relative(nb_path)}: chart cell(s) {missing} (0-based) are not followed by a "
                         f"markdown cell starting '{site.CHART_DESCRIPTION}' with alt text")
    assert not short, (f"{paths.relative(nb_path)}: the chart description after cell(s) {short} is shorter than "
                       f"{MIN_ALT_WORDS} words; say what the chart shows")


def heading_problems(markdown_cells: list[str]) -> list[str]:
    """Heading-order problems in a document given as markdown texts in order."""
    found = [h for text in markdown_cells for h in site.headings(text)]
    problems = []
    if not found or found[0][0] != 1:
        problems.append("the first heading is not a level-1 title")
    h1 = [t for level, t in found if level == 1]
    if len(h1) > 1:
        problems.append(f"more than one level-1 heading: {h1}")
    for (prev, _), (level, text) in zip(found, found[1:]):
        if level > prev + 1:
            problems.append(f"heading {'#' * level} {text!r} skips a level after a level-{prev} heading")
    return problems


def test_heading_checker_finds_skips_and_extra_titles():
    assert heading_problems(["# A\n## B\n### C\n## D"]) == []
    assert heading_problems(["# A\n### C"]) == ["heading ### 'C' skips a level after a level-1 heading"]
    assert heading_problems(["## A", "# B"]) == ["the first heading is not a level-1 title"]
    assert "more than one level-1 heading" in heading_problems(["# A", "# B"])[0]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_headings_are_in_order(nb_path):
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    cells = ["".join(c.source) for c in nb.cells if c.cell_type == "markdown"]
    assert heading_problems(cells) == [], paths.relative(nb_path)


DOCS = sorted((paths.ROOT / "docs").glob("*.md")) + [paths.ROOT / "book" / "intro.md"]


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_document_headings_are_in_order(doc):
    assert heading_problems([doc.read_text(encoding="utf-8")]) == [], paths.relative(doc)


@pytest.mark.parametrize("nb_path", MAIN, ids=_ids(MAIN))
def test_each_notebook_has_a_title_and_a_reading_time(nb_path):
    summary = site.notebook_summary(nb_path)
    assert summary["title"], f"{paths.relative(nb_path)} has no level-1 title"
    assert 1 <= summary["minutes"] <= 60
    assert f"about {summary['minutes']} min" in site.contents_table([nb_path])
