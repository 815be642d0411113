"""The review queue, device approval, corrections and selfies through the gateway (docs/trust.md)."""
from __future__ import annotations

import base64
import io
import json
import os
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import requests

from e2e.presence_common import db, today  # noqa: F401 - fixtures by name
from e2e.trust_common import (API, check_in, check_out, jpeg, month_of, near, office_code, past_day, people,  # noqa: F401
                              recap_row, trust_unit, yesterday)
from support import bearer, bound_queue, drain_queue, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def boss(people):
    return people(1)[0]


@pytest.fixture(scope="module")
def staff(people, boss):
    return lambda n=1: people(n, supervisor=boss)


@pytest.fixture(scope="module")
def outsider(people):
    """A supervisor of another team."""
    other_boss = people(1)[0]
    people(1, supervisor=other_boss)
    return other_boss


def flagged(who, **params):
    return requests.get(f"{API}/team/flagged", params=params, headers=who["headers"], timeout=30)


def review(who, check_in_id, accepted: bool, note: str = "diperiksa"):
    return requests.post(f"{API}/check-ins/{check_in_id}/review", json={"accepted": accepted, "note": note},
                         headers=who["headers"], timeout=30)


def today_of(who) -> dict:
    return requests.get(f"{API}/me/today", headers=who["headers"], timeout=10).json()


# ------------------------------------------------------------------ the review queue
def test_flagged_check_in_in_the_queue_accept_counts_present(boss, staff, outsider, db, amqp_url):
    with bound_queue(amqp_url, "presence.check_in.*") as (channel, queue):
        s, peer = staff(2)
        resp = check_in(s, accuracy_m=0)
        assert resp.status_code == 201 and resp.json()["review"] == "pending", resp.text
        ci = resp.json()["id"]
        # the direct supervisor's queue: reasons and evidence, no coordinates
        page = flagged(boss, status="pending")
        assert page.status_code == 200, page.text
        item = next(i for i in page.json()["items"] if i["id"] == ci)
        assert item["flags"] == ["accuracy_implausible"] and item["name"] == s["name"]
        evidence = item["evidence"]["check_in"]
        assert evidence["accuracy_m"] == 0 and evidence["radius_m"] == 50 and 0 < evidence["distance_m"] < 50
        assert evidence["device"]["state"] == "first" and len(evidence["device"]["fingerprint"]) == 12
        assert "latitude" not in json.dumps(page.json())
        # a peer's queue is empty (no subordinates) and a peer decides nothing; another team's supervisor neither
        assert flagged(peer).status_code == 200 and flagged(peer).json()["items"] == []
        for who in (peer, outsider, s):
            refused = review(who, ci, True)
            assert refused.status_code == 403 and refused.json()["error"] == "forbidden", refused.text
        assert ci not in [i["id"] for i in flagged(outsider).json()["items"]]
        assert db.check_ins.find_one({"id": ci})["review"]["state"] == "pending"  # nothing changed
        # while pending the day counts as present
        assert recap_row(boss, s["nip"], month_of(today()))["present"] == 1
        accepted = review(boss, ci, True, "GPS ponsel sedang bermasalah")
        assert accepted.status_code == 200 and accepted.json()["review"] == "accepted", accepted.text
        again = review(boss, ci, False)
        assert again.status_code == 409 and again.json()["error"] == "invalid_transition"
        row = recap_row(boss, s["nip"], month_of(today()))
        assert (row["present"], row["absent"]) == (1, 0)
        mine = today_of(s)["check_in"]  # the employee sees the decision
        assert mine["review"] == "accepted" and mine["review_note"] == "GPS ponsel sedang bermasalah"
        assert mine["reviewed_by"] == boss["nip"]
        events: list = []

        def both():
            events.extend(e for e in drain_queue(channel, queue) if e["data"]["id"] == ci)
            return len(events) >= 2

        wait_until(both, timeout=20, message="the flagged and reviewed events")
        kinds = sorted(e["type"] for e in events)
        assert kinds == ["presence.check_in.flagged", "presence.check_in.reviewed"]
        assert all("latitude" not in json.dumps(e) and s["device"] not in json.dumps(e) for e in events)
        assert next(e for e in events if e["type"].endswith("reviewed"))["data"]["accepted"] is True
    audit = db.audit.find_one({"entity": "check_in", "entity_id": ci})
    assert audit["actor"] == boss["nip"] and audit["changes"]["state"] == "accepted"


def test_reject_counts_tanpa_keterangan_unless_leave(boss, staff):
    s, on_leave = staff(2)
    ci = check_in(s, accuracy_m=0).json()["id"]
    resp = review(boss, ci, False, "bukan dari kantor")
    assert resp.status_code == 200 and resp.json()["review"] == "rejected", resp.text
    row = recap_row(boss, s["nip"], month_of(today()))
    assert (row["present"], row["absent"]) == (0, 1)
    day = today_of(s)
    assert day["status"] == "tanpa_keterangan" and day["check_in"]["review"] == "rejected"
    # a rejected day covered by approved leave is that leave
    ci = check_in(on_leave, accuracy_m=0).json()["id"]
    leave = requests.post(f"{API}/leave-requests", headers=on_leave["headers"], timeout=10, json={
        "type": "sakit", "start_date": today().isoformat(), "end_date": today().isoformat(), "reason": "demam"})
    assert leave.status_code == 201, leave.text
    decided = requests.post(f"{API}/leave-requests/{leave.json()['id']}/decision", headers=boss["headers"],
                            json={"approved": True, "note": ""}, timeout=10)
    assert decided.status_code == 200, decided.text
    assert review(boss, ci, False).status_code == 200
    row = recap_row(boss, on_leave["nip"], month_of(today()))
    assert (row["absent"], row["leave_days"]["sakit"]) == (0, 1)


def test_review_of_a_closed_day_settles_it_again(boss, staff, db, office_code):
    s = staff()[0]
    day = yesterday()
    doc = past_day(s["nip"], day, near(7), out_point=near(7), flags=["accuracy_implausible"],
                   review={"state": "pending"}, office_code=office_code)
    db.check_ins.insert_one(doc)
    db.day_closes.update_one({"_id": day}, {"$addToSet": {"offices": office_code}}, upsert=True)
    assert review(boss, doc["id"], False).status_code == 200
    settled = wait_until(lambda: db.day_settlements.find_one({"_id": f"{s['nip']}:{day}"}), timeout=10,
                         message="the settlement")
    assert settled["status"] == "tanpa_keterangan"


def test_review_refusals_change_nothing(boss, staff, db):
    s = staff()[0]
    ordinary = check_in(s).json()
    assert ordinary["flags"] == []
    resp = review(boss, ordinary["id"], True)
    assert resp.status_code == 409 and resp.json()["error"] == "not_flagged"
    assert review(boss, "0" * 32, True).status_code == 404
    assert review(boss, "not-an-id", True).status_code == 404
    bad = requests.post(f"{API}/check-ins/{ordinary['id']}/review", json={"accepted": "yes", "x": 1},
                        headers=boss["headers"], timeout=10)
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"accepted", "x"}
    assert db.check_ins.find_one({"id": ordinary["id"]})["review"] is None


# ------------------------------------------------------------------ devices
def test_a_second_device_is_flagged_until_approved(boss, staff, db):
    s = staff()[0]
    first = check_in(s).json()
    assert first["flags"] == []
    new_phone = f"new-phone-{s['device']}"
    resp = check_out(s, device_id=new_phone)
    assert resp.json()["flags"] == ["unbound_device"], resp.text
    waiting = requests.get(f"{API}/team/devices", params={"status": "pending"}, headers=boss["headers"], timeout=10)
    device = next(d for d in waiting.json()["items"] if d["nip"] == s["nip"])
    assert device["state"] == "pending" and device["name"] == s["name"]
    approved = requests.post(f"{API}/devices/{device['id']}/decision", json={"approved": True, "note": "HP baru"},
                             headers=boss["headers"], timeout=10)
    assert approved.status_code == 200 and approved.json()["state"] == "bound", approved.text
    states = {d["id"]: d["state"] for d in
              requests.get(f"{API}/me/devices", headers=s["headers"], timeout=10).json()["items"]}
    assert sorted(states.values()) == ["bound", "replaced"] and states[device["id"]] == "bound"
    # the next day (today's record moved a day back): the new phone is the bound one, the old one is flagged
    doc = db.check_ins.find_one_and_delete({"id": first["id"]})
    doc.update(_id=f"{s['nip']}:{yesterday()}", date=yesterday(), checked_in_at=doc["checked_in_at"] - timedelta(days=1))
    doc["check_out"]["checked_out_at"] -= timedelta(days=1)
    db.check_ins.insert_one(doc)
    assert check_in(s, device_id=new_phone).json()["flags"] == []
    assert check_out(s).json()["flags"] == ["unbound_device"]  # the old phone, replaced
    again = requests.post(f"{API}/devices/{device['id']}/decision", json={"approved": False, "note": ""},
                          headers=boss["headers"], timeout=10)
    assert again.status_code == 409 and again.json()["error"] == "invalid_transition"


def test_admin_unbinds_a_lost_phone(staff, admin_token, db):
    s = staff()[0]
    assert check_in(s).json()["flags"] == []
    device = requests.get(f"{API}/me/devices", headers=s["headers"], timeout=10).json()["items"][0]
    refused = requests.post(f"{API}/devices/{device['id']}/unbind", headers=s["headers"], timeout=10)
    assert refused.status_code == 403
    resp = requests.post(f"{API}/devices/{device['id']}/unbind", headers=bearer(admin_token), timeout=10)
    assert resp.status_code == 200 and resp.json()["state"] == "unbound", resp.text
    assert db.device_bindings.find_one({"_id": s["nip"]}) is None
    # the replacement phone is bound on first use
    assert check_out(s, device_id=f"replacement-{s['device']}").json()["flags"] == []
    assert requests.post(f"{API}/devices/{device['id']}/unbind", headers=bearer(admin_token),
                         timeout=10).status_code == 409


# ------------------------------------------------------------------ corrections
def correction(who, **fields):
    body = {"date": yesterday(), "kind": "check_out", "time": "23:59", "reason": "Lupa presensi pulang"}
    body.update(fields)
    return requests.post(f"{API}/corrections", json={k: v for k, v in body.items() if v is not None},
                         headers=who["headers"], timeout=30)


def test_a_forgotten_check_out_corrected_changes_the_recap(boss, staff, db):
    s = staff()[0]
    day = yesterday()
    db.check_ins.insert_one(past_day(s["nip"], day, near(6)))  # checked in, never out
    db.day_records.insert_one({"_id": f"{s['nip']}:{day}", "nip": s["nip"], "date": day, "status": "no_checkout"})
    before = recap_row(boss, s["nip"], month_of(day))
    assert (before["no_checkout_days"], before["psw4"]) == (1, 1)
    resp = correction(s, photo=jpeg())
    assert resp.status_code == 201, resp.text
    made = resp.json()
    assert made["state"] == "pending" and made["has_photo"] and (made["month_used"], made["month_limit"]) == (1, 3)
    waiting = requests.get(f"{API}/team/corrections", params={"status": "pending"}, headers=boss["headers"],
                           timeout=10).json()["items"]
    assert [c["id"] for c in waiting if c["nip"] == s["nip"]] == [made["id"]]
    photo = requests.get(f"{API}/corrections/{made['id']}/photo", headers=boss["headers"], timeout=10)
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"
    assert requests.post(f"{API}/corrections/{made['id']}/decision", json={"approved": True, "note": ""},
                         headers=s["headers"], timeout=10).status_code == 403  # never one's own
    resp = requests.post(f"{API}/corrections/{made['id']}/decision", json={"approved": True, "note": "sesuai CCTV"},
                         headers=boss["headers"], timeout=10)
    assert resp.status_code == 200 and resp.json()["state"] == "approved" and resp.json()["applied"], resp.text
    after = recap_row(boss, s["nip"], month_of(day))
    assert (after["no_checkout_days"], after["psw4"], after["present"]) == (0, 0, before["present"])
    history = requests.get(f"{API}/me/history", params={"from": day, "to": day}, headers=s["headers"],
                           timeout=10).json()["items"][0]
    mark = history["check_out"]["corrected"]
    assert history["status"] == "hadir" and mark["approved_by"] == boss["nip"] and mark["note"] == "sesuai CCTV"
    assert mark["reason"] == "Lupa presensi pulang" and mark["approved_at"]
    assert db.audit.count_documents({"entity": "correction", "entity_id": made["id"]}) == 2
    assert requests.get(f"{API}/me/corrections", headers=s["headers"], timeout=10).json()["items"][0]["state"] == "approved"


def test_a_failed_check_in_corrected_creates_the_day(boss, staff, db):
    s = staff()[0]
    day = (today() - timedelta(days=2)).isoformat()
    assert recap_row(boss, s["nip"], month_of(day))["absent"] >= 1
    made = correction(s, date=day, kind="check_in", time="00:10", reason="HP mati").json()
    out = correction(s, date=day, kind="check_out", time="23:59", reason="HP mati").json()
    refused = requests.post(f"{API}/corrections/{out['id']}/decision", json={"approved": True, "note": ""},
                            headers=boss["headers"], timeout=10)
    assert refused.status_code == 409 and refused.json()["error"] == "not_checked_in"  # the check-in first
    for c in (made, out):
        resp = requests.post(f"{API}/corrections/{c['id']}/decision", json={"approved": True, "note": "ok"},
                             headers=boss["headers"], timeout=10)
        assert resp.status_code == 200, resp.text
    doc = db.check_ins.find_one({"_id": f"{s['nip']}:{day}"})
    assert doc["corrected"]["correction_id"] == made["id"] and doc["late_minutes"] == 10
    assert doc["check_out"]["corrected"]["correction_id"] == out["id"]


def test_corrections_refused_change_nothing(boss, staff, db):
    s, other = staff(2)

    def stored():
        return db.corrections.count_documents({"nip": {"$in": [s["nip"], other["nip"]]}})

    # for another employee: there is no such field; the NIP is the token's
    resp = correction(s, nip=other["nip"])
    assert resp.status_code == 422 and "nip" in resp.json()["errors"]
    # a photo that is not an image (a PDF, and a text with a JPEG's first bytes)
    for fake in (b"%PDF-1.4 not a photo", b"\xff\xd8\xff\xe0 truncated junk"):
        resp = correction(s, kind="check_in", time="00:05", photo=base64.b64encode(fake).decode())
        assert resp.status_code == 422 and resp.json()["error"] == "unsupported_file_type", resp.text
    for bad in ({"date": (today() + timedelta(days=1)).isoformat()}, {"time": "25:00"}, {"kind": "lunch"},
                {"date": (today() - timedelta(days=40)).isoformat()}, {"reason": ""}):
        resp = correction(s, **{"kind": "check_in", "time": "00:05", **bad})
        assert 400 <= resp.status_code < 500 and resp.json()["error"], (bad, resp.text)
    assert stored() == 0 and db.correction_quota.find_one({"_id": f"{s['nip']}:{month_of(yesterday())}"}) is None
    # the monthly limit (3): four days of one month that have nothing to correct but their check-in
    by_month: dict[str, list[str]] = {}
    for back in range(0, 25):
        d = (today() - timedelta(days=back)).isoformat()
        by_month.setdefault(month_of(d), []).append(d)
    days = next(v for v in by_month.values() if len(v) >= 4)[:4]
    results = [correction(s, date=d, kind="check_in", time="00:01", reason="lupa") for d in days]
    assert [r.status_code for r in results] == [201, 201, 201, 409], [r.text for r in results]
    assert results[3].json()["error"] == "correction_limit" and results[3].json()["limit"] == 3
    assert stored() == 3
    # one open correction per day and kind
    again = correction(other, date=days[0], kind="check_in", time="00:01")
    assert again.status_code == 201
    dup = correction(other, date=days[0], kind="check_in", time="00:02")
    assert dup.status_code == 409 and dup.json()["error"] == "correction_exists"
    assert db.correction_quota.find_one({"_id": f"{other['nip']}:{month_of(days[0])}"})["used"] == 1


# ------------------------------------------------------------------ selfies
def test_selfie_checked_stored_shown_to_supervisor_only_and_purged(boss, staff, admin_token, office_code, db):
    from presence.retention import purge_trust_data
    from presence.store import Store

    s, peer, plain = staff(3)
    admin = bearer(admin_token)
    resp = check_in(plain, selfie=jpeg())
    assert resp.status_code == 422 and resp.json()["error"] == "selfie_not_enabled"  # the office does not use them
    patched = requests.patch(f"{API}/offices/{office_code}", json={"selfie": "optional"}, headers=admin, timeout=10)
    assert patched.status_code == 200 and patched.json()["selfie"] == "optional"
    try:
        wait_until(lambda: check_in(plain, selfie="@@notbase64@@").status_code == 422
                   and check_in(plain, selfie="@@").json()["error"] == "invalid_photo", timeout=10,
                   message="the office's new setting")
        # one worker has it; every worker has it within the office cache's lifetime (its documented promise)
        time.sleep(float(os.environ.get("OFFICE_CACHE_SECONDS", 3)) + 1)
        for fake in (b"GIF89a not allowed", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"\x89PNG\r\n\x1a\n junk"):
            resp = check_in(plain, selfie=base64.b64encode(fake).decode())
            assert resp.status_code == 422 and resp.json()["error"] == "unsupported_file_type", resp.text
        assert db.check_ins.find_one({"nip": plain["nip"]}) is None  # nothing stored
        resp = check_in(s, selfie=jpeg(exif_gps=True), accuracy_m=0)
        assert resp.status_code == 201, resp.text
        ci = resp.json()["id"]
        item = next(i for i in flagged(boss).json()["items"] if i["id"] == ci)
        assert item["has_selfie"] is True
        photo = requests.get(f"{API}/check-ins/{ci}/selfie", headers=boss["headers"], timeout=10)
        assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"
        assert "no-store" in photo.headers["Cache-Control"]
        from PIL import Image
        image = Image.open(io.BytesIO(photo.content))
        assert image.format == "JPEG" and not image.getexif()  # the phone's metadata is not kept
        for who in (s, peer):
            assert requests.get(f"{API}/check-ins/{ci}/selfie", headers=who["headers"], timeout=10).status_code == 403
        assert requests.get(f"{API}/check-ins/{ci}/selfie", headers=admin, timeout=10).status_code == 200
        # the worker's retention job: older than SELFIE_KEEP_DAYS (35) -> deleted
        taken = db.selfies.find_one({"_id": ci})["taken_at"]
        settings = SimpleNamespace(selfie_keep_days=35, correction_photo_keep_days=90)
        assert purge_trust_data(Store(db), settings, taken + timedelta(days=34))["selfies"] == 0 or \
            db.selfies.find_one({"_id": ci}) is not None  # younger than 35 days: kept
        assert db.selfies.find_one({"_id": ci}) is not None
        assert purge_trust_data(Store(db), settings, taken + timedelta(days=36))["selfies"] >= 1
        assert requests.get(f"{API}/check-ins/{ci}/selfie", headers=boss["headers"], timeout=10).status_code == 404
    finally:
        requests.patch(f"{API}/offices/{office_code}", json={"selfie": "off"}, headers=admin, timeout=10)
