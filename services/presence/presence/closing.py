"""The daily close: after a day ended in an office's zone, absences become records.

For a date D, every active employee whose office's day D has ended (the
office-local date is later than D) and was a working day there (office week,
overrides, holidays) is closed with ``domain.dayclose.close_status``:
no check-in and no approved leave day -> ``tanpa_keterangan``; a check-in
without check-out -> ``no_checkout``. Records go to ``day_records``
(``_id`` = ``<nip>:<D>``) by unordered inserts, so running the close again (or
after a crash half-way) only adds what is missing. Employees without an office
are skipped (no schedule to say whether D was a working day).

Inputs are three queries (``Store.close_inputs``): the active employee copy,
the day's check-ins (index ``by_date``) and the day's approved leave days
(``leave_by_date``). Existing records are not read: the inserts keep what is
there.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from .directory import Directory
from .domain.employment import employment_of
from .domain.dayclose import close_status, day_ended, local_today
from .domain.schedule import is_working_day
from .store import Store, day_key, utcnow

DEFAULT_TIMEZONE = "Asia/Jakarta"


@dataclass
class CloseResult:
    date: str
    closed: int
    absent: int
    no_checkout: int
    offices: int
    skipped_offices: int

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "closed": self.closed, "absent": self.absent,
                "no_checkout": self.no_checkout, "offices": self.offices,
                "skipped_offices": self.skipped_offices}


@dataclass
class DailyClose:
    store: Store
    directory: Directory
    clock: Callable[[], datetime]
    # publishes each closed employee-day (settlement.DaySettlement.settle: presence.day.settled); None: not
    settle: Callable[[date, list, dict], int] | None = None

    def zones_today(self, snap) -> set[date]:
        zones = {o.timezone for o in snap.by_code.values()} or {DEFAULT_TIMEZONE}
        now = self.clock()
        return {local_today(now, tz) for tz in zones}

    def close(self, day: date, *, strict: bool = True) -> CloseResult:
        """Close ``day`` for every office where it has ended.

        ``strict``: 422 ``future_date`` for a date after today in every zone,
        409 ``day_not_ended`` when it has ended in no office yet.
        """
        snap = self.directory.fresh()
        now = self.clock()
        todays = self.zones_today(snap)
        if strict and day > max(todays):
            raise ApiError(422, "future_date", Msg("{d} ada di masa depan.", "{d} is in the future.", d=day.isoformat()),
                           errors={"date": [Msg("Tidak boleh di masa depan.", "Must not be in the future.")]})
        ended = {code for code, o in snap.by_code.items() if day_ended(day, local_today(now, o.timezone))}
        if strict and not ended and snap.by_code:
            raise ApiError(409, "day_not_ended", Msg("{d} belum berakhir di kantor mana pun.",
                                                     "{d} has not ended in any office yet.", d=day.isoformat()),
                           date=day.isoformat())
        day_s = day.isoformat()
        working = {code: is_working_day(day, o.week, o.overrides, snap.holidays)
                   for code, o in snap.by_code.items() if code in ended}
        employees, check_ins, on_leave = self.store.close_inputs(day_s)
        documents: list[dict[str, Any]] = []
        at = utcnow()
        settled = []
        for emp in employees:
            office = Directory.office_in(snap, emp)
            if office is not None and office.code in working:
                settled.append((emp, office))
            if office is None or not working.get(office.code):
                continue
            if not employment_of(emp).employed_on(day):
                continue  # before their TMT or after their last day: not an absence
            nip = emp["_id"]
            checked_out = check_ins.get(nip)
            status = close_status(True, nip in on_leave, checked_out is not None, bool(checked_out))
            if status is None:
                continue
            documents.append({"_id": day_key(nip, day_s), "nip": nip, "date": day_s, "unit_code": emp.get("unit_code"),
                              "status": str(status), "office_code": office.code, "closed_at": at})
        # records already there (an earlier or a parallel run) are kept: only new ones count
        inserted = self.store.insert_day_records(documents)
        if self.settle is not None:  # before mark_closed: a crash in between settles again on the next run
            self.settle(day, settled, snap.holidays)
        self.store.mark_closed(day_s, sorted(ended))
        absent = sum(1 for d in inserted if d["status"] == "tanpa_keterangan")
        return CloseResult(day_s, len(inserted), absent, len(inserted) - absent, len(ended),
                           len(snap.by_code) - len(ended))

    def close_yesterday(self) -> list[CloseResult]:
        """The worker's job: close the day before today in every office zone (idempotent).

        A date whose ended offices are all marked closed in ``day_closes`` is skipped, so
        the close runs once per day and office zone rather than every ten minutes."""
        snap = self.directory.fresh()
        days = sorted({t - timedelta(days=1) for t in self.zones_today(snap)})
        now = self.clock()
        results = []
        for d in days:
            ended = {c for c, o in snap.by_code.items() if day_ended(d, local_today(now, o.timezone))}
            if ended and not ended <= self.store.closed_offices(d.isoformat()):
                results.append(self.close(d, strict=False))
        return results
