"""Presensi shift: a fair, deterministic WFO/WFH roster for a unit.

Rules implemented by ``generate_roster``, per day:

* Only staff *available* that day (not on approved leave) get an entry;
  people on leave are absent from that day's mapping.
* ``quota = ceil(wfo_ratio x available)`` of them are WFO, computed exactly
  with fractions (``0.3 x 10 == 3``, not 4).
* ``pinned_wfo`` staff are always WFO and count towards the quota; if they
  alone exceed it, they still all work from the office (the day then has
  more WFO than the quota).  ``pinned_wfh`` staff are always WFH; if they
  leave too few others to fill the quota, every remaining non-pinned person
  is WFO and the day has fewer WFO than the quota.
* The remaining WFO places go to the available non-pinned staff with the
  fewest WFO days so far; ties are broken by a stable SHA-256 hash of
  ``seed``, the date and the NIP (a different order every day, the same
  order for the same input -- never Python's randomised ``hash()``).

Fairness guarantee (non-pinned staff): if employee *Y* was available on
every day employee *X* was available, then at the end of the period (and
after every day) ``wfo(X) <= wfo(Y) + 1``.  In particular two employees
available on the same days -- e.g. everyone without leave -- differ by at
most one WFO day, and taking leave never earns anyone more WFO days than a
colleague who was present throughout.  (Staff whose leave falls on
*different* days may differ by more: someone away during the period cannot
catch up on days they were away.)

The result depends only on the *content* of the input: staff and days are
sorted, sets are order-free.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .schedule import working_days  # noqa: F401  (re-exported: roster periods)
from .status import WorkMode

Roster = dict[date, dict[str, str]]

_WFO = WorkMode.WFO.value
_WFH = WorkMode.WFH.value


def exact_ratio(wfo_ratio: object) -> Fraction:
    """The ratio as an exact fraction in (0, 1].

    Floats are read by their shortest decimal form (``0.3`` -> 3/10), so the
    binary approximation never leaks into the quota.  Strings, ints,
    ``Decimal`` and ``Fraction`` are accepted too.
    """
    if isinstance(wfo_ratio, bool):
        raise ValueError("wfo_ratio must be a number")
    try:
        if isinstance(wfo_ratio, float):
            if not math.isfinite(wfo_ratio):
                raise ValueError
            ratio = Fraction(repr(wfo_ratio))
        elif isinstance(wfo_ratio, (int, Fraction)):
            ratio = Fraction(wfo_ratio)
        elif isinstance(wfo_ratio, Decimal):
            if not wfo_ratio.is_finite():
                raise ValueError
            ratio = Fraction(wfo_ratio)
        elif isinstance(wfo_ratio, str):
            ratio = Fraction(Decimal(wfo_ratio.strip())) if wfo_ratio.strip() else None
            if ratio is None:
                raise ValueError
        else:
            raise ValueError
    except (ValueError, ArithmeticError, TypeError):
        raise ValueError(f"invalid wfo_ratio {wfo_ratio!r}") from None
    if not 0 < ratio <= 1:
        raise ValueError("wfo_ratio must be greater than 0 and at most 1")
    return ratio


def wfo_quota(wfo_ratio: object, available: int) -> int:
    """``ceil(wfo_ratio x available)``, exactly."""
    if isinstance(available, bool) or not isinstance(available, int) or available < 0:
        raise ValueError("available must be a non-negative integer")
    return math.ceil(exact_ratio(wfo_ratio) * available)


def _tiebreak(seed: str, day: date, nip: str) -> bytes:
    return hashlib.sha256(f"{seed}\x1f{day.isoformat()}\x1f{nip}".encode()).digest()


def generate_roster(
    staff: Iterable[str],
    days: Iterable[date],
    wfo_ratio: object,
    on_leave: Mapping[date, Collection[str]] | None = None,
    pinned_wfo: Collection[str] = frozenset(),
    pinned_wfh: Collection[str] = frozenset(),
    seed: str = "",
) -> Roster:
    """Assign WFO/WFH to every available employee on every given day.

    ``days`` should already be the working days (see ``working_days``).
    Returns ``{day: {nip: "WFO"|"WFH"}}`` with days ascending and NIPs sorted;
    a day where everyone is on leave maps to ``{}``.

    Raises ``ValueError`` for duplicate staff or days, a ratio outside
    (0, 1], an employee pinned both ways, or a pinned NIP not in ``staff``.
    NIPs in ``on_leave`` that are not in ``staff`` (or dates not in ``days``)
    are ignored.
    """
    staff_list = list(staff)
    members = sorted(set(staff_list))
    if len(members) != len(staff_list):
        raise ValueError("staff contains duplicates")
    day_list = list(days)
    ordered_days = sorted(set(day_list))
    if len(ordered_days) != len(day_list):
        raise ValueError("days contains duplicates")
    ratio = exact_ratio(wfo_ratio)
    if not isinstance(seed, str):
        raise ValueError("seed must be a string")
    always_wfo, always_wfh = frozenset(pinned_wfo), frozenset(pinned_wfh)
    if always_wfo & always_wfh:
        raise ValueError("an employee cannot be pinned to both WFO and WFH")
    unknown = (always_wfo | always_wfh) - set(members)
    if unknown:
        raise ValueError(f"pinned NIP(s) not in staff: {', '.join(sorted(unknown))}")
    leave = on_leave or {}

    wfo_days = {nip: 0 for nip in members}
    roster: Roster = {}
    for day in ordered_days:
        away = leave.get(day, ())
        available = [nip for nip in members if nip not in away]
        quota = math.ceil(ratio * len(available))
        office = [nip for nip in available if nip in always_wfo]
        candidates = [nip for nip in available if nip not in always_wfo and nip not in always_wfh]
        places = min(max(quota - len(office), 0), len(candidates))
        candidates.sort(key=lambda nip: (wfo_days[nip], _tiebreak(seed, day, nip)))
        chosen = set(office) | set(candidates[:places])
        for nip in candidates[:places]:
            wfo_days[nip] += 1
        roster[day] = {nip: (_WFO if nip in chosen else _WFH) for nip in available}
    return roster


def wfo_counts(roster: Mapping[date, Mapping[str, str]]) -> dict[str, int]:
    """WFO days per NIP over a roster (NIPs that appear only as WFH get 0)."""
    counts: dict[str, int] = {}
    for assignments in roster.values():
        for nip, mode in assignments.items():
            counts[nip] = counts.get(nip, 0) + (mode == _WFO)
    return dict(sorted(counts.items()))
