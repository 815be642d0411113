"""The read routes the HR console needed in presence, through the gateway: the audit trail (admin only,
filters, pagination, newest first, no home coordinates), one employee's days behind a recap row (admin
only), and the approved leave days in the roster matrix."""
from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from e2e.presence_common import admin, api, check_in_doc, db, iso, today  # noqa: F401 - fixtures by name
from e2e.test_presence_roster import make_unit, signed_in, staff  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e


def get(api, path, headers, **params):
    return requests.get(f"{api}{path}", params=params, headers=headers, timeout=10)


def test_audit_is_admin_only_filtered_paginated_and_newest_first(api, admin, make_unit, staff):
    unit = make_unit()
    office = requests.get(f"{api}/offices", params={"page_size": 200}, headers=admin, timeout=10).json()["items"]
    code = next(o["code"] for o in office if unit in o["unit_codes"])
    for grace in (3, 4, 5):
        resp = requests.put(f"{api}/offices/{code}/schedule", headers=admin, timeout=10,
                            json={"days": {"mon": {"start": "07:30", "end": "16:00"}}, "grace_minutes": grace})
        assert resp.status_code == 200, resp.text
    resp = get(api, "/audit", admin, entity="office", id=code, action="set_schedule", page_size=2)
    assert resp.status_code == 200, resp.text
    page = resp.json()
    assert page["total"] == 3 and page["page"] == 1 and len(page["items"]) == 2
    assert [e["changes"]["grace_minutes"] for e in page["items"]] == [5, 4]  # newest first
    assert all(e["entity_id"] == code and e["actor"] and e["at"] and e["id"] for e in page["items"])
    second = get(api, "/audit", admin, entity="office", id=code, action="set_schedule", page_size=2, page=2).json()
    assert [e["changes"]["grace_minutes"] for e in second["items"]] == [3]
    created = get(api, "/audit", admin, entity="office", id=code, action="create").json()
    assert created["total"] == 1
    # Someone without the admin role, an unknown filter, a bad actor NIP.
    worker = signed_in(staff(unit, 1)[0])
    assert get(api, "/audit", worker["headers"]).status_code == 403
    assert get(api, "/audit", admin, user="x").status_code == 422
    assert get(api, "/audit", admin, actor="123").status_code == 422


def test_audit_does_not_show_where_someone_lives(api, admin, make_unit, staff):
    unit = make_unit()
    worker = signed_in(staff(unit, 1)[0])
    resp = requests.put(f"{api}/me/home-location", json={"latitude": -2.5, "longitude": 106.4},
                        headers=worker["headers"], timeout=10)
    assert resp.status_code in (200, 201), resp.text
    entries = get(api, "/audit", admin, entity="home_location", id=worker["nip"]).json()["items"]
    assert entries and all("latitude" not in e["changes"] and "longitude" not in e["changes"] for e in entries)
    assert "-2.5" not in str(entries) and "106.4" not in str(entries)


def test_employee_history_is_the_admins_view_of_one_persons_days(api, admin, db, make_unit, staff):
    unit = make_unit()
    worker = signed_in(staff(unit, 1)[0])
    day = today() - timedelta(days=2)
    db.check_ins.insert_one(check_in_doc(worker["nip"], iso(day), late=12))
    resp = get(api, f"/employees/{worker['nip']}/history", admin, **{"from": iso(day), "to": iso(day)})
    assert resp.status_code == 200, resp.text
    days = resp.json()["items"]
    assert [(d["date"], d["status"], d["check_in"]["late_minutes"]) for d in days] == [(iso(day), "terlambat", 12)]
    mine = get(api, "/me/history", worker["headers"], **{"from": iso(day), "to": iso(day)}).json()["items"]
    assert [d["status"] for d in mine] == [d["status"] for d in days]  # the same days as the employee sees
    assert get(api, f"/employees/{worker['nip']}/history", worker["headers"]).status_code == 403
    assert get(api, "/employees/198001012005011999/history", admin).status_code == 404
    assert get(api, "/employees/12345/history", admin).json()["error"] == "invalid_nip"
    too_long = get(api, f"/employees/{worker['nip']}/history", admin, **{"from": iso(day - timedelta(days=200)), "to": iso(day)})
    assert too_long.status_code == 422 and too_long.json()["error"] == "range_too_long"


def test_roster_matrix_lists_approved_leave_days(api, admin, db, make_unit, staff):
    unit = make_unit()
    worker, other = staff(unit, 2)
    start = today() + timedelta(days=30)
    leave_day = iso(start + timedelta(days=1))
    db.leave_days.insert_one({"_id": f"{worker['nip']}:{leave_day}", "nip": worker["nip"], "date": leave_day,
                              "type": "cuti", "leave_request_id": "test-fixture"})
    rows = {r["nip"]: r for r in get(api, "/rosters", admin, unit_code=unit, **{"from": iso(start),
                                                                               "to": iso(start + timedelta(days=3))}).json()["items"]}
    assert rows[worker["nip"]]["leave"] == {leave_day: "cuti"}
    assert rows[other["nip"]]["leave"] == {}
