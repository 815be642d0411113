"""Whose address a request comes from: X-Real-IP only from a trusted proxy (the gateway)."""
from __future__ import annotations

import pytest
from flask import Flask

from sipk_shared.web import client_address, parse_networks

TRUSTED = parse_networks("127.0.0.1/32, 172.30.57.10")


@pytest.mark.parametrize("peer,header,expected", [
    ("127.0.0.1", "203.0.113.7", "203.0.113.7"),     # the gateway says who the client is
    ("172.30.57.10", "198.51.100.2", "198.51.100.2"),
    ("127.0.0.1", None, "127.0.0.1"),                 # direct call on loopback, no header
    ("127.0.0.1", "not-an-ip", "127.0.0.1"),
    ("10.1.2.3", "203.0.113.7", "10.1.2.3"),         # anyone else cannot choose their address
    ("172.30.57.11", "203.0.113.7", "172.30.57.11"),
])
def test_client_address(peer, header, expected):
    app = Flask("t")
    headers = {"X-Real-IP": header} if header is not None else {}
    with app.test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": peer}):
        assert client_address(TRUSTED) == expected
