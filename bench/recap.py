#!/usr/bin/env python3
"""Benchmark: the monthly recap of one unit (the use case, not HTTP); prints seconds.

    .venv/bin/python bench/recap.py [--employees 4000] [--months 2] [--others 0] [--runs 3] [--keep | --reuse DB]

Seeds a SCRATCH database (``bench_recap_<random>``, never the live
``presence`` database) with one office housing one unit of N active employees
and, for every Mon-Fri of the ``--months`` months before this one, check-ins
for 90 % of them (a tenth of those late, a twentieth without check-out),
approved leave days for 5 % and the daily close's records for the rest, all by
chunked ``insert_many``; ``--others`` adds employees of other units with the
same history (a regency-sized check_ins collection). Then times what
``GET /recap?unit_code=`` does -- the unit's employees (``by_unit``) and
``MonthlyRecap.recap`` of the month before last: three ``{nip: {$in}, date:
range}`` queries (``one_check_in_per_day``, ``leave_by_day``,
``day_records_by_nip``) -- ``--runs`` times, and prints what those queries
return against the size of the collections they read (on MongoDB 7 the index
reads the returned entries; the dev server scans each collection and checks
every document against each of the N NIPs).
"""
from __future__ import annotations

import argparse
import calendar
import os
import time
from datetime import date, datetime, timedelta, timezone

from scratch import insert_chunks, scratch_database  # noqa: E402  (puts the services on sys.path)
from presence.directory import Directory  # noqa: E402
from presence.recaps import MonthlyRecap, month_bounds  # noqa: E402
from presence.store import CHECK_INS, DAY_RECORDS, LEAVE_DAYS, Store  # noqa: E402

UNIT = "U-BENCH"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=4000)
    parser.add_argument("--months", type=int, default=2, help="months of history (the recap's is the first)")
    parser.add_argument("--others", type=int, default=0, help="employees of other units, with the same history")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", help="a kept scratch database (bench_recap_...): do not seed")
    args = parser.parse_args()
    if args.reuse:
        assert args.reuse.startswith("bench_recap_"), "only a bench scratch database"
        from pymongo import MongoClient
        from scratch import MONGO_URI
        run(MongoClient(MONGO_URI, tz_aware=True)[args.reuse], args, seeded=True)
        return
    with scratch_database("bench_recap", keep=args.keep) as db:
        run(db, args, seeded=False)


def months_back(n: int) -> list[date]:
    """The first days of the n months before this one, oldest first."""
    first, out = date.today().replace(day=1), []
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
        out.insert(0, first)
    return out


def seed(db, args) -> None:
    db.offices.insert_one({"_id": "O-BENCH", "name": "Kantor", "latitude": -2.48, "longitude": 106.4,
                           "radius_m": 50.0, "timezone": "Asia/Jakarta", "max_accuracy_m": 100.0,
                           "unit_codes": [UNIT]})
    people = [(f"{198000000000000000 + i:018d}", UNIT) for i in range(args.employees)]
    people += [(f"{197000000000000000 + i:018d}", f"U{i % 200:03d}") for i in range(args.others)]
    insert_chunks(db.employees, [{"_id": nip, "nip": nip, "name": f"Pegawai {i}", "unit_code": unit,
                                  "supervisor_nip": None, "active": True} for i, (nip, unit) in enumerate(people)])
    for first in months_back(args.months):
        for d in range(calendar.monthrange(first.year, first.month)[1]):
            day = first + timedelta(days=d)
            if day.weekday() >= 5:
                continue
            ds = day.isoformat()
            at = datetime.fromisoformat(f"{ds}T00:35:00+00:00")
            check_ins, leaves, records = [], [], []
            for i, (nip, unit) in enumerate(people):
                r = (i + day.day) % 20
                key = f"{nip}:{ds}"
                if r == 0:
                    leaves.append({"_id": key, "nip": nip, "date": ds, "type": "cuti", "leave_request_id": key})
                elif r == 1:
                    records.append({"_id": key, "nip": nip, "date": ds, "unit_code": unit,
                                    "status": "tanpa_keterangan"})
                else:
                    out = None if r == 2 else {"checked_out_at": at + timedelta(hours=9), "early_leave_minutes": 0}
                    check_ins.append({"_id": key, "id": key, "nip": nip, "date": ds, "mode": "WFO",
                                      "unit_code": unit, "checked_in_at": at, "late_minutes": 12 if r < 4 else 0,
                                      "check_out": out, "non_working_day": False})
            insert_chunks(db.check_ins, check_ins)
            insert_chunks(db.leave_days, leaves)
            insert_chunks(db.day_records, records)


def run(db, args, *, seeded: bool) -> None:
    store = Store(db)
    if not seeded:
        t0 = time.perf_counter()
        seed(db, args)  # before the indexes: the dev server inserts faster
        t1 = time.perf_counter()
        store.ensure_indexes()
        print(f"seeded {db.name} in {t1 - t0:.0f} s, indexes built in {time.perf_counter() - t1:.0f} s", flush=True)
    store.ensure_indexes()
    month = months_back(args.months)[0].strftime("%Y-%m")
    sizes = {c: db[c].estimated_document_count() for c in (CHECK_INS, LEAVE_DAYS, DAY_RECORDS)}
    print(f"collections: {sizes}", flush=True)
    recap = MonthlyRecap(store, Directory(lambda: store), lambda: datetime.now(timezone.utc))
    took = []
    for _ in range(args.runs):
        load = os.getloadavg()[0]
        t1 = time.perf_counter()
        employees = store.employees_in_unit(UNIT)  # as GET /recap?unit_code= does
        rows = recap.recap(employees, month)
        took.append(time.perf_counter() - t1)
        print(f"recap of {month} for {len(rows)} employees: {took[-1]:.2f} s (load average {load:.1f})", flush=True)
        assert len(rows) == sum(1 for _ in db.employees.find({"unit_code": UNIT}, {"_id": 1}))
        assert all(r.working_days >= 20 and r.present + r.absent + sum(r.leave_days.values()) == r.working_days
                   for r in rows)
    print(f"monthly recap of a {len(rows)}-employee unit: {min(took):.2f}-{max(took):.2f} s over {len(took)} runs")

    first, last = month_bounds(month)
    query = {"nip": {"$in": [e["_id"] for e in employees]}, "date": {"$gte": first.isoformat(),
                                                                      "$lte": last.isoformat()}}
    for coll, index in ((CHECK_INS, "one_check_in_per_day"), (LEAVE_DAYS, "leave_by_day"),
                        (DAY_RECORDS, "day_records_by_nip")):
        t2 = time.perf_counter()
        returned = sum(1 for _ in db[coll].find(query, {"_id": 1}))
        print(f"  {coll} {{nip $in {len(employees)}, date range}} ({index}): returns {returned:,} of "
              f"{sizes[coll]:,} documents in {time.perf_counter() - t2:.2f} s")


if __name__ == "__main__":
    main()
