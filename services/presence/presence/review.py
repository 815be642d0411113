"""The review of flagged check-ins, devices waiting for approval, and the selfies behind them.

Who decides: the employee's direct supervisor by the CURRENT hierarchy (presence's employee
copy, not the supervisor stored with the record) or an admin; never the employee. Every
decision is a compare-and-set on the pending state, so of parallel decisions one wins (the
others 409); the event, the audit entry and the re-settlement follow the winner only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from .attendance import DEFAULT_TIMEZONE, _iso_local, correction_mark
from .directory import Directory
from .domain.trust import ReviewState, review_state
from .events import check_in_reviewed_event, device_decided_event
from .settlement import DaySettlement
from .store import Store
from .texts import NOT_SUBORDINATE

FORBIDDEN = Msg("Hanya atasan langsung pegawai itu atau admin yang dapat memutuskan ini.",
                "Only the employee's direct supervisor or an admin decides this.")


def may_decide(me, owner: dict[str, Any] | None, nip: str) -> bool:
    """The direct supervisor now, or an admin; nobody about their own record."""
    if me.nip == nip:
        return False
    if me.is_admin:
        return True
    return bool(owner and owner.get("supervisor_nip") == me.nip)


def decidable(store, me, doc: dict[str, Any] | None, what: tuple[str, str], key: str, *,
              owner_too: bool = False, refusal: Msg = FORBIDDEN) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``(doc, its employee)`` if ``me`` may decide about it (``may_decide``; with ``owner_too`` the
    employee may look too): 404 when there is none, 403 when it is someone else's."""
    if doc is None:
        raise not_found(*what, key)
    owner = store.get_employee(doc["nip"])
    if not (owner_too and me.nip == doc["nip"]) and not may_decide(me, owner, doc["nip"]):
        raise ApiError(403, "forbidden", refusal)
    return doc, owner


def not_found(what_id: str, what_en: str, key: str) -> ApiError:
    return ApiError(404, "not_found", Msg("Tidak ada {what} {key!r}.", "No {what_en} {key!r}.",
                                          what=what_id, what_en=what_en, key=key))


def scope(store: Store, me, unit_code: str | None) -> tuple[list[str] | None, dict[str, str | None]]:
    """Whose records a list shows: my direct subordinates (optionally of one unit); an admin
    everyone's, or one unit's. Answers (NIPs or None for everyone, NIP -> name). Someone without
    direct subordinates has an empty team (200 with no items, as in every /team/ view)."""
    names = {e["_id"]: e.get("name") for e in store.subordinates(me.nip)}
    if me.is_admin:
        if unit_code:
            unit = {e["_id"]: e.get("name") for e in store.employees_in_unit(unit_code)}
            return list(unit), unit
        return None, names
    if unit_code:
        names = {n: v for n, v in names.items()
                 if ((store.get_employee(n) or {}).get("unit_code") == unit_code)}
    return list(names), names


def _names(store: Store, names: dict[str, str | None], nips) -> dict[str, str | None]:
    for nip in set(nips) - set(names):
        employee = store.get_employee(nip)
        names[nip] = employee.get("name") if employee else None
    return names


def flagged_item(doc: dict[str, Any], name: str | None, has_selfie: bool) -> dict[str, Any]:
    """A flagged day as the review queue shows it: reasons and evidence, no coordinates."""
    tz = doc.get("timezone", DEFAULT_TIMEZONE)
    out_doc = doc.get("check_out") or {}
    review = doc.get("review") or {}
    item = {
        "id": doc["id"], "nip": doc["nip"], "name": name, "date": doc["date"], "mode": doc.get("mode"),
        "office_code": doc.get("office_code"), "checked_in_at": _iso_local(doc.get("checked_in_at"), tz),
        "checked_out_at": _iso_local(out_doc.get("checked_out_at"), tz) if out_doc else None,
        "late_minutes": doc.get("late_minutes", 0),
        "flags": list(doc.get("flags") or []), "check_out_flags": list(out_doc.get("flags") or []),
        "evidence": {"check_in": doc.get("evidence") or {}, "check_out": out_doc.get("evidence") or {}},
        "review": review.get("state"), "flagged_at": _iso_local(review.get("flagged_at"), tz),
        "reviewed_by": review.get("decided_by"), "reviewed_at": _iso_local(review.get("decided_at"), tz),
        "review_note": review.get("note"), "has_selfie": has_selfie,
    }
    if doc.get("corrected"):
        item["corrected"] = correction_mark(doc["corrected"], tz)
    return item


@dataclass
class ReviewQueue:
    store: Store
    directory: Directory
    clock: Callable[[], datetime]

    def flagged(self, me, start: str, end: str, states: list[str], unit_code: str | None, skip: int, limit: int
                ) -> tuple[list[dict[str, Any]], int]:
        nips, names = scope(self.store, me, unit_code)
        docs, total = self.store.flagged_check_ins(nips, start, end, states, skip, limit)
        names = _names(self.store, names, (d["nip"] for d in docs))
        selfies = self.store.has_selfies([d["id"] for d in docs if d.get("has_selfie")])
        return [flagged_item(d, names.get(d["nip"]), d["id"] in selfies) for d in docs], total

    def review(self, me, check_in_id: str, accepted: bool, note: str, request_id: str | None) -> dict[str, Any]:
        doc, owner = decidable(self.store, me, self.store.get_check_in_by_id(check_in_id), ("presensi", "check-in"),
                               check_in_id)
        state = review_state(doc)
        target = ReviewState.ACCEPTED if accepted else ReviewState.REJECTED
        if state is None:
            raise ApiError(409, "not_flagged", Msg("Presensi ini tidak ditandai; tidak ada yang perlu diperiksa.",
                                                   "This check-in was not flagged; there is nothing to review."))
        changes = {"state": str(target), "decided_by": me.nip, "decided_at": self.clock(), "note": note}
        if state is not ReviewState.PENDING or (
                decided := self.store.review_check_in(doc["_id"], changes,
                                                      check_in_reviewed_event(doc, changes, request_id))) is None:
            current = review_state(self.store.get_check_in_by_id(check_in_id)) or state
            raise ApiError(409, "invalid_transition",
                           Msg("Presensi ini sudah diperiksa ({state}).", "This check-in was reviewed already ({state}).",
                               state=str(current)), state=str(current), target=str(target))
        # a day the close has settled already counts differently now: settle it again
        DaySettlement(self.store, self.directory).resettle(doc["nip"], [doc["date"]])
        return flagged_item(decided, (owner or {}).get("name"), bool(doc.get("has_selfie"))
                            and bool(self.store.has_selfies([doc["id"]])))

    def selfie(self, me, check_in_id: str) -> dict[str, Any]:
        doc, owner = decidable(self.store, me, self.store.get_check_in_by_id(check_in_id), ("presensi", "check-in"),
                               check_in_id, refusal=Msg("Swafoto hanya dapat dilihat atasan langsung dan admin.",
                                                 "Only the direct supervisor and admins see a selfie."))
        photo = self.store.get_selfie(doc["id"])
        if photo is None:
            raise not_found("swafoto untuk presensi", "selfie for check-in", check_in_id)
        return photo


# ----------------------------------------------------------------------------- devices
def device_item(doc: dict[str, Any], binding: dict[str, Any] | None, name: str | None = None) -> dict[str, Any]:
    state = doc.get("state")
    if state == "bound" and binding is not None and binding.get("device_hash") != doc.get("device_hash"):
        state = "replaced"  # another device was approved after it
    if state == "bound" and binding is None:
        state = "unbound"
    return {"id": doc["id"], "nip": doc["nip"], "name": name, "fingerprint": doc.get("fingerprint"),
            "label": doc.get("label"), "state": state, "first_seen_at": doc.get("first_seen_at"),
            "last_seen_at": doc.get("last_seen_at"), "decided_by": doc.get("decided_by"),
            "decided_at": doc.get("decided_at"), "note": doc.get("note")}


@dataclass
class DeviceApprovals:
    store: Store
    clock: Callable[[], datetime]

    def _items(self, docs: list[dict[str, Any]], names: dict[str, str | None]) -> list[dict[str, Any]]:
        bindings: dict[str, dict | None] = {}
        out = []
        for doc in docs:
            if doc["nip"] not in bindings:
                bindings[doc["nip"]] = self.store.device_binding(doc["nip"])
            out.append(device_item(doc, bindings[doc["nip"]], names.get(doc["nip"])))
        return out

    def mine(self, nip: str) -> list[dict[str, Any]]:
        return self._items(self.store.devices_of([nip]), {})

    def team(self, me, states: list[str] | None, unit_code: str | None, nip: str | None = None
             ) -> list[dict[str, Any]]:
        nips, names = scope(self.store, me, unit_code)
        if nip is not None:
            if not me.is_admin and nip not in names:
                raise ApiError(403, "forbidden", NOT_SUBORDINATE)
            nips = [nip]
        docs = self.store.devices_of(nips, states)
        return self._items(docs, _names(self.store, names, (d["nip"] for d in docs)))

    def decide(self, me, record_id: str, approved: bool, note: str, request_id: str | None) -> dict[str, Any]:
        """Approve: the device becomes THE bound device (the old one is replaced); reject: its check-ins
        stay flagged. Only a pending device is decided."""
        doc, owner = decidable(self.store, me, self.store.get_device(record_id), ("perangkat", "device"), record_id)
        now = self.clock()
        target = "bound" if approved else "rejected"
        changes = {"state": target, "decided_by": me.nip, "decided_at": now, "note": note}
        decided = None
        if doc.get("state") == "pending":
            decided = self.store.move_device(record_id, ["pending"], changes,
                                             device_decided_event({**doc, **changes}, request_id))
        if decided is None:
            current = (self.store.get_device(record_id) or doc).get("state")
            raise ApiError(409, "invalid_transition",
                           Msg("Perangkat ini sudah diputuskan ({state}).", "This device was decided already ({state}).",
                               state=current), state=current, target=target)
        if approved:  # follows the winner: the binding, then the old device's record
            before = self.store.set_binding(doc["nip"], doc["device_hash"], record_id, now, "approval")
            if before and before.get("device_record") and before["device_record"] != record_id:
                self.store.move_device(before["device_record"], ["bound"], {"state": "replaced", "replaced_at": now})
        return device_item(decided, self.store.device_binding(doc["nip"]), (owner or {}).get("name"))

    def unbind(self, me, record_id: str) -> dict[str, Any]:
        """An admin's reset (a lost phone): the record is unbound; the next device the employee uses is
        bound as a first device."""
        doc = self.store.get_device(record_id)
        if doc is None:
            raise not_found("perangkat", "device", record_id)
        decided = self.store.move_device(record_id, ["bound", "pending", "rejected", "replaced"],
                                         {"state": "unbound", "unbound_by": me.nip, "unbound_at": self.clock()})
        if decided is None:
            raise ApiError(409, "invalid_transition", Msg("Perangkat ini sudah dilepas.", "This device is unbound already."),
                           state="unbound", target="unbound")
        self.store.remove_binding(doc["nip"], doc["device_hash"])
        return device_item(decided, self.store.device_binding(doc["nip"]))
