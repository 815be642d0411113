"""The SKP through the screens, on phones (390 px): the employee drafts with the supervisor's approved
RHK picked from a list, submits; the supervisor approves from the team screen; the employee reports the
period's realisation with a link and a PDF as evidence; the supervisor gives feedback, rates the seven
BerAKHLAK values and evaluates (di atas, sesuai) -> "Baik", as the matrix gives it; both open the
Dokumen Evaluasi Kinerja, and its PDF holds the name, the RHK and the predikat. The head's own plan is
made once through the API (approved by an admin)."""
from __future__ import annotations

import io
import os
import secrets
from datetime import date

import pytest
import requests
from pypdf import PdfReader

from support import bearer, login_direct, wait_until
from e2e.web_app import PERFORMANCE, Laptop, Phone

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
YEAR = date.today().year
PERIOD = f"Q{(date.today().month - 1) // 3 + 1}"
HEAD_RHK = "Meningkatnya kualitas layanan kepegawaian daerah"
STAFF_RHK = "Tersusunnya analisis kebutuhan pelatihan pegawai"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="module")
def team(make_employee, mongo_client, admin_token):
    unit = f"WS{secrets.token_hex(3).upper()}"
    head = make_employee(unit_code=unit, name="Kepala Bidang SKP", position="Kepala Bidang")
    staff = make_employee(unit_code=unit, supervisor_nip=head["nip"], name="Sari Pelaksana", position="Analis SDM")
    db = mongo_client[PERFORMANCE_DB]
    wait_until(lambda: db.employees.count_documents({"_id": {"$in": [head["nip"], staff["nip"]]}}) == 2, timeout=30,
               message="performance's copies")
    h = bearer(login_direct(head["nip"], head["password"])["access_token"])
    plan = requests.post(f"{PERFORMANCE}/skp", headers=h, timeout=30, json={"year": YEAR, "items": [
        {"type": "utama", "rhk": HEAD_RHK, "indicators": [
            {"description": "Indeks kepuasan layanan", "target": 90, "unit": "%", "aspect": "kualitas"}]}]})
    assert plan.status_code == 201, plan.text
    assert requests.post(f"{PERFORMANCE}/skp/{plan.json()['id']}/submit", headers=h, json={}, timeout=30).status_code == 200
    approved = requests.post(f"{PERFORMANCE}/skp/{plan.json()['id']}/approve", headers=bearer(admin_token), json={}, timeout=30)
    assert approved.status_code == 200, approved.text
    return {"unit": unit, "head": head, "staff": staff, "head_skp": plan.json()["id"]}


def test_skp_from_draft_to_an_evaluation_baik_through_the_screens(browser, team, admin_token, tmp_path):
    staff, head = team["staff"], team["head"]
    me = Phone(browser).signed_in_as(staff, "/menu")
    page = me.page
    page.get_by_role("link", name="SKP saya").click()
    page.get_by_role("button", name=f"Susun SKP {YEAR}").click()
    page.get_by_role("heading", name=f"Susun SKP {YEAR}").wait_for()
    # Nothing filled in: said beside each field, nothing sent.
    page.get_by_role("button", name="Simpan dan ajukan ke atasan").click()
    page.locator('[id="items.0.rhk-error"]').get_by_text("Tulis RHK").wait_for()
    page.locator('[id="items.0.parent_item_id-error"]').get_by_text("Pilih RHK atasan yang didukung").wait_for()
    page.get_by_label("Rencana hasil kerja (RHK)").fill(STAFF_RHK)
    # The picker offers the supervisor's approved RHK.
    picker = page.get_by_label("RHK atasan yang diintervensi")
    assert HEAD_RHK in picker.inner_text()
    picker.select_option(label=HEAD_RHK)
    page.get_by_label("Indikator kinerja").fill("Dokumen analisis selesai")
    page.get_by_label("Target").fill("4")
    page.get_by_label("Satuan").fill("dokumen")
    me.assert_readable()
    page.get_by_role("button", name="Simpan dan ajukan ke atasan").click()
    page.get_by_text("SKP diajukan dan menunggu persetujuan atasan.").wait_for()
    page.get_by_text("Diajukan, menunggu persetujuan").first.wait_for()
    skp_id = page.url.rstrip("/").split("/")[-1]

    boss = Phone(browser).signed_in_as(head, "/skp-tim")
    bpage = boss.page
    card = bpage.locator(f'[data-testid="team-skp"][data-nip="{staff["nip"]}"]')
    card.get_by_text("menunggu persetujuan Anda").wait_for()
    card.get_by_role("link", name="Sari Pelaksana").click()
    bpage.get_by_text(STAFF_RHK).wait_for()
    bpage.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    bpage.locator("#note-error").get_by_text("Tulis catatan untuk pegawai").wait_for()  # a return needs a note
    bpage.get_by_role("button", name="Setujui SKP").click()
    bpage.get_by_text("SKP disetujui.").wait_for()

    # The employee's realisation of the period, with a link and a file as evidence.
    page.reload()
    page.get_by_role("link", name=PERIOD).click()
    page.get_by_role("heading", name="Realisasi").wait_for()
    page.get_by_label("Realisasi (dokumen); target 4").fill("5")
    page.get_by_label("Tautan bukti dukung (boleh kosong)").fill("drive.example.go.id/analisis")
    page.get_by_role("button", name="Simpan realisasi").click()
    page.locator('[id="items.0.indicators.0.links-error"]').get_by_text("Tautan harus diawali").wait_for()
    page.get_by_label("Tautan bukti dukung (boleh kosong)").fill("https://drive.example.go.id/analisis")
    page.get_by_role("button", name="Simpan realisasi").click()
    page.get_by_text("Realisasi tersimpan.").wait_for()
    (tmp_path / "analisis.pdf").write_bytes(PDF)
    page.get_by_label("Berkas bukti dukung").set_input_files(str(tmp_path / "analisis.pdf"))
    page.get_by_role("button", name="Unggah berkas").click()
    page.get_by_text("Berkas bukti tersimpan.").wait_for()
    page.get_by_role("button", name="analisis.pdf").wait_for()
    me.assert_readable()

    # The supervisor: feedback, the seven BerAKHLAK values, the evaluation.
    boss.go(f"/skp/{skp_id}/periode/{PERIOD}")
    bpage.get_by_role("heading", name="Umpan balik atasan").wait_for()
    assert "https://drive.example.go.id/analisis" in boss.text() and "5 dokumen" in boss.text()
    bpage.get_by_label("Umpan balik untuk RHK 1").fill("Analisis lengkap; lanjutkan dengan rencana pelatihan.")
    bpage.get_by_role("button", name="Kirim umpan balik").click()
    bpage.get_by_text("Umpan balik tersimpan.").wait_for()
    bpage.get_by_role("button", name="Simpan penilaian perilaku").click()
    bpage.locator(".error-summary").get_by_text("Pilih penilaian").first.wait_for()
    for value in ("Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"):
        bpage.get_by_label(value, exact=True).select_option("sesuai")
    bpage.locator('[id="values.kompeten.ekspektasi_khusus"]').fill("Menguasai analisis kebutuhan diklat")
    bpage.locator("#perilaku").select_option("sesuai")
    bpage.get_by_role("button", name="Simpan penilaian perilaku").click()
    bpage.get_by_text("Penilaian perilaku tersimpan.").wait_for()
    bpage.locator("#hasil_kerja").select_option("di_atas")
    wait_until(lambda: bpage.locator("#eval_perilaku").input_value() == "sesuai", timeout=10,
               message="perilaku taken from the behaviour rating")
    bpage.get_by_test_id("predikat-preview").get_by_text("Menurut matriks predikat: Baik").wait_for()
    bpage.get_by_role("button", name="Simpan evaluasi").click()
    bpage.get_by_text("Evaluasi tersimpan: predikat Baik.").wait_for()
    assert bpage.get_by_test_id("predikat").inner_text() == "Baik"
    boss.assert_readable()

    # Both open the document; its PDF says who, what and the predikat.
    page.reload()  # the employee's page was open on this period all along
    page.get_by_test_id("predikat").get_by_text("Baik", exact=True).wait_for()
    page.get_by_label("Tanggapan pegawai").fill("Terima kasih atas umpan baliknya.")
    page.get_by_role("button", name="Kirim tanggapan").click()
    page.get_by_text("Tanggapan tersimpan.").wait_for()
    page.get_by_test_id("evaluation-document-link").click()
    document = page.get_by_test_id("evaluation-document")
    document.wait_for()
    assert document.get_by_test_id("document-predikat").inner_text() == "Baik"
    text = document.inner_text()
    assert "Sari Pelaksana" in text and STAFF_RHK in text and HEAD_RHK in text and "Kepala Bidang SKP" in text
    assert "Terima kasih atas umpan baliknya." in text
    me.shot("skp-document", full_page=True)
    me.assert_readable()
    boss.go(f"/skp/{skp_id}/periode/{PERIOD}/dokumen")
    bpage.get_by_test_id("evaluation-document").wait_for()
    with bpage.expect_download() as info:
        bpage.get_by_role("button", name="Unduh PDF").click()
    pdf_path = tmp_path / "evaluasi.pdf"
    info.value.save_as(pdf_path)
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert "Sari Pelaksana" in pdf_text and "analisis kebutuhan" in pdf_text and "Baik" in pdf_text
    # The plan's own form opens too.
    boss.go(f"/skp/{skp_id}/dokumen")
    plan_doc = bpage.get_by_test_id("skp-document")
    plan_doc.wait_for()
    assert STAFF_RHK in plan_doc.inner_text() and HEAD_RHK in plan_doc.inner_text()
    me.close()
    boss.close()

    stored = requests.get(f"{PERFORMANCE}/skp/{skp_id}/periods/{PERIOD}", headers=bearer(admin_token), timeout=30).json()
    assert stored["evaluation"]["predikat"] == "Baik" and stored["evaluation"]["hasil_kerja"] == "di_atas"


def test_unit_predikat_distribution_for_admins(browser, team):
    from support import ADMIN_NIP, ADMIN_PASSWORD

    desk = Laptop(browser).signed_in_as({"nip": ADMIN_NIP, "password": ADMIN_PASSWORD}, f"/admin/skp?unit={team['unit']}&year={YEAR}&period={PERIOD}")
    page = desk.page
    table = page.get_by_test_id("distribution")
    table.wait_for()
    assert table.locator('[data-predikat="Baik"] [data-column="count"]').inner_text() == "1"
    page.get_by_test_id("report-employee").filter(has_text="Sari Pelaksana").get_by_text("Baik").wait_for()
    desk.fits(768)
    desk.assert_readable()
    desk.close()


def submitted_head_plan(make_employee, mongo_client, name, position, item):
    """A head of a new unit (no supervisor) with a one-RHK plan submitted: (head, headers, answer)."""
    head = make_employee(unit_code=f"WS{secrets.token_hex(3).upper()}", name=name, position=position)
    db = mongo_client[PERFORMANCE_DB]
    wait_until(lambda: db.employees.find_one({"_id": head["nip"]}), timeout=30, message="performance's copy")
    h = bearer(login_direct(head["nip"], head["password"])["access_token"])
    plan = requests.post(f"{PERFORMANCE}/skp", headers=h, timeout=30, json={"year": YEAR, "items": [item]})
    assert plan.status_code == 201, plan.text
    assert requests.post(f"{PERFORMANCE}/skp/{plan.json()['id']}/submit", headers=h, json={}, timeout=30).status_code == 200
    return head, h, plan


def test_a_head_without_supervisor_has_the_plan_approved_by_an_admin_in_the_console(browser, make_employee, mongo_client):
    from support import ADMIN_NIP, ADMIN_PASSWORD

    head, h, plan = submitted_head_plan(make_employee, mongo_client, "Kepala Badan Uji", "Kepala Badan", {
        "type": "utama", "rhk": "Terwujudnya ASN yang profesional", "indicators": [
            {"description": "Indeks profesionalitas ASN", "target": 75, "unit": "poin", "aspect": "kualitas"}]})
    desk = Laptop(browser).signed_in_as({"nip": ADMIN_NIP, "password": ADMIN_PASSWORD}, f"/admin/pegawai/{head['nip']}")
    page = desk.page
    page.get_by_text("admin yang menyetujui SKP-nya").wait_for()
    page.get_by_test_id("employee-skp").get_by_role("link", name="Buka SKP").click()
    page.get_by_text("Terwujudnya ASN yang profesional").wait_for()
    page.get_by_role("button", name="Setujui SKP").click()
    page.get_by_text("SKP disetujui.").wait_for()
    stored = requests.get(f"{PERFORMANCE}/skp/{plan.json()['id']}", headers=h, timeout=30).json()
    assert stored["status"] == "approved" and stored["approved"]["approved_by"] == ADMIN_NIP
    desk.assert_readable()
    desk.close()


def test_an_approved_plan_is_changed_through_a_revision_with_its_reason(browser, make_employee, mongo_client, admin_token):
    head, h, plan = submitted_head_plan(make_employee, mongo_client, "Kepala Revisi", "Kepala Bidang", {
        "type": "utama", "rhk": "Tertatanya arsip kepegawaian", "indicators": [
            {"description": "Arsip terdigitalisasi", "target": 500, "unit": "berkas", "aspect": "kuantitas"}]})
    skp_id = plan.json()["id"]
    assert requests.post(f"{PERFORMANCE}/skp/{skp_id}/approve", headers=bearer(admin_token), json={},
                         timeout=30).status_code == 200
    me = Phone(browser).signed_in_as(head, f"/skp/{skp_id}")
    page = me.page
    form = page.get_by_test_id("skp-revise")
    form.get_by_role("heading", name="Ubah SKP (revisi)").wait_for()
    form.get_by_role("button", name="Buka revisi").click()  # no reason: said beside the field, nothing sent
    form.get_by_text("Tulis alasan perubahan").first.wait_for()
    assert requests.get(f"{PERFORMANCE}/skp/{skp_id}", headers=h, timeout=30).json()["status"] == "approved"
    page.get_by_label("Alasan perubahan").fill("Target digitalisasi dinaikkan oleh pimpinan")
    form.get_by_role("button", name="Buka revisi").click()
    page.get_by_text("Revisi dibuka").wait_for()
    page.get_by_role("button", name="Simpan dan ajukan ke atasan").wait_for()  # the editor is back
    stored = requests.get(f"{PERFORMANCE}/skp/{skp_id}", headers=h, timeout=30).json()
    assert stored["status"] == "draft" and stored["revision"] == plan.json()["revision"] + 1, stored
    assert stored["approved"]["items"][0]["rhk"] == "Tertatanya arsip kepegawaian"  # still in force
    assert any(e["action"] == "revise" and "digitalisasi" in (e.get("note") or "") for e in stored["history"]), stored
    page.screenshot(path="/tmp/skp_revise.png", full_page=True)
    me.assert_readable()
    me.close()
