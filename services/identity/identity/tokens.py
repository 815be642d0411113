"""Access tokens (EdDSA JWTs) and opaque refresh tokens."""
from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from datetime import datetime, timedelta, timezone

import jwt

from .keys import SigningKey


def issue_access_token(key: SigningKey, *, nip: str, name: str, unit: str | None, roles: list[str],
                       password_change_required: bool, issuer: str, audience: str, ttl_s: int,
                       now: datetime | None = None, session_id: str | None = None,
                       not_before: datetime | None = None) -> str:
    """``sid`` names the sign-in (refresh-token family) so that signing out ends its access tokens
    too; ``iat`` is never below the NIP's ``not_before`` (whole seconds, see
    sipk_shared.revocations), so a token issued right after a revocation is not refused by it."""
    now = now or datetime.now(timezone.utc)
    iat = int(now.timestamp())
    if not_before is not None:
        iat = max(iat, int(not_before.timestamp()))
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": nip,
        "name": name,
        "unit": unit,
        "roles": roles,
        "typ": "access",
        "iat": iat,
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if session_id:
        claims["sid"] = session_id
    if password_change_required:
        claims["pcr"] = True
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


def revocation_instant(now: datetime | None = None) -> datetime:
    """The "not before" of a revocation happening now: rounded up to the next whole second (``iat``
    has seconds), so every token issued up to now is below it."""
    now = now or datetime.now(timezone.utc)
    return datetime.fromtimestamp(math.floor(now.timestamp()) + 1, tz=timezone.utc)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_id(token: str) -> str:
    """Only the hash is stored, so a database leak yields no usable tokens."""
    return hashlib.sha256(token.encode()).hexdigest()
