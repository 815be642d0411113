"""The bus against the real RabbitMQ and database: a consumer in another
process receives each event exactly once in effect, through duplicates,
a consumer crash, and poison messages."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pika
import pytest

from sipk_shared.bus import Publisher
from sipk_shared.events import make_event

from support import MONGO_URI, wait_until

pytestmark = pytest.mark.integration

HERE = Path(__file__).parent


@pytest.fixture()
def queue(amqp_url):
    name = f"test.bus.{uuid.uuid4().hex[:8]}"
    yield name
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    ch = conn.channel()
    for q in (name, name + ".dead"):
        ch.queue_delete(queue=q)
    conn.close()


@pytest.fixture()
def db(mongo_client):
    """A database of this test's own: the consumer's inbox and effects start empty."""
    name = f"test_bus_{uuid.uuid4().hex[:8]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)


def start_consumer(amqp_url, db, queue, pattern, sleep_s=0.0):
    proc = subprocess.Popen([sys.executable, str(HERE / "consumer_proc.py"), amqp_url, MONGO_URI, db.name,
                             queue, pattern, str(sleep_s)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    # The queue and its bindings exist once the consumer has declared them.
    wait_until(lambda: _queue_exists(amqp_url, queue), 10, message="queue declared")
    return proc


def _queue_exists(amqp_url, queue) -> bool:
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        conn.channel().queue_declare(queue=queue, passive=True)
        return True
    except pika.exceptions.ChannelClosedByBroker:
        return False
    finally:
        if conn.is_open:
            conn.close()


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_duplicates_have_no_second_effect(amqp_url, db, queue):
    topic = f"test.{queue.split('.')[-1]}.dup"
    consumer = start_consumer(amqp_url, db, queue, topic)
    try:
        publisher = Publisher(amqp_url, "sipk.events")
        events = [make_event(topic, {"n": i}, source="test") for i in range(20)]
        for e in events:
            publisher.publish(e)
        for e in events[:5]:  # the same ids again, as a relay re-send after a crash would
            publisher.publish(e)
        publisher.close()
        wait_until(lambda: db.effects.count_documents({}) == 20, 15, message="20 effects")
        wait_until(lambda: db.inbox.count_documents({}) == 20, 5, message="20 inbox ids")
        # Give the 5 duplicates time to arrive and be dropped.
        wait_until(lambda: _queue_depth(amqp_url, queue) == 0, 10, message="queue drained")
        applied = {d["_id"]: d["applied"] for d in db.effects.find()}
        assert applied == {e["id"]: 1 for e in events}
    finally:
        stop(consumer)


def _queue_depth(amqp_url, queue) -> int:
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        return conn.channel().queue_declare(queue=queue, passive=True).method.message_count
    finally:
        conn.close()


def test_consumer_crash_mid_message_loses_nothing(amqp_url, db, queue):
    topic = f"test.{queue.split('.')[-1]}.crash"
    first = start_consumer(amqp_url, db, queue, topic, sleep_s=0.3)
    events = [make_event(topic, {"n": i}, source="test") for i in range(12)]
    publisher = Publisher(amqp_url, "sipk.events")
    for e in events:
        publisher.publish(e)
    publisher.close()
    # Kill -9 while the 4th message is inside its handler (progress written, effect not yet).
    wait_until(lambda: db.progress.count_documents({}) >= 4, 15, interval=0.01, message="4 messages started")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(5)
    assert db.effects.count_documents({}) < 12
    second = start_consumer(amqp_url, db, queue, topic)
    try:
        wait_until(lambda: db.effects.count_documents({}) == 12, 20, message="all 12 effects after restart")
        applied = {d["_id"]: d["applied"] for d in db.effects.find()}
        assert applied == {e["id"]: 1 for e in events}
    finally:
        stop(second)


def test_poison_and_failing_messages_are_dead_lettered(amqp_url, db, queue):
    topic = f"test.{queue.split('.')[-1]}.poison"
    consumer = start_consumer(amqp_url, db, queue, topic)
    try:
        conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
        ch = conn.channel()
        ch.basic_publish("sipk.events", topic, b"not json at all",
                         pika.BasicProperties(message_id="poison-1", delivery_mode=2))
        failing = make_event(topic, {"fail": True}, source="test")
        ch.basic_publish("sipk.events", topic, json.dumps(failing).encode(),
                         pika.BasicProperties(message_id=failing["id"], delivery_mode=2))
        conn.close()
        wait_until(lambda: _queue_depth(amqp_url, queue + ".dead") == 2, 20, message="2 dead letters")
        conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
        ch = conn.channel()
        errors = {}
        for _ in range(2):
            method, props, body = ch.basic_get(queue + ".dead", auto_ack=True)
            errors[props.message_id] = props.headers["x-sipk-error"]
        conn.close()
        assert "not JSON" in errors["poison-1"] or "Expecting value" in errors["poison-1"]
        assert "handler refuses" in errors[failing["id"]]
        assert _queue_depth(amqp_url, queue) == 0  # not requeued forever
        assert db.effects.count_documents({"_id": failing["id"]}) == 0
    finally:
        stop(consumer)


def test_a_database_outage_holds_messages_instead_of_dead_lettering_them(amqp_url, queue):
    """Before, a handler whose database was down failed 5 times in ~3 s and the event went to
    the dead-letter queue: a 10 s database restart lost every event that arrived meanwhile."""
    import threading

    from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

    from sipk_shared.bus import Consumer, QueueBinding

    topic = f"test.{queue.split('.')[-1]}.dbaway"
    calls: list[str] = []
    applied: list[str] = []

    def handle(envelope):
        calls.append(envelope["id"])
        if len(calls) <= 6:  # the database is "away" for the first six tries (about 10 s of backoff)
            raise (AutoReconnect if len(calls) % 2 else ServerSelectionTimeoutError)("database restarting")
        applied.append(envelope["id"])

    consumer = Consumer(amqp_url, "sipk.events", QueueBinding(queue, (topic,)), handle, prefetch=5, max_attempts=3)
    consumer.setup()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        publisher = Publisher(amqp_url, "sipk.events")
        event = make_event(topic, {"n": 1}, source="test")
        publisher.publish(event)
        publisher.close()
        wait_until(lambda: applied, 60, message="the event applied once the database is back")
        assert applied == [event["id"]] and set(calls) == {event["id"]}
        assert consumer.dead_lettered == 0 and _queue_depth(amqp_url, queue + ".dead") == 0
    finally:
        consumer.stop()
        thread.join(15)
