"""Status of one employee-day and its precedence."""

import pytest

from presence.domain.status import (
    LEAVE_STATUSES,
    PRESENT_STATUSES,
    AttendanceStatus,
    WorkMode,
    day_status,
)


def test_status_and_mode_vocabulary():
    assert [s.value for s in AttendanceStatus] == [
        "hadir", "terlambat", "pulang_cepat", "izin", "sakit", "cuti", "dinas_luar",
        "tugas_belajar", "tanpa_keterangan", "libur", "no_checkout", "belum_hadir", "not_employed",
    ]
    assert [m.value for m in WorkMode] == ["WFO", "WFH", "DL"]
    assert AttendanceStatus.HADIR == "hadir" and WorkMode.DL == "DL"
    assert {s.value for s in LEAVE_STATUSES} == {"izin", "sakit", "cuti", "dinas_luar", "tugas_belajar"}
    assert {s.value for s in PRESENT_STATUSES} == {"hadir", "terlambat", "pulang_cepat", "no_checkout"}


# (is_working_day, leave_type, late, early, closed) -> expected
CASES = [
    # 1. approved leave wins over everything
    ((True, "cuti", None, None, True), "cuti"),
    ((False, "cuti", None, None, True), "cuti"),  # weekend inside a cuti range
    ((True, "dinas_luar", 0, 0, True), "dinas_luar"),  # DL check-in on travel day
    ((True, "sakit", 45, None, False), "sakit"),
    ((True, "tugas_belajar", None, None, False), "tugas_belajar"),
    ((True, "izin", 5, 10, True), "izin"),
    # 2. weekend / holiday
    ((False, None, None, None, True), "libur"),
    ((False, None, 120, 0, True), "libur"),  # came in on a holiday anyway
    # 3. no check-in
    ((True, None, None, None, False), "belum_hadir"),
    ((True, None, None, None, True), "tanpa_keterangan"),
    # 4. checked in, no check-out
    ((True, None, 0, None, False), "hadir"),
    ((True, None, 12, None, False), "terlambat"),
    ((True, None, 0, None, True), "no_checkout"),
    ((True, None, 12, None, True), "no_checkout"),
    # 5. checked in and out
    ((True, None, 0, 0, True), "hadir"),
    ((True, None, 0, 0, False), "hadir"),
    ((True, None, 7, 0, True), "terlambat"),
    ((True, None, 0, 20, True), "pulang_cepat"),
    ((True, None, 7, 20, True), "terlambat"),  # late wins over early
]


@pytest.mark.parametrize(("args", "expected"), CASES)
def test_day_status_precedence(args, expected):
    result = day_status(*args)
    assert result == expected
    assert isinstance(result, AttendanceStatus)


@pytest.mark.parametrize(
    "args",
    [
        (True, None, None, 5, True),  # check-out without check-in
        (True, None, -1, None, True),
        (True, None, 1.5, None, True),
        (True, None, 0, True, True),
        (True, "libur", None, None, True),  # not a leave type
        (True, "cuti_besar", None, None, True),
    ],
)
def test_day_status_rejects_inconsistent_input(args):
    with pytest.raises(ValueError):
        day_status(*args)


def test_outside_the_employment_span_wins_over_everything():
    for args in [(True, None, None, None, True), (True, "cuti", None, None, True), (False, None, 5, 0, True),
                 (True, None, 30, None, False)]:
        assert day_status(*args, employed=False) is AttendanceStatus.NOT_EMPLOYED
