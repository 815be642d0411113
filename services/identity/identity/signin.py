"""Sign-in use cases: login, refresh with rotation and reuse detection, logout.

Orchestrates the store, password hashing and token issuing; HTTP lives in api/.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sipk_shared.errors import ApiError

from .config import Settings
from .domain.passwords import WeakPassword, check_new_password
from .hashing import hash_password, verify_password
from .keys import SigningKey
from .store import IdentityStore
from .tokens import issue_access_token, new_refresh_token, refresh_token_id

log = logging.getLogger(__name__)


def _invalid_credentials() -> ApiError:
    # Same answer for an unknown NIP and a wrong password: no account enumeration.
    return ApiError(401, "invalid_credentials", "NIP or password is wrong.")


@dataclass
class SignIn:
    store: IdentityStore
    key: SigningKey
    settings: Settings

    def _check_lockout(self, nip: str) -> None:
        s = self.settings
        if self.store.recent_failures(nip, s.lockout_window_s) >= s.lockout_failures:
            raise ApiError(429, "too_many_attempts",
                           "Too many failed sign-ins for this NIP. Try again later.",
                           retry_after_s=s.lockout_window_s)

    def login(self, nip: str, password: str) -> dict:
        s = self.settings
        self._check_lockout(nip)
        employee = self.store.get_employee(nip)
        ok = verify_password(employee.get("password_hash") if employee else None, password)
        if not ok or not employee or not employee.get("active", False):
            self.store.record_failure(nip, s.lockout_window_s)
            log.info("login refused", extra={"fields": {"nip": nip}})
            raise _invalid_credentials()
        return self._issue_pair(employee, family=uuid.uuid4().hex)

    def refresh(self, refresh_token: str) -> dict:
        token_id = refresh_token_id(refresh_token)
        record = self.store.get_refresh_token(token_id)
        if record is None:
            raise ApiError(401, "invalid_refresh_token", "The refresh token is not valid.")
        if record["revoked"]:
            raise ApiError(401, "invalid_refresh_token", "The refresh token was revoked.")
        if record["used_at"] is not None or self.store.spend_refresh_token(token_id) is None:
            # A spent token came back: someone holds a copy. Kill the whole family.
            self.store.revoke_family(record["family"])
            log.warning("refresh token reuse detected; family revoked",
                        extra={"fields": {"nip": record["nip"], "family": record["family"]}})
            raise ApiError(401, "refresh_token_reused", "The refresh token was already used; sign in again.")
        if _aware(record["expires_at"]) < datetime.now(timezone.utc):
            raise ApiError(401, "invalid_refresh_token", "The refresh token has expired.")
        employee = self.store.get_employee(record["nip"])
        if not employee or not employee.get("active", False):
            self.store.revoke_family(record["family"])
            raise ApiError(401, "invalid_refresh_token", "The account is no longer active.")
        return self._issue_pair(employee, family=record["family"])

    def change_password(self, nip: str, old_password: str, new_password: str) -> dict:
        """Old password required (it counts towards the lockout when wrong); all sessions end."""
        s = self.settings
        self._check_lockout(nip)
        employee = self.store.get_employee(nip)
        if not employee or not verify_password(employee.get("password_hash"), old_password):
            self.store.record_failure(nip, s.lockout_window_s)
            raise ApiError(422, "wrong_password", "The old password is wrong.",
                           errors={"old_password": ["The old password is wrong."]})
        try:
            check_new_password(new_password, nip, old_password)
        except WeakPassword as exc:
            raise ApiError(422, "weak_password", exc.reason, errors={"new_password": [exc.reason]}) from None
        self.store.set_password(nip, hash_password(new_password), change_required=False)
        self.store.revoke_all_for(nip)
        log.info("password changed", extra={"fields": {"nip": nip}})
        return self._issue_pair({**employee, "password_change_required": False}, family=uuid.uuid4().hex)

    def logout(self, refresh_token: str) -> None:
        record = self.store.get_refresh_token(refresh_token_id(refresh_token))
        if record is not None:
            self.store.revoke_family(record["family"])

    def _issue_pair(self, employee: dict, *, family: str) -> dict:
        s = self.settings
        change_required = bool(employee.get("password_change_required", False))
        access = issue_access_token(
            self.key, nip=employee["nip"], name=employee["name"], unit=employee.get("unit_code"),
            roles=list(employee.get("roles") or ["employee"]), password_change_required=change_required,
            issuer=s.jwt_issuer, audience=s.jwt_audience, ttl_s=s.access_ttl_s)
        refresh = new_refresh_token()
        self.store.insert_refresh_token(refresh_token_id(refresh), nip=employee["nip"], family=family,
                                        expires_at=datetime.now(timezone.utc) + timedelta(seconds=s.refresh_ttl_s))
        answer = {"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
                  "expires_in": s.access_ttl_s}
        if change_required:
            answer["password_change_required"] = True
        return answer


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
