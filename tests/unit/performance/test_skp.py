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
    behaviour_errors,
    cascade_errors,
    check_caps,
    distribution,
    item_changes,
    period_dates,
    period_label,
    predikat,
    scheme_periods,
    skp_accepts_realizations,
    skp_is_editable,
    skp_transition,
    validate_period,
    year_allowed,
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
        ("submitted", "return", "rater", "returned"),
        ("returned", "submit", "owner", "submitted"),
        ("approved", "revise", "owner", "draft"),
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
        ("returned", "approve"),
        ("returned", "return"),
        ("draft", "revise"),
        ("submitted", "revise"),
        ("returned", "revise"),
    ],
)
def test_skp_invalid_transitions(current, action):
    with pytest.raises(InvalidTransition) as info:
        skp_transition(current, action)
    assert not isinstance(info.value, ForbiddenAction)
    assert (info.value.current, info.value.action) == (current, action)


@pytest.mark.parametrize(("action", "role"), [("submit", "rater"), ("approve", "owner"), ("return", "owner"), ("approve", "admin"),
                                            ("revise", "rater")])
def test_skp_wrong_role_is_forbidden(action, role):
    with pytest.raises(ForbiddenAction):
        skp_transition({"submit": "draft", "revise": "approved"}.get(action, "submitted"), action, role)


@pytest.mark.parametrize(("current", "action"), [("draft", "publish"), ("archived", "submit"), (None, "submit")])
def test_skp_unknown_action_or_status(current, action):
    with pytest.raises(InvalidTransition):
        skp_transition(current, action)


def test_forbidden_is_an_invalid_transition_is_a_value_error():
    assert issubclass(ForbiddenAction, InvalidTransition)
    assert issubclass(InvalidTransition, ValueError)


def test_editable_and_realization_states():
    assert [s for s in ("draft", "submitted", "approved", "returned") if skp_is_editable(s)] == ["draft", "returned"]
    # realisations go against an approved version, also while a revision of it is drafted
    assert skp_accepts_realizations({"revision": 1, "items": []})
    assert not skp_accepts_realizations(None)


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


# --- period schemes -------------------------------------------------------------------
def test_monthly_scheme_and_annual():
    assert scheme_periods("monthly") == tuple(f"M{m:02d}" for m in range(1, 13))
    assert validate_period("M03", "monthly") == "M03"
    assert validate_period("annual", "quarterly", annual=True) == "annual"
    for bad, scheme in (("M03", "quarterly"), ("Q1", "monthly"), ("annual", "quarterly"), ("M13", "monthly")):
        with pytest.raises(InvalidPeriod):
            validate_period(bad, scheme)
    with pytest.raises(InvalidPeriod):
        scheme_periods("weekly")


def test_period_dates_of_months_and_the_year():
    assert period_dates(2024, "M02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_dates(2025, "M12") == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert period_dates(2025, "annual") == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert period_label(2025, "M03") == "Maret 2025"
    assert period_label(2025, "Q2") == "Triwulan 2 (April–Juni 2025)"


def test_year_range():
    today = dt.date(2026, 12, 1)
    assert [y for y in range(2020, 2031) if year_allowed(y, today)] == [2025, 2026, 2027]
    assert year_allowed(2024, today, years_back=2)
    assert not year_allowed(True, today) and not year_allowed("2026", today)


# --- cascade --------------------------------------------------------------------------
def test_cascade_rules():
    utama = {"type": "utama", "parent_item_id": "p1"}
    assert cascade_errors([utama], True, {"p1", "p2"}) == {}
    assert cascade_errors([{**utama, "parent_item_id": "zz"}], True, {"p1"}) == {
        "items.0.parent_item_id": ["Not an RHK of your direct supervisor's approved SKP of this year."]}
    assert "items.0.parent_item_id" in cascade_errors([utama], True, None)  # no approved plan upstairs
    assert "items.0.parent_item_id" in cascade_errors([{"type": "utama", "parent_item_id": None}], True, {"p1"})
    assert cascade_errors([{"type": "tambahan", "parent_item_id": None}], True, None) == {}
    assert "items.1.parent_item_id" in cascade_errors([{"type": "utama", "parent_item_id": None}, utama], False, None)
    assert cascade_errors([{"type": "utama", "parent_item_id": None}], False, None) == {}


def test_item_changes_name_what_changed():
    old = [{"id": "a", "type": "utama", "rhk": "A", "parent_item_id": None,
            "indicators": [{"id": "i1", "description": "d", "target": 4, "unit": "dok", "aspect": "kuantitas"},
                           {"id": "i2", "description": "e", "target": 1, "unit": "x", "aspect": "waktu"}]},
           {"id": "b", "type": "tambahan", "rhk": "B", "parent_item_id": None, "indicators": []}]
    new = [{"id": "a", "type": "utama", "rhk": "A2", "parent_item_id": None,
            "indicators": [{"id": "i1", "description": "d", "target": 6, "unit": "dok", "aspect": "kuantitas"},
                           {"id": "i3", "description": "f", "target": 2, "unit": "y", "aspect": "kualitas"}]},
           {"id": "c", "type": "tambahan", "rhk": "C", "parent_item_id": None, "indicators": []}]
    assert item_changes(old, new) == [
        {"change": "item_removed", "item_id": "b", "old": "B"},
        {"change": "item_changed", "item_id": "a", "field": "rhk", "old": "A", "new": "A2"},
        {"change": "indicator_removed", "item_id": "a", "indicator_id": "i2", "old": "e"},
        {"change": "indicator_changed", "item_id": "a", "indicator_id": "i1", "field": "target", "old": 4, "new": 6},
        {"change": "indicator_added", "item_id": "a", "indicator_id": "i3", "new": "f"},
        {"change": "item_added", "item_id": "c", "new": "C"},
    ]
    assert item_changes(new, new) == []


def test_behaviour_needs_all_seven_values_and_no_other():
    full = {code: {"rating": "sesuai"} for code in BERAKHLAK_CODES}
    assert behaviour_errors(full) == {}
    assert set(behaviour_errors({k: v for k, v in full.items() if k != "loyal"})) == {"values.loyal"}
    assert set(behaviour_errors({**full, "jujur": {"rating": "sesuai"}})) == {"values.jujur"}


# --- a unit's distribution ------------------------------------------------------------
def test_distribution_and_caps_of_a_unit_rated_baik():
    dist = distribution(["Baik"] * 7 + ["Sangat Baik", "Butuh Perbaikan", None])
    assert (dist["employees"], dist["evaluated"], dist["not_evaluated"]) == (10, 9, 1)
    assert dist["counts"]["Baik"] == 7 and dist["percent"]["Baik"] == 77.78
    caps = check_caps(dist, "Baik")
    assert caps["known"] and caps["within"] is False
    assert [(c["rule"], c["ok"]) for c in caps["checks"]] == [("max_percent", False), ("min_below", True)]
    fine = check_caps(distribution(["Baik"] * 7 + ["Sangat Baik"] * 2 + ["Kurang/Misconduct"]), "Baik")
    assert fine["within"] is True
    assert check_caps(dist, "Sangat Baik") == {"unit_rating": "Sangat Baik", "known": False, "within": None,
                                               "checks": []}
    assert check_caps(dist, None)["within"] is None
    with pytest.raises(ValueError):
        check_caps(dist, "Luar Biasa")
    with pytest.raises(ValueError):
        distribution(["Istimewa"])
    assert distribution([])["percent"]["Baik"] == 0.0
