"""The discipline summary of a period from settled employee-days (performance/domain/attendance.py)."""
import datetime as dt

import pytest

from performance.domain.attendance import BadSettledDay, parse_day_settled, summarise


def day(d, status, *, working=True, late=None, early=None, tl=0, psw=0, mode=None):
    return {"nip": "n", "date": d, "working_day": working, "status": status, "mode": mode, "late_minutes": late,
            "early_leave_minutes": early, "tl": tl, "psw": psw, "revision": 1}


MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def test_a_hand_counted_month():
    days = [day("2025-03-03", "terlambat", late=10, early=0, tl=1),
            day("2025-03-04", "terlambat", late=45, early=20, tl=2, psw=1),
            day("2025-03-05", "no_checkout", late=95, tl=4, psw=4),
            day("2025-03-06", "pulang_cepat", late=0, early=75, psw=3),
            day("2025-03-07", "tanpa_keterangan"), day("2025-03-10", "sakit"), day("2025-03-11", "cuti"),
            day("2025-03-12", "hadir", late=0, early=0),
            day("2025-03-09", "libur", working=False),
            day("2025-04-01", "tanpa_keterangan")]  # outside the period
    s = summarise(days, *MARCH)
    assert {k: s[k] for k in ("working_days", "present", "late_days", "late_minutes", "tl1", "tl2", "tl3", "tl4",
                              "early_leave_days", "early_leave_minutes", "psw1", "psw2", "psw3", "psw4",
                              "no_checkout_days", "tanpa_keterangan", "leave_days_total", "settled_days")} == {
        "working_days": 8, "present": 5, "late_days": 3, "late_minutes": 150, "tl1": 1, "tl2": 1, "tl3": 0,
        "tl4": 1, "early_leave_days": 2, "early_leave_minutes": 95, "psw1": 1, "psw2": 0, "psw3": 1, "psw4": 1,
        "no_checkout_days": 1, "tanpa_keterangan": 1, "leave_days_total": 2, "settled_days": 9}
    assert s["leave_days"] == {"izin": 0, "sakit": 1, "cuti": 1, "dinas_luar": 0, "tugas_belajar": 0}
    assert (s["from"], s["to"]) == ("2025-03-01", "2025-03-31")


def test_a_day_counts_once():
    twice = [day("2025-03-03", "tanpa_keterangan")] * 2
    assert summarise(twice, *MARCH)["tanpa_keterangan"] == 1


def test_parse_keeps_what_the_summary_needs_and_refuses_the_rest():
    good = day("2025-03-03", "terlambat", late=10, early=0, tl=1, mode="WFO")
    assert parse_day_settled(good) == good
    for bad in ({**good, "status": "bolos"}, {**good, "tl": 5}, {**good, "working_day": "yes"},
                {**good, "date": "03/03/2025"}, {**good, "nip": ""}, {**good, "mode": "WFA"},
                {**good, "late_minutes": -1}, {**good, "revision": -2}, {**good, "psw": True}):
        with pytest.raises(BadSettledDay):
            parse_day_settled(bad)


def test_days_outside_the_employment_span_are_never_working_days():
    days = [day("2025-03-03", "not_employed", working=False), day("2025-03-04", "not_employed"),
            day("2025-03-05", "hadir", late=0, early=0)]
    parsed = [parse_day_settled(d) for d in days]  # the status is known: no dead-letter
    s = summarise(parsed, *MARCH)
    assert (s["working_days"], s["present"], s["tanpa_keterangan"], s["settled_days"]) == (1, 1, 0, 3)
