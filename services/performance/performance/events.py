"""Events performance consumes and publishes."""
from __future__ import annotations

import logging
from typing import Any

from sipk_shared.bus import PermanentError, QueueBinding
from sipk_shared.events import make_event

from .domain.attendance import BadSettledDay, parse_day_settled
from .domain.presence import BadPresenceEvent, parse_checked_in, parse_checked_out

log = logging.getLogger(__name__)

SOURCE = "performance"

BINDING = QueueBinding(queue="performance", patterns=(
    "identity.employee.*", "identity.unit.*", "identity.sessions.*", "presence.checked_in", "presence.checked_out",
    "presence.day.settled"))


def settled_version(revision: int, occurred_at: str) -> str:
    """The version of a settled employee-day: presence's revision of that day (a compare-and-set
    counter, so exact even across hosts with skewed clocks), then the event's occurred_at."""
    return f"{revision:010d}|{occurred_at}"


def make_handler(store_factory):
    def handle(envelope: dict) -> None:
        event_type, data = envelope["type"], envelope["data"]
        if event_type.startswith("identity.employee."):
            if not isinstance(data.get("nip"), str):
                raise PermanentError("employee event without nip")
            store_factory().apply_employee_snapshot(data, envelope["occurred_at"])
        elif event_type == "presence.checked_in":
            try:
                parsed = parse_checked_in(data)
            except BadPresenceEvent as exc:
                raise PermanentError(str(exc)) from exc
            store_factory().apply_checked_in(parsed)
        elif event_type == "presence.checked_out":
            try:
                parsed = parse_checked_out(data)
            except BadPresenceEvent as exc:
                raise PermanentError(str(exc)) from exc
            store_factory().apply_checked_out(parsed)
        elif event_type == "presence.day.settled":
            # late or repeated events: the stored day keeps the highest version (upsert keyed by nip:date)
            try:
                parsed = parse_day_settled(data)
            except BadSettledDay as exc:
                raise PermanentError(str(exc)) from exc
            store_factory().apply_settled_day(parsed, settled_version(parsed["revision"], envelope["occurred_at"]))
        # identity.unit.* is bound for later features; nothing to keep yet.

    return handle


def task_snapshot(task: dict[str, Any]) -> dict[str, Any]:
    return {"task_id": task["id"], "title": task["title"], "assignee_nip": task["assignee_nip"],
            "assigner_nip": task["assigner_nip"], "due_date": task.get("due_date"),
            "skp_item_id": task.get("skp_item_id"), "status": task["status"]}


def task_event(verb: str, task: dict[str, Any], request_id: str | None = None, **extra: Any) -> dict[str, Any]:
    assert verb in {"assigned", "submitted", "reviewed"}
    return make_event(f"performance.task.{verb}", {**task_snapshot(task), **extra},
                      source=SOURCE, request_id=request_id)


def skp_approved_event(skp: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """performance.skp.approved: whose plan, which year and revision, who approved; no RHK text."""
    approved = skp["approved"]
    data = {"skp_id": skp["id"], "nip": skp["nip"], "year": skp["year"], "revision": approved["revision"],
            "unit_code": skp.get("unit_code"), "approved_by": approved["approved_by"],
            "items": len(approved["items"]), "period_scheme": skp["period_scheme"]}
    return make_event("performance.skp.approved", data, source=SOURCE, request_id=request_id)


def skp_evaluated_event(skp: dict[str, Any], evaluation: dict[str, Any], request_id: str | None = None
                        ) -> dict[str, Any]:
    """performance.skp.evaluated: the ratings and predikat of a period (the rater's note stays here)."""
    data = {"skp_id": skp["id"], "nip": skp["nip"], "year": skp["year"], "unit_code": skp.get("unit_code"),
            "period": evaluation["period"], "version": evaluation["version"],
            "hasil_kerja": evaluation["hasil_kerja"], "perilaku": evaluation["perilaku"],
            "predikat": evaluation["predikat"], "evaluated_by": evaluation["by"]}
    return make_event("performance.skp.evaluated", data, source=SOURCE, request_id=request_id)
