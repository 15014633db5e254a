"""Reading and checking the config file of a "your municipality" report.

A config is a small YAML file that describes one city::

    name: Riverton (fictional)
    state: PA                        # a state's code or name; the regime comes from data/states.csv
    county: Lancaster                # optional: lists ICE's 287(g) agreements for the county
    population: 180000               # residents, integer > 0
    foreign_born_share: 0.14         # 0 to 1
    # optional: any local input of helpers.model.City, options, profile or weights, draws, seed

The state's law comes from ``state`` (via :mod:`helpers.states`): the regime closest to its law and the state's
own lever-by-lever exceptions decide which options are open. ``state_regime``
(``requires_cooperation | limits_cooperation | neutral``) may be given instead, for a regime type rather than
a state, or as well, as an override: when the two agree nothing changes; when they differ the override wins,
the state's own exceptions are not applied (the regime type's rules are), and the report says so
(:attr:`Config.notes`). One of the two is required.

:func:`load_config` reads the file with :func:`yaml.safe_load` (no Python tags, so a config can never run code),
validates it against one declarative model (:func:`schema`: the type, range or allowed values of every key,
and the few rules that join keys) and returns a :class:`Config`: the city as the model will use it, the
chosen options and weights, and which inputs were supplied and which took their documented default.
:func:`input_error` turns the model's first complaint into one :class:`~helpers.errors.InputError` naming the
file and line, the field, the bad value, what is allowed and how to fix it (close matches for typos).
"""

import dataclasses
import difflib
import functools
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

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
#: Keys the report's command line can override (``--draws``, ``--seed``).
COMMAND_LINE_KEYS: tuple[str, ...] = ("draws", "seed")

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20260101
DRAWS_RANGE = (100, 20_000)  # 20,000 draws of seven options keep memory near 350 MB
SEED_RANGE = (0, 2**32 - 1)
NAME_MAX = 120
#: Largest population accepted: larger than any municipality (the model's own bound, ``model.MAX_POPULATION``).
POPULATION_MAX = 100_000_000

#: An example line for each key a message may ask for (a missing or empty value).
EXAMPLE_LINES = {"name": "name: Riverton (fictional)",
                 "state_regime": "state: OH' (your state's code or name) or 'state_regime: neutral",
                 "state": "state: OH", "population": "population: 180000",
                 "foreign_born_share": "foreign_born_share: 0.14"}


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
    return {f.name: plain(getattr(city, f.name)) for f in dataclasses.fields(city)}


def regimes() -> tuple[str, ...]:
    from helpers.legal import REGIMES

    return tuple(REGIMES)


def allowed_keys() -> list[str]:
    """Every key a config may hold, required first."""
    keys = list(REQUIRED_KEYS)
    keys += [k for k in PLACE_KEYS if k not in keys]
    keys += [k for k in city_fields() if k not in keys]
    keys += [k for k in REPORT_KEYS if k not in keys]
    return keys


def plain(value: Any) -> Any:
    """``value`` with numpy (or other) numbers, text and containers turned into plain Python ones (int, float,
    str, list, dict), so YAML, JSON and papermill see the same values the checks saw."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# --------------------------------------------------------------------------------------------- YAML

def _where(source: str, line: int | None = None) -> str:
    return f"{source}, line {line}" if line else source


def read_yaml(path: str | Path) -> tuple[dict, dict[str, int]]:
    """Read a YAML config safely; returns (mapping, line of each key).

    Lines are given for the top-level keys and for the keys of a mapping under one (``weights.public_safety``).
    Refuses a missing file, text that is not UTF-8, a YAML syntax error or a value YAML cannot build (with its
    line; any tag that would build a Python object is one), a key written twice, and a document that is not a
    mapping of keys to values.
    """
    import yaml

    p, where = Path(path), str(path)
    if not p.is_file():
        raise InputError(describe(where=where, problem="is a folder, not a config file" if p.exists() else
                                  "config file not found",
                                  fix="check the path, or start from one of the examples in data/examples/"),
                         where=where, field="config", value=where)
    try:
        loader = yaml.SafeLoader(p.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()  # nodes first: the lines of the keys
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: not UTF-8, or a value such as the date 2024-13-45
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if isinstance(exc, UnicodeDecodeError):
            problem, fix = "is not UTF-8 text", "save the config as plain UTF-8 text"
        elif isinstance(exc, (yaml.constructor.ConstructorError, ValueError)):
            problem, fix = (f"YAML value cannot be read: {problem}", "remove any '!' tag in front of the value "
                            "(a config holds plain text, numbers, true/false, lists and mappings), and put text "
                            "that YAML could read as something else in quotes")
        else:
            problem, fix = (f"YAML syntax error: {problem}", "correct the line (indentation with spaces, "
                            "'key: value' pairs, quotes around text with ':' or '#')")
        raise InputError(describe(where=_where(where, mark.line + 1 if mark else None), problem=problem, fix=fix),
                         where=where, fix=fix) from None
    if not isinstance(data, dict):
        raise InputError(describe(where=where, problem="the file is empty (it holds no 'key: value' lines)"
                                  if data is None else f"the file holds a {type(data).__name__}, not 'key: value' "
                                  "lines", fix="write one 'key: value' per line, as in data/examples/"), where=where)
    return data, _key_lines(node, where)


def _key_lines(node: Any, where: str) -> dict[str, int]:
    """The line of each top-level key and of each key of a mapping under one; a key written twice in the same
    mapping is refused (YAML would silently keep the second)."""
    import yaml

    lines: dict[str, int] = {}
    mappings = [("", node)] + [(f"{k.value}.", v) for k, v in node.value if isinstance(v, yaml.MappingNode)]
    for prefix, mapping in mappings:
        for k, _ in mapping.value:
            key, line = f"{prefix}{k.value}", k.start_mark.line + 1
            if key in lines:
                raise InputError(describe(where=_where(where, line), field=key, problem=f"key repeats line "
                                          f"{lines[key]}", fix="keep one of the two lines"), where=where, field=key)
            lines[key] = line
    return lines


# --------------------------------------------------------------------------------------------- the model

def _whole(value: Any) -> Any:
    """2000.0 is the whole number 2000; any other value is left for the type check."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _codes(value: Any) -> Any:
    """Option codes in any case, as a list or one comma-separated string: 'strict, FULL' is [STRICT, FULL]."""
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if isinstance(value, list):
        return [v.strip().upper() if isinstance(v, str) else v for v in value]
    return value


def _some_weight(weights: dict[str, float]) -> dict[str, float]:
    if not any(weights.values()):
        raise InputError(field="weights", value=weights, problem="all weights are zero",
                         allowed="numbers >= 0, not all 0", fix="give at least one weight above 0")
    return weights


def check_state(value: str) -> str:
    """A state given by its two-letter code or its name (any case; "Washington DC" means DC), returned as the
    code. Anything else is refused with the did-you-mean of :func:`helpers.states.lookup`."""
    from helpers import states

    return str(states.lookup(value)["state_code"])


def Whole(lo: int, hi: int):  # noqa: N802 - a type
    return Annotated[int, BeforeValidator(_whole), Field(ge=lo, le=hi)]


Text = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Number = Annotated[float, Field(allow_inf_nan=False)]  # ranges are the model's own (model.City.validate)


@functools.cache
def schema() -> type[BaseModel]:
    """The config model: every key a config may hold, with its type and its range or allowed values, and the
    rules that join keys (:meth:`joint_rules`). Built once, with the profiles and criteria of the data files."""
    from helpers.decision import load_criteria, load_profiles
    from helpers.options import OPTION_CODES

    known = {"state_regime": regimes(), "options": OPTION_CODES,
             "profile": tuple(_ids(load_profiles(), "profile_id")),
             "weights": tuple(_ids(load_criteria(), "criterion_id"))}

    class ReportConfig(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)
        choices: ClassVar[dict[str, tuple[str, ...]]] = known

        name: Text
        state_regime: Literal[known["state_regime"]] | None = None
        state: Annotated[Text, AfterValidator(check_state)] = None  # left out: None; written empty: refused
        county: Text | None = None
        population: Whole(1, POPULATION_MAX)
        foreign_born_share: Share
        undocumented_share: Share | None = None
        community_share: Share | None = None
        officers_per_1000: Number | None = None
        community_policing: Share | None = None
        violent_victimization_rate: Number | None = None
        bookings_per_1000: Number | None = None
        options: Annotated[list[Literal[known["options"]]], BeforeValidator(_codes), Field(min_length=1)] \
            | None = None
        profile: Literal[known["profile"]] | None = None
        weights: Annotated[dict[Literal[known["weights"]], Annotated[float, Field(ge=0, allow_inf_nan=False)]],
                           Field(min_length=1), AfterValidator(_some_weight)] | None = None
        draws: Whole(*DRAWS_RANGE) | None = None
        seed: Whole(*SEED_RANGE) | None = None

        @model_validator(mode="after")
        def joint_rules(self):
            if self.state is None and self.state_regime is None:
                empty = "state_regime" in self.model_fields_set
                raise InputError(field="state_regime", problem="the value is empty (nothing after the ':')" if
                                 empty else "required key is missing",
                                 fix=f"add a line '{EXAMPLE_LINES['state_regime']}' (see data/examples/)")
            if self.county is not None and self.state is None:
                raise InputError(field="county", value=self.county, problem="'county' is given without 'state'",
                                 allowed="a county together with its state",
                                 fix="add a line 'state: ...' (the county's state, code or name), or remove 'county'")
            if self.profile is not None and self.weights is not None:
                raise InputError(field="weights", value=self.weights, problem="both 'profile' and 'weights' are "
                                 "given", allowed="one of the two",
                                 fix="keep 'profile' to use a stakeholder profile, or 'weights' for your own")
            regime, state, regime_from, _ = choose_regime(self.state, self.state_regime)
            check_some_option_open([c for c in OPTION_CODES if c in (self.options or OPTION_CODES)], regime,
                                   state if regime_from == "state" else None)
            return self

    return ReportConfig


def choose_regime(state: str | None, given: str | None) -> tuple[str, str | None, str, tuple[str, ...]]:
    """``(regime, state code, regime_from, notes)`` from a checked ``state`` and ``state_regime`` (see the module
    docstring): the state alone gives its row's regime; ``state_regime`` alone is used as given; both given
    and equal change nothing; both given and different: ``state_regime`` wins, with a note."""
    if state is None:
        return given, None, "config", ()
    from helpers import legal, states

    row = states.lookup(state)
    derived = str(row["regime"])
    if given is None or given == derived:
        return derived, state, "state", ()
    note = (f"state_regime '{given}' overrides the regime data/states.csv gives {row['state']} ('{derived}', "
            f"{legal.REGIME_SHORT[derived]}); the report applies the '{given}' regime type's rules, without "
            f"{row['state']}'s own lever-by-lever exceptions. Remove state_regime to use the state's row.")
    return given, state, "override", (note,)


def check_some_option_open(options: tuple[str, ...], regime: str, state: str | None = None) -> None:
    """At least one chosen option must be open under the state regime (or, given ``state``, under that state's
    own rules), or there is nothing to compare."""
    from helpers import legal, states

    open_ = states.feasible_options(state) if state else legal.feasible_options(regime)
    under = f"in {states.lookup(state)['state']} (data/states.csv)" if state else f"under the '{regime}' regime"
    if not any(o in open_ for o in options):
        raise InputError(field="options", value=list(options),
                         problem=f"none of the options {', '.join(options)} is open {under}",
                         allowed="options open there: " + ", ".join(open_),
                         fix="add at least one open option, or leave 'options' out to compare all seven")


# --------------------------------------------------------------------------------------------- messages

#: What a value must be and how to write it, for a value of the wrong kind (numbers are described by their range).
WHAT: dict[str, tuple[str, str]] = {
    "name": ("a name", "write the municipality's name, e.g. name: Riverton (fictional)"),
    "state_regime": ("a state regime", "pick the regime that describes your state's law"),
    "state": ("a state code or name", "write the state's code or name, e.g. 'state: OH' or 'state: Ohio'"),
    "county": ("a county name", "write the county's name, e.g. 'Harris County' or 'Harris', or remove the line"),
    "options": ("a list of option codes",
                "write a list such as options: [FULL, COND, STRICT], or leave the key out for all seven"),
    "options.code": ("an option code", "use codes from data/options.csv"),
    "profile": ("a stakeholder profile",
                "use a profile_id from data/stakeholder_profiles.csv, or give weights instead"),
    "weights": ("a mapping of criteria to weights", "write one 'criterion_id: weight' per line, indented under "
                "weights:"),
    "weights.criterion": ("a criterion", "use criterion ids from data/criteria.csv"),
}


def _did_you_mean(value: Any, choices: list[str] | tuple[str, ...], quote: bool = True) -> str | None:
    close = difflib.get_close_matches(str(value), choices, n=3)
    return f"did you mean {' or '.join(repr(c) if quote else c for c in close)}?" if close else None


def _text_hint(value: Any) -> str:
    """How to write a number YAML read as text: '5000' (quoted), 1e6 (YAML wants 1.0e+6) or 14%."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        number = float(text.rstrip("%").replace("_", ""))
    except ValueError:
        return "write a number"
    if text.endswith("%"):
        return f"write shares as fractions without '%': {number / 100:g} for {text}"
    return f"write it as a plain number without quotes, e.g. {number:.15g} (YAML reads 1e6 or '5000' as text)"


def input_error(exc: ValidationError, data: Mapping[str, Any], at: Callable[[str], str]) -> InputError:
    """The first of pydantic's errors as one :class:`InputError`: where (``at(field)``: the file and line, or the
    command line), the field, the value given, what is allowed and how to fix it. Unknown and missing keys come
    first; a rule the model states itself (an :class:`InputError` raised in a validator) is passed on."""
    err = sorted(exc.errors(), key=lambda e: {"extra_forbidden": 0, "missing": 1}.get(e["type"], 2))[0]
    kind, loc, value, ctx = err["type"], err["loc"], err["input"], err.get("ctx") or {}
    names = [str(p) for i, p in enumerate(loc) if i == 0 or not (isinstance(p, int) or p == "[key]")]
    key, fieldname = (names[0] if names else None), ".".join(names)
    if len(loc) == 1:
        value = data.get(key, value)  # as written: 1.0e+300, not the integer it became
    noun, fix = WHAT.get(key, ("a number", "write a number"))
    allowed = _allowed(key)
    if isinstance(ctx.get("error"), InputError):
        rule = ctx["error"]
        fieldname, value, problem, allowed, fix = rule.field, rule.value, rule.problem, rule.allowed, rule.fix
    elif kind == "extra_forbidden":
        keys = allowed_keys()
        value, problem, allowed = key, f"unknown key {shown(key)}", ", ".join(keys)
        fix = _did_you_mean(key, keys) or "remove it; the keys a config may hold are listed in data/examples/README.md"
    elif kind == "missing":
        problem, fix = "required key is missing", f"add a line '{EXAMPLE_LINES[key]}' (see data/examples/)"
    elif value is None:
        problem = "the value is empty (nothing after the ':')"
        fix = f"write the value after the key, e.g. '{EXAMPLE_LINES.get(key, names[-1] + ': ...')}'"
    elif kind == "literal_error":
        noun, fix = WHAT.get({"options": "options.code", "weights": "weights.criterion"}.get(key, key))
        choices = schema().choices[key]
        problem, allowed = f"{shown(value)} is not {noun}", ", ".join(choices)
        fix = _did_you_mean(value, choices, quote=key != "options") or fix
    elif kind in ("int_type", "float_type") and isinstance(value, float):
        problem, fix = f"{shown(value)} is not a whole number", "round it to a whole number"
    elif kind in ("int_type", "float_type", "finite_number"):
        problem, fix = f"{shown(value)} is not a {'finite ' if kind == 'finite_number' else ''}number", \
            _text_hint(value)
    elif kind in ("greater_than_equal", "less_than_equal"):
        problem, fix = f"{shown(value)} is out of range", "use a value in the allowed range"
        if key.endswith("_share") and 1 < value <= 100:
            fix = f"shares are fractions: write {value / 100:g} for {value:g} percent"
    elif kind == "string_too_long":
        problem, fix = f"{key} is {len(value)} characters long", "shorten it"
    else:  # a value of the wrong kind: text, a list or a mapping where another is expected, or an empty one
        problem = f"{shown(value)} is not {noun}"
    return InputError(describe(where=at(fieldname), field=fieldname, problem=problem, allowed=allowed, fix=fix),
                      where=at(fieldname), field=fieldname, value=value, allowed=allowed, fix=fix)


def _allowed(key: str | None) -> str | None:
    """What the README's table of keys allows for ``key``."""
    table = keys_table().set_index("key")["allowed"]
    return str(table[key]) if key in table.index else None


# --------------------------------------------------------------------------------------------- loading

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
    if isinstance(config, Mapping):
        data, lines, where = plain(dict(config)), {}, "config"
    else:
        data, lines = read_yaml(config)
        where = paths.relative(Path(config))
    overrides = plain(dict(overrides)) if overrides else {}
    data.update(overrides)

    def at(key: str | None) -> str:
        if key in overrides:
            return override_where(key)
        return _where(where, lines.get(key) or lines.get(str(key).split(".")[0]))

    try:
        checked = schema().model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, data, at) from None
    regime, state, regime_from, notes = choose_regime(checked.state, checked.state_regime)
    name = " ".join(checked.name.split())
    city = _make_city(checked, name, data, at, where)

    from helpers.options import OPTION_CODES

    options = tuple(c for c in OPTION_CODES if c in checked.options) if checked.options else tuple(OPTION_CODES)
    weights = checked.weights
    if weights is not None:  # criteria left out weigh nothing; weights are rescaled to sum to 1
        total = sum(weights.values())
        weights = {c: weights.get(c, 0.0) / total for c in schema().choices["weights"]}
    elif checked.profile is None:  # neither given: every criterion weighs the same (a start, not a neutral verdict)
        weights = equal_weights()
    supplied = tuple(k for k in allowed_keys() if k in data and data[k] is not None)
    defaulted = tuple(k for k in allowed_keys() if k not in supplied and k != "name"
                      and not (k == "weights" and checked.profile is not None)
                      and not (k == "profile" and "weights" in supplied))
    return Config(name=name, state_regime=regime, city=city, options=options, profile=checked.profile,
                  weights=weights, draws=checked.draws if checked.draws is not None else DEFAULT_DRAWS,
                  seed=checked.seed if checked.seed is not None else DEFAULT_SEED, supplied=supplied,
                  defaulted=defaulted, source=where, raw=dict(data), state=state, county=checked.county and
                  " ".join(checked.county.split()), regime_from=regime_from, notes=notes)


def _make_city(checked: BaseModel, name: str, data: Mapping[str, Any], at: Callable[[str], str], where: str):
    """The model's City from the checked config; the model's own range checks are located in the config, and
    a default that does not fit the values given is named as such."""
    defaults = city_fields()
    given = {k: getattr(checked, k) for k in defaults if getattr(checked, k) is not None}
    try:
        return _model().make_city(**(given | {"name": name}))
    except InputError as exc:
        message = f"{at(exc.field) if exc.field in data else where}: {exc}"
        if exc.field in defaults and exc.field not in data:
            message += (f"; note: '{exc.field}' is not in the config, so it took its default "
                        f"{defaults[exc.field]!r}, which does not fit the values given; add a line "
                        f"'{exc.field}: ...' with this city's figure")
        raise InputError(message, where=where, field=exc.field, value=exc.value, allowed=exc.allowed,
                         fix=exc.fix) from None


def override_where(key: str) -> str:
    """Where an override came from, for messages: ``--draws (command line)``."""
    return f"--{key} (command line)" if key in COMMAND_LINE_KEYS else f"override '{key}'"


def equal_weights() -> dict[str, float]:
    """The weights used when a config gives neither ``profile`` nor ``weights``: every criterion the same."""
    criteria = schema().choices["weights"]
    return {c: 1.0 / len(criteria) for c in criteria}


def _ids(table: pd.DataFrame, column: str) -> list[str]:
    if column in table.columns:
        return [str(v) for v in table[column]]
    return [str(v) for v in table.index]


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
