"""Daily work log through the gateway: entries, overlaps, supervisor decisions, monthly summary."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests
from conftest import bearer, login_direct, wait_until
from support import race

pytestmark = pytest.mark.e2e

PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")


@pytest.fixture(scope="module")
def people(make_employee, mongo_client):
    db = mongo_client[PERFORMANCE_DB]
    boss = make_employee(name="Sekretaris")
    staff = make_employee(supervisor_nip=boss["nip"], name="Pengadministrasi")
    peer = make_employee(supervisor_nip=boss["nip"], name="Rekan")
    everyone = [boss, staff, peer]
    wait_until(lambda: db.employees.count_documents({"_id": {"$in": [p["nip"] for p in everyone]}}) == 3,
               timeout=20, message="performance's copy of the new employees")
    return {k: {**p, "token": login_direct(p["nip"], p["password"])["access_token"]}
            for k, p in zip(("boss", "staff", "peer"), everyone)}


def url(gateway, path):
    return f"{gateway}/api/performance/v1{path}"


def today() -> datetime:
    return datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Jakarta"))


def log(gateway, token, **body):
    return requests.post(url(gateway, "/daily-logs"), json=body, headers=bearer(token), timeout=10)


def test_entries_overlap_decisions_and_summary(gateway, people):
    day = (today() - timedelta(days=1)).date().isoformat()
    staff, boss = people["staff"]["token"], people["boss"]["token"]
    base = {"date": day, "activity": "Verifikasi berkas", "output": "12 berkas"}
    first = log(gateway, staff, **base, started_at="08:00", ended_at="10:00")
    assert first.status_code == 201, first.text
    entry = first.json()
    assert entry["status"] == "pending" and entry["minutes"] == 120 and entry["nip"] == people["staff"]["nip"]

    for start, end in (("09:00", "11:00"), ("07:00", "08:30"), ("08:00", "10:00"), ("07:00", "12:00")):
        clash = log(gateway, staff, **base, started_at=start, ended_at=end)
        assert clash.status_code == 409, (start, end)
        assert clash.json()["error"] == "overlapping_entry" and clash.json()["overlaps_with"]["id"] == entry["id"]
    second = log(gateway, staff, **base, started_at="10:00", ended_at="11:30")  # touching is fine
    assert second.status_code == 201
    # Another employee's times never clash with mine.
    assert log(gateway, people["peer"]["token"], **base, started_at="08:00", ended_at="10:00").status_code == 201

    # Only the direct supervisor decides; a peer gets 403.
    decision = url(gateway, f"/daily-logs/{entry['id']}/decision")
    resp = requests.post(decision, json={"approved": True}, headers=bearer(people["peer"]["token"]), timeout=10)
    assert resp.status_code == 403
    resp = requests.post(decision, json={"approved": True}, headers=bearer(staff), timeout=10)
    assert resp.status_code == 403
    resp = requests.post(decision, json={"approved": False}, headers=bearer(boss), timeout=10)
    assert resp.status_code == 422 and "note" in resp.json()["errors"]
    resp = requests.post(decision, json={"approved": True, "note": "OK"}, headers=bearer(boss), timeout=10)
    assert resp.status_code == 200 and resp.json()["status"] == "approved"
    assert resp.json()["decision"]["by"] == people["boss"]["nip"]
    again = requests.post(decision, json={"approved": False, "note": "x"}, headers=bearer(boss), timeout=10)
    assert again.status_code == 409 and again.json()["error"] == "invalid_transition"

    ret = requests.post(url(gateway, f"/daily-logs/{second.json()['id']}/decision"),
                        json={"approved": False, "note": "Uraikan outputnya"}, headers=bearer(boss), timeout=10)
    assert ret.status_code == 200 and ret.json()["status"] == "returned"
    # A returned entry frees its slot: the employee logs it again.
    redo = log(gateway, staff, **{**base, "output": "12 berkas, 3 dikembalikan"}, started_at="10:00", ended_at="11:30")
    assert redo.status_code == 201

    mine = requests.get(url(gateway, "/me/daily-logs"), params={"from": day, "to": day}, headers=bearer(staff),
                        timeout=10).json()
    assert [(e["started_at"], e["status"]) for e in mine["items"]] == [
        ("08:00", "approved"), ("10:00", "returned"), ("10:00", "pending")]
    team_view = requests.get(url(gateway, "/daily-logs"), params={"nip": people["staff"]["nip"], "from": day,
                                                                 "to": day}, headers=bearer(boss), timeout=10)
    assert team_view.status_code == 200 and team_view.json()["total"] == 3
    assert requests.get(url(gateway, "/daily-logs"), params={"nip": people["staff"]["nip"]},
                        headers=bearer(people["peer"]["token"]), timeout=10).status_code == 403

    month = day[:7]
    summary = requests.get(url(gateway, "/daily-logs/summary"), params={"nip": people["staff"]["nip"],
                                                                       "month": month},
                           headers=bearer(boss), timeout=10)
    assert summary.status_code == 200
    s = summary.json()
    assert s["entries"] == 3 and s["approved_entries"] == 1 and s["returned_entries"] == 1
    assert s["pending_entries"] == 1 and s["approved_minutes"] == 120 and s["minutes"] == 300
    assert s["per_day"] == [{"date": day, "entries": 3, "minutes": 300, "approved_minutes": 120}]
    own = requests.get(url(gateway, "/daily-logs/summary"), params={"month": month}, headers=bearer(staff),
                       timeout=10).json()
    assert own["nip"] == people["staff"]["nip"] and own["entries"] == 3
    assert requests.get(url(gateway, "/daily-logs/summary"), params={"nip": people["staff"]["nip"], "month": month},
                        headers=bearer(people["peer"]["token"]), timeout=10).status_code == 403


def test_bad_entries_are_422_and_store_nothing(gateway, people):
    token = people["peer"]["token"]
    day = today().date().isoformat()
    tomorrow = (today() + timedelta(days=1)).date().isoformat()
    base = {"date": day, "activity": "Rapat", "output": "Notulen", "started_at": "13:00", "ended_at": "14:00"}
    cases = [({"ended_at": "12:00"}, "ended_at"), ({"started_at": "25:00"}, "started_at"),
             ({"date": tomorrow}, "date"), ({"date": "2026-02-30"}, "date"), ({"task_id": "nope"}, "task_id"),
             ({"activity": ""}, "activity"), ({"status": "approved"}, "status"), ({"output": {"$ne": 1}}, "output")]
    for change, field in cases:
        resp = log(gateway, token, **{**base, **change})
        assert resp.status_code == 422, change
        assert field in resp.json()["errors"], change
    mine = requests.get(url(gateway, "/me/daily-logs"), params={"from": day, "to": day}, headers=bearer(token),
                        timeout=10).json()
    assert mine["total"] == 0
    bad_month = requests.get(url(gateway, "/daily-logs/summary"), params={"month": "2026-13"},
                             headers=bearer(token), timeout=10)
    assert bad_month.status_code == 422


def test_an_entry_is_edited_by_its_owner_while_pending_only(gateway, people):
    day = (today() - timedelta(days=3)).date().isoformat()
    staff, boss, peer = people["staff"]["token"], people["boss"]["token"], people["peer"]["token"]
    first = log(gateway, staff, date=day, activity="Rapat", output="Notulen", started_at="08:00", ended_at="09:00")
    second = log(gateway, staff, date=day, activity="Surat", output="Draf", started_at="10:00", ended_at="11:00")
    assert first.status_code == second.status_code == 201
    entry = url(gateway, f"/daily-logs/{first.json()['id']}")
    edit = requests.patch(entry, json={"activity": "Rapat koordinasi", "ended_at": "09:30"}, headers=bearer(staff),
                          timeout=10)
    assert edit.status_code == 200, edit.text
    assert edit.json()["activity"] == "Rapat koordinasi" and edit.json()["minutes"] == 90
    assert edit.json()["output"] == "Notulen" and edit.json()["status"] == "pending"
    # Overlapping the other entry: 409 and nothing changes.
    clash = requests.patch(entry, json={"ended_at": "10:30"}, headers=bearer(staff), timeout=10)
    assert clash.status_code == 409 and clash.json()["error"] == "overlapping_entry"
    assert clash.json()["overlaps_with"]["started_at"] == "10:00"
    # Bad times, unknown or no fields: 422.
    for body in ({"ended_at": "07:00"}, {"started_at": "8am"}, {"date": day}, {}):
        assert requests.patch(entry, json=body, headers=bearer(staff), timeout=10).status_code == 422, body
    # Someone else's entry: 404 (not even the supervisor edits it).
    for token in (peer, boss):
        other = requests.patch(entry, json={"activity": "x"}, headers=bearer(token), timeout=10)
        assert other.status_code == 404 and other.json()["error"] == "not_found"
    mine = requests.get(url(gateway, f"/me/daily-logs?from={day}&to={day}"), headers=bearer(staff), timeout=10).json()
    assert [(e["activity"], e["ended_at"]) for e in mine["items"]] == [("Rapat koordinasi", "09:30"), ("Surat", "11:00")]
    # Decided: no more edits.
    decided = requests.post(f"{entry}/decision", json={"approved": True, "note": None}, headers=bearer(boss), timeout=10)
    assert decided.status_code == 200, decided.text
    late = requests.patch(entry, json={"activity": "Rapat lain"}, headers=bearer(staff), timeout=10)
    assert late.status_code == 409 and late.json()["error"] == "invalid_transition"
    assert late.json()["current_status"] == "approved"


def test_a_returned_entry_is_edited_and_resubmitted_then_decided_again(gateway, people):
    day = (today() - timedelta(days=4)).date().isoformat()
    staff, boss = people["staff"]["token"], people["boss"]["token"]
    created = log(gateway, staff, date=day, activity="Laporan", output="Draf", started_at="13:00", ended_at="14:00")
    assert created.status_code == 201, created.text
    entry = url(gateway, f"/daily-logs/{created.json()['id']}")
    ret = requests.post(f"{entry}/decision", json={"approved": False, "note": "Sebutkan nomor suratnya"},
                        headers=bearer(boss), timeout=10)
    assert ret.status_code == 200 and ret.json()["status"] == "returned", ret.text
    fixed = requests.patch(entry, json={"output": "Surat nomor 800/123"}, headers=bearer(staff), timeout=10)
    assert fixed.status_code == 200, fixed.text
    body = fixed.json()
    assert body["status"] == "pending" and body["decision"] is None and body["output"] == "Surat nomor 800/123"
    assert body["returned"]["note"] == "Sebutkan nomor suratnya" and body["resubmitted_at"]
    # while pending again it can still be changed; the supervisor decides it again
    assert requests.patch(entry, json={"ended_at": "14:15"}, headers=bearer(staff), timeout=10).status_code == 200
    approved = requests.post(f"{entry}/decision", json={"approved": True, "note": None}, headers=bearer(boss),
                             timeout=10)
    assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.text
    # two resubmissions racing on one returned entry: the day's revision decides
    again = log(gateway, staff, date=day, activity="Rekap", output="Tabel", started_at="15:00", ended_at="15:30")
    entry = url(gateway, f"/daily-logs/{again.json()['id']}")
    requests.post(f"{entry}/decision", json={"approved": False, "note": "ulang"}, headers=bearer(boss), timeout=10)
    answers = race(8, lambda i: requests.patch(entry, json={"output": f"Tabel {i}"}, headers=bearer(staff),
                                              timeout=30))
    assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
    won = {a.json()["output"] for a in answers if a.status_code == 200}
    mine = requests.get(url(gateway, f"/me/daily-logs?from={day}&to={day}"), headers=bearer(staff), timeout=10).json()
    final = next(e for e in mine["items"] if e["id"] == again.json()["id"])
    # one resubmission, the others edits of the pending entry; what is stored is one of the winners
    assert final["status"] == "pending" and final["output"] in won and final["returned"]["note"] == "ulang"
