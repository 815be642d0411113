"""The shared request parser and the date window, on a real Flask app (no I/O).

Each hostile body here made a service answer 500 (RecursionError, the int conversion limit, a
lone surrogate reaching the database) or was stored though nonsense (NUL bytes, year 1)."""
from __future__ import annotations

import json
from datetime import date

import pytest
from flask.views import MethodView
from marshmallow import fields
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from sipk_shared import jsonbody
from sipk_shared.errors import ApiError
from sipk_shared.schemas import Month, StrictSchema
from sipk_shared.web import Blueprint


class ItemSchema(StrictSchema):
    day = fields.Date()


class NoteSchema(StrictSchema):
    text = fields.String(required=True)
    day = fields.Date()
    entries = fields.List(fields.Nested(ItemSchema))
    count = fields.Integer()


class MonthQuerySchema(StrictSchema):
    month = Month(required=True)
    q = fields.String()
    n = fields.Integer()


class FormSchema(StrictSchema):
    note = fields.String(required=True)


@pytest.fixture()
def client(demo_app):
    app, api = demo_app(200_000)
    blp = Blueprint("notes", __name__, url_prefix="/api/demo/v1")
    stored = []

    @blp.route("/notes")
    class Notes(MethodView):
        @blp.arguments(NoteSchema)
        @blp.response(201, NoteSchema)
        def post(self, body):
            stored.append(body)
            return body

        @blp.arguments(MonthQuerySchema, location="query")
        @blp.response(200, MonthQuerySchema)
        def get(self, query):
            return query

    @blp.route("/forms")
    class Forms(MethodView):
        @blp.arguments(FormSchema, location="form")
        @blp.response(201, FormSchema)
        def post(self, form):
            stored.append(form)
            return form

    @app.get("/api/demo/v1/db-down")
    def db_down():
        raise ServerSelectionTimeoutError("127.0.0.1:1: [Errno 111] Connection refused")

    @app.get("/api/demo/v1/db-dropped")
    def db_dropped():
        raise AutoReconnect("connection closed")

    @app.get("/api/demo/v1/slow-down")
    def slow_down():
        raise ApiError(429, "too_many_attempts", "Wait.", retry_after_s=12.2)

    api.register_blueprint(blp)
    app.stored = stored
    return app.test_client()


def post(client, raw):
    return client.post("/api/demo/v1/notes", data=raw, content_type="application/json")


def error_of(resp, status):
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["code"] == status and body["error"] and body["message"]
    return body


@pytest.mark.parametrize("raw", [
    "[" * 1000 + "]" * 1000,                                   # RecursionError before
    '{"text": "x", "entries": ' + "[" * 40 + "]" * 40 + "}",     # deep, but within the recursion limit
    '{"text": "x", "count": ' + "9" * 5000 + "}",              # int conversion limit before
    '{"text": "x", "count": 1e400}',
    '{"text": "x", "count": -Infinity}',
    '{"text": "x", "count": 1' + "0" * 40 + "}",
    '{"text": "x", "count": 9223372036854775808}',                 # 2**63: no BSON integer holds it
])
def test_bodies_too_deep_or_with_huge_numbers_are_400(client, raw):
    assert error_of(post(client, raw), 400)["error"] == "invalid_json"
    assert client.application.stored == []


def test_moderate_nesting_and_ordinary_numbers_pass(client):
    body = {"text": "ok", "count": 123456789012345678, "entries": [{"day": "2026-03-01"}]}
    assert post(client, json.dumps(body)).status_code == 201


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x\udc00y", "bell\x07", "del\x7f", "c1\x9b"])
def test_control_characters_and_lone_surrogates_are_422_on_their_field(client, text):
    raw = json.dumps({"text": text})  # ensure_ascii: the surrogate travels as the escape \\ud800
    body = error_of(post(client, raw), 422)
    assert body["error"] == "validation_failed" and list(body["errors"]) == ["text"]
    assert client.application.stored == []


def test_a_control_character_in_a_key_is_422(client):
    body = error_of(post(client, json.dumps({"te\x00xt": "x"})), 422)
    assert "_schema" in body["errors"]


def test_tabs_newlines_and_any_real_unicode_are_text(client):
    text = "baris satu\r\nbaris\tdua — Bangka Tengah 🏝 \U0001d11e"
    assert post(client, json.dumps({"text": text})).status_code == 201
    assert client.application.stored[-1]["text"] == text


def test_nested_text_is_checked_too(client):
    body = error_of(post(client, json.dumps({"text": "ok", "entries": [{"day": "2026-01-01"}, {"d\x01": 1}]})), 422)
    assert "entries" in body["errors"]


@pytest.mark.parametrize("field,value", [("day", "0001-01-01"), ("day", "9999-12-31"), ("day", "1969-12-31"),
                                         ("day", "2101-01-01")])
def test_dates_outside_the_window_are_422(client, field, value):
    body = error_of(post(client, json.dumps({"text": "x", field: value})), 422)
    assert list(body["errors"]) == [field]
    assert client.application.stored == []


def test_dates_in_nested_objects_are_bounded_too(client):
    body = error_of(post(client, json.dumps({"text": "x", "entries": [{"day": "0001-01-01"}]})), 422)
    assert "entries" in body["errors"]


def test_the_edges_of_the_window_pass(client):
    for value in ("1970-01-01", "2100-12-31"):
        assert post(client, json.dumps({"text": "x", "day": value})).status_code == 201


@pytest.mark.parametrize("month", ["0000-01", "0001-01", "9999-12", "1969-12", "2026-13", "26-01", "2026-1"])
def test_months_are_bounded(client, month):
    body = error_of(client.get("/api/demo/v1/notes", query_string={"month": month}), 422)
    assert list(body["errors"]) == ["month"]


@pytest.mark.parametrize("value", ["9223372036854775808", "-99999999999999999999999"])
def test_query_integers_beyond_64_bits_are_422(client, value):
    """The fuzzer's ?year=<21 digits> reached MongoDB and answered 500 (OverflowError)."""
    body = error_of(client.get("/api/demo/v1/notes", query_string={"month": "2026-03", "n": value}), 422)
    assert list(body["errors"]) == ["n"]


def test_a_sane_month_passes(client):
    assert client.get("/api/demo/v1/notes", query_string={"month": "2026-03"}).get_json() == {"month": "2026-03"}


def test_control_characters_in_query_strings_and_forms_are_422(client):
    body = error_of(client.get("/api/demo/v1/notes", query_string={"month": "2026-03", "q": "a\x00"}), 422)
    assert list(body["errors"]) == ["q"]
    body = error_of(client.post("/api/demo/v1/forms", data={"note": "x\x00y"}), 422)
    assert list(body["errors"]) == ["note"]
    assert client.application.stored == []


@pytest.mark.parametrize("path", ["/api/demo/v1/db-down", "/api/demo/v1/db-dropped"])
def test_an_unreachable_database_is_503_with_retry_after(client, path):
    resp = client.get(path)
    body = error_of(resp, 503)
    assert body["error"] == "database_unavailable"
    assert int(resp.headers["Retry-After"]) >= 1 and body["retry_after_s"] >= 1


def test_retry_after_header_follows_the_detail(client):
    resp = client.get("/api/demo/v1/slow-down")
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "13"


def test_documented_error_body_is_open_and_names_the_real_keys(client):
    spec = client.get("/api/demo/openapi.json").get_json()
    schema = spec["components"]["schemas"]["ApiError"]
    assert schema["additionalProperties"] is True
    assert {"code", "status", "message", "error"} <= set(schema["required"])
    assert {"errors", "retry_after_s"} <= set(schema["properties"])
    # flask-smorest's own default and 422 responses document the same body
    responses = spec["components"]["responses"]
    assert responses["UNPROCESSABLE_ENTITY"]["content"]["application/json"]["schema"]["$ref"].endswith("/ApiError")
    assert "Error" not in spec["components"]["schemas"]


def test_loads_directly():
    assert jsonbody.loads(b'{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    with pytest.raises(ApiError) as exc:
        jsonbody.loads(b"\xff")
    assert exc.value.status == 400
    assert date(1970, 1, 1)  # the window is in sipk_shared.schemas
