"""Access tokens (EdDSA JWTs) and opaque refresh tokens."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta, timezone

import jwt

from .keys import SigningKey


def issue_access_token(key: SigningKey, *, nip: str, name: str, unit: str | None, roles: list[str],
                       password_change_required: bool, issuer: str, audience: str, ttl_s: int,
                       now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": nip,
        "name": name,
        "unit": unit,
        "roles": roles,
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if password_change_required:
        claims["pcr"] = True
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_id(token: str) -> str:
    """Only the hash is stored, so a database leak yields no usable tokens."""
    return hashlib.sha256(token.encode()).hexdigest()
