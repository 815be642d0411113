"""The roll and the day sheets (readmodels.py) against real FerretDB and RabbitMQ.

Check-ins go through the real use case (Attendance, its outbox), leave
requests through the store calls the API makes, the real relay publishes
to RabbitMQ and calls the read-model hook. The close's inputs from the read
models must equal the inputs from full scans, including what is still waiting
in the outbox, and the close must record exactly the expected absences.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from sipk_shared.bus import Publisher
from sipk_shared.outbox import OutboxRelay, backlog

from presence.attendance import Attendance
from presence.closing import DailyClose
from presence.directory import Directory
from presence.events import leave_cancelled_event, leave_decided_event
from presence.readmodels import ReadModels
from presence.recaps import MonthlyRecap
from presence.store import OUTBOX_COLLECTIONS, Store, day_key

pytestmark = pytest.mark.integration

WIB = timezone(timedelta(hours=7))
KOBA = (-2.4846, 106.4021)
DAY = "2026-03-03"  # a Tuesday
WORKDAY = {"start": "07:30", "end": "16:00"}
SCHEDULE = {"days": {d: WORKDAY for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None},
            "grace_minutes": 5}


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture()
def world(mongo_client, amqp_url):
    db = mongo_client[f"test_readmodels_{uuid.uuid4().hex[:10]}"]
    store = Store(db)
    store.ensure_indexes()
    unit = f"U{uuid.uuid4().hex[:8]}"
    assert store.insert_office({"code": f"O{uuid.uuid4().hex[:8]}", "name": "Kantor", "latitude": KOBA[0],
                                "longitude": KOBA[1], "radius_m": 50.0, "timezone": "Asia/Jakarta",
                                "unit_codes": [unit], "max_accuracy_m": 100.0, "schedule": SCHEDULE})
    nips = [f"1990010120200{i:05d}" for i in range(8)]
    for nip in nips:
        store.apply_employee_snapshot({"nip": nip, "name": f"Pegawai {nip[-1]}", "unit_code": unit,
                                       "supervisor_nip": None, "roles": ["employee"], "active": True},
                                      "2026-01-01T00:00:00.000+00:00")
    models = ReadModels(lambda: store)
    assert models.rebuild_if_needed(date(2026, 3, 2))  # sheets from 2026-03-01 on
    assert not models.rebuild_if_needed(date(2026, 3, 2))
    relay = OutboxRelay(db, OUTBOX_COLLECTIONS, Publisher(amqp_url, "sipk.test.readmodels"),
                        on_relayed=models.on_relayed)
    yield store, models, relay, unit, nips
    mongo_client.drop_database(db.name)


def approve_leave(store: Store, nip: str, unit: str, start: str, end: str) -> str:
    """What POST /leave-requests and its approval write."""
    request_id = uuid.uuid4().hex
    doc = {"_id": request_id, "id": request_id, "nip": nip, "type": "cuti", "start_date": start, "end_date": end,
           "days": 1, "reason": "keluarga", "spt_number": None, "state": "pending", "supervisor_nip": None,
           "unit_code": unit}
    store.insert_leave_request(doc)
    changes = {"state": "approved", "decided_by": "198001012005011001", "decided_at": datetime.now(timezone.utc),
               "decision_note": ""}
    assert store.decide_leave_request(request_id, changes, leave_decided_event({**doc, **changes}))
    store.insert_leave_days([{"_id": day_key(nip, start), "nip": nip, "date": start, "type": "cuti",
                              "leave_request_id": request_id}])
    return request_id


def cancel_leave(store: Store, request_id: str) -> None:
    doc = store.get_leave_request(request_id)
    changes = {"state": "cancelled"}
    assert store.cancel_leave_request(request_id, "approved", changes,
                                      leave_cancelled_event({**doc, **changes}, True))
    store.delete_leave_days(request_id, [day_key(doc["nip"], doc["start_date"])])


def test_close_from_read_models_equals_close_from_scans(world):
    store, models, relay, unit, nips = world
    clock = Clock(datetime(2026, 3, 3, 7, 40, tzinfo=WIB))
    attendance = Attendance(store, Directory(lambda: store, ttl_s=0), clock, request_id="req-rm")
    out_and_in, forgot, absent, on_leave, late_out, late_in, cancelled, leaver = nips

    for nip in (out_and_in, forgot, late_out):
        attendance.check_in(nip, *KOBA, 10.0, "WFO")
    leave_id = approve_leave(store, on_leave, unit, DAY, DAY)
    cancelled_id = approve_leave(store, cancelled, unit, DAY, DAY)
    clock.at = datetime(2026, 3, 3, 16, 5, tzinfo=WIB)
    attendance.check_out(out_and_in, *KOBA, 10.0)
    while relay.run_once():
        pass
    assert backlog(store.db) == 0

    # written after the relay ran: still in the outbox when the close reads
    attendance.check_out(late_out, *KOBA, 10.0)
    attendance.check_in(late_in, *KOBA, 10.0, "WFO")
    cancel_leave(store, cancelled_id)
    store.apply_employee_snapshot({"nip": leaver, "unit_code": unit, "active": False},
                                  "2026-03-03T10:00:00.000+00:00")
    models.sync_employee(leaver, "2026-03-03T10:00:00.000+00:00")
    assert backlog(store.db) == 3

    fast = models.day_inputs(DAY)
    scanned = store.close_inputs(DAY)
    assert fast is not None
    assert sorted(e["_id"] for e in fast[0]) == sorted(e["_id"] for e in scanned[0]) == sorted(set(nips) - {leaver})
    assert fast[1] == scanned[1] == {out_and_in: True, forgot: False, late_out: True, late_in: False}
    assert fast[2] == scanned[2] == {on_leave}
    assert models.day_inputs("2026-02-28") is None  # before the sheets: the close scans

    close = DailyClose(store, Directory(lambda: store, ttl_s=0), Clock(datetime(2026, 3, 4, 3, 0, tzinfo=timezone.utc)),
                       models)
    result = close.close(date(2026, 3, 3))
    records = {d["nip"]: d["status"] for d in store.db.day_records.find({})}
    assert records == {forgot: "no_checkout", absent: "tanpa_keterangan", late_in: "no_checkout",
                       cancelled: "tanpa_keterangan"}
    assert (result.closed, result.absent, result.no_checkout) == (4, 2, 2)
    again = close.close(date(2026, 3, 3))
    assert (again.closed, again.absent, again.no_checkout) == (0, 0, 0)

    while relay.run_once():
        pass
    assert backlog(store.db) == 0
    assert models.day_inputs(DAY)[1:] == fast[1:]  # the same facts, now all from the sheets
    assert store.get_leave_request(leave_id)["state"] == "approved"

    # the month's recap from the sheets equals the recap from the collections (and the close's records)
    team = [e for e in store.employees_in_unit(unit)]
    directory = Directory(lambda: store, ttl_s=0)
    now = Clock(datetime(2026, 3, 4, 3, 0, tzinfo=timezone.utc))
    from_sheets = MonthlyRecap(store, directory, now, models).recap(team, "2026-03")
    from_scans = MonthlyRecap(store, directory, now).recap(team, "2026-03")
    assert models.month_facts(team, "2026-03-01", "2026-03-31") is not None
    assert models.month_facts(team, "2026-02-01", "2026-02-28") is None
    assert [r.to_row() for r in from_sheets] == [r.to_row() for r in from_scans]
    rows = {r.nip: r.to_row() for r in from_sheets}

    # packed copies of the finished day: used while fresh, skipped once a later write made them stale
    unpacked = models.month_facts(team, "2026-03-01", "2026-03-31")
    assert models.pack_day(DAY) >= 1 and models.pack_day(DAY) == 0
    assert models.month_facts(team, "2026-03-01", "2026-03-31") == unpacked
    approve_leave(store, forgot, unit, DAY, DAY)  # decided after the day, into a sheet already packed
    while relay.run_once():
        pass
    late = models.month_facts(team, "2026-03-01", "2026-03-31")
    assert late[1][forgot] == {DAY: "cuti"} and late[0] == unpacked[0]
    assert models.pack_day(DAY) >= 1
    assert models.month_facts(team, "2026-03-01", "2026-03-31") == late
    assert rows[forgot]["no_checkout_days"] == 1 and rows[on_leave]["leave_cuti"] == 1
    assert (rows[absent]["working_days"], rows[absent]["absent"]) == (3, 2)  # Mon 2, Tue 3 past; Wed 4 is today


def test_roll_follows_unit_moves_and_office_overrides(world):
    store, models, relay, unit, nips = world
    mover = nips[0]
    clock = Clock(datetime(2026, 3, 3, 7, 40, tzinfo=WIB))
    Attendance(store, Directory(lambda: store, ttl_s=0), clock, request_id="req-mv").check_in(mover, *KOBA, 10.0, "WFO")
    while relay.run_once():
        pass
    store.apply_employee_snapshot({"nip": mover, "unit_code": "U-OTHER", "active": True},
                                  "2026-03-10T01:00:00.000+00:00")
    models.sync_employee(mover, "2026-03-10T01:00:00.000+00:00")
    models.sync_employee(mover, "2026-03-10T01:00:00.000+00:00")  # a redelivery changes nothing
    assert store.roll()[mover] == "U-OTHER|2026-03-10|Pegawai 0"
    # the new unit's recap of March has the check-in made before the move
    facts = models.month_facts([{"_id": mover, "unit_code": "U-OTHER"}], "2026-03-01", "2026-03-31")
    assert facts is not None and list(facts[0][mover]) == ["2026-03-03"]
    assert facts[0][mover]["2026-03-03"]["late_minutes"] == 5
    assert store.roll()[nips[1]] == f"{unit}||Pegawai 1"
    assert [m["_id"] for m in models.unit_members(unit)] == nips[1:]  # by name; the mover left
    # packed buckets: used while fresh; a later write makes its bucket stale and it is read whole
    unpacked = store.roll()
    assert models.pack_roll() >= 1 and models.pack_roll() == 0
    assert store.roll() == unpacked
    store.apply_employee_snapshot({"nip": nips[2], "unit_code": unit, "name": "Nama; Baru = Ok", "active": True},
                                  "2026-03-11T01:00:00.000+00:00")
    models.sync_employee(nips[2], "2026-03-11T01:00:00.000+00:00")
    assert store.roll() == {**unpacked, nips[2]: f"{unit}||Nama; Baru = Ok"}
    assert models.pack_roll() == 1
    assert store.roll() == {**unpacked, nips[2]: f"{unit}||Nama; Baru = Ok"}
    assert store.set_office_override(nips[1], "KANTOR-X") is not None
    assert store.office_overrides() == {nips[1]: "KANTOR-X"}
    store.set_office_override(nips[1], None)
    assert store.office_overrides() == {}


def test_a_late_cancel_never_clears_a_later_approval(world):
    store, models, relay, unit, nips = world
    nip = nips[3]
    first = approve_leave(store, nip, unit, DAY, DAY)
    cancel_leave(store, first)
    second = approve_leave(store, nip, unit, DAY, DAY)  # filed again after cancelling, approved
    while relay.run_once():
        pass
    assert nip in models.day_inputs(DAY)[2]
    models.on_relayed([{"collection": "leave_requests", "doc_id": first}])  # its event once more, late
    assert nip in models.day_inputs(DAY)[2]
    assert store.get_leave_request(second)["state"] == "approved"
