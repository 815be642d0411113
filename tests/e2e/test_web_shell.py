"""The web app's shell through the gateway in Debian's Chromium: served with its CSP and nothing from
another origin, the service worker caches the shell but never an API answer, sign-in errors in
Indonesian, the English switch, and the about screen with the API docs."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests

from support import GATEWAY, random_nip
from e2e.web_app import Phone

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_shell_loads_everything_from_the_gateway_under_a_strict_csp(browser):
    phone = Phone(browser)
    origins = set()
    phone.page.on("request", lambda r: origins.add(urlparse(r.url).netloc))
    resp = phone.page.goto(f"{GATEWAY}/")
    assert resp.status == 200
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    phone.page.get_by_role("heading", name="Masuk").wait_for()
    assert "Si Pelawan" in phone.page.title()
    assert origins == {urlparse(GATEWAY).netloc}
    html = requests.get(f"{GATEWAY}/", timeout=10).text
    assert "<script>" not in html and "<style" not in html
    # The service worker takes over and caches the app shell - and nothing under /api/.
    phone.page.wait_for_function("navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready.then(() => true)")
    cached = phone.page.evaluate("""async () => {
        await navigator.serviceWorker.ready;
        const out = [];
        for (const name of await caches.keys()) {
            for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
        }
        return out;
    }""")
    assert "/" in cached and "/offline.html" in cached and any(p.startswith("/assets/") for p in cached)
    assert not [p for p in cached if p.startswith("/api/")]
    phone.close()


def test_sign_in_refusal_is_indonesian_text_and_english_on_request(browser):
    phone = Phone(browser)
    page = phone.page
    page.goto(f"{GATEWAY}/")
    page.get_by_label("NIP").fill(random_nip())
    page.get_by_label("Kata sandi").fill("bukan-sandi-yang-benar")
    page.get_by_role("button", name="Masuk").click()
    page.locator(".error-summary").get_by_text("NIP atau kata sandi salah.").wait_for()
    phone.assert_readable()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")  # focus moves to the errors
    page.get_by_role("button", name="Switch to English").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    page.get_by_role("heading", name="Sign in").wait_for()  # the choice is kept
    page.get_by_role("button", name="Ganti ke Bahasa Indonesia").click()
    page.get_by_role("heading", name="Masuk").wait_for()
    phone.close()


def test_about_screen_links_the_api_docs_and_any_route_opens_the_app(browser):
    phone = Phone(browser)
    page = phone.page
    page.goto(f"{GATEWAY}/tentang")
    page.get_by_role("heading", name="Tentang aplikasi").wait_for()
    hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href'))")
    for svc in ("identity", "presence", "performance"):
        assert f"/api/{svc}/docs" in hrefs
    resp = page.goto(f"{GATEWAY}/riwayat")  # a deep link without a session: the sign-in screen
    assert resp.status == 200
    page.get_by_role("heading", name="Masuk").wait_for()
    # Keyboard only: the skip link comes first, then the form in order.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Langsung ke isi"
    phone.close()


def test_forced_password_change_on_first_sign_in(browser, make_employee, identity_db):
    person = make_employee(name="Gita Baru")
    identity_db.employees.update_one({"_id": person["nip"]}, {"$set": {"password_change_required": True}})
    phone = Phone(browser).signed_in_as(person)
    page = phone.page
    page.get_by_role("heading", name="Ganti kata sandi").wait_for()
    assert page.locator("nav").count() == 0  # nothing else until it is changed
    page.get_by_label("Kata sandi saat ini").fill(person["password"])
    page.get_by_label("Kata sandi baru", exact=True).fill(person["nip"] + "x")
    page.get_by_label("Ulangi kata sandi baru").fill(person["nip"] + "x")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    page.get_by_text("Kata sandi baru belum memenuhi syarat").first.wait_for()  # the server's weak_password
    phone.assert_readable()
    page.get_by_label("Kata sandi baru", exact=True).fill("Sandi-Baru-Bateng-2026")
    page.get_by_label("Ulangi kata sandi baru").fill("Sandi-Baru-Bateng-2026")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    page.get_by_role("heading", name="Presensi hari ini").wait_for()
    assert identity_db.employees.find_one({"_id": person["nip"]})["password_change_required"] is False
    phone.close()
