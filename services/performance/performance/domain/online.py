"""Online / away / offline from the last heartbeat."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

__all__ = ["ONLINE", "AWAY", "OFFLINE", "ONLINE_STATES", "online_state"]

ONLINE = "online"
AWAY = "away"
OFFLINE = "offline"
ONLINE_STATES: tuple[str, ...] = (ONLINE, AWAY, OFFLINE)

OnlineState = Literal["online", "away", "offline"]


def _aware(value: _dt.datetime) -> _dt.datetime:
    # pymongo returns naive datetimes that are UTC unless tz_aware=True.
    return value.replace(tzinfo=_dt.timezone.utc) if value.tzinfo is None else value


def online_state(
    last_seen_at: _dt.datetime | None,
    now: _dt.datetime,
    online_after: _dt.timedelta = _dt.timedelta(minutes=2),
    away_after: _dt.timedelta = _dt.timedelta(minutes=15),
) -> OnlineState:
    """``online`` if the last heartbeat is at most ``online_after`` old, ``away``
    if at most ``away_after`` old, else ``offline``. Boundaries are inclusive
    (exactly 2 min -> online, exactly 15 min -> away). No heartbeat -> offline.

    Naive datetimes are taken as UTC. A heartbeat slightly in the future
    (clock skew) counts as online.
    """
    if online_after > away_after:
        raise ValueError("online_after must not be longer than away_after")
    if last_seen_at is None:
        return OFFLINE
    age = _aware(now) - _aware(last_seen_at)
    if age <= online_after:
        return ONLINE
    if age <= away_after:
        return AWAY
    return OFFLINE
