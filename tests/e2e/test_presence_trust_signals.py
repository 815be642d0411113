"""Each trust signal through the gateway: it triggers on a crafted check-in (or check-out) and not on an
ordinary one; a flagged record is stored, counted present and pending review (docs/trust.md)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

from e2e.presence_common import KOBA, db, today  # noqa: F401 - fixtures by name
from e2e.trust_common import (API, check_in, check_out, near, now_iso, office_code, past_day, people,  # noqa: F401
                              trust_unit, yesterday)
from support import bearer

pytestmark = pytest.mark.e2e


def flags(resp) -> list[str]:
    assert resp.status_code == 201, resp.text
    return resp.json()["flags"]


def ordinary(who) -> None:
    """An honest check-in and check-out: no flag, no review."""
    resp = check_in(who)
    assert flags(resp) == [] and resp.json()["review"] is None, resp.text
    resp = check_out(who)
    assert flags(resp) == [] and resp.json()["review"] is None, resp.text


def test_accuracy_implausible(people, db):
    cheat, honest = people(2)
    resp = check_in(cheat, accuracy_m=0)
    assert flags(resp) == ["accuracy_implausible"]
    assert resp.json()["review"] == "pending"
    stored = db.check_ins.find_one({"id": resp.json()["id"]})
    assert stored["flags"] == ["accuracy_implausible"] and stored["review"]["state"] == "pending"
    assert flags(check_out(cheat, accuracy_m=0.4)) == ["accuracy_implausible"]  # below the 1 m floor
    ordinary(honest)


def test_repeated_point(people, db):
    cheat, honest = people(2)
    point = near(9)
    db.check_ins.insert_one(past_day(cheat["nip"], yesterday(), point))
    resp = check_in(cheat, point)
    assert flags(resp) == ["repeated_point"]
    assert db.check_ins.find_one({"id": resp.json()["id"]})["evidence"]["repeated_on"] == yesterday()
    # one part in 10^7 of a degree (1 cm) apart is another fix
    db.check_ins.insert_one(past_day(honest["nip"], yesterday(), (point[0] + 1e-7, point[1])))
    assert flags(check_in(honest, point)) == []


def test_impossible_travel(people, db, admin_token):
    cheat, honest, wfh = people(3)
    half_an_hour_ago = datetime.now(timezone.utc) - timedelta(minutes=30)
    far, close = near(400_000, 0), near(2_000, 0)
    for who, point in ((cheat, far), (honest, close)):
        db.check_ins.insert_one(past_day(who["nip"], yesterday(), point, at=half_an_hour_ago - timedelta(hours=8),
                                         out_point=point, out_at=half_an_hour_ago))
    resp = check_in(cheat)
    assert flags(resp) == ["impossible_travel"]
    previous = db.check_ins.find_one({"id": resp.json()["id"]})["evidence"]["previous"]
    assert previous["label"] == f"check_out {yesterday()}" and previous["speed_kmh"] > 300
    assert flags(check_in(honest)) == []  # 2 km in half an hour
    # the same day: a WFH check-in at home, a check-out 60 km away a moment later
    resp = requests.put(f"{API}/rosters/{wfh['nip']}/{today().isoformat()}", json={"mode": "WFH"},
                        headers=bearer(admin_token), timeout=10)
    assert resp.status_code == 200, resp.text
    assert flags(check_in(wfh, near(3_000), mode="WFH")) == []
    resp = check_out(wfh, near(60_000))
    assert flags(resp) == ["impossible_travel"] and resp.json()["review"] == "pending"


def test_stale_position(people):
    old_fix, honest_retry, laundered, future_fix, honest = people(5)
    # the fix was 10 minutes old when the attempt was made
    assert flags(check_in(old_fix, position_timestamp=now_iso(-600), attempted_at=now_iso())) == ["stale_position"]
    # an offline attempt recorded 20 minutes ago with a fresh fix, sent now: honest, not stale
    assert flags(check_in(honest_retry, position_timestamp=now_iso(-1203), attempted_at=now_iso(-1200))) == []
    # the same with an attempt three hours old: an old queued fix cannot be laundered as a retry
    assert flags(check_in(laundered, position_timestamp=now_iso(-3 * 3600 - 3),
                          attempted_at=now_iso(-3 * 3600))) == ["stale_position"]
    # a fix from the future (the position's clock ahead of the attempt)
    assert flags(check_in(future_fix, position_timestamp=now_iso(600), attempted_at=now_iso())) == ["stale_position"]
    ordinary(honest)


def test_unbound_device(people):
    switcher, anonymous, honest = people(3)
    assert flags(check_in(switcher)) == []  # the first device is bound
    resp = check_out(switcher, device_id=f"another-{switcher['device']}")
    assert flags(resp) == ["unbound_device"] and resp.json()["review"] == "pending"
    devices = requests.get(f"{API}/me/devices", headers=switcher["headers"], timeout=10).json()["items"]
    assert sorted(d["state"] for d in devices) == ["bound", "pending"]
    assert all(switcher["device"] not in str(d) for d in devices)  # the id itself is never answered
    # no device id at all: the server cannot tell the device, so it does not take it on trust
    assert flags(check_in(anonymous, device_id=None)) == ["unbound_device"]
    ordinary(honest)


def test_shared_device(people, db):
    owner, colleague, honest = people(3)
    assert flags(check_in(owner)) == []
    resp = check_in(colleague, device_id=owner["device"])  # "titip absen": clocked in on the owner's phone
    assert "shared_device" in flags(resp)
    assert db.check_ins.find_one({"id": resp.json()["id"]})["evidence"]["shared_with"] == 1
    assert not db.device_days.find_one({"nips": colleague["nip"], "_id": {"$regex": owner["device"]}})  # hashed
    ordinary(honest)


def test_accuracy_outside_fence(people, db):
    edge, honest = people(2)
    # 48 m from the centre of a 50 m fence, ±90 m: inside, yet 71 % of the circle lies outside
    resp = check_in(edge, near(48), accuracy_m=90)
    assert flags(resp) == ["accuracy_outside_fence"]
    evidence = db.check_ins.find_one({"id": resp.json()["id"]})["evidence"]
    assert evidence["inside_fraction"] < 0.35 and evidence["radius_m"] == 50
    # 10 m from the centre, ±30 m: the whole circle is inside
    resp = check_in(honest, near(10), accuracy_m=30)
    assert flags(resp) == []
    assert db.check_ins.find_one({"id": resp.json()["id"]})["evidence"]["inside_fraction"] == 1.0
    # and at the edge with an accuracy as large as the fence: 39 % inside, an honest fix, not flagged
    resp = check_out(honest, near(49), accuracy_m=50)
    assert flags(resp) == [] and 0.35 < db.check_ins.find_one({"id": resp.json()["id"]})["check_out"]["evidence"][
        "inside_fraction"] < 0.5
