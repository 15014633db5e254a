"""Inputs an analyst may pass to the decision, series, evidence, data and legal helpers: clear errors, or
the right answer, never a bare traceback or a silently wrong result."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from helpers import data, decision, evidence, legal, model, paths, series
from helpers.errors import InputError


@pytest.fixture(scope="module")
def results():
    return model.simulate(40, 3)


@pytest.fixture(scope="module")
def perf(results):
    return decision.performance(results, "neutral")


# --- decision --------------------------------------------------------------------------------------

@pytest.mark.parametrize("column, value, needle", [
    ("direction", "higher is better", "did you mean 'higher_is_better'"),
    ("combine", "median", "allowed: single, max, mean, sum"),
    ("layer", "legl", "did you mean 'legal'"),
    ("group", "other", "allowed: enforcement_aims, rights_protections, shared_concerns"),
    ("group", "trust_and_rights", "criterion 'civil_liberties' has group 'trust_and_rights'"),
])
def test_a_criteria_table_given_by_hand_is_checked(results, column, value, needle):
    crit = decision.load_criteria()
    crit.loc[crit.index[1], column] = value
    with pytest.raises(InputError, match=needle):
        decision.performance(results, "neutral", criteria=crit)


def test_duplicate_criteria_and_single_with_two_fields_are_refused(results):
    crit = decision.load_criteria()
    with pytest.raises(InputError, match="appears twice"):
        decision.performance(results, "neutral", criteria=pd.concat([crit, crit.iloc[[0]]]))
    crit.loc[crit.index[0], ["combine", "fields"]] = ["single", "victimizations; reported_crimes"]
    with pytest.raises(InputError, match="combine is 'single'"):
        decision.performance(results, "neutral", criteria=crit)


def test_duplicate_result_rows_are_refused_not_resolved_by_order(results):
    extra = results.iloc[[5]].assign(value=-999.0)
    for table in (pd.concat([results, extra]), pd.concat([extra, results])):
        with pytest.raises(InputError, match="two rows for the same draw, option and outcome"):
            decision.performance(table, "neutral")


def test_lower_case_codes_and_empty_results(results, perf):
    lower = results.assign(option=results["option"].astype(str).str.lower())
    again = decision.performance(lower, "neutral")
    assert again.options == perf.options
    pd.testing.assert_frame_equal(again.table, perf.table)
    with pytest.raises(InputError, match="no rows"):
        decision.performance(results.iloc[:0], "neutral")


def test_sensitivity_reruns_the_model_for_the_results_city():
    city = model.make_city(name="Springfield (fictional)", population=90_000, foreign_born_share=0.3,
                           undocumented_share=0.1, community_share=0.2)
    perf = decision.performance(model.simulate(60, 7, city=city), "neutral")
    assert perf.city == city
    implicit = decision.gap_tornado(perf, "police_chief", 60, 7)
    explicit = decision.gap_tornado(perf, "police_chief", 60, 7, city=city)
    default = decision.gap_tornado(perf, "police_chief", 60, 7, city=model.default_city())
    assert implicit["base_output"].iloc[0] == pytest.approx(explicit["base_output"].iloc[0])
    assert implicit["base_output"].iloc[0] != pytest.approx(default["base_output"].iloc[0])


def test_weights_given_as_a_dict_work_everywhere(perf):
    w = {c: 1.0 for c in perf.table.columns}
    w["fiscal_exposure"] = 3.0
    acc = decision.acceptability(perf, w, seed=1)
    assert acc.sum(axis=0).round(9).eq(1.0).all()
    groups = decision.ranking_groups(w, criteria=perf.criteria)
    assert groups[0] == ["fiscal_exposure"] and len(groups) == 2
    metrics, choices = decision.robustness_table(perf, w)
    assert set(metrics.index) == set(perf.options) and len(choices)


@pytest.mark.parametrize("seed", [-1, 1.5, "1", None, True])
def test_seeds_must_be_whole_numbers(perf, seed):
    with pytest.raises(InputError, match="field 'seed'"):
        decision.acceptability(perf, "police_chief", seed)
    with pytest.raises(InputError, match="field 'seed'"):
        decision.acceptability_table(perf, seed)


def test_an_empty_profile_table_is_named(perf):
    empty = decision.load_profiles().iloc[:0]
    for call in (lambda: decision.compare_methods(perf, empty), lambda: decision.flip_table(perf, empty),
                 lambda: decision.acceptability_table(perf, 1, empty)):
        with pytest.raises(InputError, match="at least one row"):
            call()


def _edit_csv(source, target, edit):
    """Copy a CSV from ``source`` to ``target`` with ``edit(rows)`` applied to its rows (dicts)."""
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    edit(rows)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return target


def _profiles_copy(tmp_path, pid, column, value):
    def edit(rows):
        for r in rows:
            if r["profile_id"] == pid:
                r[column] = value
    return _edit_csv(paths.DATA / "stakeholder_profiles.csv", tmp_path / "profiles.csv", edit)


def _swing_profile():
    table = decision.load_profiles()
    return table[table["elicitation"] == "swing"].iloc[0]


@pytest.mark.parametrize("edit, needle", [
    (lambda s: s.replace(s.split(";")[0].split(":")[1].strip(), "1e", 1), "points a number from 0 to 100"),
    (lambda s: s + "; " + s.split(";")[0].strip(), "swing points twice"),
    (lambda s: "; ".join(f"{p.split(':')[0].strip()}: 0" for p in s.split(";")), "zero swing points"),
])
def test_swing_point_mistakes_name_the_file_and_the_profile(tmp_path, edit, needle):
    row = _swing_profile()
    path = _profiles_copy(tmp_path, row["profile_id"], "swing_points", edit(row["swing_points"]))
    with pytest.raises(InputError, match=needle) as err:
        decision.load_profiles(path=path)
    assert str(path) in str(err.value) and row["profile_id"] in str(err.value)


# --- series, evidence, data ------------------------------------------------------------------------

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


@pytest.mark.parametrize("text", ["inf", "Infinity", "1e999", "nan"])
def test_non_finite_numbers_in_a_table_are_refused(table_copy, text):
    path = table_copy("evidence_studies")

    def edit(rows):
        next(r for r in rows if r["verified"] == "yes" and r["point_estimate"])["point_estimate"] = text
    _edit_csv(path, path, edit)
    with pytest.raises(InputError, match="point_estimate"):
        evidence.load_evidence(path)
    with pytest.raises(InputError, match="point_estimate"):
        data.load_table("evidence_studies", path)


# --- legal -----------------------------------------------------------------------------------------

def test_rule_tables_given_by_hand_are_checked():
    rules, risks = legal.load_rules(), legal.load_risk_rules()
    gap = rules[~((rules["regime"] == "neutral") & (rules["lever_id"] == rules["lever_id"].iloc[0]))]
    for call in (lambda: legal.compliance_matrix(gap), lambda: legal.feasible_options("neutral", gap),
                 lambda: legal.assess("FULL", "neutral", rules=gap)):
        with pytest.raises(InputError, match="has no row for lever"):
            call()
    with pytest.raises(InputError, match="points must be a number"):
        legal.assess("FULL", "neutral", risk_rules=risks.assign(points="high"))
    with pytest.raises(InputError, match="column is missing"):
        legal.assess("FULL", "neutral", risk_rules=risks.drop(columns="points"))
    # the tables as loaded still give the same answers through the checked path
    assert legal.compliance_matrix(rules).equals(legal.compliance_matrix())


def test_more_arguments_of_the_wrong_type(perf):
    with pytest.raises(InputError, match="field 'start'"):
        legal.timeline("2000")
    with pytest.raises(InputError, match="field 'start'"):
        legal.changes_in("2025")
    with pytest.raises(InputError, match="series_ids"):
        evidence.context_series(None)
    with pytest.raises(InputError, match="field 'top'"):
        decision.gap_tornado(perf, "police_chief", 20, 1, top=-1)
