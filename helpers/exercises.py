"""Self-check functions for the exercise notebooks (``notebooks/exercises/``).

Each exercise asks the reader to change an assumption, re-run a helper, and enter what they found.
:func:`check` compares the attempt with the right answer, which it recomputes from the collection's own
helpers (``legal``, ``evidence``, ``model``, ``decision``, ``balance``), so the answer keys stay right when the data
change. A right answer prints "Correct" with a sentence to take away; a wrong or unfinished attempt
prints a hint (too high or too low, how many items are missing or extra, where to look) and never the
answer itself. Nothing here raises on a wrong attempt: only a question id that does not exist raises
:class:`~helpers.errors.InputError`.

    from helpers import exercises
    answer = ...            # replace ... with your answer
    exercises.check("05.1", answer)

Answers that are numbers may be ints or floats; answers that are lists of codes may be given in any
order and any letter case.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from helpers.errors import InputError

#: Monte Carlo size and seed used by every model exercise (small, so each notebook runs in seconds).
DRAWS = 1000
SEED = 2026


@dataclass(frozen=True)
class Question:
    """One self-checked question.

    ``kind`` is ``number`` (compared within ``rel_tol`` / ``abs_tol``), ``choice`` (one of ``choices``),
    or ``set`` (an unordered list of codes, normalised with ``normalise``). ``expected`` recomputes the
    right answer; ``hint`` says where to look; ``takeaway`` is printed with a right answer.
    """

    qid: str
    kind: str
    expected: Callable[[], object]
    hint: str
    takeaway: str = ""
    rel_tol: float = 0.0
    abs_tol: float = 0.0
    choices: tuple[str, ...] = ()
    normalise: Callable[[str], str] = str.strip


QUESTIONS: dict[str, Question] = {}


def _register(q: Question) -> Question:
    QUESTIONS[q.qid] = q
    return q


def is_placeholder(answer: object) -> bool:
    """True for an unfinished attempt: ``...``, ``None``, an empty string or an empty list."""
    if answer is ... or answer is None:
        return True
    if isinstance(answer, str) and not answer.strip():
        return True
    if isinstance(answer, (list, tuple, set, frozenset)) and len(answer) == 0:
        return True
    return False


def _question(qid: str) -> Question:
    if qid not in QUESTIONS:
        raise InputError(where="exercises.check", field="question", value=qid,
                         allowed=", ".join(sorted(QUESTIONS)), fix="use the id printed in the exercise")
    return QUESTIONS[qid]


def expected(qid: str) -> object:
    """The right answer to a question (for answer keys and tests; the exercises never call it)."""
    return _question(qid).expected()


def feedback(qid: str, answer: object) -> tuple[bool, str]:
    """Whether ``answer`` is right, and the message :func:`check` prints."""
    q = _question(qid)
    if is_placeholder(answer):
        return False, (f"[{qid}] Not answered yet: replace the ... with your answer and run the cell again. "
                       f"Hint: {q.hint}")
    right = q.expected()
    if q.kind == "number":
        return _feedback_number(q, answer, right)
    if q.kind == "choice":
        return _feedback_choice(q, answer, right)
    if q.kind == "set":
        return _feedback_set(q, answer, right)
    raise InputError(where="exercises", field="kind", value=q.kind, allowed="number, choice, set")


def check(qid: str, answer: object) -> None:
    """Print feedback on an attempt (never raises on a wrong answer; :func:`feedback` returns it instead)."""
    _, message = feedback(qid, answer)
    # one write, newline included: print() writes the text and the newline separately, and the kernel may
    # send them as two output messages, which would make the stored notebook differ between runs
    sys.stdout.write(message + "\n")


def _correct(q: Question) -> str:
    return f"[{q.qid}] Correct." + (f" {q.takeaway}" if q.takeaway else "")


def _feedback_number(q: Question, answer: object, right: object) -> tuple[bool, str]:
    try:
        value = float(answer)  # type: ignore[arg-type]
    except OverflowError:  # an integer too large for a float
        value = math.inf
    except (TypeError, ValueError):
        return False, f"[{q.qid}] Not yet: the answer should be a number, not {type(answer).__name__}. {q.hint}"
    if not math.isfinite(value):
        return False, f"[{q.qid}] Not yet: the answer should be a finite number. {q.hint}"
    target = float(right)  # type: ignore[arg-type]
    if math.isclose(value, target, rel_tol=q.rel_tol, abs_tol=q.abs_tol):
        return True, _correct(q)
    if value * target < 0:
        direction = "has the wrong sign"
    else:
        direction = "is too high" if value > target else "is too low"
    return False, f"[{q.qid}] Not yet: your number {direction}. {q.hint}"


def _feedback_choice(q: Question, answer: object, right: object) -> tuple[bool, str]:
    given = str(answer).strip().lower()
    allowed = [c.lower() for c in q.choices]
    if given not in allowed:
        return False, (f"[{q.qid}] Not yet: answer with one of {', '.join(repr(c) for c in q.choices)}. {q.hint}")
    if given == str(right).strip().lower():
        return True, _correct(q)
    return False, f"[{q.qid}] Not yet: that is not the choice the results support. {q.hint}"


def _feedback_set(q: Question, answer: object, right: object) -> tuple[bool, str]:
    items = [answer] if isinstance(answer, str) else answer
    if not isinstance(items, Iterable):
        return False, f"[{q.qid}] Not yet: give a list, for example [\"A\", \"B\"]. {q.hint}"
    given = {q.normalise(str(x)) for x in items}
    want = {q.normalise(str(x)) for x in right}  # type: ignore[union-attr]
    if given == want:
        return True, _correct(q)
    missing, extra = len(want - given), len(given - want)
    parts = []
    if extra:
        parts.append(f"{extra} item(s) in your list should not be there")
    if missing:
        parts.append(f"{missing} item(s) are missing")
    return False, f"[{q.qid}] Not yet: " + " and ".join(parts) + f". {q.hint}"


def _upper(code: str) -> str:
    return code.strip().upper()


def _lower(name: str) -> str:
    return name.strip().lower()


# --- shared, cached computations ------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _summary(overrides: tuple = (), city: tuple = ()) -> object:
    from helpers import model

    c = model.make_city(**dict(city)) if city else model.default_city()
    results = model.simulate(DRAWS, SEED, city=c, overrides=dict(overrides) or None)
    return model.summarize(results)


def _median(outcome: str, option: str, overrides: tuple = (), city: tuple = ()) -> float:
    s = _summary(overrides, city)
    row = s[(s["option"] == option) & (s["outcome"] == outcome)]
    return float(row["median"].iloc[0])


@lru_cache(maxsize=8)
def _results(overrides: tuple = (), city: tuple = ()) -> object:
    from helpers import model

    c = model.make_city(**dict(city)) if city else model.default_city()
    return model.simulate(DRAWS, SEED, city=c, overrides=dict(overrides) or None)


def _scenario(name: str) -> tuple:
    """The parameter overrides of a named scenario of :mod:`helpers.balance` ("limits case", "cooperation
    case"), as a hashable tuple for the caches."""
    from helpers import balance

    return tuple(sorted(balance.scenario_overrides(name).items()))


# --- 03 the legal landscape -----------------------------------------------------------------------------

def _feasible(regime: str) -> list[str]:
    from helpers import legal

    return legal.feasible_options(regime)


_register(Question(
    "03.1", "set", lambda: _feasible("requires_cooperation"), normalise=_upper,
    hint="Run legal.feasible_options with the regime changed to 'requires_cooperation', or read that column "
         "of the compliance matrix.",
    takeaway="In a state that requires cooperation, a city's choice narrows to the options its state allows."))
_register(Question(
    "03.2", "set", lambda: _feasible("limits_cooperation"), normalise=_upper,
    hint="Change the regime to 'limits_cooperation' and look again: which options break no rule?",
    takeaway="The same city has a different menu in a state that limits cooperation."))


def _blocking(option: str, regime: str) -> list[str]:
    from helpers import legal

    return legal.assess(option, regime).blocking_levers


_register(Question(
    "03.3", "set", lambda: _blocking("FULL", "limits_cooperation"), normalise=_lower,
    hint="Call legal.assess('FULL', 'limits_cooperation') and read its blocking_levers (lever ids, as in "
         "data/levers.csv).",
    takeaway="Infeasibility comes from specific levers, so a city can often repair an option lever by lever."))
_register(Question(
    "03.4", "choice", lambda: "yes" if len(_feasible("requires_cooperation")) < len(_feasible("neutral")) else "no",
    choices=("yes", "no"),
    hint="Compare how many options are feasible under 'neutral' and under 'requires_cooperation'.",
    takeaway="State law, not only city preference, sets how far a city's police take part."))


# --- 04 what the evidence says --------------------------------------------------------------------------

def _crime_findings(min_strength: int, direction: str) -> int:
    from helpers import evidence

    e = evidence.load_evidence()
    sel = e[(e["outcome_class"] == "crime") & (e["design_strength"] >= min_strength)]
    return int((sel["direction"] == direction).sum())


_register(Question(
    "04.1", "number", lambda: _crime_findings(1, "no_detectable_effect"), abs_tol=0,
    hint="Keep rows of evidence.load_evidence() whose outcome_class is 'crime' (all designs), then count "
         "direction == 'no_detectable_effect'.",
    takeaway="Counting findings is a start; the next question raises the bar of evidence."))
_register(Question(
    "04.2", "number", lambda: _crime_findings(3, "no_detectable_effect"), abs_tol=0,
    hint="Same count, but first keep only rows with design_strength >= 3 (stronger designs).",
    takeaway="Raising the bar of evidence changes how many findings remain; say which bar you used."))


def _most_common_direction(min_strength: int) -> str:
    from helpers import evidence

    e = evidence.load_evidence()
    sel = e[(e["outcome_class"] == "crime") & (e["design_strength"] >= min_strength)]
    counts = sel["direction"].value_counts()
    top = counts[counts == counts.max()].index
    return str(sorted(top)[0]) if len(top) else "none"


_register(Question(
    "04.3", "choice", lambda: _most_common_direction(3),
    choices=("increases", "decreases", "no_detectable_effect", "mixed"),
    hint="Among crime findings from stronger designs (design_strength >= 3), which direction occurs most "
         "often? Use value_counts() on the direction column.",
    takeaway="'No detectable effect' is not proof of no effect: it means the studies could not distinguish "
             "one from zero."))


# --- 05 the trust-and-reporting model ---------------------------------------------------------------------

_NO_CHILL = (("chill_victim", 0.0), ("chill_witness", 0.0))


def _gap(outcome: str, a: str, b: str, overrides: tuple = ()) -> float:
    return _median(outcome, a, overrides) - _median(outcome, b, overrides)


_register(Question(
    "05.1", "number", lambda: _gap("unreported_crimes", "TFM", "STRICT"), rel_tol=0.01, abs_tol=0.5,
    hint=f"Simulate with draws={DRAWS}, seed={SEED}, summarize, and subtract the median unreported_crimes of "
         "STRICT from that of TFM.",
    takeaway="Keep this number: the next question asks how much of it rests on the assumed chilling effect."))
_register(Question(
    "05.2", "number", lambda: _gap("unreported_crimes", "TFM", "STRICT", _NO_CHILL), rel_tol=0.02, abs_tol=0.5,
    hint="Repeat with overrides={'chill_victim': 0, 'chill_witness': 0} (no fear effect) and take the same "
         "difference.",
    takeaway="Whatever gap remains with no chilling effect comes from the model's other channels "
             "(deterrence, removals)."))
_register(Question(
    "05.3", "choice",
    lambda: "chill" if abs(_gap("unreported_crimes", "TFM", "STRICT", _NO_CHILL))
    < abs(_gap("unreported_crimes", "TFM", "STRICT")) / 2 else "other",
    choices=("chill", "other"),
    hint="Compare the gaps from 05.1 and 05.2: did switching off the chilling effect remove most of it?",
    takeaway="Which assumption drives a result is itself a finding worth reporting."))


def _prevented_never_convicted_percent() -> float:
    """Median over the draws of the share (percent) of the removals prevented by refusing detainers, all
    else equal, that are of people never convicted (the composition Hausman 2020 publishes as counts)."""
    from helpers import model

    eff = model.detainer_refusal_effect(model.draw_parameters(DRAWS, SEED))
    return float(eff["prevented_never_convicted_share"].median() * 100.0)


_register(Question(
    "05.4", "number", _prevented_never_convicted_percent, abs_tol=0.5,
    hint=f"Draw the parameters with model.draw_parameters({DRAWS}, {SEED}). In each draw, the removals "
         "prevented in a category are its share of removable bookings times (1 - keep_<category>); the "
         "never-convicted share of bookings is 1 - share_serious - share_other. Divide the never-convicted "
         "part by the total, take the median over draws and give it in percent (0-100).",
    takeaway="Hausman's published counts give about 3,300 of about 22,300 prevented deportations (15%) as "
             "people never convicted; the model's composition can be checked against that count."))
_register(Question(
    "05.5", "choice",
    lambda: "never_convicted" if _prevented_never_convicted_percent() > 50.0 else "with_conviction",
    choices=("with_conviction", "never_convicted"),
    hint="Use your answer to 05.4: is the never-convicted part more or less than half of all prevented "
         "removals?",
    takeaway="'Fell by about half' is a relative change within one group; it does not say which group most "
             "prevented removals belong to. A relative change and a composition answer different questions."))


# --- 06 Juan's story (a fictional witness) ----------------------------------------------------------------

_CP_CITY = (("community_policing", 1.0),)
_WITNESS = "reporting_rate_undocumented_witnesses"


_register(Question(
    "06.1", "number", lambda: _median(_WITNESS, "STRICT"), abs_tol=0.005,
    hint="Read the median of reporting_rate_undocumented_witnesses for STRICT in the default city "
         "(a share between 0 and 1, not a percent).",
    takeaway="This is the model's chance that a witness like Juan comes forward, not a measurement."))
_register(Question(
    "06.2", "number", lambda: _median(_WITNESS, "STRICT", city=_CP_CITY), abs_tol=0.005,
    hint="Make the city with model.make_city(community_policing=1.0), simulate again and read the same median.",
    takeaway="Compare with 06.1; the size of the community-policing effect is an ILLUSTRATIVE assumption."))
_register(Question(
    "06.3", "choice",
    lambda: "yes" if _median(_WITNESS, "TFM", city=_CP_CITY) > _median(_WITNESS, "STRICT") else "no",
    choices=("yes", "no"),
    hint="Compare TFM with full community policing against STRICT with none, on the same outcome.",
    takeaway="Community policing and cooperation policy are separate levers; the model lets you weigh one "
             "against the other, under its assumptions."))

_register(Question(
    "06.4", "number",
    lambda: _median(_WITNESS, "STRICT", _scenario("limits case")) - _median(_WITNESS, "TFM", _scenario("limits case")),
    abs_tol=0.005,
    hint="Simulate with overrides=balance.scenario_overrides('limits case') and subtract TFM's median "
         "reporting_rate_undocumented_witnesses from STRICT's (a difference of shares, not of percents).",
    takeaway="Compare with the same gap in the central case: how large the effect in Juan's story is, is "
             "exactly what the two sides' evidence disputes."))


# --- 07 stakeholders and trade-offs ------------------------------------------------------------------------

_OPTIONS = ("TFM", "JEM", "WSO", "FULL", "COND", "NOTIFY", "STRICT")


@lru_cache(maxsize=32)
def _top_option(profile: str, regime: str, method: str = "weighted_sum", scale: str = "swing",
                overrides: tuple = (), city: tuple = ()) -> str:
    from helpers import decision

    perf = decision.performance(_results(overrides, city), regime, scale=scale)
    scores = decision.draw_scores(perf, profile, method=method).mean()
    return str(decision.ranking(scores)["option"].iloc[0])


def _largest_weight_loss(profile: str, scale: str = "global") -> list[str]:
    """The criterion whose effective weight (nominal weight times the share of the value scale that
    separates the options' means, renormalised) falls furthest below its nominal weight on ``scale``."""
    from helpers import decision

    perf = decision.performance(_results(), "neutral", scale=scale)
    values = decision.value_table(perf)
    spread = (values.max() - values.min()).clip(lower=0.0)
    nominal = decision.profile_weights(profile).reindex(values.columns)
    effective = nominal * spread / float((nominal * spread).sum())
    return [str((nominal - effective).idxmax())]


_register(Question(
    "07.1", "choice", lambda: _top_option("police_chief", "neutral"), choices=_OPTIONS,
    hint="decision.performance(results, 'neutral'), then draw_scores(perf, 'police_chief').mean() and "
         "decision.ranking(...): which option is first?",
    takeaway="A ranking follows from the weights as much as from the model; look at how close the second "
             "option is."))
_register(Question(
    "07.2", "choice", lambda: _top_option("local_control_sheriff", "neutral"), choices=_OPTIONS,
    hint="Same steps with the profile 'local_control_sheriff' (its home regime is also 'neutral').",
    takeaway="Compare with 07.1: the two profiles read the same model results; where their first choices "
             "differ, the weights, not the facts, make the difference."))
_register(Question(
    "07.3", "choice", lambda: _top_option("police_chief", "requires_cooperation"), choices=_OPTIONS,
    hint="Move the police chief's city to the 'requires_cooperation' regime: performance() drops the options "
         "the law rules out.",
    takeaway="Law narrows the menu before any weighing starts: an option the state forbids is never ranked."))
_register(Question(
    "07.4", "choice", lambda: _top_option("police_chief", "neutral", scale="global"), choices=_OPTIONS,
    hint="Build the performance again with scale='global' (decision.performance(results, 'neutral', "
         "scale='global')) and rank the police chief's mean scores.",
    takeaway="The value scale is a design choice, not a fact; the collection uses the swing scale by default "
             "and keeps the global one as a sensitivity check."))
_register(Question(
    "07.5", "set", lambda: _largest_weight_loss("police_chief"), normalise=_lower,
    hint="For each criterion, effective weight = nominal weight x (max - min of the column in "
         "decision.value_table(perf_global)), renormalised to sum to 1. Which criterion loses the most "
         "weight against decision.profile_weights('police_chief')? Give its id in a list.",
    takeaway="On the global scale an uncertainty every option shares (the city's crime level, say) fills "
             "the scale, so differences between options shrink to a sliver and a weight no longer means "
             "what the stakeholder said about the swing between the options."))


# --- 08 what would change the answer -----------------------------------------------------------------------

@lru_cache(maxsize=4)
def _top_parameter(outcome: str, option: str, reference: str) -> str:
    from helpers import model

    params = model.draw_parameters(DRAWS, SEED)
    imp = model.parameter_importance(params, _results(), outcome, option, reference, top=None)
    return str(imp["parameter"].iloc[0])


_register(Question(
    "08.1", "set", lambda: [_top_parameter("unreported_crimes", "TFM", "STRICT")], normalise=_lower,
    hint="model.parameter_importance(params, results, 'unreported_crimes', 'TFM', 'STRICT'): take the first "
         "row's parameter (draw params with the same draws and seed).",
    takeaway="The assumption that moves the result most is where better local data would help most."))
_register(Question(
    "08.2", "number",
    lambda: _gap("unreported_crimes", "TFM", "STRICT",
                 ((_top_parameter("unreported_crimes", "TFM", "STRICT"), 0.0),)),
    rel_tol=0.02, abs_tol=0.5,
    hint="Fix that parameter at 0 with overrides={name: 0} and recompute the TFM minus STRICT gap in median "
         "unreported crimes.",
    takeaway="If one assumption carries the result, the honest summary says so."))

_register(Question(
    "08.3", "choice", lambda: _top_option("police_chief", "neutral", overrides=_scenario("limits case")),
    choices=_OPTIONS,
    hint="Simulate with overrides=balance.scenario_overrides('limits case'), build decision.performance(..., "
         "'neutral') and rank the police chief's mean scores.",
    takeaway="The limits case puts every parameter that favours a side at the limits side's end of its "
             "defensible range."))
_register(Question(
    "08.4", "choice", lambda: _top_option("police_chief", "neutral", overrides=_scenario("cooperation case")),
    choices=_OPTIONS,
    hint="Same steps with balance.scenario_overrides('cooperation case').",
    takeaway="Same weights, different readings of the evidence: where 08.3 and 08.4 differ, the disagreement "
             "is about facts, and better evidence, not argument about values, would settle it."))


# --- 09 your municipality ----------------------------------------------------------------------------------

_MY_CITY = (("population", 120_000), ("foreign_born_share", 0.25), ("undocumented_share", 0.06),
            ("community_share", 0.15))


_register(Question(
    "09.1", "number", lambda: _median("unreported_crimes", "FULL", city=_MY_CITY), rel_tol=0.01, abs_tol=0.5,
    hint="Build the city with model.make_city(population=120000, foreign_born_share=0.25, "
         "undocumented_share=0.06, community_share=0.15), simulate and read FULL's median unreported_crimes.",
    takeaway="Local facts change the scale of every outcome; use your own city's figures."))
_register(Question(
    "09.2", "number",
    lambda: _median("unreported_crimes", "FULL", city=_MY_CITY) - _median("unreported_crimes", "STRICT",
                                                                          city=_MY_CITY),
    rel_tol=0.02, abs_tol=0.5,
    hint="For the same city, subtract STRICT's median unreported_crimes from FULL's.",
    takeaway="Compare with the gap for the default city: local facts change the size of every outcome."))



def _cheapest(city: tuple = ()) -> str:
    s = _summary((), city)
    cost = s[s["outcome"] == "net_cost_usd"].set_index("option")["median"]
    return str(cost.idxmin())


_register(Question(
    "09.3", "choice", lambda: _cheapest(_MY_CITY), choices=_OPTIONS,
    hint="For the same city, read the median net_cost_usd (fiscal exposure: staff, jail and liability costs "
         "less reimbursement and awards, plus expected grant loss and litigation) and take the smallest.",
    takeaway="Fiscal exposure counts costs both ways: cooperative options pay staff and jail time (largely "
             "reimbursed under 287(g)), options that limit cooperation carry expected grant loss and "
             "litigation; several of those inputs are ILLUSTRATIVE judgements."))
_register(Question(
    "09.4", "choice", lambda: _top_option("budget_office", "neutral", city=_MY_CITY), choices=_OPTIONS,
    hint="decision.performance(results_for_your_city, 'neutral'), then rank the mean draw_scores of the "
         "profile 'budget_office'.",
    takeaway="A profile's first choice is computed from the city's own results as well as its weights; "
             "compare it with the default city's and rerun it for your own city."))


def questions(prefix: str = "") -> list[str]:
    """Ids of the registered questions (optionally those starting with ``prefix``, e.g. "05")."""
    return sorted(q for q in QUESTIONS if q.startswith(prefix))
