"""The legal layer: what each state regime requires, permits or forbids, and the legal risk of each option.

Legal information for teaching, not legal advice (see :func:`notice` for the as-of date).

Three tables in ``data/`` hold the law as data, each validated on load:

- ``legal_authorities.csv``: every statute, regulation, executive action, case and state law cited, with
  its link, a ``verified`` flag (``partial`` rows are taught as unsettled) and an as-of date;
- ``legal_rules.csv``: for each state regime (:data:`REGIMES`) and each lever of ``data/levers.csv``,
  whether the lever is ``required``, ``permitted``, ``prohibited`` or ``contested``, with the authorities
  behind the cell;
- ``legal_risks.csv``: ILLUSTRATIVE ordinal points that turn lever settings into three legal exposures.

How a lever setting (Y yes, C conditional, N no, NA not applicable) meets a rule:

=============  ==========================  =========================  ======================
status         Y                           C                          N or NA
=============  ==========================  =========================  ======================
required       ok                          ok if ``conditional_ok``   violates
prohibited     violates                    ok if ``conditional_ok``   ok
permitted      ok                          ok                         ok
contested      contested if listed in ``contested_settings``, otherwise ok
=============  ==========================  =========================  ======================

An option that violates any rule is **infeasible** under the regime (it leaves the comparison: legal
compliance as a constraint). One with no violation but a contested setting is **contested** (feasible,
flagged). Otherwise it is **feasible**. The risk scores are the second role of the law: a criterion.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import paths
from helpers.data import load_table, split_list
from helpers.errors import InputError, describe
from helpers.options import OPTION_CODES, check_codes, load_levers

REGIMES: tuple[str, ...] = ("requires_cooperation", "limits_cooperation", "neutral")
REGIME_LABELS: dict[str, str] = {
    "requires_cooperation": "State requires cooperation (Texas, Florida, Georgia-type mandates)",
    "limits_cooperation": "State limits cooperation (California, Illinois, Oregon, Washington, New Jersey, "
                          "Colorado-type limits)",
    "neutral": "No state mandate either way (federal floor only)",
}
REGIME_SHORT: dict[str, str] = {
    "requires_cooperation": "State requires cooperation",
    "limits_cooperation": "State limits cooperation",
    "neutral": "No state mandate",
}
STATUSES: tuple[str, ...] = ("required", "permitted", "prohibited", "contested")
SETTINGS: tuple[str, ...] = ("Y", "C", "N", "NA")
VERDICTS: tuple[str, ...] = ("feasible", "contested", "infeasible")
OUTCOMES: tuple[str, ...] = ("ok", "contested", "violates")
RISK_IDS: tuple[str, ...] = ("fourth_amendment_liability", "funding_designation_exposure",
                             "state_sanction_exposure")

#: What each risk means, and the authorities that frame it whatever the option (courts' limits included).
RISKS: dict[str, dict[str, str]] = {
    "fourth_amendment_liability": {
        "label": "Fourth Amendment liability (holds)",
        "context": "Detainers are requests, so a jail answers for its own holds; a hold past release needs "
                   "probable cause (Galarza 2014; Miranda-Olivares 2014).",
        "authority_ids": "CASE-05; CASE-04",
    },
    "funding_designation_exposure": {
        "label": "Federal funding and designation exposure",
        "context": "Courts have so far held that the executive cannot attach new conditions to appropriated "
                   "funds (Santa Clara 2017; San Francisco 2018 and 2025), but after Trump v. CASA relief "
                   "usually protects only plaintiffs, and competitive grants may still reward cooperation "
                   "(Los Angeles v. Barr 2019).",
        "authority_ids": "CASE-09; CASE-10; CASE-22; CASE-25; CASE-14",
    },
    "state_sanction_exposure": {
        "label": "State sanctions for breaking state law",
        "context": "Depends on the state: mandate states attach fines, removal from office or loss of state "
                   "funds; limit states rely on reports and lawsuits; a state with no mandate adds none.",
        "authority_ids": "ST-12; ST-16; ST-02",
    },
}

NOTICE = ("Legal information for teaching, not legal advice. Current as of {as_of} (the newest development "
          "reported in the sources read); laws, injunctions and agency practice changed quickly in 2025 and 2026, so "
          "read the current texts and consult counsel licensed in your state before any real decision.")

_RULES_WHERE = "data/legal_rules.csv"


# --------------------------------------------------------------------------------------------------------
# Loading and validating the tables
# --------------------------------------------------------------------------------------------------------

def check_regime(regime: object) -> str:
    """Validate a regime id (case-insensitive, spaces or hyphens allowed); returns the canonical id."""
    key = str(regime).strip().lower().replace("-", "_").replace(" ", "_")
    if key in REGIMES:
        return key
    close = difflib.get_close_matches(key, REGIMES, n=1)
    raise InputError(where="helpers.legal", field="regime", value=regime, allowed=", ".join(REGIMES),
                     fix=(f"did you mean '{close[0]}'? " if close else "")
                     + "pick the regime closest to your state's law (see data/legal_rules.csv)")


def _stamp(*names: str) -> tuple[float, ...]:
    return tuple((paths.DATA / f"{n}.csv").stat().st_mtime for n in names)


def load_authorities() -> pd.DataFrame:
    """The legal authorities table, validated, indexed by ``authority_id``, in file order."""
    return _default_authorities(_stamp("legal_authorities", "sources")).copy()


@lru_cache(maxsize=8)
def _default_authorities(stamp: tuple[float, ...]) -> pd.DataFrame:
    df = load_table("legal_authorities")
    for i, row in df.iterrows():
        expected = "law-" + str(row["authority_id"]).lower()
        if expected not in split_list(row["source_ids"]):
            raise InputError(describe(where=f"data/legal_authorities.csv, data row {i + 1}", field="source_ids",
                                      problem=f"authority {row['authority_id']} does not cite its own source "
                                              f"{expected!r}",
                                      fix=f"put {expected} in source_ids (data/sources.csv has one row per "
                                          "authority)"),
                             where="data/legal_authorities.csv", row=i + 1, field="source_ids",
                             value=row["source_ids"])
    return df.set_index("authority_id", drop=False)


def as_of() -> str:
    """The date the legal information is current as of (ISO 8601): the latest ``as_of`` of the authorities."""
    return str(load_authorities()["as_of"].max())


def notice() -> str:
    """The notice every page with legal content shows, with its as-of date."""
    day = pd.Timestamp(as_of())
    return NOTICE.format(as_of=f"{day.day} {day:%B %Y}")


def _row_error(where: str, row: int, field_name: str, value: object, problem: str, allowed: str | None = None,
               fix: str | None = None) -> InputError:
    return InputError(describe(where=f"{where}, data row {row}", field=field_name, problem=problem,
                               allowed=allowed, fix=fix),
                      where=where, row=row, field=field_name, value=value, allowed=allowed, fix=fix)


def validate_rules(df: pd.DataFrame, where: str = _RULES_WHERE) -> pd.DataFrame:
    """Check a rules table beyond its column types; returns it unchanged or raises :class:`InputError`.

    Checks: each (regime, lever) appears once (a lever marked both required and prohibited for the same
    regime is named with both rows); every regime covers every lever of ``data/levers.csv``; every cited
    authority exists; ``source_ids`` cite the same authorities; ``conditional_ok`` is given exactly for
    required and prohibited rows and ``contested_settings`` exactly for contested rows; and a settled
    status (required or prohibited) rests on at least one verified authority, so ``partial`` rows are never
    taught as settled law.
    """
    authorities = load_authorities()
    levers = list(load_levers()["lever_id"])
    needed = {"regime", "lever_id", "status", "conditional_ok", "contested_settings", "authority_ids",
              "source_ids"}
    missing_cols = sorted(needed - set(df.columns))
    if missing_cols:
        raise InputError(where=where, field=missing_cols[0], problem="column is missing",
                         allowed=", ".join(sorted(needed)), fix="use data/legal_rules.csv as the template")
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for i, row in df.reset_index(drop=True).iterrows():
        n = i + 1
        regime, lever, status = str(row["regime"]), str(row["lever_id"]), str(row["status"])
        if regime not in REGIMES:
            raise _row_error(where, n, "regime", regime, f"unknown regime {regime!r}", ", ".join(REGIMES))
        if lever not in levers:
            raise _row_error(where, n, "lever_id", lever, f"unknown lever {lever!r}", ", ".join(levers),
                             "use a lever_id from data/levers.csv")
        if status not in STATUSES:
            raise _row_error(where, n, "status", status, f"unknown status {status!r}", ", ".join(STATUSES))
        key = (regime, lever)
        if key in seen:
            first_row, first_status = seen[key]
            if first_status != status:
                problem = (f"lever {lever!r} is marked both {first_status} (data row {first_row}) and {status} "
                           f"(data row {n}) for regime {regime!r}")
            else:
                problem = f"lever {lever!r} under regime {regime!r} repeats data row {first_row}"
            raise _row_error(where, n, "status", status, problem, fix="keep one row per regime and lever")
        seen[key] = (n, status)
        ids = split_list(row["authority_ids"])
        if not ids:
            raise _row_error(where, n, "authority_ids", row["authority_ids"], "no authority is cited",
                             fix="cite the authorities behind the status (ids from data/legal_authorities.csv)")
        for a in ids:
            if a not in authorities.index:
                close = difflib.get_close_matches(a, list(authorities.index), n=3)
                raise _row_error(where, n, "authority_ids", a,
                                 f"authority {a!r} does not exist in data/legal_authorities.csv",
                                 ("close matches: " + ", ".join(close)) if close else "ids such as FED-09, "
                                 "CASE-04, ST-12", "add the authority to data/legal_authorities.csv or fix the id")
        expected_sources = {str(authorities.loc[a, "source_ids"]).split(";")[0].strip() for a in ids}
        given_sources = set(split_list(row["source_ids"]))
        if given_sources != expected_sources:
            raise _row_error(where, n, "source_ids", row["source_ids"],
                             "source_ids do not match the cited authorities",
                             "; ".join(sorted(expected_sources)), "list law-<authority id> for each authority")
        cond = row["conditional_ok"]
        has_cond = not pd.isna(cond)
        if status in ("required", "prohibited") and not has_cond:
            raise _row_error(where, n, "conditional_ok", None, f"a {status} row must say whether a conditional "
                             "setting (C) meets it", "true, false")
        if status in ("permitted", "contested") and has_cond:
            raise _row_error(where, n, "conditional_ok", cond, f"a {status} row takes no conditional_ok",
                             "empty", "leave the cell empty")
        contested = split_list(row["contested_settings"])
        bad = [s for s in contested if s not in SETTINGS]
        if bad:
            raise _row_error(where, n, "contested_settings", bad[0], f"unknown setting {bad[0]!r}",
                             ", ".join(SETTINGS))
        if status == "contested" and not contested:
            raise _row_error(where, n, "contested_settings", None, "a contested row must list the settings "
                             "whose lawfulness is unsettled", "Y, C, N, NA separated by ';'")
        if status != "contested" and contested:
            raise _row_error(where, n, "contested_settings", row["contested_settings"],
                             f"only contested rows list contested settings (this row is {status})", "empty")
        if status in ("required", "prohibited"):
            verified = [a for a in ids if authorities.loc[a, "verified"] == "yes"]
            if not verified:
                raise _row_error(where, n, "status", status,
                                 f"a {status} status rests only on partial authorities ({', '.join(ids)}), "
                                 "so it cannot be taught as settled",
                                 "contested, or cite a verified authority",
                                 "mark the row contested and list the unsettled settings")
    for regime in REGIMES:
        for lever in levers:
            if (regime, lever) not in seen:
                raise InputError(where=where, field="lever_id", value=lever,
                                 problem=f"regime {regime!r} has no row for lever {lever!r}",
                                 allowed="one row per regime and lever of data/levers.csv",
                                 fix="add the row (status permitted if no authority requires or forbids it)")
    return df


@lru_cache(maxsize=8)
def _default_rules(stamp: tuple[float, ...]) -> pd.DataFrame:
    return validate_rules(load_table("legal_rules"), where=_RULES_WHERE)


def load_rules(path: str | Path | None = None) -> pd.DataFrame:
    """The regime x lever rules (``data/legal_rules.csv`` or another file in the same format), validated."""
    if path is None:
        return _default_rules(_stamp("legal_rules", "legal_authorities", "levers")).copy()
    return validate_rules(load_table("legal_rules", path), where=str(path))


def load_risk_rules(path: str | Path | None = None) -> pd.DataFrame:
    """The ILLUSTRATIVE risk scoring rows (``data/legal_risks.csv``), validated."""
    if path is None:
        return _default_risk_rules(_stamp("legal_risks", "legal_authorities", "levers")).copy()
    return _validate_risk_rules(load_table("legal_risks", path), str(path))


@lru_cache(maxsize=8)
def _default_risk_rules(stamp: tuple[float, ...]) -> pd.DataFrame:
    return _validate_risk_rules(load_table("legal_risks"), "data/legal_risks.csv")


def _validate_risk_rules(df: pd.DataFrame, where: str) -> pd.DataFrame:
    for col in ("risk_id", "regime", "lever_id", "setting", "effect", "points"):
        if col not in df.columns:
            raise InputError(where=where, field=col, problem="column is missing",
                             fix="start from helpers.legal.load_risk_rules() and change rows there")
    df = df.reset_index(drop=True)
    points = pd.to_numeric(df["points"], errors="coerce")
    if not np.isfinite(points.astype(float)).all():
        i = int((~np.isfinite(points.astype(float))).to_numpy().nonzero()[0][0])
        raise _row_error(where, i + 1, "points", df.at[i, "points"], "points must be a number", "0 to 1")
    df = df.assign(points=points.astype(float))
    levers = set(load_levers()["lever_id"])
    for i, row in df.iterrows():
        lever, setting = str(row["lever_id"]), str(row["setting"])
        if lever != "any" and lever not in levers:
            raise _row_error(where, i + 1, "lever_id", lever, f"unknown lever {lever!r}",
                             "any, " + ", ".join(sorted(levers)))
        if (lever == "any") != (setting in ("violates", "contested")):
            raise _row_error(where, i + 1, "setting", setting, "lever 'any' goes with settings 'violates' or "
                             "'contested', and a named lever with Y, C, N or NA", fix="fix lever_id or setting")
    return df


# --------------------------------------------------------------------------------------------------------
# Lever vectors
# --------------------------------------------------------------------------------------------------------

def lever_settings(option: str) -> dict[str, str]:
    """The lever settings of an option archetype (from ``data/levers.csv``), as ``{lever_id: setting}``."""
    code = check_codes(option, where="helpers.legal")[0]
    levers = load_levers()
    return {lid: str(s) for lid, s in levers[code].items()}


@lru_cache(maxsize=8)
def _option_vectors(stamp: tuple[float, ...]) -> dict[str, pd.Series]:
    """Each option's lever settings as a Series in lever order, read once per version of levers.csv."""
    order = list(load_levers()["lever_id"])
    return {code: pd.Series(lever_settings(code), name=code).reindex(order) for code in OPTION_CODES}


def lever_vector(option_or_levers: str | Mapping[str, str] | pd.Series) -> tuple[str, pd.Series]:
    """Name and settings (a Series indexed by lever id, in lever order) of an option code or a lever vector.

    A lever vector is a mapping (dict or Series) from every lever id in ``data/levers.csv`` to a setting
    Y, C, N or NA (case-insensitive). Raises :class:`InputError` naming the unknown or missing lever or the
    bad setting.
    """
    if isinstance(option_or_levers, str):
        code = check_codes(option_or_levers, where="helpers.legal")[0]
        return code, _option_vectors(_stamp("levers"))[code].copy()
    order = list(load_levers()["lever_id"])
    if not isinstance(option_or_levers, (Mapping, pd.Series)):
        raise InputError(where="helpers.legal", field="option_or_levers", value=type(option_or_levers).__name__,
                         allowed="an option code (" + ", ".join(OPTION_CODES) + ") or a mapping lever_id -> "
                         "setting", fix="pass e.g. 'COND' or legal.lever_settings('COND') with changes")
    items = dict(option_or_levers.items())
    name = str(option_or_levers.name) if isinstance(option_or_levers, pd.Series) and \
        option_or_levers.name is not None else "custom"
    for lever in items:
        if lever not in order:
            close = difflib.get_close_matches(str(lever), order, n=1)
            raise InputError(where="helpers.legal", field="lever_id", value=lever, allowed=", ".join(order),
                             fix=(f"did you mean '{close[0]}'?" if close else "use lever ids from data/levers.csv"))
    missing = [lv for lv in order if lv not in items]
    if missing:
        raise InputError(where="helpers.legal", field="lever_id", value=missing[0],
                         problem=f"the lever vector has no setting for {', '.join(missing)}",
                         allowed="a setting for every lever: " + ", ".join(order),
                         fix="start from legal.lever_settings(<option>) and change the levers you want")
    out: dict[str, str] = {}
    for lever in order:
        value = items[lever]
        s = str(value).strip().upper() if value is not None and not (isinstance(value, float) and
                                                                    np.isnan(value)) else ""
        if s not in SETTINGS:
            raise InputError(where="helpers.legal", field=lever, value=value, allowed=", ".join(SETTINGS),
                             fix="Y yes, C conditional or limited, N no, NA not applicable")
        out[lever] = s
    return name, pd.Series(out, name=name)


def setting_outcome(status: str, setting: str, conditional_ok: bool | None = None,
                    contested_settings: Iterable[str] = ()) -> str:
    """How one lever setting meets one rule: ``"ok"``, ``"contested"`` or ``"violates"`` (table in the
    module docstring)."""
    if status == "permitted":
        return "ok"
    if status == "contested":
        return "contested" if setting in set(contested_settings) else "ok"
    if setting == "C":
        return "ok" if bool(conditional_ok) else "violates"
    if status == "required":
        return "ok" if setting == "Y" else "violates"
    return "violates" if setting == "Y" else "ok"  # prohibited


# --------------------------------------------------------------------------------------------------------
# Assessment
# --------------------------------------------------------------------------------------------------------

@dataclass
class LegalAssessment:
    """The legal reading of one option (or lever vector) under one state regime.

    ``lever_status`` has one row per lever: lever_id, lever (name), setting, status, outcome (ok /
    contested / violates), authority_ids, partial_ids (cited authorities only partly verified), rule.
    ``feasible`` is False when any lever violates a rule (those levers are ``blocking_levers``); a feasible
    option with a contested setting has ``verdict`` "contested" and its levers in ``contested_levers``.
    ``partial_levers`` are levers whose rule cites an authority that is only partly verified (shown as such).
    ``risks`` has risk_id, level (0..1, ILLUSTRATIVE ordinal score), explanation and authority_ids.
    """

    option: str
    regime: str
    lever_status: pd.DataFrame
    feasible: bool
    blocking_levers: list[str]
    risks: pd.DataFrame
    verdict: str = "feasible"
    contested_levers: list[str] = field(default_factory=list)
    partial_levers: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One sentence a reader can quote."""
        text = f"{self.option} under {self.regime}: {self.verdict}"
        if self.blocking_levers:
            text += " (breaks the rule on " + ", ".join(self.blocking_levers) + ")"
        if self.contested_levers:
            text += " (unsettled on " + ", ".join(self.contested_levers) + ")"
        return text


@lru_cache(maxsize=8)
def _lookups(stamp: tuple[float, ...]) -> tuple[dict[str, str], frozenset[str]]:
    """Lever names and the ids of authorities only partly verified, read once per data version."""
    authorities = load_authorities()
    return (dict(load_levers()["name"].astype(str)),
            frozenset(authorities.index[authorities["verified"] != "yes"]))


def _lever_status(settings: pd.Series, regime: str, rules: pd.DataFrame) -> pd.DataFrame:
    names, unverified = _lookups(_stamp("levers", "legal_authorities", "sources"))
    sub = rules[rules["regime"] == regime].set_index("lever_id").to_dict("index")
    rows = []
    for lever, setting in settings.items():
        r = sub[lever]
        cond = None if pd.isna(r["conditional_ok"]) else bool(r["conditional_ok"])
        ids = split_list(r["authority_ids"])
        rows.append({
            "lever_id": lever, "lever": names[lever], "setting": setting, "status": str(r["status"]),
            "outcome": setting_outcome(str(r["status"]), setting, cond, split_list(r["contested_settings"])),
            "authority_ids": "; ".join(ids),
            "partial_ids": "; ".join(a for a in ids if a in unverified),
            "rule": str(r["rule"]),
        })
    return pd.DataFrame(rows)


def _risk_table(settings: pd.Series, regime: str, status: pd.DataFrame, risk_rules: pd.DataFrame) -> pd.DataFrame:
    n_violates = int((status["outcome"] == "violates").sum())
    n_contested = int((status["outcome"] == "contested").sum())
    applicable = risk_rules[risk_rules["regime"].isin(["any", regime])].to_dict("records")
    rows = []
    for risk in RISK_IDS:
        total, scale, texts, ids = 0.0, 1.0, [], []
        for row in applicable:
            if row["risk_id"] != risk:
                continue
            lever, setting = str(row["lever_id"]), str(row["setting"])
            if lever == "any":
                count = n_violates if setting == "violates" else n_contested
            else:
                count = int(settings[lever] == setting)
            if count == 0:
                continue
            if row["effect"] == "add":
                total += float(row["points"]) * count
            else:
                scale *= float(row["points"]) ** count
            texts.append(str(row["explanation"]) + (f" (x{count})" if count > 1 else ""))
            ids.extend(a for a in split_list(row["authority_ids"]) if a not in ids)
        level = round(min(1.0, total) * scale, 3)
        if level == 0:
            texts = ["No exposure from these lever settings under the scoring rules"] + \
                    [t for t in texts if t]
        context = RISKS[risk]
        ids.extend(a for a in split_list(context["authority_ids"]) if a not in ids)
        rows.append({"risk_id": risk, "level": level,
                     "explanation": "; ".join(texts) + ". " + context["context"],
                     "authority_ids": "; ".join(ids)})
    return pd.DataFrame(rows)


def assess(option_or_levers: str | Mapping[str, str] | pd.Series, regime: str,
           rules: pd.DataFrame | None = None, risk_rules: pd.DataFrame | None = None) -> LegalAssessment:
    """Assess an option code (``"COND"``) or a lever vector under a regime: the status of each lever,
    feasibility, blocking levers and risk exposures with citations.

    ``rules`` / ``risk_rules`` default to the validated tables in ``data/``; pass tables from
    :func:`load_rules` / :func:`load_risk_rules` to try other readings of the law.
    """
    rules = load_rules() if rules is None else _given_rules(rules)
    risk_rules = load_risk_rules() if risk_rules is None else _validate_risk_rules(risk_rules, "risk_rules (given)")
    return _assess(option_or_levers, regime, rules, risk_rules)


def _given_rules(rules: object) -> pd.DataFrame:
    """A rules table passed in by a caller, checked like the file (see :func:`validate_rules`)."""
    return validate_rules(rules.reset_index(drop=True), "rules (given)")


def _assess(option_or_levers, regime: str, rules: pd.DataFrame, risk_rules: pd.DataFrame) -> LegalAssessment:
    regime = check_regime(regime)
    name, settings = lever_vector(option_or_levers)
    status = _lever_status(settings, regime, rules)
    blocking = list(status.loc[status["outcome"] == "violates", "lever_id"])
    contested = list(status.loc[status["outcome"] == "contested", "lever_id"])
    partial = list(status.loc[status["partial_ids"] != "", "lever_id"])
    verdict = verdict_of(status["outcome"])
    risks = _risk_table(settings, regime, status, risk_rules)
    return LegalAssessment(option=name, regime=regime, lever_status=status, feasible=not blocking,
                           blocking_levers=blocking, risks=risks, verdict=verdict, contested_levers=contested,
                           partial_levers=partial)


def verdict_of(outcomes: Iterable[str]) -> str:
    """An option's verdict from the outcomes of its lever settings: "infeasible" if any breaks a rule,
    "contested" if any is unsettled, "feasible" otherwise."""
    outcomes = set(outcomes)
    return "infeasible" if "violates" in outcomes else ("contested" if "contested" in outcomes else "feasible")


def option_verdicts(regime: str, rules: pd.DataFrame) -> dict[str, str]:
    """Each option's verdict ("feasible", "contested" or "infeasible") under ``regime`` and validated
    ``rules``: what :func:`assess` says, without the risk scores and authority lists it also builds, so a
    table of every state's verdicts costs milliseconds rather than seconds."""
    sub = rules[rules["regime"] == regime].set_index("lever_id")
    rule = {lever: (str(r["status"]), None if pd.isna(r["conditional_ok"]) else bool(r["conditional_ok"]),
                    split_list(r["contested_settings"])) for lever, r in sub.iterrows()}
    levers = load_levers()
    return {code: verdict_of(setting_outcome(rule[lever][0], str(setting), *rule[lever][1:])
                             for lever, setting in levers[code].items())
            for code in OPTION_CODES}


@lru_cache(maxsize=8)
def _default_verdicts(stamp: tuple[float, ...]) -> dict[str, dict[str, str]]:
    """:func:`option_verdicts` of every regime for the rules in ``data/``, once per version of the tables."""
    rules = load_rules()
    return {regime: option_verdicts(regime, rules) for regime in REGIMES}


def _verdicts(rules: pd.DataFrame | None) -> dict[str, dict[str, str]]:
    if rules is None:
        return _default_verdicts(_stamp("legal_rules", "legal_authorities", "levers"))
    rules = _given_rules(rules)
    return {regime: option_verdicts(regime, rules) for regime in REGIMES}


def feasible_options(regime: str, rules: pd.DataFrame | None = None) -> list[str]:
    """Option codes open to a municipality under the regime (contested ones included), in OPTION_CODES order."""
    verdicts = _verdicts(rules)[check_regime(regime)]
    return [code for code in OPTION_CODES if verdicts[code] != "infeasible"]


def compliance_matrix(rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Options x regimes: "feasible", "contested" or "infeasible"."""
    out = pd.DataFrame(_verdicts(rules)).reindex(pd.Index(OPTION_CODES, name="option"))
    out.columns.name = "regime"
    return out


def blocking_table(rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long table (option, regime, verdict, blocking levers, contested levers, authority ids of the blocking
    or contested rules, and ``rule_authority_ids``: every authority behind the thirteen rules the verdict
    was checked against): why each cell of the compliance matrix is what it is."""
    rules = load_rules() if rules is None else _given_rules(rules)
    rows = []
    for regime in REGIMES:
        for code in OPTION_CODES:
            status = _lever_status(lever_vector(code)[1], regime, rules)  # the verdict needs no risk scores
            outcome = status["outcome"]
            ids: list[str] = []
            for cell in status.loc[outcome != "ok", "authority_ids"]:
                ids.extend(x for x in split_list(cell) if x not in ids)
            basis: list[str] = []
            for cell in status["authority_ids"]:
                basis.extend(x for x in split_list(cell) if x not in basis)
            rows.append({"option": code, "regime": regime, "verdict": verdict_of(outcome),
                         "blocking_levers": ", ".join(status.loc[outcome == "violates", "lever_id"]),
                         "contested_levers": ", ".join(status.loc[outcome == "contested", "lever_id"]),
                         "authority_ids": "; ".join(ids),
                         "rule_authority_ids": "; ".join(basis)})
    return pd.DataFrame(rows)


def risk_details(regime: str) -> pd.DataFrame:
    """Long table of every option's risk levels under the regime: option, risk_id, level, explanation,
    authority_ids (ILLUSTRATIVE ordinal scores)."""
    regime = check_regime(regime)
    return _risk_details(regime, _stamp("legal_rules", "legal_risks", "legal_authorities", "levers",
                                        "sources")).copy()


@lru_cache(maxsize=16)
def _risk_details(regime: str, stamp: tuple[float, ...]) -> pd.DataFrame:
    """:func:`risk_details` for the tables in ``data/``, built once per regime and data version."""
    rules, risk_rules = load_rules(), load_risk_rules()
    parts = []
    for code in OPTION_CODES:
        r = _assess(code, regime, rules, risk_rules).risks
        r.insert(0, "option", code)
        parts.append(r)
    return pd.concat(parts, ignore_index=True)


def risk_scores(regime: str) -> pd.DataFrame:
    """Options x the three risks under the regime, values in [0, 1] (ILLUSTRATIVE ordinal scores; the
    authorities behind each cell are in :func:`risk_details`)."""
    details = risk_details(regime)
    out = details.pivot(index="option", columns="risk_id", values="level").reindex(
        index=list(OPTION_CODES), columns=list(RISK_IDS)).astype(float)
    out.columns.name = None
    return out


# --------------------------------------------------------------------------------------------------------
# Tables for reading: rules by regime, traceability, timeline, what changed, what is unsettled
# --------------------------------------------------------------------------------------------------------

def rules_matrix(rules: pd.DataFrame | None = None, mark_partial: bool = False) -> pd.DataFrame:
    """Levers (names, in lever order) x regimes: the status of each lever. With ``mark_partial``, a cell that
    cites at least one partly verified authority gets a trailing ``*`` (its status rests on the verified ones)."""
    rules = load_rules() if rules is None else rules.copy()
    levers = load_levers()
    if mark_partial:
        partial = set(unsettled()["authority_id"])
        flagged = rules["authority_ids"].map(lambda cell: bool(set(split_list(cell)) & partial))
        rules["status"] = rules["status"].where(~flagged, rules["status"] + " *")
    m = rules.pivot(index="lever_id", columns="regime", values="status").reindex(
        index=list(levers["lever_id"]), columns=list(REGIMES))
    m.index = pd.Index(levers["name"].astype(str), name="lever")
    m.columns.name = "regime"
    return m.astype(str)


def cell_authorities(regime: str, lever_id: str) -> pd.DataFrame:
    """The authorities behind one rules cell, with kind, year, verified flag and URL."""
    regime = check_regime(regime)
    rules = load_rules()
    row = rules[(rules["regime"] == regime) & (rules["lever_id"] == lever_id)]
    if row.empty:
        levers = list(load_levers()["lever_id"])
        raise InputError(where="helpers.legal", field="lever_id", value=lever_id, allowed=", ".join(levers))
    ids = split_list(row.iloc[0]["authority_ids"])
    return load_authorities().loc[ids, ["authority_id", "name", "kind", "year", "verified", "url"]].reset_index(
        drop=True)


def timeline(start: int = 1987, end: int = 2026) -> pd.DataFrame:
    """Authorities from ``start`` to ``end`` (years), sorted by year then date, for the timeline chart."""
    for name, year in (("start", start), ("end", end)):
        if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
            raise InputError(where="legal.timeline", field=name, value=year, allowed="a year as a whole number, e.g. 2025")
    a = load_authorities().reset_index(drop=True)
    a = a[(a["year"] >= start) & (a["year"] <= end)]
    return a.sort_values(["year", "date", "authority_id"], na_position="first").reset_index(drop=True)[
        ["authority_id", "name", "kind", "jurisdiction", "year", "date", "verified", "status"]]


def changes_in(year: int = 2025) -> pd.DataFrame:
    """Authorities dated in ``year``, in date order (undated ones last), with the rules cells that cite them."""
    a = timeline(year, year)
    rules = load_rules()
    cites = {aid: sorted({f"{r.regime}/{r.lever_id}" for r in rules.itertuples()
                          if aid in split_list(r.authority_ids)}) for aid in a["authority_id"]}
    a = a.sort_values(["date", "authority_id"], na_position="last").reset_index(drop=True)
    a["rules_cells"] = [", ".join(cites[x]) for x in a["authority_id"]]
    return a[["date", "authority_id", "name", "kind", "verified", "status", "rules_cells"]]


def unsettled() -> pd.DataFrame:
    """Authorities marked ``partial``: taught as unsettled, never as settled law."""
    a = load_authorities()
    return a[a["verified"] != "yes"].reset_index(drop=True)[["authority_id", "name", "year", "status"]]


#: Readable names of the kinds of authority in ``data/legal_authorities.csv``.
KIND_LABELS: dict[str, str] = {"statute": "federal statute", "regulation": "federal regulation",
                               "executive": "executive action", "guidance": "agency guidance",
                               "case": "court decision", "state_law": "state law"}
#: Column names of the tables above, as a reader would say them.
_COLUMN_LABELS: dict[str, str] = {"authority_id": "authority", "authority_ids": "authorities",
                                  "rule_authority_ids": "authorities behind all thirteen rules",
                                  "lever_id": "lever", "risk_id": "risk", "rules_cells": "rules that cite it",
                                  "blocking_levers": "levers that break state law",
                                  "contested_levers": "levers that are contested"}


def _names(mapping: Mapping[str, str], what: str, where: str):
    def name(value: object, strict: bool = True) -> object:
        if not isinstance(value, str) or value in ("", "-") or (not strict and value not in mapping):
            return value
        if value not in mapping:
            raise InputError(where="legal.readable", field=where, value=value, allowed=f"ids of {what}")
        return mapping[value]
    return name


def _name_list(one, sep: str = ", "):
    def names(cell: object) -> object:
        if not isinstance(cell, str):
            return cell
        items = [x.strip() for x in cell.split(sep.strip()) if x.strip()]
        return "; ".join(str(one(x)) for x in items)
    return names


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The same table with names in place of internal ids, for reading (the ids stay in the data).

    Translates, wherever they appear as a column, an index level or the column labels: regimes
    (``limits_cooperation`` -> "State limits cooperation", also in a ``home_regime`` column), option codes ("FULL" -> "Full detainer
    compliance (FULL)", the code kept because charts use it), levers, authorities (ids -> their names;
    lists of them joined with "; "), risks, kinds of authority and the ``regime/lever`` rules cells.
    An ``authority_id`` column is dropped when the table already has the authority's ``name``.
    Column names lose their underscores. An id that is not in the data raises :class:`InputError`.
    """
    from helpers.options import load_options

    options = load_options()
    option_names = {str(r.code): f"{r.name} ({r.code})" for r in options.itertuples()}
    levers = load_levers()
    lever_names = dict(zip(levers["lever_id"].astype(str), levers["name"].astype(str)))
    authorities = load_authorities()
    authority_names = dict(zip(authorities.index.astype(str), authorities["name"].astype(str)))
    risk_names = {k: v["label"] for k, v in RISKS.items()}

    regime = _names(REGIME_SHORT, "regimes", "regime")
    option = _names(option_names, "options", "option")
    lever = _names(lever_names, "levers", "lever_id")
    authority = _names(authority_names, "authorities", "authority_id")
    risk = _names(risk_names, "risks", "risk_id")
    kind = _names(KIND_LABELS, "kinds of authority", "kind")

    def rules_cell(cell: str) -> str:
        reg, _, lev = cell.partition("/")
        return f"{regime(reg)}: {lever(lev)}"

    by_column = {"regime": regime, "home_regime": regime, "option": option, "lever_id": lever, "authority_id": authority,
                 "risk_id": risk, "kind": kind,
                 "authority_ids": _name_list(authority, ";"), "rule_authority_ids": _name_list(authority, ";"),
                 "blocking_levers": _name_list(lever), "contested_levers": _name_list(lever),
                 "rules_cells": _name_list(rules_cell)}
    out = table.copy()
    if "authority_id" in out.columns and "name" in out.columns:
        out = out.drop(columns="authority_id")
    for col in out.columns:
        if col in by_column:
            out[col] = out[col].map(by_column[col])

    plain = (regime, option, lever, authority, risk, kind)

    def relabel(index: pd.Index) -> pd.Index:
        if isinstance(index, pd.MultiIndex):
            levels = [relabel(index.get_level_values(i)) for i in range(index.nlevels)]
            return pd.MultiIndex.from_arrays(levels, names=[_COLUMN_LABELS.get(n, n) for n in index.names])
        fn = by_column.get(index.name)
        if fn is None:
            values = [str(v) for v in index]
            for ids, f in ((REGIMES, regime), (RISK_IDS, risk), (OPTION_CODES, option)):
                if values and all(v in ids for v in values):
                    fn = f
                    break
        # row and column labels may hold a margin such as "total": only known ids are translated
        new = index.map(lambda v: fn(v, strict=False) if fn in plain else fn(v)) if fn is not None else index
        name = _COLUMN_LABELS.get(index.name, index.name)
        return pd.Index(new, name=name.replace("_", " ") if isinstance(name, str) else name)

    if out.index.name is None and out.index.nlevels == 1 and pd.api.types.is_integer_dtype(out.index.dtype):
        out = out.reset_index(drop=True)      # row positions left over from a filter say nothing to a reader
    out.index = relabel(out.index)
    columns = relabel(out.columns)
    out.columns = pd.Index([_COLUMN_LABELS.get(c, c.replace("_", " ")) if c in table.columns and isinstance(c, str)
                            else c for c in columns], name=columns.name)
    return out


def source_ids(authority_ids: str | Iterable[str]) -> list[str]:
    """The ``data/sources.csv`` ids of some authorities (for ``plots.caption`` and ``sources.cite``)."""
    items = split_list(authority_ids) if isinstance(authority_ids, str) else \
        [x for item in authority_ids for x in split_list(item)]
    a = load_authorities()
    out: list[str] = []
    for aid in items:
        if aid not in a.index:
            raise InputError(where="helpers.legal", field="authority_id", value=aid,
                             allowed="ids in data/legal_authorities.csv")
        sid = split_list(a.loc[aid, "source_ids"])[0]
        if sid not in out:
            out.append(sid)
    return out


# --------------------------------------------------------------------------------------------------------
# Drawing (takes the tables above; computing stays separate)
# --------------------------------------------------------------------------------------------------------

VERDICT_COLORS = {"feasible": "#009E73", "contested": "#E69F00", "infeasible": "#6E6E6E"}
#: Text colour on each cell colour, chosen for a WCAG contrast of at least 4.5:1.
VERDICT_TEXT = {"feasible": "#000000", "contested": "#000000", "infeasible": "#FFFFFF"}

