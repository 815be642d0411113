"""Attendance statuses and work modes, and the status of one employee-day.

Precedence in ``day_status`` (first match wins):

0. outside the employee's employment span (before the TMT, after the last day, between two
   spans) -> ``not_employed``: not a working day for them, never an absence (domain.employment);
1. an **approved** leave covering the day -> that leave's status (``izin``,
   ``sakit``, ``cuti``, ``dinas_luar``, ``tugas_belajar``), even on a weekend
   or holiday and even with a check-in (a dinas-luar day has a DL check-in);
2. not a working day (weekend / holiday) -> ``libur``, even with a check-in;
3. no check-in -> ``belum_hadir`` (pending) while the day is open,
   ``tanpa_keterangan`` once the day is closed;
4. checked in, no check-out -> ``terlambat`` or ``hadir`` while open,
   ``no_checkout`` once closed;
5. checked in and out -> ``terlambat`` if late (late wins over leaving
   early; the recap counts both from the minutes), else ``pulang_cepat`` if
   early, else ``hadir``.

``belum_hadir`` is not a civil-service status (docs/domain-rules.md): an open working day with
no check-in yet is not an absence.
"""

from __future__ import annotations

from enum import StrEnum

from .leave import LeaveType


class AttendanceStatus(StrEnum):
    HADIR = "hadir"
    TERLAMBAT = "terlambat"
    PULANG_CEPAT = "pulang_cepat"
    IZIN = "izin"
    SAKIT = "sakit"
    CUTI = "cuti"
    DINAS_LUAR = "dinas_luar"
    TUGAS_BELAJAR = "tugas_belajar"
    TANPA_KETERANGAN = "tanpa_keterangan"
    LIBUR = "libur"
    NO_CHECKOUT = "no_checkout"
    BELUM_HADIR = "belum_hadir"
    NOT_EMPLOYED = "not_employed"


class WorkMode(StrEnum):
    WFO = "WFO"
    WFH = "WFH"
    DL = "DL"


LEAVE_STATUSES: frozenset[AttendanceStatus] = frozenset(AttendanceStatus(t.value) for t in LeaveType)
"""Statuses that are an approved absence (cost nothing)."""

PRESENT_STATUSES: frozenset[AttendanceStatus] = frozenset(
    {AttendanceStatus.HADIR, AttendanceStatus.TERLAMBAT, AttendanceStatus.PULANG_CEPAT,
     AttendanceStatus.NO_CHECKOUT}
)
"""Statuses of a day the employee checked in (on a working day without leave)."""


def _minutes(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer or None")
    return value


def day_status(
    is_working_day: bool,
    leave_type: str | None,
    late_minutes: int | None,
    early_leave_minutes: int | None,
    day_closed: bool,
    employed: bool = True,
) -> AttendanceStatus:
    """Status of one employee-day (see the module docstring for precedence).

    ``leave_type`` is the type of an *approved* leave covering the day (pass
    ``None`` for pending/rejected ones).  ``late_minutes`` is ``None`` without
    a check-in; ``early_leave_minutes`` is ``None`` without a check-out.  A
    check-out without a check-in is inconsistent and raises ``ValueError``.
    """
    late = _minutes(late_minutes, "late_minutes")
    early = _minutes(early_leave_minutes, "early_leave_minutes")
    if late is None and early is not None:
        raise ValueError("a check-out needs a check-in")
    if not employed:
        return AttendanceStatus.NOT_EMPLOYED
    if leave_type is not None:
        return AttendanceStatus(LeaveType(leave_type).value)
    if not is_working_day:
        return AttendanceStatus.LIBUR
    if late is None:
        return AttendanceStatus.TANPA_KETERANGAN if day_closed else AttendanceStatus.BELUM_HADIR
    if early is None:
        if day_closed:
            return AttendanceStatus.NO_CHECKOUT
        return AttendanceStatus.TERLAMBAT if late > 0 else AttendanceStatus.HADIR
    if late > 0:
        return AttendanceStatus.TERLAMBAT
    if early > 0:
        return AttendanceStatus.PULANG_CEPAT
    return AttendanceStatus.HADIR
