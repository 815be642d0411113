"""Field rules shared by the identity API and the CSV import."""
import pytest

from identity.domain.fields import InvalidField, check_email, check_text, diff, normalize_roles


def test_roles_always_include_employee_in_a_fixed_order():
    assert normalize_roles(None) == ["employee"]
    assert normalize_roles(["admin"]) == ["employee", "admin"]
    assert normalize_roles(["admin", "employee", "admin"]) == ["employee", "admin"]


def test_unknown_role_is_refused():
    with pytest.raises(InvalidField) as info:
        normalize_roles(["employee", "supervisor"])
    assert info.value.field == "roles" and "supervisor" in info.value.reason


def test_text_is_cleaned_and_bounded():
    assert check_text("  Siti \n  Aminah ", "name", 200) == "Siti Aminah"
    for raw, part in (("   ", "required"), ("x" * 201, "longer than 200"), ("Siti\u200bAminah", "control")):
        with pytest.raises(InvalidField) as info:
            check_text(raw, "name", 200)
        assert part in info.value.reason and info.value.field == "name"


def test_email_is_optional_but_must_look_like_one():
    assert check_email("") is None and check_email(None) is None
    assert check_email(" budi@bkpsdm.go.id ") == "budi@bkpsdm.go.id"
    with pytest.raises(InvalidField):
        check_email("budi at bkpsdm")


def test_diff_lists_changed_fields_only():
    before = {"name": "A", "position": "X", "email": None}
    assert diff(before, {**before, "position": "Y"}, ("name", "position", "email")) == {
        "position": {"from": "X", "to": "Y"}}
    assert diff(before, before, ("name", "position")) == {}
    assert diff(None, {"name": "A"}, ("name",)) == {"name": {"from": None, "to": "A"}}
