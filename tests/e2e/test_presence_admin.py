"""Presence administration through the gateway: offices, schedules, overrides, holidays, assignments."""
from __future__ import annotations

import secrets

import pytest
import requests
from conftest import bearer, login_direct, random_nip, wait_until

from e2e.presence_common import admin, api, PRESENCE_DB  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e



def tag() -> str:
    return secrets.token_hex(4).upper()


def test_office_lifecycle_and_unit_uniqueness(api, admin, mongo_client):
    code, unit = f"ADM-{tag()}", f"UA{tag()}"
    body = {"code": code, "name": "Kantor Camat Koba", "latitude": -2.4870, "longitude": 106.4110,
            "unit_codes": [unit, unit]}
    resp = requests.post(f"{api}/offices", json=body, headers=admin, timeout=10)
    assert resp.status_code == 201, resp.text
    office = resp.json()
    assert office["radius_m"] == 50 and office["timezone"] == "Asia/Jakarta" and office["max_accuracy_m"] == 100
    assert office["unit_codes"] == [unit]
    assert office["schedule"]["days"]["mon"] == {"start": "07:30", "end": "16:00"}
    assert office["schedule"]["days"]["fri"] == {"start": "07:30", "end": "16:30"}
    assert office["schedule"]["days"]["sat"] is None and office["schedule"]["grace_minutes"] == 0
    try:
        assert requests.post(f"{api}/offices", json=body, headers=admin, timeout=10).json()["error"] == "office_exists"
        other = {**body, "code": f"ADM-{tag()}"}
        resp = requests.post(f"{api}/offices", json=other, headers=admin, timeout=10)
        assert resp.status_code == 409 and resp.json()["error"] == "unit_already_housed"
        assert resp.json()["units"] == {unit: code}

        resp = requests.patch(f"{api}/offices/{code}", json={"radius_m": 120, "timezone": "Asia/Makassar"},
                              headers=admin, timeout=10)
        assert resp.status_code == 200 and resp.json()["radius_m"] == 120
        assert requests.get(f"{api}/offices/{code}", headers=admin, timeout=10).json()["timezone"] == "Asia/Makassar"
        for bad in ({"radius_m": 5}, {"radius_m": 1001}, {"timezone": "WIB"}, {"code": "X"}, {},
                    {"latitude": {"$gt": 0}}):
            resp = requests.patch(f"{api}/offices/{code}", json=bad, headers=admin, timeout=10)
            assert resp.status_code == 422, (bad, resp.text)
        assert requests.get(f"{api}/offices/{code}", headers=admin, timeout=10).json()["radius_m"] == 120

        resp = requests.put(f"{api}/offices/{code}/schedule", headers=admin, timeout=10, json={
            "days": {"mon": {"start": "08:00", "end": "14:30"}, "fri": {"start": "08:00", "end": "11:30"}},
            "grace_minutes": 15})
        assert resp.status_code == 200, resp.text
        schedule = requests.get(f"{api}/offices/{code}/schedule", headers=admin, timeout=10).json()
        assert schedule["days"]["mon"] == {"start": "08:00", "end": "14:30"} and schedule["days"]["tue"] is None
        assert schedule["grace_minutes"] == 15
        resp = requests.put(f"{api}/offices/{code}/schedule", headers=admin, timeout=10,
                            json={"days": {"mon": {"start": "16:00", "end": "08:00"}}})
        assert resp.status_code == 422

        resp = requests.post(f"{api}/offices/{code}/schedule-overrides", headers=admin, timeout=10, json={
            "name": "Ramadan 1448", "start_date": "2027-02-08", "end_date": "2027-03-09",
            "days": {d: {"start": "08:00", "end": "15:00"} for d in ("mon", "tue", "wed", "thu")}})
        assert resp.status_code == 201, resp.text
        override_id = resp.json()["id"]
        assert resp.json()["days"]["fri"] is None
        resp = requests.post(f"{api}/offices/{code}/schedule-overrides", headers=admin, timeout=10, json={
            "name": "x", "start_date": "2027-03-09", "end_date": "2027-02-08", "days": {}})
        assert resp.status_code == 422
        assert requests.delete(f"{api}/offices/{code}/schedule-overrides/{override_id}", headers=admin,
                               timeout=10).status_code == 204
        assert requests.get(f"{api}/offices/{code}/schedule-overrides", headers=admin,
                            timeout=10).json()["total"] == 0

        listing = requests.get(f"{api}/offices", params={"page_size": 200}, headers=admin, timeout=10).json()
        assert listing["page_size"] == 200 and listing["total"] >= 1
        audit = mongo_client[PRESENCE_DB].audit.find({"entity": "office", "entity_id": code})
        assert {a["action"] for a in audit} >= {"create", "update", "set_schedule", "add_override"}
    finally:
        assert requests.delete(f"{api}/offices/{code}", headers=admin, timeout=10).status_code == 204
    assert requests.get(f"{api}/offices/{code}", headers=admin, timeout=10).status_code == 404
    assert requests.delete(f"{api}/offices/{code}", headers=admin, timeout=10).status_code == 404


def test_holidays_single_and_csv(api, admin):
    year = 2090 + secrets.randbelow(9)
    day = f"{year}-08-17"
    resp = requests.post(f"{api}/holidays", json={"date": day, "name": "HUT RI"}, headers=admin, timeout=10)
    assert resp.status_code == 201, resp.text
    try:
        resp = requests.post(f"{api}/holidays", json={"date": day, "name": "HUT RI"}, headers=admin, timeout=10)
        assert resp.status_code == 409 and resp.json()["error"] == "holiday_exists"
        assert requests.post(f"{api}/holidays", json={"date": f"{year}-02-30", "name": "x"}, headers=admin,
                             timeout=10).status_code == 422
        csv = (f"date,name\n{year}-01-01,Tahun Baru\n{year}-08-17,Hari Kemerdekaan RI\nnot-a-date,Bad\n"
               f"{year}-12-25,Natal\n")
        resp = requests.post(f"{api}/holidays/import", files={"file": ("libur.csv", csv, "text/csv")},
                             headers=admin, timeout=10)
        assert resp.status_code == 200, resp.text
        result = resp.json()
        assert (result["created"], result["updated"]) == (2, 1)
        assert [e["line"] for e in result["errors"]] == [4] and "not-a-date" in result["errors"][0]["message"]
        listed = requests.get(f"{api}/holidays", params={"year": year}, headers=admin, timeout=10).json()
        assert [(h["date"], h["name"]) for h in listed["items"]] == [
            (f"{year}-01-01", "Tahun Baru"), (f"{year}-08-17", "Hari Kemerdekaan RI"), (f"{year}-12-25", "Natal")]
        assert requests.post(f"{api}/holidays/import", headers=admin, timeout=10).status_code == 422
        assert requests.get(f"{api}/holidays", params={"year": "abc"}, headers=admin, timeout=10).status_code == 422
    finally:
        for d in (f"{year}-01-01", day, f"{year}-12-25"):
            requests.delete(f"{api}/holidays/{d}", headers=admin, timeout=10)
    assert requests.get(f"{api}/holidays", params={"year": year}, headers=admin, timeout=10).json()["total"] == 0
    assert requests.delete(f"{api}/holidays/{day}", headers=admin, timeout=10).status_code == 404
    assert requests.delete(f"{api}/holidays/garbage", headers=admin, timeout=10).status_code == 422


def test_national_holidays_import_and_cuti_bersama(api, admin):
    """2019 from the national calendar: 17 public holidays plus 4 cuti bersama days; a date already
    entered by the admin is kept; a second import adds nothing; cuti bersama can be removed."""
    year = 2019
    mine = requests.post(f"{api}/holidays", json={"date": "2019-08-17", "name": "HUT RI ke-74 (kabupaten)"},
                         headers=admin, timeout=10)
    assert mine.status_code in (201, 409), mine.text
    try:
        resp = requests.post(f"{api}/holidays/import-national", params={"year": year}, headers=admin, timeout=30)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        created = {h["date"]: h for h in body["created"]}
        assert "2019-08-17" in body["kept"] and "2019-08-17" not in created
        assert created["2019-12-25"]["kind"] == "national" and created["2019-12-25"]["name"] == "Hari Raya Natal"
        assert created["2019-12-24"]["kind"] == "cuti_bersama"
        assert created["2019-12-24"]["source"] == "national_calendar" and body["calendar"].startswith("holidays ")
        listed = {h["date"]: h for h in requests.get(f"{api}/holidays", params={"year": year}, headers=admin,
                                                     timeout=10).json()["items"]}
        assert sum(h["kind"] == "cuti_bersama" for h in listed.values()) == 4
        assert sum(h["kind"] == "national" for h in listed.values()) == 17
        assert listed["2019-08-17"]["name"] == "HUT RI ke-74 (kabupaten)" and listed["2019-08-17"]["source"] == "admin"
        again = requests.post(f"{api}/holidays/import-national", params={"year": year}, headers=admin, timeout=30)
        assert again.json()["created"] == [] and len(again.json()["kept"]) == 21
        # the decree of the year differs: the admin removes a cuti bersama day and adds another
        assert requests.delete(f"{api}/holidays/2019-06-07", headers=admin, timeout=10).status_code == 204
        resp = requests.post(f"{api}/holidays", headers=admin, timeout=10,
                             json={"date": "2019-06-10", "name": "Cuti Bersama Idul Fitri", "kind": "cuti_bersama"})
        assert resp.status_code == 201 and resp.json()["kind"] == "cuti_bersama", resp.text
        bad = requests.post(f"{api}/holidays", headers=admin, timeout=10,
                            json={"date": "2019-06-11", "name": "x", "kind": "regional"})
        assert bad.status_code == 422 and "kind" in bad.json()["errors"]
        assert requests.post(f"{api}/holidays/import-national", params={"year": 1800}, headers=admin,
                             timeout=10).status_code == 422
        csv = "date,name,kind\n2019-06-12,Cuti tambahan,cuti bersama\n"
        resp = requests.post(f"{api}/holidays/import", files={"file": ("libur.csv", csv, "text/csv")},
                             headers=admin, timeout=10)
        assert resp.status_code == 200 and resp.json()["created"] == 1, resp.text
        listed = {h["date"]: h["kind"] for h in requests.get(f"{api}/holidays", params={"year": year}, headers=admin,
                                                             timeout=10).json()["items"]}
        assert listed["2019-06-12"] == "cuti_bersama" and "2019-06-07" not in listed
    finally:
        for h in requests.get(f"{api}/holidays", params={"year": year}, headers=admin, timeout=10).json()["items"]:
            requests.delete(f"{api}/holidays/{h['date']}", headers=admin, timeout=10)


def test_employee_office_assignment_rules(api, admin, make_employee, mongo_client):
    person = make_employee(unit_code=f"UE{tag()}")
    wait_until(lambda: mongo_client[PRESENCE_DB].employees.find_one({"_id": person["nip"]}), timeout=30,
               message="employee copy")
    token = bearer(login_direct(person["nip"], person["password"])["access_token"])
    mine = requests.get(f"{api}/employees/{person['nip']}/office", headers=token, timeout=10)
    assert mine.status_code == 200 and mine.json()["office"] is None
    other = random_nip()
    assert requests.get(f"{api}/employees/{other}/office", headers=token, timeout=10).status_code == 403
    resp = requests.put(f"{api}/employees/{person['nip']}/office", json={"office_code": "NOPE"}, headers=token,
                        timeout=10)
    assert resp.status_code == 403
    resp = requests.put(f"{api}/employees/{person['nip']}/office", json={"office_code": f"NOPE{tag()}"},
                        headers=admin, timeout=10)
    assert resp.status_code == 404
    resp = requests.put(f"{api}/employees/{other}/office", json={"office_code": None}, headers=admin, timeout=10)
    assert resp.status_code == 404
    resp = requests.put(f"{api}/employees/{person['nip']}/office", json={"office_code": {"$ne": 1}},
                        headers=admin, timeout=10)
    assert resp.status_code == 422
