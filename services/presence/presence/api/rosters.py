"""/rosters: presensi shift (WFO/WFH per working day) for a unit, generated fairly; manual edits; views.

Writes the ``rosters`` collection the check-in reads (``_id`` = ``<nip>:<date>``).
"""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from flask import g
from flask.views import MethodView
from sipk_shared.web import Blueprint
from marshmallow import RAISE

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg, from_english
from sipk_shared.schemas import ApiErrorSchema

from ..texts import INVALID_DATE, INVALID_NIP, NOT_A_DATE
from ..attendance import DEFAULT_TIMEZONE
from ..domain.clock import local_now
from ..domain.roster import generate_roster
from ..domain.schedule import working_days
from ..events import roster_published_event
from ..store import day_key, utcnow
from .common import SECURITY, audit, ctx, not_found, team_of
from .schemas import (NIP_RE, MyRosterQuerySchema, MyRosterSchema, RosterEntryInSchema, RosterEntrySchema,
                      RosterGeneratePinnedSchema, RosterGenerateWithPinsInSchema, RosterMatrixSchema,
                      RosterPinInSchema, RosterPinListSchema, RosterPinQuerySchema, RosterPinSchema,
                      RosterQuerySchema, TeamRosterQuerySchema, TeamRosterSchema)

blp = Blueprint("rosters", __name__, url_prefix="/api/presence/v1", description="Rosters (presensi shift)")

MAX_ROSTER_DAYS = 92


def _check_range(start: date, end: date, start_name: str = "start_date", end_name: str = "end_date") -> None:
    if end < start:
        raise ApiError(422, "validation_failed", Msg("{e} tidak boleh sebelum {s}.", "{e} must not be before {s}.",
                                                     e=end_name, s=start_name),
                       errors={end_name: [Msg("Tidak boleh sebelum {s}.", "Must not be before {s}.", s=start_name)]})
    if (end - start).days + 1 > MAX_ROSTER_DAYS:
        raise ApiError(422, "range_too_long", Msg("Satu jadwal paling lama {n} hari sekaligus.",
                                                  "A roster covers at most {n} days at a time.", n=MAX_ROSTER_DAYS),
                       errors={end_name: [Msg("Paling banyak {n} hari.", "At most {n} days.", n=MAX_ROSTER_DAYS)]})


def _check_nip(nip: str) -> None:
    if not re.match(NIP_RE, nip):
        raise ApiError(422, "invalid_nip", INVALID_NIP)


def _pins_for_run(store, staff: list[str], one_off_wfo: list[str], one_off_wfh: list[str]) -> dict[str, str]:
    """{nip: "WFO"|"WFH"} for this run: the staff's stored pins, overridden by the body's one-off pins."""
    both = set(one_off_wfo) & set(one_off_wfh)
    if both:
        raise ApiError(422, "validation_failed", Msg("Seorang pegawai tidak dapat ditetapkan WFO sekaligus WFH.",
                                                     "An employee cannot be pinned to both WFO and WFH."),
                       errors={"pinned_wfh": [Msg("Juga ada di pinned_wfo: {l}.", "Also in pinned_wfo: {l}.",
                                                  l=", ".join(sorted(both)))]})
    strangers = {field: sorted(set(nips) - set(staff))
                 for field, nips in (("pinned_wfo", one_off_wfo), ("pinned_wfh", one_off_wfh))}
    if any(strangers.values()):
        raise ApiError(422, "pinned_not_in_staff", Msg("Penetapan sekali pakai harus menyebut pegawai aktif unit ini.",
                                                       "One-off pins must name active employees of the unit."),
                       errors={field: [Msg("Tidak ada di unit: {l}.", "Not in the unit: {l}.", l=", ".join(nips))]
                               for field, nips in strangers.items() if nips})
    pins = {pin["nip"]: pin["mode"] for pin in store.roster_pins_of(staff)}
    pins.update({nip: "WFO" for nip in one_off_wfo})
    pins.update({nip: "WFH" for nip in one_off_wfh})
    return pins


@blp.route("/rosters/generate")
class RosterGenerate(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(RosterGenerateWithPinsInSchema)
    @blp.response(200, RosterGeneratePinnedSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="no_office / no_staff")
    @blp.alt_response(422, schema=ApiErrorSchema, description="validation_failed / range_too_long / "
                      "pinned_not_in_staff")
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Generate the unit's WFO/WFH roster for the working days of a range (admin); replaces that range.

        Staff pinned always-WFO / always-WFH (``/rosters/pins``, or one-off in the body) keep that mode."""
        unit, start, end, ratio = body["unit_code"], body["start_date"], body["end_date"], body["wfo_ratio"]
        _check_range(start, end)
        office = ctx().directory.office_for_unit(unit)
        if office is None:
            raise ApiError(409, "no_office", Msg("Unit {u} tidak ditempatkan di kantor mana pun; hari kerjanya tidak "
                                                 "diketahui. Tambahkan unit ke sebuah kantor dahulu.",
                                                 "Unit {u} is not housed in any office; its working days are unknown. "
                                                 "Add the unit to an office first.", u=repr(unit)), unit_code=unit)
        store = ctx().store
        staff = [e["_id"] for e in store.employees_in_unit(unit)]
        if not staff:
            raise ApiError(409, "no_staff", Msg("Unit {u} tidak punya pegawai aktif.", "Unit {u} has no active employees.",
                                                u=repr(unit)), unit_code=unit)
        pins = _pins_for_run(store, staff, body["pinned_wfo"], body["pinned_wfh"])
        pinned_wfo = sorted(nip for nip, mode in pins.items() if mode == "WFO")
        pinned_wfh = sorted(nip for nip, mode in pins.items() if mode == "WFH")
        days = working_days(start, end, office.week, office.overrides, ctx().directory.holidays())
        start_s, end_s = start.isoformat(), end.isoformat()
        on_leave: dict[date, set[str]] = {}
        for leave in store.leave_days_between(staff, start_s, end_s):
            on_leave.setdefault(date.fromisoformat(leave["date"]), set()).add(leave["nip"])
        try:
            roster = generate_roster(staff, days, ratio, on_leave=on_leave, pinned_wfo=pinned_wfo,
                                     pinned_wfh=pinned_wfh, seed=unit)
        except ValueError as exc:
            raise ApiError(422, "validation_failed", from_english(str(exc))) from None
        run_id = uuid.uuid4().hex
        documents = [{"_id": day_key(nip, d.isoformat()), "nip": nip, "date": d.isoformat(), "mode": mode,
                      "unit_code": unit, "roster_run_id": run_id}
                     for d, assignments in roster.items() for nip, mode in assignments.items()]
        store.replace_roster_range(unit, staff, start_s, end_s, documents)
        summary = {d.isoformat(): {"wfo": sum(m == "WFO" for m in a.values()),
                                   "wfh": sum(m == "WFH" for m in a.values())} for d, a in roster.items()}
        run = {"_id": run_id, "id": run_id, "unit_code": unit, "office_code": office.code, "start_date": start_s,
               "end_date": end_s, "wfo_ratio": ratio, "staff": len(staff), "entries": len(documents),
               "days": summary, "pinned_wfo": len(pinned_wfo), "pinned_wfh": len(pinned_wfh),
               "generated_by": current_principal().nip, "generated_at": utcnow()}
        store.record_roster_run(run, roster_published_event(run, g.get("request_id")))
        audit("generate", "roster", unit, {"start_date": start_s, "end_date": end_s, "wfo_ratio": ratio,
                                           "roster_run_id": run_id, "pinned_wfo": pinned_wfo,
                                           "pinned_wfh": pinned_wfh})
        return {k: v for k, v in run.items() if k not in ("_id", "generated_at", "generated_by")}


@blp.route("/rosters/<string:nip>/<string:day>")
class RosterEntry(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(RosterEntryInSchema)
    @blp.response(200, RosterEntrySchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="unknown employee")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid NIP or date")
    @blp.doc(security=SECURITY)
    def put(self, body, nip, day):
        """Set one employee's mode on one day by hand (admin)"""
        _check_nip(nip)
        try:
            parsed = date.fromisoformat(day) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ApiError(422, "validation_failed", INVALID_DATE, errors={"date": [NOT_A_DATE]})
        employee = ctx().store.get_employee(nip)
        if employee is None:
            raise not_found("employee", nip)
        doc = ctx().store.set_roster_entry(nip, parsed.isoformat(), body["mode"], employee.get("unit_code"),
                                           current_principal().nip)
        audit("set_roster", "employee", nip, {"date": parsed.isoformat(), "mode": body["mode"]})
        return doc


@blp.route("/rosters/pins")
class RosterPins(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(RosterPinQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, RosterPinListSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Employees pinned always-WFO / always-WFH (admin); ``unit_code``: that unit's active staff only"""
        store = ctx().store
        if "unit_code" in query:
            people = {e["_id"]: e for e in store.employees_in_unit(query["unit_code"])}
            pins = store.roster_pins_of(list(people))
        else:
            pins = store.roster_pins_of(None)
            people = {pin["nip"]: store.get_employee(pin["nip"]) or {} for pin in pins}  # pins are few
        return {"items": [{**pin, "name": people[pin["nip"]].get("name"),
                           "unit_code": people[pin["nip"]].get("unit_code")} for pin in pins]}


@blp.route("/rosters/pins/<string:nip>")
class RosterPin(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(RosterPinInSchema)
    @blp.response(200, RosterPinSchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="unknown employee")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid NIP, mode or reason")
    @blp.doc(security=SECURITY)
    def put(self, body, nip):
        """Pin an employee to WFO (front desk) or WFH (health reasons) in every generated roster (admin)"""
        _check_nip(nip)
        employee = ctx().store.get_employee(nip)
        if employee is None:
            raise not_found("employee", nip)
        pin = ctx().store.put_roster_pin({"_id": nip, "nip": nip, "mode": body["mode"], "reason": body["reason"],
                                          "set_by": current_principal().nip, "set_at": utcnow()})
        audit("set_roster_pin", "employee", nip, {"mode": body["mode"], "reason": body["reason"]})
        return {**pin, "name": employee.get("name"), "unit_code": employee.get("unit_code")}

    @auth_required(roles=["admin"])
    @blp.response(204)
    @blp.alt_response(404, schema=ApiErrorSchema, description="unknown employee or no pin")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid NIP")
    @blp.doc(security=SECURITY)
    def delete(self, nip):
        """Remove an employee's pin; later generations assign them like everyone else (admin)"""
        _check_nip(nip)
        if ctx().store.get_employee(nip) is None:
            raise not_found("employee", nip)
        if not ctx().store.delete_roster_pin(nip):
            raise not_found("roster pin for employee", nip)
        audit("delete_roster_pin", "employee", nip, {})


@blp.route("/rosters")
class Rosters(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(RosterQuerySchema, location="query")
    @blp.response(200, RosterMatrixSchema)
    @blp.alt_response(422, schema=ApiErrorSchema, description="range_too_long")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """A unit's roster matrix: per active employee {date: mode} (admin)"""
        start, end = query["from_"], query["to"]
        _check_range(start, end, "from", "to")
        team = ctx().store.employees_in_unit(query["unit_code"])
        return {"unit_code": query["unit_code"], "from_": start.isoformat(), "to": end.isoformat(),
                "items": _matrix(team, start, end)}


def _matrix(people: list[dict], start: date, end: date) -> list[dict]:
    """One row per person: {nip, name, days: {date: mode}, leave: {date: type}} from the stored roster
    entries and approved leave days (the generation leaves someone on leave without an entry)."""
    rows = {e["_id"]: {"nip": e["_id"], "name": e.get("name"), "days": {}, "leave": {}} for e in people}
    for entry in ctx().store.rosters_between(list(rows), start.isoformat(), end.isoformat()):
        rows[entry["nip"]]["days"][entry["date"]] = entry["mode"]
    for leave in ctx().store.leave_days_between(list(rows), start.isoformat(), end.isoformat()):
        rows[leave["nip"]]["leave"][leave["date"]] = leave["type"]
    return list(rows.values())


def _default_range(query: dict, nip: str) -> tuple[date, date]:
    """from..to of a roster view; default: today (the person's office zone) and the next 13 days."""
    employee = ctx().store.get_employee(nip)
    office = ctx().directory.office_for_employee(employee) if employee else None
    today = local_now(ctx().clock(), office.timezone if office else DEFAULT_TIMEZONE).date()
    start = query.get("from_") or today
    end = query.get("to") or (start + timedelta(days=13))
    _check_range(start, end, "from", "to")
    return start, end


@blp.route("/team/roster")
class TeamRoster(MethodView):
    @auth_required()
    @blp.arguments(TeamRosterQuerySchema, location="query")
    @blp.response(200, TeamRosterSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="?supervisor_nip= of someone else (not admin)")
    @blp.alt_response(422, schema=ApiErrorSchema, description="range_too_long")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """My direct subordinates' roster from..to (default today and the next 13 days; admin: ?supervisor_nip=)"""
        target, team = team_of(query.get("supervisor_nip"))
        start, end = _default_range(query, target)
        return {"supervisor_nip": target, "from_": start.isoformat(), "to": end.isoformat(),
                "items": _matrix(team, start, end)}


@blp.route("/me/roster")
class MyRoster(MethodView):
    @auth_required()
    @blp.arguments(MyRosterQuerySchema, location="query")
    @blp.response(200, MyRosterSchema)
    @blp.alt_response(422, schema=ApiErrorSchema, description="range_too_long")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """My roster from..to (default today and the next 13 days); days without an entry are WFO"""
        nip = current_principal().nip
        start, end = _default_range(query, nip)
        items = [{"nip": nip, "date": e["date"], "mode": e["mode"]}
                 for e in ctx().store.rosters_between([nip], start.isoformat(), end.isoformat())]
        return {"nip": nip, "from_": start.isoformat(), "to": end.isoformat(), "items": items}
