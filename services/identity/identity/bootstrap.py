"""Start-up tasks: indexes, the first admin, the root unit."""
from __future__ import annotations

import logging

from .domain.nip import InvalidNip, validate_nip
from .events import employee_event, unit_event
from .hashing import hash_password
from .store import IdentityStore

log = logging.getLogger(__name__)

BKPSDM_UNIT = {"code": "BKPSDM", "name": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "parent_code": None}


def ensure_bootstrap_admin(store: IdentityStore, nip: str, password: str) -> bool:
    """Create the first admin when no admin exists; True if one was created.

    Several gunicorn workers may run this at once: the unique _id makes the
    insert happen once.
    """
    if not nip or not password:
        return False
    if store.admin_exists():
        return False
    try:
        validate_nip(nip)
    except InvalidNip as exc:
        raise SystemExit(f"BOOTSTRAP_ADMIN_NIP is not a valid NIP: {exc}") from exc
    if len(password) < 10:
        raise SystemExit("BOOTSTRAP_ADMIN_PASSWORD must have at least 10 characters")
    store.upsert_unit_if_missing(BKPSDM_UNIT, unit_event("created", BKPSDM_UNIT))
    admin = {"nip": nip, "name": "Administrator BKPSDM", "unit_code": BKPSDM_UNIT["code"],
             "position": "Administrator", "supervisor_nip": None, "email": None,
             "roles": ["employee", "admin"], "active": True,
             "password_hash": hash_password(password), "password_change_required": False}
    created = store.insert_employee(admin, employee_event("created", admin))
    if created:
        log.info("bootstrap admin created", extra={"fields": {"nip": nip}})
    return created
