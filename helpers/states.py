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
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from helpers import legal, paths
from helpers.data import load_table, split_list
from helpers.errors import InputError
from helpers.options import OPTION_CODES, load_levers

_WHERE = "data/states.csv"

#: Other spellings accepted by :func:`lookup` (lower case, without dots).
ALIASES: dict[str, str] = {
    "washington dc": "DC", "washington, dc": "DC", "district of columbia": "DC", "the district of columbia": "DC",
}


def _stamp() -> tuple[float, ...]:
    return tuple((paths.DATA / f"{n}.csv").stat().st_mtime
                 for n in ("states", "legal_rules", "legal_authorities", "levers", "sources"))


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
    base = rules[rules["regime"] == regime].copy()
    base["origin"] = "regime"
    neutral = rules[rules["regime"] == "neutral"].set_index("lever_id")
    authorities = legal.load_authorities()
    state_ids = split_list(row["authority_ids"])
    name = f"{row['state']} ({row['state_code']})"
    for o in parse_overrides(row["lever_overrides"], row=n):
        i = base.index[base["lever_id"] == o["lever_id"]][0]
        if o["status"] == "permitted":
            ids = split_list(neutral.loc[o["lever_id"], "authority_ids"])
            text = (f"{name}: permitted - no statewide rule on this lever was found in the sources read, so the "
                    "federal floor applies.")
        elif o["status"] == "contested":
            ids = state_ids or split_list(base.at[i, "authority_ids"])
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
        base.loc[i, ["status", "conditional_ok", "contested_settings", "rule", "basis", "authority_ids",
                     "source_ids", "notes", "origin"]] = [
            o["status"], o["conditional_ok"] if o["conditional_ok"] is not None else pd.NA,
            "; ".join(o["contested_settings"]) if o["contested_settings"] else pd.NA, text, "reading",
            "; ".join(ids), "; ".join(split_list(authorities.loc[a, "source_ids"])[0] for a in ids),
            f"Exception for {row['state_code']} in data/states.csv.", "state exception"]
    return base.reset_index(drop=True)


def _rules_table(row: pd.Series, rules: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """The full rules table (all regimes) with the state's regime rows replaced by the state's rules."""
    own = _rules_for_row(row, rules, n).drop(columns="origin")
    rest = rules[rules["regime"] != row["regime"]]
    return pd.concat([rest, own], ignore_index=True)


@lru_cache(maxsize=4)
def _load(stamp: tuple[float, ...]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    df = load_table("states")
    rules = legal.load_rules()
    if len(df) != 51:
        raise InputError(where=_WHERE, problem=f"{len(df)} rows; expected 51 (50 states and DC)",
                         fix="add or remove rows so every state and DC appears once")
    tables: dict[str, pd.DataFrame] = {}
    for i, row in df.iterrows():
        n = i + 1
        table = _rules_table(row, rules, n)
        try:
            legal.validate_rules(table, where=f"{_WHERE}, data row {n} ({row['state_code']}) applied to data/legal_rules.csv")
        except InputError as exc:
            raise InputError(str(exc), where=_WHERE, row=n, field="lever_overrides",
                             value=row["lever_overrides"]) from None
        tables[str(row["state_code"])] = table
    return df.set_index("state_code", drop=False), tables


def load_states() -> pd.DataFrame:
    """``data/states.csv``, validated (descriptor, sources, authorities, and every state's exceptions applied to
    ``data/legal_rules.csv`` and checked like the rules file), indexed by ``state_code``."""
    return _load(_stamp())[0].copy()


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
    return row, _load(_stamp())[1][str(row["state_code"])]


def feasible_options(state: object) -> list[str]:
    """Option codes open to a municipality in the state (contested ones included), in OPTION_CODES order:
    :func:`helpers.legal.feasible_options` under the state's own rules."""
    row, table = _state_table(state)
    return legal.feasible_options(str(row["regime"]), rules=table)


def assess(option_or_levers: str | Mapping[str, str] | pd.Series, state: object) -> legal.LegalAssessment:
    """:func:`helpers.legal.assess` of an option code or a lever vector under the state's own rules."""
    row, table = _state_table(state)
    return legal.assess(option_or_levers, str(row["regime"]), rules=table)


def verdicts(state: object) -> pd.Series:
    """Each option's verdict in the state: "feasible", "contested" or "infeasible" (indexed by option code)."""
    row, table = _state_table(state)
    return pd.Series({code: legal.assess(code, str(row["regime"]), rules=table).verdict for code in OPTION_CODES},
                     name=str(row["state_code"]))


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
        with pd.option_context("display.max_rows", None, "display.width", 160, "display.max_colwidth", 70):
            print(table.to_string(index=False))
    return 0


__all__ = ["ALIASES", "parse_overrides", "load_states", "lookup", "state_rules", "feasible_options", "assess",
           "verdicts", "as_of", "currency", "main"]
