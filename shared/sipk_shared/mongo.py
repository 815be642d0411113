"""MongoDB access: one client per process, created after fork."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Iterable

from pymongo import ASCENDING, MongoClient
from pymongo.database import Database


class MongoProvider:
    """Lazily opens a MongoClient in the current process.

    gunicorn forks workers and pymongo is not fork-safe, so the client is
    created on first use and re-created if the pid changed.

    ``timeout_ms`` bounds server selection and connecting: with the database
    down a request fails after that long (answered 503 ``database_unavailable``
    by sipk_shared.errors) instead of holding a worker thread.
    """

    def __init__(self, uri: str, db_name: str, *, timeout_ms: int = 2000):
        self._uri = uri
        self._db_name = db_name
        self._timeout_ms = timeout_ms
        self._client: MongoClient | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> MongoClient:
        if self._client is None or self._pid != os.getpid():
            with self._lock:
                if self._client is None or self._pid != os.getpid():
                    self._client = MongoClient(
                        self._uri,
                        serverSelectionTimeoutMS=self._timeout_ms,
                        connectTimeoutMS=self._timeout_ms,
                        tz_aware=True,
                        appname=self._db_name,
                    )
                    self._pid = os.getpid()
        return self._client

    @property
    def db(self) -> Database:
        return self.client[self._db_name]

    def ping(self) -> bool:
        try:
            self.client.admin.command("ping")
            return True
        except Exception:  # noqa: BLE001 - readiness reports, never raises
            return False

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


@dataclass(frozen=True)
class IndexSpec:
    collection: str
    keys: list[tuple[str, int]]
    unique: bool = False
    name: str | None = None
    options: dict = field(default_factory=dict)


def ensure_indexes(db: Database, specs: list[IndexSpec]) -> None:
    """Create indexes idempotently (create_index is a no-op when it exists)."""
    for spec in specs:
        kwargs = dict(spec.options)
        if spec.name:
            kwargs["name"] = spec.name
        db[spec.collection].create_index(spec.keys, unique=spec.unique, **kwargs)


def drop_retired(db: Database, *, collections: Iterable[str] = (), indexes: Iterable[tuple[str, str]] = ()) -> None:
    """Drop what an earlier version created and nothing reads any more (a no-op once it is gone)."""
    existing = set(db.list_collection_names())
    for name in collections:
        if name in existing:
            db.drop_collection(name)
    for collection, index in indexes:
        if collection in existing and index in db[collection].index_information():
            db[collection].drop_index(index)


def asc(*fields: str) -> list[tuple[str, int]]:
    return [(f, ASCENDING) for f in fields]


def is_duplicate_key(exc: Exception) -> bool:
    return getattr(exc, "code", None) == 11000


def upsert_if_newer(collection, key: str, document: dict, version: str) -> bool:
    """Upsert `document` under _id=key unless a newer version is stored already.

    For copies fed by events, which may arrive twice or out of order: the
    event's occurred_at (ISO UTC, so it sorts as a string) is the version.
    Returns True if the copy changed.
    """
    from pymongo.errors import DuplicateKeyError

    try:
        result = collection.update_one(
            {"_id": key, "$or": [{"_version": {"$lte": version}}, {"_version": {"$exists": False}}]},
            {"$set": {**document, "_version": version}}, upsert=True)
        return result.modified_count == 1 or result.upserted_id is not None
    except DuplicateKeyError:
        return False  # a newer version is stored, so the upsert tried to insert a second copy


def run_when_database_answers(task, *, what: str, timeout_s: float = 60.0, log=None) -> None:
    """Run a start-up task (indexes, bootstrap), retrying while MongoDB is unreachable.

    A worker that cannot reach the database at boot would otherwise exit, and
    gunicorn stops the whole service when a worker fails to boot; retrying for
    a bounded time rides out a database restart instead.
    """
    import logging
    import time

    from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

    logger = log or logging.getLogger(__name__)
    deadline = time.monotonic() + timeout_s
    delay = 0.5
    while True:
        try:
            task()
            return
        except (AutoReconnect, ServerSelectionTimeoutError) as exc:
            if time.monotonic() + delay > deadline:
                raise
            logger.warning("database not answering at start-up; retrying",
                           extra={"fields": {"task": what, "error": repr(exc), "retry_in_s": delay}})
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
