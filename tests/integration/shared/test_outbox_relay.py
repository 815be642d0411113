"""The outbox relay against real FerretDB and RabbitMQ."""
from __future__ import annotations

import json
import uuid

import pika
import pytest

from sipk_shared.bus import Publisher
from sipk_shared.events import make_event
from sipk_shared.outbox import EVENTS, PENDING, OutboxRelay, backlog, new_document_with_event, update_with_event

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


def drain(ch, queue):
    out = []
    while True:
        method, props, body = ch.basic_get(queue, auto_ack=True)
        if method is None:
            return out
        out.append((props, json.loads(body)))


def test_relay_publishes_staged_events_once(amqp_url, scratch_db, bound_queue):
    ch, queue, topic = bound_queue
    coll = scratch_db[f"things_{uuid.uuid4().hex[:6]}"]
    created = make_event(topic + ".created", {"k": 1}, source="test", request_id="req-123")
    coll.insert_one(new_document_with_event({"_id": "a", "v": 1}, created))
    updated = make_event(topic + ".updated", {"k": 2}, source="test")
    coll.update_one({"_id": "a"}, update_with_event({"$set": {"v": 2}}, updated))
    assert backlog(scratch_db, [coll.name]) == 1

    relay = OutboxRelay(scratch_db, [coll.name], Publisher(amqp_url, "sipk.events"))
    assert relay.run_once() == 2
    assert relay.run_once() == 0
    doc = coll.find_one({"_id": "a"})
    assert doc[PENDING] is False and doc[EVENTS] == [] and doc["v"] == 2
    got = drain(ch, queue)
    assert [body["id"] for _, body in got] == [created["id"], updated["id"]]
    props, body = got[0]
    assert props.message_id == created["id"] and props.delivery_mode == 2
    assert props.headers["request_id"] == "req-123"


def test_event_appended_during_relay_is_not_lost(amqp_url, scratch_db, bound_queue):
    ch, queue, topic = bound_queue
    coll = scratch_db[f"things_{uuid.uuid4().hex[:6]}"]
    first = make_event(topic + ".created", {}, source="test")
    late = make_event(topic + ".updated", {}, source="test")
    coll.insert_one(new_document_with_event({"_id": "b"}, first))
    real = Publisher(amqp_url, "sipk.events")

    class AppendingPublisher:
        """Another request appends an event while the relay is publishing."""

        def __init__(self):
            self.done = False

        def publish(self, envelope):
            real.publish(envelope)
            if not self.done:
                self.done = True
                coll.update_one({"_id": "b"}, update_with_event({"$set": {"x": 1}}, late))

        def process_events(self):
            pass

    relay = OutboxRelay(scratch_db, [coll.name], AppendingPublisher())
    relay.run_once()
    assert coll.find_one({"_id": "b"})[PENDING] is True  # the late event is still there, flagged
    relay.run_once()
    assert coll.find_one({"_id": "b"})[PENDING] is False
    ids = [body["id"] for _, body in drain(ch, queue)]
    assert late["id"] in ids and first["id"] in ids  # first may be sent twice; consumers' inboxes drop it


def test_relay_keeps_events_pending_when_broker_unreachable(scratch_db):
    coll = scratch_db[f"things_{uuid.uuid4().hex[:6]}"]
    coll.insert_one(new_document_with_event({"_id": "c"}, make_event("test.x.created", {}, source="test")))
    relay = OutboxRelay(scratch_db, [coll.name], Publisher("amqp://guest:guest@127.0.0.1:1/%2F", "sipk.events"))
    with pytest.raises(Exception):
        relay.run_once()
    assert coll.find_one({"_id": "c"})[PENDING] is True
