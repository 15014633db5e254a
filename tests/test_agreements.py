"""Real 287(g) data: ICE's list of 18 July 2025 as committed matches the research file's totals, counts over
time keep gaps, and the county lookup finds what ICE listed."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import agreements, plots
from helpers.errors import InputError

def test_list_has_832_agreements_by_model_as_in_ices_snapshot():
    df = agreements.load_agreements()
    assert len(df) == 832
    assert df["model"].value_counts().to_dict() == {"TFM": 415, "WSO": 300, "JEM": 117}
    assert agreements.list_date() == "2025-07-18"
    counts = agreements.load_counts().set_index("label")
    last = counts.loc["ICE list 2025-07-18 pm"]
    assert (last["total"], last["TFM"], last["WSO"], last["JEM"]) == (832, 415, 300, 117)


def test_counts_by_state_adds_up_and_is_sorted():
    t = agreements.counts_by_state()
    assert int(t["total"].sum()) == 832
    assert (t[["TFM", "WSO", "JEM"]].sum(axis=1) == t["total"]).all()
    assert list(t.index[:3]) == ["FL", "TX", "GA"]
    assert t.loc["FL", "total"] == 309 and t.loc["TX", "total"] == 118
    assert len(t) == 40  # ICE: agencies in 40 states
    assert "CA" not in t.index


def test_counts_over_time_has_release_totals_without_a_model_split():
    long = agreements.counts_over_time()
    rel = long[long["counter"] == "DHS release"]
    assert set(rel["model"]) == {"total"}
    assert dict(zip(rel["date"].dt.strftime("%Y-%m-%d"), rel["count"])) == {"2025-09-02": 958, "2025-09-17": 1001}


def test_runs_break_at_gaps():
    dates = pd.to_datetime(["2025-05-16", "2025-05-19", "2025-06-06", "2025-06-17", "2025-09-02"])
    assert agreements.runs(dates) == [[0, 1], [2, 3], [4]]  # 18 days and 77 days are gaps; 11 days is not
    snaps = agreements.load_counts()
    snaps = snaps[snaps["counter"] == "ICE list snapshot"]
    assert len(agreements.runs(snaps["date"])) == 1  # May-July 2025 snapshots are never 15+ days apart


def test_agreements_for_a_county():
    got = agreements.agreements_for("colbert", "Alabama")
    assert sorted(got["model"]) == ["JEM", "TFM", "WSO"]
    assert set(got["agency"]) == {"Colbert County Sheriff's Office"}
    assert (got["list_date"] == "2025-07-18").all()
    assert agreements.agreements_for("Colbert County", "AL").equals(got)
    assert agreements.agreements_for("Los Angeles", "CA").empty  # California: none listed


def test_county_lookup_errors():
    with pytest.raises(InputError, match="did you mean"):
        agreements.agreements_for("Colbert", "Alabma")
    with pytest.raises(InputError):
        agreements.agreements_for("", "AL")
    assert agreements.close_counties("Colbrt", "AL") == ["Colbert County"]


def test_impossible_signing_date_is_not_kept():
    df = agreements.load_agreements()
    row = df[(df["agency"] == "Grundy County Sheriff's Office") & (df["state_code"] == "TN")].iloc[0]
    assert pd.isna(row["signed"]) and "5025-07-07" in row["notes"]
    signed = pd.to_datetime(df["signed"].dropna())
    assert signed.max() <= pd.Timestamp("2025-07-18")


def test_plot_draws_gaps_and_states_the_finding():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plots.plot_agreements_over_time()
    title = ax.get_title(loc="left")
    assert "571 to 832" in title and "1,001" in title
    total_lines = [ln for ln in ax.get_lines() if ln.get_label() == "All models (ICE list)"]
    assert len(total_lines) == 1 and len(total_lines[0].get_xdata()) == 28  # one run, not joined to DHS points
    plt.close(fig)
