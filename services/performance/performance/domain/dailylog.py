"""Daily work log (laporan kinerja harian): times, overlaps, decisions, monthly summary."""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

from .skp import InvalidTransition

__all__ = [
    "PENDING", "APPROVED", "RETURNED", "LOG_STATUSES",
    "parse_hhmm", "overlaps", "find_overlap", "decide", "check_editable", "month_bounds", "monthly_summary",
]

PENDING = "pending"
APPROVED = "approved"
RETURNED = "returned"
LOG_STATUSES: tuple[str, ...] = (PENDING, APPROVED, RETURNED)

_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def parse_hhmm(value: str) -> int:
    """Minutes since midnight for ``"HH:MM"`` (00:00-23:59); ``"24:00"`` means end of day."""
    if value == "24:00":
        return 24 * 60
    match = _HHMM.match(value or "")
    if not match:
        raise ValueError(f"time must be HH:MM, not {value!r}")
    return int(match.group(1)) * 60 + int(match.group(2))


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Half-open intervals: 08:00-09:00 and 09:00-10:00 do not overlap."""
    return a_start < b_end and b_start < a_end


def find_overlap(start: int, end: int, entries: Iterable[dict]) -> dict | None:
    """The first entry (with ``start_min``/``end_min``) that overlaps; returned entries are ignored
    (the employee re-enters a returned activity, so its slot is free again)."""
    for entry in entries:
        if entry.get("status") == RETURNED:
            continue
        if overlaps(start, end, entry["start_min"], entry["end_min"]):
            return entry
    return None


def decide(current: str, approved: bool) -> str:
    """pending --approve--> approved; pending --return--> returned; anything else is 409."""
    if current != PENDING:
        raise InvalidTransition(current, "approve" if approved else "return",
                                f"the log entry is already {current}")
    return APPROVED if approved else RETURNED


def check_editable(current: str) -> str:
    """The employee may change an entry while it waits for the decision, or after it was returned:
    the changed entry waits for the decision (again). An approved one is final (409)."""
    if current not in (PENDING, RETURNED):
        raise InvalidTransition(current, "edit", f"the log entry is already {current}")
    return PENDING


def month_bounds(month: str) -> tuple[_dt.date, _dt.date]:
    """First and last day of ``YYYY-MM``; ValueError otherwise."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month or ""):
        raise ValueError(f"month must be YYYY-MM, not {month!r}")
    year, mon = int(month[:4]), int(month[5:])
    first = _dt.date(year, mon, 1)
    nxt = _dt.date(year + (mon == 12), 1 if mon == 12 else mon + 1, 1)
    return first, nxt - _dt.timedelta(days=1)


def monthly_summary(entries: Iterable[dict]) -> dict:
    """Counts and minutes by status, days with any entry, and a per-day breakdown."""
    summary = {"entries": 0, "minutes": 0, "days": 0,
               **{f"{s}_entries": 0 for s in LOG_STATUSES}, **{f"{s}_minutes": 0 for s in LOG_STATUSES}}
    per_day: dict[str, dict] = {}
    for entry in entries:
        minutes = entry["end_min"] - entry["start_min"]
        status = entry["status"]
        summary["entries"] += 1
        summary["minutes"] += minutes
        summary[f"{status}_entries"] += 1
        summary[f"{status}_minutes"] += minutes
        day = per_day.setdefault(entry["date"], {"date": entry["date"], "entries": 0, "minutes": 0,
                                                 "approved_minutes": 0})
        day["entries"] += 1
        day["minutes"] += minutes
        if status == APPROVED:
            day["approved_minutes"] += minutes
    summary["days"] = len(per_day)
    summary["per_day"] = [per_day[d] for d in sorted(per_day)]
    return summary
