"""The only module of presence that talks to MongoDB.

Collections (all in presence's own database):

* ``employees``   our copy of identity's employees (fed by events) plus the
                  admin's per-employee office override (``office_override``).
* ``offices``     ``_id`` = office code; location, radius, zone, units, schedule.
* ``schedule_overrides``  date-range schedules per office (Ramadan hours).
* ``holidays``    ``_id`` = ``YYYY-MM-DD``.
* ``check_ins``   one document per employee and office date (``_id`` =
                  ``<nip>:<date>``; public ``id`` a uuid): the check-in, later its
                  check-out. The ``_id`` makes a second check-in of the day a
                  duplicate key (11000), so the database decides who was first.
* ``idempotency_keys``  ``_id`` = ``<nip>:<key>``: request hash and first answer.
* ``rosters``     ``{_id: "<nip>:<date>", nip, date, mode, unit_code}``; written by the roster feature.
* ``leave_days``  ``{_id: "<nip>:<date>", nip, date, type, leave_request_id}`` for
                  *approved* leave days only; written by the leave feature.
* ``leave_requests``  ``_id`` = public id (uuid hex); one leave / dinas luar
                  request and its state; carries ``presence.leave.decided``.
* ``roster_runs`` one document per roster generation; carries
                  ``presence.roster.published``.
* ``roster_pins`` ``{_id: nip, mode, reason, set_by, set_at}``: always-WFO / always-WFH staff.
* ``day_records`` ``{_id: "<nip>:<date>", nip, date, unit_code, status, office_code}``
                  written by the daily close (``tanpa_keterangan`` / ``no_checkout``);
                  inserted only (unordered ``insert_many``), so a re-run changes nothing.
* ``day_closes``  ``{_id: "<date>", offices: [codes]}``: offices whose close of that date
                  finished (the worker skips them; the admin endpoint always re-runs).
* ``home_locations``  ``{_id: nip, nip, latitude, longitude, status: pending|approved|rejected,
                  requested_at, decided_by, decided_at, note}``: the WFH home location; carries
                  ``presence.home_location.decided``.
* ``audit``       who changed which office/schedule/holiday/assignment.
* ``outbox``, ``inbox``  staged events and processed event ids (``sipk_shared``).

Every query below is served by an index on MongoDB 7: the ``_id`` index or one
of ``INDEXES`` (the comment at each query names it). The per-employee-day
documents are keyed ``<nip>:<date>``, so the ``_id`` index gives their
uniqueness for free and a point read needs no other index.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from pymongo import DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from sipk_shared.files import GridFiles
from sipk_shared.mongo import IndexSpec, asc, drop_retired, ensure_indexes, upsert_if_newer
from sipk_shared import outbox
from sipk_shared.outbox import EVENT_IDS, OUTBOX_INDEXES, strip_outbox

from .trust_store import TRUST_INDEXES, TRUST_OUTBOX, TrustStore

EMPLOYEES = "employees"  # our own copy, fed by identity events
UNITS = "units"  # {_id: code, code, name, parent_code}: identity.unit.* (the recap file's title names the unit)
OFFICES = "offices"
SCHEDULE_OVERRIDES = "schedule_overrides"
HOLIDAYS = "holidays"
CHECK_INS = "check_ins"
IDEMPOTENCY = "idempotency_keys"
ROSTERS = "rosters"
LEAVE_DAYS = "leave_days"
LEAVE_REQUESTS = "leave_requests"
LEAVE_BALANCES = "leave_balances"  # {_id: "<nip>:<year>", nip, year, held, holders: [request ids]} (annual_leave.py)
LEAVE_FILES = "leave_files"  # GridFS bucket: leave attachments (SPT scan, doctor's letter)
ROSTER_RUNS = "roster_runs"
AUDIT = "audit"
DAY_RECORDS = "day_records"
DAY_CLOSES = "day_closes"
HOME_LOCATIONS = "home_locations"
ROSTER_PINS = "roster_pins"
DAY_SETTLEMENTS = "day_settlements"  # settlement.py: each closed employee-day as the recap counts it

OUTBOX_COLLECTIONS: list[str] = [CHECK_INS, LEAVE_REQUESTS, ROSTER_RUNS, HOME_LOCATIONS, DAY_SETTLEMENTS, *TRUST_OUTBOX]

# Every index presence's queries use, in one place (the query names the index it uses).
INDEXES = [
    IndexSpec(EMPLOYEES, asc("supervisor_nip"), name="by_supervisor"),
    IndexSpec(EMPLOYEES, asc("unit_code"), name="by_unit"),
    IndexSpec(OFFICES, asc("unit_codes"), name="by_unit_codes"),
    IndexSpec(SCHEDULE_OVERRIDES, asc("office_code", "start_date"), name="by_office"),
    IndexSpec(CHECK_INS, asc("nip", "date"), unique=True, name="one_check_in_per_day"),
    IndexSpec(CHECK_INS, asc("date", "nip"), name="by_date"),
    IndexSpec(IDEMPOTENCY, asc("created_at"), name="by_created"),
    IndexSpec(ROSTERS, asc("nip", "date"), unique=True, name="roster_per_day"),
    IndexSpec(ROSTERS, asc("unit_code", "date"), name="roster_by_unit"),
    IndexSpec(LEAVE_DAYS, asc("nip", "date"), name="leave_by_day"),
    IndexSpec(LEAVE_DAYS, asc("date", "nip"), name="leave_by_date"),
    IndexSpec(LEAVE_REQUESTS, asc("nip", "start_date"), name="leave_requests_by_nip"),
    IndexSpec(DAY_RECORDS, asc("nip", "date"), name="day_records_by_nip"),
    IndexSpec(HOME_LOCATIONS, asc("status", "requested_at"), name="home_by_status"),
    IndexSpec(HOME_LOCATIONS, asc("requested_at"), name="home_by_time"),
    IndexSpec(AUDIT, asc("entity", "entity_id"), name="by_entity"),
    IndexSpec(AUDIT, asc("at"), name="audit_by_time"),
    IndexSpec(DAY_SETTLEMENTS, asc("date", "nip"), name="day_settlements_by_date"),
    *TRUST_INDEXES,  # trust_store.py: devices, selfies, corrections, flagged check-ins
    *OUTBOX_INDEXES,
]

# Left by earlier versions: the packed read models the bulk jobs used to read, and indexes no
# query uses any more. ``ensure_indexes`` drops them (a no-op once they are gone).
RETIRED_COLLECTIONS = ("employee_roll", "employee_roll_packed", "office_overrides", "day_sheets",
                       "day_sheet_index", "day_sheet_counts", "day_sheets_packed", "read_models")
RETIRED_INDEXES = ((ROSTERS, "roster_by_date"), (LEAVE_DAYS, "leave_by_request"), (DAY_RECORDS, "day_records_by_date"))


def employed_since(day: str | None) -> dict[str, Any]:
    """Active employees; with ``day``, also those whose last day (``active_until``) is on or after it."""
    if day is None:
        return {"active": True}
    return {"$or": [{"active": True}, {"active_until": {"$gte": day}}]}


def day_key(nip: str, day: str) -> str:
    """``_id`` of a per-employee-day document (check-in, roster entry, leave day)."""
    return f"{nip}:{day}"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _public(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    doc = strip_outbox(doc)
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if k != "_id"}


class Store(TrustStore):
    def __init__(self, db: Database):
        self.db = db

    def ensure_indexes(self) -> None:
        drop_retired(self.db, collections=RETIRED_COLLECTIONS, indexes=RETIRED_INDEXES)
        ensure_indexes(self.db, INDEXES)

    # --- employee copy ----------------------------------------------------------
    def apply_employee_snapshot(self, snapshot: dict[str, Any], occurred_at: str) -> bool:
        return upsert_if_newer(self.db[EMPLOYEES], snapshot["nip"], dict(snapshot), occurred_at)

    def apply_unit_snapshot(self, snapshot: dict[str, Any], occurred_at: str) -> bool:
        return upsert_if_newer(self.db[UNITS], snapshot["code"], dict(snapshot), occurred_at)

    def get_unit(self, code: str) -> dict[str, Any] | None:
        return self.db[UNITS].find_one({"_id": code})

    def get_employee(self, nip: str) -> dict[str, Any] | None:
        return self.db[EMPLOYEES].find_one({"_id": nip})

    def set_office_override(self, nip: str, office_code: str | None) -> dict[str, Any] | None:
        """Set (or with None clear) the admin's office override; None if the employee is unknown."""
        update = {"$set": {"office_override": office_code}} if office_code else {"$unset": {"office_override": ""}}
        return self.db[EMPLOYEES].find_one_and_update({"_id": nip}, update, return_document=ReturnDocument.AFTER)

    def subordinates(self, supervisor_nip: str, since: str | None = None) -> list[dict[str, Any]]:
        """Direct subordinates (index ``by_supervisor``; a team is small, so the sort is in memory);
        with ``since`` (a date) also those deactivated whose last day is on or after it (a recap of
        the month they left)."""
        return list(self.db[EMPLOYEES].find({"supervisor_nip": supervisor_nip, **employed_since(since)})
                    .sort("name", 1))

    def has_subordinates(self, supervisor_nip: str) -> bool:
        return self.db[EMPLOYEES].find_one({"supervisor_nip": supervisor_nip, "active": True}, {"_id": 1}) is not None

    def employees_in_unit(self, unit_code: str, since: str | None = None) -> list[dict[str, Any]]:
        """The unit's active employees by name (index ``by_unit``); with ``since`` as ``subordinates``."""
        return list(self.db[EMPLOYEES].find({"unit_code": unit_code, **employed_since(since)}).sort("name", 1))

    # --- offices -------------------------------------------------------------
    def all_offices(self) -> list[dict[str, Any]]:
        return list(self.db[OFFICES].find({}))

    def get_office(self, code: str) -> dict[str, Any] | None:
        return self.db[OFFICES].find_one({"_id": code})

    def list_offices(self, skip: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        total = self.db[OFFICES].count_documents({})
        return list(self.db[OFFICES].find({}).sort("_id", 1).skip(skip).limit(limit)), total

    def offices_housing(self, unit_codes: Iterable[str], *, except_code: str | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"unit_codes": {"$in": list(unit_codes)}}  # by_unit_codes (multikey)
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

    def overrides_for(self, office_code: str) -> list[dict[str, Any]]:  # by_office
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

    def insert_holiday(self, day: str, name: str, kind: str = "national", source: str = "admin") -> bool:
        try:
            self.db[HOLIDAYS].insert_one({"_id": day, "date": day, "name": name, "kind": kind, "source": source,
                                          "created_at": utcnow()})
            return True
        except DuplicateKeyError:
            return False

    def upsert_holiday(self, day: str, name: str, kind: str = "national") -> bool:
        """Create or rename (and set the kind); True if created."""
        result = self.db[HOLIDAYS].update_one(
            {"_id": day}, {"$set": {"date": day, "name": name, "kind": kind},
                           "$setOnInsert": {"created_at": utcnow(), "source": "admin"}},
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
        """Per-employee-day documents for (nip, date) pairs: one ``$in`` on ``_id`` (the ``_id`` index)."""
        if not pairs:
            return {}
        keys = [day_key(n, d) for n, d in pairs]
        return {(d["nip"], d["date"]): d for d in self.db[collection].find({"_id": {"$in": keys}}, projection)}

    def rosters_for(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        found = self._by_day_keys(ROSTERS, pairs, {"nip": 1, "date": 1, "mode": 1})
        return {k: d.get("mode") for k, d in found.items()}

    def leave_types_for(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        found = self._by_day_keys(LEAVE_DAYS, pairs, {"nip": 1, "date": 1, "type": 1})
        return {k: d.get("type") for k, d in found.items()}

    def leave_type_on(self, nip: str, day: str) -> str | None:
        entry = self.db[LEAVE_DAYS].find_one({"_id": day_key(nip, day)}, {"type": 1})
        return entry.get("type") if entry else None

    # --- leave requests ------------------------------------------------------------
    def insert_leave_request(self, document: dict[str, Any]) -> None:
        self.db[LEAVE_REQUESTS].insert_one(document)

    def get_leave_request(self, request_id: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[LEAVE_REQUESTS].find_one({"_id": request_id}))

    def leave_requests_of(self, nips: list[str], states: list[str] | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"nip": {"$in": nips}}  # leave_requests_by_nip
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

    def set_leave_attachment(self, request_id: str, nip: str, attachment: dict[str, Any]) -> dict[str, Any] | None:
        """Put the attachment on the owner's request while it is pending; answers the request as it
        was before (its old attachment to delete), or None if it is not a pending request of theirs."""
        return self.db[LEAVE_REQUESTS].find_one_and_update(
            {"_id": request_id, "nip": nip, "state": "pending"}, {"$set": {"attachment": attachment}},
            projection={EVENT_IDS: 0}, return_document=ReturnDocument.BEFORE)

    def leave_files(self) -> GridFiles:
        return GridFiles(self.db, LEAVE_FILES)

    def hold_annual_leave(self, nip: str, year: int, days: int, limit: int, request_id: str) -> bool:
        """Hold ``days`` of ``year``'s annual leave for this request if no more than ``limit`` are held
        then: decided in the database (of two requests racing for the last days one gets them). The
        request is listed among the holders, so its release happens once however often it is asked."""
        if days > limit:
            return False
        try:
            self.db[LEAVE_BALANCES].update_one(
                {"_id": f"{nip}:{year}", "held": {"$lte": limit - days}, "holders": {"$ne": request_id}},
                {"$inc": {"held": days}, "$push": {"holders": request_id},
                 "$setOnInsert": {"nip": nip, "year": year}}, upsert=True)
            return True
        except DuplicateKeyError:  # the document exists and holds too much: the upsert tried a second one
            return False

    def release_annual_leave(self, nip: str, year: int, days: int, request_id: str) -> bool:
        """Give the request's held days back, once (False if it holds none: released already)."""
        return self.db[LEAVE_BALANCES].update_one(
            {"_id": f"{nip}:{year}", "holders": request_id},
            {"$inc": {"held": -days}, "$pull": {"holders": request_id}}).modified_count == 1

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
        """The request's own days among ``keys`` (a day another request approved since stays)."""
        if not keys:
            return 0
        return self.db[LEAVE_DAYS].delete_many({"_id": {"$in": keys}, "leave_request_id": request_id}).deleted_count

    def leave_days_between(self, nips: list[str], start: str, end: str) -> list[dict[str, Any]]:  # leave_by_day
        return list(self.db[LEAVE_DAYS].find({"nip": {"$in": nips}, "date": {"$gte": start, "$lte": end}},
                                             {"nip": 1, "date": 1, "type": 1}))

    # --- rosters -----------------------------------------------------------------------
    def replace_roster_range(self, unit_code: str, nips: list[str], start: str, end: str,
                             documents: list[dict[str, Any]]) -> int:
        """Delete the range for these staff (and the unit's former entries), then insert the new ones.

        The delete's ``$or`` branches use ``roster_per_day`` (nip, date) and ``roster_by_unit``
        (unit_code, date); after it no entry of the range is left, so plain inserts suffice."""
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

    def rosters_between(self, nips: list[str], start: str, end: str) -> list[dict[str, Any]]:  # roster_per_day
        return list(self.db[ROSTERS].find({"nip": {"$in": nips}, "date": {"$gte": start, "$lte": end}},
                                          {"nip": 1, "date": 1, "mode": 1}).sort([("date", 1), ("nip", 1)]))

    # --- roster pins ---------------------------------------------------------------
    # ``roster_pins``: ``{_id: nip, nip, mode: "WFO"|"WFH", reason, set_by, set_at}``, one per pinned
    # employee (front desk always WFO, health reasons always WFH); read by the roster generation.
    # Only pinned staff have a document; reads go by ``_id`` (the NIP).
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

    def record_check_out(self, nip: str, day: str, check_out: dict[str, Any], event: dict[str, Any] | list,
                         review: tuple[dict | None, dict | None] | None = None) -> dict[str, Any] | None:
        """Set the check-out unless there is one already (atomic); None when there was.

        ``review``: (the review read with the check-in, what it becomes): the write is then also
        conditional on the review being unchanged, so a review decided meanwhile is never overwritten."""
        query: dict[str, Any] = {"_id": day_key(nip, day), "check_out": None}
        changes: dict[str, Any] = {"check_out": check_out}
        if review is not None:
            expected, new = review
            if expected:
                query["review.state"] = expected.get("state")
            else:
                query["review"] = None
            if new is not expected:
                changes["review"] = new
        doc = outbox.find_one_and_update(self.db[CHECK_INS], query, {"$set": changes}, event)
        return strip_outbox(doc)

    def check_ins_for(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return self._by_day_keys(CHECK_INS, pairs, {EVENT_IDS: 0})

    def page_check_ins(self, nips: list[str], start: str, end: str, skip: int, limit: int
                       ) -> tuple[list[dict[str, Any]], int]:
        query = {"nip": {"$in": nips}, "date": {"$gte": start, "$lte": end}}  # one_check_in_per_day
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
        """Home locations of these employees (``None``: everyone), optionally by status.

        A team's by ``_id`` (the NIP); everyone's by ``home_by_status`` or ``home_by_time``."""
        query: dict[str, Any] = {}
        if nips is not None:
            query["_id"] = {"$in": nips}
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
        """Keys older than ``older_than`` (``by_created``); run by the worker, so the age is a setting
        (``IDEMPOTENCY_KEEP_HOURS``) rather than fixed in a TTL index's options."""
        return self.db[IDEMPOTENCY].delete_many({"created_at": {"$lt": utcnow() - older_than}}).deleted_count

    # --- daily close and recap --------------------------------------------------
    def close_inputs(self, day: str) -> tuple[list[dict[str, Any]], dict[str, bool], set[str]]:
        """What the close of ``day`` reads: (active employees with the fields that place them in an
        office, {nip: checked out?} of the day's check-ins, nips with an approved leave day).

        The check-ins and the leave days come by ``by_date`` / ``leave_by_date``. The employees are
        the whole active copy, read in one pass: the close needs nearly all of them, and a
        collection scan is the cheapest plan for that (an index would only add lookups)."""
        # active, or deactivated with a last day on or after this one (their day still counts)
        employees = list(self.db[EMPLOYEES].find(employed_since(day),
                                                 {"unit_code": 1, "office_override": 1, "employment": 1}))
        # a check-in its reviewer rejected does not count (the day is an absence)
        check_ins = {d["nip"]: bool(d.get("check_out"))
                     for d in self.db[CHECK_INS].find({"date": day}, {"nip": 1, "check_out": 1, "review": 1})
                     if (d.get("review") or {}).get("state") != "rejected"}
        on_leave = {d["nip"] for d in self.db[LEAVE_DAYS].find({"date": day}, {"nip": 1})}
        return employees, check_ins, on_leave

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

    def settled_dates(self, nip: str, first: str, last: str) -> set[str]:
        """Dates between ``first`` and ``last`` the close has settled for ``nip`` (a range on ``_id``)."""
        return {d["date"] for d in self.db[DAY_SETTLEMENTS].find(
            {"_id": {"$gte": day_key(nip, first), "$lte": day_key(nip, last)}}, {"date": 1})}

    def closed_days(self, first: str, last: str) -> dict[str, set[str]]:
        """{date: offices closed} of the dates between ``first`` and ``last`` (the ``_id`` index)."""
        return {d["_id"]: set(d.get("offices") or ()) for d in
                self.db[DAY_CLOSES].find({"_id": {"$gte": first, "$lte": last}}, {"offices": 1})}

    def mark_closed(self, day: str, offices: list[str]) -> None:
        """One small document per date, written by the close after it finished (``$addToSet`` is atomic,
        so two closes that finished different offices at once both land)."""
        self.db[DAY_CLOSES].update_one({"_id": day}, {"$addToSet": {"offices": {"$each": sorted(offices)}},
                                                      "$set": {"updated_at": utcnow()}}, upsert=True)

    def month_documents(self, nips: list[str], start: str, end: str
                        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """check_ins, leave_days and day_records of these employees from start..end (inclusive).

        Each by its (nip, date) index: ``one_check_in_per_day``, ``leave_by_day``, ``day_records_by_nip``."""
        query = {"nip": {"$in": nips}, "date": {"$gte": start, "$lte": end}}
        check_ins = list(self.db[CHECK_INS].find(
            query, {"nip": 1, "date": 1, "mode": 1, "late_minutes": 1, "non_working_day": 1, "check_out": 1,
                    "review": 1}))
        leave_days = list(self.db[LEAVE_DAYS].find(query, {"nip": 1, "date": 1, "type": 1}))
        day_records = list(self.db[DAY_RECORDS].find(query, {"nip": 1, "date": 1, "status": 1}))
        return check_ins, leave_days, day_records

    # --- settled employee-days (presence.day.settled, settlement.py) ------------
    def day_settlements(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return self._by_day_keys(DAY_SETTLEMENTS, pairs, {EVENT_IDS: 0})

    def settlement_inputs(self, day: str) -> tuple[dict[str, dict[str, Any]], dict[str, str], dict[str, dict[str, Any]]]:
        """The whole day's check-ins, leave types and settlements by nip: one read by date each (the close)."""
        check_ins = {d["nip"]: d for d in self.db[CHECK_INS].find(
            {"date": day}, {"nip": 1, "mode": 1, "late_minutes": 1, "check_out": 1, "review": 1})}
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

    # --- audit -------------------------------------------------------------------
    def audit(self, *, actor: str, action: str, entity: str, entity_id: str, changes: dict[str, Any],
              request_id: str | None) -> None:
        self.db[AUDIT].insert_one({"at": utcnow(), "actor": actor, "action": action, "entity": entity,
                                   "entity_id": entity_id, "changes": changes, "request_id": request_id})

    def page_audit(self, query: dict[str, Any], skip: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Audit entries matching ``query`` (equality on entity, entity_id, actor, action), newest first."""
        total = self.db[AUDIT].count_documents(query)
        cursor = self.db[AUDIT].find(query).sort([("at", DESCENDING), ("_id", DESCENDING)]).skip(skip).limit(limit)
        return list(cursor), total


public = _public
