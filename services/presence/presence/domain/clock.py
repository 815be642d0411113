"""Office-local time: a UTC instant seen from the office's IANA time zone.

The server's clock decides the instant; the office's zone decides the local
time and the calendar date (WIB ``Asia/Jakarta`` UTC+7, WITA
``Asia/Makassar`` UTC+8, WIT ``Asia/Jayapura`` UTC+9).
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# Names that exist as files but are machine-dependent or not real zones.
_EXCLUDED = frozenset({"localtime", "posixrules", "posix", "right"})


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - _EXCLUDED


def is_valid_timezone(name: object) -> bool:
    """True for a canonical IANA zone name known to this machine's tz database.

    Case-sensitive (``"asia/jakarta"`` is not valid); ``"localtime"`` and other
    machine-dependent names are refused.
    """
    if not isinstance(name, str) or not name or name not in _known_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone(tz_name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for a valid name; ``ValueError`` otherwise."""
    if not is_valid_timezone(tz_name):
        raise ValueError(f"unknown time zone {tz_name!r}")
    return ZoneInfo(tz_name)


def _require_aware(instant: datetime, name: str) -> None:
    if not isinstance(instant, datetime):
        raise ValueError(f"{name} must be a datetime")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (naive datetimes are ambiguous)")


def local_now(utc_now: datetime, tz_name: str) -> datetime:
    """The aware local datetime in ``tz_name`` for an aware instant.

    Any aware datetime is accepted (it need not be in UTC); naive datetimes
    raise ``ValueError``.
    """
    _require_aware(utc_now, "utc_now")
    return utc_now.astimezone(zone(tz_name))


def office_date(utc_instant: datetime, tz_name: str) -> date:
    """The calendar date at the office for an aware instant."""
    return local_now(utc_instant, tz_name).date()


def local_datetime(day: date, wall_time: time, tz_name: str) -> datetime:
    """An aware datetime for a wall-clock time on an office date (e.g. the
    schedule end, to know when a day can be closed)."""
    if wall_time.tzinfo is not None:
        raise ValueError("wall_time must not carry tzinfo")
    return datetime.combine(day, wall_time, tzinfo=zone(tz_name))
