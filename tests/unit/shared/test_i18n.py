"""Messages in Bahasa Indonesia by default, English when Accept-Language prefers it (no I/O)."""
from __future__ import annotations

import copy
import pickle

import pytest
from flask.views import MethodView
from marshmallow import ValidationError, fields, validate, validates

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg, localize, negotiate, translate_field
from sipk_shared.schemas import Month, StrictSchema
from sipk_shared.web import Blueprint


@pytest.mark.parametrize("header, lang", [
    (None, "id"), ("", "id"), ("en", "en"), ("EN", "en"), ("en-US", "en"), ("en-GB,en;q=0.9", "en"),
    ("id", "id"), ("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", "id"),
    ("en-US,en;q=0.9,id;q=0.8", "en"),          # a browser in English with Indonesian second
    ("id;q=0.5, en;q=0.9", "en"),               # q-values decide, not the order
    ("en;q=0.4, id;q=0.6", "id"),
    ("en;q=0", "id"),                            # English refused
    ("fr, de;q=0.5", "id"),                      # nothing we have: the default
    ("*", "id"), ("fr, en;q=0.1", "en"),
    ("en;q=abc", "id"),                          # a broken q is no preference
])
def test_negotiate(header, lang):
    assert negotiate(header) == lang


def test_msg_is_a_string_with_both_texts():
    m = Msg("Anda {d} m dari kantor.", "You are {d} m from the office.", d=80)
    assert m == "Anda 80 m dari kantor." and isinstance(m, str)
    assert m.text("en") == "You are 80 m from the office." and m.text("id") == m.id
    for other in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert other.text("en") == m.en and other.text("id") == m.id


@pytest.mark.parametrize("english, indonesian", [
    ("Missing data for required field.", "Wajib diisi."),
    ("Unknown field.", "Isian tidak dikenal."),
    ("Not a valid integer.", "Bukan bilangan bulat yang valid."),
    ("Longer than maximum length 100.", "Lebih panjang dari batas 100."),
    ("Length must be between 3 and 200.", "Panjang harus antara 3 dan 200."),
    ("Must be one of: WFO, WFH.", "Harus salah satu dari: WFO, WFH."),
    ("Must be greater than or equal to 10 and less than or equal to 1000.",
     "Harus lebih besar dari atau sama dengan 10 dan lebih kecil dari atau sama dengan 1000."),
    ("Something our own code wrote", "Something our own code wrote"),
])
def test_library_field_messages_are_translated(english, indonesian):
    assert translate_field(english, "id") == indonesian
    assert translate_field(english, "en") == english


def test_localize_walks_nested_values():
    body = {"a": Msg("satu", "one"), "b": [Msg("dua", "two"), {"c": Msg("tiga", "three")}], "n": 3}
    assert localize(body, "en") == {"a": "one", "b": ["two", {"c": "three"}], "n": 3}
    assert localize(body, "id") == {"a": "satu", "b": ["dua", {"c": "tiga"}], "n": 3}


class ShiftSchema(StrictSchema):
    mode = fields.String(required=True, validate=validate.OneOf(["WFO", "WFH"]))
    note = fields.String(validate=validate.Length(max=5))
    count = fields.Integer()
    month = Month()
    start = fields.String()

    @validates("start")
    def _start(self, value, **_kw):
        raise ValidationError(Msg("Gunakan HH:MM.", "Use HH:MM."))


@pytest.fixture()
def client(demo_app):
    app, api = demo_app(1000)
    blp = Blueprint("shifts", __name__, url_prefix="/api/demo/v1/shifts")

    @blp.route("")
    class Shifts(MethodView):
        @blp.arguments(ShiftSchema)
        @blp.response(201, ShiftSchema)
        def post(self, body):
            return body

    @app.get("/api/demo/v1/fence")
    def fence():
        raise ApiError(403, "outside_geofence",
                       Msg("Anda berada {d} m dari kantor.", "You are {d} m from the office.", d=80),
                       distance_m=80, nested={"why": Msg("jauh", "far")})

    api.register_blueprint(blp)
    return app.test_client()


def test_api_error_in_indonesian_by_default_english_on_request(client):
    resp = client.get("/api/demo/v1/fence")
    body = resp.get_json()
    assert (resp.status_code, body["error"], body["message"]) == (403, "outside_geofence", "Anda berada 80 m dari kantor.")
    assert body["nested"] == {"why": "jauh"} and body["distance_m"] == 80
    assert resp.headers["Content-Language"] == "id" and "Accept-Language" in resp.headers["Vary"]
    resp = client.get("/api/demo/v1/fence", headers={"Accept-Language": "en-US,en;q=0.9,id;q=0.5"})
    body = resp.get_json()
    assert (body["error"], body["message"], body["nested"]) == ("outside_geofence", "You are 80 m from the office.",
                                                                 {"why": "far"})
    assert resp.headers["Content-Language"] == "en"


def test_validation_messages_per_field_in_both_languages(client):
    bad = {"mode": "XX", "note": "too long", "count": "x", "month": "2026-13", "start": "7", "extra": 1}
    resp = client.post("/api/demo/v1/shifts", json=bad)
    body = resp.get_json()
    assert (resp.status_code, body["error"], body["message"]) == (422, "validation_failed", "Ada isian yang tidak valid.")
    assert body["errors"] == {
        "mode": ["Harus salah satu dari: WFO, WFH."], "note": ["Lebih panjang dari batas 5."],
        "count": ["Bukan bilangan bulat yang valid."], "month": ["Gunakan YYYY-MM, mis. 2026-03."],
        "start": ["Gunakan HH:MM."], "extra": ["Isian tidak dikenal."],
    }
    body = client.post("/api/demo/v1/shifts", json=bad, headers={"Accept-Language": "en"}).get_json()
    assert body["message"] == "The request has invalid fields." and body["error"] == "validation_failed"
    assert body["errors"] == {
        "mode": ["Must be one of: WFO, WFH."], "note": ["Longer than maximum length 5."],
        "count": ["Not a valid integer."], "month": ["Use YYYY-MM, e.g. 2026-03."],
        "start": ["Use HH:MM."], "extra": ["Unknown field."],
    }
    body = client.post("/api/demo/v1/shifts", json={}).get_json()
    assert body["errors"] == {"mode": ["Wajib diisi."]}


def test_framework_errors_in_both_languages(client):
    body = client.get("/api/demo/v1/nowhere").get_json()
    assert (body["error"], body["message"]) == ("not_found", "Alamat ini tidak ada.")
    body = client.get("/api/demo/v1/nowhere", headers={"Accept-Language": "en"}).get_json()
    assert body["message"] == "There is nothing at this address."
    resp = client.post("/api/demo/v1/shifts", data=b'{"mode": ', content_type="application/json")
    assert (resp.status_code, resp.get_json()["error"]) == (400, "invalid_json")
    assert resp.get_json()["message"].startswith("Isi permintaan")
    resp = client.post("/api/demo/v1/shifts", json={"mode": "WFO\u0000"}, headers={"Accept-Language": "en"})
    assert resp.get_json()["errors"] == {"mode": ["Contains a control character (U+0000)."]}
