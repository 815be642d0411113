"""The only module of performance that talks to MongoDB (and GridFS, pymongo's file store)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, BinaryIO, Iterable, Iterator

from pymongo import ReturnDocument, UpdateOne
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from sipk_shared.files import GridFiles
from sipk_shared.mongo import IndexSpec, asc, ensure_indexes, upsert_if_newer
from sipk_shared import outbox
from sipk_shared.outbox import EVENT_IDS, OUTBOX_INDEXES, strip_outbox

from .domain.tasks import OPEN_STATES

EMPLOYEES = "employees"  # our own copy, fed by identity events
HEARTBEATS = "heartbeats"  # {_id: nip, last_seen_at}: the last heartbeat only, no trail
PRESENCE = "presence_today"  # {_id: nip, date, mode, checked_in_at, checked_out_at, ...}: the latest day only
TASKS = "tasks"
DAILY_LOGS = "daily_logs"  # one document per (nip, date) holding that day's entries
FILES_BUCKET = "submission_files"  # GridFS: submission_files.files / submission_files.chunks
SKPS = "skps"  # one annual plan per (nip, year), its approved version and its history
SKP_PERIODS = "skp_periods"  # {_id: "<skp id>:<period>"}: realisation, feedback, behaviour, evaluation
SKP_SETTINGS = "skp_settings"  # {_id: year, period_scheme}
ATTENDANCE_DAYS = "attendance_days"  # {_id: "<nip>:<date>"}: settled days from presence.day.settled

OUTBOX_COLLECTIONS: list[str] = [TASKS, SKPS, SKP_PERIODS]

INDEXES = [
    IndexSpec(EMPLOYEES, asc("supervisor_nip"), name="by_supervisor"),
    IndexSpec(EMPLOYEES, asc("unit_code"), name="by_unit"),
    IndexSpec(TASKS, asc("assignee_nip", "status"), name="by_assignee_status"),
    IndexSpec(TASKS, asc("assigner_nip", "status"), name="by_assigner_status"),
    IndexSpec(TASKS, asc("created_at"), name="by_created"),
    IndexSpec(DAILY_LOGS, asc("nip", "date"), unique=True, name="by_nip_date"),
    IndexSpec(DAILY_LOGS, asc("entries.id"), name="by_entry_id"),
    # one SKP per employee per year: the database decides a race between two drafts
    IndexSpec(SKPS, asc("nip", "year"), unique=True, name="one_skp_per_employee_year"),
    IndexSpec(SKPS, asc("year", "unit_code"), name="by_year_unit"),
    IndexSpec(SKP_PERIODS, asc("skp_id", "period"), name="by_skp"),
    IndexSpec(ATTENDANCE_DAYS, asc("nip", "date"), name="by_nip_date"),
    IndexSpec(TASKS, asc("assignee_nip", "skp_item_id", "status"), name="by_assignee_skp_item"),
    *OUTBOX_INDEXES,
]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return uuid.uuid4().hex


class Conflict(Exception):
    """An optimistic write lost a race; the caller re-reads and decides."""


class Store:
    def __init__(self, db: Database):
        self.db = db

    def ensure_indexes(self) -> None:
        ensure_indexes(self.db, INDEXES)

    # --- employees (copy of identity) ----------------------------------------
    def apply_employee_snapshot(self, snapshot: dict[str, Any], occurred_at: str) -> bool:
        return upsert_if_newer(self.db[EMPLOYEES], snapshot["nip"], dict(snapshot), occurred_at)

    def get_employee(self, nip: str) -> dict[str, Any] | None:
        return self.db[EMPLOYEES].find_one({"_id": nip})

    def direct_subordinates(self, supervisor_nip: str) -> list[dict[str, Any]]:
        return list(self.db[EMPLOYEES].find({"supervisor_nip": supervisor_nip, "active": True},
                                            {"nip": 1, "name": 1, "unit_code": 1, "position": 1})
                    .sort("name", 1).limit(500))

    def subordinate_nips(self, supervisor_nip: str) -> list[str]:
        """Everyone who reports to this supervisor now (active or not: their tasks stay theirs to review)."""
        return [d["_id"] for d in self.db[EMPLOYEES].find({"supervisor_nip": supervisor_nip}, {"_id": 1})]

    def employees_in_unit(self, unit_code: str) -> list[dict[str, Any]]:
        return list(self.db[EMPLOYEES].find({"unit_code": unit_code, "active": True},
                                            {"nip": 1, "name": 1, "unit_code": 1, "position": 1})
                    .sort("name", 1).limit(5000))

    # --- heartbeats ----------------------------------------------------------
    def record_heartbeat(self, nip: str, at: datetime) -> None:
        self.record_heartbeats({nip: at})

    def record_heartbeats(self, seen: dict[str, datetime]) -> int:
        """Upsert many employees' last-seen times (a process's coalescing buffer) in one unordered bulk.

        ``$max``: every API process flushes its own buffer, so two flushes may carry the same employee;
        the later time wins whichever lands last (one atomic update per document)."""
        if not seen:
            return 0
        self.db[HEARTBEATS].bulk_write([UpdateOne({"_id": nip}, {"$max": {"last_seen_at": at}}, upsert=True)
                                        for nip, at in seen.items()], ordered=False)
        return len(seen)

    def last_seen(self, nips: list[str]) -> dict[str, datetime]:
        return {d["_id"]: d["last_seen_at"] for d in self.db[HEARTBEATS].find({"_id": {"$in": nips}})}

    # --- presence (today's state only) ------------------------------------------
    def apply_checked_in(self, p: dict[str, Any]) -> bool:
        fields = {k: p[k] for k in ("date", "mode", "checked_in_at", "office_code", "late_minutes",
                                    "utc_offset_minutes") if k in p}
        return self._apply_presence(p["nip"], p["date"], fields)

    def apply_checked_out(self, p: dict[str, Any]) -> bool:
        fields = {k: p[k] for k in ("date", "checked_out_at", "early_leave_minutes", "mode") if k in p}
        return self._apply_presence(p["nip"], p["date"], fields)

    def _apply_presence(self, nip: str, date: str, fields: dict[str, Any]) -> bool:
        """Same day: merge. Newer day: replace (yesterday's state is dropped). Older day: ignore.

        Idempotent and order-independent: a check-out arriving before its
        check-in, or either arriving twice, ends in the same document.
        """
        coll = self.db[PRESENCE]
        now = utcnow()
        for _ in range(3):
            if coll.update_one({"_id": nip, "date": date}, {"$set": {**fields, "updated_at": now}}).matched_count:
                return True
            blank = {"mode": None, "checked_in_at": None, "checked_out_at": None, "office_code": None,
                     "late_minutes": None, "early_leave_minutes": None}
            doc = {**blank, **fields, "nip": nip, "updated_at": now}
            if coll.replace_one({"_id": nip, "date": {"$lt": date}}, doc).matched_count:
                return True
            try:
                coll.insert_one({"_id": nip, **doc})
                return True
            except DuplicateKeyError:
                current = coll.find_one({"_id": nip}, {"date": 1})
                if current is not None and current.get("date", "") > date:
                    return False  # a newer day is stored: this event is stale
        return False

    def presence_of(self, nips: list[str]) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in self.db[PRESENCE].find({"_id": {"$in": nips}})}

    # --- tasks -------------------------------------------------------------------
    def insert_task(self, task: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
        doc = {"_id": task["id"], **task}
        outbox.insert_one(self.db[TASKS], doc, event)
        return doc

    def get_task(self, task_id: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[TASKS].find_one({"_id": task_id}))

    def transition_task(self, task_id: str, from_status: str, update: dict[str, Any],
                        event: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Apply `update` only if the task is still in `from_status` (compare-and-set); None if not."""
        query = {"_id": task_id, "status": from_status}
        if event is None:
            doc = self.db[TASKS].find_one_and_update(query, update, return_document=ReturnDocument.AFTER)
        else:
            doc = outbox.find_one_and_update(self.db[TASKS], query, update, event)
        return strip_outbox(doc)

    def list_tasks(self, query: dict[str, Any], *, skip: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        total = self.db[TASKS].count_documents(query)
        cursor = self.db[TASKS].find(query, {EVENT_IDS: 0}).sort([("created_at", -1), ("_id", 1)]) \
            .skip(skip).limit(limit)
        return [strip_outbox(d) for d in cursor], total

    def open_task_counts(self, nips: list[str]) -> dict[str, int]:
        pipeline = [{"$match": {"assignee_nip": {"$in": nips}, "status": {"$in": sorted(OPEN_STATES)}}},
                    {"$group": {"_id": "$assignee_nip", "n": {"$sum": 1}}}]
        return {row["_id"]: row["n"] for row in self.db[TASKS].aggregate(pipeline)}

    # --- submission files (GridFS) --------------------------------------------------
    def _files(self) -> GridFiles:
        return GridFiles(self.db, FILES_BUCKET)

    def save_file(self, stream: BinaryIO, *, name: str, content_type: str, task_id: str | None = None,
                  skp_id: str | None = None) -> dict[str, Any]:
        """Stream into GridFS in 255 KB chunks; returns {id, size, sha256}."""
        owner = {"task_id": task_id} if task_id else {"skp_id": skp_id}
        return self._files().save(stream, name=name, metadata={"content_type": content_type, **owner})

    def delete_files(self, file_ids: Iterable[str]) -> None:
        self._files().delete(file_ids)

    def open_file(self, file_id: str) -> tuple[int, Iterator[bytes]] | None:
        """(length, chunk iterator) for a stored file; chunks are read lazily, one at a time."""
        return self._files().open(file_id)

    # --- daily logs ---------------------------------------------------------------------
    def daily_log_day(self, nip: str, date: str) -> dict[str, Any] | None:
        return self.db[DAILY_LOGS].find_one({"nip": nip, "date": date})

    def add_daily_log_entry(self, nip: str, date: str, entry: dict[str, Any], expected_rev: int | None) -> None:
        """Append to the day's document if nobody changed it since we read `expected_rev`
        (None: the day has no document yet). Raises Conflict when the race was lost."""
        coll = self.db[DAILY_LOGS]
        if expected_rev is None:
            try:
                coll.insert_one({"_id": f"{nip}:{date}", "nip": nip, "date": date, "rev": 1, "entries": [entry]})
                return
            except DuplicateKeyError as exc:
                raise Conflict() from exc
        result = coll.update_one({"nip": nip, "date": date, "rev": expected_rev},
                                 {"$push": {"entries": entry}, "$inc": {"rev": 1}})
        if result.matched_count == 0:
            raise Conflict()

    def find_daily_log_day_by_entry(self, entry_id: str) -> dict[str, Any] | None:
        return self.db[DAILY_LOGS].find_one({"entries.id": entry_id})

    def replace_daily_log_entries(self, day_id: str, expected_rev: int, entries: list[dict[str, Any]]) -> None:
        result = self.db[DAILY_LOGS].update_one({"_id": day_id, "rev": expected_rev},
                                                {"$set": {"entries": entries}, "$inc": {"rev": 1}})
        if result.matched_count == 0:
            raise Conflict()

    def daily_log_days(self, nip: str, date_from: str, date_to: str) -> list[dict[str, Any]]:
        return list(self.db[DAILY_LOGS].find({"nip": nip, "date": {"$gte": date_from, "$lte": date_to}})
                    .sort("date", 1).limit(400))

    # --- SKP (annual plan) --------------------------------------------------------------
    def insert_skp(self, skp: dict[str, Any]) -> bool:
        """False if the employee has an SKP for that year already (the unique index decides)."""
        try:
            self.db[SKPS].insert_one({"_id": skp["id"], **skp})
            return True
        except DuplicateKeyError:
            return False

    def get_skp(self, skp_id: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[SKPS].find_one({"_id": skp_id}, {"_id": 0}))

    def find_skp(self, nip: str, year: int) -> dict[str, Any] | None:
        return strip_outbox(self.db[SKPS].find_one({"nip": nip, "year": year}, {"_id": 0}))

    def skps_of(self, nips: list[str], year: int | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"nip": {"$in": nips}}
        if year is not None:
            query["year"] = year
        return [strip_outbox(d) for d in self.db[SKPS].find(query, {"_id": 0}).sort([("year", -1), ("nip", 1)])
                .limit(1000)]

    def update_skp(self, skp_id: str, expect: dict[str, Any], update: dict[str, Any],
                   event: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Apply ``update`` only while the plan still matches ``expect`` (status, rev): compare-and-set."""
        query = {"_id": skp_id, **expect}
        if event is None:
            doc = self.db[SKPS].find_one_and_update(query, update, return_document=ReturnDocument.AFTER)
        else:
            doc = outbox.find_one_and_update(self.db[SKPS], query, update, event)
        return strip_outbox({k: v for k, v in doc.items() if k != "_id"} if doc else None)

    # --- SKP periods: realisation, feedback, behaviour, evaluation ------------------------
    @staticmethod
    def period_key(skp_id: str, period: str) -> str:
        return f"{skp_id}:{period}"

    def get_period(self, skp_id: str, period: str) -> dict[str, Any] | None:
        return strip_outbox(self.db[SKP_PERIODS].find_one({"_id": self.period_key(skp_id, period)}))

    def periods_of(self, skp_id: str) -> list[dict[str, Any]]:
        return [strip_outbox(d) for d in self.db[SKP_PERIODS].find({"skp_id": skp_id}).limit(20)]

    def periods_for(self, skp_ids: list[str], period: str) -> dict[str, dict[str, Any]]:
        keys = [self.period_key(i, period) for i in skp_ids]
        return {d["skp_id"]: d for d in self.db[SKP_PERIODS].find({"_id": {"$in": keys}}, {EVENT_IDS: 0})}

    def update_period(self, skp_id: str, period: str, base: dict[str, Any], update: dict[str, Any], *,
                      open_only: bool = False) -> bool:
        """Upsert the period's document with ``update``; ``open_only``: only while it is not evaluated.
        False when the period was evaluated (the upsert then collides with the existing document)."""
        query: dict[str, Any] = {"_id": self.period_key(skp_id, period)}
        if open_only:
            query["evaluation"] = None
        update = {**update, "$setOnInsert": {**base, "evaluation_rev": 0}}
        try:
            self.db[SKP_PERIODS].update_one(query, update, upsert=True)
            return True
        except DuplicateKeyError:
            return False

    def put_evaluation(self, skp_id: str, period: str, base: dict[str, Any], expected_rev: int,
                       update: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
        """Record an evaluation if nobody evaluated the period since ``expected_rev`` (compare-and-set)."""
        query = {"_id": self.period_key(skp_id, period), "evaluation_rev": expected_rev}
        update = {**update, "$setOnInsert": base}
        try:
            return strip_outbox(outbox.find_one_and_update(self.db[SKP_PERIODS], query, update, event, upsert=True))
        except DuplicateKeyError:
            return None

    def respond_to_evaluation(self, skp_id: str, period: str, version: int, response: dict[str, Any]
                              ) -> dict[str, Any] | None:
        """The employee's response to evaluation ``version``, once (compare-and-set)."""
        return strip_outbox(self.db[SKP_PERIODS].find_one_and_update(
            {"_id": self.period_key(skp_id, period), "evaluation.version": version, "evaluation.response": None},
            {"$set": {"evaluation.response": response}}, return_document=ReturnDocument.AFTER))

    # --- SKP settings ---------------------------------------------------------------------
    def get_skp_setting(self, year: int) -> dict[str, Any] | None:
        return self.db[SKP_SETTINGS].find_one({"_id": year})

    def put_skp_setting(self, year: int, fields: dict[str, Any]) -> dict[str, Any]:
        return self.db[SKP_SETTINGS].find_one_and_update({"_id": year}, {"$set": fields}, upsert=True,
                                                         return_document=ReturnDocument.AFTER)

    # --- evidence linked to RHK items -----------------------------------------------------
    def approved_tasks_for_items(self, nip: str, item_ids: list[str]) -> list[dict[str, Any]]:
        cursor = self.db[TASKS].find({"assignee_nip": nip, "skp_item_id": {"$in": item_ids}, "status": "approved"},
                                     {EVENT_IDS: 0, "history": 0}).limit(1000)
        return [strip_outbox(d) for d in cursor]

    # --- attendance (settled days from presence) ----------------------------------------
    def apply_settled_day(self, day: dict[str, Any], version: str) -> bool:
        """Keep the newest settlement of an employee-day: keyed by its natural id, versioned (see events.py)."""
        return upsert_if_newer(self.db[ATTENDANCE_DAYS], f"{day['nip']}:{day['date']}", dict(day), version)

    def attendance_days(self, nip: str, first: str, last: str) -> list[dict[str, Any]]:
        return list(self.db[ATTENDANCE_DAYS].find({"nip": nip, "date": {"$gte": first, "$lte": last}},
                                                  {"_id": 0, "_version": 0}).sort("date", 1).limit(400))
