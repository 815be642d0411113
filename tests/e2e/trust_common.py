"""What the trust e2e modules share: a team in an all-day office, people with minted tokens, check-in bodies
with the app's trust fields, and past days written the way presence stores them."""
from __future__ import annotations

import base64
import io
import secrets
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from support import GATEWAY, RUN_DIR, bearer, wait_until
from e2e.presence_common import KOBA, TZ, all_day_unit, offset, today

API = f"{GATEWAY}/api/presence/v1"


def now_iso(delta_s: float = 0.0) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=delta_s)).isoformat()


def near(metres: float = 8.0, azimuth: float | None = None) -> tuple[float, float]:
    """A point ``metres`` from the office, in a random direction (an honest fix jitters)."""
    return offset(KOBA[0], KOBA[1], metres, azimuth if azimuth is not None else secrets.randbelow(360))


def body(who: dict, point: tuple[float, float] | None = None, **fields) -> dict:
    """A check-in/out body as the web app sends it: position, accuracy, device, the fix's and the attempt's time."""
    lat, lon = point or near()
    out = {"latitude": lat, "longitude": lon, "accuracy_m": 12.0, "device_id": who["device"],
           "position_timestamp": now_iso(-2), "attempted_at": now_iso()}
    out.update(fields)
    return {k: v for k, v in out.items() if v is not None}


def check_in(who: dict, point=None, mode: str = "WFO", **fields) -> requests.Response:
    return requests.post(f"{API}/check-ins", json={**body(who, point, **fields), "mode": mode},
                         headers=who["headers"], timeout=30)


def check_out(who: dict, point=None, **fields) -> requests.Response:
    return requests.post(f"{API}/check-outs", json=body(who, point, **fields), headers=who["headers"], timeout=30)


def yesterday() -> str:
    return (today() - timedelta(days=1)).isoformat()


def past_day(nip: str, day: str, point: tuple[float, float], *, at: datetime | None = None,
             out_point: tuple[float, float] | None = None, out_at: datetime | None = None, **extra) -> dict:
    """A past day's check-in document as presence stores it (``out_point``: with a check-out there)."""
    at = at or datetime.fromisoformat(f"{day}T00:30:00+00:00")
    doc = {"_id": f"{nip}:{day}", "id": uuid.uuid4().hex, "nip": nip, "date": day, "mode": "WFO", "office_code": None,
           "timezone": TZ, "checked_in_at": at, "location": {"latitude": point[0], "longitude": point[1],
                                                             "accuracy_m": 10.0},
           "distance_m": 5.0, "late_minutes": 0, "non_working_day": False, "holiday": None, "check_out": None,
           "flags": [], "review": None}
    if out_point is not None:
        doc["check_out"] = {"checked_out_at": out_at or at + timedelta(hours=8), "latitude": out_point[0],
                            "longitude": out_point[1], "accuracy_m": 10.0, "distance_m": 5.0,
                            "early_leave_minutes": 0, "flags": []}
    doc.update(extra)
    return doc


def jpeg(size=(64, 48), exif_gps: bool = False) -> str:
    """A real JPEG, base64 (optionally with an EXIF block the server must not keep)."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "SecretModel X"  # Model
        kwargs["exif"] = exif.tobytes()
    image.save(out, format="JPEG", **kwargs)
    return base64.b64encode(out.getvalue()).decode()


@pytest.fixture(scope="module")
def trust_unit(admin_token):
    with all_day_unit(admin_token, "TR") as unit_code:
        yield unit_code


@pytest.fixture(scope="module")
def office_code(trust_unit, mongo_client):
    import os

    doc = mongo_client[os.environ.get("SIPK_PRESENCE_DB", "presence")].offices.find_one({"unit_codes": trust_unit})
    return doc["_id"]


@pytest.fixture(scope="module")
def people(make_employee, mongo_client, trust_unit):
    """``people(n, supervisor=...)``: n employees of the unit known to presence, each with a token (minted with
    the stack's key: n sign-ins would only measure argon2) and a device id of their own."""
    import os

    from identity.keys import load_signing_key
    from identity.tokens import issue_access_token

    key = load_signing_key(str(Path(RUN_DIR) / "secrets" / "jwt_ed25519.pem"))
    presence = mongo_client[os.environ.get("SIPK_PRESENCE_DB", "presence")]

    def make(n: int = 1, *, supervisor: dict | None = None, unit: str | None = None, roles=("employee",)) -> list[dict]:
        unit_code = unit or trust_unit
        made = [make_employee(unit_code=unit_code, supervisor_nip=supervisor["nip"] if supervisor else None,
                              roles=roles) for _ in range(n)]
        nips = [p["nip"] for p in made]
        wait_until(lambda: presence.employees.count_documents({"_id": {"$in": nips}}) == n, timeout=60,
                   message=f"copies of {n} employees")
        for p in made:
            token = issue_access_token(key, nip=p["nip"], name=p["name"], unit=unit_code, roles=list(roles),
                                       password_change_required=False, issuer="sipk-identity", audience="sipk",
                                       ttl_s=3600)
            p.update(headers=bearer(token), device=f"test-device-{uuid.uuid4()}")
        return made

    return make


def recap_row(who_boss: dict, nip: str, month: str) -> dict:
    resp = requests.get(f"{API}/recap", params={"month": month}, headers=who_boss["headers"], timeout=30)
    assert resp.status_code == 200, resp.text
    return next(r for r in resp.json()["items"] if r["nip"] == nip)


def month_of(day: str | date) -> str:
    return str(day)[:7]
