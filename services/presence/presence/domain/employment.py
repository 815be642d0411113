"""Whether an employee counts on a day: the employment spans identity sends with every employee
event (``employment: [{"from": "YYYY-MM-DD", "until": "YYYY-MM-DD" | null}]``, see
docs/domain-rules.md). A day outside every span is ``not_employed``: never an absence, not a
working day in any count, no deduction.

A copy without ``employment`` (stored before identity sent spans) counts every day, as before;
``python -m identity.replay`` sends the spans of everyone.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["Employment", "employment_of"]


@dataclass(frozen=True)
class Employment:
    spans: tuple[tuple[date, date | None], ...] | None  # None: unknown, every day counts

    def employed_on(self, day: date) -> bool:
        if self.spans is None:
            return True
        return any(start <= day and (end is None or day <= end) for start, end in self.spans)

    def why_not(self, day: date) -> tuple[str, date | None]:
        """For a day outside the spans: ``("before", first day)``, ``("after", last day)`` or
        ``("between", the next first day)``."""
        spans = self.spans or ()
        if not spans or day < spans[0][0]:
            return "before", spans[0][0] if spans else None
        later = [start for start, _end in spans if start > day]
        if later:
            return "between", later[0]
        return "after", spans[-1][1]

    def overlaps(self, first: date, last: date) -> bool:
        return self.spans is None or any(start <= last and (end is None or first <= end) for start, end in self.spans)

    def days_changed(self, other: "Employment", candidates: Iterable[date]) -> list[date]:
        """Those of ``candidates`` on which this and ``other`` disagree."""
        return [d for d in candidates if self.employed_on(d) != other.employed_on(d)]


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def employment_of(employee: Mapping[str, Any] | None) -> Employment:
    """The spans of presence's copy of an employee (malformed spans are left out)."""
    raw = (employee or {}).get("employment")
    if raw is None or not isinstance(raw, list):
        return Employment(None)
    spans = []
    for span in raw:
        if not isinstance(span, Mapping):
            continue
        start, end = _day(span.get("from")), _day(span.get("until"))
        if start is not None and (span.get("until") is None or end is not None):
            spans.append((start, end))
    return Employment(tuple(sorted(spans)))
