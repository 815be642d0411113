"""A real Flask app built the way the services build theirs, with no database or broker behind it."""
from __future__ import annotations

import pytest

from sipk_shared.auth import StaticKeySource, TokenVerifier
from sipk_shared.settings import CommonSettings
from sipk_shared.web import create_base_app


@pytest.fixture()
def demo_app():
    """``demo_app(max_body_bytes)`` -> (app, api) of a service called "demo"."""
    def make(max_body_bytes: int = 1000):
        settings = CommonSettings(**CommonSettings.common_from_env("demo"))
        settings = CommonSettings(**{**settings.__dict__, "amqp_url": "amqp://guest:guest@127.0.0.1:1/%2F"})
        verifier = TokenVerifier(StaticKeySource({}), issuer="i", audience="a")
        return create_base_app(settings, title="t", description="d", verifier=verifier,
                               database_ready=lambda: False, max_body_bytes=max_body_bytes)

    return make
