"""Every state's law, lever by lever: ``data/states.csv`` read through the rules of ``helpers.legal``.

Legal information for teaching, not legal advice: each row says how current it is (``as_of``) and whether its
classification was confirmed (``verified``).

Each state (and DC) has the regime closest to its law (:data:`helpers.legal.REGIMES`) and a list of
exceptions to that regime's rows of ``data/legal_rules.csv``, written ``lever_id=status`` and separated by
``;``. After a colon, ``:C`` on a required or prohibited exception means a conditional setting meets it;
on a contested one the unsettled settings are joined by ``+``::

    hold=prohibited:C; agreement_287g=permitted; notify=contested:N+C

So a state that limits holds but allows local 287(g) (Massachusetts, Minnesota, New York) is described
as it is. :func:`state_rules` gives the thirteen lever rules of one state; :func:`feasible_options` and
:func:`assess` hand them to :mod:`helpers.legal`, which applies the same setting-versus-status rules as for
the regimes. An exception's citations: a permitted one cites the federal floor (the neutral regime's row);
the others cite the state's own authorities, and a required or prohibited one must rest on a verified
authority (checked by :func:`helpers.legal.validate_rules`).

:func:`currency` lists legal rows (states and authorities) whose newest source is older than a given number
of months (``python -m helpers currency --months N``).

For readers (notebook 03 and the report): :func:`plot_state_map` draws a tile-grid map of the regimes
(:data:`TILE_GRID`, no shapefile), :func:`state_table` gives the states by name (``search`` filters it),
:func:`changes_in` the authorities of a year with the states that rest on them, :func:`standing` what a brief
must say about a state's row, and :func:`brief_checks` a short "check before you brief" list built from
:func:`currency` for the state's own rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
import textwrap
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from helpers import data, legal, paths
from helpers.data import load_table, split_list
from helpers.errors import InputError
from helpers.options import OPTION_CODES, load_levers, load_options

_WHERE = "data/states.csv"

#: Other spellings accepted by :func:`lookup` (lower case, without dots).
ALIASES: dict[str, str] = {
    "washington dc": "DC", "washington, dc": "DC", "district of columbia": "DC", "the district of columbia": "DC",
}


_TABLES = ("states", "legal_rules", "legal_authorities", "levers", "sources")


def _stamp() -> tuple[float, ...]:
    return tuple((paths.DATA / f"{n}.csv").stat().st_mtime for n in _TABLES)


# --------------------------------------------------------------------------------------------------------
# Loading and validating
# --------------------------------------------------------------------------------------------------------

def parse_overrides(cell: object, where: str = _WHERE, row: int | None = None) -> list[dict]:
    """The exceptions written in one ``lever_overrides`` cell, in order, as dicts with ``lever_id``,
    ``status``, ``conditional_ok`` (bool or None) and ``contested_settings`` (list). Raises
    :class:`InputError` on an unknown lever, status or setting, a repeated lever, ``:C`` on a permitted
    exception, or a contested exception without settings."""
    levers = list(load_levers()["lever_id"])
    out: list[dict] = []
    for item in split_list(cell):
        lever, sep, rest = item.partition("=")
        lever, rest = lever.strip(), rest.strip()
        status, _, settings_text = rest.partition(":")
        status = status.strip()
        settings = [s.strip() for s in settings_text.split("+") if s.strip()]
        at = dict(where=where, row=row, field="lever_overrides")
        if not sep or lever not in levers:
            close = difflib.get_close_matches(lever, levers, n=1)
            raise InputError(**at, value=item, problem=f"unknown lever in {item!r}", allowed=", ".join(levers),
                             fix=(f"did you mean '{close[0]}'? " if close else "") + "write lever_id=status")
        if status not in legal.STATUSES:
            raise InputError(**at, value=item, problem=f"unknown status in {item!r}", allowed=", ".join(legal.STATUSES))
        bad = [s for s in settings if s not in legal.SETTINGS]
        if bad:
            raise InputError(**at, value=item, problem=f"unknown setting {bad[0]!r} in {item!r}",
                             allowed=", ".join(legal.SETTINGS))
        if any(o["lever_id"] == lever for o in out):
            raise InputError(**at, value=item, problem=f"lever {lever!r} has two exceptions",
                             fix="keep one exception per lever")
        if status == "permitted" and settings:
            raise InputError(**at, value=item, problem=f"a permitted exception takes no settings ({item!r})",
                             fix=f"write {lever}=permitted")
        if status in ("required", "prohibited") and settings not in ([], ["C"]):
            raise InputError(**at, value=item, problem=f"after a {status} exception only ':C' is allowed ({item!r})",
                             allowed=":C (a conditional setting meets the rule) or nothing")
        if status == "contested" and not settings:
            raise InputError(**at, value=item, problem=f"a contested exception must list the unsettled settings ({item!r})",
                             fix=f"e.g. {lever}=contested:N+C")
        out.append({"lever_id": lever, "status": status,
                    "conditional_ok": (settings == ["C"]) if status in ("required", "prohibited") else None,
                    "contested_settings": settings if status == "contested" else []})
    return out


def _rules_for_row(row: pd.Series, rules: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """The regime's thirteen rule rows with the row's exceptions applied (rules-table columns plus
    ``origin``: "regime" or "state exception")."""
    regime = str(row["regime"])
    base = rules[rules["regime"] == regime]
    records = base.to_dict("records")  # edited as plain rows: one pandas assignment per cell would cost seconds
    at = {r["lever_id"]: r for r in records}
    for r in records:
        r["origin"] = "regime"
    neutral = rules[rules["regime"] == "neutral"].set_index("lever_id")
    authorities = legal.load_authorities()
    state_ids = split_list(row["authority_ids"])
    name = f"{row['state']} ({row['state_code']})"
    for o in parse_overrides(row["lever_overrides"], row=n):
        rule = at[o["lever_id"]]
        if o["status"] == "permitted":
            ids = split_list(neutral.loc[o["lever_id"], "authority_ids"])
            text = (f"{name}: permitted - no statewide rule on this lever was found in the sources read, so the "
                    "federal floor applies.")
        elif o["status"] == "contested":
            ids = state_ids or split_list(rule["authority_ids"])
            text = (f"{name}: contested - the sources read do not settle whether the setting(s) "
                    f"{', '.join(o['contested_settings'])} are lawful here (see the notes in data/states.csv).")
        else:
            if not state_ids:
                raise InputError(where=_WHERE, row=n, field="lever_overrides", value=o["lever_id"],
                                 problem=f"the {o['status']} exception on {o['lever_id']!r} cites no authority of "
                                         f"{row['state_code']}",
                                 fix="list the state's authorities in authority_ids, or mark the lever contested")
            ids = state_ids
            text = f"{name}: {o['status']} by {row['key_laws']}."
        rule.update({
            "status": o["status"],
            "conditional_ok": o["conditional_ok"] if o["conditional_ok"] is not None else pd.NA,
            "contested_settings": "; ".join(o["contested_settings"]) if o["contested_settings"] else pd.NA,
            "rule": text, "basis": "reading", "authority_ids": "; ".join(ids),
            "source_ids": "; ".join(split_list(authorities.loc[a, "source_ids"])[0] for a in ids),
            "notes": f"Exception for {row['state_code']} in data/states.csv.", "origin": "state exception"})
    return pd.DataFrame(records, columns=[*base.columns, "origin"]).astype(base.dtypes.to_dict())


def _rules_table(row: pd.Series, rules: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """The full rules table (all regimes) with the state's regime rows replaced by the state's rules."""
    own = _rules_for_row(row, rules, n).drop(columns="origin")
    rest = rules[rules["regime"] != row["regime"]]
    return pd.concat([rest, own], ignore_index=True)


@lru_cache(maxsize=4)
def _load(stamp: tuple[float, ...]) -> pd.DataFrame:
    df = load_table("states")
    if len(df) != 51:
        raise InputError(where=_WHERE, problem=f"{len(df)} rows; expected 51 (50 states and DC)",
                         fix="add or remove rows so every state and DC appears once")
    rules = legal.load_rules()

    def check_every_state() -> None:
        for i, row in df.iterrows():
            n = i + 1
            try:
                legal.validate_rules(_rules_table(row, rules, n),
                                     where=f"{_WHERE}, data row {n} ({row['state_code']}) applied to "
                                           "data/legal_rules.csv")
            except InputError as exc:
                raise InputError(str(exc), where=_WHERE, row=n, field="lever_overrides",
                                 value=row["lever_overrides"]) from None

    # Every state's exceptions, applied to the rules file, are checked like the rules file itself: once per
    # version of the tables involved (see helpers.data.check_once).
    data.check_once("states applied to legal_rules", [paths.DATA / f"{n}.csv" for n in _TABLES], check_every_state)
    return df.set_index("state_code", drop=False)


@lru_cache(maxsize=64)
def _table(code: str, stamp: tuple[float, ...]) -> pd.DataFrame:
    """The full rules table (all regimes) of one state, built when first asked for."""
    st = _load(stamp)
    n = int(st.index.get_loc(code)) + 1
    return _rules_table(st.loc[code], legal.load_rules(), n)


def load_states() -> pd.DataFrame:
    """``data/states.csv``, validated (descriptor, sources, authorities, and every state's exceptions applied to
    ``data/legal_rules.csv`` and checked like the rules file), indexed by ``state_code``."""
    return _load(_stamp()).copy()


# --------------------------------------------------------------------------------------------------------
# Lookup and rules
# --------------------------------------------------------------------------------------------------------

def lookup(state: object) -> pd.Series:
    """The row of a state given by its two-letter code or its name (any case; "Washington DC" and "District
    of Columbia" mean DC). Raises :class:`InputError` with a did-you-mean for anything else."""
    df = load_states()
    if not isinstance(state, str) or not state.strip():
        raise InputError(where="helpers.states", field="state", value=state,
                         allowed="a two-letter code (OH) or a state name (Ohio)", fix="give the state as text")
    key = " ".join(state.replace(".", "").split()).lower()
    codes = {c.lower(): c for c in df.index}
    names = {str(n).lower(): c for c, n in df["state"].items()}
    code = codes.get(key) or names.get(key) or ALIASES.get(key)
    if code is not None:
        return df.loc[code].copy()
    candidates = list(names) + list(ALIASES)
    close = difflib.get_close_matches(key, candidates, n=3, cutoff=0.6)
    if not close and len(key) == 2:
        close = [k for k in names if k.startswith(key[0])][:3]
    shown = [str(df.loc[names.get(c) or ALIASES[c], "state"]) + f" ({names.get(c) or ALIASES[c]})" for c in close]
    shown = list(dict.fromkeys(shown))
    raise InputError(where="helpers.states", field="state", value=state,
                     problem=f"{state!r} is not a state code or name in data/states.csv",
                     allowed="a two-letter code (e.g. OH) or a state name (e.g. Ohio); 50 states and DC",
                     fix=("did you mean " + " or ".join(shown) + "?") if shown else "check the spelling")


def state_rules(state: object) -> pd.DataFrame:
    """The thirteen lever rules of a state: the regime's rows of ``data/legal_rules.csv`` with the state's
    exceptions applied, in lever order. Columns as in the rules file plus ``state_code`` and ``origin``
    ("regime" or "state exception")."""
    row = lookup(state)
    table = _rules_for_row(row, legal.load_rules())
    order = list(load_levers()["lever_id"])
    table = table.set_index("lever_id").reindex(order).reset_index()
    table.insert(0, "state_code", str(row["state_code"]))
    return table


def _state_table(state: object) -> tuple[pd.Series, pd.DataFrame]:
    row = lookup(state)
    return row, _table(str(row["state_code"]), _stamp())


def feasible_options(state: object) -> list[str]:
    """Option codes open to a municipality in the state (contested ones included), in OPTION_CODES order:
    :func:`helpers.legal.feasible_options` under the state's own rules."""
    row, table = _state_table(state)
    return legal.feasible_options(str(row["regime"]), rules=table)


def assess(option_or_levers: str | Mapping[str, str] | pd.Series, state: object) -> legal.LegalAssessment:
    """:func:`helpers.legal.assess` of an option code or a lever vector under the state's own rules."""
    row, table = _state_table(state)
    return legal.assess(option_or_levers, str(row["regime"]), rules=table)


def blocking_table(state: object) -> pd.DataFrame:
    """:func:`helpers.legal.blocking_table` under the state's own rules (rows of the state's regime carry the
    state's verdicts, blocking levers and authorities)."""
    _, table = _state_table(state)
    return legal.blocking_table(rules=table)


def verdicts(state: object) -> pd.Series:
    """Each option's verdict in the state: "feasible", "contested" or "infeasible" (indexed by option code)."""
    row = lookup(state)
    code = str(row["state_code"])
    own = legal.option_verdicts(str(row["regime"]), _table(code, _stamp()))
    return pd.Series(own, name=code).rename_axis("option")


@lru_cache(maxsize=4)
def _verdict_table(stamp: tuple[float, ...]) -> pd.DataFrame:
    st = _load(stamp)  # every state's table was validated on load, so it is assessed directly
    rows = {code: legal.option_verdicts(str(st.loc[code, "regime"]), _table(code, stamp)) for code in st.index}
    out = pd.DataFrame.from_dict(rows, orient="index")[list(OPTION_CODES)]
    out.index.name, out.columns.name = "state_code", "option"
    return out


def verdict_table() -> pd.DataFrame:
    """Every state's verdict on every option (states x options), computed once per version of the data."""
    return _verdict_table(_stamp()).copy()


def as_of(state: object) -> str:
    """The ISO date (or year-month, or year) of the newest source read for the state's row."""
    return str(lookup(state)["as_of"])


# --------------------------------------------------------------------------------------------------------
# Currency
# --------------------------------------------------------------------------------------------------------

def _start(value: str) -> dt.date:
    """Earliest day a reduced-precision ISO date can mean ("2023" -> 1 Jan 2023), so age is never understated."""
    parts = [int(p) for p in str(value).split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(day.day, last))


def currency(months: int = 12, today: dt.date | str | None = None) -> pd.DataFrame:
    """Legal rows whose newest source is older than ``months`` months before ``today`` (default: the current
    date): rows of ``data/states.csv`` and ``data/legal_authorities.csv``, oldest first. Columns: table, id,
    name, as_of, months_old (whole months), verified."""
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise InputError(where="states.currency", field="months", value=months, allowed="a whole number >= 0",
                         fix="e.g. 12")
    if today is None:
        today = dt.date.today()
    elif isinstance(today, str):
        try:
            today = dt.date.fromisoformat(today)
        except ValueError:
            raise InputError(where="states.currency", field="today", value=today,
                             allowed="an ISO date such as 2026-11-30") from None
    elif isinstance(today, dt.datetime):
        today = today.date()
    elif not isinstance(today, dt.date):
        raise InputError(where="states.currency", field="today", value=today, allowed="a date or an ISO date string")
    cutoff = _months_before(today, months)
    st = load_states()
    au = legal.load_authorities()
    rows = [{"table": "states", "id": c, "name": str(r["state"]), "as_of": str(r["as_of"]),
             "verified": str(r["verified"])} for c, r in st.iterrows()]
    rows += [{"table": "legal_authorities", "id": a, "name": str(r["name"]), "as_of": str(r["as_of"]),
              "verified": str(r["verified"])} for a, r in au.iterrows()]
    out = pd.DataFrame(rows)
    start = out["as_of"].map(_start)
    out = out[start < cutoff].copy()
    out["months_old"] = [(today.year - d.year) * 12 + today.month - d.month - (today.day < d.day)
                         for d in out["as_of"].map(_start)]
    out["_start"] = out["as_of"].map(_start)
    out = out.sort_values(["_start", "table", "id"]).drop(columns="_start").reset_index(drop=True)
    return out[["table", "id", "name", "as_of", "months_old", "verified"]]


# --------------------------------------------------------------------------------------------------------
# For readers: the map, the table of states, what changed, and what to check (notebook 03, the report)
# --------------------------------------------------------------------------------------------------------

#: Position (row, column) of each state and DC on a tile-grid map: one equal square per state, placed roughly
#: where the state lies (north at the top), so no shapefile is needed and small states stay visible.
TILE_GRID: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (0, 10),
    "WI": (1, 5), "VT": (1, 9), "NH": (1, 10),
    "WA": (2, 0), "ID": (2, 1), "MT": (2, 2), "ND": (2, 3), "MN": (2, 4), "IL": (2, 5), "MI": (2, 6),
    "NY": (2, 8), "MA": (2, 9),
    "OR": (3, 0), "NV": (3, 1), "WY": (3, 2), "SD": (3, 3), "IA": (3, 4), "IN": (3, 5), "OH": (3, 6),
    "PA": (3, 7), "NJ": (3, 8), "CT": (3, 9), "RI": (3, 10),
    "CA": (4, 0), "UT": (4, 1), "CO": (4, 2), "NE": (4, 3), "MO": (4, 4), "KY": (4, 5), "WV": (4, 6),
    "VA": (4, 7), "MD": (4, 8), "DE": (4, 9),
    "AZ": (5, 1), "NM": (5, 2), "KS": (5, 3), "AR": (5, 4), "TN": (5, 5), "NC": (5, 6), "SC": (5, 7),
    "DC": (5, 8),
    "OK": (6, 3), "LA": (6, 4), "MS": (6, 5), "AL": (6, 6), "GA": (6, 7),
    "HI": (7, 0), "TX": (7, 3), "FL": (7, 8),
}

#: Fill colour of each regime on the map (Okabe-Ito vermillion and blue, and a light grey for "no rule").
REGIME_COLORS: dict[str, str] = {
    "requires_cooperation": "#D55E00",
    "limits_cooperation": "#0072B2",
    "neutral": "#D9D9D9",
}
GREY_HATCH_FILL = "#9A9A9A"  # legend swatch for the hatching (white lines need a darker ground)
#: Text colour on each fill, for a WCAG contrast of at least 4.5:1.
REGIME_TEXT: dict[str, str] = {"requires_cooperation": "#000000", "limits_cooperation": "#FFFFFF",
                               "neutral": "#000000"}


def menu_changes(state: object) -> pd.DataFrame:
    """Options whose verdict in the state differs from the verdict under its regime type (what the state's
    lever-by-lever exceptions change). Columns: option, regime_verdict, state_verdict."""
    row = lookup(state)
    base = legal.option_verdicts(str(row["regime"]), legal.load_rules())  # the regime type's own verdicts
    own = verdicts(row["state_code"])
    diff = [o for o in OPTION_CODES if own[o] != base[o]]
    return pd.DataFrame({"option": diff, "regime_verdict": [base[o] for o in diff],
                         "state_verdict": [own[o] for o in diff]})


def contested_levers(state: object) -> pd.DataFrame:
    """The state's levers whose status is contested: lever_id, lever (its name) and the unsettled settings."""
    rules = state_rules(state)
    names = load_levers().set_index("lever_id")["name"]
    sub = rules[rules["status"] == "contested"]
    return pd.DataFrame({"lever_id": list(sub["lever_id"]), "lever": [str(names[x]) for x in sub["lever_id"]],
                         "settings": [str(s) for s in sub["contested_settings"]]})


def map_table() -> pd.DataFrame:
    """One row per state and DC, indexed by code, with what the tile map draws: state, regime, row, col,
    verified, open (options open, contested included, as codes), n_open, n_contested (options that are open
    but contested), menu_changed (True when the state's exceptions open or close an option compared with its
    regime type)."""
    st = load_states()
    cm = legal.compliance_matrix()
    vt = verdict_table()
    rows = []
    for code, r in st.iterrows():
        v = vt.loc[code]
        open_ = [o for o in OPTION_CODES if v[o] != "infeasible"]
        rows.append({"state_code": code, "state": str(r["state"]), "regime": str(r["regime"]),
                     "row": TILE_GRID[code][0], "col": TILE_GRID[code][1], "verified": str(r["verified"]),
                     "open": ", ".join(open_), "n_open": len(open_), "n_contested": int((v == "contested").sum()),
                     "menu_changed": bool((v != cm[str(r["regime"])]).any())})
    return pd.DataFrame(rows).set_index("state_code")



def day_text(iso: str) -> str:
    """'2026-05-28' -> '28 May 2026' (a year or year-month is returned as given)."""
    if len(str(iso)) != 10:
        return str(iso)
    d = dt.date.fromisoformat(str(iso))
    return f"{d.day} {d:%B %Y}"


def _map_sources(codes) -> list[str]:
    st = load_states()
    out: list[str] = []
    for cell in st.loc[list(codes), "source_ids"]:
        out.extend(s for s in split_list(cell) if s not in out)
    return out


def state_table(search: str | None = None) -> pd.DataFrame:
    """The states as a reader sees them, indexed by name: regime (in words), options open and of which contested
    (each as "name (code)", joined with "; "),
    key laws, effective dates, litigation, as of, verified. ``search`` (any case) keeps the rows whose name,
    code, regime, key laws or litigation contain it; an empty result raises :class:`InputError` with close
    state names."""
    st = load_states()
    t = map_table()
    vt = verdict_table()
    named = {str(r.code): f"{r.name} ({r.code})" for r in load_options().itertuples()}
    contested = {c: "; ".join(named[o] for o in OPTION_CODES if vt.loc[c, o] == "contested") for c in st.index}
    out = pd.DataFrame({
        "state": st["state"].astype(str),
        "code": st.index,
        "regime": [legal.REGIME_SHORT[r] for r in st["regime"]],
        "options open": ["; ".join(named[o.strip()] for o in cell.split(",") if o.strip()) or "-"
                         for cell in t.loc[st.index, "open"]],
        "of which contested": [contested[c] or "-" for c in st.index],
        "key laws": st["key_laws"].astype(str),
        "effective": st["effective_dates"].astype(str),
        "litigation": st["litigation_status"].astype(str),
        "as of": st["as_of"].astype(str),
        "verified": st["verified"].astype(str),
    }).sort_values("state")
    if search is not None:
        if not isinstance(search, str) or not search.strip():
            raise InputError(where="states.state_table", field="search", value=search,
                             allowed="text to look for, e.g. 'Ohio', 'OH' or '287(g)'")
        key = search.strip().lower()
        cols = ["state", "code", "regime", "key laws", "litigation"]
        hit = out[cols].apply(lambda c: c.str.lower().str.contains(key, regex=False)).any(axis=1)
        if not hit.any():
            close = difflib.get_close_matches(search.strip().title(), list(out["state"]), n=3)
            raise InputError(where="states.state_table", field="search", value=search,
                             problem=f"no state row mentions {search!r}",
                             fix=("did you mean " + " or ".join(close) + "?") if close else
                             "try a state name, a code or a word from a law's name")
        out = out[hit]
    return out.set_index("state")


def changes_in(year: int) -> pd.DataFrame:
    """Authorities dated in ``year`` (:func:`helpers.legal.changes_in`) with the states whose rows cite them,
    by name: date, name, kind, verified, status, states."""
    a = legal.changes_in(year)
    st = load_states()
    cites = {aid: sorted(str(n) for n, ids in zip(st["state"], st["authority_ids"]) if aid in split_list(ids))
             for aid in a["authority_id"]}
    a["states"] = [", ".join(cites[x]) or "-" for x in a["authority_id"]]
    return a[["date", "name", "kind", "verified", "status", "states"]]


def standing(state: object) -> dict[str, object]:
    """What a brief must say about a state's row: state, code, regime, regime label, as_of, verified,
    partial (bool), contested (lever names), menu_changes (sentences), open (option codes), key_laws,
    summary."""
    row = lookup(state)
    code = str(row["state_code"])
    changes = menu_changes(code)
    return {"state": str(row["state"]), "code": code, "regime": str(row["regime"]),
            "regime_label": legal.REGIME_SHORT[str(row["regime"])], "as_of": str(row["as_of"]),
            "verified": str(row["verified"]), "partial": str(row["verified"]) != "yes",
            "contested": list(contested_levers(code)["lever"]),
            "menu_changes": [f"{r.option}: {r.state_verdict} here ({r.regime_verdict} under the regime type)"
                             for r in changes.itertuples()],
            "open": feasible_options(code), "key_laws": str(row["key_laws"]), "summary": str(row["summary"])}


def _own_authorities(code: str) -> list[str]:
    """The state's own authorities, then every authority its thirteen lever rules cite."""
    ids = split_list(lookup(code)["authority_ids"])
    for cell in state_rules(code)["authority_ids"]:
        ids.extend(a for a in split_list(cell) if a not in ids)
    return ids


def brief_checks(state: object, months: int = 12, today: dt.date | str | None = None) -> list[str]:
    """A short "check before you brief" list for a city in ``state``, built from :func:`currency` for the
    state's own rows (its row of ``data/states.csv``, its authorities and those its lever rules cite):
    the legal layer's date, a partial classification, contested levers, rows whose newest source is more
    than ``months`` months older than ``today`` (default: the legal layer's as-of date, so the list is the
    same on every run; pass today's date for a live check), and partly verified authorities."""
    row = lookup(state)
    code = str(row["state_code"])
    name = str(row["state"])
    ref = legal.as_of() if today is None else today
    out = [f"The legal data are current as of {day_text(legal.as_of())}: look for any law, ruling or agreement in "
           f"{name} since then."]
    info = standing(code)
    if info["partial"]:
        out.append(f"{name}'s row is partial (a best reading of leads not confirmed in our sources): confirm that "
                   f"'{info['regime_label']}' describes the state's law, in the statutes themselves.")
    if info["contested"]:
        out.append(f"Contested in {name}: {', '.join(info['contested'])}. The sources read do not settle some "
                   "settings of these levers; ask counsel before relying on them.")
    old = currency(months, ref)
    ids = _own_authorities(code)
    old = old[((old["table"] == "states") & (old["id"] == code))
              | ((old["table"] == "legal_authorities") & old["id"].isin(ids))]
    ref_text = day_text(ref.isoformat() if isinstance(ref, dt.date) else str(ref))
    for r in old.itertuples():
        what = f"{name}'s row in data/states.csv" if r.table == "states" else r.name
        out.append(f"{what}: newest source read is dated {r.as_of}, {r.months_old} months before {ref_text}; "
                   "check for later changes.")
    auth = legal.load_authorities()
    partial = [a for a in ids if a in auth.index and auth.loc[a, "verified"] != "yes"]
    for a in partial:
        out.append(f"{auth.loc[a, 'name']}: only partly verified ({auth.loc[a, 'status']}); read the text itself.")
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers currency [--months N] [--today YYYY-MM-DD]``."""
    parser = argparse.ArgumentParser(prog="python -m helpers currency",
                                     description="List legal rows (data/states.csv, data/legal_authorities.csv) whose "
                                                 "newest source is older than a number of months.")
    parser.add_argument("--months", type=int, default=12, help="age limit in months (default 12)")
    parser.add_argument("--today", default=None, help="reference date, ISO (default: today)")
    args = parser.parse_args(argv)
    try:
        table = currency(args.months, args.today)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ref = args.today or dt.date.today().isoformat()
    print(f"{len(table)} legal row(s) whose newest source is more than {args.months} month(s) older than {ref}:")
    if len(table):
        print("\n".join(wrapped_lines(table)))
    return 0


def wrapped_lines(table: pd.DataFrame, width: int = 100) -> list[str]:
    """A table as plain-text lines no wider than ``width`` (unless one column's longest word is wider), every
    cell in full: the widest columns are narrowed first and their text wraps onto further lines of the row;
    numbers are right-aligned. ``python -m helpers currency`` prints its table this way."""
    cells = [[str(c) for c in table.columns]] + [["" if pd.isna(v) else str(v) for v in row]
                                                  for row in table.itertuples(index=False)]
    natural = [max(len(r[i]) for r in cells) for i in range(len(table.columns))]
    floor = [max([len(w) for r in cells for w in r[i].split()] + [1]) for i in range(len(natural))]
    widths = list(natural)
    while sum(widths) + 2 * (len(widths) - 1) > width:
        room = [w - f for w, f in zip(widths, floor)]
        if max(room) <= 0:
            break
        widths[room.index(max(room))] -= 1
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
               for c in table.columns]
    lines = []
    for row in cells:
        parts = [textwrap.wrap(text, w, break_long_words=False) or [""] for text, w in zip(row, widths)]
        for k in range(max(len(p) for p in parts)):
            lines.append("  ".join((p[k] if k < len(p) else "").rjust(w) if num else (p[k] if k < len(p) else "").ljust(w)
                                   for p, w, num in zip(parts, widths, numeric)).rstrip())
    return lines


__all__ = ["ALIASES", "parse_overrides", "load_states", "lookup", "state_rules", "feasible_options", "assess",
           "verdicts", "verdict_table", "blocking_table", "as_of", "currency", "wrapped_lines", "main", "TILE_GRID", "REGIME_COLORS", "REGIME_TEXT", "menu_changes",
           "contested_levers", "map_table", "plot_state_map", "state_table", "changes_in", "standing", "day_text",
           "brief_checks"]
