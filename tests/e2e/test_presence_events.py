"""presence.checked_in / presence.checked_out reach RabbitMQ through the outbox."""
from __future__ import annotations

import json
import secrets
import uuid
import pytest
import requests
from conftest import bearer, login_direct, wait_until
from support import bound_queue

from e2e.presence_common import DAYS, KOBA, PRESENCE_DB

pytestmark = pytest.mark.e2e



@pytest.fixture()
def event_queue(amqp_url):
    """A private queue bound to presence's check-in/out events (deleted afterwards)."""
    with bound_queue(amqp_url, 'presence.checked_in', 'presence.checked_out') as queue:
        yield queue


def collect(ch, queue, nip):
    found = []
    while True:
        method, props, body = ch.basic_get(queue, auto_ack=True)
        if method is None:
            return found
        envelope = json.loads(body)
        if envelope["data"].get("nip") == nip:
            found.append((props, envelope))


def test_check_in_and_out_events_reach_a_bound_queue(gateway, admin_token, make_employee, mongo_client,
                                                     event_queue):
    ch, queue = event_queue
    api = f"{gateway}/api/presence/v1"
    tz = "Asia/Jakarta"
    start_s = "00:00"  # every day a working day; lateness is whatever it is, the event must carry it
    code, unit = f"EV-{secrets.token_hex(4).upper()}", f"UEV{secrets.token_hex(4).upper()}"
    resp = requests.post(f"{api}/offices", headers=bearer(admin_token), timeout=10, json={
        "code": code, "name": "Kantor Uji Event", "latitude": KOBA[0], "longitude": KOBA[1], "timezone": tz,
        "unit_codes": [unit], "schedule": {"days": {d: {"start": start_s, "end": "23:59"} for d in DAYS}}})
    assert resp.status_code == 201, resp.text
    try:
        person = make_employee(unit_code=unit)
        db = mongo_client[PRESENCE_DB]
        wait_until(lambda: db.employees.find_one({"_id": person["nip"]}), timeout=30, message="employee copy")
        who = bearer(login_direct(person["nip"], person["password"])["access_token"])
        resp = requests.post(f"{api}/check-ins", headers={**who, "X-Request-ID": "evt-test-" + uuid.uuid4().hex[:8]},
                             json={"latitude": KOBA[0], "longitude": KOBA[1], "accuracy_m": 8,
                                   "device_id": f"phone-{person['nip']}"}, timeout=10)  # unflagged: no extra event
        assert resp.status_code == 201, resp.text
        check_in = resp.json()
        resp = requests.post(f"{api}/check-outs", headers=who, timeout=10,
                             json={"latitude": KOBA[0], "longitude": KOBA[1], "accuracy_m": 8,
                                   "device_id": f"phone-{person['nip']}"})
        assert resp.status_code == 201, resp.text

        got: list = []
        wait_until(lambda: got.extend(collect(ch, queue, person["nip"])) or len(got) >= 2, timeout=30,
                   message="both events on the test queue")
        by_type = {env["type"]: (props, env) for props, env in got}
        assert set(by_type) == {"presence.checked_in", "presence.checked_out"}
        props, env = by_type["presence.checked_in"]
        assert props.message_id == env["id"] and env["source"] == "presence"
        assert env["data"] == {
            "id": check_in["id"], "nip": person["nip"], "date": check_in["date"], "mode": "WFO",
            "time": check_in["checked_in_at"], "checked_in_at": check_in["checked_in_at"],
            "office_code": code, "distance_m": 0.0,
            "late_minutes": check_in["late_minutes"], "non_working_day": False}
        assert env["request_id"].startswith("evt-test-")
        out = by_type["presence.checked_out"][1]["data"]
        assert out["id"] == check_in["id"] and out["office_code"] == code and "early_leave_minutes" in out
        assert out["time"] == out["checked_out_at"] and out["checked_out_at"] > check_in["checked_in_at"][:10]

        # Published means relayed: both events are marked in the document and gone from the outbox.
        doc = db.check_ins.find_one({"id": check_in["id"]})
        assert doc["check_out"] is not None
        assert sorted(doc["_event_ids"]) == sorted(env["id"] for _, env in got)
        wait_until(lambda: db.outbox.count_documents({"_id": {"$in": doc["_event_ids"]}}) == 0, timeout=10,
                   message="outbox entries deleted")
        assert collect(ch, queue, person["nip"]) == []  # exactly once here
    finally:
        requests.delete(f"{api}/offices/{code}", headers=bearer(admin_token), timeout=10)
