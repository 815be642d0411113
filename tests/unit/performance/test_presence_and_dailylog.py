import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from performance.domain.dailylog import (
    APPROVED, PENDING, RETURNED, decide, find_overlap, month_bounds, monthly_summary, overlaps, parse_hhmm,
)
from performance.domain.presence import BadPresenceEvent, is_today, parse_checked_in, parse_checked_out
from performance.domain.skp import InvalidTransition
from sipk_shared.uploads import JPEG, PDF, PNG, download_name

UTC = dt.timezone.utc
ZONES = (ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura"))


def test_parse_checked_in_normalises_to_utc():
    p = parse_checked_in({"nip": "1", "date": "2026-11-27", "mode": "WFH",
                          "checked_in_at": "2026-11-27T07:31:00+07:00", "office_code": "K", "late_minutes": 1})
    assert p == {"nip": "1", "date": "2026-11-27", "mode": "WFH",
                 "checked_in_at": dt.datetime(2026, 11, 27, 0, 31, tzinfo=UTC), "office_code": "K",
                 "late_minutes": 1, "utc_offset_minutes": 420}


@pytest.mark.parametrize("change", [
    {"nip": None}, {"nip": 7}, {"date": "2026-2-1"}, {"date": "2026-02-30"}, {"mode": "wfo"},
    {"checked_in_at": "2026-11-27T07:31:00"}, {"checked_in_at": None}, {"late_minutes": -1},
    {"late_minutes": True}, {"late_minutes": 1.5}, {"office_code": 3},
])
def test_parse_checked_in_rejects(change):
    data = {"nip": "1", "date": "2026-11-27", "mode": "WFO", "checked_in_at": "2026-11-27T00:00:00Z",
            "office_code": "K", "late_minutes": 0, **change}
    with pytest.raises(BadPresenceEvent):
        parse_checked_in(data)


def test_parse_checked_out_accepts_presence_time_field():
    p = parse_checked_out({"nip": "1", "date": "2026-11-27", "time": "2026-11-27T09:00:00+00:00",
                           "early_leave_minutes": 30, "mode": "WFO"})
    assert p["checked_out_at"] == dt.datetime(2026, 11, 27, 9, tzinfo=UTC) and p["early_leave_minutes"] == 30
    assert p["mode"] == "WFO"


def test_is_today_covers_all_indonesian_zones():
    now = dt.datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 23:30 WIB, 00:30 WITA/WIT next day
    assert is_today("2026-11-27", now, ZONES) and is_today("2026-11-28", now, ZONES)
    assert not is_today("2026-11-26", now, ZONES) and not is_today(None, now, ZONES)


def test_times_and_overlaps():
    assert parse_hhmm("00:00") == 0 and parse_hhmm("07:30") == 450 and parse_hhmm("24:00") == 1440
    for bad in ("7:30", "24:01", "12:60", "", "ab:cd"):
        with pytest.raises(ValueError):
            parse_hhmm(bad)
    assert overlaps(480, 600, 540, 660) and overlaps(480, 600, 480, 600) and overlaps(480, 600, 500, 520)
    assert not overlaps(480, 600, 600, 660) and not overlaps(600, 660, 480, 600)
    entries = [{"id": "r", "start_min": 480, "end_min": 600, "status": RETURNED},
               {"id": "p", "start_min": 600, "end_min": 660, "status": PENDING}]
    assert find_overlap(500, 550, entries) is None  # returned entries free their slot
    assert find_overlap(650, 700, entries)["id"] == "p"


def test_decide():
    assert decide(PENDING, True) == APPROVED and decide(PENDING, False) == RETURNED
    for done in (APPROVED, RETURNED):
        with pytest.raises(InvalidTransition):
            decide(done, True)


def test_month_bounds_and_summary():
    assert month_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert month_bounds("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    for bad in ("2026-13", "2026-1", "202612", None):
        with pytest.raises(ValueError):
            month_bounds(bad)
    s = monthly_summary([
        {"date": "2026-11-02", "start_min": 480, "end_min": 600, "status": APPROVED},
        {"date": "2026-11-02", "start_min": 600, "end_min": 630, "status": PENDING},
        {"date": "2026-11-03", "start_min": 480, "end_min": 540, "status": RETURNED},
    ])
    assert (s["entries"], s["minutes"], s["days"]) == (3, 210, 2)
    assert (s["approved_minutes"], s["pending_minutes"], s["returned_minutes"]) == (120, 30, 60)
    assert s["per_day"][0] == {"date": "2026-11-02", "entries": 2, "minutes": 150, "approved_minutes": 120}


def test_download_name_follows_the_content():
    assert download_name("../../etc/Laporan.pdf", PDF) == "Laporan.pdf"
    assert download_name("scan.JPEG", JPEG) == "scan.JPEG" and download_name("scan.jpg", JPEG) == "scan.jpg"
    assert download_name("report.pdf", PNG) == "report.pdf.png"
    assert download_name("invoice\u202egpj.exe", PDF) == "invoicegpj.exe.pdf"
    assert download_name("", PDF) == "file.pdf"
