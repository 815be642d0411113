"""The monthly recap use case: check_ins + leave_days + day_records -> domain.recap.month_recap.

One record per day of the month up to today (office date); later days are
left out. A day's status:

* an approved leave day -> that leave (``day_status`` precedence);
* otherwise the daily close's record (``tanpa_keterangan`` / ``no_checkout``)
  when there is one, unless the day's check-in document says otherwise now (an
  approved correction added the check-in or the check-out after the close);
* a check-in its reviewer rejected counts as none (``domain.trust.counted``):
  ``tanpa_keterangan`` unless leave covers the day;
* otherwise ``day_status`` from the check-in, closed when the day is before
  the office's today (a past working day without check-in is
  ``tanpa_keterangan`` even if the close has not run yet, as in ``/me/history``).

Before all of that, a day outside the employee's employment span is ``not_employed``
(domain.employment), whatever else is stored for it; a weekday the office would
have worked that is a holiday carries the holiday's kind (national / cuti bersama).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, Mapping

from .directory import Directory, Office
from .domain.dayclose import local_today
from .domain.employment import Employment, employment_of
from .domain.recap import DayRecord, MonthRecap, month_recap, parse_month
from .domain.schedule import DEFAULT_WEEK, is_working_day
from .domain.status import AttendanceStatus, day_status
from .domain.trust import counted
from .store import Store

DEFAULT_TIMEZONE = "Asia/Jakarta"


def month_bounds(month: str) -> tuple[date, date]:
    year, number = parse_month(month)
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def month_calendar(month: str, office: Office | None, holidays: Mapping[date, str]
                   ) -> list[tuple[date, str, bool]]:
    """(day, ``YYYY-MM-DD``, working day?) for every day of ``month`` at ``office`` (the same for all its staff)."""
    first, last = month_bounds(month)
    week = office.week if office else DEFAULT_WEEK
    overrides = office.overrides if office else ()
    return [(d, d.isoformat(), is_working_day(d, week, overrides, holidays))
            for d in (first + timedelta(days=i) for i in range((last - first).days + 1))]


def off_kinds(month: str, office: Office | None, holidays: Mapping[date, str],
              kinds: Mapping[date, str]) -> dict[date, str]:
    """The kind of each holiday of ``month`` that falls on a day the office's week would have worked."""
    first, last = month_bounds(month)
    week = office.week if office else DEFAULT_WEEK
    overrides = office.overrides if office else ()
    return {d: kinds.get(d, "national") for d in holidays if first <= d <= last
            and is_working_day(d, week, overrides, {})}


def day_records(month: str, today: date, office: Office | None, holidays: Mapping[date, str],
                check_ins: Mapping[str, dict[str, Any]], leave_types: Mapping[str, str],
                closed: Mapping[str, str], days: list[tuple[date, str, bool]] | None = None,
                shared: dict[tuple, DayRecord] | None = None, employment: Employment | None = None,
                holiday_kinds: Mapping[date, str] | None = None) -> list[DayRecord]:
    """One employee's DayRecords of ``month`` (days up to ``today``), keyed inputs by ``YYYY-MM-DD``.

    ``days``: ``month_calendar`` of the office, when the caller has it already. ``shared``: DayRecords
    are immutable values, so a unit's many identical ones (same day, status, minutes) are built once.
    ``employment``: the employee's spans (days outside are not_employed); ``holiday_kinds``: ``off_kinds``."""
    shared = {} if shared is None else shared
    holiday_kinds = holiday_kinds or {}
    out: list[DayRecord] = []
    for day, ds, working in days if days is not None else month_calendar(month, office, holidays):
        if day > today:
            break
        if employment is not None and not employment.employed_on(day):
            key = (day, AttendanceStatus.NOT_EMPLOYED, working)
            if key not in shared:
                shared[key] = DayRecord(date=day, status=AttendanceStatus.NOT_EMPLOYED, working_day=working)
            out.append(shared[key])
            continue
        stored = check_ins.get(ds)
        record = counted(stored)  # a check-in its reviewer rejected counts as none
        leave = leave_types.get(ds)
        late = record.get("late_minutes", 0) if record else None
        out_doc = record.get("check_out") if record else None
        early = out_doc.get("early_leave_minutes", 0) if out_doc else None
        mode = record.get("mode") if record else None
        if leave is None and closed.get(ds) and working:
            status = AttendanceStatus(closed[ds])
            if record is not None or stored is not None:
                # the day's record as it is now wins over the close's: a check-in or check-out that an
                # approved correction added after the close, a check-in rejected after it
                status = day_status(working, None, late, early, True)
        else:
            # a rejected day is decided: tanpa_keterangan at once, not belum_hadir while open
            status = day_status(working, leave, late, early, day < today or stored is not record)
        kind = None if working else holiday_kinds.get(day)
        key = (day, status, mode if working else None, late if record else None, early, working, kind)
        value = shared.get(key)
        if value is None:
            value = shared[key] = DayRecord(date=day, status=status, mode=key[2], late_minutes=key[3],
                                            early_leave_minutes=early, working_day=working, holiday_kind=kind)
        out.append(value)
    return out


@dataclass
class MonthlyRecap:
    store: Store
    directory: Directory
    clock: Callable[[], datetime]

    def recap(self, employees: list[dict[str, Any]], month: str) -> list[MonthRecap]:
        first, last = month_bounds(month)
        nips = [e["_id"] for e in employees]
        if not nips:
            return []
        by_nip: dict[str, tuple[dict, dict, dict]] = {n: ({}, {}, {}) for n in nips}
        check_ins, leave_days, closed_docs = self.store.month_documents(nips, first.isoformat(), last.isoformat())
        for d in check_ins:
            by_nip[d["nip"]][0][d["date"]] = d
        for d in leave_days:
            by_nip[d["nip"]][1][d["date"]] = d.get("type")
        for d in closed_docs:
            by_nip[d["nip"]][2][d["date"]] = d.get("status")
        holidays = self.directory.holidays()
        kinds = self.directory.holiday_kinds()
        now = self.clock()
        out = []
        calendars: dict[str | None, list[tuple[date, str, bool]]] = {}
        offs: dict[str | None, dict[date, str]] = {}
        shared: dict[tuple, DayRecord] = {}
        for emp in employees:
            office = self.directory.office_for_employee(emp)
            today = local_today(now, office.timezone if office else DEFAULT_TIMEZONE)
            code = office.code if office else None
            if code not in calendars:
                calendars[code] = month_calendar(month, office, holidays)
                offs[code] = off_kinds(month, office, holidays, kinds)
            ins, leaves, closed = by_nip[emp["_id"]]
            records = day_records(month, today, office, holidays, ins, leaves, closed, calendars[code], shared,
                                  employment_of(emp), offs[code])
            out.append(month_recap(emp["_id"], month, records))
        return out
