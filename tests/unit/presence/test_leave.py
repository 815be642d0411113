"""Leave requests: validation, overlap, cancellation, state machine."""

from datetime import date, datetime

import pytest

from presence.domain.leave import (
    MAX_DAYS,
    InvalidTransition,
    LeaveRequest,
    LeaveState,
    LeaveType,
    LeaveValidationError,
    can_cancel,
    can_transition,
    cancel,
    overlaps,
    transition,
)

D = date


def test_valid_request_is_pending_and_trimmed():
    req = LeaveRequest.create("cuti", D(2026, 3, 2), D(2026, 3, 6), "  cuti tahunan  ")
    assert req.type is LeaveType.CUTI
    assert req.state is LeaveState.PENDING
    assert req.reason == "cuti tahunan"
    assert req.day_count == 5
    assert req.days() == [D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 6)]
    assert req.covers(D(2026, 3, 6)) and not req.covers(D(2026, 3, 7))


def test_single_day_request():
    req = LeaveRequest.create("sakit", D(2026, 3, 2), D(2026, 3, 2), "demam")
    assert req.day_count == 1


def test_dinas_luar_requires_spt_number():
    with pytest.raises(LeaveValidationError) as err:
        LeaveRequest.create("dinas_luar", D(2026, 3, 2), D(2026, 3, 4), "rapat di Pangkalpinang")
    assert err.value.field == "spt_number"
    with pytest.raises(LeaveValidationError):
        LeaveRequest.create("dinas_luar", D(2026, 3, 2), D(2026, 3, 4), "rapat", spt_number="   ")
    req = LeaveRequest.create("dinas_luar", D(2026, 3, 2), D(2026, 3, 4), "rapat", spt_number=" 094/12/BKPSDM ")
    assert req.spt_number == "094/12/BKPSDM"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"type": "cuti_besar"}, "type"),
        ({"type": "hadir"}, "type"),
        ({"start_date": "2026-03-02"}, "start_date"),
        ({"end_date": datetime(2026, 3, 3, 8)}, "end_date"),
        ({"end_date": D(2026, 3, 1)}, "end_date"),
        ({"reason": "   "}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": "x" * 1001}, "reason"),
        ({"spt_number": 12}, "spt_number"),
        ({"spt_number": "x" * 101}, "spt_number"),
    ],
)
def test_invalid_requests_name_the_field(kwargs, field):
    base = {"type": "izin", "start_date": D(2026, 3, 2), "end_date": D(2026, 3, 2), "reason": "keperluan keluarga"}
    base.update(kwargs)
    with pytest.raises(LeaveValidationError) as err:
        LeaveRequest.create(**base)
    assert err.value.field == field
    assert isinstance(err.value, ValueError)


def test_range_cap_defaults_and_override():
    assert MAX_DAYS[LeaveType.CUTI] == 92
    start = D(2026, 3, 1)
    assert LeaveRequest.create("cuti", start, D(2026, 5, 31), "melahirkan").day_count == 92
    with pytest.raises(LeaveValidationError) as err:
        LeaveRequest.create("cuti", start, D(2026, 6, 1), "terlalu panjang")
    assert err.value.field == "end_date"
    assert LeaveRequest.create("tugas_belajar", D(2026, 1, 1), D(2026, 12, 31), "S2").day_count == 365
    with pytest.raises(LeaveValidationError):
        LeaveRequest.create("tugas_belajar", D(2026, 1, 1), D(2027, 1, 2), "S2")
    with pytest.raises(LeaveValidationError):
        LeaveRequest.create("izin", start, D(2026, 3, 4), "x", max_days=3)
    assert LeaveRequest.create("izin", start, D(2026, 3, 3), "x", max_days=3).day_count == 3
    with pytest.raises(ValueError):
        LeaveRequest.create("izin", start, start, "x", max_days=0)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((D(2026, 3, 2), D(2026, 3, 4)), (D(2026, 3, 4), D(2026, 3, 6)), True),  # share the 4th
        ((D(2026, 3, 2), D(2026, 3, 4)), (D(2026, 3, 5), D(2026, 3, 6)), False),  # adjacent
        ((D(2026, 3, 2), D(2026, 3, 10)), (D(2026, 3, 5), D(2026, 3, 6)), True),  # contains
        ((D(2026, 3, 5), D(2026, 3, 6)), (D(2026, 3, 2), D(2026, 3, 10)), True),  # inside
        ((D(2026, 3, 2), D(2026, 3, 2)), (D(2026, 3, 2), D(2026, 3, 2)), True),
        ((D(2026, 3, 7), D(2026, 3, 8)), (D(2026, 3, 2), D(2026, 3, 6)), False),
    ],
)
def test_overlaps(a, b, expected):
    assert overlaps(*a, *b) is expected
    assert overlaps(*b, *a) is expected


def test_overlaps_rejects_reversed_range_and_request_method():
    with pytest.raises(ValueError):
        overlaps(D(2026, 3, 4), D(2026, 3, 2), D(2026, 3, 1), D(2026, 3, 9))
    a = LeaveRequest.create("cuti", D(2026, 3, 2), D(2026, 3, 6), "a")
    b = LeaveRequest.create("izin", D(2026, 3, 6), D(2026, 3, 6), "b")
    c = LeaveRequest.create("izin", D(2026, 3, 9), D(2026, 3, 9), "c")
    assert a.overlaps(b) is True and a.overlaps(c) is False


def test_can_cancel_only_before_start():
    start = D(2026, 3, 10)
    assert can_cancel(start, D(2026, 3, 9)) is True
    assert can_cancel(start, D(2026, 3, 10)) is False
    assert can_cancel(start, D(2026, 3, 11)) is False
    assert can_cancel(start, D(2026, 3, 9), state="approved") is True
    assert can_cancel(start, D(2026, 3, 9), state="rejected") is False
    assert can_cancel(start, D(2026, 3, 9), state="cancelled") is False


LEGAL = {
    ("pending", "approved"), ("pending", "rejected"), ("pending", "cancelled"), ("approved", "cancelled"),
}


@pytest.mark.parametrize("current", [s.value for s in LeaveState])
@pytest.mark.parametrize("target", [s.value for s in LeaveState])
def test_transition_matrix(current, target):
    legal = (current, target) in LEGAL
    assert can_transition(current, target) is legal
    if legal:
        assert transition(current, target) == LeaveState(target)
    else:
        with pytest.raises(InvalidTransition) as err:
            transition(current, target)
        assert (err.value.current, err.value.target) == (current, target)


def test_transition_with_unknown_state():
    with pytest.raises(InvalidTransition):
        transition("pending", "archived")
    with pytest.raises(InvalidTransition):
        transition("draft", "approved")


def test_cancel_applies_date_and_state_rules():
    start = D(2026, 3, 10)
    assert cancel("pending", start, D(2026, 3, 9)) is LeaveState.CANCELLED
    assert cancel("approved", start, D(2026, 3, 1)) is LeaveState.CANCELLED
    with pytest.raises(InvalidTransition):
        cancel("approved", start, start)
    with pytest.raises(InvalidTransition):
        cancel("rejected", start, D(2026, 3, 1))


def test_rebuilding_a_stored_request_checks_invariants():
    stored = LeaveRequest("sakit", D(2026, 3, 2), D(2026, 3, 3), "demam", None, "approved")
    assert stored.type is LeaveType.SAKIT and stored.state is LeaveState.APPROVED
    with pytest.raises(ValueError):
        LeaveRequest("sakit", D(2026, 3, 3), D(2026, 3, 2), "demam")
    with pytest.raises(ValueError):
        LeaveRequest("sakit", D(2026, 3, 2), D(2026, 3, 2), "demam", None, "archived")
    with pytest.raises(ValueError):
        LeaveRequest("libur", D(2026, 3, 2), D(2026, 3, 2), "x")
