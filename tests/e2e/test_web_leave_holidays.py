"""Annual leave and holidays in a real Chromium: the employee's cuti balance on the phone, a cuti sent
with a PDF (and a file the server refuses, attached again from the list), the balance refusal in
words, the supervisor downloading the attachment before approving; the BKPSDM admin loading next
year's national calendar and adding a cuti bersama day by hand on the laptop."""
from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
import requests

from support import ADMIN_NIP, ADMIN_PASSWORD, bearer, login_direct, wait_until
from e2e.presence_common import PRESENCE_DB
from e2e.test_web_supervisor import place  # noqa: F401 - fixtures by name (an office where every day is a working day)
from e2e.web_app import PRESENCE, Laptop, Phone, local_now

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ADMIN = {"nip": ADMIN_NIP, "password": ADMIN_PASSWORD}
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="module")
def pair(make_employee, place, mongo_client):
    unit = place["unit_codes"][0]
    boss = make_employee(unit_code=unit, name="Kepala Seksi Cuti")
    rina = make_employee(unit_code=unit, supervisor_nip=boss["nip"], name="Rina Oktaviani")
    db = mongo_client[PRESENCE_DB]
    wait_until(lambda: db.employees.count_documents({"_id": {"$in": [boss["nip"], rina["nip"]]}}) == 2, timeout=30,
               message="presence's copies of the pair")
    token = login_direct(rina["nip"], rina["password"])["access_token"]
    return {"boss": boss, "rina": rina, "headers": bearer(token)}


@pytest.fixture(scope="module")
def state():
    return {}


def my_balance(headers) -> dict:
    resp = requests.get(f"{PRESENCE}/me/leave-balance", headers=headers, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def my_requests(headers) -> list[dict]:
    resp = requests.get(f"{PRESENCE}/me/leave-requests", headers=headers, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def fill(page, label: str, start: str, end: str, reason: str) -> None:
    page.get_by_label(label, exact=True).check()
    page.get_by_label("Tanggal mulai").fill(start)
    page.get_by_label("Tanggal selesai").fill(end)
    page.get_by_label("Alasan").fill(reason)


def test_cuti_with_a_pdf_holds_days_of_the_balance_and_too_many_days_are_refused(browser, pair, place, state, tmp_path):
    today = local_now(place["timezone"]).date()
    start, end = today + timedelta(days=3), today + timedelta(days=4)
    if start.year != today.year or end.year != today.year:
        pytest.skip("the last days of the year: the cuti would fall in next year's balance")
    before = my_balance(pair["headers"])
    rina = Phone(browser).signed_in_as(pair["rina"], "/izin")
    page = rina.page
    box = page.get_by_test_id("leave-balance")
    box.get_by_text(f"Sisa cuti tahunan {before['year']}: {before['remaining']} hari kerja").wait_for()
    assert f"menunggu keputusan {before['pending']} hari" in box.inner_text()
    rina.assert_readable()
    rina.shot("leave-balance-phone")

    # A cuti with the doctor's letter as a PDF (the phone offers its camera too: no forced capture).
    page.get_by_role("button", name="Ajukan baru").click()
    fill(page, "Cuti", start.isoformat(), end.isoformat(), "Istirahat setelah rawat inap")
    attachment = page.get_by_label("Lampiran (boleh kosong)")
    assert attachment.get_attribute("accept") == "image/*,application/pdf"
    assert attachment.get_attribute("capture") is None
    (tmp_path / "surat-dokter.pdf").write_bytes(PDF)
    attachment.set_input_files(str(tmp_path / "surat-dokter.pdf"))
    rina.shot("leave-new-with-attachment-phone", full_page=True)
    page.get_by_role("button", name="Kirim pengajuan").click()
    page.get_by_text("Pengajuan terkirim dan menunggu persetujuan atasan.").wait_for()
    item = page.get_by_test_id("leave-item").filter(has_text="Istirahat setelah rawat inap")
    item.get_by_role("button", name="Unduh lampiran surat-dokter.pdf").wait_for()
    cuti = next(r for r in my_requests(pair["headers"]) if r["reason"] == "Istirahat setelah rawat inap")
    assert cuti["attachment"]["name"] == "surat-dokter.pdf" and cuti["attachment"]["size"] == len(PDF)
    held = cuti["annual_days"][str(before["year"])]
    assert held >= 1
    # The balance holds the request's working days while it waits.
    box.get_by_text(f"Sisa cuti tahunan {before['year']}: {before['remaining'] - held} hari kerja").wait_for()
    assert f"menunggu keputusan {before['pending'] + held} hari" in box.inner_text()
    assert my_balance(pair["headers"])["pending"] == before["pending"] + held
    with page.expect_download() as download:
        item.get_by_role("button", name="Unduh lampiran surat-dokter.pdf").click()
    mine = tmp_path / "mine.pdf"
    download.value.save_as(mine)
    assert mine.read_bytes() == PDF
    rina.assert_readable()
    rina.shot("leave-list-with-attachment-phone", full_page=True)
    state["cuti"] = cuti

    # An izin whose file the server refuses by its content: the request exists, the file is not
    # attached, said so; attached again from the request's row.
    izin_day = (today + timedelta(days=7)).isoformat()
    rina.go("/izin/baru")
    fill(page, "Izin", izin_day, izin_day, "Mengurus akta kelahiran anak")
    (tmp_path / "akta.pdf").write_bytes(b"just some text, not a PDF")
    page.get_by_label("Lampiran (boleh kosong)").set_input_files(str(tmp_path / "akta.pdf"))
    page.get_by_role("button", name="Kirim pengajuan").click()
    alert = page.get_by_role("alert").filter(has_text="belum terlampir")
    alert.wait_for()
    assert "akta.pdf" in alert.inner_text() and "Jenis berkas akta.pdf tidak didukung" in alert.inner_text()
    izin = next(r for r in my_requests(pair["headers"]) if r["reason"] == "Mengurus akta kelahiran anak")
    assert izin["state"] == "pending" and not izin.get("attachment")
    rina.assert_readable()
    rina.shot("leave-upload-failed-phone", full_page=True)
    row = page.get_by_test_id("leave-item").filter(has_text="Mengurus akta kelahiran anak")
    assert row.locator("details.attach").get_attribute("open") is not None  # this card opens the way back
    assert page.get_by_test_id("leave-item").filter(has_text="Istirahat setelah rawat inap").locator(
        "details.attach").get_attribute("open") is None
    (tmp_path / "akta-asli.pdf").write_bytes(PDF)
    row.get_by_label("Lampirkan berkas").set_input_files(str(tmp_path / "akta-asli.pdf"))
    row.get_by_role("button", name="Unggah lampiran").click()
    page.get_by_text("Lampiran akta-asli.pdf tersimpan.").wait_for()
    row.get_by_role("button", name="Unduh lampiran akta-asli.pdf").wait_for()
    assert next(r for r in my_requests(pair["headers"]) if r["id"] == izin["id"])["attachment"]["name"] == "akta-asli.pdf"

    # More working days than remain: the refusal with the remaining days, and nothing is created.
    count = len(my_requests(pair["headers"]))
    next_year = today.year + 1
    remaining_next = requests.get(f"{PRESENCE}/me/leave-balance", params={"year": next_year}, headers=pair["headers"],
                                  timeout=10).json()["remaining"]
    rina.go("/izin/baru")
    fill(page, "Cuti", f"{next_year}-01-04", f"{next_year}-03-31", "Cuti panjang")
    page.get_by_role("button", name="Kirim pengajuan").click()
    summary = page.locator(".error-summary")
    summary.get_by_text(re.compile(rf"Sisa cuti tahunan {next_year} Anda {remaining_next} hari kerja, sedangkan "
                                   r"pengajuan ini memerlukan \d+ hari kerja")).wait_for()
    rina.assert_readable()
    rina.shot("leave-balance-exceeded-phone", full_page=True)
    assert len(my_requests(pair["headers"])) == count
    rina.close()


def test_the_supervisor_reads_the_attachment_then_approves(browser, pair, state, tmp_path):
    cuti = state.get("cuti")
    if not cuti:
        pytest.skip("needs the cuti of the test before")
    boss = Phone(browser).signed_in_as(pair["boss"], "/persetujuan")
    page = boss.page
    page.get_by_test_id("inbox-leave").get_by_role("link", name=re.compile("Rina Oktaviani — Cuti")).click()
    page.get_by_text("Istirahat setelah rawat inap").wait_for()
    assert "Rina Oktaviani" in boss.text()  # who asks, by name (not only the NIP)
    button = page.get_by_role("button", name="Unduh lampiran surat-dokter.pdf")
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / "from-the-supervisor.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    assert download.value.suggested_filename == "surat-dokter.pdf"
    boss.assert_readable()
    boss.shot("leave-decision-attachment-phone", full_page=True)
    page.get_by_role("button", name="Setujui").click()
    page.get_by_text("Keputusan tersimpan.").wait_for()
    boss.close()
    decided = next(r for r in my_requests(pair["headers"]) if r["id"] == cuti["id"])
    assert decided["state"] == "approved"
    balance = my_balance(pair["headers"])
    assert balance["taken"] >= cuti["annual_days"][str(balance["year"])]


def holidays_of(year: int, headers) -> dict[str, dict]:
    resp = requests.get(f"{PRESENCE}/holidays", params={"year": year}, headers=headers, timeout=10)
    assert resp.status_code == 200, resp.text
    return {h["date"]: h for h in resp.json()["items"]}


def test_admin_imports_next_years_national_holidays_and_adds_a_cuti_bersama(browser, admin_token):
    headers = bearer(admin_token)
    year = date.today().year + 1
    # A day of next year no other test has made a holiday; only that day is removed at the end.
    taken = holidays_of(year, headers)
    free = [d for d in (date(year, 1, 1) + timedelta(days=i) for i in range(365))
            if d.isoformat() not in taken and d.month not in (1, 12)]
    mine = random.choice(free).isoformat()
    desk = Laptop(browser).signed_in_as(ADMIN, "/admin/libur")
    page = desk.page
    try:
        page.get_by_role("button", name=f"Impor libur nasional {year}").click()
        result = page.get_by_test_id("national-result")
        result.wait_for()
        listed = holidays_of(year, headers)
        assert re.match(rf"Libur nasional {year}: \d+ hari ditambahkan, \d+ tanggal sudah ada", result.inner_text())
        # The list switched to that year and shows the days with their kinds.
        assert page.get_by_label("Tahun").input_value() == str(year)
        rows = page.get_by_test_id("holiday")
        rows.filter(has_text="Idul Fitri").first.wait_for()
        new_year = rows.filter(has_text="Tahun Baru").first
        assert "Libur nasional" in new_year.inner_text()
        wait_until(lambda: rows.count() == len(listed), timeout=10, message="every holiday of the year listed")
        for day, holiday in listed.items():
            kind = "Cuti bersama" if holiday["kind"] == "cuti_bersama" else "Libur nasional"
            text = page.locator(f'[data-testid="holiday"][data-date="{day}"]').inner_text()
            assert holiday["name"] in text and kind in text.replace(holiday["name"], ""), (day, text)
        desk.assert_readable()
        desk.shot("holidays-national-import-laptop", full_page=True)
        # Again: the import is idempotent, everything is kept.
        page.get_by_role("button", name=f"Impor libur nasional {year}").click()
        page.get_by_test_id("national-result").get_by_text(
            re.compile(rf"Libur nasional {year}: 0 hari ditambahkan, \d+ tanggal sudah ada dan tidak diubah")).wait_for()
        assert holidays_of(year, headers).keys() == listed.keys()

        # A cuti bersama by hand, with its kind.
        page.get_by_label("Tanggal", exact=True).fill(mine)
        page.get_by_label("Nama hari libur").fill("Cuti bersama uji")
        page.get_by_label("Jenis").select_option("cuti_bersama")
        page.get_by_role("button", name="Tambah hari libur").click()
        page.get_by_text("Hari libur ditambahkan.").wait_for()
        row = rows.filter(has_text="Cuti bersama uji")
        row.wait_for()
        assert "Cuti bersama" in row.inner_text().replace("Cuti bersama uji", "")
        assert holidays_of(year, headers)[mine]["kind"] == "cuti_bersama"
        # The same day again: the server's refusal in words.
        page.get_by_label("Tanggal", exact=True).fill(mine)
        page.get_by_label("Nama hari libur").fill("Cuti bersama uji lagi")
        page.get_by_role("button", name="Tambah hari libur").click()
        page.locator(".error-summary").get_by_text("Tanggal ini sudah terdaftar sebagai hari libur.").wait_for()
        desk.assert_readable()
        desk.shot("holidays-cuti-bersama-laptop", full_page=True)
        desk.fits(768)
        # Removed from its row.
        row.get_by_role("button", name="Hapus").click()
        page.get_by_text(f"Hari libur {mine} dihapus.").wait_for()
        assert mine not in holidays_of(year, headers)
    finally:
        requests.delete(f"{PRESENCE}/holidays/{mine}", headers=headers, timeout=10)
        desk.close()
