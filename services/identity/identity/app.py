"""create_app(): the composition root of the identity service."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, has_request_context

from sipk_shared.auth import StaticKeySource, TokenVerifier
from sipk_shared.logs import setup_logging
from sipk_shared.mongo import MongoProvider, run_when_database_answers
from sipk_shared.outbox import backlog
from sipk_shared.web import client_address, create_base_app, parse_networks

from .bootstrap import ensure_bootstrap_admin
from .config import Settings
from .keys import SigningKey, load_signing_key
from .signin import SignIn
from .store import IdentityStore


@dataclass
class IdentityContext:
    """What request handlers need, built once per worker process."""

    settings: Settings
    mongo: MongoProvider
    key: SigningKey

    @property
    def store(self) -> IdentityStore:
        return IdentityStore(self.mongo.db)

    @property
    def signin(self) -> SignIn:
        """For the current request: the client's address feeds the sign-in throttle."""
        return SignIn(self.store, self.key, self.settings,
                      client=client_address(self.trusted_proxies) if has_request_context() else "")

    @property
    def trusted_proxies(self):
        return parse_networks(self.settings.trusted_proxies)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    setup_logging("identity", settings.log_level)
    key = load_signing_key(settings.private_key_file)
    mongo = MongoProvider(settings.mongo_uri, settings.mongo_db)
    verifier = TokenVerifier(StaticKeySource({key.kid: key.public_key}),
                             issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    app, api = create_base_app(
        settings, title="Identity API", verifier=verifier, database_ready=mongo.ping,
        description="Employees, units, supervisor hierarchy and sign-in for Si Pelawan & Si Ketawai.",
        readiness_details={"outbox_backlog": lambda: backlog(mongo.db)})
    context = IdentityContext(settings, mongo, key)
    app.extensions["identity"] = context

    from .api import audit, auth, employees, me, units

    for module in (auth, me, units, employees, audit):
        api.register_blueprint(module.blp)

    store = context.store
    def start_up() -> None:
        store.ensure_indexes()
        ensure_bootstrap_admin(store, settings.bootstrap_admin_nip, settings.bootstrap_admin_password)

    run_when_database_answers(start_up, what="indexes and bootstrap admin")
    return app
