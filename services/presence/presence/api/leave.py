"""/leave-requests: leave and dinas luar (official travel) requests and their decisions.

The employee asks for themselves (the NIP is the token's); only the DIRECT
supervisor (``supervisor_nip`` in presence's employee copy) decides, or an
admin when the employee has no supervisor. Nothing is approved by itself.
Approval writes one ``leave_days`` document per calendar day (the contract the
check-in reads); cancellation before the start date removes them again.
"""
from __future__ import annotations

import uuid
from datetime import date

from flask import g, request
from flask.views import MethodView
from marshmallow import fields
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg, from_english
from sipk_shared.files import download
from sipk_shared.schemas import ApiErrorSchema, dumped, error_schema
from sipk_shared.uploads import check_uploads, download_name

from ..texts import NOT_SUBORDINATE, employee_unknown, inactive_employee
from ..attendance import DEFAULT_TIMEZONE
from ..domain.clock import local_now
from ..domain.leave import InvalidTransition, LeaveRequest, LeaveState, LeaveValidationError, overlaps, transition
from ..events import leave_cancelled_event, leave_decided_event
from ..annual_leave import ANNUAL
from .. import leave_days
from ..store import utcnow
from .common import SECURITY, audit, ctx, employee_name, not_found, team_names
from .schemas import (LeaveBalanceQuerySchema, LeaveBalanceSchema, LeaveDecisionInSchema, LeaveListSchema,
                      LeaveRequestInSchema, LeaveRequestSchema, MyLeaveQuerySchema, TeamLeaveQuerySchema)

LeaveConflictSchema = error_schema("LeaveConflict", leave_request=fields.Nested(
    LeaveRequestSchema, metadata={"description": "leave_overlap: the pending or approved request it overlaps"}))

blp = Blueprint("leave", __name__, url_prefix="/api/presence/v1", description="Leave and official travel requests")

BLOCKING_STATES = [LeaveState.PENDING.value, LeaveState.APPROVED.value]


_STATE_ID = {"pending": "menunggu keputusan", "approved": "disetujui", "rejected": "ditolak", "cancelled": "dibatalkan"}


def _state_already(state: str) -> Msg:
    return Msg("Permohonan ini sudah {s}.", "This request is {e} already.", s=_STATE_ID.get(state, state), e=state)


def _employee(nip: str) -> dict:
    employee = ctx().store.get_employee(nip)
    if employee is None:
        raise employee_unknown()
    if not employee.get("active", False):
        raise inactive_employee()
    return employee


def _today_of(employee: dict | None) -> date:
    office = ctx().directory.office_for_employee(employee) if employee else None
    return local_now(ctx().clock(), office.timezone if office else DEFAULT_TIMEZONE).date()


def _out(doc: dict, names: dict | None = None) -> dict:
    out = {k: v for k, v in doc.items() if k != "_id"}
    if names is not None:
        out["name"] = names.get(doc["nip"])
    return out


def _get(request_id: str) -> dict:
    doc = ctx().store.get_leave_request(request_id)
    if doc is None:
        raise not_found("leave request", request_id)
    return doc


@blp.route("/leave-requests")
class LeaveRequests(MethodView):
    @auth_required()
    @blp.arguments(LeaveRequestInSchema)
    @blp.response(201, LeaveRequestSchema)
    @blp.alt_response(409, schema=LeaveConflictSchema, description="leave_overlap (with the request it overlaps) / "
                                                                   "employee_unknown")
    @blp.alt_response(422, schema=ApiErrorSchema, description="validation_failed / leave_balance_exceeded "
                                                              "(year, remaining_days, requested_days)")
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Ask for leave or official travel (for myself); it stays pending until my supervisor decides

        A `cuti` (annual leave) request holds the working days it covers from that year's balance
        (GET /me/leave-balance); more than remain is 422 leave_balance_exceeded. A file (SPT scan,
        doctor's letter) is attached with PUT /leave-requests/{id}/attachment."""
        nip = current_principal().nip
        try:
            request = LeaveRequest.create(body["type"], body["start_date"], body["end_date"], body["reason"],
                                          body.get("spt_number"))
        except LeaveValidationError as exc:
            message = from_english(exc.message)
            raise ApiError(422, "validation_failed", message, errors={exc.field: [message]}) from None
        employee = _employee(nip)
        store = ctx().store
        for other in store.leave_requests_of([nip], BLOCKING_STATES):
            if overlaps(request.start_date, request.end_date,
                        date.fromisoformat(other["start_date"]), date.fromisoformat(other["end_date"])):
                raise ApiError(409, "leave_overlap",
                               Msg("Anda sudah punya permohonan {t} ({s}) dari {a} sampai {b}.",
                                   "You already have a {st} {t} request from {a} to {b}.",
                                   s=_STATE_ID.get(other["state"], other["state"]), st=other["state"],
                                   t=other["type"], a=other["start_date"], b=other["end_date"]),
                               leave_request=dumped(LeaveRequestSchema, other))
        request_id = uuid.uuid4().hex
        doc = {"_id": request_id, "id": request_id, "nip": nip, "type": request.type.value,
               "start_date": request.start_date.isoformat(), "end_date": request.end_date.isoformat(),
               "days": request.day_count, "reason": request.reason, "spt_number": request.spt_number,
               "state": LeaveState.PENDING.value, "supervisor_nip": employee.get("supervisor_nip"),
               "unit_code": employee.get("unit_code"), "created_at": utcnow(), "request_id": g.get("request_id")}
        annual = ctx().annual_leave
        if request.type.value == ANNUAL:
            by_year = annual.days_of(employee, request.start_date, request.end_date)
            annual.hold(employee, by_year, request_id)  # 422 leave_balance_exceeded
            doc["annual_days"] = {str(year): days for year, days in by_year.items()}
        try:
            store.insert_leave_request(doc)
        except BaseException:
            annual.give_back(doc)
            raise
        return _out(doc)


@blp.route("/me/leave-requests")
class MyLeaveRequests(MethodView):
    @auth_required()
    @blp.arguments(MyLeaveQuerySchema, location="query")
    @blp.response(200, LeaveListSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """My requests, newest start first (optionally ?status=)"""
        states = [query["status"]] if query.get("status") else None
        items = [_out(d) for d in ctx().store.leave_requests_of([current_principal().nip], states)]
        return {"items": items, "total": len(items)}


@blp.route("/team/leave-requests")
class TeamLeaveRequests(MethodView):
    @auth_required()
    @blp.arguments(TeamLeaveQuerySchema, location="query")
    @blp.response(200, LeaveListSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="?nip= of someone not a direct subordinate")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Requests of my direct subordinates (?status=pending for the inbox); admin: any ?nip="""
        me = current_principal()
        store = ctx().store
        names = team_names(store, me.nip)
        if query.get("nip"):
            if query["nip"] not in names:
                if not me.is_admin:
                    raise ApiError(403, "forbidden", NOT_SUBORDINATE)
                names = {query["nip"]: employee_name(store, query["nip"])}
            else:
                names = {query["nip"]: names[query["nip"]]}
        states = [query["status"]] if query.get("status") else None
        items = [_out(d, names) for d in store.leave_requests_of(list(names), states)]
        return {"items": items, "total": len(items)}


@blp.route("/leave-requests/<string:request_id>")
class LeaveRequestItem(MethodView):
    @auth_required()
    @blp.response(200, LeaveRequestSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, request_id):
        """One request with its owner's name (its owner, the owner's direct supervisor, or an admin)"""
        doc = _get(request_id)
        me = current_principal()
        owner = ctx().store.get_employee(doc["nip"]) or {}
        if me.nip != doc["nip"] and not me.is_admin and owner.get("supervisor_nip") != me.nip:
            raise ApiError(403, "forbidden", Msg("Ini bukan permohonan Anda maupun bawahan langsung Anda.",
                                                 "This is not your request nor a direct subordinate's."))
        return _out(doc, {doc["nip"]: owner.get("name")})  # the supervisor's decision screen names who asks


def _is_direct_supervisor(doc: dict) -> bool:
    """The caller is the request owner's direct supervisor now (the current hierarchy decides)."""
    owner = ctx().store.get_employee(doc["nip"]) or {}
    return bool(owner.get("supervisor_nip")) and owner.get("supervisor_nip") == current_principal().nip


def _may_decide(owner: dict | None) -> bool:
    me = current_principal()
    if owner is None:
        return me.is_admin
    supervisor = owner.get("supervisor_nip")
    if supervisor:
        return supervisor == me.nip
    return me.is_admin


@blp.route("/leave-requests/<string:request_id>/decision")
class LeaveDecision(MethodView):
    @auth_required()
    @blp.arguments(LeaveDecisionInSchema)
    @blp.response(200, LeaveRequestSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not the employee's direct supervisor")
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition (decided already / cancelled)")
    @blp.doc(security=SECURITY)
    def post(self, body, request_id):
        """Approve or reject (the employee's direct supervisor; an admin when there is none)"""
        store = ctx().store
        doc = _get(request_id)
        owner = store.get_employee(doc["nip"])
        me = current_principal()
        if me.nip == doc["nip"] or not _may_decide(owner):
            raise ApiError(403, "forbidden", Msg("Hanya atasan langsung pegawai yang memutuskan permohonan ini.",
                                                 "Only the employee's direct supervisor decides this request."))
        target = LeaveState.APPROVED if body["approved"] else LeaveState.REJECTED
        try:
            transition(doc["state"], target)
        except InvalidTransition as exc:
            raise ApiError(409, "invalid_transition", _state_already(doc["state"]),
                           state=doc["state"], target=exc.target) from None
        changes = {"state": target.value, "decided_by": me.nip, "decided_at": utcnow(),
                   "decision_note": body["note"]}
        event = leave_decided_event({**doc, **changes}, g.get("request_id"))
        decided = store.decide_leave_request(request_id, changes, event)
        if decided is None:  # decided by someone else a moment ago
            current = _get(request_id)
            raise ApiError(409, "invalid_transition", _state_already(current["state"]),
                           state=current["state"], target=target.value)
        # its leave days and the days closed already, or its held annual leave given back (the worker does
        # it again from the event: a crash here leaves nothing half done)
        leave_days.follow(store, ctx().directory, request_id, ctx().annual_leave)
        audit("decide", "leave_request", request_id, {"state": target.value, "note": body["note"]})
        return _out(decided)


@blp.route("/leave-requests/<string:request_id>/cancel")
class LeaveCancel(MethodView):
    @auth_required()
    @blp.response(200, LeaveRequestSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not your request")
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition (final, or already started)")
    @blp.doc(security=SECURITY)
    def post(self, request_id):
        """Cancel my own request before its start date (an approved one frees its days again)"""
        store = ctx().store
        doc = _get(request_id)
        if current_principal().nip != doc["nip"]:
            raise ApiError(403, "forbidden", Msg("Hanya pegawai yang mengajukan yang boleh membatalkan permohonan.",
                                                 "Only the employee who asked may cancel the request."))
        today = _today_of(store.get_employee(doc["nip"]))
        try:
            transition(doc["state"], LeaveState.CANCELLED)
        except InvalidTransition:
            raise ApiError(409, "invalid_transition", Msg("Permohonan ini {s}; tidak dapat dibatalkan.",
                                                          "This request is {e}; it cannot be cancelled.",
                                                          s=_STATE_ID.get(doc["state"], doc["state"]), e=doc["state"]),
                           state=doc["state"]) from None
        if not today < date.fromisoformat(doc["start_date"]):
            raise ApiError(409, "invalid_transition", Msg("Permohonan hanya dapat dibatalkan sebelum tanggal mulainya.",
                                                          "A request can be cancelled only before its start date."),
                           state=doc["state"], start_date=doc["start_date"], today=today.isoformat())
        changes = {"state": LeaveState.CANCELLED.value, "cancelled_at": utcnow()}
        event = leave_cancelled_event({**doc, **changes}, doc["state"] == LeaveState.APPROVED.value,
                                      g.get("request_id"))
        cancelled = store.cancel_leave_request(request_id, doc["state"], changes, event)
        if cancelled is None:
            current = _get(request_id)
            raise ApiError(409, "invalid_transition", Msg("Permohonan ini sekarang {s}.", "This request is {e} now.",
                                                          s=_STATE_ID.get(current["state"], current["state"]),
                                                          e=current["state"]),
                           state=current["state"])
        # its days go, its annual leave is free again (pending or approved; again by the worker)
        leave_days.follow(store, ctx().directory, request_id, ctx().annual_leave)
        audit("cancel", "leave_request", request_id, {"from": doc["state"]})
        return _out(cancelled)


@blp.route("/me/leave-balance")
class MyLeaveBalance(MethodView):
    @auth_required()
    @blp.arguments(LeaveBalanceQuerySchema, location="query")
    @blp.response(200, LeaveBalanceSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="employee_unknown")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """My annual leave (cuti tahunan) of a year (default this year): entitlement, carried over, taken,
        pending, remaining (working days)"""
        employee = ctx().store.get_employee(current_principal().nip)
        if employee is None:
            raise employee_unknown()
        year = query.get("year") or _today_of(employee).year
        balance = ctx().annual_leave.balance(employee, year)
        rules = ctx().annual_leave.rules
        return {"year": year, "entitlement": balance.entitlement, "carried_over": balance.carried_over,
                "available": balance.available, "taken": balance.taken, "pending": balance.pending,
                "remaining": balance.remaining, "carry_over_max": rules.carry_over_max}


@blp.route("/leave-requests/<string:request_id>/attachment")
class LeaveAttachment(MethodView):
    @auth_required()
    @blp.response(200, LeaveRequestSchema)
    @blp.alt_response(404, schema=ApiErrorSchema, description="not a pending request of mine")
    @blp.alt_response(413, schema=ApiErrorSchema, description="file_too_large")
    @blp.alt_response(422, schema=ApiErrorSchema, description="no file / unsupported_file_type (judged by content)")
    @blp.doc(security=SECURITY, requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}})
    def put(self, request_id):
        """Attach a file to my pending request (SPT scan, doctor's letter): pdf, jpg, png, docx or xlsx,
        judged by its content; a new file replaces the old one"""
        settings = ctx().settings
        request.max_content_length = settings.leave_attachment_max_bytes + 64 * 1024
        nip = current_principal().nip
        doc = ctx().store.get_leave_request(request_id) if len(request_id) <= 64 else None
        if doc is None or doc["nip"] != nip or doc["state"] != LeaveState.PENDING.value:
            raise not_found("pending leave request of yours", request_id)
        files = request.files.getlist("file")
        (upload, file_type, _size), = check_uploads(files, max_files=1, max_file_bytes=settings.leave_attachment_max_bytes,
                                                    at_least=1)
        name = download_name(upload.filename or "lampiran", file_type)
        bucket = ctx().store.leave_files()
        saved = bucket.save(upload.stream, name=name, metadata={"content_type": file_type.content_type,
                                                                "leave_request_id": request_id})
        attachment = {"id": saved["id"], "name": name, "size": saved["size"], "content_type": file_type.content_type,
                      "sha256": saved["sha256"], "uploaded_at": utcnow()}
        before = ctx().store.set_leave_attachment(request_id, nip, attachment)
        if before is None:  # decided or cancelled meanwhile: the file does not stay
            bucket.delete([saved["id"]])
            raise not_found("pending leave request of yours", request_id)
        if before.get("attachment"):
            bucket.delete([before["attachment"]["id"]])
        return _out({**before, "attachment": attachment})

    @auth_required()
    @blp.response(200, description="The file")
    @blp.alt_response(403, schema=ApiErrorSchema, description="not the owner, their direct supervisor or an admin")
    @blp.alt_response(404, schema=ApiErrorSchema, description="no such request or no attachment")
    @blp.doc(security=SECURITY, responses={200: {"content": {"application/octet-stream": {
        "schema": {"type": "string", "format": "binary"}}}}})
    def get(self, request_id):
        """Download the attachment (the employee, their direct supervisor, admins)"""
        doc = _get(request_id)
        me = current_principal()
        if not (me.nip == doc["nip"] or me.is_admin or _is_direct_supervisor(doc)):
            raise ApiError(403, "forbidden", Msg("Hanya pegawai, atasan langsungnya dan admin yang boleh mengunduh "
                                                 "lampiran ini.",
                                                 "Only the employee, their direct supervisor and admins may download "
                                                 "this attachment."))
        meta = doc.get("attachment")
        opened = ctx().store.leave_files().open(meta["id"]) if meta else None
        if opened is None:
            raise not_found("attachment of leave request", request_id)
        return download(opened, name=meta["name"], content_type=meta["content_type"])
