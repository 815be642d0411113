"""create_app(): the composition root of the presence service."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from flask import Flask, g

from sipk_shared import revocations
from sipk_shared.auth import CachingTokenVerifier, JwksKeySource, TokenVerifier
from sipk_shared.logs import setup_logging
from sipk_shared.mongo import MongoProvider, run_when_database_answers
from sipk_shared.outbox import backlog
from sipk_shared.web import create_base_app
from sipk_shared.whoami import whoami_blueprint

from .annual_leave import AnnualLeave
from .attendance import Attendance, utc_clock
from .config import Settings
from .directory import Directory
from .store import Store
from .trust import TrustCheck

TITLE = "Presence API (Si Pelawan)"
DESCRIPTION = "GPS-fenced check-in/out, schedules, rosters, leave and recaps."


@dataclass
class PresenceContext:
    """What request handlers need, built once per worker process.

    ``clock`` is the server's clock (aware UTC). It is injectable for the
    composition root only (e.g. an embedding or a unit test building its own
    app); there is deliberately no environment switch to move it in production.
    """

    settings: Settings
    mongo: MongoProvider
    clock: Callable[[], datetime] = utc_clock
    directory: Directory = field(init=False)

    def __post_init__(self) -> None:
        self.directory = Directory(lambda: Store(self.mongo.db), ttl_s=self.settings.office_cache_s)

    @property
    def store(self) -> Store:
        return Store(self.mongo.db)

    @property
    def annual_leave(self) -> AnnualLeave:
        return AnnualLeave(self.store, self.directory, self.settings.leave_balance_rules)

    @property
    def attendance(self) -> Attendance:
        store = self.store
        trust = TrustCheck(store, self.settings.trust, self.settings.repeat_lookback_days)
        return Attendance(store, self.directory, self.clock, request_id=g.get("request_id"), trust=trust,
                          photo_max_bytes=self.settings.photo_max_bytes)


def create_app(settings: Settings | None = None, *, clock: Callable[[], datetime] | None = None) -> Flask:
    settings = settings or Settings.from_env()
    setup_logging("presence", settings.log_level)
    mongo = MongoProvider(settings.mongo_uri, settings.mongo_db)
    # Check-in is the hot path: a phone's token is verified once, not on every request.
    verifier = CachingTokenVerifier(TokenVerifier(JwksKeySource(settings.jwks_url),
                                                  issuer=settings.jwt_issuer, audience=settings.jwt_audience),
                                    revocations=revocations.RevocationList(lambda: mongo.db))
    app, api = create_base_app(
        settings, title=TITLE, description=DESCRIPTION, verifier=verifier, database_ready=mongo.ping,
        readiness_details={"outbox_backlog": lambda: backlog(mongo.db)})
    context = PresenceContext(settings, mongo, clock or utc_clock)
    app.extensions["presence"] = context

    from .api import attendance, audit, checkins, holidays, home, leave, offices, recap, rosters
    from .api import corrections, trust

    api.register_blueprint(whoami_blueprint("presence"))
    api.register_blueprint(offices.blp)
    api.register_blueprint(holidays.blp)
    api.register_blueprint(checkins.blp)
    api.register_blueprint(attendance.blp)
    api.register_blueprint(leave.blp)
    api.register_blueprint(rosters.blp)
    api.register_blueprint(recap.blp)
    api.register_blueprint(home.blp)
    api.register_blueprint(audit.blp)
    api.register_blueprint(trust.blp)
    api.register_blueprint(corrections.blp)
    run_when_database_answers(context.store.ensure_indexes, what="indexes")
    run_when_database_answers(lambda: revocations.ensure_index(mongo.db), what="revocation index")
    return app
