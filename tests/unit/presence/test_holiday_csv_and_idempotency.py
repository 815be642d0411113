"""Holiday CSV parsing and the idempotency request hash (no I/O)."""
import pytest

from sipk_shared.errors import ApiError

from presence.api.holidays import parse_holiday_csv
from presence.idempotency import request_hash, validate_key


def test_csv_rows_and_line_numbered_errors():
    text = ("date,name\n2026-01-01,Tahun Baru\n2026-13-01,Bad month\n\n2026-03-20,Idul Fitri,extra\n"
            "2026-03-21,\n2026-3-22,Short date\n2026-08-17, HUT RI \n")
    rows, errors = parse_holiday_csv(text)
    assert rows == [(2, "2026-01-01", "Tahun Baru", "national"), (8, "2026-08-17", "HUT RI", "national")]
    assert [e["line"] for e in errors] == [3, 5, 6, 7]


def test_csv_kind_column_tells_cuti_bersama_apart():
    text = ("date,name,kind\n2026-03-20,Cuti Bersama Idul Fitri,cuti bersama\n2026-03-21,Idul Fitri,\n"
            "2026-03-22,Idul Fitri II\n2026-03-23,Apa ini,liburan\n2026-03-24,Cuti bersama,CUTI_BERSAMA\n")
    rows, errors = parse_holiday_csv(text)
    assert [(r[1], r[3]) for r in rows] == [("2026-03-20", "cuti_bersama"), ("2026-03-21", "national"),
                                           ("2026-03-22", "national"), ("2026-03-24", "cuti_bersama")]
    assert [e["line"] for e in errors] == [5]
    assert errors[0]["message"].text("en").startswith("Unknown kind") and errors[0]["message"].startswith("kind")


def test_csv_needs_the_header():
    with pytest.raises(ApiError) as exc:
        parse_holiday_csv("2026-01-01,Tahun Baru\n")
    assert exc.value.error == "invalid_csv"
    with pytest.raises(ApiError):
        parse_holiday_csv("")


def test_request_hash_ignores_key_order_and_sees_every_change():
    a = request_hash("/check-ins", {"latitude": 1.0, "longitude": 2.0, "accuracy_m": 5.0})
    assert a == request_hash("/check-ins", {"accuracy_m": 5.0, "longitude": 2.0, "latitude": 1.0})
    assert a != request_hash("/check-ins", {"latitude": 1.0, "longitude": 2.0, "accuracy_m": 5.5})
    assert a != request_hash("/check-outs", {"latitude": 1.0, "longitude": 2.0, "accuracy_m": 5.0})


@pytest.mark.parametrize("key", ["", "x" * 101, "has space", "semi;colon", "$gt"])
def test_idempotency_keys_are_bounded_and_plain(key):
    with pytest.raises(ApiError):
        validate_key(key)


def test_uuid_keys_are_fine():
    assert validate_key("0f8fad5b-d9cb-469f-a165-70867728950e")
