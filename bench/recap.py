#!/usr/bin/env python3
"""Benchmark: the monthly recap of one unit (the use case, not HTTP); prints seconds.

    .venv/bin/python bench/recap.py [--employees 4000] [--keep]

Seeds a SCRATCH database (``bench_recap_<random>``, never the live
``presence`` database) with one office housing one unit of N active
employees and, for every Mon-Fri of the month before last, check-ins for 90 %
of them (a tenth of those late, a twentieth without check-out), approved leave
days for 5 % and the daily close's records for the rest, all by chunked
``insert_many``. Builds the worker's read models once (the day sheets; timed
apart, as in bench/daily_close.py) and packs each day's sheets as the worker
does once a day has ended. Then times what ``GET /recap?unit_code=``
does: the unit's employees and ``MonthlyRecap.recap`` from the day sheets, and
(``--compare-scan``) from bulk reads of check_ins, leave_days and day_records;
both must give the same rows.
"""
from __future__ import annotations

import argparse
import calendar
import time
from datetime import date, datetime, timedelta, timezone

from scratch import insert_chunks, scratch_database  # noqa: E402  (puts the services on sys.path)
from presence.directory import Directory  # noqa: E402
from presence.readmodels import ReadModels  # noqa: E402
from presence.recaps import MonthlyRecap  # noqa: E402
from presence.store import Store  # noqa: E402



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=4000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--compare-scan", action="store_true", help="also time the recap from full scans")
    parser.add_argument("--directory", type=int, default=0,
                        help="also seed this many employees of other units (a regency-sized employee copy)")
    args = parser.parse_args()

    with scratch_database("bench_recap", keep=args.keep) as db:
        run(db, args)


def run(db, args) -> None:
    name = db.name
    store = Store(db)
    store.ensure_indexes()
    first = (date.today().replace(day=1) - timedelta(days=32)).replace(day=1)
    month = first.strftime("%Y-%m")
    days = [first + timedelta(days=i) for i in range(calendar.monthrange(first.year, first.month)[1])]
    working = [d.isoformat() for d in days if d.weekday() < 5]
    unit = "U-BENCH"
    t0 = time.perf_counter()
    db.offices.insert_one({"_id": "O-BENCH", "name": "Kantor", "latitude": -2.48, "longitude": 106.4,
                           "radius_m": 50.0, "timezone": "Asia/Jakarta", "max_accuracy_m": 100.0,
                           "unit_codes": [unit]})
    nips = [f"{198000000000000000 + i:018d}" for i in range(args.employees)]
    insert_chunks(db.employees, [{"_id": nip, "nip": nip, "name": f"Pegawai {i}", "unit_code": unit,
                                  "supervisor_nip": None, "active": True} for i, nip in enumerate(nips)])
    insert_chunks(db.employees, [{"_id": f"{197000000000000000 + i:018d}", "nip": f"{197000000000000000 + i:018d}",
                                  "name": f"Lain {i}", "unit_code": f"U{i % 200:03d}", "supervisor_nip": None,
                                  "active": True} for i in range(args.directory)])
    check_ins, leaves, records, requests = [], [], [], []
    for day in working:
        at = datetime.fromisoformat(f"{day}T00:35:00+00:00")
        for i, nip in enumerate(nips):
            r = (i + int(day[-2:])) % 20
            key = f"{nip}:{day}"
            if r == 0:
                leaves.append({"_id": key, "nip": nip, "date": day, "type": "cuti", "leave_request_id": key})
                requests.append({"_id": key, "id": key, "nip": nip, "type": "cuti", "start_date": day,
                                 "end_date": day, "days": 1, "state": "approved", "unit_code": unit})
            elif r == 1:
                records.append({"_id": key, "nip": nip, "date": day, "unit_code": unit,
                                "status": "tanpa_keterangan"})
            else:
                out = None if r == 2 else {"checked_out_at": at + timedelta(hours=9), "early_leave_minutes": 0}
                check_ins.append({"_id": key, "id": key, "nip": nip, "date": day, "mode": "WFO",
                                  "unit_code": unit, "checked_in_at": at, "late_minutes": 12 if r < 4 else 0,
                                  "check_out": out, "non_working_day": False})
    insert_chunks(db.check_ins, check_ins)
    insert_chunks(db.leave_days, leaves)
    insert_chunks(db.day_records, records)
    insert_chunks(db.leave_requests, requests)
    print(f"seeded {args.employees} employees (+{args.directory} elsewhere) x {len(working)} working days: {len(check_ins)} check-ins, "
          f"{len(leaves)} leave days, {len(records)} day records into {name} in {time.perf_counter() - t0:.1f} s")
    
    models = ReadModels(lambda: store)
    t_rm = time.perf_counter()
    assert models.rebuild_if_needed(first)
    models.pack_roll()  # the worker packs right after the rebuild, then every 5 minutes
    print(f"read models rebuilt from full scans (worker start, once) in {time.perf_counter() - t_rm:.1f} s")
    t_pack = time.perf_counter()
    packed = sum(models.pack_day(d.isoformat()) for d in days)  # the worker's job, day by day
    print(f"{packed} sheets packed (worker, each day after it ended) in {time.perf_counter() - t_pack:.1f} s")
    
    def timed(label: str, read_models: ReadModels | None, runs: int) -> list:
        recap = MonthlyRecap(store, Directory(lambda: store), lambda: datetime.now(timezone.utc), read_models)
        took = []
        for _ in range(runs):
            t1 = time.perf_counter()
            # as GET /recap?unit_code= does: the members from the roll when it is built
            members = read_models.unit_members(unit) if read_models else None
            employees = members if members is not None else store.employees_in_unit(unit)
            rows = recap.recap(employees, month)
            took.append(time.perf_counter() - t1)
            assert len(rows) == args.employees
        print(f"recap of {month} for {len(rows)} employees {label}: "
              + ", ".join(f"{t:.2f}" for t in took) + f" s (best {min(took):.2f} s)")
        return [r.to_row() for r in sorted(rows, key=lambda r: r.nip)]
    
    fast = timed("from the day sheets", models, 5)
    if args.compare_scan:
        assert timed("from full scans", None, 1) == fast


if __name__ == "__main__":
    main()
