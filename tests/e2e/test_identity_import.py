"""CSV import of employees and catch-up reads (updated_since), through the gateway."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
import requests

from conftest import random_nip

pytestmark = pytest.mark.e2e

API = "/api/identity/v1"
HEADER = "nip,name,unit_code,position,supervisor_nip,email"



@pytest.fixture()
def unit(admin):
    code = "IMP" + uuid.uuid4().hex[:6].upper()
    assert admin.post(f"{admin.base}/units", json={"code": code, "name": f"Unit {code}"}).status_code == 201
    return code


def upload(admin, data: bytes, name="pegawai.csv", headers=None):
    return admin.post(f"{admin.base}/employees/import", files={"file": (name, data, "text/csv")}, headers=headers)


def test_import_creates_resolves_later_supervisors_reports_bad_lines_and_is_idempotent(admin, unit, identity_db):
    head, staff, other = random_nip(), random_nip(), random_nip()
    lines = [
        "nip;name;unit_code;position;supervisor_nip;email",
        f"{staff};Siti Aminah;{unit.lower()};Analis;{head};siti@example.go.id",  # supervisor on a later line
        f"198503302010131002;Salah NIP;{unit};Analis;;",  # line 3: bad appointment month
        f"{other};Tanpa Unit;NOPE9X;Analis;;",  # line 4: unknown unit
        f"'{head};Budi Kepala;{unit};Kepala Bidang;;",  # Excel's text apostrophe
    ]
    data = "\ufeff".encode() + "\r\n".join(lines).encode()
    resp = upload(admin, data)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["created"], body["updated"]) == (2, 0)
    assert [e["line"] for e in body["errors"]] == [3, 4]
    assert "appointment" in body["errors"][0]["message"] and "NOPE9X" in body["errors"][1]["message"]
    stored = identity_db.employees.find_one({"_id": staff})
    assert stored["supervisor_nip"] == head and stored["unit_code"] == unit and stored["password_hash"] is None
    assert identity_db.employees.find_one({"_id": other}) is None
    # the same file again changes nothing
    again = upload(admin, data).json()
    assert (again["created"], again["updated"]) == (0, 0) and len(again["errors"]) == 2
    # a changed line updates that one employee only
    changed = data.replace(b"Kepala Bidang", b"Kepala Dinas")
    third = upload(admin, changed).json()
    assert (third["created"], third["updated"]) == (0, 1)
    assert identity_db.employees.find_one({"_id": head})["position"] == "Kepala Dinas"
    audit = admin.get(f"{admin.base}/audit", params={"entity": "employee", "id": head}).json()
    assert [e["action"] for e in audit["items"]] == ["import", "import"]


def test_import_refuses_cycles_within_the_file_and_against_the_database(admin, unit, identity_db):
    a, b, c = random_nip(), random_nip(), random_nip()
    csv = "\n".join([HEADER, f"{a},A,{unit},Analis,{b},", f"{b},B,{unit},Analis,{a},", f"{c},C,{unit},Analis,,"])
    body = upload(admin, csv.encode()).json()
    assert body["created"] == 1 and sorted(e["line"] for e in body["errors"]) == [2, 3]
    assert all("supervisor_cycle" in e["message"] for e in body["errors"])
    # c exists now; d under c, then c under d would close a loop through the database
    d = random_nip()
    assert upload(admin, f"{HEADER}\n{d},D,{unit},Analis,{c},\n".encode()).json()["created"] == 1
    loop = upload(admin, f"{HEADER}\n{c},C,{unit},Analis,{d},\n".encode()).json()
    assert loop["updated"] == 0 and "supervisor_cycle" in loop["errors"][0]["message"]
    assert identity_db.employees.find_one({"_id": c})["supervisor_nip"] is None


@pytest.mark.parametrize("data, fragment, penggalan", [
    (b"nip,name\n", "missing required columns", "kolom wajib tidak ada"),
    ("nip,name,unit_code,position,supervisor_nip,email\n198503302010011002,Jos\xe9,X,Y,,\n".encode("latin-1"),
     "not UTF-8", "bukan UTF-8"),
    (b"", "empty", "kosong"),
])
def test_unreadable_files_are_refused_whole(admin, data, fragment, penggalan):
    resp = upload(admin, data)
    assert resp.status_code == 422 and resp.json()["error"] == "csv_rejected", resp.text
    assert penggalan in resp.json()["message"]
    resp = upload(admin, data, headers={"Accept-Language": "en"})
    assert resp.json()["error"] == "csv_rejected" and fragment in resp.json()["message"]


def test_oversized_file_is_413_and_nothing_is_written(admin, unit, identity_db):
    nip = random_nip()
    row = f"{nip},Besar,{unit},Analis,,\n".encode()
    data = HEADER.encode() + b"\n" + row + b"\n" * 5_100_000
    resp = upload(admin, data)
    assert resp.status_code == 413 and resp.json()["error"] == "payload_too_large", resp.text[:300]
    assert identity_db.employees.find_one({"_id": nip}) is None


def test_import_needs_a_file_and_an_admin(admin, gateway):
    resp = admin.post(f"{admin.base}/employees/import", data={"other": "x"})
    assert resp.status_code == 422 and "file" in resp.json()["errors"]
    resp = requests.post(f"{gateway}{API}/employees/import", files={"file": ("a.csv", b"nip\n")})
    assert resp.status_code == 401


def test_updated_since_lists_what_changed(admin, unit):
    since = datetime.now(timezone.utc).isoformat()
    nip = random_nip()
    assert upload(admin, f"{HEADER}\n{nip},Baru,{unit},Analis,,\n".encode()).json()["created"] == 1
    page = admin.get(f"{admin.base}/employees", params={"updated_since": since, "page_size": 200}).json()
    assert nip in [e["nip"] for e in page["items"]]
    future = admin.get(f"{admin.base}/employees", params={"updated_since": "2099-01-01T00:00:00Z"}).json()
    assert future["total"] == 0
    assert admin.get(f"{admin.base}/employees", params={"updated_since": "yesterday"}).status_code == 422
    # outside the date window every input keeps to (1970-2100)
    assert admin.get(f"{admin.base}/employees", params={"updated_since": "2999-01-01T00:00:00Z"}).status_code == 422

