"""performance.store against the real database (MONGO_URI): GridFS, presence, counters."""
from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime, timedelta, timezone

import pytest

from performance.domain.presence import parse_checked_in, parse_checked_out
from performance.events import make_handler
from performance.heartbeats import HeartbeatBuffer
from performance.store import FILES_BUCKET, Conflict, Store
from sipk_shared.bus import PermanentError
from sipk_shared.events import make_event

pytestmark = pytest.mark.integration


@pytest.fixture()
def store(scratch_db):
    s = Store(scratch_db)
    s.ensure_indexes()
    return s


def test_gridfs_round_trip_of_a_ten_megabyte_file(store, scratch_db):
    data = os.urandom(10 * 1024 * 1024)
    saved = store.save_file(io.BytesIO(data), name="laporan.pdf", content_type="application/pdf", task_id="t1")
    assert saved["size"] == len(data) and saved["sha256"] == hashlib.sha256(data).hexdigest()
    chunks = list(scratch_db[f"{FILES_BUCKET}.chunks"].find({"files_id": scratch_db[f"{FILES_BUCKET}.files"]
                                                             .find_one()["_id"]}, {"data": 1, "n": 1}))
    assert len(chunks) == 41 and max(len(c["data"]) for c in chunks) <= 255 * 1024
    length, stream = store.open_file(saved["id"])
    parts = list(stream)
    assert length == len(data) and b"".join(parts) == data
    assert max(len(p) for p in parts) <= 255 * 1024  # read lazily, chunk by chunk
    store.delete_files([saved["id"]])
    assert store.open_file(saved["id"]) is None
    assert scratch_db[f"{FILES_BUCKET}.chunks"].count_documents({}) == 0
    assert store.open_file("not-an-object-id") is None


def checkin(nip, date, mode="WFO", at="2026-11-27T00:31:00+00:00", late=1):
    return parse_checked_in({"nip": nip, "date": date, "mode": mode, "checked_in_at": at, "office_code": "K1",
                             "late_minutes": late})


def checkout(nip, date, at="2026-11-27T09:01:00+00:00"):
    return parse_checked_out({"nip": nip, "date": date, "checked_out_at": at, "early_leave_minutes": 0})


def test_presence_is_today_only_idempotent_and_order_independent(store):
    nip = "199001012020011001"
    assert store.apply_checked_out(checkout(nip, "2026-11-27"))  # check-out arrives first
    assert store.apply_checked_in(checkin(nip, "2026-11-27"))
    assert store.apply_checked_in(checkin(nip, "2026-11-27"))  # redelivered
    p = store.presence_of([nip])[nip]
    assert p["mode"] == "WFO" and p["late_minutes"] == 1 and p["checked_out_at"] is not None
    assert store.apply_checked_in(checkin(nip, "2026-11-28", mode="WFH", at="2026-11-28T00:20:00+00:00", late=0))
    p = store.presence_of([nip])[nip]
    assert (p["date"], p["mode"], p["checked_out_at"]) == ("2026-11-28", "WFH", None)  # yesterday dropped
    assert store.apply_checked_out(checkout(nip, "2026-11-27")) is False  # stale day ignored
    assert store.presence_of([nip])[nip]["checked_out_at"] is None
    assert store.db.presence_today.count_documents({"nip": nip}) == 1


def test_presence_event_handler_dead_letters_bad_events(store):
    handle = make_handler(lambda: store)
    for data in ({"date": "2026-11-27", "mode": "WFO", "checked_in_at": "2026-11-27T00:00:00+00:00"},
                 {"nip": "1", "date": "27-11-2026", "mode": "WFO", "checked_in_at": "2026-11-27T00:00:00+00:00"},
                 {"nip": "1", "date": "2026-11-27", "mode": "HOME", "checked_in_at": "2026-11-27T00:00:00+00:00"},
                 {"nip": "1", "date": "2026-11-27", "mode": "WFO", "checked_in_at": "yesterday"}):
        with pytest.raises(PermanentError):
            handle(make_event("presence.checked_in", data, source="presence"))
    assert store.db.presence_today.find_one({"_id": "1"}) is None
    # presence's current payload names the time `time`: accepted too.
    handle(make_event("presence.checked_in", {"nip": "2", "date": "2026-11-27", "mode": "DL",
                                              "time": "2026-11-27T01:00:00+00:00", "office_code": "K",
                                              "late_minutes": 0}, source="presence"))
    assert store.presence_of(["2"])["2"]["mode"] == "DL"


def test_heartbeat_buffer_coalesces_into_one_bulk_write(store):
    buffer = HeartbeatBuffer(lambda: store, flush_ms=60_000)  # flushed by hand below
    t0 = datetime.now(timezone.utc).replace(microsecond=0)
    for i in range(50):
        buffer.record(f"n{i % 10}", t0 + timedelta(seconds=i))
    assert store.last_seen([f"n{i}" for i in range(10)]) == {}
    assert buffer.flush() == 10
    seen = store.last_seen([f"n{i}" for i in range(10)])
    assert seen["n0"] == t0 + timedelta(seconds=40) and seen["n9"] == t0 + timedelta(seconds=49)
    assert buffer.flush() == 0
    many = {f"m{i:03d}": t0 for i in range(1500)}  # one bulk, however large the buffer
    assert store.record_heartbeats(many) == 1500 and len(store.last_seen(list(many))) == 1500
    # two processes' buffers may carry one employee: an older time landing last never moves it back
    assert store.record_heartbeats({"n9": t0}) == 1
    assert store.last_seen(["n9"])["n9"] == t0 + timedelta(seconds=49)
    direct = HeartbeatBuffer(lambda: store, flush_ms=0)  # write-through mode
    direct.record("n0", t0 + timedelta(minutes=5))
    assert store.last_seen(["n0"])["n0"] == t0 + timedelta(minutes=5)


def test_open_task_counts_and_daily_log_optimistic_writes(store):
    for i, (nip, status) in enumerate([("a", "assigned"), ("a", "submitted"), ("a", "approved"), ("b", "in_progress")]):
        store.insert_task({"id": f"t{i}", "title": "x", "assignee_nip": nip, "assigner_nip": "s", "status": status,
                           "due_date": None, "created_at": datetime.now(timezone.utc)},
                          make_event("performance.task.assigned", {"task_id": f"t{i}"}, source="performance"))
    assert store.open_task_counts(["a", "b", "c"]) == {"a": 2, "b": 1}
    entry = {"id": "e1", "start_min": 480, "end_min": 540}
    store.add_daily_log_entry("a", "2026-11-27", entry, None)
    with pytest.raises(Conflict):
        store.add_daily_log_entry("a", "2026-11-27", {**entry, "id": "e2"}, None)  # lost the first insert
    store.add_daily_log_entry("a", "2026-11-27", {**entry, "id": "e2"}, 1)
    with pytest.raises(Conflict):
        store.add_daily_log_entry("a", "2026-11-27", {**entry, "id": "e3"}, 1)  # stale rev
    day = store.find_daily_log_day_by_entry("e2")
    assert day["rev"] == 2 and [e["id"] for e in day["entries"]] == ["e1", "e2"]
