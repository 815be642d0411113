"""Presence through the gateway: offices, the GPS fence, check-in/out, my day, team views.

Runs against the real stack with the real clock: schedules are set relative to
"now" in the office's zone so that on-time, late and early-leave are known.
"""
from __future__ import annotations

import json
import secrets
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests
from conftest import bearer, login_direct, wait_until
from e2e.presence_common import admin, api, DAYS, KOBA, PRESENCE_DB, offset  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e


def suffix() -> str:
    return secrets.token_hex(4).upper()


def local_now(tz: str) -> datetime:
    return datetime.now(timezone.utc).astimezone(ZoneInfo(tz))


def hhmm(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def pick_zone(ok) -> str:
    """A zone whose local time now satisfies ok(local) (keeps schedules inside one day)."""
    for tz in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Europe/London", "America/New_York",
               "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata", "Pacific/Honolulu"):
        if ok(local_now(tz)):
            return tz
    pytest.skip("no time zone with a suitable local time right now")


def week(start: str, end: str, *, off: tuple[str, ...] = ()) -> dict:
    return {d: (None if d in off else {"start": start, "end": end}) for d in DAYS}


@pytest.fixture(scope="module")
def presence_db(mongo_client):
    return mongo_client[PRESENCE_DB]


@pytest.fixture(scope="module")
def make_office(api, admin):
    created = []

    def make(*, lat=KOBA[0], lon=KOBA[1], tz=None, schedule=None, **extra) -> dict:
        """By default: a zone where it is 02:00-20:00 now, every day a working day, start in 2 hours
        (so checking in now is on time whatever the weekday)."""
        code = f"T-{suffix()}"
        if tz is None:
            tz = pick_zone(lambda t: 2 <= t.hour <= 20)
        if schedule is None:
            schedule = {"days": week(hhmm(local_now(tz) + timedelta(hours=2)), "23:59"), "grace_minutes": 0}
        body = {"code": code, "name": f"Kantor Uji {code}", "latitude": lat, "longitude": lon,
                "timezone": tz, "unit_codes": [f"U{suffix()}"], "schedule": schedule, **extra}
        resp = requests.post(f"{api}/offices", json=body, headers=admin, timeout=10)
        assert resp.status_code == 201, resp.text
        created.append(code)
        return resp.json()

    yield make
    for code in created:
        requests.delete(f"{api}/offices/{code}", headers=admin, timeout=10)


@pytest.fixture(scope="module")
def employee(make_employee, presence_db):
    """An employee of `unit` whose copy has reached presence, with an access token."""

    def make(unit: str, **kw) -> dict:
        person = make_employee(unit_code=unit, **kw)
        wait_until(lambda: presence_db.employees.find_one({"_id": person["nip"]}), timeout=30,
                   message="employee copy in presence")
        token = login_direct(person["nip"], person["password"])["access_token"]
        return {**person, "headers": bearer(token)}

    return make


def check_in(api, who, lat, lon, accuracy=10.0, mode="WFO", **headers):
    return requests.post(f"{api}/check-ins", json={"latitude": lat, "longitude": lon, "accuracy_m": accuracy,
                                                   "mode": mode}, headers={**who["headers"], **headers}, timeout=10)


def check_out(api, who, lat, lon, accuracy=10.0, **headers):
    return requests.post(f"{api}/check-outs", json={"latitude": lat, "longitude": lon, "accuracy_m": accuracy},
                         headers={**who["headers"], **headers}, timeout=10)


# --------------------------------------------------------------------- the story
def test_fence_checkin_checkout_and_my_day(api, make_office, employee):
    tz = pick_zone(lambda t: 2 <= t.hour <= 20)
    now = local_now(tz)
    start = hhmm(now + timedelta(minutes=60))        # on time by an hour
    end = hhmm(now + timedelta(minutes=180))         # leaving now is ~3 hours early
    office = make_office(tz=tz, schedule={"days": week(start, end), "grace_minutes": 0})
    other = make_office(lat=offset(*KOBA, 2000)[0], lon=offset(*KOBA, 2000)[1], tz=tz)
    who = employee(office["unit_codes"][0])

    # 80 m away: refused, with the distance and the fence.
    resp = check_in(api, who, *offset(office["latitude"], office["longitude"], 80))
    assert resp.status_code == 403, resp.text
    body = resp.json()
    assert body["error"] == "outside_geofence"
    assert body["distance_m"] == pytest.approx(80, abs=0.2)
    assert body["radius_m"] == 50 and body["office_code"] == office["code"]

    # Standing at another office (2 km away) does not help.
    resp = check_in(api, who, other["latitude"], other["longitude"])
    assert resp.status_code == 403 and resp.json()["error"] == "outside_geofence"
    assert resp.json()["distance_m"] == pytest.approx(2000, abs=1)

    # Accuracy worse than the office's max (100 m): 422 low_accuracy.
    resp = check_in(api, who, office["latitude"], office["longitude"], accuracy=500)
    assert resp.status_code == 422 and resp.json()["error"] == "low_accuracy"

    # Nothing refused was stored.
    assert requests.get(f"{api}/me/today", headers=who["headers"], timeout=10).json()["check_in"] is None

    # 30 m away: in.
    resp = check_in(api, who, *offset(office["latitude"], office["longitude"], 30))
    assert resp.status_code == 201, resp.text
    first = resp.json()
    assert first["distance_m"] == pytest.approx(30, abs=0.2)
    assert first["nip"] == who["nip"] and first["office_code"] == office["code"] and first["mode"] == "WFO"
    assert first["late_minutes"] == 0 and first["non_working_day"] is False
    assert first["date"] == local_now(tz).date().isoformat()
    assert datetime.fromisoformat(first["checked_in_at"]).utcoffset() == local_now(tz).utcoffset()

    # Twice: 409 with the first one.
    resp = check_in(api, who, office["latitude"], office["longitude"])
    assert resp.status_code == 409 and resp.json()["error"] == "already_checked_in"
    assert resp.json()["check_in"]["id"] == first["id"]

    today = requests.get(f"{api}/me/today", headers=who["headers"], timeout=10).json()
    assert today["check_in"]["id"] == first["id"] and today["check_out"] is None
    assert today["status"] == "hadir" and today["roster_mode"] == "WFO"
    assert today["office"]["code"] == office["code"]
    assert today["schedule"] == {"start": start, "end": end, "grace_minutes": 0}

    # Check-out outside the fence is refused, inside it works and counts early leave.
    resp = check_out(api, who, *offset(office["latitude"], office["longitude"], 70))
    assert resp.status_code == 403 and resp.json()["error"] == "outside_geofence"
    resp = check_out(api, who, *offset(office["latitude"], office["longitude"], 10))
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert out["id"] == first["id"] and 178 <= out["early_leave_minutes"] <= 181
    assert out["distance_m"] == pytest.approx(10, abs=0.2)
    resp = check_out(api, who, office["latitude"], office["longitude"])
    assert resp.status_code == 409 and resp.json()["error"] == "already_checked_out"

    today = requests.get(f"{api}/me/today", headers=who["headers"], timeout=10).json()
    assert today["check_out"]["early_leave_minutes"] == out["early_leave_minutes"]
    assert today["status"] == "pulang_cepat"


def test_late_minutes_follow_the_schedule_and_grace(api, make_office, employee):
    tz = pick_zone(lambda t: 3 <= t.hour <= 21)
    now = local_now(tz)
    office = make_office(tz=tz, schedule={"days": week(hhmm(now - timedelta(minutes=50)), "23:59"),
                                          "grace_minutes": 10})
    who = employee(office["unit_codes"][0])
    resp = check_in(api, who, office["latitude"], office["longitude"])
    assert resp.status_code == 201, resp.text
    # 50 minutes (plus the seconds of this minute) after start, minus 10 of grace.
    assert 40 <= resp.json()["late_minutes"] <= 42
    today = requests.get(f"{api}/me/today", headers=who["headers"], timeout=10).json()
    assert today["status"] == "terlambat"


def test_schedule_override_decides_the_day(api, admin, make_office, employee):
    tz = pick_zone(lambda t: 3 <= t.hour <= 21)
    now = local_now(tz)
    office = make_office(tz=tz, schedule={"days": week(hhmm(now + timedelta(minutes=60)), "23:59")})
    today = now.date().isoformat()
    resp = requests.post(f"{api}/offices/{office['code']}/schedule-overrides", headers=admin, timeout=10, json={
        "name": "Ramadan", "start_date": today, "end_date": today, "grace_minutes": 0,
        "days": week(hhmm(now - timedelta(minutes=30)), "23:59")})
    assert resp.status_code == 201, resp.text
    listed = requests.get(f"{api}/offices/{office['code']}/schedule-overrides", headers=admin, timeout=10).json()
    assert [o["name"] for o in listed["items"]] == ["Ramadan"]
    who = employee(office["unit_codes"][0])
    resp = check_in(api, who, office["latitude"], office["longitude"])
    assert resp.status_code == 201, resp.text
    assert 30 <= resp.json()["late_minutes"] <= 32


def test_non_working_day_check_in_is_recorded_and_flagged(api, make_office, employee):
    tz = "Asia/Jakarta"
    weekday = DAYS[local_now(tz).weekday()]
    office = make_office(tz=tz, schedule={"days": week("07:30", "16:00", off=(weekday,))})
    who = employee(office["unit_codes"][0])
    resp = check_in(api, who, office["latitude"], office["longitude"])
    if local_now(tz).weekday() != DAYS.index(weekday):  # crossed midnight meanwhile
        pytest.skip("the office date changed during the test")
    assert resp.status_code == 201, resp.text
    assert resp.json()["non_working_day"] is True and resp.json()["late_minutes"] == 0
    today = requests.get(f"{api}/me/today", headers=who["headers"], timeout=10).json()
    assert today["status"] == "libur" and today["working_day"] is False and today["schedule"] is None


def test_employee_override_moves_the_fence_to_the_assigned_office(api, admin, make_office, employee):
    home = make_office()
    far = make_office(lat=offset(*KOBA, 1500)[0], lon=offset(*KOBA, 1500)[1])
    who = employee(home["unit_codes"][0])
    resp = requests.put(f"{api}/employees/{who['nip']}/office", json={"office_code": far["code"]},
                        headers=admin, timeout=10)
    assert resp.status_code == 200, resp.text
    assert resp.json()["office"]["code"] == far["code"]
    # Now the unit's office is "another office": refused there, accepted at the assigned one.
    resp = check_in(api, who, home["latitude"], home["longitude"])
    assert resp.status_code == 403 and resp.json()["office_code"] == far["code"]
    resp = check_in(api, who, far["latitude"], far["longitude"])
    assert resp.status_code == 201 and resp.json()["office_code"] == far["code"]


def test_no_office_is_a_clear_409(api, employee):
    who = employee(f"NOOFFICE{suffix()}")
    resp = check_in(api, who, *KOBA)
    assert resp.status_code == 409, resp.text
    assert resp.json()["error"] == "no_office" and "Kantor Anda belum ditetapkan" in resp.json()["message"]


def test_wfh_without_roster_and_dl_without_travel_are_refused(api, make_office, employee, presence_db):
    office = make_office()
    who = employee(office["unit_codes"][0])
    resp = check_in(api, who, *offset(office["latitude"], office["longitude"], 5000), mode="WFH")
    assert resp.status_code == 409 and resp.json()["error"] == "roster_mismatch"
    assert resp.json()["roster_mode"] == "WFO"
    resp = check_in(api, who, *offset(office["latitude"], office["longitude"], 5000), mode="DL")
    assert resp.status_code == 409 and resp.json()["error"] == "no_approved_travel"
    assert presence_db.check_ins.count_documents({"nip": who["nip"]}) == 0


def test_roster_wfh_and_approved_travel_allow_away_check_ins(api, make_office, employee, presence_db):
    """The rosters/leave_days collections the later features fill decide WFH and DL."""
    office = make_office()
    today = local_now(office["timezone"]).date().isoformat()
    home_worker, traveller = employee(office["unit_codes"][0]), employee(office["unit_codes"][0])
    presence_db.rosters.insert_one({"_id": f"{home_worker['nip']}:{today}", "nip": home_worker["nip"],
                                    "date": today, "mode": "WFH"})
    presence_db.leave_days.insert_one({"_id": f"{traveller['nip']}:{today}", "nip": traveller["nip"], "date": today,
                                       "type": "dinas_luar", "leave_request_id": "test"})
    away = offset(office["latitude"], office["longitude"], 7000)
    resp = check_in(api, home_worker, *away, mode="WFO")
    assert resp.status_code == 409 and resp.json()["error"] == "roster_mismatch"
    resp = check_in(api, home_worker, *away, mode="WFH")
    assert resp.status_code == 201 and resp.json()["mode"] == "WFH", resp.text
    resp = check_in(api, traveller, *away, mode="DL")
    assert resp.status_code == 201 and resp.json()["mode"] == "DL", resp.text
    today_view = requests.get(f"{api}/me/today", headers=traveller["headers"], timeout=10).json()
    assert today_view["status"] == "dinas_luar" and today_view["leave_type"] == "dinas_luar"


# --------------------------------------------------------------------- team views
def test_supervisor_sees_direct_subordinates_and_a_peer_sees_none(api, admin, make_office, employee):
    office = make_office()
    unit = office["unit_codes"][0]
    boss = employee(unit)
    sub = employee(unit, supervisor_nip=boss["nip"])
    peer = employee(unit)
    assert check_in(api, sub, office["latitude"], office["longitude"]).status_code == 201

    resp = requests.get(f"{api}/team/today", headers=boss["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    team = resp.json()
    assert team["total"] == 1 and team["items"][0]["nip"] == sub["nip"]
    assert team["items"][0]["status"] == "hadir" and team["items"][0]["check_in"]["office_code"] == office["code"]

    # someone without subordinates has an empty team (the rule of every /team/ view) ...
    resp = requests.get(f"{api}/team/today", headers=peer["headers"], timeout=10)
    assert resp.status_code == 200 and resp.json()["items"] == [] and resp.json()["total"] == 0, resp.text
    # ... and may not look into another's
    resp = requests.get(f"{api}/team/today", params={"supervisor_nip": boss["nip"]}, headers=peer["headers"],
                        timeout=10)
    assert resp.status_code == 403 and resp.json()["error"] == "forbidden"
    resp = requests.get(f"{api}/team/history", params={"supervisor_nip": boss["nip"]}, headers=peer["headers"],
                        timeout=10)
    assert resp.status_code == 403
    # The subordinate is not the boss's supervisor either: an empty team of their own, not the boss's.
    assert requests.get(f"{api}/team/today", headers=sub["headers"], timeout=10).json()["items"] == []
    assert requests.get(f"{api}/team/today", params={"supervisor_nip": boss["nip"]}, headers=sub["headers"],
                        timeout=10).status_code == 403

    history = requests.get(f"{api}/team/history", headers=boss["headers"], timeout=10).json()
    assert [r["nip"] for r in history["items"]] == [sub["nip"]] and history["items"][0]["name"] == sub["name"]
    resp = requests.get(f"{api}/team/history", params={"nip": peer["nip"]}, headers=boss["headers"], timeout=10)
    assert resp.status_code == 403

    as_admin = requests.get(f"{api}/team/today", params={"supervisor_nip": boss["nip"]}, headers=admin, timeout=10)
    assert as_admin.status_code == 200 and as_admin.json()["items"][0]["nip"] == sub["nip"]

    unit_view = requests.get(f"{api}/attendance", params={"unit_code": unit}, headers=admin, timeout=10).json()
    by_nip = {i["nip"]: i["status"] for i in unit_view["items"]}
    assert by_nip == {boss["nip"]: "belum_hadir", sub["nip"]: "hadir", peer["nip"]: "belum_hadir"}
    assert requests.get(f"{api}/attendance", params={"unit_code": unit}, headers=boss["headers"],
                        timeout=10).status_code == 403


def test_my_history_lists_each_day_with_status(api, admin, make_office, employee):
    office = make_office()
    who = employee(office["unit_codes"][0])
    assert check_in(api, who, office["latitude"], office["longitude"]).status_code == 201
    today = local_now(office["timezone"]).date()
    resp = requests.get(f"{api}/me/history", params={"from": (today - timedelta(days=2)).isoformat(),
                                                     "to": today.isoformat()}, headers=who["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    items = resp.json()["items"]
    assert [i["date"] for i in items] == [(today - timedelta(days=n)).isoformat() for n in range(3)]
    assert items[0]["check_in"] is not None and items[0]["status"] == "hadir"
    assert items[1]["status"] == "tanpa_keterangan" and items[1]["check_in"] is None
    resp = requests.get(f"{api}/me/history", params={"from": "2020-01-01", "to": "2021-01-01"},
                        headers=who["headers"], timeout=10)
    assert resp.status_code == 422 and resp.json()["error"] == "range_too_long"


# --------------------------------------------------------------------- idempotency, concurrency
def test_idempotency_key_replays_the_first_answer(api, make_office, employee, presence_db):
    office = make_office()
    who = employee(office["unit_codes"][0])
    key = secrets.token_hex(16)
    first = check_in(api, who, office["latitude"], office["longitude"], **{"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    again = check_in(api, who, office["latitude"], office["longitude"], **{"Idempotency-Key": key})
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    changed = check_in(api, who, office["latitude"], office["longitude"], accuracy=11,
                       **{"Idempotency-Key": key})
    assert changed.status_code == 422 and changed.json()["error"] == "idempotency_key_reused"
    assert presence_db.check_ins.count_documents({"nip": who["nip"]}) == 1
    # Without the key a repeat is the ordinary 409.
    assert check_in(api, who, office["latitude"], office["longitude"]).status_code == 409

    out_key = secrets.token_hex(16)
    first_out = check_out(api, who, office["latitude"], office["longitude"], **{"Idempotency-Key": out_key})
    assert first_out.status_code == 201, first_out.text
    again_out = check_out(api, who, office["latitude"], office["longitude"], **{"Idempotency-Key": out_key})
    assert again_out.status_code == 201 and again_out.json() == first_out.json()
    # The check-in's key on the check-out route is a different request: refused.
    reused = check_out(api, who, office["latitude"], office["longitude"], **{"Idempotency-Key": key})
    assert reused.status_code == 422 and reused.json()["error"] == "idempotency_key_reused"
    bad = check_out(api, who, office["latitude"], office["longitude"], **{"Idempotency-Key": "no spaces please"})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_idempotency_key"
    doc = presence_db.check_ins.find_one({"nip": who["nip"]})
    assert doc["check_out"]["checked_out_at"] is not None


def test_two_parallel_check_ins_one_201_one_409(api, make_office, employee, presence_db):
    office = make_office()
    who = employee(office["unit_codes"][0])
    barrier = threading.Barrier(2)
    codes = []

    def go():
        barrier.wait()
        codes.append(check_in(api, who, office["latitude"], office["longitude"]).status_code)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201, 409]
    assert presence_db.check_ins.count_documents({"nip": who["nip"]}) == 1


# --------------------------------------------------------------------- bad input
BAD_BODIES = [
    {"latitude": 91, "longitude": 106.4, "accuracy_m": 5},
    {"latitude": -2.48, "longitude": "abc", "accuracy_m": 5},
    {"latitude": -2.48, "longitude": 106.4},
    {},
    {"latitude": {"$gt": 0}, "longitude": 106.4, "accuracy_m": 5},
    {"latitude": "-2.48", "longitude": 106.4, "accuracy_m": 5},
    {"latitude": True, "longitude": 106.4, "accuracy_m": 5},
    {"latitude": -2.48, "longitude": 106.4, "accuracy_m": -1},
    {"latitude": -2.48, "longitude": 106.4, "accuracy_m": 5, "mode": "HOME"},
    {"latitude": -2.48, "longitude": 106.4, "accuracy_m": 5, "nip": "198001012005011001"},
    [1, 2, 3],
]


@pytest.mark.parametrize("body", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_bad_check_in_bodies_are_422_and_store_nothing(api, make_office, employee, presence_db, body):
    who = _bad_input_employee(make_office, employee)
    resp = requests.post(f"{api}/check-ins", json=body, headers=who["headers"], timeout=10)
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == 422 and resp.json()["error"] == "validation_failed"
    assert presence_db.check_ins.count_documents({"nip": who["nip"]}) == 0


@pytest.mark.parametrize("raw", [
    '{"latitude": NaN, "longitude": 106.4, "accuracy_m": 5}',
    '{"latitude": -2.48, "longitude": Infinity, "accuracy_m": 5}',
    '{"latitude": -2.48, "longitude": 106.4, "accuracy_m": -Infinity}',
    '{"latitude": 1e999, "longitude": 106.4, "accuracy_m": 5}',
    '{"latitude": -2.48, "longitude": 106.4, ',
])
def test_nan_infinity_and_broken_json_are_4xx(api, make_office, employee, presence_db, raw):
    who = _bad_input_employee(make_office, employee)
    resp = requests.post(f"{api}/check-ins", data=raw, timeout=10,
                         headers={**who["headers"], "Content-Type": "application/json"})
    assert 400 <= resp.status_code < 500, resp.text
    assert resp.json()["code"] == resp.status_code
    assert presence_db.check_ins.count_documents({"nip": who["nip"]}) == 0


def test_one_megabyte_body_is_413_json(api, make_office, employee, presence_db):
    who = _bad_input_employee(make_office, employee)
    body = json.dumps({"latitude": -2.48, "longitude": 106.4, "accuracy_m": 5, "pad": "x" * 1_100_000})
    resp = requests.post(f"{api}/check-ins", data=body, timeout=10,
                         headers={**who["headers"], "Content-Type": "application/json"})
    assert resp.status_code == 413
    assert resp.json()["code"] == 413
    assert presence_db.check_ins.count_documents({"nip": who["nip"]}) == 0


def test_no_token_is_401_and_employees_cannot_manage_offices(api, make_office, employee):
    assert requests.post(f"{api}/check-ins", json={"latitude": 0, "longitude": 0, "accuracy_m": 1},
                         timeout=10).status_code == 401
    who = _bad_input_employee(make_office, employee)
    resp = requests.post(f"{api}/offices", json={"code": f"X{suffix()}", "name": "x", "latitude": 0,
                                                 "longitude": 0}, headers=who["headers"], timeout=10)
    assert resp.status_code == 403
    resp = requests.post(f"{api}/holidays", json={"date": "2030-01-01", "name": "x"}, headers=who["headers"],
                         timeout=10)
    assert resp.status_code == 403


_BAD_INPUT_EMPLOYEE: dict = {}


def _bad_input_employee(make_office, employee) -> dict:
    if not _BAD_INPUT_EMPLOYEE:
        office = make_office()
        _BAD_INPUT_EMPLOYEE.update(employee(office["unit_codes"][0]))
    return _BAD_INPUT_EMPLOYEE
