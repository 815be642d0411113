"""Today's presence as performance keeps it, from presence.checked_in / checked_out events.

Agreed event data (docs/events.md, issue 6):

* ``presence.checked_in``: ``nip, date (YYYY-MM-DD), mode (WFO|WFH|DL), checked_in_at (ISO),
  office_code, late_minutes``;
* ``presence.checked_out``: ``nip, date, checked_out_at (ISO), early_leave_minutes``.

The presence service sends the timestamp as both ``time`` and ``checked_in_at`` /
``checked_out_at``; either spelling is accepted so either side can move without breaking the other.
"""
from __future__ import annotations

import datetime as _dt

__all__ = ["MODES", "BadPresenceEvent", "parse_checked_in", "parse_checked_out", "is_today"]

MODES: tuple[str, ...] = ("WFO", "WFH", "DL")


class BadPresenceEvent(ValueError):
    """The event can never be applied (dead-letter it)."""


def _nip(data: dict) -> str:
    nip = data.get("nip")
    if not isinstance(nip, str) or not nip or len(nip) > 32:
        raise BadPresenceEvent("presence event without a valid nip")
    return nip


def _date(data: dict) -> str:
    value = data.get("date")
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise BadPresenceEvent(f"presence event date is not YYYY-MM-DD: {value!r}") from exc


def _moment(data: dict, *names: str) -> _dt.datetime:
    for name in names:
        value = data.get(name)
        if isinstance(value, str):
            try:
                moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError as exc:
                raise BadPresenceEvent(f"presence event {name} is not an ISO timestamp") from exc
            if moment.tzinfo is None:
                raise BadPresenceEvent(f"presence event {name} has no UTC offset")
            return moment.astimezone(_dt.timezone.utc)
    raise BadPresenceEvent(f"presence event without {names[0]}")


def _offset_minutes(data: dict, *names: str) -> int:
    """The offset the event wrote its time with: the office's zone (shown again in that zone)."""
    for name in names:
        value = data.get(name)
        if isinstance(value, str):
            offset = _dt.datetime.fromisoformat(value.replace("Z", "+00:00")).utcoffset()
            return int(offset.total_seconds() // 60) if offset is not None else 0
    return 0


def _minutes(data: dict, name: str) -> int:
    value = data.get(name, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 24 * 60:
        raise BadPresenceEvent(f"presence event {name} must be a whole number of minutes")
    return value


def parse_checked_in(data: dict) -> dict:
    """The fields performance stores for a check-in; raises :class:`BadPresenceEvent`."""
    mode = data.get("mode")
    if mode not in MODES:
        raise BadPresenceEvent(f"presence event mode must be one of {', '.join(MODES)}")
    office = data.get("office_code")
    if office is not None and not isinstance(office, str):
        raise BadPresenceEvent("presence event office_code must be a string")
    return {"nip": _nip(data), "date": _date(data), "mode": mode,
            "checked_in_at": _moment(data, "checked_in_at", "time"),
            "utc_offset_minutes": _offset_minutes(data, "checked_in_at", "time"),
            "office_code": office, "late_minutes": _minutes(data, "late_minutes")}


def parse_checked_out(data: dict) -> dict:
    """The fields performance stores for a check-out; raises :class:`BadPresenceEvent`."""
    parsed = {"nip": _nip(data), "date": _date(data),
              "checked_out_at": _moment(data, "checked_out_at", "time"),
              "early_leave_minutes": _minutes(data, "early_leave_minutes")}
    if data.get("mode") in MODES:
        parsed["mode"] = data["mode"]
    return parsed


def is_today(presence_date: str | None, now: _dt.datetime, timezones) -> bool:
    """True if ``presence_date`` is today's date in any of ``timezones`` (tzinfo objects).

    Indonesia spans WIB/WITA/WIT: an office in Jayapura starts its day two
    hours before Jakarta does, so a check-in dated "tomorrow" in Jakarta terms
    is still today's check-in for that employee.
    """
    if not presence_date:
        return False
    return any(now.astimezone(tz).date().isoformat() == presence_date for tz in timezones)
