"""The HR console (BKPSDM) in a real Chromium at 1280 px (and checked at 768 px): an office placed by a
click on the map with its radius circle, a CSV import with a bad line fixed in the table, a roster whose
quota holds in the matrix, the recap downloaded as XLSX equal to the rows on screen, the daily close, the
supervisor chain's loop refused beside the field, a one-time password, and the audit log. Data is made
once per module through the API; one browser for the session."""
from __future__ import annotations

import calendar
import math
import re
import secrets
from datetime import date, timedelta

import pytest
import requests
from openpyxl import load_workbook

from support import ADMIN_NIP, ADMIN_PASSWORD, GATEWAY, bearer, random_nip, wait_until
from e2e.presence_common import DAYS, KOBA, PRESENCE_DB, check_in_doc, today
from e2e.web_app import PRESENCE, Laptop

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

IDENTITY = f"{GATEWAY}/api/identity/v1"
ADMIN = {"nip": ADMIN_NIP, "password": ADMIN_PASSWORD}
WEEKDAY = {"start": "07:30", "end": "16:00"}


@pytest.fixture(scope="module")
def headers(admin_token):
    return bearer(admin_token)


@pytest.fixture(scope="module")
def desk(headers, make_employee, mongo_client):
    """A unit in identity housed in an office (Mon-Fri), with ten staff copied to presence."""
    unit = f"WC{secrets.token_hex(3).upper()}"
    resp = requests.post(f"{IDENTITY}/units", json={"code": unit, "name": f"Bidang Uji Konsol {unit}"}, headers=headers, timeout=10)
    assert resp.status_code == 201, resp.text
    office = f"WCO-{secrets.token_hex(3).upper()}"
    resp = requests.post(f"{PRESENCE}/offices", headers=headers, timeout=10, json={
        "code": office, "name": f"Kantor Uji Konsol {office}", "latitude": KOBA[0] + 0.01, "longitude": KOBA[1] + 0.01,
        "unit_codes": [unit], "schedule": {"days": {d: (WEEKDAY if d in DAYS[:5] else None) for d in DAYS}, "grace_minutes": 0}})
    assert resp.status_code == 201, resp.text
    boss = make_employee(unit_code=unit, name="Kepala Bidang Konsol")
    staff = [make_employee(unit_code=unit, supervisor_nip=boss["nip"], name=f"Staf Konsol {i:02d}") for i in range(9)]
    people = [boss, *staff]
    db = mongo_client[PRESENCE_DB]
    wait_until(lambda: db.employees.count_documents({"_id": {"$in": [p["nip"] for p in people]}}) == len(people),
               timeout=30, message="presence's copies of the unit's staff")
    yield {"unit": unit, "office": office, "boss": boss, "staff": staff, "people": people}
    requests.delete(f"{PRESENCE}/offices/{office}", headers=headers, timeout=10)


@pytest.fixture(scope="module")
def desk_admin(browser):
    laptop = Laptop(browser).signed_in_as(ADMIN, "/admin")
    yield laptop
    laptop.close()


def next_monday() -> date:
    day = today() + timedelta(days=1)
    while day.weekday() != 0:
        day += timedelta(days=1)
    return day


# ------------------------------------------------------------------ offices on the map
def test_admin_creates_an_office_by_clicking_on_the_map_and_sees_its_circle(desk_admin, headers):
    page = desk_admin.page
    desk_admin.go("/admin/kantor/baru")
    page.get_by_role("heading", name="Tambah kantor").wait_for()
    # No tiles here (no internet, no MAP_TILE_URL): the page says so and still works.
    assert "tiles) tidak tersedia" in page.get_by_test_id("map-status").inner_text()
    code = f"WM-{secrets.token_hex(3).upper()}"
    page.get_by_label("Kode kantor").fill(code)
    page.get_by_label("Nama kantor").fill("Kantor Kecamatan Koba")
    page.get_by_role("button", name="Simpan kantor").click()
    page.locator("#latitude-error").get_by_text("Tentukan titik kantor").wait_for()  # nothing sent without a point
    box = page.get_by_test_id("office-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.45)
    lat = float(page.get_by_label("Lintang (latitude)").input_value())
    lon = float(page.get_by_label("Bujur (longitude)").input_value())
    # A new office's map opens at the first existing office (other tests leave theirs), else at Koba.
    first = requests.get(f"{PRESENCE}/offices", params={"page_size": 1}, headers=headers, timeout=10).json()["items"]
    centre = (first[0]["latitude"], first[0]["longitude"]) if first else KOBA
    assert abs(lat - centre[0]) < 0.02 and abs(lon - centre[1]) < 0.02, (lat, lon, centre)
    circle = page.locator(".map-box path.fence-circle:not(.other)")
    circle.wait_for()
    small = circle.bounding_box()["width"]
    page.get_by_label("Radius presensi (m)").fill("120")
    wait_until(lambda: circle.bounding_box()["width"] > small * 2, timeout=5, message="the circle grows with the radius")
    page.get_by_label("Batas akurasi GPS (m)").fill("60")
    page.get_by_label("Zona waktu").select_option("Asia/Makassar")
    desk_admin.shot("console-map")
    desk_admin.fits(768)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Simpan kantor").click()
    page.get_by_text("Kantor tersimpan.").wait_for()
    try:
        stored = requests.get(f"{PRESENCE}/offices/{code}", headers=headers, timeout=10).json()
        assert (stored["latitude"], stored["longitude"], stored["radius_m"], stored["max_accuracy_m"], stored["timezone"]) == \
            (lat, lon, 120, 60, "Asia/Makassar")
        # Dragging the marker moves the point; saving stores the new one.
        marker = page.locator(".leaflet-marker-icon")
        m = marker.bounding_box()
        page.mouse.move(m["x"] + m["width"] / 2, m["y"] + m["height"] - 4)
        page.mouse.down()
        page.mouse.move(m["x"] + 80, m["y"] + 40, steps=8)
        page.mouse.up()
        wait_until(lambda: float(page.get_by_label("Lintang (latitude)").input_value()) != lat, timeout=5, message="drag")
        moved = float(page.get_by_label("Lintang (latitude)").input_value())
        page.get_by_role("button", name="Simpan kantor").click()
        page.get_by_text("Perubahan kantor tersimpan.").wait_for()
        assert requests.get(f"{PRESENCE}/offices/{code}", headers=headers, timeout=10).json()["latitude"] == moved
        page.get_by_role("row").filter(has_text=code).wait_for()  # back on the list, with the others on the map
        desk_admin.assert_readable()
    finally:
        requests.delete(f"{PRESENCE}/offices/{code}", headers=headers, timeout=10)


def test_an_office_refusal_is_shown_in_words(desk_admin, desk):
    page = desk_admin.page
    desk_admin.go(f"/admin/kantor/{desk['office']}")
    page.get_by_label("Radius presensi (m)").wait_for()
    page.get_by_label("Radius presensi (m)").fill("5")
    page.get_by_role("button", name="Simpan kantor").click()
    page.locator("#radius_m-error").get_by_text("Angka antara 10 dan 1000").wait_for()


# ------------------------------------------------------------------ the CSV import
def test_csv_import_shows_the_bad_line_which_is_fixed_in_the_table_and_sent_again(desk_admin, desk, headers, tmp_path):
    page = desk_admin.page
    good, bad = random_nip(), random_nip()
    csv_file = tmp_path / "pegawai.csv"
    csv_file.write_text(
        "nip,name,unit_code,position,supervisor_nip,email\n"
        f"{good},Rina Impor,{desk['unit']},Analis,{desk['boss']['nip']},\n"
        f"{bad},Dodi Impor,NOSUCHUNIT,Pengadministrasi,{desk['boss']['nip']},\n", encoding="utf-8")
    desk_admin.go("/admin/pegawai/impor")
    page.get_by_role("button", name="Unggah dan impor").click()
    page.locator(".error-summary").get_by_text("Pilih berkas CSV").wait_for()
    page.get_by_label("Berkas CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="Unggah dan impor").click()
    page.get_by_text("1 baru, 0 diubah, 0 tidak berubah, 1 baris ditolak.").wait_for()
    row = page.get_by_test_id("import-error")
    assert row.count() == 1 and row.get_attribute("data-line") == "3"
    assert "Unit kerja NOSUCHUNIT tidak ada." in row.inner_text()
    cell = row.get_by_label("Baris 3: unit_code")
    assert cell.get_attribute("aria-invalid") == "true" and cell.input_value() == "NOSUCHUNIT"
    assert requests.get(f"{IDENTITY}/employees/{bad}", headers=headers, timeout=10).status_code == 404
    # The English switch: the same refusal in English.
    page.get_by_role("button", name="Switch to English").click()
    row.get_by_text("The unit NOSUCHUNIT does not exist.").wait_for()
    page.get_by_role("button", name="Ganti ke Bahasa Indonesia").click()
    row.get_by_text("Unit kerja NOSUCHUNIT tidak ada.").wait_for()
    desk_admin.shot("console-import")
    desk_admin.fits(768)
    page.set_viewport_size({"width": 1280, "height": 900})
    cell.fill(desk["unit"])
    page.get_by_role("button", name="Kirim ulang baris yang diperbaiki").click()
    page.get_by_text("Semua baris sudah masuk.").wait_for()
    assert requests.get(f"{IDENTITY}/employees/{bad}", headers=headers, timeout=10).json()["unit_code"] == desk["unit"]
    desk_admin.assert_readable()


# ------------------------------------------------------------------ employees
def test_supervisor_loop_refused_beside_the_field_and_a_one_time_password(desk_admin, desk, headers):
    page = desk_admin.page
    boss, worker = desk["boss"], desk["staff"][0]
    desk_admin.go(f"/admin/pegawai/{worker['nip']}")
    chain = page.get_by_test_id("supervisor-chain")
    chain.get_by_text("Kepala Bidang Konsol").wait_for()
    assert chain.inner_text().index("Kepala Bidang Konsol") < chain.inner_text().index(worker["name"])
    # The head under their own subordinate would be a loop: the API's refusal, beside the field.
    desk_admin.go(f"/admin/pegawai/{boss['nip']}")
    page.get_by_label("Atasan langsung (NIP)").fill(worker["nip"])
    page.get_by_role("button", name="Simpan perubahan").click()
    page.locator("#supervisor_nip-error").get_by_text(re.compile("rantai atasan tidak boleh melingkar")).wait_for()
    assert requests.get(f"{IDENTITY}/employees/{boss['nip']}", headers=headers, timeout=10).json()["supervisor_nip"] is None
    # A password reset shows the temporary password once.
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reset kata sandi").click()
    secret = page.get_by_test_id("temporary-password").locator(".secret").inner_text()
    assert len(secret) == 16
    login = requests.post(f"{IDENTITY}/auth/login", json={"nip": boss["nip"], "password": secret}, timeout=10)
    assert login.status_code == 200 and login.json()["password_change_required"] is True
    page.get_by_role("button", name="Tutup").click()
    assert page.get_by_test_id("temporary-password").count() == 0
    # The office override: the worker checks in at the chosen office whatever the unit's.
    desk_admin.go(f"/admin/pegawai/{worker['nip']}")
    page.get_by_test_id("office-now").get_by_text("(dari unit)").wait_for()
    page.get_by_label("Kantor khusus (menggantikan kantor unit)").select_option(desk["office"])
    page.get_by_role("button", name="Simpan kantor presensi").click()
    page.get_by_text("Kantor presensi tersimpan.").wait_for()
    page.get_by_test_id("office-now").get_by_text("(kantor khusus)").wait_for()
    where = requests.get(f"{PRESENCE}/employees/{worker['nip']}/office", headers=headers, timeout=10).json()
    assert where["office_override"] == desk["office"]
    desk_admin.fits(768)
    page.set_viewport_size({"width": 1280, "height": 900})
    desk_admin.assert_readable()


def test_employee_list_filters_by_unit_and_search(desk_admin, desk):
    page = desk_admin.page
    desk_admin.go(f"/admin/pegawai?unit={desk['unit']}")
    page.get_by_test_id("employee-row").first.wait_for()
    assert page.get_by_test_id("employee-row").count() >= 10
    page.get_by_label("Nama atau NIP").fill("Staf Konsol 03")
    page.get_by_role("button", name="Cari").click()
    wait_until(lambda: page.get_by_test_id("employee-row").count() == 1, timeout=10, message="one match")
    assert "Staf Konsol 03" in page.get_by_test_id("employee-row").inner_text()


# ------------------------------------------------------------------ rosters
def test_generated_roster_holds_the_quota_in_the_matrix(desk_admin, desk, headers):
    page = desk_admin.page
    start = next_monday()
    end = start + timedelta(days=11)
    desk_admin.go("/admin/roster")
    page.get_by_label("Unit kerja").select_option(desk["unit"])
    page.get_by_label("Dari tanggal").fill(start.isoformat())
    page.get_by_label("Sampai tanggal").fill(end.isoformat())
    page.get_by_label("Rasio WFO").fill("1,5")
    page.get_by_role("button", name="Buat jadwal").click()
    page.locator("#wfo_ratio-error").wait_for()  # refused before sending
    page.get_by_label("Rasio WFO").fill("0,3")
    page.get_by_role("button", name="Buat jadwal").click()
    page.get_by_test_id("roster-generated").wait_for()
    matrix = page.get_by_test_id("roster-matrix")
    matrix.get_by_test_id("roster-row").first.wait_for()
    staff = matrix.get_by_test_id("roster-row").count()
    assert staff >= 10  # the unit's ten, and whoever the import test added
    quotas = matrix.get_by_test_id("quota")
    working = quotas.count()
    assert working == 10  # two Mon-Fri weeks (the test office's schedule), no holidays made here
    for i in range(working):
        q = quotas.nth(i)
        assert q.get_attribute("data-wfo") == q.get_attribute("data-quota") == str(math.ceil(0.3 * staff)), q.inner_text()
    page.get_by_test_id("quota-verdict").get_by_text("Kuota terpenuhi setiap hari kerja.").wait_for()
    desk_admin.shot("console-roster")
    # One cell switched by hand: that day's count is off the quota, and it is said.
    first_day = start.isoformat()
    row = matrix.locator(f'[data-testid="roster-row"][data-nip="{desk["staff"][0]["nip"]}"]')
    cell = row.locator(f'td[data-day="{first_day}"] button')
    before = cell.inner_text()
    cell.click()
    page.get_by_text(re.compile(f"pada {first_day} sekarang")).wait_for()
    assert cell.inner_text() != before
    page.get_by_test_id("quota-verdict").get_by_text("Pada 1 hari jumlah WFO berbeda dari kuota").wait_for()
    desk_admin.fits(768)
    page.set_viewport_size({"width": 1280, "height": 900})
    cell.click()
    page.get_by_test_id("quota-verdict").get_by_text("Kuota terpenuhi setiap hari kerja.").wait_for()
    # A pin from the roster screen (always WFH, health reasons), then removed.
    pinned = desk["staff"][4]
    page.get_by_label("Pegawai", exact=True).select_option(pinned["nip"])
    page.get_by_label("Selalu").select_option("WFH")
    page.get_by_role("button", name="Simpan patokan").click()
    page.locator("#reason-error").wait_for()  # a reason is required
    page.get_by_label("Alasan (mis. layanan depan, kesehatan)").fill("Alasan kesehatan")
    page.get_by_role("button", name="Simpan patokan").click()
    page.get_by_text("Patokan tersimpan").wait_for()
    row = matrix.locator(f'[data-testid="roster-row"][data-nip="{pinned["nip"]}"]')
    row.get_by_text("dipatok WFH").wait_for()
    pins = requests.get(f"{PRESENCE}/rosters/pins?unit_code={desk['unit']}", headers=headers, timeout=10).json()["items"]
    assert [(p["nip"], p["mode"]) for p in pins] == [(pinned["nip"], "WFH")]
    page.get_by_test_id("pin").get_by_role("button", name="Lepas").click()
    page.get_by_text("Patokan dilepas.").wait_for()
    desk_admin.assert_readable()


# ------------------------------------------------------------------ recap and close
def previous_month_working_days(db) -> tuple[str, list[str]]:
    last = today().replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    days = [first + timedelta(days=i) for i in range(calendar.monthrange(first.year, first.month)[1])]
    holidays = {h["_id"] for h in db.holidays.find({"_id": {"$gte": first.isoformat(), "$lte": last.isoformat()}})}
    return first.strftime("%Y-%m"), [d.isoformat() for d in days if d.weekday() < 5 and d.isoformat() not in holidays]


# the XLSX's Indonesian headers for the screen's columns
XLSX_HEADERS = {"NIP": "nip", "Nama": "name", "Unit": "unit_code", "Hari kerja": "working_days", "Hadir": "present",
                "Terlambat (hari)": "late_days", "TL1": "tl1", "TL2": "tl2", "TL3": "tl3", "TL4": "tl4",
                "Pulang cepat (hari)": "early_leave_days", "PSW1": "psw1", "PSW2": "psw2", "PSW3": "psw3",
                "PSW4": "psw4", "Tanpa presensi pulang": "no_checkout_days", "Tanpa keterangan": "absent",
                "WFO": "wfo_days", "WFH": "wfh_days", "DL": "dl_days", "Belum hadir (hari berjalan)": "pending",
                "Tidak bekerja (di luar masa kerja)": "not_employed_days", "Libur nasional": "national_holidays",
                "Cuti bersama": "cuti_bersama_days", "Potongan (%)": "deduction_percent"}


def test_recap_xlsx_download_has_the_rows_on_screen_and_a_row_opens_its_days(desk_admin, desk, mongo_client, tmp_path):
    db = mongo_client[PRESENCE_DB]
    month, working = previous_month_working_days(db)
    one, two = desk["staff"][1]["nip"], desk["staff"][2]["nip"]
    db.check_ins.insert_many([check_in_doc(one, working[0], late=10), check_in_doc(one, working[1], late=45),
                              check_in_doc(one, working[2], early=20), check_in_doc(two, working[0]),
                              check_in_doc(two, working[1], late=95, early=70)])
    page = desk_admin.page
    desk_admin.go("/admin/rekap")
    page.get_by_label("Unit kerja").select_option(desk["unit"])
    page.get_by_label("Bulan").fill(month)
    page.get_by_role("button", name="Tampilkan rekap").click()
    table = page.get_by_test_id("recap-table")
    table.get_by_test_id("recap-row").first.wait_for()
    headers_on_screen = [c.get_attribute("data-column") for c in table.locator("thead th[data-column]").all()]
    screen = {}
    for row in table.get_by_test_id("recap-row").all():
        cells = {c.get_attribute("data-column"): c.inner_text() for c in row.locator("td[data-column]").all()}
        screen[row.get_attribute("data-nip")] = cells
    assert {p["nip"] for p in desk["people"]} <= set(screen)  # the unit's staff (and the import's)
    assert screen[one]["tl1"] == "1" and screen[one]["tl2"] == "1" and screen[one]["psw1"] == "1"
    desk_admin.shot("console-recap")
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh XLSX (Excel)").click()
    path = tmp_path / "recap.xlsx"
    info.value.save_as(path)
    assert info.value.suggested_filename == f"recap-{desk['unit']}-{month}.xlsx"
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and r[0] == "NIP")  # below the title rows
    head = [XLSX_HEADERS.get(h, h) for h in rows[at]]
    xlsx = {r[0]: dict(zip(head, r)) for r in rows[at + 1:] if r and r[0]}
    assert set(xlsx) == set(screen)
    assert xlsx[one]["name"] == desk["staff"][1]["name"] and xlsx[one]["unit_code"] == desk["unit"]
    for nip, cells in screen.items():
        for column in headers_on_screen:
            if column == "leave":
                expected = sum(xlsx[nip][k] for k in ("Izin", "Sakit", "Cuti", "Dinas luar", "Tugas belajar"))
            elif column == "deduction_percent":
                assert float(cells[column].replace(",", ".")) == pytest.approx(xlsx[nip][column]), (nip, column)
                continue
            else:
                expected = xlsx[nip][column]
            assert cells[column] == str(expected), (nip, column, cells[column], expected)
    # The row's days: the same late days as its TL counts.
    table.locator(f'[data-testid="recap-row"][data-nip="{one}"]').get_by_role("link", name="hari").click()
    days = page.get_by_test_id("recap-days")
    days.get_by_test_id("recap-day").first.wait_for()
    assert days.locator('[data-status="terlambat"]').count() == 2
    assert days.locator('[data-status="pulang_cepat"]').count() == 1
    desk_admin.fits(768)
    page.set_viewport_size({"width": 1280, "height": 900})
    desk_admin.assert_readable()


def test_daily_close_says_what_it_changed_and_a_rerun_changes_nothing(desk_admin):
    page = desk_admin.page
    desk_admin.go("/admin/tutup-hari")
    day = today() - timedelta(days=1)
    page.get_by_label("Tanggal").fill(day.isoformat())
    page.get_by_role("button", name="Tutup hari").click()
    page.get_by_test_id("close-result").first.wait_for()
    page.get_by_role("button", name="Tutup hari").click()
    wait_until(lambda: page.get_by_test_id("close-result").count() == 2, timeout=60, message="second close")
    assert "Tidak ada yang berubah" in page.get_by_test_id("close-result").first.inner_text()
    # A future date: the API's refusal in words, beside the field.
    page.get_by_label("Tanggal").fill((today() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Tutup hari").click()
    page.locator(".error-summary").get_by_text("Tanggal tidak boleh di masa depan.").wait_for()
    desk_admin.assert_readable()


# ------------------------------------------------------------------ schedules, holidays, audit
def test_schedule_override_holiday_import_and_the_audit_log(desk_admin, desk, headers, tmp_path):
    page = desk_admin.page
    office = desk["office"]
    desk_admin.go(f"/admin/kantor/{office}/jadwal")
    page.get_by_label("Toleransi keterlambatan (menit)").first.fill("10")
    page.get_by_role("button", name="Simpan jadwal mingguan").click()
    page.get_by_text("Jadwal mingguan tersimpan.").wait_for()
    assert requests.get(f"{PRESENCE}/offices/{office}/schedule", headers=headers, timeout=10).json()["grace_minutes"] == 10
    year = today().year + 2  # far from every other test's working days
    page.get_by_label("Nama (mis. Ramadan 1448 H)").fill("Ramadan uji")
    page.get_by_label("Dari tanggal").fill(f"{year}-02-01")
    page.get_by_label("Sampai tanggal").fill(f"{year}-01-01")
    page.get_by_role("button", name="Tambah jadwal khusus").click()
    page.locator("#end_date-error").get_by_text("Tanggal akhir tidak boleh sebelum tanggal mulai").wait_for()
    page.get_by_label("Sampai tanggal").fill(f"{year}-03-01")
    page.get_by_role("button", name="Tambah jadwal khusus").click()
    page.get_by_text("Jadwal khusus ditambahkan.").wait_for()
    page.get_by_test_id("override").get_by_text("Ramadan uji").wait_for()

    for day in (f"{year}-08-17", f"{year}-12-24"):  # left by an earlier run that failed before its cleanup
        requests.delete(f"{PRESENCE}/holidays/{day}", headers=headers, timeout=10)
    csv_file = tmp_path / "libur.csv"
    csv_file.write_text(f"date,name\n{year}-08-17,Hari Kemerdekaan uji\n{year}-13-01,Cuti bersama uji\n", encoding="utf-8")
    desk_admin.go("/admin/libur")
    page.get_by_label("Berkas CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="Unggah dan impor").click()
    page.get_by_text("1 baru, 0 diganti namanya, 1 baris ditolak.").wait_for()
    row = page.get_by_test_id("import-error")
    assert f"'{year}-13-01'" not in row.inner_text() and f"{year}-13-01 bukan tanggal" in row.inner_text()
    row.get_by_label("Baris 3: date").fill(f"{year}-12-24")
    page.get_by_role("button", name="Kirim ulang baris yang diperbaiki").click()
    page.get_by_text("Semua baris sudah masuk.").wait_for()
    try:
        stored = {h["date"] for h in requests.get(f"{PRESENCE}/holidays?year={year}", headers=headers, timeout=10).json()["items"]}
        assert {f"{year}-08-17", f"{year}-12-24"} <= stored
        # Who changed the office: presence's audit trail, filtered in the console.
        desk_admin.go(f"/admin/audit?source=presence&entity=office&id={office}")
        entries = page.get_by_test_id("audit-entry")
        entries.first.wait_for()
        text = page.get_by_test_id("audit").inner_text()
        assert "set_schedule" in text and "add_override" in text and "grace_minutes: 10" in text
        assert ADMIN_NIP in text
        desk_admin.go(f"/admin/audit?source=identity&entity=unit&id={desk['unit']}")
        page.get_by_test_id("audit-entry").first.get_by_text("create").wait_for()
        desk_admin.fits(768)
        page.set_viewport_size({"width": 1280, "height": 900})
        desk_admin.assert_readable()
    finally:
        for day in (f"{year}-08-17", f"{year}-12-24"):
            requests.delete(f"{PRESENCE}/holidays/{day}", headers=headers, timeout=10)
