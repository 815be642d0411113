"""What the daily close records for one employee-day (pure).

After an office's day has ended, a working day (office week, overrides,
holidays) of an active employee is closed:

* an approved leave day -> nothing (the leave day is the record);
* no check-in -> ``tanpa_keterangan``;
* a check-in without check-out -> ``no_checkout``;
* checked in and out -> nothing (the check-in is the record).

A non-working day is never closed (``libur`` needs no record).
"""
from __future__ import annotations

from datetime import date, datetime

from .clock import local_now
from .status import AttendanceStatus


def close_status(working_day: bool, on_leave: bool, checked_in: bool, checked_out: bool
                 ) -> AttendanceStatus | None:
    """The status the close stores for one employee-day, or None for no record."""
    if checked_out and not checked_in:
        raise ValueError("a check-out needs a check-in")
    if not working_day or on_leave:
        return None
    if not checked_in:
        return AttendanceStatus.TANPA_KETERANGAN
    if not checked_out:
        return AttendanceStatus.NO_CHECKOUT
    return None


def day_ended(day: date, local_today: date) -> bool:
    """A day has ended in a zone once that zone's date is later."""
    return day < local_today


def local_today(now: datetime, tz_name: str) -> date:
    return local_now(now, tz_name).date()
