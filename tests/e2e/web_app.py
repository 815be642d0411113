"""What the web app's browser tests share: one Chromium per session (the ``browser`` fixture is in
conftest.py), phone-sized contexts with a geolocation override, a session resumed from the refresh
cookie, console watching and screenshots kept as artefacts outside git."""
from __future__ import annotations

import os
import re
import secrets
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import requests

from support import GATEWAY, IDENTITY_DIRECT, RUN_DIR, bearer
from e2e.presence_common import DAYS, KOBA, offset  # noqa: F401 - offset is re-exported for the web tests

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(os.environ.get("SIPK_ARTIFACTS") or Path(RUN_DIR) / "artifacts")
PRESENCE = f"{GATEWAY}/api/presence/v1"
PERFORMANCE = f"{GATEWAY}/api/performance/v1"

# What a raw error body, a stack or a stringified object would look like on screen.
RAW = re.compile(r'\{"|"error"\s*:|\[object Object\]|Traceback|at [A-Za-z_$][\w$]*\s*\(|undefined|NaN')
# Chromium logs each HTTP error answer and each request a test cut off as a console "error";
# those are the API's answers (shown to the user as text), not faults of the page.
BROWSER_NETWORK_LOG = re.compile(r"^Failed to load resource: (the server responded with a status of (4\d\d)|net::ERR_INTERNET_DISCONNECTED)")


def suffix() -> str:
    return secrets.token_hex(3).upper()


def local_now(tz: str) -> datetime:
    return datetime.now(timezone.utc).astimezone(ZoneInfo(tz))


def pick_zone() -> str:
    """Indonesia's zones first (WIB/WITA/WIT on screen); one where it is 01:00-20:59 now."""
    for tz in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Europe/London", "America/New_York",
               "Pacific/Honolulu", "Asia/Kolkata"):
        if 1 <= local_now(tz).hour <= 20:
            return tz
    pytest.skip("no time zone with a suitable local time right now")


def make_office(admin_headers: dict, tz: str, *, lat: float = KOBA[0], lon: float = KOBA[1]) -> dict:
    """An office where today is a working day and checking in now is on time (start in 2 hours)."""
    code = f"W-{suffix()}"
    start = local_now(tz) + timedelta(hours=2)  # pick_zone: still today, before 23:00
    start_s = f"{start.hour:02d}:{start.minute:02d}"
    body = {"code": code, "name": f"Kantor Uji {code}", "latitude": lat, "longitude": lon, "timezone": tz,
            "unit_codes": [f"WU{suffix()}"], "radius_m": 50,
            "schedule": {"days": {d: {"start": start_s, "end": "23:59"} for d in DAYS}, "grace_minutes": 0}}
    resp = requests.post(f"{PRESENCE}/offices", json=body, headers=admin_headers, timeout=10)
    assert resp.status_code == 201, resp.text
    return resp.json()


def cookie_session(person: dict) -> dict:
    """Sign in at identity directly in cookie mode (the gateway limits logins per IP) and return the
    HttpOnly refresh cookie as Playwright wants it; the app resumes its session from it."""
    resp = requests.post(f"{IDENTITY_DIRECT}/api/identity/v1/auth/login",
                         json={"nip": person["nip"], "password": person["password"]},
                         headers={"X-Token-Transport": "cookie"}, timeout=10)
    assert resp.status_code == 200, resp.text
    value = resp.cookies.get("sipk_refresh")
    assert value
    return {"name": "sipk_refresh", "value": value, "domain": urlparse(GATEWAY).hostname,
            "path": "/api/identity/v1/auth", "httpOnly": True, "sameSite": "Strict", "secure": False}


class Phone:
    """One person's phone: a browser context with its own cookies, position and console log."""

    def __init__(self, browser, *, position: tuple[float, float] | None = None, accuracy: float = 5.0):
        self.context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="id-ID",
                                           permissions=["geolocation"], is_mobile=True, has_touch=True,
                                           geolocation=self._geo(position or KOBA, accuracy))
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", self._console)

    @staticmethod
    def _geo(position, accuracy):
        return {"latitude": position[0], "longitude": position[1], "accuracy": accuracy}

    def _console(self, msg) -> None:
        if msg.type == "error" and not BROWSER_NETWORK_LOG.match(msg.text):
            self.errors.append(f"console.error: {msg.text}")

    def at(self, position: tuple[float, float], accuracy: float = 5.0) -> None:
        self.context.set_geolocation(self._geo(position, accuracy))

    def signed_in_as(self, person: dict, path: str = "/") -> "Phone":
        self.context.add_cookies([cookie_session(person)])
        self.page.goto(f"{GATEWAY}{path}")
        self.page.locator("#page-title").wait_for()
        return self

    def go(self, path: str) -> None:
        """In-app navigation (no reload), as a tap on a link does."""
        self.page.evaluate("path => { history.pushState(null, '', path); dispatchEvent(new PopStateEvent('popstate')); }", path)

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def assert_readable(self) -> None:
        """No raw JSON, stack or [object Object] anywhere on the screen."""
        body = self.page.locator("body").inner_text()
        assert not RAW.search(body), body

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


def admin_put_roster(admin_headers: dict, nip: str, day: str, mode: str) -> None:
    resp = requests.put(f"{PRESENCE}/rosters/{nip}/{day}", json={"mode": mode}, headers=admin_headers, timeout=10)
    assert resp.status_code == 200, resp.text


def api_get(path: str, token: str) -> dict:
    resp = requests.get(path, headers=bearer(token), timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()
