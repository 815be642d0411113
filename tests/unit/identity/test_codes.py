import pytest

from identity.domain import validate_unit_code
from identity.domain.codes import InvalidUnitCode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("BKPSDM", "BKPSDM"),
        ("dinkes", "DINKES"),
        ("  01.02-a_b  ", "01.02-A_B"),
        ("7", "7"),
        ("\tabc\n", "ABC"),
        ("A" * 32, "A" * 32),
    ],
)
def test_valid_codes_are_canonicalised(raw, expected):
    assert validate_unit_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "A" * 33,
        "-ABC",
        ".ABC",
        "_ABC",
        "BK PSDM",
        "BK/PSDM",
        "AB\nC",
        "straße",  # would upper-case to STRASSE
        "ＢＫＰＳＤＭ",  # full-width
        "DİNKES",
        "$ne",
    ],
)
def test_invalid_codes_are_rejected(raw):
    with pytest.raises(InvalidUnitCode):
        validate_unit_code(raw)


@pytest.mark.parametrize("raw", [None, 12, ["A"], {"$ne": ""}])
def test_non_string_is_rejected(raw):
    with pytest.raises(InvalidUnitCode) as info:
        validate_unit_code(raw)
    assert isinstance(info.value, ValueError)
    assert "string" in info.value.reason
