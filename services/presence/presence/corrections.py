"""Attendance corrections (koreksi presensi): an honest mistake gets a fair path.

An employee asks to correct one of their own days (a forgotten check-out, a phone that
died, a check-in blocked by a wrong roster): ``kind`` check_in or check_out, the office
wall-clock ``time`` it happened, a reason and optionally a photo. Rules:

* own days only (the NIP is the token's), past or today (not later than now), at most
  ``CORRECTION_MAX_AGE_DAYS`` back, a working day of the employee's office, not an
  approved leave day, not a day whose check-in a reviewer rejected;
* a check-out needs a check-in that day (or an open check-in correction) and must be
  after it;
* at most ``CORRECTIONS_PER_MONTH`` requests per month of the corrected day (a counter
  moved by a conditional ``$inc``, so parallel requests cannot pass it); one open
  (pending or approved) correction per day and kind (a unique index).

Everything is checked before anything is stored. The direct supervisor (current
hierarchy) or an admin decides (compare-and-set on ``pending``). An approved correction
then changes the day's check-in document and marks it (``corrected``: who approved, when,
why, what it was before); the recap and the history read the corrected record; a closed
day is settled again (``presence.day.settled``). The correction itself is the audit trail
(with the audit log's ``create`` / ``decide`` entries).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from .attendance import DEFAULT_TIMEZONE, _iso_local
from .directory import Directory, Office
from .domain.clock import local_datetime, local_now
from .domain.lateness import early_leave_minutes, late_minutes
from .domain.schedule import is_working_day, parse_hhmm, schedule_for
from .domain.status import WorkMode
from .domain.trust import ReviewState, review_state
from .events import correction_decided_event
from .photos import checked_photo
from .review import decidable, not_found, scope
from .settlement import DaySettlement
from .store import Store
from .texts import employee_unknown, inactive_employee

KINDS = ("check_in", "check_out")
CORRECTION = ("koreksi", "correction")


def correction_out(doc: dict[str, Any], name: str | None = None, tz: str = DEFAULT_TIMEZONE) -> dict[str, Any]:
    return {"id": doc["id"], "nip": doc["nip"], "name": name, "date": doc["date"], "kind": doc["kind"],
            "time": doc["time"], "reason": doc["reason"], "state": doc["state"], "has_photo": bool(doc.get("has_photo")),
            "created_at": _iso_local(doc.get("created_at"), tz), "decided_by": doc.get("decided_by"),
            "decided_at": _iso_local(doc.get("decided_at"), tz), "note": doc.get("note"),
            "applied": bool(doc.get("applied"))}


def _refuse(status: int, code: str, id_text: str, en_text: str, field: str | None = None, **details) -> ApiError:
    message = Msg(id_text, en_text, **details)
    return ApiError(status, code, message, errors={field: [message]} if field else None, **details)


@dataclass
class Corrections:
    store: Store
    directory: Directory
    clock: Callable[[], datetime]
    per_month: int = 3
    max_age_days: int = 31
    photo_max_bytes: int = 512_000

    # ------------------------------------------------------------------ helpers
    def _employee_and_office(self, nip: str) -> tuple[dict[str, Any], Office]:
        employee = self.store.get_employee(nip)
        if employee is None:
            raise employee_unknown()
        if not employee.get("active", False):
            raise inactive_employee()
        office = self.directory.office_for_employee(employee)
        if office is None:
            raise ApiError(409, "no_office", Msg("Anda belum memiliki kantor; hubungi BKPSDM.",
                                                 "No office is set for you; ask BKPSDM."))
        return employee, office

    @staticmethod
    def _instant(day: date, hhmm: str, office: Office) -> datetime:
        return local_datetime(day, parse_hhmm(hhmm), office.timezone)

    # ------------------------------------------------------------------ create
    def create(self, nip: str, day: date, kind: str, hhmm: str, reason: str, photo: str | None) -> dict[str, Any]:
        employee, office = self._employee_and_office(nip)
        now = self.clock()
        today = local_now(now, office.timezone).date()
        ds = day.isoformat()
        if day > today:
            raise _refuse(422, "future_date", "Tanggal {date} belum terjadi.", "{date} is in the future.", "date",
                          date=ds)
        if (today - day).days > self.max_age_days:
            raise _refuse(422, "too_old", "Koreksi hanya untuk {n} hari terakhir.",
                          "Corrections reach back {n} days at most.", "date", n=self.max_age_days)
        if not is_working_day(day, office.week, office.overrides, self.directory.holidays()):
            raise _refuse(422, "not_a_working_day", "{date} bukan hari kerja di kantor Anda.",
                          "{date} is not a working day at your office.", "date", date=ds)
        if self.store.leave_type_on(nip, ds):
            raise _refuse(409, "leave_day", "{date} tertutup cuti/izin yang disetujui; tidak perlu koreksi.",
                          "{date} is covered by approved leave; there is nothing to correct.", date=ds)
        instant = self._instant(day, hhmm, office)
        if instant > now:
            raise _refuse(422, "future_time", "Jam {time} belum terjadi.", "{time} has not happened yet.", "time",
                          time=hhmm)
        record = self.store.get_check_in(nip, ds)
        if review_state(record) is ReviewState.REJECTED:
            raise _refuse(409, "check_in_rejected", "Presensi {date} ditolak atasan; hari itu tidak dapat dikoreksi.",
                          "The check-in of {date} was rejected by the supervisor; the day cannot be corrected.",
                          date=ds)
        if kind == "check_out":
            if record is None and self.store.open_correction(f"{nip}:{ds}:check_in") is None:
                raise _refuse(409, "not_checked_in",
                              "Tidak ada presensi masuk pada {date}; ajukan koreksi presensi masuk dahulu.",
                              "There is no check-in on {date}; ask to correct the check-in first.", date=ds)
            if record is not None and record.get("checked_in_at") and instant <= _aware(record["checked_in_at"]):
                raise _refuse(422, "before_check_in", "Jam pulang harus setelah jam masuk.",
                              "The check-out time must be after the check-in.", "time")
        if kind == "check_in" and record is not None and (record.get("check_out") or {}).get("checked_out_at") \
                and instant >= _aware(record["check_out"]["checked_out_at"]):
            raise _refuse(422, "after_check_out", "Jam masuk harus sebelum jam pulang.",
                          "The check-in time must be before the check-out.", "time")
        checked = checked_photo(photo, field="photo", max_bytes=self.photo_max_bytes) if photo else None
        month = ds[:7]
        if not self.store.take_correction_quota(nip, month, self.per_month):
            raise _refuse(409, "correction_limit", "Batas {limit} koreksi per bulan untuk {month} sudah terpakai.",
                          "The limit of {limit} corrections a month is used up for {month}.",
                          limit=self.per_month, month=month)
        correction_id = uuid.uuid4().hex
        doc = {"_id": correction_id, "id": correction_id, "nip": nip, "date": ds, "kind": kind, "time": hhmm,
               "reason": reason, "state": "pending", "open_key": f"{nip}:{ds}:{kind}", "has_photo": checked is not None,
               "created_at": now, "unit_code": employee.get("unit_code"),
               "supervisor_nip": employee.get("supervisor_nip"), "decided_by": None, "decided_at": None, "note": None}
        if not self.store.insert_correction(doc):
            self.store.give_back_correction_quota(nip, month)
            raise _refuse(409, "correction_exists",
                          "Sudah ada koreksi {kind} untuk {date} yang menunggu atau disetujui.",
                          "A {kind} correction of {date} is pending or approved already.", kind=kind, date=ds)
        if checked is not None:
            self.store.put_correction_photo(correction_id, nip, checked.content_type, checked.data, now)
        out = correction_out(doc, employee.get("name"), office.timezone)
        out.update(month_used=self.store.correction_quota_used(nip, month), month_limit=self.per_month)
        return out

    # ------------------------------------------------------------------ reads
    def mine(self, nip: str, states: list[str] | None) -> list[dict[str, Any]]:
        return [correction_out(d) for d in self.store.corrections_of([nip], states)]

    def team(self, me, states: list[str] | None, unit_code: str | None) -> list[dict[str, Any]]:
        nips, names = scope(self.store, me, unit_code)
        docs = self.store.corrections_of(nips, states)
        for nip in {d["nip"] for d in docs} - set(names):
            names[nip] = (self.store.get_employee(nip) or {}).get("name")
        return [correction_out(d, names.get(d["nip"])) for d in docs]

    def photo(self, me, correction_id: str) -> dict[str, Any]:
        decidable(self.store, me, self.store.get_correction(correction_id), CORRECTION, correction_id, owner_too=True)
        photo = self.store.get_correction_photo(correction_id)
        if photo is None:
            raise not_found("foto koreksi", "photo of correction", correction_id)
        return photo

    # ------------------------------------------------------------------ decide
    def decide(self, me, correction_id: str, approved: bool, note: str, request_id: str | None) -> dict[str, Any]:
        doc, owner = decidable(self.store, me, self.store.get_correction(correction_id), CORRECTION, correction_id)
        target = "approved" if approved else "rejected"
        conflict = _refuse(409, "invalid_transition", "Koreksi ini sudah diputuskan ({state}).",
                           "This correction was decided already ({state}).", state=doc["state"], target=target)
        if doc["state"] != "pending":
            raise conflict
        record = self.store.get_check_in(doc["nip"], doc["date"])
        if approved and doc["kind"] == "check_out" and record is None:
            raise _refuse(409, "not_checked_in", "Belum ada presensi masuk pada {date}; putuskan koreksi masuknya dahulu.",
                          "There is no check-in on {date} yet; decide its check-in correction first.",
                          date=doc["date"])
        if approved and review_state(record) is ReviewState.REJECTED:
            raise _refuse(409, "check_in_rejected", "Presensi {date} ditolak; hari itu tidak dapat dikoreksi.",
                          "The check-in of {date} was rejected; the day cannot be corrected.", date=doc["date"])
        now = self.clock()
        changes = {"state": target, "decided_by": me.nip, "decided_at": now, "note": note}
        decided = self.store.decide_correction(correction_id, changes, not approved,
                                               correction_decided_event({**doc, **changes}, request_id))
        if decided is None:
            current = (self.store.get_correction(correction_id) or doc)["state"]
            raise _refuse(409, "invalid_transition", "Koreksi ini sudah diputuskan ({state}).",
                          "This correction was decided already ({state}).", state=current, target=target)
        if doc.get("has_photo"):
            self.store.stamp_correction_photo(correction_id, now)  # its retention runs from the decision
        office = self.directory.office_for_employee(owner) if owner else None
        if approved and office is not None:
            applied = self._apply(decided, owner, office)
            self.store.mark_correction_applied(correction_id, applied)
            decided["applied"] = applied
            DaySettlement(self.store, self.directory).resettle(doc["nip"], [doc["date"]])
        return correction_out(decided, (owner or {}).get("name"), office.timezone if office else DEFAULT_TIMEZONE)

    def _apply(self, correction: dict[str, Any], employee: dict[str, Any], office: Office) -> dict[str, Any]:
        """Make the day say what the approved correction says, with its mark."""
        nip, ds = correction["nip"], correction["date"]
        day = date.fromisoformat(ds)
        instant = self._instant(day, correction["time"], office)
        local = local_now(instant, office.timezone)
        hours = schedule_for(day, office.week, office.overrides)
        record = self.store.get_check_in(nip, ds)
        mark = {"correction_id": correction["id"], "approved_by": correction["decided_by"],
                "approved_at": correction["decided_at"], "reason": correction["reason"],
                "note": correction.get("note") or ""}
        if correction["kind"] == "check_out":
            early = early_leave_minutes(local, hours, on_date=day) if hours else 0
            before = (record or {}).get("check_out") or None
            mark["original"] = {"checked_out_at": _iso_local(before.get("checked_out_at"), office.timezone),
                                "early_leave_minutes": before.get("early_leave_minutes")} if before else None
            check_out = {"checked_out_at": instant, "early_leave_minutes": early, "latitude": None, "longitude": None,
                         "accuracy_m": None, "distance_m": None, "flags": [], "corrected": mark}
            self.store.correct_day(nip, ds, {"$set": {"check_out": check_out}})
            return {"kind": "check_out", "early_leave_minutes": early}
        week = office.week_on(day)
        late = late_minutes(local, hours, week.grace_minutes, on_date=day) if hours else 0
        mark["original"] = ({"checked_in_at": _iso_local(record.get("checked_in_at"), office.timezone),
                             "late_minutes": record.get("late_minutes")} if record else None)
        fresh = {"id": uuid.uuid4().hex, "nip": nip, "date": ds,
                 "mode": str(self.store.roster_mode(nip, ds) or WorkMode.WFO), "office_code": office.code,
                 "timezone": office.timezone, "checked_in_at": instant, "location": None, "distance_m": None,
                 "radius_m": office.radius_m, "late_minutes": late, "non_working_day": False, "holiday": None,
                 "unit_code": employee.get("unit_code"), "supervisor_nip": employee.get("supervisor_nip"),
                 "check_out": None, "flags": [], "review": None, "has_selfie": False, "corrected": mark}
        self.store.correct_day(nip, ds, {"$set": {"checked_in_at": instant, "late_minutes": late, "corrected": mark}},
                               insert=None if record else fresh)
        return {"kind": "check_in", "late_minutes": late}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
