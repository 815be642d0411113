"""Who may call what in identity, decided on the stored account, not only the token.

A token lives 15 minutes; identity is the source of truth, so here a
deactivated employee or a demoted admin loses access at once. Other services
trust the token's roles and their own event-fed copy of the hierarchy.
"""
from __future__ import annotations

import functools

from flask import current_app, g

from sipk_shared.auth import auth_required, current_principal
from sipk_shared.errors import ApiError

from ..directory import Directory
from ..store import IdentityStore


def store() -> IdentityStore:
    return current_app.extensions["identity"].store


def directory() -> Directory:
    """The admin use cases, acting as the signed-in admin under the gateway's request id."""
    return Directory(store(), actor=g.me["nip"], request_id=getattr(g, "request_id", None))


def signed_in(*, admin: bool = False, allow_password_change: bool = False):
    def decorator(view):
        @auth_required(allow_password_change=allow_password_change)
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            me = store().get_employee(current_principal().nip)
            if me is None or not me.get("active", False):
                raise ApiError(401, "invalid_token", "The account is no longer active.")
            if admin and "admin" not in (me.get("roles") or []):
                raise ApiError(403, "forbidden", "Only BKPSDM admins may do this.")
            g.me = me
            return view(*args, **kwargs)

        return wrapper

    return decorator


def is_admin() -> bool:
    return "admin" in (g.me.get("roles") or [])


def page_args(args: dict) -> tuple[int, int]:
    return args["page"], args["page_size"]


def page_of(items: list, total: int, page: int, page_size: int) -> dict:
    return {"items": items, "total": total, "page": page, "page_size": page_size}
