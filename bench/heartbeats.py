#!/usr/bin/env python3
"""Benchmark: POST /api/performance/v1/me/heartbeat through the gateway; throughput and p50/p95/p99.

    .venv/bin/python bench/heartbeats.py [--employees 40] [--processes 2] [--concurrency 16]
                                         [--seconds 20] [--max-requests 200000] [--db-only]

Loopback only, bounded in count and time (--seconds <= 50 of load, --max-requests <= 1,000,000;
setup and clean-up come on top and the whole run stops starting work after 60 s).

1. Creates ``--employees`` employees in identity's database with their creation
   event (as tests/conftest.py make_employee does) and signs each in at
   identity directly (127.0.0.1:8001; the gateway rate-limits logins). Sign-in
   costs an argon2id hash (~0.4 s of CPU each), hence few employees.
2. ``--processes`` client processes (the client is Python too: one process is
   GIL-bound well below what we want to measure), each with ``--concurrency``
   threads holding one keep-alive connection, send heartbeats round-robin over
   the tokens for ``--seconds``. Every answer must be 204; others are counted.
3. With ``--db-only`` it also measures the database side alone: the buffer's
   flush of 2,000 *distinct* employees (one bulk), and single upserts.
4. Cleans up: the bench employees in identity and in performance (copy and
   heartbeats). Presence's copy of them is left (another service's database).
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for sub in ("shared", "services/identity", "services/performance"):
    sys.path.insert(0, str(ROOT / sub))

GATEWAY = os.environ.get("SIPK_GATEWAY", "http://127.0.0.1:8080")
IDENTITY = os.environ.get("SIPK_IDENTITY_URL", "http://127.0.0.1:8001")
MONGO_URI = os.environ.get("SIPK_MONGO_URI", "mongodb://127.0.0.1:27017")
IDENTITY_DB = os.environ.get("SIPK_IDENTITY_DB", "identity")
PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
PASSWORD = "bench-password-123"
PATH = "/api/performance/v1/me/heartbeat"
HARD_LIMIT_S = 60.0


def loopback(url: str) -> tuple[str, int]:
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit(f"refusing to benchmark a non-loopback host: {url}")
    return parsed.hostname, parsed.port or 80


def random_nip(rng: random.Random) -> str:
    birth = date(rng.randint(1970, 1999), rng.randint(1, 12), rng.randint(1, 28))
    return f"{birth:%Y%m%d}{rng.randint(2000, 2020)}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}"


def login(nip: str) -> str:
    import json

    host, port = loopback(IDENTITY)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", "/api/identity/v1/auth/login", body=json.dumps({"nip": nip, "password": PASSWORD}),
                 headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    body = json.loads(resp.read())
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"login {nip}: {resp.status} {body}")
    return body["access_token"]


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def client_process(tokens: list[str], threads: int, seconds: float, max_requests: int, queue) -> None:
    """One client process: `threads` keep-alive connections hammering the heartbeat route."""
    host, port = loopback(GATEWAY)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    failures: dict[str, int] = {}
    sent = [0]

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        i = offset
        local: list[float] = []
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            token = tokens[i % len(tokens)]
            i += threads
            t = time.perf_counter()
            try:
                conn.request("POST", PATH, headers={"Authorization": f"Bearer {token}", "Content-Length": "0"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (http.client.HTTPException, OSError) as exc:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                status = type(exc).__name__
            local.append(time.perf_counter() - t)
            if status != 204:
                with lock:
                    failures[str(status)] = failures.get(str(status), 0) + 1
        conn.close()
        with lock:
            latencies.extend(local)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, failures))


def db_only(mongo) -> None:
    """The database side alone: what the buffer's writes cost on this server."""
    from performance.store import Store

    db = mongo[f"bench_heartbeats_{secrets.token_hex(4)}"]
    store = Store(db)
    try:
        batch = {f"bench{i:06d}": datetime.now(timezone.utc) for i in range(2000)}
        store.record_heartbeats(batch)  # first write inserts
        t = time.perf_counter()
        rounds = 3
        for _ in range(rounds):
            store.record_heartbeats({k: datetime.now(timezone.utc) for k in batch})
        bulk = rounds * len(batch) / (time.perf_counter() - t)
        t = time.perf_counter()
        n = 200
        for i in range(n):
            store.record_heartbeat(f"bench{i:06d}", datetime.now(timezone.utc))
        single = n / (time.perf_counter() - t)
        print(f"db-only: flushes of {len(batch):,} distinct employees (one bulk each): {bulk:,.0f} rows/s; "
              f"single upserts, one client thread: {single:,.0f}/s")
    finally:
        mongo.drop_database(db.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=40, help="bench employees (1-200)")
    parser.add_argument("--processes", type=int, default=2, help="client processes (1-8)")
    parser.add_argument("--concurrency", type=int, default=16, help="connections per client process (1-64)")
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration (1-50)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many (1-1,000,000)")
    parser.add_argument("--db-only", action="store_true", help="also measure the database write alone")
    args = parser.parse_args()
    if not (1 <= args.employees <= 200 and 1 <= args.processes <= 8 and 1 <= args.concurrency <= 64
            and 1 <= args.seconds <= 50 and 1 <= args.max_requests <= 1_000_000):
        parser.error("out of bounds: employees 1-200, processes 1-8, concurrency 1-64, seconds 1-50, "
                     "max-requests 1-1,000,000")
    loopback(GATEWAY), loopback(IDENTITY), loopback(MONGO_URI.replace("mongodb://", "http://"))
    started = time.monotonic()

    from concurrent.futures import ThreadPoolExecutor

    from pymongo import MongoClient

    from identity.events import employee_event
    from identity.hashing import hash_password
    from identity.store import IdentityStore

    mongo = MongoClient(MONGO_URI, tz_aware=True, serverSelectionTimeoutMS=3000)
    identity = IdentityStore(mongo[IDENTITY_DB])
    perf = mongo[PERFORMANCE_DB]
    tag = secrets.token_hex(3).upper()
    rng = random.Random()
    password_hash = hash_password(PASSWORD)
    nips: list[str] = []
    try:
        for i in range(args.employees):
            nip = random_nip(rng)
            employee = {"nip": nip, "name": f"Bench HB {tag} {i:03d}", "unit_code": f"BENCH{tag}",
                        "position": "Bench", "supervisor_nip": None, "email": None, "roles": ["employee"],
                        "active": True, "password_hash": password_hash, "password_change_required": False}
            if identity.insert_employee(employee, employee_event("created", employee)):
                nips.append(nip)
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            tokens = list(pool.map(login, nips))
        print(f"setup: {len(nips)} employees signed in in {time.monotonic() - t0:.1f} s", flush=True)

        seconds = min(args.seconds, max(1.0, HARD_LIMIT_S - (time.monotonic() - started) - 5))
        per_process = max(1, args.max_requests // args.processes)
        queue = multiprocessing.get_context("fork").Queue()
        procs = []
        t_load = time.monotonic()
        for k in range(args.processes):
            share = tokens[k::args.processes] or tokens
            p = multiprocessing.get_context("fork").Process(
                target=client_process, args=(share, args.concurrency, seconds, per_process, queue))
            p.start()
            procs.append(p)
        latencies: list[float] = []
        failures: dict[str, int] = {}
        for _ in procs:
            lat, fail = queue.get(timeout=seconds + 60)
            latencies.extend(lat)
            for key, n in fail.items():
                failures[key] = failures.get(key, 0) + n
        for p in procs:
            p.join(timeout=10)
        elapsed = time.monotonic() - t_load

        latencies.sort()
        ms = [x * 1000 for x in latencies]
        total = len(latencies)
        ok = total - sum(failures.values())
        print(f"heartbeats: {total} requests in {elapsed:.1f} s from {args.processes} processes x "
              f"{args.concurrency} connections, {len(tokens)} employees")
        print(f"throughput: {ok / elapsed:,.0f} heartbeats/s (204), {total / elapsed:,.0f} requests/s")
        if ms:
            print(f"latency ms: p50 {percentile(ms, 50):.1f}  p95 {percentile(ms, 95):.1f}  "
                  f"p99 {percentile(ms, 99):.1f}  max {ms[-1]:.1f}  mean {statistics.fmean(ms):.1f}")
        print(f"failures: {failures or 'none'}")
        if args.db_only and time.monotonic() - started < HARD_LIMIT_S - 10:
            db_only(mongo)
        return 0 if not failures else 1
    finally:
        if nips:
            identity.db.employees.delete_many({"_id": {"$in": nips}})
            perf.employees.delete_many({"_id": {"$in": nips}})
            perf.heartbeats.delete_many({"_id": {"$in": nips}})
        mongo.close()


if __name__ == "__main__":
    sys.exit(main())
