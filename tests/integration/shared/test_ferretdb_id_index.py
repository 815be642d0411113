"""The dev/CI database answers `_id` lookups from its `_id` index (dev/ferretdb/patches/0001).

Unpatched FerretDB 1.24 (SQLite) scans the whole table for every find, update
and delete by `_id`; every point lookup in the services assumes it does not.
"""
import pytest


def test_find_by_id_uses_the_id_index(scratch_db):
    coll = scratch_db["probe_id_index"]
    coll.insert_many([{"_id": f"k{i}", "v": i} for i in range(50)])
    explained = scratch_db.command("explain", {"find": "probe_id_index", "filter": {"_id": "k7"}})
    plan = explained.get("queryPlanner", {}).get("Plan")
    if plan is None:
        pytest.skip("not FerretDB/SQLite: MongoDB serves _id lookups from its index anyway")
    assert any("USING INDEX" in step and "_id_" in step for step in plan), plan
    assert coll.find_one({"_id": "k7"})["v"] == 7
    assert coll.find_one({"_id": "missing"}) is None
