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
