"""The only module of presence that talks to MongoDB.

Collections (all in presence's own database):

* ``employees``   our copy of identity's employees (fed by events) plus the
                  admin's per-employee office override (``office_override``).
* ``offices``     ``_id`` = office code; location, radius, zone, units, schedule.
* ``schedule_overrides``  date-range schedules per office (Ramadan hours).
* ``holidays``    ``_id`` = ``YYYY-MM-DD``.
* ``check_ins``   one document per employee and office date (``_id`` =
                  ``<nip>:<date>``; public ``id`` a uuid): the check-in, later its
                  check-out; carries its events in the in-document outbox. The
                  unique ``_id`` and a unique index on (nip, date) make a second
                  check-in fail.
* ``idempotency_keys``  ``_id`` = ``<nip>:<key>``: request hash and first answer.
* ``rosters``     ``{_id: "<nip>:<date>", nip, date, mode}``; filled by the roster feature.
* ``leave_days``  ``{_id: "<nip>:<date>", nip, date, type, leave_request_id}`` for
                  *approved* leave days only; filled by the leave feature.

Point lookups go by ``_id``: FerretDB answers those from its primary key, while
any other filter scans (measured ~1.5 ms vs ~9 ms on the dev stack).
* ``leave_requests``  ``_id`` = public id (uuid hex); one leave / dinas luar
                  request and its state; carries ``presence.leave.decided``.
* ``roster_runs`` one document per roster generation; carries
                  ``presence.roster.published``.
* ``day_records`` ``{_id: "<nip>:<date>", nip, date, unit_code, status, office_code}``
                  written by the daily close (``tanpa_keterangan`` / ``no_checkout``);
                  inserted only (unordered ``insert_many``), so a re-run changes nothing.
* ``day_closes``  ``{_id: "<date>", offices: [codes]}``: offices whose close of that date
                  finished (the worker skips them; the admin endpoint always re-runs).
* ``home_locations``  ``{_id: nip, nip, latitude, longitude, status: pending|approved|rejected,
                  requested_at, decided_by, decided_at, note}``: the WFH home location; carries
                  ``presence.home_location.decided``.
* ``audit``       who changed which office/schedule/holiday/assignment.

Packed read models for the bulk jobs (``readmodels.py``; FerretDB decodes every
document a non-``_id`` query scans, ~10k/s, so the close and the recap read a
few large documents by ``_id`` instead of one document per employee-day):

* ``employee_roll``  ``{_id: "r<000-999>", m: {<nip>: "<unit_code>|<since>|<name>"}}``: active
                  employees, bucketed by a hash of the NIP.
* ``office_overrides``  ``{_id: nip, office_code}``: the admin's overrides (few).
* ``day_sheets``  ``{_id: "<date>:<unit>:<part>", c: {<nip>: "<mode>|<late>|<early>"},
                  l: {<nip>: <leave type>}}``: a day's check-ins and approved leave.
* ``day_sheet_index``  ``{_id: "<date>", ids: [sheet ids]}``.
* ``day_sheet_counts``  ``{_id: "<date>:<unit>", p<part>: writes so far}``: bumped after every
                  sheet write.
* ``day_sheets_packed``  ``{_id: sheet id, n: count it was packed at, c: "<nip>=<entry>;...",
                  l: ...}``: a finished day's sheet as two strings (FerretDB decodes one string
                  far faster than hundreds of fields); used only while ``n`` equals the count.
* ``employee_roll_packed``  ``{_id: bucket, n, m: "<nip>\\x1f<value>\\x1e..."}``: the roll's
                  buckets packed, used while ``n`` equals ``read_models.roll_counts[bucket]``.
* ``read_models`` ``{_id: "state", roll_built_at, sheets_since, roll_version}`` and
                  ``{_id: "roll_counts", <bucket>: writes so far}``.

Only the presence worker writes the roll and the sheets (one thread at a time:
FerretDB loses concurrent updates of one document; on MongoDB each ``$set`` /
``$unset`` of one field is atomic anyway).
"""
from __future__ import annotations

import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from pymongo import DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from sipk_shared.mongo import IndexSpec, asc, ensure_indexes, upsert_if_newer
from sipk_shared import outbox
from sipk_shared.outbox import EVENT_IDS, strip_outbox

EMPLOYEES = "employees"  # our own copy, fed by identity events
OFFICES = "offices"
SCHEDULE_OVERRIDES = "schedule_overrides"
HOLIDAYS = "holidays"
CHECK_INS = "check_ins"
IDEMPOTENCY = "idempotency_keys"
ROSTERS = "rosters"
LEAVE_DAYS = "leave_days"
LEAVE_REQUESTS = "leave_requests"
ROSTER_RUNS = "roster_runs"
AUDIT = "audit"
DAY_RECORDS = "day_records"
DAY_CLOSES = "day_closes"
HOME_LOCATIONS = "home_locations"
ROSTER_PINS = "roster_pins"
EMPLOYEE_ROLL = "employee_roll"
OFFICE_OVERRIDES = "office_overrides"
DAY_SHEETS = "day_sheets"
DAY_SHEET_INDEX = "day_sheet_index"
DAY_SHEET_COUNTS = "day_sheet_counts"
DAY_SHEETS_PACKED = "day_sheets_packed"
EMPLOYEE_ROLL_PACKED = "employee_roll_packed"
ROLL_COUNTS = "roll_counts"  # the _id of the one document in READ_MODELS counting writes per bucket
READ_MODELS = "read_models"
DAY_SETTLEMENTS = "day_settlements"  # settlement.py: each closed employee-day as the recap counts it

OUTBOX_COLLECTIONS: list[str] = [CHECK_INS, LEAVE_REQUESTS, ROSTER_RUNS, HOME_LOCATIONS, DAY_SETTLEMENTS]
POINT_LOOKUP_LIMIT = 100

INDEXES = [
    IndexSpec(EMPLOYEES, asc("supervisor_nip"), name="by_supervisor"),
    IndexSpec(EMPLOYEES, asc("unit_code"), name="by_unit"),
    IndexSpec(SCHEDULE_OVERRIDES, asc("office_code", "start_date"), name="by_office"),
    IndexSpec(CHECK_INS, asc("nip", "date"), unique=True, name="one_check_in_per_day"),
    IndexSpec(CHECK_INS, asc("date", "nip"), name="by_date"),
    IndexSpec(IDEMPOTENCY, asc("created_at"), name="by_created"),
    IndexSpec(ROSTERS, asc("nip", "date"), unique=True, name="roster_per_day"),
    IndexSpec(LEAVE_DAYS, asc("nip", "date"), name="leave_by_day"),
    IndexSpec(LEAVE_DAYS, asc("leave_request_id"), name="leave_by_request"),
    IndexSpec(LEAVE_REQUESTS, asc("nip", "start_date"), name="leave_requests_by_nip"),
    IndexSpec(ROSTERS, asc("date", "nip"), name="roster_by_date"),
    IndexSpec(AUDIT, asc("entity", "entity_id"), name="by_entity"),
    IndexSpec(DAY_RECORDS, asc("date", "nip"), name="day_records_by_date"),
    IndexSpec(DAY_SETTLEMENTS, asc("date", "nip"), name="day_settlements_by_date"),
]


def day_key(nip: str, day: str) -> str:
    """``_id`` of a per-employee-day document (check-in, roster entry, leave day)."""
    return f"{nip}:{day}"


ROLL_BUCKETS = 1000  # ~100 entries each at 100,000 employees: a roll write stays small
SHEET_PARTS = 8      # a unit's day in 8 parts: ~500 entries each for a 4,000-employee unit


def _hash(nip: str) -> int:
    return zlib.crc32(nip.encode())  # stable across processes (unlike hash())


def roll_bucket(nip: str) -> str:
    return f"r{_hash(nip) % ROLL_BUCKETS:03d}"


def sheet_id(day: str, unit_code: str | None, nip: str) -> str:
    return f"{day}:{unit_code or '-'}:{_hash(nip) % SHEET_PARTS}"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _public(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    doc = strip_outbox(doc)
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if k != "_id"}


class Store:
    def __init__(self, db: Database):
        self.db = db

    def ensure_indexes(self) -> None:
        ensure_indexes(self.db, INDEXES)

    # --- employee copy ----------------------------------------------------------
    def apply_employee_snapshot(self, snapshot: dict[str, Any], occurred_at: str) -> bool:
        return upsert_if_newer(self.db[EMPLOYEES], snapshot["nip"], dict(snapshot), occurred_at)

    def get_employee(self, nip: str) -> dict[str, Any] | None:
        return self.db[EMPLOYEES].find_one({"_id": nip})

    def set_office_override(self, nip: str, office_code: str | None) -> dict[str, Any] | None:
        """Set (or with None clear) the admin's office override; None if the employee is unknown."""
        update = {"$set": {"office_override": office_code}} if office_code else {"$unset": {"office_override": ""}}
        doc = self.db[EMPLOYEES].find_one_and_update({"_id": nip}, update, return_document=ReturnDocument.AFTER)
        if doc is not None:  # the bulk jobs' copy (a small collection they read whole)
            self.set_office_override_entry(nip, office_code)
        return doc

    def subordinates(self, supervisor_nip: str) -> list[dict[str, Any]]:
        return list(self.db[EMPLOYEES].find({"supervisor_nip": supervisor_nip, "active": True}).sort("name", 1))

    def has_subordinates(self, supervisor_nip: str) -> bool:
        return self.db[EMPLOYEES].find_one({"supervisor_nip": supervisor_nip, "active": True}, {"_id": 1}) is not None

    def employees_in_unit(self, unit_code: str) -> list[dict[str, Any]]:
        return list(self.db[EMPLOYEES].find({"unit_code": unit_code, "active": True}).sort("name", 1))

    # --- offices -------------------------------------------------------------
    def all_offices(self) -> list[dict[str, Any]]:
        return list(self.db[OFFICES].find({}))

    def get_office(self, code: str) -> dict[str, Any] | None:
        return self.db[OFFICES].find_one({"_id": code})

    def list_offices(self, skip: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        total = self.db[OFFICES].count_documents({})
        return list(self.db[OFFICES].find({}).sort("_id", 1).skip(skip).limit(limit)), total

    def offices_housing(self, unit_codes: Iterable[str], *, except_code: str | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"unit_codes": {"$in": list(unit_codes)}}
        if except_code is not None:
            query["_id"] = {"$ne": except_code}
        return list(self.db[OFFICES].find(query, {"unit_codes": 1}))

    def insert_office(self, office: dict[str, Any]) -> bool:
        now = utcnow()
        try:
            self.db[OFFICES].insert_one({"_id": office["code"], **office, "created_at": now, "updated_at": now})
            return True
        except DuplicateKeyError:
            return False

    def update_office(self, code: str, changes: dict[str, Any]) -> dict[str, Any] | None:
        return self.db[OFFICES].find_one_and_update(
            {"_id": code}, {"$set": {**changes, "updated_at": utcnow()}}, return_document=ReturnDocument.AFTER)

    def delete_office(self, code: str) -> bool:
        deleted = self.db[OFFICES].delete_one({"_id": code}).deleted_count == 1
        if deleted:
            self.db[SCHEDULE_OVERRIDES].delete_many({"office_code": code})
        return deleted

    # --- schedule overrides --------------------------------------------------
    def all_overrides(self) -> list[dict[str, Any]]:
        return list(self.db[SCHEDULE_OVERRIDES].find({}))

    def overrides_for(self, office_code: str) -> list[dict[str, Any]]:
        return list(self.db[SCHEDULE_OVERRIDES].find({"office_code": office_code}).sort("start_date", 1))

    def insert_override(self, override: dict[str, Any]) -> None:
        self.db[SCHEDULE_OVERRIDES].insert_one({**override, "created_at": utcnow()})

    def get_override(self, office_code: str, override_id: str) -> dict[str, Any] | None:
        return self.db[SCHEDULE_OVERRIDES].find_one({"_id": override_id, "office_code": office_code})

    def delete_override(self, office_code: str, override_id: str) -> bool:
        return self.db[SCHEDULE_OVERRIDES].delete_one(
            {"_id": override_id, "office_code": office_code}).deleted_count == 1

    # --- holidays --------------------------------------------------------------
    def all_holidays(self) -> list[dict[str, Any]]:
        return list(self.db[HOLIDAYS].find({}))

    def holidays_between(self, start: str, end: str) -> list[dict[str, Any]]:
        return list(self.db[HOLIDAYS].find({"_id": {"$gte": start, "$lte": end}}).sort("_id", 1))

    def insert_holiday(self, day: str, name: str) -> bool:
        try:
            self.db[HOLIDAYS].insert_one({"_id": day, "date": day, "name": name, "created_at": utcnow()})
            return True
        except DuplicateKeyError:
            return False

    def upsert_holiday(self, day: str, name: str) -> bool:
        """Create or rename; True if created."""
        result = self.db[HOLIDAYS].update_one(
            {"_id": day}, {"$set": {"date": day, "name": name}, "$setOnInsert": {"created_at": utcnow()}},
            upsert=True)
        return result.upserted_id is not None

    def delete_holiday(self, day: str) -> bool:
        return self.db[HOLIDAYS].delete_one({"_id": day}).deleted_count == 1

    # --- rosters and leave (filled by later features; read here) --------------
    def roster_mode(self, nip: str, day: str) -> str | None:
        entry = self.db[ROSTERS].find_one({"_id": day_key(nip, day)}, {"mode": 1})
        return entry.get("mode") if entry else None

    def _by_day_keys(self, collection: str, pairs: list[tuple[str, str]], projection: dict | None = None
                     ) -> dict[tuple[str, str], dict[str, Any]]:
        """Per-employee-day documents for (nip, date) pairs.

        FerretDB answers a bare ``_id`` lookup from its primary key but scans the
        whole collection for ``_id: {$in: ...}``, so a handful of keys (a team,
        a month of history) are fetched one by one; many keys use one ``$in``
        (index-backed on MongoDB).
        """
        keys = [day_key(n, d) for n, d in pairs]
        if len(keys) <= POINT_LOOKUP_LIMIT:
            docs = self.point_reads(collection, keys, projection)
        else:
            docs = self.db[collection].find({"_id": {"$in": keys}}, projection)
        return {(d["nip"], d["date"]): d for d in docs}

    def rosters_for(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        found = self._by_day_keys(ROSTERS, pairs, {"nip": 1, "date": 1, "mode": 1})
        return {k: d.get("mode") for k, d in found.items()}

    def leave_types_for(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        found = self._by_day_keys(LEAVE_DAYS, pairs, {"nip": 1, "date": 1, "type": 1})
        return {k: d.get("type") for k, d in found.items()}

    def leave_type_on(self, nip: str, day: str) -> str | None:
        return (self.leave_day(nip, day) or {}).get("type")

    def leave_day(self, nip: str, day: str) -> dict[str, Any] | None:
        return self.db[LEAVE_DAYS].find_one({"_id": day_key(nip, day)}, {"type": 1, "leave_request_id": 1})

    # --- leave requests ------------------------------------------------------------
    def insert_leave_request(self, document: dict[str, Any]) -> None:
        self.db[LEAVE_REQUESTS].insert_one(document)

    def get_leave_request(self, request_id: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[LEAVE_REQUESTS].find_one({"_id": request_id}))

    def leave_requests_of(self, nips: list[str], states: list[str] | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"nip": {"$in": nips}}
        if states:
            query["state"] = {"$in": states}
        cursor = self.db[LEAVE_REQUESTS].find(query, {EVENT_IDS: 0}).sort([("start_date", DESCENDING), ("_id", 1)])
        return list(cursor)

    def decide_leave_request(self, request_id: str, changes: dict[str, Any], event: dict[str, Any]
                             ) -> dict[str, Any] | None:
        """Move a *pending* request (conditional on its state) with its event; None if it was not pending."""
        doc = outbox.find_one_and_update(self.db[LEAVE_REQUESTS], {"_id": request_id, "state": "pending"},
                                         {"$set": changes}, event)
        return strip_outbox(doc)

    def cancel_leave_request(self, request_id: str, from_state: str, changes: dict[str, Any], event: dict[str, Any]
                             ) -> dict[str, Any] | None:
        """Cancel (conditional on the state read before) with its event; None if the state moved on."""
        return strip_outbox(outbox.find_one_and_update(self.db[LEAVE_REQUESTS], {"_id": request_id, "state": from_state},
                                                       {"$set": changes}, event))

    def insert_leave_days(self, documents: list[dict[str, Any]]) -> None:
        """One document per approved day; days already present are left as they are."""
        if not documents:
            return
        try:
            self.db[LEAVE_DAYS].insert_many(documents, ordered=False)
        except BulkWriteError as exc:
            if any(err.get("code") != 11000 for err in exc.details.get("writeErrors", [])):
                raise

    def delete_leave_days(self, request_id: str, keys: list[str]) -> int:
        deleted = 0
        for key in keys:  # point deletes by _id (FerretDB: primary key), only this request's days
            deleted += self.db[LEAVE_DAYS].delete_one({"_id": key, "leave_request_id": request_id}).deleted_count
        return deleted

    def leave_days_between(self, nips: list[str], start: str, end: str) -> list[dict[str, Any]]:
        return list(self.db[LEAVE_DAYS].find({"nip": {"$in": nips}, "date": {"$gte": start, "$lte": end}},
                                             {"nip": 1, "date": 1, "type": 1}))

    # --- rosters -----------------------------------------------------------------------
    def replace_roster_range(self, unit_code: str, nips: list[str], start: str, end: str,
                             documents: list[dict[str, Any]]) -> int:
        """Delete the range for these staff (and the unit's former entries), then insert.

        Inserts, not upserts: large upsert bulks are quadratic on FerretDB."""
        self.db[ROSTERS].delete_many({"date": {"$gte": start, "$lte": end},
                                      "$or": [{"nip": {"$in": nips}}, {"unit_code": unit_code}]})
        if documents:
            self.db[ROSTERS].insert_many(documents, ordered=False)
        return len(documents)

    def record_roster_run(self, document: dict[str, Any], event: dict[str, Any]) -> None:
        outbox.insert_one(self.db[ROSTER_RUNS], document, event)

    def set_roster_entry(self, nip: str, day: str, mode: str, unit_code: str | None, actor: str) -> dict[str, Any]:
        doc = {"_id": day_key(nip, day), "nip": nip, "date": day, "mode": mode, "unit_code": unit_code,
               "edited_by": actor, "updated_at": utcnow()}
        self.db[ROSTERS].replace_one({"_id": doc["_id"]}, doc, upsert=True)
        return doc

    def rosters_between(self, nips: list[str], start: str, end: str) -> list[dict[str, Any]]:
        return list(self.db[ROSTERS].find({"nip": {"$in": nips}, "date": {"$gte": start, "$lte": end}},
                                          {"nip": 1, "date": 1, "mode": 1}).sort([("date", 1), ("nip", 1)]))

    # --- roster pins ---------------------------------------------------------------
    # ``roster_pins``: ``{_id: nip, nip, mode: "WFO"|"WFH", reason, set_by, set_at}``, one per pinned
    # employee (front desk always WFO, health reasons always WFH); read by the roster generation.
    # Only pinned staff have a document, so the collection stays small and the ``$in`` read scans little.
    def put_roster_pin(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Set (replace) the employee's pin; ``doc["_id"]`` is the NIP."""
        self.db[ROSTER_PINS].replace_one({"_id": doc["_id"]}, doc, upsert=True)
        return doc

    def delete_roster_pin(self, nip: str) -> bool:
        return self.db[ROSTER_PINS].delete_one({"_id": nip}).deleted_count == 1

    def roster_pins_of(self, nips: list[str] | None) -> list[dict[str, Any]]:
        """Pins of these employees (``None``: every pin), by NIP."""
        query: dict[str, Any] = {} if nips is None else {"_id": {"$in": nips}}
        return list(self.db[ROSTER_PINS].find(query).sort("_id", 1))

    # --- check-ins -------------------------------------------------------------
    def insert_check_in(self, document: dict[str, Any], event: dict[str, Any]) -> bool:
        """Insert the day's check-in with its event; False if one exists for (nip, date)."""
        try:
            outbox.insert_one(self.db[CHECK_INS], document, event)
        except DuplicateKeyError:
            return False
        return True

    def get_check_in(self, nip: str, day: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[CHECK_INS].find_one({"_id": day_key(nip, day)}))

    def record_check_out(self, nip: str, day: str, check_out: dict[str, Any], event: dict[str, Any]
                         ) -> dict[str, Any] | None:
        """Set the check-out unless there is one already (atomic); None when there was."""
        doc = outbox.find_one_and_update(self.db[CHECK_INS], {"_id": day_key(nip, day), "check_out": None},
                                         {"$set": {"check_out": check_out}}, event)
        return strip_outbox(doc)

    def check_ins_for(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return self._by_day_keys(CHECK_INS, pairs, {EVENT_IDS: 0})

    def page_check_ins(self, nips: list[str], start: str, end: str, skip: int, limit: int
                       ) -> tuple[list[dict[str, Any]], int]:
        query = {"nip": {"$in": nips}, "date": {"$gte": start, "$lte": end}}
        total = self.db[CHECK_INS].count_documents(query)
        cursor = (self.db[CHECK_INS].find(query, {EVENT_IDS: 0})
                  .sort([("date", DESCENDING), ("nip", 1)]).skip(skip).limit(limit))
        return list(cursor), total

    # --- WFH home locations ------------------------------------------------------
    def put_home_location(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Set the employee's home location (every field of any previous one is overwritten; a `$set`, not a
        replace, so the outbox mark of a decision event still being relayed stays)."""
        self.db[HOME_LOCATIONS].update_one({"_id": doc["_id"]}, {"$set": {k: v for k, v in doc.items() if k != "_id"}},
                                           upsert=True)
        return doc

    def get_home_location(self, nip: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[HOME_LOCATIONS].find_one({"_id": nip}))

    def home_locations_of(self, nips: list[str] | None, status: str | None) -> list[dict[str, Any]]:
        """Home locations of these employees (``None``: everyone), optionally by status."""
        query: dict[str, Any] = {}
        if nips is not None:
            query["nip"] = {"$in": nips}
        if status:
            query["status"] = status
        return list(self.db[HOME_LOCATIONS].find(query, {EVENT_IDS: 0}).sort("requested_at", 1))

    def decide_home_location(self, nip: str, changes: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
        """Move a *pending* home location (conditional on its status) with its event; None if it was not pending."""
        return strip_outbox(outbox.find_one_and_update(self.db[HOME_LOCATIONS], {"_id": nip, "status": "pending"},
                                                       {"$set": changes}, event))

    # --- idempotency -------------------------------------------------------------
    def reserve_idempotency_key(self, key_id: str, nip: str, request_hash: str) -> dict[str, Any] | None:
        """Claim a key; None if we claimed it, else the stored record (pending or answered)."""
        try:
            self.db[IDEMPOTENCY].insert_one({"_id": key_id, "nip": nip, "request_hash": request_hash,
                                             "state": "pending", "created_at": utcnow()})
            return None
        except DuplicateKeyError:
            return self.db[IDEMPOTENCY].find_one({"_id": key_id})

    def get_idempotency_key(self, key_id: str) -> dict[str, Any] | None:
        return self.db[IDEMPOTENCY].find_one({"_id": key_id})

    def complete_idempotency_key(self, key_id: str, status: int, body: dict[str, Any]) -> None:
        self.db[IDEMPOTENCY].update_one({"_id": key_id},
                                        {"$set": {"state": "done", "status": status, "body": body}})

    def release_idempotency_key(self, key_id: str) -> None:
        self.db[IDEMPOTENCY].delete_one({"_id": key_id, "state": "pending"})

    def purge_idempotency_keys(self, older_than: timedelta) -> int:
        """Expiry by query (FerretDB has no TTL indexes)."""
        return self.db[IDEMPOTENCY].delete_many({"created_at": {"$lt": utcnow() - older_than}}).deleted_count

    # --- daily close and recap --------------------------------------------------
    def close_inputs(self, day: str) -> tuple[list[dict[str, Any]], dict[str, bool], set[str]]:
        """What the close of ``day`` reads when the read models do not cover it: three bulk finds (one
        scan each on FerretDB), in parallel threads (FerretDB decodes every document it scans).

        Returns (active employees with few fields, {nip: checked_out} of the day's
        check-ins, nips with an approved leave day).
        """
        def employees():
            return list(self.db[EMPLOYEES].find({"active": True}, {"unit_code": 1, "office_override": 1}))

        def check_ins():
            return {d["nip"]: bool(d.get("check_out"))
                    for d in self.db[CHECK_INS].find({"date": day}, {"nip": 1, "check_out": 1})}

        def on_leave():
            return {d["nip"] for d in self.db[LEAVE_DAYS].find({"date": day}, {"nip": 1})}

        with ThreadPoolExecutor(max_workers=3, thread_name_prefix="close-read") as pool:
            futures = [pool.submit(f) for f in (employees, check_ins, on_leave)]
            results = [f.result() for f in futures]
        return results[0], results[1], results[2]

    def insert_day_records(self, documents: list[dict[str, Any]], chunk: int = 5000) -> list[dict[str, Any]]:
        """Unordered inserts in chunks; a record already there is kept (11000 ignored). Returns the new ones."""
        inserted: list[dict[str, Any]] = []
        for i in range(0, len(documents), chunk):
            part = documents[i:i + chunk]
            try:
                self.db[DAY_RECORDS].insert_many(part, ordered=False)
                inserted += part
            except BulkWriteError as exc:
                errors = exc.details.get("writeErrors", [])
                if any(err.get("code") != 11000 for err in errors):
                    raise
                failed = {err["index"] for err in errors}
                inserted += [doc for j, doc in enumerate(part) if j not in failed]
        return inserted

    def closed_offices(self, day: str) -> set[str]:
        doc = self.db[DAY_CLOSES].find_one({"_id": day}, {"offices": 1})
        return set(doc.get("offices") or ()) if doc else set()

    def mark_closed(self, day: str, offices: list[str]) -> None:
        """One small document per date, written by the close after it finished (single writer: the worker
        or an admin request; a lost ``$addToSet`` only makes the worker close that day once more)."""
        self.db[DAY_CLOSES].update_one({"_id": day}, {"$addToSet": {"offices": {"$each": sorted(offices)}},
                                                      "$set": {"updated_at": utcnow()}}, upsert=True)

    def month_documents(self, nips: list[str], start: str, end: str
                        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """check_ins, leave_days and day_records of these employees from start..end (inclusive)."""
        query = {"nip": {"$in": nips}, "date": {"$gte": start, "$lte": end}}
        check_ins = list(self.db[CHECK_INS].find(
            query, {"nip": 1, "date": 1, "mode": 1, "late_minutes": 1, "non_working_day": 1, "check_out": 1}))
        leave_days = list(self.db[LEAVE_DAYS].find(query, {"nip": 1, "date": 1, "type": 1}))
        day_records = list(self.db[DAY_RECORDS].find(query, {"nip": 1, "date": 1, "status": 1}))
        return check_ins, leave_days, day_records

    # --- settled employee-days (presence.day.settled, settlement.py) ------------
    def day_settlements(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return self._by_day_keys(DAY_SETTLEMENTS, pairs, {EVENT_IDS: 0})

    def settlement_inputs(self, day: str) -> tuple[dict[str, dict[str, Any]], dict[str, str], dict[str, dict[str, Any]]]:
        """The whole day's check-ins, leave types and settlements by nip: one read by date each (the close)."""
        check_ins = {d["nip"]: d for d in self.db[CHECK_INS].find(
            {"date": day}, {"nip": 1, "mode": 1, "late_minutes": 1, "check_out": 1})}
        leaves = {d["nip"]: d.get("type") for d in self.db[LEAVE_DAYS].find({"date": day}, {"nip": 1, "type": 1})}
        settled = {d["nip"]: d for d in self.db[DAY_SETTLEMENTS].find({"date": day}, {EVENT_IDS: 0})}
        return check_ins, leaves, settled

    def insert_day_settlement(self, document: dict[str, Any], event: dict[str, Any]) -> bool:
        """False if the day is settled already (a parallel close won)."""
        try:
            outbox.insert_one(self.db[DAY_SETTLEMENTS], document, event)
        except DuplicateKeyError:
            return False
        return True

    def insert_day_settlements(self, items: list[tuple[dict[str, Any], dict[str, Any]]], chunk: int = 2000
                               ) -> list[int]:
        """Bulk insert of (document, event) pairs; the indexes that were there already (a parallel close)."""
        failed: list[int] = []
        for start in range(0, len(items), chunk):
            failed += [start + i for i in outbox.insert_many(self.db[DAY_SETTLEMENTS], items[start:start + chunk])]
        return failed

    def update_day_settlement(self, key: str, revision: int, document: dict[str, Any], event: dict[str, Any]
                              ) -> bool:
        """Replace the settlement if it is still at ``revision`` (compare-and-set)."""
        return outbox.update_one(self.db[DAY_SETTLEMENTS], {"_id": key, "revision": revision},
                                 {"$set": document}, event)

    # --- packed read models (written by the presence worker only) ----------------
    def read_model_state(self) -> dict[str, Any]:
        return self.db[READ_MODELS].find_one({"_id": "state"}) or {}

    def set_read_model_state(self, **fields: Any) -> None:
        self.db[READ_MODELS].update_one({"_id": "state"}, {"$set": fields}, upsert=True)

    def set_roll_entry(self, nip: str, value: str | None) -> None:
        change = {"$set": {f"m.{nip}": value}} if value is not None else {"$unset": {f"m.{nip}": ""}}
        bucket = roll_bucket(nip)
        self.db[EMPLOYEE_ROLL].update_one({"_id": bucket}, change, upsert=True)
        # after the write: a packed copy stamped with an older count is stale (see pack_roll)
        self.db[READ_MODELS].update_one({"_id": ROLL_COUNTS}, {"$inc": {bucket: 1}}, upsert=True)

    def replace_roll(self, buckets: dict[str, dict[str, str]]) -> None:
        """The whole roll at once (rebuild): missing buckets are emptied."""
        self.db[EMPLOYEE_ROLL].delete_many({})
        self.db[EMPLOYEE_ROLL_PACKED].delete_many({})
        docs = [{"_id": b, "m": m} for b, m in buckets.items()]
        for i in range(0, len(docs), 200):
            self.db[EMPLOYEE_ROLL].insert_many(docs[i:i + 200], ordered=False)
        self.db[READ_MODELS].replace_one({"_id": ROLL_COUNTS}, {"_id": ROLL_COUNTS, **{b: 1 for b in buckets}},
                                         upsert=True)

    def roll_entry(self, nip: str) -> str | None:
        doc = self.db[EMPLOYEE_ROLL].find_one({"_id": roll_bucket(nip)})
        return (doc.get("m") or {}).get(nip) if doc else None

    def _roll_counts(self) -> dict[str, int]:
        doc = self.db[READ_MODELS].find_one({"_id": ROLL_COUNTS}) or {}
        return {k: v for k, v in doc.items() if k != "_id"}

    def roll(self) -> dict[str, str]:
        """``{nip: "<unit_code>|<since>|<name>"}`` of every active employee: the fresh packed buckets
        (one string each) plus the buckets written since they were packed (read whole, by ``_id``)."""
        counts = self._roll_counts()
        packed = {d["_id"]: d for d in self.db[EMPLOYEE_ROLL_PACKED].find({})}
        out: dict[str, str] = {}
        stale = []
        for bucket, count in counts.items():
            doc = packed.get(bucket)
            if doc is not None and doc.get("n") == count:
                out.update(pair.split("\x1f", 1) for pair in doc["m"].split("\x1e") if pair)
            else:
                stale.append(bucket)
        for doc in self.point_reads(EMPLOYEE_ROLL, stale):
            out.update(doc.get("m") or {})
        return out

    def pack_roll(self) -> int:
        """Pack the buckets whose packed copy is missing or stale (the worker only). The count is read
        before the bucket and writers bump it after writing, so a copy stamped k holds every write up to k."""
        counts = self._roll_counts()
        packed = {d["_id"]: d.get("n") for d in self.db[EMPLOYEE_ROLL_PACKED].find({}, {"n": 1})}
        done = 0
        for bucket, count in counts.items():
            if packed.get(bucket) == count:
                continue
            doc = self.db[EMPLOYEE_ROLL].find_one({"_id": bucket}) or {}
            entries = "\x1e".join(f"{nip}\x1f{value}" for nip, value in (doc.get("m") or {}).items())
            self.db[EMPLOYEE_ROLL_PACKED].replace_one({"_id": bucket}, {"_id": bucket, "n": count, "m": entries},
                                                      upsert=True)
            done += 1
        return done

    def replace_sheets(self, sheets: dict[str, dict[str, Any]]) -> None:
        """All day sheets and their index at once (rebuild)."""
        self.db[DAY_SHEETS].delete_many({})
        self.db[DAY_SHEET_INDEX].delete_many({})
        docs = [{"_id": sheet, **fields} for sheet, fields in sheets.items()]
        for i in range(0, len(docs), 500):
            self.db[DAY_SHEETS].insert_many(docs[i:i + 500], ordered=False)
        index: dict[str, list[str]] = {}
        for sheet in sheets:
            index.setdefault(sheet.split(":", 1)[0], []).append(sheet)
        if index:
            self.db[DAY_SHEET_INDEX].insert_many([{"_id": day, "ids": ids} for day, ids in index.items()])
        self.db[DAY_SHEET_COUNTS].delete_many({})
        self.db[DAY_SHEETS_PACKED].delete_many({})
        counts: dict[str, dict[str, int]] = {}
        for sheet in sheets:
            prefix, part = sheet.rsplit(":", 1)
            counts.setdefault(prefix, {})[f"p{part}"] = 1
        docs = [{"_id": prefix, **parts} for prefix, parts in counts.items()]
        for i in range(0, len(docs), 500):
            self.db[DAY_SHEET_COUNTS].insert_many(docs[i:i + 500], ordered=False)

    def set_office_override_entry(self, nip: str, office_code: str | None) -> None:
        if office_code:
            self.db[OFFICE_OVERRIDES].replace_one({"_id": nip}, {"_id": nip, "office_code": office_code}, upsert=True)
        else:
            self.db[OFFICE_OVERRIDES].delete_one({"_id": nip})

    def office_overrides(self) -> dict[str, str]:
        return {d["_id"]: d["office_code"] for d in self.db[OFFICE_OVERRIDES].find({})}

    def set_sheet_fields(self, sheet: str, fields: dict[str, str | None]) -> None:
        """One update of a sheet: ``{"c.<nip>": entry, "l.<nip>": None (unset), ...}``."""
        change: dict[str, dict[str, Any]] = {}
        for path, value in fields.items():
            if value is None:
                change.setdefault("$unset", {})[path] = ""
            else:
                change.setdefault("$set", {})[path] = value
        self.db[DAY_SHEETS].update_one({"_id": sheet}, change, upsert=True)

    def point_reads(self, collection: str, ids: list[str], projection: dict | None = None) -> list[dict[str, Any]]:
        """Documents by ``_id`` in the order asked, read in parallel threads (``$in`` on ``_id`` scans on
        FerretDB); missing ones are left out."""
        if not ids:
            return []
        coll = self.db[collection]
        with ThreadPoolExecutor(max_workers=min(8, len(ids)), thread_name_prefix="reads") as pool:
            return [d for d in pool.map(lambda k: coll.find_one({"_id": k}, projection), ids) if d is not None]

    def count_sheet_write(self, sheet: str) -> None:
        """After a write to ``sheet``: bump its count (packed copies with another count are stale)."""
        prefix, part = sheet.rsplit(":", 1)
        self.db[DAY_SHEET_COUNTS].update_one({"_id": prefix}, {"$inc": {f"p{part}": 1}}, upsert=True)

    def sheet_counts(self, prefixes: list[str]) -> dict[str, dict[str, int]]:
        """``{"<date>:<unit>": {"p<part>": count}}`` (absent: never written)."""
        return {d["_id"]: d for d in self.point_reads(DAY_SHEET_COUNTS, prefixes)}

    def packed_sheets(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in self.point_reads(DAY_SHEETS_PACKED, ids)}

    def put_packed_sheet(self, doc: dict[str, Any]) -> None:
        self.db[DAY_SHEETS_PACKED].replace_one({"_id": doc["_id"]}, doc, upsert=True)

    def index_sheet(self, day: str, sheet: str) -> None:
        self.db[DAY_SHEET_INDEX].update_one({"_id": day}, {"$addToSet": {"ids": sheet}}, upsert=True)

    def sheet_ids(self, day: str) -> list[str]:
        doc = self.db[DAY_SHEET_INDEX].find_one({"_id": day})
        return list(doc.get("ids") or ()) if doc else []

    def sheets(self, ids: list[str]) -> list[dict[str, Any]]:
        return self.point_reads(DAY_SHEETS, ids)

    def pending_outbox(self, collections: Iterable[str]) -> list[dict[str, Any]]:
        """Staged, not yet relayed outbox entries of these collections (the outbox stays small)."""
        wanted = set(collections)
        entries = self.db[outbox.OUTBOX].find({}, {"collection": 1, "doc_id": 1, "seq": 1})
        return sorted((e for e in entries if e["collection"] in wanted), key=lambda e: e.get("seq", 0))

    def scan_for_rebuild(self, since: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """Everything a rebuild of the read models needs (full scans; once, at worker start)."""
        employees = list(self.db[EMPLOYEES].find({"active": True}, {"unit_code": 1, "office_override": 1, "name": 1}))
        check_ins = list(self.db[CHECK_INS].find({"date": {"$gte": since}}))
        requests = list(self.db[LEAVE_REQUESTS].find({"state": "approved", "end_date": {"$gte": since}}, {EVENT_IDS: 0}))
        return employees, check_ins, requests

    # --- audit -------------------------------------------------------------------
    def audit(self, *, actor: str, action: str, entity: str, entity_id: str, changes: dict[str, Any],
              request_id: str | None) -> None:
        self.db[AUDIT].insert_one({"at": utcnow(), "actor": actor, "action": action, "entity": entity,
                                   "entity_id": entity_id, "changes": changes, "request_id": request_id})


public = _public
