"""One way to write a timestamp: ISO 8601 with an offset, the office's zone where one applies, UTC as Z."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask.views import MethodView
from marshmallow import Schema

from sipk_shared.errors import ApiError
from sipk_shared.schemas import Timestamp
from sipk_shared.timestamps import iso_local, iso_utc
from sipk_shared.web import Blueprint

AT = datetime(2026, 12, 1, 6, 24, 37, 123456, tzinfo=timezone.utc)


def test_utc_is_written_with_z_and_local_with_the_zone_offset():
    assert iso_utc(AT) == "2026-12-01T06:24:37.123Z"
    assert iso_utc(AT.replace(tzinfo=None)) == "2026-12-01T06:24:37.123Z"  # naive = UTC (the database's)
    assert iso_utc(AT.astimezone(timezone(timedelta(hours=7)))) == "2026-12-01T06:24:37.123Z"
    assert iso_local(AT, "Asia/Makassar") == "2026-12-01T14:24:37+08:00"
    assert iso_local(AT, "Asia/Jayapura") == "2026-12-01T15:24:37+09:00"
    assert iso_utc(None) is None and iso_local(None, "Asia/Jakarta") is None


class StampSchema(Schema):
    at = Timestamp()
    local = Timestamp()
    missing = Timestamp(allow_none=True)


def test_answers_and_error_details_never_carry_rfc822_dates(demo_app):
    app, api = demo_app(1000)
    blp = Blueprint("stamps", __name__, url_prefix="/api/demo/v1/stamps")

    @blp.route("")
    class Stamps(MethodView):
        @blp.response(200, StampSchema)
        def get(self):
            return {"at": AT, "local": "2026-12-01T13:24:37+07:00", "missing": None}

    @app.get("/api/demo/v1/clash")
    def clash():
        raise ApiError(409, "leave_overlap", "x", leave_request={"created_at": AT, "start_date": date(2026, 12, 3)})

    api.register_blueprint(blp)
    client = app.test_client()
    assert client.get("/api/demo/v1/stamps").get_json() == {
        "at": "2026-12-01T06:24:37.123Z", "local": "2026-12-01T13:24:37+07:00", "missing": None}
    body = client.get("/api/demo/v1/clash").get_json()
    assert body["leave_request"] == {"created_at": "2026-12-01T06:24:37.123Z", "start_date": "2026-12-03"}
