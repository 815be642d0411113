"""Settled employee-days: what the recap counts for one day, kept and published for other services.

The daily close settles every employee-day it closes (``settle``); a change to a
day that is closed already (a leave approved afterwards) settles that day again
(``resettle``). Each settlement is the recap's own view of the day
(``recaps.day_records`` + ``domain.recap.month_recap`` of that one day), kept in
``day_settlements`` (``_id`` = ``<nip>:<date>``) and published as
``presence.day.settled`` through the outbox, only when it changed: a second run
of the close writes and sends nothing. Each change is a compare-and-set on the
document's ``revision``, which the event carries, so consumers can keep the newest.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from .directory import Directory, Office
from .domain.dayclose import day_ended, local_today
from .domain.employment import Employment, employment_of
from .domain.recap import DayRecord, month_recap
from .domain.schedule import is_working_day
from .domain.status import AttendanceStatus
from .events import day_settled_event
from .recaps import day_records
from .store import Store, day_key, utcnow

FIELDS = ("working_day", "status", "mode", "late_minutes", "early_leave_minutes", "tl", "psw")
RETRIES = 3
CHUNK = 2000  # new settlements per insert_many
FEW = 100  # up to this many employees the day's documents are read by key, above it by date


def settled_view(nip: str, day: date, office: Office, holidays: Mapping[date, str],
                 check_in: dict[str, Any] | None, leave_type: str | None,
                 employment: Employment | None = None) -> dict[str, Any]:
    """The day as the recap counts it (the day has ended). A day outside the employment span is
    ``not_employed`` and not a working day (so no consumer counts it)."""
    ds = day.isoformat()
    working = is_working_day(day, office.week, office.overrides, holidays)
    record = day_records(ds[:7], day + timedelta(days=1), office, holidays, {ds: check_in} if check_in else {},
                         {ds: leave_type} if leave_type else {}, {}, days=[(day, ds, working)],
                         employment=employment)[0]
    if record.status is AttendanceStatus.NOT_EMPLOYED:
        return {"nip": nip, "date": ds, "working_day": False, "status": str(record.status), "mode": None,
                "late_minutes": None, "early_leave_minutes": None, "tl": 0, "psw": 0}
    tl, psw = _bands(record)
    return {"nip": nip, "date": ds, "working_day": record.working_day, "status": str(record.status),
            "mode": str(record.mode) if record.mode else None, "late_minutes": record.late_minutes,
            "early_leave_minutes": record.early_leave_minutes, "tl": tl, "psw": psw}


@lru_cache(maxsize=4096)
def _bands(record: DayRecord) -> tuple[int, int]:
    """The TL and PSW band (0 = none) the recap counts for this one day (records repeat: cached)."""
    counted = month_recap("-", record.date.isoformat()[:7], [record])
    return (next((i for i in range(1, 5) if getattr(counted, f"tl{i}")), 0),
            next((i for i in range(1, 5) if getattr(counted, f"psw{i}")), 0))


@dataclass
class DaySettlement:
    store: Store
    directory: Directory

    def settle(self, day: date, employees: Iterable[tuple[dict[str, Any], Office]],
               holidays: Mapping[date, str] | None = None) -> int:
        """Settle ``day`` (ended) for these (employee, office) pairs; returns how many changed.

        A non-working day is kept only to correct an earlier settlement of it (a holiday entered late)."""
        pairs = [(emp["_id"], office, employment_of(emp)) for emp, office in employees]
        holidays = self.directory.holidays() if holidays is None else holidays
        ds = day.isoformat()
        if len(pairs) > FEW:  # the close: everybody's day, one read by date per collection
            check_ins, leaves, existing = self.store.settlement_inputs(ds)
        else:
            keys = [(nip, ds) for nip, _office, _employment in pairs]
            check_ins, leaves, existing = ({n: v for (n, _d), v in found.items()} for found in (
                self.store.check_ins_for(keys), self.store.leave_types_for(keys), self.store.day_settlements(keys)))
        fresh: list[tuple[dict[str, Any], dict[str, Any]]] = []
        changed = 0
        for nip, office, employment in pairs:
            view = settled_view(nip, day, office, holidays, check_ins.get(nip), leaves.get(nip), employment)
            current = existing.get(nip)
            if current is None:
                if view["working_day"]:  # first settlement of the day: inserted in bulk below
                    doc = {**view, "revision": 1, "settled_at": utcnow()}
                    fresh.append(({"_id": day_key(nip, ds), **doc}, day_settled_event(doc)))
            elif self._write(view, current):
                changed += 1
        failed = set(self.store.insert_day_settlements(fresh, CHUNK))
        for index, (doc, _event) in enumerate(fresh):
            if index in failed:  # a parallel close settled it first: compare with what it wrote
                current = self.store.day_settlements([(doc["nip"], ds)]).get((doc["nip"], ds))
                changed += self._write({k: doc[k] for k in ("nip", "date", *FIELDS)}, current)
            else:
                changed += 1
        return changed

    def resettle(self, nip: str, days: Iterable[str]) -> int:
        """Settle again those of ``days`` the close has settled already (a later change to them)."""
        employee = self.store.get_employee(nip)
        office = self.directory.office_for_employee(employee) if employee else None
        if office is None:
            return 0
        today = local_today(utcnow(), office.timezone)
        days = sorted(days)
        if not days:
            return 0
        closed = self.store.closed_days(days[0], days[-1]) if len(days) > 3 else {
            ds: self.store.closed_offices(ds) for ds in days}
        changed = 0
        for ds in days:
            day = date.fromisoformat(ds)
            if day_ended(day, today) and office.code in closed.get(ds, ()):
                changed += self.settle(day, [(employee, office)])
        return changed

    def span_changed(self, employee: dict[str, Any], before: dict[str, Any] | None, today: date,
                     window_days: int) -> int:
        """The employee's employment span changed: settle again the closed days of the last
        ``window_days`` it counts differently. A day no longer counted matters only if it was settled
        (one range read finds those); a day now counted is settled if its office closed it."""
        if before is None:
            return 0  # a new copy: nothing of theirs was settled
        new, old = employment_of(employee), employment_of(before)
        days = new.days_changed(old, (today - timedelta(days=i) for i in range(1, window_days + 1)))
        gained = [d.isoformat() for d in days if new.employed_on(d)]
        lost = [d.isoformat() for d in days if not new.employed_on(d)]
        if lost:
            settled = self.store.settled_dates(employee["_id"], min(lost), max(lost))
            lost = [ds for ds in lost if ds in settled]
        return self.resettle(employee["_id"], gained + lost)

    def _write(self, view: dict[str, Any], current: dict[str, Any] | None) -> bool:
        key = day_key(view["nip"], view["date"])
        for _ in range(RETRIES):
            if current is not None and all(current.get(f) == view[f] for f in FIELDS):
                return False
            if current is None and not view["working_day"]:
                return False
            revision = (current or {}).get("revision", 0) + 1
            doc = {**view, "revision": revision, "settled_at": utcnow()}
            event = day_settled_event(doc)
            if current is None:
                if self.store.insert_day_settlement({"_id": key, **doc}, event):
                    return True
            elif self.store.update_day_settlement(key, current["revision"], doc, event):
                return True
            current = self.store.day_settlements([(view["nip"], view["date"])]).get((view["nip"], view["date"]))
        return False
