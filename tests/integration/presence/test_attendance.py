"""Check-in/out use cases with the real database and an injected clock (no broker involved)."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from pyproj import Geod

from sipk_shared.errors import ApiError
from sipk_shared.outbox import EVENT_IDS, OUTBOX

from presence.attendance import Attendance
from presence.directory import Directory
from presence.idempotency import run_once

pytestmark = pytest.mark.integration

GEOD = Geod(ellps="WGS84")
WIB = timezone(timedelta(hours=7))
KOBA = (-2.4816, 106.3998)


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at.astimezone(timezone.utc)


def away(metres: float, azimuth: float = 90.0) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(KOBA[1], KOBA[0], azimuth, metres)
    return lat, lon


@pytest.fixture()
def setup(presence_store):
    """A fresh office (Mon-Thu 07:30-16:00, Fri 07:30-16:30, grace 5) and an employee of its unit."""
    code, unit, nip = f"O{uuid.uuid4().hex[:8]}", f"U{uuid.uuid4().hex[:8]}", str(uuid.uuid4().int)[:18]
    schedule = {"days": {"mon": {"start": "07:30", "end": "16:00"}, "tue": {"start": "07:30", "end": "16:00"},
                         "wed": {"start": "07:30", "end": "16:00"}, "thu": {"start": "07:30", "end": "16:00"},
                         "fri": {"start": "07:30", "end": "16:30"}, "sat": None, "sun": None},
                "grace_minutes": 5}
    assert presence_store.insert_office({"code": code, "name": "Kantor", "latitude": KOBA[0], "longitude": KOBA[1],
                                         "radius_m": 50.0, "timezone": "Asia/Jakarta", "unit_codes": [unit],
                                         "max_accuracy_m": 100.0, "schedule": schedule})
    presence_store.apply_employee_snapshot({"nip": nip, "name": "Uji", "unit_code": unit, "position": "Analis",
                                            "supervisor_nip": None, "roles": ["employee"], "active": True},
                                           "2026-01-01T00:00:00.000+00:00")
    clock = Clock(datetime(2026, 3, 4, 7, 45, 30, tzinfo=WIB))  # a Wednesday
    service = Attendance(presence_store, Directory(lambda: presence_store, ttl_s=0), clock, request_id="req-1")
    return service, clock, nip, code


def test_check_in_stages_its_event_and_marks_the_document(setup, presence_store):
    service, _clock, nip, code = setup
    answer = service.check_in(nip, *away(20), 12.0, "WFO")
    assert answer["date"] == "2026-03-04" and answer["checked_in_at"] == "2026-03-04T07:45:30+07:00"
    assert answer["late_minutes"] == 11  # 07:45:30 against 07:30 + 5 min grace: 10.5 -> 11 started minutes
    assert answer["distance_m"] == pytest.approx(20, abs=0.1)
    doc = presence_store.db.check_ins.find_one({"id": answer["id"]})
    # Staged in the outbox and committed by the mark in the check-in's own insert:
    # no broker on the request path.
    assert len(doc[EVENT_IDS]) == 1
    staged = presence_store.db[OUTBOX].find_one({"_id": doc[EVENT_IDS][0]})
    assert staged["collection"] == "check_ins" and staged["doc_id"] == doc["_id"]
    event = staged["event"]
    assert event["type"] == "presence.checked_in" and event["request_id"] == "req-1"
    assert event["data"]["nip"] == nip and event["data"]["late_minutes"] == 11
    assert event["data"]["office_code"] == code and event["data"]["time"] == "2026-03-04T07:45:30+07:00"


def test_office_date_comes_from_the_office_zone(setup):
    service, clock, nip, _code = setup
    clock.at = datetime(2026, 3, 4, 23, 30, tzinfo=timezone.utc)  # already Thursday 06:30 in WIB
    answer = service.check_in(nip, *KOBA, 5.0, "WFO")
    assert answer["date"] == "2026-03-05" and answer["late_minutes"] == 0


def test_check_out_counts_early_leave_and_appends_its_event(setup, presence_store):
    service, clock, nip, _code = setup
    first = service.check_in(nip, *KOBA, 5.0, "WFO")
    clock.at = datetime(2026, 3, 4, 15, 0, 0, tzinfo=WIB)
    out = service.check_out(nip, *away(30), 5.0)
    assert out["early_leave_minutes"] == 60 and out["id"] == first["id"]
    doc = presence_store.db.check_ins.find_one({"id": first["id"]})
    staged = [presence_store.db[OUTBOX].find_one({"_id": i}) for i in doc[EVENT_IDS]]
    assert [e["event"]["type"] for e in staged] == ["presence.checked_in", "presence.checked_out"]
    with pytest.raises(ApiError) as exc:
        service.check_out(nip, *KOBA, 5.0)
    assert exc.value.error == "already_checked_out"


def test_friday_schedule_and_holiday(setup, presence_store):
    service, clock, nip, _code = setup
    clock.at = datetime(2026, 3, 6, 16, 10, tzinfo=WIB)  # Friday: ends 16:30
    service.check_in(nip, *KOBA, 5.0, "WFO")
    assert service.check_out(nip, *KOBA, 5.0)["early_leave_minutes"] == 20
    day = "2026-03-09"
    presence_store.insert_holiday(day, "Uji libur")
    try:
        clock.at = datetime(2026, 3, 9, 9, 0, tzinfo=WIB)  # a Monday, but a holiday
        answer = service.check_in(nip, *KOBA, 5.0, "WFO")
        assert answer["non_working_day"] is True and answer["late_minutes"] == 0
        assert answer["holiday"] == "Uji libur"
    finally:
        presence_store.delete_holiday(day)


def test_fence_accuracy_and_missing_check_in(setup, presence_store):
    service, _clock, nip, code = setup
    with pytest.raises(ApiError) as exc:
        service.check_out(nip, *KOBA, 5.0)
    assert exc.value.error == "not_checked_in"
    with pytest.raises(ApiError) as exc:
        service.check_in(nip, *away(50.5), 5.0, "WFO")
    assert exc.value.status == 403 and exc.value.details["office_code"] == code
    assert service.check_in(nip, *away(49.9), 100.0, "WFO")["distance_m"] == pytest.approx(49.9, abs=0.1)
    assert presence_store.db.check_ins.count_documents({"nip": nip}) == 1


def test_unique_index_allows_one_check_in_under_concurrency(setup, presence_store):
    service, _clock, nip, _code = setup
    results, barrier = [], threading.Barrier(8)

    def go():
        barrier.wait()
        try:
            results.append(service.check_in(nip, *KOBA, 5.0, "WFO")["id"])
        except ApiError as exc:
            results.append(exc.error)

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("already_checked_in") == 7
    assert presence_store.db.check_ins.count_documents({"nip": nip}) == 1


def test_idempotency_replays_stores_errors_and_releases_on_crash(presence_store):
    nip, calls = str(uuid.uuid4().int)[:18], []

    def ok():
        calls.append(1)
        return 201, {"n": len(calls)}

    assert run_once(presence_store, nip=nip, key="k1", path="/x", body={"a": 1}, action=ok) == (201, {"n": 1}, False)
    assert run_once(presence_store, nip=nip, key="k1", path="/x", body={"a": 1}, action=ok) == (201, {"n": 1}, True)
    with pytest.raises(ApiError) as exc:
        run_once(presence_store, nip=nip, key="k1", path="/x", body={"a": 2}, action=ok)
    assert exc.value.error == "idempotency_key_reused"
    # Another employee's identical key is a different key.
    assert run_once(presence_store, nip=nip + "0", key="k1", path="/x", body={"a": 1}, action=ok)[1] == {"n": 2}

    def refused():
        raise ApiError(403, "outside_geofence", "far", distance_m=80.0)

    with pytest.raises(ApiError):
        run_once(presence_store, nip=nip, key="k2", path="/x", body={}, action=refused)
    status, body, replayed = run_once(presence_store, nip=nip, key="k2", path="/x", body={}, action=ok)
    assert (status, body["error"], body["distance_m"], replayed) == (403, "outside_geofence", 80.0, True)

    def crash():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_once(presence_store, nip=nip, key="k3", path="/x", body={}, action=crash)
    assert run_once(presence_store, nip=nip, key="k3", path="/x", body={}, action=ok)[2] is False
    with pytest.raises(ApiError) as exc:
        run_once(presence_store, nip=nip, key="bad key!", path="/x", body={}, action=ok)
    assert exc.value.error == "invalid_idempotency_key"


def test_directory_reloads_at_once_on_a_miss_and_serves_the_cache_otherwise(presence_store):
    directory = Directory(lambda: presence_store, ttl_s=3600, min_reload_s=0)
    code, unit = f"D{uuid.uuid4().hex[:8]}", f"DU{uuid.uuid4().hex[:8]}"
    assert directory.office_for_unit(unit) is None
    presence_store.insert_office({"code": code, "name": "A", "latitude": 0.0, "longitude": 0.0, "radius_m": 50.0,
                                  "timezone": "Asia/Jakarta", "unit_codes": [unit], "max_accuracy_m": 100.0})
    assert directory.office_for_unit(unit).code == code          # a miss reloads
    presence_store.update_office(code, {"radius_m": 80.0})
    assert directory.office(code).radius_m == 50.0                 # a hit is served from the cache
    directory.invalidate()
    assert directory.office(code).radius_m == 80.0
    override = {"nip": "x", "unit_code": unit, "office_override": "GONE"}
    assert directory.office_for_employee(override).code == code    # a deleted override falls back to the unit


def test_inactive_unknown_and_officeless_employees_are_refused(setup, presence_store):
    service, _clock, nip, _code = setup
    presence_store.apply_employee_snapshot({"nip": nip, "name": "Uji", "unit_code": "X", "position": "Analis",
                                            "supervisor_nip": None, "roles": ["employee"], "active": False},
                                           "2026-01-02T00:00:00.000+00:00")
    with pytest.raises(ApiError) as exc:
        service.check_in(nip, *KOBA, 5.0, "WFO")
    assert (exc.value.status, exc.value.error) == (403, "inactive_employee")
    presence_store.apply_employee_snapshot({"nip": nip, "name": "Uji", "unit_code": "NOWHERE", "position": "Analis",
                                            "supervisor_nip": None, "roles": ["employee"], "active": True},
                                           "2026-01-03T00:00:00.000+00:00")
    with pytest.raises(ApiError) as exc:
        service.check_in(nip, *KOBA, 5.0, "WFO")
    assert (exc.value.status, exc.value.error) == (409, "no_office")
    with pytest.raises(ApiError) as exc:
        service.check_in("0" * 18, *KOBA, 5.0, "WFO")
    assert (exc.value.status, exc.value.error) == (409, "employee_unknown")
    # An older snapshot arriving late does not undo the newer one.
    presence_store.apply_employee_snapshot({"nip": nip, "active": False}, "2026-01-01T00:00:00.000+00:00")
    assert presence_store.get_employee(nip)["active"] is True


def test_history_marks_each_day_from_records_rosters_leave_and_holidays(setup, presence_store):
    service, clock, nip, _code = setup
    clock.at = datetime(2026, 3, 2, 7, 20, tzinfo=WIB)       # Monday, on time
    service.check_in(nip, *KOBA, 5.0, "WFO")
    clock.at = datetime(2026, 3, 2, 16, 5, tzinfo=WIB)
    service.check_out(nip, *KOBA, 5.0)
    presence_store.db.leave_days.insert_one({"_id": f"{nip}:2026-03-03", "nip": nip, "date": "2026-03-03",
                                             "type": "sakit", "leave_request_id": "t"})
    presence_store.db.rosters.insert_one({"_id": f"{nip}:2026-03-04", "nip": nip, "date": "2026-03-04",
                                          "mode": "WFH"})
    clock.at = datetime(2026, 3, 5, 9, 0, tzinfo=WIB)         # Thursday, no check-in yet
    employee = presence_store.get_employee(nip)
    days = service.history(employee, datetime(2026, 2, 28).date(), datetime(2026, 3, 9).date())
    assert [(d["date"], d["status"]) for d in days] == [
        ("2026-03-05", "belum_hadir"), ("2026-03-04", "tanpa_keterangan"), ("2026-03-03", "sakit"),
        ("2026-03-02", "hadir"), ("2026-03-01", "libur"), ("2026-02-28", "libur")]
    assert days[1]["roster_mode"] == "WFH" and days[3]["check_out"]["early_leave_minutes"] == 0


def test_many_day_keys_use_one_query_and_find_the_same(presence_store):
    nip = str(uuid.uuid4().int)[:18]
    presence_store.db.rosters.insert_many([{"_id": f"{nip}:2026-01-{d:02d}", "nip": nip, "date": f"2026-01-{d:02d}",
                                            "mode": "WFH"} for d in (3, 17)])
    few = [(nip, "2026-01-03"), (nip, "2026-01-04")]
    many = [(f"{n:018d}", "2026-01-03") for n in range(150)] + [(nip, "2026-01-17")]
    assert presence_store.rosters_for(few) == {(nip, "2026-01-03"): "WFH"}
    assert presence_store.rosters_for(many) == {(nip, "2026-01-17"): "WFH"}
