"""The outbox relay against the real database (MONGO_URI) and RabbitMQ."""
from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pika
import pytest
from pymongo.errors import DuplicateKeyError

from sipk_shared import outbox
from sipk_shared.bus import Publisher
from sipk_shared.events import make_event
from sipk_shared.outbox import EVENT_IDS, OUTBOX, OutboxRelay, backlog

pytestmark = pytest.mark.integration


@pytest.fixture()
def bound_queue(amqp_url):
    name = f"test.outbox.{uuid.uuid4().hex[:8]}"
    topic = f"test.{name.split('.')[-1]}.thing"
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    ch = conn.channel()
    ch.exchange_declare("sipk.events", "topic", durable=True)
    ch.queue_declare(name, durable=False, auto_delete=False)
    ch.queue_bind(name, "sipk.events", routing_key=topic + ".*")
    yield ch, name, topic
    ch.queue_delete(name)
    conn.close()


@pytest.fixture()
def db(mongo_client):
    name = f"test_outbox_{uuid.uuid4().hex[:8]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)


def drain(ch, queue):
    out = []
    while True:
        method, props, body = ch.basic_get(queue, auto_ack=True)
        if method is None:
            return out
        out.append((props, json.loads(body)))


def relay_for(db, amqp_url, **kw):
    return OutboxRelay(db, ["things"], Publisher(amqp_url, "sipk.events"), **kw)


def test_staged_events_go_out_once_in_order_and_the_document_is_never_written(amqp_url, db, bound_queue):
    ch, queue, topic = bound_queue
    created = make_event(topic + ".created", {"k": 1}, source="test", request_id="req-123")
    outbox.insert_one(db.things, {"_id": "a", "v": 1}, created)
    updated = make_event(topic + ".updated", {"k": 2}, source="test")
    assert outbox.update_one(db.things, {"_id": "a"}, {"$set": {"v": 2}}, updated)
    assert backlog(db) == 2
    before = db.things.find_one({"_id": "a"})
    assert before[EVENT_IDS] == [created["id"], updated["id"]]

    relay = relay_for(db, amqp_url)
    assert relay.run_once() == 2
    assert relay.run_once() == 0
    assert backlog(db) == 0
    assert db.things.find_one({"_id": "a"}) == before  # the relay only reads state documents
    got = drain(ch, queue)
    assert [body["id"] for _, body in got] == [created["id"], updated["id"]]
    props, body = got[0]
    assert props.message_id == created["id"] and props.delivery_mode == 2
    assert props.headers["request_id"] == "req-123"


def test_failed_writes_leave_nothing_staged(db):
    first = make_event("test.x.created", {}, source="test")
    outbox.insert_one(db.things, {"_id": "dup"}, first)
    with pytest.raises(DuplicateKeyError):
        outbox.insert_one(db.things, {"_id": "dup"}, make_event("test.x.created", {}, source="test"))
    missing = make_event("test.x.updated", {}, source="test")
    assert outbox.update_one(db.things, {"_id": "nope"}, {"$set": {"v": 1}}, missing) is False
    assert outbox.find_one_and_update(db.things, {"_id": "dup", "v": 99}, {"$set": {"v": 1}},
                                      make_event("test.x.updated", {}, source="test")) is None
    failed = outbox.insert_many(db.things, [({"_id": "n1"}, make_event("test.x.created", {}, source="test")),
                                            ({"_id": "dup"}, make_event("test.x.created", {}, source="test"))])
    assert failed == [1]
    assert sorted(e["doc_id"] for e in db[OUTBOX].find()) == ["dup", "n1"]  # only the writes that happened


def test_an_entry_whose_write_never_happened_waits_then_is_dropped(amqp_url, db, bound_queue):
    ch, queue, topic = bound_queue
    db.things.insert_one({"_id": "c"})
    orphan = make_event(topic + ".updated", {}, source="test")
    # As if the process died between staging and the state write.
    outbox._stage(db, "things", [("c", orphan)])
    relay = relay_for(db, amqp_url, grace_s=60, recheck_s=0)
    assert relay.run_once() == 0 and backlog(db) == 1  # it may still be on its way
    db[OUTBOX].update_one({"_id": orphan["id"]},
                          {"$set": {"staged_at": datetime.now(timezone.utc) - timedelta(seconds=61)}})
    assert relay.run_once() == 0 and backlog(db) == 0 and relay.dropped == 1
    assert drain(ch, queue) == []


def test_entries_still_waiting_for_their_write_do_not_hold_back_the_rest(amqp_url, db, bound_queue):
    ch, queue, topic = bound_queue
    db.things.insert_many([{"_id": f"w{i}"} for i in range(7)])
    waiting = [make_event(topic + ".updated", {"n": i}, source="test") for i in range(7)]
    outbox._stage(db, "things", [(f"w{i}", e) for i, e in enumerate(waiting)])  # marks not written (yet)
    ready = make_event(topic + ".created", {}, source="test")
    outbox.insert_one(db.things, {"_id": "r"}, ready)
    relay = relay_for(db, amqp_url, batch=5, recheck_s=60)
    assert relay.run_once() == 1  # behind seven unmarked entries, more than a batch
    assert [body["id"] for _, body in drain(ch, queue)] == [ready["id"]]
    assert backlog(db) == 7
    # a mark that shows up is published once its entry is looked at again
    db.things.update_one({"_id": "w0"}, {"$push": {EVENT_IDS: waiting[0]["id"]}})
    assert relay.run_once() == 0  # not yet: rechecked every 60 s
    relay._recheck_s = 0
    relay._waiting.clear()
    assert relay.run_once() == 1 and backlog(db) == 6


def test_a_waiting_entry_holds_back_later_entries_of_its_document_only(amqp_url, db, bound_queue):
    ch, queue, topic = bound_queue
    first = make_event(topic + ".created", {}, source="test")
    outbox._stage(db, "things", [("same", first)])  # its insert is still on its way
    relay = relay_for(db, amqp_url, recheck_s=60)
    assert relay.run_once() == 0
    db.things.insert_one({"_id": "same", EVENT_IDS: [first["id"]]})  # now it landed, with its mark ...
    second = make_event(topic + ".updated", {}, source="test")
    assert outbox.update_one(db.things, {"_id": "same"}, {"$set": {"v": 1}}, second)
    other = make_event(topic + ".created", {}, source="test")
    outbox.insert_one(db.things, {"_id": "other"}, other)
    # ... but the first entry is not looked at again for a while: "same" waits, "other" goes
    assert relay.run_once() == 1
    assert [body["id"] for _, body in drain(ch, queue)] == [other["id"]]
    relay._waiting.clear()
    assert relay.run_once() == 2
    assert [body["id"] for _, body in drain(ch, queue)] == [first["id"], second["id"]]


def test_relay_keeps_events_staged_when_broker_unreachable(db):
    outbox.insert_one(db.things, {"_id": "d"}, make_event("test.x.created", {}, source="test"))
    relay = OutboxRelay(db, ["things"], Publisher("amqp://guest:guest@127.0.0.1:1/%2F", "sipk.events"))
    with pytest.raises(Exception):
        relay.run_once()
    assert backlog(db) == 1


def test_concurrent_writers_and_relay_lose_no_event(amqp_url, db, bound_queue):
    """Four writers update one document at once while the relay runs: every state change and every event
    lands, each event exactly once, and each writer's events go out in the order it wrote them."""
    from pymongo import MongoClient

    from support import MONGO_URI, wait_until

    ch, queue, topic = bound_queue
    outbox.insert_one(db.things, {"_id": "hot", "n": 0}, make_event(topic + ".created", {}, source="test"))
    relay = relay_for(db, amqp_url)
    stop = threading.Event()
    worker = threading.Thread(target=relay.run_forever, args=(stop.is_set,), kwargs={"idle_sleep": 0.01})
    worker.start()
    sent: dict[int, list[str]] = {w: [] for w in range(4)}
    start = threading.Barrier(4)

    def write(w: int) -> None:
        client = MongoClient(MONGO_URI, tz_aware=True)  # its own connections
        try:
            start.wait()
            for i in range(15):
                event = make_event(topic + ".updated", {"w": w, "i": i}, source="test")
                assert outbox.update_one(client[db.name].things, {"_id": "hot"}, {"$inc": {"n": 1}}, event)
                sent[w].append(event["id"])
        finally:
            client.close()

    try:
        writers = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join(30)
        wait_until(lambda: backlog(db) == 0, 20, message="outbox drained")
    finally:
        stop.set()
        worker.join(5)
    received = [body for _, body in drain(ch, queue) if body["type"].endswith(".updated")]
    assert sorted(b["id"] for b in received) == sorted(i for ids in sent.values() for i in ids)
    for w, ids in sent.items():
        assert [b["id"] for b in received if b["data"]["w"] == w] == ids
    doc = db.things.find_one({"_id": "hot"})
    assert doc["n"] == 60 and len(doc["_event_ids"]) == 61
