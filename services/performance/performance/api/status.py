"""Online status: heartbeats, the supervisor's team view, and its live stream (SSE)."""
from __future__ import annotations

import functools
import json
import logging
import threading
import time

import jwt
from flask import Response, current_app, g, request
from flask.views import MethodView
from marshmallow import RAISE
from sipk_shared.web import Blueprint

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.schemas import ApiErrorSchema
from sipk_shared.timestamps import iso_utc

from ..status import TeamStatus
from .common import ctx, now, require_direct_supervisor_or_admin, store
from .schemas import MemberStatusSchema, StreamQuerySchema, TeamStatusSchema

log = logging.getLogger(__name__)

blp = Blueprint("status", __name__, url_prefix="/api/performance/v1",
                description="Online status of direct subordinates (heartbeats, team view, live stream)")


def team_status() -> TeamStatus:
    s = ctx().settings
    return TeamStatus(store(), online_after_s=s.online_after_s, away_after_s=s.away_after_s)


@blp.route("/me/heartbeat")
class Heartbeat(MethodView):
    @auth_required()
    @blp.response(204)
    @blp.alt_response(401, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self):
        """I am here (the app sends this about once a minute while it is open)

        Only the time of the last heartbeat is kept: no location, no trail.
        """
        ctx().heartbeats.record(current_principal().nip, now())


@blp.route("/team/status")
class TeamStatusView(MethodView):
    @auth_required()
    @blp.response(200, TeamStatusSchema)
    @blp.alt_response(401, schema=ApiErrorSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self):
        """Online state, today's presence and open tasks of my direct subordinates"""
        at = now()
        items = team_status().team(current_principal().nip, at)
        return {"items": items, "total": len(items), "generated_at": at}


@blp.route("/employees/<string:nip>/status")
class EmployeeStatus(MethodView):
    @auth_required()
    @blp.response(200, MemberStatusSchema)
    @blp.alt_response(401, schema=ApiErrorSchema)
    @blp.alt_response(403, schema=ApiErrorSchema, description="not the employee's direct supervisor (or admin)")
    @blp.alt_response(404, schema=ApiErrorSchema, description="unknown employee (admins only; others get 403)")
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, nip):
        """One employee's status: for the direct supervisor, an admin, or the employee themself"""
        employee = require_direct_supervisor_or_admin(current_principal(), nip, allow_self=True)
        if employee is None:  # myself, before identity's event reached us
            employee = {"_id": nip, "name": current_principal().name}
        return team_status().for_employees([employee], now())[0]


# --- Server-Sent Events -------------------------------------------------------------------
class StreamTicket:
    """One live stream's hold on a slot; ``replaced`` is set when a newer stream of the same user took it."""

    def __init__(self, nip: str):
        self.nip = nip
        self.replaced = threading.Event()
        self.handed_over = False
        self.released = False


class StreamSlots:
    """Caps concurrent streams in this process so gthread threads stay free for other requests,
    and per user, so one supervisor cannot take every slot: a user's stream beyond ``per_user``
    takes over the slot of that user's oldest stream, which says ``bye`` and ends at its next tick."""

    def __init__(self, limit: int, per_user: int = 2):
        self.limit = limit
        self.per_user = max(1, per_user)
        self.active = 0
        self._by_user: dict[str, list[StreamTicket]] = {}
        self._lock = threading.Lock()

    def acquire(self, nip: str) -> StreamTicket | None:
        with self._lock:
            mine = self._by_user.setdefault(nip, [])
            ticket = StreamTicket(nip)
            if len(mine) >= self.per_user:
                oldest = mine.pop(0)
                oldest.handed_over = True  # its slot is ours now: its release frees nothing
                oldest.replaced.set()
                mine.append(ticket)
                return ticket
            if self.active >= self.limit:
                if not mine:
                    del self._by_user[nip]
                return None
            self.active += 1
            mine.append(ticket)
            return ticket

    def release(self, ticket: StreamTicket) -> None:
        with self._lock:
            if ticket.released:
                return
            ticket.released = True
            if ticket.handed_over:
                return
            mine = self._by_user.get(ticket.nip, [])
            if ticket in mine:
                mine.remove(ticket)
            if not mine:
                self._by_user.pop(ticket.nip, None)
            self.active = max(0, self.active - 1)

    def streams_of(self, nip: str) -> int:
        with self._lock:
            return len(self._by_user.get(nip, []))


def stream_auth_required(view):
    """Like auth_required, but also takes the token from `?access_token=` (EventSource cannot set headers).

    The header wins when both are present. See docs/performance.md for the trade-off.
    """
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
        if not token:
            token = request.args.get("access_token", "").strip()
        if not token:
            raise ApiError(401, "missing_token",
                           Msg("Silakan masuk dahulu: kirim 'Authorization: Bearer <token>' atau "
                               "'?access_token=<token>'.",
                               "Sign in first: send 'Authorization: Bearer <token>' or '?access_token=<token>'."))
        principal = current_app.extensions["sipk_token_verifier"].verify(token)
        if principal.password_change_required:
            raise ApiError(403, "password_change_required",
                           Msg("Ganti dahulu kata sandi sementara Anda.", "Change your temporary password first."))
        g.principal = principal
        g.token_exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
        return view(*args, **kwargs)

    return wrapper


def sse(event: str, data: str, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {data}\n\n"


@blp.route("/team/status/stream")
class TeamStatusStream(MethodView):
    @stream_auth_required
    @blp.arguments(StreamQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, content_type="text/event-stream",
                  description="`event: status` with the team view whenever it changes; "
                              "`: keep-alive` comments; `event: bye` before the server closes the stream.")
    @blp.alt_response(401, schema=ApiErrorSchema)
    @blp.alt_response(503, schema=ApiErrorSchema, description="too_many_streams: retry after a few seconds")
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, _query):
        """Live team status (Server-Sent Events); token in the header or `?access_token=`"""
        context = ctx()
        settings = context.settings
        slots: StreamSlots = context.stream_slots
        supervisor = current_principal().nip
        ticket = slots.acquire(supervisor)
        if ticket is None:
            raise ApiError(503, "too_many_streams",
                           Msg("Terlalu banyak siaran langsung di server ini; coba lagi dalam {s} detik.",
                               "Too many live streams on this server; retry in {s} seconds.", s=5), retry_after_s=5)
        team = team_status()
        lifetime = float(settings.stream_max_lifetime_s)
        exp = getattr(g, "token_exp", None)
        if isinstance(exp, (int, float)):
            lifetime = max(0.0, min(lifetime, exp - time.time()))
        released = threading.Event()

        def release():
            if not released.is_set():
                released.set()
                slots.release(ticket)

        def generate():
            poll = settings.stream_poll_ms / 1000.0
            keepalive = float(settings.stream_keepalive_s)
            started = last_write = time.monotonic()
            last_items = None
            seq = 0
            try:
                yield "retry: 3000\n\n"
                while True:
                    tick = time.monotonic()
                    if tick - started >= lifetime:
                        yield sse("bye", json.dumps({"reason": "stream lifetime reached; reconnect"}))
                        return
                    if ticket.replaced.is_set():
                        yield sse("bye", json.dumps({"reason": "replaced by a newer stream of yours"}))
                        return
                    try:
                        at = now()
                        items = MemberStatusSchema(many=True).dump(team.team(supervisor, at))
                    except Exception:  # noqa: BLE001 - a failed poll is retried on the next tick
                        log.exception("team status poll failed")
                        items = None
                    if items is not None and items != last_items:
                        last_items, seq = items, seq + 1
                        body = {"items": items, "total": len(items), "generated_at": iso_utc(at)}
                        yield sse("status", json.dumps(body, separators=(",", ":"), ensure_ascii=False), seq)
                        last_write = time.monotonic()
                    elif time.monotonic() - last_write >= keepalive:
                        yield ": keep-alive\n\n"
                        last_write = time.monotonic()
                    ticket.replaced.wait(max(0.05, poll - (time.monotonic() - tick)))
            finally:
                release()

        response = Response(generate(), mimetype="text/event-stream")
        response.call_on_close(release)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Accel-Buffering"] = "no"
        return response
