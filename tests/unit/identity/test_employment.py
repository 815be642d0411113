"""The employment span in identity: TMT, deactivation, reactivation (pure), and the CSV column."""
from __future__ import annotations

import datetime as dt

import pytest

from identity.domain.csv_import import parse_employee_csv
from identity.domain.employment import InvalidSpan, closed, opened, reopened, spans_of, summary, with_start

D = dt.date.fromisoformat


def test_a_life_of_spans():
    spans = opened(D("2026-11-10"))
    assert summary(spans) == {"active_from": "2026-11-10", "active_until": None,
                              "employment": [{"from": "2026-11-10", "until": None}]}
    spans = with_start(spans, D("2026-11-03"))                    # TMT corrected
    spans = closed(spans, D("2026-11-20"))                        # left: last day the 20th
    assert summary(spans)["active_until"] == "2026-11-20"
    spans = reopened(spans, D("2027-02-01"))                      # came back
    assert spans == [{"from": "2026-11-03", "until": "2026-11-20"}, {"from": "2027-02-01", "until": None}]
    again = reopened(closed(spans, D("2027-02-05")), D("2027-02-05"))  # a deactivation undone the same day
    assert again == spans


def test_refusals():
    with pytest.raises(InvalidSpan) as exc:
        with_start(closed(opened(D("2026-11-10")), D("2026-11-20")), D("2026-12-01"))
    assert exc.value.field == "active_from" and exc.value.reason_id
    with pytest.raises(InvalidSpan):
        reopened(closed(opened(D("2026-11-10")), D("2026-11-20")), D("2026-11-01"))
    # a hire that never started: deactivated before the TMT leaves no span at all
    assert closed(opened(D("2027-01-01")), D("2026-12-15")) == []


def test_records_from_before_spans_count_from_their_creation_day():
    created = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.timezone.utc)  # 1 December in WIB
    assert spans_of({"created_at": created, "active": True}) == [{"from": "2026-12-01", "until": None}]
    left = spans_of({"created_at": created, "active": False,
                     "updated_at": dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.timezone.utc)})
    assert left == [{"from": "2026-12-01", "until": "2026-12-05"}]


def test_csv_active_from_column_is_optional():
    head = "nip,name,unit_code,position,supervisor_nip,email"
    line = "198503302010011002,Siti,BKPSDM,Analis,,"
    assert parse_employee_csv(f"{head}\n{line}\n".encode()).rows[0].active_from is None
    parsed = parse_employee_csv(f"{head},active_from\n{line},2026-11-16\n198503302010011010,Budi,BKPSDM,Analis,,,"
                                f"03/11/2026\n198503302010011029,Ani,BKPSDM,Analis,,,31/02/2026\n".encode())
    assert [r.active_from for r in parsed.rows] == ["2026-11-16", "2026-11-03"]
    assert [(e.line, e.field) for e in parsed.errors] == [(4, "active_from")]
