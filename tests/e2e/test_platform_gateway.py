"""The platform through the gateway: health, OpenAPI, sign-in, token checks by every service."""
from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import jwt
import pytest
import requests
from openapi_spec_validator import validate

from support import RUN_DIR, ADMIN_NIP, ADMIN_PASSWORD, GATEWAY, IDENTITY_DIRECT, bearer, login_direct, elsewhere, random_nip

pytestmark = pytest.mark.e2e

SERVICES = ("identity", "presence", "performance")
WHOAMI = {"identity": "/api/identity/v1/me", "presence": "/api/presence/v1/whoami",
          "performance": "/api/performance/v1/whoami"}


def assert_json_error(resp, status, error=None):
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert body["code"] == status and isinstance(body["message"], str) and body["status"]
    if error:
        assert body["error"] == error
    return body


@pytest.mark.parametrize("svc", SERVICES)
def test_health_and_readiness(svc):
    assert requests.get(f"{GATEWAY}/api/{svc}/healthz", timeout=5).json()["status"] == "ok"
    resp = requests.get(f"{GATEWAY}/api/{svc}/readyz", timeout=5)
    assert resp.status_code == 200
    body = resp.json()
    assert body["checks"]["database"] == "ok"
    assert body["details"]["broker"] == "reachable"
    assert isinstance(body["details"]["outbox_backlog"], int)


@pytest.mark.parametrize("svc", SERVICES)
def test_openapi_is_valid_openapi3_and_docs_are_served(svc):
    spec = requests.get(f"{GATEWAY}/api/{svc}/openapi.json", timeout=5).json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert any(path.startswith(f"/api/{svc}/v1/") for path in spec["paths"])
    docs = requests.get(f"{GATEWAY}/api/{svc}/docs", timeout=5)
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


@pytest.fixture(scope="module")
def gateway_login():
    """The one sign-in through the gateway (it rate-limits logins per IP)."""
    resp = requests.post(f"{GATEWAY}/api/identity/v1/auth/login",
                         json={"nip": ADMIN_NIP, "password": ADMIN_PASSWORD}, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_admin_login_through_gateway_gives_a_jwt_every_service_accepts(gateway_login):
    assert gateway_login["token_type"] == "Bearer" and gateway_login["expires_in"] == 900
    claims = jwt.decode(gateway_login["access_token"], options={"verify_signature": False})
    assert claims["sub"] == ADMIN_NIP and "admin" in claims["roles"]
    assert {"sub", "name", "unit", "roles", "iat", "exp", "jti"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 900
    for svc, path in WHOAMI.items():
        resp = requests.get(GATEWAY + path, headers=bearer(gateway_login["access_token"]), timeout=5)
        assert resp.status_code == 200, (svc, resp.text)
        assert resp.json()["nip"] == ADMIN_NIP


def _forged_tokens(valid: str) -> dict[str, str]:
    head, payload, sig = valid.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "199001012015011001"
    tampered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    none_head = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    # An expired token signed with the real development key: only `exp` is wrong.
    from identity.keys import load_signing_key

    key = load_signing_key(str(Path(RUN_DIR) / "secrets/jwt_ed25519.pem"))
    now = int(time.time())
    expired = jwt.encode({**claims, "sub": ADMIN_NIP, "iat": now - 3600, "exp": now - 1800},
                         key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
    return {"tampered": f"{head}.{tampered}.{sig}", "alg_none": f"{none_head}.{payload}.",
            "expired": expired, "garbage": "not-a-token"}


@pytest.mark.parametrize("svc", SERVICES)
def test_bad_tokens_get_401_json_from_every_service(gateway_login, svc):
    for kind, token in _forged_tokens(gateway_login["access_token"]).items():
        resp = requests.get(GATEWAY + WHOAMI[svc], headers=bearer(token), timeout=5)
        body = assert_json_error(resp, 401)
        if kind == "expired":
            assert body["error"] == "token_expired"
    assert_json_error(requests.get(GATEWAY + WHOAMI[svc], timeout=5), 401, "missing_token")


def test_refresh_rotates_and_reuse_revokes_the_family():
    pair = login_direct(ADMIN_NIP, ADMIN_PASSWORD)
    url = f"{GATEWAY}/api/identity/v1/auth/refresh"
    second = requests.post(url, json={"refresh_token": pair["refresh_token"]}, timeout=5)
    assert second.status_code == 200
    new = second.json()
    assert new["refresh_token"] != pair["refresh_token"]
    assert requests.get(f"{GATEWAY}/api/presence/v1/whoami", headers=bearer(new["access_token"]),
                        timeout=5).status_code == 200
    # The spent token comes back (later than a concurrent refresh, REFRESH_REUSE_GRACE_S = 2 s):
    # 401 and the whole family dies, including the new one.
    time.sleep(2.5)
    assert_json_error(requests.post(url, json={"refresh_token": pair["refresh_token"]}, timeout=5), 401,
                      "refresh_token_reused")
    assert_json_error(requests.post(url, json={"refresh_token": new["refresh_token"]}, timeout=5), 401)


def test_logout_revokes_the_refresh_token():
    pair = login_direct(ADMIN_NIP, ADMIN_PASSWORD)
    resp = requests.post(f"{GATEWAY}/api/identity/v1/auth/logout", json={"refresh_token": pair["refresh_token"]},
                         timeout=5)
    assert resp.status_code == 204
    assert_json_error(requests.post(f"{GATEWAY}/api/identity/v1/auth/refresh",
                                    json={"refresh_token": pair["refresh_token"]}, timeout=5), 401)


def test_unknown_refresh_token_is_401():
    assert_json_error(requests.post(f"{GATEWAY}/api/identity/v1/auth/refresh",
                                    json={"refresh_token": "x" * 43}, timeout=5), 401, "invalid_refresh_token")


def test_gateway_json_errors_and_request_id():
    body = assert_json_error(requests.get(f"{GATEWAY}/api/nothing-here", timeout=5), 404)
    assert body["error"] == "not_found"
    assert_json_error(requests.get(f"{GATEWAY}/api/identity/v1/nothing", timeout=5), 404, "not_found")
    assert_json_error(requests.delete(f"{GATEWAY}/api/identity/v1/auth/login", timeout=5), 405)
    resp = requests.get(f"{GATEWAY}/api/presence/healthz", headers={"X-Request-ID": "e2e-req-0001"}, timeout=5)
    assert resp.headers["X-Request-ID"] == "e2e-req-0001"
    assert len(requests.get(f"{GATEWAY}/api/presence/healthz", timeout=5).headers["X-Request-ID"]) >= 16


def test_web_app_placeholder_is_served_at_root():
    resp = requests.get(f"{GATEWAY}/", timeout=5)
    assert resp.status_code == 200 and "Si Pelawan" in resp.text
    assert resp.headers.get("X-Content-Type-Options") == "nosniff"


def test_login_direct_matches_gateway_contract():
    """identity answers the same on its own port: the gateway only routes."""
    # An unknown NIP, not the admin's: failures count toward the admin's lockout.
    resp = elsewhere().post(f"{IDENTITY_DIRECT}/api/identity/v1/auth/login",
                            json={"nip": random_nip(), "password": "wrong-password"}, timeout=5)
    assert_json_error(resp, 401, "invalid_credentials")
