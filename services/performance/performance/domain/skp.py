"""SKP (Sasaran Kinerja Pegawai) rules: predikat matrix, BerAKHLAK, status, periods.

Source: PermenPANRB 6/2022 as summarised in docs/domain-rules.md (SKP).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

__all__ = [
    "RATINGS",
    "DI_BAWAH",
    "SESUAI",
    "DI_ATAS",
    "SANGAT_BAIK",
    "BAIK",
    "BUTUH_PERBAIKAN",
    "KURANG",
    "SANGAT_KURANG",
    "PREDIKATS",
    "PREDIKAT_MATRIX",
    "predikat",
    "BERAKHLAK",
    "BERAKHLAK_CODES",
    "RHK_TYPES",
    "SKP_STATUSES",
    "SKP_ACTIONS",
    "DRAFT",
    "SUBMITTED",
    "APPROVED",
    "RETURNED",
    "OWNER",
    "RATER",
    "InvalidTransition",
    "ForbiddenAction",
    "skp_transition",
    "skp_is_editable",
    "skp_accepts_realizations",
    "ASPECTS",
    "PERIODS",
    "MONTHS",
    "PERIOD_SCHEMES",
    "QUARTERLY",
    "MONTHLY",
    "ANNUAL",
    "InvalidPeriod",
    "scheme_periods",
    "validate_period",
    "period_dates",
    "period_label",
    "year_bounds",
    "year_allowed",
    "CASCADE_REQUIRED_FOR",
    "cascade_errors",
    "item_changes",
    "behaviour_errors",
    "distribution",
    "DISTRIBUTION_CAPS",
    "check_caps",
]

# ---------------------------------------------------------------------------
# Ratings and the predikat matrix
# ---------------------------------------------------------------------------

DI_BAWAH = "di_bawah"
SESUAI = "sesuai"
DI_ATAS = "di_atas"
RATINGS: tuple[str, str, str] = (DI_BAWAH, SESUAI, DI_ATAS)

SANGAT_BAIK = "Sangat Baik"
BAIK = "Baik"
BUTUH_PERBAIKAN = "Butuh Perbaikan"
KURANG = "Kurang/Misconduct"
SANGAT_KURANG = "Sangat Kurang"
PREDIKATS: tuple[str, ...] = (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)

# (hasil_kerja, perilaku) -> predikat; rows hasil kerja, columns perilaku.
PREDIKAT_MATRIX: Mapping[tuple[str, str], str] = {
    (DI_ATAS, DI_BAWAH): KURANG,
    (DI_ATAS, SESUAI): BAIK,
    (DI_ATAS, DI_ATAS): SANGAT_BAIK,
    (SESUAI, DI_BAWAH): KURANG,
    (SESUAI, SESUAI): BAIK,
    (SESUAI, DI_ATAS): BAIK,
    (DI_BAWAH, DI_BAWAH): SANGAT_KURANG,
    (DI_BAWAH, SESUAI): BUTUH_PERBAIKAN,
    (DI_BAWAH, DI_ATAS): BUTUH_PERBAIKAN,
}


def _check_rating(value: object, what: str) -> str:
    if not isinstance(value, str) or value not in RATINGS:
        raise ValueError(f"{what} must be one of {', '.join(RATINGS)}, not {value!r}")
    return value


def predikat(hasil_kerja: str, perilaku: str) -> str:
    """The official predikat for a hasil-kerja rating and a perilaku rating."""
    hk = _check_rating(hasil_kerja, "hasil_kerja")
    pk = _check_rating(perilaku, "perilaku")
    return PREDIKAT_MATRIX[(hk, pk)]


# ---------------------------------------------------------------------------
# BerAKHLAK core values (Perilaku Kerja) and RHK types
# ---------------------------------------------------------------------------

BERAKHLAK: tuple[str, ...] = (
    "Berorientasi Pelayanan",
    "Akuntabel",
    "Kompeten",
    "Harmonis",
    "Loyal",
    "Adaptif",
    "Kolaboratif",
)
# Machine codes in the same order, e.g. for per-value ratings in JSON.
BERAKHLAK_CODES: tuple[str, ...] = tuple(v.lower().replace(" ", "_") for v in BERAKHLAK)

RHK_TYPES: tuple[str, str] = ("utama", "tambahan")
# Aspects of an indicator as BKN's SKP form has them.
ASPECTS: tuple[str, str, str] = ("kuantitas", "kualitas", "waktu")

# ---------------------------------------------------------------------------
# SKP status
# ---------------------------------------------------------------------------

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
RETURNED = "returned"  # sent back by the rater to the employee, with a note
SKP_STATUSES: tuple[str, ...] = (DRAFT, SUBMITTED, APPROVED, RETURNED)

OWNER = "owner"  # the employee whose SKP it is
RATER = "rater"  # the direct supervisor, or an admin

# action -> (allowed from states, resulting state, role allowed)
_SKP_RULES: dict[str, tuple[frozenset[str], str, str]] = {
    "submit": (frozenset({DRAFT, RETURNED}), SUBMITTED, OWNER),
    "approve": (frozenset({SUBMITTED}), APPROVED, RATER),
    "return": (frozenset({SUBMITTED}), RETURNED, RATER),
    # a change during the year: the approved plan opens as a new revision (a draft again);
    # the approved version stays in force until the revision is approved
    "revise": (frozenset({APPROVED}), DRAFT, OWNER),
}
SKP_ACTIONS: tuple[str, ...] = tuple(_SKP_RULES)


class InvalidTransition(ValueError):
    """The action is not possible from the current state (HTTP 409)."""

    code = "invalid_transition"

    def __init__(self, current: object, action: object, reason: str | None = None) -> None:
        self.current = current
        self.action = action
        self.reason = reason or f"cannot {action} when the status is {current}"
        super().__init__(self.reason)


class ForbiddenAction(InvalidTransition):
    """The actor's role may not take this action at all (HTTP 403)."""

    code = "forbidden"


def skp_transition(current: str, action: str, actor_role: str | None = None) -> str:
    """Next SKP status after ``action``; raise :class:`InvalidTransition` otherwise.

    ``draft --submit--> submitted --approve--> approved``;
    ``submitted --return--> returned --submit--> submitted``;
    ``approved --revise--> draft`` (a new revision).
    ``actor_role`` is ``"owner"`` (submit, revise) or ``"rater"`` (approve, return);
    when given, a wrong role raises :class:`ForbiddenAction`. ``None`` skips
    the role check (the caller has already done it).
    """
    if action not in _SKP_RULES:
        raise InvalidTransition(current, action, f"unknown SKP action {action!r}")
    if current not in SKP_STATUSES:
        raise InvalidTransition(current, action, f"unknown SKP status {current!r}")
    sources, target, role = _SKP_RULES[action]
    if actor_role is not None and actor_role != role:
        raise ForbiddenAction(current, action, f"only the {role} may {action} an SKP")
    if current not in sources:
        raise InvalidTransition(current, action)
    return target


def skp_is_editable(status: str) -> bool:
    """Items may be changed by the employee in ``draft`` and ``returned`` only (approved = frozen)."""
    return status in (DRAFT, RETURNED)


def skp_accepts_realizations(approved_version: Mapping | None) -> bool:
    """Realisations and evaluations go against an approved version (also while a revision is drafted)."""
    return bool(approved_version)


# ---------------------------------------------------------------------------
# Years and periods
# ---------------------------------------------------------------------------

QUARTERLY = "quarterly"
MONTHLY = "monthly"
PERIOD_SCHEMES: tuple[str, str] = (QUARTERLY, MONTHLY)
ANNUAL = "annual"  # the final (annual) evaluation

PERIODS: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")
MONTHS: tuple[str, ...] = tuple(f"M{m:02d}" for m in range(1, 13))
_SCHEMES: dict[str, tuple[str, ...]] = {QUARTERLY: PERIODS, MONTHLY: MONTHS}
_MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                "Oktober", "November", "Desember")


class InvalidPeriod(ValueError):
    code = "invalid_period"


def scheme_periods(scheme: str) -> tuple[str, ...]:
    if scheme not in _SCHEMES:
        raise InvalidPeriod(f"period scheme must be one of {', '.join(PERIOD_SCHEMES)}, not {scheme!r}")
    return _SCHEMES[scheme]


def validate_period(period: str, scheme: str = QUARTERLY, *, annual: bool = False) -> str:
    """``period`` if it is one of the scheme's periods (``Q1``..``Q4`` or ``M01``..``M12``), or
    ``annual`` when allowed; raise :class:`InvalidPeriod` otherwise."""
    allowed = scheme_periods(scheme) + ((ANNUAL,) if annual else ())
    if not isinstance(period, str) or period not in allowed:
        raise InvalidPeriod(f"period must be one of {', '.join(allowed)}, not {period!r}")
    return period


def period_dates(year: int, period: str) -> tuple[_dt.date, _dt.date]:
    """First and last day of ``period`` in ``year`` (an SKP year is 1 Jan - 31 Dec)."""
    if period == ANNUAL:
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    if period in MONTHS:
        first_month = last_month = MONTHS.index(period) + 1
    elif period in PERIODS:
        q = PERIODS.index(period)
        first_month, last_month = 3 * q + 1, 3 * q + 3
    else:
        raise InvalidPeriod(f"unknown period {period!r}")
    first = _dt.date(year, first_month, 1)
    last = _dt.date(year, 12, 31) if last_month == 12 else _dt.date(year, last_month + 1, 1) - _dt.timedelta(days=1)
    return first, last


def period_label(year: int, period: str) -> str:
    """The period as the documents name it, in Bahasa Indonesia."""
    if period == ANNUAL:
        return f"Tahunan {year}"
    if period in MONTHS:
        return f"{_MONTH_NAMES[MONTHS.index(period)]} {year}"
    first, last = period_dates(year, period)
    return f"Triwulan {PERIODS.index(period) + 1} ({_MONTH_NAMES[first.month - 1]}–{_MONTH_NAMES[last.month - 1]} {year})"


def year_bounds(today: _dt.date, years_back: int, years_ahead: int) -> tuple[int, int]:
    return today.year - years_back, today.year + years_ahead


def year_allowed(year: object, today: _dt.date, years_back: int = 1, years_ahead: int = 1) -> bool:
    """An SKP may be kept for last year (late entries), this year and next year (planning)."""
    low, high = year_bounds(today, years_back, years_ahead)
    return isinstance(year, int) and not isinstance(year, bool) and low <= year <= high


# ---------------------------------------------------------------------------
# Cascade (intervensi) and revisions
# ---------------------------------------------------------------------------

# RHK types that must name the supervisor's RHK they support (BKN: every RHK utama of a
# subordinate intervenes an RHK of the direct supervisor; an RHK tambahan may stand alone).
CASCADE_REQUIRED_FOR: frozenset[str] = frozenset({"utama"})


def cascade_errors(items: list[Mapping], has_supervisor: bool,
                   supervisor_item_ids: frozenset[str] | set[str] | None) -> dict[str, list[str]]:
    """Field errors (``items.<i>.parent_item_id``) of the cascade rule; empty when the items pass.

    ``supervisor_item_ids``: the RHK ids of the direct supervisor's APPROVED SKP of the same year,
    ``None`` when the supervisor has no approved SKP. Without a supervisor (a head of unit) no RHK
    names a parent."""
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        parent = item.get("parent_item_id")
        key = f"items.{index}.parent_item_id"
        if not has_supervisor:
            if parent is not None:
                errors[key] = ["You have no direct supervisor: an RHK cannot cascade from a supervisor's RHK."]
            continue
        if parent is None:
            if item.get("type") in CASCADE_REQUIRED_FOR:
                errors[key] = ["An RHK utama must name the RHK of your direct supervisor it supports."]
            continue
        if supervisor_item_ids is None:
            errors[key] = ["Your direct supervisor has no approved SKP for this year yet."]
        elif parent not in supervisor_item_ids:
            errors[key] = ["Not an RHK of your direct supervisor's approved SKP of this year."]
    return errors


_ITEM_FIELDS = ("type", "rhk", "parent_item_id")
_INDICATOR_FIELDS = ("description", "target", "unit", "aspect")


def item_changes(old: list[Mapping], new: list[Mapping]) -> list[dict]:
    """What changed between two versions of the RHK items (by item / indicator id), for the revision history."""
    changes: list[dict] = []
    old_by_id = {i["id"]: i for i in old}
    new_by_id = {i["id"]: i for i in new}
    for item in old:
        if item["id"] not in new_by_id:
            changes.append({"change": "item_removed", "item_id": item["id"], "old": item["rhk"]})
    for item in new:
        before = old_by_id.get(item["id"])
        if before is None:
            changes.append({"change": "item_added", "item_id": item["id"], "new": item["rhk"]})
            continue
        for name in _ITEM_FIELDS:
            if before.get(name) != item.get(name):
                changes.append({"change": "item_changed", "item_id": item["id"], "field": name,
                                "old": before.get(name), "new": item.get(name)})
        old_ind = {i["id"]: i for i in before.get("indicators", [])}
        new_ind = {i["id"]: i for i in item.get("indicators", [])}
        for ind in before.get("indicators", []):
            if ind["id"] not in new_ind:
                changes.append({"change": "indicator_removed", "item_id": item["id"], "indicator_id": ind["id"],
                                "old": ind["description"]})
        for ind in item.get("indicators", []):
            prior = old_ind.get(ind["id"])
            if prior is None:
                changes.append({"change": "indicator_added", "item_id": item["id"], "indicator_id": ind["id"],
                                "new": ind["description"]})
                continue
            for name in _INDICATOR_FIELDS:
                if prior.get(name) != ind.get(name):
                    changes.append({"change": "indicator_changed", "item_id": item["id"], "indicator_id": ind["id"],
                                    "field": name, "old": prior.get(name), "new": ind.get(name)})
    return changes


# ---------------------------------------------------------------------------
# Behaviour (Perilaku Kerja)
# ---------------------------------------------------------------------------

def behaviour_errors(values: Mapping) -> dict[str, list[str]]:
    """Field errors of a BerAKHLAK rating: every one of the 7 values rated, nothing else."""
    errors: dict[str, list[str]] = {}
    for code in BERAKHLAK_CODES:
        if code not in values:
            errors[f"values.{code}"] = ["Rate every BerAKHLAK value."]
    for code in values:
        if code not in BERAKHLAK_CODES:
            errors[f"values.{code}"] = [f"Unknown BerAKHLAK value; use {', '.join(BERAKHLAK_CODES)}."]
    return errors


# ---------------------------------------------------------------------------
# A unit's predikat distribution
# ---------------------------------------------------------------------------

# The organisation's own rating -> caps on its employees' predikat (docs/domain-rules.md: a unit rated
# "Baik" gives at most 70 % "Baik" and at least one below it). Ratings without a known rule
# have no entry; the report says so instead of inventing one.
DISTRIBUTION_CAPS: Mapping[str, Mapping[str, object]] = {
    BAIK: {"max_percent": {BAIK: 70.0}, "min_below": {BAIK: 1}},
}
_BELOW = {p: PREDIKATS[i + 1:] for i, p in enumerate(PREDIKATS)}


def distribution(predikats: list[str | None]) -> dict:
    """Counts and percentages (of the evaluated) per predikat; ``None`` = not evaluated yet."""
    evaluated = [p for p in predikats if p is not None]
    counts = {p: evaluated.count(p) for p in PREDIKATS}
    unknown = [p for p in evaluated if p not in PREDIKATS]
    if unknown:
        raise ValueError(f"unknown predikat {unknown[0]!r}")
    total = len(evaluated)
    return {"employees": len(predikats), "evaluated": total, "not_evaluated": len(predikats) - total,
            "counts": counts,
            "percent": {p: (round(100.0 * n / total, 2) if total else 0.0) for p, n in counts.items()}}


def check_caps(dist: Mapping, unit_rating: str | None,
               caps: Mapping[str, Mapping[str, object]] = DISTRIBUTION_CAPS) -> dict:
    """The caps of ``unit_rating`` against a :func:`distribution` (reported, not enforced)."""
    if unit_rating is None:
        return {"unit_rating": None, "known": False, "within": None, "checks": []}
    if unit_rating not in PREDIKATS:
        raise ValueError(f"unknown unit rating {unit_rating!r}")
    rule = caps.get(unit_rating)
    if rule is None:
        return {"unit_rating": unit_rating, "known": False, "within": None, "checks": []}
    checks = []
    for predikat_name, limit in dict(rule.get("max_percent", {})).items():
        actual = dist["percent"][predikat_name]
        checks.append({"rule": "max_percent", "predikat": predikat_name, "limit": limit, "actual": actual,
                       "ok": actual <= limit})
    for predikat_name, minimum in dict(rule.get("min_below", {})).items():
        actual = sum(dist["counts"][p] for p in _BELOW[predikat_name])
        checks.append({"rule": "min_below", "predikat": predikat_name, "limit": minimum, "actual": actual,
                       "ok": actual >= minimum})
    return {"unit_rating": unit_rating, "known": True, "within": all(c["ok"] for c in checks), "checks": checks}
