"""Trust signals of one check-in or check-out: pure rules over what the server knows.

A signal is a reason to doubt a position, never proof of cheating. Each one is
computed here from plain values (the service layer gathers them from the store),
and the rules decide per signal whether it only *flags* the record for the
supervisor's review (the default) or *refuses* it.

* ``accuracy_implausible``: the phone reports an accuracy of 0 m or below a floor
  (``accuracy_floor_m``); a real GPS fix is never that precise, mock-location apps
  often report exactly that.
* ``repeated_point``: the exact same coordinates (every digit) as one of the
  employee's points on an earlier day: two real fixes never agree to 1e-15 degrees.
* ``impossible_travel``: the implied speed from the previous fix (of the same day
  or the day before) exceeds ``max_speed_kmh``. The distance counted is the geodesic
  distance *minus both accuracy radii* (the two circles could touch that much closer),
  over at least one second, so GPS jitter between two fixes a minute apart is never travel.
* ``stale_position``: the fix's own timestamp (``position_timestamp``, the phone's
  clock) against the moment the app recorded the attempt (``attempted_at``, the same
  clock, so a phone whose clock is off is not punished), and that moment against the
  server's clock: the fix older than ``position_max_age_s`` when the attempt was
  made, an attempt or a fix ahead of the server (or the fix after the attempt) by more
  than ``clock_tolerance_s``, or an attempt that reached the server more than
  ``queue_max_delay_s`` after it was recorded (the offline queue's honest retries
  arrive well within it; an old fix replayed later does not).
* ``unbound_device``: a device other than the employee's bound device (see
  ``DeviceState``), or none sent while a device is required.
* ``shared_device``: the same device used by another employee the same day.
* ``accuracy_outside_fence``: inside the fence, while less than
  ``inside_min_fraction`` (default 0.35) of the accuracy circle lies inside the fence
  circle (``inside_fraction``): the circle mostly outside. Not 0.5: a fix right at the
  edge has about half of any small circle outside (the fence is convex), and a circle no
  larger than the fence keeps at least 39.1 % inside wherever its centre is inside
  (``inside_fraction(R, R, R)``), so with 0.35 an accuracy up to the fence radius is never
  flagged and the signal catches circles larger than the fence (±75 m at the edge of a
  50 m fence: 33 % inside). bench/trust_false_positives.py measured 1.9 % of honest
  check-ins flagged with 0.5, none with 0.35.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Iterable

from .geofence import distance_m
from .reasons import Reason


class Signal(StrEnum):
    ACCURACY_IMPLAUSIBLE = "accuracy_implausible"
    REPEATED_POINT = "repeated_point"
    IMPOSSIBLE_TRAVEL = "impossible_travel"
    STALE_POSITION = "stale_position"
    UNBOUND_DEVICE = "unbound_device"
    SHARED_DEVICE = "shared_device"
    ACCURACY_OUTSIDE_FENCE = "accuracy_outside_fence"


SIGNALS: tuple[Signal, ...] = tuple(Signal)


class Decision(StrEnum):
    FLAG = "flag"
    REFUSE = "refuse"


class DeviceState(StrEnum):
    """What the employee's binding says about the device of this request."""

    BOUND = "bound"          # the employee's bound device
    FIRST = "first"          # the employee had no bound device: this one is bound now
    OTHER = "other"          # another device is bound (this one waits for approval, or was replaced/unbound)
    REJECTED = "rejected"    # the supervisor rejected this device
    ELSEWHERE = "elsewhere"  # bound to another employee (never bound automatically to a second person)
    MISSING = "missing"      # the request named no device


UNBOUND_STATES = frozenset({DeviceState.OTHER, DeviceState.REJECTED, DeviceState.ELSEWHERE})


@dataclass(frozen=True)
class TrustRules:
    accuracy_floor_m: float = 1.0
    max_speed_kmh: float = 300.0
    position_max_age_s: float = 300.0
    clock_tolerance_s: float = 120.0
    queue_max_delay_s: float = 3600.0
    inside_min_fraction: float = 0.35  # below f(R, R, R) = 0.391: an accuracy up to the radius is never flagged
    device_required: bool = True
    refuse: frozenset[Signal] = field(default_factory=frozenset)

    def decision(self, signal: Signal) -> Decision:
        return Decision.REFUSE if signal in self.refuse else Decision.FLAG


def parse_refuse(text: str) -> frozenset[Signal]:
    """``"accuracy_implausible, stale_position"`` -> those signals; an unknown name raises ValueError."""
    names = [part.strip() for part in (text or "").split(",") if part.strip()]
    try:
        return frozenset(Signal(name) for name in names)
    except ValueError:
        raise ValueError(f"unknown trust signal in {text!r}; known: {', '.join(SIGNALS)}") from None


@dataclass(frozen=True)
class Fix:
    latitude: float
    longitude: float
    accuracy_m: float
    at: datetime  # aware


# ----------------------------------------------------------------------------- accuracy
def accuracy_implausible(accuracy_m: float, floor_m: float) -> bool:
    return accuracy_m <= 0 or accuracy_m < floor_m


# ----------------------------------------------------------------------------- repeated point
def repeated_point(latitude: float, longitude: float, earlier: Iterable[tuple[float, float]]) -> bool:
    """The same coordinates to the last digit (exact float equality, as the JSON numbers came)."""
    return any(latitude == lat and longitude == lon for lat, lon in earlier)


# ----------------------------------------------------------------------------- travel
@dataclass(frozen=True)
class Travel:
    distance_m: float   # geodesic, between the two reported points
    effective_m: float  # minus both accuracy radii, never below 0
    seconds: float      # at least 1
    speed_kmh: float    # effective_m over seconds


def travel(fix: Fix, previous: Fix) -> Travel:
    dist = distance_m(fix.latitude, fix.longitude, previous.latitude, previous.longitude)
    effective = max(0.0, dist - max(fix.accuracy_m, 0.0) - max(previous.accuracy_m, 0.0))
    seconds = max((fix.at - previous.at).total_seconds(), 1.0)
    return Travel(dist, effective, seconds, effective / seconds * 3.6)


# ----------------------------------------------------------------------------- time of the fix
@dataclass(frozen=True)
class Timing:
    age_s: float | None     # attempt - fix (the phone's clock twice), None without a fix time
    queued_s: float         # server - attempt
    ahead_s: float          # the largest amount by which something is later than it can be


def timing(position_at: datetime | None, attempted_at: datetime | None, server_now: datetime) -> Timing:
    attempt = attempted_at or server_now
    age = (attempt - position_at).total_seconds() if position_at else None
    ahead = max((attempt - server_now).total_seconds(), -age if age is not None else 0.0, 0.0)
    return Timing(age, (server_now - attempt).total_seconds(), ahead)


def stale(t: Timing, rules: TrustRules) -> bool:
    return ((t.age_s is not None and t.age_s > rules.position_max_age_s)
            or t.ahead_s > rules.clock_tolerance_s
            or t.queued_s > rules.queue_max_delay_s)


# ----------------------------------------------------------------------------- accuracy vs fence
def inside_fraction(distance_m: float, fence_radius_m: float, accuracy_m: float) -> float:
    """Share of the accuracy circle (radius ``accuracy_m`` around the reported point) that lies
    inside the fence circle (``fence_radius_m`` around the office), centres ``distance_m`` apart.

    The area of the lens where two circles of radii R and r, d apart, overlap:
    ``r²·acos((d²+r²−R²)/(2dr)) + R²·acos((d²+R²−r²)/(2dR)) − ½·√((−d+r+R)(d+r−R)(d−r+R)(d+r+R))``,
    divided by ``π·r²``. The distance is the WGS84 geodesic one; the circles are taken
    as planar, which at fence sizes (≤ 1 km) is exact to better than one part in a million.
    """
    d, R, r = max(distance_m, 0.0), fence_radius_m, accuracy_m
    if r <= 0:
        return 1.0 if d <= R else 0.0
    if d >= R + r:
        return 0.0
    if d <= R - r:  # the accuracy circle lies wholly inside
        return 1.0
    if d <= r - R:  # the fence lies wholly inside the accuracy circle
        return (R * R) / (r * r)
    a = r * r * math.acos(max(-1.0, min(1.0, (d * d + r * r - R * R) / (2 * d * r))))
    b = R * R * math.acos(max(-1.0, min(1.0, (d * d + R * R - r * r) / (2 * d * R))))
    c = 0.5 * math.sqrt(max(0.0, (-d + r + R) * (d + r - R) * (d - r + R) * (d + r + R)))
    return max(0.0, min(1.0, (a + b - c) / (math.pi * r * r)))


# ----------------------------------------------------------------------------- one request
@dataclass(frozen=True)
class Fence:
    inside: bool
    distance_m: float
    radius_m: float


@dataclass(frozen=True)
class Facts:
    """Everything the server knows about one check-in or check-out."""

    fix: Fix
    fence: Fence | None = None                       # the fence that was checked (office, approved home)
    earlier_points: tuple[tuple[float, float], ...] = ()   # the employee's points of earlier days
    earlier_dates: tuple[str, ...] = ()              # the date of each earlier point
    previous: Fix | None = None                      # the previous fix of the day or the day before
    previous_label: str | None = None                # e.g. "check_in 2026-03-02", for the evidence
    position_at: datetime | None = None
    attempted_at: datetime | None = None
    device_state: DeviceState = DeviceState.MISSING
    device: str | None = None                        # a short fingerprint for the evidence, never the id
    others_today: int = 0                            # other employees who used this device today


@dataclass(frozen=True)
class Assessment:
    flags: tuple[Signal, ...]
    refused: tuple[Signal, ...]
    evidence: dict[str, Any]


def assess(facts: Facts, rules: TrustRules) -> Assessment:
    """The signals of one request (in ``SIGNALS`` order), those the rules refuse, and the evidence."""
    fix = facts.fix
    flags: set[Signal] = set()
    evidence: dict[str, Any] = {"accuracy_m": fix.accuracy_m}
    if accuracy_implausible(fix.accuracy_m, rules.accuracy_floor_m):
        flags.add(Signal.ACCURACY_IMPLAUSIBLE)
    for (lat, lon), day in zip(facts.earlier_points, facts.earlier_dates):
        if repeated_point(fix.latitude, fix.longitude, [(lat, lon)]):
            flags.add(Signal.REPEATED_POINT)
            evidence["repeated_on"] = day
            break
    if facts.previous is not None:
        moved = travel(fix, facts.previous)
        evidence["previous"] = {"label": facts.previous_label, "at": facts.previous.at.isoformat(timespec="seconds"),
                                "distance_m": round(moved.distance_m, 1), "seconds": round(moved.seconds),
                                "speed_kmh": round(moved.speed_kmh, 1)}
        if moved.speed_kmh > rules.max_speed_kmh:
            flags.add(Signal.IMPOSSIBLE_TRAVEL)
    if facts.position_at is not None or facts.attempted_at is not None:
        t = timing(facts.position_at, facts.attempted_at, fix.at)
        evidence.update(position_age_s=None if t.age_s is None else round(t.age_s),
                        queued_s=round(t.queued_s), ahead_s=round(t.ahead_s))
        if stale(t, rules):
            flags.add(Signal.STALE_POSITION)
    evidence["device"] = {"fingerprint": facts.device, "state": str(facts.device_state)}
    if facts.device_state in UNBOUND_STATES or (facts.device_state is DeviceState.MISSING and rules.device_required):
        flags.add(Signal.UNBOUND_DEVICE)
    if facts.others_today > 0:
        flags.add(Signal.SHARED_DEVICE)
        evidence["shared_with"] = facts.others_today
    if facts.fence is not None:
        fence = facts.fence
        share = inside_fraction(fence.distance_m, fence.radius_m, fix.accuracy_m)
        evidence.update(distance_m=fence.distance_m, radius_m=fence.radius_m, inside_fraction=round(share, 3))
        if fence.inside and fix.accuracy_m > 0 and share < rules.inside_min_fraction:
            flags.add(Signal.ACCURACY_OUTSIDE_FENCE)
    ordered = tuple(s for s in SIGNALS if s in flags)
    return Assessment(ordered, tuple(s for s in ordered if rules.decision(s) is Decision.REFUSE), evidence)


# ----------------------------------------------------------------------------- the review
class ReviewState(StrEnum):
    """A flagged record's review: pending (counts as present meanwhile), accepted, rejected."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def review_state(record: dict[str, Any] | None) -> ReviewState | None:
    """The review state of a stored check-in document (``None``: never flagged)."""
    state = ((record or {}).get("review") or {}).get("state")
    return ReviewState(state) if state else None


def counted(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """The check-in the day's status counts: a rejected one counts as none (the day is then
    ``tanpa_keterangan`` unless leave covers it); pending and accepted ones count as present."""
    return None if review_state(record) is ReviewState.REJECTED else record


def trust_reasons(record: dict[str, Any] | None) -> list[Reason]:
    """The day view's reasons the review and corrections add (after ``domain.reasons.day_reasons``)."""
    if not record:
        return []
    out: list[Reason] = []
    state = review_state(record)
    flags = sorted(set(record.get("flags") or []) | set((record.get("check_out") or {}).get("flags") or []))
    if state is ReviewState.PENDING:
        out.append(Reason("pending_review", {"flags": ", ".join(flags)}))
    elif state is ReviewState.REJECTED:
        out.append(Reason("check_in_rejected", {"note": (record.get("review") or {}).get("note") or ""}))
    elif state is ReviewState.ACCEPTED:
        out.append(Reason("review_accepted", {}))
    for kind, mark in (("check_in", record.get("corrected")), ("check_out", (record.get("check_out") or {}).get("corrected"))):
        if mark:
            out.append(Reason("corrected", {"kind": kind, "approved_by": mark.get("approved_by")}))
    return out
