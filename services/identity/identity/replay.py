"""`python -m identity.replay`: announce the current state of every unit and employee again.

For a consumer that started late or lost its copy: every unit gets an
``identity.unit.updated`` and every employee an ``identity.employee.updated``
event carrying its current snapshot, staged through the outbox like any
other event; the worker relays them. Consumers apply snapshots idempotently
(newest ``occurred_at`` wins), so replaying is always safe. An admin can also
page through ``GET /employees?updated_since=`` over HTTP.
"""
from __future__ import annotations

from sipk_shared.mongo import MongoProvider

from .config import Settings
from .events import employee_event, unit_event
from .store import EMPLOYEES, UNITS, IdentityStore, revision

BATCH = 500


def replay(store: IdentityStore) -> dict[str, int]:
    """Stage one ``*.updated`` event per unit and employee; answers how many, per collection (a document
    changed while the replay ran is left out: its own change announced the newer state)."""
    counts: dict[str, int] = {}
    for collection, make in ((UNITS, lambda d: unit_event("updated", d)),
                             (EMPLOYEES, lambda d: employee_event("updated", d))):
        counts[collection] = 0
        batch: list = []
        for doc in store.snapshots(collection):
            batch.append((doc["_id"], revision(doc), make(doc)))
            if len(batch) >= BATCH:
                counts[collection] += len(batch) - store.append_events(collection, batch)
                batch = []
        counts[collection] += len(batch) - store.append_events(collection, batch)
    return counts


def main() -> None:
    settings = Settings.from_env()
    counts = replay(IdentityStore(MongoProvider(settings.mongo_uri, settings.mongo_db).db))
    print(f"staged identity.unit.updated x{counts[UNITS]}, identity.employee.updated x{counts[EMPLOYEES]}; "
          "the worker relays them")


if __name__ == "__main__":
    main()
