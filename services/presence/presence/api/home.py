"""WFH home locations: an employee registers one, the direct supervisor (or an admin) approves it.

A new location always starts ``pending`` (replacing any previous one, approved
or not): it must be approved again. Check-in reads the approved one (attendance.py).
"""
from __future__ import annotations

import re

from flask import g
from flask.views import MethodView
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema

from ..events import home_location_decided_event
from ..store import utcnow
from ..texts import employee_unknown, inactive_employee
from .common import SECURITY, audit, ctx, employee_name, not_found, team_names
from .schemas import (NIP_RE, HomeLocationDecisionInSchema, HomeLocationInSchema, HomeLocationListSchema,
                      HomeLocationQuerySchema, HomeLocationSchema)

blp = Blueprint("home_locations", __name__, url_prefix="/api/presence/v1", description="WFH home locations")


_STATUS_ID = {"pending": "menunggu keputusan", "approved": "disetujui", "rejected": "ditolak"}


def _out(doc: dict, names: dict | None = None) -> dict:
    out = {k: v for k, v in doc.items() if k != "_id"}
    if names is not None:
        out["name"] = names.get(doc["nip"])
    return out


@blp.route("/me/home-location")
class MyHomeLocation(MethodView):
    @auth_required()
    @blp.arguments(HomeLocationInSchema)
    @blp.response(200, HomeLocationSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="employee_unknown")
    @blp.alt_response(422, schema=ApiErrorSchema, description="validation_failed")
    @blp.doc(security=SECURITY)
    def put(self, body):
        """Register my home location for WFH (pending until my supervisor approves it)"""
        nip = current_principal().nip
        store = ctx().store
        employee = store.get_employee(nip)
        if employee is None:
            raise employee_unknown()
        if not employee.get("active", False):
            raise inactive_employee()
        doc = {"_id": nip, "nip": nip, "latitude": body["latitude"], "longitude": body["longitude"],
               "status": "pending", "requested_at": utcnow(), "decided_by": None, "decided_at": None,
               "note": None, "request_id": g.get("request_id")}
        store.put_home_location(doc)
        audit("register", "home_location", nip, {"latitude": body["latitude"], "longitude": body["longitude"]})
        return _out(doc)

    @auth_required()
    @blp.response(200, HomeLocationSchema)
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.doc(security=SECURITY)
    def get(self):
        """My home location and its status"""
        nip = current_principal().nip
        doc = ctx().store.get_home_location(nip)
        if doc is None:
            raise not_found("home location for", nip)
        return _out(doc)


@blp.route("/team/home-locations")
class TeamHomeLocations(MethodView):
    @auth_required()
    @blp.arguments(HomeLocationQuerySchema, location="query")
    @blp.response(200, HomeLocationListSchema)
    @blp.doc(security=SECURITY)
    def get(self, query):
        """Home locations of my direct subordinates (?status=pending for the inbox); an admin sees all"""
        me = current_principal()
        store = ctx().store
        names = team_names(store, me.nip)
        if me.is_admin:
            docs = store.home_locations_of(None, query.get("status"))
            for nip in {d["nip"] for d in docs} - set(names):
                names[nip] = employee_name(store, nip)
        else:  # nobody reporting to me: an empty list
            docs = store.home_locations_of(list(names), query.get("status")) if names else []
        items = [_out(d, names) for d in docs]
        return {"items": items, "total": len(items)}


def _may_decide(owner: dict | None, nip: str) -> bool:
    me = current_principal()
    if me.nip == nip:
        return False
    if me.is_admin:
        return True
    return bool(owner and owner.get("supervisor_nip") and owner["supervisor_nip"] == me.nip)


@blp.route("/home-locations/<string:nip>/decision")
class HomeLocationDecision(MethodView):
    @auth_required()
    @blp.arguments(HomeLocationDecisionInSchema)
    @blp.response(200, HomeLocationSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not the employee's direct supervisor nor an admin")
    @blp.alt_response(404, schema=ApiErrorSchema)
    @blp.alt_response(409, schema=ApiErrorSchema, description="invalid_transition (not pending)")
    @blp.doc(security=SECURITY)
    def post(self, body, nip):
        """Approve or reject a pending home location (the employee's direct supervisor or an admin)"""
        if not re.match(NIP_RE, nip):
            raise not_found("home location for", nip)
        store = ctx().store
        owner = store.get_employee(nip)
        if not _may_decide(owner, nip):
            raise ApiError(403, "forbidden", Msg("Hanya atasan langsung pegawai atau admin yang memutuskan ini.",
                                                 "Only the employee's direct supervisor or an admin decides this."))
        doc = store.get_home_location(nip)
        if doc is None:
            raise not_found("home location for", nip)
        status = "approved" if body["approved"] else "rejected"
        if doc["status"] != "pending":
            raise ApiError(409, "invalid_transition", Msg("Lokasi rumah ini sudah {s}.", "This home location is {e} already.",
                                                          s=_STATUS_ID.get(doc["status"], doc["status"]), e=doc["status"]),
                           state=doc["status"], target=status)
        changes = {"status": status, "decided_by": current_principal().nip, "decided_at": utcnow(),
                   "note": body["note"]}
        event = home_location_decided_event({**doc, **changes}, g.get("request_id"))
        decided = store.decide_home_location(nip, changes, event)
        if decided is None:  # decided (or replaced) a moment ago
            current = store.get_home_location(nip) or doc
            raise ApiError(409, "invalid_transition", Msg("Lokasi rumah ini sekarang {s}.", "This home location is {e} now.",
                                                          s=_STATUS_ID.get(current["status"], current["status"]),
                                                          e=current["status"]),
                           state=current["status"], target=status)
        audit("decide", "home_location", nip, {"status": status, "note": body["note"]})
        return _out(decided)
