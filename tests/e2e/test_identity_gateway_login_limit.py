"""The gateway's per-IP brake on sign-ins (nginx limit_req on /auth/login).

Identity locks one NIP after 5 failures; the gateway adds a per-address limit
so one client cannot walk through many NIPs. This test signs in from its own
loopback address (127.0.0.2), so its bucket is not the one other tests use.
"""
from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest

from support import GATEWAY, random_nip

pytestmark = pytest.mark.e2e

SOURCE = "127.0.0.2"
ATTEMPTS = 20  # rate 10/min with a burst of 5: well past the limit


def login_from(source: str, nip: str) -> tuple[int, dict]:
    url = urllib.parse.urlsplit(GATEWAY)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10, source_address=(source, 0))
    try:
        conn.request("POST", "/api/identity/v1/auth/login",
                     body=json.dumps({"nip": nip, "password": "not-the-password"}),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"{}")
    finally:
        conn.close()


def test_many_sign_ins_from_one_address_are_throttled_at_the_gateway():
    answers = [login_from(SOURCE, random_nip()) for _ in range(ATTEMPTS)]
    statuses = [status for status, _ in answers]
    # Every NIP is new, so identity's own per-NIP lockout never triggers:
    # the 429s come from the gateway, with its JSON error body.
    assert set(statuses) <= {401, 429}, statuses
    throttled = [body for status, body in answers if status == 429]
    assert len(throttled) >= ATTEMPTS - 6, statuses
    assert all(body["error"] == "too_many_requests" and body["code"] == 429 for body in throttled)
    # Another address is not affected by this one's bucket.
    status, body = login_from("127.0.0.3", random_nip())
    assert (status, body.get("error")) == (401, "invalid_credentials")
