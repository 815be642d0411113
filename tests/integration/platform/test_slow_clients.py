"""A slow client on a service's own port cannot hold its worker threads.

presence runs 2 gunicorn workers x 4 threads. Before, 24 clients trickling their headers one
byte at a time kept every thread (a request line held a thread 25 s, and as long as the client
liked); now each must send its headers within GUNICORN_CLIENT_TIMEOUT (10 s) and is then cut, so
an ordinary request is answered while they keep trickling.
"""
from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

import pytest
import requests

from support import PRESENCE_DIRECT

pytestmark = [pytest.mark.integration, pytest.mark.faults]  # ~20 s: `make test-faults`

SLOW = 24  # three per thread of presence (2 workers x 4 threads), however accept() spreads them


def trickle(stop: threading.Event, cut: list) -> None:
    parts = urlsplit(PRESENCE_DIRECT)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=120) as sock:
            sock.sendall(b"GET /api/presence/healthz HTTP/1.1\r\nHost: x\r\n")
            while not stop.wait(0.5):
                sock.sendall(b"X")  # an endless header, one byte at a time
            # The headers never end: a server that bounds them closes the connection (EOF or a
            # reset) within its deadline; one that does not keeps waiting for the rest. 24 clients
            # on 8 threads are read in up to three rounds of the 10 s deadline, so wait for the last.
            sock.settimeout(45)
            try:
                if sock.recv(1) == b"":
                    cut.append(True)
            except socket.timeout:
                pass  # still waiting for our headers: not cut
    except OSError:
        cut.append(True)  # the server closed the connection on us


def test_an_ordinary_request_is_answered_while_slow_clients_keep_trickling():
    stop, cut = threading.Event(), []
    slow = [threading.Thread(target=trickle, args=(stop, cut), daemon=True) for _ in range(SLOW)]
    for t in slow:
        t.start()
    try:
        threading.Event().wait(2)  # let them take the threads
        resp = requests.get(f"{PRESENCE_DIRECT}/api/presence/healthz", timeout=60)
        assert resp.status_code == 200
    finally:
        stop.set()
        for t in slow:
            t.join(60)
    assert len(cut) >= SLOW - 2, f"only {len(cut)} of {SLOW} slow clients were cut off"
