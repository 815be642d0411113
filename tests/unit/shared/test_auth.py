"""Token verification: signature, expiry, issuer/audience, alg tricks."""
from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sipk_shared.auth import JwksKeySource, StaticKeySource, TokenVerifier
from sipk_shared.errors import ApiError

KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
KID = "k1"


def claims(**over):
    now = int(time.time())
    base = {"iss": "sipk-identity", "aud": "sipk", "sub": "198503302010011002", "name": "Ani", "unit": "BKPSDM",
            "roles": ["employee"], "typ": "access", "iat": now, "exp": now + 900, "jti": "j1"}
    base.update(over)
    return base


def sign(c, key=KEY, kid=KID, alg="EdDSA"):
    return jwt.encode(c, key, algorithm=alg, headers={"kid": kid})


@pytest.fixture()
def verifier():
    return TokenVerifier(StaticKeySource({KID: KEY.public_key()}), issuer="sipk-identity", audience="sipk")


def rejected(verifier, token, error="invalid_token"):
    with pytest.raises(ApiError) as info:
        verifier.verify(token)
    assert info.value.status == 401
    assert info.value.error == error


def test_valid_token(verifier):
    p = verifier.verify(sign(claims()))
    assert (p.nip, p.name, p.unit, p.roles, p.password_change_required) == (
        "198503302010011002", "Ani", "BKPSDM", ("employee",), False)


def test_password_change_claim(verifier):
    assert verifier.verify(sign(claims(pcr=True))).password_change_required is True


def test_expired(verifier):
    now = int(time.time())
    rejected(verifier, sign(claims(iat=now - 2000, exp=now - 1000)), "token_expired")


@pytest.mark.parametrize("over", [{"iss": "evil"}, {"aud": "other"}, {"typ": "refresh"}, {"roles": "admin"}])
def test_wrong_claims(verifier, over):
    rejected(verifier, sign(claims(**over)))


def test_missing_required_claims(verifier):
    c = claims()
    del c["jti"]
    rejected(verifier, sign(c))


def test_signed_by_other_key_with_same_kid(verifier):
    rejected(verifier, sign(claims(), key=OTHER))


def test_unknown_kid(verifier):
    rejected(verifier, sign(claims(), kid="nope"))


def test_tampered_payload(verifier):
    head, payload, sig = sign(claims()).split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=="))
    data["roles"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    rejected(verifier, f"{head}.{forged}.{sig}")


def test_alg_none(verifier):
    head = base64.urlsafe_b64encode(json.dumps({"alg": "none", "kid": KID}).encode()).rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=").decode()
    rejected(verifier, f"{head}.{body}.")


def test_hmac_with_public_key_as_secret(verifier):
    public_pem = KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    head = {"alg": "HS256", "kid": KID, "typ": "JWT"}
    import hashlib
    import hmac
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    signing_input = f"{enc(head)}.{enc(claims())}"
    sig = base64.urlsafe_b64encode(hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()).rstrip(b"=")
    rejected(verifier, f"{signing_input}.{sig.decode()}")


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "x" * 5000])
def test_garbage(verifier, garbage):
    rejected(verifier, garbage)


def test_jwks_source_refreshes_on_unknown_kid_and_caches():
    calls = []
    pub = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"kty": "OKP", "crv": "Ed25519", "kid": KID, "x": base64.urlsafe_b64encode(pub).rstrip(b"=").decode()}

    def fetch(url):
        calls.append(url)
        return {"keys": [jwk]}

    source = JwksKeySource("http://x/jwks", fetch=fetch, min_refresh_interval_s=60)
    v = TokenVerifier(source, issuer="sipk-identity", audience="sipk")
    assert v.verify(sign(claims())).nip == "198503302010011002"
    assert v.verify(sign(claims())).nip == "198503302010011002"
    assert len(calls) == 1  # cached
    rejected(v, sign(claims(), kid="rotated"))
    assert len(calls) == 1  # unknown kid within the min interval does not hammer identity
