"""The supervisor in the phone app: the live team board (SSE, no reload), the approvals inbox for
a leave request, and a task assigned, handed in with a PDF and approved - each in a real Chromium,
the supervisor and the staff on their own phones."""
from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
import requests

from support import GATEWAY, bearer, login_direct, wait_until
from e2e.presence_common import PRESENCE_DB
from e2e.web_app import PRESENCE, Phone, local_now, make_office, offset, pick_zone

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="module")
def place(admin_token):
    office = make_office(bearer(admin_token), pick_zone())
    yield office
    requests.delete(f"{PRESENCE}/offices/{office['code']}", headers=bearer(admin_token), timeout=10)


@pytest.fixture(scope="module")
def team(make_employee, place, mongo_client):
    unit = place["unit_codes"][0]
    boss = make_employee(unit_code=unit, name="Kepala Bidang Uji")
    eka = make_employee(unit_code=unit, supervisor_nip=boss["nip"], name="Eka Lestari")
    fajar = make_employee(unit_code=unit, supervisor_nip=boss["nip"], name="Fajar Nugraha")
    nips = [boss["nip"], eka["nip"], fajar["nip"]]
    for db in (mongo_client[PRESENCE_DB], mongo_client[PERFORMANCE_DB]):
        wait_until(lambda db=db: db.employees.count_documents({"_id": {"$in": nips}}) == 3, timeout=30,
                   message=f"{db.name}'s copies of the team")
    return {"boss": boss, "eka": eka, "fajar": fajar}


def member(phone: Phone, nip: str):
    return phone.page.locator(f'[data-testid="member"][data-nip="{nip}"]')


def test_board_shows_the_subordinate_online_then_checked_in_without_a_reload(browser, team, place):
    boss = Phone(browser).signed_in_as(team["boss"], "/tim")
    board = boss.page
    board.get_by_text("Diperbarui langsung").wait_for()
    card = member(boss, team["eka"]["nip"])
    card.wait_for()
    assert "Offline" in card.inner_text() and "Belum presensi" in card.inner_text()
    board.evaluate("window.__sameDocument = true")  # gone if the page reloads
    # Eka opens the app: its heartbeat makes her online on the board.
    eka = Phone(browser, position=offset(place["latitude"], place["longitude"], 15)).signed_in_as(team["eka"])
    card.get_by_text("Online", exact=True).wait_for(timeout=15_000)
    # She checks in; the board shows her clock-in time, still the same document.
    eka.page.get_by_role("button", name="Presensi Masuk").click()
    eka.page.get_by_role("button", name="Kirim presensi masuk").click()
    eka.page.get_by_role("heading", name="Presensi masuk tercatat").wait_for()
    card.get_by_test_id("checked-in").wait_for(timeout=15_000)
    token = login_direct(team["eka"]["nip"], team["eka"]["password"])["access_token"]
    at = requests.get(f"{PRESENCE}/me/today", headers=bearer(token), timeout=10).json()["check_in"]["checked_in_at"]
    assert f"Masuk {at[11:16].replace(':', '.')}" in card.inner_text()
    assert "WFO" in card.inner_text()
    assert board.evaluate("window.__sameDocument === true")
    assert "1 dari 2 sudah presensi masuk" in boss.text()
    boss.assert_readable()
    boss.shot("supervisor-board")
    eka.close()
    boss.close()


def test_leave_request_approved_from_the_inbox_and_the_employee_sees_it(browser, team, place):
    fajar = Phone(browser).signed_in_as(team["fajar"], "/izin/baru")
    page = fajar.page
    start = (local_now(place["timezone"]).date() + timedelta(days=3)).isoformat()
    page.get_by_label("Dinas luar").check()
    page.get_by_label("Tanggal mulai").fill(start)
    page.get_by_label("Tanggal selesai").fill(start)
    page.get_by_label("Alasan").fill("Rapat koordinasi di Pangkalpinang")
    page.get_by_role("button", name="Kirim pengajuan").click()
    # Dinas luar needs an SPT number: said next to the field, nothing sent.
    page.locator("#spt_number-error").get_by_text("Isi nomor SPT untuk dinas luar").wait_for()
    page.get_by_label("Nomor SPT").fill("094/123/BKPSDM/2026")
    page.get_by_role("button", name="Kirim pengajuan").click()
    page.get_by_text("Pengajuan terkirim dan menunggu persetujuan atasan.").wait_for()
    item = page.get_by_test_id("leave-item").first
    assert "Menunggu persetujuan" in item.inner_text() and "094/123/BKPSDM/2026" in item.inner_text()
    # The same dates again: the server's overlap refusal, in Indonesian.
    fajar.go("/izin/baru")
    page.get_by_label("Izin", exact=True).check()
    page.get_by_label("Tanggal mulai").fill(start)
    page.get_by_label("Tanggal selesai").fill(start)
    page.get_by_label("Alasan").fill("Keperluan keluarga")
    page.get_by_role("button", name="Kirim pengajuan").click()
    page.locator(".error-summary").get_by_text(re.compile("Sudah ada pengajuan lain pada tanggal yang sama")).wait_for()
    fajar.assert_readable()

    boss = Phone(browser).signed_in_as(team["boss"], "/persetujuan")
    inbox = boss.page
    section = inbox.get_by_test_id("inbox-leave")
    section.get_by_role("link", name=re.compile("Fajar Nugraha — Dinas luar")).click()
    inbox.get_by_text("Rapat koordinasi di Pangkalpinang").wait_for()
    inbox.get_by_label("Catatan (boleh kosong)").fill("Silakan, laporkan hasilnya.")
    inbox.get_by_role("button", name="Setujui").click()
    inbox.get_by_text("Keputusan tersimpan.").wait_for()
    inbox.get_by_test_id("inbox-leave").get_by_text("Tidak ada yang menunggu.").wait_for()
    boss.close()

    fajar.page.reload()
    fajar.go("/izin")
    item = page.get_by_test_id("leave-item").first
    item.get_by_text("Disetujui").wait_for()
    assert "Silakan, laporkan hasilnya." in item.inner_text()
    fajar.close()


def test_task_assigned_handed_in_with_a_pdf_and_approved(browser, team, tmp_path):
    boss = Phone(browser).signed_in_as(team["boss"], "/tugas-baru")
    page = boss.page
    page.get_by_label("Untuk siapa").select_option(team["fajar"]["nip"])
    page.get_by_label("Judul tugas").fill("Rekap presensi November")
    page.get_by_label("Uraian (boleh kosong)").fill("Rekap per bidang, format PDF.")
    page.get_by_role("button", name="Berikan tugas").click()
    page.get_by_text("Tugas diberikan.").wait_for()
    task_url = page.url

    fajar = Phone(browser).signed_in_as(team["fajar"], "/tugas")
    mine = fajar.page
    mine.get_by_role("link", name="Rekap presensi November").click()
    mine.get_by_role("button", name="Mulai kerjakan").click()
    mine.get_by_text("Tugas mulai dikerjakan.").wait_for()
    # A file the server cannot accept by its content: refused in words, nothing handed in.
    (tmp_path / "catatan.pdf").write_bytes(b"just text, not a PDF at all")
    mine.get_by_label("Catatan").fill("Terlampir rekapnya.")
    mine.locator("#files").set_input_files(str(tmp_path / "catatan.pdf"))
    mine.get_by_role("button", name="Kumpulkan").click()
    mine.locator(".error-summary").get_by_text(re.compile("Jenis berkas catatan.pdf tidak didukung")).wait_for()
    assert mine.locator("#photo").get_attribute("capture") == "environment"
    (tmp_path / "rekap-november.pdf").write_bytes(PDF)
    mine.locator("#files").set_input_files(str(tmp_path / "rekap-november.pdf"))
    mine.get_by_role("button", name="Kumpulkan").click()
    mine.get_by_text("Hasil terkumpul dan menunggu penilaian.").wait_for()
    mine.locator(".summary").get_by_text("Menunggu penilaian").wait_for()
    fajar.assert_readable()

    boss.go("/persetujuan")
    page.get_by_test_id("inbox-tasks").get_by_role("link", name="Rekap presensi November").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh rekap-november.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    page.get_by_label("Setujui").check()
    page.get_by_label("Komentar").fill("Rapi, terima kasih.")
    page.get_by_label("Nilai (1–5)").select_option("5")
    page.get_by_role("button", name="Kirim penilaian").click()
    page.get_by_text("Penilaian terkirim.").wait_for()
    assert page.url == task_url
    boss.close()

    mine.reload()
    mine.get_by_test_id("last-review").wait_for()
    review = mine.get_by_test_id("last-review").inner_text()
    assert "Setujui" in review and "Nilai 5 dari 5" in review and "Rapi, terima kasih." in review
    mine.locator(".summary").get_by_text("Disetujui").wait_for()
    fajar.close()


def test_daily_log_added_edited_while_pending_and_returned_with_a_note(browser, team):
    eka = Phone(browser).signed_in_as(team["eka"], "/laporan-harian")
    page = eka.page
    page.get_by_text("Belum ada kegiatan pada tanggal ini.").wait_for()
    page.get_by_label("Kegiatan", exact=True).fill("Verifikasi berkas kenaikan pangkat")
    page.get_by_label("Hasil").fill("8 berkas")
    page.get_by_label("Mulai (JJ:MM)").fill("08:00")
    page.get_by_label("Selesai (JJ:MM)").fill("07:00")
    page.get_by_role("button", name="Simpan kegiatan").click()
    page.locator("#ended_at-error").get_by_text("Waktu selesai harus setelah waktu mulai").wait_for()
    page.get_by_label("Selesai (JJ:MM)").fill("09:00")
    page.get_by_role("button", name="Simpan kegiatan").click()
    page.get_by_text("Kegiatan tersimpan dan menunggu persetujuan atasan.").wait_for()
    entry = page.get_by_test_id("log-entry").first
    assert "Menunggu persetujuan" in entry.inner_text() and "60 menit" in entry.inner_text()
    # Edit while pending.
    entry.get_by_role("button", name="Ubah").click()
    page.get_by_role("heading", name="Ubah kegiatan").wait_for()
    page.get_by_label("Hasil").fill("12 berkas")
    page.get_by_label("Selesai (JJ:MM)").fill("09:30")
    page.get_by_role("button", name="Simpan perubahan").click()
    page.get_by_test_id("log-entry").first.get_by_text("12 berkas").wait_for()
    assert "90 menit" in page.get_by_test_id("log-entry").first.inner_text()

    boss = Phone(browser).signed_in_as(team["boss"], "/persetujuan")
    inbox = boss.page
    inbox.get_by_test_id("inbox-logs").get_by_role("link", name=re.compile("Eka Lestari")).click()
    inbox.get_by_text("12 berkas").wait_for()
    inbox.get_by_role("button", name="Kembalikan").click()
    inbox.locator("#note-error").get_by_text("Tulis alasan pengembalian").wait_for()  # a return needs a reason
    inbox.get_by_label("Catatan (wajib bila dikembalikan)").fill("Lampirkan daftar NIP-nya.")
    inbox.get_by_role("button", name="Kembalikan").click()
    inbox.get_by_text("Keputusan tersimpan.").wait_for()
    boss.close()

    page.reload()
    entry = page.get_by_test_id("log-entry").first
    entry.get_by_text("Dikembalikan").wait_for()
    assert "Lampirkan daftar NIP-nya." in entry.inner_text()
    assert entry.get_by_role("button", name="Ubah").count() == 0  # decided: no more edits
    eka.assert_readable()
    eka.close()
