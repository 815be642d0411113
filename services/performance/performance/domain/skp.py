"""SKP (Sasaran Kinerja Pegawai) rules: predikat matrix, BerAKHLAK, status, periods.

Source: PermenPANRB 6/2022 as summarised in docs/SKP-RULES.md.
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
    "REVISION",
    "InvalidTransition",
    "ForbiddenAction",
    "skp_transition",
    "skp_is_editable",
    "skp_accepts_realizations",
    "PERIODS",
    "InvalidPeriod",
    "validate_period",
    "period_dates",
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

# ---------------------------------------------------------------------------
# SKP status
# ---------------------------------------------------------------------------

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REVISION = "revision"  # returned by the rater to the employee for changes
SKP_STATUSES: tuple[str, ...] = (DRAFT, SUBMITTED, APPROVED, REVISION)

OWNER = "owner"  # the employee whose SKP it is
RATER = "rater"  # the direct supervisor, or an admin when there is none

# action -> (allowed from states, resulting state, role allowed)
_SKP_RULES: dict[str, tuple[frozenset[str], str, str]] = {
    "submit": (frozenset({DRAFT, REVISION}), SUBMITTED, OWNER),
    "approve": (frozenset({SUBMITTED}), APPROVED, RATER),
    "return": (frozenset({SUBMITTED}), REVISION, RATER),
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
    ``submitted --return--> revision --submit--> submitted``.
    ``actor_role`` is ``"owner"`` (submit) or ``"rater"`` (approve, return);
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
    """Items may be changed by the employee in ``draft`` and ``revision`` only."""
    return status in (DRAFT, REVISION)


def skp_accepts_realizations(status: str) -> bool:
    """Realisations and evaluations are recorded against an approved plan only."""
    return status == APPROVED


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------

PERIODS: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")


class InvalidPeriod(ValueError):
    code = "invalid_period"


def validate_period(period: str) -> str:
    """Return ``period`` if it is exactly one of ``Q1``..``Q4``; raise :class:`InvalidPeriod`."""
    if not isinstance(period, str) or period not in PERIODS:
        raise InvalidPeriod(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    return period


def period_dates(year: int, period: str) -> tuple[_dt.date, _dt.date]:
    """First and last day of ``period`` in ``year`` (an SKP year is 1 Jan - 31 Dec)."""
    q = PERIODS.index(validate_period(period))
    first = _dt.date(year, 3 * q + 1, 1)
    last = _dt.date(year, 12, 31) if q == 3 else _dt.date(year, 3 * q + 4, 1) - _dt.timedelta(days=1)
    return first, last
