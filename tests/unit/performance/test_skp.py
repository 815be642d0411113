import datetime as dt

import pytest

from performance.domain.skp import (
    BERAKHLAK,
    BERAKHLAK_CODES,
    PERIODS,
    PREDIKAT_MATRIX,
    RATINGS,
    ForbiddenAction,
    InvalidPeriod,
    InvalidTransition,
    period_dates,
    predikat,
    skp_accepts_realizations,
    skp_is_editable,
    skp_transition,
    validate_period,
)


def test_ratings():
    assert RATINGS == ("di_bawah", "sesuai", "di_atas")


@pytest.mark.parametrize(
    ("hasil_kerja", "perilaku", "expected"),
    [
        ("di_atas", "di_bawah", "Kurang/Misconduct"),
        ("di_atas", "sesuai", "Baik"),
        ("di_atas", "di_atas", "Sangat Baik"),
        ("sesuai", "di_bawah", "Kurang/Misconduct"),
        ("sesuai", "sesuai", "Baik"),
        ("sesuai", "di_atas", "Baik"),
        ("di_bawah", "di_bawah", "Sangat Kurang"),
        ("di_bawah", "sesuai", "Butuh Perbaikan"),
        ("di_bawah", "di_atas", "Butuh Perbaikan"),
    ],
)
def test_predikat_matrix(hasil_kerja, perilaku, expected):
    assert predikat(hasil_kerja, perilaku) == expected


def test_matrix_covers_every_pair_exactly_once():
    assert set(PREDIKAT_MATRIX) == {(h, p) for h in RATINGS for p in RATINGS}


@pytest.mark.parametrize("bad", ["baik", "", "DI_ATAS", " sesuai", None, 3])
def test_unknown_rating_raises_value_error(bad):
    with pytest.raises(ValueError):
        predikat(bad, "sesuai")
    with pytest.raises(ValueError):
        predikat("sesuai", bad)


def test_berakhlak_values():
    assert BERAKHLAK == (
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    )
    assert BERAKHLAK_CODES == (
        "berorientasi_pelayanan",
        "akuntabel",
        "kompeten",
        "harmonis",
        "loyal",
        "adaptif",
        "kolaboratif",
    )


@pytest.mark.parametrize(
    ("current", "action", "role", "expected"),
    [
        ("draft", "submit", "owner", "submitted"),
        ("submitted", "approve", "rater", "approved"),
        ("submitted", "return", "rater", "revision"),
        ("revision", "submit", "owner", "submitted"),
        ("draft", "submit", None, "submitted"),
    ],
)
def test_skp_transitions(current, action, role, expected):
    assert skp_transition(current, action, role) == expected


@pytest.mark.parametrize(
    ("current", "action"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("submitted", "submit"),
        ("approved", "submit"),
        ("approved", "approve"),
        ("approved", "return"),
        ("revision", "approve"),
        ("revision", "return"),
    ],
)
def test_skp_invalid_transitions(current, action):
    with pytest.raises(InvalidTransition) as info:
        skp_transition(current, action)
    assert not isinstance(info.value, ForbiddenAction)
    assert (info.value.current, info.value.action) == (current, action)


@pytest.mark.parametrize(("action", "role"), [("submit", "rater"), ("approve", "owner"), ("return", "owner"), ("approve", "admin")])
def test_skp_wrong_role_is_forbidden(action, role):
    with pytest.raises(ForbiddenAction):
        skp_transition("submitted" if action != "submit" else "draft", action, role)


@pytest.mark.parametrize(("current", "action"), [("draft", "publish"), ("archived", "submit"), (None, "submit")])
def test_skp_unknown_action_or_status(current, action):
    with pytest.raises(InvalidTransition):
        skp_transition(current, action)


def test_forbidden_is_an_invalid_transition_is_a_value_error():
    assert issubclass(ForbiddenAction, InvalidTransition)
    assert issubclass(InvalidTransition, ValueError)


def test_editable_and_realization_states():
    assert [s for s in ("draft", "submitted", "approved", "revision") if skp_is_editable(s)] == ["draft", "revision"]
    assert [s for s in ("draft", "submitted", "approved", "revision") if skp_accepts_realizations(s)] == ["approved"]


def test_periods():
    assert PERIODS == ("Q1", "Q2", "Q3", "Q4")
    for p in PERIODS:
        assert validate_period(p) == p


@pytest.mark.parametrize("bad", ["Q0", "Q5", "q1", " Q1", "Q1 ", "", "2024-Q1", None, 1])
def test_invalid_periods(bad):
    with pytest.raises(InvalidPeriod) as info:
        validate_period(bad)
    assert isinstance(info.value, ValueError)


def test_period_dates():
    assert period_dates(2024, "Q1") == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert period_dates(2024, "Q2") == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert period_dates(2024, "Q3") == (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert period_dates(2024, "Q4") == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    with pytest.raises(InvalidPeriod):
        period_dates(2024, "Q5")
