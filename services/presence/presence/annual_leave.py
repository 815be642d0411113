"""Annual leave (cuti tahunan) use cases: the balance an employee sees, the check of a new request,
and the days a rejected or cancelled request gives back (rules: domain/leave_balance.py).

A ``cuti`` request stores the working days it takes per year (``annual_days``, counted in the
employee's office calendar when it is made, so a later holiday does not rewrite history). The
balance shown is computed from the employee's pending and approved requests; what is *held* is also
counted in ``leave_balances`` (one small document per employee and year), where a conditional
``$inc`` decides between two requests racing for the last days; the document lists the requests
holding days, so giving them back is done once however often it is asked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from .directory import Directory
from .domain.employment import employment_of
from .domain.leave_balance import Balance, BalanceRules, balance_of, days_by_year
from .domain.schedule import DEFAULT_WEEK, is_working_day
from .store import Store

ANNUAL = "cuti"  # the leave type that is annual leave
HOLDING = ("pending", "approved")


@dataclass
class AnnualLeave:
    store: Store
    directory: Directory
    rules: BalanceRules

    def days_of(self, employee: dict[str, Any], start: date, end: date) -> dict[int, int]:
        """The working days of start..end in the employee's office calendar, per year."""
        office = self.directory.office_for_employee(employee)
        week = office.week if office else DEFAULT_WEEK
        overrides = office.overrides if office else ()
        holidays = self.directory.holidays()
        days = (start + timedelta(days=i) for i in range((end - start).days + 1))
        return days_by_year(days, lambda d: is_working_day(d, week, overrides, holidays))

    def balance(self, employee: dict[str, Any], year: int) -> Balance:
        taken: dict[int, int] = {}
        pending: dict[int, int] = {}
        for request in self.store.leave_requests_of([employee["_id"]], list(HOLDING)):
            if request.get("type") != ANNUAL:
                continue
            into = taken if request["state"] == "approved" else pending
            for held_year, days in (request.get("annual_days") or {}).items():
                into[int(held_year)] = into.get(int(held_year), 0) + int(days)
        spans = employment_of(employee).spans
        first_year = spans[0][0].year if spans else None
        return balance_of(year, taken, pending, self.rules, first_year)

    def hold(self, employee: dict[str, Any], by_year: dict[int, int], request_id: str) -> None:
        """Hold the days of a new request, every year or none: 422 ``leave_balance_exceeded`` (with
        the remaining days) when a year has too few left."""
        held: list[tuple[int, int]] = []
        for year, days in sorted(by_year.items()):
            balance = self.balance(employee, year)
            if not self.store.hold_annual_leave(employee["_id"], year, days, balance.available, request_id):
                for y, d in held:
                    self.store.release_annual_leave(employee["_id"], y, d, request_id)
                remaining = self.balance(employee, year).remaining
                raise ApiError(422, "leave_balance_exceeded",
                               Msg("Sisa cuti tahunan {y} Anda {r} hari kerja; permohonan ini memerlukan {n} hari kerja.",
                                   "You have {r} working days of annual leave left in {y}; this request needs {n}.",
                                   y=year, r=remaining, n=days),
                               year=year, remaining_days=remaining, requested_days=days)
            held.append((year, days))

    def give_back(self, request: dict[str, Any]) -> None:
        """A held request was rejected or cancelled: its days are free again. Idempotent (the API does it
        at once, the worker again from the request's event: leave_days.follow)."""
        if request.get("type") != ANNUAL:
            return
        for year, days in (request.get("annual_days") or {}).items():
            self.store.release_annual_leave(request["nip"], int(year), int(days), request["id"])
