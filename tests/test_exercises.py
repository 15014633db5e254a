"""Self-checks of the exercise notebooks: each accepts the right answer and answers a wrong or unfinished
attempt with a hint that does not give the answer away; the right answers agree with independent
computations; every analysis notebook 03-09 has an exercise notebook and an answer key that use them."""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import exercises, legal, model, paths
from helpers.errors import InputError
from helpers.evidence import DESIGN_CLASSES
from helpers.options import OPTION_CODES

QIDS = exercises.questions()
EXERCISES = paths.NOTEBOOKS / "exercises"
SOLUTIONS = EXERCISES / "solutions"


def _wrong_attempts(q: exercises.Question, right):
    """Plausible wrong answers of the right type."""
    if q.kind == "number":
        r = float(right)
        return [r + abs(r) * 0.5 + 10, r - abs(r) * 0.5 - 10]
    if q.kind == "choice":
        return [c for c in q.choices if c.lower() != str(right).lower()][:2]
    if q.normalise is exercises._upper:
        pool = list(OPTION_CODES)
    else:
        pool = list(legal.load_levers().index) + list(model.parameter_names())
    want = {q.normalise(x) for x in right}
    outsider = next(u for u in pool if q.normalise(u) not in want)
    attempts = [list(right)[:-1] + [outsider]]
    if len(want) > 1:
        attempts.append(list(right)[:-1])
    return attempts


def test_there_is_a_question_for_every_analysis_notebook():
    assert {q.split(".")[0] for q in QIDS} == {f"{n:02d}" for n in range(3, 10)}


@pytest.mark.parametrize("qid", QIDS)
def test_the_right_answer_is_accepted(qid):
    ok, message = exercises.feedback(qid, exercises.expected(qid))
    assert ok and message.startswith(f"[{qid}] Correct.")


@pytest.mark.parametrize("qid", QIDS)
def test_a_wrong_answer_gets_a_hint_not_the_answer(qid, capsys):
    q = exercises.QUESTIONS[qid]
    right = exercises.expected(qid)
    for attempt in _wrong_attempts(q, right):
        ok, message = exercises.feedback(qid, attempt)
        assert not ok, (qid, attempt)
        assert message.startswith(f"[{qid}] Not yet") and q.hint in message
        if q.kind == "number":
            assert f"{float(right):.1f}" not in message and f"{float(right):.3f}" not in message
        else:
            items = [right] if isinstance(right, str) else list(right)
            for item in items:
                if item not in (attempt if isinstance(attempt, list) else [attempt]):
                    assert not re.search(rf"\b{re.escape(str(item))}\b", message, re.I), (qid, item, message)
        assert exercises.check(qid, attempt) is None  # check prints, never raises
        assert capsys.readouterr().out.strip() == message


@pytest.mark.parametrize("qid", QIDS)
@pytest.mark.parametrize("placeholder", [..., None, "", "   ", []])
def test_an_unfinished_attempt_gets_a_hint(qid, placeholder):
    ok, message = exercises.feedback(qid, placeholder)
    assert not ok
    assert "Not answered yet" in message and exercises.QUESTIONS[qid].hint in message


def test_wrong_types_get_a_hint_instead_of_an_error():
    ok, message = exercises.feedback("05.1", "about seventy")
    assert not ok and "should be a number" in message
    ok, message = exercises.feedback("05.1", float("nan"))
    assert not ok and "finite" in message
    ok, message = exercises.feedback("05.6", "maybe")
    assert not ok and "'with_conviction', 'never_convicted'" in message
    ok, message = exercises.feedback("03.1", 7)
    assert not ok and "give a list" in message
    ok, message = exercises.feedback("05.1", 10 ** 400)  # too large for a float
    assert not ok and "finite" in message


ODD_ANSWERS = [None, "", "abc", "12", float("nan"), float("inf"), -1, 10 ** 400, [], ["x"], {"a": 1}, ("TFM",),
               {"TFM"}, True, np.float64(3.0), np.array([1, 2]), b"x", 3 + 4j, "tfm"]


@pytest.mark.parametrize("qid", sorted(exercises.QUESTIONS))
def test_no_answer_of_any_type_raises(qid):
    for answer in ODD_ANSWERS:
        ok, message = exercises.feedback(qid, answer)
        assert isinstance(ok, bool) and message.startswith(f"[{qid}]"), (answer, message)


def test_sets_ignore_order_and_case():
    right = exercises.expected("03.1")
    assert exercises.feedback("03.1", [c.lower() for c in reversed(right)])[0]
    ok, message = exercises.feedback("03.1", list(right) + list(right))
    assert ok, message  # repeats do not matter


def test_an_unknown_question_is_an_input_error():
    with pytest.raises(InputError) as err:
        exercises.check("99.9", 1)
    assert err.value.field == "question" and "05.1" in err.value.allowed


@settings(max_examples=60, deadline=None)
@given(target=st.floats(-1e6, 1e6, allow_nan=False), attempt=st.floats(-1e7, 1e7, allow_nan=False))
def test_number_feedback_says_which_way_to_move(target, attempt):
    q = exercises.Question("T.1", "number", lambda: target, hint="Look again.", rel_tol=0.01, abs_tol=0.5)
    exercises.QUESTIONS["T.1"] = q
    try:
        ok, message = exercises.feedback("T.1", attempt)
    finally:
        del exercises.QUESTIONS["T.1"]
    close = abs(attempt - target) <= max(0.01 * max(abs(attempt), abs(target)), 0.5)
    assert ok == close
    if not ok:
        if attempt * target < 0:
            assert "wrong sign" in message
        else:
            assert ("too high" in message) == (attempt > target)


# --- the right answers agree with independent computations ------------------------------------------------

def test_legal_answers_match_a_lever_by_lever_reading():
    for qid, regime in (("03.1", "requires_cooperation"), ("03.2", "limits_cooperation")):
        independent = [c for c in OPTION_CODES
                       if not (legal.assess(c, regime).lever_status["outcome"] == "violates").any()]
        assert exercises.expected(qid) == independent
    status = legal.assess("FULL", "limits_cooperation").lever_status
    assert set(exercises.expected("03.3")) == set(status.loc[status["outcome"] == "violates", "lever_id"])


def test_evidence_counts_match_the_raw_table():
    raw = pd.read_csv(paths.DATA / "evidence_studies.csv", dtype=str)
    strength = raw["design_class"].map(lambda d: DESIGN_CLASSES[d]["strength"])
    crime = (raw["outcome_class"] == "crime") & (strength == 3)
    limits = raw["policy_class"] == "less_cooperation"
    nde = raw["direction"] == "no_detectable_effect"
    assert exercises.expected("04.1") == int((crime & nde).sum())
    assert exercises.expected("04.2") == int((crime & limits).sum())
    assert exercises.expected("04.3") == int((crime & limits & nde).sum())
    assert exercises.expected("04.5") == int((crime & ~limits & nde).sum())
    restricted = raw.loc[crime & limits, "direction"].value_counts()
    assert exercises.expected("04.4") == restricted.idxmax() and (restricted == restricted.max()).sum() == 1


def test_the_evidence_exercise_never_pools_policies_to_judge_limits_on_cooperation():
    """Every count the evidence exercise uses about limiting cooperation is restricted to that policy class and one
    design strength; the pooled count appears only as the thing to take apart (question 5)."""
    restricted = exercises._crime(exercises.CLAIM_POLICY)
    assert set(restricted["policy_class"]) == {exercises.CLAIM_POLICY}
    assert set(restricted["design_strength"]) == {exercises.STRONG}
    pooled = exercises._crime()
    assert len(set(pooled["policy_class"])) > 1  # the pooled set does mix policies, which is the point


def test_model_answers_match_medians_of_the_raw_draws():
    results = model.simulate(exercises.DRAWS, exercises.SEED)
    unreported = model.wide(results, "unreported_crimes")
    gap = np.median(unreported["TFM"]) - np.median(unreported["STRICT"])
    assert exercises.expected("05.1") == pytest.approx(gap, rel=1e-9)
    city = model.make_city(population=120_000, foreign_born_share=0.25, undocumented_share=0.06,
                           community_share=0.15)
    mine = model.wide(model.simulate(exercises.DRAWS, exercises.SEED, city=city), "unreported_crimes")
    assert exercises.expected("09.1") == pytest.approx(np.median(mine["FULL"]), rel=1e-9)
    assert exercises.expected("09.2") == pytest.approx(np.median(mine["FULL"]) - np.median(mine["STRICT"]),
                                                       rel=1e-9)


# --- the notebooks use the self-checks -----------------------------------------------------------------------

def _checks_in(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    calls, printed = [], []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        calls += re.findall(r'exercises\.check\("([0-9]{2}\.[0-9]+)"', "".join(cell.source))
        printed += ["".join(o.get("text", "")) for o in cell.get("outputs", []) if o.get("output_type") == "stream"]
    return calls, "\n".join(printed)


@pytest.mark.parametrize("number", [f"{n:02d}" for n in range(3, 10)])
def test_each_analysis_notebook_has_exercises_and_an_answer_key(number):
    ex = sorted(EXERCISES.glob(f"{number}-*-exercises.ipynb"))
    sol = sorted(SOLUTIONS.glob(f"{number}-*-solutions.ipynb"))
    assert ex and sol, f"missing exercise or answer key for notebook {number}"
    ex_calls, ex_out = _checks_in(ex[0])
    sol_calls, sol_out = _checks_in(sol[0])
    wanted = exercises.questions(number + ".")
    assert sorted(ex_calls) == sorted(sol_calls) == wanted
    for qid in wanted:
        assert f"[{qid}] Correct." in sol_out, f"{sol[0].name}: the stored answer to {qid} is not accepted"
        assert f"[{qid}] Not answered yet" in ex_out, f"{ex[0].name}: {qid} does not start as a placeholder"


# --- design-choice tasks change the result they claim to change ----------------------------------------------

def _differs(a, b):
    return a != b


DESIGN_CHOICES = {
    # notebook: (what the task changes, the result before, the result after, how they must differ)
    "03": ("a state read lever by lever instead of by its regime type (New York)",
           lambda: len(exercises.expected("03.3")), lambda: exercises.expected("03.5"), lambda a, b: b < a),
    "03 menu": ("New York's own menu against its regime type's",
                lambda: sorted(legal.feasible_options("limits_cooperation")),
                lambda: sorted(set(legal.feasible_options("limits_cooperation")) | set(exercises.expected("03.4"))),
                _differs),
    "04": ("evidence restricted to one policy class and one design strength",
           lambda: exercises._most_common(exercises._crime()), lambda: exercises.expected("04.4"), _differs),
    "04 count": ("the pooled against the restricted 'no detectable effect' count",
                 lambda: exercises.expected("04.1"), lambda: exercises.expected("04.3"), lambda a, b: b < a / 2),
    "05 gap": ("the chilling effect calibrated to Jacome (2022) alone",
               lambda: exercises.expected("05.1"), lambda: exercises.expected("05.2"), lambda a, b: b < a / 2),
    "05 safety": ("one calibration study against the other",
                  lambda: exercises.expected("05.3"), lambda: exercises.expected("05.4"), _differs),
    "06": ("chill_witness calibrated to Wong et al. (2019)",
           lambda: exercises.expected("06.3"), lambda: exercises.expected("06.4"), lambda a, b: a > 50 > b),
    "07": ("the global instead of the swing value scale",
           lambda: exercises.expected("07.1"), lambda: exercises.expected("07.4"), _differs),
    "08 maximin": ("maximin instead of the mean score",
                   lambda: exercises.expected("07.1"), lambda: exercises.expected("08.2"), _differs),
    "08 regret": ("minimax regret instead of maximin",
                  lambda: exercises.expected("08.2"), lambda: exercises.expected("08.3"), _differs),
    "09": ("the city moved to Delaware",
           lambda: exercises.expected("09.4"), lambda: exercises.expected("09.5"), _differs),
}


@pytest.mark.parametrize("key", sorted(DESIGN_CHOICES))
def test_each_design_choice_changes_the_result_it_claims_to_change(key):
    what, before, after, differs = DESIGN_CHOICES[key]
    a, b = before(), after()
    assert differs(a, b), f"{key}: {what} leaves the result at {a!r} -> {b!r}"


def test_the_design_choice_answers_follow_from_the_computed_values():
    """The key's answers to the design-choice tasks, recomputed here by other routes."""
    from helpers import decision, robustness, states

    assert exercises.expected("03.4") == [o for o in states.feasible_options("NY")
                                          if o not in legal.feasible_options("limits_cooperation")]
    results = model.simulate(exercises.DRAWS, exercises.SEED)
    perf = decision.performance(results, "neutral")
    p = decision.payoff(perf, "police_chief")
    assert exercises.expected("08.2") == robustness.worst_case(p).idxmax()
    assert exercises.expected("08.3") == robustness.max_regret(p).idxmin()
    jac = model.wide(model.simulate(exercises.DRAWS, exercises.SEED, overrides=dict(exercises.JACOME)),
                     "victimizations")
    assert exercises.expected("05.3") == jac.median().idxmin()
    assert exercises.expected("09.5") in states.feasible_options("DE")
    assert exercises.expected("09.4") not in states.feasible_options("DE")


# --- every exercise notebook makes students reason, and the key grades it --------------------------------------

def _markdown(nb_path):
    return [c.source for c in nbformat.read(nb_path, as_version=4).cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("number", [f"{n:02d}" for n in range(3, 10)])
def test_each_exercise_has_a_design_choice_and_a_rubric_graded_question(number):
    ex = sorted(EXERCISES.glob(f"{number}-*-exercises.ipynb"))[0]
    sol = sorted(SOLUTIONS.glob(f"{number}-*-solutions.ipynb"))[0]
    ex_md, sol_md = _markdown(ex), _markdown(sol)
    assert any(m.startswith("## ") and "Design choice" in m.splitlines()[0] for m in ex_md), ex.name
    interprets = [m for m in ex_md if m.startswith("## Interpret")]
    assert interprets, ex.name
    rubrics = [m for m in sol_md if "**Rubric.**" in m]
    assert len(rubrics) == len(interprets) == len([m for m in sol_md if m.startswith("## Interpret")]), sol.name
    for r in rubrics:
        for level in ("**Strong:**", "**Adequate:**", "**Weak:**"):
            assert level in r, (sol.name, level)
    assert not any("**Rubric.**" in m or "**Model answer.**" in m for m in ex_md), ex.name


def _setup_output(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    text = []
    for o in first.get("outputs", []):
        text.append("".join(o.get("text", "")))
        text.append("".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(text)


@pytest.mark.parametrize("number", [f"{n:02d}" for n in range(3, 10)])
def test_no_answer_is_printed_by_an_exercise_setup_cell(number):
    ex = sorted(EXERCISES.glob(f"{number}-*-exercises.ipynb"))[0]
    shown = _setup_output(ex)
    for qid in exercises.questions(number + "."):
        q, right = exercises.QUESTIONS[qid], exercises.expected(qid)
        if q.kind == "number":
            value = float(right)
            if abs(value) >= 10 or value != int(value):  # small counts appear in any table
                assert (f"{value:.1f}" if abs(value) >= 1 else f"{value:.3f}") not in shown, qid
        elif q.kind == "set" and q.normalise is exercises._upper:  # a menu of options is the answer itself
            assert not all(re.search(rf"\b{re.escape(str(x))}\b", shown) for x in right), qid
        elif right in OPTION_CODES:
            assert not re.search(rf"\b{right}\b", shown), qid


@pytest.mark.parametrize("number", [f"{n:02d}" for n in range(3, 10)])
def test_no_stored_key_answer_is_rejected(number):
    """No self-check in an answer key replies with a hint."""
    sol = sorted(SOLUTIONS.glob(f"{number}-*-solutions.ipynb"))[0]
    _, out = _checks_in(sol)
    assert "Not yet" not in out and "Not answered yet" not in out, sol.name
