#!/usr/bin/env python3
"""Benchmark: concurrent check-ins (or me/today reads) through the gateway; prints throughput and p50/p95/p99.

    .venv/bin/python bench/checkins.py [--employees 32] [--concurrency 16] [--rounds 20] [--max-seconds 55]
    .venv/bin/python bench/checkins.py --mode today     # GET /me/today instead, after one check-in each

What it does (loopback only, bounded in count and time):

1. Signs in the admin at identity directly (127.0.0.1:8001; the gateway
   rate-limits logins) and creates a bench office through the gateway.
2. Creates ``--employees`` employees in identity's database with their
   creation event (as tests/conftest.py make_employee does) and, so that the
   bench need not wait for the event to travel, also writes them straight
   into presence's employee copy (``presence.employees``; the event that
   arrives later is a no-op by version).
3. Signs each of them in at identity directly. Sign-in costs an argon2id hash
   (~0.4 s of CPU each), which is why the bench has few employees and many
   rounds.
4. Per round, every employee checks in once through the gateway
   (``POST /api/presence/v1/check-ins``, inside the fence), ``--concurrency``
   requests in flight. Only the rounds are timed. Between rounds the bench
   deletes its employees' check-ins directly in presence's database (untimed)
   so they can check in again "today".
5. Cleans up: the bench's check-ins, employees (identity and presence copies,
   after presence consumed their events) and office. Performance's own copy
   of the bench employees is left (another service's database).

Every check-in of a round must answer 201; anything else is counted and shown.

``--mode today`` times ``GET /api/presence/v1/me/today`` instead (the phone's
"have I clocked in?" screen): every employee checks in once (untimed), then
each round reads every employee's day once; every answer must be 200 and show
the check-in.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for sub in ("shared", "services/identity", "services/presence"):
    sys.path.insert(0, str(ROOT / sub))

GATEWAY = os.environ.get("SIPK_GATEWAY", "http://127.0.0.1:8080")
IDENTITY = os.environ.get("SIPK_IDENTITY_URL", "http://127.0.0.1:8001")
MONGO_URI = os.environ.get("SIPK_MONGO_URI", "mongodb://127.0.0.1:27017")
IDENTITY_DB = os.environ.get("SIPK_IDENTITY_DB", "identity")
PRESENCE_DB = os.environ.get("SIPK_PRESENCE_DB", "presence")
ADMIN_NIP = os.environ.get("SIPK_ADMIN_NIP", "198001012005011001")
ADMIN_PASSWORD = os.environ.get("SIPK_ADMIN_PASSWORD", "admin-dev-password")
KOBA = (-2.4816, 106.3998)
PASSWORD = "bench-password-123"


def loopback(url: str) -> tuple[str, int]:
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit(f"refusing to benchmark a non-loopback host: {url}")
    return parsed.hostname, parsed.port or 80


class Client:
    """One keep-alive HTTP connection (one per thread)."""

    def __init__(self, base: str):
        self.host, self.port = loopback(base)
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def call(self, method: str, path: str, body=None, token: str | None = None) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = json.dumps(body) if body is not None else None
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=payload, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else {})
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


_local = threading.local()


def client(base: str) -> Client:
    key = f"c_{base}"
    if not hasattr(_local, key):
        setattr(_local, key, Client(base))
    return getattr(_local, key)


def random_nip(rng: random.Random) -> str:
    birth = date(rng.randint(1970, 1999), rng.randint(1, 12), rng.randint(1, 28))
    return f"{birth:%Y%m%d}{rng.randint(2000, 2020)}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}"


def login(nip: str, password: str) -> str:
    status, body = client(IDENTITY).call("POST", "/api/identity/v1/auth/login", {"nip": nip, "password": password})
    if status != 200:
        raise RuntimeError(f"login {nip}: {status} {body}")
    return body["access_token"]


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values)) + 0.5) - 1))
    return sorted_values[k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=32, help="bench employees (1-500)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight (1-128)")
    parser.add_argument("--rounds", type=int, default=20, help="check-ins per employee (1-100)")
    parser.add_argument("--max-seconds", type=float, default=55.0, help="stop starting rounds after this")
    parser.add_argument("--mode", choices=("checkin", "today"), default="checkin",
                        help="time POST /check-ins (default) or GET /me/today")
    args = parser.parse_args()
    if not (1 <= args.employees <= 500 and 1 <= args.concurrency <= 128 and 1 <= args.rounds <= 100
            and 1 <= args.max_seconds <= 60):
        parser.error("out of bounds: employees 1-500, concurrency 1-128, rounds 1-100, max-seconds 1-60")
    loopback(GATEWAY), loopback(IDENTITY), loopback(MONGO_URI.replace("mongodb://", "http://"))
    started = time.monotonic()

    from pymongo import MongoClient

    from identity.events import employee_event
    from identity.hashing import hash_password
    from identity.store import IdentityStore
    from presence.store import Store

    mongo = MongoClient(MONGO_URI, tz_aware=True, serverSelectionTimeoutMS=3000)
    identity, presence = IdentityStore(mongo[IDENTITY_DB]), Store(mongo[PRESENCE_DB])
    api = "/api/presence/v1"
    admin = login(ADMIN_NIP, ADMIN_PASSWORD)
    tag = secrets.token_hex(3).upper()
    code, unit = f"BENCH-{tag}", f"BENCH{tag}"
    days = {d: {"start": "00:00", "end": "23:59"} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    status, body = client(GATEWAY).call("POST", f"{api}/offices", {
        "code": code, "name": f"Bench office {tag}", "latitude": KOBA[0], "longitude": KOBA[1],
        "timezone": "Asia/Jakarta", "unit_codes": [unit], "schedule": {"days": days}}, admin)
    if status != 201:
        sys.exit(f"could not create the bench office: {status} {body}")

    rng = random.Random()
    password_hash = hash_password(PASSWORD)
    nips: list[str] = []
    event_ids: list[str] = []
    try:
        for i in range(args.employees):
            nip = random_nip(rng)
            employee = {"nip": nip, "name": f"Bench {tag} {i:03d}", "unit_code": unit, "position": "Bench",
                        "supervisor_nip": None, "email": None, "roles": ["employee"], "active": True,
                        "password_hash": password_hash, "password_change_required": False}
            event = employee_event("created", employee)
            if not identity.insert_employee(employee, event):
                continue
            presence.apply_employee_snapshot(event["data"], event["occurred_at"])
            nips.append(nip)
            event_ids.append(event["id"])
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            tokens = list(pool.map(lambda n: login(n, PASSWORD), nips))
        print(f"setup: {len(nips)} employees signed in in {time.monotonic() - t0:.1f} s "
              f"(argon2id sign-ins at identity)", flush=True)

        latencies: list[float] = []
        failures: dict[str, int] = {}
        timed = 0.0
        rounds_done = 0
        lock = threading.Lock()

        def check_in(token: str) -> tuple[int, dict]:
            point = {"latitude": KOBA[0] + rng.uniform(-0.0001, 0.0001),
                     "longitude": KOBA[1] + rng.uniform(-0.0001, 0.0001), "accuracy_m": 10.0}
            return client(GATEWAY).call("POST", f"{api}/check-ins", point, token)

        def today(token: str) -> tuple[int, dict]:
            status, body = client(GATEWAY).call("GET", f"{api}/me/today", None, token)
            return (status if body.get("check_in") else -status), body  # a day without its check-in fails

        request, expected = (check_in, 201) if args.mode == "checkin" else (today, 200)

        def one(token: str) -> None:
            t = time.perf_counter()
            status, body = request(token)
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                if status != expected:
                    key = f"{status} {body.get('error')}"
                    failures[key] = failures.get(key, 0) + 1

        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            if args.mode == "today":
                presence.db.check_ins.delete_many({"nip": {"$in": nips}})
                assert all(check_in(token)[0] == 201 for token in tokens), "the untimed check-ins"
            for _ in range(args.rounds):
                if time.monotonic() - started > args.max_seconds:
                    break
                if args.mode == "checkin":
                    presence.db.check_ins.delete_many({"nip": {"$in": nips}})
                t = time.perf_counter()
                list(pool.map(one, tokens))
                timed += time.perf_counter() - t
                rounds_done += 1
        lat = sorted(latencies)
        total = len(lat)
        what = "check-ins" if args.mode == "checkin" else "me/today reads"
        print(f"{what}: {total} in {rounds_done} rounds, concurrency {args.concurrency}, timed {timed:.2f} s")
        print(f"throughput: {total / timed:.0f} {what}/s" if timed else "throughput: n/a")
        print(f"latency ms: p50 {percentile(lat, 50) * 1000:.1f}  p95 {percentile(lat, 95) * 1000:.1f}  "
              f"p99 {percentile(lat, 99) * 1000:.1f}  max {lat[-1] * 1000:.1f}  "
              f"mean {statistics.fmean(lat) * 1000:.1f}" if lat else "latency: n/a")
        print(f"non-{expected} answers: {failures or 'none'}")
        print(f"wall time: {time.monotonic() - started:.1f} s")
        return 1 if failures else 0
    finally:
        # Let presence's worker consume the employees' creation events first, or it would
        # re-create the copies deleted below.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and \
                presence.db.inbox.count_documents({"_id": {"$in": event_ids}}) < len(event_ids):
            time.sleep(0.2)
        presence.db.check_ins.delete_many({"nip": {"$in": nips}})
        presence.db.employees.delete_many({"_id": {"$in": nips}})
        mongo[IDENTITY_DB].employees.delete_many({"_id": {"$in": nips}})
        mongo[IDENTITY_DB].refresh_tokens.delete_many({"nip": {"$in": nips}})
        client(GATEWAY).call("DELETE", f"{api}/offices/{code}", None, admin)
        mongo.close()


if __name__ == "__main__":
    sys.exit(main())
