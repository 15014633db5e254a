"""Reading and checking the config file of a "your municipality" report.

A config is a small YAML file that describes one city::

    name: Riverton (fictional)
    state: PA                        # a state's code or name; the regime comes from data/states.csv
    county: Lancaster                # optional: lists ICE's 287(g) agreements for the county
    population: 180000               # residents, integer > 0
    foreign_born_share: 0.14         # 0 to 1
    # optional: any local input of helpers.model.City, options, profile or weights, draws, seed

The state's law comes from ``state`` (:func:`check_state`, via :mod:`helpers.states`): the regime closest to its
law and the state's own lever-by-lever exceptions decide which options are open. ``state_regime``
(``requires_cooperation | limits_cooperation | neutral``) may be given instead, for a regime type rather than
a state, or as well, as an override: when the two agree nothing changes; when they differ the override wins,
the state's own exceptions are not applied (the regime type's rules are), and the report says so
(:attr:`Config.notes`). One of the two is required.

:func:`load_config` reads it with :func:`yaml.safe_load` (no Python tags, so a config can never run code),
checks every key, type and range, and returns a :class:`Config`: the city as the model will use it, the
chosen options and weights, and which inputs were supplied and which took their documented default.
Every problem raises one :class:`~helpers.errors.InputError` naming the file, the field, the bad value,
what is allowed and how to fix it (close matches are suggested for typos).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import paths
from helpers.errors import InputError, describe, shown

#: Folder of the example configs (fictional municipalities; together they cover the three state regimes).
EXAMPLES: Path = paths.DATA / "examples"
#: The example the committed report notebook is executed with.
DEFAULT_EXAMPLE: Path = EXAMPLES / "riverton-neutral.yml"

REQUIRED_KEYS: tuple[str, ...] = ("name", "state_regime", "population", "foreign_born_share")
#: Keys that place the city: its state (code or name) and county. ``state`` can stand in for ``state_regime``.
PLACE_KEYS: tuple[str, ...] = ("state", "county")
#: Keys that steer the report rather than describe the city.
REPORT_KEYS: tuple[str, ...] = ("options", "profile", "weights", "draws", "seed")

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20260101
DRAWS_RANGE = (100, 20_000)  # 20,000 draws of seven options keep memory near 350 MB
SEED_RANGE = (0, 2**32 - 1)
NAME_MAX = 120
#: Largest population accepted: larger than any municipality, and far from float overflow.
POPULATION_MAX = 100_000_000
#: Largest config file read, and most values (keys, values, list items, after aliases are expanded) it may hold.
MAX_BYTES = 1_000_000
MAX_NODES = 10_000
REGIMES_FALLBACK = ("requires_cooperation", "limits_cooperation", "neutral")


@dataclass(frozen=True)
class Config:
    """A checked config: everything the report needs, with the provenance of each input."""

    name: str
    state_regime: str
    city: Any  # helpers.model.City
    options: tuple[str, ...]
    profile: str | None
    weights: dict[str, float] | None
    draws: int
    seed: int
    supplied: tuple[str, ...]
    defaulted: tuple[str, ...]
    source: str
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    state: str | None = None       # two-letter code of the state given in the config (data/states.csv)
    county: str | None = None      # county name as given, for ICE's 287(g) list
    regime_from: str = "config"    # "config" (state_regime only), "state" (derived, or agreeing) or "override"
    notes: tuple[str, ...] = ()    # what the report must say about how the regime was chosen

    @property
    def uses_state_rules(self) -> bool:
        """True when the state's own row (its exceptions included) decides which options are open."""
        return self.state is not None and self.regime_from == "state"

    def verdicts(self) -> pd.Series:
        """Each option's legal verdict ("feasible", "contested", "infeasible"), indexed by option code: under the
        state's own rules when :attr:`uses_state_rules`, otherwise under the regime type's rules."""
        if self.uses_state_rules:
            from helpers import states

            return states.verdicts(self.state)
        from helpers import legal

        return legal.compliance_matrix()[self.state_regime]

    def open_options(self) -> list[str]:
        """All option codes not infeasible under :meth:`verdicts`, in option order."""
        v = self.verdicts()
        return [o for o in v.index if v[o] != "infeasible"]

    def as_used(self) -> dict[str, Any]:
        """Every input as the report uses it (plain Python values, ready for JSON or YAML)."""
        out: dict[str, Any] = {"name": self.name, "state": self.state, "county": self.county,
                               "state_regime": self.state_regime}
        out.update(city_inputs(self.city))
        out.update({"options": list(self.options), "profile": self.profile,
                    "weights": dict(self.weights) if self.weights is not None else None,
                    "draws": self.draws, "seed": self.seed})
        return out


# --------------------------------------------------------------------------------------------- city fields

def _model():
    from helpers import model  # imported lazily: the model pulls in scipy

    return model


def city_fields() -> dict[str, Any]:
    """Local inputs of :class:`helpers.model.City` a config may set, with their default values."""
    model = _model()
    default = model.default_city()
    return {f.name: getattr(default, f.name) for f in dataclasses.fields(model.City)}


def city_inputs(city: Any) -> dict[str, Any]:
    """The fields of a City as plain Python values."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(city):
        v = getattr(city, f.name)
        if hasattr(v, "item"):
            v = v.item()
        out[f.name] = v
    return out


def regimes() -> tuple[str, ...]:
    try:
        from helpers.legal import REGIMES
    except ImportError:  # the legal layer is optional for config checks
        return REGIMES_FALLBACK
    return tuple(REGIMES)


def allowed_keys() -> list[str]:
    """Every key a config may hold, required first."""
    keys = list(REQUIRED_KEYS)
    keys += [k for k in PLACE_KEYS if k not in keys]
    keys += [k for k in city_fields() if k not in keys]
    keys += [k for k in REPORT_KEYS if k not in keys]
    return keys


# --------------------------------------------------------------------------------------------- YAML

def _where(source: str, line: int | None = None) -> str:
    return f"{source}, line {line}" if line else source


def read_yaml(path: str | Path) -> tuple[dict, dict[str, int]]:
    """Read a YAML config safely; returns (mapping, line of each top-level key).

    Refuses a missing file, a YAML syntax error (with its line), any tag that would build a Python object,
    duplicate keys, keys that are not plain names, anchors that refer to themselves, a document that expands
    (through anchors and aliases) to more than :data:`MAX_NODES` values, and a document that is not a mapping
    of keys to values.
    """
    data, lines, _ = _read_yaml(path)
    return data, lines


def _read_yaml(path: str | Path) -> tuple[dict, dict[str, int], dict[str, str]]:
    """:func:`read_yaml`, plus the source text of each top-level value written as a plain scalar."""
    import yaml

    p = Path(path)
    where = str(path)
    if not p.exists():
        raise InputError(describe(where=where, problem="config file not found",
                                  fix="check the path, or start from one of the examples in data/examples/"),
                         where=where, field="config", value=str(path))
    if not p.is_file():
        raise InputError(describe(where=where, problem="is not a file",
                                  fix="pass the path of a .yml config file"), where=where)
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(describe(where=where, problem=f"the file is {size:,} bytes long",
                                  allowed=f"a config of at most {MAX_BYTES:,} bytes (a config holds a few lines)",
                                  fix="pass the config file, not a data file"), where=where)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(describe(where=where, problem="is not UTF-8 text",
                                  fix="save the config as plain UTF-8 text"), where=where) from None
    texts: dict[str, str] = {}
    node = None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: nothing is constructed yet
        lines = _check_nodes(node, where, texts)
        data = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or ""
        if "unhashable key" in problem:  # caught by _check_nodes first; kept for safety
            raise _key_error(where, line) from None
        if "constructor for the tag" in problem:
            tag = problem.split("tag ")[-1]
            raise InputError(describe(where=_where(where, line), problem=f"YAML tag {tag} is refused",
                                      allowed="plain YAML values: text, numbers, true/false, lists and mappings",
                                      fix="remove the tag; configs are read with yaml.safe_load and never build "
                                          "Python objects"), where=where, value=tag) from None
        raise InputError(describe(where=_where(where, line), problem=f"YAML value cannot be read: {problem}",
                                  allowed="plain YAML values: text, numbers, true/false, lists and mappings",
                                  fix="remove the '!!' tag in front of the value"), where=where) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(describe(where=_where(where, line), problem=f"YAML syntax error: {problem}",
                                  fix="correct the line (indentation with spaces, 'key: value' pairs, "
                                      "quotes around text with ':' or '#')"), where=where) from None
    except InputError:  # from _check_nodes, already located
        raise
    except RecursionError:
        raise InputError(describe(where=where, problem="lists or mappings are nested too deeply to read",
                                  allowed="'key: value' lines, with lists and mappings a few levels deep",
                                  fix="write one 'key: value' per line, as in data/examples/"),
                         where=where) from None
    except ValueError as exc:  # a value PyYAML recognises but cannot build, e.g. the date 2024-13-45
        line = _failing_line(node)
        raise InputError(describe(where=_where(where, line), problem=f"YAML value cannot be read ({exc})",
                                  allowed="plain YAML values: text, numbers, true/false, lists and mappings",
                                  fix="put text in quotes (e.g. '2024-13-45'), and write numbers with digits "
                                      "only"), where=where) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(describe(where=where, problem=f"the file holds a {type(data).__name__}, not "
                                                       "'key: value' lines",
                                  fix="write one 'key: value' per line, as in data/examples/"), where=where)
    return data, lines, texts


def _failing_line(node) -> int | None:
    """Line of the first top-level value that YAML cannot build (for a ValueError while loading)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for _, value in node.value:
        try:
            yaml.safe_load(yaml.serialize(value))
        except (ValueError, yaml.YAMLError):
            return value.start_mark.line + 1
    return None


def _key_error(where: str, line: int | None) -> InputError:
    return InputError(describe(where=_where(where, line), problem="a key is a list or a mapping, not a name",
                               allowed="keys that are plain names, e.g. population",
                               fix="write 'name: value' with a plain name before the ':' (no '?', '[' or '{' "
                                   "in front of a key)"), where=where)


def _check_nodes(node, where: str, texts: dict[str, str] | None = None) -> dict[str, int]:
    """Refuse unsafe tags, keys that are not names, duplicate keys, anchors that refer to themselves and
    documents that expand to more than :data:`MAX_NODES` values, before anything is constructed; return the
    line of each top-level key (and, in ``texts``, the source text of each top-level plain scalar value).

    Each node is checked once, however many aliases point at it, so an "alias bomb" (a few hundred bytes
    that expand to millions of values) is refused at once rather than walked.
    """
    import yaml

    safe_prefix = "tag:yaml.org,2002:"
    lines: dict[str, int] = {}
    sizes: dict[int, int] = {}   # id(node) -> values it expands to (itself included)
    active: set[int] = set()     # nodes being walked: meeting one again means an anchor refers to itself

    def walk(n, top: bool) -> int:
        ident = id(n)
        if ident in sizes:
            return sizes[ident]
        line = n.start_mark.line + 1
        if ident in active:
            raise InputError(describe(where=_where(where, line), problem="an anchor refers to itself "
                                      "(an alias '*' inside the value it names)",
                                      fix="write the value out instead of using '&' and '*'"), where=where)
        tag = n.tag or ""
        if not tag.startswith(safe_prefix) or tag[len(safe_prefix):].startswith("python"):
            shown = "!!" + tag[len(safe_prefix):] if tag.startswith(safe_prefix) else tag
            raise InputError(describe(where=_where(where, line),
                                      problem=f"YAML tag {shown!r} is refused",
                                      allowed="plain YAML values: text, numbers, true/false, lists and mappings",
                                      fix="remove the tag; configs are read with yaml.safe_load and never build "
                                          "Python objects"), where=where, value=tag)
        active.add(ident)
        size = 1
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in n.value:
                if not isinstance(k, yaml.ScalarNode):
                    raise _key_error(where, k.start_mark.line + 1)
                size += walk(k, False)
                key = str(k.value)
                key_line = k.start_mark.line + 1
                if key in seen:
                    raise InputError(describe(where=_where(where, key_line), field=key,
                                              problem=f"key repeats line {seen[key]}",
                                              fix="keep one of the two lines"), where=where, field=key)
                seen[key] = key_line
                if top:
                    lines[key] = key_line
                    if texts is not None and isinstance(v, yaml.ScalarNode) and v.style is None:
                        texts[key] = str(v.value)
                size += walk(v, False)
        elif isinstance(n, yaml.SequenceNode):
            for item in n.value:
                size += walk(item, False)
        active.discard(ident)
        if size > MAX_NODES:
            raise InputError(describe(where=_where(where, line),
                                      problem=f"the document expands to more than {MAX_NODES:,} values "
                                              "(through anchors '&' and aliases '*')",
                                      allowed=f"a config of at most {MAX_NODES:,} values",
                                      fix="write the few values a config needs out plainly, without aliases"),
                             where=where)
        sizes[ident] = size
        return size

    if node is not None:
        walk(node, True)
    return lines


# --------------------------------------------------------------------------------------------- checks

def _err(where: str, key: str, value: Any, problem: str, allowed: str | None = None,
         fix: str | None = None) -> InputError:
    return InputError(describe(where=where, field=key, problem=problem, allowed=allowed, fix=fix),
                      where=where, field=key, value=value, allowed=allowed, fix=fix)


def _is_bool(v: Any) -> bool:
    return isinstance(v, (bool, np.bool_))


def _as_number(value: Any) -> int | float | None:
    """A plain ``int`` for any integer type (Python or numpy), a plain ``float`` for any other real number,
    ``None`` for anything else (booleans, text, None, containers)."""
    if _is_bool(value):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        try:
            return float(value)
        except OverflowError:  # e.g. a huge fractions.Fraction
            return math.inf if value > 0 else -math.inf
    return None


def plain(value: Any, _seen: frozenset = frozenset()) -> Any:
    """``value`` with numpy (or other) numbers, text and containers turned into plain Python ones (int, float,
    str, list, dict), so YAML, JSON and papermill see the same values the checks saw."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if _is_bool(value):
        return bool(value)
    number = _as_number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        return str(value)
    if id(value) in _seen:  # a container holding itself: leave it for the checks to refuse
        return value
    if isinstance(value, Mapping):
        seen = _seen | {id(value)}
        return {plain(k, seen): plain(v, seen) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        seen = _seen | {id(value)}
        return [plain(v, seen) for v in value]
    return value


def _shown(value: Any) -> str:
    """``repr`` of a value for a message, shortened when very long (see :func:`helpers.errors.shown`)."""
    return shown(value)


#: Digits grouped in threes by '.' (180.000, 1.250.000): a thousands separator, not a decimal point.
_DOT_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")
#: Digits grouped in threes by ',' (180,000, 1,250,000.5): a thousands separator.
_COMMA_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
#: A decimal comma (0,14, 12,5; 1.250,5 with '.' grouping thousands).
_DECIMAL_COMMA = re.compile(r"[+-]?(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+),\d+")


def _text_hint(value: Any, default: str, whole: bool = False) -> str:
    """A fix for a number written as text: quotes, a percent sign, 1e6 (which YAML reads as text), a
    thousands separator (180,000 or 180.000.000; also 180.000 when ``whole``) or a decimal comma (0,14)."""
    if not isinstance(value, str):
        return default
    text = value.strip().replace("_", "")
    core = text[:-1].strip() if text.endswith("%") else text
    how = ""
    if _COMMA_THOUSANDS.fullmatch(core):
        core, how = core.replace(",", ""), "no separators"
    elif _DECIMAL_COMMA.fullmatch(core):
        core, how = core.replace(".", "").replace(",", "."), "with a decimal point, not a comma"
    elif _DOT_THOUSANDS.fullmatch(core) and (whole or core.count(".") > 1):  # 1.500 may be a decimal
        core, how = core.replace(".", ""), "no separators"
    else:
        core = core.replace(",", "")
    try:
        number = float(core)
    except ValueError:
        return default if text.endswith("%") else "write a number"
    if text.endswith("%"):
        return f"write shares as fractions without '%': {number / 100:g} for {text}"
    if how:
        return f"write {core} ({how}; YAML reads {text} as text)"
    return f"write it as a plain number without quotes, e.g. {number:.15g} (YAML reads 1e6 or '5000' as text)"


def check_integer(where: str, key: str, value: Any, lo: int | None = None, hi: int | None = None,
                  text: str | None = None, note: str | None = None) -> int:
    """An integer within [lo, hi], returned as a plain ``int`` (numpy integers are accepted).

    An integral float such as ``2000.0`` is accepted. When ``text`` (the value's source text in a YAML file)
    groups digits in threes after a '.', as in ``180.000`` (180 thousand with a European thousands separator,
    which YAML reads as 180.0), the value is refused rather than read as 180.
    """
    allowed = "a whole number" + (f" from {lo:,} to {hi:,}" if lo is not None and hi is not None
                                  else f" >= {lo:,}" if lo is not None else "")
    if note:
        allowed += f" ({note})"
    number = _as_number(value)
    if number is None:
        hint = _text_hint(value, "write a whole number", whole=True)
        raise _err(where, key, value, f"{_shown(value)} is not a number", allowed, hint)
    source = text.strip() if isinstance(text, str) and isinstance(number, float) else None
    if source and _DOT_THOUSANDS.fullmatch(source):
        raise _err(where, key, value, f"{source} is written with a '.', which YAML reads as the decimal number "
                                      f"{number:g}", allowed, f"write {source.replace('.', '')} (no separators)")
    if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
        raise _err(where, key, value, f"{_shown(value)} is not a whole number", allowed,
                   "round it to a whole number")
    v = int(number)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise _err(where, key, value, f"{_shown(value)} is out of range", allowed,
                   "use a value in the allowed range")
    return v


def check_number(where: str, key: str, value: Any, lo: float | None = None, hi: float | None = None,
                 integer: bool = False) -> float | int:
    """A finite number within [lo, hi], returned as a plain ``float`` (booleans and quoted numbers are
    refused; numpy numbers are accepted)."""
    if integer:
        return check_integer(where, key, value, None if lo is None else int(math.ceil(lo)),
                             None if hi is None else int(math.floor(hi)))
    allowed = "a number" + (f" from {lo:g} to {hi:g}" if lo is not None and hi is not None
                            else f" >= {lo:g}" if lo is not None else f" <= {hi:g}" if hi is not None else "")
    number = _as_number(value)
    if number is None:
        hint = _text_hint(value, "write a number")
        raise _err(where, key, value, f"{_shown(value)} is not a finite number", allowed, hint)
    try:
        v = float(number)
    except OverflowError:  # an integer too large for a float
        raise _err(where, key, value, f"{_shown(value)} is too large", allowed,
                   "use a value in the allowed range") from None
    if not math.isfinite(v):
        raise _err(where, key, value, f"{_shown(value)} is not a finite number", allowed,
                   _text_hint(value, "write a number"))
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        fix = "use a value in the allowed range"
        if hi == 1 and lo == 0 and 1 < v <= 100:
            fix = f"shares are fractions: write {v / 100:g} for {v:g} percent"
        raise _err(where, key, value, f"{_shown(value)} is out of range", allowed, fix)
    return v


def check_name(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _err(where, "name", value, f"{value!r} is not a name", f"text of 1 to {NAME_MAX} characters",
                   "write the municipality's name, e.g. name: Riverton (fictional)")
    text = " ".join(value.split())
    if len(text) > NAME_MAX:
        raise _err(where, "name", value, f"name is {len(text)} characters long",
                   f"text of 1 to {NAME_MAX} characters", "shorten the name")
    return text


def check_regime(where: str, value: Any) -> str:
    allowed = regimes()
    v = value.strip().lower() if isinstance(value, str) else value
    if v not in allowed:
        close = difflib.get_close_matches(str(value), allowed, n=2)
        fix = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
            "pick the regime that describes your state's law"
        raise _err(where, "state_regime", value, f"{value!r} is not a state regime", ", ".join(allowed), fix)
    return v


def check_state(where: str, value: Any) -> str:
    """A state given by its two-letter code or its name (any case; "Washington DC" means DC), returned as the
    code. Anything else is refused with the did-you-mean of :func:`helpers.states.lookup`."""
    from helpers import states

    if value is None:
        raise _err(where, "state", None, "the value is empty (nothing after the ':')", None,
                   "write the state's code or name, e.g. 'state: OH' or 'state: Ohio', or remove the line")
    try:
        row = states.lookup(value)
    except InputError as exc:
        raise _err(where, "state", value, f"{_shown(value)} is not a state code or name in data/states.csv",
                   exc.allowed, exc.fix) from None
    return str(row["state_code"])


def check_county(where: str, value: Any, state: str | None) -> str:
    """A county name (text, up to :data:`NAME_MAX` characters); it needs ``state``, since county names repeat
    across states. A county with no agreement on ICE's list is not an error (the report says so)."""
    if state is None:
        raise _err(where, "county", value, "'county' is given without 'state'", "a county together with its state",
                   "add a line 'state: ...' (the county's state, code or name), or remove 'county'")
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > NAME_MAX:
        raise _err(where, "county", value, f"{_shown(value)} is not a county name",
                   f"text, 1 to {NAME_MAX} characters, e.g. 'Harris County' or 'Harris'",
                   "write the county's name, or remove the line")
    return " ".join(value.split())


def choose_regime(at: Callable[[str], str], data: Mapping[str, Any]) -> tuple[str, str | None, str, tuple[str, ...]]:
    """``(regime, state code, regime_from, notes)`` from ``state`` and ``state_regime`` (see the module
    docstring): the state alone gives its row's regime; ``state_regime`` alone is used as given; both given
    and equal change nothing; both given and different: ``state_regime`` wins, with a note."""
    state = check_state(at("state"), data["state"]) if "state" in data else None
    given = data.get("state_regime")
    if state is None:
        return check_regime(at("state_regime"), given), None, "config", ()
    from helpers import legal, states

    row = states.lookup(state)
    derived = str(row["regime"])
    if given is None:
        return derived, state, "state", ()
    override = check_regime(at("state_regime"), given)
    if override == derived:
        return derived, state, "state", ()
    note = (f"state_regime '{override}' overrides the regime data/states.csv gives {row['state']} ('{derived}', "
            f"{legal.REGIME_SHORT[derived]}); the report applies the '{override}' regime type's rules, without "
            f"{row['state']}'s own lever-by-lever exceptions. Remove state_regime to use the state's row.")
    return override, state, "override", (note,)


def check_options(where: str, value: Any) -> tuple[str, ...]:
    from helpers.options import OPTION_CODES, check_codes

    allowed = ", ".join(OPTION_CODES)
    items = [v for v in re.split(r"[,\s]+", value) if v] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise _err(where, "options", value, f"{value!r} is not a list of option codes", allowed,
                   "write a list such as options: [FULL, COND, STRICT], or leave the key out for all seven")
    for item in items:
        if not isinstance(item, str) or str(item).strip().upper() not in OPTION_CODES:
            close = difflib.get_close_matches(str(item).upper(), OPTION_CODES, n=2)
            fix = (f"did you mean {' or '.join(close)}?" if close else "use codes from data/options.csv")
            raise _err(where, "options", item, f"{item!r} is not an option code", allowed, fix)
    codes = check_codes(items, where=where)
    order = {c: i for i, c in enumerate(OPTION_CODES)}
    return tuple(sorted(codes, key=order.__getitem__))


def check_profile(where: str, value: Any) -> str:
    from helpers.decision import load_profiles

    profiles = _ids(load_profiles(), "profile_id")
    if not isinstance(value, str) or value.strip() not in profiles:
        close = difflib.get_close_matches(str(value), profiles, n=3)
        fix = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
            "use a profile_id from data/stakeholder_profiles.csv, or give weights instead"
        raise _err(where, "profile", value, f"{value!r} is not a stakeholder profile", ", ".join(profiles), fix)
    return value.strip()


def check_weights(where: str, value: Any) -> dict[str, float]:
    from helpers.decision import load_criteria

    criteria = _ids(load_criteria(), "criterion_id")
    allowed = "a mapping criterion id -> weight >= 0 (criteria: " + ", ".join(criteria) + ")"
    if not isinstance(value, dict) or not value:
        raise _err(where, "weights", value, f"{value!r} is not a mapping of criteria to weights", allowed,
                   "write one 'criterion_id: weight' per line, indented under weights:")
    out: dict[str, float] = {}
    for k, w in value.items():
        if k not in criteria:
            close = difflib.get_close_matches(str(k), criteria, n=3) or [c for c in criteria if str(k) in c][:3]
            fix = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
                "use criterion ids from data/criteria.csv"
            raise _err(where, f"weights.{k}", k, f"{k!r} is not a criterion", ", ".join(criteria), fix)
        out[str(k)] = float(check_number(where, f"weights.{k}", w, 0, None))
    total = sum(out.values())
    if total <= 0:
        raise _err(where, "weights", value, "all weights are zero", allowed, "give at least one weight above 0")
    if not math.isfinite(total):  # e.g. two weights of 1e308: scale by the largest first (same proportions)
        top = max(out.values())
        out = {k: w / top for k, w in out.items()}
        total = sum(out.values())
    # criteria left out weigh nothing; weights are rescaled to sum to 1
    return {c: out.get(c, 0.0) / total for c in criteria}


def _ids(table: pd.DataFrame, column: str) -> list[str]:
    if column in table.columns:
        return [str(v) for v in table[column]]
    return [str(v) for v in table.index]


#: An example line for each required key, used in the fix of a missing or empty one.
REQUIRED_EXAMPLES = {"name": "name: Riverton (fictional)",
                     "state_regime": "state: OH' (your state's code or name) or 'state_regime: neutral",
                     "population": "population: 180000", "foreign_born_share": "foreign_born_share: 0.14"}


def check_keys(where: str, data: Mapping[str, Any], lines: Mapping[str, int] | None = None,
               at: Callable[[str], str] | None = None) -> None:
    """Unknown keys (typos) are named with close matches; missing required keys, and required keys whose
    value is empty, are named. ``at(key)`` says where a key was given (default: its line in ``where``)."""
    keys = allowed_keys()
    lines = lines or {}
    if at is None:
        def at(key: str) -> str:
            return _where(where, lines.get(key))
    for key in data:
        if key not in keys:
            close = difflib.get_close_matches(str(key), keys, n=3, cutoff=0.6)
            fix = (f"did you mean {' or '.join(repr(c) for c in close)}?" if close
                   else "remove it; the keys a config may hold are listed in data/examples/README.md")
            raise _err(at(key), str(key), key, f"unknown key {_shown(key)}", ", ".join(keys), fix)
    for key in REQUIRED_KEYS:
        example = REQUIRED_EXAMPLES.get(key, f"{key}: ...")
        if key == "state_regime" and "state" in data:  # the state gives the regime
            continue
        if key not in data:
            raise _err(where, key, None, "required key is missing", None,
                       f"add a line '{example}' (see data/examples/)")
        if data[key] is None:
            raise _err(at(key), key, None, "the value is empty (nothing after the ':')", None,
                       f"write the value after the key, e.g. '{example}'")


def check_population(where: str, value: Any, text: str | None = None) -> int:
    """Residents: a whole number from 1 to :data:`POPULATION_MAX`."""
    return check_integer(where, "population", value, 1, POPULATION_MAX, text=text,
                         note="larger than any municipality")


def _check_city_field(where: str, key: str, value: Any, default: Any, text: str | None = None) -> Any:
    """Type check of one local input (ranges are the model's own, checked by ``model.make_city``)."""
    if key == "population":
        return check_population(where, value, text)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise _err(where, key, value, f"{value!r} is not text", "text", "write text")
        return value
    # numbers, including optional rates whose default is empty (drawn from the parameter table's ranges)
    return check_number(where, key, value, 0, 1) if key.endswith("_share") else check_number(where, key, value)


def load_config(config: str | Path | Mapping[str, Any] | None = None,
                overrides: Mapping[str, Any] | None = None) -> Config:
    """Read and check a config (a path to a YAML file, or an already-parsed mapping).

    ``None`` reads the default example. ``overrides`` (e.g. ``{"draws": 200}``, given on the command line of
    ``python -m helpers report``) are applied on top; a problem with one is reported as coming from the command
    line. Numbers of any type (numpy included) are turned into plain ``int``/``float`` first. Raises
    :class:`InputError` on the first problem.
    """
    if config is None:
        config = DEFAULT_EXAMPLE
    texts: dict[str, str] = {}
    if isinstance(config, Mapping):
        data, lines, where = plain(dict(config)), {}, "config"
        empty = "the config holds no keys"
    else:
        data, lines, texts = _read_yaml(config)
        where = paths.relative(Path(config))
        empty = "the file is empty (it holds no 'key: value' lines)"
    if not data:
        raise InputError(describe(where=where, problem=empty, fix="start from one of the examples in "
                                  "data/examples/, e.g. copy data/examples/riverton-neutral.yml"), where=where)
    overrides = plain(dict(overrides)) if overrides else {}
    data.update(overrides)

    def at(key: str | None) -> str:
        if key in overrides:
            return override_where(key)
        return _where(where, lines.get(key))

    def text(key: str) -> str | None:  # the source text of a value written in the file
        return None if key in overrides else texts.get(key)

    check_keys(where, data, lines, at)

    name = check_name(at("name"), data["name"])
    regime, state, regime_from, notes = choose_regime(at, data)
    county = check_county(at("county"), data["county"], state) if data.get("county") is not None else None

    defaults = city_fields()
    city_kw: dict[str, Any] = {}
    for key, default in defaults.items():
        if key == "name":
            city_kw[key] = name
        elif key in data and data[key] is not None:
            city_kw[key] = _check_city_field(at(key), key, data[key], default, text(key))
    if "population" in defaults:
        city_kw["population"] = check_population(at("population"), data["population"], text("population"))
    if "foreign_born_share" in defaults:
        city_kw["foreign_born_share"] = check_number(at("foreign_born_share"), "foreign_born_share",
                                                     data["foreign_born_share"], 0, 1)
    model = _model()
    try:
        city = model.make_city(**city_kw)
    except InputError as exc:  # the model's own range checks, located in the config file
        key = exc.field if exc.field in lines or exc.field in overrides else None
        message = f"{at(key) if key else where}: {exc}"
        if exc.field in defaults and exc.field not in data:
            message += (f"; note: '{exc.field}' is not in the config, so it took its default "
                        f"{defaults[exc.field]!r}, which does not fit the values given; add a line "
                        f"'{exc.field}: ...' with this city's figure")
        raise InputError(message, where=where, field=exc.field, value=exc.value, allowed=exc.allowed,
                         fix=exc.fix) from None

    from helpers.options import OPTION_CODES

    options = check_options(at("options"), data["options"]) if data.get("options") is not None \
        else tuple(OPTION_CODES)
    check_some_option_open(at("options"), options, regime, state if regime_from == "state" else None)
    profile = weights = None
    if data.get("profile") is not None and data.get("weights") is not None:
        raise _err(at("weights"), "weights", data["weights"], "both 'profile' and 'weights' are given",
                   "one of the two", "keep 'profile' to use a stakeholder profile, or 'weights' for your own")
    if data.get("weights") is not None:
        weights = check_weights(at("weights"), data["weights"])
    elif data.get("profile") is not None:
        profile = check_profile(at("profile"), data["profile"])
    else:  # neither given: every criterion weighs the same (a starting point, not a neutral verdict)
        weights = equal_weights()
    draws = check_integer(at("draws"), "draws", data["draws"], *DRAWS_RANGE, text=text("draws")) \
        if data.get("draws") is not None else DEFAULT_DRAWS
    seed = check_integer(at("seed"), "seed", data["seed"], *SEED_RANGE, text=text("seed")) \
        if data.get("seed") is not None else DEFAULT_SEED

    supplied = tuple(k for k in allowed_keys() if k in data and data[k] is not None)
    defaulted = tuple(k for k in allowed_keys() if k not in supplied and k != "name"
                      and not (k == "weights" and profile is not None)
                      and not (k == "profile" and "weights" in supplied))
    return Config(name=name, state_regime=regime, city=city, options=options, profile=profile,
                  weights=weights, draws=draws, seed=seed, supplied=supplied, defaulted=defaulted,
                  source=where, raw=dict(data), state=state, county=county, regime_from=regime_from, notes=notes)


#: Keys the report's command line can override (``--draws``, ``--seed``).
COMMAND_LINE_KEYS: tuple[str, ...] = ("draws", "seed")


def override_where(key: str) -> str:
    """Where an override came from, for messages: ``--draws (command line)``."""
    return f"--{key} (command line)" if key in COMMAND_LINE_KEYS else f"override '{key}'"


def check_some_option_open(where: str, options: tuple[str, ...], regime: str, state: str | None = None) -> None:
    """At least one chosen option must be open under the state regime (or, given ``state``, under that state's
    own rules), or there is nothing to compare."""
    from helpers import legal

    if state is not None:
        from helpers import states

        open_ = states.feasible_options(state)
        under = f"in {states.lookup(state)['state']} (data/states.csv)"
    else:
        open_ = legal.feasible_options(regime)
        under = f"under the '{regime}' regime"
    if not any(o in open_ for o in options):
        raise _err(where, "options", list(options),
                   f"none of the options {', '.join(options)} is open {under}",
                   "options open there: " + ", ".join(open_),
                   "add at least one open option, or leave 'options' out to compare all seven")


def equal_weights() -> dict[str, float]:
    """The weights used when a config gives neither ``profile`` nor ``weights``: every criterion the same."""
    from helpers.decision import load_criteria

    criteria = _ids(load_criteria(), "criterion_id")
    return {c: 1.0 / len(criteria) for c in criteria}


# --------------------------------------------------------------------------------------------- documentation

REPORT_KEY_DOCS: dict[str, tuple[str, str, str]] = {
    # key -> (what it is, what is allowed, default)
    "name": ("Name of the municipality (shown escaped in the HTML)", "text, 1 to 120 characters", "required"),
    "state_regime": ("What state law says about cooperation with ICE, as a regime type", "requires_cooperation, "
                     "limits_cooperation or neutral; with state, an override (if it differs, the type's rules "
                     "replace the state's own and the report says so)", "required unless state is given"),
    "state": ("The city's state: its law decides which options are open (data/states.csv)", "a two-letter code "
              "(OH) or a name (Ohio), any case; 50 states and DC", "none: give state_regime instead"),
    "county": ("The city's county: the report lists ICE's 287(g) agreements for it", "a county name, with or "
               "without 'County'; needs state", "none: no county lookup"),
    "population": ("Residents", f"whole number from 1 to {POPULATION_MAX:,}", "required"),
    "foreign_born_share": ("Foreign-born share of residents", "0 to 1 (0.14 for 14%)", "required"),
    "options": ("Options to compare", "a list of codes from data/options.csv, e.g. [FULL, COND, STRICT]; at least "
                "one must be open under the regime", "all seven"),
    "profile": ("Fictional stakeholder profile whose ranking of criteria sets the weights",
                "a profile_id from data/stakeholder_profiles.csv; not together with weights", "none"),
    "weights": ("Your own weights, criterion id -> weight", "numbers >= 0, not all 0, criteria from "
                "data/criteria.csv; rescaled to sum to 1, criteria left out weigh 0", "all criteria equal"),
    "draws": ("Monte Carlo draws", f"whole number from {DRAWS_RANGE[0]:,} to {DRAWS_RANGE[1]:,}",
              f"{DEFAULT_DRAWS:,}"),
    "seed": ("Random seed (the same seed gives the same numbers)", f"whole number from {SEED_RANGE[0]} to "
             f"{SEED_RANGE[1]:,}", str(DEFAULT_SEED)),
}


def keys_table() -> pd.DataFrame:
    """Every key a config may hold: meaning, what is allowed, default, and where the default comes from."""
    from helpers.model import CITY_FIELDS

    docs = CITY_FIELDS.set_index("field")
    rows = []
    for key in allowed_keys():
        if key in REPORT_KEY_DOCS and (key in REQUIRED_KEYS or key not in docs.index):
            meaning, allowed, default = REPORT_KEY_DOCS[key]
            prov = "" if key in REQUIRED_KEYS else "report setting"
        else:
            d = docs.loc[key]
            meaning = str(d["meaning"])
            allowed = "0 to 1" if key.endswith("_share") or key == "community_policing" else \
                f"a number ({d['unit']}); the model refuses impossible values"
            default = "empty: drawn from the model's range" if d["default"] is None or pd.isna(d["default"]) \
                else f"{d['default']:g}"
            prov = str(d["provenance"]) + (f" ({d['source_ids']})" if str(d["source_ids"]).strip() else "")
            prov += ": " + str(d["notes"])
        required = ("yes, unless state is given" if key == "state_regime" else
                    "yes" if key in REQUIRED_KEYS else "instead of state_regime, or with it" if key == "state" else "no")
        rows.append({"key": key, "required": required, "meaning": meaning,
                     "allowed": allowed, "default": default, "default comes from": prov})
    return pd.DataFrame(rows)


README_HEAD = """# Example configs for the "your municipality" report

Generated by `helpers.config.examples_readme()` from the config checks and the model's documented
defaults; do not edit by hand (regenerate with
`python -c "from helpers import config; config.write_examples_readme()"`; a test fails when it is out of date).

Each `.yml` file here describes a **fictional** municipality; together they cover the three state regimes.
Render one with

    python -m helpers report data/examples/riverton-neutral.yml --out reports/riverton
    make report CONFIG=data/examples/riverton-neutral.yml

{examples}

**Your state, not a regime type.** Write `state: OH` (a code or a name, any case) and the report takes the
regime and the state's own lever-by-lever exceptions from `data/states.csv`, says how current the state's row
is and whether it is partial or has contested levers, and ends with a "check before you brief" list for the
state's own legal rows. `county:` (with `state:`) adds the 287(g) agreements ICE listed for the county on its
list's date. `state_regime:` alone describes a regime type instead of a state. Given with `state:`, a
`state_regime` that agrees with the state's row changes nothing; one that differs overrides it: the report
applies the regime type's rules without the state's exceptions, and says so. An unknown state is refused
with a did-you-mean.

Copy one, change the values to your city's, and run it. The report lists which inputs you supplied and
which took the default below. Configs are read with `yaml.safe_load`: plain values only, no tags.
Bad input (an unknown key, a wrong type, a value out of range, an unknown option code or profile,
a YAML error) stops the command with exit code 2 and one message naming the field, the value, what is
allowed and how to fix it; nothing is written.

## Keys

"""


def examples_table() -> pd.DataFrame:
    """One row per example config: file, municipality, regime, options, and whose weights rank them."""
    rows = []
    for path in sorted(EXAMPLES.glob("*.yml")):
        cfg = load_config(path)
        weights = (f"fictional profile `{cfg.profile}`" if cfg.profile else
                   "the config's own weights" if "weights" in cfg.supplied else "equal weights (default)")
        given = [k for k in cfg.supplied if k not in REQUIRED_KEYS and k != "state"]
        place = (f"{cfg.state} (regime derived: {cfg.state_regime})" if cfg.regime_from == "state" and
                 "state_regime" not in cfg.supplied else
                 f"{cfg.state}, override {cfg.state_regime}" if cfg.regime_from == "override" else
                 f"{cfg.state} (agrees: {cfg.state_regime})" if cfg.state else f"regime type only: {cfg.state_regime}")
        rows.append({"file": f"`{path.name}`", "municipality": cfg.name, "state and regime": place,
                     "options compared": ", ".join(cfg.options), "ranked with": weights,
                     "optional keys given": ", ".join(given) or "none"})
    return pd.DataFrame(rows)


def _markdown(table: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    for _, row in table.iterrows():
        lines.append("| " + " | ".join(str(v).replace("|", "/").replace("\n", " ") for v in row) + " |")
    return "\n".join(lines)


def examples_readme() -> str:
    """The text of ``data/examples/README.md``."""
    table = keys_table()
    table["key"] = "`" + table["key"] + "`"
    return README_HEAD.format(examples=_markdown(examples_table())) + _markdown(table) + "\n"


def write_examples_readme() -> Path:
    path = EXAMPLES / "README.md"
    path.write_text(examples_readme(), encoding="utf-8")
    return path
