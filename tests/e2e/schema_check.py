"""Real answers against the services' own OpenAPI: an answer carries only what its schema documents.

The published schemas are lenient the way OpenAPI is by default (extra properties allowed), so a
leaked internal field (`request_id`, `unit_code`, a database `_id`) would pass them. Here each
response schema is made strict before the answer is checked: every object schema that lists its
properties gets ``additionalProperties: false`` unless it says otherwise, and OpenAPI 3.0's
``nullable`` becomes JSON Schema's ``null`` type.
"""
from __future__ import annotations

from functools import lru_cache

import jsonschema
import requests

from support import GATEWAY


def _strict(node):
    if isinstance(node, dict):
        out = {k: _strict(v) for k, v in node.items()}
        if out.pop("nullable", False):
            if "type" in out:
                out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
            if "$ref" in out or "allOf" in out:
                ref = {k: out.pop(k) for k in ("$ref", "allOf") if k in out}
                out = {"anyOf": [ref, {"type": "null"}], **out}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


@lru_cache(maxsize=None)
def _spec(svc: str) -> dict:
    spec = requests.get(f"{GATEWAY}/api/{svc}/openapi.json", timeout=10).json()
    return {"paths": spec["paths"], "components": _strict(spec.get("components", {}))}


def response_schema(svc: str, method: str, path: str, status: int) -> dict | None:
    """The strict JSON schema documented for this operation and status (or its `default`)."""
    spec = _spec(svc)
    responses = spec["paths"][path][method.lower()].get("responses", {})
    answer = responses.get(str(status)) or responses.get("default")
    if answer is None:
        return None
    if "$ref" in answer:  # a shared response in components/responses
        answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    media = (answer.get("content") or {}).get("application/json")
    if not media or "schema" not in media:
        return None
    return {**_strict(media["schema"]), "components": spec["components"]}  # _strict builds new dicts


def conformance(route: str, resp: requests.Response) -> list[str]:
    """What in this real answer its documentation does not say (empty when it conforms)."""
    if resp.status_code == 204 or not resp.content or "application/json" not in resp.headers.get("Content-Type", ""):
        return []
    return problems(route, resp.status_code, resp.json())


def problems(route: str, status: int, body) -> list[str]:
    """``route`` as "METHOD /api/<svc>/v1/path/{param}" (the OpenAPI path)."""
    method, path = route.split(" ", 1)
    svc = path.split("/")[2]
    schema = response_schema(svc, method, path, status)
    if schema is None:
        return [f"{status} is not documented with a JSON schema for {route}"]
    validator = jsonschema.Draft7Validator(schema)
    return [f"{status} {'/'.join(map(str, e.absolute_path)) or '(answer)'}: {e.message[:200]}"
            for e in validator.iter_errors(body)][:5]
