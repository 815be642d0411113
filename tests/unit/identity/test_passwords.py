import pytest

from identity.domain.passwords import (
    TEMPORARY_PASSWORD_ALPHABET,
    WeakPassword,
    check_new_password,
    generate_temporary_password,
)

NIP = "198503302010011002"


def reason(new, nip=NIP, old=None):
    with pytest.raises(WeakPassword) as info:
        check_new_password(new, nip, old)
    assert isinstance(info.value, ValueError)
    return info.value.reason


def test_ten_characters_is_enough():
    assert check_new_password("abcdefghij", NIP) is None


def test_nine_characters_is_too_short():
    assert "at least 10" in reason("abcdefghi")


def test_length_counts_characters_not_bytes():
    assert check_new_password("ééééééééé1", NIP) is None  # 10 chars, 20 bytes
    assert "at least 10" in reason("éééééé")  # 12 bytes, 6 chars


def test_128_characters_is_the_maximum():
    assert check_new_password("a" * 128, NIP) is None
    assert "at most 128" in reason("a" * 129)


def test_equal_to_nip_is_rejected():
    assert reason(NIP) == "password must not be the NIP"


def test_containing_nip_is_rejected():
    assert reason("pw" + NIP + "!") == "password must not contain the NIP"


def test_equal_to_old_is_rejected():
    assert "different from the old" in reason("correct horse battery", old="correct horse battery")


def test_different_from_old_is_accepted():
    assert check_new_password("correct horse battery", NIP, old="Correct horse battery") is None


def test_only_spaces_is_rejected():
    assert "only spaces" in reason(" " * 12)


def test_control_characters_are_rejected():
    assert "control characters" in reason("abcdefghij\x00")


@pytest.mark.parametrize("value", [None, 1234567890, b"abcdefghijkl"])
def test_non_string_is_rejected(value):
    assert "string" in reason(value)


def test_temporary_password_shape():
    for _ in range(200):
        pw = generate_temporary_password()
        assert len(pw) == 16
        assert set(pw) <= set(TEMPORARY_PASSWORD_ALPHABET)
        assert any(c.isupper() for c in pw) and any(c.islower() for c in pw)
        assert any(c.isdigit() for c in pw)
        check_new_password(pw, NIP)


def test_temporary_password_alphabet_has_no_look_alikes():
    assert not set("0O1lIio") & set(TEMPORARY_PASSWORD_ALPHABET)


def test_temporary_passwords_are_random():
    assert len({generate_temporary_password() for _ in range(500)}) == 500


def test_temporary_password_length_is_configurable_but_not_below_policy():
    assert len(generate_temporary_password(24)) == 24
    with pytest.raises(ValueError):
        generate_temporary_password(8)
