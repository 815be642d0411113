"""Prometheus metrics: summed over API workers and the worker process, hidden from the gateway."""
from __future__ import annotations

import re

import pytest
import requests

from support import GATEWAY, IDENTITY_DIRECT, wait_until

pytestmark = pytest.mark.e2e


def metric(text: str, name: str, **labels) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def scrape() -> str:
    resp = requests.get(f"{IDENTITY_DIRECT}/api/identity/metrics", timeout=5)
    assert resp.status_code == 200
    return resp.text


def test_request_counter_counts_by_route_pattern():
    route = "/api/identity/readyz"
    before = metric(scrape(), "sipk_http_requests_total", route=route, status="200")
    for _ in range(6):  # several requests, likely spread over both gunicorn workers
        assert requests.get(f"{GATEWAY}{route}", timeout=5).status_code == 200
    after = metric(scrape(), "sipk_http_requests_total", route=route, status="200")
    assert after - before == 6


def test_outbox_relay_counts_published_events_from_the_worker_process(make_employee):
    before = metric(scrape(), "sipk_events_published_total", source="identity")
    make_employee()
    wait_until(lambda: metric(scrape(), "sipk_events_published_total", source="identity") >= before + 1, 10,
               message="published counter from identity-worker")


def test_metrics_are_not_reachable_through_the_gateway():
    for svc in ("identity", "presence", "performance"):
        resp = requests.get(f"{GATEWAY}/api/{svc}/metrics", timeout=5)
        assert resp.status_code == 404 and resp.json()["error"] == "not_found"
