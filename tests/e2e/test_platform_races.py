"""20-way races at every state transition, through the gateway.

Each transition decides its winner in the database (a conditional update on the expected state):
of 20 concurrent attempts exactly one succeeds, the others get 409 (or, for a refresh token, the
reuse answer), and what follows a transition — leave days, history entries, outbox events, the
audit entry — happens once, for the winner only. ``support.race`` / ``support.one_winner`` are the
helpers (reusable for any new transition).
"""
from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
import requests

from support import GATEWAY, bearer, bound_queue, drain_queue, login_direct, one_winner, race, wait_until
from e2e.presence_common import KOBA, all_day_unit, iso, today

pytestmark = pytest.mark.e2e

N = 20
REFRESH_GRACE_S = 2  # identity's REFRESH_REUSE_GRACE_S default
PRESENCE_DB = os.environ.get("SIPK_PRESENCE_DB", "presence")
PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
PRESENCE = f"{GATEWAY}/api/presence/v1"
PERFORMANCE = f"{GATEWAY}/api/performance/v1"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(scope="module")
def presence_db(mongo_client):
    return mongo_client[PRESENCE_DB]


@pytest.fixture(scope="module")
def perf_db(mongo_client):
    return mongo_client[PERFORMANCE_DB]


@pytest.fixture(scope="module")
def unit(admin_token):
    with all_day_unit(admin_token, "RC") as unit_code:
        yield unit_code


@pytest.fixture(scope="module")
def team(make_employee, presence_db, perf_db, unit):
    """A supervisor and a factory of their direct subordinates, known to presence and performance."""
    def signed_in(person):
        return {**person, "headers": bearer(login_direct(person["nip"], person["password"])["access_token"])}

    def arrived(nip):
        wait_until(lambda: presence_db.employees.find_one({"_id": nip}) and perf_db.employees.find_one({"_id": nip}),
                   timeout=30, message="employee copies in presence and performance")

    boss = make_employee(unit_code=unit, name="Kepala Seksi")
    arrived(boss["nip"])

    def member():
        person = make_employee(unit_code=unit, supervisor_nip=boss["nip"])
        arrived(person["nip"])
        return signed_in(person)

    return {"boss": signed_in(boss), "member": member}


def drained(db, doc_id):
    """Wait until the outbox holds nothing more for the document (so no further event can come)."""
    wait_until(lambda: db.outbox.count_documents({"doc_id": doc_id}) == 0, timeout=60,
               message=f"outbox of {doc_id} relayed (a loser's staged entry would hold it back)")


def events_for(channel, queue, key, value) -> list[dict]:
    return [event for event in drain_queue(channel, queue) if event["data"].get(key) == value]


# --- presence ------------------------------------------------------------------------------------------
def test_check_out_race_has_one_winner_and_one_event(team, presence_db, amqp_url):
    who = team["member"]()
    spot = {"latitude": KOBA[0], "longitude": KOBA[1], "accuracy_m": 10,
            "device_id": f"phone-{who['nip']}"}  # the bound device: no presence.check_in.flagged beside them
    with bound_queue(amqp_url, "presence.checked_out") as (channel, queue):
        resp = requests.post(f"{PRESENCE}/check-ins", json={**spot, "mode": "WFO"}, headers=who["headers"], timeout=10)
        assert resp.status_code == 201, resp.text
        answers = race(N, lambda i: requests.post(f"{PRESENCE}/check-outs", json=spot, headers=who["headers"],
                                                  timeout=60))
        winner = answers[one_winner(answers)].json()
        assert {a.json()["error"] for a in answers if a.status_code == 409} == {"already_checked_out"}
        doc_id = f"{who['nip']}:{winner['date']}"
        doc = presence_db.check_ins.find_one({"_id": doc_id})
        assert doc["check_out"]["checked_out_at"] is not None
        assert len(doc["_event_ids"]) == 2  # the check-in's and the one winning check-out's
        drained(presence_db, doc_id)
        assert len(events_for(channel, queue, "nip", who["nip"])) == 1


def ask_leave(who, type_="cuti"):
    start = today() + timedelta(days=5)
    extra = {"spt_number": "SPT/001/2026"} if type_ == "dinas_luar" else {}
    resp = requests.post(f"{PRESENCE}/leave-requests", headers=who["headers"], timeout=10, json={
        "type": type_, "start_date": iso(start), "end_date": iso(start + timedelta(days=1)), "reason": "keluarga",
        **extra})
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_leave_decision_race_approve_against_reject(team, presence_db, amqp_url):
    who = team["member"]()
    request = ask_leave(who, "dinas_luar")
    with bound_queue(amqp_url, "presence.leave.decided") as (channel, queue):
        answers = race(N, lambda i: requests.post(
            f"{PRESENCE}/leave-requests/{request['id']}/decision", json={"approved": i % 2 == 0, "note": f"#{i}"},
            headers=team["boss"]["headers"], timeout=60))
        won = one_winner(answers)
        approved = won % 2 == 0
        stored = presence_db.leave_requests.find_one({"_id": request["id"]})
        assert stored["state"] == ("approved" if approved else "rejected") and stored["decision_note"] == f"#{won}"
        days = presence_db.leave_days.count_documents({"leave_request_id": request["id"]})
        assert days == (2 if approved else 0)  # a rejected dinas luar never leaves a travel day behind
        assert presence_db.audit.count_documents({"entity": "leave_request", "entity_id": request["id"]}) == 1
        drained(presence_db, request["id"])
        assert len(events_for(channel, queue, "id", request["id"])) == 1


def test_leave_cancel_race(team, presence_db, amqp_url):
    who = team["member"]()
    request = ask_leave(who)
    resp = requests.post(f"{PRESENCE}/leave-requests/{request['id']}/decision", json={"approved": True, "note": ""},
                         headers=team["boss"]["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    with bound_queue(amqp_url, "presence.leave.cancelled") as (channel, queue):
        answers = race(N, lambda i: requests.post(f"{PRESENCE}/leave-requests/{request['id']}/cancel",
                                                  headers=who["headers"], timeout=60))
        one_winner(answers)
        assert presence_db.leave_requests.find_one({"_id": request["id"]})["state"] == "cancelled"
        assert presence_db.leave_days.count_documents({"leave_request_id": request["id"]}) == 0
        drained(presence_db, request["id"])
        assert len(events_for(channel, queue, "id", request["id"])) == 1


def test_leave_decision_against_cancel(team, presence_db):
    """The owner cancels while the supervisor approves. Approve-then-cancel is a legal sequence, so
    each may win once; what must hold is that the leave days agree with the final state."""
    who = team["member"]()
    request = ask_leave(who)

    def act(i):
        if i % 2:
            return requests.post(f"{PRESENCE}/leave-requests/{request['id']}/cancel", headers=who["headers"],
                                 timeout=60)
        return requests.post(f"{PRESENCE}/leave-requests/{request['id']}/decision",
                             json={"approved": True, "note": ""}, headers=team["boss"]["headers"], timeout=60)

    answers = race(N, act)
    assert all(a.status_code in (200, 409) for a in answers), [a.status_code for a in answers]
    decisions = [a.status_code for a in answers[0::2]].count(200)
    cancels = [a.status_code for a in answers[1::2]].count(200)
    assert decisions <= 1 and cancels <= 1 and decisions + cancels >= 1
    state = presence_db.leave_requests.find_one({"_id": request["id"]})["state"]
    days = presence_db.leave_days.count_documents({"leave_request_id": request["id"]})
    assert (state, days) in {("cancelled", 0), ("approved", 2)}, (state, days)


def test_home_location_decision_race(team, presence_db, amqp_url):
    who = team["member"]()
    resp = requests.put(f"{PRESENCE}/me/home-location", json={"latitude": -2.45, "longitude": 106.41},
                        headers=who["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    with bound_queue(amqp_url, "presence.home_location.decided") as (channel, queue):
        answers = race(N, lambda i: requests.post(
            f"{PRESENCE}/home-locations/{who['nip']}/decision", json={"approved": i % 2 == 0, "note": f"#{i}"},
            headers=team["boss"]["headers"], timeout=60))
        won = one_winner(answers)
        stored = presence_db.home_locations.find_one({"_id": who["nip"]})
        assert stored["status"] == ("approved" if won % 2 == 0 else "rejected") and stored["note"] == f"#{won}"
        assert presence_db.audit.count_documents({"entity": "home_location", "entity_id": who["nip"],
                                                  "action": "decide"}) == 1
        drained(presence_db, who["nip"])
        assert len(events_for(channel, queue, "nip", who["nip"])) == 1


# --- performance -------------------------------------------------------------------------------------
def test_task_start_submit_and_review_races(team, perf_db, amqp_url):
    who = team["member"]()
    boss = team["boss"]
    with bound_queue(amqp_url, "performance.task.*") as (channel, queue):
        resp = requests.post(f"{PERFORMANCE}/tasks", headers=boss["headers"], timeout=10, json={
            "title": "Laporan", "description": "Rekap", "assignee_nip": who["nip"],
            "due_date": iso(today() + timedelta(days=7))})
        assert resp.status_code == 201, resp.text
        task_id = resp.json()["id"]

        answers = race(N, lambda i: requests.post(f"{PERFORMANCE}/tasks/{task_id}/start", headers=who["headers"],
                                                  timeout=60))
        one_winner(answers)
        assert len(perf_db.tasks.find_one({"_id": task_id})["history"]) == 2

        answers = race(N, lambda i: requests.post(
            f"{PERFORMANCE}/tasks/{task_id}/submissions", headers=who["headers"], timeout=120,
            data={"note": f"versi {i}"}, files=[("files", (f"hasil-{i}.pdf", PDF, "application/pdf"))]))
        won = one_winner(answers)
        task = perf_db.tasks.find_one({"_id": task_id})
        assert [s["note"] for s in task["submissions"]] == [f"versi {won}"]
        assert len(task["history"]) == 3
        # the losers' files were removed again: only the winner's is stored
        wait_until(lambda: perf_db["submission_files.files"].count_documents({"metadata.task_id": task_id}) == 1,
                   timeout=30, message="only the winning submission's file stored")

        answers = race(N, lambda i: requests.post(
            f"{PERFORMANCE}/tasks/{task_id}/review", headers=boss["headers"], timeout=60,
            json={"decision": "approve" if i % 2 == 0 else "revise", "comment": f"#{i}", "rating": 1 + i % 5}))
        won = one_winner(answers)
        task = perf_db.tasks.find_one({"_id": task_id})
        assert task["status"] == ("approved" if won % 2 == 0 else "revision_requested")
        assert task["last_review"]["comment"] == f"#{won}"
        assert len(task["history"]) == 4 and len(task["_event_ids"]) == 3  # assigned, submitted, reviewed
        drained(perf_db, task_id)
        events = events_for(channel, queue, "task_id", task_id)
        assert sorted(e["type"] for e in events) == ["performance.task.assigned", "performance.task.reviewed",
                                                     "performance.task.submitted"]


def test_daily_log_decision_race(team, perf_db):
    who = team["member"]()
    resp = requests.post(f"{PERFORMANCE}/daily-logs", headers=who["headers"], timeout=10, json={
        "date": iso(today() - timedelta(days=1)), "activity": "rapat", "output": "notulen",
        "started_at": "08:00", "ended_at": "09:00", "task_id": None})
    assert resp.status_code == 201, resp.text
    entry_id = resp.json()["id"]
    answers = race(N, lambda i: requests.post(f"{PERFORMANCE}/daily-logs/{entry_id}/decision",
                                              json={"approved": i % 2 == 0, "note": f"#{i}"},
                                              headers=team["boss"]["headers"], timeout=60))
    won = one_winner(answers)
    day = perf_db.daily_logs.find_one({"entries.id": entry_id})
    entry = next(e for e in day["entries"] if e["id"] == entry_id)
    assert entry["decision"]["note"] == f"#{won}"
    assert entry["status"] == ("approved" if won % 2 == 0 else "returned")


# --- identity ------------------------------------------------------------------------------------
def test_parallel_refreshes_of_one_token_give_one_pair(make_employee):
    """Two tabs refreshing at once must not log the user out: one 200, the others 409 (the token
    was spent a moment ago by another request), and the winner's session lives on."""
    person = make_employee()
    pair = login_direct(person["nip"], person["password"])
    url = f"{GATEWAY}/api/identity/v1/auth/refresh"
    answers = race(N, lambda i: requests.post(url, json={"refresh_token": pair["refresh_token"]}, timeout=60))
    won = one_winner(answers, won=(200,), lost=(409,))
    assert {a.json()["error"] for i, a in enumerate(answers) if i != won} == {"refresh_in_progress"}
    fresh = answers[won].json()["refresh_token"]
    assert requests.post(url, json={"refresh_token": fresh}, timeout=10).status_code == 200


def test_reuse_after_the_race_window_still_kills_the_family(make_employee):
    person = make_employee()
    pair = login_direct(person["nip"], person["password"])
    url = f"{GATEWAY}/api/identity/v1/auth/refresh"
    first = requests.post(url, json={"refresh_token": pair["refresh_token"]}, timeout=10)
    assert first.status_code == 200, first.text
    time.sleep(REFRESH_GRACE_S + 0.5)  # a copy presented later is a stolen one
    reused = requests.post(url, json={"refresh_token": pair["refresh_token"]}, timeout=10)
    assert (reused.status_code, reused.json()["error"]) == (401, "refresh_token_reused")
    # the legitimate holder's newer token died with the family
    assert requests.post(url, json={"refresh_token": first.json()["refresh_token"]}, timeout=10).status_code == 401
