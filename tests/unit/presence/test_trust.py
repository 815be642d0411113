"""The trust signals as pure rules (presence.domain.trust)."""
from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone

import pytest
from pyproj import Geod

from presence.domain.trust import (DeviceState, Facts, Fence, Fix, ReviewState, Signal, Timing, TrustRules,
                                   accuracy_implausible, assess, counted, inside_fraction, parse_refuse,
                                   repeated_point, review_state, stale, timing, travel)

T0 = datetime(2026, 3, 2, 0, 30, tzinfo=timezone.utc)
KOBA = (-2.4816, 106.3998)
GEOD = Geod(ellps="WGS84")
RULES = TrustRules()


def away(metres: float, azimuth: float = 90.0, point=KOBA) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(point[1], point[0], azimuth, metres)
    return lat, lon


# ---------------------------------------------------------------- accuracy
@pytest.mark.parametrize("accuracy, expected", [(0, True), (0.0, True), (0.5, True), (0.99, True), (1.0, False),
                                                (5, False), (48.7, False)])
def test_accuracy_implausible_at_zero_and_below_the_floor(accuracy, expected):
    assert accuracy_implausible(accuracy, 1.0) is expected


def test_accuracy_floor_is_a_setting():
    assert accuracy_implausible(2.5, 3.0) and not accuracy_implausible(2.5, 2.0)


# ---------------------------------------------------------------- repeated point
def test_repeated_point_needs_every_digit():
    lat, lon = -2.481612345678901, 106.399812345678
    assert repeated_point(lat, lon, [(0.0, 0.0), (lat, lon)])
    assert not repeated_point(lat, lon, [(lat + 1e-12, lon)])
    assert not repeated_point(lat, lon, [(lat, lon - 1e-12)])
    assert not repeated_point(lat, lon, [])


# ---------------------------------------------------------------- travel
def test_travel_subtracts_both_accuracy_circles_and_divides_by_the_time():
    a = Fix(*KOBA, 10.0, T0)
    b_lat, b_lon = away(10_000)
    moved = travel(Fix(b_lat, b_lon, 20.0, T0 + timedelta(minutes=30)), a)
    assert moved.distance_m == pytest.approx(10_000, abs=0.01)
    assert moved.effective_m == pytest.approx(9_970, abs=0.01)
    assert moved.seconds == 1800
    assert moved.speed_kmh == pytest.approx(9_970 / 1800 * 3.6)


def test_jitter_within_the_accuracy_is_no_travel_even_a_second_later():
    moved = travel(Fix(*away(40), 25.0, T0 + timedelta(seconds=1)), Fix(*KOBA, 20.0, T0))
    assert moved.effective_m == 0 and moved.speed_kmh == 0


def test_same_instant_counts_as_one_second():
    moved = travel(Fix(*away(1_000), 0.0, T0), Fix(*KOBA, 0.0, T0 + timedelta(seconds=5)))
    assert moved.seconds == 1 and moved.speed_kmh == pytest.approx(3600, rel=1e-6)


@pytest.mark.parametrize("km, minutes, flagged", [(400, 30, True), (149, 30, False), (151, 30, True), (2, 1, False)])
def test_impossible_travel_against_the_speed_setting(km, minutes, flagged):
    previous = Fix(*KOBA, 0.0, T0)
    now = Fix(*away(km * 1000), 0.0, T0 + timedelta(minutes=minutes))
    result = assess(Facts(fix=now, previous=previous, device_state=DeviceState.BOUND), RULES)
    assert (Signal.IMPOSSIBLE_TRAVEL in result.flags) is flagged
    assert result.evidence["previous"]["distance_m"] == pytest.approx(km * 1000, abs=0.1)
    faster = TrustRules(max_speed_kmh=1000)
    assert Signal.IMPOSSIBLE_TRAVEL not in assess(Facts(fix=now, previous=previous,
                                                        device_state=DeviceState.BOUND), faster).flags


# ---------------------------------------------------------------- the fix's time
def test_timing_measures_the_fix_on_the_phones_clock_and_the_delay_on_the_servers():
    server = T0
    t = timing(position_at=T0 - timedelta(minutes=63), attempted_at=T0 - timedelta(minutes=60), server_now=server)
    assert (t.age_s, t.queued_s, t.ahead_s) == (180, 3600, 0)


def test_a_phone_clock_that_is_behind_does_not_age_the_fix():
    # the phone's clock is 10 minutes behind: both its times are, the fix is 5 s old
    t = timing(T0 - timedelta(minutes=10, seconds=5), T0 - timedelta(minutes=10), T0)
    assert t.age_s == 5 and not stale(t, RULES)


@pytest.mark.parametrize("t, flagged", [
    (Timing(age_s=301, queued_s=0, ahead_s=0), True),        # older than position_max_age_s (300)
    (Timing(age_s=299, queued_s=0, ahead_s=0), False),
    (Timing(age_s=None, queued_s=0, ahead_s=0), False),      # no fix time sent
    (Timing(age_s=3, queued_s=3599, ahead_s=0), False),      # an honest offline retry within the hour
    (Timing(age_s=3, queued_s=3601, ahead_s=0), True),       # an old queued fix
    (Timing(age_s=3, queued_s=0, ahead_s=121), True),        # ahead of the server / the fix after the attempt
    (Timing(age_s=3, queued_s=0, ahead_s=119), False),
])
def test_stale(t, flagged):
    assert stale(t, RULES) is flagged


def test_a_fix_after_the_attempt_or_an_attempt_after_the_server_is_ahead():
    assert timing(T0 + timedelta(minutes=5), T0, T0).ahead_s == 300
    assert timing(T0, T0 + timedelta(minutes=4), T0).ahead_s == 240


def test_without_an_attempt_time_the_server_clock_stands_in():
    t = timing(T0 - timedelta(seconds=30), None, T0)
    assert (t.age_s, t.queued_s) == (30, 0)


# ---------------------------------------------------------------- accuracy circle vs fence
def _monte_carlo(d: float, R: float, r: float, n: int = 200_000) -> float:
    rng = random.Random(7)
    inside = 0
    for _ in range(n):
        rho, phi = r * math.sqrt(rng.random()), rng.random() * 2 * math.pi
        x, y = d + rho * math.cos(phi), rho * math.sin(phi)
        inside += x * x + y * y <= R * R
    return inside / n


@pytest.mark.parametrize("d, R, r", [(45, 50, 60), (30, 50, 50), (40, 50, 50), (10, 50, 80), (49, 50, 5),
                                     (0, 50, 120), (70, 50, 30)])
def test_inside_fraction_is_the_lens_area_over_the_circle(d, R, r):
    assert inside_fraction(d, R, r) == pytest.approx(_monte_carlo(d, R, r), abs=0.005)


def test_inside_fraction_limits():
    assert inside_fraction(10, 50, 30) == 1.0          # wholly inside
    assert inside_fraction(100, 50, 30) == 0.0         # apart
    assert inside_fraction(0, 50, 100) == pytest.approx(0.25)  # the fence inside the circle: (R/r)^2
    assert inside_fraction(0, 50, 50) == 1.0
    assert inside_fraction(60, 50, 0) == 0.0 and inside_fraction(20, 50, 0) == 1.0


def test_accuracy_outside_fence_only_inside_the_fence():
    fix = Fix(*away(48), 90.0, T0)  # at the edge of a 50 m fence, ±90 m: 29 % inside
    inside = assess(Facts(fix=fix, fence=Fence(True, 48.0, 50.0), device_state=DeviceState.BOUND), RULES)
    assert inside.flags == (Signal.ACCURACY_OUTSIDE_FENCE,)
    assert inside.evidence["inside_fraction"] < 0.35
    good = assess(Facts(fix=Fix(*away(48), 4.0, T0), fence=Fence(True, 48.0, 50.0),
                        device_state=DeviceState.BOUND), RULES)
    assert good.flags == ()
    # a fix outside the fence is refused by the fence itself (403), never flagged here
    outside = assess(Facts(fix=fix, fence=Fence(False, 55.0, 50.0), device_state=DeviceState.BOUND), RULES)
    assert Signal.ACCURACY_OUTSIDE_FENCE not in outside.flags


def test_an_accuracy_up_to_the_fence_radius_is_never_flagged_by_default():
    """The smallest share inside a circle no larger than the fence keeps is 39.1 % (at the very edge)."""
    assert inside_fraction(50, 50, 50) == pytest.approx(0.391, abs=0.001)
    for radius in (10, 50, 1000):
        for i in range(0, 21):
            for j in range(1, 21):
                d, r = radius * i / 20, radius * j / 20
                assert inside_fraction(d, radius, r) >= 0.39 > RULES.inside_min_fraction, (d, radius, r)


def test_the_fraction_threshold_is_a_setting():
    facts = Facts(fix=Fix(*away(30), 50.0, T0), fence=Fence(True, 30.0, 50.0), device_state=DeviceState.BOUND)
    assert assess(facts, RULES).flags == ()                                    # 62 % inside
    assert assess(facts, TrustRules(inside_min_fraction=0.7)).flags == (Signal.ACCURACY_OUTSIDE_FENCE,)
    edge = Facts(fix=Fix(*away(45), 50.0, T0), fence=Fence(True, 45.0, 50.0), device_state=DeviceState.BOUND)
    assert assess(edge, RULES).flags == ()                                     # 45 % inside
    assert assess(edge, TrustRules(inside_min_fraction=0.5)).flags == (Signal.ACCURACY_OUTSIDE_FENCE,)


# ---------------------------------------------------------------- devices
@pytest.mark.parametrize("state, flagged", [(DeviceState.BOUND, False), (DeviceState.FIRST, False),
                                            (DeviceState.OTHER, True), (DeviceState.REJECTED, True),
                                            (DeviceState.ELSEWHERE, True), (DeviceState.MISSING, True)])
def test_unbound_device(state, flagged):
    result = assess(Facts(fix=Fix(*KOBA, 10.0, T0), device_state=state, device="abc"), RULES)
    assert (Signal.UNBOUND_DEVICE in result.flags) is flagged
    assert result.evidence["device"] == {"fingerprint": "abc", "state": str(state)}


def test_a_missing_device_is_accepted_when_none_is_required():
    result = assess(Facts(fix=Fix(*KOBA, 10.0, T0)), TrustRules(device_required=False))
    assert result.flags == ()


def test_shared_device_counts_the_other_users_of_the_day():
    result = assess(Facts(fix=Fix(*KOBA, 10.0, T0), device_state=DeviceState.BOUND, others_today=2), RULES)
    assert result.flags == (Signal.SHARED_DEVICE,) and result.evidence["shared_with"] == 2
    assert assess(Facts(fix=Fix(*KOBA, 10.0, T0), device_state=DeviceState.BOUND), RULES).flags == ()


# ---------------------------------------------------------------- all together
def test_flags_come_in_a_fixed_order_and_refuse_only_what_the_rules_say():
    facts = Facts(fix=Fix(*KOBA, 0.0, T0), earlier_points=(KOBA,), earlier_dates=("2026-03-01",),
                  device_state=DeviceState.OTHER, others_today=1)
    result = assess(facts, RULES)
    assert result.flags == (Signal.ACCURACY_IMPLAUSIBLE, Signal.REPEATED_POINT, Signal.UNBOUND_DEVICE,
                            Signal.SHARED_DEVICE)
    assert result.refused == () and result.evidence["repeated_on"] == "2026-03-01"
    strict = TrustRules(refuse=frozenset({Signal.REPEATED_POINT, Signal.STALE_POSITION}))
    assert assess(facts, strict).refused == (Signal.REPEATED_POINT,)


def test_an_ordinary_fix_raises_nothing():
    previous = Fix(*away(3_000), 15.0, T0 - timedelta(hours=16))
    facts = Facts(fix=Fix(*away(12), 14.0, T0), fence=Fence(True, 12.0, 50.0), earlier_points=(away(9),),
                  earlier_dates=("2026-03-01",), previous=previous, position_at=T0 - timedelta(seconds=4),
                  attempted_at=T0 - timedelta(seconds=1), device_state=DeviceState.BOUND, device="abc")
    assert assess(facts, RULES).flags == ()


def test_parse_refuse():
    assert parse_refuse("") == frozenset()
    assert parse_refuse(" accuracy_implausible , stale_position") == {Signal.ACCURACY_IMPLAUSIBLE,
                                                                     Signal.STALE_POSITION}
    with pytest.raises(ValueError, match="unknown trust signal"):
        parse_refuse("accuracy_implausible,mock_location")


def test_a_rejected_check_in_counts_as_none():
    assert review_state({"review": {"state": "rejected"}}) is ReviewState.REJECTED
    assert review_state({"review": None}) is None and review_state(None) is None
    assert counted({"review": {"state": "rejected"}}) is None
    for record in ({"review": {"state": "pending"}}, {"review": {"state": "accepted"}}, {"review": None}, {}):
        assert counted(record) is record
