"""Schemathesis against every service's OpenAPI, through the gateway: no 5xx, no answer outside its
documented schema (body and content type), with an employee's and an admin's token.

Each operation gets FUZZ_EXAMPLES schema-valid requests (50 under `make test-faults`) and half as
many schema-violating ones. Admin operations that change people, offices or units get the path
of a throw-away unit's employee and office (the bootstrap admin and other tests' data stay out
of reach), and the requests leave from a loopback address of their own, so the sign-in throttle
they trip (identity/throttle.py) locks nobody else. The live stream is left out (it streams for
minutes; tests/integration/performance covers it).

Before: ~65,600 fuzzed requests found 500s (RecursionError, OverflowError, ValueError, lone
surrogates) and 2,737 answers that violated the documented error schema.

`make test` runs a smoke pass (FUZZ_EXAMPLES=5, ~25 s); `make test-faults` the full one (~3 min,
~12,000 requests). Each prints requests sent and time taken per service and token.
"""
from __future__ import annotations

import os
import random
import secrets
import time
from collections import Counter

import pytest
import requests

from support import GATEWAY, bearer, login_direct, session_from, wait_until

pytestmark = pytest.mark.e2e

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SERVICES = ("identity", "presence", "performance")
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]
SKIP = {("GET", "/api/performance/v1/team/status/stream")}
# path parameters an admin's fuzzing must only ever point at throw-away data
THROWAWAY_PARAMS = {"nip", "code", "unit_code", "office_code"}


@pytest.fixture(scope="module")
def throwaway(make_employee, admin_token, mongo_client):
    """A unit, an office housing it and employees: one fuzzes with its own token (and supervises the
    next), the other is the target of every admin write fuzzing sends."""
    suffix = secrets.token_hex(3).upper()
    unit = f"FZ{suffix}"
    resp = requests.post(f"{GATEWAY}/api/identity/v1/units", headers=bearer(admin_token), timeout=10,
                         json={"code": unit, "name": "Unit uji fuzzing"})
    assert resp.status_code == 201, resp.text
    office = f"FZO-{suffix}"
    resp = requests.post(f"{GATEWAY}/api/presence/v1/offices", headers=bearer(admin_token), timeout=10, json={
        "code": office, "name": "Kantor uji fuzzing", "latitude": -2.48, "longitude": 106.4, "unit_codes": [unit]})
    assert resp.status_code == 201, resp.text
    boss = make_employee(unit_code=unit)
    person = make_employee(unit_code=unit, supervisor_nip=boss["nip"])   # fuzzes as the employee
    victim = make_employee(unit_code=unit, supervisor_nip=person["nip"])  # what the admin's fuzzing changes
    wait_until(lambda: mongo_client[os.environ.get("SIPK_PRESENCE_DB", "presence")].employees.count_documents(
        {"_id": {"$in": [person["nip"], victim["nip"]]}}) == 2, timeout=30, message="the throw-away copies")
    return {"unit": unit, "office": office, "nip": victim["nip"], "person": person}


@pytest.fixture(scope="module")
def tokens(throwaway, admin_token):
    person = throwaway["person"]
    return {"employee": login_direct(person["nip"], person["password"])["access_token"], "admin": admin_token}


def fixed_path(operation, role: str, throwaway: dict) -> dict:
    if role != "admin" or operation.method.upper() == "GET":
        return {}
    names = {p.name for p in operation.path_parameters}
    values = {"nip": throwaway["nip"], "code": throwaway["office"] if "/offices/" in operation.path
              else throwaway["unit"], "unit_code": throwaway["unit"], "office_code": throwaway["office"]}
    return {name: values[name] for name in names & THROWAWAY_PARAMS}


def fuzz_operation(operation, *, role, token, session, throwaway, examples, failures, sent):
    for mode, count in ((GenerationMode.POSITIVE, examples), (GenerationMode.NEGATIVE, max(1, examples // 2))):
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed_path(operation, role, throwaway))

        @settings(max_examples=count, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case):
            headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            try:
                response = case.call(base_url=GATEWAY, session=session, headers=headers, timeout=60)
            except requests.RequestException as exc:
                failures.append((role, operation.label, "request failed", repr(exc)[:200]))
                return
            sent[response.status_code // 100] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect all, do not stop at the first
                for failure in getattr(exc, "exceptions", None) or [exc]:
                    failures.append((role, operation.label, response.status_code,
                                     (str(failure).strip().splitlines() or [repr(failure)])[0][:300]))

        try:
            run()
        except Unsatisfiable:  # nothing to vary (no parameters, no body): nothing to violate either
            if mode is GenerationMode.POSITIVE:
                raise


def fuzz(svc: str, role: str, tokens, throwaway, examples: int) -> None:
    schema = schemathesis.openapi.from_url(f"{GATEWAY}/api/{svc}/openapi.json")
    rng = random.SystemRandom()
    session = session_from(f"127.{rng.randint(1, 254)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}")
    failures: list = []
    sent: Counter = Counter()
    started = time.monotonic()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        operations += 1
        fuzz_operation(operation, role=role, token=tokens[role], session=session, throwaway=throwaway,
                       examples=examples, failures=failures, sent=sent)
    print(f"\n  fuzz {svc} as {role}: {operations} operations, {sum(sent.values())} requests "
          f"({', '.join(f'{k}xx: {v}' for k, v in sorted(sent.items()))}) in {time.monotonic() - started:.0f} s, "
          f"{len(failures)} failures")
    distinct = sorted({(r, op, str(s), msg) for r, op, s, msg in failures})
    assert not distinct, "\n".join(" | ".join(f) for f in distinct[:40])


@pytest.mark.parametrize("role", ["employee", "admin"])
@pytest.mark.parametrize("svc", SERVICES)
def test_fuzz_smoke(svc, role, tokens, throwaway):
    fuzz(svc, role, tokens, throwaway, int(os.environ.get("FUZZ_EXAMPLES", "5")))


@pytest.mark.faults
@pytest.mark.parametrize("role", ["employee", "admin"])
@pytest.mark.parametrize("svc", SERVICES)
def test_fuzz_full(svc, role, tokens, throwaway):
    fuzz(svc, role, tokens, throwaway, int(os.environ.get("FUZZ_EXAMPLES_FULL", "50")))
