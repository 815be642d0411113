"""Every service's declared indexes exist in its live database, and its hot queries use them.

The declared indexes are each store's ``INDEXES`` (one list per service); the services create them when
the API or the worker starts. The second part needs ``explain``, i.e. a real MongoDB
(``MONGO_URI=... make test``): the dev server has no ``explain`` and uses no non-unique index.
"""
from __future__ import annotations

import os
from typing import Any

import pytest

from identity.store import INDEXES as IDENTITY_INDEXES
from performance.store import INDEXES as PERFORMANCE_INDEXES
from presence.store import INDEXES as PRESENCE_INDEXES, RETIRED_INDEXES
from sipk_shared.mongo import ensure_indexes

from .conftest import MONGODB

pytestmark = pytest.mark.integration

SERVICES = {
    "identity": (os.environ.get("SIPK_IDENTITY_DB", "identity"), IDENTITY_INDEXES),
    "presence": (os.environ.get("SIPK_PRESENCE_DB", "presence"), PRESENCE_INDEXES),
    "performance": (os.environ.get("SIPK_PERFORMANCE_DB", "performance"), PERFORMANCE_INDEXES),
}


def _declared(specs) -> dict[str, dict[str, tuple[list, bool]]]:
    out: dict[str, dict[str, tuple[list, bool]]] = {}
    for spec in specs:
        out.setdefault(spec.collection, {})[spec.name] = ([(k, int(d)) for k, d in spec.keys], spec.unique)
    return out


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_the_live_database_has_exactly_the_declared_indexes(mongo_client, service):
    name, specs = SERVICES[service]
    db = mongo_client[name]
    for collection, wanted in _declared(specs).items():
        found = {i["name"]: ([(k, int(d)) for k, d in i["key"].items()], bool(i.get("unique")))
                 for i in db[collection].list_indexes() if i["name"] != "_id_"}
        assert found == wanted, f"{service}.{collection}"


def test_retired_indexes_are_not_declared_again():
    declared = {(s.collection, s.name) for s in PRESENCE_INDEXES}
    assert not declared & set(RETIRED_INDEXES)


# Hot queries and the index each one must use on MongoDB 7 (docs/platform.md names them too).
HOT_QUERIES: list[tuple[str, str, dict[str, Any], list | None, set[str]]] = [
    ("presence", "employees", {"_id": "1"}, None, {"_id_"}),
    ("presence", "check_ins", {"_id": {"$in": ["1:2026-03-02", "2:2026-03-02"]}}, None, {"_id_"}),
    ("presence", "check_ins", {"date": "2026-03-02"}, None, {"by_date"}),
    ("presence", "check_ins", {"nip": {"$in": ["1", "2"]}, "date": {"$gte": "2026-03-01", "$lte": "2026-03-31"}},
     None, {"one_check_in_per_day", "by_date"}),
    ("presence", "leave_days", {"date": "2026-03-02"}, None, {"leave_by_date"}),
    ("presence", "leave_days", {"nip": {"$in": ["1"]}, "date": {"$gte": "2026-03-01", "$lte": "2026-03-31"}},
     None, {"leave_by_day", "leave_by_date"}),
    ("presence", "day_records", {"nip": {"$in": ["1"]}, "date": {"$gte": "2026-03-01", "$lte": "2026-03-31"}},
     None, {"day_records_by_nip"}),
    ("presence", "employees", {"unit_code": "BKPSDM", "active": True}, [("name", 1)], {"by_unit"}),
    ("presence", "employees", {"supervisor_nip": "1", "active": True}, [("name", 1)], {"by_supervisor"}),
    ("presence", "rosters", {"date": {"$gte": "2026-03-01", "$lte": "2026-03-31"}, "unit_code": "BKPSDM"}, None,
     {"roster_by_unit"}),
    ("presence", "leave_requests", {"nip": {"$in": ["1"]}, "state": {"$in": ["pending"]}},
     [("start_date", -1), ("_id", 1)], {"leave_requests_by_nip"}),
    ("presence", "home_locations", {"status": "pending"}, [("requested_at", 1)], {"home_by_status"}),
    ("presence", "idempotency_keys", {"created_at": {"$lt": "x"}}, None, {"by_created"}),
    ("performance", "tasks", {"assignee_nip": {"$in": ["1"]}, "status": {"$in": ["assigned"]}}, None,
     {"by_assignee_status"}),
    ("performance", "daily_logs", {"nip": "1", "date": "2026-03-02"}, None, {"by_nip_date"}),
    ("performance", "daily_logs", {"entries.id": "e1"}, None, {"by_entry_id"}),
    ("performance", "heartbeats", {"_id": {"$in": ["1", "2"]}}, None, {"_id_"}),
    ("identity", "login_failures", {"nip": "1", "at": {"$gte": "x"}}, None, {"by_nip_time"}),
    ("identity", "refresh_tokens", {"family": "f"}, None, {"by_family"}),
    ("identity", "employees", {"unit_code": "BKPSDM"}, [("name", 1), ("_id", 1)], {"by_unit", "by_name"}),
    ("identity", "units", {"parent_code": "SETDA"}, [("_id", 1)], {"by_parent", "_id_"}),
]


def _stages(plan: Any) -> list[tuple[str, str | None]]:
    """(stage, index name) of every node of an explain plan (classic and SBE layouts)."""
    out = []
    if isinstance(plan, dict):
        if "stage" in plan:
            out.append((plan["stage"], plan.get("indexName")))
        for value in plan.values():
            out += _stages(value)
    elif isinstance(plan, list):
        for value in plan:
            out += _stages(value)
    return out


@pytest.mark.parametrize("service,collection,query,sort,indexes", HOT_QUERIES,
                         ids=[f"{q[0]}.{q[1]}:{','.join(q[2])}" for q in HOT_QUERIES])
def test_hot_queries_use_their_index_on_mongodb(db, server, service, collection, query, sort, indexes):
    if server != MONGODB:
        pytest.skip(f"needs explain on a real MongoDB; {server} has other plans (docs/platform.md)")
    ensure_indexes(db, SERVICES[service][1])
    db[collection].insert_many([{"_n": i} for i in range(20)])  # a non-empty collection: a real plan
    command = {"find": collection, "filter": query, **({"sort": dict(sort)} if sort else {})}
    plan = db.command("explain", command, verbosity="queryPlanner")["queryPlanner"]["winningPlan"]
    stages = _stages(plan)
    assert "COLLSCAN" not in {s for s, _ in stages}, stages
    used = {i for _, i in stages if i} | ({"_id_"} if {"IDHACK", "EXPRESS_IXSCAN"} & {s for s, _ in stages} else set())
    assert used & indexes, stages


def test_start_up_drops_what_earlier_versions_left(db):
    from presence.store import RETIRED_COLLECTIONS, Store

    db.day_sheets.insert_one({"_id": "2026-03-02:BKPSDM:0", "c": {}})
    db.read_models.insert_one({"_id": "state"})
    db.rosters.create_index([("date", 1), ("nip", 1)], name="roster_by_date")
    Store(db).ensure_indexes()
    Store(db).ensure_indexes()  # and again: nothing left to drop
    assert not set(RETIRED_COLLECTIONS) & set(db.list_collection_names())
    assert "roster_by_date" not in db.rosters.index_information()
