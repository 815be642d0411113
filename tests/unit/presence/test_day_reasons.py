"""Why a day counts as it does (domain.reasons) and when the employment span says not at all."""
from __future__ import annotations

from datetime import date

from presence.domain.employment import employment_of
from presence.domain.reasons import day_reasons
from presence.domain.status import AttendanceStatus as S


def codes(reasons):
    return [(r.code, dict(r.params)) for r in reasons]


def test_a_missing_check_out_counts_as_psw4_and_says_so():
    assert codes(day_reasons(status=S.NO_CHECKOUT, working_day=True, closed=True, late_minutes=0)) == [
        ("on_time", {}), ("no_check_out", {"band": "PSW4", "deduction_percent": 1.5})]
    # while the day is open it is only "not yet"
    assert codes(day_reasons(status=S.HADIR, working_day=True, closed=False, late_minutes=0))[1] == \
        ("no_check_out_yet", {})


def test_a_late_check_in_names_its_band_and_minutes():
    assert codes(day_reasons(status=S.TERLAMBAT, working_day=True, closed=True, late_minutes=42,
                             early_leave_minutes=95)) == [
        ("late", {"minutes": 42, "band": "TL2", "deduction_percent": 1.0}),
        ("left_early", {"minutes": 95, "band": "PSW4", "deduction_percent": 1.5})]


def test_absence_leave_holidays():
    assert codes(day_reasons(status=S.TANPA_KETERANGAN, working_day=True, closed=True)) == [
        ("no_check_in", {"deduction_percent": 5.0})]
    assert codes(day_reasons(status=S.CUTI, working_day=True, closed=True, leave_type="cuti")) == [
        ("approved_leave", {"leave_type": "cuti"})]
    assert codes(day_reasons(status=S.LIBUR, working_day=False, closed=True, holiday="Idul Fitri",
                             holiday_kind="cuti_bersama"))[0][0] == "cuti_bersama"
    assert codes(day_reasons(status=S.LIBUR, working_day=False, closed=True, holiday="Natal",
                             holiday_kind="national"))[0][0] == "national_holiday"
    assert codes(day_reasons(status=S.LIBUR, working_day=False, closed=True)) == [("day_off", {})]


def test_employment_spans():
    spans = employment_of({"employment": [{"from": "2026-11-10", "until": "2026-11-20"},
                                          {"from": "2026-12-01", "until": None}]})
    assert [spans.employed_on(date(2026, 11, d)) for d in (9, 10, 20, 21)] == [False, True, True, False]
    assert spans.employed_on(date(2027, 5, 1))
    assert spans.why_not(date(2026, 11, 1)) == ("before", date(2026, 11, 10))
    assert spans.why_not(date(2026, 11, 25)) == ("between", date(2026, 12, 1))
    left = employment_of({"employment": [{"from": "2026-11-10", "until": "2026-11-20"}]})
    assert left.why_not(date(2026, 11, 25)) == ("after", date(2026, 11, 20))
    assert codes(day_reasons(status=S.NOT_EMPLOYED, working_day=True, closed=True,
                             employment=left.why_not(date(2026, 11, 25)))) == [
        ("after_employment", {"active_until": "2026-11-20"})]
    # a copy from before identity sent spans counts every day
    assert employment_of({"nip": "x"}).employed_on(date(1999, 1, 1))
