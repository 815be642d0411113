"""Faults under a steady check-in load: nothing lost, no double effect, 503 not 500, recovery by itself.

`make test-faults` runs these (marker ``faults``); they stop and start parts of the stack under
test with dev/stack.py, so they run in the stack's own test command only. Each prints what it
measured (docs/RELIABILITY.md has the figures):

* RabbitMQ stopped for 20 s while check-ins go on;
* each worker (relay, consumer) SIGKILLed while events are in flight, then started again;
* the database stopped for 10 s: check-ins answer 503 database_unavailable with Retry-After,
  none 500, and everything works again once it is back, without restarting anything;
* poison messages go to the dead-letter queue with their reason and hold nothing else up.

"In effect once": performance records every presence.checked_in it applied in its inbox (by event
id, unique), so each 201 must show up there exactly once, and its copy of the day must carry the
check-in's time. FAULT_CHECKINS (default 300) sets the load.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pika
import pytest
import requests

from support import AMQP_URL, GATEWAY, RUN_DIR, bearer, wait_until
from e2e.presence_common import KOBA, all_day_unit

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

ROOT = Path(__file__).resolve().parents[2]
PRESENCE_DB = os.environ.get("SIPK_PRESENCE_DB", "presence")
PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
CHECKINS = int(os.environ.get("FAULT_CHECKINS", "300"))
RATE = float(os.environ.get("FAULT_RATE", "10"))  # check-ins per second
SPOT = {"latitude": KOBA[0], "longitude": KOBA[1], "accuracy_m": 10, "mode": "WFO"}


def stack(*args: str) -> None:
    """dev/stack.py for this stack (the service settings `stack.py test` exported are not its own)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MONGO_URI", "AMQP_URL", "JWKS_URL")}
    if os.environ.get("SIPK_MONGO_EXTERNAL"):
        env["MONGO_URI"] = os.environ["MONGO_URI"]
    result = subprocess.run([sys.executable, str(ROOT / "dev" / "stack.py"), *args], cwd=ROOT, timeout=300,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]


def kill(name: str) -> None:
    pid = int((Path(RUN_DIR) / "pids" / f"{name}.pid").read_text().split()[0])
    os.killpg(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def dbs(mongo_client):
    return mongo_client[PRESENCE_DB], mongo_client[PERFORMANCE_DB]


@pytest.fixture(scope="module")
def unit(admin_token):
    with all_day_unit(admin_token, "FT") as unit_code:
        yield unit_code


@pytest.fixture(scope="module")
def crowd(make_employee, dbs, unit):
    """A factory of n employees known to presence and performance, each with an access token
    (minted with the stack's signing key: n sign-ins would only measure argon2)."""
    from identity.keys import load_signing_key
    from identity.tokens import issue_access_token

    key = load_signing_key(str(Path(RUN_DIR) / "secrets" / "jwt_ed25519.pem"))
    presence, performance = dbs

    def make(n: int) -> list[dict]:
        people = [make_employee(unit_code=unit) for _ in range(n)]
        nips = [p["nip"] for p in people]
        wait_until(lambda: presence.employees.count_documents({"_id": {"$in": nips}}) == n
                   and performance.employees.count_documents({"_id": {"$in": nips}}) == n,
                   timeout=300, interval=1, message=f"copies of {n} employees")
        for p in people:
            p["token"] = issue_access_token(key, nip=p["nip"], name=p["name"], unit=unit, roles=["employee"],
                                            password_change_required=False, issuer="sipk-identity",
                                            audience="sipk", ttl_s=3600)
        return people

    return make


class Load:
    """Check-ins of ``people`` at a steady rate, one each, on a few threads; records every answer."""

    def __init__(self, people: list[dict], rate: float = RATE):
        self.people, self.rate = people, rate
        self.answers: list[tuple[str, int, dict, float]] = []  # (nip, status, body, seconds since start)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.started = 0.0

    def _one(self, person: dict) -> None:
        try:
            resp = requests.post(f"{GATEWAY}/api/presence/v1/check-ins", json=SPOT, headers=bearer(person["token"]),
                                 timeout=60)
            status, body, retry_after = resp.status_code, resp.json(), resp.headers.get("Retry-After")
            if retry_after:
                body = {**body, "_retry_after": retry_after}
        except (requests.RequestException, ValueError) as exc:
            status, body = 0, {"error": repr(exc)}
        with self._lock:
            self.answers.append((person["nip"], status, body, time.monotonic() - self.started))

    def _run(self) -> None:
        from concurrent.futures import ThreadPoolExecutor
        self.started = time.monotonic()
        with ThreadPoolExecutor(max_workers=16) as pool:
            for i, person in enumerate(self.people):
                time.sleep(max(0.0, self.started + i / self.rate - time.monotonic()))
                pool.submit(self._one, person)

    def start(self) -> "Load":
        self._thread.start()
        return self

    def join(self) -> "Load":
        self._thread.join(600)
        assert not self._thread.is_alive()
        return self

    def statuses(self) -> Counter:
        return Counter(status for _nip, status, _body, _t in self.answers)


def assert_every_201_stored_and_consumed_once(load: Load, dbs, *, timeout: float = 240) -> dict:
    """Every 201 is a stored check-in whose event performance applied exactly once (its inbox)."""
    presence, performance = dbs
    created = [(nip, body) for nip, status, body, _t in load.answers if status == 201]
    ids = [f"{nip}:{body['date']}" for nip, body in created]
    stored = {d["_id"]: d for d in presence.check_ins.find({"_id": {"$in": ids}}, {"_event_ids": 1, "id": 1})}
    assert len(stored) == len(created), f"{len(created) - len(stored)} answered 201 but not stored"
    event_ids = [stored[i]["_event_ids"][0] for i in ids]

    def consumed():
        return performance.inbox.count_documents({"_id": {"$in": event_ids}}) == len(event_ids)

    started = time.monotonic()
    wait_until(consumed, timeout=timeout, interval=1, message="every check-in event consumed by performance")
    caught_up = time.monotonic() - started
    # in effect once: one inbox entry per event (the _id is unique), and the copy shows this check-in
    copies = {d["_id"]: d for d in performance.presence_today.find({"_id": {"$in": [n for n, _ in created]}})}
    wrong = [nip for nip, body in created if (copies.get(nip) or {}).get("date") != body["date"]]
    assert not wrong, f"{len(wrong)} check-ins missing from performance's copy"
    assert performance.inbox.count_documents({"_id": {"$in": event_ids}}) == len(set(event_ids)) == len(created)
    return {"created": len(created), "stored": len(stored), "consumed": len(event_ids),
            "catch_up_s": round(caught_up, 1)}


def report(name: str, **figures) -> None:
    print(f"\n  [{name}] " + ", ".join(f"{k}={v}" for k, v in figures.items()))


# --------------------------------------------------------------------------- faults
def test_rabbitmq_down_20_s_during_check_ins(crowd, dbs):
    load = Load(crowd(CHECKINS)).start()
    time.sleep(CHECKINS / RATE * 0.2)
    stack("stop", "rabbitmq")
    down_at = time.monotonic()
    time.sleep(20)
    stack("start", "rabbitmq")
    outage = time.monotonic() - down_at
    load.join()
    statuses = load.statuses()
    assert statuses == Counter({201: CHECKINS}), statuses  # the API never needs the broker
    figures = assert_every_201_stored_and_consumed_once(load, dbs)
    report("rabbitmq down", outage_s=round(outage, 1), answers=dict(statuses), **figures)


@pytest.mark.parametrize("worker", ["presence-worker", "performance-worker", "identity-worker"])
def test_a_worker_sigkilled_mid_stream_loses_nothing(crowd, dbs, make_employee, unit, worker):
    people = crowd(CHECKINS // 2)
    load = Load(people).start()
    time.sleep(len(people) / RATE * 0.3)
    kill(worker)
    newcomers = [make_employee(unit_code=unit) for _ in range(5)] if worker == "identity-worker" else []
    time.sleep(3)
    stack("start", worker)
    load.join()
    statuses = load.statuses()
    assert statuses == Counter({201: len(people)}), statuses
    figures = assert_every_201_stored_and_consumed_once(load, dbs)
    if newcomers:  # the identity events staged while its relay was dead went out after the restart
        presence, performance = dbs
        nips = [p["nip"] for p in newcomers]
        wait_until(lambda: presence.employees.count_documents({"_id": {"$in": nips}}) == 5
                   and performance.employees.count_documents({"_id": {"$in": nips}}) == 5,
                   timeout=120, message="employees created while identity's relay was dead")
    report(f"SIGKILL {worker}", answers=dict(statuses), **figures)


def test_database_down_10_s_answers_503_not_500_and_recovers_by_itself(crowd, dbs):
    if os.environ.get("SIPK_MONGO_EXTERNAL"):
        pytest.skip("MONGO_URI is set: the database is not this stack's to stop")
    people = crowd(CHECKINS)
    load = Load(people).start()
    time.sleep(CHECKINS / RATE * 0.2)
    stack("stop", "mongo")
    down_at = time.monotonic()
    time.sleep(10)
    stack("start", "mongo")
    outage = time.monotonic() - down_at
    load.join()
    statuses = load.statuses()
    assert set(statuses) <= {201, 503}, statuses
    refused = [body for _n, status, body, _t in load.answers if status == 503]
    assert refused, "no request met the outage"
    assert all(b["error"] == "database_unavailable" and int(b["_retry_after"]) >= 1 for b in refused)
    # recovery by itself: every service ready again, nothing restarted
    for svc in ("identity", "presence", "performance"):
        wait_until(lambda svc=svc: requests.get(f"{GATEWAY}/api/{svc}/readyz", timeout=5).status_code == 200,
                   timeout=60, message=f"{svc} ready again")
    # the clients that got 503 retry: now they get in (or find they were in: a write that
    # committed as the database went away answers 409 on the retry, and is stored)
    retried = Counter()
    by_nip = {p["nip"]: p for p in people}
    for nip, status, _body, _t in list(load.answers):
        if status == 503:
            resp = requests.post(f"{GATEWAY}/api/presence/v1/check-ins", json=SPOT,
                                 headers=bearer(by_nip[nip]["token"]), timeout=30)
            retried[resp.status_code] += 1
            assert resp.status_code in (201, 409), resp.text
            load.answers.append((nip, resp.status_code, resp.json(), -1))
    figures = assert_every_201_stored_and_consumed_once(load, dbs)
    report("database down", outage_s=round(outage, 1), answers=dict(statuses), retried=dict(retried), **figures)


# --------------------------------------------------------------------------- poison
def dead_letters(queue: str, marker: str, expected: int, timeout: float = 60) -> list[tuple[dict, bytes]]:
    """Take this test's messages (message_id starting with ``marker``) off ``queue``.dead."""
    found: list[tuple[dict, bytes]] = []
    deadline = time.monotonic() + timeout
    conn = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    ch = conn.channel()
    try:
        while len(found) < expected and time.monotonic() < deadline:
            method, props, body = ch.basic_get(queue + ".dead")
            if method is None:
                time.sleep(0.5)
                continue
            if (props.message_id or "").startswith(marker):
                found.append((dict(props.headers or {}), body))
                ch.basic_ack(method.delivery_tag)
            else:
                ch.basic_nack(method.delivery_tag, requeue=True)
    finally:
        conn.close()
    return found


@pytest.mark.parametrize("queue", ["presence", "performance"])
def test_poison_messages_are_dead_lettered_with_their_reason_and_block_nothing(queue, make_employee, dbs):
    marker = f"poison-{uuid.uuid4().hex[:8]}"
    envelope = {"id": f"{marker}-3", "type": "identity.employee.created", "version": 1,
                "occurred_at": "2026-01-01T00:00:00+00:00", "source": "identity", "data": {"nip": 12345}}
    poisons = [(f"{marker}-1", b"\xff\xfe not json"),
               (f"{marker}-2", json.dumps({"id": f"{marker}-2", "type": "x.y.z"}).encode()),
               (f"{marker}-3", json.dumps(envelope).encode())]
    conn = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    ch = conn.channel()
    for message_id, body in poisons:  # straight into the service's queue, as a broken publisher would
        ch.basic_publish(exchange="", routing_key=queue, body=body,
                         properties=pika.BasicProperties(message_id=message_id, delivery_mode=2))
    conn.close()
    after = make_employee()  # a good event behind the poison
    db = dbs[0] if queue == "presence" else dbs[1]
    wait_until(lambda: db.employees.find_one({"_id": after["nip"]}), timeout=60,
               message="the good event behind the poison applied")
    dead = dead_letters(queue, marker, len(poisons))
    reasons = sorted(h["x-sipk-error"] for h, _body in dead)
    assert len(dead) == 3, reasons
    assert any("JSON" in r or "decode" in r.lower() or "Expecting" in r for r in reasons), reasons
    assert any("lacks" in r for r in reasons) and any("nip" in r for r in reasons), reasons
    assert {body for _h, body in dead} == {body for _id, body in poisons}  # kept as sent
    report(f"poison {queue}", dead_lettered=len(dead), reasons=reasons)
