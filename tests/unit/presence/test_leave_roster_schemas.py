"""Input schemas and event builders of leave requests and rosters."""
import pytest
from marshmallow import ValidationError

from presence.api.schemas import (LeaveDecisionInSchema, LeaveRequestInSchema, RosterEntryInSchema,
                                  RosterGenerateInSchema)
from presence.events import checked_in_event, checked_out_event, leave_decided_event, roster_published_event

LEAVE = {"type": "cuti", "start_date": "2030-01-10", "end_date": "2030-01-11", "reason": "  keluarga  "}
ROSTER = {"unit_code": "BKPSDM", "start_date": "2030-01-01", "end_date": "2030-01-31", "wfo_ratio": 0.3}


def test_leave_request_trims_and_defaults_spt():
    loaded = LeaveRequestInSchema().load(LEAVE)
    assert loaded["reason"] == "keluarga" and loaded["spt_number"] is None


@pytest.mark.parametrize("field,value", [
    ("type", "libur"), ("type", {"$gt": ""}), ("start_date", {"$gt": ""}), ("end_date", "2030-13-01"),
    ("reason", ""), ("reason", "x" * 1001), ("spt_number", "x" * 101), ("nip", "1" * 18), ("state", "approved"),
])
def test_leave_request_rejects(field, value):
    with pytest.raises(ValidationError):
        LeaveRequestInSchema().load({**LEAVE, field: value})


@pytest.mark.parametrize("value", ["true", 1, 0, None, {"$ne": False}])
def test_decision_needs_a_json_boolean(value):
    with pytest.raises(ValidationError):
        LeaveDecisionInSchema().load({"approved": value})
    assert LeaveDecisionInSchema().load({"approved": False}) == {"approved": False, "note": ""}


@pytest.mark.parametrize("ratio", [0, -0.5, 1.0001, "0.3", True, None, float("nan")])
def test_roster_ratio_in_zero_one(ratio):
    with pytest.raises(ValidationError):
        RosterGenerateInSchema().load({**ROSTER, "wfo_ratio": ratio})
    assert RosterGenerateInSchema().load({**ROSTER, "wfo_ratio": 1})["wfo_ratio"] == 1.0


@pytest.mark.parametrize("mode", ["DL", "wfo", "", {"$gt": ""}])
def test_roster_entry_mode(mode):
    with pytest.raises(ValidationError):
        RosterEntryInSchema().load({"mode": mode})


def test_event_builders_carry_the_summary():
    request = {"id": "r1", "nip": "1" * 18, "type": "dinas_luar", "start_date": "2030-01-10",
               "end_date": "2030-01-11", "state": "approved", "decided_by": "2" * 18,
               "decision_note": "sudah dibaca surat dokternya", "days": 2, "reason": "private reason"}
    event = leave_decided_event(request, "req-1")
    assert event["type"] == "presence.leave.decided" and event["source"] == "presence"
    assert event["data"] == {"id": "r1", "nip": "1" * 18, "type": "dinas_luar", "start_date": "2030-01-10",
                             "end_date": "2030-01-11", "state": "approved", "approved": True,
                             "decided_by": "2" * 18, "days": 2}  # neither the reason nor the note
    run = {"id": "x", "unit_code": "U", "office_code": "O", "start_date": "2030-01-01", "end_date": "2030-01-01",
           "wfo_ratio": 0.3, "staff": 10, "entries": 10, "days": {"2030-01-01": {"wfo": 3, "wfh": 7}},
           "generated_by": "3" * 18, "_id": "x", "generated_at": None}
    event = roster_published_event(run)
    assert event["type"] == "presence.roster.published"
    assert "_id" not in event["data"] and event["data"]["days"] == {"2030-01-01": {"wfo": 3, "wfh": 7}}


@pytest.mark.parametrize("mode, expected", [("WFO", 12.5), ("WFH", None), ("DL", None)])
def test_check_events_carry_the_office_distance_only_at_the_office(mode, expected):
    record = {"id": "c1", "nip": "1" * 18, "date": "2030-01-10", "mode": mode, "office_code": "O",
              "checked_in_at": "2030-01-10T07:01:00+07:00", "checked_out_at": "2030-01-10T16:01:00+07:00",
              "distance_m": 12.5, "late_minutes": 0, "early_leave_minutes": 0}
    assert checked_in_event(record)["data"]["distance_m"] == expected  # away: how far one lives from the office
    assert checked_out_event(record)["data"]["distance_m"] == expected
