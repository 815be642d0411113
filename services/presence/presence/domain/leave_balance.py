"""Annual leave (cuti tahunan): how many working days an employee may still take in a year.

Rules (PP 11/2017 on ASN management, as the settings default them; docs/domain-rules.md):

* ``entitlement`` working days a year (12);
* days left over from the previous year carry over, at most ``carry_over_max`` (6: "paling lama 18
  hari kerja termasuk cuti tahunan dalam tahun berjalan"); the carry is computed from the previous
  year's own balance, which carried from the year before it, ``years_back`` years deep (older
  years, and years before the employee's first year, carry nothing);
* a request of type ``cuti`` takes the **working days** it covers in the employee's office calendar
  (weekends, national holidays and cuti bersama are not taken; a cuti bersama day does not reduce
  the balance), counted per calendar year it touches;
* a pending request already holds its days (so two requests cannot promise the same days); a
  rejected or cancelled one gives them back.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

__all__ = ["BalanceRules", "Balance", "balance_of", "days_by_year"]


@dataclass(frozen=True)
class BalanceRules:
    entitlement: int = 12
    carry_over_max: int = 6
    years_back: int = 2

    def __post_init__(self) -> None:
        for name in ("entitlement", "carry_over_max", "years_back"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer")


@dataclass(frozen=True)
class Balance:
    year: int
    entitlement: int
    carried_over: int
    taken: int      # approved requests
    pending: int    # requests waiting for the decision (held)

    @property
    def available(self) -> int:
        return self.entitlement + self.carried_over

    @property
    def remaining(self) -> int:
        return max(0, self.available - self.taken - self.pending)


def days_by_year(days: Iterable[date], is_working_day: Callable[[date], bool]) -> dict[int, int]:
    """The working days among ``days``, per year (what a cuti request takes from each year's balance)."""
    out: dict[int, int] = {}
    for day in days:
        if is_working_day(day):
            out[day.year] = out.get(day.year, 0) + 1
    return out


def balance_of(year: int, taken: Mapping[int, int], pending: Mapping[int, int], rules: BalanceRules,
               first_year: int | None = None) -> Balance:
    """The balance of ``year`` from the days taken (approved) and held (pending) per year."""
    def carry(into: int, depth: int) -> int:
        previous = into - 1
        if depth <= 0 or (first_year is not None and previous < first_year):
            return 0
        available = rules.entitlement + carry(previous, depth - 1)
        left = available - taken.get(previous, 0) - pending.get(previous, 0)
        return min(rules.carry_over_max, max(0, left))

    return Balance(year=year, entitlement=rules.entitlement, carried_over=carry(year, rules.years_back),
                   taken=taken.get(year, 0), pending=pending.get(year, 0))
