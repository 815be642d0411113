"""Account security: password change and reset, forced change, sign-out, lockout, deactivation.

Sign-ins go straight to identity (the gateway rate-limits /auth/login per IP);
everything else goes through the gateway.
"""
from __future__ import annotations

import os
import pathlib
import time
import uuid

import pytest
import requests

from conftest import random_nip, IDENTITY_DIRECT, bearer, login_direct
from support import elsewhere

pytestmark = pytest.mark.e2e

API = "/api/identity/v1"
PASSWORD = "Rahasia-Kuat-2020"



CLIENT = elsewhere()  # this module's failed sign-ins come from an address of their own


def login(nip, password):
    return CLIENT.post(f"{IDENTITY_DIRECT}{API}/auth/login", json={"nip": nip, "password": password}, timeout=10)


@pytest.fixture()
def employee(admin):
    """A fresh employee with PASSWORD, through the API."""
    resp = admin.post(f"{admin.base}/employees", json={
        "nip": random_nip(), "name": f"Akun {uuid.uuid4().hex[:6]}", "unit_code": "BKPSDM",
        "position": "Pranata Komputer", "password": PASSWORD})
    assert resp.status_code == 201, resp.text
    return resp.json()


def assert_error(resp, status, error):
    assert resp.status_code == status, resp.text
    assert resp.json()["error"] == error
    return resp.json()


def change(gateway, token, old, new):
    return requests.post(f"{gateway}{API}/me/password", headers=bearer(token),
                         json={"old_password": old, "new_password": new})


def test_change_password_rules(gateway, employee):
    nip = employee["nip"]
    token = login_direct(nip, PASSWORD)["access_token"]
    assert_error(change(gateway, token, "wrong-old-password", "Another-Good-One-1"), 422, "wrong_password")
    body = assert_error(change(gateway, token, PASSWORD, "short9"), 422, "weak_password")
    assert "10" in body["message"] and "new_password" in body["errors"]
    assert_error(change(gateway, token, PASSWORD, nip), 422, "weak_password")
    assert_error(change(gateway, token, PASSWORD, PASSWORD), 422, "weak_password")
    resp = requests.post(f"{gateway}{API}/me/password", headers=bearer(token), json={"new_password": "x" * 12})
    assert_error(resp, 422, "validation_failed")
    assert login(nip, PASSWORD).status_code == 200  # nothing changed so far


def test_change_password_works_and_ends_other_sessions(gateway, employee):
    nip = employee["nip"]
    old_pair = login_direct(nip, PASSWORD)
    resp = change(gateway, old_pair["access_token"], PASSWORD, "Sandi-Baru-Sekali-9")
    assert resp.status_code == 200, resp.text
    assert set(resp.json()) >= {"access_token", "refresh_token"} and "password_change_required" not in resp.json()
    assert_error(login(nip, PASSWORD), 401, "invalid_credentials")
    assert login(nip, "Sandi-Baru-Sekali-9").status_code == 200
    refused = requests.post(f"{gateway}{API}/auth/refresh", json={"refresh_token": old_pair["refresh_token"]})
    assert refused.status_code == 401


def test_reset_gives_one_time_password_that_forces_a_change(admin, gateway, identity_db, employee):
    nip = employee["nip"]
    before = login_direct(nip, PASSWORD)
    reset = admin.post(f"{admin.base}/employees/{nip}/password-reset")
    assert reset.status_code == 200, reset.text
    temporary = reset.json()["temporary_password"]
    assert len(temporary) >= 10 and reset.json()["password_change_required"] is True
    assert temporary not in str(identity_db.employees.find_one({"_id": nip}))
    # the old password and the old sessions are gone
    assert_error(login(nip, PASSWORD), 401, "invalid_credentials")
    assert requests.post(f"{gateway}{API}/auth/refresh",
                         json={"refresh_token": before["refresh_token"]}).status_code == 401
    pair = login(nip, temporary).json()
    assert pair["password_change_required"] is True
    token = pair["access_token"]
    assert_error(requests.get(f"{gateway}{API}/units", headers=bearer(token)), 403, "password_change_required")
    assert_error(requests.get(f"{gateway}{API}/employees/{nip}", headers=bearer(token)), 403,
                 "password_change_required")
    me = requests.get(f"{gateway}{API}/me", headers=bearer(token))
    assert me.status_code == 200 and me.json()["password_change_required"] is True
    changed = change(gateway, token, temporary, "Sandi-Pilihan-Saya-7")
    assert changed.status_code == 200, changed.text
    fresh = changed.json()["access_token"]
    assert requests.get(f"{gateway}{API}/units", headers=bearer(fresh)).status_code == 200
    again = login(nip, "Sandi-Pilihan-Saya-7").json()
    assert "password_change_required" not in again
    assert_error(login(nip, temporary), 401, "invalid_credentials")  # one-time


def test_imported_employee_has_no_password_until_reset(admin, employee):
    # an employee created without a password cannot sign in with anything
    resp = admin.post(f"{admin.base}/employees", json={
        "nip": random_nip(), "name": "Tanpa Sandi", "unit_code": "BKPSDM", "position": "Analis"})
    assert resp.status_code == 201 and resp.json()["has_password"] is False
    assert_error(login(resp.json()["nip"], ""), 422, "validation_failed")
    assert_error(login(resp.json()["nip"], "anything-at-all"), 401, "invalid_credentials")
    assert_error(admin.post(f"{admin.base}/employees/{random_nip()}/password-reset"), 404, "employee_not_found")


def test_refresh_rotation_reuse_and_logout(gateway, employee):
    pair = login_direct(employee["nip"], PASSWORD)
    url = f"{gateway}{API}/auth"
    second = requests.post(f"{url}/refresh", json={"refresh_token": pair["refresh_token"]})
    assert second.status_code == 200
    # within REFRESH_REUSE_GRACE_S (2 s) a second use is a concurrent refresh (409, nothing ends) ...
    assert_error(requests.post(f"{url}/refresh", json={"refresh_token": pair["refresh_token"]}), 409,
                 "refresh_in_progress")
    time.sleep(2.5)
    # ... after it, a stolen copy
    assert_error(requests.post(f"{url}/refresh", json={"refresh_token": pair["refresh_token"]}), 401,
                 "refresh_token_reused")
    # reuse killed the family: the newer token is dead too
    assert requests.post(f"{url}/refresh", json={"refresh_token": second.json()["refresh_token"]}).status_code == 401
    third = login_direct(employee["nip"], PASSWORD)
    assert requests.post(f"{url}/logout", json={"refresh_token": third["refresh_token"]}).status_code == 204
    assert requests.post(f"{url}/refresh", json={"refresh_token": third["refresh_token"]}).status_code == 401


def test_deactivated_employee_cannot_sign_in_and_refresh_stops_at_once(admin, gateway, employee):
    nip = employee["nip"]
    pair = login_direct(nip, PASSWORD)
    assert admin.post(f"{admin.base}/employees/{nip}/deactivate").status_code == 200
    assert_error(requests.post(f"{gateway}{API}/auth/refresh", json={"refresh_token": pair["refresh_token"]}),
                 401, "invalid_refresh_token")
    assert_error(login(nip, PASSWORD), 401, "invalid_credentials")
    # identity checks the stored account, not only the 15-minute token
    assert_error(requests.get(f"{gateway}{API}/me", headers=bearer(pair["access_token"])), 401, "invalid_token")
    assert_error(admin.post(f"{admin.base}/employees/{nip}/password-reset"), 409, "employee_inactive")


def test_lockout_after_five_failures(employee):
    nip = employee["nip"]
    for _ in range(5):
        assert_error(login(nip, "wrong-password-x"), 401, "invalid_credentials")
    assert_error(login(nip, PASSWORD), 429, "too_many_attempts")


def test_no_password_or_hash_in_responses_or_logs(admin, gateway, employee):
    nip = employee["nip"]
    reset = admin.post(f"{admin.base}/employees/{nip}/password-reset").json()["temporary_password"]
    token = login_direct(nip, reset)["access_token"]
    change(gateway, token, reset, "Log-Check-Sandi-42")
    for resp in (admin.get(f"{admin.base}/employees/{nip}"), admin.get(f"{admin.base}/employees",
                                                                        params={"q": nip})):
        assert "argon2" not in resp.text and "password_hash" not in resp.text
    run_dir = pathlib.Path(os.environ.get("SIPK_RUN_DIR") or pathlib.Path(__file__).resolve().parents[2] / ".run")
    text = (run_dir / "logs" / "identity.log").read_text(errors="replace")
    assert nip in text  # the log is the right one: it saw this employee sign in
    for secret in (PASSWORD, reset, "Log-Check-Sandi-42", "$argon2"):
        assert secret not in text
