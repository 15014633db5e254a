"""Error messages: one sentence with the place, the field, the value, what is allowed and the fix."""

from __future__ import annotations

from helpers.errors import describe


def test_describe_builds_one_sentence():
    msg = describe(where="data/x.csv", row=3, field="rate", value=1.5, allowed="0 to 1", fix="use a share")
    assert msg == "data/x.csv, row 3, field 'rate': value 1.5 is not allowed; allowed: 0 to 1; fix: use a share"


def test_error_messages_cut_very_long_values():
    msg = describe(field="population", value=10 ** 400)
    assert "value a 401-digit number is not allowed" in msg and len(msg) < 200
    msg = describe(field="name", value="x" * 500)
    assert "(502 characters)" in msg and len(msg) < 200
    assert describe(field="x", value="short") == "field 'x': value 'short' is not allowed"
