"""The trust check of a check-in or check-out: gathers what the signals need, asks domain/trust.py.

Reads, per request: the employee's check-ins of the last ``lookback_days`` (positions and
times only; one range query on ``one_check_in_per_day``), the employee's device binding,
and one atomic write noting who used the device today. Nothing new about positions is
stored: the points the signals compare with are the check-ins' own (already the
attendance record); the evidence kept with a flagged record is distances, accuracies and
times, never a second copy of coordinates.

Devices: the app's id is hashed (SHA-256) at once; neither the id nor the hash goes into an
event or a log line. The first device an employee uses is bound (a database decision:
``device_bindings`` has one document per employee); another device is recorded
``pending`` and every check-in from it is flagged until the direct supervisor or an admin
approves it, which makes it THE bound device (the old one is ``replaced``).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from .domain.trust import Assessment, DeviceState, Facts, Fence, Fix, TrustRules, assess
from .store import Store

FINGERPRINT_CHARS = 12  # what a person sees of a device: enough to tell two apart


def device_hash(device_id: str) -> str:
    return hashlib.sha256(device_id.encode("utf-8")).hexdigest()


def device_record_id(nip: str, hashed: str) -> str:
    """One record per employee and device; derived, so a device is recorded once without a lookup."""
    return hashlib.sha256(f"{nip}:{hashed}".encode()).hexdigest()[:32]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def fingerprint(hashed: str | None) -> str | None:
    return hashed[:FINGERPRINT_CHARS] if hashed else None


_PLATFORMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
              ("Mac OS", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))
_BROWSERS = (("SamsungBrowser", "Samsung Internet"), ("EdgA", "Edge"), ("Edg/", "Edge"), ("Firefox", "Firefox"),
             ("FxiOS", "Firefox"), ("CriOS", "Chrome"), ("Chrome", "Chrome"), ("Safari", "Safari"))


def device_label(user_agent: str | None) -> str:
    """A short human name for a device from its browser's User-Agent ("Chrome · Android"); the
    User-Agent itself is not kept."""
    ua = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in ua), None)
    platform = next((name for token, name in _PLATFORMS if token in ua), None)
    label = " · ".join(part for part in (browser, platform) if part)
    return re.sub(r"[^\w ·.-]", "", label)[:60] or "?"


@dataclass(frozen=True)
class ClientSignals:
    """What the app sends besides the position (all optional)."""

    device_id: str | None = None
    position_at: datetime | None = None
    attempted_at: datetime | None = None
    user_agent: str | None = None


@dataclass
class DeviceUse:
    state: DeviceState
    hashed: str | None = None
    others_today: int = 0


@dataclass
class TrustCheck:
    store: Store
    rules: TrustRules
    lookback_days: int = 30

    # ------------------------------------------------------------------ device
    def device(self, nip: str, signals: ClientSignals, day: str, at: datetime) -> DeviceUse:
        if not signals.device_id:
            return DeviceUse(DeviceState.MISSING)
        hashed = device_hash(signals.device_id)
        record_id = device_record_id(nip, hashed)
        record = {"_id": record_id, "id": record_id, "nip": nip, "device_hash": hashed,
                  "fingerprint": fingerprint(hashed), "label": device_label(signals.user_agent),
                  "state": "pending", "first_seen_at": at, "decided_by": None, "decided_at": None, "note": None}
        binding = self.store.device_binding(nip)
        if binding and binding["device_hash"] == hashed:
            state = DeviceState.BOUND
            self.store.see_device({**record, "state": "bound"}, at)
        elif binding is None and not self.store.bound_elsewhere(hashed, nip) \
                and self.store.bind_first_device(nip, hashed, record_id, at):
            state = DeviceState.FIRST
            seen = self.store.see_device({**record, "state": "bound"}, at)
            if seen.get("state") != "bound":  # an old record of this device (unbound, rejected): bound now
                self.store.move_device(record_id, [seen["state"]], {"state": "bound", "bound_at": at})
        else:
            binding = binding or self.store.device_binding(nip)
            if binding and binding["device_hash"] == hashed:  # a parallel first use bound this very device
                state = DeviceState.BOUND
            else:
                state = DeviceState.OTHER if binding else DeviceState.ELSEWHERE
            seen = self.store.see_device(record, at)
            if seen.get("state") == "rejected":
                state = DeviceState.REJECTED
            elif state is not DeviceState.BOUND and seen.get("state") in ("unbound", "replaced", "bound"):
                # used again after an unbind or a replacement: it waits for approval once more
                self.store.move_device(record_id, [seen["state"]], {"state": "pending", "decided_by": None,
                                                                    "decided_at": None, "note": None})
        users = self.store.note_device_day(hashed, day, nip)
        return DeviceUse(state, hashed, len([n for n in users if n != nip]))

    # ------------------------------------------------------------------ earlier positions
    def _earlier(self, nip: str, day: str) -> list[dict[str, Any]]:
        start = (date.fromisoformat(day) - timedelta(days=self.lookback_days)).isoformat()
        end = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
        return self.store.earlier_fixes(nip, start, end)

    @staticmethod
    def _points(docs: list[dict[str, Any]]) -> tuple[tuple[tuple[float, float], ...], tuple[str, ...]]:
        points, dates = [], []
        for doc in docs:
            loc = doc.get("location") or {}
            if loc.get("latitude") is not None:
                points.append((loc["latitude"], loc["longitude"]))
                dates.append(doc["date"])
            out = doc.get("check_out") or {}
            if out.get("latitude") is not None:
                points.append((out["latitude"], out["longitude"]))
                dates.append(doc["date"])
        return tuple(points), tuple(dates)

    @staticmethod
    def _last_fix(doc: dict[str, Any] | None) -> tuple[Fix, str] | None:
        """The latest fix of a day's document: its check-out, else its check-in (corrections have none)."""
        if not doc:
            return None
        out = doc.get("check_out") or {}
        if out.get("latitude") is not None and out.get("checked_out_at"):
            return Fix(out["latitude"], out["longitude"], out.get("accuracy_m") or 0.0,
                       _aware(out["checked_out_at"])), f"check_out {doc['date']}"
        loc = doc.get("location") or {}
        if loc.get("latitude") is not None and doc.get("checked_in_at"):
            return Fix(loc["latitude"], loc["longitude"], loc.get("accuracy_m") or 0.0,
                       _aware(doc["checked_in_at"])), f"check_in {doc['date']}"
        return None

    # ------------------------------------------------------------------ the two checks
    def check_in(self, nip: str, day: str, fix: Fix, fence: Fence | None, signals: ClientSignals) -> Assessment:
        earlier = self._earlier(nip, day)
        yesterday = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
        previous = self._last_fix(next((d for d in earlier if d["date"] == yesterday), None))
        return self._assess(nip, day, fix, fence, signals, earlier, previous)

    def check_out(self, nip: str, day: str, fix: Fix, fence: Fence | None, signals: ClientSignals,
                  record: dict[str, Any]) -> Assessment:
        earlier = self._earlier(nip, day)
        loc = record.get("location") or {}
        previous = None
        if loc.get("latitude") is not None:
            previous = (Fix(loc["latitude"], loc["longitude"], loc.get("accuracy_m") or 0.0,
                            _aware(record["checked_in_at"])), f"check_in {day}")
        return self._assess(nip, day, fix, fence, signals, earlier, previous)

    def _assess(self, nip, day, fix, fence, signals, earlier, previous) -> Assessment:
        device = self.device(nip, signals, day, fix.at)
        points, dates = self._points(earlier)
        facts = Facts(fix=fix, fence=fence, earlier_points=points, earlier_dates=dates,
                      previous=previous[0] if previous else None, previous_label=previous[1] if previous else None,
                      position_at=signals.position_at, attempted_at=signals.attempted_at,
                      device_state=device.state, device=fingerprint(device.hashed), others_today=device.others_today)
        return assess(facts, self.rules)
