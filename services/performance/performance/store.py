"""The only module of performance that talks to MongoDB."""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from sipk_shared.mongo import IndexSpec, asc, ensure_indexes, upsert_if_newer
from sipk_shared.outbox import outbox_indexes

EMPLOYEES = "employees"  # our own copy, fed by identity events
OUTBOX_COLLECTIONS: list[str] = []

INDEXES = [
    IndexSpec(EMPLOYEES, asc("supervisor_nip"), name="by_supervisor"),
    IndexSpec(EMPLOYEES, asc("unit_code"), name="by_unit"),
    *outbox_indexes(OUTBOX_COLLECTIONS),
]


class Store:
    def __init__(self, db: Database):
        self.db = db

    def ensure_indexes(self) -> None:
        ensure_indexes(self.db, INDEXES)

    def apply_employee_snapshot(self, snapshot: dict[str, Any], occurred_at: str) -> bool:
        return upsert_if_newer(self.db[EMPLOYEES], snapshot["nip"], dict(snapshot), occurred_at)

    def get_employee(self, nip: str) -> dict[str, Any] | None:
        return self.db[EMPLOYEES].find_one({"_id": nip})
