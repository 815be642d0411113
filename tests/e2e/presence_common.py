"""What the presence e2e modules share: where presence lives, the test offices' place and zone, the
calendar helpers and the ``api`` / ``admin`` / ``db`` fixtures (import them by name)."""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests
from pyproj import Geod

from support import GATEWAY, bearer

PRESENCE_DB = os.environ.get("SIPK_PRESENCE_DB", "presence")
KOBA = (-2.4816, 106.3998)
TZ = "Asia/Jakarta"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GEOD = Geod(ellps="WGS84")


def offset(lat: float, lon: float, metres: float, azimuth: float = 45.0) -> tuple[float, float]:
    """The point `metres` away from (lat, lon) along `azimuth` (pyproj: lon first)."""
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, metres)
    return lat2, lon2


def today(tz: str = TZ) -> date:
    return datetime.now(timezone.utc).astimezone(ZoneInfo(tz)).date()


def check_in_doc(nip: str, day: str, *, late: int = 0, early: int | None = 0, mode: str = "WFO") -> dict:
    """A past day's check-in document as presence stores it (``early=None``: no check-out)."""
    at = datetime.fromisoformat(f"{day}T00:30:00+00:00")
    out = None if early is None else {"checked_out_at": at + timedelta(hours=8), "early_leave_minutes": early,
                                      "latitude": KOBA[0], "longitude": KOBA[1], "accuracy_m": 10,
                                      "distance_m": 0.0}
    return {"_id": f"{nip}:{day}", "id": secrets.token_hex(16), "nip": nip, "date": day, "mode": mode,
            "office_code": None, "timezone": TZ, "checked_in_at": at,
            "location": {"latitude": KOBA[0], "longitude": KOBA[1], "accuracy_m": 10}, "distance_m": 0.0,
            "late_minutes": late, "non_working_day": False, "holiday": None, "check_out": out}


def iso(d: date) -> str:
    return d.isoformat()


@pytest.fixture(scope="module")
def api(gateway) -> str:
    return f"{gateway}/api/presence/v1"


@pytest.fixture(scope="module")
def admin(admin_token) -> dict:
    return bearer(admin_token)


@pytest.fixture(scope="module")
def db(mongo_client):
    return mongo_client[PRESENCE_DB]


def open_office(admin_token: str, code: str, unit_codes: list[str], name: str = "Kantor uji") -> dict:
    """An office at Koba, open the whole day every day (Asia/Jakarta), housing ``unit_codes``."""
    resp = requests.post(f"{GATEWAY}/api/presence/v1/offices", headers=bearer(admin_token), timeout=10, json={
        "code": code, "name": name, "latitude": KOBA[0], "longitude": KOBA[1], "timezone": TZ,
        "unit_codes": unit_codes, "schedule": {"days": {d: {"start": "00:00", "end": "23:59"} for d in DAYS}}})
    assert resp.status_code == 201, resp.text
    return resp.json()


@contextmanager
def all_day_unit(admin_token: str, prefix: str):
    """A fresh unit code housed in a fresh all-day office (deleted afterwards); yields the unit code."""
    code, unit_code = f"{prefix}-{secrets.token_hex(4).upper()}", f"U{prefix}{secrets.token_hex(4).upper()}"
    open_office(admin_token, code, [unit_code])
    try:
        yield unit_code
    finally:
        requests.delete(f"{GATEWAY}/api/presence/v1/offices/{code}", headers=bearer(admin_token), timeout=10)
