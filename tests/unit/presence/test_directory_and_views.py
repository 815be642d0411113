"""The office directory cache (with a small fake store) and the public shapes of a day."""
from datetime import date, datetime, timezone

from presence.attendance import public_check_in, public_check_out, schedule_view
from presence.directory import Directory, office_from_doc


class FakeStore:
    def __init__(self):
        self.offices, self.overrides, self.holidays, self.loads = [], [], [], 0

    def all_offices(self):
        self.loads += 1
        return list(self.offices)

    def all_overrides(self):
        return list(self.overrides)

    def all_holidays(self):
        return list(self.holidays)


def office_doc(code, units, **extra):
    return {"_id": code, "name": code, "latitude": -2.48, "longitude": 106.4, "radius_m": 50.0,
            "timezone": "Asia/Jakarta", "unit_codes": units, "max_accuracy_m": 100.0, **extra}


class Ticker:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_cache_serves_hits_until_the_ttl_and_reloads_misses_at_once():
    store, tick = FakeStore(), Ticker()
    store.offices.append(office_doc("A", ["U1"]))
    directory = Directory(lambda: store, ttl_s=5, min_reload_s=0.5, monotonic=tick)
    assert directory.office_for_unit("U1").code == "A" and store.loads == 1
    store.offices.append(office_doc("B", ["U2"]))
    tick.now += 0.1
    assert directory.office_for_unit("U2") is None and store.loads == 1   # miss, but reloaded 0.1 s ago
    tick.now += 0.5
    assert directory.office_for_unit("U2").code == "B" and store.loads == 2
    store.offices[0] = office_doc("A", ["U1"], radius_m=80.0)
    tick.now += 1
    assert directory.office("A").radius_m == 50.0 and store.loads == 2     # hit: cached
    tick.now += 5
    assert directory.office("A").radius_m == 80.0 and store.loads == 3     # ttl passed


def test_override_wins_and_falls_back_to_the_unit_when_its_office_is_gone():
    store = FakeStore()
    store.offices += [office_doc("A", ["U1"]), office_doc("B", [])]
    directory = Directory(lambda: store, ttl_s=60, min_reload_s=0)
    assert directory.office_for_employee({"unit_code": "U1", "office_override": "B"}).code == "B"
    assert directory.office_for_employee({"unit_code": "U1", "office_override": "GONE"}).code == "A"
    assert directory.office_for_employee({"unit_code": "U9"}) is None
    assert directory.office_for_employee({"unit_code": None}) is None


def test_office_schedule_and_overrides_from_documents():
    doc = office_doc("A", [], schedule={"days": {"mon": {"start": "08:00", "end": "15:00"}}, "grace_minutes": 3})
    ramadan = {"office_code": "A", "name": "Ramadan", "start_date": "2026-02-18", "end_date": "2026-03-19",
               "days": {"mon": {"start": "08:00", "end": "14:00"}}, "grace_minutes": 0}
    office = office_from_doc(doc, [ramadan])
    assert schedule_view(office, date(2026, 2, 16)) == {"start": "08:00", "end": "15:00", "grace_minutes": 3}
    assert schedule_view(office, date(2026, 2, 23)) == {"start": "08:00", "end": "14:00", "grace_minutes": 0}
    assert schedule_view(office, date(2026, 2, 17)) is None            # Tuesday is off in this week
    default = office_from_doc(office_doc("B", []))
    assert schedule_view(default, date(2026, 2, 20)) == {"start": "07:30", "end": "16:30", "grace_minutes": 0}


def test_times_are_shown_in_the_office_zone():
    doc = {"id": "abc", "nip": "1" * 18, "date": "2026-03-04", "mode": "WFO", "office_code": "A",
           "timezone": "Asia/Jayapura", "checked_in_at": datetime(2026, 3, 3, 22, 40, tzinfo=timezone.utc),
           "location": {"latitude": -2.5, "longitude": 140.7, "accuracy_m": 9.0}, "distance_m": 12.3,
           "late_minutes": 0, "non_working_day": False,
           "check_out": {"checked_out_at": datetime(2026, 3, 4, 7, 5, tzinfo=timezone.utc), "distance_m": 3.0,
                         "early_leave_minutes": 0, "latitude": -2.5, "longitude": 140.7, "accuracy_m": 5.0}}
    assert public_check_in(doc)["checked_in_at"] == "2026-03-04T07:40:00+09:00"
    assert public_check_out(doc)["checked_out_at"] == "2026-03-04T16:05:00+09:00"
    assert public_check_out({**doc, "check_out": None}) is None
