"""Monthly recap for one employee from per-day records.

Counting rules (all counts are over *working-day* records only; records with
``working_day=False`` -- weekends and holidays, even inside a leave range or
with a check-in -- are ignored):

* ``working_days``: working-day records given.  The caller supplies one
  record per working day of the month (including days with no check-in,
  whose status is ``tanpa_keterangan`` or, for today/future, ``belum_hadir``).
* ``present``: status in hadir / terlambat / pulang_cepat / no_checkout.
* ``late_days`` / ``late_minutes`` / ``tl1..tl4``: present days with
  ``late_minutes > 0``, their sum, and their band counts.
* ``early_leave_days`` / ``early_leave_minutes`` / ``psw1..psw4``: present
  days with ``early_leave_minutes > 0`` (and their bands); a ``no_checkout``
  day adds one to ``psw4`` (docs/domain-rules.md: missing check-out = PSW4) and to
  ``no_checkout_days``, not to ``early_leave_days``.
* A present-status record with ``late_minutes`` None (check-in missing, e.g.
  an admin correction) adds one to ``tl4`` and ``no_checkin_days``.
* ``absent``: ``tanpa_keterangan`` days; ``pending``: ``belum_hadir`` days.
* ``wfo_days`` / ``wfh_days`` / ``dl_days``: working days with that mode
  recorded (a check-in's mode; a dinas-luar day with a DL check-in counts
  as ``dl_days``).
* ``leave_days``: approved-leave days by type, all five types always present.
* ``deduction_percent``: see ``lateness.deduction_percent``; a day with no
  check-in at all is ``tanpa_keterangan`` (5 %), not TL4 + PSW4.
* ``not_employed_days``: working days of the calendar outside the employee's
  employment span (``not_employed`` records): not in ``working_days``, nothing
  else counted, no deduction.
* ``national_holidays`` / ``cuti_bersama_days``: days the office's week would
  have worked that are a national holiday / a cuti bersama day (records with
  ``holiday_kind``); they are not working days either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .lateness import DEFAULT_BANDS, BandTable, deduction_percent
from .leave import LeaveType
from .status import LEAVE_STATUSES, PRESENT_STATUSES, AttendanceStatus, WorkMode

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class DayRecord:
    """What happened on one employee-day (the store's day document, flattened)."""

    date: date
    status: AttendanceStatus
    mode: WorkMode | None = None
    late_minutes: int | None = None
    early_leave_minutes: int | None = None
    leave_type: LeaveType | None = None
    working_day: bool = True
    holiday_kind: str | None = None  # "national" / "cuti_bersama": a weekday the office would have worked

    def __post_init__(self) -> None:
        if not isinstance(self.date, date) or hasattr(self.date, "hour"):
            raise ValueError("date must be a date")
        object.__setattr__(self, "status", AttendanceStatus(self.status))
        if self.mode is not None:
            object.__setattr__(self, "mode", WorkMode(self.mode))
        if self.leave_type is not None:
            object.__setattr__(self, "leave_type", LeaveType(self.leave_type))
        for name in ("late_minutes", "early_leave_minutes"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{name} must be a non-negative integer or None")
        if self.status in LEAVE_STATUSES and self.leave_type is None:
            object.__setattr__(self, "leave_type", LeaveType(self.status.value))
        if self.leave_type is not None and self.status.value != self.leave_type.value:
            raise ValueError("leave_type does not match status")


@dataclass(frozen=True)
class MonthRecap:
    nip: str
    month: str
    working_days: int = 0
    present: int = 0
    late_days: int = 0
    late_minutes: int = 0
    tl1: int = 0
    tl2: int = 0
    tl3: int = 0
    tl4: int = 0
    early_leave_days: int = 0
    early_leave_minutes: int = 0
    psw1: int = 0
    psw2: int = 0
    psw3: int = 0
    psw4: int = 0
    no_checkin_days: int = 0
    no_checkout_days: int = 0
    absent: int = 0
    pending: int = 0
    wfo_days: int = 0
    wfh_days: int = 0
    dl_days: int = 0
    leave_days: Mapping[str, int] = field(default_factory=dict, hash=False)
    deduction_percent: float = 0.0
    not_employed_days: int = 0
    national_holidays: int = 0
    cuti_bersama_days: int = 0

    def to_dict(self) -> dict[str, object]:
        """Flat JSON shape; ``leave_days`` stays a nested object."""
        out: dict[str, object] = {name: getattr(self, name) for name in RECAP_FIELDS}
        out["leave_days"] = dict(self.leave_days)
        return out

    def to_row(self) -> dict[str, object]:
        """Flat CSV row: ``leave_days`` spread into ``leave_<type>`` columns."""
        row: dict[str, object] = {name: getattr(self, name) for name in RECAP_FIELDS}
        for leave_type in LeaveType:
            row[f"leave_{leave_type.value}"] = self.leave_days.get(leave_type.value, 0)
        return row


RECAP_FIELDS: tuple[str, ...] = (
    "nip", "month", "working_days", "present", "late_days", "late_minutes",
    "tl1", "tl2", "tl3", "tl4", "early_leave_days", "early_leave_minutes",
    "psw1", "psw2", "psw3", "psw4", "no_checkin_days", "no_checkout_days",
    "absent", "pending", "wfo_days", "wfh_days", "dl_days", "deduction_percent",
    "not_employed_days", "national_holidays", "cuti_bersama_days",
)
CSV_COLUMNS: tuple[str, ...] = RECAP_FIELDS + tuple(f"leave_{t.value}" for t in LeaveType)


def parse_month(month: str) -> tuple[int, int]:
    """``"2026-03"`` -> ``(2026, 3)``; ``ValueError`` otherwise."""
    match = _MONTH.fullmatch(month) if isinstance(month, str) else None
    if match is None:
        raise ValueError(f"invalid month {month!r}, expected YYYY-MM")
    return int(match.group(1)), int(match.group(2))


def month_recap(
    nip: str,
    month: str,
    records: Iterable[DayRecord],
    bands: BandTable = DEFAULT_BANDS,
) -> MonthRecap:
    """Compute one employee's recap for ``month`` (``"YYYY-MM"``).

    ``bands`` may change the minute ranges and percentages but must have
    four bands (the recap has columns tl1..tl4 / psw1..psw4).  Raises
    ``ValueError`` for a record outside the month or two records for the
    same date.
    """
    year, month_number = parse_month(month)
    if len(bands.bands) != 4:
        raise ValueError("the monthly recap reports four bands (TL1..TL4, PSW1..PSW4)")
    seen: set[date] = set()
    tl = {1: 0, 2: 0, 3: 0, 4: 0}
    psw = {1: 0, 2: 0, 3: 0, 4: 0}
    n: dict[str, int] = {k: 0 for k in (
        "working_days", "present", "late_days", "late_minutes", "early_leave_days",
        "early_leave_minutes", "no_checkin_days", "no_checkout_days", "absent",
        "pending", "wfo_days", "wfh_days", "dl_days", "not_employed_days", "national_holidays",
        "cuti_bersama_days")}
    leave_days = {t.value: 0 for t in LeaveType}
    mode_field = {WorkMode.WFO: "wfo_days", WorkMode.WFH: "wfh_days", WorkMode.DL: "dl_days"}

    for record in records:
        if (record.date.year, record.date.month) != (year, month_number):
            raise ValueError(f"record {record.date.isoformat()} is outside {month}")
        if record.date in seen:
            raise ValueError(f"two records for {record.date.isoformat()}")
        seen.add(record.date)
        if record.status is AttendanceStatus.NOT_EMPLOYED:
            n["not_employed_days"] += record.working_day
            continue
        if not record.working_day:
            if record.holiday_kind == "cuti_bersama":
                n["cuti_bersama_days"] += 1
            elif record.holiday_kind is not None:
                n["national_holidays"] += 1
            continue
        n["working_days"] += 1
        if record.mode is not None:
            n[mode_field[record.mode]] += 1
        status = record.status
        if status in LEAVE_STATUSES:
            leave_days[status.value] += 1
        elif status is AttendanceStatus.TANPA_KETERANGAN:
            n["absent"] += 1
        elif status is AttendanceStatus.BELUM_HADIR:
            n["pending"] += 1
        elif status in PRESENT_STATUSES:
            n["present"] += 1
            late = record.late_minutes
            if late is None:
                n["no_checkin_days"] += 1
            elif late > 0:
                n["late_days"] += 1
                n["late_minutes"] += late
                tl[bands.level_of(late)] += 1
            if status is AttendanceStatus.NO_CHECKOUT:
                n["no_checkout_days"] += 1
            elif record.early_leave_minutes:
                early = record.early_leave_minutes
                n["early_leave_days"] += 1
                n["early_leave_minutes"] += early
                psw[bands.level_of(early)] += 1

    deduction = deduction_percent(
        tl_counts=tl,
        psw_counts=psw,
        absent_days=n["absent"],
        no_checkin_days=n["no_checkin_days"],
        no_checkout_days=n["no_checkout_days"],
        bands=bands,
    )
    return MonthRecap(
        nip=nip,
        month=month,
        tl1=tl[1], tl2=tl[2], tl3=tl[3], tl4=tl[4] + n["no_checkin_days"],
        psw1=psw[1], psw2=psw[2], psw3=psw[3], psw4=psw[4] + n["no_checkout_days"],
        leave_days=MappingProxyType(leave_days),
        deduction_percent=deduction,
        **n,
    )
