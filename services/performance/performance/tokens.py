"""A per-process cache of verified access tokens, in front of sipk_shared's TokenVerifier.

Profiling POST /me/heartbeat showed token verification at about a third of
the request's CPU (Ed25519 verify plus PyJWT's base64 checks, ~0.45 ms on the
dev machine). The app sends the same access token every minute for its whole
15-minute life, so the result of verifying it is remembered until the
token's own ``exp``: a cached token is never accepted after it expires, and
failures are never cached. The cache holds at most ``max_entries`` tokens (in
memory only, never logged) and is simply emptied when full.
"""
from __future__ import annotations

import threading
import time

import jwt

from sipk_shared.auth import Principal, TokenVerifier


class CachingTokenVerifier:
    def __init__(self, verifier: TokenVerifier, *, max_entries: int = 20_000, clock=time.time):
        self._verifier = verifier
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
        return principal
