"""Daily close (admin) and the monthly recap (admin; a supervisor for their direct subordinates)."""
from __future__ import annotations

from datetime import date

from zoneinfo import ZoneInfo

from flask import Response
from marshmallow import RAISE
from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema

from ..texts import INVALID_DATE, NOT_A_DATE
from ..closing import DailyClose
from ..recap_export import XLSX_MIMETYPE, csv_text, export_rows, moment_label, month_label, xlsx_bytes
from ..recaps import DEFAULT_TIMEZONE, MonthlyRecap
from ..settlement import DaySettlement
from .common import SECURITY, audit, ctx
from .schemas import CloseResultSchema, RecapListSchema, RecapQuerySchema

blp = Blueprint("recap", __name__, url_prefix="/api/presence/v1", description="Daily close and monthly recap")


def _parse_day(day: str) -> date:
    try:
        if len(day) == 10:
            return date.fromisoformat(day)
    except ValueError:
        pass
    raise ApiError(422, "validation_failed", INVALID_DATE, errors={"date": [NOT_A_DATE]})


@blp.route("/days/<string:day>/close")
class DayClose(MethodView):
    @auth_required(roles=["admin"])
    @blp.response(200, CloseResultSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="day_not_ended")
    @blp.alt_response(422, schema=ApiErrorSchema, description="invalid or future date")
    @blp.doc(security=SECURITY)
    def post(self, day):
        """Close a day that has ended: tanpa_keterangan / no_checkout records (admin; idempotent)"""
        the_day = _parse_day(day)
        store = ctx().store
        result = DailyClose(store, ctx().directory, ctx().clock,
                            settle=DaySettlement(store, ctx().directory).settle).close(the_day).to_dict()
        audit("close", "day", result["date"], {"closed": result["closed"]})
        return result


def _employees(query: dict) -> list[dict]:
    """The recap's people: active ones, and those who left on or after the month's first day (their
    days up to the last one count; the rest are not_employed)."""
    me = current_principal()
    unit = query.get("unit_code")
    since = f"{query['month']}-01"
    target = query.get("supervisor_nip") or (None if me.is_admin else me.nip)
    if target is None:
        if not unit:
            raise ApiError(422, "validation_failed", Msg("Isi unit_code (atau supervisor_nip).",
                                                         "Give unit_code (or supervisor_nip)."),
                           errors={"unit_code": ["Missing data for required field."]})
        return ctx().store.employees_in_unit(unit, since)
    if target != me.nip and not me.is_admin:
        raise ApiError(403, "forbidden", Msg("Anda hanya boleh melihat rekap bawahan langsung Anda sendiri.",
                                             "You may only see the recap of your own direct subordinates."))
    team = ctx().store.subordinates(target, since)
    return [e for e in team if not unit or e.get("unit_code") == unit]


_FILE_DOC = {"schema": {"type": "string", "format": "binary"}}


def _titles(query: dict, month: str, people: int) -> tuple[str, str]:
    """The XLSX title row (whose recap, which month) and the line under it (made when, how many)."""
    store, unit = ctx().store, query.get("unit_code")
    office = ctx().directory.office_for_unit(unit) if unit else None
    zone = office.timezone if office else DEFAULT_TIMEZONE
    if unit:
        name = (store.get_unit(unit) or {}).get("name")
        whose = f"Unit {unit}" + (f" - {name}" if name else "")
    else:
        nip = query.get("supervisor_nip") or current_principal().nip
        boss = store.get_employee(nip) or {}
        whose = f"Tim {boss.get('name') or nip} (NIP {nip})"
    made = moment_label(ctx().clock().astimezone(ZoneInfo(zone)), zone)
    return (f"Rekap presensi {whose} - {month_label(month)}",
            f"Dibuat {made} - {people} pegawai - potongan menurut pita TL/PSW yang berlaku")


@blp.route("/recap")
class Recap(MethodView):
    @auth_required()
    @blp.arguments(RecapQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, RecapListSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not admin / not your team")
    @blp.doc(security=SECURITY, responses={200: {"content": {"text/csv": _FILE_DOC, XLSX_MIMETYPE: _FILE_DOC}}})
    def get(self, query):
        """Monthly recap per employee (admin: ?unit_code=; supervisor: own direct subordinates); ?format=csv|xlsx"""
        employees = _employees(query)
        month = query["month"]
        recaps = MonthlyRecap(ctx().store, ctx().directory, ctx().clock).recap(employees, month)
        # unit_code and supervisor_nip are validated ([A-Za-z0-9_-] / digits): safe in a quoted filename.
        who = query.get("unit_code") or f"team-{query.get('supervisor_nip') or current_principal().nip}"
        if query["format"] in ("csv", "xlsx"):
            rows = export_rows(recaps, {e["_id"]: e for e in employees})
            if query["format"] == "csv":
                return Response(csv_text(rows), status=200, mimetype="text/csv", content_type="text/csv; charset=utf-8",
                                headers={"Content-Disposition": f'attachment; filename="recap-{who}-{month}.csv"'})
            body = xlsx_bytes(*_titles(query, month, len(rows)), rows, sheet=f"Rekap {month}")
            return Response(body, status=200, mimetype=XLSX_MIMETYPE,
                            headers={"Content-Disposition": f'attachment; filename="recap-{who}-{month}.xlsx"'})
        info = {e["_id"]: e for e in employees}
        items = [{**r.to_dict(), "name": info[r.nip].get("name"), "unit_code": info[r.nip].get("unit_code")}
                 for r in recaps]
        return {"month": month, "unit_code": query.get("unit_code"), "supervisor_nip": query.get("supervisor_nip"),
                "items": items, "total": len(items)}
