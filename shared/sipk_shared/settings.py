"""Configuration from environment variables, with working local defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name} must be an integer, got {raw!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class CommonSettings:
    """Settings every service needs; each service extends it with its own."""

    service: str
    mongo_uri: str
    mongo_db: str
    amqp_url: str
    exchange: str
    jwks_url: str
    jwt_issuer: str
    jwt_audience: str
    log_level: str

    @classmethod
    def common_from_env(cls, service: str) -> dict:
        return dict(
            service=service,
            mongo_uri=env_str("MONGO_URI", "mongodb://127.0.0.1:27017"),
            mongo_db=env_str("MONGO_DB", service),
            amqp_url=env_str("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"),
            exchange=env_str("EVENT_EXCHANGE", "sipk.events"),
            jwks_url=env_str("JWKS_URL", "http://127.0.0.1:8001/api/identity/v1/auth/jwks"),
            jwt_issuer=env_str("JWT_ISSUER", "sipk-identity"),
            jwt_audience=env_str("JWT_AUDIENCE", "sipk"),
            log_level=env_str("LOG_LEVEL", "INFO"),
        )
