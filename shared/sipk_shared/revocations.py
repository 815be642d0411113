"""Access tokens that stop working before they expire: the "not before" list every service keeps.

Access tokens are verified locally and live 15 minutes, so removing a power (deactivation, a
role change, logout, a password reset) must reach every service: identity publishes
``identity.sessions.revoked`` ``{nip, not_before, sid?, reason}`` through its outbox, each
service's worker stores it here (``apply``), and every web process refuses a token issued before
the NIP's ``not_before`` (or, with ``sid``, before that session's), reading this small collection
again at most every ``poll_s`` seconds (``RevocationList``). The worst-case delay is the event's
delay (relay + broker + consumer, about a second when the broker is up) plus ``poll_s``.

``not_before`` is whole seconds (the ``iat`` claim is): a token is refused when its ``iat`` is
below it. Identity rounds the revocation instant up and issues later tokens with ``iat`` at least
that value, so a token issued in the same second before the revocation dies and one after lives.
Entries are needed only while tokens issued before them can still be alive (``keep_s`` after the
revocation), then they are purged.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from pymongo.database import Database

from .errors import ApiError
from .i18n import Msg

COLLECTION = "token_revocations"
EVENT_TYPE = "identity.sessions.revoked"
DEFAULT_KEEP_S = 900 + 120  # the access-token lifetime plus clock leeway


def _key(nip: str | None, sid: str | None) -> str:
    return f"sid:{sid}" if sid else f"nip:{nip}"


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(str(value))


def apply(db: Database, data: dict[str, Any], *, keep_s: int = DEFAULT_KEEP_S) -> None:
    """Store one ``identity.sessions.revoked`` event (idempotent; a later not_before wins).

    Raises ValueError for an event that does not carry a nip or a readable not_before."""
    nip, sid = data.get("nip"), data.get("sid")
    if not isinstance(nip, str) or not nip:
        raise ValueError("sessions.revoked without nip")
    if sid is not None and not isinstance(sid, str):
        raise ValueError("sessions.revoked with a non-string sid")
    try:
        not_before = _instant(data["not_before"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("sessions.revoked without a readable not_before") from exc
    now = datetime.now(timezone.utc)
    db[COLLECTION].update_one(
        {"_id": _key(nip, sid)},
        {"$max": {"not_before": not_before, "keep_until": not_before + timedelta(seconds=keep_s)},
         "$set": {"nip": nip, "sid": sid, "updated_at": now}},
        upsert=True)


def consuming(db: Callable[[], Database], handler: Callable[[dict], None]) -> Callable[[dict], None]:
    """Wrap a service's event handler: ``identity.sessions.revoked`` is stored here, every other
    event goes on to ``handler`` (bind the queue to ``identity.sessions.*`` as well)."""
    from .bus import PermanentError

    def handle(envelope: dict) -> None:
        if envelope["type"] != EVENT_TYPE:
            handler(envelope)
            return
        try:
            apply(db(), envelope["data"])
        except ValueError as exc:
            raise PermanentError(str(exc)) from exc

    return handle


def purge(db: Database) -> int:
    """Drop entries no live token can be older than (the worker runs this now and then)."""
    return db[COLLECTION].delete_many({"keep_until": {"$lt": datetime.now(timezone.utc)}}).deleted_count


def ensure_index(db: Database) -> None:
    db[COLLECTION].create_index([("updated_at", 1)], name="by_updated")


class RevocationList:
    """The web process's copy of the collection, refreshed at most every ``poll_s`` seconds.

    The first refresh reads everything; later ones only entries updated since (with a little
    overlap for entries written while we read). A failed refresh raises (the database is down:
    the request gets 503 like any other that needs it) and is retried by the next request.
    """

    def __init__(self, db: Callable[[], Database], *, poll_s: float = 1.0, clock=time.monotonic):
        self._db = db
        self._poll_s = poll_s
        self._clock = clock
        self._by_key: dict[str, float] = {}
        self._read_at: float | None = None
        self._since: datetime | None = None
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        now = self._clock()
        if self._read_at is not None and now - self._read_at < self._poll_s:
            return
        with self._lock:
            if self._read_at is not None and self._clock() - self._read_at < self._poll_s:
                return
            started = datetime.now(timezone.utc)
            query = {} if self._since is None else {"updated_at": {"$gte": self._since - timedelta(seconds=5)}}
            for doc in self._db()[COLLECTION].find(query, {"not_before": 1}):
                self._by_key[doc["_id"]] = _instant(doc["not_before"]).timestamp()
            self._since = started
            self._read_at = self._clock()
            if len(self._by_key) > 200_000:  # only after a flood: start again from the collection
                self._by_key.clear()
                self._since = None
                self._read_at = None

    def revoked(self, nip: str, issued_at: float, sid: str | None = None) -> bool:
        self._refresh()
        for key in (_key(nip, None), _key(None, sid) if sid else None):
            if key is not None:
                not_before = self._by_key.get(key)
                if not_before is not None and issued_at < not_before:
                    return True
        return False

    def check(self, principal) -> None:
        if self.revoked(principal.nip, principal.issued_at, principal.session_id):
            raise token_revoked()


def token_revoked() -> ApiError:
    return ApiError(401, "token_revoked",
                    Msg("Sesi masuk ini sudah diakhiri (keluar, kata sandi atau peran diubah, atau akun "
                        "dinonaktifkan); silakan masuk lagi atau perbarui token.",
                        "This sign-in was ended (signed out, password or roles changed, or "
                        "account deactivated); sign in again or refresh the token."))
