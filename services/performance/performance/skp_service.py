"""SKP use cases: the annual plan, its cascade, realisation, feedback, behaviour, evaluation, reports.

Orchestrates the employee copy (who reports to whom, as identity's events last
said), the pure rules in ``domain/skp.py`` / ``domain/attendance.py`` and the
store; HTTP lives in ``api/skp.py``. Every state change is decided in the
database: plan writes compare-and-set on the plan's ``rev`` (and status), an
evaluation on the period's ``evaluation_rev``; the loser answers 409.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sipk_shared.auth import Principal
from sipk_shared.errors import INVALID_FIELDS, ApiError
from sipk_shared.i18n import Msg, from_english

from .config import Settings
from .domain import attendance as attendance_rules
from .domain import skp as rules
from .domain.dailylog import APPROVED as LOG_APPROVED
from .events import skp_approved_event, skp_evaluated_event
from .store import Store
from .texts import transition_text

EMPLOYEE_FIELDS = ("nip", "name", "position", "unit_code")


def new_id() -> str:
    return uuid.uuid4().hex


def invalid(errors: dict[str, list[str]], message: Msg = INVALID_FIELDS,
            error: str = "validation_failed") -> ApiError:
    return ApiError(422, error, message, errors=errors)


PERIOD_EVALUATED = Msg("Periode ini sudah dievaluasi; realisasinya sudah final.",
                       "This period is evaluated already; its realisation is final.")
_NOT_INDICATOR = Msg("Bukan indikator RHK ini.", "Not an indicator of this RHK.")
_NOT_APPROVED_RHK = Msg("Bukan RHK dari SKP yang disetujui.", "Not an RHK of the approved SKP.")
_PARTIES_ONLY = Msg("Hanya pegawai, atasan langsung dan admin yang boleh melihat ini.",
                    "Only the employee, the direct supervisor and admins may see this.")


def public(skp: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in skp.items() if not k.startswith("_")}


def person(employee: dict[str, Any] | None, nip: str, name: str | None = None) -> dict[str, Any]:
    employee = employee or {}
    return {"nip": nip, "name": employee.get("name") or name, "position": employee.get("position"),
            "unit_code": employee.get("unit_code")}


@dataclass
class SkpService:
    store: Store
    settings: Settings
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    request_id: str | None = None

    # ------------------------------------------------------------------ helpers
    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().astimezone(ZoneInfo(self.settings.office_timezone)).date()

    def local_date(self, instant: datetime) -> date:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=timezone.utc)
        return instant.astimezone(ZoneInfo(self.settings.office_timezone)).date()

    def employee(self, nip: str) -> dict[str, Any]:
        employee = self.store.get_employee(nip)
        if employee is None:
            raise ApiError(409, "employee_unknown",
                           Msg("Data kepegawaian Anda belum sampai ke layanan kinerja; coba lagi sebentar lagi.",
                               "Your employee record has not reached the performance service yet; try again in a "
                               "minute."))
        return employee

    def check_year(self, year: int) -> None:
        if not rules.year_allowed(year, self.today(), self.settings.skp_years_back, self.settings.skp_years_ahead):
            low, high = rules.year_bounds(self.today(), self.settings.skp_years_back, self.settings.skp_years_ahead)
            raise invalid({"year": [Msg("SKP hanya dapat disusun untuk tahun {lo}-{hi}.",
                                        "An SKP may be kept for {lo}-{hi} only.", lo=low, hi=high)]})

    def load(self, skp_id: str) -> dict[str, Any]:
        skp = self.store.get_skp(skp_id) if len(skp_id) <= 64 else None
        if skp is None:
            raise ApiError(404, "not_found", Msg("SKP itu tidak ada.", "No such SKP."))
        return skp

    def supervisor_of(self, nip: str) -> str | None:
        return (self.store.get_employee(nip) or {}).get("supervisor_nip") or None

    def is_rater(self, principal: Principal, skp: dict[str, Any]) -> bool:
        """The owner's direct supervisor by the CURRENT hierarchy, or an admin; never the owner."""
        if principal.nip == skp["nip"]:
            return False
        return self.supervisor_of(skp["nip"]) == principal.nip or principal.is_admin

    def require_rater(self, principal: Principal, skp: dict[str, Any], what: Msg) -> None:
        if not self.is_rater(principal, skp):
            raise ApiError(403, "not_direct_supervisor",
                           Msg("Hanya atasan langsung pegawai (atau admin) yang boleh {w}.",
                               "Only the employee's direct supervisor (or an admin) may {e}.", w=what.id, e=what.en))

    def require_owner(self, principal: Principal, skp: dict[str, Any], what: Msg) -> None:
        if principal.nip != skp["nip"]:
            raise ApiError(403, "forbidden", Msg("Hanya pemilik SKP yang boleh {w}.",
                                                 "Only the employee whose SKP it is may {e}.", w=what.id, e=what.en))

    def may_read(self, principal: Principal, skp: dict[str, Any]) -> bool:
        """The owner, the owner's direct supervisor, the owner's direct subordinates (they cascade from
        it) and admins."""
        if principal.is_admin or principal.nip == skp["nip"] or self.supervisor_of(skp["nip"]) == principal.nip:
            return True
        return self.supervisor_of(principal.nip) == skp["nip"]

    def readable(self, principal: Principal, skp_id: str) -> dict[str, Any]:
        skp = self.load(skp_id)
        if not self.may_read(principal, skp):
            raise ApiError(403, "forbidden", Msg("Hanya pegawai, atasan langsung dan admin yang boleh melihat SKP ini.",
                                                 "Only the employee, the direct supervisor and admins may see this "
                                                 "SKP."))
        return skp

    def appraisal_party(self, principal: Principal, skp_id: str) -> dict[str, Any]:
        """The plan, for its realisation, evaluation, evidence and documents: the owner, the owner's direct
        supervisor and admins only (a subordinate may read the RHK to cascade, not the appraisal)."""
        skp = self.load(skp_id)
        if not (principal.is_admin or principal.nip == skp["nip"] or self.supervisor_of(skp["nip"]) == principal.nip):
            raise ApiError(403, "forbidden", _PARTIES_ONLY)
        return skp

    def shown_to(self, principal: Principal, skp: dict[str, Any]) -> dict[str, Any]:
        """The plan as ``principal`` may see it: a direct subordinate (who cascades from it) sees only the
        approved RHK, not the drafts, notes and history between the owner and their rater."""
        if principal.is_admin or principal.nip == skp["nip"] or self.supervisor_of(skp["nip"]) == principal.nip:
            return public(skp)
        approved = skp.get("approved")
        return {key: skp[key] for key in ("id", "nip", "year", "status", "revision", "period_scheme", "unit_code",
                                          "employee")} | {"items": approved["items"] if approved else [],
                                                          "approved": approved, "history": [], "revisions": []}

    def scheme_for(self, year: int) -> str:
        setting = self.store.get_skp_setting(year)
        return (setting or {}).get("period_scheme") or self.settings.skp_period_scheme

    def history_entry(self, principal: Principal, action: str, skp: dict[str, Any], to_status: str,
                      **extra: Any) -> dict[str, Any]:
        return {"action": action, "from_status": skp["status"], "to_status": to_status, "by": principal.nip,
                "at": self.now(), "revision": skp["revision"], **extra}

    def lost_race(self, skp_id: str, action: str) -> ApiError:
        fresh = self.store.get_skp(skp_id) or {}
        return ApiError(409, "invalid_transition", Msg("SKP berubah sementara itu; muat ulang.",
                                                       "The SKP changed meanwhile; reload it."),
                        current_status=fresh.get("status"), action=action)

    def transition(self, skp: dict[str, Any], action: str) -> str:
        try:
            return rules.skp_transition(skp["status"], action)
        except rules.InvalidTransition as exc:
            raise ApiError(409, "invalid_transition", transition_text(exc), current_status=skp["status"],
                           action=action) from exc

    # ------------------------------------------------------------------ settings
    def setting(self, year: int) -> dict[str, Any]:
        self.check_year(year)
        stored = self.store.get_skp_setting(year)
        return {"year": year, "period_scheme": self.scheme_for(year),
                "periods": list(rules.scheme_periods(self.scheme_for(year))),
                "source": "setting" if stored else "default"}

    def put_setting(self, principal: Principal, year: int, scheme: str) -> dict[str, Any]:
        if not principal.is_admin:
            raise ApiError(403, "forbidden", Msg("Hanya admin yang menetapkan skema periode SKP.",
                                                 "Only an admin sets the SKP period scheme."))
        self.check_year(year)
        self.store.put_skp_setting(year, {"period_scheme": scheme, "updated_by": principal.nip,
                                          "updated_at": self.now()})
        return self.setting(year)

    # ------------------------------------------------------------------ the plan
    def normalise_items(self, given: list[dict[str, Any]], current: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Items with ids: new ones get fresh ids, given ids must be this plan's (ids stay stable across
        revisions, so subordinates' cascade and realisations keep pointing at the same RHK)."""
        known = {i["id"]: i for i in current}
        errors: dict[str, list[str]] = {}
        items = []
        seen: set[str] = set()
        for index, item in enumerate(given):
            item_id = item.get("id")
            if item_id is not None and (item_id not in known or item_id in seen):
                errors[f"items.{index}.id"] = [Msg("Bukan RHK SKP ini (kosongkan id untuk RHK baru).",
                                                   "Not an RHK of this SKP (leave id out for a new RHK).")]
                continue
            item_id = item_id or new_id()
            seen.add(item_id)
            known_ind = {i["id"] for i in (known.get(item_id) or {}).get("indicators", [])}
            indicators = []
            for j, ind in enumerate(item["indicators"]):
                ind_id = ind.get("id")
                if ind_id is not None and ind_id not in known_ind:
                    errors[f"items.{index}.indicators.{j}.id"] = [_NOT_INDICATOR]
                    continue
                indicators.append({"id": ind_id or new_id(), "description": ind["description"],
                                   "target": ind["target"], "unit": ind["unit"], "aspect": ind["aspect"]})
            items.append({"id": item_id, "type": item["type"], "rhk": item["rhk"],
                          "parent_item_id": item.get("parent_item_id"), "parent_rhk": None,
                          "indicators": indicators})
        if errors:
            raise invalid(errors)
        return items

    def check_cascade(self, nip: str, year: int, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """422 unless every RHK's parent is an RHK of the DIRECT supervisor's APPROVED SKP of that year;
        the items come back with the parent's text (the document's "RHK atasan yang diintervensi")."""
        supervisor = self.supervisor_of(nip)
        parents: dict[str, str] = {}
        if supervisor:
            sup_skp = self.store.find_skp(supervisor, year)
            approved = (sup_skp or {}).get("approved")
            parents = {i["id"]: i["rhk"] for i in approved["items"]} if approved else {}
            ids = frozenset(parents) if approved else None
        else:
            ids = None
        errors = rules.cascade_errors(items, bool(supervisor), ids)
        if errors:
            raise invalid(errors, Msg("RHK harus diturunkan dari RHK pada SKP atasan langsung Anda yang sudah "
                                      "disetujui.",
                                      "An RHK must cascade from an RHK of your direct supervisor's approved SKP."),
                          "cascade_invalid")
        return [{**i, "parent_rhk": parents.get(i["parent_item_id"]) if i["parent_item_id"] else None}
                for i in items]

    def create(self, principal: Principal, year: int, items: list[dict[str, Any]]) -> dict[str, Any]:
        self.check_year(year)
        employee = self.employee(principal.nip)
        if any(i.get("id") for i in items):
            raise invalid({"items": [Msg("RHK pada SKP baru belum punya id.", "A new SKP's RHK have no ids yet.")]})
        items = self.check_cascade(principal.nip, year, self.normalise_items(items, []))
        at = self.now()
        skp = {"id": new_id(), "nip": principal.nip, "year": year, "status": rules.DRAFT, "revision": 1, "rev": 1,
               "period_scheme": self.scheme_for(year), "unit_code": employee.get("unit_code"),
               "employee": person(employee, principal.nip, principal.name), "items": items, "approved": None,
               "return_note": None, "created_at": at, "updated_at": at,
               "history": [{"action": "create", "from_status": None, "to_status": rules.DRAFT,
                            "by": principal.nip, "at": at, "revision": 1}],
               "revisions": [{"revision": 1, "opened_by": principal.nip, "opened_at": at, "reason": None,
                              "approved_by": None, "approved_at": None, "changes": []}]}
        if not self.store.insert_skp(skp):
            existing = self.store.find_skp(principal.nip, year) or {}
            raise ApiError(409, "skp_exists", Msg("Anda sudah punya SKP tahun {y}.", "You have an SKP for {y} already.",
                                                  y=year), skp_id=existing.get("id"))
        return public(skp)

    def edit(self, principal: Principal, skp_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_owner(principal, skp, Msg("mengubahnya", "change it"))
        if not rules.skp_is_editable(skp["status"]):
            raise ApiError(409, "skp_frozen" if skp["status"] == rules.APPROVED else "invalid_transition",
                           Msg("SKP yang sudah disetujui terkunci: buka revisi untuk mengubahnya.",
                               "An approved SKP is frozen: open a revision to change it.")
                           if skp["status"] == rules.APPROVED
                           else Msg("SKP berstatus {s}; saat ini tidak dapat diubah.",
                                    "The SKP is {s}; it cannot be changed now.", s=skp["status"]),
                           current_status=skp["status"])
        current = skp["items"] + ((skp.get("approved") or {}).get("items") or [])
        items = self.check_cascade(skp["nip"], skp["year"], self.normalise_items(items, current))
        updated = self.store.update_skp(skp_id, {"rev": skp["rev"], "status": skp["status"]},
                                        {"$set": {"items": items, "updated_at": self.now()}, "$inc": {"rev": 1}})
        if updated is None:
            raise self.lost_race(skp_id, "edit")
        return public(updated)

    def submit(self, principal: Principal, skp_id: str) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_owner(principal, skp, Msg("mengajukannya", "submit it"))
        target = self.transition(skp, "submit")
        items = self.check_cascade(skp["nip"], skp["year"], skp["items"])  # the supervisor's plan may have moved
        entry = self.history_entry(principal, "submit", skp, target)
        updated = self.store.update_skp(skp_id, {"rev": skp["rev"], "status": skp["status"]},
                                        {"$set": {"status": target, "items": items, "updated_at": entry["at"]},
                                         "$push": {"history": entry}, "$inc": {"rev": 1}})
        if updated is None:
            raise self.lost_race(skp_id, "submit")
        return public(updated)

    def approve(self, principal: Principal, skp_id: str, note: str | None) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_rater(principal, skp, Msg("menyetujui SKP ini", "approve this SKP"))
        target = self.transition(skp, "approve")
        at = self.now()
        rater = person(self.store.get_employee(principal.nip), principal.nip, principal.name)
        previous = (skp.get("approved") or {}).get("items") or []
        revisions = [dict(r) for r in skp.get("revisions", [])]
        for r in revisions:
            if r["revision"] == skp["revision"]:
                r.update(approved_by=principal.nip, approved_at=at,
                         changes=rules.item_changes(previous, skp["items"]) if skp.get("approved") else [])
        approved = {"revision": skp["revision"], "items": skp["items"], "approved_by": principal.nip,
                    "approved_at": at, "rater": rater, "employee": skp["employee"]}
        entry = self.history_entry(principal, "approve", skp, target, note=note)
        event = skp_approved_event({**skp, "approved": approved}, self.request_id)
        updated = self.store.update_skp(
            skp_id, {"rev": skp["rev"], "status": skp["status"]},
            {"$set": {"status": target, "approved": approved, "revisions": revisions, "return_note": None,
                      "updated_at": at}, "$push": {"history": entry}, "$inc": {"rev": 1}}, event)
        if updated is None:
            raise self.lost_race(skp_id, "approve")
        return public(updated)

    def return_(self, principal: Principal, skp_id: str, note: str) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_rater(principal, skp, Msg("mengembalikan SKP ini", "return this SKP"))
        target = self.transition(skp, "return")
        entry = self.history_entry(principal, "return", skp, target, note=note)
        updated = self.store.update_skp(skp_id, {"rev": skp["rev"], "status": skp["status"]},
                                        {"$set": {"status": target, "return_note": note, "updated_at": entry["at"]},
                                         "$push": {"history": entry}, "$inc": {"rev": 1}})
        if updated is None:
            raise self.lost_race(skp_id, "return")
        return public(updated)

    def revise(self, principal: Principal, skp_id: str, reason: str) -> dict[str, Any]:
        """A change during the year: the approved plan opens as revision n+1 (a draft); the approved
        version stays in force (realisations, cascade) until the revision is approved."""
        skp = self.load(skp_id)
        self.require_owner(principal, skp, Msg("membuka revisi", "open a revision"))
        target = self.transition(skp, "revise")
        at = self.now()
        revision = skp["revision"] + 1
        entry = self.history_entry(principal, "revise", skp, target, note=reason)
        entry["revision"] = revision
        updated = self.store.update_skp(
            skp_id, {"rev": skp["rev"], "status": skp["status"]},
            {"$set": {"status": target, "revision": revision, "updated_at": at},
             "$push": {"history": entry, "revisions": {"revision": revision, "opened_by": principal.nip,
                                                       "opened_at": at, "reason": reason, "approved_by": None,
                                                       "approved_at": None, "changes": []}},
             "$inc": {"rev": 1}})
        if updated is None:
            raise self.lost_race(skp_id, "revise")
        return public(updated)

    def list_for(self, principal: Principal, nip: str | None, year: int | None) -> list[dict[str, Any]]:
        nip = nip or principal.nip
        skps = self.store.skps_of([nip], year)
        if nip != principal.nip and not principal.is_admin:
            allowed = self.supervisor_of(nip) == principal.nip or self.supervisor_of(principal.nip) == nip
            if not allowed:
                raise ApiError(403, "forbidden", _PARTIES_ONLY)
        return [self.shown_to(principal, s) for s in skps]

    def item_of(self, nip: str, year: int, item_id: str) -> dict[str, Any] | None:
        """The RHK ``item_id`` of ``nip``'s SKP of ``year`` (current draft or approved version), or None."""
        skp = self.store.find_skp(nip, year)
        if skp is None:
            return None
        items = skp["items"] + ((skp.get("approved") or {}).get("items") or [])
        return next((i for i in items if i["id"] == item_id), None)

    def require_item(self, nip: str, year: int, item_id: str | None) -> None:
        """422 unless ``item_id`` (when given) is an RHK of ``nip``'s SKP of ``year`` (tasks, daily logs)."""
        if item_id is not None and self.item_of(nip, year, item_id) is None:
            raise invalid({"skp_item_id": [Msg("Bukan RHK pada SKP pegawai tahun {y}.",
                                               "Not an RHK of the employee's SKP of {y}.", y=year)]})

    # ------------------------------------------------------------------ cascade view
    def cascade(self, principal: Principal, year: int, nip: str | None = None) -> dict[str, Any]:
        self.check_year(year)
        nip = nip or principal.nip
        if nip != principal.nip and not principal.is_admin:
            raise ApiError(403, "forbidden", Msg("Hanya admin yang melihat penurunan (cascade) atasan lain.",
                                                 "Only admins see another supervisor's cascade."))
        own = self.store.find_skp(nip, year)
        approved_items = ((own or {}).get("approved") or {}).get("items") or []
        subordinates = self.store.direct_subordinates(nip)
        plans = {s["nip"]: s for s in self.store.skps_of([e["nip"] for e in subordinates], year)} \
            if subordinates else {}
        rows = []
        for item in approved_items:
            children = []
            for sub in subordinates:
                plan = plans.get(sub["nip"])
                if plan is None:
                    continue
                for child in plan["items"]:
                    if child.get("parent_item_id") == item["id"]:
                        children.append({"nip": sub["nip"], "name": sub.get("name"), "skp_id": plan["id"],
                                         "status": plan["status"], "item_id": child["id"], "rhk": child["rhk"],
                                         "type": child["type"]})
            rows.append({"item_id": item["id"], "rhk": item["rhk"], "type": item["type"], "cascaded_to": children})
        without = [{"nip": s["nip"], "name": s.get("name"),
                    "status": (plans.get(s["nip"]) or {}).get("status"),
                    "skp_id": (plans.get(s["nip"]) or {}).get("id")}
                   for s in subordinates if not (plans.get(s["nip"]) or {}).get("approved")]
        return {"nip": nip, "year": year, "skp_id": (own or {}).get("id"), "status": (own or {}).get("status"),
                "items": rows, "subordinates_without_approved_plan": without}

    # ------------------------------------------------------------------ periods
    def approved_plan(self, skp: dict[str, Any]) -> dict[str, Any]:
        if not rules.skp_accepts_realizations(skp.get("approved")):
            raise ApiError(409, "skp_not_approved", Msg("SKP belum punya versi yang disetujui.",
                                                        "The SKP has no approved version yet."),
                           current_status=skp["status"])
        return skp["approved"]

    def check_period(self, skp: dict[str, Any], period: str, *, annual: bool) -> str:
        try:
            rules.validate_period(period, skp["period_scheme"], annual=annual)
        except rules.InvalidPeriod as exc:
            raise invalid({"period": [from_english(str(exc))]},
                          Msg("Periode itu bukan salah satu periode SKP ini.", "The period is not one of this SKP's periods."),
                          "invalid_period") from exc
        first, _last = rules.period_dates(skp["year"], period)
        if first > self.today():
            not_started = Msg("Periode itu belum dimulai.", "The period has not started yet.")
            raise invalid({"period": [not_started]}, not_started, "invalid_period")
        return period

    @staticmethod
    def period_base(skp: dict[str, Any], period: str) -> dict[str, Any]:
        return {"skp_id": skp["id"], "nip": skp["nip"], "year": skp["year"], "period": period}

    def realize(self, principal: Principal, skp_id: str, period: str, items: list[dict[str, Any]]
                ) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_owner(principal, skp, Msg("melaporkan realisasinya", "report its realisation"))
        approved = self.approved_plan(skp)
        self.check_period(skp, period, annual=False)
        by_id = {i["id"]: i for i in approved["items"]}
        errors: dict[str, list[str]] = {}
        sets: dict[str, Any] = {}
        at = self.now()
        for index, entry in enumerate(items):
            item = by_id.get(entry["item_id"])
            if item is None:
                errors[f"items.{index}.item_id"] = [_NOT_APPROVED_RHK]
                continue
            indicator_ids = {i["id"] for i in item["indicators"]}
            base = f"realizations.{item['id']}"
            if entry.get("realization") is not None:
                sets[f"{base}.realization"] = entry["realization"]
            if entry.get("evidence"):
                sets[f"{base}.links"] = entry["evidence"]
            for j, ind in enumerate(entry.get("indicators") or []):
                if ind["indicator_id"] not in indicator_ids:
                    errors[f"items.{index}.indicators.{j}.indicator_id"] = [_NOT_INDICATOR]
                    continue
                path = f"{base}.indicators.{ind['indicator_id']}"
                sets[f"{path}.value"] = ind["value"]
                sets[f"{path}.note"] = ind.get("note")
                sets[f"{path}.links"] = ind.get("links") or []
            sets[f"{base}.updated_at"] = at
            sets[f"{base}.updated_by"] = principal.nip
        if errors:
            raise invalid(errors)
        if not self.store.update_period(skp_id, period, self.period_base(skp, period), {"$set": sets},
                                        open_only=True):
            raise ApiError(409, "period_evaluated", PERIOD_EVALUATED)
        return self.period_view(principal, skp_id, period)

    def evidence_target(self, principal: Principal, skp_id: str, period: str, item_id: str, indicator_id: str
                        ) -> dict[str, Any]:
        """Checks before files are stored: the owner, an approved plan, a period of it, an indicator of it."""
        skp = self.load(skp_id)
        self.require_owner(principal, skp, Msg("menambahkan bukti dukung", "add evidence"))
        approved = self.approved_plan(skp)
        self.check_period(skp, period, annual=False)
        item = next((i for i in approved["items"] if i["id"] == item_id), None)
        if item is None:
            raise invalid({"item_id": [_NOT_APPROVED_RHK]})
        if not any(i["id"] == indicator_id for i in item["indicators"]):
            raise invalid({"indicator_id": [_NOT_INDICATOR]})
        return skp

    def attach_files(self, principal: Principal, skp: dict[str, Any], period: str, item_id: str,
                     indicator_id: str, files: list[dict[str, Any]]) -> bool:
        path = f"realizations.{item_id}.indicators.{indicator_id}.files"
        return self.store.update_period(skp["id"], period, self.period_base(skp, period),
                                        {"$push": {path: {"$each": files}},
                                         "$set": {f"realizations.{item_id}.updated_at": self.now(),
                                                  f"realizations.{item_id}.updated_by": principal.nip}},
                                        open_only=True)

    def file_meta(self, principal: Principal, skp_id: str, file_id: str) -> dict[str, Any] | None:
        skp = self.appraisal_party(principal, skp_id)
        for doc in self.store.periods_of(skp["id"]):
            for realization in (doc.get("realizations") or {}).values():
                for indicator in (realization.get("indicators") or {}).values():
                    for meta in indicator.get("files") or []:
                        if meta["id"] == file_id:
                            return meta
        return None

    def feedback(self, principal: Principal, skp_id: str, period: str, items: list[dict[str, Any]]
                 ) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_rater(principal, skp, Msg("memberi umpan balik", "give feedback"))
        approved = self.approved_plan(skp)
        self.check_period(skp, period, annual=True)
        ids = {i["id"] for i in approved["items"]}
        errors = {f"items.{n}.item_id": [_NOT_APPROVED_RHK]
                  for n, e in enumerate(items) if e["item_id"] not in ids}
        if errors:
            raise invalid(errors)
        at = self.now()
        sets = {f"feedback.{e['item_id']}": {"text": e["feedback"], "by": principal.nip, "at": at} for e in items}
        self.store.update_period(skp_id, period, self.period_base(skp, period), {"$set": sets})
        return self.period_view(principal, skp_id, period)

    def behaviour(self, principal: Principal, skp_id: str, period: str, values: dict[str, Any],
                  perilaku: str) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_rater(principal, skp, Msg("menilai perilaku", "rate the behaviour"))
        self.approved_plan(skp)
        self.check_period(skp, period, annual=True)
        errors = rules.behaviour_errors(values)
        if errors:
            raise invalid(errors)
        behaviour = {"values": {code: {"rating": values[code]["rating"],
                                       "ekspektasi_khusus": values[code].get("ekspektasi_khusus")}
                                for code in rules.BERAKHLAK_CODES},
                     "perilaku": perilaku, "by": principal.nip, "at": self.now()}
        self.store.update_period(skp_id, period, self.period_base(skp, period), {"$set": {"behaviour": behaviour}})
        return self.period_view(principal, skp_id, period)

    def evaluate(self, principal: Principal, skp_id: str, period: str, hasil_kerja: str, perilaku: str | None,
                 note: str | None) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_rater(principal, skp, Msg("mengevaluasi SKP ini", "evaluate this SKP"))
        self.approved_plan(skp)
        self.check_period(skp, period, annual=True)
        current = self.store.get_period(skp_id, period) or {}
        behaviour = current.get("behaviour")
        if perilaku is None:
            if not behaviour:
                raise invalid({"perilaku": [Msg("Nilai dahulu perilaku periode ini, atau isi perilaku.",
                                                "Rate the behaviour of this period first, or give perilaku.")]})
            perilaku = behaviour["perilaku"]
        elif behaviour and behaviour["perilaku"] != perilaku:
            raise invalid({"perilaku": [Msg("Perilaku periode ini sudah dinilai {p}.",
                                            "The behaviour of this period is rated {p}.", p=behaviour["perilaku"])]},
                          error="perilaku_mismatch")
        expected = current.get("evaluation_rev", 0)
        evaluation = {"version": expected + 1, "period": period, "hasil_kerja": hasil_kerja, "perilaku": perilaku,
                      "predikat": rules.predikat(hasil_kerja, perilaku), "note": note, "by": principal.nip,
                      "rater": person(self.store.get_employee(principal.nip), principal.nip, principal.name),
                      "at": self.now(), "response": None}
        update: dict[str, Any] = {"$set": {"evaluation": evaluation, "evaluation_rev": expected + 1}}
        if current.get("evaluation"):  # the replaced evaluation stays in the history
            update["$push"] = {"evaluation_history": {**current["evaluation"], "replaced_at": evaluation["at"],
                                                      "replaced_by": principal.nip}}
        event = skp_evaluated_event(skp, evaluation, self.request_id)
        if self.store.put_evaluation(skp_id, period, self.period_base(skp, period), expected, update, event) is None:
            raise ApiError(409, "conflict", Msg("Periode itu dievaluasi sementara itu; muat ulang.",
                                                "The period was evaluated meanwhile; reload it."))
        return {**self.period_view(principal, skp_id, period), "predikat": evaluation["predikat"]}

    def respond(self, principal: Principal, skp_id: str, period: str, text: str) -> dict[str, Any]:
        skp = self.load(skp_id)
        self.require_owner(principal, skp, Msg("menanggapi evaluasinya", "respond to its evaluation"))
        self.check_period(skp, period, annual=True)
        evaluation = (self.store.get_period(skp_id, period) or {}).get("evaluation")
        if not evaluation:
            raise ApiError(409, "not_evaluated", Msg("Periode ini belum punya evaluasi untuk ditanggapi.",
                                                     "This period has no evaluation to respond to."))
        response = {"text": text, "at": self.now()}
        if self.store.respond_to_evaluation(skp_id, period, evaluation["version"], response) is None:
            raise ApiError(409, "conflict", Msg("Anda sudah menanggapi, atau evaluasinya diganti; muat ulang.",
                                                "You have responded already, or the evaluation was replaced; "
                                                "reload it."))
        return self.period_view(principal, skp_id, period)

    # ------------------------------------------------------------------ views
    def attendance(self, nip: str, year: int, period: str) -> dict[str, Any]:
        first, last = rules.period_dates(year, period)
        days = self.store.attendance_days(nip, first.isoformat(), last.isoformat())
        return attendance_rules.summarise(days, first, last)

    def automatic_evidence(self, skp: dict[str, Any], items: list[dict[str, Any]], period: str
                           ) -> dict[str, list[dict[str, Any]]]:
        """Approved tasks linked to an RHK (approved within the period) and approved daily-log entries
        linked to it (dated within the period), by item id."""
        first, last = rules.period_dates(skp["year"], period)
        ids = [i["id"] for i in items]
        out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        for task in self.store.approved_tasks_for_items(skp["nip"], ids):
            review = task.get("last_review") or {}
            if review.get("at") is None or not first <= self.local_date(review["at"]) <= last:
                continue
            out[task["skp_item_id"]].append({"kind": "task", "task_id": task["id"], "title": task["title"],
                                             "approved_at": review["at"], "rating": review.get("rating"),
                                             "submissions": len(task.get("submissions") or [])})
        for day in self.store.daily_log_days(skp["nip"], first.isoformat(), last.isoformat()):
            for entry in day.get("entries", []):
                if entry.get("skp_item_id") in out and entry["status"] == LOG_APPROVED:
                    out[entry["skp_item_id"]].append({
                        "kind": "daily_log", "log_id": entry["id"], "date": entry["date"],
                        "activity": entry["activity"], "output": entry["output"],
                        "minutes": entry["end_min"] - entry["start_min"]})
        return out

    def period_view(self, principal: Principal, skp_id: str, period: str) -> dict[str, Any]:
        skp = self.appraisal_party(principal, skp_id)
        self.check_period(skp, period, annual=True)
        approved = self.approved_plan(skp)
        doc = self.store.get_period(skp_id, period) or {}
        realizations = doc.get("realizations") or {}
        feedback = doc.get("feedback") or {}
        evidence = self.automatic_evidence(skp, approved["items"], period)
        items = []
        for item in approved["items"]:
            real = realizations.get(item["id"]) or {}
            indicators = []
            for ind in item["indicators"]:
                got = (real.get("indicators") or {}).get(ind["id"]) or {}
                indicators.append({**ind, "value": got.get("value"), "note": got.get("note"),
                                   "links": got.get("links") or [], "files": got.get("files") or []})
            items.append({"item_id": item["id"], "type": item["type"], "rhk": item["rhk"],
                          "parent_item_id": item.get("parent_item_id"), "parent_rhk": item.get("parent_rhk"),
                          "realization": real.get("realization"), "links": real.get("links") or [],
                          "indicators": indicators,
                          "automatic_evidence": evidence[item["id"]], "feedback": feedback.get(item["id"])})
        return {"skp_id": skp["id"], "nip": skp["nip"], "year": skp["year"], "period": period,
                "period_label": rules.period_label(skp["year"], period),
                "period_from": rules.period_dates(skp["year"], period)[0].isoformat(),
                "period_to": rules.period_dates(skp["year"], period)[1].isoformat(),
                "employee": approved.get("employee") or skp["employee"], "rater": approved.get("rater"),
                "revision": approved["revision"], "items": items, "behaviour": doc.get("behaviour"),
                "evaluation": doc.get("evaluation"), "evaluation_history": doc.get("evaluation_history") or [],
                "attendance": self.attendance(skp["nip"], skp["year"], period)}

    # ------------------------------------------------------------------ unit report
    def unit_report(self, principal: Principal, unit_code: str, year: int, period: str,
                    unit_rating: str | None) -> dict[str, Any]:
        if not principal.is_admin:
            raise ApiError(403, "forbidden", Msg("Hanya admin yang melihat sebaran predikat sebuah unit.",
                                                 "Only an admin sees a unit's predikat distribution."))
        self.check_year(year)
        if period not in rules.PERIODS + rules.MONTHS + (rules.ANNUAL,):
            raise invalid({"period": [Msg("Gunakan annual, Q1..Q4 atau M01..M12.", "Use annual, Q1..Q4 or M01..M12.")]},
                          error="invalid_period")
        employees = self.store.employees_in_unit(unit_code)
        plans = {s["nip"]: s for s in self.store.skps_of([e["nip"] for e in employees], year)} if employees else {}
        valid = [s for s in plans.values() if period == rules.ANNUAL or period in
                 rules.scheme_periods(s["period_scheme"])]
        evaluated = self.store.periods_for([s["id"] for s in valid], period) if valid else {}
        rows = []
        for emp in employees:
            plan = plans.get(emp["nip"])
            evaluation = (evaluated.get(plan["id"]) or {}).get("evaluation") if plan else None
            rows.append({"nip": emp["nip"], "name": emp.get("name"), "position": emp.get("position"),
                         "skp_status": plan["status"] if plan else None,
                         "predikat": evaluation["predikat"] if evaluation else None})
        dist = rules.distribution([r["predikat"] for r in rows])
        return {"unit_code": unit_code, "year": year, "period": period, **dist,
                "caps": rules.check_caps(dist, unit_rating), "employees_list": rows}
