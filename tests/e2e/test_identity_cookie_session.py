"""The web app's session: the refresh token in an HttpOnly cookie (X-Token-Transport: cookie).

Sign-ins go to identity directly (the gateway limits logins per IP); refresh
and logout go through the gateway, as the browser's do.
"""
from __future__ import annotations

import time

import pytest
import requests

from support import GATEWAY, IDENTITY_DIRECT, bearer

pytestmark = pytest.mark.e2e

AUTH = "/api/identity/v1/auth"
COOKIE_MODE = {"X-Token-Transport": "cookie"}


def set_cookie(resp) -> dict:
    """The sipk_refresh Set-Cookie of an answer: {"value": ..., attribute (lower case): value or True}."""
    headers = [v for k, v in resp.raw.headers.items() if k.lower() == "set-cookie"]
    mine = [h for h in headers if h.startswith("sipk_refresh=")]
    assert len(mine) == 1, headers
    first, *attrs = [part.strip() for part in mine[0].split(";")]
    out = {"value": first.split("=", 1)[1]}
    for attr in attrs:
        name, _, value = attr.partition("=")
        out[name.lower()] = value or True
    return out


def cookie_login(emp, base=IDENTITY_DIRECT, **headers):
    resp = requests.post(f"{base}{AUTH}/login", json={"nip": emp["nip"], "password": emp["password"]},
                         headers={**COOKIE_MODE, **headers}, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp


def refresh_with(cookie_value, **headers):
    return requests.post(f"{GATEWAY}{AUTH}/refresh", json={}, cookies={"sipk_refresh": cookie_value},
                         headers=headers, timeout=10)


def test_login_puts_the_refresh_token_only_in_an_httponly_strict_cookie(make_employee):
    emp = make_employee()
    resp = cookie_login(emp)
    body = resp.json()
    assert "refresh_token" not in body and body["access_token"] and body["token_type"] == "Bearer"
    cookie = set_cookie(resp)
    assert len(cookie["value"]) > 20
    assert cookie["httponly"] is True and cookie["samesite"] == "Strict"
    assert cookie["path"] == AUTH and int(cookie["max-age"]) > 86400
    assert "secure" not in cookie  # plain HTTP here; over HTTPS it is Secure:
    secure = set_cookie(cookie_login(emp, **{"X-Forwarded-Proto": "https"}))
    assert secure["secure"] is True
    # The access token works.
    me = requests.get(f"{GATEWAY}/api/identity/v1/me", headers=bearer(body["access_token"]), timeout=10)
    assert me.status_code == 200 and me.json()["nip"] == emp["nip"]


def test_refresh_rotates_the_cookie_and_a_spent_one_is_refused(make_employee):
    emp = make_employee()
    first = set_cookie(cookie_login(emp))["value"]
    resp = refresh_with(first, **COOKIE_MODE)
    assert resp.status_code == 200, resp.text
    assert "refresh_token" not in resp.json() and resp.json()["access_token"]
    second = set_cookie(resp)["value"]
    assert second != first
    # within REFRESH_REUSE_GRACE_S (2 s) it is another tab's concurrent refresh: 409, the cookie stays
    concurrent = refresh_with(first, **COOKIE_MODE)
    assert concurrent.status_code == 409 and concurrent.json()["error"] == "refresh_in_progress"
    assert "sipk_refresh" not in concurrent.headers.get("Set-Cookie", "")
    time.sleep(2.5)
    again = refresh_with(first, **COOKIE_MODE)
    assert again.status_code == 401 and again.json()["error"] == "refresh_token_reused"
    assert set_cookie(again)["max-age"] == "0"  # the dead cookie is cleared
    # Reuse revoked the family: the newer cookie is dead too.
    assert refresh_with(second, **COOKIE_MODE).status_code == 401


def test_the_cookie_is_ignored_without_the_header(make_employee):
    """CSRF: a cross-site form can send neither the header nor (SameSite=Strict) the cookie."""
    emp = make_employee()
    value = set_cookie(cookie_login(emp))["value"]
    resp = refresh_with(value)
    assert resp.status_code == 422 and resp.json()["error"] == "validation_failed"
    form = requests.post(f"{GATEWAY}{AUTH}/refresh", data={"x": "1"}, cookies={"sipk_refresh": value}, timeout=10)
    assert form.status_code in (415, 422) and "access_token" not in form.text
    assert refresh_with(value, **COOKIE_MODE).status_code == 200  # still valid: nothing was spent


def test_refresh_without_a_cookie_is_401_and_the_json_flow_is_unchanged(make_employee):
    resp = requests.post(f"{GATEWAY}{AUTH}/refresh", json={}, headers=COOKIE_MODE, timeout=10)
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_refresh_token"
    emp = make_employee()
    pair = requests.post(f"{IDENTITY_DIRECT}{AUTH}/login", json={"nip": emp["nip"], "password": emp["password"]},
                         timeout=10)
    assert pair.status_code == 200 and pair.json()["refresh_token"]
    assert "sipk_refresh" not in pair.headers.get("Set-Cookie", "")
    rotated = requests.post(f"{GATEWAY}{AUTH}/refresh", json={"refresh_token": pair.json()["refresh_token"]},
                            timeout=10)
    assert rotated.status_code == 200 and rotated.json()["refresh_token"]


def test_logout_clears_the_cookie_and_revokes_the_session(make_employee):
    emp = make_employee()
    value = set_cookie(cookie_login(emp))["value"]
    resp = requests.post(f"{GATEWAY}{AUTH}/logout", json={}, cookies={"sipk_refresh": value}, headers=COOKIE_MODE,
                         timeout=10)
    assert resp.status_code == 204
    assert set_cookie(resp)["max-age"] == "0"
    assert refresh_with(value, **COOKIE_MODE).status_code == 401


def test_password_change_in_cookie_mode_sets_a_fresh_cookie(make_employee):
    emp = make_employee()
    access = cookie_login(emp).json()["access_token"]
    resp = requests.post(f"{GATEWAY}/api/identity/v1/me/password",
                         json={"old_password": emp["password"], "new_password": "Ganti-Sandi-2026!"},
                         headers={**bearer(access), **COOKIE_MODE}, timeout=10)
    assert resp.status_code == 200, resp.text
    assert "refresh_token" not in resp.json()
    assert refresh_with(set_cookie(resp)["value"], **COOKIE_MODE).status_code == 200
