"""Identity's use cases (Directory, CSV import, replay, demo) against a scratch database on the real database.

No HTTP here: these call the service layer directly, so a rule that breaks
shows up at its source, not only through the gateway.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import random_nip, MONGO_URI

from identity import demo
from identity.directory import Directory
from identity.domain.nip import is_valid_nip
from identity.importer import import_employees
from identity.replay import replay
from identity.store import IdentityStore
from sipk_shared.errors import ApiError

pytestmark = pytest.mark.integration

HEADER = "nip,name,unit_code,position,supervisor_nip,email"
ACTOR = "198001012005011001"



@pytest.fixture(scope="module")
def store(mongo_client):
    import uuid

    name = f"test_identity_{uuid.uuid4().hex[:8]}"
    s = IdentityStore(mongo_client[name])
    s.ensure_indexes()
    yield s
    mongo_client.drop_database(name)


@pytest.fixture(scope="module")
def directory(store):
    d = Directory(store, actor=ACTOR, request_id="req-domain-test")
    d.create_unit({"code": "ROOT", "name": "Root unit"})
    return d


def employee(directory, supervisor=None, **extra):
    body = {"nip": random_nip(), "name": "Pegawai Uji", "unit_code": "ROOT", "position": "Analis",
            "supervisor_nip": supervisor, **extra}
    return directory.create_employee(body)


def expect(status, error, fn, *args, **kwargs):
    with pytest.raises(ApiError) as info:
        fn(*args, **kwargs)
    assert (info.value.status, info.value.error) == (status, error)
    return info.value


def staged(store, collection, _id):
    """Events waiting in the outbox for one document (no relay runs on this database)."""
    return [e["event"] for e in store.db.outbox.find({"collection": collection, "doc_id": _id}).sort("seq", 1)]


def pending_events(store, collection, _id):
    return [e["type"] for e in staged(store, collection, _id)]


def test_create_stages_the_created_event_and_audits_without_secrets(store, directory):
    created = employee(directory, password="Rahasia-Domain-1")
    assert pending_events(store, "employees", created["nip"]) == ["identity.employee.created"]
    # staged in the outbox collection: the relay never writes the employee document
    assert "_outbox" not in store.get_employee(created["nip"])
    event = staged(store, "employees", created["nip"])[0]
    assert set(event["data"]) == {"nip", "name", "unit_code", "position", "supervisor_nip", "roles", "active",
                                  "active_from", "active_until", "employment"}
    entries, total = store.list_audit(entity="employee", entity_id=created["nip"], page=1, page_size=10)
    assert total == 1 and entries[0]["actor"] == ACTOR and entries[0]["request_id"] == "req-domain-test"
    for secret in ("password_hash", "Rahasia-Domain-1", "argon2"):
        assert secret not in str(entries)


def test_cycles_are_refused_and_nothing_changes(store, directory):
    top = employee(directory)
    middle = employee(directory, supervisor=top["nip"])
    bottom = employee(directory, supervisor=middle["nip"])
    error = expect(422, "supervisor_cycle", directory.update_employee, top["nip"], {"supervisor_nip": bottom["nip"]})
    assert "supervisor_nip" in error.errors
    assert store.get_employee(top["nip"])["supervisor_nip"] is None
    assert pending_events(store, "employees", top["nip"]) == ["identity.employee.created"]


def test_unknown_references_and_invalid_values(directory):
    expect(422, "unknown_unit", employee, directory, None, unit_code="NOWHERE")
    expect(422, "unknown_supervisor", employee, directory, random_nip())
    expect(422, "invalid_nip", directory.create_employee,
           {"nip": "198503302010011000", "name": "x", "unit_code": "ROOT", "position": "x"})
    expect(422, "weak_password", employee, directory, None, password="pendek")
    expect(422, "unknown_unit", directory.create_unit, {"code": "CHILD1", "name": "x", "parent_code": "NOPE"})


def test_updated_event_only_when_something_changed(store, directory):
    person = employee(directory)
    directory.update_employee(person["nip"], {"name": "Pegawai Uji"})  # same value: no write
    assert pending_events(store, "employees", person["nip"]) == ["identity.employee.created"]
    directory.update_employee(person["nip"], {"name": "Nama Baru"})
    assert pending_events(store, "employees", person["nip"]) == ["identity.employee.created",
                                                                  "identity.employee.updated"]


def test_deactivate_rules(store, directory):
    boss = employee(directory)
    sub = employee(directory, supervisor=boss["nip"])
    store.insert_refresh_token("tok-" + sub["nip"], nip=sub["nip"], family="f1",
                               expires_at=__import__("datetime").datetime(2999, 1, 1))
    error = expect(409, "has_active_subordinates", directory.deactivate, boss["nip"])
    assert error.details["subordinates"] == [sub["nip"]]
    directory.deactivate(sub["nip"])
    assert store.get_refresh_token("tok-" + sub["nip"])["revoked"] is True
    # the snapshot event, then the one that ends their sign-ins in every service
    assert pending_events(store, "employees", sub["nip"])[-2:] == ["identity.employee.deactivated",
                                                                    "identity.sessions.revoked"]
    assert directory.deactivate(boss["nip"])["active"] is False
    # an inactive employee cannot become anyone's supervisor
    expect(422, "inactive_supervisor", employee, directory, boss["nip"])


def test_reset_password_sets_the_flag_and_revokes_sessions(store, directory):
    person = employee(directory, password="Rahasia-Domain-2")
    store.insert_refresh_token("tok-" + person["nip"], nip=person["nip"], family="f2",
                               expires_at=__import__("datetime").datetime(2999, 1, 1))
    _doc, temporary = directory.reset_password(person["nip"])
    stored = store.get_employee(person["nip"])
    assert stored["password_change_required"] is True and temporary not in str(stored)
    assert store.get_refresh_token("tok-" + person["nip"])["revoked"] is True


def test_import_orders_supervisors_reports_errors_and_is_idempotent(store, directory):
    boss, staff, loop_a, loop_b = random_nip(), random_nip(), random_nip(), random_nip()
    data = "\n".join([
        HEADER,
        f"{staff},Staf,ROOT,Analis,{boss},",
        f"{loop_a},A,ROOT,Analis,{loop_b},",
        f"{loop_b},B,ROOT,Analis,{loop_a},",
        f"{random_nip()},Tanpa Unit,MISSING,Analis,,",
        f"{boss},Kepala,ROOT,Kepala,,",
    ]).encode()
    first = import_employees(store, data, actor=ACTOR, request_id="req-import")
    assert (first["created"], first["updated"]) == (2, 0)
    assert [e["line"] for e in first["errors"]] == [3, 4, 5]
    assert store.get_employee(staff)["supervisor_nip"] == boss
    assert store.get_employee(staff)["password_hash"] is None
    again = import_employees(store, data, actor=ACTOR, request_id="req-import")
    assert (again["created"], again["updated"]) == (0, 0)
    assert pending_events(store, "employees", boss) == ["identity.employee.created"]


def test_replay_stages_one_updated_event_per_document(store, directory):
    people = store.db.employees.count_documents({})
    units = store.db.units.count_documents({})
    counts = replay(store)
    assert counts == {"units": units, "employees": people}
    assert pending_events(store, "units", "ROOT")[-1] == "identity.unit.updated"
    assert all(pending_events(store, "employees", d["_id"])[-1] == "identity.employee.updated"
               for d in store.db.employees.find({}, {"_id": 1}))
    snapshot = staged(store, "employees", store.db.employees.find_one({}, {"_id": 1})["_id"])[-1]["data"]
    assert set(snapshot) == {"nip", "name", "unit_code", "position", "supervisor_nip", "roles", "active",
                             "active_from", "active_until", "employment"}


def test_replay_command_runs_against_the_configured_database(store, directory):
    env = {**os.environ, "MONGO_URI": MONGO_URI, "MONGO_DB": store.db.name}
    before = store.db.outbox.count_documents({"event.type": "identity.unit.updated"})
    out = subprocess.run([sys.executable, "-m", "identity.replay"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    people = store.db.employees.count_documents({})
    units = store.db.units.count_documents({})
    assert f"identity.unit.updated x{units}, identity.employee.updated x{people}" in out.stdout
    assert store.db.outbox.count_documents({"event.type": "identity.unit.updated"}) == before + units


def test_a_change_computed_from_an_older_revision_loses_with_409_and_stages_nothing(store, directory):
    person = employee(directory)
    nip = person["nip"]
    stale = store.get_employee(nip)  # what a second admin read before the first one saved
    directory.update_employee(nip, {"name": "Nama Pertama"})
    events = len(staged(store, "employees", nip))
    late = Directory(store, actor=ACTOR, request_id="req-late")
    late.employee = lambda _nip: dict(stale)  # its read happened before the first change
    expect(409, "edit_conflict", late.update_employee, nip, {"position": "Kepala"})
    after = store.get_employee(nip)
    assert after["name"] == "Nama Pertama" and after["position"] == "Analis"
    assert len(staged(store, "employees", nip)) == events  # its event was dropped with its write


def test_import_leaves_out_a_line_whose_employee_changed_meanwhile(store, directory):
    first, second = employee(directory), employee(directory)
    csv = "\n".join([HEADER, f"{first['nip']},Nama Impor,ROOT,Analis,,", f"{second['nip']},Nama Impor,ROOT,Analis,,"])
    real = store.employees_by_nip

    def read_then_someone_saves(nips):
        found = real(nips)
        directory.update_employee(second["nip"], {"position": "Kepala"})  # lands between the plan and the write
        return found

    store.employees_by_nip = read_then_someone_saves
    try:
        result = import_employees(store, csv.encode(), actor=ACTOR, request_id="req-import-race")
    finally:
        del store.employees_by_nip
    assert result["updated"] == 1
    assert [e["line"] for e in result["errors"]] == [3] and "changed by someone else" in result["errors"][0]["message"]
    assert store.get_employee(first["nip"])["name"] == "Nama Impor"
    assert store.get_employee(second["nip"])["name"] == "Pegawai Uji"  # the import's stale line did not land
    assert pending_events(store, "employees", second["nip"])[-1] == "identity.employee.updated"
    assert staged(store, "employees", second["nip"])[-1]["data"]["position"] == "Kepala"


def test_a_replay_event_built_from_an_older_revision_is_not_staged(store, directory):
    person = employee(directory)
    stale = store.get_employee(person["nip"])
    directory.update_employee(person["nip"], {"name": "Sudah Berubah"})
    from identity.events import employee_event
    from identity.store import EMPLOYEES, revision
    skipped = store.append_events(EMPLOYEES, [(person["nip"], revision(stale), employee_event("updated", stale))])
    assert skipped == 1
    assert staged(store, "employees", person["nip"])[-1]["data"]["name"] == "Sudah Berubah"


def test_demo_is_valid_and_idempotent(store):
    people = demo.demo_people()
    assert len(people) == 28 and len({p["nip"] for p in people}) == 28
    assert all(is_valid_nip(p["nip"]) for p in people)
    known = set()
    for p in people:  # supervisors come first, two levels under each head
        assert p["supervisor_nip"] is None or p["supervisor_nip"] in known
        known.add(p["nip"])
    units_created, employees_created, _ = demo.load(store)
    assert employees_created == 28 and units_created >= 3
    assert demo.load(store)[:2] == (0, 0)
    disdik = store.get_unit("DISDIK")
    assert disdik["parent_code"] == "SETDA"


def test_the_last_active_admin_cannot_be_removed(store, directory):
    only = employee(directory, roles=["admin"])
    if store.db.employees.count_documents({"roles": "admin", "active": True}) != 1:
        pytest.fail("the scratch database should hold exactly one admin here")
    expect(409, "last_admin", directory.deactivate, only["nip"])
    expect(409, "last_admin", directory.update_employee, only["nip"], {"roles": ["employee"]})
    second = employee(directory, roles=["admin", "employee"])
    assert second["roles"] == ["employee", "admin"]
    assert directory.update_employee(only["nip"], {"roles": ["employee"]})["roles"] == ["employee"]


def test_demo_command_prints_the_same_logins_twice(mongo_client):
    import uuid

    name = f"test_identity_demo_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "MONGO_URI": MONGO_URI, "MONGO_DB": name}
    try:
        runs = [subprocess.run([sys.executable, "-m", "identity.demo"], env=env, capture_output=True, text=True,
                               timeout=120) for _ in range(2)]
        assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
        first, second = (r.stdout.splitlines() for r in runs)
        assert first[0].startswith("identity demo: 4 units and 28 employees created")
        assert second[0].startswith("identity demo: 0 units and 0 employees created")
        assert first[1:] == second[1:] and "Demo-Pelawan-2020" in first[1]
        assert len(first) == 3 + 28
    finally:
        mongo_client.drop_database(name)
