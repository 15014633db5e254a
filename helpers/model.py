"""The trust-and-reporting model: what each option does to safety, trust and enforcement, under uncertainty.

The model is a short chain of explicit equations, evaluated for every Monte Carlo draw and every option at
once (numpy arrays of shape draws x options, no per-draw Python loop). Every uncertain input is a row of
``data/model_parameters.csv`` with its meaning, range, distribution and provenance; local facts about the
municipality live in :class:`City`.

The chain, per option ``o`` and draw ``d`` (one year, one city):

1. **Enforcement visibility** ``V`` in [0, 1] from the option's lever settings (``helpers.options``):
   ``V = (cooperation_index + w * field_operations) / (1 + w)``, ``w = field_visibility_weight``.
2. **Fear and trust** by group: undocumented residents feel ``fear = V * chill * (1 - cp_fear_reduction * CP)``
   (``CP`` = community-policing investment, 0 to 1); lawfully present immigrants feel ``spill_lawful`` of it,
   U.S.-born residents of the same community ``spill_citizen`` of it, everyone else none. ``trust = 1 - fear``.
3. **Reporting**: ``p_report = base * trust`` for victims and for witnesses, where ``base`` is the no-fear
   rate (national NCVS share for victims), times ``undoc_baseline_ratio`` for undocumented residents and
   raised by community policing: ``base + (1 - base) * cp_report_gain * CP``.
4. **Clearance** of a reported crime falls when witnesses stay away:
   ``clear = min(1, clearance_base * (1 - wd + wd * p_witness / base_witness_cooperation))``.
5. **Deterrence**: victimization scales with the certainty of clearance (cleared / victimizations) relative
   to a reference with no enforcement signal and no extra community policing:
   ``m = (certainty / certainty_ref) ** -deterrence_elasticity``.
6. **Enforcement channel**: removable bookings split by conviction category (serious, other, none);
   detainers (more with 287(g) screening); holds, hand-overs at release; removals after local arrest, where
   a refusing jail still sees ``keep_<category>`` of the removals (Hausman 2020 calibration, composition
   included); task-force field arrests; the share of ICE's detainer requests (hold, notice) honoured.
   **Fiscal exposure, both ways**: officer labour (287(g) options staff dedicated deputized officers) less
   DHS reimbursement and performance awards, jail bed-days, community policing, expected liability for
   detentions without a judicial warrant (partly borne federally under a 287(g) agreement), and, for
   options exposed to federal designation, expected grant loss and litigation. Net cost can be negative.
7. **Victimizations** = ``population * rate / 1000 * m - reoffence_averted_per_removal * removals with a
   conviction`` (never below zero), split by group; reported, unreported and cleared crimes follow.

Main entry points: :func:`load_parameters`, :class:`City`, :func:`default_city`, :func:`make_city`,
:func:`draw_parameters`, :func:`simulate` (vectorized), :func:`simulate_loop` (the same model, one draw at
a time, for tests and the benchmark), :func:`summarize`, :data:`OUTCOMES`, :func:`consistency_check`,
:func:`parameter_importance`, :func:`detainer_refusal_effect`, :func:`case_path` (notebook 06),
:func:`plot_intervals`, :func:`plot_diagram`.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.checks import PROBABILITY_UNITS
from helpers.data import load_table, split_list
from helpers.errors import InputError
from helpers.options import OPTION_CODES, check_codes, cooperation_index, lever_matrix, load_levers

DISTRIBUTIONS = ("uniform", "triangular", "pert", "fixed")
PARAMETER_COLUMNS = ["parameter", "meaning", "unit", "low", "mode", "high", "distribution", "provenance",
                     "evidence_type", "favours", "defensible_low", "defensible_high", "source_ids", "evidence_ids",
                     "notes"]
HOURS_PER_OFFICER_YEAR = 2080.0  # one full-time year (40 hours x 52 weeks): a definition, not a measurement
MAX_DRAWS = 2_000_000
#: Largest population a City accepts: above any municipality, and far from float overflow.
MAX_POPULATION = 100_000_000
#: Every parameter the equations read (rows of data/model_parameters.csv).
MODEL_PARAMETERS = (
    "base_report_victim", "base_witness_cooperation", "undoc_baseline_ratio", "chill_victim", "chill_witness",
    "spill_lawful", "spill_citizen", "field_visibility_weight", "cp_fear_reduction", "cp_report_gain",
    "clearance_base", "witness_dependence", "deterrence_elasticity", "victimization_rate",
    "reoffence_averted_per_removal", "bookings_per_1000", "arrest_ratio_undocumented", "share_serious",
    "share_other", "detainer_rate", "screening_uplift", "ice_pickup_at_release", "removal_given_custody",
    "keep_no_conviction", "keep_serious", "keep_other", "field_arrest_rate", "field_share_no_conviction",
    "hold_days", "hours_per_screening", "hours_per_custody_transfer", "hours_per_field_arrest",
    "officer_hour_cost_usd", "bed_day_cost_usd", "reimbursement_share_287g", "cp_share_officer_hours",
    "staff_per_100k_287g", "performance_award_usd", "liability_usd_per_detention", "liability_cover_287g",
    "grant_at_risk_usd_per_resident", "grant_loss_probability", "federal_litigation_usd",
)

#: Outcome id -> (label, unit, direction). All counts are per year for the whole city.
#: A direction is a reading, not a fact: removals of people with convictions count as "higher is better"
#: from the public-safety framing their supporters state openly, which not every stakeholder shares;
#: helpers.decision lets stakeholder profiles weigh each outcome differently.
OUTCOMES: dict[str, tuple[str, str, str]] = {
    "reporting_rate_immigrant_victims": ("Immigrant victims who report to police", "share of victimizations",
                                         "higher_is_better"),
    "reporting_rate_immigrant_witnesses": ("Immigrant witnesses who come forward", "share of witnesses",
                                           "higher_is_better"),
    "reported_crimes": ("Violent crimes reported to police", "crimes per year", "higher_is_better"),
    "unreported_crimes": ("Violent crimes never reported", "crimes per year", "lower_is_better"),
    "cleared_crimes": ("Violent crimes cleared", "crimes per year", "higher_is_better"),
    "victimizations": ("Violent victimizations", "victimizations per year", "lower_is_better"),
    "removals_serious_conviction": ("Removals after local arrest: serious or violent conviction",
                                    "removals per year", "higher_is_better"),
    "removals_other_conviction": ("Removals after local arrest: other conviction", "removals per year",
                                  "higher_is_better"),
    "removals_no_conviction": ("Removals after local arrest: no conviction", "removals per year",
                               "lower_is_better"),
    "detainer_holds": ("People held on ICE detainers", "holds per year", "lower_is_better"),
    "jail_bed_days": ("Jail bed-days used for detainer holds", "bed-days per year", "lower_is_better"),
    "officer_hours": ("Officer hours on enforcement and community policing", "hours per year",
                      "lower_is_better"),
    "net_cost_usd": ("Net cost to the city", "USD per year", "lower_is_better"),
    "detentions_without_judicial_warrant": ("Detentions without a judicial warrant", "detentions per year",
                                            "lower_is_better"),
    "reporting_rate_undocumented_victims": ("Undocumented victims who report to police",
                                            "share of victimizations", "higher_is_better"),
    "reporting_rate_undocumented_witnesses": ("Undocumented witnesses who come forward", "share of witnesses",
                                              "higher_is_better"),
    "clearance_rate_undocumented_victims": ("Reported crimes against undocumented victims that are cleared",
                                            "share of reported crimes", "higher_is_better"),
    "clearance_rate": ("Reported violent crimes that are cleared", "share of reported crimes",
                       "higher_is_better"),
    "detainers_lodged": ("ICE detainers lodged at the jail", "detainers per year", "lower_is_better"),
    "removals_with_conviction": ("Removals after local arrest: any conviction", "removals per year",
                                 "higher_is_better"),
    "federal_requests_honoured": ("ICE detainer requests honoured (hold and notice of release)",
                                  "share of requests", "higher_is_better"),
    "deputized_officers": ("Local officers deputized under a 287(g) agreement", "officers", "lower_is_better"),
    "expected_liability_usd": ("Expected liability for detentions without a judicial warrant", "USD per year",
                               "lower_is_better"),
    "federal_funding_risk_usd": ("Expected federal grant loss and litigation cost", "USD per year",
                                 "lower_is_better"),
}
#: The outcomes that are rates in [0, 1]; all others are counts or money (only net cost can be negative,
#: when federal reimbursement and awards exceed what an option costs).
RATE_OUTCOMES = tuple(k for k in OUTCOMES
                      if k.startswith(("reporting_rate", "clearance_rate")) or k == "federal_requests_honoured")



# ---------------------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------------------

def load_parameters(path: str | Path | None = None) -> pd.DataFrame:
    """The model parameters (``data/model_parameters.csv`` or another file with the same columns), checked.

    The descriptor fixes the columns, types, distributions and provenance; :mod:`helpers.checks` the rules
    across columns and tables (low <= mode <= high, probabilities in [0, 1], every parameter the model reads,
    defensible ranges, evidence ids). An error names the parameter. Returns a DataFrame indexed by parameter id.
    """
    from helpers import paths
    from helpers.checks import naming_key

    file = Path(path) if path is not None else paths.DATA / "model_parameters.csv"
    try:
        table = load_table("model_parameters", file)
    except InputError as exc:
        raise naming_key(exc, file, "parameter") from None
    return table.set_index("parameter", drop=False)


def parameter_names() -> list[str]:
    """Ids of every model parameter, in table order."""
    return list(load_parameters().index)


# ---------------------------------------------------------------------------------------------------------
# The city
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class City:
    """Local facts about the municipality. Defaults are a mid-sized example city (see :data:`CITY_FIELDS`).

    Optional rates left as ``None`` are drawn from the parameter table's ranges instead.
    """

    name: str = "Example City (fictional)"
    population: int = 250_000
    foreign_born_share: float = 0.14
    undocumented_share: float = 0.03
    community_share: float = 0.10
    officers_per_1000: float = 2.17
    community_policing: float = 0.0
    violent_victimization_rate: float | None = None
    bookings_per_1000: float | None = None

    def validate(self) -> City:
        """Raise :class:`InputError` naming the field if any value is impossible; returns the city."""
        fb, u, cs = self.foreign_born_share, self.undocumented_share, self.community_share
        shares = all(map(_is_number, (fb, u, cs)))  # the cross-checks read the shares once each is a number
        rules = (  # field, the value is possible, allowed, fix
            ("name", isinstance(self.name, str) and bool(self.name.strip()), "a non-empty name",
             "name the municipality"),
            ("population", _is_number(self.population) and 0 < self.population <= MAX_POPULATION
             and float(self.population).is_integer(),
             f"a whole number from 1 to {MAX_POPULATION:,} (more than any municipality)",
             "give the number of residents, e.g. 250000"),
            *((name, _is_number(getattr(self, name)) and 0.0 <= getattr(self, name) <= 1.0,
               "a number between 0 and 1", "express it as a fraction, e.g. 0.14 for 14%")
              for name in ("foreign_born_share", "undocumented_share", "community_share", "community_policing")),
            ("undocumented_share", not shares or u <= fb, "0 <= undocumented_share <= foreign_born_share",
             "undocumented residents are part of the foreign-born population"),
            ("community_share", not shares or fb + cs <= 1.0 + 1e-12,
             "foreign_born_share + community_share <= 1", "community_share counts only U.S.-born residents"),
            ("officers_per_1000", _is_number(self.officers_per_1000) and 0.0 <= self.officers_per_1000 <= 50.0,
             "a number between 0 and 50", "sworn officers per 1,000 residents"),
            *((name, getattr(self, name) is None or (_is_number(getattr(self, name))
                                                     and 0.0 <= getattr(self, name) <= 1000.0),
               "empty or a number from 0 to 1000", "give a rate per 1,000 residents per year, or leave it empty")
              for name in ("violent_victimization_rate", "bookings_per_1000")),
        )
        for name, ok, allowed, fix in rules:
            if not ok:
                raise InputError(where=f"city '{self.name}'", field=name, value=getattr(self, name),
                                 allowed=allowed, fix=fix)
        return self


def _is_number(v: object) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, float, np.integer, np.floating)) and math.isfinite(v)


#: Where each City default comes from (shown in notebook 05 and the report).
CITY_FIELDS = pd.DataFrame([
    ("name", "Name of the municipality", "text", "Example City (fictional)", "ILLUSTRATIVE", "",
     "A fictional example city."),
    ("population", "Residents", "people", 250_000, "ILLUSTRATIVE", "", "A mid-sized city; use your own."),
    ("foreign_born_share", "Foreign-born share of residents", "share", 0.14, "ILLUSTRATIVE", "",
     "Close to the national ACS share quoted in secondary sources (about 14%); those rows are not verified "
     "against the Census page, so the default is illustrative. Use your city's ACS figure."),
    ("undocumented_share", "Undocumented share of residents", "share", 0.03, "ILLUSTRATIVE", "",
     "About 11 million unauthorized residents nationally (MPI, 2021, verified) in a population of roughly "
     "330 million (not in our data), so about 3%; use a local estimate."),
    ("community_share", "U.S.-born residents of the same community (e.g. in mixed-status households)", "share",
     0.10, "ILLUSTRATIVE", "", "Assumption; use local data on mixed-status households."),
    ("officers_per_1000", "Sworn officers per 1,000 residents", "officers per 1,000 residents", 2.17, "REAL",
     "bjs-full-time-employees-in-law", "National figure for general-purpose agencies, 2016 (BJS)."),
    ("community_policing", "Community-policing investment (0 none beyond today, 1 a full programme)",
     "share of a full programme", 0.0, "ILLUSTRATIVE", "", "A policy lever, chosen by the city."),
    ("violent_victimization_rate", "Violent victimizations per 1,000 residents per year", "per 1,000", None,
     "REAL", "bjs-criminal-victimization-2022-ncj", "Empty: drawn from the national NCVS range (parameter "
     "victimization_rate)."),
    ("bookings_per_1000", "Jail bookings per 1,000 residents per year", "per 1,000", None, "ILLUSTRATIVE", "",
     "Empty: drawn from the illustrative range (parameter bookings_per_1000)."),
], columns=["field", "meaning", "unit", "default", "provenance", "source_ids", "notes"])


def default_city() -> City:
    """The example city used by the notebooks (fictional; national figures where verified)."""
    return City().validate()


def make_city(**fields) -> City:
    """A :class:`City` from keyword fields (unknown fields raise :class:`InputError`), validated."""
    known = [f.name for f in dataclasses.fields(City)]
    for key in fields:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            raise InputError(where="make_city", field=key, problem="unknown city field", allowed=", ".join(known),
                             fix=f"did you mean '{close[0]}'?" if close else "use one of the listed fields")
    city = City(**fields)
    return city.validate()


# ---------------------------------------------------------------------------------------------------------
# Option scores (from the lever settings in data/levers.csv)
# ---------------------------------------------------------------------------------------------------------

SCORE_NAMES = ("coop", "field", "screen", "hold", "hold_serious", "notify_transfer", "judicial", "agreement", "notify",
               "designation")


def option_scores(options: Iterable[str] = OPTION_CODES) -> pd.DataFrame:
    """Numbers the model reads from each option's levers (rows: options, columns: :data:`SCORE_NAMES`).

    - ``coop``: :func:`helpers.options.cooperation_index` (share of cooperation levers set);
    - ``field``: the field-operations lever; ``screen``: mean of the 287(g) and status-inquiry levers;
    - ``hold``: the detainer-hold lever; ``hold_serious``: holds for people with serious convictions, where a
      conditional hold (C) is read as a hold when the criminal-threshold lever is set;
    - ``notify_transfer``: release notification x hand-over at release; ``judicial``: judicial-warrant lever;
      ``agreement``: the 287(g) lever (DHS reimbursement applies); ``notify``: the release-notification lever;
    - ``designation``: exposure to federal designation as a jurisdiction that limits cooperation, one minus
      the mean of the four levers that answer ICE's requests (hold, notice, hand-over, jail access).
    """
    codes = check_codes(options)
    matrix = lever_matrix(numeric=True)
    ids = load_levers().set_index("name")["lever_id"]
    matrix.index = [ids[name] for name in matrix.index]
    m = matrix[codes]
    coop = cooperation_index()[codes]
    hold = m.loc["hold"]
    threshold = m.loc["criminal_threshold"]
    out = pd.DataFrame({
        "coop": coop,
        "field": m.loc["field_operations"],
        "screen": (m.loc["agreement_287g"] + m.loc["status_inquiry"]) / 2.0,
        "hold": hold,
        "hold_serious": hold + (1.0 - hold) * threshold * (hold > 0).astype(float),
        "notify_transfer": m.loc["notify"] * m.loc["transfer"],
        "judicial": m.loc["judicial_warrant"],
        "agreement": m.loc["agreement_287g"],
        "notify": m.loc["notify"],
        "designation": 1.0 - (hold + m.loc["notify"] + m.loc["transfer"] + m.loc["jail_access"]) / 4.0,
    })
    out.index.name = "option"
    return out.astype(float)


def visibility(scores: pd.DataFrame, field_visibility_weight: float = 1.0) -> pd.Series:
    """Enforcement visibility of each option at one value of ``field_visibility_weight``."""
    w = float(field_visibility_weight)
    return ((scores["coop"] + w * scores["field"]) / (1.0 + w)).rename("visibility")


# ---------------------------------------------------------------------------------------------------------
# Drawing parameters
# ---------------------------------------------------------------------------------------------------------

def check_count(draws: object, seed: object) -> tuple[int, int]:
    """The number of draws (1 to :data:`MAX_DRAWS`) and the seed (>= 0) as typed in a notebook."""
    for field, value, low, high, allowed, fix in (
            ("draws", draws, 1, MAX_DRAWS, f"a whole number from 1 to {MAX_DRAWS:,}", "e.g. draws=2000"),
            ("seed", seed, 0, None, "a whole number >= 0", "pass the notebook's seed, e.g. seed=20261129")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low \
                or (high is not None and value > high):
            raise InputError(where="simulate", field=field, value=value, allowed=allowed, fix=fix)
    return int(draws), int(seed)


#: What an override may set for one parameter, besides a single number that fixes it.
OVERRIDE_KEYS = ("low", "mode", "high", "distribution")


def _override_problem(name, spec: Mapping, known: pd.Index) -> tuple | None:
    """The first thing wrong with one override, as (field, problem, allowed, fix), or None."""
    if name not in known:
        close = difflib.get_close_matches(str(name), list(known), n=1)
        return (str(name), "unknown parameter", "parameter ids in data/model_parameters.csv",
                f"did you mean '{close[0]}'?" if close else "see load_parameters()")
    for key, value in spec.items():
        if key not in OVERRIDE_KEYS:
            return str(key), "unknown key", ", ".join(OVERRIDE_KEYS), None
        if key == "distribution" and value not in DISTRIBUTIONS:
            return key, f"value {value!r} is not allowed", ", ".join(DISTRIBUTIONS), None
        if key != "distribution" and not _is_number(value):
            return str(name), f"value {value!r} is not a finite number", \
                "a finite number or a dict with low, mode, high, distribution", None
    return None


def check_overrides(table: pd.DataFrame, overrides: Mapping | None) -> pd.DataFrame:
    """The parameter table with ``overrides`` applied: a number fixes the parameter; a mapping with low/mode/
    high/distribution replaces those fields. An unknown parameter (with a did-you-mean), an unknown key or
    distribution, or a value outside the parameter's rules (:func:`helpers.checks.parameter_values`) raises
    :class:`InputError` naming the parameter."""
    from helpers.checks import parameter_values

    if not overrides:
        return table
    out = table.copy()
    out[["low", "mode", "high"]] = out[["low", "mode", "high"]].astype(object)
    for name, spec in dict(overrides).items():
        spec = spec if isinstance(spec, Mapping) else {"low": spec, "mode": spec, "high": spec,
                                                        "distribution": "fixed"}
        problem = _override_problem(name, spec, out.index)
        if problem:
            field, text, allowed, fix = problem
            raise InputError(where=f"simulate overrides, parameter '{name}'", field=field, problem=text,
                             allowed=allowed, fix=fix)
        for key, value in spec.items():
            out.at[name, key] = value if key == "distribution" else float(value)
    out[["low", "mode", "high"]] = out[["low", "mode", "high"]].astype(float)
    parameter_values(out, "simulate overrides")
    return out


def _fixed(u, low, mode, high):
    return np.full_like(u, mode)


def _uniform(u, low, mode, high):
    return low + u * (high - low)


def _triangular(u, low, mode, high):
    c = (mode - low) / (high - low)
    left = low + np.sqrt(u * (high - low) * (mode - low))
    right = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
    return np.where(u < c, left, right)


def _pert(u, low, mode, high):
    from scipy.special import betaincinv
    a = 1.0 + 4.0 * (mode - low) / (high - low)
    b = 1.0 + 4.0 * (high - mode) / (high - low)
    return low + betaincinv(a, b, u) * (high - low)


#: Quantile function of each distribution in :data:`DISTRIBUTIONS`.
QUANTILES = {"fixed": _fixed, "uniform": _uniform, "triangular": _triangular, "pert": _pert}


def inverse_cdf(u: np.ndarray, low: float, mode: float, high: float, dist: str) -> np.ndarray:
    """Transform uniform draws ``u`` in [0, 1) into draws from the named distribution (the quantile
    function: the Monte Carlo and the Sobol analysis both use it, so both see the same shapes)."""
    return QUANTILES["fixed" if high == low else dist](u, low, mode, high)


def draw_parameters(draws: int, seed: int, overrides: Mapping | None = None,
                    table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per draw, one column per parameter, drawn with ``np.random.default_rng(seed)``.

    All uniforms are drawn at once (draws x parameters, in table order) and transformed per parameter, so
    fixing one parameter with ``overrides`` leaves every other parameter's draws unchanged (common random
    numbers), and the same seed always gives the same table. ``table`` is a parameter table as returned by
    :func:`load_parameters` (for example with some rows changed).
    """
    draws, seed = check_count(draws, seed)
    base = load_parameters() if table is None else table.reset_index(drop=True).set_index("parameter", drop=False)
    params = check_overrides(base, overrides)
    rng = np.random.default_rng(seed)
    u = rng.random((draws, len(params)))
    cols = {}
    for j, (name, row) in enumerate(params.iterrows()):
        cols[name] = inverse_cdf(u[:, j], row["low"], row["mode"], row["high"], row["distribution"])
    out = pd.DataFrame(cols)
    out.index.name = "draw"
    return out


# ---------------------------------------------------------------------------------------------------------
# The model (one generic function: numpy arrays for the vectorized run, floats for the loop)
# ---------------------------------------------------------------------------------------------------------

class _ArrayOps:
    minimum = staticmethod(np.minimum)
    maximum = staticmethod(np.maximum)


class _ScalarOps:
    minimum = staticmethod(min)
    maximum = staticmethod(max)


def _core(p, s, city: City, xp) -> dict:
    """The model equations. ``p``: parameters (arrays of shape (draws, 1) or floats); ``s``: option scores
    (arrays of shape (1, options) or floats). Returns every outcome in :data:`OUTCOMES`."""
    pop = float(city.population)
    u = city.undocumented_share
    lawful = city.foreign_born_share - u
    comm = city.community_share
    rest = 1.0 - city.foreign_born_share - comm
    cp = city.community_policing
    rate = p["victimization_rate"] if city.violent_victimization_rate is None else city.violent_victimization_rate
    bookings_rate = p["bookings_per_1000"] if city.bookings_per_1000 is None else city.bookings_per_1000

    # 1. visibility of enforcement
    w = p["field_visibility_weight"]
    vis = (s["coop"] + w * s["field"]) / (1.0 + w)

    # 2-4. fear, trust, reporting and clearance by group. Written so that most arithmetic happens on
    # per-draw terms and only a few operations touch the draws x options arrays.
    a_clear = p["clearance_base"] * (1.0 - p["witness_dependence"])
    b_clear = p["clearance_base"] * p["witness_dependence"] / p["base_witness_cooperation"]

    def safety(vis_, cp_):
        calm = 1.0 - p["cp_fear_reduction"] * cp_
        fear_v = vis_ * (p["chill_victim"] * calm)
        fear_w = vis_ * (p["chill_witness"] * calm)
        base_v = p["base_report_victim"] + (1.0 - p["base_report_victim"]) * p["cp_report_gain"] * cp_
        base_w = p["base_witness_cooperation"] + (1.0 - p["base_witness_cooperation"]) * p["cp_report_gain"] * cp_
        ratio = p["undoc_baseline_ratio"]
        bv_u, bw_u = xp.minimum(base_v * ratio, 1.0), xp.minimum(base_w * ratio, 1.0)
        # group: (share of residents, spillover of fear or None for no fear, victim base, witness base)
        groups = {"u": (u, 1.0, bv_u, bw_u), "l": (lawful, p["spill_lawful"], base_v, base_w),
                  "c": (comm, p["spill_citizen"], base_v, base_w), "r": (rest, None, base_v, base_w)}
        out = {}
        report = 0.0
        certainty = 0.0
        for g, (share, spill, bv, bw) in groups.items():
            if spill is None:
                pv, pw = bv, bw
            else:
                pv = bv - (bv * spill) * fear_v      # = base * (1 - spill * fear): reporting as a victim
                pw = bw - (bw * spill) * fear_w      # coming forward as a witness
            clear = xp.minimum(a_clear + b_clear * pw, 1.0)
            out[g] = (share, pv, pw, clear)
            reporting = share * pv                   # this group's reported share of all victimizations
            report = report + reporting
            certainty = certainty + reporting * clear
        return out, report, certainty

    groups, report_share, certainty = safety(vis, cp)
    # 5. deterrence, relative to a reference with no enforcement signal and no extra community policing
    _, _, certainty_ref = safety(0.0, 0.0)
    deterrence = (certainty / certainty_ref) ** (-p["deterrence_elasticity"])

    # 6. enforcement channel
    removable = pop / 1000.0 * bookings_rate * xp.minimum(u * p["arrest_ratio_undocumented"], 1.0)
    sh_s, sh_o = p["share_serious"], p["share_other"]
    sh_n = xp.maximum(1.0 - sh_s - sh_o, 0.0)
    det_rate = xp.minimum(p["detainer_rate"] + (p["detainer_rate"] * p["screening_uplift"]) * s["screen"], 1.0)
    pickup = s["notify_transfer"] * p["ice_pickup_at_release"]
    # custody: held on the detainer, or handed over at a notified release without a hold
    cust_serious = s["hold_serious"] + (1.0 - s["hold_serious"]) * pickup
    cust_other = s["hold"] + (1.0 - s["hold"]) * pickup
    det_serious = (removable * sh_s) * det_rate
    det_rest = (removable * (sh_o + sh_n)) * det_rate
    detainers = det_serious + det_rest
    holds = det_serious * s["hold_serious"] + det_rest * s["hold"]
    custody = det_serious * cust_serious + det_rest * cust_other
    prc = p["removal_given_custody"]
    removals = {  # removed = detainers x removal share x (custody + (1 - custody) x keep)
        "serious": det_serious * prc * (p["keep_serious"] + cust_serious * (1.0 - p["keep_serious"])),
        "other": (removable * sh_o * prc) * det_rate * (p["keep_other"] + cust_other * (1.0 - p["keep_other"])),
        "none": (removable * sh_n * prc) * det_rate
        * (p["keep_no_conviction"] + cust_other * (1.0 - p["keep_no_conviction"])),
    }
    field_arrests = pop * u * p["field_arrest_rate"] * s["field"]
    field_removed = (pop * u * p["field_arrest_rate"] * prc) * s["field"]
    conv = sh_s + sh_o
    field_none = p["field_share_no_conviction"]
    removals["serious"] = removals["serious"] + field_removed * ((1.0 - field_none) * sh_s / conv)
    removals["other"] = removals["other"] + field_removed * ((1.0 - field_none) * sh_o / conv)
    removals["none"] = removals["none"] + field_removed * field_none

    bed_days = holds * p["hold_days"]
    enforcement_hours = (detainers * (p["hours_per_screening"] * s["screen"])
                         + custody * p["hours_per_custody_transfer"]
                         + field_arrests * p["hours_per_field_arrest"])
    # 287(g) options staff dedicated officers, who also do the casework: labour is the larger of the two.
    deputized = (pop / 1e5 * p["staff_per_100k_287g"]) * (s["agreement"] * (s["screen"] + s["field"]) / 2.0)
    labour_hours = xp.maximum(enforcement_hours, deputized * HOURS_PER_OFFICER_YEAR)
    cp_hours = cp * city.officers_per_1000 * pop / 1000.0 * HOURS_PER_OFFICER_YEAR * p["cp_share_officer_hours"]
    hour_cost = p["officer_hour_cost_usd"]
    detentions = holds * (1.0 - s["judicial"]) + field_arrests
    liability = detentions * (p["liability_usd_per_detention"]
                              * (1.0 - p["liability_cover_287g"] * s["agreement"]))
    funding_risk = s["designation"] * (pop * p["grant_at_risk_usd_per_resident"] * p["grant_loss_probability"]
                                       + p["federal_litigation_usd"])
    net_cost = (labour_hours * hour_cost * (1.0 - p["reimbursement_share_287g"] * s["agreement"])
                - deputized * p["performance_award_usd"]
                + cp_hours * hour_cost + bed_days * p["bed_day_cost_usd"] + liability + funding_risk)
    # ICE's detainer form asks for two things: a hold and notice of release.
    held_share = sh_s * s["hold_serious"] + (1.0 - sh_s) * s["hold"]
    honoured = 0.5 * held_share + 0.5 * s["notify"]

    # 7. victimizations and what follows
    averted = p["reoffence_averted_per_removal"] * (removals["serious"] + removals["other"])
    victimizations = xp.maximum(pop / 1000.0 * rate * deterrence - averted, 0.0)
    reported = victimizations * report_share
    cleared = victimizations * certainty
    fb = city.foreign_born_share
    w_u = u / fb if fb > 0 else 0.0
    gu, gl = groups["u"], groups["l"]
    return {
        "reporting_rate_immigrant_victims": w_u * gu[1] + (1.0 - w_u) * gl[1],
        "reporting_rate_immigrant_witnesses": w_u * gu[2] + (1.0 - w_u) * gl[2],
        "reported_crimes": reported,
        "unreported_crimes": victimizations - reported,
        "cleared_crimes": cleared,
        "victimizations": victimizations,
        "removals_serious_conviction": removals["serious"],
        "removals_other_conviction": removals["other"],
        "removals_no_conviction": removals["none"],
        "detainer_holds": holds,
        "jail_bed_days": bed_days,
        "officer_hours": labour_hours + cp_hours,
        "net_cost_usd": net_cost,
        "detentions_without_judicial_warrant": detentions,
        "reporting_rate_undocumented_victims": gu[1],
        "reporting_rate_undocumented_witnesses": gu[2],
        "clearance_rate_undocumented_victims": gu[3],
        "clearance_rate": certainty / report_share,
        "detainers_lodged": detainers,
        "removals_with_conviction": removals["serious"] + removals["other"],
        "federal_requests_honoured": honoured,
        "deputized_officers": deputized,
        "expected_liability_usd": liability,
        "federal_funding_risk_usd": funding_risk,
    }


def _prepare(draws, seed, options, city, overrides):
    draws, seed = check_count(draws, seed)
    codes = check_codes(options)
    city = default_city() if city is None else make_city(**city) if isinstance(city, Mapping) else city.validate()
    params = draw_parameters(draws, seed, overrides)
    scores = option_scores(codes)
    return draws, codes, city, params, scores


def _tidy(values: dict[str, np.ndarray], draws: int, codes: list[str]) -> pd.DataFrame:
    """Outcome arrays (draws x options) -> tidy rows ordered by draw, option, outcome."""
    names = list(OUTCOMES)
    n_opt, n_out = len(codes), len(names)
    block = np.empty((draws, n_opt, n_out))
    for k, name in enumerate(names):
        block[:, :, k] = np.broadcast_to(values[name], (draws, n_opt))
    # Category codes are built in their final small dtype, and the columns are not copied again by the
    # DataFrame: the table's peak memory is about its own size, not several times it.
    small = np.int8 if max(n_opt, n_out) < 127 else np.int16
    return pd.DataFrame({
        "draw": np.repeat(np.arange(draws, dtype=np.int64), n_opt * n_out),
        "option": pd.Categorical.from_codes(np.tile(np.repeat(np.arange(n_opt, dtype=small), n_out), draws),
                                            categories=codes, ordered=True),
        "outcome": pd.Categorical.from_codes(np.tile(np.arange(n_out, dtype=small), draws * n_opt),
                                             categories=names),
        "value": block.ravel(),
    }, copy=False)


#: Draws evaluated together in one block: small enough for the arrays to stay in the CPU cache.
BLOCK_DRAWS = 4096


def simulate_arrays(params: pd.DataFrame, scores: pd.DataFrame, city: City) -> dict[str, np.ndarray]:
    """Evaluate the model for all draws and options as arrays; returns outcome -> array (draws x options).

    Draws are processed in blocks of :data:`BLOCK_DRAWS` (each block is one vectorized evaluation of all
    its draws and options), which keeps large runs cache-friendly; results do not depend on the block size.
    """
    names = list(params.columns)
    columns = np.ascontiguousarray(params.to_numpy(dtype=float).T)  # one contiguous row per parameter
    # Options run along the first axis and draws along the second (contiguous) one, so every broadcast
    # operation loops over a long run of draws: several times faster than draws x options.
    table = scores if list(scores.columns) == list(SCORE_NAMES) else scores[list(SCORE_NAMES)]
    by_score = np.ascontiguousarray(table.to_numpy(dtype=float).T)  # one contiguous row per score
    s = {name: by_score[k, :, None] for k, name in enumerate(SCORE_NAMES)}
    draws, n_opt = len(params), len(scores)

    def block(start: int, stop: int) -> dict[str, np.ndarray]:
        p = {name: columns[j, None, start:stop] for j, name in enumerate(names)}
        res = _core(p, s, city, _ArrayOps)
        return {name: res[name] if np.shape(res[name]) == (n_opt, stop - start)
                else np.broadcast_to(res[name], (n_opt, stop - start)).copy() for name in OUTCOMES}

    if draws <= BLOCK_DRAWS:
        return {name: values.T for name, values in block(0, draws).items()}
    out = {name: np.empty((n_opt, draws)) for name in OUTCOMES}
    for start in range(0, draws, BLOCK_DRAWS):
        stop = min(start + BLOCK_DRAWS, draws)
        for name, values in block(start, stop).items():
            out[name][:, start:stop] = values
    return {name: values.T for name, values in out.items()}  # draws x options (views, no copy)


def simulate_loop_arrays(params: pd.DataFrame, scores: pd.DataFrame, city: City) -> dict[str, np.ndarray]:
    """The same model evaluated with a plain Python loop over draws and options (floats, no numpy)."""
    rows = params.to_dict("records")
    opts = [{name: float(scores.at[code, name]) for name in SCORE_NAMES} for code in scores.index]
    out = {name: np.empty((len(rows), len(opts))) for name in OUTCOMES}
    for d, p in enumerate(rows):
        for j, s in enumerate(opts):
            res = _core(p, s, city, _ScalarOps)
            for name in OUTCOMES:
                out[name][d, j] = res[name]
    return out


def simulate(draws: int, seed: int, options: Iterable[str] = OPTION_CODES, city: City | None = None,
             overrides: Mapping | None = None) -> pd.DataFrame:
    """Monte Carlo of the model: tidy DataFrame with columns draw, option, outcome, value.

    One row per draw x option x outcome (outcomes in :data:`OUTCOMES` order). Vectorized over draws and
    options; every option sees the same parameter draws. ``overrides`` fixes or re-ranges parameters
    (``{"deterrence_elasticity": 0}`` or ``{"chill_victim": {"low": 0.1, "mode": 0.2, "high": 0.3}}``).
    """
    draws, codes, city, params, scores = _prepare(draws, seed, options, city, overrides)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # checked just below
        values = simulate_arrays(params, scores, city)
    _check_finite(values, overrides)
    out = _tidy(values, draws, codes)
    out.attrs["city"] = city  # so helpers.decision re-runs the model for the same municipality
    return out


def simulate_loop(draws: int, seed: int, options: Iterable[str] = OPTION_CODES, city: City | None = None,
                  overrides: Mapping | None = None) -> pd.DataFrame:
    """:func:`simulate` computed one draw and one option at a time (slow; for tests and the benchmark)."""
    draws, codes, city, params, scores = _prepare(draws, seed, options, city, overrides)
    values = simulate_loop_arrays(params, scores, city)  # Python floats raise OverflowError where numpy gives inf
    _check_finite(values, overrides)
    return _tidy(values, draws, codes)


def _overflow_fix(overrides: Mapping | None) -> str:
    if overrides:
        return (f"bring the overridden parameters ({', '.join(sorted(overrides))}) back towards the ranges in "
                "data/model_parameters.csv")
    return "check the parameter table for extreme values"


def _check_finite(values: dict[str, np.ndarray], overrides: Mapping | None) -> None:
    """Raise when an outcome overflowed (a parameter pushed far outside any sensible range)."""
    for name in OUTCOMES:
        if not np.isfinite(values[name]).all():
            raise InputError(where="simulate", field=name,
                             problem=f"the model gave non-finite values for '{name}' (an overflow)",
                             fix=_overflow_fix(overrides))


# ---------------------------------------------------------------------------------------------------------
# Reading the results
# ---------------------------------------------------------------------------------------------------------

def check_outcome(outcome: str) -> str:
    """An outcome id typed in a notebook (see :data:`OUTCOMES`), with a did-you-mean when it is unknown."""
    if outcome not in OUTCOMES:
        close = difflib.get_close_matches(str(outcome), list(OUTCOMES), n=1)
        raise InputError(where="outcomes", field="outcome", value=outcome, allowed=", ".join(OUTCOMES),
                         fix=f"did you mean '{close[0]}'?" if close else "use an outcome id from model.OUTCOMES")
    return outcome


def _group_codes(col: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes and labels of a key column, in category order (categorical) or order of appearance."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy()
        return codes, list(col.cat.categories)
    codes, labels = pd.factorize(col, sort=False)
    return codes, list(labels)


def summarize(results: pd.DataFrame, lo: float = 0.05, hi: float = 0.95) -> pd.DataFrame:
    """Median, ``lo`` and ``hi`` quantiles and mean of every option x outcome (columns option, outcome,
    median, lo, hi, mean), options and outcomes in the order of the results (quantiles interpolate
    linearly, as pandas and numpy do by default)."""
    opt_codes, opt_labels = _group_codes(results["option"])
    out_codes, out_labels = _group_codes(results["outcome"])
    values = results["value"].to_numpy(dtype=float)
    key = opt_codes.astype(np.int64) * len(out_labels) + out_codes
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    bounds = np.flatnonzero(np.diff(sorted_key)) + 1
    rows = []
    for chunk in np.split(order, bounds):
        if chunk.size == 0:
            continue
        k = int(key[chunk[0]])
        v = values[chunk]
        q = np.quantile(v, [0.5, lo, hi])
        rows.append((opt_labels[k // len(out_labels)], out_labels[k % len(out_labels)],
                     float(q[0]), float(q[1]), float(q[2]), float(v.mean())))
    return pd.DataFrame(rows, columns=["option", "outcome", "median", "lo", "hi", "mean"])


def outcome_table(summary: pd.DataFrame, outcomes: Iterable[str], digits: int = 0) -> pd.DataFrame:
    """Options x outcomes as ``median (lo to hi)`` strings, for display in notebooks."""
    rows = []
    for outcome in outcomes:
        check_outcome(outcome)
        sub = summary[summary["outcome"] == outcome].set_index("option")
        scale = 100.0 if outcome in RATE_OUTCOMES else 1.0
        fmt = (lambda v: f"{v * scale:.0f}%") if outcome in RATE_OUTCOMES else (lambda v: f"{v:,.{digits}f}")
        rows.append(pd.Series({str(o): f"{fmt(r['median'])} ({fmt(r['lo'])} to {fmt(r['hi'])})"
                               for o, r in sub.iterrows()}, name=OUTCOMES[outcome][0]))
    table = pd.DataFrame(rows)
    table.index.name = "outcome (median, 90% interval)"
    return table


def wide(results: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One outcome as a draws x options table."""
    sub = results[results["outcome"] == check_outcome(outcome)]
    table = sub.pivot(index="draw", columns="option", values="value")
    table.columns = [str(c) for c in table.columns]
    return table


#: The two parameters of the chilling effect: how much visible enforcement lowers reporting.
CHILL_PARAMETERS = ("chill_victim", "chill_witness")


def chilling_what_if(draws: int, seed: int, outcome: str = "victimizations", city: City | None = None) -> pd.DataFrame:
    """Mean of ``outcome`` per option (columns) with the chilling effect switched off, drawn over its
    ranges as in the model, and fixed at the top of its ranges (rows). The same seeded draws are used for
    every row, so only the chilling effect differs."""
    check_outcome(outcome)
    params = load_parameters()
    top = {p: float(params.at[p, "high"]) for p in CHILL_PARAMETERS}
    settings = {"no chilling effect": {p: 0.0 for p in CHILL_PARAMETERS}, "model ranges": None,
                "top of the ranges": top}
    rows = {label: wide(simulate(draws, seed, city=city, overrides=ov), outcome).mean()
            for label, ov in settings.items()}
    out = pd.DataFrame(rows).T
    out.index.name, out.columns.name = "chilling effect", "option"
    return out


def relative_difference(results: pd.DataFrame, outcome: str, option: str, reference: str) -> pd.Series:
    """Per draw: ``option / reference - 1`` for one outcome (same parameter draws for both)."""
    table = wide(results, outcome)
    a, b = check_codes([option])[0], check_codes([reference])[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = table[a] / table[b] - 1.0
    return diff.rename(f"{outcome}: {a} vs {b}")


def detainer_refusal_effect(params: pd.DataFrame) -> pd.DataFrame:
    """Per draw: the model's change in removals after local arrest when a jail stops honouring detainers,
    everything else equal (the comparison Hausman 2020 estimates), overall and by conviction category.

    With detainers and custody otherwise unchanged, removals in category ``c`` fall to ``keep_c`` of
    their level, so the overall change is the share-weighted mean of ``keep_c`` minus one. The last column
    is the composition of the removals prevented: the share of them that are of people never convicted
    (Hausman's published counts give about 3,300 of about 22,300, 15%).
    """
    s_s, s_o = params["share_serious"], params["share_other"]
    s_n = (1.0 - s_s - s_o).clip(lower=0.0)
    total = (s_s * params["keep_serious"] + s_o * params["keep_other"] + s_n * params["keep_no_conviction"]) \
        / (s_s + s_o + s_n)
    prevented = {"none": s_n * (1.0 - params["keep_no_conviction"]), "serious": s_s * (1.0 - params["keep_serious"]),
                 "other": s_o * (1.0 - params["keep_other"])}
    prevented_total = prevented["none"] + prevented["serious"] + prevented["other"]
    return pd.DataFrame({
        "removals_all": total - 1.0,
        "removals_no_conviction": params["keep_no_conviction"] - 1.0,
        "removals_serious_conviction": params["keep_serious"] - 1.0,
        "prevented_never_convicted_share": prevented["none"] / prevented_total,
    })


def consistency_check(results: pd.DataFrame, params: pd.DataFrame | None = None, cooperating: str = "FULL",
                      limiting: str = "STRICT", lo: float = 0.05, hi: float = 0.95) -> pd.DataFrame:
    """Where the model stands against published findings (percent changes, median and interval over draws).

    Removal rows (when ``params`` from :func:`draw_parameters` is given) compare a jail that honours
    detainers with one that does not, all else equal, against Hausman (2020). Crime rows compare the
    options ``cooperating`` and ``limiting`` against the "no detectable effect on crime" findings.
    """
    a, b = check_codes([limiting])[0], check_codes([cooperating])[0]
    rows = []

    def add(label, change, evidence, ref):
        change = pd.Series(change).replace([np.inf, -np.inf], np.nan).dropna()
        rows.append({"quantity": label, "model median": round(float(change.median()) * 100, 1),
                     "model low": round(float(change.quantile(lo)) * 100, 1),
                     "model high": round(float(change.quantile(hi)) * 100, 1),
                     "evidence": evidence, "evidence value": ref})

    if params is not None:
        eff = detainer_refusal_effect(params)
        add("removals after local arrest, all (detainers refused, all else equal)", eff["removals_all"],
            "fell by about one third (Hausman 2020)", -33.0)
        add("removals, no conviction (detainers refused)", eff["removals_no_conviction"],
            "fell by about half (Hausman 2020)", -50.0)
        add("removals, violent conviction (detainers refused)", eff["removals_serious_conviction"],
            "no measurable change (Hausman 2020)", 0.0)
        add("prevented removals that were of people never convicted (a share, not a change)",
            eff["prevented_never_convicted_share"],
            "about 3,300 of about 22,300 prevented deportations, 15% (Hausman 2020, Stanford release)", 15.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        add(f"crimes reported to police, what UCR counts ({b} -> {a})",
            relative_difference(results, "reported_crimes", a, b),
            "no detectable effect on recorded crime (Hausman 2020 and other studies)", 0.0)
        add(f"violent victimizations ({b} -> {a})", relative_difference(results, "victimizations", a, b),
            "not measured directly; recorded crime shows no detectable effect", 0.0)
        add(f"crimes cleared ({b} -> {a})", relative_difference(results, "cleared_crimes", a, b),
            "direction only: clearance rose where enforcement fell (Ciancio 2017, partial)", float("nan"))
    return pd.DataFrame(rows).set_index("quantity")


def parameter_importance(params: pd.DataFrame, results: pd.DataFrame, outcome: str, option: str,
                         reference: str | None = None, top: int | None = 8) -> pd.DataFrame:
    """Spearman rank correlation between each drawn parameter and an outcome (or its difference between
    ``option`` and ``reference``) across draws: a first look at which assumptions matter.

    ``params`` is :func:`draw_parameters` with the same draws, seed and overrides as the results.
    """
    table = wide(results, outcome)
    a = check_codes([option])[0]
    y = table[a] if reference is None else table[a] - table[check_codes([reference])[0]]
    ranks_y = y.rank().to_numpy()
    rows = []
    for name in params.columns:
        x = params[name]
        if x.nunique() <= 1:
            continue
        rho = float(np.corrcoef(x.rank().to_numpy(), ranks_y)[0, 1])
        rows.append({"parameter": name, "rank_correlation": round(rho, 2)})
    out = pd.DataFrame(rows)
    out = out.reindex(out["rank_correlation"].abs().sort_values(ascending=False, kind="stable").index)
    out = out.reset_index(drop=True)
    meta = load_parameters()
    out["provenance"] = [meta.at[n, "provenance"] for n in out["parameter"]]
    out["meaning"] = [meta.at[n, "meaning"] for n in out["parameter"]]
    return out.head(top) if top else out


# ---------------------------------------------------------------------------------------------------------
# Charts (drawing only; the numbers come from summarize())
# ---------------------------------------------------------------------------------------------------------

#: Steps of one crime's path through the system, for an undocumented victim whose case depends on
#: witnesses from the same community (notebook 06): step id -> (label, unit).
CASE_STEPS = {
    "victim_reports": ("The victim reports the crime", "probability"),
    "witness_comes_forward": ("A witness from the same community comes forward", "probability"),
    "cleared_if_reported": ("The case is cleared, once reported", "probability"),
    "reported_and_cleared": ("The crime ends in a cleared case", "probability"),
}


def case_path(results: pd.DataFrame, lo: float = 0.05, hi: float = 0.95) -> pd.DataFrame:
    """The path of one violent crime against an undocumented victim, per option, in the format of
    :func:`summarize` (option, outcome = step id in :data:`CASE_STEPS`, median, lo, hi, mean).

    ``reported_and_cleared`` multiplies, draw by draw, the chance the victim reports and the chance a
    reported case is cleared (which already reflects how often witnesses come forward)."""
    victim = wide(results, "reporting_rate_undocumented_victims")
    witness = wide(results, "reporting_rate_undocumented_witnesses")
    cleared = wide(results, "clearance_rate_undocumented_victims")
    steps = {"victim_reports": victim, "witness_comes_forward": witness, "cleared_if_reported": cleared,
             "reported_and_cleared": victim * cleared}
    frames = []
    for step, table in steps.items():
        long = table.reset_index().melt(id_vars="draw", var_name="option", value_name="value")
        long["outcome"] = step
        frames.append(long)
    tidy = pd.concat(frames, ignore_index=True)
    tidy["option"] = pd.Categorical(tidy["option"], categories=list(victim.columns), ordered=True)
    tidy["outcome"] = pd.Categorical(tidy["outcome"], categories=list(CASE_STEPS))
    return summarize(tidy[["draw", "option", "outcome", "value"]], lo=lo, hi=hi)


def parameter_sources(provenance: str | None = "REAL") -> list[str]:
    """Source ids cited by the parameter table (by default only REAL rows), in table order, for captions."""
    table = load_parameters()
    if provenance is not None:
        table = table[table["provenance"] == provenance]
    out: list[str] = []
    for cell in table["source_ids"]:
        for item in split_list(cell):
            if item not in out:
                out.append(item)
    return out



#: Boxes of the model diagram: id -> (x, y, text). Arrows follow the equations in the module docstring.
DIAGRAM_BOXES = {
    "levers": (0.07, 0.50, "Option's levers\n(data/levers.csv)"),
    "visibility": (0.27, 0.68, "Enforcement\nvisibility V"),
    "cp": (0.47, 0.92, "Community policing\n(separate lever)"),
    "trust": (0.47, 0.68, "Trust by group:\nundocumented, lawful,\nsame-community citizens"),
    "reporting": (0.69, 0.68, "Victims report,\nwitnesses come forward"),
    "clearance": (0.90, 0.68, "Crimes\ncleared"),
    "victimization": (0.90, 0.40, "Victimizations\n(deterrence)"),
    "detainers": (0.27, 0.24, "Detainers, holds,\nhand-overs at release"),
    "removals": (0.58, 0.24, "Removals by conviction:\nserious, other, none"),
    "costs": (0.27, 0.03, "Bed-days, officer\nhours, net cost"),
}
DIAGRAM_ARROWS = [("levers", "visibility"), ("visibility", "trust"), ("cp", "trust"), ("trust", "reporting"),
                  ("reporting", "clearance"), ("clearance", "victimization"), ("levers", "detainers"),
                  ("detainers", "removals"), ("removals", "victimization"), ("detainers", "costs")]

