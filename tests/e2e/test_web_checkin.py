"""The phone app's check-in in a real Chromium with the browser's geolocation override: sign-in,
check-in 20 m from the office, refusal 200 m away, WFH from home, and a check-in made offline."""
from __future__ import annotations

import re

import pytest
import requests

from support import ADMIN_NIP, GATEWAY, login_direct, bearer, wait_until
from e2e.presence_common import PRESENCE_DB
from e2e.web_app import (PRESENCE, Phone, admin_put_roster, api_get, local_now, make_office, offset, pick_zone)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def admin_headers(admin_token):
    return bearer(admin_token)


@pytest.fixture(scope="module")
def presence_db(mongo_client):
    return mongo_client[PRESENCE_DB]


@pytest.fixture(scope="module")
def place(admin_headers):
    tz = pick_zone()
    office = make_office(admin_headers, tz)
    yield office
    requests.delete(f"{PRESENCE}/offices/{office['code']}", headers=admin_headers, timeout=10)


@pytest.fixture(scope="module")
def people(make_employee, place, presence_db):
    """A supervisor and four staff of the office's unit, their copies in presence."""
    unit = place["unit_codes"][0]
    boss = make_employee(unit_code=unit, name="Kepala Uji")
    staff = {key: make_employee(unit_code=unit, supervisor_nip=boss["nip"], name=name)
             for key, name in (("near", "Ani Hadir"), ("far", "Budi Jauh"), ("home", "Citra Rumah"), ("offline", "Dedi Sinyal"))}
    nips = [boss["nip"], *(p["nip"] for p in staff.values())]
    wait_until(lambda: presence_db.employees.count_documents({"_id": {"$in": nips}}) == len(nips), timeout=30,
               message="presence's copies of the test employees")
    return {"boss": boss, **staff}


def check_ins(presence_db, nip):
    return list(presence_db.check_ins.find({"nip": nip}))


def open_check_in(phone: Phone) -> None:
    phone.page.get_by_role("button", name="Presensi Masuk").click()
    phone.page.get_by_role("heading", name="Presensi Masuk").wait_for()
    phone.page.get_by_role("button", name="Kirim presensi masuk").wait_for()


def test_sign_in_with_nip_and_password(browser, people):
    phone = Phone(browser)
    page = phone.page
    page.goto(f"{GATEWAY}/")
    page.get_by_role("heading", name="Masuk").wait_for()
    # Errors next to the fields, in Indonesian, before anything is sent.
    page.get_by_role("button", name="Masuk").click()
    assert "Masukkan NIP Anda" in page.locator(".error-summary").inner_text()
    page.get_by_label("NIP").fill("1234")
    page.get_by_role("button", name="Masuk").click()
    assert "NIP terdiri dari 18 angka" in page.locator("#nip-error").inner_text()
    # The real sign-in through the gateway.
    page.get_by_label("NIP").fill(people["near"]["nip"])
    page.get_by_label("Kata sandi").fill(people["near"]["password"])
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Presensi hari ini").wait_for()
    answer = page.get_by_test_id("today-answer").inner_text()
    assert "Anda belum presensi masuk" in answer
    assert people["near"]["name"] not in page.locator("#page-title").inner_text()
    # The refresh token is not readable by the page; a reload resumes the session from the cookie.
    assert "sipk_refresh" not in page.evaluate("document.cookie")
    page.reload()
    page.get_by_role("heading", name="Presensi hari ini").wait_for()
    phone.assert_readable()
    phone.close()


def test_check_in_20_m_from_the_office_then_home_says_so(browser, people, place, presence_db):
    phone = Phone(browser, position=offset(place["latitude"], place["longitude"], 20)).signed_in_as(people["near"])
    page = phone.page
    phone.shot("home-before-check-in")
    open_check_in(phone)
    distance = page.get_by_test_id("distance").inner_text()
    assert re.search(r"\b(19|20|21) m\b", distance), distance
    assert "50 m" in page.locator(".figures").inner_text()
    assert "Anda berada di dalam radius." in page.get_by_test_id("verdict").inner_text()
    assert page.locator("svg.fence circle").count() >= 3  # the fence, the office, me
    page.get_by_role("button", name="Kirim presensi masuk").click()
    page.get_by_role("heading", name="Presensi masuk tercatat").wait_for()
    [record] = check_ins(presence_db, people["near"]["nip"])
    # The time on screen is the server's, in the office's zone.
    token = login_direct(people["near"]["nip"], people["near"]["password"])["access_token"]
    day = api_get(f"{PRESENCE}/me/today", token)
    assert day["check_in"]["date"] == record["date"] and record["mode"] == "WFO"
    shown = page.get_by_test_id("recorded-at").inner_text()
    hhmm = day["check_in"]["checked_in_at"][11:16].replace(":", ".")
    assert hhmm in shown, (hhmm, shown)
    page.get_by_role("button", name="Kembali ke beranda").click()
    answer = page.get_by_test_id("today-answer")
    answer.get_by_text(f"Anda sudah presensi masuk pukul {hhmm}").wait_for()
    assert "Tepat waktu" in answer.inner_text()
    assert page.get_by_role("button", name="Presensi Pulang").is_visible()
    phone.assert_readable()
    phone.shot("home")
    phone.close()


def test_200_m_away_is_refused_with_the_distance_and_nothing_is_stored(browser, people, place, presence_db):
    phone = Phone(browser, position=offset(place["latitude"], place["longitude"], 200)).signed_in_as(people["far"])
    page = phone.page
    open_check_in(phone)
    assert re.search(r"\b(199|200|201) m\b", page.get_by_test_id("distance").inner_text())
    assert "di luar radius" in page.get_by_test_id("verdict").inner_text()
    page.get_by_role("button", name="Kirim presensi masuk").click()
    summary = page.locator(".error-summary")
    summary.get_by_text("Presensi ditolak").wait_for()
    text = summary.inner_text()
    assert re.search(rf"Anda berada (199|200|201) m dari {re.escape(place['name'])}; presensi hanya dalam radius 50 m\.", text), text
    assert "Tidak ada yang dicatat." in text
    phone.assert_readable()
    phone.shot("refusal")
    assert check_ins(presence_db, people["far"]["nip"]) == []
    phone.close()


def test_wfh_rostered_employee_checks_in_from_home(browser, people, place, presence_db, admin_headers):
    who = people["home"]
    token = login_direct(who["nip"], who["password"])["access_token"]
    admin_put_roster(admin_headers, who["nip"], local_now(place["timezone"]).date().isoformat(), "WFH")
    home = offset(place["latitude"], place["longitude"], 3000, azimuth=200)
    phone = Phone(browser, position=home).signed_in_as(who, "/lokasi-rumah")
    page = phone.page
    # Register the home location in the app; the supervisor approves it (through the API here).
    page.get_by_text("Anda belum mendaftarkan lokasi rumah.").wait_for()
    page.get_by_role("button", name="Gunakan lokasi saya sekarang").click()
    page.get_by_role("button", name="Kirim lokasi ini untuk disetujui").click()
    page.get_by_text("Lokasi terkirim dan menunggu persetujuan atasan.").wait_for()
    boss = login_direct(people["boss"]["nip"], people["boss"]["password"])["access_token"]
    resp = requests.post(f"{PRESENCE}/home-locations/{who['nip']}/decision", json={"approved": True, "note": "ok"},
                         headers=bearer(boss), timeout=10)
    assert resp.status_code == 200, resp.text
    # At home (10 m from the approved point), the roster says WFH: the check-in is WFH and fenced to home.
    phone.at(offset(*home, 10))
    phone.go("/")
    page.get_by_text("WFH — bekerja dari rumah").wait_for()
    open_check_in(phone)
    assert "lokasi rumah Anda" in page.get_by_test_id("distance").inner_text()
    page.get_by_role("button", name="Kirim presensi masuk").click()
    page.get_by_role("heading", name="Presensi masuk tercatat").wait_for()
    [record] = check_ins(presence_db, who["nip"])
    assert record["mode"] == "WFH" and not record.get("home_unverified")
    assert api_get(f"{PRESENCE}/me/today", token)["check_in"]["mode"] == "WFH"
    phone.close()


def test_offline_check_in_is_not_reported_as_done_and_goes_through_once_back_online(browser, people, place, presence_db):
    who = people["offline"]
    phone = Phone(browser, position=offset(place["latitude"], place["longitude"], 10)).signed_in_as(who)
    page = phone.page
    page.get_by_role("button", name="Presensi Masuk").wait_for()
    phone.context.set_offline(True)
    open_check_in(phone)
    page.get_by_role("button", name="Kirim presensi masuk").click()
    summary = page.locator(".error-summary")
    summary.get_by_text("Tidak ada koneksi").wait_for()
    assert "BELUM tercatat" in summary.inner_text()
    assert "tercatat pukul" not in phone.text()
    page.get_by_role("button", name="Kembali ke beranda").click()
    notice = page.get_by_text(re.compile("Presensi masuk BELUM tercatat: tidak ada koneksi"))
    notice.wait_for()
    assert page.get_by_role("button", name="Presensi Masuk").count() == 0  # no second attempt meanwhile
    assert check_ins(presence_db, who["nip"]) == []
    phone.shot("home-offline-queued")
    # Back online: sent once with its Idempotency-Key, and the server's answer and time are shown.
    phone.context.set_offline(False)
    page.get_by_text(re.compile("Presensi masuk yang tertunda sudah terkirim. Server mencatatnya pukul")).wait_for(timeout=30_000)
    page.get_by_test_id("today-answer").get_by_text("Anda sudah presensi masuk pukul").wait_for()
    [record] = check_ins(presence_db, who["nip"])
    # sent with this phone's device id, the fix's time and the attempt's: an honest retry is not flagged
    assert record["flags"] == [] and record["review"] is None, record.get("evidence")
    assert record["evidence"]["device"]["state"] == "first" and record["evidence"]["position_age_s"] is not None
    shown = page.locator(".notice.ok").inner_text()
    token = login_direct(who["nip"], who["password"])["access_token"]
    at = api_get(f"{PRESENCE}/me/today", token)["check_in"]["checked_in_at"]
    assert at[11:16].replace(":", ".") in shown
    # One attempt, one Idempotency-Key, one record.
    assert presence_db.idempotency_keys.count_documents({"nip": who["nip"]}) == 1
    page.reload()
    page.get_by_test_id("today-answer").get_by_text("Anda sudah presensi masuk pukul").wait_for()
    assert len(check_ins(presence_db, who["nip"])) == 1
    phone.assert_readable()
    phone.close()
