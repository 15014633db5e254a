"""Unit tests of the trust-and-reporting model (helpers.model): parameter table, city, simulation,
summaries, and hand-worked values computed independently of the model code."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import model, plots
from helpers.data import load_table
from helpers.errors import InputError
from helpers.options import OPTION_CODES
from helpers.paths import DATA

PARAMS_CSV = DATA / "model_parameters.csv"


def _rows() -> list[dict]:
    with open(PARAMS_CSV, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "model_parameters.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def _fixed_overrides(**changes) -> dict:
    """Every parameter fixed at its mode (so one draw is a deterministic evaluation), with changes."""
    table = model.load_parameters()
    out = {name: float(table.at[name, "mode"]) for name in table.index}
    out.update(changes)
    return out


# --- the parameter table -------------------------------------------------------------------------------

def test_parameter_table_loads_and_covers_the_model():
    table = model.load_parameters()
    assert list(table.columns) == model.PARAMETER_COLUMNS
    assert set(model.MODEL_PARAMETERS) == set(table.index)
    assert (table["low"] <= table["mode"]).all() and (table["mode"] <= table["high"]).all()
    real = table[table["provenance"] == "REAL"]
    assert len(real) >= 5
    assert real["source_ids"].notna().all()
    assert table.loc[table["provenance"] == "ILLUSTRATIVE", "notes"].str.len().gt(10).all()


def test_real_parameters_match_verified_research_figures():
    table = model.load_parameters()
    # NCVS share of violent victimizations reported, verified years: 40% to 47%
    series = load_table("real_series")
    ncvs = series[(series["series_id"] == "ncvs_violent_pct_reported") & (series["verified"] == "yes")]
    assert table.at["base_report_victim", "low"] == pytest.approx(ncvs["value"].min() / 100)
    assert table.at["base_report_victim", "high"] == pytest.approx(ncvs["value"].max() / 100)
    ev = load_table("evidence_studies").set_index("study_id")["point_estimate"].astype(float)
    # The central range of the chilling parameters comes from observed behaviour: about 4% (Jacome 2022)
    # to about 12% (Martinez-Schuldt and Martinez 2021)
    for name in ("chill_victim", "chill_witness"):
        assert table.at[name, "low"] == pytest.approx(ev["jacome2022"])
        assert table.at[name, "high"] == pytest.approx(ev["martinezschuldt2021_reporting"])
        assert table.at[name, "evidence_type"] == "observed behaviour"
    # Wong et al. (2019) stated-intention drops bound the defensible range (the limits side case)
    assert table.at["chill_victim", "defensible_high"] == pytest.approx(-ev["wong2019_victim"] / 100)
    assert table.at["chill_witness", "defensible_high"] == pytest.approx(-ev["wong2019_witness"] / 100)
    # Hausman (2020): no-conviction removals fell by about half
    assert table.at["keep_no_conviction", "mode"] == pytest.approx(1 + ev["hausman2020_deport_noconv"])
    # Violent-crime clearance 2019-2024 as reported: 36.7% (2022) to 45.5% (2019), mode 41% (2023)
    assert (table.at["clearance_base", "low"], table.at["clearance_base", "mode"],
            table.at["clearance_base", "high"]) == pytest.approx((0.367, 0.41, 0.455))
    # DHS reimburses 287(g) officers in full from October 2025: the range reaches 1
    assert table.at["reimbursement_share_287g", "high"] == pytest.approx(1.0)
    assert table.at["reimbursement_share_287g", "low"] == pytest.approx(0.6)


def test_parameter_table_records_evidence_type_side_and_defensible_range():
    table = model.load_parameters()
    assert table["evidence_type"].notna().all() and table["favours"].notna().all()
    assert set(table["favours"]) <= {"limits", "cooperation", "neutral"}
    assert (table["defensible_low"] <= table["low"]).all() and (table["high"] <= table["defensible_high"]).all()
    probs = table["unit"].isin(model.PROBABILITY_UNITS)
    assert (table.loc[probs, "defensible_low"] >= 0).all() and (table.loc[probs, "defensible_high"] <= 1).all()


@pytest.mark.parametrize("field, value", [
    ("defensible_low", "0.05"),     # above chill_victim's low of 0.04
    ("defensible_high", "0.1"),     # below chill_victim's high of 0.12
    ("defensible_high", "0.119"),   # just below
])
def test_a_defensible_range_that_does_not_contain_the_central_range_is_rejected(tmp_path, field, value):
    rows = _rows()
    for r in rows:
        if r["parameter"] == "chill_victim":
            assert float(r["low"]) == 0.04 and float(r["high"]) == 0.12  # the hand-set values below rely on it
            r[field] = value
    with pytest.raises(InputError, match=r"parameter 'chill_victim'.*does not contain the central range "
                                         r"\[0\.04, 0\.12\]") as err:
        model.load_parameters(_write(tmp_path, rows))
    assert err.value.field == field  # the bound that fails is named
    # the untouched copy loads
    assert len(model.load_parameters(_write(tmp_path, _rows()))) == len(model.MODEL_PARAMETERS)


@pytest.mark.parametrize("field, value, needle", [
    ("low", "0.9", "chill_victim"),           # low above high
    ("high", "1.4", "chill_victim"),          # a share above 1
    ("distribution", "lognormal", "chill_victim"),
    ("provenance", "", "chill_victim"),
])
def test_bad_parameter_rows_are_rejected_naming_the_parameter(tmp_path, field, value, needle):
    rows = _rows()
    for r in rows:
        if r["parameter"] == "chill_victim":
            r[field] = value
    path = _write(tmp_path, rows)
    with pytest.raises(InputError) as err:
        model.load_parameters(path)
    assert needle in str(err.value)
    assert err.value.field == {"low": "low", "high": "high", "distribution": "distribution",
                               "provenance": "provenance"}[field]


def test_parameter_rows_the_model_does_not_use_are_rejected(tmp_path):
    rows = _rows()
    rows[0] = dict(rows[0], parameter="chill_victm")  # a typo, also leaving a parameter missing
    with pytest.raises(InputError, match="no parameter 'chill_victm'.*did you mean 'chill_victim'"):
        model.load_parameters(_write(tmp_path, rows))
    rows = _rows()
    rows.append(dict(rows[-1], parameter="weather_effect"))
    with pytest.raises(InputError, match="no parameter 'weather_effect'") as err:
        model.load_parameters(_write(tmp_path, rows))
    assert err.value.field == "parameter"


@pytest.mark.parametrize("overrides, outcome", [
    ({"deterrence_elasticity": 1e6}, "reported_crimes"),
    ({"officer_hour_cost_usd": 1e308}, "net_cost_usd"),
])
def test_overrides_that_overflow_are_reported_not_returned(overrides, outcome):
    name = next(iter(overrides))
    with pytest.raises(InputError, match=f"non-finite values for '{outcome}'.*{name}"):
        model.simulate(5, 1, overrides=overrides)
    with pytest.raises((InputError, OverflowError)):  # the loop's Python floats may overflow first
        model.simulate_loop(5, 1, overrides=overrides)


def test_probability_below_zero_and_real_without_source_are_rejected(tmp_path):
    rows = _rows()
    for r in rows:
        if r["parameter"] == "detainer_rate":
            r["low"] = "-0.1"
    with pytest.raises(InputError, match="detainer_rate"):
        model.load_parameters(_write(tmp_path, rows))
    rows = _rows()
    for r in rows:
        if r["parameter"] == "keep_serious":
            r["source_ids"] = ""
    with pytest.raises(InputError, match="keep_serious"):
        model.load_parameters(_write(tmp_path, rows))


def test_conviction_shares_must_leave_room_for_no_conviction(tmp_path):
    rows = _rows()
    for r in rows:
        if r["parameter"] == "share_other":
            r["low"], r["mode"], r["high"] = "0.7", "0.8", "0.9"
    with pytest.raises(InputError, match="share_other"):
        model.load_parameters(_write(tmp_path, rows))


def test_overrides_are_checked():
    with pytest.raises(InputError, match="chill_victm|did you mean"):
        model.simulate(10, 1, overrides={"chill_victm": 0.1})
    with pytest.raises(InputError, match="chill_victim"):
        model.simulate(10, 1, overrides={"chill_victim": 1.5})
    with pytest.raises(InputError, match="chill_victim"):
        model.simulate(10, 1, overrides={"chill_victim": {"low": 0.3, "high": 0.1}})
    with pytest.raises(InputError):
        model.simulate(10, 1, overrides={"chill_victim": "high"})
    with pytest.raises(InputError, match="field 'median'.*unknown key") as err:
        model.simulate(10, 1, overrides={"chill_victim": {"median": 0.1}})
    with pytest.raises(InputError, match="'lognormal' is not allowed") as err:
        model.simulate(10, 1, overrides={"chill_victim": {"distribution": "lognormal"}})
    assert err.value.field == "distribution"


def test_an_unknown_outcome_is_named_with_a_did_you_mean():
    res = model.simulate(5, 1, options=["FULL"])
    with pytest.raises(InputError, match="'victimisations'.*did you mean 'victimizations'"):
        model.wide(res, "victimisations")
    with pytest.raises(InputError, match="field 'outcome'"):
        model.outcome_table(model.summarize(res), ["victimisations"])


def test_draws_follow_their_distributions_and_common_random_numbers():
    d = model.draw_parameters(4000, 7)
    table = model.load_parameters()
    for name in table.index:
        assert d[name].min() >= table.at[name, "low"] - 1e-12
        assert d[name].max() <= table.at[name, "high"] + 1e-12
    # uniform: mean near the midpoint; triangular: mean near (low + mode + high) / 3
    assert d["base_report_victim"].mean() == pytest.approx(0.435, abs=0.003)
    tri = table.loc["witness_dependence"]
    assert d["witness_dependence"].mean() == pytest.approx((tri["low"] + tri["mode"] + tri["high"]) / 3, abs=0.006)
    # fixing one parameter leaves every other draw unchanged
    d2 = model.draw_parameters(4000, 7, overrides={"chill_victim": 0.2})
    assert (d2["chill_victim"] == 0.2).all()
    other = [c for c in d.columns if c != "chill_victim"]
    pd.testing.assert_frame_equal(d[other], d2[other])


def test_pert_draws_stay_in_range_and_centre_on_the_pert_mean():
    d = model.draw_parameters(4000, 3, overrides={"hold_days": {"low": 0.5, "mode": 1.0, "high": 2.0,
                                                                "distribution": "pert"}})
    assert d["hold_days"].between(0.5, 2.0).all()
    assert d["hold_days"].mean() == pytest.approx((0.5 + 4 * 1.0 + 2.0) / 6, abs=0.01)


# --- the city --------------------------------------------------------------------------------------------

def test_impossible_city_inputs_are_rejected_naming_the_field():
    for field, value in [("population", -5), ("population", 12.5), ("foreign_born_share", 1.2),
                         ("community_policing", 2), ("officers_per_1000", -1), ("violent_victimization_rate", -3.0)]:
        with pytest.raises(InputError) as err:
            model.make_city(**{field: value})
        assert err.value.field == field and field in str(err.value)


def test_city_cross_checks_and_unknown_fields():
    with pytest.raises(InputError, match="undocumented_share"):
        model.make_city(foreign_born_share=0.05, undocumented_share=0.08)
    with pytest.raises(InputError, match="community_share"):
        model.make_city(foreign_born_share=0.6, community_share=0.5)
    with pytest.raises(InputError, match="populaton.*did you mean 'population'"):
        model.make_city(populaton=1000)
    # a city may be given as its fields: the same checks, the same run
    as_fields = model.simulate(5, 1, options=["FULL"], city={"population": 1000})
    assert as_fields.equals(model.simulate(5, 1, options=["FULL"], city=model.make_city(population=1000)))
    with pytest.raises(InputError, match="population"):
        model.simulate(5, 1, city={"population": -1})


def test_default_city_and_field_documentation_agree():
    city = model.default_city()
    doc = model.CITY_FIELDS.set_index("field")
    for field in ("population", "foreign_born_share", "undocumented_share", "officers_per_1000"):
        assert doc.at[field, "default"] == getattr(city, field)
    assert set(doc.index) == {f for f in model.City.__dataclass_fields__}


# --- simulation ------------------------------------------------------------------------------------------

def test_simulate_returns_a_tidy_table():
    res = model.simulate(50, 11)
    assert list(res.columns) == ["draw", "option", "outcome", "value"]
    assert len(res) == 50 * len(OPTION_CODES) * len(model.OUTCOMES)
    assert not res.duplicated(["draw", "option", "outcome"]).any()
    assert [str(c) for c in res["option"].cat.categories] == list(OPTION_CODES)
    assert set(res["outcome"].astype(str)) == set(model.OUTCOMES)
    assert np.isfinite(res["value"]).all()


def test_contract_outcomes_are_present_with_directions():
    required = ["reporting_rate_immigrant_victims", "reporting_rate_immigrant_witnesses", "reported_crimes",
                "unreported_crimes", "cleared_crimes", "victimizations", "removals_serious_conviction",
                "removals_other_conviction", "removals_no_conviction", "detainer_holds", "jail_bed_days",
                "officer_hours", "net_cost_usd", "detentions_without_judicial_warrant"]
    for name in required:
        label, unit, direction = model.OUTCOMES[name]
        assert label and unit and direction in ("higher_is_better", "lower_is_better")


def test_seed_controls_results_and_option_subsets_match_the_full_run():
    a = model.simulate(40, 5)
    b = model.simulate(40, 5)
    pd.testing.assert_frame_equal(a, b)
    c = model.simulate(40, 6)
    assert not np.allclose(a["value"], c["value"])
    sub = model.simulate(40, 5, options=["strict", "TFM"])
    assert [str(x) for x in sub["option"].cat.categories] == ["STRICT", "TFM"]
    full = model.wide(a, "victimizations")
    part = model.wide(sub, "victimizations")
    np.testing.assert_allclose(part["STRICT"], full["STRICT"])
    np.testing.assert_allclose(part["TFM"], full["TFM"])


def test_simulate_rejects_bad_arguments_naming_the_field():
    for kwargs, field in [({"draws": 0}, "draws"), ({"draws": 2.5}, "draws"), ({"draws": True}, "draws"),
                          ({"seed": -1}, "seed"), ({"seed": "x"}, "seed"), ({"options": ["SANCTUARY"]}, "option"),
                          ({"options": []}, "option")]:
        with pytest.raises(InputError) as err:
            model.simulate(**({"draws": 5, "seed": 1} | kwargs))
        assert err.value.field == field, kwargs


def test_vectorized_and_loop_agree_on_default_city():
    a = model.simulate(30, 17)
    b = model.simulate_loop(30, 17)
    np.testing.assert_allclose(a["value"], b["value"], rtol=1e-10, atol=1e-9)


# --- hand-worked values ----------------------------------------------------------------------------------

def _coop_index(code: str) -> float:
    """Cooperation index straight from data/levers.csv (Y = 1, C = 0.5), computed here independently."""
    levers = pd.read_csv(DATA / "levers.csv", dtype=str, keep_default_na=False)
    coop = levers[levers["direction"] == "cooperation"][code]
    return float(coop.map({"Y": 1.0, "C": 0.5, "N": 0.0, "NA": 0.0}).mean())


def _lever(code: str, lever: str) -> float:
    levers = pd.read_csv(DATA / "levers.csv", dtype=str, keep_default_na=False).set_index("lever_id")
    return {"Y": 1.0, "C": 0.5, "N": 0.0, "NA": 0.0}[levers.at[lever, code]]


def test_hand_worked_reporting_and_removals_for_full_detainer_compliance():
    p = _fixed_overrides()
    city = model.make_city(population=100_000, foreign_born_share=0.2, undocumented_share=0.05,
                           community_share=0.1)
    res = model.simulate(1, 0, options=["FULL", "STRICT"], city=city, overrides=p)
    got = res.set_index(["option", "outcome"])["value"]

    w = p["field_visibility_weight"]
    vis = (_coop_index("FULL") + w * _lever("FULL", "field_operations")) / (1 + w)
    undoc_victim = p["base_report_victim"] * p["undoc_baseline_ratio"] * (1 - vis * p["chill_victim"])
    assert got["FULL", "reporting_rate_undocumented_victims"] == pytest.approx(undoc_victim)
    lawful_victim = p["base_report_victim"] * (1 - p["spill_lawful"] * vis * p["chill_victim"])
    assert got["FULL", "reporting_rate_immigrant_victims"] == pytest.approx(0.25 * undoc_victim + 0.75 * lawful_victim)
    # STRICT has no enforcement signal: undocumented reporting is the baseline only
    assert got["STRICT", "reporting_rate_undocumented_victims"] == pytest.approx(
        p["base_report_victim"] * p["undoc_baseline_ratio"])

    # removals with no conviction under STRICT: detainers still lodged, nobody held or handed over
    removable = 100_000 / 1000 * p["bookings_per_1000"] * 0.05 * p["arrest_ratio_undocumented"]
    share_none = 1 - p["share_serious"] - p["share_other"]
    det = removable * share_none * p["detainer_rate"]
    assert got["STRICT", "removals_no_conviction"] == pytest.approx(
        det * p["removal_given_custody"] * p["keep_no_conviction"])
    assert got["STRICT", "detainer_holds"] == 0
    assert got["STRICT", "detentions_without_judicial_warrant"] == 0
    # FULL honours every detainer: every person with a detainer is held
    screen = (_lever("FULL", "agreement_287g") + _lever("FULL", "status_inquiry")) / 2
    det_full = removable * min(p["detainer_rate"] * (1 + p["screening_uplift"] * screen), 1.0)
    assert got["FULL", "detainer_holds"] == pytest.approx(det_full)
    assert got["FULL", "jail_bed_days"] == pytest.approx(det_full * p["hold_days"])


def test_hand_worked_victimizations_without_deterrence_or_removal_effects():
    p = _fixed_overrides(deterrence_elasticity=0.0, reoffence_averted_per_removal=0.0)
    city = model.make_city(population=50_000)
    res = model.simulate(1, 0, options=["TFM", "STRICT"], city=city, overrides=p)
    vict = res[res["outcome"] == "victimizations"]["value"].to_numpy()
    np.testing.assert_allclose(vict, 50_000 / 1000 * p["victimization_rate"])
    got = res.set_index(["option", "outcome"])["value"]
    for code in ("TFM", "STRICT"):
        total = got[code, "reported_crimes"] + got[code, "unreported_crimes"]
        assert total == pytest.approx(got[code, "victimizations"])
        assert got[code, "cleared_crimes"] <= got[code, "reported_crimes"]


def test_city_rates_replace_drawn_national_ranges():
    city = model.make_city(population=10_000, violent_victimization_rate=30.0)
    res = model.simulate(20, 2, options=["STRICT"], city=city,
                         overrides={"deterrence_elasticity": 0.0, "reoffence_averted_per_removal": 0.0})
    np.testing.assert_allclose(model.wide(res, "victimizations")["STRICT"], 300.0)


def test_community_policing_costs_hours_and_raises_reporting():
    base = model.simulate(200, 4, options=["STRICT"])
    invest = model.simulate(200, 4, options=["STRICT"], city=model.make_city(community_policing=1.0))
    assert (model.wide(base, "officer_hours")["STRICT"] == 0).all()
    assert (model.wide(invest, "officer_hours")["STRICT"] > 0).all()
    assert (model.wide(invest, "reporting_rate_immigrant_victims")["STRICT"]
            >= model.wide(base, "reporting_rate_immigrant_victims")["STRICT"]).all()


def test_more_cooperation_means_less_undocumented_reporting_and_more_holds():
    s = model.summarize(model.simulate(300, 8)).set_index(["option", "outcome"])
    rep = [s.at[(c, "reporting_rate_undocumented_victims"), "median"] for c in ("TFM", "FULL", "STRICT")]
    assert rep[0] < rep[1] < rep[2]
    assert s.at[("TFM", "detainer_holds"), "median"] > 0 and s.at[("NOTIFY", "detainer_holds"), "median"] == 0


# --- fiscal exposure, federal requests and deputization (hand-worked) ------------------------------------

AGREEMENT_287G = ("TFM", "JEM", "WSO")
NO_AGREEMENT = ("FULL", "COND", "NOTIFY", "STRICT")


def _run(city=None, **changes) -> pd.Series:
    """One deterministic draw (every parameter at its mode, with changes) for all options."""
    res = model.simulate(1, 0, city=city or model.default_city(), overrides=_fixed_overrides(**changes))
    return res.set_index(["option", "outcome"])["value"]


def test_the_agreement_lever_is_set_only_for_the_287g_options():
    for code in OPTION_CODES:
        assert _lever(code, "agreement_287g") == (1.0 if code in AGREEMENT_287G else 0.0), code


def test_net_cost_falls_with_reimbursement_only_for_287g_options():
    low, high = _run(reimbursement_share_287g=0.6), _run(reimbursement_share_287g=1.0)
    hour_cost = _fixed_overrides()["officer_hour_cost_usd"]
    for code in AGREEMENT_287G:
        # STRICT has no enforcement labour, so its officer hours are the community-policing hours alone
        labour = low[code, "officer_hours"] - low["STRICT", "officer_hours"]
        assert labour > 0
        assert high[code, "net_cost_usd"] < low[code, "net_cost_usd"]
        assert low[code, "net_cost_usd"] - high[code, "net_cost_usd"] == pytest.approx(labour * hour_cost * 0.4)
    for code in NO_AGREEMENT:
        assert high[code, "net_cost_usd"] == low[code, "net_cost_usd"], code


def test_net_cost_can_be_negative_only_through_287g_awards():
    # full reimbursement and the largest award: the 287(g) options' labour is paid for and awards remain
    got = _run(reimbursement_share_287g=1.0, performance_award_usd=4000.0, liability_usd_per_detention=0.0)
    for code in AGREEMENT_287G:
        other = got[code, "jail_bed_days"] * _fixed_overrides()["bed_day_cost_usd"]
        expected = other - 4000.0 * got[code, "deputized_officers"]
        assert got[code, "net_cost_usd"] == pytest.approx(expected)
    assert got["TFM", "net_cost_usd"] < 0 or got["JEM", "net_cost_usd"] < 0
    for code in NO_AGREEMENT:
        assert got[code, "net_cost_usd"] >= 0, code


def test_deputized_officers_follow_the_staffing_parameter_and_the_287g_model():
    staff = _fixed_overrides()["staff_per_100k_287g"]
    got = _run()
    per_city = 250_000 / 1e5 * staff  # default city: 250,000 residents
    # TFM: screening and field work (both levers set); JEM: screening only; WSO: screening at 0.75
    # (agreement Y, status inquiry C), no field work
    assert got["TFM", "deputized_officers"] == pytest.approx(per_city)
    assert got["JEM", "deputized_officers"] == pytest.approx(per_city * 0.5)
    assert got["WSO", "deputized_officers"] == pytest.approx(per_city * 0.75 / 2)
    for code in NO_AGREEMENT:
        assert got[code, "deputized_officers"] == 0, code


def test_federal_requests_honoured_by_hand():
    got = _run()
    share_serious = _fixed_overrides()["share_serious"]
    assert got["FULL", "federal_requests_honoured"] == pytest.approx(1.0)
    assert got["STRICT", "federal_requests_honoured"] == 0.0
    for code in AGREEMENT_287G:
        assert got[code, "federal_requests_honoured"] == pytest.approx(1.0)
    # NOTIFY: no holds, every release notified -> half of what the detainer asks
    assert got["NOTIFY", "federal_requests_honoured"] == pytest.approx(0.5)
    # COND: conditional holds (0.5) become full holds for serious convictions (threshold set); notice 0.5
    held = share_serious * 1.0 + (1 - share_serious) * 0.5
    assert got["COND", "federal_requests_honoured"] == pytest.approx(0.5 * held + 0.5 * 0.5)
    assert "federal_requests_honoured" in model.RATE_OUTCOMES


def test_designation_exposure_raises_funding_risk_for_limiting_options_only():
    p = _fixed_overrides()
    got = _run()
    none = _run(grant_loss_probability=0.0, federal_litigation_usd=0.0)
    full_exposure = 250_000 * p["grant_at_risk_usd_per_resident"] * p["grant_loss_probability"] \
        + p["federal_litigation_usd"]
    assert full_exposure > 0
    assert got["STRICT", "federal_funding_risk_usd"] == pytest.approx(full_exposure)
    # designation = 1 - mean of hold, notify, transfer and jail access
    for code, exposure in (("COND", 0.5), ("NOTIFY", 1 - (0 + 1 + 1 + 0.5) / 4)):
        assert got[code, "federal_funding_risk_usd"] == pytest.approx(exposure * full_exposure)
    for code in ("TFM", "JEM", "WSO", "FULL"):
        assert got[code, "federal_funding_risk_usd"] == 0, code
        assert got[code, "net_cost_usd"] == pytest.approx(none[code, "net_cost_usd"])
    # the risk is part of the fiscal exposure: it raises STRICT's net cost by exactly that amount
    assert none["STRICT", "federal_funding_risk_usd"] == 0
    assert got["STRICT", "net_cost_usd"] - none["STRICT", "net_cost_usd"] == pytest.approx(full_exposure)


def test_liability_cover_lowers_expected_liability_only_for_287g_options():
    p = _fixed_overrides()
    bare, covered = _run(liability_cover_287g=0.0), _run(liability_cover_287g=0.9)
    for code in OPTION_CODES:
        assert bare[code, "expected_liability_usd"] == pytest.approx(
            bare[code, "detentions_without_judicial_warrant"] * p["liability_usd_per_detention"])
    for code in AGREEMENT_287G:
        assert bare[code, "expected_liability_usd"] > 0
        assert covered[code, "expected_liability_usd"] == pytest.approx(0.1 * bare[code, "expected_liability_usd"])
        assert covered[code, "net_cost_usd"] < bare[code, "net_cost_usd"]
    for code in NO_AGREEMENT:
        assert covered[code, "expected_liability_usd"] == bare[code, "expected_liability_usd"], code
        assert covered[code, "net_cost_usd"] == bare[code, "net_cost_usd"], code
    assert bare["FULL", "expected_liability_usd"] > 0 and bare["STRICT", "expected_liability_usd"] == 0


def test_removals_with_conviction_add_the_two_conviction_categories():
    res = model.simulate(30, 3)
    both = model.wide(res, "removals_serious_conviction") + model.wide(res, "removals_other_conviction")
    np.testing.assert_allclose(model.wide(res, "removals_with_conviction"), both)


# --- summaries and checks --------------------------------------------------------------------------------

def test_summarize_matches_pandas_quantiles():
    res = model.simulate(120, 9, options=["JEM", "COND"])
    s = model.summarize(res, lo=0.1, hi=0.9)
    assert list(s.columns) == ["option", "outcome", "median", "lo", "hi", "mean"]
    g = res.groupby(["option", "outcome"], observed=True)["value"]
    ref = pd.DataFrame({"median": g.median(), "lo": g.quantile(0.1), "hi": g.quantile(0.9), "mean": g.mean()})
    mine = s.set_index(["option", "outcome"])
    for (opt, out), row in ref.iterrows():
        for col in ("median", "lo", "hi", "mean"):
            assert mine.at[(opt, out), col] == pytest.approx(row[col])
    assert (s["lo"] <= s["median"]).all() and (s["median"] <= s["hi"]).all()


def test_summarize_accepts_plain_string_columns():
    res = model.simulate(20, 1, options=["FULL"])
    plain = res.astype({"option": str, "outcome": str})
    a = model.summarize(res)
    b = model.summarize(plain)
    np.testing.assert_allclose(a["median"], b["median"])


def test_detainer_refusal_effect_is_the_share_weighted_keep():
    params = pd.DataFrame({"share_serious": [0.2], "share_other": [0.3], "keep_serious": [1.0],
                           "keep_other": [0.6], "keep_no_conviction": [0.5]})
    eff = model.detainer_refusal_effect(params)
    assert eff.at[0, "removals_all"] == pytest.approx(0.2 * 1.0 + 0.3 * 0.6 + 0.5 * 0.5 - 1)
    assert eff.at[0, "removals_serious_conviction"] == pytest.approx(0.0)
    # prevented: never convicted 0.5 x 0.5 = 0.25, serious 0, other 0.3 x 0.4 = 0.12
    assert eff.at[0, "prevented_never_convicted_share"] == pytest.approx(0.25 / 0.37)


def test_the_modes_reproduce_hausmans_composition():
    modes = model.load_parameters()["mode"]
    eff = model.detainer_refusal_effect(modes[["share_serious", "share_other", "keep_serious", "keep_other",
                                               "keep_no_conviction"]].to_frame().T.reset_index(drop=True))
    # by hand at the modes: shares 0.2 / 0.7 / 0.1, keep 0.925 / 0.62 / 0.5
    prevented = {"none": 0.1 * 0.5, "serious": 0.2 * 0.075, "other": 0.7 * 0.38}
    assert eff.at[0, "prevented_never_convicted_share"] == pytest.approx(prevented["none"] / sum(prevented.values()))
    assert eff.at[0, "prevented_never_convicted_share"] == pytest.approx(0.15, abs=0.01)  # about 3,300 of 22,300
    assert eff.at[0, "removals_all"] == pytest.approx(-sum(prevented.values()))
    assert eff.at[0, "removals_all"] == pytest.approx(-1 / 3, abs=0.01)                # about one third


def test_consistency_check_places_the_calibration_near_hausman():
    res = model.simulate(400, 12)
    params = model.draw_parameters(400, 12)
    table = model.consistency_check(res, params)
    first = table.iloc[0]
    assert first["model low"] <= -33.0 <= first["model high"]
    assert "Hausman" in first["evidence"]
    comp = table.loc[[i for i in table.index if "never convicted" in i]].iloc[0]
    assert comp["evidence value"] == 15.0 and "3,300" in comp["evidence"]
    assert comp["model low"] <= 15.0 <= comp["model high"]


def test_parameter_importance_finds_a_planted_driver():
    params = model.draw_parameters(500, 21)
    res = model.simulate(500, 21, options=["TFM", "STRICT"])
    imp = model.parameter_importance(params, res, "victimizations", "TFM", top=None)
    assert imp.iloc[0]["parameter"] == "victimization_rate"
    assert imp.iloc[0]["rank_correlation"] > 0.9
    gap = model.parameter_importance(params, res, "reporting_rate_undocumented_victims", "TFM", "STRICT", top=3)
    assert gap.iloc[0]["parameter"] in ("chill_victim", "undoc_baseline_ratio", "base_report_victim")
    assert len(gap) == 3


def test_option_scores_read_the_lever_table():
    s = model.option_scores()
    for code in OPTION_CODES:
        assert s.at[code, "coop"] == pytest.approx(_coop_index(code))
        assert s.at[code, "hold"] == _lever(code, "hold")
    assert s.at["STRICT", "coop"] == 0 and s.at["TFM", "field"] == 1
    # conditional holds count as holds for serious convictions where the threshold lever is set
    assert s.at["COND", "hold_serious"] == 1.0 and s.at["NOTIFY", "hold_serious"] == 0.0
    assert math.isclose(model.visibility(s, 0.0)["FULL"], _coop_index("FULL"))


# --- stories, charts and the benchmark -------------------------------------------------------------------

def test_case_path_multiplies_reporting_and_clearance_draw_by_draw():
    res = model.simulate(150, 31, options=["TFM", "STRICT"])
    path = model.case_path(res).set_index(["option", "outcome"])
    victim = model.wide(res, "reporting_rate_undocumented_victims")
    cleared = model.wide(res, "clearance_rate_undocumented_victims")
    both = victim * cleared
    assert path.at[("TFM", "reported_and_cleared"), "median"] == pytest.approx(both["TFM"].median())
    assert path.at[("STRICT", "reported_and_cleared"), "hi"] == pytest.approx(both["STRICT"].quantile(0.95))
    assert path.at[("STRICT", "victim_reports"), "mean"] == pytest.approx(victim["STRICT"].mean())
    assert set(path.index.get_level_values("outcome")) == set(model.CASE_STEPS)


def test_parameter_sources_lists_real_citations_once():
    ids = model.parameter_sources("REAL")
    assert "hausman2020" in ids and "bjs-criminal-victimization-2015-ncj" in ids
    assert "wong2019" not in ids and "wong2019" in model.parameter_sources(None)  # cited by an ILLUSTRATIVE row
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(model.parameter_sources(None))


def test_charts_draw_without_warnings_and_reject_unknown_outcomes():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = model.summarize(model.simulate(30, 1))
    fig, ax = plt.subplots()
    plots.plot_intervals(ax, summary, "victimizations")
    assert [t.get_text() for t in ax.get_yticklabels()] == list(OPTION_CODES)
    with pytest.raises(InputError):
        plots.plot_intervals(ax, summary, "happiness")
    fig2, ax2 = plt.subplots()
    plots.plot_diagram(ax2)
    boxes = [t for t in ax2.texts if t.get_bbox_patch() is not None and t.get_text()]
    assert len(boxes) == len(model.DIAGRAM_BOXES)
    assert len(ax2.texts) - len(boxes) == len(model.DIAGRAM_ARROWS)
    plt.close("all")


def test_bench_prints_the_named_lines(capsys):
    from helpers import bench
    assert bench.main(["--draws", "500", "--loop-draws", "20", "--skip-report"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    names = [line.split(":")[0] for line in lines]
    assert names == ["speedup_vs_loop", "seconds_500_draws_all_options", "peak_memory_mb",
                     "peak_rss_tidy_table_mb", "rss_after_imports_mb"]
    figures = [float(line.split(": ")[1]) for line in lines]
    assert all(f > 0 for f in figures)
    assert figures[3] >= figures[4], "the peak is below the memory held before the simulation"


def test_the_tidy_table_is_typed_compactly_and_in_draw_option_outcome_order():
    t = model.simulate(3, 1, options=["FULL", "STRICT"])
    assert [str(t[c].dtype) for c in ("draw", "value")] == ["int64", "float64"]
    assert t["option"].cat.codes.dtype.itemsize == 1 and t["outcome"].cat.codes.dtype.itemsize == 1
    first = t.iloc[: len(model.OUTCOMES)]
    assert (first["draw"] == 0).all() and (first["option"] == "FULL").all()
    assert list(first["outcome"]) == list(model.OUTCOMES)


def test_bench_names_the_draw_count_and_refuses_impossible_counts(capsys):
    from helpers import bench
    assert bench.main(["--draws", "2000", "--loop-draws", "20", "--skip-report"]) == 0
    names = [line.split(":")[0] for line in capsys.readouterr().out.strip().splitlines()]
    assert names[1] == "seconds_2k_draws_all_options"
    assert bench._count_label(100_000) == "100k" and bench._count_label(1500) == "1500"
    for flag, value in (("--draws", "0"), ("--draws", "-5"), ("--loop-draws", "0")):
        with pytest.raises(SystemExit) as info:
            bench.main([flag, value, "--skip-report"])
        assert info.value.code == 2
        assert flag in capsys.readouterr().err


def test_chilling_what_if_changes_only_the_chilling_effect():
    table = model.chilling_what_if(300, 11)
    assert list(table.index) == ["no chilling effect", "model ranges", "top of the ranges"]
    assert list(table.columns) == list(OPTION_CODES)
    as_drawn = model.wide(model.simulate(300, 11), "victimizations").mean()
    assert np.allclose(table.loc["model ranges"], as_drawn)
    off = model.wide(model.simulate(300, 11, overrides={"chill_victim": 0.0, "chill_witness": 0.0}),
                     "victimizations").mean()
    assert np.allclose(table.loc["no chilling effect"], off)
    # STRICT has no enforcement signal, so the chilling effect cannot move it; the task-force model moves most
    assert table["STRICT"].nunique() == 1
    assert (table["TFM"].diff().dropna() > 0).all()
    with pytest.raises(InputError, match="field 'outcome'"):
        model.chilling_what_if(10, 1, "happiness")
