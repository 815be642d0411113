"""Password guessing is slowed without locking the victim out, exactly, with Retry-After.

Before: five wrong passwords locked the NIP for 15 minutes for everyone, even with the right
password, and again every 15 minutes forever; 50 parallel wrong guesses got 12 checks in (5
promised). Now the budgets are per NIP and address, per NIP and per address, and a client that
signed the NIP in before keeps working (identity/throttle.py). Each test signs in from its own
loopback addresses, so the gateway and identity see distinct clients.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from support import GATEWAY, race, random_nip, session_from

pytestmark = pytest.mark.e2e

LOGIN = f"{GATEWAY}/api/identity/v1/auth/login"
_rng = random.SystemRandom()


def fresh_address() -> str:
    """A loopback address nobody used before (locks persist in the database between runs)."""
    return f"127.{_rng.randint(1, 254)}.{_rng.randint(0, 255)}.{_rng.randint(1, 254)}"


def login(address: str, nip: str, password: str):
    return session_from(address).post(LOGIN, json={"nip": nip, "password": password}, timeout=30)


def assert_429(resp):
    assert resp.status_code == 429, resp.text
    assert resp.json()["error"] == "too_many_attempts"
    wait = int(resp.headers["Retry-After"])
    assert wait >= 1 and resp.json()["retry_after_s"] == wait
    minutes = max(1, -(-wait // 60))
    assert f"{minutes} menit" in resp.json()["message"]  # the wait in words, Indonesian by default
    return wait


def test_five_wrong_passwords_lock_that_address_not_the_victim(make_employee):
    victim = make_employee()
    attacker, elsewhere = fresh_address(), fresh_address()
    for _ in range(5):
        assert login(attacker, victim["nip"], "salah-sekali").status_code == 401
    wait = assert_429(login(attacker, victim["nip"], victim["password"]))  # even the right password
    assert 800 <= wait <= 900
    assert login(elsewhere, victim["nip"], victim["password"]).status_code == 200


def test_fifty_parallel_wrong_guesses_get_exactly_five_checks(make_employee):
    victim = make_employee()
    attacker = fresh_address()
    answers = race(50, lambda i: login(attacker, victim["nip"], f"tebakan-{i}"))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(401) == 5 and statuses.count(429) == 45, statuses
    for a in answers:
        if a.status_code == 429:
            assert_429(a)
    assert_429(login(attacker, victim["nip"], victim["password"]))


def test_many_addresses_lock_the_nip_for_new_clients_only(make_employee):
    victim = make_employee()
    home = fresh_address()
    assert login(home, victim["nip"], victim["password"]).status_code == 200  # a known client now
    botnet = [fresh_address() for _ in range(5)]
    for address in botnet:                       # 5 x 4 = 20 failures: the NIP's budget over all addresses
        for _ in range(4):
            assert login(address, victim["nip"], "salah").status_code == 401
    assert_429(login(fresh_address(), victim["nip"], victim["password"]))  # a new client must wait
    assert login(home, victim["nip"], victim["password"]).status_code == 200  # the known one gets in


def test_spraying_from_one_address_locks_that_address_for_new_pairs_only(make_employee):
    colleague = make_employee()
    office = fresh_address()
    assert login(office, colleague["nip"], colleague["password"]).status_code == 200
    newcomer = make_employee()
    answers = [login(office, random_nip(), "Password123") for _ in range(50)]  # one password, 50 NIPs
    assert [a.status_code for a in answers] == [401] * 50
    assert_429(login(office, newcomer["nip"], newcomer["password"]))
    assert login(office, colleague["nip"], colleague["password"]).status_code == 200


def test_repeated_lockouts_grow_and_are_in_the_audit_trail(make_employee, identity_db, admin_token):
    victim = make_employee()
    attacker = fresh_address()
    for _ in range(5):
        login(attacker, victim["nip"], "salah")
    first = assert_429(login(attacker, victim["nip"], "salah"))
    # the lock ends (moved into the past here instead of waiting 15 minutes) and it starts again
    identity_db.login_throttle.update_one({"_id": f"pair:{victim['nip']}|{attacker}"},
                                          {"$set": {"locked_until": datetime.now(timezone.utc) - timedelta(seconds=1)}})
    for _ in range(5):
        assert login(attacker, victim["nip"], "salah").status_code == 401
    second = assert_429(login(attacker, victim["nip"], "salah"))
    assert second > first + 600  # doubled: 30 minutes instead of 15
    resp = session_from("127.0.0.1").get(f"{GATEWAY}/api/identity/v1/audit",
                                         params={"entity": "login", "id": victim["nip"]},
                                         headers={"Authorization": f"Bearer {admin_token}"}, timeout=10)
    assert resp.status_code == 200, resp.text
    entries = [e for e in resp.json()["items"] if e["action"] == "login_locked"]
    assert [e["changes"]["lockouts_24h"] for e in entries] == [2, 1]
    assert [e["changes"]["locked_for_s"] for e in entries] == [1800, 900]
    assert entries[0]["changes"]["address"] == attacker


def test_a_wrong_old_password_counts_too(make_employee):
    person = make_employee()
    address = fresh_address()
    token = login(address, person["nip"], person["password"]).json()["access_token"]
    s = session_from(address)
    for _ in range(5):
        resp = s.post(f"{GATEWAY}/api/identity/v1/me/password", headers={"Authorization": f"Bearer {token}"},
                      json={"old_password": "salah-lama", "new_password": "Sandi-Baru-2027"}, timeout=10)
        assert resp.status_code == 422
    resp = s.post(f"{GATEWAY}/api/identity/v1/me/password", headers={"Authorization": f"Bearer {token}"},
                  json={"old_password": person["password"], "new_password": "Sandi-Baru-2027"}, timeout=10)
    assert_429(resp)


def test_a_client_cannot_choose_its_address_with_a_header(make_employee):
    """Only the gateway's X-Real-IP counts; a client's own X-Real-IP / X-Forwarded-For is overwritten."""
    victim = make_employee()
    attacker = fresh_address()
    for i in range(5):
        resp = session_from(attacker).post(LOGIN, json={"nip": victim["nip"], "password": "salah"}, timeout=30,
                                           headers={"X-Real-IP": f"10.9.9.{i}", "X-Forwarded-For": f"10.8.8.{i}"})
        assert resp.status_code == 401
    assert_429(login(attacker, victim["nip"], victim["password"]))


