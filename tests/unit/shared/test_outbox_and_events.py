from __future__ import annotations

import pytest

from sipk_shared.events import make_event, validate_envelope
from sipk_shared.outbox import EVENTS, PENDING, REV, new_document_with_event, strip_outbox, update_with_event


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


def test_update_with_event_merges_without_mutating():
    e = make_event("identity.employee.updated", {"nip": "1"}, source="identity")
    original = {"$set": {"name": "A"}, "$inc": {"n": 1}}
    merged = update_with_event(original, e)
    assert merged == {"$set": {"name": "A", PENDING: True}, "$inc": {"n": 1, REV: 1}, "$push": {EVENTS: e}}
    assert original == {"$set": {"name": "A"}, "$inc": {"n": 1}}


def test_new_document_and_strip():
    e = make_event("identity.unit.created", {"code": "X"}, source="identity")
    doc = new_document_with_event({"_id": "X", "name": "n"}, e)
    assert doc[EVENTS] == [e] and doc[REV] == 1 and doc[PENDING] is True
    assert strip_outbox(doc) == {"_id": "X", "name": "n"}
