"""NIP rules: every rule has a test that fails when the rule is broken."""

import dataclasses
import datetime as dt

import pytest

from identity.domain.nip import InvalidNip, NipInfo, is_valid_nip, validate_nip

TODAY = dt.date(2024, 6, 15)


def nip_of(birth="19850330", appt="201001", sex="1", seq="002"):
    return f"{birth}{appt}{sex}{seq}"


def reason_of(nip, today=TODAY):
    with pytest.raises(InvalidNip) as info:
        validate_nip(nip, today=today)
    return info.value.reason


def test_real_example_is_decoded():
    assert validate_nip("198503302010011002", today=TODAY) == NipInfo(
        birth_date=dt.date(1985, 3, 30), appointment=(2010, 1), sex="M", sequence=2
    )


def test_female_and_highest_sequence():
    info = validate_nip(nip_of(sex="2", seq="999"), today=TODAY)
    assert info.sex == "F"
    assert info.sequence == 999


def test_default_today_accepts_a_valid_nip():
    assert validate_nip("198503302010011002").birth_date == dt.date(1985, 3, 30)


def test_today_may_be_a_datetime():
    assert validate_nip(nip_of(), today=dt.datetime(2024, 6, 15, 8, 0)).appointment == (2010, 1)


def test_nip_info_is_frozen():
    info = validate_nip(nip_of(), today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.sex = "F"  # type: ignore[misc]


def test_invalid_nip_is_a_value_error_with_reason_and_code():
    with pytest.raises(ValueError) as info:
        validate_nip("123", today=TODAY)
    assert isinstance(info.value, InvalidNip)
    assert info.value.code == "invalid_nip"
    assert "18 digits" in info.value.reason
    assert str(info.value) == info.value.reason


@pytest.mark.parametrize("value", [198503302010011002, None, b"198503302010011002", 1.985e17])
def test_non_string_is_rejected(value):
    assert "string" in reason_of(value)


@pytest.mark.parametrize("value", ["", "19850330201001100", "1985033020100110021"])
def test_wrong_length_is_rejected(value):
    assert "exactly 18 digits" in reason_of(value)


@pytest.mark.parametrize(
    "value",
    [
        " 98503302010011002",  # leading space, 18 chars
        "19850330201001100 ",  # trailing space
        "19850330 201001100",  # inner space
        "19850330\t201001100",
        "19850330-201001100",
        "1985033020100110O2",  # letter O
        "١٩٨٥٠٣٣٠٢٠١٠٠١١٠٠٢",  # Arabic-Indic digits (str.isdigit() is True)
        "１９８５０３３０２０１００１１００２",  # full-width digits
    ],
)
def test_anything_but_ascii_digits_is_rejected(value):
    assert len(value) == 18
    assert "only the digits 0-9" in reason_of(value)


@pytest.mark.parametrize("birth", ["19850230", "19851301", "19850001", "19850100", "19850431", "19850229"])
def test_impossible_birth_date_is_rejected(birth):
    assert "birth date" in reason_of(nip_of(birth=birth))


def test_leap_day_birth_date_is_valid():
    assert validate_nip(nip_of(birth="19880229"), today=TODAY).birth_date == dt.date(1988, 2, 29)


def test_birth_year_before_1900_is_rejected():
    assert "before 1900" in reason_of(nip_of(birth="18991231", appt="195001"))


def test_birth_year_1900_is_allowed_by_the_birth_rule():
    # 1900 passes the birth rule; appointment 1950 passes the appointment rules.
    assert validate_nip(nip_of(birth="19000101", appt="195001"), today=TODAY).birth_date.year == 1900


def test_birth_date_in_the_future_is_rejected():
    # (The age-at-appointment rule would also catch it; this one gives the clearer reason.)
    assert reason_of(nip_of(birth="20240616", appt="202406")) == (
        "birth date 2024-06-16 in the NIP is in the future"
    )


@pytest.mark.parametrize("appt", ["201013", "201000", "201099"])
def test_appointment_month_out_of_range_is_rejected(appt):
    assert "appointment YYYYMM" in reason_of(nip_of(appt=appt))


def test_appointment_year_before_1950_is_rejected():
    assert "before 1950" in reason_of(nip_of(birth="19250101", appt="194912"))


def test_appointment_year_1950_is_accepted():
    assert validate_nip(nip_of(birth="19250101", appt="195001"), today=TODAY).appointment == (1950, 1)


def test_appointment_in_a_future_month_is_rejected():
    assert "in the future" in reason_of(nip_of(appt="202407"))


def test_appointment_in_the_current_month_is_accepted():
    assert validate_nip(nip_of(appt="202406"), today=TODAY).appointment == (2024, 6)


def test_appointment_before_birth_is_rejected():
    assert "less than 17 years after the birth" in reason_of(nip_of(birth="19850330", appt="198001"))


def test_appointment_before_age_17_is_rejected():
    # 1993-05 + 17 years = 2010-05; 2010-04 is one month short.
    assert "less than 17 years" in reason_of(nip_of(birth="19930510", appt="201004"))


def test_appointment_in_the_month_of_turning_17_is_accepted():
    assert validate_nip(nip_of(birth="19930510", appt="201005"), today=TODAY).appointment == (2010, 5)


@pytest.mark.parametrize("sex", ["0", "3", "9"])
def test_sex_digit_other_than_1_or_2_is_rejected(sex):
    assert f"must be 1 or 2, not {sex}" in reason_of(nip_of(sex=sex))


def test_sequence_000_is_rejected():
    assert "001-999" in reason_of(nip_of(seq="000"))


def test_sequence_001_is_accepted():
    assert validate_nip(nip_of(seq="001"), today=TODAY).sequence == 1


def test_is_valid_nip():
    assert is_valid_nip("198503302010011002", today=TODAY) is True
    assert is_valid_nip("198502302010011002", today=TODAY) is False
    assert is_valid_nip(None) is False
