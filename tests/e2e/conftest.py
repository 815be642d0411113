"""Fixtures shared by the e2e tests."""
from __future__ import annotations

import pytest
import requests

from support import bearer


@pytest.fixture(scope="module")
def admin(gateway, admin_token):
    """A session signed in as the bootstrap admin; `admin.base` is identity's API root through the gateway."""
    s = requests.Session()
    s.headers.update(bearer(admin_token))
    s.base = gateway + "/api/identity/v1"
    return s


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for every browser test of the session."""
    from playwright.sync_api import sync_playwright

    from e2e.web_app import CHROMIUM, FLAGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session", autouse=True)
def fresh_sign_in_budgets(identity_db):
    """The test stack's sign-in throttle starts empty: a run within a day of the last one would
    otherwise meet its lockouts (which grow with each lockout of the day)."""
    identity_db.login_throttle.delete_many({})
    yield
