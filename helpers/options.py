"""The seven option archetypes and their lever settings.

Codes used everywhere in the project, ordered from most to least cooperation with federal immigration
enforcement: TFM (287(g) task force), JEM (287(g) jail enforcement), WSO (287(g) warrant service officer),
FULL (full detainer compliance), COND (cooperation only with a judicial warrant or above a criminal
threshold), NOTIFY (release notification only), STRICT (no cooperation absent a judicial warrant).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers.data import load_table
from helpers.errors import InputError

OPTION_CODES: tuple[str, ...] = ("TFM", "JEM", "WSO", "FULL", "COND", "NOTIFY", "STRICT")

#: Numeric reading of a lever setting, used when a lever vector enters the model or a chart.
SETTING_SCORE = {"Y": 1.0, "C": 0.5, "N": 0.0, "NA": 0.0}
SETTING_LABEL = {"Y": "yes", "C": "conditional", "N": "no", "NA": "not applicable"}


def check_codes(codes: str | Iterable[str], where: str = "options") -> list[str]:
    """Validate option codes (case-insensitive); returns them upper-cased in the given order."""
    items = [codes] if isinstance(codes, str) else list(codes)
    out: list[str] = []
    for code in items:
        c = str(code).strip().upper()
        if c not in OPTION_CODES:
            raise InputError(where=where, field="option", value=code, allowed=", ".join(OPTION_CODES),
                             fix="use one of the option codes listed in data/options.csv")
        if c not in out:
            out.append(c)
    if not out:
        raise InputError(where=where, field="option", value=items, problem="no option given",
                         allowed=", ".join(OPTION_CODES))
    return out


def load_options() -> pd.DataFrame:
    """The option table (``data/options.csv``), indexed by code, in order of decreasing cooperation."""
    return load_table("options").sort_values("order").set_index("code", drop=False)


def load_levers() -> pd.DataFrame:
    """The lever table (``data/levers.csv``), indexed by lever id, in typology order."""
    return load_table("levers").sort_values("lever_no").set_index("lever_id", drop=False)


def lever_matrix(numeric: bool = False) -> pd.DataFrame:
    """Levers x options: the setting codes (Y/C/N/NA), or their numeric scores when ``numeric``."""
    levers = load_levers()
    matrix = levers[list(OPTION_CODES)].astype(str)
    matrix.index = levers["name"].astype(str)
    matrix.columns.name = "option"
    if numeric:
        return matrix.replace(SETTING_SCORE).astype(float)
    return matrix


def cooperation_index() -> pd.Series:
    """Share of cooperation levers each option sets (Y = 1, C = 0.5), from 0 to 1: a simple, transparent
    summary of how far each archetype takes part in enforcement. Safeguard and transparency levers are
    not counted."""
    levers = load_levers()
    coop = levers[levers["direction"] == "cooperation"]
    scores = coop[list(OPTION_CODES)].astype(str).replace(SETTING_SCORE).astype(float)
    return scores.mean().rename("cooperation_index")


def who_sets_levers() -> pd.DataFrame:
    """For each lever, what the federal government, the state and the locality can do (from the sources)."""
    levers = load_levers()
    out = levers[["name", "federal_role", "state_role", "local_role"]].copy()
    out.columns = ["lever", "federal government", "state", "county or city"]
    return out.set_index("lever")


def cases_markdown(codes: Iterable[str] | None = None) -> str:
    """The strongest case for and against each option, attributed, as Markdown (for a notebook display)."""
    from helpers.sources import cite

    table = load_options()
    parts: list[str] = []
    for code in check_codes(codes if codes is not None else OPTION_CODES):
        row = table.loc[code]
        parts.append(
            f"### {code}: {row['name']}\n\n{row['summary']}\n\n"
            f"- **Strongest case for** — {row['case_for']} *Made by: {row['case_for_by']}*\n"
            f"- **Strongest case against** — {row['case_against']} *Made by: {row['case_against_by']}*\n"
            f"- *Where found:* {row['examples']}\n- *Sources:* {cite(row['source_ids'], max_items=9)}\n")
    return "\n".join(parts)
