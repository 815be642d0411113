"""The annual plan (SKP) through the gateway: cascade, approval, realisation with evidence, behaviour,
evaluation -> predikat, documents, revision history, cascade view, unit report, and the refusals."""
from __future__ import annotations

import csv
import io
import json
import os
import secrets
from datetime import date, datetime, timezone

import pika
import pytest
import requests
from conftest import bearer, login_direct, wait_until
from pypdf import PdfReader

from support import bound_queue

pytestmark = pytest.mark.e2e

PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
YEAR = date.today().year
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HEAD_RHK = "Meningkatnya kualitas layanan kepegawaian daerah"
STAFF_RHK = "Tersusunnya analisis kebutuhan pelatihan pegawai"
TRICKY_RHK = "Laporan <script>alert(1)</script> & \"kutipan\""
BERAKHLAK = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")


def url(gateway, path):
    return f"{gateway}/api/performance/v1{path}"


def indicator(description="Dokumen analisis selesai", target=4, unit="dokumen", aspect="kuantitas"):
    return {"description": description, "target": target, "unit": unit, "aspect": aspect}


@pytest.fixture(scope="module")
def perf_db(mongo_client):
    return mongo_client[PERFORMANCE_DB]


@pytest.fixture(scope="module")
def people(make_employee, perf_db, admin_token):
    unit = f"SKP{secrets.token_hex(3).upper()}"
    head = make_employee(name="Kepala Badan Uji", unit_code=unit, position="Kepala Badan")
    staff = make_employee(supervisor_nip=head["nip"], name="Siti Pelaksana", unit_code=unit, position="Analis SDM")
    peer = make_employee(supervisor_nip=head["nip"], name="Budi Rekan", unit_code=unit, position="Analis SDM")
    everyone = [head, staff, peer]
    wait_until(lambda: perf_db.employees.count_documents({"_id": {"$in": [p["nip"] for p in everyone]}}) == 3,
               timeout=30, message="performance's copy of the new employees")
    out = {k: {**p, "h": bearer(login_direct(p["nip"], p["password"])["access_token"])}
           for k, p in zip(("head", "staff", "peer"), everyone)}
    out["admin"] = {"h": bearer(admin_token)}
    out["unit"] = unit
    return out


@pytest.fixture(scope="module")
def state():
    return {}


def post(gateway, path, who, body=None, **kw):
    return requests.post(url(gateway, path), json=body if body is not None else {}, headers=who["h"], timeout=30, **kw)


def get(gateway, path, who, **params):
    return requests.get(url(gateway, path), params=params, headers=who["h"], timeout=60)


def drain(channel, queue, wanted: str, skp_id: str) -> list[dict]:
    found = []

    def poll():
        while True:
            method, _props, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return [e for e in found if e["type"] == wanted and e["data"].get("skp_id") == skp_id]
            found.append(json.loads(body))
    return wait_until(poll, timeout=30, message=f"{wanted} event")


# ------------------------------------------------------------------ the head's plan, approved by an admin
def test_head_plan_is_approved_by_an_admin(gateway, people, state, amqp_url):
    head, staff = people["head"], people["staff"]
    resp = post(gateway, "/skp", head, {"year": YEAR, "items": [
        {"type": "utama", "rhk": HEAD_RHK, "indicators": [indicator("Indeks kepuasan layanan", 90, "%", "kualitas")]}]})
    assert resp.status_code == 201, resp.text
    skp = resp.json()
    assert skp["status"] == "draft" and skp["year"] == YEAR and skp["period_scheme"] == "quarterly"
    assert skp["items"][0]["id"] and skp["items"][0]["indicators"][0]["aspect"] == "kualitas"
    state["head_skp"], state["head_item"] = skp["id"], skp["items"][0]["id"]

    again = post(gateway, "/skp", head, {"year": YEAR, "items": [{"rhk": "x", "indicators": [indicator()]}]})
    assert again.status_code == 409 and again.json()["error"] == "skp_exists", again.text

    assert post(gateway, f"/skp/{skp['id']}/submit", head, {"note": "x"}).status_code == 422  # unknown field
    assert post(gateway, f"/skp/{skp['id']}/submit", head).status_code == 200
    # the head has no supervisor: a subordinate cannot approve it, an admin can
    refused = post(gateway, f"/skp/{skp['id']}/approve", staff)
    assert refused.status_code == 403, refused.text
    with bound_queue(amqp_url, "performance.skp.*") as (channel, queue):
        resp = post(gateway, f"/skp/{skp['id']}/approve", people["admin"], {"note": "Disetujui"})
        assert resp.status_code == 200, resp.text
        assert resp.json()["status"] == "approved" and resp.json()["approved"]["revision"] == 1
        events = drain(channel, queue, "performance.skp.approved", skp["id"])
    assert events[0]["data"]["nip"] == head["nip"] and events[0]["data"]["year"] == YEAR
    assert "rhk" not in json.dumps(events[0]["data"]).lower().replace("items", "")


# ------------------------------------------------------------------ the cascade rule
def test_cascade_to_an_rhk_outside_the_supervisors_approved_plan_is_422_and_stores_nothing(gateway, people, state,
                                                                                           perf_db):
    staff = people["staff"]
    other = post(gateway, "/skp", people["peer"], {"year": YEAR, "items": [
        {"type": "tambahan", "rhk": "RHK rekan", "indicators": [indicator()]}]})
    assert other.status_code == 201, other.text
    state["peer_skp"], state["peer_item"] = other.json()["id"], other.json()["items"][0]["id"]
    for parent in ("nosuchitem", state["peer_item"], None):  # unknown; a peer's RHK; none for an RHK utama
        resp = post(gateway, "/skp", staff, {"year": YEAR, "items": [
            {"type": "utama", "rhk": STAFF_RHK, "parent_item_id": parent, "indicators": [indicator()]}]})
        assert resp.status_code == 422, (parent, resp.text)
        assert resp.json()["error"] == "cascade_invalid" and "items.0.parent_item_id" in resp.json()["errors"]
    assert perf_db.skps.count_documents({"nip": staff["nip"]}) == 0


def test_subordinate_cascades_submits_and_the_supervisor_approves(gateway, people, state, perf_db):
    staff, head, peer = people["staff"], people["head"], people["peer"]
    resp = post(gateway, "/skp", staff, {"year": YEAR, "items": [
        {"type": "utama", "rhk": STAFF_RHK, "parent_item_id": state["head_item"], "indicators": [indicator()]},
        {"type": "tambahan", "rhk": TRICKY_RHK, "indicators": [indicator("Laporan", 1, "laporan", "waktu")]}]})
    assert resp.status_code == 201, resp.text
    skp = resp.json()
    assert skp["items"][0]["parent_rhk"] == HEAD_RHK
    state["skp"], state["item"] = skp["id"], skp["items"][0]["id"]
    state["indicator"] = skp["items"][0]["indicators"][0]["id"]
    assert post(gateway, f"/skp/{skp['id']}/submit", staff).status_code == 200
    resp = post(gateway, f"/skp/{skp['id']}/approve", peer)  # a peer is no rater
    assert resp.status_code == 403 and resp.json()["error"] == "not_direct_supervisor", resp.text
    assert perf_db.skps.find_one({"_id": skp["id"]})["status"] == "submitted"
    resp = post(gateway, f"/skp/{skp['id']}/approve", staff)  # nor is the owner
    assert resp.status_code == 403, resp.text
    resp = post(gateway, f"/skp/{skp['id']}/approve", head)
    assert resp.status_code == 200, resp.text
    assert resp.json()["approved"]["rater"]["nip"] == head["nip"]
    again = post(gateway, f"/skp/{skp['id']}/approve", head)
    assert again.status_code == 409 and again.json()["error"] == "invalid_transition", again.text


def test_return_with_a_note_then_resubmit(gateway, people, state):
    peer, head = people["peer"], people["head"]
    assert post(gateway, f"/skp/{state['peer_skp']}/submit", peer).status_code == 200
    assert post(gateway, f"/skp/{state['peer_skp']}/return", head, {}).status_code == 422  # a note is required
    resp = post(gateway, f"/skp/{state['peer_skp']}/return", head, {"note": "Lengkapi indikator"})
    assert resp.status_code == 200 and resp.json()["status"] == "returned", resp.text
    assert resp.json()["return_note"] == "Lengkapi indikator"
    assert [h["action"] for h in resp.json()["history"]] == ["create", "submit", "return"]


def test_editing_an_approved_plan_is_409_and_changes_nothing(gateway, people, state, perf_db):
    before = perf_db.skps.find_one({"_id": state["skp"]})
    resp = requests.put(url(gateway, f"/skp/{state['skp']}"), headers=people["staff"]["h"], timeout=10,
                        json={"items": [{"rhk": "Diubah", "indicators": [indicator()]}]})
    assert resp.status_code == 409 and resp.json()["error"] == "skp_frozen", resp.text
    after = perf_db.skps.find_one({"_id": state["skp"]})
    assert after["rev"] == before["rev"] and after["items"] == before["items"]


# ------------------------------------------------------------------ realisation with evidence
def test_q1_realisation_with_a_file_and_an_approved_linked_task_as_evidence(gateway, people, state, perf_db):
    staff, head = people["staff"], people["head"]
    bad = post(gateway, "/tasks", head, {"title": "Analisis", "assignee_nip": staff["nip"],
                                         "due_date": f"{YEAR}-12-31", "skp_item_id": state["head_item"]})
    assert bad.status_code == 422 and "skp_item_id" in bad.json()["errors"], bad.text  # not the assignee's RHK
    task = post(gateway, "/tasks", head, {"title": "Analisis kebutuhan diklat", "assignee_nip": staff["nip"],
                                          "due_date": f"{YEAR}-12-31", "skp_item_id": state["item"]})
    assert task.status_code == 201, task.text
    task_id = task.json()["id"]
    assert post(gateway, f"/tasks/{task_id}/start", staff).status_code == 200
    sub = requests.post(url(gateway, f"/tasks/{task_id}/submissions"), headers=staff["h"], timeout=30,
                        data={"note": "Selesai"}, files=[("files", ("hasil.pdf", PDF, "application/pdf"))])
    assert sub.status_code == 201, sub.text
    review = post(gateway, f"/tasks/{task_id}/review", head, {"decision": "approve", "rating": 5})
    assert review.status_code == 200, review.text
    # the approval happened today: backdate it into Q1 so the linked task falls in that period
    perf_db.tasks.update_one({"_id": task_id},
                             {"$set": {"last_review.at": datetime(YEAR, 2, 10, 3, tzinfo=timezone.utc)}})

    resp = post(gateway, f"/skp/{state['skp']}/realizations", staff, {"period": "Q1", "items": [
        {"item_id": state["item"], "realization": "Dua dokumen analisis selesai",
         "evidence": ["https://drive.example.go.id/rhk"],
         "indicators": [{"indicator_id": state["indicator"], "value": 2, "note": "Sesuai jadwal",
                         "links": ["https://drive.example.go.id/analisis"]}]}]})
    assert resp.status_code == 201, resp.text
    refused = requests.post(url(gateway, f"/skp/{state['skp']}/realizations/Q1/files"), headers=staff["h"],
                            timeout=30, data={"item_id": state["item"], "indicator_id": state["indicator"]},
                            files=[("files", ("bukti.pdf", EXE, "application/pdf"))])
    assert refused.status_code == 422 and refused.json()["error"] == "unsupported_file_type", refused.text
    upload = requests.post(url(gateway, f"/skp/{state['skp']}/realizations/Q1/files"), headers=staff["h"],
                           timeout=30, data={"item_id": state["item"], "indicator_id": state["indicator"]},
                           files=[("files", ("bukti dukung.pdf", PDF, "application/pdf"))])
    assert upload.status_code == 201, upload.text
    file_id = upload.json()["files"][0]["id"]

    view = get(gateway, f"/skp/{state['skp']}/periods/Q1", staff)
    assert view.status_code == 200, view.text
    item = next(i for i in view.json()["items"] if i["item_id"] == state["item"])
    ind = item["indicators"][0]
    assert ind["value"] == 2 and ind["links"] == ["https://drive.example.go.id/analisis"]
    assert item["links"] == ["https://drive.example.go.id/rhk"]
    assert [f["name"] for f in ind["files"]] == ["bukti dukung.pdf"]
    assert [(e["kind"], e["task_id"]) for e in item["automatic_evidence"]] == [("task", task_id)]
    download = requests.get(url(gateway, f"/skp/{state['skp']}/files/{file_id}"), headers=head["h"], timeout=10)
    assert download.status_code == 200 and download.content == PDF
    assert requests.get(url(gateway, f"/skp/{state['skp']}/files/{file_id}"), headers=people["peer"]["h"],
                        timeout=10).status_code == 403


def test_daily_log_linked_to_an_rhk_is_evidence_once_approved(gateway, people, state):
    staff, head = people["staff"], people["head"]
    bad = post(gateway, "/daily-logs", staff, {"date": date.today().isoformat(), "activity": "a", "output": "b",
                                               "started_at": "08:00", "ended_at": "09:00",
                                               "skp_item_id": state["head_item"]})
    assert bad.status_code == 422 and "skp_item_id" in bad.json()["errors"], bad.text
    log = post(gateway, "/daily-logs", staff, {"date": date.today().isoformat(), "activity": "Wawancara unit",
                                               "output": "Notulen", "started_at": "09:00", "ended_at": "10:30",
                                               "skp_item_id": state["item"]})
    assert log.status_code == 201 and log.json()["skp_item_id"] == state["item"], log.text
    quarter = f"Q{(date.today().month - 1) // 3 + 1}"
    view = get(gateway, f"/skp/{state['skp']}/periods/{quarter}", staff).json()
    assert not next(i for i in view["items"] if i["item_id"] == state["item"])["automatic_evidence"]
    assert post(gateway, f"/daily-logs/{log.json()['id']}/decision", head, {"approved": True}).status_code == 200
    view = get(gateway, f"/skp/{state['skp']}/periods/{quarter}", staff).json()
    evidence = next(i for i in view["items"] if i["item_id"] == state["item"])["automatic_evidence"]
    assert [(e["kind"], e["log_id"], e["minutes"]) for e in evidence] == [("daily_log", log.json()["id"], 90)]


# ------------------------------------------------------------------ behaviour, evaluation, predikat
def behaviour_body(period="Q1", rating="sesuai", perilaku="sesuai"):
    return {"period": period, "perilaku": perilaku,
            "values": {code: {"rating": rating, "ekspektasi_khusus": f"Ekspektasi {code} <b>"} for code in BERAKHLAK}}


def test_behaviour_and_evaluation_give_baik_and_the_employee_responds(gateway, people, state, amqp_url, perf_db):
    staff, head, peer = people["staff"], people["head"], people["peer"]
    assert post(gateway, f"/skp/{state['skp']}/behaviour", peer, behaviour_body()).status_code == 403
    assert post(gateway, f"/skp/{state['skp']}/feedback", head, {"period": "Q1", "items": [
        {"item_id": state["item"], "feedback": "Pertahankan ketepatan waktu"}]}).status_code == 200
    resp = post(gateway, f"/skp/{state['skp']}/behaviour", head, behaviour_body())
    assert resp.status_code == 200, resp.text
    assert resp.json()["behaviour"]["values"]["akuntabel"]["ekspektasi_khusus"] == "Ekspektasi akuntabel <b>"
    assert post(gateway, f"/skp/{state['skp']}/evaluations", peer,
                {"period": "Q1", "hasil_kerja": "di_atas"}).status_code == 403
    with bound_queue(amqp_url, "performance.skp.*") as (channel, queue):
        resp = post(gateway, f"/skp/{state['skp']}/evaluations", head,
                    {"period": "Q1", "hasil_kerja": "di_atas", "note": "Hasil melampaui target"})
        assert resp.status_code == 201, resp.text
        assert resp.json()["predikat"] == resp.json()["evaluation"]["predikat"] == "Baik"
        assert resp.json()["evaluation"]["perilaku"] == "sesuai"
        event = drain(channel, queue, "performance.skp.evaluated", state["skp"])[0]
    assert {k: event["data"][k] for k in ("period", "hasil_kerja", "perilaku", "predikat")} == {
        "period": "Q1", "hasil_kerja": "di_atas", "perilaku": "sesuai", "predikat": "Baik"}
    assert "note" not in event["data"] and "melampaui" not in json.dumps(event)

    mismatch = post(gateway, f"/skp/{state['skp']}/evaluations", head,
                    {"period": "Q1", "hasil_kerja": "di_atas", "perilaku": "di_atas"})
    assert mismatch.status_code == 422 and mismatch.json()["error"] == "perilaku_mismatch", mismatch.text
    # the realisation of an evaluated period is final
    late = post(gateway, f"/skp/{state['skp']}/realizations", staff, {"period": "Q1", "items": [
        {"item_id": state["item"], "realization": "Diubah"}]})
    assert late.status_code == 409 and late.json()["error"] == "period_evaluated", late.text

    resp = post(gateway, f"/skp/{state['skp']}/evaluations/Q1/response", staff, {"response": "Terima kasih"})
    assert resp.status_code == 200 and resp.json()["evaluation"]["response"]["text"] == "Terima kasih", resp.text
    again = post(gateway, f"/skp/{state['skp']}/evaluations/Q1/response", staff, {"response": "Lagi"})
    assert again.status_code == 409, again.text
    assert post(gateway, f"/skp/{state['skp']}/evaluations/Q1/response", head,
                {"response": "bukan saya"}).status_code == 403


def test_posting_again_replaces_the_evaluation_and_keeps_the_old_one(gateway, people, state):
    head = people["head"]
    resp = post(gateway, f"/skp/{state['skp']}/evaluations", head, {"period": "Q1", "hasil_kerja": "sesuai"})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["evaluation"]["version"] == 2 and body["evaluation"]["predikat"] == "Baik"
    assert body["evaluation"]["response"] is None
    assert [(h["version"], h["hasil_kerja"], h["response"]["text"]) for h in body["evaluation_history"]] == [
        (1, "di_atas", "Terima kasih")]
    view = get(gateway, f"/skp/{state['skp']}/periods/Q1", people["staff"]).json()  # the employee sees it
    assert view["evaluation"]["version"] == 2 and len(view["evaluation_history"]) == 1
    resp = post(gateway, f"/skp/{state['skp']}/evaluations", head, {"period": "Q1", "hasil_kerja": "di_atas"})
    assert resp.status_code == 201 and resp.json()["evaluation"]["predikat"] == "Baik"
    state["annual"] = post(gateway, f"/skp/{state['skp']}/evaluations", head,
                           {"period": "annual", "hasil_kerja": "di_atas", "perilaku": "sesuai"})
    assert state["annual"].status_code == 201, state["annual"].text


# ------------------------------------------------------------------ documents
def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_skp_document_as_html_pdf_and_json(gateway, people, state):
    staff = people["staff"]
    html = requests.get(url(gateway, f"/skp/{state['skp']}/document"), headers=staff["h"], timeout=60)
    assert html.status_code == 200 and html.headers["Content-Type"].startswith("text/html"), html.text
    page = html.text
    assert "Sasaran Kinerja Pegawai" in page and "RHK Atasan yang Diintervensi" in page
    assert "Siti Pelaksana" in page and STAFF_RHK in page and HEAD_RHK in page and "Kepala Badan Uji" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "@media print" in page and "@page" in page
    assert html.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    pdf = requests.get(url(gateway, f"/skp/{state['skp']}/document"), params={"format": "pdf"},
                       headers=staff["h"], timeout=120)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf", pdf.text[:200]
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.content)
    assert "Siti Pelaksana" in text and "analisis kebutuhan pelatihan" in text and "SASARAN KINERJA PEGAWAI" in text
    data = requests.get(url(gateway, f"/skp/{state['skp']}/document"), params={"format": "json"},
                        headers=staff["h"], timeout=10).json()
    assert data["employee"]["name"] == "Siti Pelaksana" and data["items"][0]["parent_rhk"] == HEAD_RHK
    assert requests.get(url(gateway, f"/skp/{state['skp']}/document"), params={"format": "docx"},
                        headers=staff["h"], timeout=10).status_code == 422


def test_evaluation_document_has_realisation_behaviour_predikat_attendance_and_signatures(gateway, people, state):
    head = people["head"]
    html = requests.get(url(gateway, f"/skp/{state['skp']}/periods/Q1/document"), headers=head["h"], timeout=60)
    assert html.status_code == 200, html.text
    page = html.text
    for expected in ("Dokumen Evaluasi Kinerja", "Siti Pelaksana", STAFF_RHK, "Baik", "Di Atas Ekspektasi",
                     "Pertahankan ketepatan waktu", "Berorientasi Pelayanan", "Kehadiran dan Disiplin",
                     "Pejabat Penilai Kinerja", "Pegawai yang Dinilai", "Analisis kebutuhan diklat",
                     "Ekspektasi akuntabel &lt;b&gt;"):
        assert expected in page, expected
    pdf = requests.get(url(gateway, f"/skp/{state['skp']}/periods/Q1/document"), params={"format": "pdf"},
                       headers=head["h"], timeout=120)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "Siti Pelaksana" in text and "Baik" in text and "Tersusunnya analisis" in text
    data = requests.get(url(gateway, f"/skp/{state['skp']}/periods/Q1/document"), params={"format": "json"},
                        headers=head["h"], timeout=10).json()
    assert data["evaluation"]["predikat"] == "Baik" and "working_days" in data["attendance"]
    assert requests.get(url(gateway, f"/skp/{state['skp']}/periods/Q1/document"),
                        headers=people["peer"]["h"], timeout=10).status_code == 403


# ------------------------------------------------------------------ revision with history
def test_a_revision_during_the_year_keeps_the_history(gateway, people, state, perf_db):
    staff, head = people["staff"], people["head"]
    resp = post(gateway, f"/skp/{state['skp']}/revisions", staff, {"reason": "Target dinaikkan"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "draft" and resp.json()["revision"] == 2
    assert resp.json()["approved"]["revision"] == 1  # still in force meanwhile
    items = resp.json()["items"]
    items[0]["indicators"][0]["target"] = 6
    edit = requests.put(url(gateway, f"/skp/{state['skp']}"), headers=staff["h"], timeout=10, json={"items": [
        {k: v for k, v in i.items() if k != "parent_rhk"} for i in items]})
    assert edit.status_code == 200, edit.text
    assert edit.json()["items"][0]["id"] == state["item"]  # ids stay: cascade and realisations still point here
    assert post(gateway, f"/skp/{state['skp']}/submit", staff).status_code == 200
    resp = post(gateway, f"/skp/{state['skp']}/approve", head)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["approved"]["revision"] == 2 and body["approved"]["items"][0]["indicators"][0]["target"] == 6
    rev2 = next(r for r in body["revisions"] if r["revision"] == 2)
    assert rev2["opened_by"] == staff["nip"] and rev2["approved_by"] == head["nip"] and rev2["reason"]
    assert rev2["changes"] == [{"change": "indicator_changed", "item_id": state["item"],
                                "indicator_id": state["indicator"], "field": "target", "old": 4.0, "new": 6.0}]
    assert [h["action"] for h in body["history"]] == ["create", "submit", "approve", "revise", "submit", "approve"]
    assert all(h["by"] and h["at"] for h in body["history"])


# ------------------------------------------------------------------ cascade view and unit report
def test_cascade_view_for_the_supervisor(gateway, people, state):
    head = people["head"]
    resp = get(gateway, "/skp/cascade", head, year=YEAR)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    row = next(r for r in body["items"] if r["item_id"] == state["head_item"])
    assert [(c["nip"], c["item_id"], c["status"]) for c in row["cascaded_to"]] == [
        (people["staff"]["nip"], state["item"], "approved")]
    assert [(w["nip"], w["status"]) for w in body["subordinates_without_approved_plan"]] == [
        (people["peer"]["nip"], "returned")]
    assert get(gateway, "/skp/cascade", people["staff"], year=YEAR, nip=head["nip"]).status_code == 403
    assert get(gateway, "/skp/cascade", head).status_code == 422


def test_unit_report_json_and_csv(gateway, people, state):
    admin = people["admin"]
    resp = get(gateway, "/skp/reports/distribution", admin, unit_code=people["unit"], year=YEAR, unit_rating="Baik")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["employees"], body["evaluated"], body["not_evaluated"]) == (3, 1, 2)
    assert body["counts"]["Baik"] == 1 and body["percent"]["Baik"] == 100.0
    assert body["caps"]["known"] is True and body["caps"]["within"] is False
    assert {(c["rule"], c["ok"]) for c in body["caps"]["checks"]} == {("max_percent", False), ("min_below", False)}
    csv_resp = get(gateway, "/skp/reports/distribution", admin, unit_code=people["unit"], year=YEAR, format="csv")
    assert csv_resp.status_code == 200 and csv_resp.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_resp.content.decode("utf-8-sig"))))
    assert rows[0] == ["Predikat", "Jumlah Pegawai", "Persentase (%)"]
    assert ["Baik", "1", "100.0"] in rows and ["NIP", "Nama", "Jabatan", "Status SKP", "Predikat"] in rows
    assert get(gateway, "/skp/reports/distribution", people["head"], unit_code=people["unit"],
               year=YEAR).status_code == 403


# ------------------------------------------------------------------ refusals store nothing
def test_bad_input_is_422_and_stores_nothing(gateway, people, state, perf_db):
    staff, head = people["staff"], people["head"]
    skps_before = perf_db.skps.count_documents({})
    period_before = perf_db.skp_periods.find_one({"_id": f"{state['skp']}:Q1"})
    ok_item = {"rhk": "x", "parent_item_id": state["head_item"], "indicators": [indicator()]}
    cases = [  # (who, path, body, the field the 422 names)
        (staff, "/skp", {"year": 2000, "items": [ok_item]}, "year"),  # year out of range
        (staff, "/skp", {"year": YEAR + 5, "items": [ok_item]}, "year"),
        (staff, "/skp", {"year": YEAR, "items": [ok_item], "extra": 1}, "extra"),  # unknown field
        (people["peer"], "/skp", {"year": YEAR - 1, "items": [{**ok_item, "indicators": [
            {**indicator(), "colour": "red"}]}]}, "items"),  # unknown field deep inside
        (head, f"/skp/{state['skp']}/evaluations", {"period": "Q1", "hasil_kerja": "baik"}, "hasil_kerja"),
        (head, f"/skp/{state['skp']}/evaluations", {"period": "M01", "hasil_kerja": "sesuai"}, "period"),
        (head, f"/skp/{state['skp']}/evaluations", {"period": "Q5", "hasil_kerja": "sesuai"}, "period"),
        (head, f"/skp/{state['skp']}/behaviour", {**behaviour_body(), "perilaku": "luar_biasa"}, "perilaku"),
        (head, f"/skp/{state['skp']}/behaviour", {**behaviour_body(),
                                                  "values": {"akuntabel": {"rating": "sesuai"}}}, "values.loyal"),
        (staff, f"/skp/{state['skp']}/realizations", {"period": "M02", "items": [{"item_id": state["item"]}]},
         "period"),
        (staff, f"/skp/{state['skp']}/realizations", {"period": "Q1", "items": [{"item_id": "nope"}]},
         "items.0.item_id"),
        (head, f"/skp/{state['skp']}/evaluations", {"period": "Q1", "hasil_kerja": "sesuai", "score": 5}, "score"),
    ]
    for who, path, body, field in cases:
        resp = post(gateway, path, who, body)
        assert resp.status_code == 422, (path, body, resp.text)
        assert resp.headers["Content-Type"].startswith("application/json")
        assert field in resp.json().get("errors", {}), (field, resp.text)
    assert perf_db.skps.count_documents({}) == skps_before
    assert perf_db.skp_periods.find_one({"_id": f"{state['skp']}:Q1"}) == period_before
    assert perf_db.skp_periods.count_documents({"_id": f"{state['skp']}:M01"}) == 0
    resp = get(gateway, "/skp", staff, year=YEAR, colour="red")
    assert resp.status_code == 422, resp.text


def test_reading_is_limited_to_the_chain(gateway, people, state, make_employee, perf_db):
    stranger = make_employee(name="Orang Luar")
    wait_until(lambda: perf_db.employees.find_one({"_id": stranger["nip"]}), timeout=30, message="copy")
    who = {"h": bearer(login_direct(stranger["nip"], stranger["password"])["access_token"])}
    assert get(gateway, f"/skp/{state['skp']}", who).status_code == 403
    assert get(gateway, "/skp", who, nip=people["staff"]["nip"]).status_code == 403
    seen = get(gateway, f"/skp/{state['head_skp']}", people["staff"])  # to cascade from it
    assert seen.status_code == 200 and seen.json()["items"][0]["rhk"] == HEAD_RHK
    assert seen.json()["history"] == [] and seen.json()["revisions"] == []  # not the notes between head and rater
    assert get(gateway, f"/skp/{state['head_skp']}", people["head"]).json()["history"]
    for path in (f"/skp/{state['head_skp']}/periods/Q1", f"/skp/{state['head_skp']}/document"):
        assert get(gateway, path, people["staff"]).status_code == 403, path  # the RHK, not the appraisal
    listed = get(gateway, "/skp", people["head"], nip=people["staff"]["nip"], year=YEAR)
    assert listed.status_code == 200 and [s["id"] for s in listed.json()["items"]] == [state["skp"]]
    assert get(gateway, "/skp/doesnotexist", people["admin"]).status_code == 404
