"""Geofence: is a phone's position inside the employee's office radius?

Distances are WGS84 geodesics computed by pyproj (GeographicLib), which is
exact to well below a millimetre and robust at the poles, across the
antimeridian and for nearly antipodal points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Geod

# One Geod for the whole process: construction parses the ellipsoid, and
# ``inv``/``fwd`` keep no state between calls, so sharing it is safe.
_GEOD = Geod(ellps="WGS84")

# The inside/outside decision compares distances rounded to this many decimal
# places of a metre (1 mm).  That is far below GPS precision, and it makes a
# point placed *exactly* on the radius count as inside even though the
# floating-point distance may come out as 49.99999999998 or 50.00000000002.
_DECISION_DECIMALS = 3


def _coordinate(value: float, name: str, limit: float) -> float:
    if isinstance(value, (bool, str, bytes)):
        raise ValueError(f"{name} must be a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite")
    if not -limit <= number <= limit:
        raise ValueError(f"{name} must be within [-{limit:g}, {limit:g}]")
    return number


def _latitude(value: float, name: str = "latitude") -> float:
    return _coordinate(value, name, 90.0)


def _longitude(value: float, name: str = "longitude") -> float:
    return _coordinate(value, name, 180.0)


def _non_negative(value: float, name: str) -> float:
    if isinstance(value, (bool, str, bytes)):
        raise ValueError(f"{name} must be a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite")
    if number < 0:
        raise ValueError(f"{name} must not be negative")
    return number


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """WGS84 geodesic distance in metres between two points (degrees).

    Arguments are latitude first, as people say it; pyproj wants longitude
    first, which is handled here.  Raises ``ValueError`` for NaN/inf or
    out-of-range coordinates (latitude in [-90, 90], longitude in [-180, 180]).
    """
    lat1 = _latitude(lat1, "lat1")
    lon1 = _longitude(lon1, "lon1")
    lat2 = _latitude(lat2, "lat2")
    lon2 = _longitude(lon2, "lon2")
    _fwd_azimuth, _back_azimuth, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(dist)


@dataclass(frozen=True)
class FenceDecision:
    """Outcome of a geofence check.

    ``distance_m`` is rounded to 0.1 m for display; ``inside`` was decided on
    the distance rounded to 1 mm (see module notes), so a point 50.04 m away
    from a 50 m fence is outside yet reports ``distance_m == 50.0``.
    """

    inside: bool
    distance_m: float
    radius_m: float


def check_fence(
    point_lat: float,
    point_lon: float,
    center_lat: float,
    center_lon: float,
    radius_m: float,
) -> FenceDecision:
    """Decide whether a point lies inside the circle around an office.

    Inside when ``distance <= radius``: a point exactly on the radius is inside.
    """
    radius = _non_negative(radius_m, "radius_m")
    if radius == 0:
        raise ValueError("radius_m must be positive")
    dist = distance_m(point_lat, point_lon, center_lat, center_lon)
    inside = round(dist, _DECISION_DECIMALS) <= radius
    return FenceDecision(inside=inside, distance_m=round(dist, 1), radius_m=radius)


def accuracy_ok(accuracy_m: float, max_accuracy_m: float) -> bool:
    """True when the reported GPS accuracy (radius, metres) is good enough.

    ``accuracy_m <= max_accuracy_m`` passes.  Negative, NaN or infinite values
    raise ``ValueError`` (a phone never reports those honestly).
    """
    accuracy = _non_negative(accuracy_m, "accuracy_m")
    limit = _non_negative(max_accuracy_m, "max_accuracy_m")
    return accuracy <= limit
