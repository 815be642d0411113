"""Inbox: remember processed event ids so a redelivered event has no second effect.

Handlers are idempotent by construction too (upserts keyed by natural ids);
the inbox makes that explicit and cheap: seen ids are skipped before the
handler runs, and an id is recorded only after its handler succeeded, so a
crash mid-handler leads to a redelivery that runs the handler again.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

INBOX = "inbox"


class Inbox:
    def __init__(self, db: Database, collection: str = INBOX):
        self._coll = db[collection]

    def seen(self, event_id: str) -> bool:
        return self._coll.find_one({"_id": event_id}, {"_id": 1}) is not None

    def record(self, envelope: dict) -> None:
        try:
            self._coll.insert_one({"_id": envelope["id"], "type": envelope["type"],
                                   "processed_at": datetime.now(timezone.utc)})
        except DuplicateKeyError:
            pass

    def wrap(self, handler: Callable[[dict], None]) -> Callable[[dict], None]:
        def handle_once(envelope: dict) -> None:
            if self.seen(envelope["id"]):
                return
            handler(envelope)
            self.record(envelope)

        return handle_once
