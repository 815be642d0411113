"""WFH home location: input schemas and the office's home radius (default 100 m for older offices)."""
import math

import pytest
from marshmallow import ValidationError

from presence.api.schemas import (HomeLocationDecisionInSchema, HomeLocationInSchema, OfficeCreateSchema,
                                  OfficePatchSchema)
from presence.attendance import public_check_in
from presence.directory import DEFAULT_HOME_RADIUS_M, office_from_doc

OFFICE = {"_id": "K1", "name": "Kantor", "latitude": -2.48, "longitude": 106.4, "radius_m": 50,
          "timezone": "Asia/Jakarta"}


def test_home_location_accepts_numbers_in_range():
    assert HomeLocationInSchema().load({"latitude": -2, "longitude": 106.5}) == {"latitude": -2, "longitude": 106.5}


@pytest.mark.parametrize("payload", [
    {"latitude": 91, "longitude": 106}, {"latitude": -2, "longitude": 181}, {"latitude": {"$gt": 0}, "longitude": 1},
    {"latitude": math.nan, "longitude": 1}, {"latitude": "1", "longitude": 1}, {"latitude": True, "longitude": 1},
    {"latitude": 1}, {"latitude": 1, "longitude": 1, "status": "approved"},
])
def test_home_location_refuses_bad_input(payload):
    with pytest.raises(ValidationError):
        HomeLocationInSchema().load(payload)


def test_decision_needs_a_real_boolean():
    assert HomeLocationDecisionInSchema().load({"approved": False}) == {"approved": False, "note": ""}
    for payload in ({"approved": "true"}, {"approved": 1}, {}, {"approved": True, "x": 1}):
        with pytest.raises(ValidationError):
            HomeLocationDecisionInSchema().load(payload)


def test_office_home_radius_default_range_and_backward_compatibility():
    body = {"code": "K1", "name": "Kantor", "latitude": -2.48, "longitude": 106.4}
    assert OfficeCreateSchema().load(body)["home_radius_m"] == 100
    for bad in (9, 1001, "100"):
        with pytest.raises(ValidationError):
            OfficeCreateSchema().load({**body, "home_radius_m": bad})
    assert OfficePatchSchema().load({"home_radius_m": 250}) == {"home_radius_m": 250}
    assert office_from_doc(OFFICE).home_radius_m == DEFAULT_HOME_RADIUS_M == 100
    assert office_from_doc({**OFFICE, "home_radius_m": 300}).home_radius_m == 300


def test_public_check_in_flags_unverified_home_only_when_set():
    doc = {"id": "x", "nip": "1" * 18, "date": "2026-03-02", "mode": "WFH", "checked_in_at": None}
    assert "home_unverified" not in public_check_in(doc)
    assert public_check_in({**doc, "home_unverified": True})["home_unverified"] is True
