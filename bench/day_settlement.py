#!/usr/bin/env python3
"""Benchmark: what settling the closed day (presence.day.settled) adds to the daily close; prints seconds.

    SIPK_MONGO_URI=... .venv/bin/python bench/day_settlement.py [--employees 20000]

Seeds a SCRATCH database (``bench_settle_<random>``, dropped afterwards) like
bench/daily_close.py: 20 offices housing 200 units, N employees, check-ins for
80 % on the day (a tenth of those without check-out), approved leave for 5 %.
Times the close from full scans without the settlement, then the settlement of
the same day alone (N settlement documents + N outbox entries, bulk-inserted),
then a second settlement (nothing changed: reads only, no writes), and reports
them as ratios to the close, so the numbers travel between machines.
"""
from __future__ import annotations

import argparse
import time
from datetime import date, datetime, timedelta, timezone

from scratch import insert_chunks, scratch_database  # noqa: E402  (puts the services on sys.path)
from presence.closing import DailyClose  # noqa: E402
from presence.directory import Directory  # noqa: E402
from presence.settlement import DaySettlement  # noqa: E402
from presence.store import DAY_SETTLEMENTS, Store  # noqa: E402
from sipk_shared.outbox import OUTBOX  # noqa: E402

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=20_000)
    args = parser.parse_args()
    with scratch_database("bench_settle") as db:
        run(db, args.employees)


def run(db, n: int) -> None:
    store = Store(db)
    store.ensure_indexes()
    day = date.today() - timedelta(days=21)
    day -= timedelta(days=day.weekday())  # a Monday three weeks back
    day_s = day.isoformat()
    units = [f"U{i:03d}" for i in range(200)]
    db.offices.insert_many([{"_id": f"O{i:02d}", "name": f"Kantor {i}", "latitude": -2.48, "longitude": 106.4,
                             "radius_m": 50.0, "timezone": ZONES[i % 3], "max_accuracy_m": 100.0,
                             "unit_codes": units[i * 10:(i + 1) * 10]} for i in range(20)])
    nips = [f"{199000000000000000 + i:018d}" for i in range(n)]
    insert_chunks(db.employees, [{"_id": nip, "nip": nip, "unit_code": units[i % 200], "active": True}
                                 for i, nip in enumerate(nips)])
    at = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)
    check_ins, leaves = [], []
    for i, nip in enumerate(nips):
        r = i % 20
        if r == 0:
            leaves.append({"_id": f"{nip}:{day_s}", "nip": nip, "date": day_s, "type": "cuti"})
        elif r < 17:
            out = None if r in (1, 2) else {"checked_out_at": at, "early_leave_minutes": 0}
            check_ins.append({"_id": f"{nip}:{day_s}", "id": nip, "nip": nip, "date": day_s, "mode": "WFO",
                              "checked_in_at": at, "late_minutes": (i % 7) * 20, "check_out": out})
    insert_chunks(db.check_ins, check_ins)
    insert_chunks(db.leave_days, leaves)
    directory = Directory(lambda: Store(db))
    clock = lambda: datetime.now(timezone.utc)  # noqa: E731

    t0 = time.perf_counter()
    DailyClose(store, directory, clock).close(day)
    close_s = time.perf_counter() - t0
    snap = directory.fresh()
    pairs = [(e, Directory.office_in(snap, e)) for e in db.employees.find({}, {"unit_code": 1})]
    settlement = DaySettlement(store, directory)
    t1 = time.perf_counter()
    changed = settlement.settle(day, pairs, snap.holidays)
    settle_s = time.perf_counter() - t1
    assert changed == n == db[DAY_SETTLEMENTS].count_documents({}) == db[OUTBOX].count_documents({})
    t2 = time.perf_counter()
    again = settlement.settle(day, pairs, snap.holidays)
    again_s = time.perf_counter() - t2
    assert again == 0 and db[OUTBOX].count_documents({}) == n
    print(f"{n} employees: close (scans, no settlement) {close_s:.2f} s; settlement {settle_s:.2f} s "
          f"({settle_s / close_s:.1f}x the close); second settlement, nothing changed {again_s:.2f} s "
          f"({again_s / close_s:.1f}x)")


if __name__ == "__main__":
    main()
