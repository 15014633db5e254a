"""The human-readable data dictionary, ``data/README.md``, generated from the descriptors.

The descriptors in ``data/schemas/`` are the single source of truth; this module renders them as
Markdown, and a test fails when ``data/README.md`` is out of date (run ``python -m helpers datadoc``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from helpers import paths
from helpers.data import column_docs, descriptor, load_table, table_names

HEADER = """# Data dictionary

Generated from the descriptors in `data/schemas/` by `python -m helpers datadoc`; do not edit by hand.
Each table is a CSV in this folder, described by a [Frictionless](https://specs.frictionlessdata.io/)
resource descriptor (`data/schemas/<table>.resource.json`) that `helpers.data.load_table` validates
on every load.

**Provenance.** Every row of every table (except the registry itself) says where it comes from:
`provenance` is `REAL` (taken from a source we read, cited by id in `source_ids`, resolved in
`sources.csv` to a title, publisher, URL and date read) or `ILLUSTRATIVE` (an assumption; `notes`
says what it assumes and why). Changes to numbers are recorded in `CHANGELOG.md`.
"""


def render() -> str:
    parts = [HEADER]
    for name in table_names():
        desc = descriptor(name)
        n = len(load_table(name))
        parts.append(f"\n## `{desc['path']}` — {desc.get('title', name)}\n")
        parts.append(f"{desc.get('description', '')}\n")
        parts.append(f"Rows: {n}. Descriptor: `data/schemas/{name}.resource.json`.\n")
        docs = column_docs(name)[["column", "type", "unit", "meaning", "allowed"]].astype(str)
        docs = docs.assign(column="`" + docs["column"] + "`").apply(lambda col: col.str.replace("|", "\\|"))
        parts.append(docs.to_markdown(index=False, tablefmt="pipe"))
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers datadoc",
                                     description="Regenerate data/README.md from the descriptors in data/schemas/.")
    parser.add_argument("--check", action="store_true", help="only report whether data/README.md is up to date")
    args = parser.parse_args(argv)
    from helpers.errors import InputError

    target = paths.DATA / "README.md"
    try:
        text = render()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if target.read_text(encoding="utf-8") != text:
            print(f"error: {paths.relative(target)} is out of date; run `python -m helpers datadoc`",
                  file=sys.stderr)
            return 1
        print(f"{paths.relative(target)} is up to date")
        return 0
    fd, tmp = tempfile.mkstemp(prefix=".README.md.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    print(f"wrote {paths.relative(target)}")
    return 0


def validate_main(argv: list[str] | None = None) -> int:
    from helpers.data import validate_all
    from helpers.errors import InputError

    argparse.ArgumentParser(prog="python -m helpers validate",
                            description="Validate every table in data/ against its descriptor.").parse_args(argv)
    try:
        counts = validate_all()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, n in counts.items():
        print(f"{name}: {n} rows OK")
    return 0
