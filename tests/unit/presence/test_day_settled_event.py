"""presence.day.settled: the recap's view of one closed employee-day (settlement.settled_view) and its event."""
from datetime import date

from presence.directory import office_from_doc
from presence.domain.recap import month_recap
from presence.events import day_settled_event
from presence.recaps import day_records
from presence.settlement import settled_view

OFFICE = office_from_doc({"_id": "A", "name": "A", "latitude": 0, "longitude": 0, "radius_m": 50,
                          "timezone": "Asia/Jakarta", "unit_codes": ["UA"],
                          "schedule": {"days": {d: {"start": "07:30", "end": "16:00"}
                                                for d in ("mon", "tue", "wed", "thu", "fri")}}})
TUE = date(2026, 3, 3)


def check_in(late, early):
    return {"late_minutes": late, "mode": "WFO", "check_out": None if early is None else {"early_leave_minutes": early}}


def test_settled_view_counts_the_day_as_the_recap_does():
    cases = [
        (check_in(10, 0), None, ("terlambat", 1, 0)),
        (check_in(45, 20), None, ("terlambat", 2, 1)),
        (check_in(95, None), None, ("no_checkout", 4, 4)),
        (check_in(0, 75), None, ("pulang_cepat", 0, 3)),
        (None, None, ("tanpa_keterangan", 0, 0)),
        (None, "sakit", ("sakit", 0, 0)),
        (check_in(0, 0), None, ("hadir", 0, 0)),
    ]
    for record, leave, (status, tl, psw) in cases:
        view = settled_view("n", TUE, OFFICE, {}, record, leave)
        assert (view["status"], view["tl"], view["psw"], view["working_day"]) == (status, tl, psw, True), record
        # summing the days' bands gives the recap's own counts
        recap = month_recap("n", "2026-03", day_records("2026-03", date(2026, 3, 4), OFFICE, {},
                                                        {"2026-03-03": record} if record else {},
                                                        {"2026-03-03": leave} if leave else {}, {},
                                                        days=[(TUE, "2026-03-03", True)]))
        assert [getattr(recap, f"tl{i}") for i in range(1, 5)] == [int(tl == i) for i in range(1, 5)]
        assert [getattr(recap, f"psw{i}") for i in range(1, 5)] == [int(psw == i) for i in range(1, 5)]


def test_a_weekend_or_holiday_is_not_a_working_day():
    assert settled_view("n", date(2026, 3, 8), OFFICE, {}, None, None)["working_day"] is False
    assert settled_view("n", TUE, OFFICE, {TUE: "Nyepi"}, check_in(0, 0), None)["status"] == "libur"


def test_the_event_carries_no_coordinates():
    view = settled_view("n", TUE, OFFICE, {}, {**check_in(5, 0), "location": {"latitude": 1, "longitude": 2}},
                        None)
    event = day_settled_event({**view, "revision": 3, "settled_at": "x"})
    assert event["type"] == "presence.day.settled" and event["source"] == "presence"
    assert set(event["data"]) == {"nip", "date", "working_day", "status", "mode", "late_minutes",
                                  "early_leave_minutes", "tl", "psw", "revision"}
