"""What the benchmarks share: a scratch database (never a service's own) and chunked inserts."""
from __future__ import annotations

import os
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
for sub in ("shared", "services/presence"):
    if str(ROOT / sub) not in sys.path:
        sys.path.insert(0, str(ROOT / sub))

from pymongo import MongoClient  # noqa: E402
from pymongo.database import Database  # noqa: E402

MONGO_URI = os.environ.get("SIPK_MONGO_URI", "mongodb://127.0.0.1:27017")
CHUNK = 5000


def insert_chunks(coll, docs: list[dict]) -> None:
    for i in range(0, len(docs), CHUNK):
        coll.insert_many(docs[i:i + CHUNK], ordered=False)


@contextmanager
def scratch_database(prefix: str, *, keep: bool = False) -> Iterator[Database]:
    """``<prefix>_<random>`` on the local database (SIPK_MONGO_URI), dropped afterwards unless ``keep``."""
    client = MongoClient(MONGO_URI, tz_aware=True)
    name = f"{prefix}_{secrets.token_hex(4)}"
    assert name not in {"identity", "presence", "performance"}
    try:
        yield client[name]
    finally:
        if not keep:
            client.drop_database(name)
        client.close()
