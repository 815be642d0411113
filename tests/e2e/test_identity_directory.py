"""Identity units, employees, hierarchy reads and the audit trail, through the gateway."""
from __future__ import annotations

import uuid

import pytest
import requests

from conftest import random_nip, ADMIN_NIP, bearer, login_direct

pytestmark = pytest.mark.e2e

API = "/api/identity/v1"
PASSWORD = "Rahasia-Kuat-2020"



def unit_code() -> str:
    return "T" + uuid.uuid4().hex[:8].upper()


def post_unit(admin, code=None, **extra):
    code = code or unit_code()
    resp = admin.post(f"{admin.base}/units", json={"code": code, "name": f"Unit {code}", **extra})
    assert resp.status_code == 201, resp.text
    return resp.json()


def post_employee(admin, unit, *, supervisor=None, password=None, **extra):
    """Without a password unless the test signs in as them (argon2 is slow on purpose)."""
    body = {"nip": random_nip(), "name": f"Pegawai {uuid.uuid4().hex[:6]}", "unit_code": unit,
            "position": "Analis", "supervisor_nip": supervisor, **extra}
    if password:
        body["password"] = password
    resp = admin.post(f"{admin.base}/employees", json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()


def as_user(gateway, nip, password=PASSWORD):
    s = requests.Session()
    s.headers.update(bearer(login_direct(nip, password)["access_token"]))
    s.base = gateway + API
    return s


def assert_error(resp, status, error):
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"] == status and body["error"] == error and body["message"]
    return body


# ------------------------------------------------------------------ units
def test_unit_create_get_list_patch(admin):
    parent = post_unit(admin)
    child = post_unit(admin, code=unit_code().lower(), parent_code=parent["code"])
    assert child["code"].isupper() and child["parent_code"] == parent["code"]
    got = admin.get(f"{admin.base}/units/{child['code']}").json()
    assert got["name"] == child["name"]
    listed = admin.get(f"{admin.base}/units", params={"parent_code": parent["code"]}).json()
    assert [u["code"] for u in listed["items"]] == [child["code"]] and listed["total"] == 1
    patched = admin.patch(f"{admin.base}/units/{child['code']}", json={"name": "Dinas Baru", "parent_code": None})
    assert patched.status_code == 200 and patched.json()["name"] == "Dinas Baru"
    assert patched.json()["parent_code"] is None


def test_unit_rules(admin):
    parent = post_unit(admin)
    child = post_unit(admin, parent_code=parent["code"])
    assert_error(admin.post(f"{admin.base}/units", json={"code": parent["code"], "name": "x"}), 409, "unit_exists")
    assert_error(admin.post(f"{admin.base}/units", json={"code": "bad code!", "name": "x"}), 422,
                 "invalid_unit_code")
    code = unit_code()
    assert_error(admin.post(f"{admin.base}/units", json={"code": code, "name": "x", "parent_code": "NOPE9X"}),
                 422, "unknown_unit")
    assert admin.get(f"{admin.base}/units/{code}").status_code == 404  # nothing half-written
    # the parent cannot move under its own child
    assert_error(admin.patch(f"{admin.base}/units/{parent['code']}", json={"parent_code": child["code"]}),
                 422, "unit_cycle")
    assert_error(admin.patch(f"{admin.base}/units/{parent['code']}", json={"colour": "red"}), 422,
                 "validation_failed")
    assert_error(admin.get(f"{admin.base}/units/NOPE9X"), 404, "unit_not_found")


def test_units_are_read_by_employees_and_written_by_admins_only(admin, gateway):
    unit = post_unit(admin)
    user = as_user(gateway, post_employee(admin, unit["code"], password=PASSWORD)["nip"])
    assert user.get(f"{user.base}/units/{unit['code']}").status_code == 200
    assert user.get(f"{user.base}/units").status_code == 200
    assert_error(user.post(f"{user.base}/units", json={"code": unit_code(), "name": "x"}), 403, "forbidden")
    assert_error(user.patch(f"{user.base}/units/{unit['code']}", json={"name": "x"}), 403, "forbidden")
    assert_error(requests.get(f"{gateway}{API}/units"), 401, "missing_token")


# -------------------------------------------------------------- employees
def test_create_employee_answers_no_secret_and_get_finds_it(admin):
    unit = post_unit(admin)
    emp = post_employee(admin, unit["code"], email="budi@example.go.id", roles=["employee"], password=PASSWORD)
    assert emp["roles"] == ["employee"] and emp["active"] is True and emp["has_password"] is True
    assert not {"password", "password_hash", "_outbox", "_event_ids", "_rev"} & set(emp)
    got = admin.get(f"{admin.base}/employees/{emp['nip']}")
    assert got.status_code == 200 and got.json()["email"] == "budi@example.go.id"
    assert "$argon2" not in got.text
    assert_error(admin.post(f"{admin.base}/employees", json={
        "nip": emp["nip"], "name": "x", "unit_code": unit["code"], "position": "x"}), 409, "employee_exists")


@pytest.mark.parametrize("nip, reason_part, alasan", [
    ("19850330201001100", "exactly 18 digits", "tepat 18 digit"),
    ("198502302010011002", "birth date", "tanggal lahir"),
    ("198503302010131002", "appointment YYYYMM", "pengangkatan YYYYMM"),
    ("198503302010013002", "must be 1 or 2", "harus 1 atau 2"),
    ("19850330 201001 1 002", "exactly 18 digits", "tepat 18 digit"),
])
def test_invalid_nip_is_422_with_the_reason_and_nothing_stored(admin, identity_db, nip, reason_part, alasan):
    unit = post_unit(admin)
    payload = {"nip": nip, "name": "Budi", "unit_code": unit["code"], "position": "Analis"}
    body = assert_error(admin.post(f"{admin.base}/employees", json=payload,
                                   headers={"Accept-Language": "en-GB,en;q=0.9"}), 422, "invalid_nip")
    assert reason_part in body["reason"] and reason_part in body["message"]
    body = assert_error(admin.post(f"{admin.base}/employees", json=payload), 422, "invalid_nip")
    assert alasan in body["reason"] and alasan in body["message"]
    assert identity_db.employees.count_documents({"unit_code": unit["code"]}) == 0


def test_unknown_unit_or_supervisor_is_422(admin, identity_db):
    unit = post_unit(admin)
    nip = random_nip()
    assert_error(admin.post(f"{admin.base}/employees", json={
        "nip": nip, "name": "Budi", "unit_code": "NOPE9X", "position": "Analis"}), 422, "unknown_unit")
    body = assert_error(admin.post(f"{admin.base}/employees", json={
        "nip": nip, "name": "Budi", "unit_code": unit["code"], "position": "Analis",
        "supervisor_nip": random_nip()}), 422, "unknown_supervisor")
    assert "supervisor_nip" in body["errors"]
    assert identity_db.employees.find_one({"_id": nip}) is None


@pytest.mark.parametrize("field, value", [
    ("name", {"$gt": ""}), ("nip", {"$ne": None}), ("unit_code", ["BKPSDM"]), ("roles", ["root"]),
    ("role", "admin"), ("password_hash", "x"), ("active", False),
])
def test_bad_fields_operators_and_unknown_fields_are_422(admin, identity_db, field, value):
    unit = post_unit(admin)
    body = {"nip": random_nip(), "name": "Budi", "unit_code": unit["code"], "position": "Analis", field: value}
    resp = admin.post(f"{admin.base}/employees", json=body)
    assert_error(resp, 422, "validation_failed")
    assert field in resp.json()["errors"]
    assert identity_db.employees.count_documents({"unit_code": unit["code"]}) == 0


def test_weak_password_on_create_is_refused(admin, identity_db):
    unit = post_unit(admin)
    nip = random_nip()
    for weak in ("short", nip):
        assert_error(admin.post(f"{admin.base}/employees", json={
            "nip": nip, "name": "Budi", "unit_code": unit["code"], "position": "Analis", "password": weak}),
            422, "weak_password")
    assert identity_db.employees.find_one({"_id": nip}) is None


def test_patch_and_supervisor_cycle(admin, identity_db):
    unit = post_unit(admin)
    head = post_employee(admin, unit["code"])
    mid = post_employee(admin, unit["code"], supervisor=head["nip"])
    low = post_employee(admin, unit["code"], supervisor=mid["nip"])
    patched = admin.patch(f"{admin.base}/employees/{low['nip']}", json={"position": "Kepala Seksi"})
    assert patched.status_code == 200 and patched.json()["position"] == "Kepala Seksi"
    body = assert_error(admin.patch(f"{admin.base}/employees/{head['nip']}", json={"supervisor_nip": low["nip"]}),
                        422, "supervisor_cycle")
    assert body["errors"]["supervisor_nip"]
    assert_error(admin.patch(f"{admin.base}/employees/{head['nip']}", json={"supervisor_nip": head["nip"]}),
                 422, "supervisor_cycle")
    assert identity_db.employees.find_one({"_id": head["nip"]})["supervisor_nip"] is None
    assert_error(admin.patch(f"{admin.base}/employees/{low['nip']}", json={"name": {"$set": "x"}}), 422,
                 "validation_failed")
    assert_error(admin.patch(f"{admin.base}/employees/{low['nip']}", json={}), 422, "validation_failed")
    assert_error(admin.patch(f"{admin.base}/employees/{random_nip()}", json={"name": "x"}), 404,
                 "employee_not_found")


def test_list_filters_and_pagination(admin):
    unit = post_unit(admin)
    marker = uuid.uuid4().hex[:6]
    people = [post_employee(admin, unit["code"], name=f"Siti {marker} {i}") for i in range(3)]
    gone = admin.post(f"{admin.base}/employees/{people[2]['nip']}/deactivate")
    assert gone.status_code == 200, gone.text
    base = f"{admin.base}/employees"
    all_three = admin.get(base, params={"unit_code": unit["code"].lower()}).json()
    assert all_three["total"] == 3 and all_three["page"] == 1 and all_three["page_size"] == 50
    page2 = admin.get(base, params={"unit_code": unit["code"], "page": 2, "page_size": 2}).json()
    assert page2["total"] == 3 and len(page2["items"]) == 1
    assert admin.get(base, params={"unit_code": unit["code"], "active": "true"}).json()["total"] == 2
    assert admin.get(base, params={"q": f"siti {marker}"}).json()["total"] == 3
    by_nip = admin.get(base, params={"q": people[0]["nip"]}).json()
    assert [e["nip"] for e in by_nip["items"]] == [people[0]["nip"]]
    # the search text is a literal, never a regular expression
    assert admin.get(base, params={"q": ".*", "unit_code": unit["code"]}).json()["total"] == 0
    assert_error(admin.get(base, params={"page_size": 201}), 422, "validation_failed")
    assert_error(admin.get(base, params={"colour": "red"}), 422, "validation_failed")
    assert_error(admin.get(base, params={"unit_code[$ne]": "x"}), 422, "validation_failed")
    assert_error(admin.get(base, params={"active": "maybe"}), 422, "validation_failed")


def test_subordinates_direct_and_whole_subtree(admin):
    unit = post_unit(admin)
    head = post_employee(admin, unit["code"])
    a = post_employee(admin, unit["code"], supervisor=head["nip"])
    b = post_employee(admin, unit["code"], supervisor=head["nip"])
    a1 = post_employee(admin, unit["code"], supervisor=a["nip"])
    url = f"{admin.base}/employees/{head['nip']}/subordinates"
    direct = admin.get(url).json()
    assert sorted(e["nip"] for e in direct["items"]) == sorted([a["nip"], b["nip"]])
    everyone = admin.get(url, params={"depth": "all"}).json()
    assert sorted(e["nip"] for e in everyone["items"]) == sorted([a["nip"], b["nip"], a1["nip"]])
    assert_error(admin.get(url, params={"depth": "7"}), 422, "validation_failed")


def test_who_may_read_whom(admin, gateway):
    unit = post_unit(admin)
    head = post_employee(admin, unit["code"], password=PASSWORD)
    mid = post_employee(admin, unit["code"], supervisor=head["nip"], password=PASSWORD)
    low = post_employee(admin, unit["code"], supervisor=mid["nip"], password=PASSWORD)
    peer = post_employee(admin, unit["code"], supervisor=head["nip"])
    as_head, as_mid, as_low = (as_user(gateway, e["nip"]) for e in (head, mid, low))
    emp = lambda s, e: s.get(f"{s.base}/employees/{e['nip']}")  # noqa: E731
    assert emp(as_head, low).status_code == 200  # indirect subordinate
    assert emp(as_mid, low).status_code == 200
    assert emp(as_low, low).status_code == 200  # themselves
    assert emp(as_low, mid).status_code == 200  # their own supervisor
    assert_error(emp(as_low, head), 403, "forbidden")  # above the direct supervisor
    assert_error(emp(as_mid, peer), 403, "forbidden")  # a peer
    assert_error(as_mid.get(f"{as_mid.base}/employees/{random_nip()}"), 403, "forbidden")  # unknown: no leak
    assert as_head.get(f"{as_head.base}/employees/{mid['nip']}/subordinates").status_code == 200
    assert_error(as_mid.get(f"{as_mid.base}/employees/{head['nip']}/subordinates"), 403, "forbidden")
    assert_error(as_mid.get(f"{as_mid.base}/employees"), 403, "forbidden")
    assert_error(as_mid.patch(f"{as_mid.base}/employees/{low['nip']}", json={"name": "x"}), 403, "forbidden")
    assert_error(as_mid.post(f"{as_mid.base}/employees/{low['nip']}/deactivate"), 403, "forbidden")
    assert_error(as_mid.get(f"{as_mid.base}/audit"), 403, "forbidden")
    assert as_head.get(f"{as_head.base}/me").json()["is_supervisor"] is True
    assert as_low.get(f"{as_low.base}/me").json()["is_supervisor"] is False


def test_deactivate_with_active_subordinates_is_409_with_their_nips(admin, identity_db):
    unit = post_unit(admin)
    head = post_employee(admin, unit["code"])
    subs = [post_employee(admin, unit["code"], supervisor=head["nip"]) for _ in range(2)]
    body = assert_error(admin.post(f"{admin.base}/employees/{head['nip']}/deactivate"), 409,
                        "has_active_subordinates")
    assert sorted(body["subordinates"]) == sorted(s["nip"] for s in subs)
    assert identity_db.employees.find_one({"_id": head["nip"]})["active"] is True
    for sub in subs:
        assert admin.post(f"{admin.base}/employees/{sub['nip']}/deactivate").json()["active"] is False
    assert admin.post(f"{admin.base}/employees/{head['nip']}/deactivate").json()["active"] is False


def test_admin_writes_are_audited_with_request_id_and_no_secrets(admin, identity_db):
    unit = post_unit(admin)
    rid = "audit-" + uuid.uuid4().hex[:12]
    resp = admin.post(f"{admin.base}/employees", headers={"X-Request-ID": rid}, json={
        "nip": random_nip(), "name": "Audit Me", "unit_code": unit["code"], "position": "Analis",
        "password": PASSWORD})  # with a password: the audit must not show it
    nip = resp.json()["nip"]
    admin.patch(f"{admin.base}/employees/{nip}", json={"position": "Kepala"})
    reset = admin.post(f"{admin.base}/employees/{nip}/password-reset").json()
    page = admin.get(f"{admin.base}/audit", params={"entity": "employee", "id": nip}).json()
    assert page["total"] == 3
    actions = [e["action"] for e in page["items"]]
    assert actions == ["password_reset", "update", "create"]  # newest first
    create = page["items"][2]
    assert create["actor"] == ADMIN_NIP and create["request_id"] == rid
    assert create["changes"]["name"] == {"from": None, "to": "Audit Me"}
    assert page["items"][1]["changes"] == {"position": {"from": "Analis", "to": "Kepala"}}
    stored = str(list(identity_db.audit.find({"entity_id": nip})))
    for secret in (PASSWORD, reset["temporary_password"], "$argon2", "password_hash"):
        assert secret not in stored and secret not in str(page)
    unit_audit = admin.get(f"{admin.base}/audit", params={"entity": "unit", "id": unit["code"]}).json()
    assert [e["action"] for e in unit_audit["items"]] == ["create"]
    assert_error(admin.get(f"{admin.base}/audit", params={"entity": {"$ne": 1}}), 422, "validation_failed")
    assert_error(admin.get(f"{admin.base}/audit", params={"page_size": 500}), 422, "validation_failed")


def test_reactivate_restores_an_employee_whose_supervisor_is_still_valid(admin, gateway):
    unit = post_unit(admin)
    head = post_employee(admin, unit["code"])
    sub = post_employee(admin, unit["code"], supervisor=head["nip"], password=PASSWORD)
    admin.post(f"{admin.base}/employees/{sub['nip']}/deactivate")
    # reactivating an active employee changes nothing
    assert admin.post(f"{admin.base}/employees/{head['nip']}/reactivate").json()["active"] is True
    back = admin.post(f"{admin.base}/employees/{sub['nip']}/reactivate")
    assert back.status_code == 200 and back.json()["active"] is True
    assert as_user(gateway, sub["nip"]).get(f"{gateway}{API}/me").status_code == 200
    # with the supervisor gone, reactivation is refused
    admin.post(f"{admin.base}/employees/{sub['nip']}/deactivate")
    admin.post(f"{admin.base}/employees/{head['nip']}/deactivate")
    assert_error(admin.post(f"{admin.base}/employees/{sub['nip']}/reactivate"), 422, "inactive_supervisor")
