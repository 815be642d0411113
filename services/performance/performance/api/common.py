"""Helpers every performance blueprint uses: the context, hierarchy checks, error mapping."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, g

from sipk_shared.auth import Principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from ..domain.skp import ForbiddenAction, InvalidTransition
from ..texts import transition_text


def ctx():
    return current_app.extensions["performance"]


def store():
    return ctx().store


def now() -> datetime:
    return datetime.now(timezone.utc)


def office_today() -> date:
    return now().astimezone(ZoneInfo(ctx().settings.office_timezone)).date()


def request_id() -> str | None:
    return getattr(g, "request_id", None)


def forbidden(message: Msg, error: str = "forbidden") -> ApiError:
    return ApiError(403, error, message)


def is_direct_supervisor(principal: Principal, employee: dict | None) -> bool:
    return bool(employee) and employee.get("supervisor_nip") == principal.nip and employee.get("active", True)


def require_direct_supervisor_or_admin(principal: Principal, nip: str, *, allow_self: bool = False) -> dict | None:
    """The employee copy of `nip` if the caller may see it; 403 otherwise (also for unknown NIPs,
    so that nobody can probe who exists), 404 only for admins asking about an unknown NIP."""
    employee = store().get_employee(nip)
    if principal.is_admin:
        if employee is None:
            raise ApiError(404, "not_found", Msg("Pegawai itu tidak ada.", "No such employee."))
        return employee
    if allow_self and nip == principal.nip:
        return employee
    if not is_direct_supervisor(principal, employee):
        raise forbidden(Msg("Hanya atasan langsung pegawai ini yang boleh melihatnya.",
                            "Only the employee's direct supervisor may see this."), "not_direct_supervisor")
    return employee


def apply_transition(fn, *args):
    """Run a domain transition; wrong role -> 403, wrong state -> 409 invalid_transition."""
    try:
        return fn(*args)
    except ForbiddenAction as exc:
        raise ApiError(403, "forbidden", transition_text(exc)) from exc
    except InvalidTransition as exc:
        raise ApiError(409, "invalid_transition", transition_text(exc), current_status=exc.current,
                       action=exc.action) from exc

