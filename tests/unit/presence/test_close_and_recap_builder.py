"""Daily close rules (pure + the use case over a fake store) and the recap's per-day records."""
from datetime import date, datetime, timezone

import pytest

from sipk_shared.errors import ApiError

from presence.closing import DailyClose
from presence.directory import Directory, office_from_doc
from presence.domain.dayclose import close_status, day_ended
from presence.domain.recap import month_recap
from presence.domain.status import AttendanceStatus as S
from presence.recaps import day_records, month_bounds

MON_FRI = {"days": {d: {"start": "07:30", "end": "16:00"} for d in ("mon", "tue", "wed", "thu", "fri")}}


def test_close_status_rules():
    assert close_status(True, False, False, False) is S.TANPA_KETERANGAN
    assert close_status(True, False, True, False) is S.NO_CHECKOUT
    assert close_status(True, False, True, True) is None
    assert close_status(True, True, False, False) is None  # approved leave
    assert close_status(True, True, True, False) is None
    assert close_status(False, False, False, False) is None  # weekend / holiday
    with pytest.raises(ValueError):
        close_status(True, False, False, True)


def test_day_ended_only_when_the_local_date_is_later():
    assert day_ended(date(2026, 3, 2), date(2026, 3, 3))
    assert not day_ended(date(2026, 3, 3), date(2026, 3, 3))
    assert not day_ended(date(2026, 3, 4), date(2026, 3, 3))


class FakeStore:
    def __init__(self, offices, holidays=()):
        self.offices, self.holidays = offices, [{"_id": h} for h in holidays]
        self.employees, self.check_ins, self.leave, self.records, self.marks = [], {}, set(), {}, {}

    def all_offices(self):
        return list(self.offices)

    def all_overrides(self):
        return []

    def all_holidays(self):
        return list(self.holidays)

    def close_inputs(self, day):
        return (list(self.employees), {n: out for (n, d), out in self.check_ins.items() if d == day},
                {n for n, d in self.leave if d == day})

    def closed_offices(self, day):
        return set(self.marks.get(day, ()))

    def mark_closed(self, day, offices):
        self.marks.setdefault(day, set()).update(offices)

    def insert_day_records(self, docs):
        new = [d for d in docs if d["_id"] not in self.records]
        self.records.update({d["_id"]: d for d in new})
        return new


def office(code, unit, tz="Asia/Jakarta"):
    return {"_id": code, "name": code, "latitude": 0, "longitude": 0, "radius_m": 50, "timezone": tz,
            "unit_codes": [unit], "schedule": MON_FRI}


def closer(store, now):
    return DailyClose(store, Directory(lambda: store), lambda: now)


NOW = datetime(2026, 3, 4, 3, 0, tzinfo=timezone.utc)  # Wed 10:00 WIB, 12:00 WIT


def test_daily_close_over_a_fake_store_is_idempotent():
    store = FakeStore([office("A", "UA")])
    store.employees = [{"_id": n, "unit_code": "UA"} for n in ("absent", "forgot", "leave", "fine")]
    store.employees.append({"_id": "homeless", "unit_code": "NOWHERE"})
    store.check_ins = {("forgot", "2026-03-03"): False, ("fine", "2026-03-03"): True}
    store.leave = {("leave", "2026-03-03")}
    result = closer(store, NOW).close(date(2026, 3, 3))
    assert (result.closed, result.absent, result.no_checkout) == (2, 1, 1)
    assert {d["nip"]: d["status"] for d in store.records.values()} == {"absent": "tanpa_keterangan",
                                                                       "forgot": "no_checkout"}
    assert store.records["absent:2026-03-03"]["office_code"] == "A"
    assert closer(store, NOW).close(date(2026, 3, 3)).closed == 0


def test_daily_close_skips_weekends_and_holidays():
    store = FakeStore([office("A", "UA")], holidays=["2026-03-02"])
    store.employees = [{"_id": "x", "unit_code": "UA"}]
    assert closer(store, NOW).close(date(2026, 3, 1)).closed == 0  # Sunday
    assert closer(store, NOW).close(date(2026, 3, 2)).closed == 0  # holiday
    assert closer(store, NOW).close(date(2026, 2, 27)).closed == 1  # Friday


def test_daily_close_refuses_open_and_future_days_and_closes_only_ended_offices():
    store = FakeStore([office("A", "UA"), office("B", "UB", "Asia/Jayapura")])
    store.employees = [{"_id": "a", "unit_code": "UA"}, {"_id": "b", "unit_code": "UB"}]
    with pytest.raises(ApiError) as err:
        closer(store, NOW).close(date(2026, 3, 4))
    assert err.value.status == 409 and err.value.error == "day_not_ended"
    with pytest.raises(ApiError) as err:
        closer(store, NOW).close(date(2026, 3, 5))
    assert err.value.status == 422
    late = datetime(2026, 3, 4, 16, 0, tzinfo=timezone.utc)  # 23:00 WIB Wed, 01:00 WIT Thu
    result = closer(store, late).close(date(2026, 3, 4))
    assert (result.closed, result.offices, result.skipped_offices) == (1, 1, 1)
    assert list(store.records) == ["b:2026-03-04"]


def test_day_records_build_the_month_for_the_recap():
    off = office_from_doc(office("A", "UA"))
    ins = {"2026-03-02": {"mode": "WFO", "late_minutes": 10, "check_out": {"early_leave_minutes": 0}},
           "2026-03-03": {"mode": "WFH", "late_minutes": 0, "check_out": None},
           "2026-03-07": {"mode": "WFO", "late_minutes": 0, "check_out": None}}  # Saturday
    records = day_records("2026-03", date(2026, 3, 6), off, {date(2026, 3, 5): "Nyepi"}, ins,
                          {"2026-03-04": "izin"}, {"2026-03-03": "no_checkout"})
    assert [r.date.day for r in records] == [1, 2, 3, 4, 5, 6]  # up to today only
    status = {r.date.day: r.status for r in records}
    assert status == {1: S.LIBUR, 2: S.TERLAMBAT, 3: S.NO_CHECKOUT, 4: S.IZIN, 5: S.LIBUR, 6: S.BELUM_HADIR}
    recap = month_recap("n", "2026-03", records)
    assert (recap.working_days, recap.present, recap.tl1, recap.psw4, recap.pending) == (4, 2, 1, 1, 1)
    assert recap.leave_days["izin"] == 1 and recap.wfh_days == 1 and recap.wfo_days == 1


def test_a_past_working_day_without_anything_is_absent_and_a_late_check_in_beats_the_close():
    off = office_from_doc(office("A", "UA"))
    ins = {"2026-03-03": {"mode": "WFO", "late_minutes": 0, "check_out": {"early_leave_minutes": 0}}}
    records = day_records("2026-03", date(2026, 4, 10), off, {}, ins, {}, {"2026-03-03": "tanpa_keterangan"})
    status = {r.date.day: r.status for r in records}
    assert status[2] is S.TANPA_KETERANGAN and status[3] is S.HADIR and len(records) == 31


def test_month_bounds():
    assert month_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(ValueError):
        month_bounds("2024-13")


def test_worker_job_closes_yesterday_once_per_office_zone():
    store = FakeStore([office("A", "UA")])
    store.employees = [{"_id": "x", "unit_code": "UA"}]
    first = closer(store, NOW).close_yesterday()  # Tue 2026-03-03 ended in WIB
    assert [(r.date, r.closed) for r in first] == [("2026-03-03", 1)]
    assert store.marks == {"2026-03-03": {"A"}}
    assert closer(store, NOW).close_yesterday() == []  # marked: no scan again
    store.offices.append(office("B", "UB"))
    store.employees.append({"_id": "y", "unit_code": "UB"})
    again = closer(store, NOW).close_yesterday()  # a new office is not marked yet
    assert [(r.date, r.closed) for r in again] == [("2026-03-03", 1)]
