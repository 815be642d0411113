"""The one way every service writes a timestamp in an answer: ISO 8601 with an offset.

* In the office's zone where one applies (a check-in, a check-out: the zone that decided its date):
  ``iso_local(moment, "Asia/Makassar")`` -> ``2026-12-01T07:31:05+08:00`` (whole seconds, as the
  check-in rules count them).
* Otherwise UTC, written with ``Z``: ``iso_utc(moment)`` -> ``2026-12-01T06:24:37.123Z``
  (milliseconds, MongoDB's precision, so a value read back as a filter finds the same instant).

A naive datetime is taken as UTC (the database's convention). ``schemas.Timestamp`` writes
response fields this way and the JSON provider every datetime anywhere else (error details and
their embedded documents), so Flask's default (``Tue, 01 Dec 2026 06:24:37 GMT``) never appears.
"""
from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    text = _aware(moment).astimezone(timezone.utc).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def iso_local(moment: datetime | None, zone: str | tzinfo) -> str | None:
    if moment is None:
        return None
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return _aware(moment).astimezone(tz).isoformat(timespec="seconds")


def iso_value(value):
    """What the JSON provider writes for a value the json module does not know (else None)."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    return None


def normalise(text: str) -> str:
    """An ISO string as answers write it: a UTC offset as ``Z`` (other offsets are kept)."""
    return text[:-6] + "Z" if text.endswith("+00:00") else text
