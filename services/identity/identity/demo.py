"""`python -m identity.demo`: load demo units and employees (idempotent), print the demo logins.

Four units (DISDIK and DINKES under SETDA, plus BKPSDM) and 28 employees:
per unit a head (kepala), two heads of division reporting to the head and
staff reporting to those, so every unit has a two-level supervisor chain.
NIPs are fixed (a seeded generator), so every run loads the same people;
a second run creates nothing and prints the same table. Everything goes
through the store with its outbox event, so presence and performance
receive the demo people like any other.

Every demo user signs in with the password DEMO_PASSWORD.
"""
from __future__ import annotations

import random

from sipk_shared.mongo import MongoProvider

from .config import Settings
from .domain.nip import is_valid_nip
from .events import employee_event, unit_event
from .hashing import hash_password
from .store import IdentityStore

DEMO_PASSWORD = "Demo-Pelawan-2020"

UNITS = [
    {"code": "BKPSDM", "name": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "parent_code": None},
    {"code": "SETDA", "name": "Sekretariat Daerah", "parent_code": None},
    {"code": "DISDIK", "name": "Dinas Pendidikan", "parent_code": "SETDA"},
    {"code": "DINKES", "name": "Dinas Kesehatan", "parent_code": "SETDA"},
]

FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Rudi", "Nur", "Agus", "Rina", "Hendra", "Yuni", "Eko", "Sri",
         "Joko", "Wati", "Andi", "Lestari", "Bambang", "Fitri", "Dedi", "Ratna", "Irfan", "Maya", "Taufik",
         "Indah", "Yusuf", "Putri", "Fajar", "Ayu", "Rahmat", "Nia", "Hasan", "Dian"]
LAST = ["Saputra", "Rahmawati", "Santoso", "Lestari", "Hidayat", "Kurniawan", "Wulandari", "Pratama",
        "Susanti", "Setiawan", "Nugroho", "Permata"]

STAFF_PER_DIVISION = 2


def demo_nip(rng: random.Random) -> str:
    while True:
        year = rng.randint(1968, 1995)
        nip = (f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
               f"{year + rng.randint(20, 25)}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}")
        if is_valid_nip(nip):
            return nip


def demo_people() -> list[dict]:
    """The same 28 employees on every run, supervisors before their subordinates."""
    rng = random.Random(20200601)
    names = iter(f"{first} {rng.choice(LAST)}" for first in FIRST)
    people: list[dict] = []

    def person(unit: str, position: str, supervisor: str | None) -> str:
        nip = demo_nip(rng)
        people.append({"nip": nip, "name": next(names), "unit_code": unit, "position": position,
                       "supervisor_nip": supervisor})
        return nip

    for unit in UNITS:
        head = person(unit["code"], f"Kepala {unit['code']}", None)
        for division in (1, 2):
            chief = person(unit["code"], f"Kepala Bidang {division}", head)
            for _ in range(STAFF_PER_DIVISION):
                person(unit["code"], "Analis", chief)
    return people


def load(store: IdentityStore) -> tuple[int, int, list[dict]]:
    """Create what is missing; answers (units created, employees created, the demo people)."""
    units_created = sum(store.upsert_unit_if_missing(unit, unit_event("created", unit)) for unit in UNITS)
    people = demo_people()
    password_hash: str | None = None
    employees_created = 0
    for person in people:
        if store.get_employee(person["nip"]) is not None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)  # argon2 is slow: once per run
        employee = {**person, "email": None, "roles": ["employee"], "active": True,
                    "password_hash": password_hash, "password_change_required": False}
        employees_created += store.insert_employee(employee, employee_event("created", employee))
    return units_created, employees_created, people


def main() -> None:
    settings = Settings.from_env()
    store = IdentityStore(MongoProvider(settings.mongo_uri, settings.mongo_db).db)
    store.ensure_indexes()
    units_created, employees_created, people = load(store)
    print(f"identity demo: {units_created} units and {employees_created} employees created "
          f"({len(UNITS)} units, {len(people)} employees in the demo set)")
    print(f"every demo user's password: {DEMO_PASSWORD}")
    print(f"{'nip':18}  {'name':22}  {'unit':7}  {'position':18}  supervisor")
    for p in people:
        print(f"{p['nip']:18}  {p['name']:22}  {p['unit_code']:7}  {p['position']:18}  {p['supervisor_nip'] or '-'}")


if __name__ == "__main__":
    main()
