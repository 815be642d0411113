"""Password-guessing brakes that do not hand out a denial of service.

A lock on the NIP alone let anyone keep a victim out forever (five wrong passwords every 15
minutes, from anywhere). So the budgets are:

* per NIP and client address (``LOGIN_LOCKOUT_FAILURES``, 5 per ``LOGIN_LOCKOUT_WINDOW_S``):
  the attacker's own address gets locked, the victim elsewhere signs in;
* per NIP over all addresses (``LOGIN_NIP_FAILURES``, 20) and per address over all NIPs
  (``LOGIN_ADDRESS_FAILURES``, 50: password spraying): these locks stop only clients that have
  never signed this NIP in from that address (within ``LOGIN_KNOWN_CLIENT_DAYS``), so staff
  keep working while a botnet or a sprayer is slowed.

Each lock lasts the window, doubled for every earlier lockout of the same key in the last 24
hours (at most a day), answers 429 ``too_many_attempts`` with ``Retry-After``, and is written to
the audit trail (entity ``login``), where admins see repeated lockouts. A try is taken from the
budget atomically *before* the password is checked, so 50 parallel guesses get exactly 5 checks.

The address is the client's as the gateway saw it (X-Real-IP, trusted only from
``TRUSTED_PROXIES``; see sipk_shared.web.client_address). Staff behind one NAT address share the
per-address budget but each keeps a known (NIP, address) pair.
"""
from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from .config import Settings
from .domain.lockout import lock_seconds
from .store import IdentityStore, audit_entry

log = logging.getLogger(__name__)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def too_many(wait_s: float) -> ApiError:
    minutes = max(1, math.ceil(wait_s / 60))
    return ApiError(429, "too_many_attempts",
                    Msg("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {m} menit.",
                        "Too many failed sign-ins. Try again in {m} minute{s}.",
                        m=minutes, s="s" if minutes > 1 else ""),
                    retry_after_s=max(1, math.ceil(wait_s)))


@dataclass
class LoginThrottle:
    store: IdentityStore
    settings: Settings
    client: str  # the client's address ("" when unknown)

    # ------------------------------------------------------------------ keys
    def _pair(self, nip: str) -> str:
        return f"pair:{nip}|{self.client}"

    def _pair_hash(self, nip: str) -> str:
        return hashlib.sha256(f"{nip}|{self.client}".encode()).hexdigest()

    def _wider(self, nip: str) -> list[tuple[str, int]]:
        s = self.settings
        return [(f"nip:{nip}", s.login_nip_failures), (f"addr:{self.client}", s.login_address_failures)]

    # ------------------------------------------------------------------ steps
    def _wait_for(self, key: str) -> float | None:
        """Seconds ``key`` stays locked, or None."""
        doc = self.store.throttle_state(key)
        until = doc.get("locked_until") if doc else None
        if until is None:
            return None
        wait = (_aware(until) - datetime.now(timezone.utc)).total_seconds()
        return wait if wait > 0 else None

    def take_try(self, nip: str) -> int:
        """Before checking a password: 429 while a lock applies, else take one try of the pair's
        budget (atomic) and answer its number."""
        if not self.store.known_client(self._pair_hash(nip), timedelta(days=self.settings.login_known_client_days)):
            for key, _limit in self._wider(nip):
                wait = self._wait_for(key)
                if wait is not None:
                    raise too_many(wait)
        number = self.store.throttle_take(self._pair(nip), self.settings.lockout_failures,
                                          self.settings.lockout_window_s)
        if number is None:  # spent (its lock may be being written by the last try right now)
            wait = self._wait_for(self._pair(nip))
            if wait is None:
                doc = self.store.throttle_state(self._pair(nip)) or {}
                start = _aware(doc.get("window_start") or datetime.now(timezone.utc))
                wait = max(1.0, (start + timedelta(seconds=self.settings.lockout_window_s)
                                 - datetime.now(timezone.utc)).total_seconds())
            raise too_many(wait)
        return number

    def succeeded(self, nip: str) -> None:
        self.store.throttle_clear(self._pair(nip))
        self.store.remember_client(self._pair_hash(nip))

    def failed(self, nip: str, number: int) -> None:
        """After a wrong password (try ``number`` of the pair's budget)."""
        if number >= self.settings.lockout_failures:
            self._lock(self._pair(nip), nip, "nip_and_address")
        for key, limit in self._wider(nip):
            taken = self.store.throttle_take(key, limit, self.settings.lockout_window_s)
            if taken is not None and taken >= limit:
                self._lock(key, nip, "nip" if key.startswith("nip:") else "address")

    def _lock(self, key: str, nip: str, scope: str) -> None:
        s = self.settings
        now = datetime.now(timezone.utc)
        # the first lock of the day lasts the window; each earlier one today doubles it
        probe = self.store.throttle_state(key) or {}
        earlier = sum(1 for at in probe.get("lockouts", []) if _aware(at) > now - timedelta(days=1))
        seconds = lock_seconds(s.lockout_window_s, earlier)
        self.store.throttle_lock(key, now + timedelta(seconds=seconds))
        entry = audit_entry(actor="identity", action="login_locked", entity="login",
                            entity_id=nip if scope != "address" else self.client,
                            changes={"scope": scope, "nip": nip, "address": self.client,
                                     "locked_for_s": seconds, "lockouts_24h": earlier + 1},
                            request_id=None)
        self.store.audit_many([entry])
        (log.warning if earlier else log.info)(
            "sign-in locked" + (" again (repeated lockout)" if earlier else ""),
            extra={"fields": {"nip": nip, "scope": scope, "locked_for_s": seconds, "lockouts_24h": earlier + 1}})
