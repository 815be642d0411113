"""The employment span through the gateway: staff who joined mid-month (one through the CSV import)
and one who left are recapped against a hand-computed table; their days outside the span are
not_employed in the history (with the reason), the daily close records no absence for them, and a
TMT corrected later turns a settled absence into not_employed at performance too."""
from __future__ import annotations

import os
import secrets
from datetime import date

import pytest
import requests
from conftest import wait_until

from e2e.presence_common import DAYS, KOBA, TZ, admin, api, check_in_doc, db  # noqa: F401 - fixtures by name
from support import GATEWAY, random_nip

pytestmark = pytest.mark.e2e

IDENTITY = f"{GATEWAY}/api/identity/v1"
PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
MONTH = "2024-07"  # 1 July 2024 is a Monday: 23 weekdays
NATIONAL, CUTI_BERSAMA = "2024-07-17", "2024-07-18"  # a Wednesday and a Thursday


def d(day: int) -> str:
    return f"{MONTH}-{day:02d}"


# Mon-Fri 07:30-16:00 (grace 0) with the two holidays above: 21 working days.
WEEKDAYS = [n for n in range(1, 32) if date(2024, 7, n).weekday() < 5]


@pytest.fixture(scope="module")
def world(api, admin, db):
    unit = f"UES{secrets.token_hex(3).upper()}"
    resp = requests.post(f"{IDENTITY}/units", headers=admin, timeout=10, json={"code": unit, "name": "Unit Uji TMT"})
    assert resp.status_code == 201, resp.text
    office = f"ES-{secrets.token_hex(4).upper()}"
    days = {day: ({"start": "07:30", "end": "16:00"} if day not in ("sat", "sun") else None) for day in DAYS}
    resp = requests.post(f"{api}/offices", headers=admin, timeout=10, json={
        "code": office, "name": "Kantor Uji TMT", "latitude": KOBA[0], "longitude": KOBA[1], "timezone": TZ,
        "unit_codes": [unit], "schedule": {"days": days, "grace_minutes": 0}})
    assert resp.status_code == 201, resp.text
    others = [h["_id"] for h in db.holidays.find({"_id": {"$gte": d(1), "$lte": d(31)}})
              if h["_id"] not in (NATIONAL, CUTI_BERSAMA) and date.fromisoformat(h["_id"]).weekday() < 5]
    assert not others, f"another test keeps holidays in {MONTH}: {others}"
    for day, name, kind in ((NATIONAL, "Libur nasional uji", "national"), (CUTI_BERSAMA, "Cuti bersama uji",
                                                                             "cuti_bersama")):
        requests.delete(f"{api}/holidays/{day}", headers=admin, timeout=10)
        resp = requests.post(f"{api}/holidays", headers=admin, timeout=10, json={"date": day, "name": name,
                                                                                   "kind": kind})
        assert resp.status_code == 201, resp.text

    def employee(name: str, **extra) -> dict:
        nip = random_nip()
        resp = requests.post(f"{IDENTITY}/employees", headers=admin, timeout=10, json={
            "nip": nip, "name": name, "unit_code": unit, "position": "Analis", **extra})
        assert resp.status_code == 201, resp.text
        return resp.json()

    whole = employee("Aminah Sepanjang Bulan", active_from="2024-01-01")
    joined = employee("Budi Masuk Tengah Bulan", active_from="2024-07-15")
    assert (joined["active_from"], joined["active_until"]) == ("2024-07-15", None)
    # Citra joins by the CSV import's optional active_from column, written the Indonesian way
    citra = random_nip()
    csv = (f"nip,name,unit_code,position,supervisor_nip,email,active_from\n"
           f"{citra},Citra Lewat Impor,{unit},Analis,,,22/07/2024\n").encode()
    resp = requests.post(f"{IDENTITY}/employees/import", headers=admin, timeout=30,
                         files={"file": ("pegawai.csv", csv, "text/csv")})
    assert resp.status_code == 200 and resp.json()["created"] == 1, resp.text
    left = employee("Dedi Keluar Tengah Bulan", active_from="2024-01-01")
    resp = requests.post(f"{IDENTITY}/employees/{left['nip']}/deactivate", headers=admin, timeout=10,
                         json={"active_until": "2024-07-10"})
    assert resp.status_code == 200 and resp.json()["active_until"] == "2024-07-10", resp.text
    people = {"whole": whole["nip"], "joined": joined["nip"], "citra": citra, "left": left["nip"]}
    for nip in people.values():
        wait_until(lambda: (db.employees.find_one({"_id": nip}) or {}).get("employment"), timeout=30,
                   message="the employee copy with its employment span")
    wait_until(lambda: db.employees.find_one({"_id": left["nip"]})["active"] is False, timeout=30,
               message="the deactivation")

    docs = [check_in_doc(whole["nip"], d(1)), check_in_doc(whole["nip"], d(2), late=42),
            check_in_doc(whole["nip"], d(3), early=None)]                       # on time, TL2, no check-out
    docs += [check_in_doc(joined["nip"], d(n)) for n in WEEKDAYS if n >= 15 and d(n) not in (NATIONAL, CUTI_BERSAMA)]
    docs += [check_in_doc(left["nip"], d(n)) for n in range(1, 6)]             # present 1-5, absent 8-10
    # a check-in stored for a day outside the span changes nothing (counted nowhere)
    docs.append(check_in_doc(joined["nip"], d(12)))
    db.check_ins.insert_many([{**doc, "office_code": office} for doc in docs])
    yield {"unit": unit, "office": office, **people}
    requests.delete(f"{api}/offices/{office}", headers=admin, timeout=10)
    for day in (NATIONAL, CUTI_BERSAMA):
        requests.delete(f"{api}/holidays/{day}", headers=admin, timeout=10)


# The hand-computed table: July 2024, Mon-Fri, national holiday on the 17th, cuti bersama on the 18th.
EXPECTED = {
    # whole month: 23 weekdays - 2 holidays = 21 working days; 3 present (one 42 min late: TL2; one without
    # check-out: PSW4), 18 absent: 18 x 5 % + 1 % + 1.5 % = 92.5 %
    "whole": {"working_days": 21, "present": 3, "late_days": 1, "tl2": 1, "psw4": 1, "no_checkout_days": 1,
              "absent": 18, "not_employed_days": 0, "national_holidays": 1, "cuti_bersama_days": 1,
              "deduction_percent": 92.5},
    # from Mon 15th: 13 weekdays, 2 of them holidays -> 11 working days, all present; the 10 weekdays
    # before are not_employed (the check-in stored on the 12th included)
    "joined": {"working_days": 11, "present": 11, "late_days": 0, "tl2": 0, "psw4": 0, "no_checkout_days": 0,
               "absent": 0, "not_employed_days": 10, "national_holidays": 1, "cuti_bersama_days": 1,
               "deduction_percent": 0.0},
    # from Mon 22nd (CSV): 8 working days, no check-in: 8 absent = 40 %; the 13 working weekdays before
    # are not_employed (the two holidays fall before the TMT: not counted as holidays for her)
    "citra": {"working_days": 8, "present": 0, "late_days": 0, "tl2": 0, "psw4": 0, "no_checkout_days": 0,
              "absent": 8, "not_employed_days": 13, "national_holidays": 0, "cuti_bersama_days": 0,
              "deduction_percent": 40.0},
    # last day Wed 10th: 8 working days, present 1-5, absent 8-10 = 15 %; the 13 working weekdays after
    # are not_employed
    "left": {"working_days": 8, "present": 5, "late_days": 0, "tl2": 0, "psw4": 0, "no_checkout_days": 0,
             "absent": 3, "not_employed_days": 13, "national_holidays": 0, "cuti_bersama_days": 0,
             "deduction_percent": 15.0},
}


def test_the_unit_recap_matches_the_hand_computed_table(api, admin, world):
    resp = requests.get(f"{api}/recap", headers=admin, timeout=30, params={"unit_code": world["unit"], "month": MONTH})
    assert resp.status_code == 200, resp.text
    rows = {r["nip"]: r for r in resp.json()["items"]}
    assert set(rows) == {world[k] for k in EXPECTED}  # the one who left is in the month she left
    for key, expected in EXPECTED.items():
        row = rows[world[key]]
        assert {k: row[k] for k in expected} == expected, key
        assert row["leave_days"] == {"izin": 0, "sakit": 0, "cuti": 0, "dinas_luar": 0, "tugas_belajar": 0}
    # and the next month the one who left is gone from the unit's recap
    after = requests.get(f"{api}/recap", headers=admin, timeout=30,
                         params={"unit_code": world["unit"], "month": "2024-08"}).json()["items"]
    assert world["left"] not in {r["nip"] for r in after}


def test_history_says_not_employed_and_why(api, admin, world):
    resp = requests.get(f"{api}/employees/{world['joined']}/history", headers=admin, timeout=10,
                        params={"from": d(10), "to": d(16)})
    assert resp.status_code == 200, resp.text
    days = {v["date"]: v for v in resp.json()["items"]}
    assert [days[d(n)]["status"] for n in (10, 11, 12, 15, 16)] == ["not_employed"] * 3 + ["hadir"] * 2
    reason = days[d(12)]["reasons"][0]
    assert reason["code"] == "before_employment" and reason["params"] == {"active_from": "2024-07-15"}
    assert "2024-07-15" in reason["text"] and "TMT" in reason["text"]
    english = requests.get(f"{api}/employees/{world['joined']}/history", timeout=10, params={"from": d(12), "to": d(12)},
                           headers={**admin, "Accept-Language": "en"}).json()["items"][0]["reasons"][0]["text"]
    assert english.startswith("Before the start of employment")
    left = requests.get(f"{api}/employees/{world['left']}/history", headers=admin, timeout=10,
                        params={"from": d(10), "to": d(11)}).json()["items"]
    assert [(v["date"], v["status"], v["reasons"][0]["code"]) for v in left] == [
        (d(11), "not_employed", "after_employment"), (d(10), "tanpa_keterangan", "no_check_in")]
    holiday = requests.get(f"{api}/employees/{world['whole']}/history", headers=admin, timeout=10,
                           params={"from": NATIONAL, "to": CUTI_BERSAMA}).json()["items"]
    assert [(v["holiday_kind"], v["reasons"][0]["code"]) for v in holiday] == [
        ("cuti_bersama", "cuti_bersama"), ("national", "national_holiday")]


def test_the_close_records_no_absence_outside_the_span(api, admin, db, world):
    resp = requests.post(f"{api}/days/{d(12)}/close", headers=admin, timeout=120)
    assert resp.status_code == 200, resp.text
    records = {r["nip"]: r["status"] for r in db.day_records.find({"date": d(12), "nip": {"$in": [
        world["whole"], world["joined"], world["citra"], world["left"]]}})}
    assert records == {world["whole"]: "tanpa_keterangan"}
    settled = {s["nip"]: s["status"] for s in db.day_settlements.find({"date": d(12), "nip": {"$in": [
        world["whole"], world["joined"], world["citra"], world["left"]]}})}
    assert settled == {world["whole"]: "tanpa_keterangan"}


def test_a_later_tmt_turns_a_settled_absence_into_not_employed_at_performance(api, admin, db, mongo_client, world):
    perf = mongo_client[PERFORMANCE_DB]
    nip = random_nip()
    resp = requests.post(f"{IDENTITY}/employees", headers=admin, timeout=10, json={
        "nip": nip, "name": "Eko Salah TMT", "unit_code": world["unit"], "position": "Analis",
        "active_from": "2024-07-01"})
    assert resp.status_code == 201, resp.text
    wait_until(lambda: (db.employees.find_one({"_id": nip}) or {}).get("employment"), timeout=30, message="copy")
    assert requests.post(f"{api}/days/{d(9)}/close", headers=admin, timeout=120).status_code == 200
    key = f"{nip}:{d(9)}"
    wait_until(lambda: (perf.attendance_days.find_one({"_id": key}) or {}).get("status") == "tanpa_keterangan",
               timeout=30, message="the settled absence at performance")
    resp = requests.patch(f"{IDENTITY}/employees/{nip}", headers=admin, timeout=10, json={"active_from": "2024-07-15"})
    assert resp.status_code == 200 and resp.json()["active_from"] == "2024-07-15", resp.text
    wait_until(lambda: (perf.attendance_days.find_one({"_id": key}) or {}).get("status") == "not_employed",
               timeout=30, message="the day settled again as not_employed")
    day = perf.attendance_days.find_one({"_id": key})
    assert day["working_day"] is False
    assert db.day_settlements.find_one({"_id": key})["status"] == "not_employed"


def test_span_refusals(admin, world):
    nip = random_nip()
    base = {"nip": nip, "name": "Fajar", "unit_code": world["unit"], "position": "Analis"}
    resp = requests.post(f"{IDENTITY}/employees", headers=admin, timeout=10, json={**base, "active_from": "2024-13-01"})
    assert resp.status_code == 422 and "active_from" in resp.json()["errors"], resp.text
    assert requests.post(f"{IDENTITY}/employees", headers=admin, timeout=10,
                         json={**base, "active_from": "2024-07-01"}).status_code == 201
    resp = requests.post(f"{IDENTITY}/employees/{nip}/deactivate", headers=admin, timeout=10,
                         json={"active_until": "2024-08-01", "extra": 1})
    assert resp.status_code == 422 and resp.json()["errors"] == {"extra": ["Isian tidak dikenal."]}, resp.text
    assert requests.post(f"{IDENTITY}/employees/{nip}/deactivate", headers=admin, timeout=10,
                         json={"active_until": "2024-08-01"}).status_code == 200
    resp = requests.post(f"{IDENTITY}/employees/{nip}/reactivate", headers=admin, timeout=10,
                         json={"active_from": "2024-06-01"})
    assert resp.status_code == 422 and resp.json()["error"] == "invalid_employment_span", resp.text
    resp = requests.post(f"{IDENTITY}/employees/{nip}/reactivate", headers=admin, timeout=10,
                         json={"active_from": "2024-09-02"})
    assert resp.status_code == 200 and resp.json()["employment"] == [
        {"from": "2024-07-01", "until": "2024-08-01"}, {"from": "2024-09-02", "until": None}], resp.text
