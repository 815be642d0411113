"""There is always an active admin: changes to admins run under a lock in the database, and start-up restores one.

Before: the fuzzer deactivated and reset the bootstrap admin and then itself; no active admin was
left and start-up did not recreate one because the (inactive) bootstrap NIP existed.
"""
from __future__ import annotations

import pytest

from conftest import random_nip
from support import race

from identity.bootstrap import ensure_bootstrap_admin
from identity.directory import Directory
from identity.hashing import verify_password
from identity.store import IdentityStore
from sipk_shared.errors import ApiError

pytestmark = pytest.mark.integration


@pytest.fixture()
def store(fresh_db):
    s = IdentityStore(fresh_db)
    s.ensure_indexes()
    return s


def admin_in(store, unit="ROOT"):
    directory = Directory(store, actor="bootstrap")
    if store.get_unit(unit) is None:
        directory.create_unit({"code": unit, "name": "Root unit"})
    return directory.create_employee({"nip": random_nip(), "name": "Admin", "unit_code": unit, "position": "Admin",
                                      "roles": ["employee", "admin"]})


def active_admins(store) -> list[str]:
    return [d["_id"] for d in store.db.employees.find({"roles": "admin", "active": True})]


def outcome(fn, *args):
    try:
        fn(*args)
        return 200
    except ApiError as exc:
        return exc.status, exc.error


@pytest.mark.parametrize("how", ["demote", "deactivate"])
def test_two_admins_removing_each_other_at_once_leave_one(store, how):
    a, b = admin_in(store), admin_in(store)

    def act(i):
        me, other = (a, b) if i % 2 else (b, a)
        directory = Directory(store, actor=me["nip"])
        if how == "demote":
            return outcome(directory.update_employee, other["nip"], {"roles": ["employee"]})
        return outcome(directory.deactivate, other["nip"])

    results = race(20, act)
    assert len(active_admins(store)) == 1, results
    assert results.count(200) >= 1 and all(r == 200 or r == (409, "last_admin") for r in results), results


def test_the_last_admin_cannot_be_removed_nor_reset_by_themself(store):
    only = admin_in(store)
    directory = Directory(store, actor=only["nip"])
    assert outcome(directory.deactivate, only["nip"]) == (409, "last_admin")
    assert outcome(directory.update_employee, only["nip"], {"roles": ["employee"]}) == (409, "last_admin")
    assert outcome(directory.reset_password, only["nip"]) == (409, "own_password")
    assert active_admins(store) == [only["nip"]]
    # with a second admin, the first may go; the lock follows
    second = admin_in(store)
    assert outcome(Directory(store, actor=second["nip"]).deactivate, only["nip"]) == 200
    assert outcome(Directory(store, actor=second["nip"]).update_employee, second["nip"], {"roles": ["employee"]}) \
        == (409, "last_admin")
    # reactivating gives the guard its admin back
    assert outcome(Directory(store, actor=second["nip"]).reactivate, only["nip"]) == 200
    assert outcome(Directory(store, actor=only["nip"]).update_employee, second["nip"], {"roles": ["employee"]}) == 200


def test_start_up_restores_the_bootstrap_admin_when_no_active_admin_is_left(store):
    nip = random_nip()
    assert ensure_bootstrap_admin(store, nip, "first-password-1") is True
    # data edited by hand: the only admin deactivated and its password unknown
    store.db.employees.update_one({"_id": nip}, {"$set": {"active": False, "roles": ["employee"]}})
    assert active_admins(store) == []
    assert ensure_bootstrap_admin(store, nip, "new-bootstrap-pw-2") is True
    restored = store.get_employee(nip)
    assert restored["active"] is True and "admin" in restored["roles"]
    assert verify_password(restored["password_hash"], "new-bootstrap-pw-2")
    assert store.db.audit.find_one({"action": "restore_admin", "entity_id": nip}) is not None
    # and it is protected again
    assert outcome(Directory(store, actor=nip).deactivate, nip) == (409, "last_admin")
    # another start-up changes nothing
    assert ensure_bootstrap_admin(store, nip, "new-bootstrap-pw-2") is False
