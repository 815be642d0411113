#!/usr/bin/env python3
"""Benchmark: how many HONEST check-ins the trust signals flag (target: none); prints the counts.

    .venv/bin/python bench/trust_false_positives.py [--employees 200] [--month 2026-10] [--seed 1]
        [--cheats N] [--inside-min-fraction F] [--keep]

Replays a generated month of honest attendance through presence's own use case
(``Attendance.check_in`` / ``check_out`` with the trust check, the store and the
office directory -- everything but HTTP) against a SCRATCH database
(``bench_trust_<random>``, dropped afterwards unless ``--keep``), with the server's
clock moved along the month. The demo offices (Koba, ``presence.demo``) house the
employees; every working day (Mon-Fri) each employee:

* stands somewhere in the office building (uniformly within 30 m of the office point)
  -- or, on a rostered WFH day (30 % of days), within 15 m of their approved home,
  which is 2-12 km from the office;
* has a phone fix whose reported accuracy is 5-50 m (log-uniform) and whose error is
  Gaussian with that accuracy as its 68 % radius (sigma = accuracy / 1.51);
* clocks in between 07:00 and 07:45 and out between 16:00 and 16:50 (a 15 h commute
  between the day's last fix and the next day's first), pressing the button 1-40 s after
  the fix; the request reaches the server 0.2-3 s later, or -- 3 % of the time, the
  offline queue -- 1-40 minutes later; each phone's clock is off by a few seconds
  (sigma 10 s); one phone (device id) per person;
* tries again with a new fix when the fence refuses it (honest GPS noise), up to 3 times.

Reports the check-ins and check-outs recorded, how many were flagged (per signal),
and the fence's refusals of honest people as context. ``--cheats N`` adds N employees
replaying a mock-location app's fixed point with 1 m accuracy, and shows that they are.
"""
from __future__ import annotations

import argparse
import math
import random
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta, timezone

from scratch import scratch_database  # noqa: E402  (puts the services on sys.path)
from pyproj import Geod  # noqa: E402
from sipk_shared.errors import ApiError  # noqa: E402

from presence.attendance import Attendance  # noqa: E402
from presence.demo import DEMO_OFFICES, load  # noqa: E402
from presence.directory import Directory  # noqa: E402
from presence.domain.clock import local_datetime  # noqa: E402
from presence.domain.trust import TrustRules  # noqa: E402
from presence.store import Store  # noqa: E402
from presence.trust import ClientSignals, TrustCheck  # noqa: E402

GEOD = Geod(ellps="WGS84")
TZ = "Asia/Jakarta"
UNITS = {o["code"]: o["unit_codes"][0] for o in DEMO_OFFICES}


def move(lat: float, lon: float, metres: float, azimuth: float) -> tuple[float, float]:
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, metres)
    return lat2, lon2


def within(rng: random.Random, centre: tuple[float, float], radius: float) -> tuple[float, float]:
    return move(*centre, radius * math.sqrt(rng.random()), rng.uniform(0, 360))


def reported(rng: random.Random, true: tuple[float, float], accuracy: float) -> tuple[float, float]:
    sigma = accuracy / 1.51  # P(error <= accuracy) = 68 % for a 2-D Gaussian with this sigma per axis
    east, north = rng.gauss(0, sigma), rng.gauss(0, sigma)
    return move(*move(*true, north, 0.0), east, 90.0)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def working_days(month: str) -> list[date]:
    first = date.fromisoformat(f"{month}-01")
    days, d = [], first
    while d.month == first.month:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def seed(db, rng: random.Random, n: int, cheats: int, days: list[date]) -> list[dict]:
    store = Store(db)
    store.ensure_indexes()
    offices = {o["code"]: o for o in load(store)}
    people = []
    for i in range(n + cheats):
        code = DEMO_OFFICES[i % len(DEMO_OFFICES)]["code"]
        office = offices[code]
        nip = f"{197001012000011000 + i:018d}"
        home = move(office["latitude"], office["longitude"], rng.uniform(2_000, 12_000), rng.uniform(0, 360))
        person = {"nip": nip, "office": (office["latitude"], office["longitude"]), "home": home,
                  "device": f"web-{uuid.UUID(int=rng.getrandbits(128))}", "skew_s": rng.gauss(0, 10),
                  "cheat": i >= n, "fixed": within(rng, (office["latitude"], office["longitude"]), 10)}
        people.append(person)
        db.employees.insert_one({"_id": nip, "nip": nip, "name": f"Pegawai {i}", "unit_code": UNITS[code],
                                 "supervisor_nip": None, "active": True, "position": "Analis"})
        db.home_locations.insert_one({"_id": nip, "nip": nip, "latitude": home[0], "longitude": home[1],
                                      "status": "approved"})
        for d in days:
            if rng.random() < 0.3 and not person["cheat"]:
                db.rosters.insert_one({"_id": f"{nip}:{d.isoformat()}", "nip": nip, "date": d.isoformat(),
                                       "mode": "WFH", "unit_code": UNITS[code]})
    return people


def one(attendance: Attendance, clock: Clock, rng: random.Random, person: dict, kind: str, mode: str,
        at: datetime, stats: Counter) -> None:
    place = person["home"] if mode == "WFH" else person["office"]
    true = within(rng, place, 15.0 if mode == "WFH" else 30.0)
    for _attempt in range(3):
        if person["cheat"]:  # a mock-location app: the same point, a perfect accuracy
            (lat, lon), accuracy = person["fixed"], 1.0
        else:
            accuracy = math.exp(rng.uniform(math.log(5), math.log(50)))
            lat, lon = reported(rng, true, accuracy)
        fix_at = at + timedelta(seconds=rng.uniform(-40, -1))
        queued = rng.random() < 0.03
        clock.now = at + (timedelta(minutes=rng.uniform(1, 40)) if queued else timedelta(seconds=rng.uniform(0.2, 3)))
        skew = timedelta(seconds=person["skew_s"])  # the phone's clock
        signals = ClientSignals(device_id=person["device"], position_at=fix_at + skew, attempted_at=at + skew,
                                user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile")
        try:
            if kind == "check_in":
                answer = attendance.check_in(person["nip"], lat, lon, round(accuracy, 1), mode, signals)
            else:
                answer = attendance.check_out(person["nip"], lat, lon, round(accuracy, 1), signals)
        except ApiError as exc:
            stats[f"refused {exc.error}"] += 1
            at += timedelta(seconds=rng.uniform(20, 90))  # step closer / wait for a better fix, try again
            continue
        group = "cheat" if person["cheat"] else "honest"
        stats[f"{group} recorded"] += 1
        stats[f"{group} queued"] += queued
        if answer["flags"]:
            stats[f"{group} flagged"] += 1
            for flag in answer["flags"]:
                stats[f"{group} flag {flag}"] += 1
        return
    stats["gave up"] += 1


def run(db, args) -> None:
    rng = random.Random(args.seed)
    days = working_days(args.month)
    started = time.perf_counter()
    people = seed(db, rng, args.employees, args.cheats, days)
    store, clock = Store(db), Clock()
    directory = Directory(lambda: store, ttl_s=3600)
    rules = TrustRules() if args.inside_min_fraction is None else TrustRules(inside_min_fraction=args.inside_min_fraction)
    attendance = Attendance(store, directory, clock, trust=TrustCheck(store, rules, 30))
    stats: Counter = Counter()
    for d in days:
        ds = d.isoformat()
        for person in people:
            mode = "WFH" if store.roster_mode(person["nip"], ds) == "WFH" else "WFO"
            morning = local_datetime(d, datetime.min.time(), TZ) + timedelta(hours=7, minutes=rng.uniform(0, 45))
            evening = local_datetime(d, datetime.min.time(), TZ) + timedelta(hours=16, minutes=rng.uniform(0, 50))
            one(attendance, clock, rng, person, "check_in", mode, morning.astimezone(timezone.utc), stats)
            one(attendance, clock, rng, person, "check_out", mode, evening.astimezone(timezone.utc), stats)
    seconds = time.perf_counter() - started
    honest = stats["honest recorded"]
    print(f"{args.employees} honest employees (+{args.cheats} cheats), {len(days)} working days of {args.month}, "
          f"3 demo offices in Koba, seed {args.seed}, inside_min_fraction {rules.inside_min_fraction}: {seconds:.0f} s")
    print(f"honest check-ins and check-outs recorded: {honest} ({stats['honest queued']} through the offline queue)")
    print(f"honest ones flagged: {stats['honest flagged']} ({100 * stats['honest flagged'] / max(honest, 1):.2f} %)")
    for key in sorted(k for k in stats if k.startswith("honest flag ")):
        print(f"  {key[len('honest flag '):]}: {stats[key]}")
    refusals = {k: v for k, v in stats.items() if k.startswith("refused")}
    print(f"refused by the fence or accuracy limit and tried again (honest GPS noise): {refusals or 0}; "
          f"gave up after 3 tries: {stats['gave up']}")
    if args.cheats:
        print(f"cheats recorded: {stats['cheat recorded']}, flagged: {stats['cheat flagged']} "
              f"({', '.join(f'{k[11:]}: {v}' for k, v in sorted(stats.items()) if k.startswith('cheat flag '))})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=200)
    parser.add_argument("--cheats", type=int, default=0)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inside-min-fraction", type=float, default=None,
                        help="the accuracy_outside_fence threshold (default: the setting's default)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    with scratch_database("bench_trust", keep=args.keep) as db:
        run(db, args)


if __name__ == "__main__":
    main()
