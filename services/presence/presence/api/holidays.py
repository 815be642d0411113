"""/holidays (admin writes): national holidays and cuti bersama, single or CSV bulk."""
from __future__ import annotations

import csv
import io
from datetime import date

from flask import request
from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema

from ..texts import INVALID_DATE, NOT_A_DATE
from .common import SECURITY, audit, ctx, not_found
from .schemas import (HolidayImportResultSchema, HolidayInSchema, HolidayListSchema, HolidayQuerySchema,
                      HolidaySchema)

blp = Blueprint("holidays", __name__, url_prefix="/api/presence/v1/holidays", description="Holidays")

MAX_IMPORT_BYTES = 200_000
MAX_IMPORT_LINES = 1000


@blp.route("")
class Holidays(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(HolidayInSchema)
    @blp.response(201, HolidaySchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="holiday_exists")
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Add a holiday (admin)"""
        day = body["date"].isoformat()
        if not ctx().store.insert_holiday(day, body["name"]):
            raise ApiError(409, "holiday_exists", Msg("{d} sudah menjadi hari libur.", "{d} is a holiday already.", d=day),
                           date=day)
        audit("create", "holiday", day, {"name": body["name"]})
        ctx().directory.invalidate()
        return {"date": day, "name": body["name"]}

    @auth_required()
    @blp.arguments(HolidayQuerySchema, location="query")
    @blp.response(200, HolidayListSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Holidays of a year (default: this year)"""
        year = query.get("year") or date.today().year
        docs = ctx().store.holidays_between(f"{year:04d}-01-01", f"{year:04d}-12-31")
        items = [{"date": d["_id"], "name": d.get("name", "")} for d in docs]
        return {"items": items, "total": len(items), "year": year}


@blp.route("/<string:day>")
class HolidayItem(MethodView):
    @auth_required(roles=["admin"])
    @blp.response(204)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def delete(self, day):
        """Remove a holiday (admin)"""
        try:
            day = date.fromisoformat(day).isoformat() if len(day) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise ApiError(422, "validation_failed", INVALID_DATE, errors={"date": [NOT_A_DATE]})
        if not ctx().store.delete_holiday(day):
            raise not_found("holiday on", day)
        audit("delete", "holiday", day, {})
        ctx().directory.invalidate()


@blp.route("/import")
class HolidayImport(MethodView):
    @auth_required(roles=["admin"])
    @blp.response(200, HolidayImportResultSchema)
    @blp.alt_response(422, schema=ApiErrorSchema, description="no file / not a CSV")
    @blp.doc(security=SECURITY, requestBody={"content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}})
    def post(self):
        """Import holidays from CSV (admin): columns date,name; creates or renames; bad lines are reported"""
        upload = request.files.get("file")
        if upload is None:
            raise ApiError(422, "validation_failed", Msg("Kirim CSV sebagai field multipart 'file'.",
                                                         "Send the CSV as multipart field 'file'."),
                           errors={"file": ["Missing data for required field."]})
        raw = upload.read(MAX_IMPORT_BYTES + 1)
        if len(raw) > MAX_IMPORT_BYTES:
            raise ApiError(413, "payload_too_large", Msg("CSV paling besar {n} byte.", "The CSV may be at most {n} bytes.",
                                                         n=MAX_IMPORT_BYTES))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError(422, "invalid_csv", Msg("Berkas bukan teks UTF-8.", "The file is not UTF-8 text.")) from None
        result = import_holidays(text)
        audit("import", "holiday", "*", {"created": result["created"], "updated": result["updated"]})
        ctx().directory.invalidate()
        return result


def parse_holiday_csv(text: str) -> tuple[list[tuple[int, str, str]], list[dict]]:
    """Rows (line, date, name) and errors [{line, message}]; the header is line 1."""
    reader = csv.reader(io.StringIO(text))
    rows, errors = [], []
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header[:2]] != ["date", "name"]:
        raise ApiError(422, "invalid_csv", Msg("Baris pertama harus judul kolom 'date,name'.",
                                               "The first line must be the header 'date,name'."))
    for index, row in enumerate(reader, start=2):
        if index > MAX_IMPORT_LINES + 1:
            errors.append({"line": index, "message": f"At most {MAX_IMPORT_LINES} lines per file; the rest was skipped."})
            break
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != 2:
            errors.append({"line": index, "message": "Expected 2 columns: date,name."})
            continue
        raw_date, name = row[0].strip(), row[1].strip()
        try:
            if len(raw_date) != 10:
                raise ValueError
            day = date.fromisoformat(raw_date).isoformat()
        except ValueError:
            errors.append({"line": index, "message": f"{raw_date!r} is not a date YYYY-MM-DD."})
            continue
        if not name or len(name) > 200:
            errors.append({"line": index, "message": "The name must be 1-200 characters."})
            continue
        rows.append((index, day, name))
    return rows, errors


def import_holidays(text: str) -> dict:
    rows, errors = parse_holiday_csv(text)
    created = updated = 0
    for _line, day, name in rows:
        if ctx().store.upsert_holiday(day, name):
            created += 1
        else:
            updated += 1
    return {"created": created, "updated": updated, "errors": errors}
