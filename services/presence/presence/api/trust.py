"""Trustworthy check-in (docs/trust.md): the review queue of flagged check-ins, their selfies, devices.

/team/flagged, /check-ins/{id}/review, /check-ins/{id}/selfie, /me/devices, /team/devices,
/devices/{id}/decision, /devices/{id}/unbind (admin). Use cases in ``review.py``.
"""
from __future__ import annotations

import re
from datetime import timedelta

from flask import Response, g
from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema

from ..attendance import DEFAULT_TIMEZONE
from ..domain.clock import local_now
from ..review import DeviceApprovals, ReviewQueue, not_found
from .common import SECURITY, audit, ctx
from .trust_schemas import (REVIEW_STATES, DecisionInSchema, DeviceListSchema, DeviceQuerySchema, DeviceSchema,
                            FlaggedItemSchema, FlaggedPageSchema, FlaggedQuerySchema, ReviewInSchema)

blp = Blueprint("trust", __name__, url_prefix="/api/presence/v1",
                description="Trustworthy check-in: flagged check-ins and their review, devices")

ID_RE = re.compile(r"^[0-9a-f]{32}$")


def _queue() -> ReviewQueue:
    return ReviewQueue(ctx().store, ctx().directory, ctx().clock)


def _devices() -> DeviceApprovals:
    return DeviceApprovals(ctx().store, ctx().clock)


def _id(value: str, what_id: str, what_en: str) -> str:
    if not ID_RE.match(value):
        raise not_found(what_id, what_en, value[:40])
    return value


def image_response(photo: dict) -> Response:
    """A stored photo: private, never cached, never sniffed into something else."""
    response = Response(bytes(photo["data"]), mimetype=photo.get("content_type", "image/jpeg"))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@blp.route("/team/flagged")
class TeamFlagged(MethodView):
    @auth_required()
    @blp.arguments(FlaggedQuerySchema, location="query")
    @blp.response(200, FlaggedPageSchema)
    @blp.alt_response(422, schema=ApiErrorSchema, description="range_too_long")
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Flagged check-ins of my direct subordinates with their reasons and evidence (admin: everyone's or ?unit_code=)"""
        today = local_now(ctx().clock(), DEFAULT_TIMEZONE).date()
        end = query.get("to") or today
        start = query.get("from_") or end - timedelta(days=30)
        if end < start:
            raise ApiError(422, "validation_failed", Msg("'to' tidak boleh sebelum 'from'.", "'to' must not be before 'from'."),
                           errors={"to": [Msg("Tidak boleh sebelum from.", "Must not be before from.")]})
        limit = ctx().settings.history_max_days
        if (end - start).days + 1 > limit:
            raise ApiError(422, "range_too_long", Msg("Paling banyak {n} hari sekaligus.", "Ask for at most {n} days at a time.",
                                                      n=limit), errors={"from": [Msg("Paling banyak {n} hari.",
                                                                                     "At most {n} days.", n=limit)]})
        states = [query["status"]] if query.get("status") else REVIEW_STATES
        page, size = query["page"], query["page_size"]
        items, total = _queue().flagged(current_principal(), start.isoformat(), end.isoformat(), states,
                                        query.get("unit_code"), (page - 1) * size, size)
        return {"items": items, "total": total, "page": page, "page_size": size}


@blp.route("/check-ins/<string:check_in_id>/review")
class CheckInReview(MethodView):
    @auth_required()
    @blp.arguments(ReviewInSchema)
    @blp.response(200, FlaggedItemSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not the employee's direct supervisor nor an admin")
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition (reviewed already) / not_flagged")
    @blp.doc(security=SECURITY)
    def post(self, body, check_in_id):
        """Accept or reject a flagged check-in (the employee's direct supervisor or an admin)"""
        item = _queue().review(current_principal(), _id(check_in_id, "presensi", "check-in"), body["accepted"],
                               body["note"], g.get("request_id"))
        audit("review", "check_in", check_in_id, {"state": item["review"], "note": body["note"]})
        return item


@blp.route("/check-ins/<string:check_in_id>/selfie")
class CheckInSelfie(MethodView):
    @auth_required()
    @blp.response(200, content_type="image/jpeg", description="the selfie taken with the check-in")
    @blp.alt_response(403, schema=ApiErrorSchema, description="only the direct supervisor and admins")
    @blp.alt_response(404, schema=ApiErrorSchema, description="none, or deleted after SELFIE_KEEP_DAYS")
    @blp.doc(security=SECURITY)
    def get(self, check_in_id):
        """The check-in's selfie (the employee's direct supervisor and admins; kept SELFIE_KEEP_DAYS)"""
        return image_response(_queue().selfie(current_principal(), _id(check_in_id, "presensi", "check-in")))


@blp.route("/me/devices")
class MyDevices(MethodView):
    @auth_required()
    @blp.response(200, DeviceListSchema)
    @blp.doc(security=SECURITY)
    def get(self):
        """My devices: the bound one, those waiting for approval, rejected, replaced or unbound ones"""
        items = _devices().mine(current_principal().nip)
        return {"items": items, "total": len(items)}


@blp.route("/team/devices")
class TeamDevices(MethodView):
    @auth_required()
    @blp.arguments(DeviceQuerySchema, location="query")
    @blp.response(200, DeviceListSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Devices of my direct subordinates (?status=pending for the inbox, ?nip= one of them); admin: anyone's"""
        states = [query["status"]] if query.get("status") else None
        items = _devices().team(current_principal(), states, query.get("unit_code"), query.get("nip"))
        if query.get("status"):  # "replaced" / "unbound" are partly derived: filter on what is shown
            items = [i for i in items if i["state"] == query["status"]]
        return {"items": items, "total": len(items)}


@blp.route("/devices/<string:device_id>/decision")
class DeviceDecision(MethodView):
    @auth_required()
    @blp.arguments(DecisionInSchema)
    @blp.response(200, DeviceSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not the employee's direct supervisor nor an admin")
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition (not pending)")
    @blp.doc(security=SECURITY)
    def post(self, body, device_id):
        """Approve a new device (it becomes the bound one, replacing the old) or reject it"""
        item = _devices().decide(current_principal(), _id(device_id, "perangkat", "device"), body["approved"],
                                 body["note"], g.get("request_id"))
        audit("decide", "device", device_id, {"nip": item["nip"], "state": item["state"], "note": body["note"]})
        return item


@blp.route("/devices/<string:device_id>/unbind")
class DeviceUnbind(MethodView):
    @auth_required(roles=["admin"])
    @blp.response(200, DeviceSchema)
    @blp.alt_response(403, schema=ApiErrorSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition (unbound already)")
    @blp.doc(security=SECURITY)
    def post(self, device_id):
        """Unbind a device (admin; e.g. a lost phone): the employee's next device is bound on first use"""
        item = _devices().unbind(current_principal(), _id(device_id, "perangkat", "device"))
        audit("unbind", "device", device_id, {"nip": item["nip"]})
        return item
