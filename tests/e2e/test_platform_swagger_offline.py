"""Swagger UI without a CDN: /api/presence/docs renders its operations in headless Chromium while
every request that does not go to the gateway is blocked (a closed government network)."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests

from support import GATEWAY

pytestmark = pytest.mark.e2e


def test_swagger_ui_renders_with_the_outside_world_blocked(browser):
    local = urlparse(GATEWAY).netloc
    blocked, served = [], []
    context = browser.new_context()
    try:
        page = context.new_page()

        def only_local(route):
            url = route.request.url
            if urlparse(url).netloc == local or url.startswith(("data:", "blob:")):
                served.append(url)
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        page.route("**/*", only_local)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{GATEWAY}/api/presence/docs", wait_until="load")
        page.locator(".opblock").first.wait_for(timeout=30_000)
        operations = page.locator(".opblock").count()
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert operations > 30, operations
        assert any("/check-ins" in p for p in paths) and any("/recap" in p for p in paths)
        assert blocked == [], blocked  # nothing was even tried outside (no CDN, no online validator)
        assert any("/api/presence/docs/assets/swagger-ui-bundle.js" in u for u in served)
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("svc", ["identity", "presence", "performance"])
def test_every_service_serves_its_swagger_ui_files(svc):
    page = requests.get(f"{GATEWAY}/api/{svc}/docs", timeout=10).text
    assert "cdn." not in page and f"/api/{svc}/docs/assets/swagger-ui-bundle.js" in page
    for name, kind in (("swagger-ui-bundle.js", "javascript"), ("swagger-ui.css", "css"),
                       ("swagger-ui-standalone-preset.js", "javascript")):
        resp = requests.get(f"{GATEWAY}/api/{svc}/docs/assets/{name}", timeout=10)
        assert resp.status_code == 200 and kind in resp.headers["Content-Type"], (name, resp.status_code)
        assert "max-age" in resp.headers["Cache-Control"]
    # out of the package's folder: the client would fold "../" away, so it is sent encoded
    missing = requests.get(f"{GATEWAY}/api/{svc}/docs/assets/..%2F..%2F..%2Fopenapi.json", timeout=10)
    assert missing.status_code in (400, 404)
    assert requests.get(f"{GATEWAY}/api/{svc}/docs/assets/nope.js", timeout=10).status_code == 404
