"""Events presence consumes and publishes."""
from __future__ import annotations

import logging

from sipk_shared.bus import PermanentError, QueueBinding

from .store import Store

log = logging.getLogger(__name__)

BINDING = QueueBinding(queue="presence", patterns=("identity.employee.*", "identity.unit.*"))


def make_handler(store_factory):
    def handle(envelope: dict) -> None:
        event_type, data = envelope["type"], envelope["data"]
        if event_type.startswith("identity.employee."):
            if not isinstance(data.get("nip"), str):
                raise PermanentError("employee event without nip")
            store_factory().apply_employee_snapshot(data, envelope["occurred_at"])
        # identity.unit.* is bound for later features; nothing to keep yet.

    return handle
