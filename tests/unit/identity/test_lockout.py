from identity.domain.lockout import DAY_S, lock_seconds


def test_lock_grows_with_earlier_lockouts_and_stops_at_a_day():
    assert [lock_seconds(900, n) for n in range(5)] == [900, 1800, 3600, 7200, 14400]
    assert lock_seconds(900, 10) == DAY_S
    assert lock_seconds(900, 10_000) == DAY_S
    assert lock_seconds(0, 3) == 0
