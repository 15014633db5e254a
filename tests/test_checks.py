"""Table rules a descriptor cannot state (helpers.checks): they run whenever a table loads, name the line, the
row's key and the field, and the same value rules guard the parameters a notebook overrides."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import checks, data, model
from helpers.errors import InputError


def _edit(path, key, value_of, **changes):
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col, value in changes.items():
        rows.loc[rows[key] == value_of, col] = value
    rows.to_csv(path, index=False, lineterminator="\n")
    return int(rows.index[rows[key] == value_of][0]) + 2  # line in the file


def test_table_rules_run_whenever_a_table_loads(table_copy):
    path = table_copy("model_parameters")
    line = _edit(path, "parameter", "chill_victim", mode="0.5")
    with pytest.raises(InputError, match=rf"line {line} \(parameter 'chill_victim'\), field 'mode': mode 0.5 is "
                                         r"outside \[0.04, 0.12\]") as err:
        data.load_table("model_parameters", path)
    assert err.value.field == "mode" and err.value.row == line - 1


def test_every_parameter_the_model_reads_has_a_row(table_copy):
    path = table_copy("model_parameters")
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows[rows["parameter"] != "hold_days"].to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(InputError, match="parameter 'hold_days' is missing"):
        data.load_table("model_parameters", path)


def test_parameter_values_rules_hold_across_rows():
    table = model.load_parameters()
    checks.parameter_values(table, "here")  # the file's own values pass
    wide = table.copy()
    wide.loc["share_serious", "high"] = 0.9
    with pytest.raises(InputError, match=r"here, \(parameter 'share_other'\), field 'high': share_serious \+ "
                                         r"share_other ranges over"):
        checks.parameter_values(wide, "here")
    zero = table.copy()
    zero.loc["clearance_base", ["low", "mode"]] = 0.0
    with pytest.raises(InputError, match="clearance_base.*not above 0"):
        checks.parameter_values(zero, "here")


def test_an_evidence_rule_names_the_study_and_the_line(table_copy):
    path = table_copy("evidence_studies")
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    sid = rows.loc[(rows["verified"] == "yes") & (rows["ci_low"] != ""), "study_id"].iloc[0]
    line = _edit(path, "study_id", sid, ci_high="")
    with pytest.raises(InputError, match=rf"line {line} \(study_id '{sid}'\), field 'ci_high': only one confidence "
                                         "bound is given"):
        data.load_table("evidence_studies", path)


def test_agreement_counts_by_model_come_all_together_and_add_up(table_copy):
    import csv

    from helpers import data

    path = table_copy("agreements_287g_counts")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    rows[1][head.index("total")] = str(int(rows[1][head.index("total")]) + 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(InputError, match="the models add up to") as exc:
        data.load_table("agreements_287g_counts", path)
    assert exc.value.field == "total"
    rows[1][head.index("total")] = str(int(rows[1][head.index("total")]) - 1)
    rows[1][head.index("JEM")] = ""
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(InputError, match="all three models") as exc:
        data.load_table("agreements_287g_counts", path)
