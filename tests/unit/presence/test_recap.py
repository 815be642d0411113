"""Monthly recap of one employee from day records."""

from datetime import date

import pytest

from presence.domain.lateness import make_band_table
from presence.domain.recap import CSV_COLUMNS, RECAP_FIELDS, DayRecord, MonthRecap, month_recap, parse_month

D = date


def march_records():
    return [
        DayRecord(D(2026, 3, 2), "hadir", "WFO", 0, 0),
        DayRecord(D(2026, 3, 3), "terlambat", "WFO", 12, 0),  # TL1
        DayRecord(D(2026, 3, 4), "terlambat", "WFH", 45, 30),  # TL2 + PSW1 (status says late)
        DayRecord(D(2026, 3, 5), "pulang_cepat", "WFH", 0, 61),  # PSW3
        DayRecord(D(2026, 3, 6), "no_checkout", "WFO", 95, None),  # TL4 + PSW4 (missing check-out)
        DayRecord(D(2026, 3, 7), "libur", None, working_day=False),
        DayRecord(D(2026, 3, 8), "cuti", working_day=False),  # weekend inside cuti: not counted
        DayRecord(D(2026, 3, 9), "cuti", leave_type="cuti"),
        DayRecord(D(2026, 3, 10), "cuti"),
        DayRecord(D(2026, 3, 11), "sakit"),
        DayRecord(D(2026, 3, 12), "dinas_luar", "DL", 0, 0),
        DayRecord(D(2026, 3, 13), "tanpa_keterangan"),
        DayRecord(D(2026, 3, 16), "tanpa_keterangan"),
        DayRecord(D(2026, 3, 17), "hadir", "WFO", None, 0),  # check-in missing (admin fix): TL4
        DayRecord(D(2026, 3, 18), "belum_hadir"),
        DayRecord(D(2026, 3, 21), "hadir", "WFO", 0, 0, working_day=False),  # Saturday check-in ignored
    ]


def test_month_recap_counts_everything():
    recap = month_recap("198501012010011001", "2026-03", march_records())
    assert recap.to_dict() == {
        "nip": "198501012010011001",
        "month": "2026-03",
        "working_days": 13,
        "present": 6,
        "late_days": 3,
        "late_minutes": 12 + 45 + 95,
        "tl1": 1, "tl2": 1, "tl3": 0, "tl4": 2,
        "early_leave_days": 2,
        "early_leave_minutes": 91,
        "psw1": 1, "psw2": 0, "psw3": 1, "psw4": 1,
        "no_checkin_days": 1,
        "no_checkout_days": 1,
        "absent": 2,
        "pending": 1,
        "wfo_days": 4,
        "wfh_days": 2,
        "dl_days": 1,
        # 0.5 + 1 + 1.5 + 1.5(no check-in) + 0.5 + 1.25 + 1.5(no check-out) + 2 x 5
        "deduction_percent": 17.75,
        "leave_days": {"izin": 0, "sakit": 1, "cuti": 2, "dinas_luar": 1, "tugas_belajar": 0},
        "not_employed_days": 0, "national_holidays": 0, "cuti_bersama_days": 0,
    }


def test_days_outside_the_employment_span_and_holiday_kinds_count_apart():
    records = [
        DayRecord(D(2026, 3, 2), "not_employed"),                                # before the TMT: a weekday
        DayRecord(D(2026, 3, 7), "not_employed", working_day=False),             # before the TMT: Saturday
        DayRecord(D(2026, 3, 9), "hadir", "WFO", 0, 0),
        DayRecord(D(2026, 3, 10), "libur", working_day=False, holiday_kind="national"),
        DayRecord(D(2026, 3, 11), "libur", working_day=False, holiday_kind="cuti_bersama"),
        DayRecord(D(2026, 3, 12), "tanpa_keterangan"),
        DayRecord(D(2026, 3, 14), "libur", working_day=False),                   # a Saturday: no kind
    ]
    recap = month_recap("1", "2026-03", records)
    assert (recap.working_days, recap.present, recap.absent, recap.not_employed_days, recap.national_holidays,
            recap.cuti_bersama_days, recap.deduction_percent) == (2, 1, 1, 1, 1, 1, 5.0)


def test_empty_month_is_all_zero():
    recap = month_recap("198501012010011001", "2026-02", [])
    assert recap.working_days == 0 and recap.deduction_percent == 0.0
    assert dict(recap.leave_days) == {"izin": 0, "sakit": 0, "cuti": 0, "dinas_luar": 0, "tugas_belajar": 0}


def test_deduction_is_capped_at_100_percent():
    records = [DayRecord(D(2026, 3, d), "tanpa_keterangan") for d in range(1, 23)]
    recap = month_recap("1", "2026-03", records)
    assert recap.absent == 22 and recap.deduction_percent == 100.0


def test_custom_band_table_is_used():
    table = make_band_table([(1, 10, "1"), (11, 20, "2"), (21, 30, "3"), (31, None, "4")], absent_deduction="10")
    records = [DayRecord(D(2026, 3, 2), "terlambat", "WFO", 12, 0), DayRecord(D(2026, 3, 3), "tanpa_keterangan")]
    recap = month_recap("1", "2026-03", records, table)
    assert (recap.tl1, recap.tl2, recap.deduction_percent) == (0, 1, 12.0)
    with pytest.raises(ValueError):
        month_recap("1", "2026-03", records, make_band_table([(1, None, "1")], absent_deduction="5"))


def test_csv_row_spreads_leave_days():
    row = month_recap("1", "2026-03", march_records()).to_row()
    assert tuple(row) == CSV_COLUMNS
    assert row["leave_cuti"] == 2 and row["leave_izin"] == 0 and row["deduction_percent"] == 17.75
    assert CSV_COLUMNS[: len(RECAP_FIELDS)] == RECAP_FIELDS


def test_record_outside_month_or_duplicate_is_rejected():
    with pytest.raises(ValueError):
        month_recap("1", "2026-03", [DayRecord(D(2026, 4, 1), "hadir", "WFO", 0, 0)])
    with pytest.raises(ValueError):
        month_recap("1", "2026-03", [DayRecord(D(2026, 3, 2), "hadir"), DayRecord(D(2026, 3, 2), "sakit")])


@pytest.mark.parametrize("month", ["2026-3", "2026-13", "2026-00", "26-03", "2026/03", "", None])
def test_invalid_month(month):
    with pytest.raises(ValueError):
        parse_month(month)
    with pytest.raises(ValueError):
        month_recap("1", month, [])


def test_parse_month():
    assert parse_month("2026-03") == (2026, 3)
    assert parse_month("2026-12") == (2026, 12)


def test_day_record_validation_and_normalisation():
    rec = DayRecord(D(2026, 3, 9), "izin")
    assert rec.leave_type == "izin"
    assert rec.mode is None
    assert DayRecord(D(2026, 3, 9), "hadir", "WFH").mode == "WFH"
    for bad in [
        dict(status="ontime"),
        dict(status="hadir", mode="WFA"),
        dict(status="cuti", leave_type="sakit"),
        dict(status="hadir", leave_type="cuti"),
        dict(status="hadir", late_minutes=-3),
        dict(status="hadir", early_leave_minutes=2.5),
    ]:
        with pytest.raises(ValueError):
            DayRecord(D(2026, 3, 9), **bad)


def test_month_recap_is_a_frozen_value():
    recap = month_recap("1", "2026-03", march_records())
    assert isinstance(recap, MonthRecap)
    with pytest.raises(AttributeError):
        recap.absent = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        recap.leave_days["cuti"] = 0  # type: ignore[index]
