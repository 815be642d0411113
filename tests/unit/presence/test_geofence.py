"""Geofence: WGS84 geodesic distance and the office radius check."""

import math

import pytest
from pyproj import Geod

from presence.domain.geofence import FenceDecision, accuracy_ok, check_fence, distance_m

# Kantor Bupati Bangka Tengah, Koba (approximate).
KOBA = (-2.4912, 106.4072)
# Fixed points computed once with Geod.fwd from KOBA and rounded to 1e-7 deg.
POINT_30M_NORTH = (-2.4909287, 106.4072)
POINT_80M_EAST = (-2.4912, 106.4079193)
OTHER_OFFICE_2KM_EAST = (-2.4911999, 106.4251832)

_GEOD = Geod(ellps="WGS84")


def _haversine_m(lat1, lon1, lat2, lon2, radius=6_371_008.8):
    """Independent spherical approximation (within ~0.6 % of WGS84)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def test_point_30m_from_koba_office_is_inside_50m_fence():
    assert distance_m(*POINT_30M_NORTH, *KOBA) == pytest.approx(30.0, abs=0.01)
    decision = check_fence(*POINT_30M_NORTH, *KOBA, 50)
    assert decision == FenceDecision(inside=True, distance_m=30.0, radius_m=50.0)


def test_point_80m_from_koba_office_is_outside_50m_fence():
    decision = check_fence(*POINT_80M_EAST, *KOBA, 50)
    assert decision == FenceDecision(inside=False, distance_m=80.0, radius_m=50.0)


def test_being_inside_another_office_2km_away_does_not_help():
    at_other_office = OTHER_OFFICE_2KM_EAST
    own = check_fence(*at_other_office, *KOBA, 50)
    assert own.inside is False
    assert own.distance_m == 2000.0
    other = check_fence(*at_other_office, *OTHER_OFFICE_2KM_EAST, 50)
    assert other.inside is True and other.distance_m == 0.0


@pytest.mark.parametrize(
    "point",
    [POINT_30M_NORTH, POINT_80M_EAST, OTHER_OFFICE_2KM_EAST, (-2.6, 106.2), (-1.0, 105.0)],
)
def test_distance_agrees_with_independent_haversine(point):
    geodesic = distance_m(*point, *KOBA)
    assert geodesic == pytest.approx(_haversine_m(*point, *KOBA), rel=1e-2)


def test_distance_is_symmetric_and_zero_at_same_point():
    assert distance_m(*KOBA, *KOBA) == 0.0
    assert distance_m(*KOBA, *POINT_80M_EAST) == pytest.approx(distance_m(*POINT_80M_EAST, *KOBA), abs=1e-9)


@pytest.mark.parametrize("azimuth", [0, 37, 90, 135, 180, 271, 359.9])
def test_exactly_on_the_radius_is_inside_and_1cm_beyond_is_outside(azimuth):
    lat0, lon0 = KOBA
    on_lon, on_lat, _ = _GEOD.fwd(lon0, lat0, azimuth, 50.0)
    out_lon, out_lat, _ = _GEOD.fwd(lon0, lat0, azimuth, 50.01)
    in_lon, in_lat, _ = _GEOD.fwd(lon0, lat0, azimuth, 49.99)

    assert distance_m(on_lat, on_lon, lat0, lon0) == pytest.approx(50.0, abs=1e-6)
    on = check_fence(on_lat, on_lon, lat0, lon0, 50)
    assert on.inside is True and on.distance_m == 50.0
    assert check_fence(in_lat, in_lon, lat0, lon0, 50).inside is True
    out = check_fence(out_lat, out_lon, lat0, lon0, 50)
    assert out.inside is False and out.distance_m == 50.0  # display rounding, decision on mm


def test_distance_is_rounded_to_decimetres():
    lat0, lon0 = KOBA
    lon, lat, _ = _GEOD.fwd(lon0, lat0, 10, 123.456)
    assert check_fence(lat, lon, lat0, lon0, 1000).distance_m == 123.5


def test_antimeridian_points_are_22m_apart_not_40000km():
    assert distance_m(0.0, 179.9999, 0.0, -179.9999) == pytest.approx(22.264, abs=0.001)
    assert distance_m(-2.5, 179.9999, -2.5, -179.9999) == pytest.approx(22.243, abs=0.001)
    fence = check_fence(0.0, -179.9999, 0.0, 179.9999, 50)
    assert fence.inside is True and fence.distance_m == 22.3
    assert distance_m(10.0, -180.0, 10.0, 180.0) == 0.0


def test_poles_do_not_crash_and_measure_across_the_pole():
    assert distance_m(90.0, 0.0, 90.0, 180.0) == 0.0
    assert distance_m(-90.0, -180.0, -90.0, 45.0) == 0.0
    assert distance_m(89.9999, 0.0, 89.9999, 180.0) == pytest.approx(22.339, abs=0.001)
    assert distance_m(-89.9999, 0.0, -89.9999, 180.0) == pytest.approx(22.339, abs=0.001)
    assert distance_m(90.0, 0.0, -90.0, 0.0) == pytest.approx(20_003_931.459, abs=0.01)
    assert check_fence(90.0, 123.0, 90.0, -57.0, 10).inside is True


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("position", range(4))
def test_non_finite_coordinates_are_rejected(bad, position):
    args = [-2.4912, 106.4072, -2.4913, 106.4073]
    args[position] = bad
    with pytest.raises(ValueError):
        distance_m(*args)
    with pytest.raises(ValueError):
        check_fence(*args, 50)


@pytest.mark.parametrize(
    "args",
    [
        (90.0001, 0, 0, 0),
        (-90.0001, 0, 0, 0),
        (0, 180.0001, 0, 0),
        (0, 0, 0, -180.0001),
        ("1.0", 0, 0, 0),
        (True, 0, 0, 0),
        (None, 0, 0, 0),
    ],
)
def test_out_of_range_or_non_numeric_coordinates_are_rejected(args):
    with pytest.raises(ValueError):
        distance_m(*args)


@pytest.mark.parametrize("radius", [0, -1, math.nan, math.inf])
def test_invalid_radius_is_rejected(radius):
    with pytest.raises(ValueError):
        check_fence(*KOBA, *KOBA, radius)


@pytest.mark.parametrize(
    ("accuracy", "limit", "expected"),
    [(0, 100, True), (20.5, 100, True), (100, 100, True), (100.01, 100, False), (250, 100, False)],
)
def test_accuracy_ok(accuracy, limit, expected):
    assert accuracy_ok(accuracy, limit) is expected


@pytest.mark.parametrize(("accuracy", "limit"), [(-1, 100), (math.nan, 100), (10, math.inf), (math.inf, 100)])
def test_accuracy_rejects_impossible_values(accuracy, limit):
    with pytest.raises(ValueError):
        accuracy_ok(accuracy, limit)
