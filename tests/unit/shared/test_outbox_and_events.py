from __future__ import annotations

import pytest

from sipk_shared.events import make_event, validate_envelope
from sipk_shared import outbox
from sipk_shared.outbox import EVENT_IDS


def test_envelope_shape():
    e = make_event("presence.checked_in", {"nip": "1"}, source="presence", request_id="r1")
    assert set(e) == {"id", "type", "version", "occurred_at", "source", "data", "request_id"}
    assert e["occurred_at"].endswith("+00:00")
    assert validate_envelope(e) is e
    assert make_event("a.b", {}, source="s")["id"] != make_event("a.b", {}, source="s")["id"]


@pytest.mark.parametrize("bad", [None, [], {"id": "x"}, {**make_event("a.b", {}, source="s"), "data": [1]}])
def test_validate_rejects_non_envelopes(bad):
    with pytest.raises(ValueError):
        validate_envelope(bad)


def test_event_type_must_be_namespaced():
    with pytest.raises(ValueError):
        make_event("checked_in", {}, source="presence")


def test_the_commit_mark_merges_into_an_update_without_mutating_it():
    e = make_event("identity.employee.updated", {"nip": "1"}, source="identity")
    original = {"$set": {"name": "A"}, "$inc": {"n": 1}}
    merged = outbox._with_mark(original, e)
    assert merged == {"$set": {"name": "A"}, "$inc": {"n": 1}, "$push": {EVENT_IDS: e["id"]}}
    assert original == {"$set": {"name": "A"}, "$inc": {"n": 1}}


def test_strip_outbox_hides_the_marks():
    assert outbox.strip_outbox({"_id": "X", "name": "n", EVENT_IDS: ["a"]}) == {"_id": "X", "name": "n"}
    assert outbox.strip_outbox(None) is None
