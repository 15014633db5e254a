"""The seven option archetypes, their codes and their lever settings."""

from __future__ import annotations

import pytest

from helpers import options
from helpers.errors import InputError


def test_option_codes_are_the_seven_archetypes_in_order():
    table = options.load_options()
    assert tuple(table.index) == options.OPTION_CODES
    assert list(table["order"]) == list(range(1, 8))


def test_check_codes_normalises_and_rejects():
    assert options.check_codes(["strict", "TFM", "strict"]) == ["STRICT", "TFM"]
    with pytest.raises(InputError) as exc:
        options.check_codes(["FULL", "SANCTUARY"])
    assert "SANCTUARY" in str(exc.value) and "STRICT" in str(exc.value)
    with pytest.raises(InputError):
        options.check_codes([])


def test_lever_matrix_covers_every_lever_and_option():
    m = options.lever_matrix()
    assert m.shape == (13, 7)
    assert set(m.to_numpy().ravel()) <= {"Y", "N", "C", "NA"}
    num = options.lever_matrix(numeric=True)
    assert ((num >= 0) & (num <= 1)).all().all()


def test_cooperation_index_bounds_and_extremes():
    idx = options.cooperation_index()
    assert idx["STRICT"] == 0.0
    assert idx.idxmax() == "TFM"
    assert ((idx >= 0) & (idx <= 1)).all()
    # 287(g) models cooperate at least as much as any limiting option.
    assert min(idx[["TFM", "JEM", "WSO"]]) > max(idx[["COND", "NOTIFY", "STRICT"]])
