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

import copy
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from helpers.errors import InputError

#: Monte Carlo size and seed used by every model exercise (small, so each notebook runs in seconds).
DRAWS = 1000
SEED = 2026
_OPTIONS = ("TFM", "JEM", "WSO", "FULL", "COND", "NOTIFY", "STRICT")


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
    return copy.deepcopy(_expected(_question(qid).qid))  # a copy: the caller may change it


def _expected(qid: str) -> object:
    """The right answer, computed once per session: a student checking several attempts waits once."""
    return _value(QUESTIONS[qid].expected)


@lru_cache(maxsize=128)
def _value(compute: Callable[[], object]) -> object:
    return compute()


def feedback(qid: str, answer: object) -> tuple[bool, str]:
    """Whether ``answer`` is right, and the message :func:`check` prints."""
    q = _question(qid)
    if is_placeholder(answer):
        return False, (f"[{qid}] Not answered yet: replace the ... with your answer and run the cell again. "
                       f"Hint: {q.hint}")
    right = _expected(q.qid)
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
def _state_feasible(state: str) -> list[str]:
    from helpers import states

    return states.feasible_options(state)


def _lever_by_lever_only(state: str) -> list[str]:
    """Options the state's own law leaves open that its regime type alone would rule out."""
    from helpers import states

    regime = str(states.lookup(state)["regime"])
    closed = set(_feasible(regime))
    return [o for o in _state_feasible(state) if o not in closed]


def _state_blocking(option: str, state: str) -> list[str]:
    from helpers import states

    return states.assess(option, state).blocking_levers


_register(Question(
    "03.4", "set", lambda: _lever_by_lever_only("NY"), normalise=_upper,
    hint="Compare states.feasible_options('NY') (New York's own law, lever by lever) with "
         "legal.feasible_options('limits_cooperation') (its regime type): which codes are in the first list "
         "and not in the second?",
    takeaway="A regime type is a summary; a state's own law can open an option the type would close, so a "
             "brief should name the state, not only its type."))
_register(Question(
    "03.5", "number", lambda: len(_state_blocking("FULL", "NY")), abs_tol=0,
    hint="Call states.assess('FULL', 'NY') and count its blocking_levers; compare with question 3.",
    takeaway="Where few levers block an option, a city can repair it lever by lever; where many do, it "
             "cannot."))


# --- 04 what the evidence says --------------------------------------------------------------------------

#: The policy class and design strength the evidence exercise restricts itself to: findings about local
#: limits on cooperation, from designs with a comparison group (strength 3).
CLAIM_POLICY = "less_cooperation"
STRONG = 3


def _crime(policy_class: str | None = None, strength: int = STRONG) -> object:
    from helpers import evidence

    e = evidence.load_evidence()
    sel = e[(e["outcome_class"] == "crime") & (e["design_strength"] == strength)]
    if policy_class is not None:
        sel = sel[sel["policy_class"] == policy_class]
    return sel


def _count(sel, direction: str | None = None) -> int:
    return int(len(sel) if direction is None else (sel["direction"] == direction).sum())


def _most_common(sel) -> str:
    counts = sel["direction"].value_counts()
    top = counts[counts == counts.max()].index
    return str(sorted(top)[0]) if len(top) else "none"


_register(Question(
    "04.1", "number", lambda: _count(_crime(), "no_detectable_effect"), abs_tol=0,
    hint="Keep rows of evidence.load_evidence() whose outcome_class is 'crime' and design_strength is 3, "
         "whatever the policy, then count direction == 'no_detectable_effect'.",
    takeaway="This is the pooled count a quick reading would quote; the next questions ask which policy "
             "each of these findings is about."))
_register(Question(
    "04.2", "number", lambda: _count(_crime(CLAIM_POLICY)), abs_tol=0,
    hint="From the same rows, keep only policy_class == 'less_cooperation' (local limits on cooperation) "
         "and count the rows that remain.",
    takeaway="Restricting to the policy the claim is about leaves a much smaller body of evidence."))
_register(Question(
    "04.3", "number", lambda: _count(_crime(CLAIM_POLICY), "no_detectable_effect"), abs_tol=0,
    hint="Among the crime findings about policy_class 'less_cooperation' with design_strength 3, count "
         "direction == 'no_detectable_effect'.",
    takeaway="Compare with question 1: most of the pooled 'no detectable effect' findings are about other "
             "policies."))
_register(Question(
    "04.4", "choice", lambda: _most_common(_crime(CLAIM_POLICY)),
    choices=("increases", "decreases", "no_detectable_effect", "mixed"),
    hint="Use value_counts() on the direction column of the restricted rows (policy_class "
         "'less_cooperation', design_strength 3): which direction occurs most often?",
    takeaway="The answer depends on which evidence you let in: say the policy class and the design "
             "strength whenever you summarise findings."))
_register(Question(
    "04.5", "number",
    lambda: _count(_crime(), "no_detectable_effect") - _count(_crime(CLAIM_POLICY), "no_detectable_effect"),
    abs_tol=0,
    hint="Of the pooled 'no detectable effect' crime findings from question 1, how many have a policy_class "
         "other than 'less_cooperation'? Group them by policy_class to see which policies they study.",
    takeaway="Secure Communities, 287(g) and community-policing findings answer different questions from a "
             "claim about limiting cooperation; pooling them borrows their evidence for a claim they do not "
             "test."))


# --- 05 the trust-and-reporting model ---------------------------------------------------------------------

#: One-study calibrations of the chilling effect (both victims and witnesses, as the central range does):
#: Jacome (2022), crimes reported by Hispanic complainants rose about 4%; Martinez-Schuldt and Martinez
#: (2021), Latino victims about 12% more likely to report in sanctuary cities. Both are observed behaviour.
JACOME = (("chill_victim", 0.04), ("chill_witness", 0.04))
MARTINEZ_SCHULDT = (("chill_victim", 0.12), ("chill_witness", 0.12))


def _gap(outcome: str, a: str, b: str, overrides: tuple = ()) -> float:
    return _median(outcome, a, overrides) - _median(outcome, b, overrides)


def _fewest(outcome: str, overrides: tuple = (), city: tuple = ()) -> str:
    s = _summary(overrides, city)
    med = s[s["outcome"] == outcome].set_index("option")["median"]
    return str(med.idxmin())


_register(Question(
    "05.1", "number", lambda: _gap("unreported_crimes", "TFM", "STRICT"), rel_tol=0.01, abs_tol=0.5,
    hint=f"Simulate with draws={DRAWS}, seed={SEED}, summarize, and subtract the median unreported_crimes of "
         "STRICT from that of TFM.",
    takeaway="Keep this number: the next question asks how much of it rests on which study the chilling "
             "effect is calibrated to."))
_register(Question(
    "05.2", "number", lambda: _gap("unreported_crimes", "TFM", "STRICT", JACOME), rel_tol=0.005, abs_tol=0.1,
    hint="Repeat with overrides={'chill_victim': 0.04, 'chill_witness': 0.04} (the Jacome 2022 calibration) "
         "and take the same difference.",
    takeaway="The central range spans two observed-behaviour studies; calibrated to the smaller one alone, "
             "the gap shrinks by more than half."))
_register(Question(
    "05.3", "choice", lambda: _fewest("victimizations", JACOME), choices=_OPTIONS,
    hint="With the Jacome 2022 calibration, read the median victimizations of every option: which is the "
         "smallest?",
    takeaway="Victimizations combine channels that pull in opposite directions (crimes reported and "
             "cleared, removals of people with convictions); which one wins depends on the calibration."))
_register(Question(
    "05.4", "choice", lambda: _fewest("victimizations", MARTINEZ_SCHULDT), choices=_OPTIONS,
    hint="Recalibrate to Martinez-Schuldt and Martinez 2021 (overrides={'chill_victim': 0.12, "
         "'chill_witness': 0.12}) and read the smallest median victimizations again.",
    takeaway="Two observed-behaviour studies, two different options with the fewest victimizations: the "
             "differences between options on public safety are small next to the uncertainty."))


def _prevented_never_convicted_percent() -> float:
    """Median over the draws of the share (percent) of the removals prevented by refusing detainers, all
    else equal, that are of people never convicted (the composition Hausman 2020 publishes as counts)."""
    from helpers import model

    eff = model.detainer_refusal_effect(model.draw_parameters(DRAWS, SEED))
    return float(eff["prevented_never_convicted_share"].median() * 100.0)


_register(Question(
    "05.5", "number", _prevented_never_convicted_percent, abs_tol=0.5,
    hint=f"Draw the parameters with model.draw_parameters({DRAWS}, {SEED}). In each draw, the removals "
         "prevented in a category are its share of removable bookings times (1 - keep_<category>); the "
         "never-convicted share of bookings is 1 - share_serious - share_other. Divide the never-convicted "
         "part by the total, take the median over draws and give it in percent (0-100).",
    takeaway="Hausman's published counts give about 3,300 of about 22,300 prevented deportations (15%) as "
             "people never convicted; the model's composition can be checked against that count."))
_register(Question(
    "05.6", "choice",
    lambda: "never_convicted" if _prevented_never_convicted_percent() > 50.0 else "with_conviction",
    choices=("with_conviction", "never_convicted"),
    hint="Use your answer to question 5: is the never-convicted part more or less than half of all "
         "prevented removals?",
    takeaway="'Fell by about half' is a relative change within one group; it does not say which group most "
             "prevented removals belong to. A relative change and a composition answer different questions."))


# --- 06 Juan's story (a fictional witness) ----------------------------------------------------------------

_CP_CITY = (("community_policing", 1.0),)
_WITNESS = "reporting_rate_undocumented_witnesses"
#: chill_witness calibrated to one survey experiment alone: Wong et al. (2019), told that local police work
#: with ICE, respondents were 60.8% less likely to say they would report crimes they witness (stated).
WONG_WITNESS = (("chill_witness", 0.608),)


def _witness_gap(overrides: tuple = ()) -> float:
    return _median(_WITNESS, "STRICT", overrides) - _median(_WITNESS, "TFM", overrides)


def _cp_gain(overrides: tuple = ()) -> float:
    return _median(_WITNESS, "TFM", overrides, _CP_CITY) - _median(_WITNESS, "TFM", overrides)


def _cp_closes_percent(overrides: tuple = ()) -> float:
    return 100.0 * _cp_gain(overrides) / _witness_gap(overrides)


_register(Question(
    "06.1", "number", lambda: _witness_gap(), abs_tol=0.002,
    hint="In the default city, subtract TFM's median reporting_rate_undocumented_witnesses from STRICT's "
         "(a difference of shares between 0 and 1, not of percents).",
    takeaway="This is the model's gap in the chance that a witness like Juan comes forward, not a "
             "measurement."))
_register(Question(
    "06.2", "number", lambda: _cp_gain(), abs_tol=0.002,
    hint="Make the city with model.make_city(community_policing=1.0), simulate again, and subtract TFM's "
         "median in the default city from TFM's median in this city.",
    takeaway="The size of the community-policing effect is an ILLUSTRATIVE assumption."))
_register(Question(
    "06.3", "number", lambda: _cp_closes_percent(), abs_tol=1.0,
    hint="Divide your answer to question 2 by your answer to question 1 and give it in percent (0-100).",
    takeaway="Under the central calibration, community policing under TFM makes up most of the gap; the next "
             "question asks whether that survives a different calibration."))
_register(Question(
    "06.4", "number", lambda: _cp_closes_percent(WONG_WITNESS), abs_tol=1.0,
    hint="Repeat questions 1 to 3 with overrides={'chill_witness': 0.608} in both simulations (the "
         "Wong et al. 2019 calibration) and give the same percentage.",
    takeaway="Calibrated to a survey of stated intentions, the chilling gap is several times larger and "
             "community policing closes only a small part of it: the answer rests on which study you use."))


# --- 07 stakeholders and trade-offs ------------------------------------------------------------------------

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
@lru_cache(maxsize=8)
def _robust_choice(profile: str, metric: str) -> str:
    """The option a robustness metric of :mod:`helpers.robustness` picks for a profile (neutral regime)."""
    from helpers import decision

    perf = decision.performance(_results(), "neutral")
    _, choices = decision.robustness_table(perf, profile, metrics="all")
    return str(choices.set_index("metric").loc[metric, "choice"])


_register(Question(
    "08.2", "choice", lambda: _robust_choice("police_chief", "maximin"), choices=_OPTIONS,
    hint="p = decision.payoff(perf, 'police_chief') has one row per draw (future) and one column per option; "
         "robustness.worst_case(p) gives each option's worst future. Which option's worst future is highest?",
    takeaway="Maximin listens only to the worst future; the mean score listens to all of them equally."))
_register(Question(
    "08.3", "choice", lambda: _robust_choice("police_chief", "minimax regret"), choices=_OPTIONS,
    hint="robustness.max_regret(p) gives each option's largest shortfall against the best option in the same "
         "future. Which option's largest shortfall is smallest?",
    takeaway="The 'robust' choice changes with the metric: each metric assumes a different attitude to "
             "risk, and choosing one is a value judgement to state, not a technical detail."))
_register(Question(
    "08.4", "choice", lambda: _top_option("police_chief", "neutral", overrides=_scenario("limits case")),
    choices=_OPTIONS,
    hint="Simulate with overrides=balance.scenario_overrides('limits case'), build decision.performance(..., "
         "'neutral') and rank the police chief's mean scores.",
    takeaway="The limits case puts every parameter that favours a side at the limits side's end of its "
             "defensible range."))
_register(Question(
    "08.5", "choice", lambda: _top_option("police_chief", "neutral", overrides=_scenario("cooperation case")),
    choices=_OPTIONS,
    hint="Same steps with balance.scenario_overrides('cooperation case').",
    takeaway="Same weights, different readings of the evidence: where questions 4 and 5 differ, the disagreement "
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


@lru_cache(maxsize=8)
def _top_in_state(profile: str, state: str, city: tuple = ()) -> str:
    """A profile's first option (mean score) with the city moved to ``state``, under that state's own law."""
    from helpers import decision, states

    perf = decision.performance(_results((), city), str(states.lookup(state)["regime"]),
                                feasible=states.feasible_options(state), status=states.verdicts(state).to_dict())
    return str(decision.ranking(decision.draw_scores(perf, profile).mean())["option"].iloc[0])


_register(Question(
    "09.5", "choice", lambda: _top_in_state("budget_office", "DE", _MY_CITY), choices=_OPTIONS,
    hint="Build perf = decision.performance(city_results, states.lookup('DE')['regime'], "
         "feasible=states.feasible_options('DE'), status=states.verdicts('DE').to_dict()) and rank the "
         "budget office's mean scores again.",
    takeaway="Moving the city changes the menu before any weighing: Delaware's own law bars 287(g) "
             "agreements but, in the sources read, not holds or notices, so its menu differs from both the "
             "neutral one and the usual 'limits' one."))


def questions(prefix: str = "") -> list[str]:
    """Ids of the registered questions (optionally those starting with ``prefix``, e.g. "05")."""
    return sorted(q for q in QUESTIONS if q.startswith(prefix))
