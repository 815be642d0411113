"""WFH home locations through the gateway: register, decide, and the WFH check-in fence around the home."""
from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import requests
from pyproj import Geod

from support import bearer, login_direct, wait_until, bound_queue

from e2e.presence_common import api, DAYS, db, KOBA, TZ  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e

HOME = (-2.4500, 106.4300)  # ~5 km from the office
_GEOD = Geod(ellps="WGS84")


def today() -> str:
    return datetime.now(timezone.utc).astimezone(ZoneInfo(TZ)).date().isoformat()


def away(point: tuple[float, float], metres: float) -> tuple[float, float]:
    lon, lat, _ = _GEOD.fwd(point[1], point[0], 45.0, metres)
    return lat, lon


@pytest.fixture(scope="module")
def adm(admin_token) -> dict:
    return bearer(admin_token)


@pytest.fixture(scope="module")
def unit(api, adm):
    code, unit_code = f"HM-{secrets.token_hex(4).upper()}", f"UHM{secrets.token_hex(4).upper()}"
    days = {d: {"start": "00:00", "end": "23:59"} for d in DAYS}  # today is a working day
    resp = requests.post(f"{api}/offices", headers=adm, timeout=10, json={
        "code": code, "name": "Kantor Uji WFH", "latitude": KOBA[0], "longitude": KOBA[1], "timezone": TZ,
        "unit_codes": [unit_code], "schedule": {"days": days}})
    assert resp.status_code == 201, resp.text
    assert resp.json()["home_radius_m"] == 100
    yield unit_code
    requests.delete(f"{api}/offices/{code}", headers=adm, timeout=10)


@pytest.fixture(scope="module")
def person(make_employee, db, unit):
    def make(**kw) -> dict:
        who = make_employee(unit_code=unit, **kw)
        wait_until(lambda: db.employees.find_one({"_id": who["nip"]}), timeout=30, message="employee copy")
        return {**who, "headers": bearer(login_direct(who["nip"], who["password"])["access_token"])}

    return make


def wfh_today(api, adm, nip):
    resp = requests.put(f"{api}/rosters/{nip}/{today()}", json={"mode": "WFH"}, headers=adm, timeout=10)
    assert resp.status_code == 200, resp.text


def check_in(api, who, point):
    return requests.post(f"{api}/check-ins", json={"latitude": point[0], "longitude": point[1], "accuracy_m": 10,
                                                   "mode": "WFH"}, headers=who["headers"], timeout=10)


@pytest.fixture()
def decisions(amqp_url):
    """A queue bound to presence.home_location.decided (events the gateway flow must emit)."""
    with bound_queue(amqp_url, 'presence.home_location.decided') as queue:
        yield queue


def decided_event_of(channel, queue, nip):
    def find():
        while True:
            method, _props, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return None
            event = json.loads(body)
            if event["data"]["nip"] == nip:
                return event
    return wait_until(find, timeout=30, message="presence.home_location.decided")


def test_register_approve_and_fenced_wfh_check_in(api, adm, db, person, decisions):
    boss = person()
    worker = person(supervisor_nip=boss["nip"])
    peer = person(supervisor_nip=boss["nip"])

    resp = requests.put(f"{api}/me/home-location", json={"latitude": HOME[0], "longitude": HOME[1]},
                        headers=worker["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "pending" and resp.json()["nip"] == worker["nip"]
    resp = requests.get(f"{api}/me/home-location", headers=worker["headers"], timeout=10)
    assert resp.status_code == 200 and resp.json()["latitude"] == HOME[0]

    resp = requests.get(f"{api}/team/home-locations", params={"status": "pending"}, headers=boss["headers"],
                        timeout=10)
    assert resp.status_code == 200, resp.text
    assert [i["nip"] for i in resp.json()["items"]] == [worker["nip"]]
    resp = requests.get(f"{api}/team/home-locations", headers=peer["headers"], timeout=10)
    assert resp.status_code == 200 and resp.json()["items"] == [], resp.text  # no subordinates: an empty team

    url = f"{api}/home-locations/{worker['nip']}/decision"
    for who in (peer, worker):
        resp = requests.post(url, json={"approved": True}, headers=who["headers"], timeout=10)
        assert resp.status_code == 403, resp.text
    assert db.home_locations.find_one({"_id": worker["nip"]})["status"] == "pending"
    resp = requests.post(url, json={"approved": True, "note": "ok"}, headers=boss["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "approved" and resp.json()["decided_by"] == boss["nip"]
    resp = requests.post(url, json={"approved": False}, headers=boss["headers"], timeout=10)
    assert resp.status_code == 409 and resp.json()["error"] == "invalid_transition"
    event = decided_event_of(*decisions, worker["nip"])
    assert event["type"] == "presence.home_location.decided" and event["source"] == "presence"
    assert event["data"] == {"nip": worker["nip"], "status": "approved", "approved": True,
                             "decided_by": boss["nip"]}  # no coordinates, no free-text note in the event
    assert "_event_ids" not in requests.get(f"{api}/me/home-location", headers=worker["headers"], timeout=10).json()

    wfh_today(api, adm, worker["nip"])
    resp = check_in(api, worker, away(HOME, 300))
    assert resp.status_code == 403, resp.text
    body = resp.json()
    assert body["error"] == "outside_home_geofence"
    assert body["distance_m"] == pytest.approx(300, abs=1) and body["radius_m"] == 100
    resp = check_in(api, worker, away(HOME, 50))
    assert resp.status_code == 201, resp.text
    assert resp.json()["mode"] == "WFH" and "home_unverified" not in resp.json()


def test_wfh_without_approved_home_is_flagged(api, adm, db, person):
    boss = person()
    worker = person(supervisor_nip=boss["nip"])
    resp = requests.put(f"{api}/me/home-location", json={"latitude": HOME[0], "longitude": HOME[1]},
                        headers=worker["headers"], timeout=10)
    assert resp.status_code == 200  # pending only: not used by the fence
    wfh_today(api, adm, worker["nip"])
    resp = check_in(api, worker, away(HOME, 3000))
    assert resp.status_code == 201, resp.text
    assert resp.json()["home_unverified"] is True
    assert db.check_ins.find_one({"_id": f"{worker['nip']}:{today()}"})["home_unverified"] is True
    resp = requests.get(f"{api}/team/today", headers=boss["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    mine = [i for i in resp.json()["items"] if i["nip"] == worker["nip"]]
    assert mine and mine[0]["check_in"]["home_unverified"] is True


def test_bad_home_location_input_is_refused(api, db, person):
    worker = person()
    for payload in ({"latitude": 91, "longitude": 106.4}, {"latitude": {"$gt": 0}, "longitude": 106.4},
                    {"latitude": -2.45, "longitude": 106.43, "status": "approved"},
                    {"latitude": -2.45}, {"latitude": "-2.45", "longitude": 106.43}):
        resp = requests.put(f"{api}/me/home-location", json=payload, headers=worker["headers"], timeout=10)
        assert resp.status_code == 422, (payload, resp.text)
    resp = requests.put(f"{api}/me/home-location", data='{"latitude": NaN, "longitude": 106.43}',
                        headers={**worker["headers"], "Content-Type": "application/json"}, timeout=10)
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_json", resp.text  # NaN is not JSON
    assert db.home_locations.find_one({"_id": worker["nip"]}) is None
    resp = requests.get(f"{api}/me/home-location", headers=worker["headers"], timeout=10)
    assert resp.status_code == 404
