"""Sources: lookup in the given order, short citations."""

from __future__ import annotations

import pytest

from helpers import sources
from helpers.errors import InputError


def test_sources_get_keeps_order_and_rejects_unknown():
    rows = sources.get("law-case-04; hausman2020")
    assert list(rows["source_id"]) == ["law-case-04", "hausman2020"]
    with pytest.raises(InputError, match="no-such-id"):
        sources.get(["hausman2020", "no-such-id"])


def test_cite_is_short_and_counts_the_rest():
    text = sources.cite(["hausman2020", "jacome2022", "comino2020", "theodore2013", "wong2017"], max_items=2)
    assert text.startswith("Hausman, David K. (2020)")
    assert "+3 more" in text
