"""The uniform JSON error body for every kind of failure, on a real Flask app (no I/O)."""
from __future__ import annotations

import pytest
from flask.views import MethodView
from marshmallow import fields

from sipk_shared.errors import ApiError
from sipk_shared.schemas import StrictSchema
from sipk_shared.web import Blueprint


class PointSchema(StrictSchema):
    latitude = fields.Float(required=True)
    name = fields.String(required=True)


class NameQuerySchema(StrictSchema):
    name = fields.String(required=True)


@pytest.fixture()
def client(demo_app):
    app, api = demo_app(1000)
    blp = Blueprint("points", __name__, url_prefix="/api/demo/v1/points")
    stored = []

    @blp.route("")
    class Points(MethodView):
        @blp.arguments(PointSchema)
        @blp.response(201, PointSchema)
        def post(self, body):
            stored.append(body)
            return body

        @blp.arguments(NameQuerySchema, location="query")
        @blp.response(200, NameQuerySchema)
        def get(self, query):
            return query

    @app.get("/api/demo/v1/boom")
    def boom():
        raise RuntimeError("secret detail that must not leak")

    @app.get("/api/demo/v1/conflict")
    def conflict():
        raise ApiError(409, "already_checked_in", "You already checked in today.", first={"id": "x"})

    api.register_blueprint(blp)
    app.stored = stored
    return app.test_client()


def assert_error(resp, status: int, error: str):
    assert resp.status_code == status
    assert resp.is_json
    body = resp.get_json()
    assert body["code"] == status
    assert body["error"] == error
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["status"], str) and body["status"]
    return body


def test_valid_body_is_accepted(client):
    resp = client.post("/api/demo/v1/points", json={"latitude": -2.49, "name": "Koba"})
    assert resp.status_code == 201
    assert client.application.stored == [{"latitude": -2.49, "name": "Koba"}]


@pytest.mark.parametrize("payload, field", [
    ({"latitude": "abc", "name": "x"}, "latitude"),
    ({"latitude": {"$gt": 0}, "name": "x"}, "latitude"),
    ({"latitude": 1.0, "name": {"$ne": ""}}, "name"),
    ({"latitude": 1.0, "name": "x", "extra": 1}, "extra"),
    ({"name": "x"}, "latitude"),
])
def test_validation_errors_are_422_with_field_errors(client, payload, field):
    body = assert_error(client.post("/api/demo/v1/points", json=payload), 422, "validation_failed")
    assert field in body["errors"]
    assert client.application.stored == []


@pytest.mark.parametrize("raw", ['{"latitude": NaN, "name": "x"}', '{"latitude": Infinity, "name": "x"}'])
def test_nan_and_infinity_are_rejected(client, raw):
    # Not JSON at all (RFC 8259 has no NaN/Infinity): the parser refuses them before any schema.
    resp = client.post("/api/demo/v1/points", data=raw, content_type="application/json")
    assert_error(resp, 400, "invalid_json")
    assert client.application.stored == []


def test_malformed_json_is_400(client):
    resp = client.post("/api/demo/v1/points", data='{"latitude": ', content_type="application/json")
    assert_error(resp, 400, "invalid_json")


def test_json_array_instead_of_object_is_422(client):
    assert_error(client.post("/api/demo/v1/points", json=[1, 2]), 422, "validation_failed")


def test_oversized_body_is_413_json(client):
    resp = client.post("/api/demo/v1/points", data="x" * 5000, content_type="application/json")
    assert_error(resp, 413, "payload_too_large")


def test_unknown_route_and_method_are_json(client):
    assert_error(client.get("/api/demo/v1/nope"), 404, "not_found")
    assert_error(client.delete("/api/demo/v1/points"), 405, "method_not_allowed")


def test_unhandled_exception_is_500_json_without_detail(client):
    body = assert_error(client.get("/api/demo/v1/boom"), 500, "internal_error")
    assert "secret detail" not in str(body)


def test_api_error_carries_details(client):
    body = assert_error(client.get("/api/demo/v1/conflict"), 409, "already_checked_in")
    assert body["first"] == {"id": "x"}


def test_request_id_is_echoed_or_created(client):
    resp = client.get("/api/demo/healthz", headers={"X-Request-ID": "abc12345-req"})
    assert resp.headers["X-Request-ID"] == "abc12345-req"
    resp = client.get("/api/demo/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert resp.headers["X-Request-ID"] != "bad id <script>"
    assert len(resp.headers["X-Request-ID"]) == 32


def test_readyz_fails_only_on_database(client):
    resp = client.get("/api/demo/readyz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["checks"]["database"] == "unreachable"
    assert body["details"]["broker"] == "unreachable"


def test_unknown_query_parameters_are_refused(client):
    assert client.get("/api/demo/v1/points?name=Koba").get_json() == {"name": "Koba"}
    resp = client.get("/api/demo/v1/points?name=Koba&nmae=typo")
    assert resp.status_code == 422
    assert resp.get_json()["error"] == "validation_failed" and "nmae" in str(resp.get_json()["errors"])
