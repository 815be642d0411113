"""Rosters (presensi shift) through the gateway: generate fairly, replace, edit, view; check-in follows them."""
from __future__ import annotations

import json
import secrets
from collections import Counter
from datetime import timedelta

import pytest
import requests
from conftest import bearer, login_direct, wait_until
from support import bound_queue

from e2e.presence_common import admin, api, DAYS, db, iso, KOBA, today, TZ  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e

HOME = (-2.4500, 106.4300)  # ~5 km from the office


@pytest.fixture(scope="module")
def make_unit(api, admin):
    created = []

    def make(off: tuple[str, ...] = ()) -> str:
        code, unit_code = f"RS-{secrets.token_hex(4).upper()}", f"URS{secrets.token_hex(4).upper()}"
        days = {d: (None if d in off else {"start": "00:00", "end": "23:59"}) for d in DAYS}
        resp = requests.post(f"{api}/offices", headers=admin, timeout=10, json={
            "code": code, "name": "Kantor Uji Roster", "latitude": KOBA[0], "longitude": KOBA[1], "timezone": TZ,
            "unit_codes": [unit_code], "schedule": {"days": days}})
        assert resp.status_code == 201, resp.text
        created.append(code)
        return unit_code

    yield make
    for code in created:
        requests.delete(f"{api}/offices/{code}", headers=admin, timeout=10)


@pytest.fixture(scope="module")
def staff(make_employee, db):
    def make(unit: str, n: int, **kw) -> list[dict]:
        people = [make_employee(unit_code=unit, **kw) for _ in range(n)]
        for who in people:
            wait_until(lambda: db.employees.find_one({"_id": who["nip"]}), timeout=30, message="employee copy")
        return people

    return make


def signed_in(who: dict) -> dict:
    return {**who, "headers": bearer(login_direct(who["nip"], who["password"])["access_token"])}


def generate(api, headers, unit, start, end, ratio):
    return requests.post(f"{api}/rosters/generate", headers=headers, timeout=30, json={
        "unit_code": unit, "start_date": iso(start), "end_date": iso(end), "wfo_ratio": ratio})


def check_in(api, who, lat, lon, mode):
    return requests.post(f"{api}/check-ins", json={"latitude": lat, "longitude": lon, "accuracy_m": 10,
                                                   "mode": mode}, headers=who["headers"], timeout=10)


@pytest.fixture()
def roster_queue(amqp_url):
    with bound_queue(amqp_url, 'presence.roster.published') as queue:
        yield queue


def test_generate_three_in_ten_and_check_in_follows_the_roster(api, admin, db, make_unit, staff, roster_queue):
    unit = make_unit()
    people = staff(unit, 10)
    nips = {p["nip"] for p in people}
    start, end = today(), today() + timedelta(days=6)

    resp = generate(api, admin, unit, start, end, 0.3)
    assert resp.status_code == 200, resp.text
    run = resp.json()
    assert run["staff"] == 10 and run["entries"] == 70
    assert run["days"] == {iso(start + timedelta(days=i)): {"wfo": 3, "wfh": 7} for i in range(7)}
    docs = list(db.rosters.find({"unit_code": unit}))
    assert len(docs) == 70 and {d["nip"] for d in docs} == nips
    assert all(d["_id"] == f"{d['nip']}:{d['date']}" for d in docs)
    per_day = Counter(d["date"] for d in docs if d["mode"] == "WFO")
    assert set(per_day.values()) == {3} and len(per_day) == 7
    per_person = Counter(d["nip"] for d in docs if d["mode"] == "WFO")
    counts = [per_person.get(n, 0) for n in nips]
    assert max(counts) - min(counts) <= 1

    # Re-generating replaces the range (no duplicates) and is deterministic.
    before = {d["_id"]: d["mode"] for d in docs}
    resp = generate(api, admin, unit, start, end, 0.3)
    assert resp.status_code == 200, resp.text
    after = {d["_id"]: d["mode"] for d in db.rosters.find({"unit_code": unit})}
    assert after == before

    # The admin's matrix.
    resp = requests.get(f"{api}/rosters", params={"unit_code": unit, "from": iso(start), "to": iso(end)},
                        headers=admin, timeout=10)
    assert resp.status_code == 200, resp.text
    matrix = {row["nip"]: row["days"] for row in resp.json()["items"]}
    assert set(matrix) == nips and all(len(days) == 7 for days in matrix.values())
    assert matrix == {n: {k.split(":")[1]: m for k, m in before.items() if k.startswith(n)} for n in nips}

    todays = {n: before[f"{n}:{iso(start)}"] for n in nips}
    home_worker = signed_in(next(p for p in people if todays[p["nip"]] == "WFH"))
    office_worker = signed_in(next(p for p in people if todays[p["nip"]] == "WFO"))

    resp = check_in(api, home_worker, *KOBA, "WFO")
    assert resp.status_code == 409, resp.text
    assert resp.json()["error"] == "roster_mismatch" and resp.json()["roster_mode"] == "WFH"
    resp = check_in(api, home_worker, *HOME, "WFH")
    assert resp.status_code == 201 and resp.json()["mode"] == "WFH", resp.text

    resp = check_in(api, office_worker, *HOME, "WFH")
    assert resp.status_code == 409, resp.text
    assert resp.json()["error"] == "roster_mismatch" and resp.json()["roster_mode"] == "WFO"
    resp = check_in(api, office_worker, *KOBA, "WFO")
    assert resp.status_code == 201 and resp.json()["mode"] == "WFO", resp.text

    # My roster; an admin's manual edit shows there.
    tomorrow = iso(start + timedelta(days=1))
    flipped = "WFH" if before[f"{home_worker['nip']}:{tomorrow}"] == "WFO" else "WFO"
    resp = requests.put(f"{api}/rosters/{home_worker['nip']}/{tomorrow}", json={"mode": flipped},
                        headers=admin, timeout=10)
    assert resp.status_code == 200 and resp.json()["mode"] == flipped, resp.text
    resp = requests.put(f"{api}/rosters/{home_worker['nip']}/{tomorrow}", json={"mode": "WFO"},
                        headers=home_worker["headers"], timeout=10)
    assert resp.status_code == 403
    resp = requests.get(f"{api}/me/roster", params={"from": iso(start), "to": iso(end)},
                        headers=home_worker["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    mine = {e["date"]: e["mode"] for e in resp.json()["items"]}
    assert len(mine) == 7 and mine[iso(start)] == "WFH" and mine[tomorrow] == flipped

    # One presence.roster.published per run, with the summary.
    ch, queue = roster_queue
    found = []

    def drain():
        while True:
            method, _props, body = ch.basic_get(queue, auto_ack=True)
            if method is None:
                return len([e for e in found if e["data"]["unit_code"] == unit]) >= 2
            found.append(json.loads(body))

    wait_until(drain, timeout=30, message="presence.roster.published on the bus")
    mine_events = [e for e in found if e["data"]["unit_code"] == unit]
    assert len(mine_events) == 2
    assert mine_events[0]["data"]["days"] == run["days"] and mine_events[0]["data"]["entries"] == 70


def test_only_working_days_and_no_entry_while_on_leave(api, admin, db, make_unit, staff):
    unit = make_unit(off=("sat", "sun"))
    people = staff(unit, 2)
    monday = today() + timedelta(days=14 - today().weekday())
    leaver = signed_in(people[0])  # no supervisor: an admin decides
    resp = requests.post(f"{api}/leave-requests", headers=leaver["headers"], timeout=10, json={
        "type": "cuti", "start_date": iso(monday + timedelta(days=2)), "end_date": iso(monday + timedelta(days=2)),
        "reason": "cuti tahunan"})
    assert resp.status_code == 201, resp.text
    assert requests.post(f"{api}/leave-requests/{resp.json()['id']}/decision", json={"approved": True},
                         headers=admin, timeout=10).status_code == 200

    resp = generate(api, admin, unit, monday, monday + timedelta(days=6), 0.5)
    assert resp.status_code == 200, resp.text
    summary = resp.json()["days"]
    assert sorted(summary) == [iso(monday + timedelta(days=i)) for i in range(5)]  # no weekend
    assert summary[iso(monday + timedelta(days=2))] == {"wfo": 1, "wfh": 0}  # one available, ceil(0.5) = 1
    assert all(v == {"wfo": 1, "wfh": 1} for k, v in summary.items() if k != iso(monday + timedelta(days=2)))
    assert db.rosters.find_one({"_id": f"{leaver['nip']}:{iso(monday + timedelta(days=2))}"}) is None
    assert db.rosters.count_documents({"unit_code": unit}) == 9


def test_bad_roster_requests_are_refused_and_change_nothing(api, admin, db, make_unit, staff):
    unit = make_unit()
    person = signed_in(staff(unit, 1)[0])
    empty_unit = make_unit()
    # two working days a month ahead that no holiday (another test may import the national ones) takes
    holidays = {h["_id"] for h in db.holidays.find({}, {"_id": 1})}
    start = today() + timedelta(days=30)
    while iso(start) in holidays or iso(start + timedelta(days=1)) in holidays:
        start += timedelta(days=1)
    assert generate(api, admin, unit, start, start + timedelta(days=1), 1).status_code == 200
    before = {d["_id"]: d["mode"] for d in db.rosters.find({"unit_code": unit})}
    assert len(before) == 2

    def body(**kw):
        return {"unit_code": unit, "start_date": iso(start), "end_date": iso(start + timedelta(days=1)),
                "wfo_ratio": 0.5, **kw}

    cases = [
        (admin, body(wfo_ratio=0), 422, None),
        (admin, body(wfo_ratio=-0.1), 422, None),
        (admin, body(wfo_ratio=1.5), 422, None),
        (admin, body(wfo_ratio="0.5"), 422, None),
        (admin, body(wfo_ratio=True), 422, None),
        (admin, body(end_date=iso(start - timedelta(days=1))), 422, None),
        (admin, body(end_date=iso(start + timedelta(days=92))), 422, "range_too_long"),
        (admin, body(unit_code={"$gt": ""}), 422, None),
        (admin, body(extra=1), 422, None),
        (admin, body(unit_code=f"NOPE{secrets.token_hex(3)}"), 409, "no_office"),
        (admin, body(unit_code=empty_unit), 409, "no_staff"),
        (person["headers"], body(), 403, None),
    ]
    for headers, payload, status, error in cases:
        resp = requests.post(f"{api}/rosters/generate", json=payload, headers=headers, timeout=10)
        assert resp.status_code == status, (payload, resp.text)
        if error:
            assert resp.json()["error"] == error
    assert {d["_id"]: d["mode"] for d in db.rosters.find({"unit_code": unit})} == before

    nip = person["nip"]
    for path, payload, status in [
        (f"{nip}/{iso(start)}", {"mode": "DL"}, 422),
        (f"{nip}/{iso(start)}", {"mode": {"$gt": ""}}, 422),
        (f"{nip}/{iso(start)}", {"mode": "WFO", "nip": nip}, 422),
        (f"{nip}/2026-02-30", {"mode": "WFO"}, 422),
        (f"{nip}/tomorrow", {"mode": "WFO"}, 422),
        (f"{nip}/2026-W48-1", {"mode": "WFO"}, 422),
        (f"12345/{iso(start)}", {"mode": "WFO"}, 422),
        (f"{'1' * 18}/{iso(start)}", {"mode": "WFO"}, 404),
    ]:
        resp = requests.put(f"{api}/rosters/{path}", json=payload, headers=admin, timeout=10)
        assert resp.status_code == status, (path, payload, resp.text)
    assert {d["_id"]: d["mode"] for d in db.rosters.find({"unit_code": unit})} == before
    assert db.rosters.count_documents({"nip": "1" * 18}) == 0

    for params in ({"unit_code": unit, "from": iso(start)},
                   {"unit_code": unit, "from": iso(start), "to": iso(start + timedelta(days=92))},
                   {"unit_code": unit, "from": "x", "to": iso(start)}):
        assert requests.get(f"{api}/rosters", params=params, headers=admin, timeout=10).status_code == 422
    assert requests.get(f"{api}/rosters", params={"unit_code": unit, "from": iso(start), "to": iso(start)},
                        headers=person["headers"], timeout=10).status_code == 403
    assert requests.get(f"{api}/me/roster", params={"from": iso(start), "to": iso(start + timedelta(days=100))},
                        headers=person["headers"], timeout=10).status_code == 422
