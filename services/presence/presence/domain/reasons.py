"""Why a day counts as it does: a list of reason codes with their numbers, for the day view.

The status says *what* a day is (``terlambat``, ``no_checkout``, ...); the reasons say *why*, in the
order they apply, so a person can see what their day costs and what would change it. The list is
open: each code names one fact about the day, new facts add new codes (the correction and review
features add e.g. ``pending_review``, ``check_in_rejected``, ``corrected``), and a reader that does
not know a code still has its text.

Codes (``params`` in brackets):

* ``before_employment`` [active_from], ``after_employment`` [active_until], ``between_employment``
  [active_from: the next span's first day] -- the day is ``not_employed``: nothing is counted;
* ``approved_leave`` [leave_type] -- an approved leave covers the day: it costs nothing;
* ``national_holiday`` [name], ``cuti_bersama`` [name], ``day_off`` -- not a working day;
* ``no_check_in_yet`` -- the day is still open;
* ``no_check_in`` [deduction_percent] -- a closed working day without a check-in: tanpa keterangan;
* ``on_time`` / ``late`` [minutes, band "TL1".."TL4", deduction_percent];
* ``no_check_out_yet`` -- checked in, the day is still open;
* ``no_check_out`` [band "PSW4", deduction_percent] -- a closed day without a check-out counts as the
  top early-leave band (the check-out is missing, not zero minutes early);
* ``left_early`` [minutes, band "PSW1".."PSW4", deduction_percent] / ``left_on_time``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from .lateness import DEFAULT_BANDS, BandTable
from .status import AttendanceStatus


@dataclass(frozen=True)
class Reason:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def _band(prefix: str, minutes: int, bands: BandTable) -> dict[str, Any]:
    level = bands.level_of(minutes)
    return {"minutes": minutes, "band": f"{prefix}{level}", "deduction_percent": float(bands.deduction_for(level))}


def day_reasons(*, status: AttendanceStatus, working_day: bool, closed: bool, leave_type: str | None = None,
                holiday: str | None = None, holiday_kind: str | None = None,
                late_minutes: int | None = None, early_leave_minutes: int | None = None,
                employment: tuple[str, date | None] | None = None,
                bands: BandTable = DEFAULT_BANDS) -> list[Reason]:
    """The reasons for a day with this status (``employment``: ``Employment.why_not`` of a day outside
    the span)."""
    if status is AttendanceStatus.NOT_EMPLOYED:
        where, day = employment or ("before", None)
        key = "active_until" if where == "after" else "active_from"
        return [Reason(f"{where}_employment", {key: day.isoformat() if day else None})]
    if leave_type is not None:
        return [Reason("approved_leave", {"leave_type": leave_type})]
    if not working_day:
        if holiday is not None:
            kind = "cuti_bersama" if holiday_kind == "cuti_bersama" else "national_holiday"
            return [Reason(kind, {"name": holiday})]
        return [Reason("day_off")]
    if late_minutes is None:
        if not closed:
            return [Reason("no_check_in_yet")]
        return [Reason("no_check_in", {"deduction_percent": float(bands.absent_deduction)})]
    out = [Reason("late", _band("TL", late_minutes, bands)) if late_minutes > 0 else Reason("on_time")]
    if early_leave_minutes is None:
        if closed:
            top = len(bands.bands)
            out.append(Reason("no_check_out", {"band": f"PSW{top}",
                                               "deduction_percent": float(bands.deduction_for(top))}))
        else:
            out.append(Reason("no_check_out_yet"))
    elif early_leave_minutes > 0:
        out.append(Reason("left_early", _band("PSW", early_leave_minutes, bands)))
    else:
        out.append(Reason("left_on_time"))
    return out
