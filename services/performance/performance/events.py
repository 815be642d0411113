"""Events performance consumes and publishes."""
from __future__ import annotations

import logging
from typing import Any

from sipk_shared.bus import PermanentError, QueueBinding
from sipk_shared.events import make_event

from .domain.presence import BadPresenceEvent, parse_checked_in, parse_checked_out

log = logging.getLogger(__name__)

SOURCE = "performance"

BINDING = QueueBinding(queue="performance", patterns=(
    "identity.employee.*", "identity.unit.*", "identity.sessions.*", "presence.checked_in", "presence.checked_out"))


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
