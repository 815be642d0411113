"""Tasks through the gateway: assignment, state machine, submissions with real files, downloads, review."""
from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
import zipfile
from datetime import date, timedelta

import pika
import pytest
import requests
from conftest import bearer, login_direct, wait_until

pytestmark = pytest.mark.e2e

PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture(scope="module")
def perf_db(mongo_client):
    return mongo_client[PERFORMANCE_DB]


@pytest.fixture(scope="module")
def people(make_employee, perf_db):
    boss = make_employee(name="Kepala Bidang")
    staff = make_employee(supervisor_nip=boss["nip"], name="Staf Pelaksana")
    peer = make_employee(supervisor_nip=boss["nip"], name="Rekan Kerja")
    stranger = make_employee(name="Orang Lain")
    everyone = [boss, staff, peer, stranger]
    wait_until(lambda: perf_db.employees.count_documents({"_id": {"$in": [p["nip"] for p in everyone]}}) == 4,
               timeout=20, message="performance's copy of the new employees")
    return {k: {**p, "token": login_direct(p["nip"], p["password"])["access_token"]}
            for k, p in zip(("boss", "staff", "peer", "stranger"), everyone)}


@pytest.fixture()
def task_events(amqp_url):
    name = f"test.performance.{uuid.uuid4().hex[:8]}"
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    ch = conn.channel()
    ch.exchange_declare("sipk.events", "topic", durable=True)
    ch.queue_declare(name, durable=False)
    ch.queue_bind(name, "sipk.events", routing_key="performance.task.*")
    yield ch, name
    ch.queue_delete(name)
    conn.close()


def url(gateway, path):
    return f"{gateway}/api/performance/v1{path}"


def create_task(gateway, people, **overrides):
    body = {"title": "Susun laporan bulanan", "description": "Rekap kegiatan November",
            "assignee_nip": people["staff"]["nip"], "due_date": (date.today() + timedelta(days=7)).isoformat(),
            **overrides}
    return requests.post(url(gateway, "/tasks"), json=body, headers=bearer(people["boss"]["token"]), timeout=10)


def submit(gateway, token, task_id, files, note="Sudah selesai"):
    return requests.post(url(gateway, f"/tasks/{task_id}/submissions"), headers=bearer(token), timeout=60,
                         data={"note": note}, files=[("files", f) for f in files])


def test_full_round_trip_with_real_pdf(gateway, people, task_events, perf_db):
    ch, queue = task_events
    resp = create_task(gateway, people)  # skp_item_id: test_performance_skp.py
    assert resp.status_code == 201, resp.text
    task = resp.json()
    assert task["status"] == "assigned" and task["assigner_nip"] == people["boss"]["nip"]
    assert task["overdue"] is False and task["skp_item_id"] is None
    tid = task["id"]
    staff, boss = people["staff"]["token"], people["boss"]["token"]

    # The open task counts on the supervisor's team view.
    team = requests.get(url(gateway, "/team/status"), headers=bearer(boss), timeout=10).json()["items"]
    assert next(i for i in team if i["nip"] == people["staff"]["nip"])["open_tasks"] >= 1

    # Submitting before starting is an illegal transition.
    resp = submit(gateway, staff, tid, [("laporan.pdf", PDF, "application/pdf")])
    assert resp.status_code == 409 and resp.json()["error"] == "invalid_transition"

    assert requests.post(url(gateway, f"/tasks/{tid}/start"), headers=bearer(staff), timeout=10).json()[
        "status"] == "in_progress"
    # Starting twice -> 409; the supervisor may not start it -> 403.
    again = requests.post(url(gateway, f"/tasks/{tid}/start"), headers=bearer(staff), timeout=10)
    assert again.status_code == 409 and again.json()["error"] == "invalid_transition"
    assert requests.post(url(gateway, f"/tasks/{tid}/start"), headers=bearer(boss), timeout=10).status_code == 403

    resp = submit(gateway, staff, tid, [("Laporan Bulanan.pdf", PDF, "application/octet-stream"),
                                         ("notulen.docx", docx_bytes(), "text/plain")])
    assert resp.status_code == 201, resp.text
    sub = resp.json()
    assert set(sub) == {"id", "note", "submitted_at", "submitted_by", "files"}
    pdf_meta, docx_meta = sub["files"]
    assert pdf_meta["name"] == "Laporan Bulanan.pdf" and pdf_meta["size"] == len(PDF)
    assert pdf_meta["content_type"] == "application/pdf"  # from the bytes, not the client's header
    assert pdf_meta["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert docx_meta["content_type"].endswith("wordprocessingml.document")

    file_url = url(gateway, f"/tasks/{tid}/submissions/{sub['id']}/files/{pdf_meta['id']}")
    for token in (staff, boss):
        down = requests.get(file_url, headers=bearer(token), timeout=10)
        assert down.status_code == 200 and down.content == PDF
        assert down.headers["Content-Type"] == "application/pdf"
        assert down.headers["Content-Disposition"] == 'attachment; filename="Laporan Bulanan.pdf"'
    for who in ("stranger", "peer"):
        denied = requests.get(file_url, headers=bearer(people[who]["token"]), timeout=10)
        assert denied.status_code == 403 and denied.json()["error"] == "forbidden"
    missing = requests.get(url(gateway, f"/tasks/{tid}/submissions/{sub['id']}/files/{'0' * 24}"),
                           headers=bearer(staff), timeout=10)
    assert missing.status_code == 404

    # Review: the assignee may not approve; revise needs a comment; then revise -> resubmit -> approve.
    review = url(gateway, f"/tasks/{tid}/review")
    assert requests.post(review, json={"decision": "approve"}, headers=bearer(staff), timeout=10).status_code == 403
    resp = requests.post(review, json={"decision": "revise"}, headers=bearer(boss), timeout=10)
    assert resp.status_code == 422 and "comment" in resp.json()["errors"]
    resp = requests.post(review, json={"decision": "revise", "comment": "Tambahkan grafik"}, headers=bearer(boss),
                         timeout=10)
    assert resp.status_code == 200 and resp.json()["status"] == "revision_requested"
    resp = submit(gateway, staff, tid, [("revisi.pdf", PDF, "application/pdf")], note="Grafik ditambahkan")
    assert resp.status_code == 201
    resp = requests.post(review, json={"decision": "approve", "comment": "Bagus", "rating": 5}, headers=bearer(boss),
                         timeout=10)
    assert resp.status_code == 200
    done = resp.json()
    assert done["status"] == "approved" and done["last_review"]["rating"] == 5 and done["allowed_actions"] == []
    resp = requests.post(review, json={"decision": "approve"}, headers=bearer(boss), timeout=10)
    assert resp.status_code == 409 and resp.json()["error"] == "invalid_transition"

    # History of every transition, who and when.
    full = requests.get(url(gateway, f"/tasks/{tid}"), headers=bearer(staff), timeout=10).json()
    steps = [(h["action"], h["from_status"], h["to_status"], h["by"]) for h in full["history"]]
    s, b = people["staff"]["nip"], people["boss"]["nip"]
    assert steps == [("assign", None, "assigned", b), ("start", "assigned", "in_progress", s),
                     ("submit", "in_progress", "submitted", s), ("revise", "submitted", "revision_requested", b),
                     ("submit", "revision_requested", "submitted", s), ("approve", "submitted", "approved", b)]
    assert all(h["at"] for h in full["history"]) and len(full["submissions"]) == 2

    # Events went out through the outbox: assigned, submitted x2, reviewed x2.
    got = []

    def drain():
        while True:
            method, _props, body = ch.basic_get(queue, auto_ack=True)
            if method is None:
                return
            env = json.loads(body)
            if env["data"].get("task_id") == tid:
                got.append(env["type"])
    wait_until(lambda: drain() or len(got) >= 5, timeout=15, message="task events")
    assert sorted(got) == sorted(["performance.task.assigned", "performance.task.submitted",
                                  "performance.task.submitted", "performance.task.reviewed",
                                  "performance.task.reviewed"])


def test_upload_checks_by_content_and_size(gateway, people, perf_db):
    tid = create_task(gateway, people).json()["id"]
    staff = people["staff"]["token"]
    requests.post(url(gateway, f"/tasks/{tid}/start"), headers=bearer(staff), timeout=10)
    files_before = perf_db["submission_files.files"].count_documents({})

    resp = submit(gateway, staff, tid, [("ok.pdf", PDF, "application/pdf"), ("virus.pdf", EXE, "application/pdf")])
    assert resp.status_code == 422 and resp.json()["error"] == "unsupported_file_type"
    assert resp.json()["file"] == "virus.pdf"

    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)
    resp = submit(gateway, staff, tid, [("big.pdf", big, "application/pdf")])
    assert resp.status_code == 413 and resp.json()["error"] == "file_too_large"

    resp = submit(gateway, staff, tid, [(f"f{i}.pdf", PDF, "application/pdf") for i in range(6)])
    assert resp.status_code == 422 and resp.json()["error"] == "too_many_files"

    resp = requests.post(url(gateway, f"/tasks/{tid}/submissions"), headers=bearer(staff), timeout=10,
                         data={"note": "x"}, files=[("attachment", ("a.pdf", PDF, "application/pdf"))])
    assert resp.status_code == 422  # unknown multipart field

    # Nothing stored by any refused submission.
    task = requests.get(url(gateway, f"/tasks/{tid}"), headers=bearer(staff), timeout=10).json()
    assert task["status"] == "in_progress" and task["submissions"] == []
    assert perf_db["submission_files.files"].count_documents({}) == files_before

    # A PNG named .pdf is a PNG: stored as image/png with a matching extension.
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
    resp = submit(gateway, staff, tid, [("foto.pdf", png, "application/pdf")])
    assert resp.status_code == 201
    meta = resp.json()["files"][0]
    assert meta["content_type"] == "image/png" and meta["name"] == "foto.pdf.png"


def test_body_over_the_limit_is_413_json(gateway, people):
    tid = create_task(gateway, people).json()["id"]
    blob = b"%PDF-1.4\n" + b"0" * (9 * 1024 * 1024)
    # 54 MB: over the 52 MiB limit the gateway and the service share; the gateway refuses first.
    resp = submit(gateway, people["staff"]["token"], tid, [(f"f{i}.pdf", blob, "application/pdf") for i in range(6)])
    assert resp.status_code == 413 and resp.json()["error"] == "payload_too_large"
    # 63 MB: refused by the gateway too, still JSON.
    resp = submit(gateway, people["staff"]["token"], tid, [(f"f{i}.pdf", blob, "application/pdf") for i in range(7)])
    assert resp.status_code == 413 and resp.json()["code"] == 413


def test_only_the_direct_supervisor_assigns(gateway, people):
    for who, nip in (("peer", people["staff"]["nip"]), ("stranger", people["staff"]["nip"]),
                     ("staff", people["boss"]["nip"])):
        resp = requests.post(url(gateway, "/tasks"), headers=bearer(people[who]["token"]), timeout=10, json={
            "title": "x", "assignee_nip": nip, "due_date": date.today().isoformat()})
        assert resp.status_code == 403 and resp.json()["error"] == "not_direct_supervisor", who
    bad = create_task(gateway, people, due_date=(date.today() - timedelta(days=3)).isoformat())
    assert bad.status_code == 422 and "due_date" in bad.json()["errors"]
    bad = create_task(gateway, people, status="approved")
    assert bad.status_code == 422 and "status" in bad.json()["errors"]
    bad = create_task(gateway, people, title={"$gt": ""})
    assert bad.status_code == 422


def test_task_visibility_listing_and_overdue(gateway, people, perf_db):
    tid = create_task(gateway, people, title="Tugas terlambat").json()["id"]
    for who in ("peer", "stranger"):
        resp = requests.get(url(gateway, f"/tasks/{tid}"), headers=bearer(people[who]["token"]), timeout=10)
        assert resp.status_code == 403
    assert requests.get(url(gateway, "/tasks/nope"), headers=bearer(people["staff"]["token"]),
                        timeout=10).status_code == 404
    perf_db.tasks.update_one({"_id": tid}, {"$set": {"due_date": (date.today() - timedelta(days=2)).isoformat()}})
    task = requests.get(url(gateway, f"/tasks/{tid}"), headers=bearer(people["staff"]["token"]), timeout=10).json()
    assert task["overdue"] is True and task["allowed_actions"] == ["start"]

    mine = requests.get(url(gateway, "/tasks"), params={"scope": "mine", "status": "assigned", "page_size": 200},
                        headers=bearer(people["staff"]["token"]), timeout=10).json()
    assert tid in [t["id"] for t in mine["items"]] and mine["page_size"] == 200
    assert all(t["status"] == "assigned" and t["assignee_nip"] == people["staff"]["nip"] for t in mine["items"])
    given = requests.get(url(gateway, "/tasks"), params={"scope": "assigned", "page_size": 1},
                         headers=bearer(people["boss"]["token"]), timeout=10).json()
    assert given["total"] >= 1 and len(given["items"]) == 1
    assert requests.get(url(gateway, "/tasks"), params={"scope": "everyone"},
                        headers=bearer(people["boss"]["token"]), timeout=10).status_code == 422
    assert requests.get(url(gateway, "/tasks"), params={"scope": "assigned"},
                        headers=bearer(people["peer"]["token"]), timeout=10).json()["total"] == 0
