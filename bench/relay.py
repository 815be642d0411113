#!/usr/bin/env python3
"""Benchmark: the presence outbox relay draining check-in events; prints events/s.

    .venv/bin/python bench/relay.py [--check-ins 1000]

Seeds a SCRATCH database (``bench_relay_<random>``) with one office and unit
and N employees, checks each in through the real use case (``Attendance``,
which stages the event in the outbox), then times the relay (real RabbitMQ,
exchange ``sipk.bench``, nothing bound) draining the outbox: per event a point
read of its document and a publish with confirms, then the entry's delete.
"""
from __future__ import annotations

import argparse
import os
import time
from datetime import date, datetime, timedelta, timezone

from scratch import scratch_database  # noqa: E402  (puts the services on sys.path)
from sipk_shared.bus import Publisher  # noqa: E402
from sipk_shared.outbox import OUTBOX, OutboxRelay, backlog  # noqa: E402

from presence.attendance import Attendance  # noqa: E402
from presence.directory import Directory  # noqa: E402
from presence.store import OUTBOX_COLLECTIONS, Store  # noqa: E402

AMQP_URL = os.environ.get("SIPK_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
WIB = timezone(timedelta(hours=7))
KOBA = (-2.4846, 106.4021)


def drain(relay: OutboxRelay, db) -> float:
    t0 = time.perf_counter()
    while backlog(db):
        relay.run_once()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-ins", type=int, default=1000)
    args = parser.parse_args()
    with scratch_database("bench_relay", keep=False) as db:
        run(db, args)


def run(db, args) -> None:
    store = Store(db)
    store.ensure_indexes()
    day = date.today() - timedelta(days=date.today().weekday() + 7)  # a Monday a week or two back
    store.insert_office({"code": "O-RELAY", "name": "Kantor", "latitude": KOBA[0], "longitude": KOBA[1],
                         "radius_m": 50.0, "timezone": "Asia/Jakarta", "unit_codes": ["U-RELAY"],
                         "max_accuracy_m": 100.0})
    nips = [f"{196000000000000000 + i:018d}" for i in range(args.check_ins)]
    db.employees.insert_many([{"_id": n, "nip": n, "name": f"P {i}", "unit_code": "U-RELAY", "active": True}
                              for i, n in enumerate(nips)])
    at = datetime.combine(day, datetime.min.time(), tzinfo=WIB).replace(hour=7, minute=20)
    attendance = Attendance(store, Directory(lambda: store), lambda: at, request_id="bench")
    for nip in nips:
        attendance.check_in(nip, *KOBA, 10.0, "WFO")
    n = db[OUTBOX].count_documents({})
    assert n == len(nips), "one staged event per check-in"
    took = drain(OutboxRelay(db, OUTBOX_COLLECTIONS, Publisher(AMQP_URL, "sipk.bench")), db)
    print(f"relay of {n} check-in events: {n / took:.0f}/s ({took:.2f} s)")


if __name__ == "__main__":
    main()
