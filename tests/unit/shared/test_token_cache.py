import time

import jwt
import pytest

from sipk_shared.auth import CachingTokenVerifier
from sipk_shared.auth import Principal
from sipk_shared.errors import ApiError


class CountingVerifier:
    """Stands in for TokenVerifier: accepts tokens whose `ok` claim is true."""

    def __init__(self):
        self.calls = 0

    def verify(self, token):
        self.calls += 1
        claims = jwt.decode(token, options={"verify_signature": False})
        if not claims.get("ok"):
            raise ApiError(401, "invalid_token", "bad")
        return Principal(nip=claims["sub"], name="", unit=None, roles=(), password_change_required=False,
                         token_id="j")


def token(exp, ok=True, sub="1"):
    return jwt.encode({"sub": sub, "exp": exp, "ok": ok}, "k" * 32, algorithm="HS256")


def test_verified_tokens_are_remembered_until_they_expire():
    now = [1_000.0]
    inner = CountingVerifier()
    cache = CachingTokenVerifier(inner, clock=lambda: now[0])
    t = token(exp=1_060)
    assert cache.verify(t).nip == "1" and cache.verify(t).nip == "1"
    assert inner.calls == 1 and cache.hits == 1
    now[0] = 1_060.0  # expired: verified again by the real verifier (which decides)
    cache.verify(t)
    assert inner.calls == 2


def test_failures_are_never_cached_and_the_cache_is_bounded():
    inner = CountingVerifier()
    cache = CachingTokenVerifier(inner, max_entries=3, clock=lambda: 0.0)
    bad = token(exp=int(time.time()) + 60, ok=False)
    for _ in range(2):
        with pytest.raises(ApiError):
            cache.verify(bad)
    assert inner.calls == 2
    for i in range(5):
        cache.verify(token(exp=100, sub=str(i)))
    assert len(cache._cache) <= 3
