"""Attendance beside performance: one employee's discipline summary over a period (pure).

Input: the settled employee-days performance keeps from ``presence.day.settled``
(presence emits one when its daily close settles a working day, and again when a
closed day changes, e.g. a leave approved afterwards). Each carries the day's
status, mode, minutes and the TL / PSW band presence's monthly recap counts for
that day, so the bands (a presence setting) are never re-derived here and a
period's summary is the sum of the same per-day contributions as the recap.

Counting follows presence's recap (``presence.domain.recap``): only working days
count; ``present`` = hadir / terlambat / pulang_cepat / no_checkout; a
``no_checkout`` day is PSW4 but not an early-leave day; leave days by type;
``tanpa_keterangan`` = absent without reason; a ``not_employed`` day (outside the
employment span) is never a working day.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

__all__ = ["LEAVE_TYPES", "PRESENT_STATUSES", "STATUSES", "BadSettledDay", "parse_day_settled",
           "summarise", "SUMMARY_FIELDS"]

LEAVE_TYPES: tuple[str, ...] = ("izin", "sakit", "cuti", "dinas_luar", "tugas_belajar")
PRESENT_STATUSES: frozenset[str] = frozenset({"hadir", "terlambat", "pulang_cepat", "no_checkout"})
# not_employed: a day outside the employee's employment span (before the TMT, after the last day):
# presence settles it as not a working day; it never counts, whatever working_day says.
STATUSES: frozenset[str] = PRESENT_STATUSES | set(LEAVE_TYPES) | {"tanpa_keterangan", "libur", "belum_hadir",
                                                                   "not_employed"}
MODES = (None, "WFO", "WFH", "DL")

SUMMARY_FIELDS: tuple[str, ...] = (
    "working_days", "present", "late_days", "late_minutes", "tl1", "tl2", "tl3", "tl4",
    "early_leave_days", "early_leave_minutes", "psw1", "psw2", "psw3", "psw4", "no_checkout_days",
    "tanpa_keterangan", "leave_days_total")


class BadSettledDay(ValueError):
    """The event can never be applied (dead-letter it)."""


def _minutes(data: Mapping, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 24 * 60:
        raise BadSettledDay(f"{name} must be minutes (0-1440) or null")
    return value


def _band(data: Mapping, name: str) -> int:
    value = data.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
        raise BadSettledDay(f"{name} must be a band 0-4")
    return value


def parse_day_settled(data: Mapping) -> dict:
    """The fields performance keeps from a ``presence.day.settled`` event; :class:`BadSettledDay` otherwise."""
    nip = data.get("nip")
    if not isinstance(nip, str) or not 0 < len(nip) <= 32:
        raise BadSettledDay("settled day without a valid nip")
    day = data.get("date")
    try:
        if not isinstance(day, str) or len(day) != 10:
            raise ValueError(day)
        _dt.date.fromisoformat(day)
    except ValueError as exc:
        raise BadSettledDay(f"settled day date is not YYYY-MM-DD: {day!r}") from exc
    status = data.get("status")
    if status not in STATUSES:
        raise BadSettledDay(f"unknown attendance status {status!r}")
    working = data.get("working_day")
    if not isinstance(working, bool):
        raise BadSettledDay("working_day must be true or false")
    mode = data.get("mode")
    if mode not in MODES:
        raise BadSettledDay(f"unknown mode {mode!r}")
    revision = data.get("revision", 0)
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
        raise BadSettledDay("revision must be a non-negative integer")
    return {"nip": nip, "date": day, "working_day": working, "status": status, "mode": mode,
            "late_minutes": _minutes(data, "late_minutes"),
            "early_leave_minutes": _minutes(data, "early_leave_minutes"),
            "tl": _band(data, "tl"), "psw": _band(data, "psw"), "revision": revision}


def summarise(days: Iterable[Mapping], first: _dt.date, last: _dt.date) -> dict:
    """The discipline summary of the settled days between ``first`` and ``last`` (inclusive)."""
    out: dict = {name: 0 for name in SUMMARY_FIELDS}
    leave = {t: 0 for t in LEAVE_TYPES}
    settled = 0
    seen: set[str] = set()
    low, high = first.isoformat(), last.isoformat()
    for day in days:
        if not low <= day["date"] <= high or day["date"] in seen:
            continue  # outside the period, or a second copy of a day (one per employee-day)
        seen.add(day["date"])
        settled += 1
        if not day["working_day"] or day["status"] == "not_employed":
            continue
        out["working_days"] += 1
        status = day["status"]
        if status in leave:
            leave[status] += 1
        elif status == "tanpa_keterangan":
            out["tanpa_keterangan"] += 1
        elif status in PRESENT_STATUSES:
            out["present"] += 1
            late = day.get("late_minutes") or 0
            if late > 0:
                out["late_days"] += 1
                out["late_minutes"] += late
            if status == "no_checkout":
                out["no_checkout_days"] += 1
            elif (day.get("early_leave_minutes") or 0) > 0:
                out["early_leave_days"] += 1
                out["early_leave_minutes"] += day["early_leave_minutes"]
            if day.get("tl"):
                out[f"tl{day['tl']}"] += 1
            if day.get("psw"):
                out[f"psw{day['psw']}"] += 1
    out["leave_days"] = leave
    out["leave_days_total"] = sum(leave.values())
    out["settled_days"] = settled
    out["from"], out["to"] = low, high
    return out
