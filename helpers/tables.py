"""The house table style: tables show every character of every cell and wrap long text.

pandas cuts a cell at 50 characters by default ("STRICT (No cooperation without a judicial warr…"), so
legal explanations, parameter notes and source titles lose their ends. Here:

- :func:`to_html` renders a DataFrame as an HTML table that keeps the full text of every cell and
  wraps it: left-aligned text, right-aligned numbers, top-aligned rows, long words and URLs broken
  only where they would otherwise overflow, and web addresses as links. The styles are written on
  each cell (``style="..."``), not in a ``<style>`` block, because JupyterLab removes ``<style>``
  blocks from the outputs of a notebook it has not run itself, and the site copies outputs as they
  are. The HTML holds no random ids or timestamps: the same table gives the same bytes every time,
  so strict nbval can compare it.
- :func:`apply_style` (call once at the top of a notebook, like ``plots.apply_style()``) makes
  every DataFrame a notebook displays use :func:`to_html`, and stops pandas cutting cells in the
  plain-text form too.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from helpers.errors import InputError

#: Inline CSS of every cell (header and body), after its alignment: text left, numbers right.
CELL_STYLE = "vertical-align:top;white-space:normal;overflow-wrap:break-word"
#: A column whose longest cell has more characters than this gets a minimum width, so a browser short of
#: room does not squeeze prose into a narrow strip beside a column of long identifiers.
LONG_TEXT_CHARS = 60
LONG_TEXT_MIN_WIDTH = "14em"
TABLE_STYLE = "border-collapse:collapse"
#: Links may break anywhere: a web address has no spaces to wrap at.
LINK_STYLE = "overflow-wrap:anywhere"

_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<td>(.*?)</td>", re.S)
_LINK = re.compile(r'<a href="([^"]*)" target="_blank">')


def _label(value) -> str:
    if isinstance(value, tuple):
        return " / ".join(str(v) for v in value if str(v) != "")
    return "" if value is None else str(value)


def _shows_index(index: pd.Index) -> bool:
    """Hide only the default 0, 1, 2 ... row numbers, which carry no information."""
    if index.nlevels > 1 or any(name is not None for name in index.names):
        return True
    return not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1)


def _body_cells(frame: pd.DataFrame, na_rep: str) -> list[list[str]]:
    """Each cell as pandas formats it (column-wise number formats, escaped text, URLs as links)."""
    if frame.shape[1] == 0:
        return [[] for _ in range(len(frame))]
    frame = frame.copy()
    for j in frame.columns:  # pandas' na_rep skips the NA of nullable columns (string, Int64): fill them here
        col = frame[j]
        if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) and col.isna().any():
            frame[j] = col.astype(object).where(col.notna(), na_rep)
    rendered = frame.to_html(index=False, header=False, escape=True, render_links=True, na_rep=na_rep)
    tbody = rendered[rendered.index("<tbody>"):]
    rows = [_CELL.findall(row) for row in _ROW.findall(tbody)]
    rows = [[cell.strip() for cell in row] for row in rows]
    if len(rows) != len(frame) or any(len(r) != frame.shape[1] for r in rows):  # pragma: no cover - guard
        raise RuntimeError("could not read the cells pandas rendered")
    return [[_LINK.sub(rf'<a href="\1" target="_blank" rel="noopener" style="{LINK_STYLE}">', c) for c in r]
            for r in rows]


def _text_length(cell_html: str) -> int:
    return len(html.unescape(re.sub(r"<[^>]+>", "", cell_html)))


def to_html(df: pd.DataFrame | pd.Series, *, index: bool | None = None, na_rep: str = "") -> str:
    """An HTML table of ``df`` with the full text of every cell, wrapped, and deterministic bytes.

    ``index``: show the row labels (default: yes, unless they are the plain 0, 1, 2 ... numbers).
    ``na_rep``: what a missing value shows (default: an empty cell).
    Column labels of several levels are joined with " / ". A Series is shown as a one-column table.
    """
    if isinstance(df, pd.Series):
        df = df.to_frame()
    if not isinstance(df, pd.DataFrame):
        raise InputError(where="tables.to_html", field="df", value=type(df).__name__,
                         allowed="a pandas DataFrame or Series")
    show_index = _shows_index(df.index) if index is None else bool(index)
    n_index = df.index.nlevels if show_index else 0
    # Index levels and columns side by side, with positional labels so no name can collide.
    levels = pd.DataFrame({i: df.index.get_level_values(i) for i in range(df.index.nlevels)})
    parts = [levels] if show_index else []
    parts.append(df.reset_index(drop=True))
    frame = pd.concat(parts, axis=1, ignore_index=True)
    cells = _body_cells(frame, na_rep)

    numeric = [pd.api.types.is_numeric_dtype(k) and not pd.api.types.is_bool_dtype(k) for k in frame.dtypes]
    long_text = [max((_text_length(row[j]) for row in cells), default=0) > LONG_TEXT_CHARS
                 for j in range(frame.shape[1])]

    def style(j: int) -> str:
        s = ("text-align:right;" if numeric[j] else "text-align:left;") + CELL_STYLE
        return s + f";min-width:{LONG_TEXT_MIN_WIDTH}" if long_text[j] else s

    head_labels = ([_label(n) for n in df.index.names] if show_index else []) + [_label(c) for c in df.columns]
    out = [f'<table class="dataframe wrapped-table" style="{TABLE_STYLE}">', "  <thead>"]
    if isinstance(df.columns.name, str) and df.columns.name and df.shape[1]:
        # what the columns are (a crosstab's "verified", a matrix's "regime"): one label over all of them
        out += ["    <tr>"] + (['      <th style="border:none"></th>' if n_index == 1 else
                                 f'      <th colspan="{n_index}" style="border:none"></th>'] if n_index else [])
        out += [f'      <th colspan="{df.shape[1]}" scope="colgroup" style="text-align:left;{CELL_STYLE}">'
                f"{html.escape(df.columns.name)}</th>", "    </tr>"]
    out.append("    <tr>")
    out += [f'      <th scope="col" style="{style(j)}">{html.escape(label)}</th>'
            for j, label in enumerate(head_labels)]
    out += ["    </tr>", "  </thead>", "  <tbody>"]
    for row in cells:
        out.append("    <tr>")
        for j, cell in enumerate(row):
            tag = 'th scope="row"' if j < n_index else "td"
            out.append(f'      <{tag} style="{style(j)}">{cell}</{tag.split()[0]}>')
        out.append("    </tr>")
    out += ["  </tbody>", "</table>"]
    return "\n".join(out)


def apply_style() -> None:
    """Show every DataFrame in full, wrapped (call once at the top of a notebook).

    Registers :func:`to_html` as the HTML form of a DataFrame in the running IPython kernel and sets
    pandas' ``display.max_colwidth`` to no limit, so the plain-text form is not cut either. Outside
    IPython (a script, the test suite) only the pandas option is set. Calling it twice is harmless.
    """
    pd.set_option("display.max_colwidth", None)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is part of the environment
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, to_html)


__all__ = ["CELL_STYLE", "LONG_TEXT_CHARS", "to_html", "apply_style"]
