"""The employment span: from which day an employee counts (TMT, ``active_from``) and, after a
deactivation, the last day they counted (``active_until``).

An employee's history is a list of spans ``[{"from": "YYYY-MM-DD", "until": "YYYY-MM-DD" | None}]``,
sorted, not overlapping, every one closed but the last: creation opens the first span (at
``active_from``, default the day of creation); a deactivation closes the open one at its last day
(default the day of the deactivation: they still counted that day); a reactivation opens a new one
(default its day). A day inside a span is a day the employee counts for attendance; any other day
is ``not_employed`` elsewhere (presence), never an absence.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["InvalidSpan", "check_day", "opened", "closed", "reopened", "with_start", "summary", "spans_of",
           "today_in", "DEFAULT_TIMEZONE"]

MIN_DAY = _dt.date(1970, 1, 1)
# Whose calendar says which day "today" is (the regency's; an admin can always give a date).
DEFAULT_TIMEZONE = "Asia/Jakarta"


def today_in(timezone: str = DEFAULT_TIMEZONE, now: _dt.datetime | None = None) -> _dt.date:
    return (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(ZoneInfo(timezone)).date()


class InvalidSpan(ValueError):
    """A span change that cannot be (English ``reason``, Indonesian ``reason_id``, the ``field``)."""

    code = "invalid_employment_span"

    def __init__(self, field: str, reason: str, reason_id: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.reason_id = reason_id


def check_day(value: Any, field: str) -> _dt.date:
    """A real ``YYYY-MM-DD`` date from 1970 on (a ``date`` passes as it is)."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            if len(value) != 10:
                raise ValueError(value)
            value = _dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidSpan(field, f"{field} must be a date YYYY-MM-DD",
                              f"{field} harus berupa tanggal YYYY-MM-DD") from None
    if not isinstance(value, _dt.date) or not MIN_DAY <= value <= _dt.date(2100, 12, 31):
        raise InvalidSpan(field, f"{field} must be a date between 1970-01-01 and 2100-12-31",
                          f"{field} harus tanggal antara 1970-01-01 dan 2100-12-31")
    return value


def _spans(spans: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [dict(s) for s in spans or []]


def opened(active_from: _dt.date) -> list[dict[str, Any]]:
    """The spans of a new employee."""
    return [{"from": active_from.isoformat(), "until": None}]


def with_start(spans: list[dict[str, Any]] | None, active_from: _dt.date) -> list[dict[str, Any]]:
    """The TMT corrected: the first span starts at ``active_from`` (not after its own end)."""
    out = _spans(spans)
    if not out:
        return opened(active_from)
    first = out[0]
    if first["until"] is not None and active_from.isoformat() > first["until"]:
        raise InvalidSpan("active_from", f"active_from must not be after the end of the first span ({first['until']})",
                          f"active_from tidak boleh sesudah akhir masa kerja pertama ({first['until']})")
    first["from"] = active_from.isoformat()
    return out


def closed(spans: list[dict[str, Any]] | None, last_day: _dt.date) -> list[dict[str, Any]]:
    """A deactivation: the open span ends at ``last_day``. A span that had not started by then
    (a TMT in the future) is dropped: that person never counted."""
    out = _spans(spans)
    if not out or out[-1]["until"] is not None:
        return out
    if out[-1]["from"] > last_day.isoformat():
        previous = out[-2]["until"] if len(out) > 1 else None
        if previous is not None and last_day.isoformat() < previous:
            raise InvalidSpan("active_until", f"active_until must not be before {previous}",
                              f"active_until tidak boleh sebelum {previous}")
        return out[:-1]
    out[-1]["until"] = last_day.isoformat()
    return out


def reopened(spans: list[dict[str, Any]] | None, first_day: _dt.date) -> list[dict[str, Any]]:
    """A reactivation: a new span from ``first_day`` after the last one ended; from a day inside the
    last span (a deactivation undone), that span goes on."""
    out = _spans(spans)
    if out and out[-1]["until"] is None:
        return out
    day = first_day.isoformat()
    if out and day <= out[-1]["until"]:
        if day < out[-1]["from"]:
            raise InvalidSpan("active_from", f"active_from must not be before {out[-1]['from']}",
                              f"active_from tidak boleh sebelum {out[-1]['from']}")
        out[-1]["until"] = None
        return out
    return out + [{"from": day, "until": None}]


def summary(spans: list[dict[str, Any]] | None) -> dict[str, Any]:
    """``active_from`` (the first day ever), ``active_until`` (the last day, None while employed) and
    the spans, as answers and events carry them."""
    out = _spans(spans)
    return {"active_from": out[0]["from"] if out else None,
            "active_until": out[-1]["until"] if out else None,
            "employment": out}


def _day_of(moment: Any, timezone: str) -> _dt.date | None:
    if not isinstance(moment, _dt.datetime):
        return None
    return today_in(timezone, moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc))


def spans_of(employee: dict[str, Any], timezone: str = DEFAULT_TIMEZONE) -> list[dict[str, Any]]:
    """The employee's spans; for a record stored before spans existed, from its creation day (a
    deactivated one ended at its last change), for one not stored yet from today."""
    if employee.get("employment") is not None:
        return _spans(employee["employment"])
    start = _day_of(employee.get("created_at"), timezone) or today_in(timezone)
    if employee.get("active", True):
        return opened(start)
    last = _day_of(employee.get("updated_at"), timezone) or start
    return [{"from": start.isoformat(), "until": max(start, last).isoformat()}]
