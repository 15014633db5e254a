"""References in the documentation point at files that exist in the repository.

Markdown links to repository paths (README, CONTRIBUTING, docs/, the data dictionaries, notebooks' markdown
cells) must resolve from the linking file; paths written in code spans in README, CONTRIBUTING and docs/
must exist; and every ``helpers/*.py`` or ``tests/test_*.py`` named in the code, docs or notebooks must exist.
Generated folders (``.gitignore``) are not checked: they do not exist on a fresh clone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

from helpers import paths

ROOT = paths.ROOT
GUIDES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
DOCS = [*GUIDES, ROOT / "data" / "README.md", ROOT / "data" / "examples" / "README.md"]
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]*`", re.S | re.M)
MODULE_OR_TEST = re.compile(r"\b(helpers/[a-z_]+\.py|tests/test_[a-z0-9_]+\.py)\b")


def ignored_top_level() -> set[str]:
    names = set()
    for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "*", "!")):
            names.add(line.strip("/"))
    return names


def local_targets(markdown: str) -> list[str]:
    """Link targets that are repository paths (no scheme, no bare #anchor), code spans removed."""
    out = []
    for target in LINK.findall(CODE.sub("", markdown)):
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        out.append(unquote(target.split("#")[0].split("?")[0]))
    return out


def markdown_sources() -> list[tuple[Path, str]]:
    out = [(p, p.read_text(encoding="utf-8")) for p in DOCS]
    for nb_path in paths.notebook_paths():
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        out += [(nb_path, "".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "markdown"]
    return out


def test_the_checker_sees_links_but_not_code_or_urls():
    text = "[a](docs/glossary.md) [b](https://x.org/y) [c](#top) `[d](nowhere.md)` ![e](img%20x.png \"t\")"
    assert local_targets(text) == ["docs/glossary.md", "img x.png"]


def test_markdown_links_to_repository_paths_resolve():
    broken = []
    for path, text in markdown_sources():
        for target in local_targets(text):
            resolved = (path.parent / target).resolve()
            if not resolved.exists() or not resolved.is_relative_to(ROOT):
                broken.append(f"{paths.relative(path)}: ({target})")
    assert not broken, "links to missing files or outside the repository:\n" + "\n".join(sorted(set(broken)))


def test_paths_in_code_spans_of_the_docs_exist():
    top = {p.name for p in ROOT.iterdir()} - ignored_top_level() - {".git"}
    missing = []
    for doc in GUIDES:
        text = doc.read_text(encoding="utf-8")
        for span in re.findall(r"`([^`\n]+)`", text):
            for word in span.split():
                word = word.strip("(),;:'\"")
                if "/" not in word or re.search(r"[<>*{}$]|NN|\.\.\.|://", word):
                    continue  # a placeholder, a pattern or a URL, not a path
                if word.startswith("../"):
                    missing.append(f"{paths.relative(doc)}: {word} (outside the repository)")
                    continue
                candidate = word.split("::")[0].rstrip("/")
                if candidate.split("/")[0] in top and not (ROOT / candidate).exists():
                    missing.append(f"{paths.relative(doc)}: {word}")
    assert not missing, "paths named in the docs that do not exist:\n" + "\n".join(missing)


def test_modules_and_test_files_named_anywhere_exist():
    files = [*ROOT.glob("*.md"), ROOT / "Makefile", ROOT / "pyproject.toml", ROOT / ".ci" / "run"]
    for folder in ("helpers", "tests", "notebooks", "docs", "book", "scripts", "data"):
        files += [p for p in sorted((ROOT / folder).rglob("*"))
                  if p.is_file() and p.suffix in {".py", ".md", ".ipynb", ".yml", ".cfg"}]
    missing = set()
    for f in files:
        for name in MODULE_OR_TEST.findall(f.read_text(encoding="utf-8", errors="replace")):
            if not (ROOT / name).exists():
                missing.add(f"{paths.relative(f)}: {name}")
    assert not missing, "references to files that do not exist:\n" + "\n".join(sorted(missing))
