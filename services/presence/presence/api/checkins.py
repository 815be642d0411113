"""/check-ins and /check-outs: the hot path. The NIP is the token's, never the body's."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from marshmallow import fields
from sipk_shared.schemas import ApiErrorSchema, error_schema

from ..idempotency import run_once
from ..trust import ClientSignals
from .common import SECURITY, ctx, json_response
from .schemas import CheckInInSchema, CheckInSchema, CheckOutInSchema, CheckOutSchema

blp = Blueprint("checkins", __name__, url_prefix="/api/presence/v1", description="Check-in and check-out")

IDEMPOTENCY_DOC = {"parameters": [{"in": "header", "name": "Idempotency-Key", "required": False,
                                   "schema": {"type": "string", "maxLength": 100},
                                   "description": "Retry-safe: the same key and body returns the first answer."}]}

CheckInConflictSchema = error_schema("CheckInConflict", check_in=fields.Nested(
    CheckInSchema, metadata={"description": "already_checked_in: the first check-in of the day"}))
CheckOutConflictSchema = error_schema("CheckOutConflict", check_out=fields.Nested(
    CheckOutSchema, metadata={"description": "already_checked_out: the day's check-out"}))

_check_in_out = CheckInSchema()
_check_out_out = CheckOutSchema()


def _signals(body: dict) -> ClientSignals:
    """What the app sent besides the position (docs/trust.md); the User-Agent only names the device."""
    return ClientSignals(device_id=body.get("device_id"), position_at=body.get("position_timestamp"),
                         attempted_at=body.get("attempted_at"), user_agent=request.headers.get("User-Agent"))


def _idempotent(body: dict, action, dump):
    """Run the action once per Idempotency-Key and answer (first answer on replay)."""
    key = request.headers.get("Idempotency-Key")
    nip = current_principal().nip

    def run():
        status, answer = action()
        return status, dump(answer)

    status, answer, replayed = run_once(ctx().store, nip=nip, key=key, path=request.path, body=body, action=run)
    headers = {"Idempotent_Replayed": "true"} if replayed else {}
    return json_response(status, answer, **headers)


@blp.route("/check-ins")
class CheckIns(MethodView):
    @auth_required()
    @blp.arguments(CheckInInSchema)
    @blp.response(201, CheckInSchema)
    @blp.alt_response(403, schema=ApiErrorSchema,
                      description="outside_geofence (distance_m, radius_m, office_code) / trust_refused (flags)")
    @blp.alt_response(409, schema=CheckInConflictSchema,
                      description="already_checked_in / no_office / roster_mismatch / no_approved_travel / not_employed")
    @blp.alt_response(422, schema=ApiErrorSchema,
                      description="validation_failed / low_accuracy / idempotency_key_reused / selfie_required / "
                                  "selfie_not_enabled / unsupported_file_type / photo_too_large / invalid_photo")
    @blp.doc(security=SECURITY, **IDEMPOTENCY_DOC)
    def post(self, body):
        """Clock in: the server's clock, the office's date, the GPS fence of my own office"""
        nip = current_principal().nip
        return _idempotent(
            body,
            lambda: (201, ctx().attendance.check_in(nip, body["latitude"], body["longitude"], body["accuracy_m"],
                                                     body["mode"], _signals(body), body.get("selfie"))),
            _check_in_out.dump)


@blp.route("/check-outs")
class CheckOuts(MethodView):
    @auth_required()
    @blp.arguments(CheckOutInSchema)
    @blp.response(201, CheckOutSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="outside_geofence / trust_refused (flags)")
    @blp.alt_response(409, schema=CheckOutConflictSchema,
                      description="not_checked_in / already_checked_out / no_office")
    @blp.alt_response(422, schema=ApiErrorSchema, description="validation_failed / low_accuracy")
    @blp.doc(security=SECURITY, **IDEMPOTENCY_DOC)
    def post(self, body):
        """Clock out (same fence as the check-in for WFO); answers early_leave_minutes"""
        nip = current_principal().nip
        return _idempotent(
            body,
            lambda: (201, ctx().attendance.check_out(nip, body["latitude"], body["longitude"], body["accuracy_m"],
                                                      _signals(body))),
            _check_out_out.dump)

