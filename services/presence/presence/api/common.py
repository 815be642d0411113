"""Helpers the presence blueprints share."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify

from sipk_shared.auth import current_principal
from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg


SECURITY = [{"bearerAuth": []}]


def ctx():
    return current_app.extensions["presence"]


def audit(action: str, entity: str, entity_id: str, changes: dict[str, Any]) -> None:
    ctx().store.audit(actor=current_principal().nip, action=action, entity=entity, entity_id=entity_id,
                      changes=changes, request_id=g.get("request_id"))


def json_response(status: int, body: dict[str, Any], **headers: str):
    response = jsonify(body)
    response.status_code = status
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


# What a 404 names, in both languages.
_THINGS = {
    "employee": "pegawai", "office": "kantor", "holiday on": "hari libur pada", "schedule override": "jadwal khusus",
    "home location for": "lokasi rumah untuk", "leave request": "permohonan izin/cuti",
    "roster pin for employee": "penetapan tetap jadwal untuk pegawai", "attachment of leave request": "lampiran permohonan",
}


def not_found(what: str, key: str) -> ApiError:
    return ApiError(404, "not_found", Msg("Tidak ada {i} {k}.", "No {e} {k}.", i=_THINGS.get(what, what), e=what,
                                          k=repr(key)))


def team_of(supervisor_nip: str | None) -> tuple[str, list[dict]]:
    """Direct subordinates of me (or, for an admin or myself, of ?supervisor_nip=).

    Someone without direct subordinates has an empty team: 200 with no items, in every /team/ view
    of presence and performance (docs/product.md, "Who uses it"). Having subordinates is data, not
    a permission: it changes with any re-organisation, so the answer is that data, not a refusal."""
    me = current_principal()
    target = supervisor_nip or me.nip
    if target != me.nip and not me.is_admin:
        raise ApiError(403, "forbidden", Msg("Anda hanya boleh melihat bawahan langsung Anda sendiri.",
                                             "You may only see your own direct subordinates."))
    return target, ctx().store.subordinates(target)


def team_names(store, supervisor_nip: str) -> dict[str, str | None]:
    """NIP → name of a supervisor's direct subordinates (presence's employee copy)."""
    return {e["_id"]: e.get("name") for e in store.subordinates(supervisor_nip)}


def employee_name(store, nip: str) -> str | None:
    employee = store.get_employee(nip)
    return employee.get("name") if employee else None
