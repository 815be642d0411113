"""20 parallel decisions of one flagged check-in, one new device, one correction: exactly one wins in the
database (the others 409), and the event, the audit entry and the day's change follow the winner only."""
from __future__ import annotations

import requests
import pytest

from e2e.presence_common import db  # noqa: F401 - fixtures by name
from e2e.trust_common import API, check_in, check_out, near, past_day, people, trust_unit, yesterday  # noqa: F401
from support import bearer, one_winner, race

pytestmark = pytest.mark.e2e
N = 20


@pytest.fixture(scope="module")
def team(people, admin_token):
    boss = people(1)[0]
    return boss, people(3, supervisor=boss), bearer(admin_token)


def deciders(boss, admin):
    """Half the racers are the supervisor, half an admin; half approve, half reject."""
    return [(boss["headers"] if i % 2 else admin, i % 4 < 2) for i in range(N)]


def test_review_race(team, db):
    boss, (s, _d, _c), admin = team
    ci = check_in(s, accuracy_m=0).json()["id"]
    who = deciders(boss, admin)
    results = race(N, lambda i: requests.post(f"{API}/check-ins/{ci}/review", headers=who[i][0], timeout=60,
                                              json={"accepted": who[i][1], "note": f"racer {i}"}))
    won = one_winner(results)
    doc = db.check_ins.find_one({"id": ci})
    assert doc["review"]["state"] == ("accepted" if who[won][1] else "rejected")
    assert doc["review"]["note"] == f"racer {won}"
    assert db.audit.count_documents({"entity": "check_in", "entity_id": ci}) == 1
    assert db.outbox.count_documents({"event.type": "presence.check_in.reviewed", "event.data.id": ci}) <= 1
    assert len(doc["_event_ids"]) == 3  # checked_in + flagged at the insert, then one reviewed


def test_device_decision_race(team, db):
    boss, (_s, d, _c), admin = team
    assert check_in(d).json()["flags"] == []
    assert check_out(d, device_id=f"second-{d['device']}").json()["flags"] == ["unbound_device"]
    pending = next(x for x in requests.get(f"{API}/me/devices", headers=d["headers"], timeout=10).json()["items"]
                   if x["state"] == "pending")
    who = deciders(boss, admin)
    results = race(N, lambda i: requests.post(f"{API}/devices/{pending['id']}/decision", headers=who[i][0],
                                              timeout=60, json={"approved": who[i][1], "note": f"racer {i}"}))
    won = one_winner(results)
    record = db.devices.find_one({"_id": pending["id"]})
    assert record["state"] == ("bound" if who[won][1] else "rejected") and record["note"] == f"racer {won}"
    binding = db.device_bindings.find_one({"_id": d["nip"]})
    assert (binding["device_record"] == pending["id"]) is who[won][1]
    assert db.audit.count_documents({"entity": "device", "entity_id": pending["id"]}) == 1


def test_correction_decision_race(team, db):
    boss, (_s, _d, c), admin = team
    db.check_ins.insert_one(past_day(c["nip"], yesterday(), near(5)))
    made = requests.post(f"{API}/corrections", headers=c["headers"], timeout=10, json={
        "date": yesterday(), "kind": "check_out", "time": "23:30", "reason": "lupa"})
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    who = deciders(boss, admin)
    results = race(N, lambda i: requests.post(f"{API}/corrections/{cid}/decision", headers=who[i][0], timeout=60,
                                              json={"approved": who[i][1], "note": f"racer {i}"}))
    won = one_winner(results)
    doc = db.corrections.find_one({"_id": cid})
    assert doc["state"] == ("approved" if who[won][1] else "rejected") and doc["note"] == f"racer {won}"
    day = db.check_ins.find_one({"_id": f"{c['nip']}:{yesterday()}"})
    if who[won][1]:
        assert day["check_out"]["corrected"]["correction_id"] == cid and day["check_out"]["corrected"]["note"] == f"racer {won}"
    else:
        assert day["check_out"] is None and "open_key" not in doc
    assert db.audit.count_documents({"entity": "correction", "entity_id": cid, "action": "decide"}) == 1
