"""Offices, their schedules and the holidays, cached per process.

The check-in hot path must not read offices from the database on every
request: the whole directory (a regency has tens of offices) is loaded at
once and kept for ``ttl_s`` seconds. A lookup that misses (an office or a unit
created a moment ago) reloads at once, at most every ``min_reload_s``, so a
new office works immediately; a *change* to an existing office reaches every
worker process within ``ttl_s``.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from .domain.schedule import DEFAULT_WEEK, DaySchedule, ScheduleOverride, WeekSchedule, schedule_for, week_for
from .store import Store


DEFAULT_HOME_RADIUS_M = 100.0  # WFH fence around an approved home location (offices without the setting)


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    latitude: float
    longitude: float
    radius_m: float
    timezone: str
    unit_codes: tuple[str, ...]
    max_accuracy_m: float
    week: WeekSchedule = DEFAULT_WEEK
    overrides: tuple[ScheduleOverride, ...] = field(default=())
    home_radius_m: float = DEFAULT_HOME_RADIUS_M
    selfie: str = "off"  # off | optional | required: a photo with the check-in (docs/trust.md)

    def week_on(self, day: date) -> WeekSchedule:
        return week_for(day, self.week, self.overrides)

    def hours_on(self, day: date) -> DaySchedule | None:
        return schedule_for(day, self.week, self.overrides)

    def summary(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "latitude": self.latitude, "longitude": self.longitude,
                "radius_m": self.radius_m, "home_radius_m": self.home_radius_m, "timezone": self.timezone, "max_accuracy_m": self.max_accuracy_m,
                "selfie": self.selfie}


def week_from_doc(schedule: dict[str, Any] | None) -> WeekSchedule:
    if not schedule:
        return DEFAULT_WEEK
    return WeekSchedule.from_dict(schedule.get("days") or {}, int(schedule.get("grace_minutes", 0)))


def override_from_doc(doc: dict[str, Any]) -> ScheduleOverride:
    return ScheduleOverride(date.fromisoformat(doc["start_date"]), date.fromisoformat(doc["end_date"]),
                            WeekSchedule.from_dict(doc.get("days") or {}, int(doc.get("grace_minutes", 0))),
                            doc.get("name", ""))


def office_from_doc(doc: dict[str, Any], overrides: list[dict[str, Any]] = ()) -> Office:
    return Office(
        code=doc["_id"], name=doc.get("name", ""), latitude=float(doc["latitude"]),
        longitude=float(doc["longitude"]), radius_m=float(doc["radius_m"]), timezone=doc["timezone"],
        unit_codes=tuple(doc.get("unit_codes") or ()), max_accuracy_m=float(doc.get("max_accuracy_m", 100)),
        week=week_from_doc(doc.get("schedule")),
        overrides=tuple(override_from_doc(o) for o in overrides),
        home_radius_m=float(doc.get("home_radius_m") or DEFAULT_HOME_RADIUS_M),
        selfie=doc.get("selfie") or "off",
    )


@dataclass
class _Snapshot:
    by_code: dict[str, Office]
    by_unit: dict[str, Office]
    holidays: dict[date, str]
    loaded_at: float
    holiday_kinds: dict[date, str] = field(default_factory=dict)  # "national" / "cuti_bersama"


class Directory:
    def __init__(self, store_factory: Callable[[], Store], *, ttl_s: float = 3.0, min_reload_s: float = 0.2,
                 monotonic: Callable[[], float] = time.monotonic):
        self._store_factory = store_factory
        self._ttl = ttl_s
        self._min_reload = min_reload_s
        self._monotonic = monotonic
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()

    def _load(self) -> _Snapshot:
        store = self._store_factory()
        overrides: dict[str, list[dict[str, Any]]] = {}
        for doc in store.all_overrides():
            overrides.setdefault(doc["office_code"], []).append(doc)
        by_code: dict[str, Office] = {}
        by_unit: dict[str, Office] = {}
        for doc in sorted(store.all_offices(), key=lambda d: d["_id"]):
            office = office_from_doc(doc, sorted(overrides.get(doc["_id"], []), key=lambda o: o["start_date"]))
            by_code[office.code] = office
            for unit in office.unit_codes:
                by_unit.setdefault(unit, office)
        stored = store.all_holidays()
        holidays = {date.fromisoformat(h["_id"]): h.get("name", "") for h in stored}
        kinds = {date.fromisoformat(h["_id"]): h.get("kind") or "national" for h in stored}
        return _Snapshot(by_code, by_unit, holidays, self._monotonic(), holiday_kinds=kinds)

    def _current(self, *, missed: bool = False) -> _Snapshot:
        snap = self._snapshot
        now = self._monotonic()
        stale = snap is None or now - snap.loaded_at > self._ttl
        if missed and snap is not None and now - snap.loaded_at > self._min_reload:
            stale = True
        if stale:
            with self._lock:
                snap = self._snapshot
                if snap is None or now - snap.loaded_at > (self._min_reload if missed else self._ttl):
                    snap = self._snapshot = self._load()
        return snap  # type: ignore[return-value]

    def invalidate(self) -> None:
        """Forget the cache (this process only): called after an admin change here."""
        self._snapshot = None

    def office(self, code: str) -> Office | None:
        found = self._current().by_code.get(code)
        if found is None:
            found = self._current(missed=True).by_code.get(code)
        return found

    def office_for_unit(self, unit_code: str | None) -> Office | None:
        if not unit_code:
            return None
        found = self._current().by_unit.get(unit_code)
        if found is None:
            found = self._current(missed=True).by_unit.get(unit_code)
        return found

    def office_for_employee(self, employee: dict[str, Any]) -> Office | None:
        """The admin's override if set and the office exists, else the office housing the unit."""
        override = employee.get("office_override")
        if override:
            office = self.office(override)
            if office is not None:
                return office
        return self.office_for_unit(employee.get("unit_code"))

    def fresh(self) -> "_Snapshot":
        """A snapshot read now (bulk jobs: one consistent view, no per-miss reloads)."""
        with self._lock:
            self._snapshot = self._load()
            return self._snapshot

    @staticmethod
    def office_in(snap: "_Snapshot", employee: dict[str, Any]) -> Office | None:
        """``office_for_employee`` against a given snapshot (no reloads)."""
        override = employee.get("office_override")
        if override and override in snap.by_code:
            return snap.by_code[override]
        return snap.by_unit.get(employee.get("unit_code")) if employee.get("unit_code") else None

    def holidays(self) -> dict[date, str]:
        return self._current().holidays

    def holiday_kinds(self) -> dict[date, str]:
        """Each holiday's kind: ``national`` (the national calendar or the admin's own) or
        ``cuti_bersama`` (collective leave by decree)."""
        return self._current().holiday_kinds
