"""Transactional outbox without multi-document transactions.

A standalone ``mongod`` (our production layout, compose's ``mongo:7``) has no
multi-document transactions: those need a replica set. So an event cannot be
written "together with" a state change in another collection. What MongoDB
does guarantee is that one write to one document is atomic, and the protocol
below needs nothing more. It also never lets the relay write a service's
state documents, so a state document has exactly one kind of writer.

The protocol, for a state change that emits an event:

1. ``stage``: insert ``{_id: event id, event, collection, doc_id, seq}`` into
   the small ``outbox`` collection;
2. write the state document, adding the event id to its ``_event_ids`` (the
   commit mark, in the same single-document write as the state change);
3. the relay (worker process) reads ``outbox`` in staging order (index
   ``by_seq``), reads the document by ``_id``, publishes with confirms when the
   mark is there and then deletes the outbox entry. An entry whose mark never
   appears (the write failed, or the process died between 1 and 2) is dropped
   after ``grace_s``. The write helpers below drop it at once when the write
   reports failure.

A crash after 2 re-sends at worst; consumers' inboxes drop the duplicate by
event id. The web request never waits on RabbitMQ.

Stores use ``insert_one`` / ``insert_many`` / ``find_one_and_update`` /
``update_one`` / ``update_many`` from this module, which do 1 and 2 (and the
clean-up). Each service adds ``OUTBOX_INDEXES`` to its declared indexes.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from pymongo import ReturnDocument, UpdateOne
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from .metrics import EVENTS_PUBLISHED
from .mongo import IndexSpec, asc

log = logging.getLogger(__name__)

OUTBOX = "outbox"
EVENT_IDS = "_event_ids"
OUTBOX_INDEXES = [IndexSpec(OUTBOX, asc("seq"), name="by_seq")]  # the relay reads in staging order


# --------------------------------------------------------------------------- staged outbox
def _stage(db: Database, collection: str, staged: list[tuple[Any, dict[str, Any]]]) -> None:
    now = datetime.now(timezone.utc)
    entries = [{"_id": event["id"], "seq": time.time_ns() + i, "staged_at": now, "collection": collection,
                "doc_id": doc_id, "event": event} for i, (doc_id, event) in enumerate(staged)]
    if entries:
        db[OUTBOX].insert_many(entries, ordered=True)


def _unstage(db: Database, events: Iterable[dict[str, Any]]) -> None:
    ids = [event["id"] for event in events]
    if ids:
        db[OUTBOX].delete_many({"_id": {"$in": ids}})


Events = dict[str, Any] | list[dict[str, Any]]


def _listed(events: Events) -> list[dict[str, Any]]:
    """One event or several for the same write (e.g. a check-in and its ``flagged`` event)."""
    return list(events) if isinstance(events, list) else [events]


def _with_mark(update: dict[str, Any], events: Events) -> dict[str, Any]:
    merged = {op: dict(fields) for op, fields in update.items()}
    ids = [event["id"] for event in _listed(events)]
    merged.setdefault("$push", {})[EVENT_IDS] = ids[0] if len(ids) == 1 else {"$each": ids}
    return merged


def insert_one(coll: Collection, document: dict[str, Any], event: Events) -> None:
    """Insert `document` (with an `_id`) and stage its event(s). Raises what insert_one raises."""
    events = _listed(event)
    _stage(coll.database, coll.name, [(document["_id"], e) for e in events])
    try:
        coll.insert_one({**document, EVENT_IDS: [e["id"] for e in events]})
    except Exception:
        _unstage(coll.database, events)
        raise


def insert_many(coll: Collection, items: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[int]:
    """Insert (document, event) pairs unordered; returns the indexes that failed (e.g. duplicates)."""
    if not items:
        return []
    _stage(coll.database, coll.name, [(doc["_id"], event) for doc, event in items])
    failed: list[int] = []
    try:
        coll.insert_many([{**doc, EVENT_IDS: [event["id"]]} for doc, event in items], ordered=False)
    except BulkWriteError as exc:
        failed = sorted({err["index"] for err in exc.details.get("writeErrors", [])})
        _unstage(coll.database, [items[i][1] for i in failed])
    return failed


def find_one_and_update(coll: Collection, filter: dict[str, Any], update: dict[str, Any], event: Events,
                        **kwargs) -> dict[str, Any] | None:
    """find_one_and_update that also stages `event` (one or a list); `filter` must name the `_id`."""
    events = _listed(event)
    _stage(coll.database, coll.name, [(filter["_id"], e) for e in events])
    kwargs.setdefault("return_document", ReturnDocument.AFTER)
    try:
        doc = coll.find_one_and_update(filter, _with_mark(update, events), **kwargs)
    except Exception:
        _unstage(coll.database, events)
        raise
    if doc is None:
        _unstage(coll.database, events)
    return doc


def update_one(coll: Collection, filter: dict[str, Any], update: dict[str, Any], event: Events) -> bool:
    """update_one that also stages `event` (one or a list); True if a document matched. `filter` must name the `_id`."""
    events = _listed(event)
    _stage(coll.database, coll.name, [(filter["_id"], e) for e in events])
    try:
        matched = coll.update_one(filter, _with_mark(update, events)).matched_count == 1
    except Exception:
        _unstage(coll.database, events)
        raise
    if not matched:
        _unstage(coll.database, events)
    return matched


def update_many(coll: Collection, items: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]) -> list[int]:
    """Many (filter, update, event) ``update_one``s in one unordered bulk; returns the indexes whose
    filter matched no document (their events are dropped). Each filter must name the ``_id``.

    Which writes landed is read back from the commit marks: a bulk reports only totals."""
    if not items:
        return []
    _stage(coll.database, coll.name, [(f["_id"], event) for f, _u, event in items])
    # On an error part of the bulk may have landed: its entries stay, and the relay publishes those
    # whose mark is there and drops the others after its grace period.
    coll.bulk_write([UpdateOne(f, _with_mark(u, event)) for f, u, event in items], ordered=False)
    marked = {mark for doc in coll.find({"_id": {"$in": [f["_id"] for f, _u, _e in items]}}, {EVENT_IDS: 1})
              for mark in doc.get(EVENT_IDS) or ()}
    failed = [i for i, (_f, _u, event) in enumerate(items) if event["id"] not in marked]
    _unstage(coll.database, [items[i][2] for i in failed])
    return failed


def strip_outbox(document: dict[str, Any] | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return {k: v for k, v in document.items() if k != EVENT_IDS}


def backlog(db: Database) -> int:
    """Staged events not yet relayed (the outbox collection stays small)."""
    return db[OUTBOX].count_documents({})


# --------------------------------------------------------------------------- relay
class OutboxRelay:
    def __init__(self, db: Database, collections: Iterable[str], publisher, *, batch: int = 500,
                 grace_s: float = 300.0, recheck_s: float = 2.0):
        self._db = db
        self._collections = set(collections)
        self._publisher = publisher
        self._batch = batch
        self._grace = timedelta(seconds=grace_s)
        self.published = 0
        self.dropped = 0
        self._recheck_s = recheck_s
        self._waiting: dict[Any, float] = {}  # unmarked entries -> when to look at them again

    def run_once(self) -> int:
        """Publish what is committed; returns how many events went out. Raises on broker failure.

        Walks the whole outbox in staging order (it stays small), so an entry whose state write has
        not shown up yet holds back only the later entries *of the same document* (their order is
        kept), not everybody's; such an entry is looked at again every ``recheck_s`` seconds until it
        is published or dropped after the grace period. The entries are read before any document:
        an entry staged after an unmarked one of the same writer is then not in this pass."""
        sent = 0
        now = datetime.now(timezone.utc)
        clock = time.monotonic()
        entries = list(self._db[OUTBOX].find({}).sort([("seq", 1)]))
        held: set[tuple[str, Any]] = set()  # documents with an earlier entry still waiting
        for entry in entries:
            if sent >= self._batch:
                break
            key = (entry["collection"], entry["doc_id"])
            if entry["collection"] not in self._collections or key in held:
                continue
            if self._waiting.get(entry["_id"], 0.0) > clock:
                held.add(key)
                continue
            doc = self._db[entry["collection"]].find_one({"_id": entry["doc_id"]}, {EVENT_IDS: 1})
            if doc is not None and entry["_id"] in (doc.get(EVENT_IDS) or []):
                self._publisher.publish(entry["event"])
                EVENTS_PUBLISHED.labels(entry["event"].get("source", "unknown")).inc()
                sent += 1
            elif _aware(entry["staged_at"]) + self._grace > now:
                self._waiting[entry["_id"]] = clock + self._recheck_s  # the state write may still be on its way
                held.add(key)
                continue
            else:
                self.dropped += 1
                log.warning("outbox entry dropped: its state change never happened",
                            extra={"fields": {"event_id": entry["_id"], "type": entry["event"].get("type")}})
            self._waiting.pop(entry["_id"], None)
            self._db[OUTBOX].delete_one({"_id": entry["_id"]})
        present = {e["_id"] for e in entries}
        self._waiting = {k: v for k, v in self._waiting.items() if k in present}
        self.published += sent
        return sent

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
            except Exception as exc:  # noqa: BLE001 - keep relaying; events stay staged
                delay = backoff.next()
                log.warning("outbox relay failed; retrying", extra={"fields": {"error": repr(exc), "retry_in_s": delay}})
                time.sleep(delay)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
