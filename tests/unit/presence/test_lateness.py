"""Late (TL) and early-leave (PSW) minutes, bands and deductions."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from presence.domain.lateness import (
    DEFAULT_BANDS,
    Band,
    BandTable,
    band,
    deduction_percent,
    early_leave_minutes,
    late_minutes,
    make_band_table,
)
from presence.domain.schedule import DEFAULT_WEEK, DaySchedule, schedule_for

JKT = ZoneInfo("Asia/Jakarta")
MON, FRI = date(2026, 3, 2), date(2026, 3, 6)
MON_HOURS = schedule_for(MON, DEFAULT_WEEK)
FRI_HOURS = schedule_for(FRI, DEFAULT_WEEK)


def at(day, h, m, s=0, us=0):
    return datetime(day.year, day.month, day.day, h, m, s, us, tzinfo=JKT)


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ((7, 0, 0), 0),
        ((7, 29, 59), 0),
        ((7, 30, 0), 0),
        ((7, 30, 0, 999_999), 0),  # sub-second noise is ignored
        ((7, 30, 1), 1),  # one second late = first minute started
        ((7, 30, 59), 1),
        ((7, 31, 0), 1),
        ((7, 31, 1), 2),
        ((8, 0, 0), 30),
        ((8, 0, 1), 31),
        ((8, 30, 0), 60),
        ((9, 0, 0), 90),
        ((9, 0, 1), 91),
        ((12, 0, 0), 270),
    ],
)
def test_late_minutes_count_whole_minutes_started(clock, expected):
    assert late_minutes(at(MON, *clock), MON_HOURS, 0) == expected


@pytest.mark.parametrize(("clock", "expected"), [((7, 45, 0), 0), ((7, 45, 1), 1), ((7, 50, 0), 5), ((7, 40, 0), 0)])
def test_grace_minutes_move_the_deadline(clock, expected):
    assert late_minutes(at(MON, *clock), MON_HOURS, 15) == expected


def test_late_minutes_with_naive_local_time_and_explicit_date():
    assert late_minutes(datetime(2026, 3, 2, 7, 45), MON_HOURS) == 15
    ramadan = DaySchedule(time(8, 0), time(15, 0))
    assert late_minutes(at(MON, 8, 10), ramadan, 5) == 5
    assert late_minutes(at(MON, 0, 10), MON_HOURS, 0, on_date=date(2026, 3, 1)) == 1000  # 07:30 -> next day 00:10


@pytest.mark.parametrize("grace", [-1, 121, 1.5, True, "5"])
def test_invalid_grace_is_rejected(grace):
    with pytest.raises(ValueError):
        late_minutes(at(MON, 7, 40), MON_HOURS, grace)


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ((16, 30, 0), 0),
        ((16, 0, 0), 0),
        ((15, 59, 59, 200_000), 0),  # rounds up to 16:00:00
        ((15, 59, 59), 1),
        ((15, 59, 0), 1),
        ((15, 58, 59), 2),
        ((15, 30, 0), 30),
        ((15, 29, 59), 31),
        ((14, 30, 0), 90),
        ((14, 29, 0), 91),
    ],
)
def test_early_leave_minutes_monday(clock, expected):
    assert early_leave_minutes(at(MON, *clock), MON_HOURS) == expected


def test_friday_ends_at_16_30():
    assert early_leave_minutes(at(FRI, 16, 0), FRI_HOURS) == 30
    assert early_leave_minutes(at(FRI, 16, 30), FRI_HOURS) == 0
    assert early_leave_minutes(at(FRI, 16, 0), MON_HOURS) == 0  # the Monday table would be wrong


def test_check_out_after_midnight_is_not_early_when_the_office_date_is_given():
    assert early_leave_minutes(at(date(2026, 3, 3), 0, 15), MON_HOURS, on_date=MON) == 0
    # Without on_date the check-out's own date is used: 00:15 vs that day's 16:00.
    assert early_leave_minutes(at(date(2026, 3, 3), 0, 15), MON_HOURS) == 945
    assert early_leave_minutes(at(MON, 15, 0), MON_HOURS, on_date=MON) == 60


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, None), (1, "TL1"), (30, "TL1"), (31, "TL2"), (60, "TL2"), (61, "TL3"), (90, "TL3"), (91, "TL4"), (600, "TL4")],
)
def test_default_bands(minutes, expected):
    assert band(minutes) == expected
    assert band(minutes, DEFAULT_BANDS, prefix="PSW") == (expected and expected.replace("TL", "PSW"))


@pytest.mark.parametrize("minutes", [-1, 1.5, True, None])
def test_band_rejects_invalid_minutes(minutes):
    with pytest.raises(ValueError):
        band(minutes)


def test_default_band_table_is_the_skp_rules_data():
    rows = [(b.level, b.min_minutes, b.max_minutes, b.deduction) for b in DEFAULT_BANDS.bands]
    assert rows == [
        (1, 1, 30, Decimal("0.5")),
        (2, 31, 60, Decimal("1")),
        (3, 61, 90, Decimal("1.25")),
        (4, 91, None, Decimal("1.5")),
    ]
    assert DEFAULT_BANDS.absent_deduction == Decimal("5")


def test_custom_band_table():
    table = make_band_table([(1, 15, "0.25"), (16, None, 1.0)], absent_deduction=3)
    assert band(15, table) == "TL1"
    assert band(16, table) == "TL2"
    assert band(500, table, "PSW") == "PSW2"
    assert deduction_percent({1: 1, 2: 1}, {"PSW2": 2}, absent_days=1, bands=table) == 6.25
    assert deduction_percent(no_checkin_days=1, bands=table) == 1.0  # top band of this table


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [(0, 30, "0.5"), (31, None, "1")],  # must start at 1
        [(1, 30, "0.5"), (32, None, "1")],  # gap
        [(1, 30, "0.5"), (31, 60, "1")],  # last not open-ended
        [(1, None, "0.5"), (31, None, "1")],  # open band in the middle
        [(1, 30, "101"), (31, None, "1")],  # over 100 %
        [(1, 30, "-1"), (31, None, "1")],
        [(1, 30, "abc"), (31, None, "1")],
        [(1, 30, "NaN"), (31, None, "1")],
    ],
)
def test_invalid_band_tables_are_rejected(rows):
    with pytest.raises(ValueError):
        make_band_table(rows, absent_deduction="5")


def test_band_levels_must_be_in_order():
    with pytest.raises(ValueError):
        BandTable((Band(2, 1, None, Decimal(1)),), Decimal(5))


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, 0.0),
        ({"tl_counts": {1: 2, 2: 1}}, 2.0),
        ({"tl_counts": {"TL3": 1}}, 1.25),
        ({"tl_counts": {"tl3": 7}}, 8.75),
        ({"psw_counts": {"PSW4": 1}, "no_checkout_days": 2}, 4.5),
        ({"no_checkin_days": 1}, 1.5),
        ({"absent_days": 3}, 15.0),
        (
            {"tl_counts": {1: 3, 3: 1}, "psw_counts": {2: 1}, "absent_days": 1, "no_checkin_days": 1,
             "no_checkout_days": 1},
            11.75,
        ),
        ({"absent_days": 20}, 100.0),
        ({"absent_days": 21}, 100.0),  # 105 % capped
        ({"absent_days": 19, "tl_counts": {4: 10}}, 100.0),
        ({"absent_days": 19, "tl_counts": {1: 9}}, 99.5),
    ],
)
def test_deduction_percent(kwargs, expected):
    assert deduction_percent(**kwargs) == expected


def test_deduction_has_no_float_drift():
    tenth = make_band_table([(1, None, "0.1")], absent_deduction="0")
    assert 0.1 + 0.1 + 0.1 != 0.3  # the trap being avoided
    assert deduction_percent({1: 3}, bands=tenth) == 0.3
    assert deduction_percent({1: 3}, {1: 3}, bands=tenth) == 0.6


def test_deduction_rounds_half_up_to_two_decimals():
    third = make_band_table([(1, None, "0.333")], absent_deduction="0.335")
    assert deduction_percent({1: 1}, bands=third) == 0.33
    assert deduction_percent(absent_days=1, bands=third) == 0.34


@pytest.mark.parametrize(
    "kwargs",
    [
        {"tl_counts": {5: 1}},
        {"tl_counts": {"TL0": 1}},
        {"tl_counts": {"PSW1": 1}},
        {"psw_counts": {"TL1": 1}},
        {"tl_counts": {1: -1}},
        {"tl_counts": {1: 1.0}},
        {"tl_counts": {True: 1}},
        {"absent_days": -1},
        {"no_checkout_days": True},
    ],
)
def test_deduction_rejects_invalid_counts(kwargs):
    with pytest.raises(ValueError):
        deduction_percent(**kwargs)
