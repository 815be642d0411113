"""Constants and helpers for integration and e2e tests (importable: `from support import ...`).

`make test` (dev/stack.py test) exports where things are; running pytest by
hand after `make up` works with the same defaults.
"""
from __future__ import annotations

import os
import random
import time
import uuid
from contextlib import contextmanager
from datetime import date

import pika
import pytest
import requests

GATEWAY = os.environ.get("SIPK_GATEWAY", "http://127.0.0.1:8080")
IDENTITY_DIRECT = os.environ.get("SIPK_IDENTITY_URL", "http://127.0.0.1:8001")
PRESENCE_DIRECT = os.environ.get("SIPK_PRESENCE_URL", "http://127.0.0.1:8002")
PERFORMANCE_DIRECT = os.environ.get("SIPK_PERFORMANCE_URL", "http://127.0.0.1:8003")
MONGO_URI = os.environ.get("SIPK_MONGO_URI", "mongodb://127.0.0.1:27017")
AMQP_URL = os.environ.get("SIPK_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
RUN_DIR = os.environ.get("SIPK_RUN_DIR") or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".run")
ADMIN_NIP = os.environ.get("SIPK_ADMIN_NIP", "198001012005011001")
ADMIN_PASSWORD = os.environ.get("SIPK_ADMIN_PASSWORD", "admin-dev-password")


def random_nip(rng: random.Random | None = None) -> str:
    """A valid, almost certainly unused NIP: born 1970-1999, appointed 18-25 years later (by 2025)."""
    rng = rng or random.SystemRandom()
    birth = date(rng.randint(1970, 1999), rng.randint(1, 12), rng.randint(1, 28))
    appointed = f"{min(birth.year + rng.randint(18, 25), 2025)}{rng.randint(1, 12):02d}"
    return f"{birth:%Y%m%d}{appointed}{rng.choice('12')}{rng.randint(1, 999):03d}"


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.1, message: str = "condition"):
    """Poll until predicate() is truthy; return its value or fail the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


def login_direct(nip: str, password: str) -> dict:
    """Sign in at identity itself, not through the gateway.

    The gateway rate-limits /auth/login per IP (10/min): fixtures that need
    many tokens sign in here; tests of the gateway's own behaviour use GATEWAY.
    """
    resp = requests.post(f"{IDENTITY_DIRECT}/api/identity/v1/auth/login",
                         json={"nip": nip, "password": password}, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def bound_queue(amqp_url: str, *routing_keys: str):
    """A private queue on ``sipk.events`` bound to these routing keys: yields (channel, queue name),
    deletes the queue afterwards."""
    name = f"test.{uuid.uuid4().hex[:10]}"
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    channel.exchange_declare("sipk.events", "topic", durable=True)
    channel.queue_declare(name, durable=False, auto_delete=False)
    for key in routing_keys:
        channel.queue_bind(name, "sipk.events", routing_key=key)
    try:
        yield channel, name
    finally:
        channel.queue_delete(name)
        conn.close()


# --- races: N requests released together --------------------------------------------------------
def race(n: int, action, *, timeout: float = 120.0) -> list:
    """Run ``action(i)`` for i in 0..n-1 on n threads released at the same instant (a barrier);
    answer the results in order, an exception standing in for its result. For the 20-way races
    of state transitions: every transition decides its winner in the database, so of n
    concurrent attempts exactly one may succeed (see :func:`one_winner`)."""
    import threading

    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout)
            results[i] = action(i)
        except Exception as exc:  # noqa: BLE001 - reported to the caller as the result
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing request did not finish"
    return results


def one_winner(responses: list, *, won=(200, 201), lost=(409,)) -> int:
    """Assert that exactly one response has a status in ``won`` and all others one in ``lost``
    (JSON error bodies); answer the winner's index."""
    for r in responses:
        assert not isinstance(r, Exception), repr(r)
    statuses = [r.status_code for r in responses]
    winners = [i for i, s in enumerate(statuses) if s in won]
    assert len(winners) == 1, f"{len(winners)} winners: {statuses}"
    losers = [r for i, r in enumerate(responses) if i != winners[0]]
    assert all(r.status_code in lost for r in losers), statuses
    assert all(r.headers.get("Content-Type", "").startswith("application/json") and r.json().get("error")
               for r in losers)
    return winners[0]


def session_from(address: str):
    """A requests session whose connections leave from ``address`` (any 127.0.0.0/8 address works
    on Linux): the gateway sees it as the client's address, so tests of per-address limits do not
    share a bucket with each other or with the rest of the suite."""
    from requests.adapters import HTTPAdapter

    class _From(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", _From())
    return session


def elsewhere():
    """A session from an address of its own (a random 127.x.y.z): tests that fail sign-ins on purpose
    use it, so their failures do not spend the per-address budget of 127.0.0.1, which the rest of the
    suite (browsers, fixtures) signs in from."""
    rng = random.SystemRandom()
    return session_from(f"127.{rng.randint(1, 254)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}")


def drain_queue(channel, queue: str) -> list[dict]:
    """Every event waiting in ``queue`` now (taken off it), as parsed envelopes."""
    import json

    events = []
    while True:
        method, _props, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            return events
        events.append(json.loads(body))
