"""Access-token verification against identity's JWKS, shared by every service.

Tokens are EdDSA (Ed25519) JWTs signed by identity. Only the algorithms we
issue are accepted, so `alg: none` and HMAC-with-the-public-key tricks fail.
"""
from __future__ import annotations

import functools
import json
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import Callable, Iterable

import jwt
from flask import current_app, g, request

from .errors import ApiError
from .i18n import Msg

log = logging.getLogger(__name__)

ALGORITHMS = ["EdDSA"]


@dataclass(frozen=True)
class Principal:
    nip: str
    name: str
    unit: str | None
    roles: tuple[str, ...]
    password_change_required: bool
    token_id: str
    issued_at: float = 0.0           # the token's iat
    session_id: str | None = None    # the sign-in (refresh-token family) it belongs to

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


class JwksKeySource:
    """Fetches and caches the JWKS; refetches on an unknown kid (rate-limited)."""

    def __init__(self, url: str, *, ttl_s: float = 300.0, min_refresh_interval_s: float = 10.0,
                 fetch: Callable[[str], dict] | None = None):
        self._url = url
        self._ttl = ttl_s
        self._min_interval = min_refresh_interval_s
        self._fetch = fetch or _http_get_json
        self._keys: dict[str, object] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self._fetched_at < self._min_interval and self._keys:
            return
        try:
            document = self._fetch(self._url)
            keys = {}
            for jwk in document.get("keys", []):
                if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and jwk.get("kid"):
                    keys[jwk["kid"]] = jwt.PyJWK(jwk, algorithm="EdDSA").key
            self._keys = keys
        except Exception as exc:  # noqa: BLE001 - keep the old keys; the token will just fail
            log.warning("jwks fetch failed", extra={"fields": {"url": self._url, "error": repr(exc)}})
        finally:
            self._fetched_at = now

    def key_for(self, kid: str):
        with self._lock:
            if not self._keys or time.monotonic() - self._fetched_at > self._ttl or kid not in self._keys:
                self._refresh()
            return self._keys.get(kid)


class StaticKeySource:
    """Identity verifies its own tokens with its own public keys, no HTTP."""

    def __init__(self, keys: dict[str, object]):
        self._keys = dict(keys)

    def key_for(self, kid: str):
        return self._keys.get(kid)


def _http_get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=3) as resp:  # noqa: S310 - url is from config
        return json.loads(resp.read(1_000_000))


class TokenVerifier:
    def __init__(self, key_source, *, issuer: str, audience: str, leeway_s: int = 10):
        self._keys = key_source
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_s

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise _unauthorized(Msg("Token akses rusak.", "The access token is malformed.")) from exc
        if header.get("alg") not in ALGORITHMS:
            raise _unauthorized(Msg("Token akses memakai algoritme yang tidak didukung.",
                                              "The access token uses an unsupported algorithm."))
        kid = header.get("kid")
        key = self._keys.key_for(kid) if isinstance(kid, str) else None
        if key is None:
            raise _unauthorized(Msg("Token akses ditandatangani kunci yang tidak dikenal.",
                                              "The access token was signed by an unknown key."))
        try:
            claims = jwt.decode(token, key, algorithms=ALGORITHMS, audience=self._audience, issuer=self._issuer,
                                leeway=self._leeway, options={"require": ["exp", "iat", "sub", "jti"]})
        except jwt.ExpiredSignatureError as exc:
            raise _unauthorized(Msg("Token akses sudah kedaluwarsa.", "The access token has expired."),
                                error="token_expired") from exc
        except jwt.PyJWTError as exc:
            raise _unauthorized(_INVALID) from exc
        if claims.get("typ") != "access":
            raise _unauthorized(Msg("Ini bukan token akses.", "This is not an access token."))
        roles = claims.get("roles") or []
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise _unauthorized(_INVALID)
        iat, sid = claims["iat"], claims.get("sid")
        if not isinstance(iat, (int, float)) or isinstance(iat, bool) or (sid is not None and not isinstance(sid, str)):
            raise _unauthorized(_INVALID)
        return Principal(
            nip=str(claims["sub"]), name=str(claims.get("name", "")), unit=claims.get("unit"),
            roles=tuple(roles), password_change_required=bool(claims.get("pcr", False)),
            token_id=str(claims["jti"]), issued_at=float(iat), session_id=sid,
        )


class CachingTokenVerifier:
    """A per-process cache of verified access tokens, in front of a TokenVerifier.

    Profiling the hot routes (heartbeat, check-in) showed token verification
    at about a third of a request's CPU (Ed25519 verify plus PyJWT's checks,
    ~0.45 ms on the dev machine). Apps send the same access token for its whole
    15-minute life, so a verification is remembered until the token's own
    ``exp``: a cached token is never accepted after it expires, and failures
    are never cached. At most ``max_entries`` tokens (memory only, never
    logged); the cache is simply emptied when full.

    With ``revocations`` (sipk_shared.revocations.RevocationList), every call,
    cached or not, also refuses a token issued before its NIP's or session's
    "not before" (401 ``token_revoked``).
    """
    def __init__(self, verifier: TokenVerifier, *, max_entries: int = 20_000, clock=time.time,
                 revocations=None):
        self._verifier = verifier
        self._revocations = revocations
        self._max = max_entries
        self._clock = clock
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()
        self.hits = 0

    def verify(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None:
            principal, exp = cached
            if self._clock() < exp:
                self.hits += 1
                if self._revocations is not None:
                    self._revocations.check(principal)
                return principal
            with self._lock:
                self._cache.pop(token, None)
        principal = self._verifier.verify(token)  # raises ApiError(401) for anything wrong
        exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
        if isinstance(exp, (int, float)):
            with self._lock:
                if len(self._cache) >= self._max:
                    self._cache.clear()
                self._cache[token] = (principal, float(exp))
        if self._revocations is not None:
            self._revocations.check(principal)
        return principal


_INVALID = Msg("Token akses tidak valid.", "The access token is invalid.")


def _unauthorized(message: Msg, *, error: str = "invalid_token") -> ApiError:
    return ApiError(401, error, message)


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "missing_token",
                       Msg("Silakan masuk dahulu: kirim 'Authorization: Bearer <access token>'.",
                           "Sign in first: send 'Authorization: Bearer <access token>'."))
    return token.strip()


def current_principal() -> Principal:
    principal = getattr(g, "principal", None)
    if principal is None:
        raise RuntimeError("route is not protected by auth_required")
    return principal


def auth_required(roles: Iterable[str] | None = None, *, allow_password_change: bool = False):
    """Protect a view: valid token, optional role, and no pending forced password change."""
    needed = set(roles or ())

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            verifier: TokenVerifier = current_app.extensions["sipk_token_verifier"]
            principal = verifier.verify(bearer_token())
            if principal.password_change_required and not allow_password_change:
                raise ApiError(403, "password_change_required",
                               Msg("Ganti dahulu kata sandi sementara Anda.", "Change your temporary password first."))
            if needed and not needed.intersection(principal.roles):
                raise ApiError(403, "forbidden", Msg("Peran Anda tidak mengizinkan ini.", "Your role does not allow this."))
            g.principal = principal
            return view(*args, **kwargs)

        return wrapper

    return decorator
