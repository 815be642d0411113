"""Attendance use cases: check-in, check-out and the day views.

Orchestrates the employee copy, the cached office directory, the pure domain
rules and the store; HTTP lives in api/. The server's clock (``clock``, an
injected callable returning an aware UTC datetime) decides the instant, the
office's time zone the date.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.timestamps import iso_local

from .directory import Directory, Office
from .domain import geofence
from .domain.trust import Assessment, Fence, Fix, counted, review_state, trust_reasons
from .domain.clock import local_now
from .domain.employment import employment_of
from .domain.lateness import early_leave_minutes, late_minutes
from .domain.schedule import DEFAULT_WEEK, format_hhmm, is_working_day, schedule_for
from .domain.reasons import day_reasons
from .domain.status import WorkMode, day_status
from .events import check_in_flagged_event, checked_in_event, checked_out_event
from .photos import checked_photo
from .store import Store, day_key
from .texts import checked_out_already, employee_unknown, inactive_employee, reason_text
from .trust import ClientSignals, TrustCheck

DEFAULT_TIMEZONE = "Asia/Jakarta"  # used for an employee without an office


def utc_clock() -> datetime:
    return datetime.now(timezone.utc)


def _iso_local(instant: datetime | None, tz_name: str) -> str | None:
    """A check-in's or check-out's time in its office's zone (sipk_shared.timestamps)."""
    return iso_local(instant, tz_name)


def public_check_in(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    tz = doc.get("timezone", DEFAULT_TIMEZONE)
    loc = doc.get("location") or {}
    return {
        "id": doc["id"], "nip": doc["nip"], "date": doc["date"], "mode": doc["mode"],
        "checked_in_at": _iso_local(doc["checked_in_at"], tz), "office_code": doc.get("office_code"),
        # distance_m: to the office, for every mode (the WFO fence's measure); a WFH check-in's fence is
        # the approved home: distance_to_home_m (null without one). distance_to_office_m = distance_m.
        "distance_m": doc.get("distance_m"), "distance_to_office_m": doc.get("distance_m"),
        "distance_to_home_m": doc.get("home_distance_m"), "late_minutes": doc.get("late_minutes", 0),
        "non_working_day": bool(doc.get("non_working_day", False)),
        "latitude": loc.get("latitude"), "longitude": loc.get("longitude"), "accuracy_m": loc.get("accuracy_m"),
        **({"home_unverified": True} if doc.get("home_unverified") else {}),
        **trust_fields(doc),
    }


def trust_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """The check-in's flags and the day's review (docs/trust.md), and a correction's mark."""
    review = doc.get("review") or {}
    tz = doc.get("timezone", DEFAULT_TIMEZONE)
    out: dict[str, Any] = {"flags": list(doc.get("flags") or []), "review": review.get("state")}
    if review.get("decided_at"):
        out.update(review_note=review.get("note") or "", reviewed_at=_iso_local(review["decided_at"], tz),
                   reviewed_by=review.get("decided_by"))
    if doc.get("corrected"):
        out["corrected"] = correction_mark(doc["corrected"], tz)
    return out


def correction_mark(mark: dict[str, Any], tz: str) -> dict[str, Any]:
    """Who approved which correction, when and why."""
    return {"correction_id": mark.get("correction_id"), "approved_by": mark.get("approved_by"),
            "approved_at": _iso_local(mark.get("approved_at"), tz), "reason": mark.get("reason"),
            "note": mark.get("note") or "", "original": mark.get("original")}


def public_check_out(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is None or not doc.get("check_out"):
        return None
    out = doc["check_out"]
    tz = doc.get("timezone", DEFAULT_TIMEZONE)
    return {
        "checked_out_at": _iso_local(out["checked_out_at"], tz), "distance_m": out.get("distance_m"),
        "early_leave_minutes": out.get("early_leave_minutes", 0), "latitude": out.get("latitude"),
        "longitude": out.get("longitude"), "accuracy_m": out.get("accuracy_m"),
        "flags": list(out.get("flags") or []),
        **({"corrected": correction_mark(out["corrected"], tz)} if out.get("corrected") else {}),
    }


def check_out_answer(doc: dict[str, Any]) -> dict[str, Any]:
    out = public_check_out(doc) or {}
    return {"id": doc["id"], "nip": doc["nip"], "date": doc["date"], "mode": doc["mode"],
            "office_code": doc.get("office_code"), "checked_in_at": _iso_local(doc["checked_in_at"], doc["timezone"]),
            **out, "review": (doc.get("review") or {}).get("state")}


def schedule_view(office: Office | None, day: date) -> dict[str, Any] | None:
    week = office.week_on(day) if office else DEFAULT_WEEK
    hours = week.for_weekday(day.weekday())
    if hours is None:
        return None
    return {"start": format_hhmm(hours.start), "end": format_hhmm(hours.end), "grace_minutes": week.grace_minutes}


@dataclass
class Attendance:
    store: Store
    directory: Directory
    clock: Callable[[], datetime]
    request_id: str | None = None
    trust: TrustCheck | None = None  # the check-in trust signals (trust.py); None: not assessed
    photo_max_bytes: int = 512_000

    # ------------------------------------------------------------------ helpers
    def _employee(self, nip: str) -> dict[str, Any]:
        employee = self.store.get_employee(nip)
        if employee is None:
            raise employee_unknown()
        if not employee.get("active", False):
            raise inactive_employee()
        return employee

    def _office(self, employee: dict[str, Any]) -> Office:
        office = self.directory.office_for_employee(employee)
        if office is None:
            raise ApiError(409, "no_office",
                           Msg("Kantor Anda belum ditetapkan (unit {u} tidak ditempatkan di kantor mana pun dan "
                               "tidak ada kantor yang ditugaskan kepada Anda). Minta BKPSDM menetapkan kantor Anda.",
                               "No office is set for you (unit {u} is not housed in any office and no office is "
                               "assigned to you). Ask BKPSDM to set your office.",
                               u=repr(employee.get("unit_code"))),
                           unit_code=employee.get("unit_code"))
        return office

    @staticmethod
    def _accuracy(accuracy_m: float, office: Office) -> None:
        if not geofence.accuracy_ok(accuracy_m, office.max_accuracy_m):
            raise ApiError(422, "low_accuracy",
                           Msg("Posisi GPS kurang akurat ({a} m; paling besar {m} m). Tunggu sinyal yang lebih baik "
                               "lalu coba lagi.",
                               "The GPS position is too imprecise ({a} m; at most {m} m). Wait for a better fix and "
                               "try again.", a=f"{accuracy_m:g}", m=f"{office.max_accuracy_m:g}"),
                           accuracy_m=accuracy_m, max_accuracy_m=office.max_accuracy_m)

    @staticmethod
    def _fence(lat: float, lon: float, office: Office) -> geofence.FenceDecision:
        return geofence.check_fence(lat, lon, office.latitude, office.longitude, office.radius_m)

    @staticmethod
    def _outside(decision: geofence.FenceDecision, office: Office) -> ApiError:
        return ApiError(403, "outside_geofence",
                        Msg("Anda berada {d} m dari {o}; presensi hanya dalam radius {r} m dari kantor Anda sendiri.",
                            "You are {d} m from {o}; check-in is allowed within {r} m of your own office.",
                            d=f"{decision.distance_m:g}", o=office.name, r=f"{office.radius_m:g}"),
                        distance_m=decision.distance_m, radius_m=office.radius_m, office_code=office.code)

    def _home_fence(self, nip: str, lat: float, lon: float, office: Office) -> tuple[bool, float | None]:
        """WFH: within ``home_radius_m`` of the APPROVED home location -> (True, distance);
        no approved home location -> (False, None), recorded as ``home_unverified``; else 403."""
        home = self.store.get_home_location(nip)
        if not home or home.get("status") != "approved":
            return False, None
        decision = geofence.check_fence(lat, lon, home["latitude"], home["longitude"], office.home_radius_m)
        if not decision.inside:
            raise ApiError(403, "outside_home_geofence",
                           Msg("Anda berada {d} m dari lokasi rumah yang disetujui; presensi WFH hanya dalam radius "
                               "{r} m darinya.",
                               "You are {d} m from your approved home location; WFH check-in is allowed within {r} m "
                               "of it.", d=f"{decision.distance_m:g}", r=f"{office.home_radius_m:g}"),
                           distance_m=decision.distance_m, radius_m=office.home_radius_m)
        return True, decision.distance_m

    # ------------------------------------------------------------------ check-in
    def _clocking(self, nip: str, accuracy_m: float):
        """Who, which office, and when (server clock, office-zone date) for a check-in or check-out."""
        employee = self._employee(nip)
        office = self._office(employee)
        now = self.clock()
        local = local_now(now, office.timezone)
        self._not_employed(employee, local.date())
        self._accuracy(accuracy_m, office)
        return employee, office, now, local, local.date()

    @staticmethod
    def _not_employed(employee: dict[str, Any], day: date) -> None:
        """A day outside the employment span (a TMT still to come) takes no check-in."""
        employment = employment_of(employee)
        if not employment.employed_on(day):
            where, when = employment.why_not(day)
            when_s = when.isoformat() if when else "-"
            raise ApiError(409, "not_employed",
                           Msg("Hari ini di luar masa kerja Anda (TMT {w}); presensi belum dapat dicatat.",
                               "Today is outside your employment (start {w}); no check-in can be recorded.", w=when_s)
                           if where != "after" else
                           Msg("Masa kerja Anda berakhir {w}; presensi tidak dapat dicatat.",
                               "Your employment ended on {w}; no check-in can be recorded.", w=when_s),
                           date=day.isoformat(), active_from=when_s if where != "after" else None)

    def check_in(self, nip: str, latitude: float, longitude: float, accuracy_m: float, mode: str,
                 signals: ClientSignals | None = None, selfie: str | None = None) -> dict[str, Any]:
        employee, office, now, local, day = self._clocking(nip, accuracy_m)
        day_s = day.isoformat()

        decision = self._fence(latitude, longitude, office)
        home_fence: tuple[bool, float | None] | None = None  # (verified, distance to the home) for WFH
        if mode == WorkMode.DL:
            if self.store.leave_type_on(nip, day_s) != "dinas_luar":
                raise ApiError(409, "no_approved_travel",
                               Msg("Tidak ada dinas luar yang disetujui untuk {d}.",
                                   "There is no approved dinas luar (official travel) for {d}.", d=day_s), date=day_s)
        else:
            roster_mode = self.store.roster_mode(nip, day_s) or WorkMode.WFO
            if mode != roster_mode:
                raise ApiError(409, "roster_mismatch",
                               Msg("Jadwal Anda pada {d} adalah {r}, bukan {m}.", "Your roster says {r} on {d}, not {m}.",
                                   r=roster_mode, d=day_s, m=mode),
                               roster_mode=str(roster_mode), date=day_s)
            if mode == WorkMode.WFO and not decision.inside:
                raise self._outside(decision, office)
            if mode == WorkMode.WFH:
                home_fence = self._home_fence(nip, latitude, longitude, office)

        holidays = self.directory.holidays()
        week = office.week_on(day)
        hours = schedule_for(day, office.week, office.overrides)
        working = is_working_day(day, office.week, office.overrides, holidays)
        late = late_minutes(local, hours, week.grace_minutes, on_date=day) if (working and hours) else 0
        check_in_id = uuid.uuid4().hex
        doc = {
            "_id": day_key(nip, day_s), "id": check_in_id, "nip": nip, "date": day_s, "mode": str(mode),
            "office_code": office.code, "timezone": office.timezone, "checked_in_at": now,
            "location": {"latitude": latitude, "longitude": longitude, "accuracy_m": accuracy_m},
            "distance_m": decision.distance_m, "radius_m": office.radius_m, "late_minutes": late,
            "non_working_day": not working, "holiday": holidays.get(day),
            "unit_code": employee.get("unit_code"), "supervisor_nip": employee.get("supervisor_nip"),
            "check_out": None, "request_id": self.request_id,
        }
        if home_fence is not None:
            verified, home_distance = home_fence
            if verified:
                doc["home_distance_m"] = home_distance
            else:
                doc["home_unverified"] = True
        photo = self._selfie(office, selfie)
        fence = None
        if mode == WorkMode.WFO:
            fence = Fence(decision.inside, decision.distance_m, office.radius_m)
        elif home_fence is not None and home_fence[0]:
            fence = Fence(True, home_fence[1], office.home_radius_m)
        assessment = self._assess("check_in", nip, day_s, Fix(latitude, longitude, accuracy_m, now), fence, signals)
        events = []
        doc["has_selfie"] = photo is not None
        if assessment is not None:
            doc.update(flags=[str(f) for f in assessment.flags], evidence=assessment.evidence,
                       review={"state": "pending", "flagged_at": now} if assessment.flags else None)
        answer = public_check_in(doc)
        events.append(checked_in_event(answer, self.request_id))
        if assessment is not None and assessment.flags:
            events.append(check_in_flagged_event(doc, "check_in", assessment.flags, self.request_id))
        if not self.store.insert_check_in(doc, events):
            first = self.store.get_check_in(nip, day_s)
            raise ApiError(409, "already_checked_in", Msg("Anda sudah presensi masuk pada {d}.",
                                                          "You have already checked in on {d}.", d=day_s),
                           check_in=public_check_in(first))
        if photo is not None:
            self.store.put_selfie(check_in_id, nip, day_s, now, photo.content_type, photo.data)
        if doc["holiday"]:
            answer["holiday"] = doc["holiday"]
        return answer

    # ------------------------------------------------------------------ trust
    def _selfie(self, office: Office, selfie: str | None):
        """The office's selfie setting: ``off`` refuses one (we keep no photo we do not need),
        ``required`` refuses a check-in without one; the photo is checked by content."""
        if selfie is None:
            if office.selfie == "required":
                raise ApiError(422, "selfie_required",
                               Msg("Kantor {office} mewajibkan swafoto saat presensi masuk.",
                                   "{office} requires a selfie with the check-in.", office=office.name),
                               errors={"selfie": [Msg("Wajib diisi.", "Missing data for required field.")]})
            return None
        if office.selfie == "off":
            raise ApiError(422, "selfie_not_enabled",
                           Msg("Kantor {office} tidak memakai swafoto; kirim presensi tanpa foto.",
                               "{office} does not use selfies; send the check-in without a photo.",
                               office=office.name),
                           errors={"selfie": [Msg("Tidak dipakai di kantor ini.", "Not used at this office.")]})
        return checked_photo(selfie, field="selfie", max_bytes=self.photo_max_bytes)

    def _assess(self, kind: str, nip: str, day_s: str, fix: Fix, fence: Fence | None,
                signals: ClientSignals | None, record: dict[str, Any] | None = None) -> Assessment | None:
        """The trust signals of this request; a signal the rules refuse answers 403 ``trust_refused``
        and nothing of the check-in is stored (a device's first use is still recorded and binds it:
        it is the employee's device whatever this attempt's fate)."""
        if self.trust is None:
            return None
        signals = signals or ClientSignals()
        if kind == "check_in":
            assessment = self.trust.check_in(nip, day_s, fix, fence, signals)
        else:
            assessment = self.trust.check_out(nip, day_s, fix, fence, signals, record or {})
        if assessment.refused:
            codes = [str(f) for f in assessment.refused]
            raise ApiError(403, "trust_refused",
                           Msg("Presensi ditolak karena: {codes}. Tidak ada yang dicatat; hubungi atasan Anda.",
                               "The attendance was refused because of: {codes}. Nothing was recorded; "
                               "contact your supervisor.", codes=", ".join(codes)),
                           flags=codes)
        return assessment

    # ------------------------------------------------------------------ check-out
    def check_out(self, nip: str, latitude: float, longitude: float, accuracy_m: float,
                  signals: ClientSignals | None = None) -> dict[str, Any]:
        employee, office, now, local, day = self._clocking(nip, accuracy_m)
        day_s = day.isoformat()
        record = self.store.get_check_in(nip, day_s)
        if record is None:
            raise ApiError(409, "not_checked_in", Msg("Anda belum presensi masuk pada {d}.",
                                                      "You have not checked in on {d}.", d=day_s), date=day_s)
        if record.get("check_out"):
            raise ApiError(409, "already_checked_out", checked_out_already(day_s),
                           check_out=check_out_answer(record))
        # The fence is the office of the check-in (normally the employee's own office).
        fence_office = self.directory.office(record["office_code"]) or office
        decision = self._fence(latitude, longitude, fence_office)
        if record["mode"] == WorkMode.WFO and not decision.inside:
            raise self._outside(decision, fence_office)
        holidays = self.directory.holidays()
        hours = schedule_for(day, fence_office.week, fence_office.overrides)
        working = is_working_day(day, fence_office.week, fence_office.overrides, holidays)
        early = early_leave_minutes(local, hours, on_date=day) if (working and hours) else 0
        check_out = {"checked_out_at": now, "latitude": latitude, "longitude": longitude, "accuracy_m": accuracy_m,
                     "distance_m": decision.distance_m, "early_leave_minutes": early,
                     "request_id": self.request_id}
        fence = Fence(decision.inside, decision.distance_m, fence_office.radius_m) \
            if record["mode"] == WorkMode.WFO else None
        assessment = self._assess("check_out", nip, day_s, Fix(latitude, longitude, accuracy_m, now), fence,
                                  signals, record)
        if assessment is not None:
            check_out.update(flags=[str(f) for f in assessment.flags], evidence=assessment.evidence)
        flags = assessment.flags if assessment is not None else ()
        for _ in range(3):  # a review decided in between changes what the day's review becomes: read, try again
            review = record.get("review")
            if flags and review_state(record) in (None, "accepted"):  # new doubt: the day waits for review again
                review = {"state": "pending", "flagged_at": now}
            answer = check_out_answer({**record, "check_out": check_out, "review": review})
            events = [checked_out_event(answer, self.request_id)]
            if flags:
                events.append(check_in_flagged_event(record, "check_out", flags, self.request_id))
            updated = self.store.record_check_out(nip, day_s, check_out, events,
                                                  review=(record.get("review"), review))
            if updated is not None:
                return answer
            record = self.store.get_check_in(nip, day_s) or record
            if record.get("check_out"):
                break
        raise ApiError(409, "already_checked_out", checked_out_already(day_s),
                       check_out=check_out_answer(self.store.get_check_in(nip, day_s) or record))

    # ------------------------------------------------------------------ views
    def today_for(self, employee: dict[str, Any], *, now: datetime | None = None,
                  record: dict[str, Any] | None | bool = False, roster_mode: str | None | bool = False,
                  leave_type: str | None | bool = False) -> dict[str, Any]:
        """The "have I clocked in?" view of one employee for their office's today.

        ``record``/``roster_mode``/``leave_type`` may be passed in (batch views);
        ``False`` means look it up.
        """
        office = self.directory.office_for_employee(employee)
        now = now or self.clock()
        tz = office.timezone if office else DEFAULT_TIMEZONE
        day = local_now(now, tz).date()
        return self.day_view(employee, office, day, record=record, roster_mode=roster_mode,
                             leave_type=leave_type, closed=False)

    def day_view(self, employee: dict[str, Any], office: Office | None, day: date, *, closed: bool,
                 record: dict[str, Any] | None | bool = False, roster_mode: str | None | bool = False,
                 leave_type: str | None | bool = False, holidays: dict[date, str] | None = None) -> dict[str, Any]:
        nip = employee["_id"] if "_id" in employee else employee["nip"]
        day_s = day.isoformat()
        if record is False:
            record = self.store.get_check_in(nip, day_s)
        if roster_mode is False:
            roster_mode = self.store.roster_mode(nip, day_s)
        if leave_type is False:
            leave_type = self._leave_type(nip, day_s)
        holidays = self.directory.holidays() if holidays is None else holidays
        week = office.week if office else DEFAULT_WEEK
        overrides = office.overrides if office else ()
        working = is_working_day(day, week, overrides, holidays)
        counts = counted(record) if record else None  # a rejected check-in counts as none: the day is decided
        late = counts.get("late_minutes", 0) if counts else None
        early = counts["check_out"].get("early_leave_minutes", 0) if counts and counts.get("check_out") else None
        employment = employment_of(employee)
        employed = employment.employed_on(day)
        status = day_status(working, leave_type, late, early, closed or (bool(record) and counts is None),
                            employed=employed)
        kind = self.directory.holiday_kinds().get(day) if day in holidays else None
        reasons = day_reasons(status=status, working_day=working, closed=closed or (bool(record) and counts is None),
                              leave_type=leave_type, holiday=holidays.get(day), holiday_kind=kind, late_minutes=late,
                              early_leave_minutes=early, employment=None if employed else employment.why_not(day))
        reasons += trust_reasons(record) if employed else []
        return {
            "date": day_s, "nip": nip, "name": employee.get("name"),
            "office": office.summary() if office else None,
            "schedule": schedule_view(office, day) if working else None,
            "working_day": working, "holiday": holidays.get(day),
            "roster_mode": roster_mode or (str(WorkMode.WFO) if working else None),
            "leave_type": leave_type,
            "check_in": public_check_in(record) if record else None,
            "check_out": public_check_out(record) if record else None,
            "status": str(status),
            "holiday_kind": kind,
            # why the day counts as it does (domain.reasons): an open list of codes, each with its text
            "reasons": [{"code": r.code, "text": reason_text(r.code, dict(r.params)), "params": dict(r.params)}
                        for r in reasons],
        }

    def _leave_type(self, nip: str, day_s: str) -> str | None:
        return self.store.leave_type_on(nip, day_s)

    def history(self, employee: dict[str, Any], start: date, end: date) -> list[dict[str, Any]]:
        """One entry per day, newest first; days before today are closed."""
        nip = employee["_id"]
        office = self.directory.office_for_employee(employee)
        tz = office.timezone if office else DEFAULT_TIMEZONE
        today = local_now(self.clock(), tz).date()
        end = min(end, today)
        if end < start:
            return []
        start_s, end_s = start.isoformat(), end.isoformat()
        days = [(start + timedelta(days=i)) for i in range((end - start).days + 1)]
        pairs = [(nip, d.isoformat()) for d in days]
        records = self.store.check_ins_for(pairs)
        rosters = self.store.rosters_for(pairs)
        leaves = self.store.leave_types_for(pairs)
        holidays = {date.fromisoformat(h["_id"]): h.get("name", "") for h in self.store.holidays_between(start_s, end_s)}
        out = []
        for d in reversed(days):
            ds = d.isoformat()
            out.append(self.day_view(employee, office, d, closed=d < today, record=records.get((nip, ds)),
                                     roster_mode=rosters.get((nip, ds)), leave_type=leaves.get((nip, ds)),
                                     holidays=holidays))
        return out

    def team_day(self, employees: list[dict[str, Any]], *, on_date: date | None = None) -> list[dict[str, Any]]:
        """Day views for many employees with batched reads (today in each office's zone, or ``on_date``)."""
        now = self.clock()
        plan = []
        for emp in employees:
            office = self.directory.office_for_employee(emp)
            tz = office.timezone if office else DEFAULT_TIMEZONE
            today = local_now(now, tz).date()
            day = on_date or today
            plan.append((emp, office, day, day < today))
        pairs = [(emp["_id"], day.isoformat()) for emp, _office, day, _closed in plan]
        records = self.store.check_ins_for(pairs)
        rosters = self.store.rosters_for(pairs)
        leaves = self.store.leave_types_for(pairs)
        holidays = self.directory.holidays()
        views = []
        for emp, office, day, closed in plan:
            key = (emp["_id"], day.isoformat())
            view = self.day_view(emp, office, day, closed=closed, record=records.get(key),
                                 roster_mode=rosters.get(key), leave_type=leaves.get(key), holidays=holidays)
            view.update(unit_code=emp.get("unit_code"), position=emp.get("position"))
            views.append(view)
        return views
