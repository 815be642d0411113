"""Who may call what: every route of every service x seven callers, from one table.

The callers are named relative to one employee S, whose resources (task with a file, leave
request, daily log, home location) the routes are aimed at:

    anon      no token
    employee  S themself
    direct    S's direct supervisor now (B)
    former    S's supervisor before a re-organisation moved S to B (F)
    other     a supervisor in another unit (O, with their own subordinate)
    indirect  B's supervisor (G)
    admin     the bootstrap admin

Every answer is also checked against the route's documented response schema, made strict
(e2e/schema_check.py): an undocumented field in a real answer fails the route.

For each route the table lists who is ALLOWED; everybody else must be refused: 401 for the
anonymous, 403 with an authorization error for the rest. Allowed means not refused for who one
is (a 404, 409 or 422 about the data is fine). The routes come from each service's OpenAPI: a
route without an entry here fails the test, and so does an entry for a route that is gone.

Adding a route is one line: ``"METHOD /api/...": rule(ALLOWED, ...)``, with ``path=`` naming the
resource a path parameter takes (keys of the ``world`` fixture; by default its own name),
``query=`` / ``json=`` / ``files=`` what to send (``"{name}"`` strings are filled from ``world``).
"""
from __future__ import annotations

import io
import os
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import requests

from support import GATEWAY, bearer, login_direct, session_from, wait_until
from e2e.presence_common import DAYS, KOBA, open_office
from e2e.schema_check import conformance

pytestmark = pytest.mark.e2e

ACTORS = ("anon", "employee", "former", "other", "indirect", "admin", "direct")  # the allowed act last
SIGNED_IN = frozenset(ACTORS) - {"anon"}
EVERYONE = frozenset(ACTORS)
ADMIN = frozenset({"admin"})
# the refusals that are about who calls, not about the data
AUTHZ_ERRORS = {401: {"missing_token", "invalid_token", "token_revoked", "token_expired"},
                403: {"forbidden", "not_direct_supervisor", "password_change_required"}}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass(frozen=True)
class Rule:
    allow: frozenset
    path: dict = field(default_factory=dict)
    query: dict | None = None
    json: object = None
    files: object = None
    stream: bool = False
    refusal: int = 403  # what the signed-in who may not get (404 where a route hides what exists)


def rule(allow, **kw) -> Rule:
    return Rule(frozenset(allow), **kw)


def fresh_refresh(w):
    return {"refresh_token": login_direct(w["S"]["nip"], w["S"]["password"])["refresh_token"]}


def csv_file(_w):
    return {"file": ("staff.csv", b"nip,name,unit_code,position,supervisor_nip,email\n", "text/csv")}


def pdf_file(_w):
    return [("files", ("hasil.pdf", PDF, "application/pdf"))]


def holiday_csv(_w):
    return {"file": ("libur.csv", b"date,name\n", "text/csv")}


TOMORROW = (date.today() + timedelta(days=1)).isoformat()
YEAR = date.today().year
SKP_ITEM = {"type": "tambahan", "rhk": "Terlaksananya uji matriks",
            "indicators": [{"description": "Laporan", "target": 1, "unit": "laporan", "aspect": "kuantitas"}]}

MATRIX: dict[str, Rule] = {
    # --- identity
    "POST /api/identity/v1/auth/login": rule(EVERYONE, json={"nip": "{S_nip}", "password": "{S_password}"}),
    "POST /api/identity/v1/auth/refresh": rule(EVERYONE, json=fresh_refresh),
    "POST /api/identity/v1/auth/logout": rule(EVERYONE, json=fresh_refresh),
    "GET /api/identity/v1/auth/jwks": rule(EVERYONE),
    "GET /api/identity/v1/me": rule(SIGNED_IN),
    "POST /api/identity/v1/me/password": rule(SIGNED_IN, json={"old_password": "not-mine-at-all",
                                                               "new_password": "Sandi-Baru-2031"}),
    "GET /api/identity/v1/units": rule(SIGNED_IN),
    "POST /api/identity/v1/units": rule(ADMIN, json={"code": "{new_unit}", "name": "Unit baru"}),
    "GET /api/identity/v1/units/{code}": rule(SIGNED_IN, path={"code": "unit"}),
    "PATCH /api/identity/v1/units/{code}": rule(ADMIN, path={"code": "unit"}, json={"name": "Unit uji matriks"}),
    "GET /api/identity/v1/employees": rule(ADMIN),
    "POST /api/identity/v1/employees": rule(ADMIN, json={"nip": "{new_nip}", "name": "Baru", "unit_code": "{unit}",
                                                         "position": "Analis"}),
    "POST /api/identity/v1/employees/import": rule(ADMIN, files=csv_file),
    "GET /api/identity/v1/employees/{nip}": rule({"employee", "direct", "indirect", "admin"}, path={"nip": "S_nip"}),
    "PATCH /api/identity/v1/employees/{nip}": rule(ADMIN, path={"nip": "V_nip"}, json={"position": "Analis Utama"}),
    "POST /api/identity/v1/employees/{nip}/deactivate": rule(ADMIN, path={"nip": "V_nip"}),
    "POST /api/identity/v1/employees/{nip}/reactivate": rule(ADMIN, path={"nip": "V_nip"}),
    "POST /api/identity/v1/employees/{nip}/password-reset": rule(ADMIN, path={"nip": "V_nip"}),
    "GET /api/identity/v1/employees/{nip}/subordinates": rule({"employee", "direct", "indirect", "admin"},
                                                              path={"nip": "S_nip"}),
    "GET /api/identity/v1/audit": rule(ADMIN),
    # --- presence
    "GET /api/presence/v1/whoami": rule(SIGNED_IN),
    "GET /api/presence/v1/offices": rule(SIGNED_IN),
    "POST /api/presence/v1/offices": rule(ADMIN, json={"code": "{new_office}", "name": "Kantor", "latitude": 0,
                                                       "longitude": 0, "unit_codes": []}),
    "GET /api/presence/v1/offices/{code}": rule(SIGNED_IN, path={"code": "office"}),
    "PATCH /api/presence/v1/offices/{code}": rule(ADMIN, path={"code": "spare_office"}, json={"name": "Kantor B"}),
    "DELETE /api/presence/v1/offices/{code}": rule(ADMIN, path={"code": "spare_office"}),
    "GET /api/presence/v1/offices/{code}/schedule": rule(SIGNED_IN, path={"code": "office"}),
    "PUT /api/presence/v1/offices/{code}/schedule": rule(ADMIN, path={"code": "spare_office"},
                                                         json={"days": {d: None for d in DAYS}}),
    "GET /api/presence/v1/offices/{code}/schedule-overrides": rule(SIGNED_IN, path={"code": "office"}),
    "POST /api/presence/v1/offices/{code}/schedule-overrides": rule(ADMIN, path={"code": "spare_office"}, json={}),
    "DELETE /api/presence/v1/offices/{code}/schedule-overrides/{override_id}": rule(
        ADMIN, path={"code": "spare_office", "override_id": "override_id"}),
    "GET /api/presence/v1/employees/{nip}/office": rule({"employee", "admin"}, path={"nip": "S_nip"}),
    "PUT /api/presence/v1/employees/{nip}/office": rule(ADMIN, path={"nip": "V_nip"}, json={"office_code": None}),
    "GET /api/presence/v1/holidays": rule(SIGNED_IN),
    "GET /api/presence/v1/audit": rule(ADMIN),
    "GET /api/presence/v1/employees/{nip}/history": rule(ADMIN, path={"nip": "S_nip"}),
    "POST /api/presence/v1/holidays": rule(ADMIN, json={"date": "{holiday}", "name": "Libur matriks"}),
    "DELETE /api/presence/v1/holidays/{day}": rule(ADMIN, path={"day": "holiday"}),
    "POST /api/presence/v1/holidays/import": rule(ADMIN, files=holiday_csv),
    "POST /api/presence/v1/holidays/import-national": rule(ADMIN, query={"year": "1990", "cuti_bersama": "false"}),
    "POST /api/presence/v1/check-ins": rule(SIGNED_IN, json={"latitude": KOBA[0], "longitude": KOBA[1],
                                                             "accuracy_m": 10, "mode": "WFO"}),
    "POST /api/presence/v1/check-outs": rule(SIGNED_IN, json={"latitude": KOBA[0], "longitude": KOBA[1],
                                                              "accuracy_m": 10}),
    "GET /api/presence/v1/me/today": rule(SIGNED_IN),
    "GET /api/presence/v1/me/history": rule(SIGNED_IN),
    "GET /api/presence/v1/team/today": rule({"direct", "admin"}, query={"supervisor_nip": "{B_nip}"}),
    "GET /api/presence/v1/team/history": rule({"direct", "admin"}, query={"supervisor_nip": "{B_nip}",
                                                                        "nip": "{S_nip}"}),
    "GET /api/presence/v1/attendance": rule(ADMIN, query={"unit_code": "{unit}"}),
    "POST /api/presence/v1/leave-requests": rule(SIGNED_IN, json={"type": "cuti", "start_date": "2031-01-06",
                                                                  "end_date": "2031-01-06", "reason": "matriks"}),
    "GET /api/presence/v1/me/leave-requests": rule(SIGNED_IN),
    "GET /api/presence/v1/team/leave-requests": rule({"direct", "admin"}, query={"nip": "{S_nip}"}),
    "GET /api/presence/v1/leave-requests/{request_id}": rule({"employee", "direct", "admin"},
                                                             path={"request_id": "leave_id"}),
    "POST /api/presence/v1/leave-requests/{request_id}/decision": rule(
        {"direct"}, path={"request_id": "leave_id"}, json={"approved": False, "note": "matriks"}),
    "POST /api/presence/v1/leave-requests/{request_id}/cancel": rule({"employee"}, path={"request_id": "leave_id"}),
    "GET /api/presence/v1/me/leave-balance": rule(SIGNED_IN),
    "PUT /api/presence/v1/leave-requests/{request_id}/attachment": rule(
        {"employee"}, path={"request_id": "leave_id"}, files=lambda _w: {"file": ("spt.pdf", PDF, "application/pdf")},
        refusal=404),  # someone else's request: 404, as for one that is not pending
    "GET /api/presence/v1/leave-requests/{request_id}/attachment": rule({"employee", "direct", "admin"},
                                                                        path={"request_id": "leave_id"}),
    "POST /api/presence/v1/rosters/generate": rule(ADMIN, json={}),
    "PUT /api/presence/v1/rosters/{nip}/{day}": rule(ADMIN, path={"nip": "V_nip", "day": "tomorrow"},
                                                     json={"mode": "WFO"}),
    "GET /api/presence/v1/rosters/pins": rule(ADMIN),
    "PUT /api/presence/v1/rosters/pins/{nip}": rule(ADMIN, path={"nip": "V_nip"},
                                                    json={"mode": "WFO", "reason": "matriks"}),
    "DELETE /api/presence/v1/rosters/pins/{nip}": rule(ADMIN, path={"nip": "V_nip"}),
    "GET /api/presence/v1/rosters": rule(ADMIN, query={"unit_code": "{unit}", "from": TOMORROW, "to": TOMORROW}),
    "GET /api/presence/v1/team/roster": rule({"direct", "admin"}, query={"supervisor_nip": "{B_nip}"}),
    "GET /api/presence/v1/me/roster": rule(SIGNED_IN),
    "POST /api/presence/v1/days/{day}/close": rule(ADMIN, path={"day": "bad_day"}),
    "GET /api/presence/v1/recap": rule({"direct", "admin"}, query={"month": "2030-01", "supervisor_nip": "{B_nip}"}),
    "GET /api/presence/v1/me/home-location": rule(SIGNED_IN),
    "PUT /api/presence/v1/me/home-location": rule(SIGNED_IN, json={"latitude": -2.45, "longitude": 106.41}),
    "GET /api/presence/v1/team/home-locations": rule(SIGNED_IN),  # no subordinates: an empty list
    "POST /api/presence/v1/home-locations/{nip}/decision": rule({"direct", "admin"}, path={"nip": "S_nip"},
                                                                json={"approved": True, "note": "matriks"}),
    # --- presence: trust (flagged check-ins, devices, corrections)
    "GET /api/presence/v1/team/flagged": rule(SIGNED_IN),  # no subordinates: an empty list
    "POST /api/presence/v1/check-ins/{check_in_id}/review": rule({"direct", "admin"}, path={"check_in_id": "flagged_id"},
                                                                 json={"accepted": True, "note": "matriks"}),
    "GET /api/presence/v1/check-ins/{check_in_id}/selfie": rule({"direct", "admin"}, path={"check_in_id": "flagged_id"}),
    "GET /api/presence/v1/me/devices": rule(SIGNED_IN),
    "GET /api/presence/v1/team/devices": rule(SIGNED_IN),  # no subordinates: an empty list
    "POST /api/presence/v1/devices/{device_id}/decision": rule({"direct", "admin"},
                                                               json={"approved": True, "note": "matriks"}),
    "POST /api/presence/v1/devices/{device_id}/unbind": rule(ADMIN),
    "POST /api/presence/v1/corrections": rule(SIGNED_IN, json={"date": "{yesterday}", "kind": "check_in",
                                                               "time": "00:01", "reason": "matriks"}),
    "GET /api/presence/v1/me/corrections": rule(SIGNED_IN),
    "GET /api/presence/v1/team/corrections": rule(SIGNED_IN),  # no subordinates: an empty list
    "POST /api/presence/v1/corrections/{correction_id}/decision": rule({"direct", "admin"},
                                                                       json={"approved": False, "note": "matriks"}),
    "GET /api/presence/v1/corrections/{correction_id}/photo": rule({"employee", "direct", "admin"}),
    # --- performance
    "GET /api/performance/v1/whoami": rule(SIGNED_IN),
    "POST /api/performance/v1/me/heartbeat": rule(SIGNED_IN),
    "GET /api/performance/v1/team/status": rule(SIGNED_IN),
    "GET /api/performance/v1/employees/{nip}/status": rule({"employee", "direct", "admin"}, path={"nip": "S_nip"}),
    "GET /api/performance/v1/team/status/stream": rule(SIGNED_IN, stream=True),
    "GET /api/performance/v1/tasks": rule(SIGNED_IN, query={"scope": "assigned"}),
    "POST /api/performance/v1/tasks": rule({"direct"}, json={"title": "Tugas", "description": "Matriks",
                                                            "assignee_nip": "{S_nip}", "due_date": "2031-01-01"}),
    "GET /api/performance/v1/tasks/{task_id}": rule({"employee", "direct", "admin"}),
    "POST /api/performance/v1/tasks/{task_id}/start": rule({"employee"}),
    "POST /api/performance/v1/tasks/{task_id}/submissions": rule({"employee"}, files=pdf_file,
                                                                  json={"note": "hasil"}),
    "GET /api/performance/v1/tasks/{task_id}/submissions/{submission_id}/files/{file_id}": rule(
        {"employee", "direct", "admin"}),
    "POST /api/performance/v1/tasks/{task_id}/review": rule({"direct"}, json={"decision": "revise",
                                                                             "comment": "ulang", "rating": 3}),
    "GET /api/performance/v1/daily-logs": rule({"employee", "direct", "admin"}, query={"nip": "{S_nip}"}),
    "POST /api/performance/v1/daily-logs": rule(SIGNED_IN, json={"date": "2025-03-03", "activity": "rapat",
                                                                 "output": "notulen", "started_at": "{slot_start}",
                                                                 "ended_at": "{slot_end}", "task_id": None}),
    "GET /api/performance/v1/me/daily-logs": rule(SIGNED_IN),
    "POST /api/performance/v1/daily-logs/{log_id}/decision": rule({"direct"}, json={"approved": True, "note": ""}),
    "GET /api/performance/v1/daily-logs/summary": rule({"employee", "direct", "admin"},
                                                       query={"nip": "{S_nip}", "month": "2025-03"}),
    "PATCH /api/performance/v1/daily-logs/{log_id}": rule({"employee"}, json={"activity": "rapat staf"},
                                                          refusal=404),  # someone else's entry: 404
    # --- performance: the annual plan (SKP)
    "POST /api/performance/v1/skp": rule(SIGNED_IN, json={"year": YEAR, "items": [SKP_ITEM]}),
    "GET /api/performance/v1/skp": rule({"employee", "direct", "admin"}, query={"nip": "{S_nip}"}),
    "GET /api/performance/v1/skp/cascade": rule({"direct", "admin"}, query={"year": YEAR, "nip": "{B_nip}"}),
    "GET /api/performance/v1/skp/reports/distribution": rule(ADMIN, query={"unit_code": "{unit}", "year": YEAR}),
    "GET /api/performance/v1/skp-settings/{year}": rule(SIGNED_IN, path={"year": "year"}),
    "PUT /api/performance/v1/skp-settings/{year}": rule(ADMIN, path={"year": "next_year"},
                                                        json={"period_scheme": "quarterly"}),
    "GET /api/performance/v1/skp/{skp_id}": rule({"employee", "direct", "admin"}),
    "PUT /api/performance/v1/skp/{skp_id}": rule({"employee"}, json={"items": [SKP_ITEM]}),
    "POST /api/performance/v1/skp/{skp_id}/submit": rule({"employee"}),
    "POST /api/performance/v1/skp/{skp_id}/approve": rule({"direct", "admin"}),
    "POST /api/performance/v1/skp/{skp_id}/return": rule({"direct", "admin"}, json={"note": "perbaiki"}),
    "POST /api/performance/v1/skp/{skp_id}/revisions": rule({"employee"}, json={"reason": "mutasi"}),
    "POST /api/performance/v1/skp/{skp_id}/realizations": rule({"employee"}, json={
        "period": "Q1", "items": [{"item_id": "{skp_item_id}", "indicators": []}]}),
    "POST /api/performance/v1/skp/{skp_id}/realizations/{period}/files": rule(
        {"employee"}, path={"period": "period"}, files=pdf_file,
        json={"item_id": "{skp_item_id}", "indicator_id": "{skp_indicator_id}"}),
    "GET /api/performance/v1/skp/{skp_id}/files/{file_id}": rule({"employee", "direct", "admin"},
                                                                 path={"file_id": "no_such_file"}),
    "GET /api/performance/v1/skp/{skp_id}/periods/{period}": rule({"employee", "direct", "admin"},
                                                                  path={"period": "period"}),
    "GET /api/performance/v1/skp/{skp_id}/periods/{period}/document": rule(
        {"employee", "direct", "admin"}, path={"period": "period"}, query={"format": "json"}),
    "GET /api/performance/v1/skp/{skp_id}/document": rule({"employee", "direct", "admin"}, query={"format": "json"}),
    "POST /api/performance/v1/skp/{skp_id}/feedback": rule({"direct", "admin"}, json={
        "period": "Q1", "items": [{"item_id": "{skp_item_id}", "feedback": "baik"}]}),
    "POST /api/performance/v1/skp/{skp_id}/behaviour": rule({"direct", "admin"}, json={
        "period": "Q1", "values": {}, "perilaku": "sesuai"}),
    "POST /api/performance/v1/skp/{skp_id}/evaluations": rule({"direct", "admin"}, json={
        "period": "Q1", "hasil_kerja": "sesuai"}),
    "POST /api/performance/v1/skp/{skp_id}/evaluations/{period}/response": rule(
        {"employee"}, path={"period": "period"}, json={"response": "terima kasih"}),
}


# --------------------------------------------------------------------------- the world
def copies(mongo_client, nip, supervisor):
    dbs = (os.environ.get("SIPK_PRESENCE_DB", "presence"), os.environ.get("SIPK_PERFORMANCE_DB", "performance"))
    return all((mongo_client[db].employees.find_one({"_id": nip}) or {}).get("supervisor_nip", "-") == supervisor
               for db in dbs)


@pytest.fixture(scope="module")
def world(make_employee, admin_token, mongo_client):
    """S and the six others, and S's resources of every kind, after S moved from F to B."""
    admin = bearer(admin_token)
    suffix = secrets.token_hex(3).upper()
    units = {}
    for key in ("unit", "unit2"):
        units[key] = f"AZ{key[-1].upper()}{suffix}"
        requests.post(f"{GATEWAY}/api/identity/v1/units", headers=admin, timeout=10,
                      json={"code": units[key], "name": "Unit matriks"}).raise_for_status()
    offices = {}
    for key, unit in (("office", units["unit"]), ("office2", units["unit2"]), ("spare_office", None)):
        offices[key] = f"AZ{key[:2].upper()}-{suffix}{len(offices)}"
        open_office(admin_token, offices[key], [unit] if unit else [], name="Kantor matriks")
    G = make_employee(unit_code=units["unit"], name="Kepala Bidang")
    B = make_employee(unit_code=units["unit"], supervisor_nip=G["nip"], name="Kepala Seksi")
    F = make_employee(unit_code=units["unit"], name="Kepala Lama")
    S = make_employee(unit_code=units["unit"], supervisor_nip=F["nip"], name="Staf")
    V = make_employee(unit_code=units["unit"], supervisor_nip=B["nip"], name="Sasaran admin")
    O = make_employee(unit_code=units["unit2"], name="Kepala Lain")
    P = make_employee(unit_code=units["unit2"], supervisor_nip=O["nip"], name="Staf Lain")
    wait_until(lambda: all(copies(mongo_client, p["nip"], p["supervisor_nip"]) for p in (G, B, F, S, V, O, P)),
               timeout=60, message="copies of everyone")
    h = {k: bearer(login_direct(p["nip"], p["password"])["access_token"]) for k, p in
         (("S", S), ("F", F), ("B", B))}
    # S's resources, made while F was the supervisor
    task = requests.post(f"{GATEWAY}/api/performance/v1/tasks", headers=h["F"], timeout=10, json={
        "title": "Laporan", "description": "x", "assignee_nip": S["nip"], "due_date": "2031-01-01"}).json()
    requests.post(f"{GATEWAY}/api/performance/v1/tasks/{task['id']}/start", headers=h["S"], timeout=10)
    sub = requests.post(f"{GATEWAY}/api/performance/v1/tasks/{task['id']}/submissions", headers=h["S"], timeout=30,
                        data={"note": "x"}, files=pdf_file(None)).json()
    leave = requests.post(f"{GATEWAY}/api/presence/v1/leave-requests", headers=h["S"], timeout=10, json={
        "type": "cuti", "start_date": "2031-02-03", "end_date": "2031-02-03", "reason": "keluarga"}).json()
    log = requests.post(f"{GATEWAY}/api/performance/v1/daily-logs", headers=h["S"], timeout=10, json={
        "date": "2025-03-03", "activity": "rapat", "output": "notulen", "started_at": "07:00", "ended_at": "07:10",
        "task_id": None}).json()
    requests.put(f"{GATEWAY}/api/presence/v1/me/home-location", headers=h["S"], timeout=10,
                 json={"latitude": -2.45, "longitude": 106.41}).raise_for_status()
    skp = requests.post(f"{GATEWAY}/api/performance/v1/skp", headers=h["S"], timeout=30,
                        json={"year": YEAR, "items": [SKP_ITEM]})
    assert skp.status_code == 201, skp.text
    skp = skp.json()
    requests.post(f"{GATEWAY}/api/performance/v1/skp/{skp['id']}/submit", headers=h["S"], timeout=30, json={})
    override = requests.post(f"{GATEWAY}/api/presence/v1/offices/{offices['spare_office']}/schedule-overrides",
                             headers=admin, timeout=10, json={"name": "Ramadan", "start_date": "2031-03-01",
                                                              "end_date": "2031-03-05"}).json()
    # S's trust records: a flagged check-in, a second device waiting for approval, a correction
    device = {"latitude": KOBA[0], "longitude": KOBA[1], "device_id": f"matrix-{S['nip']}"}
    flagged = requests.post(f"{GATEWAY}/api/presence/v1/check-ins", headers=h["S"], timeout=10,
                            json={**device, "accuracy_m": 0, "mode": "WFO"})
    assert flagged.status_code == 201 and flagged.json()["review"] == "pending", flagged.text
    requests.post(f"{GATEWAY}/api/presence/v1/check-outs", headers=h["S"], timeout=10,
                  json={**device, "accuracy_m": 10, "device_id": f"matrix-2-{S['nip']}"}).raise_for_status()
    pending_device = next(d for d in requests.get(f"{GATEWAY}/api/presence/v1/me/devices", headers=h["S"],
                                                  timeout=10).json()["items"] if d["state"] == "pending")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    correction = requests.post(f"{GATEWAY}/api/presence/v1/corrections", headers=h["S"], timeout=10, json={
        "date": yesterday, "kind": "check_in", "time": "00:01", "reason": "HP mati"})
    assert correction.status_code == 201, correction.text
    # a year no other test reads (test_presence_admin lists 2090-2098): the POST entry runs after the DELETE one
    holiday = f"2088-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
    requests.patch(f"{GATEWAY}/api/identity/v1/employees/{S['nip']}", headers=admin, timeout=10,
                   json={"supervisor_nip": B["nip"]}).raise_for_status()
    wait_until(lambda: copies(mongo_client, S["nip"], B["nip"]), timeout=60, message="the re-organisation")
    tokens = {"employee": S, "direct": B, "former": F, "other": O, "indirect": G}
    headers = {k: bearer(login_direct(p["nip"], p["password"])["access_token"]) for k, p in tokens.items()}
    headers.update(admin=admin, anon={})
    return {
        "headers": headers, "S": S, "S_nip": S["nip"], "S_password": S["password"], "B_nip": B["nip"],
        "V_nip": V["nip"], **units, **offices, "task_id": task["id"], "submission_id": sub["id"],
        "file_id": sub["files"][0]["id"], "leave_id": leave["id"], "log_id": log["id"],
        "override_id": override.get("id", "none"), "holiday": holiday, "tomorrow": TOMORROW, "bad_day": "2099-13-01",
        "new_unit": f"AZN{suffix}", "new_office": f"AZN-{suffix}", "new_nip": V["nip"],
        "skp_id": skp["id"], "skp_item_id": skp["items"][0]["id"],
        "skp_indicator_id": skp["items"][0]["indicators"][0]["id"], "period": "Q1", "no_such_file": "0" * 24,
        "year": YEAR, "next_year": YEAR + 1,
        "flagged_id": flagged.json()["id"], "device_id": pending_device["id"], "correction_id": correction.json()["id"],
        "yesterday": yesterday,
    }


# --------------------------------------------------------------------------- the test
def documented_routes() -> set[str]:
    routes = set()
    for svc in ("identity", "presence", "performance"):
        spec = requests.get(f"{GATEWAY}/api/{svc}/openapi.json", timeout=10).json()
        for path, operations in spec["paths"].items():
            routes |= {f"{m.upper()} {path}" for m in operations if m in ("get", "post", "put", "patch", "delete")}
    return routes


def test_every_route_has_an_entry():
    documented = documented_routes()
    missing = sorted(documented - set(MATRIX))
    stale = sorted(set(MATRIX) - documented)
    assert not missing, "routes without an authorization entry (add one line each to MATRIX):\n" + "\n".join(missing)
    assert not stale, "entries for routes that are gone:\n" + "\n".join(stale)


def fill(value, w):
    if callable(value):
        return value(w)
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in w:
        return w[value[1:-1]]
    if isinstance(value, dict):
        return {k: fill(v, w) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, w) for v in value]
    return value


def call(session, route: str, r: Rule, actor: str, w: dict) -> requests.Response:
    method, template = route.split(" ", 1)
    path = template
    for name in [p[1:-1] for p in template.split("/") if p.startswith("{")]:
        path = path.replace("{" + name + "}", str(w[r.path.get(name, name)]))
    kw = {"headers": w["headers"][actor], "params": fill(r.query, w), "timeout": 60}
    if r.files is not None:
        kw["files"] = fill(r.files, w)
        if r.json is not None:
            kw["data"] = fill(r.json, w)
    elif r.json is not None or method in ("POST", "PUT", "PATCH"):
        kw["json"] = fill(r.json, w) if r.json is not None else {}
    if r.stream:
        kw["stream"] = True
    resp = session.request(method, GATEWAY + path, **kw)
    if r.stream and resp.status_code == 200:
        resp.close()  # a live stream: its status is the answer
    return resp


def refused(resp) -> bool:
    if resp.status_code not in AUTHZ_ERRORS:
        return False
    try:
        return resp.json().get("error") in AUTHZ_ERRORS[resp.status_code]
    except ValueError:
        return False


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_authorization(route, world):
    r = MATRIX[route]
    session = session_from(world.setdefault("address", f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.7"))
    wrong = []
    for actor in ACTORS:
        w = {**world, "slot_start": f"{8 + ACTORS.index(actor):02d}:00", "slot_end": f"{8 + ACTORS.index(actor):02d}:30"}
        resp = call(session, route, r, actor, w)
        if not r.stream:  # every answer, allowed or refused, carries only what its schema documents
            wrong += [f"{actor}: answer not as documented: {p}" for p in conformance(route, resp)]
        if actor in r.allow and refused(resp):
            wrong.append(f"{actor}: refused ({resp.status_code} {resp.text[:120]}) but should be allowed")
        elif actor not in r.allow:
            expected = 401 if actor == "anon" else r.refusal
            hidden = expected == 404 and resp.status_code == 404
            if not hidden and not (refused(resp) and resp.status_code == expected):
                wrong.append(f"{actor}: {resp.status_code} {resp.text[:120]} but should be refused with {expected}")
    assert not wrong, route + "\n" + "\n".join(wrong)
