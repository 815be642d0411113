"""/holidays (admin writes): national holidays and cuti bersama, single, CSV bulk, or the national
calendar of a year (the ``holidays`` package's Indonesia calendar, pinned in dev/constraints.txt).

A holiday has a ``kind``: ``national`` (a national or regional holiday) or ``cuti_bersama``
(collective leave, decided by joint ministerial decree each year: the admin enters, imports or
removes those days). Both are days off; the recap counts them apart."""
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
from .schemas import (HOLIDAY_KINDS, HolidayImportResultSchema, HolidayInSchema, HolidayListSchema,
                      HolidayQuerySchema, HolidaySchema, NationalImportQuerySchema, NationalImportResultSchema)

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
        if not ctx().store.insert_holiday(day, body["name"], body["kind"]):
            raise ApiError(409, "holiday_exists", Msg("{d} sudah menjadi hari libur.", "{d} is a holiday already.", d=day),
                           date=day)
        audit("create", "holiday", day, {"name": body["name"], "kind": body["kind"]})
        ctx().directory.invalidate()
        return {"date": day, "name": body["name"], "kind": body["kind"], "source": "admin"}

    @auth_required()
    @blp.arguments(HolidayQuerySchema, location="query")
    @blp.response(200, HolidayListSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Holidays of a year (default: this year)"""
        year = query.get("year") or date.today().year
        docs = ctx().store.holidays_between(f"{year:04d}-01-01", f"{year:04d}-12-31")
        items = [_out(d) for d in docs]
        return {"items": items, "total": len(items), "year": year}


def _out(doc: dict) -> dict:
    return {"date": doc["_id"], "name": doc.get("name", ""), "kind": doc.get("kind") or "national",
            "source": doc.get("source") or "admin"}


@blp.route("/import-national")
class NationalHolidayImport(MethodView):
    @auth_required(roles=["admin"])
    @blp.arguments(NationalImportQuerySchema, location="query")
    @blp.response(200, NationalImportResultSchema)
    @blp.doc(security=SECURITY)
    def post(self, query):
        """Load a year's national holidays (and cuti bersama) from the national calendar (admin)

        Adds the days that are not holidays yet; a date the admin has entered already is kept as it
        is. Cuti bersama days come as kind cuti_bersama: check them against the year's decree and
        remove or add days as it says."""
        year = query["year"]
        created, kept = [], []
        for day, name, kind in national_calendar(year, query["cuti_bersama"]):
            if ctx().store.insert_holiday(day, name, kind, source="national_calendar"):
                created.append({"date": day, "name": name, "kind": kind, "source": "national_calendar"})
            else:
                kept.append(day)
        audit("import_national", "holiday", str(year), {"created": len(created), "kept": len(kept)})
        ctx().directory.invalidate()
        return {"year": year, "created": created, "kept": kept, "calendar": CALENDAR}


def national_calendar(year: int, cuti_bersama: bool) -> list[tuple[str, str, str]]:
    """(date, Indonesian name, kind) of the year: public holidays as national, the government's
    collective-leave days as cuti_bersama (a date in both is national)."""
    import holidays as calendar  # imported on use: the package builds its calendars lazily

    days = {d.isoformat(): (name, "national") for d, name in
            calendar.country_holidays("ID", years=year, language="id").items()}
    if cuti_bersama:
        for d, name in calendar.country_holidays("ID", years=year, language="id", categories=("government",)).items():
            days.setdefault(d.isoformat(), (name, "cuti_bersama"))
    return [(day, name[:200], kind) for day, (name, kind) in sorted(days.items())]


def _calendar_name() -> str:
    from importlib.metadata import version

    return f"holidays {version('holidays')} (Indonesia)"


CALENDAR = _calendar_name()


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
        """Import holidays from CSV (admin): columns date,name[,kind]; creates or renames; bad lines are reported

        kind: national (default) or cuti_bersama (also "cuti bersama", "libur nasional")."""
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


_KIND_WORDS = {"national": "national", "nasional": "national", "libur nasional": "national", "libur": "national",
               "cuti_bersama": "cuti_bersama", "cuti bersama": "cuti_bersama"}


def parse_holiday_csv(text: str) -> tuple[list[tuple[int, str, str, str]], list[dict]]:
    """Rows (line, date, name, kind) and errors [{line, message}]; the header is line 1:
    ``date,name`` or ``date,name,kind``."""
    reader = csv.reader(io.StringIO(text))
    rows, errors = [], []
    header = next(reader, None)
    columns = [h.strip().lower() for h in header] if header else []
    if columns not in (["date", "name"], ["date", "name", "kind"]):
        raise ApiError(422, "invalid_csv", Msg("Baris pertama harus judul kolom 'date,name' atau 'date,name,kind'.",
                                               "The first line must be the header 'date,name' or 'date,name,kind'."))
    width = len(columns)
    for index, row in enumerate(reader, start=2):
        if index > MAX_IMPORT_LINES + 1:
            errors.append({"line": index, "message": Msg("Paling banyak {n} baris per berkas; sisanya dilewati.",
                                                         "At most {n} lines per file; the rest was skipped.",
                                                         n=MAX_IMPORT_LINES)})
            break
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != width and not (width == 3 and len(row) == 2):
            errors.append({"line": index, "message": Msg("Harus {n} kolom: {h}.", "Expected {n} columns: {h}.",
                                                         n=width, h=",".join(columns))})
            continue
        raw_date, name = row[0].strip(), row[1].strip()
        try:
            if len(raw_date) != 10:
                raise ValueError
            day = date.fromisoformat(raw_date).isoformat()
        except ValueError:
            errors.append({"line": index, "message": Msg("{d} bukan tanggal YYYY-MM-DD.", "{d} is not a date YYYY-MM-DD.",
                                                         d=repr(raw_date))})
            continue
        if not name or len(name) > 200:
            errors.append({"line": index, "message": Msg("Nama harus 1-200 karakter.",
                                                         "The name must be 1-200 characters.")})
            continue
        raw_kind = row[2].strip().lower() if len(row) > 2 else ""
        kind = _KIND_WORDS.get(raw_kind) if raw_kind else "national"
        if kind is None:
            errors.append({"line": index, "message": Msg("kind {k} tidak dikenal: gunakan {ok}.",
                                                         "Unknown kind {k}: use {ok}.", k=repr(raw_kind[:40]),
                                                         ok=" / ".join(HOLIDAY_KINDS))})
            continue
        rows.append((index, day, name, kind))
    return rows, errors


def import_holidays(text: str) -> dict:
    rows, errors = parse_holiday_csv(text)
    created = updated = 0
    for _line, day, name, kind in rows:
        if ctx().store.upsert_holiday(day, name, kind):
            created += 1
        else:
            updated += 1
    return {"created": created, "updated": updated, "errors": errors}
