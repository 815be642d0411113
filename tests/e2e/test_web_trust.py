"""Trustworthy check-in in the phone app (real Chromium): a flagged check-in with a selfie reviewed from the
supervisor's inbox and the decision seen by the employee; a second phone flagged until its approval; a
correction of a forgotten check-out asked for and approved in the app."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import requests

from support import bearer, wait_until
from e2e.presence_common import PRESENCE_DB
from e2e.trust_common import past_day
from e2e.web_app import PRESENCE, Phone, local_now, make_office, offset, pick_zone

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def selfie_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (480, 640), (90, 140, 200)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def place(admin_token):
    admin = bearer(admin_token)
    office = make_office(admin, pick_zone())
    resp = requests.patch(f"{PRESENCE}/offices/{office['code']}", json={"selfie": "optional"}, headers=admin, timeout=10)
    assert resp.status_code == 200, resp.text
    yield office
    requests.delete(f"{PRESENCE}/offices/{office['code']}", headers=admin, timeout=10)


@pytest.fixture(scope="module")
def team(make_employee, place, mongo_client):
    unit = place["unit_codes"][0]
    boss = make_employee(unit_code=unit, name="Kepala Uji Presensi")
    staff = {key: make_employee(unit_code=unit, supervisor_nip=boss["nip"], name=name)
             for key, name in (("gina", "Gina Ragu"), ("hadi", "Hadi Dua HP"))}
    nips = [boss["nip"], *(p["nip"] for p in staff.values())]
    db = mongo_client[PRESENCE_DB]
    wait_until(lambda: db.employees.count_documents({"_id": {"$in": nips}}) == 3, timeout=30, message="copies")
    return {"boss": boss, **staff, "db": db}


def send_check_in(phone: Phone, kind: str = "masuk", selfie: bytes | None = None) -> None:
    page = phone.page
    page.get_by_role("button", name=f"Presensi {kind.capitalize()}").click()
    page.get_by_role("button", name=f"Kirim presensi {kind}").wait_for()
    if selfie is not None:
        page.set_input_files("#selfie", files=[{"name": "swafoto.jpg", "mimeType": "image/jpeg", "buffer": selfie}])
        page.get_by_test_id("selfie-ready").wait_for()
    page.get_by_role("button", name=f"Kirim presensi {kind}").click()
    page.get_by_role("heading", name=f"Presensi {kind} tercatat").wait_for()


def test_a_flagged_check_in_with_its_selfie_is_reviewed_from_the_inbox(browser, team, place):
    gina = Phone(browser, position=offset(place["latitude"], place["longitude"], 12), accuracy=0.5)
    gina.signed_in_as(team["gina"])
    send_check_in(gina, selfie=selfie_jpeg())
    flagged = gina.page.get_by_test_id("trust-review").inner_text()
    assert "ditandai untuk diperiksa atasan karena akurasi GPS yang dilaporkan tidak wajar" in flagged
    assert "tetap dihitung hadir" in flagged
    gina.page.get_by_role("button", name="Kembali ke beranda").click()
    gina.page.get_by_test_id("trust-review").wait_for()
    doc = team["db"].check_ins.find_one({"nip": team["gina"]["nip"]})
    assert doc["has_selfie"] and team["db"].selfies.find_one({"_id": doc["id"]})

    boss = Phone(browser).signed_in_as(team["boss"], "/persetujuan")
    section = boss.page.get_by_test_id("inbox-flagged")
    section.get_by_role("link", name=f"{team['gina']['name']}", exact=False).click()
    boss.page.get_by_text("Alasan ditandai").wait_for()
    text = boss.text()
    assert "akurasi GPS yang dilaporkan tidak wajar" in text and "dari pusat kantor (radius 50 m)" in text
    photo = boss.page.get_by_test_id("evidence-photo")
    photo.wait_for()
    wait_until(lambda: photo.evaluate("img => img.complete && img.naturalWidth") == 480, timeout=10,
               message="the selfie drawn")
    boss.assert_readable()
    boss.shot("supervisor-flagged-check-in")
    boss.page.get_by_role("button", name="Tolak (tanpa keterangan)").click()  # a rejection needs a note
    boss.page.locator("#note-error").wait_for()
    boss.page.get_by_label("Catatan").fill("Posisi tidak wajar, tidak di kantor")
    boss.page.get_by_role("button", name="Tolak (tanpa keterangan)").click()
    boss.page.get_by_role("heading", name="Persetujuan").wait_for()

    gina.page.reload()
    decided = gina.page.get_by_test_id("trust-review")
    decided.get_by_text("ditolak atasan").wait_for()
    assert "Posisi tidak wajar, tidak di kantor" in decided.inner_text()
    assert "Tanpa keterangan" in gina.text()
    gina.assert_readable()
    gina.close()
    boss.close()


def test_a_second_phone_waits_for_approval_and_a_forgotten_check_out_is_corrected(browser, team, place):
    db, hadi = team["db"], team["hadi"]
    near = offset(place["latitude"], place["longitude"], 9)
    first = Phone(browser, position=near).signed_in_as(hadi)
    send_check_in(first)
    assert first.page.get_by_test_id("trust-review").count() == 0  # the first phone is bound, nothing to check
    first.close()
    second = Phone(browser, position=near).signed_in_as(hadi)  # another browser: another device id
    send_check_in(second, "pulang")
    assert "dikirim dari perangkat yang belum disetujui" in second.page.get_by_test_id("trust-review").inner_text()
    second.go("/perangkat")
    second.page.get_by_test_id("device-item").nth(1).wait_for()
    this = second.page.get_by_test_id("device-item").filter(has_text="Perangkat ini")
    assert "Menunggu persetujuan atasan" in this.inner_text()
    # a day he forgot to clock out
    day = (local_now(place["timezone"]).date() - timedelta(days=1)).isoformat()
    db.check_ins.insert_one(past_day(hadi["nip"], day, near, office_code=place["code"], timezone=place["timezone"]))
    second.go(f"/koreksi/baru?tanggal={day}")
    page = second.page
    page.get_by_role("heading", name="Ajukan koreksi presensi").wait_for()
    page.get_by_label("Presensi pulang").check()
    page.get_by_label("Jam sebenarnya").fill("16:30")
    page.get_by_label("Alasan").fill("Lupa presensi pulang, rapat sampai sore")
    page.get_by_role("button", name="Kirim pengajuan").click()
    page.get_by_text("Pengajuan koreksi terkirim").wait_for()
    assert "Menunggu keputusan" in page.get_by_test_id("correction-item").first.inner_text()

    boss = Phone(browser).signed_in_as(team["boss"], "/persetujuan")
    boss.page.get_by_test_id("inbox-devices").get_by_role("link").first.click()
    boss.page.get_by_role("button", name="Setujui perangkat ini (mengganti yang lama)").click()
    boss.page.get_by_role("heading", name="Persetujuan").wait_for()
    boss.page.get_by_test_id("inbox-corrections").get_by_role("link", name=hadi["name"], exact=False).click()
    boss.page.get_by_role("button", name="Setujui koreksi").wait_for()
    assert "Presensi pulang pukul 16.30" in boss.text() and "rapat sampai sore" in boss.text()
    boss.page.get_by_role("button", name="Setujui koreksi").click()
    boss.page.get_by_role("heading", name="Persetujuan").wait_for()
    boss.close()

    second.go("/perangkat")
    second.page.get_by_test_id("device-item").filter(has_text="Perangkat ini").get_by_text("Terikat").wait_for()
    second.go("/koreksi")
    second.page.get_by_test_id("correction-item").first.get_by_text("Disetujui").wait_for()
    second.go("/riwayat")
    second.page.locator(".calendar").wait_for()
    if day[:7] != local_now(place["timezone"]).date().isoformat()[:7]:
        second.page.get_by_role("button", name="Bulan sebelumnya").click()
    second.page.locator(f'button[data-date="{day}"]').click()
    mark = second.page.get_by_test_id("trust-corrected")
    mark.wait_for()
    assert f"disetujui oleh {team['boss']['nip']}" in mark.inner_text() and "Lupa presensi pulang" in mark.inner_text()
    assert db.check_ins.find_one({"_id": f"{hadi['nip']}:{day}"})["check_out"]["corrected"]["approved_by"] == team["boss"]["nip"]
    second.assert_readable()
    second.shot("correction-approved")
    second.close()
