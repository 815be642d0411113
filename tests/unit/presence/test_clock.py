"""Office-local time and office date in WIB / WITA / WIT."""

from datetime import date, datetime, time, timedelta, timezone

import pytest

from presence.domain.clock import is_valid_timezone, local_datetime, local_now, office_date, zone

UTC = timezone.utc
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


@pytest.mark.parametrize(
    ("instant", "tz", "expected_local"),
    [
        # 16:30Z: 23:30 in Jakarta, already the next day in Makassar and Jayapura.
        (datetime(2026, 3, 1, 16, 30, tzinfo=UTC), WIB, datetime(2026, 3, 1, 23, 30)),
        (datetime(2026, 3, 1, 16, 30, tzinfo=UTC), WITA, datetime(2026, 3, 2, 0, 30)),
        (datetime(2026, 3, 1, 16, 30, tzinfo=UTC), WIT, datetime(2026, 3, 2, 1, 30)),
        # Exactly local midnight in each zone.
        (datetime(2026, 3, 1, 15, 0, tzinfo=UTC), WIT, datetime(2026, 3, 2, 0, 0)),
        (datetime(2026, 3, 1, 16, 0, tzinfo=UTC), WITA, datetime(2026, 3, 2, 0, 0)),
        (datetime(2026, 3, 1, 17, 0, tzinfo=UTC), WIB, datetime(2026, 3, 2, 0, 0)),
        # One second before local midnight.
        (datetime(2026, 3, 1, 14, 59, 59, tzinfo=UTC), WIT, datetime(2026, 3, 1, 23, 59, 59)),
        (datetime(2026, 3, 1, 16, 59, 59, tzinfo=UTC), WIB, datetime(2026, 3, 1, 23, 59, 59)),
        # New year arrives in Papua first.
        (datetime(2025, 12, 31, 15, 30, tzinfo=UTC), WIT, datetime(2026, 1, 1, 0, 30)),
        (datetime(2025, 12, 31, 15, 30, tzinfo=UTC), WIB, datetime(2025, 12, 31, 22, 30)),
    ],
)
def test_local_now_and_office_date_around_local_midnight(instant, tz, expected_local):
    local = local_now(instant, tz)
    assert local.replace(tzinfo=None) == expected_local
    assert local == instant  # same instant, other wall clock
    assert office_date(instant, tz) == expected_local.date()


def test_offsets_of_the_three_indonesian_zones():
    instant = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
    assert local_now(instant, WIB).utcoffset() == timedelta(hours=7)
    assert local_now(instant, WITA).utcoffset() == timedelta(hours=8)
    assert local_now(instant, WIT).utcoffset() == timedelta(hours=9)


def test_aware_non_utc_input_is_converted():
    seen_from_jakarta = datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=7)))
    assert office_date(seen_from_jakarta, WIT) == date(2026, 3, 2)
    assert local_now(seen_from_jakarta, WIT).time() == time(1, 30)


def test_naive_datetimes_are_rejected():
    with pytest.raises(ValueError):
        local_now(datetime(2026, 3, 1, 16, 30), WIB)
    with pytest.raises(ValueError):
        office_date(datetime(2026, 3, 1, 16, 30), WIB)
    with pytest.raises(ValueError):
        office_date(date(2026, 3, 1), WIB)


@pytest.mark.parametrize("name", [WIB, WITA, WIT, "UTC", "Europe/Amsterdam"])
def test_valid_timezones(name):
    assert is_valid_timezone(name) is True
    assert zone(name).key == name


@pytest.mark.parametrize(
    "name", ["", "asia/jakarta", "Asia/Bandung", "WIB", "../etc/passwd", "/etc/localtime", "localtime",
             "Asia/Jakarta ", None, 7]
)
def test_invalid_timezones(name):
    assert is_valid_timezone(name) is False
    with pytest.raises(ValueError):
        zone(name)
    with pytest.raises(ValueError):
        local_now(datetime(2026, 3, 1, tzinfo=UTC), name)


def test_local_datetime_builds_the_schedule_moment_in_the_office_zone():
    end = local_datetime(date(2026, 3, 2), time(16, 0), WIT)
    assert end.astimezone(UTC) == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        local_datetime(date(2026, 3, 2), time(16, 0, tzinfo=UTC), WIT)
