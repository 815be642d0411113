"""The only module of identity that talks to MongoDB."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from sipk_shared.mongo import IndexSpec, asc, ensure_indexes
from sipk_shared.outbox import new_document_with_event, outbox_indexes, strip_outbox, update_with_event

EMPLOYEES = "employees"
UNITS = "units"
REFRESH_TOKENS = "refresh_tokens"
LOGIN_FAILURES = "login_failures"
AUDIT = "audit"

OUTBOX_COLLECTIONS = [EMPLOYEES, UNITS]

# Never leaves the store: responses and events are built from the rest.
SECRET_FIELDS = {"password_hash"}

INDEXES = [
    IndexSpec(EMPLOYEES, asc("unit_code"), name="by_unit"),
    IndexSpec(EMPLOYEES, asc("supervisor_nip"), name="by_supervisor"),
    IndexSpec(EMPLOYEES, asc("roles"), name="by_role"),
    IndexSpec(EMPLOYEES, asc("updated_at"), name="by_updated"),
    IndexSpec(REFRESH_TOKENS, asc("family"), name="by_family"),
    IndexSpec(LOGIN_FAILURES, asc("nip", "at"), name="by_nip_time"),
    IndexSpec(AUDIT, asc("entity", "entity_id"), name="by_entity"),
    *outbox_indexes(OUTBOX_COLLECTIONS),
]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def public_employee(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    doc = strip_outbox(doc)
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if k not in SECRET_FIELDS and k != "_id"}


class IdentityStore:
    def __init__(self, db: Database):
        self.db = db

    def ensure_indexes(self) -> None:
        ensure_indexes(self.db, INDEXES)

    # --- employees -------------------------------------------------------
    def get_employee(self, nip: str) -> dict[str, Any] | None:
        return self.db[EMPLOYEES].find_one({"_id": nip})

    def insert_employee(self, employee: dict[str, Any], event: dict[str, Any]) -> bool:
        """Insert with its creation event; False if the NIP exists already."""
        now = utcnow()
        doc = {"_id": employee["nip"], **employee, "created_at": now, "updated_at": now}
        try:
            self.db[EMPLOYEES].insert_one(new_document_with_event(doc, event))
            return True
        except DuplicateKeyError:
            return False

    def admin_exists(self) -> bool:
        return self.db[EMPLOYEES].find_one({"roles": "admin", "active": True}, {"_id": 1}) is not None

    def set_password(self, nip: str, password_hash: str, *, change_required: bool) -> bool:
        result = self.db[EMPLOYEES].update_one(
            {"_id": nip},
            {"$set": {"password_hash": password_hash, "password_change_required": change_required,
                      "password_changed_at": utcnow()}})
        return result.matched_count == 1

    # --- login failures (lockout) ------------------------------------------
    def recent_failures(self, nip: str, window_s: int) -> int:
        since = utcnow() - timedelta(seconds=window_s)
        return self.db[LOGIN_FAILURES].count_documents({"nip": nip, "at": {"$gte": since}})

    def record_failure(self, nip: str, window_s: int) -> None:
        now = utcnow()
        self.db[LOGIN_FAILURES].insert_one({"nip": nip, "at": now})
        # Expiry by query: FerretDB has no TTL indexes.
        self.db[LOGIN_FAILURES].delete_many({"nip": nip, "at": {"$lt": now - timedelta(seconds=window_s * 4)}})

    # --- refresh tokens ------------------------------------------------------
    def insert_refresh_token(self, token_id: str, *, nip: str, family: str, expires_at: datetime) -> None:
        self.db[REFRESH_TOKENS].insert_one({"_id": token_id, "nip": nip, "family": family, "issued_at": utcnow(),
                                            "expires_at": expires_at, "used_at": None, "revoked": False})

    def get_refresh_token(self, token_id: str) -> dict[str, Any] | None:
        return self.db[REFRESH_TOKENS].find_one({"_id": token_id})

    def spend_refresh_token(self, token_id: str) -> dict[str, Any] | None:
        """Mark a live token used, atomically: of two concurrent refreshes only one wins."""
        return self.db[REFRESH_TOKENS].find_one_and_update(
            {"_id": token_id, "used_at": None, "revoked": False},
            {"$set": {"used_at": utcnow()}}, return_document=ReturnDocument.AFTER)

    def revoke_family(self, family: str) -> int:
        return self.db[REFRESH_TOKENS].update_many({"family": family}, {"$set": {"revoked": True}}).modified_count

    def revoke_all_for(self, nip: str) -> int:
        return self.db[REFRESH_TOKENS].update_many({"nip": nip, "revoked": False},
                                                   {"$set": {"revoked": True}}).modified_count

    # --- audit -----------------------------------------------------------------
    def audit(self, *, actor: str, action: str, entity: str, entity_id: str, changes: dict[str, Any],
              request_id: str | None) -> None:
        self.db[AUDIT].insert_one({"at": utcnow(), "actor": actor, "action": action, "entity": entity,
                                   "entity_id": entity_id, "changes": changes, "request_id": request_id})

    # --- units -------------------------------------------------------------------
    def upsert_unit_if_missing(self, unit: dict[str, Any], event: dict[str, Any]) -> bool:
        now = utcnow()
        try:
            self.db[UNITS].insert_one(new_document_with_event(
                {"_id": unit["code"], **unit, "created_at": now, "updated_at": now}, event))
            return True
        except DuplicateKeyError:
            return False

    def update_employee(self, nip: str, changes: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
        return self.db[EMPLOYEES].find_one_and_update(
            {"_id": nip}, update_with_event({"$set": {**changes, "updated_at": utcnow()}}, event),
            return_document=ReturnDocument.AFTER)
