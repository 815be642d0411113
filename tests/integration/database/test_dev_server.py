"""The dev server keeps its data across a restart (`make down` / `make up`), with its indexes.

Only when the stack runs its own database (dev/mongo); with MONGO_URI set there is nothing of ours to
restart.
"""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import urllib.request

import pytest
from pymongo.errors import DuplicateKeyError

from support import GATEWAY, wait_until

from .conftest import DEV

pytestmark = pytest.mark.integration

ROOT = pathlib.Path(__file__).resolve().parents[3]


def _ready(service: str) -> bool:
    try:
        with urllib.request.urlopen(f"{GATEWAY}/api/{service}/readyz", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def test_data_and_unique_indexes_survive_a_restart(db, server):
    if server != DEV or os.environ.get("SIPK_MONGO_OURS") != "1":
        pytest.skip("the stack does not run its own database here")
    db.things.create_index([("nip", 1), ("date", 1)], unique=True, name="one_per_day")
    db.things.insert_many([{"_id": i, "nip": str(i), "date": "2026-03-02"} for i in range(500)])
    db.things.update_one({"_id": 7}, {"$set": {"late": True}})  # the last write before the stop
    env = {k: v for k, v in os.environ.items() if k != "MONGO_URI"}  # set for in-process apps; ours to restart
    subprocess.run([sys.executable, str(ROOT / "dev" / "stack.py"), "restart", "mongo"], check=True, timeout=180,
                   stdout=subprocess.DEVNULL, env=env)
    assert db.things.count_documents({}) == 500
    assert db.things.find_one({"_id": 7})["late"] is True
    assert "one_per_day" in db.things.index_information()
    with pytest.raises(DuplicateKeyError):
        db.things.insert_one({"_id": "other", "nip": "7", "date": "2026-03-02"})
    # the services answer again before the next test uses them
    wait_until(lambda: all(_ready(s) for s in ("identity", "presence", "performance")), 60,
               message="services ready after the database restart")
