"""Daily work log (laporan kinerja harian): entries, the supervisor's decision, monthly summary."""
from __future__ import annotations

from datetime import timedelta

from flask.views import MethodView
from marshmallow import RAISE, Schema, fields
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import INVALID_FIELDS, ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema, error_schema

from ..domain.dailylog import (PENDING, RETURNED, check_editable, decide, find_overlap, month_bounds, monthly_summary,
                               parse_hhmm)
from ..skp_service import SkpService
from ..store import Conflict, new_id
from .common import (
    apply_transition,
    ctx,
    forbidden,
    is_direct_supervisor,
    now,
    office_today,
    require_direct_supervisor_or_admin,
    store,
)
from .schemas import (
    DailyLogCreateSchema,
    DailyLogDecisionSchema,
    DailyLogListSchema,
    DailyLogPatchSchema,
    DailyLogRangeQuerySchema,
    DailyLogSchema,
    MonthlySummarySchema,
    SummaryQuerySchema,
    TeamDailyLogQuerySchema,
)

blp = Blueprint("daily_logs", __name__, url_prefix="/api/performance/v1",
                description="Daily work log (laporan kinerja harian)")

class _OverlapSchema(Schema):
    id = fields.String()
    started_at = fields.String()
    ended_at = fields.String()


OverlapErrorSchema = error_schema("DailyLogOverlap", overlaps_with=fields.Nested(
    _OverlapSchema, metadata={"description": "overlapping_entry: the entry of that day it overlaps"}))

MAX_RANGE_DAYS = 366
RETRIES = 5


def invalid(field: str, message: Msg) -> ApiError:
    return ApiError(422, "validation_failed", INVALID_FIELDS, errors={field: [message]})


_CHANGED_MEANWHILE = Msg("Laporan hari itu berubah sementara itu; coba lagi.", "The day's log changed meanwhile; try again.")


def entry_view(entry: dict) -> dict:
    return {**entry, "minutes": entry["end_min"] - entry["start_min"]}


def date_range(query: dict) -> tuple[str, str]:
    today = office_today()
    date_to = query.get("date_to") or today
    date_from = query.get("date_from") or (date_to - timedelta(days=30))
    if date_from > date_to:
        raise invalid("from", Msg("'from' sesudah 'to'.", "'from' is after 'to'."))
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise invalid("from", Msg("Minta paling banyak {n} hari sekaligus.", "Ask for at most {n} days at a time.",
                                  n=MAX_RANGE_DAYS))
    return date_from.isoformat(), date_to.isoformat()


def checked_times(started_at: str, ended_at: str) -> tuple[int, int]:
    start, end = parse_hhmm(started_at), parse_hhmm(ended_at)
    if end <= start:
        raise invalid("ended_at", Msg("ended_at harus sesudah started_at.", "ended_at must be after started_at."))
    return start, end


def check_own_task(task_id: str | None, nip: str) -> None:
    if task_id:
        task = store().get_task(task_id)
        if task is None or task["assignee_nip"] != nip:
            raise invalid("task_id", Msg("Anda tidak punya tugas itu.", "No such task of yours."))


def overlap_error(clash: dict) -> ApiError:
    return ApiError(409, "overlapping_entry", Msg("Waktu ini bertumpang tindih dengan entri lain pada hari itu.",
                                                  "This time overlaps another entry of that day."),
                    overlaps_with={"id": clash["id"], "started_at": clash["started_at"], "ended_at": clash["ended_at"]})


def entries_of(nip: str, date_from: str, date_to: str) -> list[dict]:
    days = store().daily_log_days(nip, date_from, date_to)
    entries = [e for d in days for e in d.get("entries", [])]
    return sorted(entries, key=lambda e: (e["date"], e["start_min"]))


@blp.route("/daily-logs")
class DailyLogs(MethodView):
    @auth_required()
    @blp.arguments(DailyLogCreateSchema)
    @blp.response(201, DailyLogSchema)
    @blp.alt_response(409, schema=OverlapErrorSchema, description="overlapping_entry")
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, body):
        """Log an activity of my working day (times must not overlap my other entries that day)"""
        nip = current_principal().nip
        if body["date"] > office_today():
            raise invalid("date", Msg("Tanggalnya di masa depan.", "The date is in the future."))
        start, end = checked_times(body["started_at"], body["ended_at"])
        check_own_task(body["task_id"], nip)
        SkpService(store(), ctx().settings).require_item(nip, body["date"].year, body["skp_item_id"])
        day = body["date"].isoformat()
        entry = {"id": new_id(), "nip": nip, "date": day, "activity": body["activity"], "output": body["output"],
                 "started_at": body["started_at"], "ended_at": body["ended_at"], "start_min": start,
                 "end_min": end, "task_id": body["task_id"], "skp_item_id": body["skp_item_id"], "status": PENDING, "decision": None,
                 "created_at": now()}
        for _ in range(RETRIES):
            doc = store().daily_log_day(nip, day)
            clash = find_overlap(start, end, doc.get("entries", []) if doc else [])
            if clash is not None:
                raise overlap_error(clash)
            try:
                store().add_daily_log_entry(nip, day, entry, doc["rev"] if doc else None)
                return entry_view(entry)
            except Conflict:
                continue  # another entry landed meanwhile: check again
        raise ApiError(409, "conflict", _CHANGED_MEANWHILE)

    @auth_required()
    @blp.arguments(TeamDailyLogQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, DailyLogListSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, query):
        """An employee's entries (`?nip=`): for the direct supervisor, admins and the employee"""
        require_direct_supervisor_or_admin(current_principal(), query["nip"], allow_self=True)
        entries = entries_of(query["nip"], *date_range(query))
        return {"items": [entry_view(e) for e in entries], "total": len(entries)}


@blp.route("/me/daily-logs")
class MyDailyLogs(MethodView):
    @auth_required()
    @blp.arguments(DailyLogRangeQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, DailyLogListSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, query):
        """My entries between `from` and `to` (default: the last 31 days)"""
        entries = entries_of(current_principal().nip, *date_range(query))
        return {"items": [entry_view(e) for e in entries], "total": len(entries)}


@blp.route("/daily-logs/<string:log_id>")
class DailyLogEntry(MethodView):
    @auth_required()
    @blp.arguments(DailyLogPatchSchema)
    @blp.response(200, DailyLogSchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="not one of my entries")
    @blp.alt_response(409, schema=OverlapErrorSchema,
                      description="invalid_transition (approved already), overlapping_entry")
    @blp.alt_response(422, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def patch(self, body, log_id):
        """Change one of my entries while it is pending, or resubmit a returned one with changes

        Same day; the times must not overlap my other entries. A returned entry becomes pending again
        (its return note stays as `returned`); an approved one is final (409). Decided in the
        database: the day's document changes only at the revision it was read."""
        nip = current_principal().nip
        if "task_id" in body:
            check_own_task(body["task_id"], nip)
        for _ in range(RETRIES):
            doc = store().find_daily_log_day_by_entry(log_id) if len(log_id) <= 64 else None
            entry = next((e for e in (doc or {}).get("entries", []) if e["id"] == log_id), None)
            if entry is None or entry["nip"] != nip:
                raise ApiError(404, "not_found", Msg("Anda tidak punya entri laporan itu.", "No such log entry of yours."))
            status = apply_transition(check_editable, entry["status"])
            changed = {**entry, **body, "status": status}
            if entry["status"] == RETURNED:  # resubmitted: the supervisor decides again, seeing what was asked
                changed.update(returned=entry.get("decision"), decision=None, resubmitted_at=now())
            start, end = checked_times(changed["started_at"], changed["ended_at"])
            clash = find_overlap(start, end, [e for e in doc["entries"] if e["id"] != log_id])
            if clash is not None:
                raise overlap_error(clash)
            changed.update(start_min=start, end_min=end)
            entries = [changed if e["id"] == log_id else e for e in doc["entries"]]
            try:
                store().replace_daily_log_entries(doc["_id"], doc["rev"], entries)
                return entry_view(changed)
            except Conflict:
                continue  # the day changed meanwhile (another entry, a decision): check again
        raise ApiError(409, "conflict", _CHANGED_MEANWHILE)


@blp.route("/daily-logs/<string:log_id>/decision")
class Decision(MethodView):
    @auth_required()
    @blp.arguments(DailyLogDecisionSchema)
    @blp.response(200, DailyLogSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition")
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, body, log_id):
        """Approve an entry of my direct subordinate, or return it with a note"""
        principal = current_principal()
        for _ in range(RETRIES):
            doc = store().find_daily_log_day_by_entry(log_id) if len(log_id) <= 64 else None
            entry = next((e for e in (doc or {}).get("entries", []) if e["id"] == log_id), None)
            if entry is None:
                raise ApiError(404, "not_found", Msg("Entri laporan itu tidak ada.", "No such log entry."))
            if not is_direct_supervisor(principal, store().get_employee(entry["nip"])):
                raise forbidden(Msg("Hanya atasan langsung pegawai yang memutuskan laporannya.",
                                    "Only the employee's direct supervisor decides on the log."), "not_direct_supervisor")
            status = apply_transition(decide, entry["status"], body["approved"])
            decided = {**entry, "status": status,
                       "decision": {"approved": body["approved"], "note": body["note"], "by": principal.nip,
                                    "at": now()}}
            entries = [decided if e["id"] == log_id else e for e in doc["entries"]]
            try:
                store().replace_daily_log_entries(doc["_id"], doc["rev"], entries)
                return entry_view(decided)
            except Conflict:
                continue
        raise ApiError(409, "conflict", _CHANGED_MEANWHILE)


@blp.route("/daily-logs/summary")
class Summary(MethodView):
    @auth_required()
    @blp.arguments(SummaryQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, MonthlySummarySchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, query):
        """Monthly summary of one employee's log (default: mine)"""
        principal = current_principal()
        nip = query["nip"] or principal.nip
        employee = require_direct_supervisor_or_admin(principal, nip, allow_self=True)
        first, last = month_bounds(query["month"])
        summary = monthly_summary(entries_of(nip, first.isoformat(), last.isoformat()))
        return {"nip": nip, "name": (employee or {}).get("name") or (principal.name if nip == principal.nip
                                                                     else None),
                "month": query["month"], **summary}
