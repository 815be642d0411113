"""What the trust features persist (mixed into ``store.Store``; the only other module of presence
that talks to MongoDB).

Collections:

* ``devices``          ``{_id: id, id, nip, device_hash, state: bound|pending|rejected|replaced|unbound,
                       label, first_seen_at, last_seen_at, decided_by, decided_at, note}``: one per
                       employee and device. ``device_hash`` is the SHA-256 of the id the app made, never
                       the id itself; ``_id`` is derived from (nip, hash) so a device is recorded once.
* ``device_bindings``  ``{_id: nip, device_hash, device_record, bound_at, via}``: the ONE bound device of
                       an employee. Its ``_id`` makes "first device is bound" a database decision: two
                       first check-ins from two devices cannot both bind.
* ``device_days``      ``{_id: "<hash>:<date>", date, nips: [...]}``: who used a device on a day
                       (``shared_device``); ``$addToSet`` makes it one atomic write per use. Purged after
                       a week by the worker (``device_days_by_date``).
* ``selfies``          ``{_id: check-in id, nip, date, taken_at, content_type, data}``: deleted
                       ``SELFIE_KEEP_DAYS`` after ``taken_at`` by the worker (``selfies_by_time``).
* ``corrections``      ``{_id: id, id, nip, date, kind, time, reason, state: pending|approved|rejected,
                       open_key, has_photo, created_at, decided_by, decided_at, note, ...}``. ``open_key``
                       (``<nip>:<date>:<kind>``, unique sparse index) exists while the correction is
                       pending or approved: one such correction per day and kind.
* ``correction_photos`` ``{_id: correction id, nip, data, content_type, created_at, decided_at}``.
* ``correction_quota`` ``{_id: "<nip>:<YYYY-MM>", used}``: the monthly limit as a counter that only a
                       conditional ``$inc`` moves, so parallel requests cannot exceed it.

The review state of a flagged check-in lives on the check-in document itself (``review``), so the
review's compare-and-set and its event are one write (see ``Store``'s check-in section).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bson.binary import Binary
from pymongo import DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from sipk_shared import outbox
from sipk_shared.mongo import IndexSpec, asc
from sipk_shared.outbox import EVENT_IDS, strip_outbox

CHECK_INS = "check_ins"
DEVICES = "devices"
DEVICE_BINDINGS = "device_bindings"
DEVICE_DAYS = "device_days"
SELFIES = "selfies"
CORRECTIONS = "corrections"
CORRECTION_PHOTOS = "correction_photos"
CORRECTION_QUOTA = "correction_quota"

TRUST_INDEXES = [
    IndexSpec(CHECK_INS, asc("id"), name="check_in_by_id"),
    IndexSpec(CHECK_INS, asc("review.state", "date"), name="check_ins_by_review"),
    IndexSpec(DEVICES, asc("nip", "first_seen_at"), name="devices_by_nip"),
    IndexSpec(DEVICES, asc("state", "first_seen_at"), name="devices_by_state"),
    IndexSpec(DEVICE_BINDINGS, asc("device_hash"), name="bindings_by_device"),
    IndexSpec(DEVICE_DAYS, asc("date"), name="device_days_by_date"),
    IndexSpec(SELFIES, asc("taken_at"), name="selfies_by_time"),
    IndexSpec(CORRECTIONS, asc("nip", "date"), name="corrections_by_nip"),
    IndexSpec(CORRECTIONS, asc("state", "created_at"), name="corrections_by_state"),
    IndexSpec(CORRECTIONS, asc("open_key"), unique=True, name="one_open_correction", options={"sparse": True}),
    IndexSpec(CORRECTION_PHOTOS, asc("decided_at"), name="correction_photos_by_decision"),
]
TRUST_OUTBOX = [CORRECTIONS, DEVICES]


class TrustStore:
    db: Any  # the Store's database

    # --- devices ---------------------------------------------------------------------------
    def device_binding(self, nip: str) -> dict[str, Any] | None:
        return self.db[DEVICE_BINDINGS].find_one({"_id": nip})

    def bound_elsewhere(self, device_hash: str, nip: str) -> bool:
        """Is this device the bound device of another employee (``bindings_by_device``)?"""
        return self.db[DEVICE_BINDINGS].find_one({"device_hash": device_hash, "_id": {"$ne": nip}},
                                                 {"_id": 1}) is not None

    def bind_first_device(self, nip: str, device_hash: str, record_id: str, at: datetime) -> bool:
        """Bind when the employee has no bound device; False if one is bound (the database decides)."""
        try:
            self.db[DEVICE_BINDINGS].insert_one({"_id": nip, "device_hash": device_hash, "device_record": record_id,
                                                 "bound_at": at, "via": "first_use"})
            return True
        except DuplicateKeyError:
            return False

    def set_binding(self, nip: str, device_hash: str, record_id: str, at: datetime, via: str) -> dict | None:
        """Make this device the bound one; answers the binding it replaced (None if there was none)."""
        return self.db[DEVICE_BINDINGS].find_one_and_update(
            {"_id": nip}, {"$set": {"device_hash": device_hash, "device_record": record_id, "bound_at": at,
                                    "via": via}}, upsert=True, return_document=ReturnDocument.BEFORE)

    def remove_binding(self, nip: str, device_hash: str) -> bool:
        return self.db[DEVICE_BINDINGS].delete_one({"_id": nip, "device_hash": device_hash}).deleted_count == 1

    def get_device(self, record_id: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[DEVICES].find_one({"_id": record_id}))

    def see_device(self, record: dict[str, Any], at: datetime) -> dict[str, Any]:
        """Record the device's use: insert it (state as given) the first time, else only ``last_seen_at``."""
        found = self.db[DEVICES].find_one_and_update(
            {"_id": record["_id"]}, {"$set": {"last_seen_at": at},
                                     "$setOnInsert": {k: v for k, v in record.items() if k != "_id"}},
            upsert=True, return_document=ReturnDocument.AFTER, projection={EVENT_IDS: 0})
        return found

    def move_device(self, record_id: str, from_states: list[str], changes: dict[str, Any],
                    event: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Compare-and-set of a device record's state; None if it was not in ``from_states``."""
        query = {"_id": record_id, "state": {"$in": from_states}}
        if event is None:
            return strip_outbox(self.db[DEVICES].find_one_and_update(query, {"$set": changes},
                                                                     return_document=ReturnDocument.AFTER))
        return strip_outbox(outbox.find_one_and_update(self.db[DEVICES], query, {"$set": changes}, event))

    def devices_of(self, nips: list[str] | None, states: list[str] | None = None) -> list[dict[str, Any]]:
        """Device records of these employees (``None``: everyone's), oldest first."""
        query: dict[str, Any] = {}
        if nips is not None:
            query["nip"] = {"$in": nips}   # devices_by_nip
        if states:
            query["state"] = {"$in": states}  # devices_by_state for everyone's
        return list(self.db[DEVICES].find(query, {EVENT_IDS: 0}).sort("first_seen_at", 1).limit(2000))

    def note_device_day(self, device_hash: str, day: str, nip: str) -> list[str]:
        """Add ``nip`` to the users of this device on ``day``; answers every user so far (one atomic write)."""
        doc = self.db[DEVICE_DAYS].find_one_and_update(
            {"_id": f"{device_hash}:{day}"}, {"$addToSet": {"nips": nip}, "$setOnInsert": {"date": day}},
            upsert=True, return_document=ReturnDocument.AFTER)
        return list(doc.get("nips") or [])

    def purge_device_days(self, before: str) -> int:
        return self.db[DEVICE_DAYS].delete_many({"date": {"$lt": before}}).deleted_count

    # --- check-ins: what the signals read, the review ------------------------------------------
    def earlier_fixes(self, nip: str, start: str, end: str) -> list[dict[str, Any]]:
        """The employee's check-ins from ``start`` to ``end`` (inclusive), only their positions and times
        (``one_check_in_per_day``): the repeated-point and travel signals."""
        return list(self.db[CHECK_INS].find(
            {"nip": nip, "date": {"$gte": start, "$lte": end}},
            {"date": 1, "location": 1, "checked_in_at": 1, "check_out.latitude": 1, "check_out.longitude": 1,
             "check_out.accuracy_m": 1, "check_out.checked_out_at": 1}))

    def get_check_in_by_id(self, check_in_id: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[CHECK_INS].find_one({"id": check_in_id}))  # check_in_by_id

    def review_check_in(self, key: str, changes: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
        """Decide a *pending* review (compare-and-set on ``review.state``) with its event; None if not pending."""
        return strip_outbox(outbox.find_one_and_update(
            self.db[CHECK_INS], {"_id": key, "review.state": "pending"},
            {"$set": {f"review.{k}": v for k, v in changes.items()}}, event))

    def flagged_check_ins(self, nips: list[str] | None, start: str, end: str, states: list[str], skip: int,
                          limit: int) -> tuple[list[dict[str, Any]], int]:
        """Flagged check-ins (a review state in ``states``) of these employees (``None``: everyone's),
        newest first: by ``one_check_in_per_day`` for a team, ``check_ins_by_review`` for everyone."""
        query: dict[str, Any] = {"date": {"$gte": start, "$lte": end}, "review.state": {"$in": states}}
        if nips is not None:
            query["nip"] = {"$in": nips}
        total = self.db[CHECK_INS].count_documents(query)
        cursor = (self.db[CHECK_INS].find(query, {EVENT_IDS: 0, "location": 0, "check_out.latitude": 0,
                                                  "check_out.longitude": 0})
                  .sort([("date", DESCENDING), ("nip", 1)]).skip(skip).limit(limit))
        return list(cursor), total

    def correct_day(self, nip: str, day: str, update: dict[str, Any], *, insert: dict[str, Any] | None = None
                    ) -> dict[str, Any] | None:
        """Apply an approved correction to the day's check-in document. ``insert``: the document to create
        when the day has none (a forgotten or blocked check-in), else only an existing one is changed."""
        key = f"{nip}:{day}"
        if insert is not None:
            try:
                self.db[CHECK_INS].insert_one({"_id": key, **insert})
                return strip_outbox(self.db[CHECK_INS].find_one({"_id": key}))
            except DuplicateKeyError:
                pass  # a check-in arrived meanwhile: correct that one
        return strip_outbox(self.db[CHECK_INS].find_one_and_update({"_id": key}, update,
                                                                    return_document=ReturnDocument.AFTER))

    # --- selfies ---------------------------------------------------------------------------
    def put_selfie(self, check_in_id: str, nip: str, day: str, taken_at: datetime, content_type: str,
                   data: bytes) -> None:
        self.db[SELFIES].insert_one({"_id": check_in_id, "nip": nip, "date": day, "taken_at": taken_at,
                                     "content_type": content_type, "bytes": len(data), "data": Binary(data)})

    def delete_selfie(self, check_in_id: str) -> None:
        self.db[SELFIES].delete_one({"_id": check_in_id})

    def get_selfie(self, check_in_id: str) -> dict[str, Any] | None:
        return self.db[SELFIES].find_one({"_id": check_in_id})

    def has_selfies(self, check_in_ids: list[str]) -> set[str]:
        return {d["_id"] for d in self.db[SELFIES].find({"_id": {"$in": check_in_ids}}, {"_id": 1})}

    def purge_selfies(self, taken_before: datetime) -> int:
        """Selfies taken before the cut-off (``selfies_by_time``): the retention is a setting, so a query
        run by the worker rather than a TTL index's fixed option."""
        return self.db[SELFIES].delete_many({"taken_at": {"$lt": taken_before}}).deleted_count

    # --- corrections ----------------------------------------------------------------------------
    def take_correction_quota(self, nip: str, month: str, limit: int) -> bool:
        """Use one of the month's corrections if fewer than ``limit`` are used (an atomic conditional
        ``$inc``; at the limit the upsert collides with the existing counter and nothing changes)."""
        try:
            self.db[CORRECTION_QUOTA].update_one({"_id": f"{nip}:{month}", "used": {"$lt": limit}},
                                                 {"$inc": {"used": 1}}, upsert=True)
            return True
        except DuplicateKeyError:
            return False

    def give_back_correction_quota(self, nip: str, month: str) -> None:
        self.db[CORRECTION_QUOTA].update_one({"_id": f"{nip}:{month}", "used": {"$gt": 0}}, {"$inc": {"used": -1}})

    def correction_quota_used(self, nip: str, month: str) -> int:
        doc = self.db[CORRECTION_QUOTA].find_one({"_id": f"{nip}:{month}"})
        return int(doc.get("used", 0)) if doc else 0

    def insert_correction(self, document: dict[str, Any]) -> bool:
        """False when a pending or approved correction of that day and kind exists (``one_open_correction``)."""
        try:
            self.db[CORRECTIONS].insert_one(document)
            return True
        except DuplicateKeyError:
            return False

    def open_correction(self, open_key: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[CORRECTIONS].find_one({"open_key": open_key}))

    def get_correction(self, correction_id: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[CORRECTIONS].find_one({"_id": correction_id}))

    def corrections_of(self, nips: list[str] | None, states: list[str] | None, start: str | None = None,
                       end: str | None = None) -> list[dict[str, Any]]:
        """Corrections of these employees (``corrections_by_nip``; ``None``: everyone's by
        ``corrections_by_state``), newest day first."""
        query: dict[str, Any] = {}
        if nips is not None:
            query["nip"] = {"$in": nips}
        if states:
            query["state"] = {"$in": states}
        if start or end:
            query["date"] = {**({"$gte": start} if start else {}), **({"$lte": end} if end else {})}
        return list(self.db[CORRECTIONS].find(query, {EVENT_IDS: 0})
                    .sort([("date", DESCENDING), ("created_at", DESCENDING)]).limit(1000))

    def decide_correction(self, correction_id: str, changes: dict[str, Any], unset_open: bool,
                          event: dict[str, Any]) -> dict[str, Any] | None:
        """Move a *pending* correction (compare-and-set) with its event; a rejection frees its day and kind."""
        update: dict[str, Any] = {"$set": changes}
        if unset_open:
            update["$unset"] = {"open_key": ""}
        return strip_outbox(outbox.find_one_and_update(self.db[CORRECTIONS],
                                                       {"_id": correction_id, "state": "pending"}, update, event))

    def mark_correction_applied(self, correction_id: str, applied: dict[str, Any]) -> None:
        self.db[CORRECTIONS].update_one({"_id": correction_id}, {"$set": {"applied": applied}})

    def put_correction_photo(self, correction_id: str, nip: str, content_type: str, data: bytes,
                             at: datetime) -> None:
        self.db[CORRECTION_PHOTOS].insert_one({"_id": correction_id, "nip": nip, "content_type": content_type,
                                               "bytes": len(data), "data": Binary(data), "created_at": at,
                                               "decided_at": None})

    def get_correction_photo(self, correction_id: str) -> dict[str, Any] | None:
        return self.db[CORRECTION_PHOTOS].find_one({"_id": correction_id})

    def delete_correction_photo(self, correction_id: str) -> None:
        self.db[CORRECTION_PHOTOS].delete_one({"_id": correction_id})

    def stamp_correction_photo(self, correction_id: str, at: datetime) -> None:
        self.db[CORRECTION_PHOTOS].update_one({"_id": correction_id}, {"$set": {"decided_at": at}})

    def purge_correction_photos(self, decided_before: datetime) -> int:
        return self.db[CORRECTION_PHOTOS].delete_many({"decided_at": {"$lt": decided_before}}).deleted_count


def days_before(day: str, n: int) -> str:
    from datetime import date
    return (date.fromisoformat(day) - timedelta(days=n)).isoformat()
