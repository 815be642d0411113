"""Team status: what a supervisor sees of each direct subordinate, computed from the store."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sipk_shared.timestamps import iso_local

from .domain.online import online_state
from .domain.presence import is_today
from .store import Store

# Every Indonesian zone: a presence dated "today" in any of them is today's (see is_today).
INDONESIA = (ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura"))


class TeamStatus:
    def __init__(self, store: Store, *, online_after_s: int, away_after_s: int):
        self._store = store
        self._online = timedelta(seconds=online_after_s)
        self._away = timedelta(seconds=away_after_s)

    def for_employees(self, employees: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
        nips = [e["_id"] for e in employees]
        if not nips:
            return []
        seen = self._store.last_seen(nips)
        presence = self._store.presence_of(nips)
        open_tasks = self._store.open_task_counts(nips)
        items = []
        for e in employees:
            nip = e["_id"]
            last = seen.get(nip)
            p = presence.get(nip)
            items.append({
                "nip": nip,
                "name": e.get("name"),
                "state": online_state(last, now, self._online, self._away),
                "last_seen_at": last,
                "presence": _presence_view(p) if p and is_today(p.get("date"), now, INDONESIA) else None,
                "open_tasks": open_tasks.get(nip, 0),
            })
        return items

    def team(self, supervisor_nip: str, now: datetime) -> list[dict[str, Any]]:
        return self.for_employees(self._store.direct_subordinates(supervisor_nip), now)


def _presence_view(p: dict[str, Any]) -> dict[str, Any]:
    """Today's presence; its times in the office's zone, as presence wrote them (the offset its event
    carried), else UTC."""
    view = {k: p.get(k) for k in ("date", "mode", "checked_in_at", "checked_out_at", "office_code",
                                  "late_minutes", "early_leave_minutes")}
    offset = p.get("utc_offset_minutes")
    if isinstance(offset, int):
        zone = timezone(timedelta(minutes=offset))
        for name in ("checked_in_at", "checked_out_at"):
            view[name] = iso_local(view[name], zone)
    return view
