"""create_app(): the composition root of the presence service."""
from __future__ import annotations

from flask import Flask

from sipk_shared.auth import JwksKeySource, TokenVerifier
from sipk_shared.logs import setup_logging
from sipk_shared.mongo import MongoProvider
from sipk_shared.outbox import backlog
from sipk_shared.web import create_base_app

from .config import Settings
from .store import OUTBOX_COLLECTIONS, Store


TITLE = "Presence API (Si Pelawan)"
DESCRIPTION = "GPS-fenced check-in/out, schedules, rosters, leave and recaps."


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    setup_logging("presence", settings.log_level)
    mongo = MongoProvider(settings.mongo_uri, settings.mongo_db)
    verifier = TokenVerifier(JwksKeySource(settings.jwks_url),
                             issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    app, api = create_base_app(
        settings, title=TITLE, description=DESCRIPTION, verifier=verifier, database_ready=mongo.ping,
        readiness_details={"outbox_backlog": lambda: backlog(mongo.db, OUTBOX_COLLECTIONS)})
    app.extensions["presence"] = mongo

    from .api import whoami

    api.register_blueprint(whoami.blp)
    Store(mongo.db).ensure_indexes()
    return app
