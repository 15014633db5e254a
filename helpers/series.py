"""Published national series (``data/real_series.csv``): lookup, breaks, and the reporting funnel.

Values keep the published rounding and are never recomputed. Where a series changes method (the 2016
NCVS redesign, the FBI's 2021 switch to NIBRS-only reporting) or has missing years, charts must not draw
a line across the gap: :func:`segments` splits a series into runs that may be joined.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from helpers.data import load_table
from helpers.errors import InputError

#: Known breaks in method: a line is never drawn from a year before the break to the break year or after.
BREAKS: dict[str, list[tuple[int, str]]] = {
    "ncvs": [(2016, "2016 NCVS sample redesign: BJS says 2016 is not comparable to earlier years")],
    "fbi": [(2021, "2021 FBI switch to NIBRS-only reporting: 2021 figures are estimates from partial reporting")],
}


def series_ids() -> list[str]:
    return sorted(load_table("real_series")["series_id"].unique())


def series(series_id: str, verified_only: bool = False) -> pd.DataFrame:
    """Rows of one series sorted by year: year, value, unit, verified, source_ids, notes."""
    table = load_table("real_series")
    rows = table[table["series_id"] == series_id] if isinstance(series_id, str) else table.iloc[:0]
    if rows.empty:
        close = difflib.get_close_matches(series_id, series_ids(), n=3) if isinstance(series_id, str) else []
        raise InputError(where="data/real_series.csv", field="series_id", value=series_id,
                         allowed=("close matches: " + ", ".join(close)) if close else
                         "one series id as text, from data/real_series.csv (see series_ids())")
    if verified_only:
        rows = rows[rows["verified"] == "yes"]
    cols = ["year", "value", "unit", "verified", "source_ids", "notes"]
    return rows[cols].sort_values("year", kind="stable").reset_index(drop=True)


def value(series_id: str, year: int) -> pd.Series:
    """The single row of a series for a year (error if missing, or if the year has several as-of dates)."""
    rows = series(series_id)
    whole = not isinstance(year, bool) and isinstance(year, (int, np.integer, float, np.floating)) \
        and float(year).is_integer()
    hit = rows[rows["year"] == int(year)] if whole else rows.iloc[:0]
    if len(hit) != 1:
        raise InputError(where=f"series {series_id}", field="year", value=year,
                         problem="the year has several as-of dates; read the notes and pick one row"
                         if len(hit) > 1 else None,
                         allowed="years " + ", ".join(str(y) for y in rows["year"]) if whole
                         else "a year as a whole number, e.g. 2019 (not text)")
    return hit.iloc[0]


def break_years(series_id: str) -> list[int]:
    prefix = series_id.split("_")[0]
    return [year for year, _ in BREAKS.get(prefix, [])]


def segments(years: list[int], breaks: list[int] | None = None) -> list[list[int]]:
    """Split sorted years into runs of consecutive years not crossing a break year.

    >>> segments([2014, 2015, 2016, 2019, 2020], breaks=[2016])
    [[2014, 2015], [2016], [2019, 2020]]
    """
    breaks = breaks or []
    years = sorted(int(y) for y in years)
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1]:  # the same year again (several as-of dates): same run
            runs[-1].append(y)
        elif runs and y == runs[-1][-1] + 1 and y not in breaks:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def trend_words(years, values, what: str, fmt=lambda v: f"{v:,.0f}", year_fmt=str) -> str:
    """A chart title for a series that does not hide a turn: the way it went from its first value to its
    largest fall or rise, and, when the last value moved back from that extreme by a printed difference, the
    rebound too ("Detainers fell from 276k (FY2012) to 86k (FY2016), then rose to 142k (FY2017)").
    Missing values are skipped; the years are those of the values printed."""
    pts = sorted((int(y), float(v)) for y, v in zip(years, values) if not pd.isna(v))
    (y0, v0), (yn, vn) = pts[0], pts[-1]
    lo = min(pts, key=lambda p: (p[1], p[0]))
    hi = max(pts, key=lambda p: (p[1], -p[0]))
    at = lambda p: f"{fmt(p[1])} ({year_fmt(p[0])})"  # noqa: E731
    if fmt(lo[1]) == fmt(hi[1]):
        return f"{what} stayed at about {fmt(v0)} from {year_fmt(y0)} to {year_fmt(yn)}"
    # the larger move from the start decides the story: a fall to the low or a rise to the high
    fell = (v0 - lo[1]) >= (hi[1] - v0)
    turn, verb, back = (lo, "fell", "rose") if fell else (hi, "rose", "fell")
    start = max((p for p in pts if p[0] <= turn[0]), key=lambda p: p[1]) if fell else \
        min((p for p in pts if p[0] <= turn[0]), key=lambda p: p[1])
    text = f"{what} {verb} from {at(start)} to {at(turn)}"
    if yn != turn[0] and fmt(vn) != fmt(turn[1]):
        text += f", then {back} to {at((yn, vn))}"
    return text


def reporting_funnel(year: int, reported_series: str = "ncvs_violent_pct_reported",
                     clearance_series: str = "fbi_violent_clearance_pct") -> pd.DataFrame:
    """Out of 100 victimizations: how many reach the police, and how many of those lead to a clearance.

    Rough arithmetic combining two different measures (NCVS victimizations reported, FBI clearances of
    offences known to police), so the last stage is an approximation, not a published figure.
    """
    reported = value(reported_series, year)
    cleared = value(clearance_series, year)
    for name, sid, row in (("reported_series", reported_series, reported),
                           ("clearance_series", clearance_series, cleared)):
        if str(row["unit"]).strip().lower() != "percent":
            raise InputError(where="reporting_funnel", field=name, value=sid,
                             problem=f"the series is in {row['unit']!r}, not percent",
                             allowed="a series of percentages (e.g. ncvs_violent_pct_reported, fbi_violent_clearance_pct)")
    n_reported = float(reported["value"])
    n_cleared = n_reported * float(cleared["value"]) / 100.0
    return pd.DataFrame([
        {"stage": "Victimizations", "per_100": 100.0, "published": True, "verified": "",
         "source_ids": ""},
        {"stage": "Reported to police", "per_100": n_reported, "published": True,
         "verified": reported["verified"], "source_ids": reported["source_ids"]},
        {"stage": "Cleared (approx.)", "per_100": round(n_cleared, 1), "published": False,
         "verified": cleared["verified"], "source_ids": cleared["source_ids"]},
    ])
