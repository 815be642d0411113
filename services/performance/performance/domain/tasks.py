"""Task (penugasan) state machine.

::

    assigned --start--> in_progress --submit--> submitted --approve--> approved
                                                 submitted --revise--> revision_requested
                                                 revision_requested --submit--> submitted

The assignee starts and submits; the assigner role (the assignee's direct
supervisor *now*, who may not be the one who gave the task after a
re-organisation) approves or asks for revision. Submitting straight from
``assigned`` is not allowed: the product spec names ``in_progress`` as the
step in between, so a client (or the service) calls ``start`` first.
``approved`` is final.
"""

from __future__ import annotations

import datetime as _dt

from .skp import ForbiddenAction, InvalidTransition

__all__ = [
    "ASSIGNED",
    "IN_PROGRESS",
    "SUBMITTED",
    "REVISION_REQUESTED",
    "APPROVED",
    "TASK_STATES",
    "OPEN_STATES",
    "TASK_ACTIONS",
    "ASSIGNEE",
    "ASSIGNER",
    "InvalidTransition",
    "ForbiddenAction",
    "transition",
    "allowed_actions",
    "is_overdue",
]

ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
REVISION_REQUESTED = "revision_requested"
APPROVED = "approved"
TASK_STATES: tuple[str, ...] = (ASSIGNED, IN_PROGRESS, SUBMITTED, REVISION_REQUESTED, APPROVED)
OPEN_STATES: frozenset[str] = frozenset(TASK_STATES) - {APPROVED}

ASSIGNEE = "assignee"
ASSIGNER = "assigner"

# action -> (role allowed, {from state: to state})
_RULES: dict[str, tuple[str, dict[str, str]]] = {
    "start": (ASSIGNEE, {ASSIGNED: IN_PROGRESS}),
    "submit": (ASSIGNEE, {IN_PROGRESS: SUBMITTED, REVISION_REQUESTED: SUBMITTED}),
    "approve": (ASSIGNER, {SUBMITTED: APPROVED}),
    "revise": (ASSIGNER, {SUBMITTED: REVISION_REQUESTED}),
}
TASK_ACTIONS: tuple[str, ...] = tuple(_RULES)


def transition(current: str, action: str, actor_role: str) -> str:
    """The state after ``actor_role`` takes ``action`` on a task in state ``current``.

    Raises :class:`ForbiddenAction` (a subclass of :class:`InvalidTransition`;
    HTTP 403) when the role may never take that action, and
    :class:`InvalidTransition` (HTTP 409) when the action is not possible from
    ``current``, or the action/state is unknown. The role is checked first.
    """
    if action not in _RULES:
        raise InvalidTransition(current, action, f"unknown task action {action!r}")
    if current not in TASK_STATES:
        raise InvalidTransition(current, action, f"unknown task state {current!r}")
    role, moves = _RULES[action]
    if actor_role != role:
        raise ForbiddenAction(current, action, f"only the {role} may {action} a task")
    if current not in moves:
        raise InvalidTransition(current, action, f"cannot {action} a task that is {current}")
    return moves[current]


def allowed_actions(current: str, actor_role: str) -> list[str]:
    """Actions ``actor_role`` may take now, in :data:`TASK_ACTIONS` order (for UIs)."""
    return [
        action
        for action, (role, moves) in _RULES.items()
        if role == actor_role and current in moves
    ]


def _as_date(value: _dt.date) -> _dt.date:
    return value.date() if isinstance(value, _dt.datetime) else value


def is_overdue(due_date: _dt.date | None, state: str, today: _dt.date) -> bool:
    """Past the due date and not approved. The due date itself is not overdue.

    Datetimes are reduced to their date; ``today`` should be the date in the
    relevant office time zone. A task without a due date is never overdue.
    """
    if due_date is None or state == APPROVED:
        return False
    return _as_date(today) > _as_date(due_date)
