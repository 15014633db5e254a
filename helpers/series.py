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
    try:
        years = sorted(int(y) for y in years)
    except (TypeError, ValueError):
        raise InputError(where="segments", field="years", value=list(years) if years is not None else None,
                         allowed="whole-number years") from None
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1]:  # the same year again (several as-of dates): same run
            runs[-1].append(y)
        elif runs and y == runs[-1][-1] + 1 and y not in breaks:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


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
