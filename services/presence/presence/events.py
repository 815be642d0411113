"""Events presence consumes and publishes."""
from __future__ import annotations

import logging
from typing import Any

from sipk_shared.bus import PermanentError, QueueBinding
from sipk_shared.events import make_event


log = logging.getLogger(__name__)

SOURCE = "presence"
# presence.leave.decided / .cancelled are presence's own: what follows a decision runs again from them
# (leave_days.py), so a crash right after the decision does not leave it half done.
BINDING = QueueBinding(queue="presence", patterns=("identity.employee.*", "identity.unit.*", "identity.sessions.*",
                                                   "presence.leave.decided", "presence.leave.cancelled"))


# How far back a changed employment span settles closed days again (a TMT corrected months or
# years later); only the days whose count changed are settled, each a few point reads.
RESETTLE_DAYS = 3 * 366


def make_handler(store_factory, span_changed=None, leave_changed=None):
    """``span_changed(employee, old, new)``: called after a copy whose employment span changed is
    stored (the worker settles the closed days it changes again); ``leave_changed(request_id)``: on a
    leave decision or cancellation (its leave days and settled days made to match it again)."""
    def handle(envelope: dict) -> None:
        event_type, data = envelope["type"], envelope["data"]
        if event_type in ("presence.leave.decided", "presence.leave.cancelled"):
            if not isinstance(data.get("id"), str):
                raise PermanentError("leave event without id")
            if leave_changed:
                leave_changed(data["id"])
            return
        if event_type.startswith("identity.employee."):
            if not isinstance(data.get("nip"), str):
                raise PermanentError("employee event without nip")
            store = store_factory()
            before = store.get_employee(data["nip"]) if span_changed else None
            applied = store.apply_employee_snapshot(data, envelope["occurred_at"])
            if applied and span_changed and "employment" in data and (before or {}).get("employment") != data["employment"]:
                span_changed(store.get_employee(data["nip"]), before)
        elif event_type.startswith("identity.unit."):
            if not isinstance(data.get("code"), str):
                raise PermanentError("unit event without code")
            store_factory().apply_unit_snapshot(
                {k: data.get(k) for k in ("code", "name", "parent_code")}, envelope["occurred_at"])

    return handle


def _office_distance(record: dict[str, Any]) -> float | None:
    return record.get("distance_m") if record.get("mode") == "WFO" else None


def checked_in_event(check_in: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """presence.checked_in: who, which office date, how, when, where, how late.

    ``time`` and ``checked_in_at`` carry the same ISO instant (office offset);
    consumers may read either. ``distance_m`` (to the office) only on WFO days: away from the office
    it would tell how far someone lives from it."""
    data = {
        "id": check_in["id"], "nip": check_in["nip"], "date": check_in["date"], "mode": check_in["mode"],
        "time": check_in["checked_in_at"], "checked_in_at": check_in["checked_in_at"],
        "office_code": check_in["office_code"],
        "distance_m": _office_distance(check_in), "late_minutes": check_in["late_minutes"],
        "non_working_day": check_in.get("non_working_day", False),
    }
    return make_event("presence.checked_in", data, source=SOURCE, request_id=request_id)


def checked_out_event(check_out: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """presence.checked_out: the same day's leaving time and early-leave minutes."""
    data = {
        "id": check_out["id"], "nip": check_out["nip"], "date": check_out["date"], "mode": check_out["mode"],
        "time": check_out["checked_out_at"], "checked_out_at": check_out["checked_out_at"],
        "office_code": check_out["office_code"],
        "distance_m": _office_distance(check_out), "early_leave_minutes": check_out["early_leave_minutes"],
    }
    return make_event("presence.checked_out", data, source=SOURCE, request_id=request_id)


def leave_decided_event(request: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """presence.leave.decided: a supervisor approved or rejected a leave / dinas luar request."""
    data = {
        "id": request["id"], "nip": request["nip"], "type": request["type"],
        "start_date": request["start_date"], "end_date": request["end_date"], "state": request["state"],
        "approved": request["state"] == "approved", "decided_by": request["decided_by"],
        "days": request["days"],
    }  # no note: free text about someone's leave (often their health) stays in presence
    return make_event("presence.leave.decided", data, source=SOURCE, request_id=request_id)


def leave_cancelled_event(request: dict[str, Any], was_approved: bool, request_id: str | None = None
                          ) -> dict[str, Any]:
    """presence.leave.cancelled: the employee withdrew a request before its start (an approved one frees its days)."""
    data = {key: request[key] for key in ("id", "nip", "type", "start_date", "end_date", "days")}
    data.update(state="cancelled", was_approved=was_approved)
    return make_event("presence.leave.cancelled", data, source=SOURCE, request_id=request_id)


def home_location_decided_event(doc: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """presence.home_location.decided: a WFH home location approved or rejected (no coordinates: a home
    address is personal data under UU 27/2022 and no consumer needs it)."""
    data = {"nip": doc["nip"], "status": doc["status"], "approved": doc["status"] == "approved",
            "decided_by": doc["decided_by"]}  # nor the decision's free-text note
    return make_event("presence.home_location.decided", data, source=SOURCE, request_id=request_id)


def roster_published_event(run: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """presence.roster.published: one event per generation run, with its summary (not every entry)."""
    data = {key: run[key] for key in ("id", "unit_code", "office_code", "start_date", "end_date", "wfo_ratio",
                                      "staff", "entries", "days", "generated_by")}
    return make_event("presence.roster.published", data, source=SOURCE, request_id=request_id)


def day_settled_event(day: dict[str, Any]) -> dict[str, Any]:
    """presence.day.settled: one employee-day's settled attendance, as the monthly recap counts it.

    Emitted by the daily close for every employee-day it settles and again whenever a settled day
    changes (a leave approved afterwards); ``revision`` grows with each change of that day. ``tl`` /
    ``psw`` are the TL / PSW band (1-4, 0 = none) the recap counts for the day. No coordinates."""
    data = {key: day[key] for key in ("nip", "date", "working_day", "status", "mode", "late_minutes",
                                      "early_leave_minutes", "tl", "psw", "revision")}
    return make_event("presence.day.settled", data, source=SOURCE)


# --- trust (docs/trust.md): no coordinates, no device id or hash in any of these -----------------
def check_in_flagged_event(doc: dict[str, Any], on: str, flags, request_id: str | None = None) -> dict[str, Any]:
    """presence.check_in.flagged: a check-in (``on: check_in``) or its check-out (``on: check_out``)
    raised trust signals; the day waits for the supervisor's review."""
    data = {"id": doc["id"], "nip": doc["nip"], "date": doc["date"], "on": on, "flags": [str(f) for f in flags],
            "office_code": doc.get("office_code"), "mode": doc.get("mode")}
    return make_event("presence.check_in.flagged", data, source=SOURCE, request_id=request_id)


def check_in_reviewed_event(doc: dict[str, Any], review: dict[str, Any], request_id: str | None = None
                            ) -> dict[str, Any]:
    """presence.check_in.reviewed: the supervisor (or an admin) accepted or rejected a flagged day."""
    flags = list(doc.get("flags") or []) + list((doc.get("check_out") or {}).get("flags") or [])
    data = {"id": doc["id"], "nip": doc["nip"], "date": doc["date"], "state": review["state"],
            "accepted": review["state"] == "accepted", "reviewed_by": review["decided_by"],
            "flags": sorted(set(flags))}
    return make_event("presence.check_in.reviewed", data, source=SOURCE, request_id=request_id)


def device_decided_event(doc: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """presence.device.decided: a new device of an employee approved (now the bound one) or rejected."""
    data = {"nip": doc["nip"], "state": doc["state"], "approved": doc["state"] == "bound",
            "decided_by": doc["decided_by"]}
    return make_event("presence.device.decided", data, source=SOURCE, request_id=request_id)


def correction_decided_event(doc: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """presence.correction.decided: an attendance correction (koreksi presensi) approved or rejected."""
    data = {key: doc[key] for key in ("id", "nip", "date", "kind", "time", "state", "decided_by")}
    data["approved"] = doc["state"] == "approved"
    return make_event("presence.correction.decided", data, source=SOURCE, request_id=request_id)
