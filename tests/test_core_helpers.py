"""Unit tests for paths, options, sources, series and the plotting helpers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import options, paths, plots, series, sources  # noqa: E402
from helpers.errors import InputError, describe  # noqa: E402


def test_root_is_found_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert (paths.ROOT / "pyproject.toml").exists()
    assert paths.data_path("options") == paths.DATA / "options.csv"


def test_data_path_unknown_file_lists_known_files():
    with pytest.raises(InputError) as exc:
        paths.data_path("no_such_table")
    assert "options.csv" in str(exc.value)


def test_describe_builds_one_sentence():
    msg = describe(where="data/x.csv", row=3, field="rate", value=1.5, allowed="0 to 1", fix="use a share")
    assert msg == "data/x.csv, row 3, field 'rate': value 1.5 is not allowed; allowed: 0 to 1; fix: use a share"


def test_option_codes_are_the_seven_archetypes_in_order():
    table = options.load_options()
    assert tuple(table.index) == options.OPTION_CODES
    assert list(table["order"]) == list(range(1, 8))


def test_check_codes_normalises_and_rejects():
    assert options.check_codes(["strict", "TFM", "strict"]) == ["STRICT", "TFM"]
    with pytest.raises(InputError) as exc:
        options.check_codes(["FULL", "SANCTUARY"])
    assert "SANCTUARY" in str(exc.value) and "STRICT" in str(exc.value)
    with pytest.raises(InputError):
        options.check_codes([])
    for bad in (None, 5):
        with pytest.raises(InputError, match="field 'options'.*leave the argument out"):
            options.check_codes(bad)


def test_error_messages_cut_very_long_values():
    from helpers.errors import describe

    msg = describe(field="population", value=10 ** 400)
    assert "value a 401-digit number is not allowed" in msg and len(msg) < 200
    msg = describe(field="name", value="x" * 500)
    assert "(502 characters)" in msg and len(msg) < 200
    assert describe(field="x", value="short") == "field 'x': value 'short' is not allowed"


def test_lever_matrix_covers_every_lever_and_option():
    m = options.lever_matrix()
    assert m.shape == (13, 7)
    assert set(m.to_numpy().ravel()) <= {"Y", "N", "C", "NA"}
    num = options.lever_matrix(numeric=True)
    assert ((num >= 0) & (num <= 1)).all().all()


def test_cooperation_index_bounds_and_extremes():
    idx = options.cooperation_index()
    assert idx["STRICT"] == 0.0
    assert idx.idxmax() == "TFM"
    assert ((idx >= 0) & (idx <= 1)).all()
    # 287(g) models cooperate at least as much as any limiting option.
    assert min(idx[["TFM", "JEM", "WSO"]]) > max(idx[["COND", "NOTIFY", "STRICT"]])


def test_sources_get_keeps_order_and_rejects_unknown():
    rows = sources.get("law-case-04; hausman2020")
    assert list(rows["source_id"]) == ["law-case-04", "hausman2020"]
    with pytest.raises(InputError, match="no-such-id"):
        sources.get(["hausman2020", "no-such-id"])


def test_cite_is_short_and_counts_the_rest():
    text = sources.cite(["hausman2020", "jacome2022", "comino2020", "theodore2013", "wong2017"], max_items=2)
    assert text.startswith("Hausman, David K. (2020)")
    assert "+3 more" in text


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


def test_segments_never_cross_gaps_or_breaks():
    assert series.segments([2014, 2015, 2016, 2019, 2020], breaks=[2016]) == [[2014, 2015], [2016], [2019, 2020]]
    assert series.segments([2001, 2000, 2002]) == [[2000, 2001, 2002]]
    assert series.segments([]) == []


def test_series_lookup_and_errors():
    ncvs = series.series("ncvs_violent_pct_reported")
    assert list(ncvs["year"]) == sorted(ncvs["year"])
    assert float(series.value("ncvs_violent_pct_reported", 2022)["value"]) == 42.0
    with pytest.raises(InputError, match="ncvs_violent_pct_reported"):
        series.series("ncvs_violent_pct_reportd")
    with pytest.raises(InputError, match="years"):
        series.value("ncvs_violent_pct_reported", 1950)


def test_reporting_funnel_multiplies_published_shares():
    f = series.reporting_funnel(2022).set_index("stage")
    reported = float(series.value("ncvs_violent_pct_reported", 2022)["value"])
    cleared = float(series.value("fbi_violent_clearance_pct", 2022)["value"])
    assert f.loc["Reported to police", "per_100"] == reported
    assert f.loc["Cleared (approx.)", "per_100"] == pytest.approx(reported * cleared / 100, abs=0.05)
    assert not f.loc["Cleared (approx.)", "published"]
