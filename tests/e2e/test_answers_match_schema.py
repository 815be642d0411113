"""Answers carry only what their schema documents (issue: a leave 409 leaked `request_id` and
`unit_code` in its embedded request). The authorization matrix checks every route's answers the
same way; here the error bodies with embedded documents, and proof that the check can fail."""
from __future__ import annotations

import copy
import secrets
from datetime import timedelta

import pytest
import requests
from conftest import bearer, login_direct, wait_until

from e2e.presence_common import KOBA, admin, api, db, iso, open_office, today  # noqa: F401 - fixtures by name
from e2e.schema_check import conformance, problems

pytestmark = pytest.mark.e2e

LEAVE = "POST /api/presence/v1/leave-requests"
CHECK_IN = "POST /api/presence/v1/check-ins"


@pytest.fixture(scope="module")
def employee(make_employee, db, admin_token):
    unit = f"USC{secrets.token_hex(3).upper()}"
    open_office(admin_token, f"SC-{secrets.token_hex(3).upper()}", [unit])
    who = make_employee(unit_code=unit)
    wait_until(lambda: db.employees.find_one({"_id": who["nip"]}), timeout=30, message="employee copy")
    return {**who, "headers": bearer(login_direct(who["nip"], who["password"])["access_token"])}


def test_leave_overlap_answer_and_its_embedded_request_are_as_documented(api, employee):
    day = iso(today() + timedelta(days=9))
    body = {"type": "izin", "start_date": day, "end_date": day, "reason": "urusan keluarga"}
    first = requests.post(f"{api}/leave-requests", json=body, headers=employee["headers"], timeout=10)
    assert first.status_code == 201, first.text
    assert conformance(LEAVE, first) == []
    again = requests.post(f"{api}/leave-requests", json=body, headers=employee["headers"], timeout=10)
    assert again.status_code == 409 and again.json()["error"] == "leave_overlap", again.text
    assert conformance(LEAVE, again) == []
    embedded = [v for v in again.json().values() if isinstance(v, dict) and v.get("id") == first.json()["id"]]
    assert embedded, again.text  # the clashing request is in the answer ...
    assert not {"request_id", "unit_code", "_id"} & set(embedded[0])  # ... without internal fields

    # the check is not vacuous: the same real answer with a leaked field does not conform
    leaked = copy.deepcopy(again.json())
    next(v for v in leaked.values() if isinstance(v, dict) and v.get("id") == first.json()["id"])["request_id"] = "x"
    assert any("request_id" in p for p in problems(LEAVE, 409, leaked))
    assert problems(LEAVE, 201, {**first.json(), "unit_code": "U1"})


def test_repeated_check_in_answer_embeds_the_first_check_in_as_documented(api, employee):
    fix = {"latitude": KOBA[0], "longitude": KOBA[1], "accuracy_m": 8.0}
    first = requests.post(f"{api}/check-ins", json=fix, headers=employee["headers"], timeout=10)
    assert first.status_code == 201, first.text
    assert conformance(CHECK_IN, first) == []
    again = requests.post(f"{api}/check-ins", json=fix, headers=employee["headers"], timeout=10)
    assert again.status_code == 409 and again.json()["error"] == "already_checked_in", again.text
    assert conformance(CHECK_IN, again) == []
    assert again.json()["check_in"]["id"] == first.json()["id"]
