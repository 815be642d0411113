"""Prometheus metrics at /api/<service>/metrics.

gunicorn runs several worker processes and each service has a worker
process beside its API, so per-process counters alone would answer
differently on every scrape. With PROMETHEUS_MULTIPROC_DIR set (the local
stack and the images set it), prometheus_client writes each process's values
to files there and /metrics sums them, the worker's included when it shares
the directory. Only counters and histograms are used, so a dead worker's
values stay in the sums (as they should) and no child_exit hook is needed.
"""
from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

HTTP_REQUESTS = Counter("sipk_http_requests_total", "HTTP requests answered",
                        ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram("sipk_http_request_duration_seconds", "HTTP request latency",
                         ["service", "route"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
EVENTS_PUBLISHED = Counter("sipk_events_published_total", "Events published by the outbox relay", ["source"])
EVENTS_CONSUMED = Counter("sipk_events_consumed_total", "Events handled by a consumer", ["queue"])
EVENTS_DEAD_LETTERED = Counter("sipk_events_dead_lettered_total", "Events dead-lettered by a consumer", ["queue"])


def _registry() -> CollectorRegistry | None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return None  # the default registry: this process only


def instrument(app: Flask, service: str) -> None:
    @app.before_request
    def _start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        # The route pattern, not the URL: NIPs and ids must not explode label cardinality.
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        HTTP_REQUESTS.labels(service, request.method, route, str(response.status_code)).inc()
        started = getattr(g, "metrics_started", None)
        if started is not None:
            HTTP_LATENCY.labels(service, route).observe(time.perf_counter() - started)
        return response

    @app.get(f"/api/{service}/metrics")
    def metrics():
        registry = _registry()
        body = generate_latest(registry) if registry is not None else generate_latest()
        return Response(body, mimetype=CONTENT_TYPE_LATEST)
