"""What the services rely on MongoDB for, checked against the database MONGO_URI points to.

Run against the dev server (dev/mongo) by `make test`, and against a real MongoDB 7 with
`MONGO_URI=mongodb://... make test`. Where the dev server differs from MongoDB, the test says so
by name (``server == DEV``) and the services' code does not depend on that behaviour;
docs/platform.md lists the differences.
"""
from __future__ import annotations

import hashlib
import io
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import gridfs
import pytest
from bson import ObjectId
from pymongo import DESCENDING, ReturnDocument, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from sipk_shared.mongo import IndexSpec, asc, ensure_indexes, upsert_if_newer

from .conftest import DEV

pytestmark = pytest.mark.integration

WRITERS = 8


def _together(n: int, work) -> list:
    """Run ``work(i)`` in n threads released at the same instant; their results in order."""
    start = threading.Barrier(n)

    def run(i):
        start.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


# --------------------------------------------------------------------------- single-document atomicity
def test_concurrent_updates_of_one_document_lose_nothing(db, clients):
    """$inc / $push / $addToSet / $set from 8 writers on 8 connections: every update lands.

    The code relies on it wherever two processes write one document (an outbox mark pushed with a
    state change, a heartbeat $max, a revision $inc). FerretDB 1.24 fails this (lost updates)."""
    db.counters.insert_one({"_id": "hot", "n": 0, "log": [], "seen": [], "by": {}})
    rounds = 100

    def writer(i):
        coll = clients()[db.name].counters
        for r in range(rounds):
            coll.update_one({"_id": "hot"}, {"$inc": {"n": 1}, "$push": {"log": f"{i}:{r}"},
                                             "$addToSet": {"seen": i}, "$set": {f"by.w{i}": r}})

    _together(WRITERS, writer)
    doc = db.counters.find_one({"_id": "hot"})
    assert doc["n"] == WRITERS * rounds
    assert sorted(doc["log"]) == sorted(f"{i}:{r}" for i in range(WRITERS) for r in range(rounds))
    assert sorted(doc["seen"]) == list(range(WRITERS))
    assert doc["by"] == {f"w{i}": rounds - 1 for i in range(WRITERS)}


def test_a_conditional_update_lets_exactly_one_of_many_through(db, clients):
    """Compare-and-set (check-out, leave decision, identity revision): 20 writers, one winner."""
    db.things.insert_one({"_id": "t", "state": "pending", "_rev": 3})

    def decide(i):
        return clients()[db.name].things.find_one_and_update(
            {"_id": "t", "state": "pending", "_rev": 3}, {"$set": {"state": f"decided-by-{i}"}, "$inc": {"_rev": 1}},
            return_document=ReturnDocument.AFTER)

    won = [doc for doc in _together(20, decide) if doc is not None]
    assert len(won) == 1
    assert db.things.find_one({"_id": "t"}) == won[0] and won[0]["_rev"] == 4


# --------------------------------------------------------------------------- unique indexes
def test_a_unique_index_lets_exactly_one_of_20_concurrent_inserts_through(db, clients):
    db.check_ins.create_index([("nip", 1), ("date", 1)], unique=True, name="one_per_day")

    def insert(i):
        try:
            clients()[db.name].check_ins.insert_one({"_id": uuid.uuid4().hex, "nip": "1", "date": "2026-03-02",
                                                     "writer": i})
            return "ok"
        except DuplicateKeyError as exc:
            return exc.code

    outcomes = _together(20, insert)
    assert outcomes.count("ok") == 1 and outcomes.count(11000) == 19
    assert db.check_ins.count_documents({}) == 1


def test_insert_many_unordered_reports_each_duplicate_and_stores_the_others(db, server):
    db.records.insert_many([{"_id": 2, "v": "old"}, {"_id": 5, "v": "old"}])
    with pytest.raises(BulkWriteError) as caught:
        db.records.insert_many([{"_id": i, "v": "new"} for i in range(10)], ordered=False)
    details = caught.value.details
    assert sorted((e["index"], e["code"]) for e in details["writeErrors"]) == [(2, 11000), (5, 11000)]
    assert db.records.count_documents({}) == 10
    assert {d["_id"] for d in db.records.find({"v": "old"})} == {2, 5}  # the existing ones are kept
    if server == DEV:
        # Difference: mongo-java-server counts the failed documents in nInserted too (10, not 8). The stores
        # count what was inserted from writeErrors' indexes, never from nInserted.
        assert details["nInserted"] >= 8
    else:
        assert details["nInserted"] == 8


def test_creating_an_index_twice_is_a_no_op_and_it_is_listed(db):
    specs = [IndexSpec("things", asc("nip", "date"), unique=True, name="one_per_day"),
             IndexSpec("things", asc("unit_code", "date"), name="by_unit")]
    ensure_indexes(db, specs)
    ensure_indexes(db, specs)
    listed = {i["name"]: i for i in db.things.list_indexes()}
    assert set(listed) == {"_id_", "one_per_day", "by_unit"}
    assert list(listed["one_per_day"]["key"].items()) == [("nip", 1), ("date", 1)] and listed["one_per_day"]["unique"]
    assert list(listed["by_unit"]["key"].items()) == [("unit_code", 1), ("date", 1)]
    assert not listed["by_unit"].get("unique")


def test_the_same_index_name_with_other_options_is_refused(db, server):
    db.things.create_index([("a", 1)], name="by_a")
    with pytest.raises(OperationFailure) as caught:
        db.things.create_index([("a", 1)], name="by_a", unique=True)
    assert caught.value.code in (85, 86)  # IndexOptionsConflict / IndexKeySpecsConflict
    if server == DEV:
        # Difference: mongo-java-server accepts the same name with *other keys* as a second index (and can then
        # not drop the database). Index names are therefore never reused for other keys: a changed index gets a
        # new name and the old one is listed as retired (presence.store RETIRED_INDEXES).
        return
    with pytest.raises(OperationFailure):
        db.things.create_index([("b", 1)], name="by_a")


# --------------------------------------------------------------------------- upserts and returns
def test_upsert_with_set_on_insert_keeps_the_first_values(db):
    first = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    created = db.holidays.update_one({"_id": "2026-03-20"}, {"$set": {"name": "Nyepi"},
                                                             "$setOnInsert": {"created_at": first}}, upsert=True)
    assert created.upserted_id == "2026-03-20"
    renamed = db.holidays.update_one({"_id": "2026-03-20"}, {"$set": {"name": "Hari Raya Nyepi"},
                                                             "$setOnInsert": {"created_at": first + timedelta(days=1)}},
                                     upsert=True)
    assert renamed.upserted_id is None and renamed.matched_count == 1
    assert db.holidays.find_one({"_id": "2026-03-20"}) == {"_id": "2026-03-20", "name": "Hari Raya Nyepi",
                                                           "created_at": first}


def test_an_upsert_whose_filter_misses_an_existing_id_raises_duplicate_key(db):
    """upsert_if_newer relies on it: an older event's upsert neither overwrites nor duplicates the copy."""
    assert upsert_if_newer(db.employees, "1", {"name": "B"}, "2026-03-02T10:00:00Z")
    assert not upsert_if_newer(db.employees, "1", {"name": "A"}, "2026-03-02T09:00:00Z")
    assert upsert_if_newer(db.employees, "1", {"name": "C"}, "2026-03-02T11:00:00Z")
    assert list(db.employees.find()) == [{"_id": "1", "name": "C", "_version": "2026-03-02T11:00:00Z"}]


def test_find_one_and_update_returns_the_document_before_or_after(db):
    db.tasks.insert_one({"_id": "t", "status": "assigned", "n": 1})
    before = db.tasks.find_one_and_update({"_id": "t", "status": "assigned"}, {"$set": {"status": "submitted"},
                                                                               "$inc": {"n": 1}})
    assert before == {"_id": "t", "status": "assigned", "n": 1}
    after = db.tasks.find_one_and_update({"_id": "t"}, {"$inc": {"n": 1}}, return_document=ReturnDocument.AFTER)
    assert after == {"_id": "t", "status": "submitted", "n": 3}
    assert db.tasks.find_one_and_update({"_id": "t", "status": "assigned"}, {"$set": {"status": "x"}}) is None


def test_bulk_upserts_with_max_never_move_a_value_back(db):
    """The heartbeat flush: one unordered bulk of upserts; ``$max`` keeps the latest time."""
    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    result = db.heartbeats.bulk_write([UpdateOne({"_id": f"n{i}"}, {"$max": {"last_seen_at": t0}}, upsert=True)
                                       for i in range(2000)], ordered=False)
    assert result.upserted_count == 2000
    db.heartbeats.bulk_write([UpdateOne({"_id": "n1"}, {"$max": {"last_seen_at": t0 - timedelta(minutes=1)}},
                                        upsert=True),
                              UpdateOne({"_id": "n2"}, {"$max": {"last_seen_at": t0 + timedelta(minutes=1)}},
                                        upsert=True)], ordered=False)
    seen = {d["_id"]: d["last_seen_at"] for d in db.heartbeats.find({"_id": {"$in": ["n1", "n2"]}})}
    assert seen == {"n1": t0, "n2": t0 + timedelta(minutes=1)}


def test_datetimes_come_back_aware_at_millisecond_precision(db):
    at = datetime(2026, 3, 2, 0, 35, 12, 345678, tzinfo=timezone.utc)
    db.things.insert_one({"_id": 1, "at": at})
    assert db.things.find_one({"_id": 1})["at"] == at.replace(microsecond=345000)


# --------------------------------------------------------------------------- queries the stores run
@pytest.fixture()
def people(db):
    docs = [
        {"_id": "198001012005011001", "name": "Ani Lestari", "unit_code": "BKPSDM", "roles": ["admin", "employee"],
         "active": True, "supervisor_nip": None, "check_out": None, "entries": [{"id": "e1"}, {"id": "e2"}]},
        {"_id": "198502022010012002", "name": "budi santoso", "unit_code": "BKPSDM", "roles": ["employee"],
         "active": True, "supervisor_nip": "198001012005011001", "entries": [{"id": "e3"}]},
        {"_id": "199003032015013003", "name": "Citra", "unit_code": "DINKES", "roles": ["employee"], "active": False,
         "supervisor_nip": "198001012005011001", "check_out": {"at": 1}, "_version": "2026-01-01"},
    ]
    db.people.insert_many(docs)
    return db.people


def _ids(cursor) -> list:
    return sorted(d["_id"] for d in cursor)


def test_query_operators_the_stores_use(people):
    ani, budi, citra = "198001012005011001", "198502022010012002", "199003032015013003"
    assert _ids(people.find({"_id": {"$in": [budi, citra, "nobody"]}})) == [budi, citra]
    assert _ids(people.find({"unit_code": {"$in": ["DINKES", "X"]}, "active": False})) == [citra]
    assert _ids(people.find({"_id": {"$gte": ani, "$lte": budi}})) == [ani, budi]
    assert _ids(people.find({"_id": {"$lt": budi}})) == [ani]
    assert _ids(people.find({"roles": "admin", "active": True, "_id": {"$ne": budi}})) == [ani]  # array element
    assert _ids(people.find({"check_out": None})) == [ani, budi]  # null matches a missing field too
    assert _ids(people.find({"$or": [{"_version": {"$lte": "2026-06-01"}}, {"_version": {"$exists": False}}]})) \
        == [ani, budi, citra]
    assert _ids(people.find({"_version": {"$exists": False}})) == [ani, budi]
    assert _ids(people.find({"entries.id": "e3"})) == [budi]  # a field inside an array of documents
    assert _ids(people.find({"name": {"$regex": "SANTO", "$options": "i"}})) == [budi]
    assert _ids(people.find({"_id": {"$regex": "^1985"}})) == [budi]
    assert _ids(people.find({"$or": [{"name": {"$regex": "citra", "$options": "i"}}, {"_id": {"$regex": "^1980"}}]})) \
        == [ani, citra]
    assert people.count_documents({"supervisor_nip": ani}) == 2 and people.count_documents({}) == 3


def test_projections_the_stores_use(people):
    ani = "198001012005011001"
    assert people.find_one({"_id": ani}, {"unit_code": 1}) == {"_id": ani, "unit_code": "BKPSDM"}
    without = people.find_one({"_id": ani}, {"entries": 0, "roles": 0})
    assert "entries" not in without and "roles" not in without and without["name"] == "Ani Lestari"
    assert people.find_one({"_id": ani}, {"_id": 1}) == {"_id": ani}


def test_update_operators_the_stores_use(people):
    ani = "198001012005011001"
    people.update_one({"_id": ani}, {"$unset": {"check_out": ""}, "$addToSet": {"roles": {"$each": ["admin", "x"]}},
                                     "$push": {"entries": {"id": "e9"}}, "$set": {"profile.phone": "08"}})
    doc = people.find_one({"_id": ani})
    assert "check_out" not in doc and doc["roles"] == ["admin", "employee", "x"]
    assert [e["id"] for e in doc["entries"]] == ["e1", "e2", "e9"] and doc["profile"] == {"phone": "08"}
    assert people.replace_one({"_id": ani, "unit_code": {"$lt": "A"}}, {"name": "nobody"}).matched_count == 0
    deleted = people.delete_many({"_id": {"$in": [ani, "198502022010012002"]}, "unit_code": "BKPSDM",
                                  "active": False})
    assert deleted.deleted_count == 0
    assert people.delete_many({"_id": {"$in": [ani, "nobody"]}, "unit_code": "BKPSDM"}).deleted_count == 1


def test_sorts_skip_and_limit_page_without_gaps_or_repeats(db):
    db.check_ins.insert_many([{"_id": f"{n}:{d}", "nip": n, "date": d} for n in ("1", "2", "3")
                              for d in ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05")])
    query = {"nip": {"$in": ["1", "3"]}, "date": {"$gte": "2026-03-03", "$lte": "2026-03-05"}}
    order = [("date", DESCENDING), ("nip", 1)]
    pages = [list(db.check_ins.find(query).sort(order).skip(skip).limit(4)) for skip in (0, 4)]
    assert [d["_id"] for page in pages for d in page] == [
        "1:2026-03-05", "3:2026-03-05", "1:2026-03-04", "3:2026-03-04", "1:2026-03-03", "3:2026-03-03"]
    assert db.check_ins.count_documents(query) == 6
    at = datetime(2026, 3, 2, tzinfo=timezone.utc)
    db.audit.insert_many([{"_id": i, "at": at + timedelta(minutes=i % 3)} for i in range(6)])
    newest = [d["_id"] for d in db.audit.find().sort([("at", DESCENDING), ("_id", DESCENDING)]).limit(3)]
    assert newest == [5, 2, 4]


def test_the_aggregation_stages_the_stores_use(db):
    """performance.store.open_task_counts: $match with $in, $group with $sum."""
    db.tasks.insert_many([{"assignee_nip": n, "status": s} for n, s in
                          [("1", "assigned"), ("1", "submitted"), ("1", "approved"), ("2", "assigned"), ("3", "x")]])
    rows = db.tasks.aggregate([{"$match": {"assignee_nip": {"$in": ["1", "2"]}, "status": {"$in": ["assigned",
                                                                                                   "submitted"]}}},
                               {"$group": {"_id": "$assignee_nip", "n": {"$sum": 1}}}])
    assert {r["_id"]: r["n"] for r in rows} == {"1": 2, "2": 1}


# --------------------------------------------------------------------------- GridFS
def test_gridfs_round_trip_keeps_every_byte(db):
    data = os.urandom(700 * 1024)  # three 255 KiB chunks
    bucket = gridfs.GridFSBucket(db, bucket_name="submission_files")
    file_id = bucket.upload_from_stream("hasil.pdf", io.BytesIO(data), metadata={"content_type": "application/pdf"})
    assert db["submission_files.chunks"].count_documents({"files_id": file_id}) == 3
    grid_out = bucket.open_download_stream(file_id)
    chunks = []
    while chunk := grid_out.readchunk():
        chunks.append(chunk)
    assert grid_out.length == len(data) and grid_out.metadata == {"content_type": "application/pdf"}
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == hashlib.sha256(data).hexdigest()
    bucket.delete(file_id)
    with pytest.raises(gridfs.errors.NoFile):
        bucket.open_download_stream(file_id)
    assert db["submission_files.chunks"].count_documents({"files_id": file_id}) == 0
    with pytest.raises(gridfs.errors.NoFile):
        bucket.open_download_stream(ObjectId())
