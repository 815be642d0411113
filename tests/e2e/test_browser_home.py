"""The web entry point in a real headless Chromium (Debian's), through the gateway."""
from __future__ import annotations

import shutil

import pytest

from support import GATEWAY

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_home_page_renders_with_links_to_api_docs(browser, tmp_path):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    resp = page.goto(f"{GATEWAY}/")
    assert resp.status == 200
    assert "Si Pelawan" in page.title()
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    for svc in ("identity", "presence", "performance"):
        assert f"/api/{svc}/docs" in hrefs
    # An API call from the page's origin goes through the same gateway.
    status = page.evaluate("async () => (await fetch('/api/presence/readyz')).status")
    assert status == 200
    page.screenshot(path=str(tmp_path / "home.png"))
    assert errors == []
    page.close()
