"""Leave requests: izin, sakit, cuti, dinas luar, tugas belajar.

States and legal transitions::

    pending  --approve-->  approved  --cancel (before start)-->  cancelled
    pending  --reject--->  rejected
    pending  --cancel--->  cancelled   (before start)

``rejected`` and ``cancelled`` are final.  A pending request never turns into
an approval or a rejection by itself (docs/domain-rules.md): only a decision moves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class LeaveType(StrEnum):
    IZIN = "izin"
    SAKIT = "sakit"
    CUTI = "cuti"
    DINAS_LUAR = "dinas_luar"
    TUGAS_BELAJAR = "tugas_belajar"


class LeaveState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


TRANSITIONS: dict[LeaveState, frozenset[LeaveState]] = {
    LeaveState.PENDING: frozenset({LeaveState.APPROVED, LeaveState.REJECTED, LeaveState.CANCELLED}),
    LeaveState.APPROVED: frozenset({LeaveState.CANCELLED}),
    LeaveState.REJECTED: frozenset(),
    LeaveState.CANCELLED: frozenset(),
}

MAX_DAYS: dict[LeaveType, int] = {
    LeaveType.IZIN: 92,
    LeaveType.SAKIT: 92,
    LeaveType.CUTI: 92,
    LeaveType.DINAS_LUAR: 92,
    LeaveType.TUGAS_BELAJAR: 366,
}
"""Default longest single request, in calendar days (inclusive).

92 days covers any three calendar months (cuti besar, cuti melahirkan);
tugas belajar is granted per academic year, so one request may span a year.
Longer absences are entered as consecutive requests.  Callers may pass
``max_days`` to use a regional rule instead."""

MAX_REASON_LENGTH = 1000
MAX_SPT_LENGTH = 100


class LeaveValidationError(ValueError):
    """A request field is invalid; ``field`` names it (for a 422 body)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class InvalidTransition(ValueError):
    """A state change that the workflow does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"cannot go from {current} to {target}")
        self.current = current
        self.target = target


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not hasattr(value, "hour")


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """True when two inclusive date ranges share at least one day."""
    if a_end < a_start or b_end < b_start:
        raise ValueError("a range ends before it starts")
    return a_start <= b_end and b_start <= a_end


@dataclass(frozen=True)
class LeaveRequest:
    """A leave request.

    Use ``create`` for a new request from user input (full validation).  The
    constructor, used to rebuild stored requests in any state, only checks
    the invariants: known type and state, ``end_date >= start_date``.
    """

    type: LeaveType
    start_date: date
    end_date: date
    reason: str
    spt_number: str | None = None
    state: LeaveState = LeaveState.PENDING

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", LeaveType(self.type))
        object.__setattr__(self, "state", LeaveState(self.state))
        if not (_is_date(self.start_date) and _is_date(self.end_date)):
            raise ValueError("start_date and end_date must be dates")
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")

    @classmethod
    def create(
        cls,
        type: str,
        start_date: date,
        end_date: date,
        reason: str,
        spt_number: str | None = None,
        max_days: int | None = None,
    ) -> "LeaveRequest":
        """Validate and build a new (pending) request.

        Rules: known type; dates are dates with ``end >= start``; at most
        ``max_days`` calendar days (default ``MAX_DAYS[type]``); reason
        non-blank and at most 1000 characters (trimmed); ``dinas_luar``
        requires ``spt_number`` (assignment letter number, trimmed, <= 100).
        Raises ``LeaveValidationError`` naming the offending field.
        """
        try:
            leave_type = LeaveType(type)
        except ValueError:
            raise LeaveValidationError("type", f"unknown leave type {type!r}") from None
        if not _is_date(start_date):
            raise LeaveValidationError("start_date", "start_date must be a date")
        if not _is_date(end_date):
            raise LeaveValidationError("end_date", "end_date must be a date")
        if end_date < start_date:
            raise LeaveValidationError("end_date", "end_date must not be before start_date")
        limit = MAX_DAYS[leave_type] if max_days is None else max_days
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError("max_days must be a positive integer")
        length = (end_date - start_date).days + 1
        if length > limit:
            raise LeaveValidationError(
                "end_date", f"a single {leave_type} request may cover at most {limit} days"
            )
        if not isinstance(reason, str) or not reason.strip():
            raise LeaveValidationError("reason", "reason is required")
        reason = reason.strip()
        if len(reason) > MAX_REASON_LENGTH:
            raise LeaveValidationError("reason", f"reason longer than {MAX_REASON_LENGTH} characters")
        if spt_number is not None:
            if not isinstance(spt_number, str):
                raise LeaveValidationError("spt_number", "spt_number must be a string")
            spt_number = spt_number.strip() or None
        if spt_number is not None and len(spt_number) > MAX_SPT_LENGTH:
            raise LeaveValidationError("spt_number", f"spt_number longer than {MAX_SPT_LENGTH} characters")
        if leave_type is LeaveType.DINAS_LUAR and spt_number is None:
            raise LeaveValidationError("spt_number", "dinas_luar requires the SPT (assignment letter) number")
        return cls(leave_type, start_date, end_date, reason, spt_number)

    @property
    def day_count(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def days(self) -> list[date]:
        """Every calendar day covered (inclusive)."""
        return [self.start_date + timedelta(days=i) for i in range(self.day_count)]

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def overlaps(self, other: "LeaveRequest") -> bool:
        return overlaps(self.start_date, self.end_date, other.start_date, other.end_date)


def can_transition(current: str, target: str) -> bool:
    return LeaveState(target) in TRANSITIONS[LeaveState(current)]


def transition(current: str, target: str) -> LeaveState:
    """The new state, or ``InvalidTransition`` (also for unknown state names)."""
    try:
        now, then = LeaveState(current), LeaveState(target)
    except ValueError:
        raise InvalidTransition(str(current), str(target)) from None
    if then not in TRANSITIONS[now]:
        raise InvalidTransition(now.value, then.value)
    return then


def can_cancel(request_start: date, today: date, state: str | None = None) -> bool:
    """A request can be cancelled only before its start date (office date).

    With ``state`` given, it must also be ``pending`` or ``approved``.
    """
    if state is not None and LeaveState.CANCELLED not in TRANSITIONS[LeaveState(state)]:
        return False
    return today < request_start


def cancel(current: str, request_start: date, today: date) -> LeaveState:
    """Apply a cancellation: ``cancelled`` or ``InvalidTransition``."""
    state = transition(current, LeaveState.CANCELLED)
    if not today < request_start:
        raise InvalidTransition(str(current), "cancelled (request already started)")
    return state
