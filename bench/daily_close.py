#!/usr/bin/env python3
"""Benchmark: the daily close of one day for N employees (the use case, not HTTP); prints seconds.

    .venv/bin/python bench/daily_close.py [--employees 100000] [--history-days 30] [--runs 3] [--keep | --reuse DB]

Seeds a SCRATCH database (``bench_close_<random>``, never the live ``presence``
database): 20 offices (WIB/WITA/WIT) housing 200 units, N active employees and,
for every Mon-Fri of the ``--history-days`` before the closed day and the
closed day itself, check-ins for 80 % of them (a tenth of those without
check-out), approved leave days for 5 % and, for the earlier days, the close's
records of the rest, all with chunked ``insert_many`` -- so the collections
hold a month of history, as they do in production. Then times
``DailyClose.close(day)`` ``--runs`` times (removing the day's records between
runs, untimed), checks the counts, times a second close (must add 0), and
prints what each of the close's three queries returns against the size of the
collection it reads: on MongoDB 7 the index (``by_date``, ``leave_by_date``)
touches only the returned documents, while the dev server scans them all.
``--keep`` keeps the scratch database (its name is printed), ``--reuse DB``
times the close on a kept one without seeding again.
"""
from __future__ import annotations

import argparse
import os
import time
from datetime import date, datetime, timedelta, timezone

from scratch import insert_chunks, scratch_database  # noqa: E402  (puts the services on sys.path)
from presence.closing import DailyClose  # noqa: E402
from presence.directory import Directory  # noqa: E402
from presence.store import CHECK_INS, DAY_CLOSES, DAY_RECORDS, EMPLOYEES, LEAVE_DAYS, Store  # noqa: E402

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--history-days", type=int, default=30, help="calendar days of history before the day")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", help="a kept scratch database (bench_close_...): do not seed")
    args = parser.parse_args()
    if args.reuse:
        assert args.reuse.startswith("bench_close_"), "only a bench scratch database"
        from pymongo import MongoClient
        from scratch import MONGO_URI
        client = MongoClient(MONGO_URI, tz_aware=True)
        run(client[args.reuse], args, seeded=True)
        return
    with scratch_database("bench_close", keep=args.keep) as db:
        run(db, args, seeded=False)


def closed_day() -> date:
    day = date.today() - timedelta(days=7)  # a Monday a week or two back (a working day in the default week)
    return day - timedelta(days=day.weekday())


def seed(db, n: int, history_days: int) -> None:
    day = closed_day()
    units = [f"U{i:03d}" for i in range(200)]
    db.offices.insert_many([{"_id": f"O{i:02d}", "name": f"Kantor {i}", "latitude": -2.48, "longitude": 106.4,
                             "radius_m": 50.0, "timezone": ZONES[i % 3], "max_accuracy_m": 100.0,
                             "unit_codes": units[i * 10:(i + 1) * 10]} for i in range(20)])
    nips = [f"{199000000000000000 + i:018d}" for i in range(n)]
    insert_chunks(db.employees, [{"_id": nip, "nip": nip, "name": f"Pegawai {i}", "unit_code": units[i % 200],
                                  "supervisor_nip": None, "active": True, "position": "Analis"}
                                 for i, nip in enumerate(nips)])
    days = [day - timedelta(days=back) for back in range(history_days, -1, -1)]
    for d in (d for d in days if d.weekday() < 5):
        ds = d.isoformat()
        at = datetime.combine(d, datetime.min.time(), tzinfo=timezone.utc)
        check_ins, leaves, records = [], [], []
        for i, nip in enumerate(nips):
            r = (i + d.toordinal()) % 20 if d != day else i % 20  # the closed day: the counts checked below
            key = f"{nip}:{ds}"
            if r == 0:
                leaves.append({"_id": key, "nip": nip, "date": ds, "type": "cuti", "leave_request_id": f"bench{i}"})
            elif r < 17:
                out = None if r in (1, 2) else {"checked_out_at": at, "early_leave_minutes": 0}
                check_ins.append({"_id": key, "id": key, "nip": nip, "date": ds, "mode": "WFO",
                                  "unit_code": units[i % 200], "checked_in_at": at, "late_minutes": 0,
                                  "check_out": out, "non_working_day": False})
            if d != day and (r >= 17 or r in (1, 2)):
                records.append({"_id": key, "nip": nip, "date": ds, "unit_code": units[i % 200],
                                "status": "tanpa_keterangan" if r >= 17 else "no_checkout", "office_code": "O00"})
        insert_chunks(db.check_ins, check_ins)
        insert_chunks(db.leave_days, leaves)
        insert_chunks(db.day_records, records)


def run(db, args, *, seeded: bool) -> None:
    store = Store(db)
    day = closed_day()
    day_s = day.isoformat()
    if not seeded:
        t0 = time.perf_counter()
        seed(db, args.employees, args.history_days)  # before the indexes: the dev server inserts faster
        t1 = time.perf_counter()
        store.ensure_indexes()
        print(f"seeded {db.name} in {t1 - t0:.0f} s, indexes built in {time.perf_counter() - t1:.0f} s", flush=True)
    store.ensure_indexes()
    sizes = {c: db[c].estimated_document_count() for c in (EMPLOYEES, CHECK_INS, LEAVE_DAYS, DAY_RECORDS)}
    n = db.employees.count_documents({})
    print(f"collections: {sizes}; load average {os.getloadavg()[0]:.1f}", flush=True)

    close = DailyClose(store, Directory(lambda: Store(db)), lambda: datetime.now(timezone.utc))
    took = []
    for _ in range(args.runs):
        db[DAY_RECORDS].delete_many({"date": day_s})  # untimed: every run closes the day afresh
        db[DAY_CLOSES].delete_many({})
        load = os.getloadavg()[0]
        t1 = time.perf_counter()
        result = close.close(day)
        took.append(time.perf_counter() - t1)
        print(f"close({day_s}) of {n} employees: {took[-1]:.2f} s (load average {load:.1f}) {result.to_dict()}",
              flush=True)
        assert (result.absent, result.no_checkout) == (sum(1 for i in range(n) if i % 20 >= 17),
                                                       sum(1 for i in range(n) if i % 20 in (1, 2))), result
    t2 = time.perf_counter()
    again = close.close(day)
    print(f"second close (idempotent): closed={again.closed} in {time.perf_counter() - t2:.2f} s")
    assert again.closed == 0, again
    print(f"daily close of {n} employees: {min(took):.2f}-{max(took):.2f} s over {len(took)} runs")

    # What the close's queries touch: the documents they return (what an index reads on MongoDB 7)
    # against the collection each reads (what a scan reads, as the dev server does).
    for label, coll, query in (("employees {active}", EMPLOYEES, {"active": True}),
                               ("check_ins {date} (by_date)", CHECK_INS, {"date": day_s}),
                               ("leave_days {date} (leave_by_date)", LEAVE_DAYS, {"date": day_s})):
        t3 = time.perf_counter()
        returned = sum(1 for _ in db[coll].find(query, {"_id": 1}))
        print(f"  {label}: returns {returned:,} of {sizes[coll]:,} documents in {time.perf_counter() - t3:.2f} s")


if __name__ == "__main__":
    main()
