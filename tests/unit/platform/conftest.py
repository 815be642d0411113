"""Fixtures for the container-platform checks (compose, gateway, Dockerfiles).

They read files and run local binaries only: no Docker engine is needed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def compose() -> dict:
    with open(REPO_ROOT / "compose.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="session")
def nginx_bin() -> str:
    # Not a skip: CI installs nginx (Debian nginx-light), so absence is a failure.
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(path, os.X_OK):
        pytest.fail("nginx binary not found: apt-get install nginx-light")
    return path


@pytest.fixture(scope="session")
def compose_bin() -> str:
    path = shutil.which("docker-compose")
    if path is None:
        pytest.fail("docker-compose not found: apt-get install docker-compose")
    return path
