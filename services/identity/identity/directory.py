"""Admin use cases on units and employees: the rules, their events and the audit trail.

Every write here is one single-document update that carries its outbox event
(see sipk_shared.outbox), applied only while the document is still at the
revision the change was computed from (``IdentityStore`` ``at_revision``): of
two concurrent changes the database lets one through and the other gets 409
``edit_conflict``, so no event ever describes a state that was not stored.
The audit entry is written right after the change it describes, with the
acting admin and the gateway's request id.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from .domain.codes import InvalidUnitCode, validate_unit_code
from .domain.fields import (
    NAME_MAX_LENGTH,
    POSITION_MAX_LENGTH,
    InvalidField,
    check_email,
    check_text,
    diff,
    normalize_roles,
)
from .domain.employment import DEFAULT_TIMEZONE, InvalidSpan, check_day, closed, opened, reopened, spans_of, \
    today_in, with_start
from .domain.hierarchy import would_create_cycle
from .domain.nip import InvalidNip, validate_nip
from .domain.passwords import WeakPassword, check_new_password, generate_temporary_password
from .events import employee_event, sessions_revoked_event, unit_event
from .hashing import hash_password
from .store import IdentityStore, revision
from .tokens import revocation_instant

# What an audit entry records of an employee: the snapshot plus the account flag.
AUDITED_EMPLOYEE_FIELDS = ("nip", "name", "unit_code", "position", "supervisor_nip", "email", "roles", "active",
                           "password_change_required", "employment")
UNIT_FIELDS = ("code", "name", "parent_code")
NOT_FOUND = {"employee": "employee_not_found", "unit": "unit_not_found"}


def unprocessable(error: str, message: Msg, field: str | None = None, **details: Any) -> ApiError:
    return ApiError(422, error, message, errors={field: [message]} if field else None, **details)


def check_nip(value: str, field: str = "nip") -> str:
    try:
        validate_nip(value)
    except InvalidNip as exc:
        reason = Msg(exc.reason_id, exc.reason)
        raise unprocessable("invalid_nip", Msg("{f}: {r}", "{f}: {e}", f=field, r=exc.reason_id, e=exc.reason),
                            field, reason=reason) from None
    return value


def check_unit_code(value: str, field: str = "code") -> str:
    try:
        return validate_unit_code(value)
    except InvalidUnitCode as exc:
        raise unprocessable("invalid_unit_code", Msg("{f}: {r}", "{f}: {e}", f=field, r=exc.reason_id, e=exc.reason),
                            field) from None


def _span_error(exc: InvalidSpan) -> ApiError:
    return unprocessable("invalid_employment_span", Msg(exc.reason_id, exc.reason), exc.field)


def _day(value: Any, field: str):
    try:
        return check_day(value, field)
    except InvalidSpan as exc:
        raise _span_error(exc) from None


def _active_admin(employee: dict[str, Any]) -> bool:
    return bool(employee.get("active")) and "admin" in (employee.get("roles") or [])


def _field_error(exc: InvalidField) -> ApiError:
    return unprocessable("validation_failed", Msg(exc.reason_id, exc.reason), exc.field)


ADMIN_LOCK_TTL_S = 10.0   # a holder that died frees it after this
ADMIN_LOCK_WAIT_S = 5.0   # how long a request waits for it


@dataclass
class Directory:
    store: IdentityStore
    actor: str
    request_id: str | None = None
    timezone: str = DEFAULT_TIMEZONE  # whose "today" a default span date is

    def today(self):
        return today_in(self.timezone)

    # ------------------------------------------------------------ lookups
    def employee(self, nip: str) -> dict[str, Any]:
        doc = self.store.get_employee(nip)
        if doc is None:
            raise ApiError(404, NOT_FOUND["employee"], Msg("Tidak ada pegawai dengan NIP {nip}.",
                                                           "No employee with NIP {nip}.", nip=nip))
        return doc

    def unit(self, code: str) -> dict[str, Any]:
        try:
            code = validate_unit_code(code)
        except InvalidUnitCode:
            code = None
        doc = self.store.get_unit(code) if code else None
        if doc is None:
            raise ApiError(404, NOT_FOUND["unit"], Msg("Unit kerja itu tidak ada.", "No such unit."))
        return doc

    # ------------------------------------------------------------- checks
    def _existing_unit(self, value: str, field: str) -> str:
        code = check_unit_code(value, field)
        if self.store.get_unit(code) is None:
            raise unprocessable("unknown_unit", Msg("{f}: unit kerja {c} tidak ada.", "{f}: unit {c} does not exist.",
                                                    f=field, c=code), field, unit_code=code)
        return code

    def _supervisor(self, nip: str, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        sup = check_nip(value, "supervisor_nip")
        if sup == nip:
            raise unprocessable("supervisor_cycle", Msg("Pegawai tidak dapat menjadi atasannya sendiri.",
                                                        "An employee cannot be their own supervisor."),
                                "supervisor_nip")
        doc = self.store.get_employee(sup)
        if doc is None:
            raise unprocessable("unknown_supervisor", Msg("supervisor_nip: tidak ada pegawai dengan NIP {s}.",
                                                          "supervisor_nip: no employee with NIP {s}.", s=sup),
                                "supervisor_nip", supervisor_nip=sup)
        if not doc.get("active", False):
            raise unprocessable("inactive_supervisor", Msg("supervisor_nip: pegawai {s} tidak aktif.",
                                                           "supervisor_nip: employee {s} is not active.", s=sup),
                                "supervisor_nip", supervisor_nip=sup)
        if would_create_cycle(nip, sup, self.store.supervisor_of):
            raise unprocessable("supervisor_cycle",
                                Msg("supervisor_nip: {s} berada (langsung atau tidak) di bawah {n}; itu akan "
                                    "menjadi lingkaran.",
                                    "supervisor_nip: {s} reports (directly or not) to {n}; that would be a loop.",
                                    s=sup, n=nip),
                                "supervisor_nip", supervisor_nip=sup)
        return sup

    @staticmethod
    def _profile_fields(body: dict[str, Any]) -> dict[str, Any]:
        """Clean name/position/email/roles present in ``body``."""
        out: dict[str, Any] = {}
        try:
            if "name" in body:
                out["name"] = check_text(body["name"], "name", NAME_MAX_LENGTH)
            if "position" in body:
                out["position"] = check_text(body["position"], "position", POSITION_MAX_LENGTH)
            if "email" in body:
                out["email"] = check_email(body["email"])
            if "roles" in body:
                out["roles"] = normalize_roles(body["roles"])
        except InvalidField as exc:
            raise _field_error(exc) from None
        return out

    # -------------------------------------------------------------- audit
    def _audit(self, action: str, entity: str, entity_id: str, changes: dict[str, Any]) -> None:
        self.store.audit(actor=self.actor, action=action, entity=entity, entity_id=entity_id,
                         changes=changes, request_id=self.request_id)

    # -------------------------------------------------------------- units
    def create_unit(self, body: dict[str, Any]) -> dict[str, Any]:
        code = check_unit_code(body["code"], "code")
        try:
            name = check_text(body["name"], "name", NAME_MAX_LENGTH)
        except InvalidField as exc:
            raise _field_error(exc) from None
        parent = body.get("parent_code")
        parent = self._existing_unit(parent, "parent_code") if parent else None
        if parent == code:
            raise unprocessable("unit_cycle", Msg("Unit kerja tidak dapat menjadi induknya sendiri.",
                                                  "A unit cannot be its own parent."), "parent_code")
        unit = {"code": code, "name": name, "parent_code": parent}
        if not self.store.upsert_unit_if_missing(unit, unit_event("created", unit, self.request_id)):
            raise ApiError(409, "unit_exists", Msg("Unit kerja {c} sudah ada.", "Unit {c} exists already.", c=code))
        self._audit("create", "unit", code, diff(None, unit, UNIT_FIELDS))
        return self.store.get_unit(code)

    def update_unit(self, code: str, body: dict[str, Any]) -> dict[str, Any]:
        def decide(before: dict[str, Any]) -> dict[str, Any]:
            changes: dict[str, Any] = {}
            if "name" in body:
                try:
                    changes["name"] = check_text(body["name"], "name", NAME_MAX_LENGTH)
                except InvalidField as exc:
                    raise _field_error(exc) from None
            if "parent_code" in body:
                parent = body["parent_code"]
                parent = self._existing_unit(parent, "parent_code") if parent else None
                if parent and would_create_cycle(before["code"], parent, self.store.parent_of_unit):
                    raise unprocessable("unit_cycle", Msg("parent_code: {p} berada di dalam {c}.",
                                                          "parent_code: {p} is inside {c}.",
                                                          p=parent, c=before["code"]), "parent_code")
                changes["parent_code"] = parent
            return changes

        def write(before, after, changes):
            return self.store.update_unit(before["code"], revision(before), changes,
                                          unit_event("updated", after, self.request_id))

        return self._change("unit", lambda: self.unit(code), decide, write, UNIT_FIELDS, "update")

    # ---------------------------------------------------------- employees
    def create_employee(self, body: dict[str, Any]) -> dict[str, Any]:
        nip = check_nip(body["nip"])
        fields = self._profile_fields({"roles": body.get("roles") or ["employee"], **body})
        unit_code = self._existing_unit(body["unit_code"], "unit_code")
        supervisor = self._supervisor(nip, body.get("supervisor_nip"))
        password = body.get("password")
        if password is not None:
            try:
                check_new_password(password, nip)
            except WeakPassword as exc:
                raise unprocessable("weak_password", Msg(exc.reason_id, exc.reason), "password") from None
        active_from = _day(body["active_from"], "active_from") if body.get("active_from") else self.today()
        employee = {"nip": nip, "name": fields["name"], "unit_code": unit_code, "position": fields["position"],
                    "supervisor_nip": supervisor, "email": fields.get("email"), "roles": fields["roles"],
                    "active": True, "password_hash": hash_password(password) if password else None,
                    "password_change_required": False, "employment": opened(active_from)}
        if not self.store.insert_employee(employee, employee_event("created", employee, self.request_id)):
            raise ApiError(409, "employee_exists", Msg("Pegawai dengan NIP {nip} sudah ada.",
                                                       "An employee with NIP {nip} exists already.", nip=nip))
        self._audit("create", "employee", nip, diff(None, employee, AUDITED_EMPLOYEE_FIELDS))
        return self.store.get_employee(nip)

    def update_employee(self, nip: str, body: dict[str, Any]) -> dict[str, Any]:
        def decide(before: dict[str, Any]) -> dict[str, Any]:
            changes = self._profile_fields(body)
            if "unit_code" in body:
                changes["unit_code"] = self._existing_unit(body["unit_code"], "unit_code")
            if "supervisor_nip" in body and body["supervisor_nip"] != before.get("supervisor_nip"):
                changes["supervisor_nip"] = self._supervisor(nip, body["supervisor_nip"])
            if "active_from" in body:
                try:
                    changes["employment"] = with_start(spans_of(before, self.timezone),
                                                       _day(body["active_from"], "active_from"))
                except InvalidSpan as exc:
                    raise _span_error(exc) from None
            return changes

        before_roles = set(self.employee(nip).get("roles") or [])
        doc = self._change_employee(nip, decide, "update", "updated")
        if set(doc.get("roles") or []) != before_roles:
            # Tokens carry the roles: the old ones stop working (the app refreshes and gets the new roles).
            self._revoke(nip, "roles_changed", sessions=False)
        return doc

    def deactivate(self, nip: str, active_until=None) -> dict[str, Any]:
        """``active_until``: their last day (default today); the span ends there."""
        last_day = _day(active_until, "active_until") if active_until else self.today()

        def decide(before: dict[str, Any]) -> dict[str, Any]:
            if not before.get("active", False):
                return {}
            active_subordinates = self.store.direct_subordinates(nip, active_only=True)
            if active_subordinates:
                raise ApiError(409, "has_active_subordinates",
                               Msg("{n} pegawai aktif masih melapor kepada {nip}; beri mereka atasan lain dahulu.",
                                   "{n} active employees still report to {nip}; give them another supervisor first.",
                                   n=len(active_subordinates), nip=nip),
                               subordinates=active_subordinates)
            try:
                return {"active": False, "employment": closed(spans_of(before, self.timezone), last_day)}
            except InvalidSpan as exc:
                raise _span_error(exc) from None

        doc = self._change_employee(nip, decide, "deactivate", "deactivated")
        # Sign-in ends at once: no refresh token of theirs works any more, and no service takes
        # their access tokens once the event arrived.
        self._revoke(nip, "deactivated", sessions=True)
        return doc

    def reactivate(self, nip: str, active_from=None) -> dict[str, Any]:
        """``active_from``: their first day back (default today); a new span starts there."""
        first_day = _day(active_from, "active_from") if active_from else self.today()

        def decide(before: dict[str, Any]) -> dict[str, Any]:
            if before.get("active", False):
                return {}
            sup = before.get("supervisor_nip")
            if sup:
                self._supervisor(nip, sup)
            try:
                return {"active": True, "employment": reopened(spans_of(before, self.timezone), first_day)}
            except InvalidSpan as exc:
                raise _span_error(exc) from None

        return self._change_employee(nip, decide, "reactivate", "updated")

    def reset_password(self, nip: str) -> tuple[dict[str, Any], str]:
        """A one-time password the employee must replace at the next sign-in."""
        if nip == self.actor:
            # An admin resetting themself ends every session of theirs with a password only this
            # answer shows: the way the last admin got locked out. Their own route asks the old one.
            raise ApiError(409, "own_password", Msg("Ganti kata sandi Anda sendiri lewat POST /me/password.",
                                                    "Change your own password with POST /me/password."))
        before = self.employee(nip)
        if not before.get("active", False):
            raise ApiError(409, "employee_inactive", Msg("Pegawai {nip} tidak aktif.", "Employee {nip} is not active.",
                                                         nip=nip))
        temporary = generate_temporary_password()
        self.store.set_password(nip, hash_password(temporary), change_required=True)
        self._revoke(nip, "credentials_reset", sessions=True)
        self._audit("password_reset", "employee", nip,
                    {"password_change_required": {"from": before.get("password_change_required", False),
                                                  "to": True}})
        return self.employee(nip), temporary

    def _revoke(self, nip: str, reason: str, *, sessions: bool) -> None:
        not_before = revocation_instant()
        self.store.revoke_tokens(nip, not_before, sessions_revoked_event(nip, not_before, reason,
                                                                         request_id=self.request_id),
                                 sessions=sessions)

    # ---------------------------------------------------------- machinery
    def _change_employee(self, nip: str, decide: Callable[[dict], dict], action: str, verb: str) -> dict:
        def guarded(before: dict[str, Any]) -> dict[str, Any]:
            changes = decide(before)
            if _active_admin(before) and not _active_admin({**before, **changes}) \
                    and not self.store.other_active_admin_exists(nip):
                raise ApiError(409, "last_admin", Msg("Ini admin aktif terakhir; jadikan orang lain admin dahulu.",
                                                      "This is the last active admin; make someone else admin "
                                                      "first."))
            return changes

        def write(before, after, changes):
            return self.store.update_employee(nip, revision(before), {"$set": changes},
                                              employee_event(verb, after, self.request_id))

        def change() -> dict:
            return self._change("employee", lambda: self.employee(nip), guarded, write, AUDITED_EMPLOYEE_FIELDS,
                                action)

        if not _active_admin(self.employee(nip)):
            return change()
        # An active admin's change may end the last admin: one at a time (see Store.take_admin_lock),
        # read and decided under the lock.
        holder = uuid.uuid4().hex
        deadline = time.monotonic() + ADMIN_LOCK_WAIT_S
        while not self.store.take_admin_lock(holder, ADMIN_LOCK_TTL_S):
            if time.monotonic() > deadline:
                raise ApiError(409, "admin_change_busy", Msg("Perubahan lain pada seorang admin sedang berjalan; coba lagi.",
                                                             "Another change to an admin is under way; try again."))
            time.sleep(0.02)
        try:
            return change()
        finally:
            self.store.drop_admin_lock(holder)

    def _change(self, entity: str, read: Callable[[], dict], decide: Callable[[dict], dict],
                write: Callable[[dict, dict, dict], dict | None], audited: tuple[str, ...], action: str) -> dict:
        before = read()
        changes = decide(before)
        after = {**before, **changes}
        delta = diff(before, after, audited)
        if not delta:
            return before
        stored = write(before, after, {k: after[k] for k in delta})
        if stored is None:
            read()  # 404 if it is gone; else another change won the race
            what = {"employee": ("Data pegawai", "employee"), "unit": ("Data unit kerja", "unit")}.get(
                entity, (entity, entity))
            raise ApiError(409, "edit_conflict", Msg("{w} diubah orang lain sementara itu; muat ulang lalu coba lagi.",
                                                     "The {e} was changed by someone else meanwhile; reload it and "
                                                     "try again.", w=what[0], e=what[1]))
        self._audit(action, entity, before["_id"], delta)
        return stored
