"""Sign-in rules against the running identity service and its real database.

Many sign-ins: these go to identity directly (the gateway limits logins per IP).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from support import RUN_DIR, ADMIN_NIP, GATEWAY, IDENTITY_DIRECT, bearer, login_direct, elsewhere, random_nip

pytestmark = pytest.mark.e2e

LOGIN = f"{IDENTITY_DIRECT}/api/identity/v1/auth/login"


CLIENT = elsewhere()  # this module's failed sign-ins come from an address of their own


def post_login(body, **kw):
    return CLIENT.post(LOGIN, timeout=10, **kw, **({"json": body} if body is not None else {}))


def test_wrong_password_and_unknown_nip_get_the_same_answer(make_employee):
    emp = make_employee()
    wrong = post_login({"nip": emp["nip"], "password": "not-the-password"})
    unknown = post_login({"nip": random_nip(), "password": "not-the-password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == "invalid_credentials"


def test_lockout_after_five_failures_even_with_the_right_password(make_employee, identity_db):
    emp = make_employee()
    for _ in range(5):
        assert post_login({"nip": emp["nip"], "password": "wrong-password!"}).status_code == 401
    locked = post_login({"nip": emp["nip"], "password": emp["password"]})
    assert locked.status_code == 429
    assert locked.json()["error"] == "too_many_attempts"
    # Another employee is not affected.
    other = make_employee()
    assert post_login({"nip": other["nip"], "password": other["password"]}).status_code == 200


def test_inactive_employee_cannot_sign_in(make_employee):
    emp = make_employee(active=False)
    resp = post_login({"nip": emp["nip"], "password": emp["password"]})
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_credentials"


def test_forced_password_change_blocks_other_routes(make_employee, identity_db):
    emp = make_employee()
    identity_db.employees.update_one({"_id": emp["nip"]}, {"$set": {"password_change_required": True}})
    pair = login_direct(emp["nip"], emp["password"])
    assert pair["password_change_required"] is True
    me = requests.get(f"{GATEWAY}/api/identity/v1/me", headers=bearer(pair["access_token"]), timeout=5)
    assert me.status_code == 200 and me.json()["nip"] == emp["nip"]
    for path in ("/api/presence/v1/whoami", "/api/performance/v1/whoami"):
        resp = requests.get(GATEWAY + path, headers=bearer(pair["access_token"]), timeout=5)
        assert resp.status_code == 403 and resp.json()["error"] == "password_change_required"


@pytest.mark.parametrize("raw, content_type, status", [
    ('{"nip": "198001012005011001", "password": ', "application/json", 400),      # malformed JSON
    ('{"nip": 198001012005011001, "password": "x"}', "application/json", 422),    # wrong type
    ('{"nip": {"$gt": ""}, "password": "x"}', "application/json", 422),            # operator injection
    ('{"nip": "198001012005011001", "password": {"$ne": null}}', "application/json", 422),
    ('{"nip": "198001012005011001", "password": "x", "role": "admin"}', "application/json", 422),  # unknown
    ('["198001012005011001", "x"]', "application/json", 422),                       # not an object
    ('{"nip": "198001012005011001", "password": NaN}', "application/json", 400),       # NaN is not JSON
])
def test_bad_login_input_is_4xx_json_and_stores_nothing(identity_db, raw, content_type, status):
    before = identity_db.login_failures.count_documents({})
    resp = requests.post(LOGIN, data=raw, headers={"Content-Type": content_type}, timeout=5)
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"] == status and body["error"] in {"invalid_json", "validation_failed"}
    assert identity_db.login_failures.count_documents({}) == before
    assert identity_db.refresh_tokens.count_documents({"nip": {"$type": "object"}}) == 0


def test_oversized_login_body_is_413_json():
    resp = requests.post(f"{GATEWAY}/api/identity/v1/auth/refresh", data="x" * 2_000_000,
                         headers={"Content-Type": "application/json"}, timeout=10)
    assert resp.status_code == 413 and resp.json()["code"] == 413


def test_bootstrap_admin_is_created_once(identity_db):
    from identity.bootstrap import ensure_bootstrap_admin
    from identity.store import IdentityStore

    assert ensure_bootstrap_admin(IdentityStore(identity_db), ADMIN_NIP, "another-password-x") is False
    assert identity_db.employees.count_documents({"_id": ADMIN_NIP}) == 1


def test_no_password_hash_or_token_reaches_logs_or_responses(make_employee):
    emp = make_employee()
    pair = login_direct(emp["nip"], emp["password"])
    me = requests.get(f"{GATEWAY}/api/identity/v1/me", headers=bearer(pair["access_token"]), timeout=5).json()
    assert "password_hash" not in me and "password" not in me
    logs = "".join(p.read_text(errors="replace") for p in (Path(RUN_DIR) / "logs").glob("identity*.log"))
    assert emp["password"] not in logs
    assert "$argon2" not in logs
    assert pair["refresh_token"] not in logs and pair["access_token"] not in logs


def test_employee_events_reach_presence_and_performance_copies(make_employee, mongo_client):
    """identity outbox → relay → RabbitMQ → presence and performance workers → their own DBs."""
    from support import wait_until

    boss = make_employee(name="Kepala Bidang")
    emp = make_employee(supervisor_nip=boss["nip"])
    for db in ("presence", "performance"):
        copy = wait_until(lambda db=db: mongo_client[db].employees.find_one({"_id": emp["nip"]}), 10,
                          message=f"{db} copy of the employee")
        assert copy["supervisor_nip"] == boss["nip"] and copy["unit_code"] == emp["unit_code"]
        assert "password_hash" not in copy
