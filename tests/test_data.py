"""Every data table validates against its descriptor, carries provenance, and cites resolvable sources;
bad tables are rejected with one clear error naming the file, the line, the column and what is allowed."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from helpers import data, evidence, paths
from helpers.errors import InputError

from _helpers import edit_csv

TABLES = data.table_names()


def test_every_csv_in_data_has_a_descriptor():
    csvs = sorted(p.stem for p in paths.DATA.glob("*.csv"))
    assert csvs, "no tables found"
    assert set(csvs) <= set(TABLES), f"tables without a descriptor: {sorted(set(csvs) - set(TABLES))}"


@pytest.mark.parametrize("name", TABLES)
def test_table_validates_and_is_typed(name):
    df = data.load_table(name, fresh=True)  # every cell, whatever an earlier load recorded
    assert len(df) > 0
    desc = data.descriptor(name)
    assert list(df.columns) == [f["name"] for f in desc["schema"]["fields"]]
    for f in desc["schema"]["fields"]:
        if f.get("type") == "integer":
            assert str(df[f["name"]].dtype) == "Int64"
        if f.get("type") == "number":
            assert df[f["name"]].dtype == float
        assert f.get("description"), f"{name}.{f['name']} has no description"


@pytest.mark.parametrize("name", [t for t in TABLES if t != "sources"])
def test_every_row_has_provenance(name):
    df = data.load_table(name)
    assert "provenance" in df.columns, f"{name} has no provenance column"
    assert df["provenance"].isin(["REAL", "ILLUSTRATIVE"]).all()


@pytest.mark.parametrize("name", [t for t in TABLES if t != "sources"])
def test_real_rows_cite_sources_with_urls(name):
    df = data.load_table(name)
    sources = data.load_table("sources").set_index("source_id")
    real = df[df["provenance"] == "REAL"]
    for i, row in real.iterrows():
        ids = data.split_list(row["source_ids"])
        assert ids, f"{name} row {i + 1} is REAL without sources"
        for sid in ids:
            assert sid in sources.index, f"{name} row {i + 1}: unknown source {sid}"
            assert str(sources.loc[sid, "url"]).startswith(("http://", "https://"))


def test_illustrative_rows_say_what_they_assume():
    for name in TABLES:
        df = data.load_table(name)
        if "provenance" not in df.columns:
            continue
        ill = df[df["provenance"] == "ILLUSTRATIVE"]
        assert ill["notes"].fillna("").str.strip().str.len().gt(0).all(), name


def test_data_readme_is_up_to_date():
    from helpers.datadoc import render

    assert (paths.DATA / "README.md").read_text(encoding="utf-8") == render(), \
        "data/README.md is stale: run `python -m helpers datadoc`"


def test_datadoc_and_validate_commands_parse_their_arguments(capsys):
    from helpers import datadoc

    target = paths.DATA / "README.md"
    before = target.stat().st_mtime_ns
    with pytest.raises(SystemExit) as info:
        datadoc.main(["--help"])  # asking for help must not rewrite the dictionary
    assert info.value.code == 0 and target.stat().st_mtime_ns == before
    assert datadoc.main(["--check"]) == 0 and "up to date" in capsys.readouterr().out
    for call in (lambda: datadoc.main(["--bogus"]), lambda: datadoc.validate_main(["--bogus"])):
        with pytest.raises(SystemExit) as info:
            call()
        assert info.value.code == 2 and "--bogus" in capsys.readouterr().err


def test_load_table_returns_independent_copies():
    a = data.load_table("options")
    a.loc[0, "name"] = "changed"
    assert data.load_table("options").loc[0, "name"] != "changed"


def _rewrite(path, edit):
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_missing_column_names_file_and_column(table_copy):
    path = table_copy("options")
    def drop_family(rows):
        col = rows[0].index("family")
        for r in rows:
            r.pop(col)

    _rewrite(path, drop_family)
    with pytest.raises(InputError) as exc:
        data.load_table("options", path)
    msg = str(exc.value)
    assert "options.csv" in msg and "'family'" in msg and "column is missing" in msg
    assert exc.value.field == "family"


def test_unknown_column_suggests_close_match(table_copy):
    path = table_copy("options")
    _rewrite(path, lambda rows: rows[0].__setitem__(rows[0].index("summary"), "sumary"))
    with pytest.raises(InputError) as exc:
        data.load_table("options", path)
    assert "unknown column" in str(exc.value) and "summary" in str(exc.value)


def test_wrong_type_names_row_column_and_type(table_copy):
    path = table_copy("levers")
    _rewrite(path, lambda rows: rows[3].__setitem__(rows[0].index("lever_no"), "three"))
    with pytest.raises(InputError) as exc:
        data.load_table("levers", path)
    msg = str(exc.value)
    assert "levers.csv, line 4 (data row 3)" in msg
    assert "'lever_no'" in msg and "'three'" in msg and "integer" in msg
    assert exc.value.row == 3


def test_out_of_range_value_names_allowed_range(table_copy):
    path = table_copy("options")
    _rewrite(path, lambda rows: rows[2].__setitem__(rows[0].index("order"), "12"))
    with pytest.raises(InputError) as exc:
        data.load_table("options", path)
    msg = str(exc.value)
    assert "line 3" in msg and "'order'" in msg and "<= 7" in msg


def test_value_outside_enum_lists_allowed_values(table_copy):
    path = table_copy("levers")
    _rewrite(path, lambda rows: rows[1].__setitem__(rows[0].index("TFM"), "maybe"))
    with pytest.raises(InputError) as exc:
        data.load_table("levers", path)
    assert "one of Y, N, C, NA" in str(exc.value) and "'TFM'" in str(exc.value)


def test_real_row_without_source_is_rejected(table_copy):
    path = table_copy("real_series")
    desc = data.descriptor("real_series")
    # The descriptor requires source_ids; the provenance check is the second line of defence.
    _rewrite(path, lambda rows: rows[5].__setitem__(rows[0].index("source_ids"), ""))
    with pytest.raises(InputError) as exc:
        data.load_table("real_series", path)
    assert "line 6" in str(exc.value) and "source_ids" in str(exc.value)
    assert desc["schema"]["fields"]


def test_unknown_source_id_is_rejected_with_row(table_copy):
    path = table_copy("options")
    _rewrite(path, lambda rows: rows[1].__setitem__(rows[0].index("source_ids"), "hausman2020; no-such-source"))
    with pytest.raises(InputError) as exc:
        data.load_table("options", path)
    msg = str(exc.value)
    assert "'no-such-source'" in msg and "line 2" in msg and "sources.csv" in msg


def test_illustrative_row_without_note_is_rejected():
    df = pd.DataFrame({"provenance": ["ILLUSTRATIVE"], "source_ids": [pd.NA], "notes": [""]})
    with pytest.raises(InputError, match="does not say what it assumes"):
        data.check_provenance(df, "data/example.csv")


def test_duplicate_primary_key_is_rejected(table_copy):
    path = table_copy("options")
    _rewrite(path, lambda rows: rows.append(list(rows[1])))
    with pytest.raises(InputError, match="repeats an earlier row|'code'|'order'"):
        data.load_table("options", path)


def test_unknown_table_lists_known_ones():
    with pytest.raises(InputError) as exc:
        data.load_table("no_such_table")
    assert "options" in str(exc.value)


def test_descriptors_are_valid_frictionless_resources():
    from frictionless import Resource

    for name in TABLES:
        desc = json.loads(paths.schema_path(name).read_text(encoding="utf-8"))
        assert desc["name"] == name and desc["path"] == f"{name}.csv"
        Resource.from_descriptor(desc, basepath=str(paths.DATA))  # raises on an invalid descriptor


def test_rows_with_too_many_or_too_few_cells_are_named_as_such(table_copy):
    path = table_copy("levers")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + lines[1].rstrip("\n") + ",x\n" + "".join(lines[2:]), encoding="utf-8")
    n = len(data.descriptor("levers")["schema"]["fields"])
    with pytest.raises(InputError, match=rf"line 2 \(data row 1\): this row has {n + 1} cells but the header "
                                         rf"has {n} columns.*quote a cell that contains a comma"):
        data.load_table("levers", path)
    path = table_copy("sources")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    short = lines[2].rstrip("\n").rsplit(",", 1)[0]
    path.write_text("".join(lines[:2]) + short + "\n" + "".join(lines[3:]), encoding="utf-8")
    n = len(data.descriptor("sources")["schema"]["fields"])
    with pytest.raises(InputError, match=rf"line 3 \(data row 2\): this row has {n - 1} cells.*fewer cells"):
        data.load_table("sources", path)


def test_a_folder_given_as_a_table_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a folder, not a file"):
        data.load_table("sources", tmp_path)


def test_cells_are_checked_once_per_version_of_a_file(table_copy, tmp_path, monkeypatch):
    """A file that passed is not cell-checked again while its bytes are unchanged; any edit, or fresh=True,
    checks it again."""
    monkeypatch.setattr(data, "VERDICTS", tmp_path / "cache" / "validated.json")
    checked = []
    real = data._validate_cells
    monkeypatch.setattr(data, "_validate_cells", lambda path, desc: (checked.append(path), real(path, desc)))
    path = table_copy("levers")
    data.load_table("levers", path)
    data._load_cached.cache_clear()  # as in a new notebook kernel
    data.load_table("levers", path)
    assert checked.count(path) == 1, "an unchanged file was checked twice"
    data.load_table("levers", path, fresh=True)
    assert checked.count(path) == 2
    _rewrite(path, lambda rows: rows[3].__setitem__(rows[0].index("lever_no"), "three"))
    with pytest.raises(InputError, match="'lever_no'"):
        data.load_table("levers", path)  # an edited file is checked, and its error still reported


def test_an_unwritable_cache_only_costs_speed(table_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(data, "VERDICTS", blocker / "validated.json")  # its folder cannot be created
    assert len(data.load_table("levers", table_copy("levers"))) > 0


# ---------------------------------------------------------------------------------------------- inputs an analyst passes
@pytest.mark.parametrize("text", ["inf", "Infinity", "1e999", "nan"])
def test_non_finite_numbers_in_a_table_are_refused(table_copy, text):
    path = table_copy("evidence_studies")

    def edit(rows):
        next(r for r in rows if r["verified"] == "yes" and r["point_estimate"])["point_estimate"] = text
    edit_csv(path, path, edit)
    with pytest.raises(InputError, match="point_estimate"):
        evidence.load_evidence(path)
    with pytest.raises(InputError, match="point_estimate"):
        data.load_table("evidence_studies", path)
