"""Idempotency-Key for writes a phone may retry (check-in, check-out).

The key is scoped to the signed-in employee (``<nip>:<key>``). The first
request claims the key under a unique ``_id`` before it does anything; its
answer (success or a domain error) is stored with a hash of the request. A
replay with the same body gets that first answer and changes nothing; the
same key with a different body is refused (422 ``idempotency_key_reused``);
a replay while the first is still running waits briefly, then 409
``idempotency_in_progress``. Unexpected failures release the key.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any, Callable

from sipk_shared.errors import ApiError, error_body
from sipk_shared.i18n import Msg

from .store import Store

KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def request_hash(path: str, body: dict[str, Any]) -> str:
    canonical = json.dumps({"path": path, "body": body}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_key(key: str) -> str:
    if not KEY_RE.match(key):
        raise ApiError(422, "invalid_idempotency_key",
                       Msg("Idempotency-Key harus 1-100 huruf, angka atau '_.:-' (mis. sebuah UUID).",
                           "Idempotency-Key must be 1-100 letters, digits or '_.:-' (e.g. a UUID)."))
    return key


def run_once(store: Store, *, nip: str, key: str | None, path: str, body: dict[str, Any],
             action: Callable[[], tuple[int, dict[str, Any]]], wait_s: float = 3.0) -> tuple[int, dict[str, Any], bool]:
    """Run ``action`` at most once per (nip, key); returns (status, body, replayed)."""
    if key is None:
        status, answer = action()
        return status, answer, False
    key_id = f"{nip}:{validate_key(key)}"
    digest = request_hash(path, body)
    existing = store.reserve_idempotency_key(key_id, nip, digest)
    if existing is not None:
        deadline = time.monotonic() + wait_s
        while True:
            if existing is None:  # the first request failed unexpectedly and let the key go
                return run_once(store, nip=nip, key=key, path=path, body=body, action=action, wait_s=0)
            if existing.get("request_hash") != digest:
                raise ApiError(422, "idempotency_key_reused",
                               Msg("Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru.",
                                   "This Idempotency-Key was used for a different request; use a new key."))
            if existing.get("state") == "done":
                return int(existing["status"]), existing["body"], True
            if time.monotonic() >= deadline:
                raise ApiError(409, "idempotency_in_progress",
                               Msg("Permintaan pertama dengan Idempotency-Key ini masih diproses.",
                                   "The first request with this Idempotency-Key is still being processed."))
            time.sleep(0.05)
            existing = store.get_idempotency_key(key_id)
    try:
        status, answer = action()
    except ApiError as exc:
        if exc.status >= 500:
            store.release_idempotency_key(key_id)
            raise
        store.complete_idempotency_key(key_id, exc.status,
                                       error_body(exc.status, exc.error, exc.message, exc.errors, **exc.details))
        raise
    except BaseException:
        store.release_idempotency_key(key_id)
        raise
    store.complete_idempotency_key(key_id, status, answer)
    return status, answer, False
