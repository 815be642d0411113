"""SKP use cases and presence.day.settled handling against the real database: the database decides
every race (one SKP per employee-year, transitions and evaluations compare-and-set), and settled days
arriving late or twice end in the newest version."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone

import pytest

from sipk_shared.auth import Principal
from sipk_shared.bus import PermanentError
from sipk_shared.errors import ApiError
from sipk_shared.events import make_event

from performance.config import Settings
from performance.events import make_handler
from performance.skp_service import SkpService
from performance.store import Store

pytestmark = pytest.mark.integration

NOW = datetime(2026, 5, 5, 3, 0, tzinfo=timezone.utc)


def who(nip: str, admin: bool = False) -> Principal:
    return Principal(nip=nip, name=nip, unit="U", roles=("admin",) if admin else ("employee",),
                     password_change_required=False, token_id="t")


@pytest.fixture()
def store(mongo_client):
    name = f"test_skp_{uuid.uuid4().hex[:10]}"  # a fresh database per test: nips and years repeat
    s = Store(mongo_client[name])
    s.ensure_indexes()
    yield s
    mongo_client.drop_database(name)


@pytest.fixture()
def svc(store):
    for nip, boss in (("head", None), ("staff", "head"), ("peer", "head")):
        store.apply_employee_snapshot({"nip": nip, "name": nip, "unit_code": "U", "supervisor_nip": boss,
                                       "active": True}, "2026-01-01T00:00:00Z")
    settings = Settings(service="performance", mongo_uri="", mongo_db="", amqp_url="", exchange="", jwks_url="",
                        jwt_issuer="", jwt_audience="", log_level="INFO")
    return SkpService(store, settings, clock=lambda: NOW)


ITEMS = [{"type": "utama", "rhk": "RHK", "parent_item_id": None,
          "indicators": [{"description": "d", "target": 1.0, "unit": "dok", "aspect": "kuantitas"}]}]


def race(calls):
    """Run the calls at once; (results, ApiErrors)."""
    barrier, results, errors = threading.Barrier(len(calls)), [], []

    def run(call):
        barrier.wait()
        try:
            results.append(call())
        except ApiError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_one_skp_per_employee_and_year_even_in_a_race(svc, store):
    results, errors = race([lambda: svc.create(who("head"), 2026, ITEMS) for _ in range(4)])
    assert len(results) == 1 and [e.status for e in errors] == [409] * 3
    assert {e.error for e in errors} == {"skp_exists"}
    assert store.db.skps.count_documents({"nip": "head", "year": 2026}) == 1


def test_approval_is_compare_and_set(svc, store):
    skp = svc.create(who("head"), 2026, ITEMS)
    svc.submit(who("head"), skp["id"])
    results, errors = race([lambda: svc.approve(who("admin", admin=True), skp["id"], None) for _ in range(3)])
    assert len(results) == 1 and [e.status for e in errors] == [409, 409]
    doc = store.db.skps.find_one({"_id": skp["id"]})
    assert [h["action"] for h in doc["history"]] == ["create", "submit", "approve"]
    assert len(doc["_event_ids"]) == 1  # one performance.skp.approved staged, for the winner only
    # a stale read loses too: the write names the rev it saw
    stale = store.get_skp(skp["id"])
    assert store.update_skp(skp["id"], {"rev": stale["rev"] - 1}, {"$set": {"status": "draft"}}) is None


def test_evaluations_of_a_period_are_compare_and_set_and_keep_history(svc, store):
    head = svc.create(who("head"), 2026, ITEMS)
    svc.submit(who("head"), head["id"])
    svc.approve(who("admin", admin=True), head["id"], None)
    results, errors = race([lambda r=r: svc.evaluate(who("admin", admin=True), head["id"], "Q1", r, "sesuai", None)
                            for r in ("di_atas", "sesuai", "di_bawah")])
    # each winner read the version before it; a loser read a version somebody replaced meanwhile
    assert len(results) + len(errors) == 3 and all(e.status == 409 for e in errors)
    doc = store.get_period(head["id"], "Q1")
    assert doc["evaluation_rev"] == len(results) == doc["evaluation"]["version"]
    assert len(doc.get("evaluation_history") or []) == len(results) - 1  # no evaluation lost
    # a writer that read version 0 (nothing yet) or an older version loses, as an upsert or an update
    base = {"skp_id": head["id"], "nip": "head", "year": 2026, "period": "Q1"}
    for stale in (0, doc["evaluation_rev"] - 1):
        assert store.put_evaluation(head["id"], "Q1", base, stale, {"$set": {"evaluation_rev": 99}},
                                    make_event("x.y.z", {}, source="t")) is None
    assert store.get_period(head["id"], "Q1")["evaluation_rev"] == len(results)
    again = svc.evaluate(who("admin", admin=True), head["id"], "Q1", "di_bawah", "di_bawah", "ulang")
    assert again["evaluation"]["predikat"] == "Sangat Kurang"
    assert [h["version"] for h in again["evaluation_history"]] == list(range(1, len(results) + 1))


def test_the_direct_supervisor_by_the_current_hierarchy_rates(svc, store):
    head = svc.create(who("head"), 2026, ITEMS)
    svc.submit(who("head"), head["id"])
    svc.approve(who("admin", admin=True), head["id"], None)
    parent = head["items"][0]["id"]
    staff = svc.create(who("staff"), 2026, [{**ITEMS[0], "parent_item_id": parent}])
    svc.submit(who("staff"), staff["id"])
    # staff moves under peer (identity's newer event): head is no longer the rater, peer is
    store.apply_employee_snapshot({"nip": "staff", "name": "staff", "unit_code": "U", "supervisor_nip": "peer",
                                   "active": True}, "2026-02-01T00:00:00Z")
    with pytest.raises(ApiError) as info:
        svc.approve(who("head"), staff["id"], None)
    assert info.value.status == 403
    assert svc.approve(who("peer"), staff["id"], None)["status"] == "approved"


def settled(nip="n1", day="2026-03-03", status="tanpa_keterangan", revision=1, **extra):
    data = {"nip": nip, "date": day, "working_day": True, "status": status, "mode": None, "late_minutes": None,
            "early_leave_minutes": None, "tl": 0, "psw": 0, "revision": revision, **extra}
    return make_event("presence.day.settled", data, source="presence")


def test_settled_days_arriving_late_or_twice_keep_the_newest(store):
    handle = make_handler(lambda: store)
    first, second = settled(revision=1), settled(status="sakit", revision=2)
    handle(second)
    handle(first)  # late: an older revision of the same employee-day
    days = store.attendance_days("n1", "2026-03-01", "2026-03-31")
    assert [(d["date"], d["status"], d["revision"]) for d in days] == [("2026-03-03", "sakit", 2)]
    handle(second)  # twice
    handle(first)
    days = store.attendance_days("n1", "2026-03-01", "2026-03-31")
    assert [(d["date"], d["status"], d["revision"]) for d in days] == [("2026-03-03", "sakit", 2)]
    handle(settled(day="2026-03-04", status="terlambat", revision=1, mode="WFO", late_minutes=40, tl=2))
    assert [d["status"] for d in store.attendance_days("n1", "2026-03-01", "2026-03-31")] == ["sakit", "terlambat"]
    for bad in (settled(status="bolos"), settled(tl=7), settled(day="2026-13-01"), settled(nip=None)):
        with pytest.raises(PermanentError):
            handle(bad)
