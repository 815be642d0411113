"""/offices (admin): location, radius, zone, units, schedule and overrides; /employees/{nip}/office."""
from __future__ import annotations

import re
import uuid

from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema, PaginationQuerySchema

from ..directory import DEFAULT_HOME_RADIUS_M, week_from_doc
from ..texts import INVALID_NIP
from .common import SECURITY, audit, ctx, not_found
from .schemas import (NIP_RE, EmployeeOfficeInSchema, EmployeeOfficeSchema, OfficeCreateSchema,
                      OfficePageSchema, OfficePatchSchema, OfficeSchema, OverrideInSchema, OverrideListSchema,
                      OverrideOutSchema, ScheduleOutSchema, WeekScheduleSchema)

blp = Blueprint("offices", __name__, url_prefix="/api/presence/v1", description="Offices, schedules (admin)")


def office_out(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if k != "_id"}
    out["schedule"] = week_from_doc(doc.get("schedule")).to_dict()
    out["home_radius_m"] = float(doc.get("home_radius_m") or DEFAULT_HOME_RADIUS_M)
    out["selfie"] = doc.get("selfie") or "off"
    return out


def office_exists(code: str) -> ApiError:
    return ApiError(409, "office_exists", Msg("Kantor dengan kode {c} sudah ada.", "An office with code {c} exists already.",
                                              c=repr(code)))


def _units_free(unit_codes: list[str], except_code: str | None = None) -> None:
    """A unit is housed in one office only: otherwise its employees' office would be ambiguous."""
    if not unit_codes:
        return
    clashes = ctx().store.offices_housing(unit_codes, except_code=except_code)
    if clashes:
        taken = {u: c["_id"] for c in clashes for u in c.get("unit_codes", []) if u in unit_codes}
        raise ApiError(409, "unit_already_housed",
                       Msg("Unit-unit ini sudah ditempatkan di kantor lain: {l}",
                           "These units are already housed in another office: {l}",
                           l=", ".join(f"{u} ({c})" for u, c in sorted(taken.items()))),
                       units=taken)


def _dedupe(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def _get_office(code: str) -> dict:
    doc = ctx().store.get_office(code)
    if doc is None:
        raise not_found("office", code)
    return doc


@blp.route("/offices")
class Offices(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(OfficeCreateSchema)
    @blp.response(201, OfficeSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="office_exists / unit_already_housed")
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Create an office (admin)"""
        if ctx().store.get_office(body["code"]) is not None:
            raise office_exists(body["code"])
        body["unit_codes"] = _dedupe(body["unit_codes"])
        _units_free(body["unit_codes"])
        schedule = body.pop("schedule", None)
        if schedule is not None:
            body["schedule"] = week_from_doc(schedule).to_dict()
        if not ctx().store.insert_office(body):
            raise office_exists(body["code"])
        audit("create", "office", body["code"], body)
        ctx().directory.invalidate()
        return office_out(ctx().store.get_office(body["code"]))

    @auth_required()
    @blp.arguments(PaginationQuerySchema, location="query")
    @blp.response(200, OfficePageSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """List offices"""
        page, size = query["page"], query["page_size"]
        items, total = ctx().store.list_offices((page - 1) * size, size)
        return {"items": [office_out(d) for d in items], "total": total, "page": page, "page_size": size}


@blp.route("/offices/<string:code>")
class OfficeItem(MethodView):
    @auth_required()
    @blp.response(200, OfficeSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, code):
        """One office"""
        return office_out(_get_office(code))

    @auth_required(roles=["admin"])
    @blp.arguments(OfficePatchSchema)
    @blp.response(200, OfficeSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="unit_already_housed")
    @blp.doc(security=SECURITY)
    def patch(self, body, code):
        """Change an office (admin)"""
        _get_office(code)
        if "unit_codes" in body:
            body["unit_codes"] = _dedupe(body["unit_codes"])
            _units_free(body["unit_codes"], except_code=code)
        doc = ctx().store.update_office(code, body)
        if doc is None:
            raise not_found("office", code)
        audit("update", "office", code, body)
        ctx().directory.invalidate()
        return office_out(doc)

    @auth_required(roles=["admin"])
    @blp.response(204)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def delete(self, code):
        """Delete an office and its schedule overrides (admin); past check-ins keep its code"""
        if not ctx().store.delete_office(code):
            raise not_found("office", code)
        audit("delete", "office", code, {})
        ctx().directory.invalidate()


@blp.route("/offices/<string:code>/schedule")
class OfficeSchedule(MethodView):
    @auth_required()
    @blp.response(200, ScheduleOutSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, code):
        """The office's weekly schedule"""
        return week_from_doc(_get_office(code).get("schedule")).to_dict()

    @auth_required(roles=["admin"])
    @blp.arguments(WeekScheduleSchema)
    @blp.response(200, ScheduleOutSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def put(self, body, code):
        """Replace the office's weekly schedule (admin); null days are days off"""
        _get_office(code)
        schedule = week_from_doc(body).to_dict()
        ctx().store.update_office(code, {"schedule": schedule})
        audit("set_schedule", "office", code, schedule)
        ctx().directory.invalidate()
        return schedule


@blp.route("/offices/<string:code>/schedule-overrides")
class Overrides(MethodView):
    @auth_required()
    @blp.response(200, OverrideListSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, code):
        """Date-range schedules of the office (e.g. Ramadan hours)"""
        _get_office(code)
        items = [_override_out(o) for o in ctx().store.overrides_for(code)]
        return {"items": items, "total": len(items)}

    @auth_required(roles=["admin"])
    @blp.arguments(OverrideInSchema)
    @blp.response(201, OverrideOutSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def post(self, body, code):
        """Add a schedule for a date range (admin); the latest-starting covering range wins"""
        _get_office(code)
        week = week_from_doc(body).to_dict()
        override = {"_id": uuid.uuid4().hex, "office_code": code, "name": body["name"],
                    "start_date": body["start_date"].isoformat(), "end_date": body["end_date"].isoformat(),
                    **week}
        ctx().store.insert_override(override)
        audit("add_override", "office", code, {k: v for k, v in override.items() if k != "_id"})
        ctx().directory.invalidate()
        return _override_out(override)


@blp.route("/offices/<string:code>/schedule-overrides/<string:override_id>")
class OverrideItem(MethodView):
    @auth_required(roles=["admin"])
    @blp.response(204)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def delete(self, code, override_id):
        """Remove a date-range schedule (admin)"""
        if not ctx().store.delete_override(code, override_id):
            raise not_found("schedule override", override_id)
        audit("delete_override", "office", code, {"override_id": override_id})
        ctx().directory.invalidate()


def _override_out(doc: dict) -> dict:
    return {"id": doc["_id"], "office_code": doc["office_code"], "name": doc.get("name", ""),
            "start_date": doc["start_date"], "end_date": doc["end_date"], "days": doc.get("days", {}),
            "grace_minutes": doc.get("grace_minutes", 0)}


@blp.route("/employees/<string:nip>/office")
class EmployeeOffice(MethodView):
    @auth_required()
    @blp.response(200, EmployeeOfficeSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, nip):
        """The office an employee checks in at (admin, or the employee)"""
        me = current_principal()
        if not me.is_admin and me.nip != nip:
            raise ApiError(403, "forbidden", Msg("Anda hanya boleh melihat kantor Anda sendiri.",
                                                 "You may only see your own office."))
        return _employee_office(nip)

    @auth_required(roles=["admin"])
    @blp.arguments(EmployeeOfficeInSchema)
    @blp.response(200, EmployeeOfficeSchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="unknown employee or office")
    @blp.doc(security=SECURITY)
    def put(self, body, nip):
        """Assign an employee to an office regardless of unit (admin); null clears it"""
        code = body["office_code"]
        if code is not None:
            _get_office(code)
        if ctx().store.set_office_override(nip, code) is None:
            raise not_found("employee", nip)
        audit("set_office", "employee", nip, {"office_code": code})
        return _employee_office(nip)


def _employee_office(nip: str) -> dict:
    if not re.match(NIP_RE, nip):
        raise ApiError(422, "invalid_nip", INVALID_NIP)
    employee = ctx().store.get_employee(nip)
    if employee is None:
        raise not_found("employee", nip)
    office = ctx().directory.office_for_employee(employee)
    return {"nip": nip, "unit_code": employee.get("unit_code"), "office_override": employee.get("office_override"),
            "office": office.summary() if office else None}

