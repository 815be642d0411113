"""Roster pins through the gateway: staff pinned always-WFO / always-WFH keep that mode in generated rosters."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import requests

from e2e.presence_common import admin, api, db, iso, today  # noqa: F401 - fixtures by name
from e2e.test_presence_roster import generate, make_unit, signed_in, staff  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e


def put_pin(api, headers, nip, /, **body):
    return requests.put(f"{api}/rosters/pins/{nip}", json=body, headers=headers, timeout=10)


def delete_pin(api, headers, nip):
    return requests.delete(f"{api}/rosters/pins/{nip}", headers=headers, timeout=10)


def list_pins(api, headers, **params):
    return requests.get(f"{api}/rosters/pins", params=params, headers=headers, timeout=10)


def modes_by_day(db, unit) -> dict[str, dict[str, str]]:
    """{date: {nip: mode}} of the unit's stored roster entries."""
    days: dict[str, dict[str, str]] = {}
    for entry in db.rosters.find({"unit_code": unit}):
        days.setdefault(entry["date"], {})[entry["nip"]] = entry["mode"]
    return days


def next_monday():
    return today() + timedelta(days=14 - today().weekday())


def test_pinned_staff_keep_their_mode_and_the_quota_holds(api, admin, db, make_unit, staff):
    unit = make_unit(off=("sat", "sun"))
    people = [p["nip"] for p in staff(unit, 6)]
    front_desk, health, others = people[0], people[1], people[2:]
    monday = next_monday()
    start, end = monday, monday + timedelta(days=13)
    working = [iso(monday + timedelta(days=i)) for i in range(14) if i % 7 < 5]

    resp = put_pin(api, admin, front_desk, mode="WFO", reason="Loket pelayanan")
    assert resp.status_code == 200, resp.text
    assert {k: resp.json()[k] for k in ("nip", "mode", "reason", "unit_code")} == {
        "nip": front_desk, "mode": "WFO", "reason": "Loket pelayanan", "unit_code": unit}
    assert put_pin(api, admin, health, mode="WFH", reason="Alasan kesehatan").status_code == 200
    stored = db.roster_pins.find_one({"_id": health})
    assert {k: stored[k] for k in ("nip", "mode", "reason")} == {"nip": health, "mode": "WFH",
                                                                 "reason": "Alasan kesehatan"}
    assert stored["set_by"] and stored["set_at"]
    assert db.audit.count_documents({"action": "set_roster_pin", "entity_id": {"$in": [front_desk, health]}}) == 2

    resp = list_pins(api, admin, unit_code=unit)
    assert resp.status_code == 200, resp.text
    assert {p["nip"]: (p["mode"], p["reason"]) for p in resp.json()["items"]} == {
        front_desk: ("WFO", "Loket pelayanan"), health: ("WFH", "Alasan kesehatan")}
    assert {front_desk, health} <= {p["nip"] for p in list_pins(api, admin).json()["items"]}

    # ratio 0.5 of 6 → 3 WFO a day: the front desk and two of the four others; health always home.
    resp = generate(api, admin, unit, start, end, 0.5)
    assert resp.status_code == 200, resp.text
    assert resp.json()["pinned_wfo"] == 1 and resp.json()["pinned_wfh"] == 1
    assert resp.json()["days"] == {d: {"wfo": 3, "wfh": 3} for d in working}
    days = modes_by_day(db, unit)
    assert sorted(days) == working
    assert all(day[front_desk] == "WFO" and day[health] == "WFH" for day in days.values())
    assert all(Counter(day.values())["WFO"] == 3 for day in days.values())
    wfo = Counter(nip for day in days.values() for nip, mode in day.items() if mode == "WFO")
    assert max(wfo[n] for n in others) - min(wfo[n] for n in others) <= 1

    # Pins survive re-generation (another ratio: ceil(0.2 × 6) = 2 → the front desk + one other).
    resp = generate(api, admin, unit, start, end, 0.2)
    assert resp.status_code == 200, resp.text
    assert resp.json()["pinned_wfo"] == 1 and resp.json()["pinned_wfh"] == 1
    days = modes_by_day(db, unit)
    assert sorted(days) == working
    assert all(day[front_desk] == "WFO" and day[health] == "WFH" for day in days.values())
    assert all(Counter(day.values())["WFO"] == 2 for day in days.values())

    # DELETE removes the pin: the next run treats the front desk like everyone else.
    resp = delete_pin(api, admin, front_desk)
    assert resp.status_code == 204, resp.text
    assert db.roster_pins.find_one({"_id": front_desk}) is None
    assert db.audit.count_documents({"action": "delete_roster_pin", "entity_id": front_desk}) == 1
    assert [p["nip"] for p in list_pins(api, admin, unit_code=unit).json()["items"]] == [health]
    assert delete_pin(api, admin, front_desk).status_code == 404  # no pin any more
    resp = generate(api, admin, unit, start, end, 0.2)
    assert resp.status_code == 200, resp.text
    assert resp.json()["pinned_wfo"] == 0 and resp.json()["pinned_wfh"] == 1
    days = modes_by_day(db, unit)
    wfo = Counter(nip for day in days.values() for nip, mode in day.items() if mode == "WFO")
    assert wfo[front_desk] < len(working) and wfo[health] == 0
    assert max(wfo[n] for n in people if n != health) - min(wfo[n] for n in people if n != health) <= 1


def test_pins_may_exceed_or_starve_the_quota(api, admin, db, make_unit, staff):
    unit = make_unit()
    people = [p["nip"] for p in staff(unit, 4)]
    for nip in people[:2]:
        assert put_pin(api, admin, nip, mode="WFO", reason="Loket pelayanan").status_code == 200
    for nip in people[2:]:
        assert put_pin(api, admin, nip, mode="WFH", reason="Alasan kesehatan").status_code == 200
    start = today() + timedelta(days=20)
    # ceil(0.25 × 4) = 1, but both front-desk staff come in; ceil(1 × 4) = 4, but the health cases stay home.
    for ratio in (0.25, 1):
        resp = generate(api, admin, unit, start, start + timedelta(days=2), ratio)
        assert resp.status_code == 200, resp.text
        assert resp.json()["days"] == {iso(start + timedelta(days=i)): {"wfo": 2, "wfh": 2} for i in range(3)}
        assert all(day == {people[0]: "WFO", people[1]: "WFO", people[2]: "WFH", people[3]: "WFH"}
                   for day in modes_by_day(db, unit).values())


def test_one_off_pins_in_the_generate_body(api, admin, db, make_unit, staff):
    unit = make_unit()
    a, b, c = [p["nip"] for p in staff(unit, 3)]
    outsider = staff(make_unit(), 1)[0]["nip"]
    assert put_pin(api, admin, a, mode="WFO", reason="Loket pelayanan").status_code == 200
    start = today() + timedelta(days=25)

    def run(**extra):
        return requests.post(f"{api}/rosters/generate", headers=admin, timeout=30, json={
            "unit_code": unit, "start_date": iso(start), "end_date": iso(start + timedelta(days=1)),
            "wfo_ratio": 0.5, **extra})

    # This run only: a at home, b at the office; ceil(0.5 × 3) = 2 → c comes in too.
    resp = run(pinned_wfh=[a], pinned_wfo=[b])
    assert resp.status_code == 200, resp.text
    assert resp.json()["pinned_wfo"] == 1 and resp.json()["pinned_wfh"] == 1
    assert all(day[a] == "WFH" and day[b] == "WFO" and day[c] == "WFO" for day in modes_by_day(db, unit).values())
    assert db.roster_pins.find_one({"_id": a})["mode"] == "WFO"  # the stored pin is untouched
    assert db.roster_pins.find_one({"_id": b}) is None

    before = {d["_id"]: d["mode"] for d in db.rosters.find({"unit_code": unit})}
    for extra, error in [({"pinned_wfo": [outsider]}, "pinned_not_in_staff"),
                         ({"pinned_wfh": ["1" * 18]}, "pinned_not_in_staff"),
                         ({"pinned_wfo": [b], "pinned_wfh": [b]}, "validation_failed"),
                         ({"pinned_wfo": ["123"]}, "validation_failed"),
                         ({"pinned_wfo": b}, "validation_failed"),
                         ({"pinned_wfo": [{"$gt": ""}]}, "validation_failed")]:
        resp = run(**extra)
        assert resp.status_code == 422, (extra, resp.text)
        assert resp.json()["error"] == error, (extra, resp.text)
    assert {d["_id"]: d["mode"] for d in db.rosters.find({"unit_code": unit})} == before


def test_bad_pin_requests_are_refused_and_change_nothing(api, admin, db, make_unit, staff):
    unit = make_unit()
    person, other = [signed_in(p) for p in staff(unit, 2)]
    nip = person["nip"]
    assert put_pin(api, admin, nip, mode="WFO", reason="Loket pelayanan").status_code == 200
    pin_before = db.roster_pins.find_one({"_id": nip})
    audits_before = db.audit.count_documents({"entity_id": {"$in": [nip, other["nip"], "1" * 18]}})

    for body in [{"mode": "DL", "reason": "Dinas luar"},
                 {"mode": "wfh", "reason": "Alasan kesehatan"},
                 {"mode": {"$gt": ""}, "reason": "Alasan kesehatan"},
                 {"mode": "WFH"},
                 {"mode": "WFH", "reason": "ab"},
                 {"mode": "WFH", "reason": "     "},
                 {"mode": "WFH", "reason": "x" * 201},
                 {"mode": "WFH", "reason": 123},
                 {"mode": "WFH", "reason": "Alasan kesehatan", "nip": other["nip"]},
                 {"reason": "Alasan kesehatan"}]:
        for target in (nip, other["nip"]):
            resp = put_pin(api, admin, target, **body)
            assert resp.status_code == 422, (body, resp.text)
            assert resp.json()["error"] == "validation_failed"
    resp = put_pin(api, admin, "1" * 18, mode="WFH", reason="Alasan kesehatan")
    assert resp.status_code == 404 and resp.json()["error"] == "not_found", resp.text
    assert delete_pin(api, admin, "1" * 18).status_code == 404
    assert delete_pin(api, admin, other["nip"]).status_code == 404  # known employee, no pin
    resp = put_pin(api, admin, "12345", mode="WFH", reason="Alasan kesehatan")
    assert resp.status_code == 422 and resp.json()["error"] == "invalid_nip", resp.text
    assert delete_pin(api, admin, "12345").status_code == 422
    assert list_pins(api, admin, unit_code=unit, extra="1").status_code == 422
    assert list_pins(api, admin, unit_code="bad code!").status_code == 422

    # Not an admin: 403 for every pin route, even on oneself.
    for headers in (person["headers"], other["headers"]):
        assert put_pin(api, headers, other["nip"], mode="WFH", reason="Alasan kesehatan").status_code == 403
        assert delete_pin(api, headers, nip).status_code == 403
        assert list_pins(api, headers, unit_code=unit).status_code == 403
    assert put_pin(api, {}, nip, mode="WFH", reason="Alasan kesehatan").status_code == 401

    assert db.roster_pins.find_one({"_id": nip}) == pin_before
    assert db.roster_pins.count_documents({"_id": {"$in": [other["nip"], "1" * 18, "12345"]}}) == 0
    assert db.audit.count_documents({"entity_id": {"$in": [nip, other["nip"], "1" * 18]}}) == audits_before
