import datetime as dt
import itertools

import pytest

from performance.domain.tasks import (
    TASK_ACTIONS,
    TASK_STATES,
    ForbiddenAction,
    InvalidTransition,
    allowed_actions,
    is_overdue,
    transition,
)

VALID = {
    ("assigned", "start"): "in_progress",
    ("in_progress", "submit"): "submitted",
    ("submitted", "approve"): "approved",
    ("submitted", "revise"): "revision_requested",
    ("revision_requested", "submit"): "submitted",
}
ROLE = {"start": "assignee", "submit": "assignee", "approve": "assigner", "revise": "assigner"}


def test_states_and_actions():
    assert TASK_STATES == ("assigned", "in_progress", "submitted", "revision_requested", "approved")
    assert TASK_ACTIONS == ("start", "submit", "approve", "revise")


def test_happy_path_with_one_revision():
    state = "assigned"
    for action in ["start", "submit", "revise", "submit", "approve"]:
        state = transition(state, action, ROLE[action])
    assert state == "approved"


@pytest.mark.parametrize(("current", "action"), sorted(VALID))
def test_valid_transitions(current, action):
    assert transition(current, action, ROLE[action]) == VALID[(current, action)]


@pytest.mark.parametrize(
    ("current", "action"),
    [pair for pair in itertools.product(TASK_STATES, TASK_ACTIONS) if pair not in VALID],
)
def test_every_other_transition_is_refused(current, action):
    with pytest.raises(InvalidTransition) as info:
        transition(current, action, ROLE[action])
    assert not isinstance(info.value, ForbiddenAction)


def test_submit_directly_from_assigned_is_refused():
    with pytest.raises(InvalidTransition):
        transition("assigned", "submit", "assignee")


@pytest.mark.parametrize(
    ("current", "action", "role"),
    [
        ("assigned", "start", "assigner"),
        ("in_progress", "submit", "assigner"),
        ("submitted", "approve", "assignee"),
        ("submitted", "revise", "assignee"),
        ("submitted", "approve", "admin"),
        ("submitted", "approve", None),
    ],
)
def test_wrong_role_is_forbidden(current, action, role):
    with pytest.raises(ForbiddenAction):
        transition(current, action, role)


def test_role_is_checked_before_state():
    with pytest.raises(ForbiddenAction):
        transition("approved", "start", "assigner")


@pytest.mark.parametrize(("current", "action"), [("assigned", "delete"), ("done", "start"), (None, "start")])
def test_unknown_action_or_state(current, action):
    with pytest.raises(InvalidTransition):
        transition(current, action, "assignee")


def test_allowed_actions():
    assert allowed_actions("assigned", "assignee") == ["start"]
    assert allowed_actions("assigned", "assigner") == []
    assert allowed_actions("submitted", "assigner") == ["approve", "revise"]
    assert allowed_actions("revision_requested", "assignee") == ["submit"]
    assert allowed_actions("approved", "assigner") == []


TODAY = dt.date(2024, 6, 15)


@pytest.mark.parametrize(
    ("due", "state", "expected"),
    [
        (dt.date(2024, 6, 14), "in_progress", True),
        (dt.date(2024, 6, 14), "assigned", True),
        (dt.date(2024, 6, 14), "submitted", True),
        (dt.date(2024, 6, 14), "revision_requested", True),
        (dt.date(2024, 6, 14), "approved", False),
        (dt.date(2024, 6, 15), "in_progress", False),
        (dt.date(2024, 6, 16), "assigned", False),
        (None, "assigned", False),
    ],
)
def test_is_overdue(due, state, expected):
    assert is_overdue(due, state, TODAY) is expected


def test_is_overdue_accepts_datetimes():
    assert is_overdue(dt.datetime(2024, 6, 14, 23, 59), "assigned", dt.datetime(2024, 6, 15, 0, 1)) is True
    assert is_overdue(dt.datetime(2024, 6, 15, 0, 0), "assigned", TODAY) is False
