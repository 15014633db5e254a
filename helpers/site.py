"""Build the browsable site of the collection (``python -m helpers site``; ``make site``).

The site is a Jupyter Book 1.x book (``jupyter-book<2``) of every notebook with its committed outputs:
nothing is re-executed, and nothing is fetched from the network. The configuration lives in ``book/``:

- ``book/_config.yml``  Jupyter Book settings (no execution, no thebe, MathJax served from ``book/_vendor``);
- ``book/_toc.yml``     the table of contents, written with Jupyter Book's ``glob:`` patterns so a new
                         notebook appears without editing it;
- ``book/intro.md``     the start page; a contents table with each notebook's reading time is appended.

The build copies the notebooks, the teaching pack (``docs/``) and the data dictionary into a scratch
folder, adds two things to the *copies* only (a reading-time line under each title, and each chart's
``**Chart description.**`` text as the image's alt text), runs ``jupyter-book build`` there, and moves
the finished HTML to ``_build/html`` only when the build succeeded, so a failed build never leaves a
half-written site behind. ``_build/`` is git-ignored: the site is never committed.
"""

from __future__ import annotations

import copy
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers import paths
from helpers.errors import InputError

BOOK: Path = paths.ROOT / "book"
DOCS: Path = paths.ROOT / "docs"
BUILD: Path = paths.ROOT / "_build"
HTML: Path = BUILD / "html"

#: The markdown cell right after each chart starts with this, followed by the chart's alt text.
CHART_DESCRIPTION = "**Chart description.**"

#: Reading-time model (stated so readers and tests can check it): prose at 200 words a minute
#: (a common figure for careful reading of expository text), plus 30 seconds to read each chart and
#: 15 seconds for each table or printed result; rounded up to whole minutes, at least 1.
WORDS_PER_MINUTE = 200
SECONDS_PER_CHART = 30
SECONDS_PER_TABLE = 15

_MARKER = ".jupyter-book-site"  # written into a built site, so a later build may safely replace it


class SiteError(RuntimeError):
    """The site could not be built (the message carries the end of the build log)."""


@dataclass
class BuildResult:
    """What a build produced: where the HTML is, which pages, and Sphinx's warnings."""

    html_dir: Path
    pages: list[str]
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- reading notebooks -------------------------------------------------------------------------------

def _read(nb_or_path):
    import nbformat

    if isinstance(nb_or_path, (str, Path)):
        path = Path(nb_or_path)
        if not path.exists() or path.suffix != ".ipynb":
            raise InputError(where="site", field="notebook", value=str(nb_or_path),
                             allowed="an existing .ipynb file", fix="pass a path from helpers.paths.notebook_paths()")
        return nbformat.read(path, as_version=4)
    return nb_or_path


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _strip_code_fences(text: str) -> str:
    return re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)


def headings(markdown: str) -> list[tuple[int, str]]:
    """ATX headings (``# Title``) of a markdown text as (level, text), ignoring fenced code."""
    out = []
    for line in _strip_code_fences(markdown).splitlines():
        m = re.match(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m:
            out.append((len(m.group(1)), m.group(2).strip()))
    return out


def has_chart(cell) -> bool:
    """True when a code cell's stored outputs include an image (a chart)."""
    if cell.get("cell_type") != "code":
        return False
    return any(any(k.startswith("image/") for k in out.get("data", {})) for out in cell.get("outputs", []))


def chart_descriptions(nb_or_path) -> list[tuple[int, str | None]]:
    """For every chart cell, its index and the alt text in the next cell (``None`` when missing).

    The alt text is the markdown cell right after the chart, after the ``**Chart description.**`` lead-in.
    """
    nb = _read(nb_or_path)
    cells = nb.cells
    out: list[tuple[int, str | None]] = []
    for i, cell in enumerate(cells):
        if not has_chart(cell):
            continue
        text = None
        if i + 1 < len(cells) and cells[i + 1].cell_type == "markdown":
            src = _source(cells[i + 1]).strip()
            if src.startswith(CHART_DESCRIPTION):
                text = src[len(CHART_DESCRIPTION):].strip() or None
        out.append((i, text))
    return out


def _words(text: str) -> int:
    text = _strip_code_fences(text)
    text = re.sub(r"\]\([^)]*\)", "]", text)          # link targets are not read
    text = re.sub(r"<[^>]+>", " ", text)             # nor HTML tags
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.,%$-]*", text))


def reading_minutes(nb_or_path) -> int:
    """Estimated reading time of a notebook in whole minutes (see ``WORDS_PER_MINUTE`` and friends)."""
    nb = _read(nb_or_path)
    words = sum(_words(_source(c)) for c in nb.cells if c.cell_type == "markdown")
    charts = tables = 0
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        if has_chart(c):
            charts += 1
        elif any(o.get("output_type") in ("execute_result", "display_data", "stream") for o in c.get("outputs", [])):
            tables += 1
    seconds = words / WORDS_PER_MINUTE * 60 + charts * SECONDS_PER_CHART + tables * SECONDS_PER_TABLE
    return max(1, math.ceil(seconds / 60 - 1e-9))


def notebook_summary(nb_or_path) -> dict:
    """Title (the H1), the question line under it, reading minutes and number of charts."""
    nb = _read(nb_or_path)
    title, question = "", ""
    for c in nb.cells:
        if c.cell_type != "markdown":
            continue
        lines = _source(c).splitlines()
        for j, line in enumerate(lines):
            if re.match(r"^#\s+", line):
                title = re.sub(r"^#\s+", "", line).strip()
                rest = [s.strip() for s in lines[j + 1:] if s.strip()]
                if rest and not rest[0].startswith(("#", "- ", "* ", "|", "**")):
                    question = re.sub(r"^(The question|What this collection helps with):\s*", "",
                                      rest[0].strip("*_ "), flags=re.I)
                    question = question[:1].upper() + question[1:]
                break
        if title:
            break
    charts = sum(1 for c in nb.cells if has_chart(c))
    return {"title": title, "question": question, "minutes": reading_minutes(nb), "charts": charts}


def contents_table(notebooks: list[Path] | None = None, base: Path | None = None) -> str:
    """A markdown table of the notebooks with reading time, linked relative to ``base`` (default: root)."""
    base = base or paths.ROOT
    notebooks = notebooks if notebooks is not None else paths.notebook_paths(include_exercises=False)
    rows = ["| Notebook | What it asks | Reading time |", "|---|---|---|"]
    for nb_path in notebooks:
        s = notebook_summary(nb_path)
        link = Path(nb_path).resolve().relative_to(base.resolve()).as_posix() if base else nb_path.name
        title = (s["title"] or nb_path.stem).replace("|", "\\|")
        question = s["question"].replace("|", "\\|")
        rows.append(f"| [{title}]({link}) | {question} | about {s['minutes']} min |")
    return "\n".join(rows) + "\n"


# --- staging -----------------------------------------------------------------------------------------

def _prepare_notebook(src: Path, dest: Path) -> None:
    """Copy a notebook for the site, adding a reading-time line and alt text to the copy only."""
    import nbformat

    nb = nbformat.read(src, as_version=4)
    nb = copy.deepcopy(nb)
    for i, text in chart_descriptions(nb):
        if text:
            first_paragraph = re.split(r"\n\s*\n", text.strip())[0]
            alt = re.sub(r"\s+", " ", re.sub(r"[*_`]", "", first_paragraph)).strip()
            meta = nb.cells[i].metadata.setdefault("mystnb", {})
            meta.setdefault("image", {})["alt"] = alt
    minutes = reading_minutes(nb)
    first_h1 = next((k for k, c in enumerate(nb.cells) if c.cell_type == "markdown"
                     and any(level == 1 for level, _ in headings(_source(c)))), None)
    if first_h1 is not None:
        note = nbformat.v4.new_markdown_cell(f"*Reading time: about {minutes} min.*")
        note["id"] = "site-reading-time"
        nb.cells.insert(first_h1 + 1, note)
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)


def stage(dest: Path) -> None:
    """Copy everything the site shows into ``dest``, with ``book/`` (its ``_toc.yml`` included) at the top."""
    dest = Path(dest)
    for item in BOOK.iterdir():
        if item.name == "intro.md" or item.name.startswith("."):
            continue
        target = dest / item.name
        if item.is_dir():
            shutil.copytree(item, target)
        else:
            shutil.copy2(item, target)
    notebooks = paths.notebook_paths(include_exercises=True)
    for nb in notebooks:
        _prepare_notebook(nb, dest / Path(paths.relative(nb)))
    if DOCS.exists():
        for md in sorted(DOCS.glob("*.md")):
            (dest / "docs").mkdir(exist_ok=True)
            shutil.copy2(md, dest / "docs" / md.name)
    data_out = dest / "data"
    data_out.mkdir(exist_ok=True)
    for f in sorted(paths.DATA.iterdir()):
        if f.is_file() and f.suffix in (".md", ".csv"):
            shutil.copy2(f, data_out / f.name)
    changelog = data_out / "CHANGELOG.md"
    if changelog.exists() and not any(level == 1 for level, _ in headings(changelog.read_text(encoding="utf-8"))):
        # the changelog is an append-only list; the page needs a title to appear in the navigation
        changelog.write_text("# Data changelog\n\n" + changelog.read_text(encoding="utf-8"), encoding="utf-8")
    intro = (BOOK / "intro.md").read_text(encoding="utf-8").rstrip() + "\n\n"
    main_nbs = paths.notebook_paths(include_exercises=False)
    if main_nbs:
        intro += "## Contents and reading time\n\n" + contents_table(main_nbs, base=paths.ROOT) + "\n"
        intro += (f"Reading time counts prose at {WORDS_PER_MINUTE} words a minute, {SECONDS_PER_CHART} seconds "
                  f"per chart and {SECONDS_PER_TABLE} seconds per table or printed result.\n")
    (dest / "intro.md").write_text(intro, encoding="utf-8")


# --- building ----------------------------------------------------------------------------------------

def _check_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / _MARKER).exists():
        raise InputError(where="site", field="out", value=str(out),
                         allowed="a new or empty folder, or a site built earlier by this command",
                         fix="choose another --out folder; this one holds files this command did not write")
    inside = [p for p in (paths.NOTEBOOKS, paths.DATA, BOOK, DOCS, paths.ROOT / "helpers")
              if out.resolve() == p.resolve() or p.resolve() in out.resolve().parents]
    if inside or out.resolve() == paths.ROOT.resolve():
        raise InputError(where="site", field="out", value=str(out), allowed="a folder outside the sources",
                         fix="use the default _build/html")


def build(out: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the site into ``out`` (default ``_build/html``) and return what was built.

    ``strict`` turns Sphinx warnings (broken cross-references included) into a failed build.
    Raises :class:`SiteError` when the build fails; the previous site, if any, is then left as it was.
    """
    out = Path(out) if out is not None else HTML
    _check_out(out)
    start = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".site-work-", dir=out.parent))
    try:
        src, dst = work / "src", work / "out"
        src.mkdir()
        stage(src)
        cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(src),
               "--path-output", str(dst), "--builder", "html", "-n"]
        if strict:
            cmd += ["-W", "--keep-going"]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=work)
        log = (proc.stdout or "") + (proc.stderr or "")
        warnings = [_clean(line, src) for line in log.splitlines()
                    if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]
        built = dst / "_build" / "html"
        if proc.returncode != 0 or not (built / "index.html").exists():
            tail = "\n".join(_clean(line, src) for line in log.splitlines()[-25:])
            raise SiteError(f"jupyter-book build failed (exit code {proc.returncode}); end of its log:\n{tail}")
        (built / _MARKER).write_text("built by python -m helpers site\n", encoding="utf-8")
        if out.exists():
            old = work / "previous"
            out.rename(old)
        built.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                   if not p.relative_to(out).parts[0].startswith("_"))
    return BuildResult(html_dir=out, pages=pages, warnings=warnings, seconds=time.perf_counter() - start)


def _clean(line: str, src: Path) -> str:
    """A log line without colour codes, the scratch folder replaced by repository-relative paths."""
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    return line.replace(str(src) + "/", "").replace(str(src), ".")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m helpers site",
                                     description="Build the static site of the notebooks (no re-execution, offline).")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: _build/html)")
    parser.add_argument("--strict", action="store_true",
                        help="fail on any Sphinx warning, such as a link to a missing notebook")
    args = parser.parse_args(argv)
    try:
        result = build(args.out, strict=args.strict)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for w in result.warnings:
        print(w, file=sys.stderr)
    print(f"Built {len(result.pages)} pages in {result.seconds:.1f} s with {len(result.warnings)} warning(s).")
    print(f"Open {paths.relative(result.html_dir / 'index.html')} in a browser.")
    return 0
