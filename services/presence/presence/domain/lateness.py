"""Lateness (TL, *terlambat*) and leaving early (PSW, *pulang sebelum waktu*).

Measuring minutes
-----------------
Minutes are counted as *whole minutes started*, in the employee's favour on
sub-second noise:

* late: the check-in time is truncated to the whole second, then
  ``ceil(seconds after (start + grace) / 60)``.  With start 07:30 and grace 0,
  07:30:00.999 is on time, 07:30:01 is 1 minute late, 07:31:00 is 1 minute,
  07:31:01 is 2 minutes.
* early leave: the check-out time is rounded *up* to the whole second, then
  ``ceil(seconds before end / 60)``.  With end 16:00, 15:59:59.2 rounds up to
  16:00:00 and is on time; 15:59:59 is 1 minute early; 15:59:00 is 1 minute;
  15:58:59 is 2 minutes.

Bands and deductions (docs/domain-rules.md defaults, configurable as data)
---------------------------------------------------------------
==========  =========  =========
band        minutes    deduction
==========  =========  =========
TL1/PSW1    1-30       0.5 %
TL2/PSW2    31-60      1 %
TL3/PSW3    61-90      1.25 %
TL4/PSW4    >= 91      1.5 %
==========  =========  =========

A missing check-in counts as TL4, a missing check-out as PSW4, a day absent
without reason (tanpa keterangan) 5 %.  The monthly total is capped at 100 %.
Arithmetic is done in ``Decimal`` and only the final result is a float
rounded to 2 decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .schedule import MAX_GRACE_MINUTES, DaySchedule

_SECOND = timedelta(seconds=1)
_HUNDRED = Decimal(100)


def _whole_minutes_started(delta: timedelta) -> int:
    """``ceil(whole seconds of delta / 60)``, exactly (no floats).

    The sub-second part of ``delta`` is dropped first, so 0.999 s late is
    on time and 1 s late is the first minute started."""
    seconds = delta // _SECOND
    return -(-seconds // 60)


def _check_moment(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime):
        raise ValueError(f"{name} must be a datetime")


def late_minutes(
    checked_in_local: datetime,
    day: DaySchedule,
    grace_minutes: int = 0,
    on_date: date | None = None,
) -> int:
    """Whole minutes started after ``start + grace``; 0 when on time.

    ``checked_in_local`` is the office-local check-in time (aware or naive;
    the schedule is compared in its wall clock).  ``on_date`` is the office
    date the schedule applies to (default: the check-in's own date).
    """
    _check_moment(checked_in_local, "checked_in_local")
    if isinstance(grace_minutes, bool) or not isinstance(grace_minutes, int):
        raise ValueError("grace_minutes must be an integer")
    if not 0 <= grace_minutes <= MAX_GRACE_MINUTES:
        raise ValueError(f"grace_minutes must be within 0..{MAX_GRACE_MINUTES}")
    the_date = on_date or checked_in_local.date()
    deadline = datetime.combine(the_date, day.start, tzinfo=checked_in_local.tzinfo)
    deadline += timedelta(minutes=grace_minutes)
    if checked_in_local <= deadline:
        return 0
    # _whole_minutes_started floors to whole seconds first: the sub-second
    # part of a check-in never makes it later (employee's favour).
    return _whole_minutes_started(checked_in_local - deadline)


def early_leave_minutes(
    checked_out_local: datetime, day: DaySchedule, on_date: date | None = None
) -> int:
    """Whole minutes started before the schedule end; 0 at or after the end.

    ``on_date`` is the office date of the working day.  It defaults to the
    check-out's own date; pass it when a check-out may fall after midnight
    (00:15 the next day with ``on_date`` set is 0 minutes early, without it
    the 00:15 would be measured against that next day's 16:00).
    """
    _check_moment(checked_out_local, "checked_out_local")
    the_date = on_date or checked_out_local.date()
    end = datetime.combine(the_date, day.end, tzinfo=checked_out_local.tzinfo)
    if checked_out_local >= end:
        return 0
    # Flooring ``end - check-out`` to whole seconds is the same as rounding
    # the check-out up to the next second (employee's favour).
    return _whole_minutes_started(end - checked_out_local)


@dataclass(frozen=True)
class Band:
    """One band: ``level`` 1..n covers ``min_minutes``..``max_minutes``
    (``None`` = open-ended) and costs ``deduction`` percent per occurrence."""

    level: int
    min_minutes: int
    max_minutes: int | None
    deduction: Decimal

    def contains(self, minutes: int) -> bool:
        return minutes >= self.min_minutes and (
            self.max_minutes is None or minutes <= self.max_minutes
        )


@dataclass(frozen=True)
class BandTable:
    """Contiguous bands from 1 minute, the last open-ended, plus the percent
    deducted for a day absent without reason."""

    bands: tuple[Band, ...]
    absent_deduction: Decimal

    def __post_init__(self) -> None:
        bands = tuple(self.bands)
        object.__setattr__(self, "bands", bands)
        object.__setattr__(self, "absent_deduction", _percent(self.absent_deduction))
        if not bands:
            raise ValueError("at least one band is required")
        expected_min = 1
        for index, band in enumerate(bands, start=1):
            if band.level != index:
                raise ValueError("band levels must be 1, 2, 3, ... in order")
            if band.min_minutes != expected_min:
                raise ValueError(f"band {index} must start at {expected_min} minutes")
            _percent(band.deduction)
            last = index == len(bands)
            if last:
                if band.max_minutes is not None:
                    raise ValueError("the last band must be open-ended (max_minutes None)")
            else:
                if band.max_minutes is None or band.max_minutes < band.min_minutes:
                    raise ValueError(f"band {index} needs max_minutes >= min_minutes")
                expected_min = band.max_minutes + 1

    @property
    def top(self) -> Band:
        return self.bands[-1]

    def level_of(self, minutes: int) -> int | None:
        """Band level for a number of minutes; ``None`` for 0 (on time)."""
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise ValueError("minutes must be an integer")
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        if minutes == 0:
            return None
        for band in self.bands:
            if band.contains(minutes):
                return band.level
        raise AssertionError("unreachable: bands are contiguous and open-ended")

    def deduction_for(self, level: int) -> Decimal:
        if not 1 <= level <= len(self.bands):
            raise ValueError(f"unknown band level {level}")
        return self.bands[level - 1].deduction


def _percent(value: object) -> Decimal:
    if isinstance(value, float):
        value = str(value)  # 0.5 -> "0.5": the decimal the person typed
    try:
        number = Decimal(value)  # type: ignore[arg-type]
    except Exception:
        raise ValueError(f"invalid percentage {value!r}") from None
    if not number.is_finite() or number < 0 or number > _HUNDRED:
        raise ValueError(f"percentage must be within 0..100, got {value!r}")
    return number


def make_band_table(
    bands: Iterable[tuple[int, int | None, object]], absent_deduction: object
) -> BandTable:
    """Build a table from ``(min_minutes, max_minutes|None, percent)`` rows.

    Percent values may be strings, ints, Decimals or floats (floats are taken
    by their shortest decimal form, so ``1.25`` is exactly 1.25).
    """
    rows = [
        Band(level=i, min_minutes=lo, max_minutes=hi, deduction=_percent(pct))
        for i, (lo, hi, pct) in enumerate(bands, start=1)
    ]
    return BandTable(tuple(rows), _percent(absent_deduction))


DEFAULT_BANDS = make_band_table(
    [(1, 30, "0.5"), (31, 60, "1"), (61, 90, "1.25"), (91, None, "1.5")],
    absent_deduction="5",
)
"""The defaults of docs/domain-rules.md (TL and PSW share one table)."""


def band(minutes: int, bands: BandTable = DEFAULT_BANDS, prefix: str = "TL") -> str | None:
    """Band name for late (``prefix="TL"``) or early-leave (``"PSW"``) minutes.

    ``band(0) is None``; ``band(30) == "TL1"``; ``band(91) == "TL4"``.
    """
    level = bands.level_of(minutes)
    return None if level is None else f"{prefix}{level}"


def _counts(counts: Mapping[object, int] | None, prefix: str, table: BandTable) -> dict[int, int]:
    """Normalise ``{1: n}`` / ``{"TL1": n}`` / ``{"tl1": n}`` to ``{level: n}``."""
    result: dict[int, int] = {}
    for key, count in (counts or {}).items():
        if isinstance(key, bool):
            raise ValueError(f"invalid band key {key!r}")
        if isinstance(key, int):
            level = key
        elif isinstance(key, str) and key.upper().startswith(prefix) and key[len(prefix):].isdigit():
            level = int(key[len(prefix):])
        else:
            raise ValueError(f"invalid band key {key!r} (expected {prefix}1.. or 1..)")
        if not 1 <= level <= len(table.bands):
            raise ValueError(f"unknown band {key!r}")
        result[level] = result.get(level, 0) + _count(count, f"{prefix}{level}")
    return result


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer")
    return value


def deduction_percent(
    tl_counts: Mapping[object, int] | None = None,
    psw_counts: Mapping[object, int] | None = None,
    absent_days: int = 0,
    no_checkin_days: int = 0,
    no_checkout_days: int = 0,
    bands: BandTable = DEFAULT_BANDS,
) -> float:
    """Total allowance deduction in percent for one employee and period.

    ``tl_counts``/``psw_counts`` map band (``1``..``4`` or ``"TL1"``/``"PSW1"``)
    to the number of occurrences.  Missing check-ins are charged at the top
    TL band, missing check-outs at the top PSW band, absent days at the
    absent rate.  Capped at 100; returned rounded half-up to 2 decimals.
    """
    total = Decimal(0)
    for prefix, counts in (("TL", tl_counts), ("PSW", psw_counts)):
        for level, count in _counts(counts, prefix, bands).items():
            total += bands.deduction_for(level) * count
    top = bands.top.deduction
    total += top * _count(no_checkin_days, "no_checkin_days")
    total += top * _count(no_checkout_days, "no_checkout_days")
    total += bands.absent_deduction * _count(absent_days, "absent_days")
    total = min(total, _HUNDRED)
    return float(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
