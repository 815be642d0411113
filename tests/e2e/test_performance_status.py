"""Online status through the gateway: heartbeats, presence events, team view, SSE stream, 403s."""
from __future__ import annotations

import json
import socket
import os
import threading
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests
from conftest import bearer, login_direct, wait_until

from sipk_shared.bus import Publisher
from sipk_shared.events import make_event

pytestmark = pytest.mark.e2e

PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")


@pytest.fixture(scope="module")
def perf_db(mongo_client):
    return mongo_client[PERFORMANCE_DB]


@pytest.fixture(scope="module")
def team(make_employee, perf_db):
    """A supervisor with two direct subordinates, a grand-subordinate, and an unrelated supervisor + staff."""
    boss = make_employee(roles=("employee",), name="Atasan Satu")
    a = make_employee(supervisor_nip=boss["nip"], name="Bawahan A")
    b = make_employee(supervisor_nip=boss["nip"], name="Bawahan B")
    grand = make_employee(supervisor_nip=a["nip"], name="Cucu")
    other_boss = make_employee(name="Atasan Lain")
    other = make_employee(supervisor_nip=other_boss["nip"], name="Staf Lain")
    people = [boss, a, b, grand, other_boss, other]
    wait_until(lambda: perf_db.employees.count_documents({"_id": {"$in": [p["nip"] for p in people]}}) == 6,
               timeout=20, message="performance's copy of the new employees")
    tokens = {k: login_direct(p["nip"], p["password"])["access_token"]
              for k, p in zip(("boss", "a", "b", "grand", "other_boss", "other"), people)}
    return {"boss": boss, "a": a, "b": b, "grand": grand, "other_boss": other_boss, "other": other,
            "tokens": tokens}


def api(gateway):
    return f"{gateway}/api/performance/v1"


def team_status(gateway, token):
    resp = requests.get(f"{api(gateway)}/team/status", headers=bearer(token), timeout=10)
    assert resp.status_code == 200, resp.text
    return {item["nip"]: item for item in resp.json()["items"]}


def test_team_status_lists_direct_subordinates_only(gateway, team):
    status = team_status(gateway, team["tokens"]["boss"])
    assert set(status) == {team["a"]["nip"], team["b"]["nip"]}  # not the grand-subordinate, not others
    item = status[team["b"]["nip"]]
    assert set(item) == {"nip", "name", "state", "last_seen_at", "presence", "open_tasks"}
    assert item["name"] == "Bawahan B" and item["state"] == "offline" and item["last_seen_at"] is None
    assert item["presence"] is None and item["open_tasks"] == 0
    # A peer / subordinate / other unit's supervisor sees only their own direct subordinates.
    assert team_status(gateway, team["tokens"]["b"]) == {}
    assert set(team_status(gateway, team["tokens"]["a"])) == {team["grand"]["nip"]}
    assert set(team_status(gateway, team["tokens"]["other_boss"])) == {team["other"]["nip"]}


def test_heartbeat_shows_online_within_two_seconds(gateway, team, perf_db):
    nip = team["a"]["nip"]
    started = time.monotonic()
    resp = requests.post(f"{api(gateway)}/me/heartbeat", headers=bearer(team["tokens"]["a"]), timeout=10)
    assert resp.status_code == 204 and resp.content == b""
    item = wait_until(lambda: (s := team_status(gateway, team["tokens"]["boss"])[nip])["state"] == "online" and s,
                      timeout=2.0, interval=0.05, message="online within 2 s")
    assert time.monotonic() - started <= 2.0
    seen = datetime.fromisoformat(item["last_seen_at"])
    assert abs((datetime.now(timezone.utc) - seen).total_seconds()) < 10
    # Only the last-seen time is stored (no trail, no location).
    doc = perf_db.heartbeats.find_one({"_id": nip})
    assert set(doc) == {"_id", "last_seen_at"}


def test_state_follows_thresholds(gateway, team, perf_db):
    nip = team["b"]["nip"]
    now = datetime.now(timezone.utc)
    for age, expected in ((timedelta(minutes=1, seconds=50), "online"), (timedelta(minutes=5), "away"),
                          (timedelta(minutes=14, seconds=50), "away"), (timedelta(minutes=16), "offline")):
        perf_db.heartbeats.update_one({"_id": nip}, {"$set": {"last_seen_at": now - age}}, upsert=True)
        assert team_status(gateway, team["tokens"]["boss"])[nip]["state"] == expected, age
    perf_db.heartbeats.delete_one({"_id": nip})


def publish(envelope, amqp_url):
    publisher = Publisher(amqp_url, "sipk.events")
    try:
        publisher.publish(envelope)
    finally:
        publisher.close()


def today_jakarta() -> str:
    return datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Jakarta")).date().isoformat()


def test_presence_check_in_and_out_events_show_within_two_seconds(gateway, team, amqp_url):
    nip = team["b"]["nip"]
    checked_in_at = datetime.now(timezone.utc).replace(microsecond=0)
    publish(make_event("presence.checked_in", {
        "nip": nip, "date": today_jakarta(), "mode": "WFH", "checked_in_at": checked_in_at.isoformat(),
        "office_code": "KANTOR-1", "late_minutes": 7}, source="presence"), amqp_url)
    started = time.monotonic()
    item = wait_until(lambda: (s := team_status(gateway, team["tokens"]["boss"])[nip])["presence"] and s,
                      timeout=2.0, interval=0.05, message="check-in visible within 2 s")
    assert time.monotonic() - started <= 2.0
    p = item["presence"]
    assert p["mode"] == "WFH" and p["late_minutes"] == 7 and p["office_code"] == "KANTOR-1"
    assert datetime.fromisoformat(p["checked_in_at"]) == checked_in_at and p["checked_out_at"] is None

    checked_out_at = checked_in_at + timedelta(hours=8)
    publish(make_event("presence.checked_out", {
        "nip": nip, "date": today_jakarta(), "checked_out_at": checked_out_at.isoformat(),
        "early_leave_minutes": 0}, source="presence"), amqp_url)
    p = wait_until(lambda: (s := team_status(gateway, team["tokens"]["boss"])[nip]["presence"])["checked_out_at"]
                   and s, timeout=2.0, interval=0.05, message="check-out visible within 2 s")
    assert datetime.fromisoformat(p["checked_out_at"]) == checked_out_at
    assert p["mode"] == "WFH" and p["late_minutes"] == 7  # check-out merged into the same day


def test_yesterdays_presence_is_not_today(gateway, team, amqp_url, perf_db):
    nip = team["other"]["nip"]
    yesterday = (datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Jakarta")) - timedelta(days=2)).date()
    envelope = make_event("presence.checked_in", {
        "nip": nip, "date": yesterday.isoformat(), "mode": "WFO", "checked_in_at": "2020-01-01T00:30:00+00:00",
        "office_code": "K", "late_minutes": 0}, source="presence")
    publish(envelope, amqp_url)
    wait_until(lambda: perf_db.presence_today.find_one({"_id": nip}), timeout=5, message="stored")
    assert team_status(gateway, team["tokens"]["other_boss"])[nip]["presence"] is None


def test_employee_status_is_for_the_direct_supervisor_or_admin(gateway, team, admin_token):
    url = f"{api(gateway)}/employees/{team['a']['nip']}/status"
    ok = requests.get(url, headers=bearer(team["tokens"]["boss"]), timeout=10)
    assert ok.status_code == 200 and ok.json()["nip"] == team["a"]["nip"]
    assert requests.get(url, headers=bearer(admin_token), timeout=10).status_code == 200
    for who in ("b", "grand", "other_boss", "other"):  # peer, subordinate looking up, other unit
        resp = requests.get(url, headers=bearer(team["tokens"][who]), timeout=10)
        assert resp.status_code == 403, who
        assert resp.json()["error"] == "not_direct_supervisor"
    # The grand-supervisor is not the direct supervisor either.
    grand_url = f"{api(gateway)}/employees/{team['grand']['nip']}/status"
    assert requests.get(grand_url, headers=bearer(team["tokens"]["boss"]), timeout=10).status_code == 403
    # Unknown NIPs do not reveal themselves to non-admins; admins get 404.
    unknown = f"{api(gateway)}/employees/199901012020011999/status"
    assert requests.get(unknown, headers=bearer(team["tokens"]["boss"]), timeout=10).status_code == 403
    assert requests.get(unknown, headers=bearer(admin_token), timeout=10).status_code == 404


def test_status_routes_need_a_token(gateway):
    for method, path in (("post", "/me/heartbeat"), ("get", "/team/status"), ("get", "/team/status/stream"),
                         ("get", "/employees/199001012020011001/status")):
        resp = getattr(requests, method)(f"{api(gateway)}{path}", timeout=10)
        assert resp.status_code == 401, path
        assert resp.json()["error"] == "missing_token"
    resp = requests.get(f"{api(gateway)}/team/status/stream?access_token=not-a-real-token-at-all", timeout=10)
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_token"


class SseReader:
    """Reads `event:`/`data:` blocks from a streaming response in a thread, timestamped."""

    def __init__(self, response):
        self.response = response
        self.events: list[tuple[float, str, dict]] = []
        self.comments = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        event, data = None, []
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line is None:
                    continue
                if line == "":
                    if event and data:
                        self.events.append((time.monotonic(), event, json.loads("\n".join(data))))
                    event, data = None, []
                elif line.startswith(":"):
                    self.comments += 1
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except Exception:  # noqa: BLE001 - the test closes the stream
            pass

    @staticmethod
    def close_response(response):
        """Close a stream that a reader thread may be blocked on. Shut the socket down first: closing the
        response would wait for that thread's read, which keep-alive comments never let time out."""
        try:
            response.raw._fp.fp.raw._sock.shutdown(socket.SHUT_RDWR)
        except (AttributeError, OSError):
            pass
        response.close()

    def latest(self, nip):
        for _, event, body in reversed(self.events):
            if event == "status":
                return next((i for i in body["items"] if i["nip"] == nip), None)
        return None


def test_sse_stream_pushes_heartbeat_and_check_in_within_two_seconds(gateway, team, amqp_url, perf_db):
    nip = team["b"]["nip"]
    perf_db.heartbeats.delete_one({"_id": nip})
    token = team["tokens"]["boss"]
    # Query-parameter token, as a browser EventSource would send it.
    resp = requests.get(f"{api(gateway)}/team/status/stream", params={"access_token": token},
                        stream=True, timeout=(5, 30))
    try:
        assert resp.status_code == 200
        assert resp.headers["Content-Type"].startswith("text/event-stream")
        reader = SseReader(resp)
        wait_until(lambda: reader.latest(nip), timeout=5, message="initial snapshot")
        assert reader.latest(nip)["state"] == "offline"

        sent = time.monotonic()
        assert requests.post(f"{api(gateway)}/me/heartbeat", headers=bearer(team["tokens"]["b"]),
                             timeout=10).status_code == 204
        wait_until(lambda: (reader.latest(nip) or {}).get("state") == "online", timeout=2.0, interval=0.02,
                   message="heartbeat delivered on the stream within 2 s")
        arrived = next(t for t, e, body in reader.events if e == "status"
                       and any(i["nip"] == nip and i["state"] == "online" for i in body["items"]))
        heartbeat_latency = arrived - sent
        assert heartbeat_latency <= 2.0

        next_day_checkin = datetime.now(timezone.utc).replace(microsecond=0)
        sent = time.monotonic()
        publish(make_event("presence.checked_in", {
            "nip": nip, "date": today_jakarta(), "mode": "DL", "checked_in_at": next_day_checkin.isoformat(),
            "office_code": "KANTOR-2", "late_minutes": 0}, source="presence"), amqp_url)
        wait_until(lambda: ((reader.latest(nip) or {}).get("presence") or {}).get("mode") == "DL", timeout=2.0,
                   interval=0.02, message="check-in delivered on the stream within 2 s")
        assert time.monotonic() - sent <= 2.0
        print(f"SSE delivery latency: heartbeat {heartbeat_latency * 1000:.0f} ms, "
              f"check-in {(time.monotonic() - sent) * 1000:.0f} ms")
    finally:
        SseReader.close_response(resp)


def test_sse_stream_with_header_token_and_only_own_team(gateway, team):
    resp = requests.get(f"{api(gateway)}/team/status/stream", headers=bearer(team["tokens"]["other_boss"]),
                        stream=True, timeout=(5, 30))
    try:
        assert resp.status_code == 200
        reader = SseReader(resp)
        wait_until(lambda: any(e == "status" for _, e, _ in reader.events), timeout=5, message="snapshot")
        body = next(b for _, e, b in reader.events if e == "status")
        assert [i["nip"] for i in body["items"]] == [team["other"]["nip"]]
    finally:
        SseReader.close_response(resp)


def test_sse_rejects_unknown_query_parameters(gateway, team):
    resp = requests.get(f"{api(gateway)}/team/status/stream", params={"token": "x"},
                        headers=bearer(team["tokens"]["boss"]), timeout=10)
    assert resp.status_code == 422
