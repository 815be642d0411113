"""Fixtures for integration and e2e tests: the real stack `make up` starts."""
from __future__ import annotations

import os
import uuid

import pytest

from support import (  # noqa: F401 - re-exported for tests that import from conftest
    ADMIN_NIP, ADMIN_PASSWORD, AMQP_URL, GATEWAY, IDENTITY_DIRECT, MONGO_URI, bearer, login_direct, random_nip,
    wait_until,
)


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


@pytest.fixture(scope="session")
def admin_token() -> str:
    return login_direct(ADMIN_NIP, ADMIN_PASSWORD)["access_token"]


@pytest.fixture(scope="session")
def make_employee(identity_db):
    """Create an employee straight in identity's store (with its outbox event,
    so presence and performance receive it like any other). Returns a dict with
    nip, password and the rest; pass supervisor_nip to build a chain. ``active_from`` (the TMT) is
    long ago by default, so that past days a test writes count for its employees."""
    from identity.events import employee_event
    from identity.hashing import hash_password
    from identity.store import IdentityStore

    store = IdentityStore(identity_db)
    password = "test-password-123"
    password_hash = hash_password(password)  # argon2 is slow on purpose: hash once per session

    def make(*, supervisor_nip: str | None = None, unit_code: str = "BKPSDM", roles=("employee",),
             name: str | None = None, active: bool = True, position: str = "Analis",
             active_from: str = "2020-01-01") -> dict:
        nip = random_nip()
        employee = {"nip": nip, "name": name or f"Pegawai {nip[-6:]}", "unit_code": unit_code,
                    "position": position, "supervisor_nip": supervisor_nip, "email": None,
                    "roles": list(roles), "active": active, "password_hash": password_hash,
                    "password_change_required": False,
                    "employment": [{"from": active_from, "until": None if active else active_from}]}
        assert store.insert_employee(employee, employee_event("created", employee))
        public = {k: v for k, v in employee.items() if k != "password_hash"}
        return {**public, "password": password}

    return make


@pytest.fixture()
def fresh_db(mongo_client):
    """A database of this test's own (dropped afterwards), for tests that need it empty."""
    name = f"test_{uuid.uuid4().hex[:10]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)
