#!/usr/bin/env python3
"""Employee CSV import speed: 10,000 rows, then the same file again, then a file with some changes.

    .venv/bin/python bench/identity_import.py [--rows 10000] [--changed 200]
    MONGO_URI=mongodb://127.0.0.1:27017 (default) selects the database server.

Runs identity's import use case (identity.importer.import_employees: parse,
plan against the database, batched writes with outbox events and audit
entries) against a scratch database that is dropped afterwards, so the
shared stack's identity data and the other services' queues are untouched.
HTTP adds one multipart upload on top (the gateway allows 10 MB / 120 s on
this route). The file has supervisors *after* their staff, so the
"supervisor later in the file" ordering is exercised on every row.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "shared"), str(ROOT / "services" / "identity")]

from pymongo import MongoClient  # noqa: E402

from identity.domain.csv_import import parse_employee_csv  # noqa: E402
from identity.domain.nip import is_valid_nip  # noqa: E402
from identity.importer import import_employees  # noqa: E402
from identity.store import IdentityStore  # noqa: E402

HEADER = "nip,name,unit_code,position,supervisor_nip,email"
UNIT = "BENCH"
TEAM = 50  # staff per head


def unique_nips(count: int, rng: random.Random) -> list[str]:
    nips: set[str] = set()
    while len(nips) < count:
        year = rng.randint(1965, 1998)
        nip = (f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{year + rng.randint(19, 26)}"
               f"{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}")
        if is_valid_nip(nip):
            nips.add(nip)
    return sorted(nips)


def build_csv(rows: int, rng: random.Random, *, changed: int = 0) -> bytes:
    nips = unique_nips(rows, random.Random(42))
    heads = nips[: max(1, rows // (TEAM + 1))]
    staff = nips[len(heads):]
    lines = [HEADER]
    for i, nip in enumerate(staff):  # staff first: their supervisors come later in the file
        position = "Analis Utama" if i < changed else "Analis"
        lines.append(f"{nip},Pegawai {i:05d},{UNIT},{position},{heads[i % len(heads)]},pegawai{i}@example.go.id")
    for i, nip in enumerate(heads):
        lines.append(f"{nip},Kepala {i:04d},{UNIT},Kepala Seksi,,")
    return ("\n".join(lines) + "\n").encode()


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    print(f"{label:42} {elapsed:7.2f} s   {summary(result)}")
    return result, elapsed


def summary(result) -> str:
    if isinstance(result, dict):
        return f"created={result['created']} updated={result['updated']} errors={len(result['errors'])}"
    return f"rows={len(result.rows)} errors={len(result.errors)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=200, help="rows changed in the third import")
    args = parser.parse_args()

    uri = os.environ.get("MONGO_URI", "mongodb://127.0.0.1:27017")
    client = MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000)
    db_name = f"bench_identity_{uuid.uuid4().hex[:8]}"
    store = IdentityStore(client[db_name])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"database {uri} ({db_name}, dropped afterwards)")
    try:
        store.ensure_indexes()
        store.upsert_unit_if_missing({"code": UNIT, "name": "Bench unit", "parent_code": None},
                                     {"id": "bench", "type": "identity.unit.created", "version": 1,
                                      "occurred_at": "2020-01-01T00:00:00+00:00", "source": "bench", "data": {}})
        rng = random.Random(7)
        data = build_csv(args.rows, rng)
        changed = build_csv(args.rows, rng, changed=args.changed)
        print(f"file: {args.rows} rows, {len(data) / 1e6:.2f} MB")
        timed("parse + validate only", lambda: parse_employee_csv(data))
        first, t1 = timed(f"import #1 (creates {args.rows})",
                          lambda: import_employees(store, data, actor="bench", request_id=None))
        assert first["created"] == args.rows and not first["errors"], first["errors"][:3]
        second, t2 = timed("import #2 (same file)", lambda: import_employees(store, data, actor="bench",
                                                                           request_id=None))
        assert second["created"] == 0 and second["updated"] == 0
        third, t3 = timed(f"import #3 ({args.changed} rows changed)",
                          lambda: import_employees(store, changed, actor="bench", request_id=None))
        assert third["updated"] == args.changed
        print(f"throughput of import #1: {args.rows / t1:,.0f} rows/s")
    finally:
        client.drop_database(db_name)
        client.close()


if __name__ == "__main__":
    main()
