"""Real 287(g) agreement data: ICE's published list of participating agencies, and counts over time.

Two tables in ``data/``, validated on load:

- ``agreements_287g.csv``: every row of ICE's list of 18 July 2025 (one row per agreement; an agency may hold
  several models), with state, county, agency, model (TFM Task Force Model, WSO Warrant Service Officer, JEM
  Jail Enforcement Model) and signing date;
- ``agreements_287g_counts.csv``: agreements on each archived snapshot of ICE's list (May to July 2025, by
  model) and later totals DHS published. Nothing is observed between points, so charts leave gaps.

A listing says an agreement existed on the list's date, not how (or whether) it is used.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import pandas as pd

from helpers import paths
from helpers.data import load_table, split_list
from helpers.errors import InputError

MODELS: tuple[str, ...] = ("TFM", "WSO", "JEM")
MODEL_NAMES: dict[str, str] = {"TFM": "Task Force Model", "WSO": "Warrant Service Officer",
                               "JEM": "Jail Enforcement Model"}
#: ICE snapshots further apart than this many days are drawn as separate runs (a gap, not a line).
MAX_GAP_DAYS = 14


def _stamp(*names: str) -> tuple[float, ...]:
    return tuple((paths.DATA / f"{n}.csv").stat().st_mtime for n in names)


@lru_cache(maxsize=4)
def _agreements(stamp: tuple[float, ...]) -> pd.DataFrame:
    from helpers.states import load_states

    df = load_table("agreements_287g")
    states = load_states()
    df.insert(3, "state", df["state_code"].map(states["state"]).astype("string"))
    return df


def load_agreements() -> pd.DataFrame:
    """``data/agreements_287g.csv``, validated, with the state's name added after its code."""
    return _agreements(_stamp("agreements_287g", "states", "sources")).copy()


@lru_cache(maxsize=4)
def _counts(stamp: tuple[float, ...]) -> pd.DataFrame:
    df = load_table("agreements_287g_counts")
    df["date"] = pd.to_datetime(df["date"])
    return df.sort_values(["date", "label"]).reset_index(drop=True)


def load_counts() -> pd.DataFrame:
    """``data/agreements_287g_counts.csv``, validated (a model split must add up to the total), by date."""
    return _counts(_stamp("agreements_287g_counts", "sources")).copy()


def list_date() -> str:
    """Date of ICE's list in ``data/agreements_287g.csv`` (ISO)."""
    dates = load_agreements()["list_date"].unique()
    return str(max(dates))


def counts_over_time() -> pd.DataFrame:
    """Long table of agreement counts: date, label, counter, model (TFM, WSO, JEM or "total"), count,
    verified, source_ids. Release figures without a split appear only as totals."""
    df = load_counts()
    rows = []
    for _, r in df.iterrows():
        for model in (*MODELS, "total"):
            value = r[model]
            if pd.isna(value):
                continue
            rows.append({"date": r["date"], "label": r["label"], "counter": r["counter"], "model": model,
                         "count": int(value), "verified": r["verified"], "source_ids": r["source_ids"]})
    return pd.DataFrame(rows)


def counts_by_state() -> pd.DataFrame:
    """Agreements on ICE's list per state and model, with total, most first (ties by code); states with none
    are left out. Index: state_code."""
    df = load_agreements()
    table = pd.crosstab(df["state_code"], df["model"]).reindex(columns=list(MODELS), fill_value=0)
    table["total"] = table.sum(axis=1)
    names = df.drop_duplicates("state_code").set_index("state_code")["state"]
    table.insert(0, "state", names.reindex(table.index).astype(str))
    table.columns.name = None
    table = table.reset_index().sort_values(["total", "state_code"], ascending=[False, True])
    return table.set_index("state_code")


def _county_key(text: str) -> str:
    words = " ".join(str(text).replace(".", " ").split()).lower()
    for suffix in (" county", " parish", " borough"):
        if words.endswith(suffix):
            words = words[: -len(suffix)]
    return words.replace("saint ", "st ")


def agreements_for(county: object, state: object) -> pd.DataFrame:
    """The agreements ICE listed (on :func:`list_date`) for a county, given its name with or without
    "County" (any case) and the state's code or name. Columns: agency, agency_type, county, model, signed,
    list_date. An empty table means none was listed for that name (the list names only counties with an
    agreement; :func:`close_counties` gives near spellings). An unknown state raises :class:`InputError` with a
    did-you-mean."""
    from helpers.states import lookup

    row = lookup(state)
    if not isinstance(county, str) or not county.strip():
        raise InputError(where="agreements.agreements_for", field="county", value=county,
                         allowed="a county name such as 'Harris County' or 'Harris'")
    df = load_agreements()
    df = df[df["state_code"] == row["state_code"]]
    keys = df["county"].fillna("").map(_county_key)
    hit = df[keys == _county_key(county)]
    cols = ["agency", "agency_type", "county", "model", "signed", "list_date"]
    return hit[cols].sort_values(["agency", "model"]).reset_index(drop=True)


def county_names(state: object) -> list[str]:
    """The county names ICE's list gives for a state (only counties with at least one agreement)."""
    from helpers.states import lookup

    row = lookup(state)
    df = load_agreements()
    return sorted(set(df.loc[df["state_code"] == row["state_code"], "county"].dropna()))


def close_counties(county: str, state: object, n: int = 3) -> list[str]:
    """County names on the list for the state that look like ``county`` (for a did-you-mean)."""
    names = county_names(state)
    keys = {_county_key(c): c for c in names}
    return [keys[k] for k in difflib.get_close_matches(_county_key(county), list(keys), n=n)]


def source_ids() -> list[str]:
    """Source ids behind the two tables (for ``plots.caption``)."""
    out: list[str] = []
    for cell in list(load_counts()["source_ids"]) + list(load_agreements()["source_ids"].unique()):
        out.extend(s for s in split_list(cell) if s not in out)
    return out


# --------------------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------------------

def runs(dates: pd.Series, max_gap_days: int = MAX_GAP_DAYS) -> list[list[int]]:
    """Positions of ``dates`` (sorted) grouped into runs with no step longer than ``max_gap_days``."""
    d = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    if d.empty:
        return []
    groups: list[list[int]] = [[0]]
    for i in range(1, len(d)):
        if (d[i] - d[i - 1]).days > max_gap_days:
            groups.append([])
        groups[-1].append(i)
    return groups

