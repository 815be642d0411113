"""The presence API's input schemas: strict numbers, ranges, defaults, no unknown fields."""
import math

import pytest
from marshmallow import ValidationError

from presence.api.schemas import (CheckInInSchema, CheckOutInSchema, OfficeCreateSchema, OfficePatchSchema,
                                  OverrideInSchema, WeekScheduleSchema)

GOOD = {"latitude": -2.48, "longitude": 106.4, "accuracy_m": 12.5}


def errors_of(schema, data):
    with pytest.raises(ValidationError) as exc:
        schema().load(data)
    return exc.value.messages


def test_check_in_defaults_to_wfo_and_accepts_integers():
    assert CheckInInSchema().load({"latitude": -2, "longitude": 106, "accuracy_m": 5}) == {
        "latitude": -2.0, "longitude": 106.0, "accuracy_m": 5.0, "mode": "WFO"}


@pytest.mark.parametrize("field,value", [
    ("latitude", 91), ("latitude", -90.0001), ("longitude", 180.5), ("longitude", "abc"), ("latitude", "-2.48"),
    ("latitude", True), ("latitude", None), ("latitude", {"$gt": 0}), ("longitude", [106.4]),
    ("latitude", math.nan), ("longitude", math.inf), ("accuracy_m", -math.inf), ("accuracy_m", -0.1),
    ("mode", "wfo"), ("mode", {"$ne": "WFO"}),
])
def test_check_in_rejects_bad_values(field, value):
    assert field in errors_of(CheckInInSchema, {**GOOD, field: value})


@pytest.mark.parametrize("missing", ["latitude", "longitude", "accuracy_m"])
def test_check_in_requires_position_and_accuracy(missing):
    body = {k: v for k, v in GOOD.items() if k != missing}
    assert missing in errors_of(CheckInInSchema, body)


def test_nobody_checks_in_for_someone_else_unknown_fields_are_refused():
    assert "nip" in errors_of(CheckInInSchema, {**GOOD, "nip": "198001012005011001"})
    assert "mode" in errors_of(CheckOutInSchema, {**GOOD, "mode": "WFO"})


def test_office_defaults_follow_the_contract():
    office = OfficeCreateSchema().load({"code": "KB-1", "name": "Kantor", "latitude": -2.48, "longitude": 106.4})
    assert office["radius_m"] == 50.0 and office["timezone"] == "Asia/Jakarta"
    assert office["max_accuracy_m"] == 100.0 and office["unit_codes"] == [] and office["schedule"] is None


@pytest.mark.parametrize("field,value", [
    ("radius_m", 9.9), ("radius_m", 1000.1), ("timezone", "Asia/Jakrta"), ("timezone", "asia/jakarta"),
    ("timezone", "localtime"), ("code", "a.b"), ("code", "$where"), ("code", ""), ("unit_codes", ["ok", "no.dot"]),
    ("unit_codes", "BKPSDM"), ("max_accuracy_m", 0),
])
def test_office_rejects_bad_values(field, value):
    body = {"code": "KB-1", "name": "Kantor", "latitude": -2.48, "longitude": 106.4, field: value}
    assert field in errors_of(OfficeCreateSchema, body)


def test_office_accepts_the_three_indonesian_zones():
    for tz in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"):
        OfficeCreateSchema().load({"code": "K", "name": "K", "latitude": 0, "longitude": 0, "timezone": tz})


def test_office_patch_needs_a_field_and_cannot_change_the_code():
    assert "_schema" in errors_of(OfficePatchSchema, {})
    assert "code" in errors_of(OfficePatchSchema, {"code": "NEW"})


def test_week_schedule_validates_days_and_order():
    loaded = WeekScheduleSchema().load({"days": {"mon": {"start": "07:30", "end": "16:00"}, "sat": None}})
    assert loaded["days"]["mon"] == {"start": "07:30", "end": "16:00"} and loaded["days"]["tue"] is None
    assert loaded["grace_minutes"] == 0
    assert "days" in errors_of(WeekScheduleSchema, {"days": {"monday": {"start": "07:30", "end": "16:00"}}})
    assert "days" in errors_of(WeekScheduleSchema, {"days": {"mon": {"start": "16:00", "end": "07:30"}}})
    assert "days" in errors_of(WeekScheduleSchema, {"days": {"mon": {"start": "7:30", "end": "16:00"}}})
    assert "grace_minutes" in errors_of(WeekScheduleSchema, {"days": {}, "grace_minutes": 121})
    assert "grace_minutes" in errors_of(WeekScheduleSchema, {"days": {}, "grace_minutes": "5"})


def test_override_needs_an_ordered_range():
    body = {"name": "Ramadan", "start_date": "2026-02-18", "end_date": "2026-02-17", "days": {}}
    assert "end_date" in errors_of(OverrideInSchema, body)
    ok = OverrideInSchema().load({**body, "end_date": "2026-03-19"})
    assert ok["start_date"].isoformat() == "2026-02-18"
