"""gunicorn's gthread worker with deadlines for slow clients.

Through the gateway, nginx buffers requests and responses, so a slow phone never holds a worker
thread. On a service's own port (unpublished, but reachable inside the network) gunicorn's
gthread worker waits for a connection's first bytes without a thread, but once they arrive it
reads the rest of the request blocking and without a timeout: a client trickling its headers
held a presence thread for as long as it liked (25 s measured; 8 such clients stop the service).

Here a request's line and headers must arrive within ``GUNICORN_CLIENT_TIMEOUT`` seconds (10)
in total, and every later read (the body) and write (the answer) within the same time each;
past that the connection is closed (a body read that times out is a 400 client_disconnected
answered to nobody). Configure with ``worker_class = "sipk_shared.gunicorn_worker.ThreadWorker"``.
"""
from __future__ import annotations

import os
import socket
import time

from gunicorn.http.errors import NoMoreData
from gunicorn.workers import gthread

CLIENT_TIMEOUT_S = float(os.environ.get("GUNICORN_CLIENT_TIMEOUT", "10"))


class _ClientSocket:
    """What the request parser reads from: the client's socket, with the header deadline."""

    def __init__(self, sock, timeout_s: float):
        self._sock = sock
        self._timeout = timeout_s
        self.header_deadline: float | None = None

    def recv(self, size: int) -> bytes:
        if self.header_deadline is None:
            return self._sock.recv(size)  # the body: the socket's own per-read timeout applies
        remaining = self.header_deadline - time.monotonic()
        if remaining <= 0:
            raise NoMoreData(b"")  # gunicorn closes quietly
        self._sock.settimeout(min(remaining, self._timeout))
        try:
            return self._sock.recv(size)
        except socket.timeout:
            raise NoMoreData(b"") from None

    def __getattr__(self, name):
        return getattr(self._sock, name)


class _TimedRequests:
    """The connection's request parser, arming the deadlines around each request."""

    def __init__(self, parser, timeout_s: float):
        self._parser = parser
        self._timeout = timeout_s
        self._client = _ClientSocket(parser.unreader.sock, timeout_s)
        parser.unreader.sock = self._client

    def __iter__(self):
        return self

    def __next__(self):
        self._client.header_deadline = time.monotonic() + self._timeout
        try:
            request = next(self._parser)
        finally:
            self._client.header_deadline = None
        # gunicorn set the socket blocking without a timeout: bound each body read and answer write
        self._client._sock.settimeout(self._timeout)
        return request

    next = __next__

    def __getattr__(self, name):
        return getattr(self._parser, name)


class ThreadWorker(gthread.ThreadWorker):
    def handle(self, conn):
        if not conn.initialized:
            if not conn.data_ready and not conn.wait_for_data(gthread.DEFAULT_WORKER_DATA_TIMEOUT):
                return gthread._DEFER  # no byte yet: back to the poller, no thread held
            conn.sock.setblocking(True)
            try:
                conn.init()
            except Exception:  # noqa: BLE001 - a broken connection: gunicorn closes it
                return False
        if conn.parser is not None and not conn.is_http2 and not isinstance(conn.parser, _TimedRequests):
            conn.parser = _TimedRequests(conn.parser, CLIENT_TIMEOUT_S)
        return super().handle(conn)
