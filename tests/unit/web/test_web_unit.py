"""The web app's own unit tests (Vitest: error texts, geodesy, dates and zones, the offline queue,
SSE parsing) run as part of the Python suite, so `make test` runs them too."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[3] / "web"


def test_vitest_suite_passes():
    npx = shutil.which("npx")
    if npx is None or not (WEB / "node_modules" / ".bin" / "vitest").exists():
        pytest.fail("web/node_modules missing: run `python3 dev/stack.py install` (npm ci)")
    result = subprocess.run([npx, "--no-install", "vitest", "run", "--reporter=dot", "--color=false"], cwd=WEB,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


def test_typescript_compiles():
    npx = shutil.which("npx")
    assert npx
    result = subprocess.run([npx, "--no-install", "tsc", "--noEmit", "-p", "."], cwd=WEB, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
