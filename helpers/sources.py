"""The sources registry: ``data/sources.csv``.

Every REAL number in the collection cites one or more ``source_id`` values from this table. These helpers
look sources up and format them for chart captions and notebook prose.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers.data import load_table, split_list
from helpers.errors import InputError


def load_sources() -> pd.DataFrame:
    """The validated sources table, indexed by ``source_id``."""
    return load_table("sources").set_index("source_id", drop=False)


def _ids(ids: str | Iterable[str]) -> list[str]:
    if isinstance(ids, str):
        return split_list(ids)
    out: list[str] = []
    for item in ids:
        for i in split_list(item):
            if i not in out:
                out.append(i)
    return out


def get(source_ids: str | Iterable[str]) -> pd.DataFrame:
    """Rows of the registry for the given ids, in the order given. Unknown ids raise :class:`InputError`."""
    table = load_sources()
    wanted = _ids(source_ids)
    missing = [i for i in wanted if i not in table.index]
    if missing:
        raise InputError(where="data/sources.csv", field="source_id", value=missing[0],
                         allowed="ids listed in data/sources.csv",
                         fix="add the source to data/sources.csv (id, title, publisher, URL, date read)")
    return table.loc[wanted].reset_index(drop=True)


def short_label(row: pd.Series) -> str:
    """A compact label for a caption: the publisher, or for studies the title up to the venue."""
    title = str(row["title"])
    if str(row["kind"]) == "study":
        return title.split("),")[0] + ")" if ")," in title else title
    if str(row["kind"]).startswith("legal"):
        return title.split(" - ")[0]
    publisher = str(row["publisher"])
    return publisher.split(" (")[0] if len(publisher) > 40 else publisher


def cite(source_ids: str | Iterable[str], max_items: int = 4) -> str:
    """Short citation text for captions, e.g. ``"BJS; FBI (+2 more, see data/sources.csv)"``."""
    rows = get(source_ids)
    labels: list[str] = []
    for _, row in rows.iterrows():
        label = short_label(row)
        if label not in labels:
            labels.append(label)
    text = "; ".join(labels[:max_items])
    if len(labels) > max_items:
        text += f" (+{len(labels) - max_items} more in data/sources.csv)"
    return text


def references(source_ids: str | Iterable[str]) -> pd.DataFrame:
    """A small table of title, publisher, URL and date read, for a notebook's 'Sources' section."""
    rows = get(source_ids)
    return rows[["source_id", "title", "publisher", "url", "date_read"]]
