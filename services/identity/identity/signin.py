"""Sign-in use cases: login, refresh with rotation and reuse detection, logout.

Signing out, changing the password and a detected reuse end sign-ins everywhere: identity
publishes ``identity.sessions.revoked`` and every service refuses the access tokens concerned
(sipk_shared.revocations).

Orchestrates the store, password hashing and token issuing; HTTP lives in api/.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from .config import Settings
from .domain.passwords import WeakPassword, check_new_password
from .hashing import hash_password, verify_password
from .keys import SigningKey
from .store import IdentityStore
from .throttle import LoginThrottle
from .events import sessions_revoked_event
from .tokens import issue_access_token, new_refresh_token, refresh_token_id, revocation_instant

log = logging.getLogger(__name__)


def _invalid_credentials() -> ApiError:
    # Same answer for an unknown NIP and a wrong password: no account enumeration.
    return ApiError(401, "invalid_credentials", Msg("NIP atau kata sandi salah.", "NIP or password is wrong."))


_REVOKED = Msg("Token penyegar (refresh token) sudah dicabut.", "The refresh token was revoked.")
_REUSED = Msg("Token penyegar sudah pernah dipakai; silakan masuk lagi.",
              "The refresh token was already used; sign in again.")


@dataclass
class SignIn:
    store: IdentityStore
    key: SigningKey
    settings: Settings
    client: str = ""  # the client's address (identity.throttle)

    @property
    def _throttle(self) -> LoginThrottle:
        return LoginThrottle(self.store, self.settings, self.client)

    def login(self, nip: str, password: str) -> dict:
        throttle = self._throttle
        attempt = throttle.take_try(nip)  # 429 while locked; taken before the password is checked
        employee = self.store.get_employee(nip)
        ok = verify_password(employee.get("password_hash") if employee else None, password)
        if not ok or not employee or not employee.get("active", False):
            throttle.failed(nip, attempt)
            log.info("login refused", extra={"fields": {"nip": nip}})
            raise _invalid_credentials()
        throttle.succeeded(nip)
        return self._issue_pair(employee, family=uuid.uuid4().hex)

    def refresh(self, refresh_token: str) -> dict:
        token_id = refresh_token_id(refresh_token)
        record = self.store.get_refresh_token(token_id)
        if record is None:
            raise ApiError(401, "invalid_refresh_token", Msg("Token penyegar tidak valid.",
                                                             "The refresh token is not valid."))
        if record["revoked"]:
            raise ApiError(401, "invalid_refresh_token", _REVOKED)
        if _aware(record["expires_at"]) < datetime.now(timezone.utc):
            raise ApiError(401, "invalid_refresh_token", Msg("Token penyegar sudah kedaluwarsa.",
                                                             "The refresh token has expired."))
        if self.store.spend_refresh_token(token_id) is None:
            self._spent_already(token_id, record)
        employee = self.store.get_employee(record["nip"])
        if not employee or not employee.get("active", False):
            self.store.revoke_family(record["family"])
            raise ApiError(401, "invalid_refresh_token", Msg("Akun ini sudah tidak aktif.",
                                                             "The account is no longer active."))
        sessions_nb = employee.get("sessions_not_before")
        if sessions_nb is not None and _aware(record["issued_at"]) < _aware(sessions_nb):
            # Signed in before a password reset or deactivation whose revocation this token escaped.
            raise ApiError(401, "invalid_refresh_token", _REVOKED)
        pair = self._issue_pair(employee, family=record["family"])
        if self.store.session_ended(record["family"]):
            # Reuse was detected (or the user signed out) while we issued: the new pair dies with it.
            self.store.revoke_family(record["family"])
            raise ApiError(401, "refresh_token_reused", _REUSED)
        return pair

    def _spent_already(self, token_id: str, record: dict) -> None:
        """We lost the spend: another request used this token. A moment ago (two tabs refreshing
        at once) that is 409 and nothing else; later, someone holds a copy: end the whole sign-in."""
        current = self.store.get_refresh_token(token_id) or record
        if current["revoked"]:
            raise ApiError(401, "invalid_refresh_token", _REVOKED)
        used_at = current.get("used_at")
        grace = timedelta(seconds=self.settings.refresh_reuse_grace_s)
        if used_at is not None and datetime.now(timezone.utc) - _aware(used_at) <= grace:
            raise ApiError(409, "refresh_in_progress",
                           Msg("Token penyegar ini baru saja dipakai permintaan lain; gunakan token yang diterima "
                               "permintaan itu.",
                               "This refresh token was used a moment ago by another request; use the tokens that "
                               "request received."))
        self.store.end_session(record["nip"], record["family"],
                               sessions_revoked_event(record["nip"], revocation_instant(), "refresh_token_reused",
                                                      sid=record["family"]))
        log.warning("refresh token reuse detected; sign-in ended",
                    extra={"fields": {"nip": record["nip"], "family": record["family"]}})
        raise ApiError(401, "refresh_token_reused", _REUSED)

    def change_password(self, nip: str, old_password: str, new_password: str) -> dict:
        """Old password required (it counts towards the lockout when wrong); all sessions end."""
        throttle = self._throttle
        attempt = throttle.take_try(nip)
        employee = self.store.get_employee(nip)
        if not employee or not verify_password(employee.get("password_hash"), old_password):
            throttle.failed(nip, attempt)
            wrong = Msg("Kata sandi lama salah.", "The old password is wrong.")
            raise ApiError(422, "wrong_password", wrong, errors={"old_password": [wrong]})
        throttle.succeeded(nip)
        try:
            check_new_password(new_password, nip, old_password)
        except WeakPassword as exc:
            reason = Msg(exc.reason_id, exc.reason)
            raise ApiError(422, "weak_password", reason, errors={"new_password": [reason]}) from None
        self.store.set_password(nip, hash_password(new_password), change_required=False)
        not_before = revocation_instant()
        self.store.revoke_tokens(nip, not_before, sessions_revoked_event(nip, not_before, "credentials_changed"),
                                 sessions=True)
        log.info("password changed", extra={"fields": {"nip": nip}})
        return self._issue_pair({**employee, "password_change_required": False, "tokens_not_before": not_before},
                                family=uuid.uuid4().hex)

    def logout(self, refresh_token: str) -> None:
        """End this sign-in: its refresh tokens and, in every service, its access tokens."""
        record = self.store.get_refresh_token(refresh_token_id(refresh_token))
        if record is not None:
            self.store.end_session(record["nip"], record["family"],
                                   sessions_revoked_event(record["nip"], revocation_instant(), "logged_out",
                                                          sid=record["family"]))

    def _issue_pair(self, employee: dict, *, family: str) -> dict:
        s = self.settings
        change_required = bool(employee.get("password_change_required", False))
        not_before = employee.get("tokens_not_before")
        access = issue_access_token(
            self.key, nip=employee["nip"], name=employee["name"], unit=employee.get("unit_code"),
            roles=list(employee.get("roles") or ["employee"]), password_change_required=change_required,
            issuer=s.jwt_issuer, audience=s.jwt_audience, ttl_s=s.access_ttl_s, session_id=family,
            not_before=_aware(not_before) if not_before is not None else None)
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
