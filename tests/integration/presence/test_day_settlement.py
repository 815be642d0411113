"""Settled employee-days (presence.day.settled) against the real database: the recap's view of each
closed day, written and staged in the outbox only when it changed, re-settled after a late leave."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from sipk_shared.outbox import EVENT_IDS, OUTBOX

from presence.closing import DailyClose
from presence.directory import Directory
from presence.settlement import DaySettlement
from presence.store import DAY_SETTLEMENTS

pytestmark = pytest.mark.integration

MON_FRI = {"days": {d: ({"start": "07:30", "end": "16:00"} if d not in ("sat", "sun") else None)
                    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, "grace_minutes": 0}
DAY = date(2026, 3, 3)  # a Tuesday
NOW = datetime(2026, 3, 10, 3, 0, tzinfo=timezone.utc)


@pytest.fixture()
def world(presence_store):
    code, unit = f"O{uuid.uuid4().hex[:8]}", f"U{uuid.uuid4().hex[:8]}"
    assert presence_store.insert_office({"code": code, "name": "Kantor", "latitude": -2.48, "longitude": 106.4,
                                         "radius_m": 50.0, "timezone": "Asia/Jakarta", "unit_codes": [unit],
                                         "schedule": MON_FRI})
    nips = {name: f"{name}-{uuid.uuid4().hex[:8]}" for name in ("late", "absent", "forgot", "sick")}
    for nip in nips.values():
        presence_store.apply_employee_snapshot({"nip": nip, "name": nip, "unit_code": unit, "supervisor_nip": None,
                                                "roles": ["employee"], "active": True}, "2026-01-01T00:00:00Z")
    at = datetime(2026, 3, 3, 1, 0, tzinfo=timezone.utc)
    for key, late, early in (("late", 40, 0), ("forgot", 0, None)):
        presence_store.db.check_ins.insert_one({
            "_id": f"{nips[key]}:{DAY}", "id": uuid.uuid4().hex, "nip": nips[key], "date": DAY.isoformat(),
            "mode": "WFO", "checked_in_at": at, "late_minutes": late, "timezone": "Asia/Jakarta",
            "check_out": None if early is None else {"checked_out_at": at + timedelta(hours=8),
                                                     "early_leave_minutes": early}})
    directory = Directory(lambda: presence_store, ttl_s=0)
    return presence_store, directory, nips, code


def close(store, directory, day=DAY):
    settlement = DaySettlement(store, directory)
    return DailyClose(store, directory, lambda: NOW, settle=settlement.settle).close(day)


def settled(store, nips):
    return {d["nip"]: d for d in store.db[DAY_SETTLEMENTS].find({"nip": {"$in": list(nips.values())}})}


def staged(store, nips):
    keys = [f"{n}:{DAY}" for n in nips.values()]
    return [e["event"] for e in store.db[OUTBOX].find({"collection": DAY_SETTLEMENTS, "doc_id": {"$in": keys}})
            .sort("seq", 1)]


def test_the_close_settles_every_employee_day_once(world):
    store, directory, nips, _code = world
    close(store, directory)
    days = settled(store, nips)
    assert {k: (days[n]["status"], days[n]["tl"], days[n]["psw"], days[n]["revision"]) for k, n in nips.items()} == {
        "late": ("terlambat", 2, 0, 1), "absent": ("tanpa_keterangan", 0, 0, 1),
        "forgot": ("no_checkout", 0, 4, 1), "sick": ("tanpa_keterangan", 0, 0, 1)}
    assert all(EVENT_IDS in d and d["working_day"] for d in days.values())
    events = staged(store, nips)
    assert sorted(e["data"]["nip"] for e in events) == sorted(nips.values())
    event = next(e for e in events if e["data"]["nip"] == nips["late"])
    assert event["type"] == "presence.day.settled" and event["data"] == {
        "nip": nips["late"], "date": "2026-03-03", "working_day": True, "status": "terlambat", "mode": "WFO",
        "late_minutes": 40, "early_leave_minutes": 0, "tl": 2, "psw": 0, "revision": 1}
    close(store, directory)  # again: nothing changed, nothing written or sent
    assert len(staged(store, nips)) == 4 and {d["revision"] for d in settled(store, nips).values()} == {1}


def test_a_leave_approved_after_the_close_settles_the_day_again(world):
    store, directory, nips, _code = world
    close(store, directory)
    store.insert_leave_days([{"_id": f"{nips['sick']}:{DAY}", "nip": nips["sick"], "date": DAY.isoformat(),
                              "type": "sakit", "leave_request_id": "r1"}])
    assert DaySettlement(store, directory).resettle(nips["sick"], [DAY.isoformat(), "2026-03-20"]) == 1
    day = settled(store, nips)[nips["sick"]]
    assert (day["status"], day["revision"]) == ("sakit", 2)
    sick = [e for e in staged(store, nips) if e["data"]["nip"] == nips["sick"]]
    assert [e["data"]["revision"] for e in sick] == [1, 2] and sick[1]["data"]["status"] == "sakit"
    # a day the close has not settled is left to the close (2026-03-20 above), and so is an unclosed office
    assert DaySettlement(store, directory).resettle(nips["absent"], ["2026-03-04"]) == 0


def test_a_weekend_is_not_settled_unless_it_was_settled_as_a_working_day(world):
    store, directory, nips, code = world
    sunday = date(2026, 3, 8)
    close(store, directory, sunday)
    assert store.db[DAY_SETTLEMENTS].count_documents({"date": sunday.isoformat(),
                                                      "nip": {"$in": list(nips.values())}}) == 0
    close(store, directory)
    store.insert_holiday(DAY.isoformat(), "Hari libur yang terlambat dicatat")
    directory.fresh()
    close(store, directory)
    assert {d["working_day"] for d in settled(store, nips).values()} == {False}
    assert {d["revision"] for d in settled(store, nips).values()} == {2}
    store.delete_holiday(DAY.isoformat())
