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


@pytest.fixture()
def small_app(scratch_db):
    settings = dataclasses.replace(Settings.from_env(), mongo_db=scratch_db.name, stream_max_per_process=4,
                                   stream_max_per_user=2, stream_max_lifetime_s=60, stream_poll_ms=200,
                                   stream_keepalive_s=1)
    return create_app(settings)


def test_one_user_cannot_take_every_slot_the_newest_stream_replaces_the_oldest(small_app, make_employee):
    """Before: 20 streams of one supervisor took 13 of 16 slots and another supervisor got 503."""
    hog = login_direct(ADMIN_NIP, ADMIN_PASSWORD)["access_token"]
    other = make_employee()
    other_token = login_direct(other["nip"], other["password"])["access_token"]
    client = small_app.test_client()
    slots = small_app.extensions["performance"].stream_slots
    streams = []
    for _ in range(20):
        resp = client.get(STREAM, headers={"Authorization": f"Bearer {hog}"}, buffered=False)
        assert resp.status_code == 200
        streams.append(resp)
        assert slots.streams_of(ADMIN_NIP) <= 2 and slots.active <= 2
    # the replaced ones say why and end; the two newest live on
    first = b"".join(iter(streams[0].response))
    assert b"event: bye" in first and b"replaced" in first
    chunks = iter(streams[-1].response)
    assert next(chunks).startswith(b"retry:") and b"event: status" in next(chunks)
    # another supervisor still gets a stream
    theirs = client.get(STREAM, headers={"Authorization": f"Bearer {other_token}"}, buffered=False)
    assert theirs.status_code == 200
    assert slots.active == 3
    for resp in (*streams, theirs):
        resp.close()
    assert slots.active == 0
