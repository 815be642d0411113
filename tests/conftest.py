"""Fixtures for integration and e2e tests: the real stack `make up` starts.

`make test` (dev/stack.py test) exports where things are; running pytest by
hand after `make up` works with the same defaults.
"""
from __future__ import annotations

import os
import random
import uuid
from datetime import date

import pytest

GATEWAY = os.environ.get("SIPK_GATEWAY", "http://127.0.0.1:8080")
IDENTITY_DIRECT = os.environ.get("SIPK_IDENTITY_URL", "http://127.0.0.1:8001")
MONGO_URI = os.environ.get("SIPK_MONGO_URI", "mongodb://127.0.0.1:27017")
AMQP_URL = os.environ.get("SIPK_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
ADMIN_NIP = os.environ.get("SIPK_ADMIN_NIP", "198001012005011001")
ADMIN_PASSWORD = os.environ.get("SIPK_ADMIN_PASSWORD", "admin-dev-password")


def random_nip(rng: random.Random | None = None) -> str:
    """A valid, almost certainly unused NIP (birth 1970-1999, appointed 2000-2020)."""
    rng = rng or random.SystemRandom()
    birth = date(rng.randint(1970, 1999), rng.randint(1, 12), rng.randint(1, 28))
    appointed = f"{rng.randint(2000, 2020)}{rng.randint(1, 12):02d}"
    return f"{birth:%Y%m%d}{appointed}{rng.choice('12')}{rng.randint(1, 999):03d}"


@pytest.fixture(scope="session")
def gateway() -> str:
    return GATEWAY


@pytest.fixture(scope="session")
def mongo_client():
    from pymongo import MongoClient

    client = MongoClient(MONGO_URI, serverSelectionTimeoutMS=3000, tz_aware=True)
    client.admin.command("ping")
    yield client
    client.close()


@pytest.fixture(scope="session")
def scratch_db(mongo_client):
    """A fresh database for this test session (dropped afterwards)."""
    name = f"test_{uuid.uuid4().hex[:10]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)


@pytest.fixture(scope="session")
def identity_db(mongo_client):
    """The running identity service's database (tests add uniquely-named data only)."""
    return mongo_client[os.environ.get("SIPK_IDENTITY_DB", "identity")]


@pytest.fixture(scope="session")
def amqp_url() -> str:
    return AMQP_URL


# ----------------------------------------------------------------- helpers
import time  # noqa: E402

import requests  # noqa: E402


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


@pytest.fixture(scope="session")
def admin_token() -> str:
    return login_direct(ADMIN_NIP, ADMIN_PASSWORD)["access_token"]


@pytest.fixture(scope="session")
def make_employee(identity_db):
    """Create an employee straight in identity's store (with its outbox event,
    so presence and performance receive it like any other). Returns a dict with
    nip, password and the rest; pass supervisor_nip to build a chain."""
    from identity.events import employee_event
    from identity.hashing import hash_password
    from identity.store import IdentityStore

    store = IdentityStore(identity_db)
    password = "test-password-123"
    password_hash = hash_password(password)  # argon2 is slow on purpose: hash once per session

    def make(*, supervisor_nip: str | None = None, unit_code: str = "BKPSDM", roles=("employee",),
             name: str | None = None, active: bool = True, position: str = "Analis") -> dict:
        nip = random_nip()
        employee = {"nip": nip, "name": name or f"Pegawai {nip[-6:]}", "unit_code": unit_code,
                    "position": position, "supervisor_nip": supervisor_nip, "email": None,
                    "roles": list(roles), "active": active, "password_hash": password_hash,
                    "password_change_required": False}
        assert store.insert_employee(employee, employee_event("created", employee))
        public = {k: v for k, v in employee.items() if k != "password_hash"}
        return {**public, "password": password}

    return make
