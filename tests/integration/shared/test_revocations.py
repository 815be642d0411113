"""The per-NIP / per-sign-in "not before" list against the real database, behind the token cache."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sipk_shared import revocations
from sipk_shared.auth import CachingTokenVerifier, StaticKeySource, TokenVerifier
from sipk_shared.errors import ApiError

pytestmark = pytest.mark.integration

KEY = Ed25519PrivateKey.generate()


def token(nip: str, iat: int, sid: str | None = None) -> str:
    claims = {"iss": "i", "aud": "a", "sub": nip, "typ": "access", "iat": iat, "exp": iat + 900,
              "jti": uuid.uuid4().hex, "roles": ["employee"]}
    if sid:
        claims["sid"] = sid
    return jwt.encode(claims, KEY, algorithm="EdDSA", headers={"kid": "k1"})


@pytest.fixture()
def db(fresh_db):
    return fresh_db


@pytest.fixture()
def verifier(db):
    inner = TokenVerifier(StaticKeySource({"k1": KEY.public_key()}), issuer="i", audience="a")
    return CachingTokenVerifier(inner, revocations=revocations.RevocationList(lambda: db, poll_s=0))


def refused(verifier, tok) -> bool:
    try:
        verifier.verify(tok)
        return False
    except ApiError as exc:
        assert (exc.status, exc.error) == (401, "token_revoked")
        return True


def test_tokens_issued_before_the_nips_not_before_are_refused_even_when_cached(db, verifier):
    now = int(datetime.now(timezone.utc).timestamp())
    old, new = token("A", now - 60), token("A", now)
    other = token("B", now - 60)
    assert not refused(verifier, old)   # verified and cached
    revocations.apply(db, {"nip": "A", "not_before": datetime.fromtimestamp(now, timezone.utc).isoformat()})
    assert refused(verifier, old)       # the cached verification does not save it
    assert not refused(verifier, new)   # issued at the not-before second: lives
    assert not refused(verifier, other)


def test_a_sign_in_ended_by_its_sid_refuses_only_its_tokens(db, verifier):
    now = int(datetime.now(timezone.utc).timestamp())
    mine, my_other_device = token("A", now - 5, sid="s1"), token("A", now - 5, sid="s2")
    revocations.apply(db, {"nip": "A", "sid": "s1", "not_before": datetime.fromtimestamp(now, timezone.utc)
                           .isoformat()})
    assert refused(verifier, mine) and not refused(verifier, my_other_device)


def test_events_apply_idempotently_the_later_not_before_wins_and_bad_ones_are_refused(db):
    t1 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for when in (t1 + timedelta(seconds=10), t1, t1 + timedelta(seconds=10)):
        revocations.apply(db, {"nip": "A", "not_before": when.isoformat()})
    doc = db[revocations.COLLECTION].find_one({"_id": "nip:A"})
    assert doc["not_before"].replace(tzinfo=timezone.utc) == t1 + timedelta(seconds=10)
    for bad in ({"not_before": t1.isoformat()}, {"nip": "A"}, {"nip": "A", "not_before": "yesterday"},
                {"nip": "A", "sid": 5, "not_before": t1.isoformat()}):
        with pytest.raises(ValueError):
            revocations.apply(db, bad)
    assert revocations.purge(db) == 1  # long past: no token can be that old any more
