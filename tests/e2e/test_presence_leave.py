"""Leave and dinas luar requests through the gateway: ask, decide (direct supervisor only), cancel, check in DL."""
from __future__ import annotations

import json
import secrets
import uuid
from datetime import timedelta

import pytest
import requests
from conftest import bearer, login_direct, wait_until
from support import bound_queue

from e2e.presence_common import admin, api, DAYS, db, iso, KOBA, today, TZ  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e

JAKARTA = (-6.2, 106.8)  # ~480 km from Koba


@pytest.fixture(scope="module")
def unit(api, admin):
    """A unit housed in a fresh office where every day is a working day (Asia/Jakarta)."""
    code, unit_code = f"LV-{secrets.token_hex(4).upper()}", f"ULV{secrets.token_hex(4).upper()}"
    resp = requests.post(f"{api}/offices", headers=admin, timeout=10, json={
        "code": code, "name": "Kantor Uji Cuti", "latitude": KOBA[0], "longitude": KOBA[1], "timezone": TZ,
        "unit_codes": [unit_code], "schedule": {"days": {d: {"start": "00:00", "end": "23:59"} for d in DAYS}}})
    assert resp.status_code == 201, resp.text
    yield unit_code
    requests.delete(f"{api}/offices/{code}", headers=admin, timeout=10)


@pytest.fixture(scope="module")
def person(make_employee, db, unit):
    def make(**kw) -> dict:
        who = make_employee(unit_code=unit, **kw)
        wait_until(lambda: db.employees.find_one({"_id": who["nip"]}), timeout=30, message="employee copy")
        return {**who, "headers": bearer(login_direct(who["nip"], who["password"])["access_token"])}

    return make


@pytest.fixture()
def decided_queue(amqp_url):
    with bound_queue(amqp_url, 'presence.leave.decided') as queue:
        yield queue


def ask(api, who, type_="cuti", start=None, end=None, reason="keperluan keluarga", **extra):
    start = start or today() + timedelta(days=5)
    body = {"type": type_, "start_date": iso(start), "end_date": iso(end or start), "reason": reason, **extra}
    return requests.post(f"{api}/leave-requests", json=body, headers=who["headers"], timeout=10)


def decide(api, headers, request_id, approved=True, note="ok"):
    return requests.post(f"{api}/leave-requests/{request_id}/decision", json={"approved": approved, "note": note},
                         headers=headers, timeout=10)


def cancel(api, who, request_id):
    return requests.post(f"{api}/leave-requests/{request_id}/cancel", headers=who["headers"], timeout=10)


def check_in(api, who, lat, lon, mode):
    return requests.post(f"{api}/check-ins", json={"latitude": lat, "longitude": lon, "accuracy_m": 10,
                                                   "mode": mode}, headers=who["headers"], timeout=10)


def test_dinas_luar_approved_by_direct_supervisor_allows_dl_check_in_far_away(api, admin, db, person,
                                                                              decided_queue):
    boss = person()
    emp = person(supervisor_nip=boss["nip"])
    peer = person(supervisor_nip=boss["nip"])
    sub = person(supervisor_nip=emp["nip"])

    resp = ask(api, emp, "dinas_luar", today(), today() + timedelta(days=1), "rapat koordinasi di Jakarta",
               spt_number="SPT/123/BKPSDM/2026")
    assert resp.status_code == 201, resp.text
    req = resp.json()
    assert req["state"] == "pending" and req["nip"] == emp["nip"] and req["days"] == 2
    assert req["spt_number"] == "SPT/123/BKPSDM/2026" and req["type"] == "dinas_luar"

    # Pending is not approved: no DL check-in yet.
    resp = check_in(api, emp, *JAKARTA, "DL")
    assert resp.status_code == 409 and resp.json()["error"] == "no_approved_travel", resp.text

    # The supervisor's inbox shows it; a peer (no subordinates) has none.
    resp = requests.get(f"{api}/team/leave-requests", params={"status": "pending"}, headers=boss["headers"],
                        timeout=10)
    assert resp.status_code == 200, resp.text
    assert req["id"] in [r["id"] for r in resp.json()["items"]]
    resp = requests.get(f"{api}/team/leave-requests", headers=peer["headers"], timeout=10)
    assert resp.status_code == 200 and resp.json()["items"] == []  # nobody reports to them: an empty inbox
    resp = requests.get(f"{api}/team/leave-requests", headers=emp["headers"], timeout=10)  # emp's team is sub
    assert resp.status_code == 200 and req["id"] not in [r["id"] for r in resp.json()["items"]]
    resp = requests.get(f"{api}/team/leave-requests", params={"nip": emp["nip"]}, headers=peer["headers"],
                        timeout=10)
    assert resp.status_code == 403
    resp = requests.get(f"{api}/team/leave-requests", params={"nip": emp["nip"]}, headers=admin, timeout=10)
    assert resp.status_code == 200 and req["id"] in [r["id"] for r in resp.json()["items"]]

    # Only the direct supervisor decides: not a peer, a subordinate, the employee, nor an admin.
    for headers in (peer["headers"], sub["headers"], emp["headers"], admin):
        resp = decide(api, headers, req["id"])
        assert resp.status_code == 403, resp.text
    assert db.leave_requests.find_one({"_id": req["id"]})["state"] == "pending"
    assert db.leave_days.count_documents({"leave_request_id": req["id"]}) == 0

    resp = decide(api, boss["headers"], req["id"], True, "silakan")
    assert resp.status_code == 200, resp.text
    assert resp.json()["state"] == "approved" and resp.json()["decided_by"] == boss["nip"]
    days = sorted(db.leave_days.find({"leave_request_id": req["id"]}), key=lambda d: d["date"])
    assert [d["_id"] for d in days] == [f"{emp['nip']}:{iso(today())}",
                                        f"{emp['nip']}:{iso(today() + timedelta(days=1))}"]
    assert all(d["type"] == "dinas_luar" and d["nip"] == emp["nip"] for d in days)

    # Decided once: deciding again (either way) is refused and changes nothing.
    for approved in (True, False):
        resp = decide(api, boss["headers"], req["id"], approved)
        assert resp.status_code == 409 and resp.json()["error"] == "invalid_transition", resp.text
    assert db.leave_requests.find_one({"_id": req["id"]})["state"] == "approved"

    # Approved travel: check in with mode DL ~480 km from the office.
    resp = check_in(api, emp, *JAKARTA, "DL")
    assert resp.status_code == 201, resp.text
    assert resp.json()["mode"] == "DL"

    # A started request cannot be cancelled any more.
    resp = cancel(api, emp, req["id"])
    assert resp.status_code == 409 and resp.json()["error"] == "invalid_transition"
    assert db.leave_days.count_documents({"leave_request_id": req["id"]}) == 2

    resp = requests.get(f"{api}/me/leave-requests", headers=emp["headers"], timeout=10)
    assert resp.status_code == 200
    assert [(r["id"], r["state"]) for r in resp.json()["items"]] == [(req["id"], "approved")]

    ch, queue = decided_queue
    found = []

    def drain():
        while True:
            method, _props, body = ch.basic_get(queue, auto_ack=True)
            if method is None:
                return any(e["data"]["id"] == req["id"] for e in found)
            found.append(json.loads(body))

    wait_until(drain, timeout=30, message="presence.leave.decided on the bus")
    event = next(e for e in found if e["data"]["id"] == req["id"])
    assert event["source"] == "presence"
    assert event["data"]["approved"] is True and event["data"]["nip"] == emp["nip"]
    assert event["data"]["decided_by"] == boss["nip"] and event["data"]["days"] == 2


def test_overlap_rejection_and_cancellation(api, admin, db, person):
    boss = person()
    emp = person(supervisor_nip=boss["nip"])
    d = today() + timedelta(days=10)

    first = ask(api, emp, "cuti", d, d + timedelta(days=2))
    assert first.status_code == 201, first.text
    first = first.json()
    resp = ask(api, emp, "izin", d + timedelta(days=2), d + timedelta(days=4))
    assert resp.status_code == 409 and resp.json()["error"] == "leave_overlap", resp.text
    assert resp.json()["leave_request"]["id"] == first["id"]
    second = ask(api, emp, "izin", d + timedelta(days=3), d + timedelta(days=4))
    assert second.status_code == 201, second.text
    second = second.json()

    # A rejected request no longer blocks its days; an approved one does.
    assert decide(api, boss["headers"], first["id"], False, "tidak bisa").json()["state"] == "rejected"
    assert db.leave_days.count_documents({"leave_request_id": first["id"]}) == 0
    resp = ask(api, emp, "sakit", d, d + timedelta(days=1))
    assert resp.status_code == 201, resp.text
    assert decide(api, boss["headers"], second["id"], True).json()["state"] == "approved"
    assert db.leave_days.count_documents({"leave_request_id": second["id"]}) == 2
    resp = ask(api, emp, "cuti", d + timedelta(days=4), d + timedelta(days=6))
    assert resp.status_code == 409 and resp.json()["error"] == "leave_overlap"

    # Only the owner cancels; an approved request frees its leave days; cancelled is final.
    resp = cancel(api, boss, second["id"])
    assert resp.status_code == 403
    resp = cancel(api, emp, second["id"])
    assert resp.status_code == 200 and resp.json()["state"] == "cancelled", resp.text
    assert db.leave_days.count_documents({"leave_request_id": second["id"]}) == 0
    resp = cancel(api, emp, second["id"])
    assert resp.status_code == 409 and resp.json()["error"] == "invalid_transition"
    resp = decide(api, boss["headers"], second["id"], True)
    assert resp.status_code == 409 and resp.json()["error"] == "invalid_transition"
    # Its days are free again.
    resp = ask(api, emp, "cuti", d + timedelta(days=4), d + timedelta(days=6))
    assert resp.status_code == 201, resp.text

    # A pending request starting today cannot be cancelled either.
    started = ask(api, emp, "izin", today(), today())
    assert started.status_code == 201, started.text
    resp = cancel(api, emp, started.json()["id"])
    assert resp.status_code == 409 and resp.json()["error"] == "invalid_transition"
    assert db.leave_requests.find_one({"_id": started.json()["id"]})["state"] == "pending"

    resp = decide(api, boss["headers"], uuid.uuid4().hex, True)
    assert resp.status_code == 404


def test_admin_decides_only_for_an_employee_without_supervisor(api, admin, db, person):
    loner = person()
    other = person()
    resp = ask(api, loner, "cuti")
    assert resp.status_code == 201, resp.text
    rid = resp.json()["id"]
    assert decide(api, other["headers"], rid).status_code == 403
    resp = decide(api, admin, rid, True)
    assert resp.status_code == 200 and resp.json()["state"] == "approved", resp.text
    assert db.leave_days.count_documents({"leave_request_id": rid}) == 1


@pytest.mark.parametrize("body", [
    {"type": "cuti", "start_date": "2030-01-10", "end_date": "2030-01-09", "reason": "x"},
    {"type": "liburan", "start_date": "2030-01-10", "end_date": "2030-01-10", "reason": "x"},
    {"type": "dinas_luar", "start_date": "2030-01-10", "end_date": "2030-01-10", "reason": "x"},
    {"type": "dinas_luar", "start_date": "2030-01-10", "end_date": "2030-01-10", "reason": "x", "spt_number": "  "},
    {"type": "cuti", "start_date": "2030-01-10", "end_date": "2030-01-10", "reason": "x", "nip": "1" * 18},
    {"type": "cuti", "start_date": "2030-01-10", "end_date": "2030-01-10", "reason": "x", "state": "approved"},
    {"type": {"$gt": ""}, "start_date": "2030-01-10", "end_date": "2030-01-10", "reason": "x"},
    {"type": "cuti", "start_date": {"$gt": ""}, "end_date": "2030-01-10", "reason": "x"},
    {"type": "cuti", "start_date": "2030-01-10", "end_date": "2030-01-10", "reason": {"$ne": None}},
    {"type": "cuti", "start_date": "2030-01-10", "end_date": "2030-01-10", "reason": "   "},
    {"type": "cuti", "start_date": "2030-01-10", "end_date": "2030-01-10"},
    {"type": "cuti", "start_date": "2030-01-10", "end_date": "2030-04-12", "reason": "93 days"},
    {"type": "cuti", "start_date": "2030-02-30", "end_date": "2030-03-01", "reason": "x"},
    ["cuti"],
])
def test_bad_leave_requests_are_refused_and_store_nothing(api, db, person, body):
    who = person()
    resp = requests.post(f"{api}/leave-requests", json=body, headers=who["headers"], timeout=10)
    assert resp.status_code in (400, 422), resp.text
    assert resp.json()["error"] in ("validation_failed", "bad_request")
    assert db.leave_requests.count_documents({"nip": who["nip"]}) == 0


def test_bad_decisions_change_nothing(api, db, person):
    boss = person()
    emp = person(supervisor_nip=boss["nip"])
    rid = ask(api, emp, "cuti").json()["id"]
    for body in ({"approved": "true"}, {"approved": 1}, {"approved": {"$ne": False}}, {},
                 {"approved": True, "nip": emp["nip"]}, {"approved": True, "note": {"$gt": ""}}):
        resp = requests.post(f"{api}/leave-requests/{rid}/decision", json=body, headers=boss["headers"], timeout=10)
        assert resp.status_code == 422, (body, resp.text)
    assert db.leave_requests.find_one({"_id": rid})["state"] == "pending"
    resp = requests.get(f"{api}/team/leave-requests", params={"status": "maybe"}, headers=boss["headers"],
                        timeout=10)
    assert resp.status_code == 422


def test_a_decision_cut_short_before_its_leave_days_is_completed_by_the_worker(api, db, person):
    """The decision and its event are one write; the leave days come after it. Here that write is made
    alone, as a crash right after it would leave it: the worker, receiving the decision's own event,
    writes the days. The same for a cancellation whose days were not removed."""
    from presence.events import leave_cancelled_event, leave_decided_event
    from presence.store import Store, utcnow

    boss = person()
    emp = person(supervisor_nip=boss["nip"])
    start = today() + timedelta(days=20)
    asked = ask(api, emp, "izin", start, start + timedelta(days=2))
    assert asked.status_code == 201, asked.text
    rid = asked.json()["id"]
    store = Store(db)
    doc = store.get_leave_request(rid)
    changes = {"state": "approved", "decided_by": boss["nip"], "decided_at": utcnow(), "decision_note": "ok"}
    assert store.decide_leave_request(rid, changes, leave_decided_event({**doc, **changes}))
    assert db.leave_days.count_documents({"leave_request_id": rid}) == 0  # what the crash left
    wait_until(lambda: db.leave_days.count_documents({"leave_request_id": rid}) == 3, timeout=30,
               message="the worker writing the approved request's days")

    approved = store.get_leave_request(rid)
    changes = {"state": "cancelled", "cancelled_at": utcnow()}
    assert store.cancel_leave_request(rid, "approved", changes, leave_cancelled_event({**approved, **changes}, True))
    wait_until(lambda: db.leave_days.count_documents({"leave_request_id": rid}) == 0, timeout=30,
               message="the worker removing the cancelled request's days")
    # and the answer through the API agrees: cancelled, no day of it counts as leave
    assert requests.get(f"{api}/leave-requests/{rid}", headers=emp["headers"], timeout=10).json()["state"] == "cancelled"


def test_one_request_names_who_asks_for_the_owner_supervisor_and_admin_only(api, admin, person):
    boss = person(name="Atasan Baca Satu")
    me = person(supervisor_nip=boss["nip"], name="Pemohon Baca Satu")
    asked = ask(api, me, type_="izin", start=today() + timedelta(days=40))
    assert asked.status_code == 201, asked.text
    path = f"{api}/leave-requests/{asked.json()['id']}"
    for headers in (me["headers"], boss["headers"], admin):
        resp = requests.get(path, headers=headers, timeout=10)
        assert resp.status_code == 200 and resp.json()["name"] == "Pemohon Baca Satu", resp.text
    assert requests.get(path, headers=person()["headers"], timeout=10).status_code == 403


def test_a_rejection_cut_short_gives_the_held_annual_leave_back_once(api, db, person):
    """The same for a rejected cuti: the days it held come back from the worker, and only once."""
    from presence.events import leave_decided_event
    from presence.store import Store, utcnow

    boss = person()
    emp = person(supervisor_nip=boss["nip"])
    start = today() + timedelta(days=25)
    asked = ask(api, emp, "cuti", start, start)
    assert asked.status_code == 201, asked.text
    rid = asked.json()["id"]
    store = Store(db)
    doc = store.get_leave_request(rid)
    (year, days), = doc["annual_days"].items()
    balance_id = f"{emp['nip']}:{year}"
    held = db.leave_balances.find_one({"_id": balance_id})
    assert rid in held["holders"] and held["held"] >= int(days)
    changes = {"state": "rejected", "decided_by": boss["nip"], "decided_at": utcnow(), "decision_note": "tidak"}
    assert store.decide_leave_request(rid, changes, leave_decided_event({**doc, **changes}))
    wait_until(lambda: rid not in db.leave_balances.find_one({"_id": balance_id})["holders"], timeout=30,
               message="the worker giving the rejected request's days back")
    after = db.leave_balances.find_one({"_id": balance_id})
    assert after["held"] == held["held"] - int(days)
    assert store.release_annual_leave(emp["nip"], int(year), int(days), rid) is False  # a second time: nothing
    assert db.leave_balances.find_one({"_id": balance_id})["held"] == after["held"]
