"""/corrections: attendance corrections (koreksi presensi) and their decisions; use cases in ``corrections.py``."""
from __future__ import annotations

from flask import g
from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.schemas import ApiErrorSchema

from ..corrections import Corrections
from .common import SECURITY, audit, ctx
from .trust import _id, image_response
from .trust_schemas import (CorrectionInSchema, CorrectionListSchema, CorrectionQuerySchema, CorrectionSchema,
                            DecisionInSchema, TeamCorrectionQuerySchema)

blp = Blueprint("corrections", __name__, url_prefix="/api/presence/v1",
                description="Attendance corrections (koreksi presensi)")


def _corrections() -> Corrections:
    settings = ctx().settings
    return Corrections(ctx().store, ctx().directory, ctx().clock, per_month=settings.corrections_per_month,
                       max_age_days=settings.correction_max_age_days, photo_max_bytes=settings.photo_max_bytes)


@blp.route("/corrections")
class CorrectionRequests(MethodView):
    @auth_required()
    @blp.arguments(CorrectionInSchema)
    @blp.response(201, CorrectionSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="inactive_employee")
    @blp.alt_response(409, schema=ApiErrorSchema,
                      description="correction_limit / correction_exists / not_checked_in / leave_day / "
                                  "check_in_rejected / no_office / employee_unknown")
    @blp.alt_response(422, schema=ApiErrorSchema,
                      description="validation_failed / future_date / future_time / too_old / not_a_working_day / "
                                  "before_check_in / after_check_out / unsupported_file_type / photo_too_large")
    @blp.doc(security=SECURITY)
    def post(self, body):
        """Ask to correct one of my days (a forgotten check-out, a failed check-in); my supervisor decides"""
        item = _corrections().create(current_principal().nip, body["date"], body["kind"], body["time"],
                                     body["reason"], body.get("photo"))
        audit("create", "correction", item["id"], {"date": item["date"], "kind": item["kind"], "time": item["time"]})
        return item


@blp.route("/me/corrections")
class MyCorrections(MethodView):
    @auth_required()
    @blp.arguments(CorrectionQuerySchema, location="query")
    @blp.response(200, CorrectionListSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """My correction requests, newest day first (optionally ?status=)"""
        states = [query["status"]] if query.get("status") else None
        items = _corrections().mine(current_principal().nip, states)
        return {"items": items, "total": len(items)}


@blp.route("/team/corrections")
class TeamCorrections(MethodView):
    @auth_required()
    @blp.arguments(TeamCorrectionQuerySchema, location="query")
    @blp.response(200, CorrectionListSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Correction requests of my direct subordinates (?status=pending for the inbox); admin: all or ?unit_code="""
        states = [query["status"]] if query.get("status") else None
        items = _corrections().team(current_principal(), states, query.get("unit_code"))
        return {"items": items, "total": len(items)}


@blp.route("/corrections/<string:correction_id>/decision")
class CorrectionDecision(MethodView):
    @auth_required()
    @blp.arguments(DecisionInSchema)
    @blp.response(200, CorrectionSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not the employee's direct supervisor nor an admin")
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition / not_checked_in / check_in_rejected")
    @blp.doc(security=SECURITY)
    def post(self, body, correction_id):
        """Approve (the day is changed, with a mark of who, when, why) or reject a correction"""
        item = _corrections().decide(current_principal(), _id(correction_id, "koreksi", "correction"),
                                     body["approved"], body["note"], g.get("request_id"))
        audit("decide", "correction", correction_id, {"nip": item["nip"], "date": item["date"],
                                                      "state": item["state"], "note": body["note"]})
        return item


@blp.route("/corrections/<string:correction_id>/photo")
class CorrectionPhoto(MethodView):
    @auth_required()
    @blp.response(200, content_type="image/jpeg", description="the correction's photo evidence")
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self, correction_id):
        """A correction's photo (its owner, the owner's direct supervisor, admins)"""
        return image_response(_corrections().photo(current_principal(), _id(correction_id, "koreksi", "correction")))
