"""Daily close (admin) and the monthly recap (admin; a supervisor for their direct subordinates)."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import xlsxwriter
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
from ..domain.recap import CSV_COLUMNS
from ..recaps import MonthlyRecap
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


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FILE_DOC = {"schema": {"type": "string", "format": "binary"}}


def sheet_name(title: str) -> str:
    """Excel's sheet-name rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Rekap"


def xlsx_bytes(title: str, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """One sheet: a bold, frozen header row of ``columns``, then one row per mapping."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name(title))
    bold = book.add_format({"bold": True})
    widths = [len(name) for name in columns]
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name, bold)
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(columns):
            value = row.get(name)
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, col, value)
            else:
                # Always write_string for text, never write(): write() turns a text starting with
                # = + - @ into a formula, so a crafted value would run in Excel (formula injection).
                sheet.write_string(r, col, str(value))
            widths[col] = max(widths[col], len(str(value)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width, 6), 40) + 2)
    sheet.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()


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
        if query["format"] == "csv":
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), lineterminator="\r\n")
            writer.writeheader()
            for r in recaps:
                writer.writerow(r.to_row())
            return Response("\ufeff" + buf.getvalue(), status=200, mimetype="text/csv",
                            content_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="recap-{who}-{month}.csv"'})
        if query["format"] == "xlsx":
            body = xlsx_bytes(f"Rekap {month}", CSV_COLUMNS, (r.to_row() for r in recaps))
            return Response(body, status=200, mimetype=XLSX_MIMETYPE,
                            headers={"Content-Disposition": f'attachment; filename="recap-{who}-{month}.xlsx"'})
        info = {e["_id"]: e for e in employees}
        items = [{**r.to_dict(), "name": info[r.nip].get("name"), "unit_code": info[r.nip].get("unit_code")}
                 for r in recaps]
        return {"month": month, "unit_code": query.get("unit_code"), "supervisor_nip": query.get("supervisor_nip"),
                "items": items, "total": len(items)}
