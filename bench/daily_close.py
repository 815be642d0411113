#!/usr/bin/env python3
"""Benchmark: the daily close of one day for N employees (the use case, not HTTP); prints seconds.

    .venv/bin/python bench/daily_close.py [--employees 100000] [--keep]

Seeds a SCRATCH database (``bench_close_<random>``, never the live ``presence``
database): 20 offices (WIB/WITA/WIT) housing 200 units, N active employees,
check-ins for 80 % of them on the closed day (a tenth of those without
check-out), approved leave days for 5 %, all with chunked ``insert_many``.
Then builds the read models the worker keeps (employee roll, packed, and day
sheets; ``ReadModels.rebuild_if_needed`` + ``pack_roll``, the worker-start path, timed apart: in
production the relay hook keeps them current event by event, with the same
content), times ``DailyClose.close(day)`` from them, checks the counts, times a
second close (must add 0), optionally (``--compare-scan``) times the close
from full scans of the collections, and drops the scratch database unless
``--keep``.
"""
from __future__ import annotations

import argparse
import time
from datetime import date, datetime, timedelta, timezone

from scratch import insert_chunks, scratch_database  # noqa: E402  (puts the services on sys.path)
from presence.closing import DailyClose  # noqa: E402
from presence.directory import Directory  # noqa: E402
from presence.readmodels import ReadModels  # noqa: E402
from presence.store import Store  # noqa: E402

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--compare-scan", action="store_true", help="also time the close from full scans")
    args = parser.parse_args()

    with scratch_database("bench_close", keep=args.keep) as db:
        run(db, args)


def run(db, args) -> None:
    name = db.name
    store = Store(db)
    store.ensure_indexes()
    # a Monday three weeks back (a working day in the default week), never a holiday here
    day = date.today() - timedelta(days=21)
    day -= timedelta(days=day.weekday())
    day_s = day.isoformat()
    t0 = time.perf_counter()
    units = [f"U{i:03d}" for i in range(200)]
    db.offices.insert_many([{"_id": f"O{i:02d}", "name": f"Kantor {i}", "latitude": -2.48, "longitude": 106.4,
                             "radius_m": 50.0, "timezone": ZONES[i % 3], "max_accuracy_m": 100.0,
                             "unit_codes": units[i * 10:(i + 1) * 10]} for i in range(20)])
    n = args.employees
    nips = [f"{199000000000000000 + i:018d}" for i in range(n)]
    insert_chunks(db.employees, [{"_id": nip, "nip": nip, "name": f"Pegawai {i}", "unit_code": units[i % 200],
                                  "supervisor_nip": None, "active": True, "position": "Analis"}
                                 for i, nip in enumerate(nips)])
    at = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)
    check_ins, leaves, requests = [], [], []
    for i, nip in enumerate(nips):
        r = i % 20
        if r == 0:
            leaves.append({"_id": f"{nip}:{day_s}", "nip": nip, "date": day_s, "type": "cuti",
                           "leave_request_id": f"bench{i}"})
            requests.append({"_id": f"bench{i}", "id": f"bench{i}", "nip": nip, "type": "cuti",
                             "start_date": day_s, "end_date": day_s, "days": 1, "state": "approved",
                             "unit_code": units[i % 200]})
        elif r < 17:
            out = None if r == 1 or r == 2 else {"checked_out_at": at, "early_leave_minutes": 0}
            check_ins.append({"_id": f"{nip}:{day_s}", "id": nip, "nip": nip, "date": day_s, "mode": "WFO",
                              "unit_code": units[i % 200],
                              "checked_in_at": at, "late_minutes": 0, "check_out": out,
                              "non_working_day": False})
    insert_chunks(db.check_ins, check_ins)
    insert_chunks(db.leave_days, leaves)
    insert_chunks(db.leave_requests, requests)
    print(f"seeded {n} employees, {len(check_ins)} check-ins, {len(leaves)} leave days into {name} "
          f"in {time.perf_counter() - t0:.1f} s")
    
    models = ReadModels(lambda: store)
    t_rm = time.perf_counter()
    assert models.rebuild_if_needed(day + timedelta(days=1))
    models.pack_roll()  # the worker packs right after the rebuild, then every 5 minutes
    print(f"read models rebuilt from full scans and the roll packed (worker start, once) in "
          f"{time.perf_counter() - t_rm:.1f} s")
    
    close = DailyClose(store, Directory(lambda: Store(db)), lambda: datetime.now(timezone.utc), models)
    t1 = time.perf_counter()
    result = close.close(day)
    first = time.perf_counter() - t1
    print(f"close({day_s}): {result.to_dict()}")
    print(f"daily close of {n} employees: {first:.2f} s")
    t2 = time.perf_counter()
    again = close.close(day)
    print(f"second close (idempotent): closed={again.closed} in {time.perf_counter() - t2:.2f} s")
    assert again.closed == 0, again
    if args.compare_scan:
        scan = DailyClose(store, Directory(lambda: Store(db)), lambda: datetime.now(timezone.utc))
        t3 = time.perf_counter()
        again = scan.close(day)
        print(f"close from full scans (no read models): closed={again.closed} in {time.perf_counter() - t3:.2f} s")
    assert db.day_records.count_documents({}) == result.closed
    assert (result.absent, result.no_checkout) == (sum(1 for i in range(n) if i % 20 >= 17),
                                                   sum(1 for i in range(n) if i % 20 in (1, 2)))


if __name__ == "__main__":
    main()
