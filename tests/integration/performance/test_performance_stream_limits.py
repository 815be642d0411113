"""The SSE stream's caps, on an app built with small limits (real database, real identity JWKS)."""
from __future__ import annotations

import dataclasses
import time

import pytest
from conftest import ADMIN_NIP, ADMIN_PASSWORD, login_direct

from performance.app import create_app
from performance.config import Settings

pytestmark = pytest.mark.integration

STREAM = "/api/performance/v1/team/status/stream"


@pytest.fixture()
def app(scratch_db):
    settings = dataclasses.replace(Settings.from_env(), mongo_db=scratch_db.name, stream_max_per_process=1,
                                   stream_max_lifetime_s=2, stream_poll_ms=200, stream_keepalive_s=1)
    return create_app(settings)


def test_concurrent_streams_are_capped_and_streams_end_after_their_lifetime(app):
    token = login_direct(ADMIN_NIP, ADMIN_PASSWORD)["access_token"]
    client = app.test_client()
    first = client.get(STREAM, headers={"Authorization": f"Bearer {token}"}, buffered=False)
    assert first.status_code == 200 and first.headers["X-Accel-Buffering"] == "no"
    chunks = iter(first.response)
    assert next(chunks).startswith(b"retry:")
    assert b"event: status" in next(chunks)  # the initial snapshot (an admin has no subordinates: empty)

    second = client.get(STREAM, query_string={"access_token": token})
    assert second.status_code == 503
    assert second.get_json()["error"] == "too_many_streams"

    started = time.monotonic()
    rest = b"".join(chunks)  # runs until the lifetime cap closes the stream
    assert time.monotonic() - started < 5
    assert b": keep-alive" in rest and rest.rstrip().endswith(b"}") and b"event: bye" in rest
    first.close()
    third = client.get(STREAM, query_string={"access_token": token}, buffered=False)
    assert third.status_code == 200  # the slot was given back
    third.close()
