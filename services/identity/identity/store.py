"""The only module of identity that talks to MongoDB."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import re

from pymongo import DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from sipk_shared.mongo import IndexSpec, asc, ensure_indexes
from sipk_shared import outbox
from sipk_shared.outbox import OUTBOX_INDEXES, strip_outbox

from .domain.employment import spans_of, summary

EMPLOYEES = "employees"
UNITS = "units"
REFRESH_TOKENS = "refresh_tokens"
LOGIN_THROTTLE = "login_throttle"  # failure budgets and locks per (NIP, address), NIP and address
KNOWN_CLIENTS = "login_known"      # {_id: hash of NIP and address, last_ok_at}: signed in from there before
AUDIT = "audit"
ADMIN_LOCK = "admin_lock"  # {_id: "admins", holder, until}: see take_admin_lock
REVOKED_SESSIONS = "revoked_sessions"  # {_id: refresh-token family, nip, at}: signed out or reuse detected

OUTBOX_COLLECTIONS = [EMPLOYEES, UNITS, REVOKED_SESSIONS]

# Never leaves the store: responses and events are built from the rest.
SECRET_FIELDS = {"password_hash"}

INDEXES = [
    IndexSpec(EMPLOYEES, asc("unit_code"), name="by_unit"),
    IndexSpec(EMPLOYEES, asc("supervisor_nip"), name="by_supervisor"),
    IndexSpec(EMPLOYEES, asc("roles"), name="by_role"),
    IndexSpec(EMPLOYEES, asc("updated_at"), name="by_updated"),
    IndexSpec(REFRESH_TOKENS, asc("family"), name="by_family"),
    IndexSpec(LOGIN_THROTTLE, asc("expires_at"), name="by_expiry"),
    IndexSpec(EMPLOYEES, asc("name"), name="by_name"),
    IndexSpec(UNITS, asc("parent_code"), name="by_parent"),
    IndexSpec(AUDIT, asc("entity", "entity_id"), name="by_entity"),
    IndexSpec(AUDIT, asc("at"), name="by_time"),
    *OUTBOX_INDEXES,
]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def public_employee(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    doc = strip_outbox(doc)
    if doc is None:
        return None
    public = {k: v for k, v in doc.items() if k not in SECRET_FIELDS and k != "_id"}
    public["has_password"] = bool(doc.get("password_hash"))
    public.update(summary(spans_of(doc)))
    return public


def public_unit(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    doc = strip_outbox(doc)
    return None if doc is None else {k: v for k, v in doc.items() if k != "_id"}


# Bumped by every write that emits an event (see revision()).
REVISION = "_rev"


def _bumped(update: dict[str, Any]) -> dict[str, Any]:
    merged = {op: dict(fields) for op, fields in update.items()}
    merged.setdefault("$inc", {})[REVISION] = 1
    return merged


def revision(doc: dict[str, Any]) -> int:
    """The document's write counter: every state change bumps it with its event."""
    return int(doc.get(REVISION) or 0)


def at_revision(_id: str, rev: int) -> dict[str, Any]:
    """The filter of a write computed from the document as it was at ``rev``: it matches only while nobody
    else wrote in between, so of two concurrent writes the database lets exactly one through (``_id`` index)."""
    return {"_id": _id, REVISION: rev if rev else {"$in": [0, None]}}  # None: never written with an event


def _update_at_revision(coll, _id: str, rev: int, update: dict[str, Any], event: dict[str, Any]
                        ) -> dict[str, Any] | None:
    """One atomic update carrying its event; None when the document is gone or moved past ``rev``."""
    return outbox.find_one_and_update(coll, at_revision(_id, rev), _bumped(update), event,
                                      return_document=ReturnDocument.AFTER)


def _page(cursor_factory, total: int, page: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
    return list(cursor_factory().skip((page - 1) * page_size).limit(page_size)), total


def employee_filter(*, unit_code: str | None = None, q: str | None = None, active: bool | None = None,
                    updated_since: datetime | None = None, supervisor_nip: str | None = None,
                    nips: list[str] | None = None) -> dict[str, Any]:
    """A Mongo filter from already-validated scalar values (never from raw input)."""
    query: dict[str, Any] = {}
    if unit_code is not None:
        query["unit_code"] = unit_code
    if active is not None:
        query["active"] = active
    if updated_since is not None:
        query["updated_at"] = {"$gte": updated_since}
    if supervisor_nip is not None:
        query["supervisor_nip"] = supervisor_nip
    if nips is not None:
        query["_id"] = {"$in": nips}
    if q:
        pattern = re.escape(q)
        query["$or"] = [{"name": {"$regex": pattern, "$options": "i"}}, {"_id": {"$regex": "^" + pattern}}]
    return query


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
            outbox.insert_one(self.db[EMPLOYEES], doc, event)
            return True
        except DuplicateKeyError:
            return False

    # --- the last-admin lock ----------------------------------------------------
    # Changes to an active admin run one at a time under a short lock document, so that of two
    # admins demoting each other at once the second sees that the first is gone (a count of the
    # other active admins under the lock). The lock expires by itself if its holder dies.
    def take_admin_lock(self, holder: str, ttl_s: float) -> bool:
        now = utcnow()
        try:
            result = self.db[ADMIN_LOCK].update_one(
                {"_id": "admins", "until": {"$lt": now}},
                {"$set": {"holder": holder, "until": now + timedelta(seconds=ttl_s)}}, upsert=True)
        except DuplicateKeyError:
            return False  # held: the filter missed, so the upsert tried a second document
        return result.matched_count == 1 or result.upserted_id is not None

    def drop_admin_lock(self, holder: str) -> None:
        self.db[ADMIN_LOCK].delete_one({"_id": "admins", "holder": holder})

    def other_active_admin_exists(self, nip: str) -> bool:
        return self.db[EMPLOYEES].find_one({"roles": "admin", "active": True, "_id": {"$ne": nip}},
                                           {"_id": 1}) is not None

    def admin_exists(self) -> bool:
        return self.db[EMPLOYEES].find_one({"roles": "admin", "active": True}, {"_id": 1}) is not None

    def employees_by_nip(self, nips: list[str]) -> dict[str, dict[str, Any]]:
        """The stored employees among ``nips`` (without password hashes): one ``$in`` on ``_id``."""
        wanted = sorted(set(nips))
        if not wanted:
            return {}
        return {d["_id"]: d for d in self.db[EMPLOYEES].find({"_id": {"$in": wanted}}, {"password_hash": 0})}

    def supervisor_of(self, nip: str) -> str | None:
        doc = self.db[EMPLOYEES].find_one({"_id": nip}, {"supervisor_nip": 1})
        return doc.get("supervisor_nip") if doc else None

    def direct_subordinates(self, nip: str, *, active_only: bool = False) -> list[str]:
        query: dict[str, Any] = {"supervisor_nip": nip}
        if active_only:
            query["active"] = True
        return [d["_id"] for d in self.db[EMPLOYEES].find(query, {"_id": 1}).sort("_id", 1)]

    def list_employees(self, query: dict[str, Any], *, page: int, page_size: int) -> tuple[list[dict], int]:
        coll = self.db[EMPLOYEES]
        total = coll.count_documents(query)
        return _page(lambda: coll.find(query).sort([("name", 1), ("_id", 1)]), total, page, page_size)

    def update_employee(self, nip: str, rev: int, update: dict[str, Any], event: dict[str, Any]
                        ) -> dict[str, Any] | None:
        """Apply ``update`` with its event to an employee read at revision ``rev``; None if it is gone or
        was changed since (see :func:`at_revision`)."""
        update = {**update, "$set": {**update.get("$set", {}), "updated_at": utcnow()}}
        return _update_at_revision(self.db[EMPLOYEES], nip, rev, update, event)

    def insert_employees(self, docs_with_events: list[tuple[dict[str, Any], dict[str, Any]]]) -> set[str]:
        """Insert many employees with their events; answers the NIPs that already existed."""
        now = utcnow()
        items = [({"_id": e["nip"], **e, "created_at": now, "updated_at": now}, ev) for e, ev in docs_with_events]
        failed = outbox.insert_many(self.db[EMPLOYEES], items)
        return {items[i][0]["_id"] for i in failed}

    def update_employees(self, updates: list[tuple[str, int, dict[str, Any], dict[str, Any]]]) -> set[str]:
        """Many ``(nip, rev, $set fields, event)`` updates in one unordered bulk, each at its revision;
        answers the NIPs that were changed by someone else meanwhile (or removed): not written."""
        now = utcnow()
        failed = outbox.update_many(self.db[EMPLOYEES], [
            (at_revision(nip, rev), _bumped({"$set": {**fields, "updated_at": now}}), event)
            for nip, rev, fields, event in updates])
        return {updates[i][0] for i in failed}

    def append_events(self, collection: str, events: list[tuple[str, int, dict[str, Any]]]) -> int:
        """Re-announce documents (replay): ``(_id, rev, event)``, each event carried by a write at the
        revision it was built from (it bumps the revision, so a concurrent change built from the older state
        loses instead of landing after it); answers how many were not written (changed meanwhile: their own
        event already announces the newer state)."""
        return len(outbox.update_many(self.db[collection], [
            (at_revision(_id, rev), _bumped({"$set": {"replayed_at": utcnow()}}), event)
            for _id, rev, event in events]))

    def snapshots(self, collection: str) -> Iterator[dict[str, Any]]:
        """Every document of ``collection`` without secrets or outbox, by _id (for replay)."""
        return self.db[collection].find({}, {"password_hash": 0, "_outbox": 0, "_event_ids": 0}).sort("_id", 1)

    def set_password(self, nip: str, password_hash: str, *, change_required: bool) -> bool:
        result = self.db[EMPLOYEES].update_one(
            {"_id": nip},
            {"$set": {"password_hash": password_hash, "password_change_required": change_required,
                      "password_changed_at": utcnow()}})
        return result.matched_count == 1

    # --- sign-in throttle (identity.throttle) -------------------------------------
    # {_id: key, tries, window_start, locked_until, lockouts: [times of the last 24 h], expires_at}
    def throttle_state(self, key: str) -> dict[str, Any] | None:
        return self.db[LOGIN_THROTTLE].find_one({"_id": key})

    def throttle_take(self, key: str, limit: int, window_s: int) -> int | None:
        """Take one try of ``key``'s budget, atomically: the try's number (1..limit), or None when
        the budget is spent or the key is locked. A window that passed (or a lock that ended)
        starts again from zero first; of concurrent callers exactly ``limit`` get a number."""
        coll = self.db[LOGIN_THROTTLE]
        now = utcnow()
        window = timedelta(seconds=window_s)
        coll.update_one({"_id": key, "$or": [{"window_start": {"$lt": now - window}, "locked_until": None},
                                             {"locked_until": {"$ne": None, "$lte": now}}]},
                        {"$set": {"tries": 0, "window_start": now, "locked_until": None,
                                  "expires_at": now + window + timedelta(days=1)}})
        try:
            coll.insert_one({"_id": key, "tries": 0, "window_start": now, "locked_until": None, "lockouts": [],
                             "expires_at": now + window + timedelta(days=1)})
        except DuplicateKeyError:
            pass
        doc = coll.find_one_and_update({"_id": key, "tries": {"$lt": limit}, "locked_until": None},
                                       {"$inc": {"tries": 1}}, return_document=ReturnDocument.AFTER)
        return None if doc is None else int(doc["tries"])

    def throttle_lock(self, key: str, until: datetime) -> None:
        """Lock ``key`` until then, remembering when (the lock grows with lockouts of the last day)."""
        now = utcnow()
        self.db[LOGIN_THROTTLE].update_one(
            {"_id": key},
            {"$set": {"locked_until": until, "expires_at": max(until, now) + timedelta(days=1)},
             "$push": {"lockouts": {"$each": [now], "$slice": -50}}})

    def throttle_clear(self, key: str) -> None:
        self.db[LOGIN_THROTTLE].delete_one({"_id": key})

    def purge_throttle(self) -> int:
        """Expiry by query (the dev database has no TTL indexes): keys nobody used for a day."""
        return self.db[LOGIN_THROTTLE].delete_many({"expires_at": {"$lt": utcnow()}}).deleted_count

    def remember_client(self, pair_hash: str) -> None:
        self.db[KNOWN_CLIENTS].update_one({"_id": pair_hash}, {"$set": {"last_ok_at": utcnow()}}, upsert=True)

    def known_client(self, pair_hash: str, max_age: timedelta) -> bool:
        return self.db[KNOWN_CLIENTS].find_one({"_id": pair_hash, "last_ok_at": {"$gte": utcnow() - max_age}},
                                               {"_id": 1}) is not None

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

    # --- revocations (sipk_shared.revocations) --------------------------------------
    def end_session(self, nip: str, family: str, event: dict[str, Any]) -> bool:
        """End one sign-in: mark its family revoked (with the event, once) and revoke its refresh
        tokens. The mark comes first, so a refresh racing with this sees it (session_ended)."""
        try:
            outbox.insert_one(self.db[REVOKED_SESSIONS], {"_id": family, "nip": nip, "at": utcnow()}, event)
            first = True
        except DuplicateKeyError:
            first = False
        self.revoke_family(family)
        return first

    def session_ended(self, family: str) -> bool:
        return self.db[REVOKED_SESSIONS].find_one({"_id": family}, {"_id": 1}) is not None

    def revoke_tokens(self, nip: str, not_before: datetime, event: dict[str, Any], *, sessions: bool) -> bool:
        """Refuse the NIP's access tokens issued before ``not_before`` (with ``sessions`` its refresh
        tokens too: every sign-in ends), and publish it. False if the employee is unknown."""
        fields = {"tokens_not_before": not_before}
        if sessions:
            # the exact instant, not the rounded one: a refresh token issued right after (the pair a
            # password change answers) is younger and lives
            fields["sessions_not_before"] = utcnow()
        matched = outbox.update_one(self.db[EMPLOYEES], {"_id": nip}, {"$max": fields}, event)
        if sessions:
            self.revoke_all_for(nip)
        return matched

    # --- audit -----------------------------------------------------------------
    def audit(self, *, actor: str, action: str, entity: str, entity_id: str, changes: dict[str, Any],
              request_id: str | None) -> None:
        self.audit_many([audit_entry(actor=actor, action=action, entity=entity, entity_id=entity_id,
                                     changes=changes, request_id=request_id)])

    def audit_many(self, entries: list[dict[str, Any]]) -> None:
        if entries:
            self.db[AUDIT].insert_many(entries, ordered=False)

    def list_audit(self, *, entity: str | None, entity_id: str | None, page: int,
                   page_size: int) -> tuple[list[dict], int]:
        query: dict[str, Any] = {}
        if entity is not None:
            query["entity"] = entity
        if entity_id is not None:
            query["entity_id"] = entity_id
        coll = self.db[AUDIT]
        total = coll.count_documents(query)
        return _page(lambda: coll.find(query).sort([("at", DESCENDING), ("_id", DESCENDING)]), total, page, page_size)

    # --- units -------------------------------------------------------------------
    def get_unit(self, code: str) -> dict[str, Any] | None:
        return self.db[UNITS].find_one({"_id": code})

    def existing_unit_codes(self, codes: set[str]) -> set[str]:
        return {d["_id"] for d in self.db[UNITS].find({"_id": {"$in": sorted(codes)}}, {"_id": 1})}

    def parent_of_unit(self, code: str) -> str | None:
        doc = self.db[UNITS].find_one({"_id": code}, {"parent_code": 1})
        return doc.get("parent_code") if doc else None

    def list_units(self, *, parent_code: str | None, q: str | None, page: int,
                   page_size: int) -> tuple[list[dict], int]:
        query: dict[str, Any] = {}
        if parent_code is not None:
            query["parent_code"] = parent_code
        if q:
            pattern = re.escape(q)
            query["$or"] = [{"name": {"$regex": pattern, "$options": "i"}}, {"_id": {"$regex": pattern, "$options": "i"}}]
        coll = self.db[UNITS]
        total = coll.count_documents(query)
        return _page(lambda: coll.find(query).sort("_id", 1), total, page, page_size)

    def update_unit(self, code: str, rev: int, fields: dict[str, Any], event: dict[str, Any]
                    ) -> dict[str, Any] | None:
        """Like :meth:`update_employee`: None if the unit is gone or was changed since ``rev``."""
        return _update_at_revision(self.db[UNITS], code, rev, {"$set": {**fields, "updated_at": utcnow()}}, event)

    def upsert_unit_if_missing(self, unit: dict[str, Any], event: dict[str, Any]) -> bool:
        now = utcnow()
        try:
            outbox.insert_one(self.db[UNITS], {"_id": unit["code"], **unit, "created_at": now, "updated_at": now},
                              event)
            return True
        except DuplicateKeyError:
            return False


def audit_entry(*, actor: str, action: str, entity: str, entity_id: str, changes: dict[str, Any],
                request_id: str | None) -> dict[str, Any]:
    return {"at": utcnow(), "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
            "changes": changes, "request_id": request_id}
