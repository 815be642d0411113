"""/me/today, /me/history, /team/today, /team/history (direct subordinates), /attendance (admin)."""
from __future__ import annotations

import re
from datetime import date, timedelta

from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema

from ..texts import INVALID_NIP, NOT_SUBORDINATE, employee_unknown
from ..attendance import DEFAULT_TIMEZONE, public_check_in, public_check_out
from ..domain.clock import local_now
from .common import SECURITY, ctx, not_found, team_of
from .schemas import (NIP_RE, AttendanceQuerySchema, DayViewPageSchema, DayViewSchema, HistoryQuerySchema,
                      TeamHistoryPageSchema, TeamHistoryQuerySchema, TeamQuerySchema)

blp = Blueprint("attendance", __name__, url_prefix="/api/presence/v1", description="Attendance views")


def _me() -> dict:
    employee = ctx().store.get_employee(current_principal().nip)
    if employee is None:
        raise employee_unknown()
    return employee


def _today_of(employee: dict) -> date:
    office = ctx().directory.office_for_employee(employee)
    return local_now(ctx().clock(), office.timezone if office else DEFAULT_TIMEZONE).date()


def _range(query: dict, today: date) -> tuple[date, date]:
    """from/to, default the last 30 days; capped at the configured maximum."""
    end = query.get("to") or today
    start = query.get("from_") or (end - timedelta(days=29))
    if end < start:
        raise ApiError(422, "validation_failed", Msg("'to' tidak boleh sebelum 'from'.", "'to' must not be before 'from'."),
                       errors={"to": [Msg("Tidak boleh sebelum from.", "Must not be before from.")]})
    limit = ctx().settings.history_max_days
    if (end - start).days + 1 > limit:
        raise ApiError(422, "range_too_long", Msg("Minta paling banyak {n} hari sekaligus.",
                                                  "Ask for at most {n} days at a time.", n=limit),
                       errors={"from": [Msg("Paling banyak {n} hari.", "At most {n} days.", n=limit)]})
    return start, end


def _page(items: list, query: dict) -> dict:
    page, size = query["page"], query["page_size"]
    return {"items": items[(page - 1) * size: page * size], "total": len(items), "page": page, "page_size": size}


@blp.route("/me/today")
class MeToday(MethodView):
    @auth_required()
    @blp.response(200, DayViewSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="employee_unknown")
    @blp.doc(security=SECURITY)
    def get(self):
        """Have I clocked in? My office, today's schedule, roster mode, check-in/out and status"""
        return ctx().attendance.today_for(_me())


@blp.route("/me/history")
class MeHistory(MethodView):
    @auth_required()
    @blp.arguments(HistoryQuerySchema, location="query")
    @blp.response(200, DayViewPageSchema)
    @blp.alt_response(422, schema=ApiErrorSchema, description="range_too_long")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """My days from..to (default the last 30), newest first, with status"""
        employee = _me()
        start, end = _range(query, _today_of(employee))
        return _page(ctx().attendance.history(employee, start, end), query)


@blp.route("/employees/<string:nip>/history")
class EmployeeHistory(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(HistoryQuerySchema, location="query")
    @blp.response(200, DayViewPageSchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="unknown employee")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid NIP / range_too_long")
    @blp.doc(security=SECURITY)
    def get(self, query, nip):
        """One employee's days from..to (default the last 30), newest first, with status (admin: the recap's drill-down)"""
        if not re.match(NIP_RE, nip):
            raise ApiError(422, "invalid_nip", INVALID_NIP)
        employee = ctx().store.get_employee(nip)
        if employee is None:
            raise not_found("employee", nip)
        start, end = _range(query, _today_of(employee))
        return _page(ctx().attendance.history(employee, start, end), query)


@blp.route("/team/today")
class TeamToday(MethodView):
    @auth_required()
    @blp.arguments(TeamQuerySchema, location="query")
    @blp.response(200, DayViewPageSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="?supervisor_nip= of someone else (not admin)")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """My direct subordinates today (admin: ?supervisor_nip=)"""
        _target, team = team_of(query.get("supervisor_nip"))
        return _page(ctx().attendance.team_day(team), query)


@blp.route("/team/history")
class TeamHistory(MethodView):
    @auth_required()
    @blp.arguments(TeamHistoryQuerySchema, location="query")
    @blp.response(200, TeamHistoryPageSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="?supervisor_nip= of someone else (not admin)")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Check-ins of my direct subordinates from..to (optionally one ?nip=), newest first"""
        _target, team = team_of(query.get("supervisor_nip"))
        names = {e["_id"]: e.get("name") for e in team}
        nips = list(names)
        if query.get("nip"):
            if query["nip"] not in names:
                raise ApiError(403, "forbidden", NOT_SUBORDINATE)
            nips = [query["nip"]]
        start, end = _range(query, local_now(ctx().clock(), DEFAULT_TIMEZONE).date() + timedelta(days=1))
        page, size = query["page"], query["page_size"]
        docs, total = ctx().store.page_check_ins(nips, start.isoformat(), end.isoformat(), (page - 1) * size, size)
        items = [{**public_check_in(d), "name": names.get(d["nip"]), "check_out": public_check_out(d)} for d in docs]
        return {"items": items, "total": total, "page": page, "page_size": size}


@blp.route("/attendance")
class UnitAttendance(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(AttendanceQuerySchema, location="query")
    @blp.response(200, DayViewPageSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """A unit's employees on a date (default: today in each office's zone) (admin)"""
        team = ctx().store.employees_in_unit(query["unit_code"])
        return _page(ctx().attendance.team_day(team, on_date=query.get("date")), query)
