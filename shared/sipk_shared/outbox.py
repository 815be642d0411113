"""Transactional outbox without multi-document transactions.

MongoDB 7 has transactions but FerretDB 1.24 does not, so events ride inside
the very document whose state they describe (single-document atomicity):

* a state change appends its event to the document's ``_outbox`` array,
  bumps ``_outbox_rev`` and sets ``_outbox_pending`` — in the same write;
* the relay (worker process) finds pending documents, publishes their events
  with confirms, then pulls exactly those events out of the array, so an
  event appended meanwhile is never lost (a crash between publishing and
  pulling re-sends; consumers' inboxes drop the duplicate by event id).
  ``_outbox_rev`` counts the writes: services use it for optimistic updates.

A crash anywhere leaves the event pending and it is re-sent on the next pass.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Iterable

from pymongo import ReturnDocument
from pymongo.database import Database

from .metrics import EVENTS_PUBLISHED
from .mongo import IndexSpec, asc

log = logging.getLogger(__name__)

PENDING = "_outbox_pending"
EVENTS = "_outbox"
REV = "_outbox_rev"

OUTBOX_FIELDS = (PENDING, EVENTS, REV)


def outbox_indexes(collections: Iterable[str]) -> list[IndexSpec]:
    return [IndexSpec(c, asc(PENDING), name="outbox_pending") for c in collections]


def new_document_with_event(document: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """A document to insert, carrying its creation event."""
    return {**document, EVENTS: [event], REV: 1, PENDING: True}


def update_with_event(update: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """Merge the outbox append into an update document ($set/$inc/... )."""
    merged = {op: dict(fields) for op, fields in update.items()}
    merged.setdefault("$push", {})[EVENTS] = event
    merged.setdefault("$inc", {})[REV] = 1
    merged.setdefault("$set", {})[PENDING] = True
    return merged


def strip_outbox(document: dict[str, Any] | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return {k: v for k, v in document.items() if k not in OUTBOX_FIELDS}


def backlog(db: Database, collections: Iterable[str]) -> int:
    return sum(db[c].count_documents({PENDING: True}) for c in collections)


class OutboxRelay:
    def __init__(self, db: Database, collections: Iterable[str], publisher, *, batch: int = 500):
        self._db = db
        self._collections = list(collections)
        self._publisher = publisher
        self._batch = batch
        self.published = 0

    def run_once(self) -> int:
        """Publish what is pending; returns how many events went out. Raises on broker failure."""
        sent = 0
        for name in self._collections:
            coll = self._db[name]
            cursor = coll.find({PENDING: True}, {EVENTS: 1, REV: 1}).limit(self._batch)
            for doc in cursor:
                events = doc.get(EVENTS) or []
                for event in events:
                    self._publisher.publish(event)
                    EVENTS_PUBLISHED.labels(event.get("source", "unknown")).inc()
                    sent += 1
                self._acknowledge(coll, doc["_id"], events)
        self.published += sent
        return sent

    @staticmethod
    def _acknowledge(coll, doc_id, events: list) -> None:
        """Take the published events out of the document; clear the flag if none are left.

        Every write here filters on ``_id`` alone: FerretDB (SQLite) answers
        only that filter from the primary key and scans the whole collection
        for any other, which made a per-document ``{_id, rev}`` filter
        quadratic in a backlog. ``$pullAll`` removes exactly the events sent,
        so one appended meanwhile stays; the flag is re-armed if such an event
        slipped in between the two updates, so none is ever left unflagged.
        """
        # (no projection: FerretDB's findAndModify does not take one)
        after = coll.find_one_and_update({"_id": doc_id}, {"$pullAll": {EVENTS: events}},
                                         return_document=ReturnDocument.AFTER)
        if after is None or after.get(EVENTS):
            return
        coll.update_one({"_id": doc_id}, {"$set": {PENDING: False}})
        if (coll.find_one({"_id": doc_id}, {EVENTS: 1}) or {}).get(EVENTS):
            coll.update_one({"_id": doc_id}, {"$set": {PENDING: True}})

    def run_forever(self, stop, *, idle_sleep: float = 0.2) -> None:
        """Relay until stop() is true; broker outages are waited out with backoff."""
        from .bus import Backoff  # local import: relay is usable with any publisher

        backoff = Backoff()
        while not stop():
            try:
                sent = self.run_once()
                backoff.reset()
                if sent == 0:
                    self._publisher.process_events()
                    time.sleep(idle_sleep)
            except Exception as exc:  # noqa: BLE001 - keep relaying; events stay pending
                delay = backoff.next()
                log.warning("outbox relay failed; retrying", extra={"fields": {"error": repr(exc), "retry_in_s": delay}})
                time.sleep(delay)
