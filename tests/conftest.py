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
