"""create_app(): the composition root of the performance service."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask

from sipk_shared import revocations
from sipk_shared.auth import CachingTokenVerifier, JwksKeySource, TokenVerifier
from sipk_shared.logs import setup_logging
from sipk_shared.mongo import MongoProvider, run_when_database_answers
from sipk_shared.outbox import backlog
from sipk_shared.web import create_base_app
from sipk_shared.whoami import whoami_blueprint

from .config import Settings
from .heartbeats import HeartbeatBuffer
from .store import Store

TITLE = "Performance API (Si Ketawai)"
DESCRIPTION = "Online status for supervisors, tasks and submissions, daily work log, SKP."


@dataclass
class PerformanceContext:
    """What request handlers need, built once per worker process."""

    settings: Settings
    mongo: MongoProvider
    heartbeats: HeartbeatBuffer = field(init=False)
    stream_slots: object = field(init=False)

    def __post_init__(self):
        from .api.status import StreamSlots  # noqa: PLC0415 - api imports flask-smorest

        self.heartbeats = HeartbeatBuffer(lambda: self.store, self.settings.heartbeat_flush_ms)
        self.stream_slots = StreamSlots(self.settings.stream_max_per_process, self.settings.stream_max_per_user)

    @property
    def store(self) -> Store:
        return Store(self.mongo.db)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    setup_logging("performance", settings.log_level)
    mongo = MongoProvider(settings.mongo_uri, settings.mongo_db)
    verifier = CachingTokenVerifier(TokenVerifier(JwksKeySource(settings.jwks_url),
                                                  issuer=settings.jwt_issuer, audience=settings.jwt_audience),
                                    revocations=revocations.RevocationList(lambda: mongo.db))
    app, api = create_base_app(
        settings, title=TITLE, description=DESCRIPTION, verifier=verifier, database_ready=mongo.ping,
        readiness_details={"outbox_backlog": lambda: backlog(mongo.db)},
        max_body_bytes=settings.max_body_bytes)
    app.extensions["performance"] = PerformanceContext(settings, mongo)

    from .api import dailylogs, skp, status, tasks

    api.register_blueprint(whoami_blueprint("performance"))
    api.register_blueprint(status.blp)
    api.register_blueprint(tasks.blp)
    api.register_blueprint(dailylogs.blp)
    api.register_blueprint(skp.blp)
    run_when_database_answers(Store(mongo.db).ensure_indexes, what="indexes")
    run_when_database_answers(lambda: revocations.ensure_index(mongo.db), what="revocation index")
    return app
