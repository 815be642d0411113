"""Daily close (tanpa_keterangan / no_checkout, idempotent) and the monthly recap (JSON + CSV) through the gateway."""
from __future__ import annotations

import calendar
import csv
import io
import secrets
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from conftest import bearer, login_direct, wait_until

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "presence"))
from presence.recap_export import EXPORT_COLUMNS  # noqa: E402

HEADERS = [header for _key, header in EXPORT_COLUMNS]
KEY_OF = {header: key for key, header in EXPORT_COLUMNS}

from e2e.presence_common import admin, api, check_in_doc, DAYS, db, KOBA, today, TZ  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e

OFFICE_DAY = {"start": "07:30", "end": "16:00"}


@pytest.fixture(scope="module")
def make_unit(api, admin):
    created = []

    def make(working=DAYS) -> str:
        code, unit = f"CL-{secrets.token_hex(4).upper()}", f"UCL{secrets.token_hex(4).upper()}"
        days = {d: (OFFICE_DAY if d in working else None) for d in DAYS}
        resp = requests.post(f"{api}/offices", headers=admin, timeout=10, json={
            "code": code, "name": "Kantor Uji Rekap", "latitude": KOBA[0], "longitude": KOBA[1], "timezone": TZ,
            "unit_codes": [unit], "schedule": {"days": days, "grace_minutes": 0}})
        assert resp.status_code == 201, resp.text
        created.append(code)
        return unit

    yield make
    for code in created:
        requests.delete(f"{api}/offices/{code}", headers=admin, timeout=10)


@pytest.fixture(scope="module")
def staff(make_employee, db):
    def make(unit: str, **kw) -> dict:
        who = make_employee(unit_code=unit, **kw)
        wait_until(lambda: db.employees.find_one({"_id": who["nip"]}), timeout=30, message="employee copy")
        return who

    return make


def signed_in(who: dict) -> dict:
    return bearer(login_direct(who["nip"], who["password"])["access_token"])


def latest_today(db) -> date:
    """Today in the zone that is furthest ahead among all offices (that day has ended nowhere)."""
    zones = {o.get("timezone", TZ) for o in db.offices.find({}, {"timezone": 1})} or {TZ}
    return max(today(z) for z in zones)


def past_non_holiday(db, back: int = 3) -> date:
    day = today() - timedelta(days=back)
    while db.holidays.find_one({"_id": day.isoformat()}):
        day -= timedelta(days=1)
    return day


def leave_doc(nip: str, day: str, kind: str) -> dict:
    return {"_id": f"{nip}:{day}", "nip": nip, "date": day, "type": kind, "leave_request_id": "test-fixture"}


def close(api, headers, day: str):
    return requests.post(f"{api}/days/{day}/close", headers=headers, timeout=120)


# ------------------------------------------------------------------ daily close
def test_close_records_absent_and_no_checkout_once(api, admin, db, make_unit, staff):
    unit = make_unit()
    absent, forgot, on_leave, fine = (staff(unit) for _ in range(4))
    day = past_non_holiday(db).isoformat()
    db.check_ins.insert_many([check_in_doc(forgot["nip"], day, early=None), check_in_doc(fine["nip"], day)])
    db.leave_days.insert_one(leave_doc(on_leave["nip"], day, "cuti"))
    nips = [absent["nip"], forgot["nip"], on_leave["nip"], fine["nip"]]

    resp = close(api, admin, day)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["date"] == day and body["closed"] >= 2 and body["absent"] >= 1 and body["no_checkout"] >= 1
    assert body["closed"] == body["absent"] + body["no_checkout"]
    records = {d["nip"]: d for d in db.day_records.find({"nip": {"$in": nips}, "date": day})}
    assert set(records) == {absent["nip"], forgot["nip"]}
    assert records[absent["nip"]]["status"] == "tanpa_keterangan"
    assert records[forgot["nip"]]["status"] == "no_checkout"
    assert records[absent["nip"]]["_id"] == f"{absent['nip']}:{day}"
    assert records[absent["nip"]]["unit_code"] == unit and records[absent["nip"]]["office_code"].startswith("CL-")

    again = close(api, admin, day)
    assert again.status_code == 200, again.text
    assert again.json()["closed"] == 0
    assert db.day_records.count_documents({"nip": {"$in": nips}, "date": day}) == 2


def test_close_skips_a_day_off_of_the_office(api, admin, db, make_unit, staff):
    day = past_non_holiday(db)
    unit = make_unit(working=tuple(d for d in DAYS if d != DAYS[day.weekday()]))
    who = staff(unit)
    resp = close(api, admin, day.isoformat())
    assert resp.status_code == 200, resp.text
    assert db.day_records.count_documents({"nip": who["nip"]}) == 0


def test_close_refuses_days_not_ended_and_bad_dates(api, admin, db, make_unit, staff):
    unit = make_unit()
    who = staff(unit)
    today = latest_today(db)
    resp = close(api, admin, today.isoformat())
    assert resp.status_code == 409, resp.text
    assert resp.json()["error"] == "day_not_ended"
    for bad in ((today + timedelta(days=1)).isoformat(), "2026-02-30", "yesterday", "2026-1-05"):
        resp = close(api, admin, bad)
        assert resp.status_code == 422, (bad, resp.text)
        assert resp.headers["Content-Type"].startswith("application/json")
    assert db.day_records.count_documents({"nip": who["nip"]}) == 0


def test_close_is_admin_only(api, db, make_unit, staff):
    unit = make_unit()
    who = staff(unit)
    resp = close(api, signed_in(who), past_non_holiday(db).isoformat())
    assert resp.status_code == 403, resp.text
    assert db.day_records.count_documents({"nip": who["nip"]}) == 0


# ------------------------------------------------------------------ monthly recap
def fixture_month(db) -> tuple[str, list[date]]:
    """Two months back (fully past), its Mon-Fri working days minus holidays."""
    first = (today().replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    first = first.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    holidays = {h["_id"] for h in db.holidays.find({"_id": {"$gte": first.isoformat(), "$lte": last.isoformat()}})}
    days = [first + timedelta(days=i) for i in range(last.day)]
    working = [d for d in days if d.weekday() < 5 and d.isoformat() not in holidays]
    return first.strftime("%Y-%m"), working


@pytest.fixture(scope="module")
def recap_team(db, make_unit, staff):
    unit = make_unit(working=DAYS[:5])
    boss = staff("BKPSDM")
    worker = staff(unit, supervisor_nip=boss["nip"])
    idle = staff(unit, supervisor_nip=boss["nip"])
    month, working = fixture_month(db)
    w = [d.isoformat() for d in working]
    nip = worker["nip"]
    ins = [check_in_doc(nip, w[0], late=10), check_in_doc(nip, w[1], late=45), check_in_doc(nip, w[2], early=20),
           check_in_doc(nip, w[3], late=95, early=70), check_in_doc(nip, w[4], early=None, mode="WFH")]
    ins += [check_in_doc(nip, d) for d in w[8:]]
    db.check_ins.insert_many(ins)
    db.day_records.insert_many([
        {"_id": f"{nip}:{w[4]}", "nip": nip, "date": w[4], "unit_code": unit, "status": "no_checkout"},
        {"_id": f"{nip}:{w[5]}", "nip": nip, "date": w[5], "unit_code": unit, "status": "tanpa_keterangan"}])
    db.leave_days.insert_many([leave_doc(nip, w[6], "cuti"), leave_doc(nip, w[7], "sakit")])
    return {"unit": unit, "boss": boss, "worker": worker, "idle": idle, "month": month, "n": len(w)}


def test_recap_of_a_hand_computed_month(api, admin, recap_team):
    t = recap_team
    resp = requests.get(f"{api}/recap", params={"unit_code": t["unit"], "month": t["month"]}, headers=admin,
                        timeout=30)
    assert resp.status_code == 200, resp.text
    items = {r["nip"]: r for r in resp.json()["items"]}
    assert set(items) == {t["worker"]["nip"], t["idle"]["nip"]}
    r, n = items[t["worker"]["nip"]], t["n"]
    assert {k: r[k] for k in ("working_days", "present", "late_days", "late_minutes", "tl1", "tl2", "tl3", "tl4",
                              "early_leave_days", "early_leave_minutes", "psw1", "psw2", "psw3", "psw4",
                              "no_checkout_days", "absent", "wfo_days", "wfh_days", "dl_days")} == {
        "working_days": n, "present": n - 3, "late_days": 3, "late_minutes": 150,
        "tl1": 1, "tl2": 1, "tl3": 0, "tl4": 1, "early_leave_days": 2, "early_leave_minutes": 90,
        "psw1": 1, "psw2": 0, "psw3": 1, "psw4": 1, "no_checkout_days": 1, "absent": 1,
        "wfo_days": n - 4, "wfh_days": 1, "dl_days": 0}
    assert r["leave_days"] == {"izin": 0, "sakit": 1, "cuti": 1, "dinas_luar": 0, "tugas_belajar": 0}
    # TL1 .5 + TL2 1 + TL4 1.5 + PSW1 .5 + PSW3 1.25 + PSW4 (no check-out) 1.5 + 1 absent day 5 = 11.25
    assert r["deduction_percent"] == 11.25
    idle = items[t["idle"]["nip"]]
    assert idle["absent"] == n and idle["present"] == 0 and idle["deduction_percent"] == min(100.0, 5.0 * n)


def test_recap_csv_has_bom_header_and_attachment_name(api, admin, recap_team):
    t = recap_team
    resp = requests.get(f"{api}/recap", params={"unit_code": t["unit"], "month": t["month"], "format": "csv"},
                        headers=admin, timeout=30)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert resp.headers["Content-Disposition"] == f'attachment; filename="recap-{t["unit"]}-{t["month"]}.csv"'
    assert resp.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and rows[0][:5] == ["NIP", "Nama", "Unit", "Hari kerja", "Hadir"]
    by_nip = {row[0]: {KEY_OF[h]: v for h, v in zip(rows[0], row)} for row in rows[1:]}
    worker = by_nip[t["worker"]["nip"]]
    assert worker["deduction_percent"] == "11.25" and worker["leave_cuti"] == "1" and worker["tl4"] == "1"
    assert worker["name"] == t["worker"]["name"] and worker["unit_code"] == t["unit"]


def test_recap_supervisor_sees_direct_subordinates_only(api, recap_team, make_employee, db, staff):
    t = recap_team
    boss = signed_in(t["boss"])
    resp = requests.get(f"{api}/recap", params={"month": t["month"]}, headers=boss, timeout=30)
    assert resp.status_code == 200, resp.text
    assert {r["nip"] for r in resp.json()["items"]} == {t["worker"]["nip"], t["idle"]["nip"]}

    peer = signed_in(t["worker"])  # no subordinates, same unit: an empty team, not a refusal
    for params in ({"month": t["month"]}, {"month": t["month"], "unit_code": t["unit"]}):
        resp = requests.get(f"{api}/recap", params=params, headers=peer, timeout=30)
        assert resp.status_code == 200 and resp.json()["items"] == [], (params, resp.text)
    resp = requests.get(f"{api}/recap", params={"month": t["month"], "supervisor_nip": t["boss"]["nip"]},
                        headers=peer, timeout=30)
    assert resp.status_code == 403 and resp.json()["error"] == "forbidden", resp.text
    other_boss = staff("BKPSDM")
    staff("BKPSDM", supervisor_nip=other_boss["nip"])
    resp = requests.get(f"{api}/recap", params={"month": t["month"], "supervisor_nip": t["boss"]["nip"]},
                        headers=signed_in(other_boss), timeout=30)
    assert resp.status_code == 403, resp.text


def test_recap_bad_input_is_422_and_unknown_unit_is_empty(api, admin, recap_team):
    t = recap_team
    for params in ({"unit_code": t["unit"], "month": "2026-13"}, {"unit_code": t["unit"], "month": "2026-1"},
                   {"unit_code": t["unit"]}, {"unit_code": t["unit"], "month": t["month"], "format": "xml"},
                   {"unit_code": t["unit"], "month": t["month"], "foo": "1"}, {"month": t["month"]},
                   {"unit_code": "bad code!", "month": t["month"]}):
        resp = requests.get(f"{api}/recap", params=params, headers=admin, timeout=30)
        assert resp.status_code == 422, (params, resp.text)
        assert resp.headers["Content-Type"].startswith("application/json")
    resp = requests.get(f"{api}/recap", params={"unit_code": "NOSUCHUNIT" + secrets.token_hex(3), "month": t["month"]},
                        headers=admin, timeout=30)
    assert resp.status_code == 200, resp.text
    assert resp.json()["items"] == [] and resp.json()["total"] == 0
