"""The teaching guide can be run as written: every session has pre-reading in minutes and a timing table that
adds up to exactly 75 minutes; the expected answers in the instructor notes are the answer keys' answers; the
role-play's groups can each win on their own values with the option the guide says they defend."""

from __future__ import annotations

import re

import pytest

from helpers import decision, exercises, model, paths

GUIDE = paths.ROOT / "docs" / "teaching-guide.md"
TEXT = GUIDE.read_text(encoding="utf-8")
SESSION_MINUTES = 75


def _sections(level: str = "## ") -> dict[str, str]:
    parts = re.split(rf"^(?={level})", TEXT, flags=re.M)
    return {p.splitlines()[0]: p for p in parts if p.startswith(level)}


SESSIONS = {h: body for h, body in _sections().items() if h.startswith("## Session ")}


def _timing_rows(body: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r"^\|\s*(\d+)-(\d+)\s*\|", body, flags=re.M)]


def test_there_are_three_sessions():
    assert len(SESSIONS) == 3


@pytest.mark.parametrize("heading", sorted(SESSIONS))
def test_each_session_adds_up_to_75_minutes(heading):
    rows = _timing_rows(SESSIONS[heading])
    assert rows, f"{heading}: no timing table"
    assert rows[0][0] == 0, heading
    for (a0, b0), (a1, _) in zip(rows, rows[1:]):
        assert b0 == a1, f"{heading}: a gap or an overlap at minute {b0}"
    assert all(b > a for a, b in rows), heading
    assert sum(b - a for a, b in rows) == SESSION_MINUTES == rows[-1][1], heading


@pytest.mark.parametrize("heading", sorted(SESSIONS))
def test_each_session_sets_pre_reading_with_minutes(heading):
    match = re.search(r"\*\*Pre-reading \(about (\d+) minutes\)\.\*\*(.*?)\n\n", SESSIONS[heading], flags=re.S)
    assert match, f"{heading}: no pre-reading"
    items = [int(m) for m in re.findall(r"\((\d+) min\)", match.group(2))]
    assert items, f"{heading}: pre-reading items carry no minutes"
    assert abs(sum(items) - int(match.group(1))) <= 5, (heading, items, match.group(1))


def test_who_sets_each_lever_points_to_notebook_02():
    for line in TEXT.splitlines():
        if re.search(r"who (can )?sets? each lever", line, flags=re.I):
            assert "02" in line and "Notebook 03: who sets" not in line, line


def _expected_rows() -> dict[str, str]:
    return dict(re.findall(r"^\|\s*(\d{2}\.\d+)\s*\|\s*`([^`]*)`\s*\|", TEXT, flags=re.M))


def test_the_instructor_notes_cover_every_self_checked_question():
    assert sorted(_expected_rows()) == exercises.questions()


@pytest.mark.parametrize("qid", exercises.questions())
def test_each_expected_answer_in_the_guide_is_the_answer_keys(qid):
    shown = _expected_rows()[qid]
    right = exercises.expected(qid)
    q = exercises.QUESTIONS[qid]
    if q.kind == "number":
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        assert float(shown) == pytest.approx(float(right), abs=0.5 * 10 ** -decimals), (qid, shown, right)
        assert exercises.feedback(qid, float(shown))[0], (qid, shown)
    elif q.kind == "set":
        assert sorted(re.findall(r"'([^']+)'", shown)) == sorted(right), (qid, shown, right)
    else:
        assert shown == right, (qid, shown, right)


# --- the role-play: each group can defend its option on its own values ---------------------------------------

ROLES = {"Police chief": "police_chief", "Immigrant-rights coalition": "immigrant_rights",
         "Sheriff in a mandate state": "mandate_sheriff", "City attorney": "city_attorney",
         "Budget office": "budget_office", "Supporter of full cooperation": "full_cooperation",
         "Sheriff who keeps local control": "local_control_sheriff"}
SEED = 20261129


def _defended() -> dict[str, tuple[str, int]]:
    body = _sections()["## Structured role-play: a council hearing on the city's cooperation policy"]
    table = body.split("| Role | Options it can defend")[1]
    out = {}
    for role, pid in ROLES.items():
        row = re.search(rf"^\| {re.escape(role)} \| (.*?) \|", table, flags=re.M)
        assert row, role
        first = re.search(r"\b([A-Z]{3,6}) (\d+(?:\.\d+)?)%", row.group(1))
        out[pid] = (first.group(1), float(first.group(2)))
    return out


@pytest.fixture(scope="module")
def acceptability():
    return decision.profile_acceptability(model.simulate(1000, SEED), SEED)


def test_the_role_table_names_every_profile():
    assert set(_defended()) == set(decision.load_profiles().index)


@pytest.mark.parametrize("pid", sorted(ROLES.values()))
def test_each_group_puts_its_defended_option_first_under_its_home_regime(pid, acceptability):
    option, percent = _defended()[pid]
    mine = acceptability[acceptability["profile"] == pid].set_index("option")["first"]
    home = decision.load_profiles().loc[pid, "home_regime"]
    assert option in mine.index, f"{pid}: {option} is not lawful under {home}"
    assert mine.idxmax() == option, f"{pid}: its own weights put {mine.idxmax()} first, not {option}"
    assert 100 * mine[option] == pytest.approx(percent, abs=0.5), (pid, option, mine[option])


def test_the_debrief_asks_which_disagreements_were_about_facts_and_which_about_values():
    assert re.search(r"which were about facts and which about values", TEXT)


def test_the_rubric_is_tied_to_the_exercise_rubrics():
    tie = TEXT.split("**Tied to the exercise rubrics.**")[1].split("## ")[0]
    for row in ("Options and law", "Use of evidence", "Model and uncertainty", "Trade-offs and balance",
                "Communication"):
        assert re.search(rf"^\| {row} \| .*\d{{2}} Interpret", tie, flags=re.M), row
    for number in range(3, 10):
        assert f"{number:02d} Interpret" in tie, number
