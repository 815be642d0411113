"""The database contract: whatever MONGO_URI / SIPK_MONGO_URI points to (the dev server, or a real MongoDB 7)."""
from __future__ import annotations

import uuid

import pytest
from pymongo import MongoClient

from support import MONGO_URI

MONGODB = "mongodb"
DEV = "mongo-java-server"  # dev/mongo: the dev and CI database
FERRETDB = "ferretdb"      # the old dev database (kept here so the contract can be run against it)


def server_kind(client: MongoClient) -> str:
    """Which engine answers: the differences the contract tests name depend on it."""
    info = client.admin.command("buildInfo")
    if any("ferret" in str(k).lower() or "ferret" in str(v).lower() for k, v in info.items()):
        return FERRETDB
    if "gitVersion" not in info:  # mongo-java-server answers version, versionArray and maxBsonObjectSize only
        return DEV
    return MONGODB


@pytest.fixture(scope="session")
def server(mongo_client) -> str:
    return server_kind(mongo_client)


@pytest.fixture()
def db(mongo_client):
    name = f"test_contract_{uuid.uuid4().hex[:10]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)


@pytest.fixture()
def clients():
    """Separate clients (separate connections) for concurrent writers, closed afterwards."""
    made: list[MongoClient] = []

    def make() -> MongoClient:
        client = MongoClient(MONGO_URI, serverSelectionTimeoutMS=3000, tz_aware=True)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
