"""Events identity publishes (through the outbox)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sipk_shared.events import make_event
from sipk_shared.timestamps import iso_utc

from .domain.employment import spans_of, summary

SOURCE = "identity"
SNAPSHOT_FIELDS = ("nip", "name", "unit_code", "position", "supervisor_nip", "roles", "active")


def employee_snapshot(employee: dict[str, Any]) -> dict[str, Any]:
    """What other services may know of an employee: never a password or hash. With the employment
    span (``active_from``, ``active_until``, ``employment``: see domain.employment)."""
    return {**{field: employee.get(field) for field in SNAPSHOT_FIELDS}, **summary(spans_of(employee))}


def employee_event(verb: str, employee: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    assert verb in {"created", "updated", "deactivated"}
    return make_event(f"identity.employee.{verb}", employee_snapshot(employee), source=SOURCE, request_id=request_id)


REVOCATION_REASONS = {"deactivated", "roles_changed", "logged_out", "credentials_reset", "credentials_changed",
                      "refresh_token_reused"}


def sessions_revoked_event(nip: str, not_before: datetime, reason: str, *, sid: str | None = None,
                           request_id: str | None = None) -> dict[str, Any]:
    """identity.sessions.revoked: refuse the NIP's access tokens issued before ``not_before`` (with
    ``sid``: only that sign-in's). Carries no token, only who, since when and why."""
    assert reason in REVOCATION_REASONS
    data = {"nip": nip, "not_before": iso_utc(not_before), "sid": sid, "reason": reason}
    return make_event("identity.sessions.revoked", data, source=SOURCE, request_id=request_id)


def unit_event(verb: str, unit: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    assert verb in {"created", "updated"}
    data = {"code": unit["code"], "name": unit["name"], "parent_code": unit.get("parent_code")}
    return make_event(f"identity.unit.{verb}", data, source=SOURCE, request_id=request_id)
