"""Published national series: lookup, segments that never cross a break or a gap, the reporting funnel."""

from __future__ import annotations

import pytest

from helpers import series
from helpers.errors import InputError


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


def test_trend_words_name_a_rebound_instead_of_hiding_it():
    k, fy = (lambda v: f"{v / 1000:.0f}k"), (lambda y: f"FY{y}")
    det = series.series("ice_detainers_fy")
    assert series.trend_words(det["year"], det["value"], "Detainers", k, fy) == \
        "Detainers fell from 276k (FY2012) to 86k (FY2016), then rose to 142k (FY2017)"
    assert series.trend_words([1, 2, 3], [1, 3, 2], "X") == "X rose from 1 (1) to 3 (2), then fell to 2 (3)"
    assert series.trend_words([1, 2, 3], [3, 2, 1], "X") == "X fell from 3 (1) to 1 (3)"


def test_trend_words_call_a_printed_tie_flat_and_skip_missing_values():
    assert series.trend_words([1, 2, 3], [5.0, 5.2, float("nan")], "X") == "X stayed at about 5 from 1 to 2"
    # the last value differs from the low only below the printed precision: no "then rose"
    assert series.trend_words([1, 2, 3], [9.0, 2.0, 2.2], "X") == "X fell from 9 (1) to 2 (2)"


# ---------------------------------------------------------------------------------------------- inputs an analyst passes
def test_reporting_funnel_needs_percentage_series():
    with pytest.raises(InputError, match="not percent"):
        series.reporting_funnel(2019, reported_series="fbi_violent_crime_count")
    assert series.reporting_funnel(2019)["per_100"].iloc[1] == series.value("ncvs_violent_pct_reported", 2019)["value"]


def test_years_and_series_ids_of_the_wrong_type():
    with pytest.raises(InputError, match="whole number"):
        series.value("ncvs_violent_pct_reported", "2015")
    assert series.value("ncvs_violent_pct_reported", 2015.0)["year"] == 2015
    for bad in (None, 3, ["ncvs_violent_pct_reported"]):
        with pytest.raises(InputError, match="series_id"):
            series.series(bad)
    assert series.segments([2015, 2015, 2016, 2018]) == [[2015, 2015, 2016], [2018]]
