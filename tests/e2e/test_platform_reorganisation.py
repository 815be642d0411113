"""After a re-organisation the CURRENT hierarchy decides, everywhere.

Before: after PATCH /employees/{nip} {supervisor_nip: NEW}, the old supervisor could still read
the employee's task, download its files and approve it with rating 1, while the new one got 403.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
import requests

from support import GATEWAY, bearer, login_direct, wait_until
from e2e.presence_common import all_day_unit, iso, today

pytestmark = pytest.mark.e2e

PRESENCE = f"{GATEWAY}/api/presence/v1"
PERFORMANCE = f"{GATEWAY}/api/performance/v1"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(scope="module")
def unit(admin_token):
    with all_day_unit(admin_token, "RO") as unit_code:
        yield unit_code


def copies_say(mongo_client, nip, supervisor):
    dbs = (os.environ.get("SIPK_PRESENCE_DB", "presence"), os.environ.get("SIPK_PERFORMANCE_DB", "performance"))
    return all((mongo_client[db].employees.find_one({"_id": nip}) or {}).get("supervisor_nip") == supervisor
               for db in dbs)


@pytest.fixture(scope="module")
def moved(make_employee, mongo_client, admin_token, unit):
    """A staff member with open work of every kind, moved from OLD to NEW supervisor."""
    old = make_employee(unit_code=unit, name="Kepala Lama")
    new = make_employee(unit_code=unit, name="Kepala Baru")
    staff = make_employee(unit_code=unit, supervisor_nip=old["nip"], name="Staf Pindah")
    wait_until(lambda: copies_say(mongo_client, staff["nip"], old["nip"]) and copies_say(mongo_client, new["nip"], None),
               timeout=30, message="copies of the three employees")
    h = {k: bearer(login_direct(p["nip"], p["password"])["access_token"])
         for k, p in (("old", old), ("new", new), ("staff", staff))}

    task = requests.post(f"{PERFORMANCE}/tasks", headers=h["old"], timeout=10, json={
        "title": "Laporan", "description": "Rekap", "assignee_nip": staff["nip"],
        "due_date": iso(today() + timedelta(days=7))}).json()
    assert requests.post(f"{PERFORMANCE}/tasks/{task['id']}/start", headers=h["staff"], timeout=10).ok
    submission = requests.post(f"{PERFORMANCE}/tasks/{task['id']}/submissions", headers=h["staff"], timeout=30,
                               data={"note": "selesai"}, files=[("files", ("hasil.pdf", PDF, "application/pdf"))])
    assert submission.status_code == 201, submission.text
    submission = submission.json()
    start = today() + timedelta(days=10)
    leave = requests.post(f"{PRESENCE}/leave-requests", headers=h["staff"], timeout=10, json={
        "type": "cuti", "start_date": iso(start), "end_date": iso(start), "reason": "keluarga"})
    assert leave.status_code == 201, leave.text
    log = requests.post(f"{PERFORMANCE}/daily-logs", headers=h["staff"], timeout=10, json={
        "date": iso(today() - timedelta(days=1)), "activity": "rapat", "output": "notulen",
        "started_at": "08:00", "ended_at": "09:00", "task_id": None})
    assert log.status_code == 201, log.text
    assert requests.put(f"{PRESENCE}/me/home-location", json={"latitude": -2.45, "longitude": 106.41},
                        headers=h["staff"], timeout=10).ok
    # the old supervisor could act before the move
    assert requests.get(f"{PERFORMANCE}/tasks/{task['id']}", headers=h["old"], timeout=10).status_code == 200

    resp = requests.patch(f"{GATEWAY}/api/identity/v1/employees/{staff['nip']}", headers=bearer(admin_token),
                          json={"supervisor_nip": new["nip"]}, timeout=10)
    assert resp.status_code == 200, resp.text
    wait_until(lambda: copies_say(mongo_client, staff["nip"], new["nip"]), timeout=30,
               message="the move reached presence and performance")
    file_url = f"{PERFORMANCE}/tasks/{task['id']}/submissions/{submission['id']}/files/{submission['files'][0]['id']}"
    return {"h": h, "staff": staff, "task": task, "file": file_url, "leave": leave.json(), "log": log.json()}


def test_the_former_supervisor_is_refused_everywhere(moved):
    old, task, staff = moved["h"]["old"], moved["task"], moved["staff"]
    refused = [
        requests.get(f"{PERFORMANCE}/tasks/{task['id']}", headers=old, timeout=10),
        requests.get(moved["file"], headers=old, timeout=10),
        requests.post(f"{PERFORMANCE}/tasks/{task['id']}/review", headers=old, timeout=10,
                      json={"decision": "approve", "comment": "asal", "rating": 1}),
        requests.post(f"{PERFORMANCE}/daily-logs/{moved['log']['id']}/decision", headers=old, timeout=10,
                      json={"approved": True, "note": ""}),
        requests.get(f"{PERFORMANCE}/daily-logs", params={"nip": staff["nip"]}, headers=old, timeout=10),
        requests.get(f"{PERFORMANCE}/employees/{staff['nip']}/status", headers=old, timeout=10),
        requests.get(f"{PRESENCE}/leave-requests/{moved['leave']['id']}", headers=old, timeout=10),
        requests.post(f"{PRESENCE}/leave-requests/{moved['leave']['id']}/decision", headers=old, timeout=10,
                      json={"approved": True, "note": ""}),
        requests.post(f"{PRESENCE}/home-locations/{staff['nip']}/decision", headers=old, timeout=10,
                      json={"approved": True, "note": ""}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused), [(r.url, r.text[:120]) for r in refused]
    listed = requests.get(f"{PERFORMANCE}/tasks", params={"scope": "assigned"}, headers=old, timeout=10).json()
    assert task["id"] not in [t["id"] for t in listed["items"]]
    team = requests.get(f"{PERFORMANCE}/team/status", headers=old, timeout=10).json()
    assert staff["nip"] not in [m["nip"] for m in team["items"]]


def test_the_new_supervisor_may_act(moved):
    new, task, staff = moved["h"]["new"], moved["task"], moved["staff"]
    listed = requests.get(f"{PERFORMANCE}/tasks", params={"scope": "assigned"}, headers=new, timeout=10).json()
    assert task["id"] in [t["id"] for t in listed["items"]]
    got = requests.get(f"{PERFORMANCE}/tasks/{task['id']}", headers=new, timeout=10)
    assert got.status_code == 200 and "approve" in got.json()["allowed_actions"]
    download = requests.get(moved["file"], headers=new, timeout=10)
    assert download.status_code == 200 and download.content == PDF
    assert download.raw.headers.getlist("X-Content-Type-Options") == ["nosniff"]  # once, not twice
    review = requests.post(f"{PERFORMANCE}/tasks/{task['id']}/review", headers=new, timeout=10,
                           json={"decision": "approve", "comment": "baik", "rating": 4})
    assert review.status_code == 200, review.text
    assert review.json()["status"] == "approved"
    for resp in (
        requests.post(f"{PERFORMANCE}/daily-logs/{moved['log']['id']}/decision", headers=new, timeout=10,
                      json={"approved": True, "note": ""}),
        requests.post(f"{PRESENCE}/leave-requests/{moved['leave']['id']}/decision", headers=new, timeout=10,
                      json={"approved": True, "note": ""}),
        requests.post(f"{PRESENCE}/home-locations/{staff['nip']}/decision", headers=new, timeout=10,
                      json={"approved": True, "note": ""}),
    ):
        assert resp.status_code == 200, resp.text
