"""Presence's use cases against the real database, each module in a fresh database."""
from __future__ import annotations

import uuid

import pytest


@pytest.fixture(scope="module")
def presence_store(mongo_client):
    from presence.store import Store

    name = f"test_presence_{uuid.uuid4().hex[:10]}"
    store = Store(mongo_client[name])
    store.ensure_indexes()
    yield store
    mongo_client.drop_database(name)
