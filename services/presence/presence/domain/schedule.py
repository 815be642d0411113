"""Office working hours: weekly schedule, date-range overrides, working days.

Times are naive wall-clock times in the office's own time zone (see
``clock``).  Weekday keys are ``mon`` .. ``sun`` in ``date.weekday()`` order.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from types import MappingProxyType

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

MAX_GRACE_MINUTES = 120
"""Largest accepted grace period; more than two hours is a different schedule."""

MAX_SPAN_DAYS = 731
"""Largest date range ``working_days`` will expand (two years), a guard
against a typo like ``end_date=9999-12-31`` expanding millions of days."""

_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def parse_hhmm(text: str) -> time:
    """Parse ``"HH:MM"`` (24-hour, two digits each, 00:00..23:59) to a time.

    Raises ``ValueError`` for anything else (``"7:30"``, ``"24:00"``,
    ``"07:30:00"``, non-strings).
    """
    if not isinstance(text, str):
        raise ValueError("time must be a string 'HH:MM'")
    match = _HHMM.fullmatch(text)
    if match is None:
        raise ValueError(f"invalid time {text!r}, expected 'HH:MM' (00:00-23:59)")
    return time(int(match.group(1)), int(match.group(2)))


def format_hhmm(value: time) -> str:
    """Format a time as ``"HH:MM"``."""
    return f"{value.hour:02d}:{value.minute:02d}"


@dataclass(frozen=True)
class DaySchedule:
    """Working hours of one day: ``start`` < ``end``, same calendar day.

    Only whole minutes, no time zone (wall clock of the office).
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time):
                raise ValueError(f"{name} must be a time")
            if value.tzinfo is not None:
                raise ValueError(f"{name} must be a wall-clock time without tzinfo")
            if value.second or value.microsecond:
                raise ValueError(f"{name} must be a whole minute")
        if self.end <= self.start:
            raise ValueError("end must be later than start")

    @classmethod
    def parse(cls, start: str, end: str) -> "DaySchedule":
        """Build from ``"HH:MM"`` strings."""
        return cls(parse_hhmm(start), parse_hhmm(end))

    def to_dict(self) -> dict[str, str]:
        return {"start": format_hhmm(self.start), "end": format_hhmm(self.end)}


def _freeze_days(days: Mapping[str, DaySchedule | None]) -> Mapping[str, DaySchedule | None]:
    if not isinstance(days, Mapping):
        raise ValueError("days must be a mapping of weekday -> DaySchedule or None")
    unknown = sorted(set(days) - set(WEEKDAYS), key=str)
    if unknown:
        raise ValueError(f"unknown weekday key(s): {', '.join(map(str, unknown))}")
    frozen: dict[str, DaySchedule | None] = {}
    for key in WEEKDAYS:
        value = days.get(key)
        if value is not None and not isinstance(value, DaySchedule):
            raise ValueError(f"{key} must be a DaySchedule or None")
        frozen[key] = value
    return MappingProxyType(frozen)


@dataclass(frozen=True)
class WeekSchedule:
    """A weekly schedule: weekday key -> hours (``None`` = day off), plus grace.

    A weekday key missing from ``days`` is a day off; unknown keys are
    rejected.  ``grace_minutes`` (0..120) is added to the start time before a
    check-in counts as late.
    """

    days: Mapping[str, DaySchedule | None] = field(hash=False)
    grace_minutes: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", _freeze_days(self.days))
        grace = self.grace_minutes
        if isinstance(grace, bool) or not isinstance(grace, int):
            raise ValueError("grace_minutes must be an integer")
        if not 0 <= grace <= MAX_GRACE_MINUTES:
            raise ValueError(f"grace_minutes must be within 0..{MAX_GRACE_MINUTES}")

    def for_weekday(self, weekday: int) -> DaySchedule | None:
        """Hours for ``date.weekday()`` index 0 (Monday) .. 6 (Sunday)."""
        return self.days[WEEKDAYS[weekday]]

    @classmethod
    def from_dict(
        cls, days: Mapping[str, Mapping[str, str] | None], grace_minutes: int = 0
    ) -> "WeekSchedule":
        """Build from the API shape ``{"mon": {"start": "07:30", "end": "16:00"}, "sat": None, ...}``."""
        if not isinstance(days, Mapping):
            raise ValueError("days must be a mapping")
        parsed: dict[str, DaySchedule | None] = {}
        for key, value in days.items():
            if value is None:
                parsed[key] = None
                continue
            if not isinstance(value, Mapping) or set(value) != {"start", "end"}:
                raise ValueError(f"{key} must be null or {{'start': 'HH:MM', 'end': 'HH:MM'}}")
            parsed[key] = DaySchedule.parse(value["start"], value["end"])
        return cls(parsed, grace_minutes)

    def to_dict(self) -> dict[str, object]:
        """The API shape: ``{"days": {...}, "grace_minutes": n}``."""
        return {
            "days": {k: (v.to_dict() if v else None) for k, v in self.days.items()},
            "grace_minutes": self.grace_minutes,
        }


_WORKDAY = DaySchedule(time(7, 30), time(16, 0))
_FRIDAY = DaySchedule(time(7, 30), time(16, 30))

DEFAULT_WEEK = WeekSchedule(
    {"mon": _WORKDAY, "tue": _WORKDAY, "wed": _WORKDAY, "thu": _WORKDAY, "fri": _FRIDAY,
     "sat": None, "sun": None},
    grace_minutes=0,
)
"""Perpres 21/2023 fit: Mon-Thu 07:30-16:00, Fri 07:30-16:30, weekend off."""


@dataclass(frozen=True)
class ScheduleOverride:
    """A different week schedule for an inclusive date range (e.g. Ramadan)."""

    start_date: date
    end_date: date
    week: WeekSchedule
    name: str = ""

    def __post_init__(self) -> None:
        for attr in ("start_date", "end_date"):
            value = getattr(self, attr)
            if not isinstance(value, date) or hasattr(value, "hour"):
                raise ValueError(f"{attr} must be a date")
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        if not isinstance(self.week, WeekSchedule):
            raise ValueError("week must be a WeekSchedule")

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


def week_for(
    day: date, week: WeekSchedule, overrides: Iterable[ScheduleOverride] = ()
) -> WeekSchedule:
    """The week schedule in force on ``day`` (hours *and* grace minutes).

    Among the overrides covering ``day`` the one starting latest wins (a short
    special range inside a long one takes precedence); with equal start dates
    the one listed last wins.  Without a covering override: ``week``.
    """
    chosen: ScheduleOverride | None = None
    for override in overrides:
        if override.covers(day) and (chosen is None or override.start_date >= chosen.start_date):
            chosen = override
    return chosen.week if chosen is not None else week


def schedule_for(
    day: date, week: WeekSchedule, overrides: Iterable[ScheduleOverride] = ()
) -> DaySchedule | None:
    """Working hours on ``day`` (``None`` when that weekday is off).

    Holidays are not considered here; see ``is_working_day``.
    """
    return week_for(day, week, overrides).for_weekday(day.weekday())


def is_working_day(
    day: date,
    week: WeekSchedule,
    overrides: Iterable[ScheduleOverride] = (),
    holidays: Collection[date] = frozenset(),
) -> bool:
    """True when ``day`` is not a holiday and has working hours."""
    if day in holidays:
        return False
    return schedule_for(day, week, overrides) is not None


def working_days(
    start: date,
    end: date,
    week: WeekSchedule,
    overrides: Iterable[ScheduleOverride] = (),
    holidays: Collection[date] = frozenset(),
) -> list[date]:
    """All working days in the inclusive range ``start``..``end``, ascending.

    Raises ``ValueError`` when ``end < start`` or the range spans more than
    ``MAX_SPAN_DAYS`` days.
    """
    if end < start:
        raise ValueError("end must not be before start")
    span = (end - start).days + 1
    if span > MAX_SPAN_DAYS:
        raise ValueError(f"date range longer than {MAX_SPAN_DAYS} days")
    overrides = tuple(overrides)
    holidays = frozenset(holidays)
    days = (start + timedelta(days=i) for i in range(span))
    return [d for d in days if is_working_day(d, week, overrides, holidays)]
