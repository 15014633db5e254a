"""One-off import of the project's verified research tables into ``data/``.

This script records how ``data/sources.csv`` and the first tables were derived from the research
pass (three CSVs of facts, each with the link it was read at). It is kept for provenance and is not
run by the tests or by ``make``: the committed CSVs are the project's data, and later edits to them
are recorded in ``data/CHANGELOG.md``.

Usage (from the repository root; RESEARCH is the folder of research tables the import was made from,
which is not part of this repository)::

    python scripts/import_research.py RESEARCH
"""

from __future__ import annotations

import csv
import re
import sys
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATE_READ = "2026-11-29"

# Publisher stance where it is obvious (the research notes label think tanks by their usual stance).
# Matched as whole words, case-sensitive, in this order (so "TRAC" is not found in "abstract", "ICE" not in
# "Justice", "FAIR" not in "Affairs").
STANCE_BY_PUBLISHER = [
    ("TRAC", "university research center (data access)"),
    ("Center for Immigration Studies", "restrictionist think tank"),
    ("CIS", "restrictionist think tank"),
    ("FAIR", "restrictionist advocacy group"),
    ("NumbersUSA", "restrictionist advocacy group"),
    ("Center for American Progress", "progressive think tank"),
    ("PolicyLink", "progressive advocacy group"),
    ("Cato", "libertarian think tank (pro-immigration)"),
    ("Center for Growth and Opportunity", "university-based, market-oriented research center"),
    ("CGO", "university-based, market-oriented research center"),
    ("Immigrant Legal Resource Center", "immigrant-rights advocacy group"),
    ("ILRC", "immigrant-rights advocacy group"),
    ("ACLU", "civil-liberties advocacy group"),
    ("NIWAP", "advocacy group for immigrant victims"),
    ("Migration Policy Institute", "nonpartisan think tank"),
    ("Pew", "nonpartisan research center"),
    ("Gallup", "polling organization"),
    ("Bureau of Justice Statistics", "federal statistical agency"),
    ("BJS", "federal statistical agency"),
    ("FBI", "federal agency"),
    ("ICE", "federal agency (enforcement)"),
    ("DHS", "federal agency (enforcement)"),
    ("Census", "federal statistical agency"),
]


def stance_for(publisher: str) -> str:
    for needle, stance in STANCE_BY_PUBLISHER:
        if re.search(rf"\b{re.escape(needle)}\b", publisher):
            return stance
    return ""


def slug(text: str, limit: int = 48) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s


def domain(url: str) -> str:
    host = urlparse(url.strip()).netloc
    return host[4:] if host.startswith("www.") else host


def main(research: Path) -> None:
    sources: "OrderedDict[str, dict]" = OrderedDict()
    by_url: dict[str, str] = {}

    def add(source_id: str, title: str, publisher: str, url: str, kind: str, notes: str = "") -> str:
        url = url.strip()
        if url in by_url:
            return by_url[url]
        base, n = source_id, 2
        while source_id in sources:
            source_id = f"{base}-{n}"
            n += 1
        sources[source_id] = dict(
            source_id=source_id, title=title, publisher=publisher, url=url,
            date_read=DATE_READ, stance=stance_for(publisher) or stance_for(title), kind=kind, notes=notes,
        )
        by_url[url] = source_id
        return source_id

    # Published national series.
    series_rows = list(csv.DictReader(open(research / "real_series.csv", encoding="utf-8")))
    for r in series_rows:
        org = r["source_org"]
        abbrev = re.search(r"\(([A-Z][A-Za-z]+)\)", org)
        prefix = slug(abbrev.group(1) if abbrev else org, 12)
        r["source_id"] = add(f"{prefix}-{slug(r['source_title'], 36)}", r["source_title"], org,
                             r["source_url"], "data publication")

    # Published studies.
    study_rows = list(csv.DictReader(open(research / "evidence_studies.csv", encoding="utf-8")))
    for r in study_rows:
        tokens = r["study_id"].split("_")
        key = []
        for t in tokens:
            key.append(t)
            if re.search(r"\d", t):
                break
        title = f"{r['authors']} ({r['year'] or 'year not shown'})" + (f", {r['venue']}" if r["venue"] else "")
        r["source_id"] = add("_".join(key).replace("_", "-"), title, r["venue"] or r["authors"],
                             r["source_url"], "study")

    # Legal authorities: one source per authority, first URL as the link, others in notes.
    law_rows = list(csv.DictReader(open(research / "legal_authorities.csv", encoding="utf-8")))
    for r in law_rows:
        urls = [u.strip() for u in r["source_url"].split("|") if u.strip()]
        notes = ("Also read at: " + " ; ".join(urls[1:])) if len(urls) > 1 else ""
        sid = f"law-{r['id'].lower()}"
        sources[sid] = dict(source_id=sid, title=r["name"], publisher=domain(urls[0]), url=urls[0],
                            date_read=DATE_READ, stance="", kind=f"legal text or summary ({r['kind']})",
                            notes=notes)

    out = ROOT / "data" / "sources.csv"
    fields = ["source_id", "title", "publisher", "url", "date_read", "stance", "kind", "notes"]
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(sources.values())

    # National series with their source ids and provenance columns.
    out = ROOT / "data" / "real_series.csv"
    fields = ["series_id", "description", "geography", "year", "value", "unit", "verified",
              "source_ids", "provenance", "notes"]
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in series_rows:
            w.writerow(dict(series_id=r["series_id"], description=r["description"], geography=r["geography"],
                            year=r["year"], value=r["value"], unit=r["unit"], verified=r["verified"],
                            source_ids=r["source_id"], provenance="REAL", notes=r["notes"]))
    print(f"{len(sources)} sources, {len(series_rows)} series rows")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/import_research.py RESEARCH_FOLDER")
    main(Path(sys.argv[1]))
