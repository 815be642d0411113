"""The integration event envelope shared by every service."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

ENVELOPE_VERSION = 1


def make_event(event_type: str, data: dict[str, Any], *, source: str,
               request_id: str | None = None, version: int = ENVELOPE_VERSION) -> dict[str, Any]:
    """Build an envelope: {id, type, version, occurred_at, source, data[, request_id]}."""
    if not event_type or "." not in event_type:
        raise ValueError("event type must look like '<service>.<entity>.<verb>'")
    envelope = {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": version,
        "occurred_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "source": source,
        "data": data,
    }
    if request_id:
        envelope["request_id"] = request_id
    return envelope


REQUIRED_KEYS = ("id", "type", "version", "occurred_at", "source", "data")


def validate_envelope(envelope: Any) -> dict[str, Any]:
    """Reject anything that is not an envelope; a consumer dead-letters on ValueError."""
    if not isinstance(envelope, dict):
        raise ValueError("event body is not a JSON object")
    missing = [k for k in REQUIRED_KEYS if k not in envelope]
    if missing:
        raise ValueError(f"event envelope lacks {', '.join(missing)}")
    if not isinstance(envelope["data"], dict):
        raise ValueError("event data is not an object")
    return envelope
