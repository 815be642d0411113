"""Attendance beside performance, through the gateway: check-ins with lateness, an absence closed by
the daily close and a sick day approved after the close reach performance as presence.day.settled
events; the SKP period's discipline summary equals presence's monthly recap of the same days."""
from __future__ import annotations

import calendar
import os
import secrets
from datetime import date

import pytest
import requests
from conftest import bearer, login_direct, wait_until

from e2e.presence_common import DAYS, KOBA, TZ, check_in_doc, today

pytestmark = pytest.mark.e2e

PRESENCE_DB = os.environ.get("SIPK_PRESENCE_DB", "presence")
PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
YEAR = today().year - 1  # a fully past year: every day of the month has ended everywhere
MONTH = 3
WORKING = ("mon", "wed", "fri")
COMPARED = ("working_days", "present", "late_days", "late_minutes", "tl1", "tl2", "tl3", "tl4",
            "early_leave_days", "early_leave_minutes", "psw1", "psw2", "psw3", "psw4", "no_checkout_days")


@pytest.fixture(scope="module")
def world(gateway, admin_token, make_employee, mongo_client):
    presence, perf = mongo_client[PRESENCE_DB], mongo_client[PERFORMANCE_DB]
    admin = bearer(admin_token)
    office, unit = f"AT-{secrets.token_hex(4).upper()}", f"UAT{secrets.token_hex(3).upper()}"
    days = {d: ({"start": "07:30", "end": "16:00"} if d in WORKING else None) for d in DAYS}
    resp = requests.post(f"{gateway}/api/presence/v1/offices", headers=admin, timeout=10, json={
        "code": office, "name": "Kantor Uji Kehadiran", "latitude": KOBA[0], "longitude": KOBA[1], "timezone": TZ,
        "unit_codes": [unit], "schedule": {"days": days, "grace_minutes": 0}})
    assert resp.status_code == 201, resp.text
    boss = make_employee(unit_code=unit, name="Kepala Uji Kehadiran")
    worker = make_employee(unit_code=unit, supervisor_nip=boss["nip"], name="Pegawai Uji Kehadiran")
    for who in (boss, worker):
        wait_until(lambda: presence.employees.find_one({"_id": who["nip"]}) and perf.employees.find_one(
            {"_id": who["nip"]}), timeout=30, message="the employee copies")
    yield {"admin": admin, "unit": unit, "boss": boss, "worker": worker, "presence": presence, "perf": perf}
    requests.delete(f"{gateway}/api/presence/v1/offices/{office}", headers=admin, timeout=10)


def month_days(db) -> list[str]:
    last = calendar.monthrange(YEAR, MONTH)[1]
    holidays = {h["_id"] for h in db.holidays.find({"_id": {"$gte": f"{YEAR}-{MONTH:02d}-01",
                                                             "$lte": f"{YEAR}-{MONTH:02d}-{last}"}})}
    out = []
    for n in range(1, last + 1):
        d = date(YEAR, MONTH, n)
        if DAYS[d.weekday()] in WORKING and d.isoformat() not in holidays:
            out.append(d.isoformat())
    return out


def test_period_attendance_summary_equals_the_presence_recap(gateway, world):
    presence, perf, admin = world["presence"], world["perf"], world["admin"]
    worker, boss = world["worker"], world["boss"]
    nip = worker["nip"]
    w = month_days(presence)
    assert len(w) >= 10
    presence.check_ins.insert_many(
        [check_in_doc(nip, w[0], late=10), check_in_doc(nip, w[1], late=45, early=20),
         check_in_doc(nip, w[2], late=95, early=None), check_in_doc(nip, w[3], early=75, mode="WFH")]
        + [check_in_doc(nip, d) for d in w[6:]])  # w[4]: sick, approved after the close; w[5]: absent
    for d in w:
        resp = requests.post(f"{gateway}/api/presence/v1/days/{d}/close", headers=admin, timeout=120)
        assert resp.status_code == 200, resp.text
    wait_until(lambda: perf.attendance_days.count_documents({"nip": nip}) == len(w), timeout=60,
               message="performance's settled days")
    assert perf.attendance_days.find_one({"_id": f"{nip}:{w[4]}"})["status"] == "tanpa_keterangan"

    # a leave decided after the close settles the day again: performance follows
    worker_h = bearer(login_direct(nip, worker["password"])["access_token"])
    boss_h = bearer(login_direct(boss["nip"], boss["password"])["access_token"])
    leave = requests.post(f"{gateway}/api/presence/v1/leave-requests", headers=worker_h, timeout=10, json={
        "type": "sakit", "start_date": w[4], "end_date": w[4], "reason": "Demam"})
    assert leave.status_code == 201, leave.text
    decided = requests.post(f"{gateway}/api/presence/v1/leave-requests/{leave.json()['id']}/decision",
                            headers=boss_h, timeout=10, json={"approved": True})
    assert decided.status_code == 200, decided.text
    wait_until(lambda: (perf.attendance_days.find_one({"_id": f"{nip}:{w[4]}"}) or {}).get("status") == "sakit",
               timeout=60, message="the re-settled sick day")
    # closing again sends nothing new: the settlement did not change
    revisions = {d["_id"]: d["revision"] for d in presence.day_settlements.find({"nip": nip})}
    assert requests.post(f"{gateway}/api/presence/v1/days/{w[0]}/close", headers=admin, timeout=120).status_code == 200
    assert {d["_id"]: d["revision"] for d in presence.day_settlements.find({"nip": nip})} == revisions
    assert revisions[f"{nip}:{w[4]}"] == 2 and revisions[f"{nip}:{w[0]}"] == 1

    # an SKP of that year with the monthly scheme; the head's plan approved by an admin first
    url = f"{gateway}/api/performance/v1"
    setting = requests.put(f"{url}/skp-settings/{YEAR}", headers=admin, timeout=10, json={"period_scheme": "monthly"})
    assert setting.status_code == 200 and setting.json()["periods"][0] == "M01", setting.text
    ind = [{"description": "Dokumen", "target": 1, "unit": "dokumen"}]
    head_skp = requests.post(f"{url}/skp", headers=boss_h, timeout=10, json={
        "year": YEAR, "items": [{"rhk": "RHK kepala", "indicators": ind}]}).json()
    assert requests.post(f"{url}/skp/{head_skp['id']}/submit", headers=boss_h, json={}, timeout=10).ok
    assert requests.post(f"{url}/skp/{head_skp['id']}/approve", headers=admin, json={}, timeout=10).ok
    skp = requests.post(f"{url}/skp", headers=worker_h, timeout=10, json={"year": YEAR, "items": [
        {"rhk": "RHK pegawai", "parent_item_id": head_skp["items"][0]["id"], "indicators": ind}]})
    assert skp.status_code == 201 and skp.json()["period_scheme"] == "monthly", skp.text
    skp_id = skp.json()["id"]
    assert requests.post(f"{url}/skp/{skp_id}/submit", headers=worker_h, json={}, timeout=10).ok
    assert requests.post(f"{url}/skp/{skp_id}/approve", headers=boss_h, json={}, timeout=10).ok
    assert requests.post(f"{url}/skp/{skp_id}/evaluations", headers=boss_h, timeout=10,
                         json={"period": "Q1", "hasil_kerja": "sesuai", "perilaku": "sesuai"}).status_code == 422

    view = requests.get(f"{url}/skp/{skp_id}/periods/M{MONTH:02d}", headers=boss_h, timeout=30)
    assert view.status_code == 200, view.text
    summary = view.json()["attendance"]
    recap = requests.get(f"{gateway}/api/presence/v1/recap", headers=admin, timeout=30,
                         params={"unit_code": world["unit"], "month": f"{YEAR}-{MONTH:02d}"})
    assert recap.status_code == 200, recap.text
    row = next(r for r in recap.json()["items"] if r["nip"] == nip)
    assert {k: summary[k] for k in COMPARED} == {k: row[k] for k in COMPARED}
    assert summary["tanpa_keterangan"] == row["absent"] == 1
    assert summary["leave_days"] == row["leave_days"] and summary["leave_days"]["sakit"] == 1
    # and what the comparison rests on, by hand: TL1, TL2, TL4 (late 95) once each, PSW1, PSW3, PSW4 (no check-out)
    assert (summary["working_days"], summary["present"]) == (len(w), len(w) - 2)
    assert (summary["tl1"], summary["tl2"], summary["tl3"], summary["tl4"]) == (1, 1, 0, 1)
    assert (summary["psw1"], summary["psw2"], summary["psw3"], summary["psw4"]) == (1, 0, 1, 1)

    page = requests.get(f"{url}/skp/{skp_id}/periods/M{MONTH:02d}/document", headers=worker_h, timeout=60)
    assert page.status_code == 200 and "Kehadiran dan Disiplin" in page.text and "Maret" in page.text
