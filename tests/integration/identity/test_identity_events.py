"""Identity's events on the real broker: content, and exactly-once effect across a broker restart.

Each test declares its own durable queue (unique name) on the shared
exchange and deletes it at the end. The restart test stops and starts the
stack's RabbitMQ (~10 s): other engineers share that broker, so it runs in CI
rather than on every local run.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import pika
import pytest
import requests

from conftest import random_nip, MONGO_URI, bearer, wait_until

pytestmark = pytest.mark.integration

API = "/api/identity/v1"
EXCHANGE = "sipk.events"
ROOT = pathlib.Path(__file__).resolve().parents[3]



@pytest.fixture(scope="module")
def admin(gateway, admin_token):
    s = requests.Session()
    s.headers.update(bearer(admin_token))
    s.base = gateway + API
    return s


def create_employee(admin, **extra) -> dict:
    resp = admin.post(f"{admin.base}/employees", json={
        "nip": random_nip(), "name": f"Event {uuid.uuid4().hex[:6]}", "unit_code": "BKPSDM",
        "position": "Analis", "password": "Rahasia-Event-2020", **extra})
    assert resp.status_code == 201, resp.text
    return resp.json()


def delete_queues(amqp_url: str, *names: str) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        for name in names:
            channel.queue_delete(queue=name)
    finally:
        connection.close()


@pytest.fixture()
def probe_queue(amqp_url):
    """A durable queue bound to every identity event; yields a function that drains it."""
    name = f"test.identity.events.{uuid.uuid4().hex[:10]}"
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.exchange_declare(exchange=EXCHANGE, exchange_type="topic", durable=True)
    channel.queue_declare(queue=name, durable=True)
    channel.queue_bind(queue=name, exchange=EXCHANGE, routing_key="identity.#")
    seen: list[dict] = []

    def drain() -> list[dict]:
        while True:
            method, props, body = channel.basic_get(queue=name, auto_ack=True)
            if method is None:
                return seen
            seen.append({"raw": body.decode(), "envelope": json.loads(body), "message_id": props.message_id})

    yield drain
    channel.queue_delete(queue=name)
    connection.close()


def events_for(messages: list[dict], key: str, value: str) -> list[dict]:
    return [m["envelope"] for m in messages if m["envelope"]["data"].get(key) == value]


def test_employee_and_unit_events_carry_the_snapshot_and_no_secret(admin, probe_queue):
    code = "EV" + uuid.uuid4().hex[:6].upper()
    rid = "events-" + uuid.uuid4().hex[:12]
    assert admin.post(f"{admin.base}/units", json={"code": code, "name": "Unit Event"},
                      headers={"X-Request-ID": rid}).status_code == 201
    assert admin.patch(f"{admin.base}/units/{code}", json={"name": "Unit Event 2"}).status_code == 200
    head = create_employee(admin, unit_code=code)
    assert admin.patch(f"{admin.base}/employees/{head['nip']}", json={"position": "Kepala"}).status_code == 200
    reset = admin.post(f"{admin.base}/employees/{head['nip']}/password-reset").json()["temporary_password"]
    assert admin.post(f"{admin.base}/employees/{head['nip']}/deactivate").status_code == 200

    def all_arrived():
        messages = probe_queue()
        return len(events_for(messages, "nip", head["nip"])) >= 5 and len(events_for(messages, "code", code)) >= 2

    wait_until(all_arrived, timeout=30, message="identity events on the broker")
    messages = probe_queue()
    everything = events_for(messages, "nip", head["nip"])
    employee_events = [e for e in everything if e["type"].startswith("identity.employee.")]
    assert [e["type"] for e in employee_events] == [
        "identity.employee.created", "identity.employee.updated", "identity.employee.deactivated"]
    # the password reset and the deactivation end sign-ins everywhere: who, since when, why; no secret
    revoked = [e for e in everything if e["type"] == "identity.sessions.revoked"]
    assert [e["data"]["reason"] for e in revoked] == ["credentials_reset", "deactivated"]
    assert set(revoked[0]["data"]) == {"nip", "not_before", "sid", "reason"}
    assert employee_events[0]["data"] == {
        "nip": head["nip"], "name": head["name"], "unit_code": code, "position": "Analis",
        "supervisor_nip": None, "roles": ["employee"], "active": True,
        # the employment span (TMT): from the day of creation, open
        "active_from": head["active_from"], "active_until": None,
        "employment": [{"from": head["active_from"], "until": None}]}
    assert employee_events[1]["data"]["position"] == "Kepala"
    assert employee_events[2]["data"]["active"] is False
    assert employee_events[2]["data"]["active_until"] is not None  # deactivation closes the span
    unit_events = events_for(messages, "code", code)
    assert [e["type"] for e in unit_events] == ["identity.unit.created", "identity.unit.updated"]
    assert unit_events[0]["data"] == {"code": code, "name": "Unit Event", "parent_code": None}
    assert unit_events[0]["request_id"] == rid and unit_events[0]["source"] == "identity"
    for message in messages:
        assert message["message_id"] == message["envelope"]["id"]
        for secret in ("Rahasia-Event-2020", reset, "argon2", "password"):
            assert secret not in message["raw"]


CONSUMER = textwrap.dedent("""
    import os, signal
    from pymongo import MongoClient
    from sipk_shared.bus import Consumer, QueueBinding
    from sipk_shared.inbox import Inbox

    db = MongoClient(os.environ["T_MONGO_URI"])[os.environ["T_DB"]]

    def count_effect(envelope):
        db.effects.insert_one({"event_id": envelope["id"], "nip": envelope["data"]["nip"]})

    consumer = Consumer(os.environ["T_AMQP_URL"], "sipk.events",
                        QueueBinding(os.environ["T_QUEUE"], ("identity.employee.created",)),
                        Inbox(db).wrap(count_effect), prefetch=10)
    signal.signal(signal.SIGTERM, lambda *_: consumer.stop())
    consumer.run()
""")


def test_three_created_events_exactly_once_across_a_broker_restart(admin, amqp_url, scratch_db, identity_db):
    from sipk_shared.bus import Consumer, QueueBinding

    queue = f"test.identity.created.{uuid.uuid4().hex[:10]}"
    binding = QueueBinding(queue, ("identity.employee.created",))
    Consumer(amqp_url, EXCHANGE, binding, lambda e: None).setup()  # bound before the first event
    env = {**os.environ, "T_MONGO_URI": MONGO_URI, "T_DB": scratch_db.name,
           "T_AMQP_URL": amqp_url, "T_QUEUE": queue}
    consumer = subprocess.Popen([sys.executable, "-c", CONSUMER], env=env)
    mine: list[str] = []

    def effects(nip: str) -> int:
        return scratch_db.effects.count_documents({"nip": nip})

    try:
        mine.append(create_employee(admin)["nip"])
        wait_until(lambda: effects(mine[0]) == 1, timeout=30, message="first event consumed")

        restart = threading.Thread(target=subprocess.run, kwargs=dict(
            args=[sys.executable, str(ROOT / "dev" / "stack.py"), "restart", "rabbitmq"], check=True,
            timeout=180, stdout=subprocess.DEVNULL))
        restart.start()
        # The API keeps working while the broker is away; the outbox holds the events.
        for _ in range(2):
            mine.append(create_employee(admin)["nip"])
        restart.join(timeout=200)
        assert not restart.is_alive()

        wait_until(lambda: all(effects(nip) >= 1 for nip in mine), timeout=120,
                   message="all three events consumed after the restart")
        # Nothing is pending any more for them, so no further (re)delivery can come.
        wait_until(lambda: identity_db.outbox.count_documents({"doc_id": {"$in": mine}}) == 0, timeout=60,
                   message="outbox drained")
        time.sleep(2)  # let any redelivery that is in flight land (it must be a no-op)
        assert [effects(nip) for nip in mine] == [1, 1, 1]
        assert scratch_db.inbox.count_documents({"type": "identity.employee.created"}) >= 3
        assert consumer.poll() is None, "the consumer died instead of reconnecting"
    finally:
        consumer.terminate()
        try:
            consumer.wait(timeout=15)
        except subprocess.TimeoutExpired:
            consumer.kill()
        delete_queues(amqp_url, queue, queue + ".dead")
