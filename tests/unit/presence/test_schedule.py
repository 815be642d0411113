"""Office schedule: week, overrides (Ramadan), holidays, working days."""

from datetime import date, datetime, time

import pytest

from presence.domain.schedule import (
    DEFAULT_WEEK,
    DaySchedule,
    ScheduleOverride,
    WeekSchedule,
    format_hhmm,
    is_working_day,
    parse_hhmm,
    schedule_for,
    week_for,
    working_days,
)

MON, FRI, SAT, SUN = date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 8)

_RAMADAN_DAY = DaySchedule(time(8, 0), time(15, 0))
_RAMADAN_FRI = DaySchedule(time(8, 0), time(15, 30))
RAMADAN_WEEK = WeekSchedule(
    {"mon": _RAMADAN_DAY, "tue": _RAMADAN_DAY, "wed": _RAMADAN_DAY, "thu": _RAMADAN_DAY,
     "fri": _RAMADAN_FRI},
    grace_minutes=5,
)
RAMADAN_2026 = ScheduleOverride(date(2026, 2, 18), date(2026, 3, 19), RAMADAN_WEEK, "Ramadan 1447 H")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("07:30", time(7, 30)), ("00:00", time(0, 0)), ("23:59", time(23, 59)), ("16:00", time(16, 0))],
)
def test_parse_hhmm_valid(text, expected):
    assert parse_hhmm(text) == expected
    assert format_hhmm(expected) == text


@pytest.mark.parametrize(
    "text", ["7:30", "24:00", "07:60", "07:30:00", "0730", " 07:30", "07:30 ", "", "ab:cd", "０７:３０", None, 730]
)
def test_parse_hhmm_invalid(text):
    with pytest.raises(ValueError):
        parse_hhmm(text)


def test_default_week_matches_perpres_21_2023():
    assert schedule_for(MON, DEFAULT_WEEK) == DaySchedule(time(7, 30), time(16, 0))
    assert schedule_for(date(2026, 3, 5), DEFAULT_WEEK) == DaySchedule(time(7, 30), time(16, 0))
    assert schedule_for(FRI, DEFAULT_WEEK) == DaySchedule(time(7, 30), time(16, 30))
    assert schedule_for(SAT, DEFAULT_WEEK) is None
    assert schedule_for(SUN, DEFAULT_WEEK) is None
    assert DEFAULT_WEEK.grace_minutes == 0


def test_default_week_is_37_5_hours_excluding_breaks():
    breaks = {"mon": 60, "tue": 60, "wed": 60, "thu": 60, "fri": 90}
    total = 0
    for key, brk in breaks.items():
        day = DEFAULT_WEEK.days[key]
        minutes = (datetime.combine(MON, day.end) - datetime.combine(MON, day.start)).seconds // 60
        total += minutes - brk
    assert total == 37.5 * 60


@pytest.mark.parametrize(("start", "end"), [("16:00", "07:30"), ("07:30", "07:30")])
def test_day_schedule_end_must_be_after_start(start, end):
    with pytest.raises(ValueError):
        DaySchedule.parse(start, end)


def test_day_schedule_rejects_seconds_and_non_times():
    with pytest.raises(ValueError):
        DaySchedule(time(7, 30, 15), time(16, 0))
    with pytest.raises(ValueError):
        DaySchedule("07:30", "16:00")


def test_week_schedule_validation():
    with pytest.raises(ValueError):
        WeekSchedule({"monday": _RAMADAN_DAY})
    with pytest.raises(ValueError):
        WeekSchedule({"mon": ("08:00", "15:00")})
    for grace in (-1, 121, True, 1.5, "5"):
        with pytest.raises(ValueError):
            WeekSchedule({}, grace_minutes=grace)
    only_monday = WeekSchedule({"mon": _RAMADAN_DAY}, grace_minutes=120)
    assert only_monday.for_weekday(0) == _RAMADAN_DAY
    assert [only_monday.for_weekday(i) for i in range(1, 7)] == [None] * 6


def test_week_schedule_is_immutable():
    with pytest.raises(TypeError):
        DEFAULT_WEEK.days["sat"] = _RAMADAN_DAY  # type: ignore[index]
    assert schedule_for(SAT, DEFAULT_WEEK) is None


def test_week_schedule_from_and_to_api_dict():
    payload = {
        "mon": {"start": "07:30", "end": "16:00"}, "tue": {"start": "07:30", "end": "16:00"},
        "wed": {"start": "07:30", "end": "16:00"}, "thu": {"start": "07:30", "end": "16:00"},
        "fri": {"start": "07:30", "end": "16:30"}, "sat": None, "sun": None,
    }
    week = WeekSchedule.from_dict(payload, grace_minutes=0)
    assert week == DEFAULT_WEEK
    assert week.to_dict() == {"days": payload, "grace_minutes": 0}
    with pytest.raises(ValueError):
        WeekSchedule.from_dict({"mon": {"start": "07:30"}})
    with pytest.raises(ValueError):
        WeekSchedule.from_dict({"mon": {"start": "07:30", "end": "16:00", "x": "1"}})


def test_ramadan_override_changes_hours_and_grace_inside_range_only():
    overrides = [RAMADAN_2026]
    assert schedule_for(date(2026, 2, 17), DEFAULT_WEEK, overrides) == DaySchedule(time(7, 30), time(16, 0))
    assert schedule_for(date(2026, 2, 18), DEFAULT_WEEK, overrides) == _RAMADAN_DAY  # first day
    assert schedule_for(MON, DEFAULT_WEEK, overrides) == _RAMADAN_DAY
    assert schedule_for(FRI, DEFAULT_WEEK, overrides) == _RAMADAN_FRI
    assert schedule_for(SAT, DEFAULT_WEEK, overrides) is None
    assert schedule_for(date(2026, 3, 19), DEFAULT_WEEK, overrides) == _RAMADAN_DAY  # last day
    assert schedule_for(date(2026, 3, 20), DEFAULT_WEEK, overrides) == DaySchedule(time(7, 30), time(16, 30))
    assert week_for(MON, DEFAULT_WEEK, overrides).grace_minutes == 5
    assert week_for(date(2026, 3, 23), DEFAULT_WEEK, overrides).grace_minutes == 0


def test_latest_starting_override_wins_whatever_the_order():
    short_day = DaySchedule(time(9, 0), time(12, 0))
    special = ScheduleOverride(date(2026, 3, 2), date(2026, 3, 3), WeekSchedule({"mon": short_day, "tue": short_day}))
    for overrides in ([RAMADAN_2026, special], [special, RAMADAN_2026]):
        assert schedule_for(MON, DEFAULT_WEEK, overrides) == short_day
        assert schedule_for(date(2026, 3, 4), DEFAULT_WEEK, overrides) == _RAMADAN_DAY


def test_equal_start_dates_last_listed_wins():
    a = ScheduleOverride(MON, MON, WeekSchedule({"mon": DaySchedule(time(8, 0), time(12, 0))}))
    b = ScheduleOverride(MON, MON, WeekSchedule({"mon": DaySchedule(time(9, 0), time(13, 0))}))
    assert schedule_for(MON, DEFAULT_WEEK, [a, b]).start == time(9, 0)
    assert schedule_for(MON, DEFAULT_WEEK, [b, a]).start == time(8, 0)


def test_override_can_make_a_saturday_a_working_day():
    saturday_shift = ScheduleOverride(SAT, SAT, WeekSchedule({"sat": DaySchedule(time(8, 0), time(12, 0))}))
    assert is_working_day(SAT, DEFAULT_WEEK, [saturday_shift]) is True
    assert is_working_day(SUN, DEFAULT_WEEK, [saturday_shift]) is False


def test_override_validation():
    with pytest.raises(ValueError):
        ScheduleOverride(date(2026, 3, 2), date(2026, 3, 1), DEFAULT_WEEK)
    with pytest.raises(ValueError):
        ScheduleOverride(datetime(2026, 3, 1, 8), date(2026, 3, 2), DEFAULT_WEEK)
    with pytest.raises(ValueError):
        ScheduleOverride(date(2026, 3, 1), date(2026, 3, 2), {"mon": None})


def test_is_working_day_skips_weekends_and_holidays():
    holidays = {date(2026, 3, 19), date(2026, 3, 20)}  # Nyepi, cuti bersama (example)
    assert is_working_day(MON, DEFAULT_WEEK, (), holidays) is True
    assert is_working_day(date(2026, 3, 19), DEFAULT_WEEK, (), holidays) is False
    assert is_working_day(date(2026, 3, 20), DEFAULT_WEEK, (), holidays) is False
    assert is_working_day(SAT, DEFAULT_WEEK, (), holidays) is False
    assert is_working_day(date(2026, 3, 18), DEFAULT_WEEK, (), holidays) is True


def test_working_days_of_march_2026_with_two_holidays():
    holidays = {date(2026, 3, 19), date(2026, 3, 20), date(2026, 3, 21)}  # the 21st is a Saturday
    days = working_days(date(2026, 3, 1), date(2026, 3, 31), DEFAULT_WEEK, [RAMADAN_2026], holidays)
    assert len(days) == 20
    assert days[0] == MON and days[-1] == date(2026, 3, 31)
    assert date(2026, 3, 19) not in days and date(2026, 3, 20) not in days
    assert all(d.weekday() < 5 for d in days)
    assert days == sorted(days)


def test_working_days_range_edges():
    assert working_days(MON, MON, DEFAULT_WEEK) == [MON]
    assert working_days(SAT, SUN, DEFAULT_WEEK) == []
    with pytest.raises(ValueError):
        working_days(FRI, MON, DEFAULT_WEEK)
    assert len(working_days(date(2026, 1, 1), date(2027, 12, 31), DEFAULT_WEEK)) == 522
    with pytest.raises(ValueError):
        working_days(date(2026, 1, 1), date(9999, 12, 31), DEFAULT_WEEK)
