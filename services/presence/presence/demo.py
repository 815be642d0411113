"""`python -m presence.demo` (with presence's MONGO_URI / MONGO_DB): demo offices in Koba.

Idempotent: re-running updates the same offices. Coordinates are approximate
points in Koba, the capital of Kabupaten Bangka Tengah (WIB), 1-3 km apart;
survey the real gates before production and set the radius accordingly.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sipk_shared.mongo import MongoProvider

from .config import Settings
from .domain.geofence import distance_m
from .domain.schedule import DEFAULT_WEEK
from .store import OFFICES, Store

DEMO_OFFICES = [
    {"code": "PEMKAB-BATENG", "name": "Kantor Bupati Bangka Tengah (Kompleks Perkantoran Pemkab, Koba)",
     "latitude": -2.4816, "longitude": 106.3998, "unit_codes": ["SETDA", "BKPSDM"]},
    {"code": "DISDIK-BATENG", "name": "Dinas Pendidikan Bangka Tengah, Koba",
     "latitude": -2.4890, "longitude": 106.4080, "unit_codes": ["DISDIK"]},
    {"code": "DINKES-BATENG", "name": "Dinas Kesehatan Bangka Tengah, Koba",
     "latitude": -2.4960, "longitude": 106.4190, "unit_codes": ["DINKES"]},
]


def load(store: Store) -> list[dict]:
    now = datetime.now(timezone.utc)
    docs = []
    for office in DEMO_OFFICES:
        doc = {**office, "radius_m": 50.0, "timezone": "Asia/Jakarta", "max_accuracy_m": 100.0,
               "schedule": DEFAULT_WEEK.to_dict(), "updated_at": now}
        store.db[OFFICES].update_one({"_id": office["code"]}, {"$set": doc, "$setOnInsert": {"created_at": now}},
                                     upsert=True)
        docs.append(doc)
    return docs


def main() -> None:
    settings = Settings.from_env()
    store = Store(MongoProvider(settings.mongo_uri, settings.mongo_db).db)
    store.ensure_indexes()
    docs = load(store)
    print(f"Demo offices in {settings.mongo_db} (radius 50 m, WIB, Mon-Thu 07:30-16:00, Fri 07:30-16:30):")
    for doc in docs:
        print(f"  {doc['code']:15} {doc['latitude']:.4f}, {doc['longitude']:.4f}  units {', '.join(doc['unit_codes'])}"
              f"  — {doc['name']}")
    first = docs[0]
    for doc in docs[1:]:
        d = distance_m(first["latitude"], first["longitude"], doc["latitude"], doc["longitude"])
        print(f"  {first['code']} -> {doc['code']}: {d / 1000:.2f} km")


if __name__ == "__main__":
    main()
