"""Who may call what in identity, decided on the stored account, not only the token.

A token lives 15 minutes; identity is the source of truth, so here a
deactivated employee, a demoted admin, a signed-out session or a reset
password loses access at once. Other services learn it from
``identity.sessions.revoked`` (sipk_shared.revocations) within about a second.
"""
from __future__ import annotations

import functools
from datetime import timezone

from flask import current_app, g

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg
from sipk_shared.revocations import token_revoked

from ..directory import Directory
from ..store import IdentityStore


def store() -> IdentityStore:
    return current_app.extensions["identity"].store


def directory() -> Directory:
    """The admin use cases, acting as the signed-in admin under the gateway's request id."""
    return Directory(store(), actor=g.me["nip"], request_id=getattr(g, "request_id", None),
                     timezone=current_app.extensions["identity"].settings.office_timezone)


def signed_in(*, admin: bool = False, allow_password_change: bool = False):
    def decorator(view):
        @auth_required(allow_password_change=allow_password_change)
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            me = store().get_employee(principal.nip)
            if me is None or not me.get("active", False):
                raise ApiError(401, "invalid_token", Msg("Akun ini sudah tidak aktif.", "The account is no longer active."))
            if _revoked(principal, me):
                raise token_revoked()
            if admin and "admin" not in (me.get("roles") or []):
                raise ApiError(403, "forbidden", Msg("Hanya admin BKPSDM yang boleh melakukan ini.",
                                                     "Only BKPSDM admins may do this."))
            g.me = me
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _revoked(principal, me: dict) -> bool:
    """Identity is the source: the stored "not before" and ended sign-ins, no event to wait for."""
    not_before = me.get("tokens_not_before")
    if not_before is not None:
        not_before = not_before if not_before.tzinfo else not_before.replace(tzinfo=timezone.utc)
        if principal.issued_at < not_before.timestamp():
            return True
    return bool(principal.session_id) and store().session_ended(principal.session_id)


def is_admin() -> bool:
    return "admin" in (g.me.get("roles") or [])


def page_args(args: dict) -> tuple[int, int]:
    return args["page"], args["page_size"]


def page_of(items: list, total: int, page: int, page_size: int) -> dict:
    return {"items": items, "total": total, "page": page, "page_size": page_size}
