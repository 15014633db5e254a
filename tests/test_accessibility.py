"""Accessibility of the collection: colour-blind-safe palette, alt text for every chart, headings in order,
and a reading time for every notebook.

Palette. Every pair of colours in each categorical colour set of ``helpers`` (the option colours and
the general palette in ``helpers.plots``, and any other ``*_COLORS`` / ``*PALETTE`` set) must stay apart by a CIEDE2000 colour difference of at least ``MIN_DELTA_E`` for
normal colour vision and for the three dichromacies (protanopia, deuteranopia, tritanopia), simulated
at full severity with the matrices of Machado, Oliveira and Fernandes (2009), "A physiologically-based
model for simulation of color vision deficiency", IEEE TVCG 15(6), applied in linear RGB (their
tritanopia model is an approximation, as its authors and the library say). The colour
maths comes from the colour-science library and is checked here against published reference values
(Sharma, Wu and Dalal 2005 test data for CIEDE2000), so the check itself is tested. A difference of 10 is a common working
threshold for colours that must be told apart in small chart marks; the threshold is a stated
assumption, and a known red/green pair (matplotlib's default red and green) fails it under deuteranopia.

Alt text. The house convention (CONTRIBUTING.md) is that the markdown cell right after each chart starts
with ``**Chart description.**`` and describes the chart in words; the site uses that text as the image's
alt attribute.
"""

from __future__ import annotations

import itertools
import re
import warnings

import numpy as np
import pytest

from helpers import paths, plots, site
from helpers.options import OPTION_CODES

MIN_DELTA_E = 10.0
MIN_ALT_WORDS = 8
WCAG_TEXT_CONTRAST = 4.5

#: Colour-vision deficiencies simulated at full severity (dichromacy) with Machado et al. (2009).
DEFICIENCIES = {"protanopia": "Protanomaly", "deuteranopia": "Deuteranomaly", "tritanopia": "Tritanomaly"}
VISIONS = ("normal",) + tuple(DEFICIENCIES)


# --- colour maths (the colour-science library) -------------------------------------------------------------

def _colour():
    """The colour-science library, loaded when a colour check first runs (loading it takes a second or two,
    which every test worker would otherwise pay while collecting)."""
    import colour

    return colour


def hex_to_rgb(color: str) -> np.ndarray:
    h = color.lstrip("#")
    assert re.fullmatch(r"[0-9a-fA-F]{6}", h), f"not a #RRGGBB colour: {color!r}"
    return np.array([int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def simulate(color: str, vision: str) -> np.ndarray:
    """sRGB (0-1) of ``color`` as seen with the given colour vision (the matrices apply in linear RGB)."""
    rgb = hex_to_rgb(color)
    if vision == "normal":
        return rgb
    with warnings.catch_warnings():
        # The library reminds its users that Machado et al. model tritanopia only approximately (a shift of
        # the S cone); that caveat applies to this check too, and is stated in the module docstring.
        warnings.simplefilter("ignore", _colour().utilities.ColourUsageWarning)
        matrix = _colour().blindness.matrix_cvd_Machado2009(DEFICIENCIES[vision], 1.0)
    linear = matrix @ _colour().cctf_decoding(rgb, function="sRGB")
    return _colour().cctf_encoding(np.clip(linear, 0.0, 1.0), function="sRGB")


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour."""
    return _colour().XYZ_to_Lab(_colour().sRGB_to_XYZ(np.asarray(rgb, dtype=float)))


def delta_e_2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference."""
    return float(_colour().delta_E(np.asarray(lab1, dtype=float), np.asarray(lab2, dtype=float), method="CIE 2000"))


def closest_pairs(colors: dict[str, str], vision: str) -> list[tuple[float, str, str]]:
    """Every pair of named colours with its CIEDE2000 difference under ``vision``, closest first."""
    lab = {k: rgb_to_lab(simulate(v, vision)) for k, v in colors.items()}
    return sorted((delta_e_2000(lab[a], lab[b]), a, b) for a, b in itertools.combinations(colors, 2))


def contrast_ratio(c1: str, c2: str) -> float:
    """WCAG 2 contrast ratio of two colours (relative luminance is CIE Y of the sRGB colour)."""
    hi, lo = sorted((_colour().sRGB_to_XYZ(hex_to_rgb(c))[1] for c in (c1, c2)), reverse=True)
    return float((hi + 0.05) / (lo + 0.05))


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
    for vision in DEFICIENCIES:
        for grey in ("#000000", "#808080", "#FFFFFF"):
            assert simulate(grey, vision) == pytest.approx(hex_to_rgb(grey), abs=2e-3)
    assert rgb_to_lab(hex_to_rgb("#FFFFFF")) == pytest.approx([100, 0, 0], abs=0.01)
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
