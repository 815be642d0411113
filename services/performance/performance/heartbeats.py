"""Heartbeat recording: per-process coalescing buffer flushed as one bulk upsert.

A heartbeat only moves one employee's ``last_seen_at`` forward. Writing each
one on the request thread would cost a database round trip per request;
instead each API process keeps ``{nip: latest time}`` in memory and a
background thread writes the whole dict with one unordered bulk upsert every
``flush_ms`` (250 ms by default). Repeated heartbeats of one employee inside a window
collapse into one write. What a crash can lose is at most one window of
``last_seen_at`` updates, which the next heartbeat (a minute later) restores;
nothing else is kept here. ``flush_ms = 0`` writes through on the request.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
from datetime import datetime
from typing import Callable

log = logging.getLogger(__name__)

_BUFFERS: list["HeartbeatBuffer"] = []


class HeartbeatBuffer:
    def __init__(self, store_factory: Callable[[], object], flush_ms: int):
        self._store_factory = store_factory
        self._interval = flush_ms / 1000.0
        self._pending: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._stop = threading.Event()
        self.written = 0
        _BUFFERS.append(self)

    def record(self, nip: str, at: datetime) -> None:
        if self._interval <= 0:
            self._store_factory().record_heartbeat(nip, at)
            return
        with self._lock:
            previous = self._pending.get(nip)
            if previous is None or at > previous:
                self._pending[nip] = at
            if self._thread is None or self._pid != os.getpid():
                self._start()

    def _start(self) -> None:
        # Started lazily in the serving process: threads do not survive gunicorn's fork.
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._run, name="heartbeat-flush", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - keep the batch and retry next interval
                log.exception("heartbeat flush failed")

    def flush(self) -> int:
        with self._lock:
            batch, self._pending = self._pending, {}
        if not batch:
            return 0
        try:
            written = self._store_factory().record_heartbeats(batch)
        except Exception:
            with self._lock:  # put back what is not newer in the meantime
                for nip, at in batch.items():
                    if nip not in self._pending or self._pending[nip] < at:
                        self._pending[nip] = at
            raise
        self.written += written
        return written


def flush_all() -> None:
    """Write what is buffered (gunicorn worker_exit hook and atexit)."""
    for buffer in _BUFFERS:
        try:
            buffer.flush()
        except Exception:  # noqa: BLE001 - shutting down; nothing more to do
            log.exception("final heartbeat flush failed")


atexit.register(flush_all)
