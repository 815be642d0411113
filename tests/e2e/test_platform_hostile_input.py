"""Hostile input through the gateway: every answer is a 4xx JSON error and nothing is stored.

Each case here answered 500 (or was accepted though nonsense, or came back as HTML) before the
shared bounded JSON parser (sipk_shared.jsonbody), the date window (sipk_shared.schemas) and the
gateway's own JSON error pages.
"""
from __future__ import annotations

import json
import os
import socket
from urllib.parse import urlsplit

import pytest
import requests

from support import GATEWAY, IDENTITY_DIRECT, PERFORMANCE_DIRECT, PRESENCE_DIRECT, bearer, login_direct

pytestmark = pytest.mark.e2e

PERFORMANCE_DB = os.environ.get("SIPK_PERFORMANCE_DB", "performance")
DEEP = "[" * 1000 + "]" * 1000
HUGE_NUMBER = "1" * 5000


@pytest.fixture(scope="module")
def someone(make_employee):
    person = make_employee()
    return {**person, "token": login_direct(person["nip"], person["password"])["access_token"]}


def json_error(resp, status: int, error: str | None = None) -> dict:
    assert resp.status_code == status, (resp.status_code, resp.text[:300])
    assert resp.headers.get("Content-Type", "").startswith("application/json"), resp.headers
    body = resp.json()
    assert body["code"] == status and body["error"] and body["message"] and body["status"]
    if error is not None:
        assert body["error"] == error, body
    return body


# (service, path) of one JSON-body route per service, signed in
BODY_ROUTES = [
    ("identity", "/api/identity/v1/me/password"),
    ("presence", "/api/presence/v1/leave-requests"),
    ("performance", "/api/performance/v1/daily-logs"),
]


@pytest.mark.parametrize("svc,path", BODY_ROUTES, ids=[r[0] for r in BODY_ROUTES])
@pytest.mark.parametrize("body", [DEEP, '{"a": ' + DEEP + "}", '{"x": ' + HUGE_NUMBER + "}",
                                  '{"x": 1e999}', '{"x": NaN}', b'{"x": "\xff"}'],
                         ids=["deep-array", "deep-in-object", "5000-digits", "inf", "nan", "not-utf8"])
def test_unacceptable_json_is_400_in_every_service(someone, svc, path, body):
    resp = requests.post(GATEWAY + path, data=body, timeout=30,
                         headers={**bearer(someone["token"]), "Content-Type": "application/json"})
    json_error(resp, 400, "invalid_json")


def test_login_body_is_parsed_by_the_same_parser():
    resp = requests.post(f"{GATEWAY}/api/identity/v1/auth/login", data=DEEP, timeout=30,
                         headers={"Content-Type": "application/json"})
    json_error(resp, 400, "invalid_json")


@pytest.mark.parametrize("text", ["ab\u0000cd", "\ud800", "x\u001by", "x\u0085"], ids=["nul", "lone-surrogate",
                                                                                     "escape", "c1-control"])
def test_control_characters_and_lone_surrogates_are_422_and_store_nothing(someone, mongo_client, text):
    day = "2025-01-02"
    body = {"date": day, "activity": text, "output": "laporan", "started_at": "08:00", "ended_at": "09:00",
            "task_id": None}
    resp = requests.post(f"{GATEWAY}/api/performance/v1/daily-logs", data=json.dumps(body), timeout=10,
                         headers={**bearer(someone["token"]), "Content-Type": "application/json"})
    assert "activity" in json_error(resp, 422, "validation_failed")["errors"]
    assert mongo_client[PERFORMANCE_DB].daily_logs.count_documents({"nip": someone["nip"]}) == 0


def test_text_with_tabs_and_newlines_is_still_fine(someone):
    body = {"date": "2025-01-03", "activity": "rapat\tkoordinasi\r\nbaris dua", "output": "notulen",
            "started_at": "08:00", "ended_at": "09:00", "task_id": None}
    resp = requests.post(f"{GATEWAY}/api/performance/v1/daily-logs", json=body, headers=bearer(someone["token"]),
                         timeout=10)
    assert resp.status_code == 201, resp.text


def test_nul_in_a_query_string_is_422(someone, admin_token):
    resp = requests.get(f"{GATEWAY}/api/identity/v1/employees", params={"q": "a\x00b"},
                        headers=bearer(admin_token), timeout=10)
    assert "q" in json_error(resp, 422, "validation_failed")["errors"]


@pytest.mark.parametrize("path,params,field", [
    ("/api/presence/v1/me/history", {"to": "0001-01-23"}, "to"),
    ("/api/presence/v1/me/history", {"from": "9999-12-01", "to": "9999-12-31"}, "from"),
    ("/api/performance/v1/daily-logs/summary", {"month": "0000-01"}, "month"),
    ("/api/performance/v1/me/daily-logs", {"from": "0001-01-01"}, "from"),
])
def test_dates_outside_the_window_are_422(someone, path, params, field):
    resp = requests.get(GATEWAY + path, params=params, headers=bearer(someone["token"]), timeout=10)
    assert field in json_error(resp, 422, "validation_failed")["errors"]


def test_a_query_integer_beyond_64_bits_is_422(someone):
    """Found by the full fuzzing pass: ?year=<21 digits> reached MongoDB and answered 500."""
    resp = requests.get(f"{GATEWAY}/api/performance/v1/skp", params={"year": "9" * 21},
                        headers=bearer(someone["token"]), timeout=10)
    assert "year" in json_error(resp, 422, "validation_failed")["errors"]


def test_recap_of_year_one_is_422(admin_token):
    resp = requests.get(f"{GATEWAY}/api/presence/v1/recap", params={"month": "0001-01", "unit_code": "BKPSDM"},
                        headers=bearer(admin_token), timeout=10)
    assert "month" in json_error(resp, 422, "validation_failed")["errors"]


def test_a_daily_log_of_year_one_is_422_and_not_stored(someone, mongo_client):
    body = {"date": "0001-01-01", "activity": "x", "output": "y", "started_at": "08:00", "ended_at": "09:00",
            "task_id": None}
    resp = requests.post(f"{GATEWAY}/api/performance/v1/daily-logs", json=body, headers=bearer(someone["token"]),
                         timeout=10)
    assert "date" in json_error(resp, 422, "validation_failed")["errors"]
    assert mongo_client[PERFORMANCE_DB].daily_logs.count_documents({"nip": someone["nip"], "date": "0001-01-01"}) == 0


# --- what the gateway answers itself ---------------------------------------------------------------
def raw_request(line: bytes) -> tuple[int, dict, bytes]:
    """Send one raw request line (requests would refuse some of these) and read the answer."""
    parts = urlsplit(GATEWAY)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(line + b"\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line_ in lines[1:]:
        name, _, value = line_.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(lines[0].split()[1]), headers, body


def test_trace_is_a_json_405_with_allow():
    status, headers, body = raw_request(b"TRACE /api/presence/v1/me/today HTTP/1.1")
    assert status == 405
    assert headers["content-type"][0].startswith("application/json")
    assert json.loads(body)["error"] == "method_not_allowed"
    assert headers.get("allow") and "GET" in headers["allow"][0]


@pytest.mark.parametrize("length", [4100, 6000, 9000, 20000])
def test_an_over_long_request_line_is_a_json_414(length):
    status, headers, body = raw_request(b"GET /api/presence/v1/me/today?x=" + b"a" * length + b" HTTP/1.1")
    assert status == 414
    assert headers["content-type"][0].startswith("application/json")
    assert json.loads(body)["error"] == "uri_too_long"


@pytest.mark.parametrize("path", ["/api/identity", "/api/presence", "/api/nowhere/v1/x", "/api/presence/v9/x",
                                  "/api/identity/v1/no-such-route", "/api/presence/v1/no-such-route",
                                  "/api/performance/v1/no-such-route", "/api/performance"])
def test_unknown_routes_answer_the_json_error_body(path):
    resp = requests.get(GATEWAY + path, timeout=10, allow_redirects=False)
    json_error(resp, 404, "not_found")


@pytest.mark.parametrize("base, svc", [(IDENTITY_DIRECT, "identity"), (PRESENCE_DIRECT, "presence"),
                                       (PERFORMANCE_DIRECT, "performance")])
def test_each_service_on_its_own_port_answers_unknown_routes_in_json_in_both_languages(base, svc):
    resp = requests.get(f"{base}/no/such/route", timeout=10)
    body = json_error(resp, 404, "not_found")
    assert body["message"] == "Alamat ini tidak ada." and resp.headers["Content-Language"] == "id"
    resp = requests.get(f"{base}/no/such/route", timeout=10, headers={"Accept-Language": "en-US,en;q=0.8"})
    assert json_error(resp, 404, "not_found")["message"] == "There is nothing at this address."
    resp = requests.post(f"{base}/api/{svc}/healthz", timeout=10)
    assert json_error(resp, 405, "method_not_allowed")["message"] == "Metode ini tidak diizinkan untuk alamat ini."
    assert "GET" in resp.headers["Allow"]


def test_a_wrong_method_is_a_json_405_with_allow(someone):
    resp = requests.delete(f"{GATEWAY}/api/presence/v1/me/today", headers=bearer(someone["token"]), timeout=10)
    json_error(resp, 405, "method_not_allowed")
    assert "GET" in resp.headers["Allow"]


def test_security_headers_are_sent_once(someone):
    resp = requests.get(f"{GATEWAY}/api/presence/v1/me/today", headers=bearer(someone["token"]), timeout=10)
    raw = resp.raw.headers.getlist("X-Content-Type-Options") if hasattr(resp.raw.headers, "getlist") else None
    assert raw == ["nosniff"]


# --- office files that are zip bombs or carry programs ----------------------------------------------
def _docx(extra: dict[str, bytes]) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        for name, data in extra.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("extra", [{"word/media/zeros.bin": b"\0" * 60_000_000},
                                   {"word/embeddings/setup.exe": b"MZ\x90\x00" + b"\0" * 512},
                                   {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}],
                         ids=["zip-bomb", "embedded-exe", "macros"])
def test_dangerous_office_files_are_refused_and_not_stored(make_employee, mongo_client, extra):
    from datetime import date, timedelta
    boss = make_employee()
    staff = make_employee(supervisor_nip=boss["nip"])
    db = mongo_client[PERFORMANCE_DB]
    from support import wait_until
    wait_until(lambda: db.employees.find_one({"_id": staff["nip"], "supervisor_nip": boss["nip"]}), timeout=30,
               message="performance's copy")
    boss_h = bearer(login_direct(boss["nip"], boss["password"])["access_token"])
    staff_h = bearer(login_direct(staff["nip"], staff["password"])["access_token"])
    task = requests.post(f"{GATEWAY}/api/performance/v1/tasks", headers=boss_h, timeout=10, json={
        "title": "Laporan", "description": "x", "assignee_nip": staff["nip"],
        "due_date": (date.today() + timedelta(days=3)).isoformat()}).json()
    assert requests.post(f"{GATEWAY}/api/performance/v1/tasks/{task['id']}/start", headers=staff_h, timeout=10).ok
    resp = requests.post(f"{GATEWAY}/api/performance/v1/tasks/{task['id']}/submissions", headers=staff_h,
                         timeout=60, data={"note": "x"}, files=[("files", ("laporan.docx", _docx(extra)))])
    assert json_error(resp, 422, "unsupported_file_type")
    assert db["submission_files.files"].count_documents({"metadata.task_id": task["id"]}) == 0
