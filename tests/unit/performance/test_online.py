import datetime as dt

import pytest

from performance.domain.online import online_state

UTC = dt.timezone.utc
WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2024, 6, 15, 8, 0, tzinfo=UTC)
US = dt.timedelta(microseconds=1)


def test_no_heartbeat_is_offline():
    assert online_state(None, NOW) == "offline"


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (dt.timedelta(0), "online"),
        (dt.timedelta(minutes=1), "online"),
        (dt.timedelta(minutes=2), "online"),
        (dt.timedelta(minutes=2) + US, "away"),
        (dt.timedelta(minutes=10), "away"),
        (dt.timedelta(minutes=15), "away"),
        (dt.timedelta(minutes=15) + US, "offline"),
        (dt.timedelta(days=3), "offline"),
        (-dt.timedelta(seconds=30), "online"),  # clock skew
    ],
)
def test_thresholds_are_inclusive(age, expected):
    assert online_state(NOW - age, NOW) == expected


def test_time_zones_are_compared_as_instants():
    seen_wib = dt.datetime(2024, 6, 15, 14, 59, tzinfo=WIB)  # 07:59 UTC
    assert online_state(seen_wib, NOW) == "online"


def test_naive_datetimes_are_utc():
    assert online_state(dt.datetime(2024, 6, 15, 7, 50), NOW) == "away"
    assert online_state(dt.datetime(2024, 6, 15, 7, 59), dt.datetime(2024, 6, 15, 8, 0)) == "online"


def test_custom_thresholds():
    seen = NOW - dt.timedelta(minutes=3)
    assert online_state(seen, NOW, online_after=dt.timedelta(minutes=5)) == "online"
    assert online_state(seen, NOW, online_after=dt.timedelta(minutes=1), away_after=dt.timedelta(minutes=2)) == "offline"


def test_inconsistent_thresholds_are_refused():
    with pytest.raises(ValueError):
        online_state(NOW, NOW, online_after=dt.timedelta(minutes=20))
