"""Evidence layer: the findings table is validated row by row, partial rows can never become numbers on a
chart, shaping helpers return what the data say, and the ILLUSTRATIVE power illustration agrees with an
independent normal-approximation calculation."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers import checks  # noqa: E402
from helpers import evidence as ev  # noqa: E402
from helpers import plots  # noqa: E402
from helpers.data import load_table, split_list  # noqa: E402
from helpers.errors import InputError  # noqa: E402

EV = ev.load_evidence()


def _edit(path, study_id, **changes):
    """Rewrite one row of a CSV copy (all cells as text)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    idx = raw.index[raw["study_id"] == study_id]
    assert len(idx) == 1
    for col, value in changes.items():
        raw.loc[idx, col] = value
    raw.to_csv(path, index=False, lineterminator="\n")
    return int(idx[0]) + 2  # line number in the file


# ------------------------------------------------------------------------------------ the table itself
def test_table_loads_with_labels_and_every_class_known():
    assert len(EV) == len(pd.read_csv(ev.paths.DATA / "evidence_studies.csv"))
    assert EV["study_id"].is_unique
    assert set(EV["design_class"]) <= set(ev.DESIGN_CLASSES)
    assert set(EV["direction"]) <= set(ev.DIRECTIONS)
    assert EV["design_strength"].isin([1, 2, 3]).all()
    assert EV["policy_label"].notna().all() and EV["outcome_label"].notna().all()
    assert EV["design"].notna().all(), "the original free-text design is kept"


def test_numbers_only_on_verified_rows_and_partial_rows_keep_direction():
    partial = EV[EV["verified"] == "partial"]
    assert len(partial) > 0
    for col in ev.NUMBER_COLUMNS:
        assert partial[col].isna().all(), f"a partial row carries {col}"
    assert partial["direction"].notna().all()
    assert EV.loc[EV["point_estimate"].notna(), "verified"].eq("yes").all()


def test_every_finding_cites_a_study_source_with_a_url():
    sources = load_table("sources").set_index("source_id")
    for _, row in EV.iterrows():
        ids = split_list(row["source_ids"])
        assert ids
        for sid in ids:
            assert sources.loc[sid, "url"].startswith(("http://", "https://"))


# ------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("column, value", [("point_estimate", "0.25"), ("ci_low", "0.1"), ("denominator", "500")])
def test_partial_row_claiming_a_number_is_rejected_naming_the_row(table_copy, column, value):
    path = table_copy("evidence_studies")
    sid = "ascherio2022"
    changes = {column: value}
    if column != "point_estimate":
        changes.update(point_estimate="0.2", ci_high="0.3")
    line = _edit(path, sid, **changes)
    with pytest.raises(InputError) as err:
        ev.load_evidence(path)
    msg = str(err.value)
    assert sid in msg and f"line {line}" in msg and "verified = yes" in msg
    assert err.value.field in ev.NUMBER_COLUMNS


def test_row_without_source_is_rejected_naming_the_row(table_copy):
    path = table_copy("evidence_studies")
    line = _edit(path, "jacome2022", source_ids="")
    with pytest.raises(InputError) as err:
        ev.load_evidence(path)
    assert "jacome2022" in str(err.value) and f"line {line}" in str(err.value)
    assert err.value.field == "source_ids"


def test_unknown_source_id_is_rejected(table_copy):
    path = table_copy("evidence_studies")
    _edit(path, "jacome2022", source_ids="jacome2099")
    with pytest.raises(InputError, match="jacome2099"):
        ev.load_evidence(path)


@pytest.mark.parametrize("column, value", [("design_class", "vibes"), ("direction", "up"),
                                           ("policy_class", "sanctuary"), ("verified", "maybe")])
def test_unknown_vocabulary_is_rejected_naming_row_and_allowed_values(table_copy, column, value):
    path = table_copy("evidence_studies")
    line = _edit(path, "milescox2014", **{column: value})
    with pytest.raises(InputError) as err:
        ev.load_evidence(path)
    msg = str(err.value)
    assert "milescox2014" in msg and f"line {line}" in msg and value in msg and "allowed" in msg
    assert err.value.field == column


def test_sign_that_contradicts_direction_is_rejected(table_copy):
    path = table_copy("evidence_studies")
    _edit(path, "jacome2022", point_estimate="-0.04")
    with pytest.raises(InputError, match="disagrees with the sign"):
        ev.load_evidence(path)


def test_point_outside_its_interval_and_missing_scale_are_rejected():
    t = EV.copy()
    i = t.index[t["study_id"] == "young2023_delay"][0]
    t.loc[i, "point_estimate"] = 2.0
    with pytest.raises(InputError, match="outside its interval"):
        checks.evidence_studies(t)
    t = EV.copy()
    t.loc[t["study_id"] == "jacome2022", "scale"] = pd.NA
    with pytest.raises(InputError) as err:
        checks.evidence_studies(t)
    assert err.value.field == "scale" and "jacome2022" in str(err.value)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=-50, max_value=50, allow_nan=False))
def test_any_partial_row_given_any_number_is_rejected(pick, number):
    partial = EV.index[EV["verified"] == "partial"]
    t = EV.copy()
    i = partial[pick % len(partial)]
    t.loc[i, "point_estimate"] = number
    with pytest.raises(InputError) as err:
        checks.evidence_studies(t)
    assert str(t.loc[i, "study_id"]) in str(err.value)


# ------------------------------------------------------------------- partial rows never become numbers
def test_numeric_findings_are_verified_numbers_with_percent_conversion():
    n = ev.numeric_findings()
    assert len(n) == int(EV["point_estimate"].notna().sum())
    assert n["verified"].eq("yes").all() and n["value"].notna().all()
    by_id = n.set_index("study_id")
    assert by_id.loc["hausman2020_deport_all", "value_pct"] == pytest.approx(-33.0)
    assert by_id.loc["jacome2022", "value_pct"] == pytest.approx(4.0)
    assert by_id.loc["herring_barnow2025", "value_pct"] == pytest.approx(-16.9)
    assert pd.isna(by_id.loc["comino2020", "value_pct"])  # percentage points are not a percent change
    assert pd.isna(by_id.loc["theodore2013_all", "value_pct"])


def test_numeric_findings_filters_and_rejects_unknown_filters():
    n = ev.numeric_findings(scale="percent_of_respondents")
    assert set(n["study_id"]) == set(EV.loc[EV["scale"] == "percent_of_respondents", "study_id"])
    with pytest.raises(InputError, match="scale"):
        ev.numeric_findings(scale="percent")
    with pytest.raises(InputError, match="outcome_class"):
        ev.numeric_findings(outcome_class="safety")


def test_require_numeric_refuses_partial_rows():
    partial = EV[EV["verified"] == "partial"].head(1)
    with pytest.raises(InputError) as err:
        ev.require_numeric(partial)
    assert partial["study_id"].iloc[0] in str(err.value) and err.value.field == "verified"
    no_number = EV[(EV["verified"] == "yes") & EV["point_estimate"].isna()].head(1)
    with pytest.raises(InputError, match="no point estimate"):
        ev.require_numeric(no_number)


def test_chart_helper_refuses_a_partial_row_even_if_a_number_is_forced_in():
    import matplotlib.pyplot as plt

    rows = ev.numeric_findings(scale="proportion_change").copy()
    sneaky = EV[EV["verified"] == "partial"].head(1).assign(point_estimate=0.5, value_pct=50.0, label="x")
    rows = pd.concat([rows, sneaky[rows.columns.intersection(sneaky.columns)]], ignore_index=True)
    fig, ax = plt.subplots()
    try:
        with pytest.raises(InputError, match="partial"):
            plots.plot_percent_findings(ax, rows)
    finally:
        plt.close(fig)


@settings(max_examples=20, deadline=None)
@given(st.sets(st.sampled_from(sorted(EV["study_id"])), min_size=1, max_size=12))
def test_downgrading_rows_removes_them_from_numeric_findings(downgrade):
    t = EV.copy()
    hit = t["study_id"].isin(downgrade)
    t.loc[hit, "verified"] = "partial"
    n = ev.numeric_findings(table=t)
    assert not set(n["study_id"]) & set(downgrade)


# ------------------------------------------------------------------------------------------ shaping
def test_evidence_map_places_each_finding_inside_its_cell_without_overlap():
    m = ev.evidence_map()
    assert len(m) == len(EV) and set(m["study_id"]) == set(EV["study_id"])
    assert ((m["x"] - m["col"]).abs() < 0.5).all() and ((m["y"] - m["row"]).abs() < 0.5).all()
    assert not m.duplicated(["x", "y"]).any()
    pd.testing.assert_frame_equal(m, ev.evidence_map())


def test_map_counts_and_conflicts_on_a_hand_made_table():
    ids = ["hausman2020_crime", "otsu2020_overall", "manning_burkhardt2022", "milescox2014", "gill2014_disorder",
           "gill2014_satisfaction"]
    t = EV[EV["study_id"].isin(ids)]
    counts = ev.map_counts(t)
    sanctuary = ev.POLICY_CLASSES["less_cooperation"]["label"]
    assert counts.loc[sanctuary, "Crime"] == "1 down, 2 none"
    assert counts.loc[ev.POLICY_CLASSES["secure_communities"]["label"], "Crime"] == "1 none"
    c = ev.conflicts(t)
    # only the sanctuary x crime cell disagrees; trust (disorder down, satisfaction up) is not compared
    assert set(c["policy"]) == {sanctuary}
    assert dict(zip(c["direction"], c["findings"])) == {"decreases": 1, "no detectable effect": 2}
    assert len(ev.conflicts(t, outcomes=ev.SINGLE_MEANING_OUTCOMES + ("trust",))) == 4
    with pytest.raises(InputError):
        ev.conflicts(t, min_strength=5)


@pytest.mark.parametrize("lean_class, outcome, direction, expected", [
    ("program_287g", "crime", "decreases", "supports more enforcement"),
    ("program_287g", "crime", "increases", "supports limits"),
    ("less_cooperation", "crime", "decreases", "supports limits"),
    ("less_cooperation", "rearrests", "increases", "supports more enforcement"),
    ("less_enforcement", "clearance", "increases", "supports limits"),
    ("secure_communities", "crime", "no_detectable_effect", "no detectable effect"),
    ("community_policing", "crime", "decreases", "not a policy comparison"),
    ("less_cooperation", "reporting_observed", "increases", "other outcome"),
])
def test_side_of_the_argument(lean_class, outcome, direction, expected):
    row = pd.Series({"policy_lean": ev.POLICY_CLASSES[lean_class]["lean"], "outcome_class": outcome,
                     "direction": direction})
    assert ev.side(row) == expected


def test_public_safety_balance_counts_every_policy_crime_finding_once():
    b = ev.public_safety_balance()
    t = EV[EV["outcome_class"].isin(["crime", "rearrests", "clearance"])
           & EV["policy_lean"].isin(["more enforcement", "less enforcement"])]
    assert int(b["total"].sum()) == len(t)
    assert (b.drop(columns="total").sum(axis=1) == b["total"]).all()


def test_rearrest_tallies_compute_shares_from_the_source_counts():
    r = ev.rearrest_tallies().set_index("study_id")
    assert r.loc["cis_vaughan2015_jul", "share_pct"] == pytest.approx(23.3)   # 1,900 / 8,145
    assert r.loc["cis_vaughan2015_oct", "share_pct"] == pytest.approx(25.0)   # 2,320 / 9,295
    assert r.loc["cis_vaughan2015_oct", "released"] == 9295


def test_stated_vs_observed_splits_by_outcome_and_scale():
    d = ev.stated_vs_observed()
    assert (d["stated_share"]["scale"] == "percent_of_respondents").all()
    assert (d["stated_change"]["outcome_class"] == "reporting_stated").all()
    assert d["observed_change"]["value_pct"].notna().all()
    assert d["observed_other"]["value_pct"].isna().all()
    assert set(d["observed_change"]["outcome_class"]) == {"reporting_observed"}


def test_version_discrepancies_list_only_rows_with_a_note():
    v = ev.version_discrepancies()
    assert len(v) == int(EV["version_note"].notna().sum()) > 0


# ---------------------------------------------------------------------------------- context series
def test_context_series_never_joins_across_a_break_or_a_gap_and_drops_partial_rows():
    c = ev.context_series("ncvs_violent_pct_reported")
    seg = dict(zip(c["year"].astype(int), c["segment"].astype(int)))
    assert seg[2014] == seg[2015]
    assert seg[2016] not in (seg[2015], seg.get(2019))       # 2016 redesign and the 2017-18 gap
    assert c["year_kind"].eq("calendar year").all()
    clearance = ev.context_series("fbi_violent_clearance_pct")
    raw = load_table("real_series")
    raw = raw[raw["series_id"] == "fbi_violent_clearance_pct"]
    assert len(clearance) == int((raw["verified"] == "yes").sum())
    assert clearance["omitted"].iloc[0] == int((raw["verified"] != "yes").sum())
    assert ev.context_series("ice_detainers_fy")["year_kind"].str.contains("fiscal").all()


def test_series_without_verified_values_is_reported_not_dropped():
    c = ev.context_series("g287_active_agreements_total")
    assert len(c) == 1 and pd.isna(c["value"].iloc[0]) and c["omitted"].iloc[0] > 0
    with pytest.raises(InputError):
        ev.context_series("not_a_series")
    with pytest.raises(InputError):
        ev.context_series([])


# -------------------------------------------------------------------------- ILLUSTRATIVE power
def test_aggregate_change_is_share_times_change():
    assert ev.aggregate_change(0.1, 0.2)[0, 0] == pytest.approx(0.02)
    assert ev.aggregate_change([0.1, 0.5], [0.2]).shape == (2, 1)


def test_simulated_power_matches_the_normal_approximation():
    g = ev.power_grid([0.1, 0.2, 0.4], [0.1, 0.2], n_studies=2000, seed=11)
    expected = 100 * ev.analytic_power(g["aggregate_change_pct"].to_numpy() / 100)
    assert np.abs(g["power_pct"].to_numpy() - expected).max() < 3.5
    assert (g["provenance"] == "ILLUSTRATIVE").all()


def test_power_without_any_change_is_the_false_positive_rate_and_grows_with_the_share():
    g = ev.power_grid([1e-9], [1e-9], n_studies=4000, seed=3)
    assert abs(g["power_pct"].iloc[0] - 5.0) < 1.5
    g = ev.power_grid([0.05, 0.1, 0.2, 0.3], [0.2], n_studies=800, seed=5)
    assert (np.diff(g["power_pct"].to_numpy()) >= 0).all()


def test_power_grid_is_seeded():
    a = ev.power_grid([0.1], [0.3], n_studies=300, seed=7)
    b = ev.power_grid([0.1], [0.3], n_studies=300, seed=7)
    c = ev.power_grid([0.1], [0.3], n_studies=300, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_min_detectable_change_has_the_stated_power():
    mdc = ev.min_detectable_change(n_units=100, noise_sd=0.2)
    assert ev.analytic_power(mdc, n_units=100, noise_sd=0.2) == pytest.approx(0.80, abs=0.005)


def test_power_settings_are_checked_naming_the_field():
    for kwargs, field in [({"group_shares": 0.0}, "group_share"), ({"group_shares": "a lot"}, "group_share"),
                          ({"reporting_changes": -1.0}, "reporting_change"), ({"n_units": 3}, "n_units"),
                          ({"noise_sd": -0.1}, "noise_sd"), ({"n_studies": 2.5}, "n_studies"), ({"alpha": 0.7}, "alpha")]:
        args = {"group_shares": 0.1, "reporting_changes": 0.1, "n_studies": 50} | kwargs
        with pytest.raises(InputError) as err:
            ev.power_grid(args.pop("group_shares"), args.pop("reporting_changes"), **args)
        assert err.value.field == field, kwargs
    with pytest.raises(InputError) as err:
        ev.min_detectable_change(power=1.5)
    assert err.value.field == "power"


def test_power_assumptions_are_all_labelled_illustrative():
    a = ev.power_assumptions()
    assert (a["provenance"] == "ILLUSTRATIVE").all() and a["notes"].str.len().gt(10).all()


# ---------------------------------------------------------------------- more shaping properties
@settings(max_examples=25, deadline=None)
@given(st.sets(st.sampled_from(sorted(EV["study_id"])), min_size=1, max_size=30))
def test_map_and_conflicts_hold_for_any_subset_of_findings(ids):
    t = EV[EV["study_id"].isin(ids)]
    m = ev.evidence_map(t)
    assert len(m) == len(t)
    assert ((m["x"] - m["col"]).abs() < 0.5).all() and ((m["y"] - m["row"]).abs() < 0.5).all()
    assert not m.duplicated(["x", "y"]).any()
    assert sorted(m["row"].unique()) == list(range(m["row"].nunique()))   # empty rows dropped
    c = ev.conflicts(t)
    for (_, _), g in c.groupby(["policy", "outcome"]):
        assert len(g) >= 2 and g["direction"].is_unique
    assert c["findings"].sum() <= len(t)


def test_bound_or_denominator_without_a_point_estimate_is_rejected():
    t = EV.copy()
    t.loc[t["study_id"] == "milescox2014", "ci_low"] = 0.1
    with pytest.raises(InputError, match="without a point estimate"):
        checks.evidence_studies(t)


def test_draw_shares_refuses_numbers_on_another_scale():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        with pytest.raises(InputError, match="share of respondents"):
            plots.plot_shares(ax, ev.numeric_findings(scale="percent_change"))
    finally:
        plt.close(fig)


def test_findings_by_side_rejects_an_unknown_side_and_lists_only_that_side():
    with pytest.raises(InputError, match="which"):
        ev.findings_by_side("supports sanctuary")
    rows = ev.findings_by_side("supports more enforcement")
    assert len(rows) == int(ev.public_safety_balance().loc["supports more enforcement", "total"])


def test_breaks_are_reported_only_inside_the_charted_years():
    ncvs = ev.context_series("ncvs_violent_pct_reported")
    assert ev.breaks_in(ncvs)["year"].tolist() == [2016]
    assert ev.breaks_in(ncvs[ncvs["year"] < 2016]).empty


def test_stated_and_observed_changes_are_labelled_by_kind():
    ch = ev.stated_vs_observed()["changes"]
    assert set(ch["kind"]) == {"stated", "observed"}
    assert all(lab.startswith(k + " | ") for k, lab in zip(ch["kind"], ch["label"]))


def test_power_grid_equals_a_brute_force_panel_simulation():
    """Rebuild the panels from the same draws, add the change to adopting counties' post-period log crime,
    and run scipy's two-sample t-test study by study: the detection rates must match exactly."""
    from scipy import stats

    n_units, pre, post, sd, n_studies, seed = 20, 2, 3, 0.1, 60, 9
    shares, changes = [0.2, 0.5], [0.1, 0.3]
    g = ev.power_grid(shares, changes, n_units=n_units, years_pre=pre, years_post=post, noise_sd=sd,
                      n_studies=n_studies, seed=seed)
    rng = np.random.default_rng(seed)
    unit_fx = rng.normal(0.0, 1.0, size=(n_studies, n_units, 1))
    year_fx = rng.normal(0.0, 0.05, size=(n_studies, 1, pre + post))
    noise = rng.normal(0.0, sd, size=(n_studies, n_units, pre + post))
    for _, row in g.iterrows():
        y = unit_fx + year_fx + noise
        y[:, : n_units // 2, pre:] += np.log1p(row["group_share"] * row["reporting_change"])
        hits = 0
        for k in range(n_studies):
            d = y[k, :, pre:].mean(axis=1) - y[k, :, :pre].mean(axis=1)
            hits += stats.ttest_ind(d[: n_units // 2], d[n_units // 2:]).pvalue < 0.05
        assert row["power_pct"] == pytest.approx(round(100 * hits / n_studies, 1))
