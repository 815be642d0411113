"""CSV import of employees: create or update by NIP, line by line.

The file is parsed and checked as a whole first (identity.domain.csv_import);
a file that cannot be read is refused before anything is written. Then every
good line is planned against the database plus the lines planned before it
(supervisors defined later in the same file are applied first), and only the
plan is written: new employees in one batch insert, changed ones in one bulk
update (each at the revision it was planned from), each document carrying its
own event. A bad line is reported and skipped; it never blocks the good ones. A line that changes nothing is not
written at all, so re-importing the same file reports ``updated: 0``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .domain.csv_import import ImportRow, LineError, parse_employee_csv
from .domain.employment import InvalidSpan, opened, spans_of, today_in, with_start
from .domain.fields import diff
from .domain.hierarchy import resolve_import_order, would_create_cycle
from .events import employee_event
from .store import IdentityStore, audit_entry, revision

IMPORT_MAX_BYTES = 5_000_000
IMPORT_MAX_ROWS = 20_000
IMPORTED_FIELDS = ("name", "unit_code", "position", "supervisor_nip", "email")
CHANGED_FIELDS = IMPORTED_FIELDS + ("employment",)  # employment: a line's active_from (TMT)
AUDITED_FIELDS = ("nip", "name", "unit_code", "position", "supervisor_nip", "email", "roles", "active", "employment")


@dataclass
class _Plan:
    creates: list[tuple[ImportRow, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[ImportRow, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)


class _Hierarchy:
    """Who reports to whom: the database, overlaid with the lines planned so far."""

    def __init__(self, store: IdentityStore, nips: list[str]):
        self._store = store
        found = store.employees_by_nip(nips)
        self._docs: dict[str, dict[str, Any] | None] = {nip: found.get(nip) for nip in nips}

    def doc(self, nip: str) -> dict[str, Any] | None:
        if nip not in self._docs:
            self._docs[nip] = self._store.get_employee(nip)
        return self._docs[nip]

    def supervisor_of(self, nip: str) -> str | None:
        doc = self.doc(nip)
        return doc.get("supervisor_nip") if doc else None

    def plan(self, nip: str, doc: dict[str, Any]) -> None:
        self._docs[nip] = doc


def import_employees(store: IdentityStore, data: bytes, *, actor: str, request_id: str | None,
                     timezone: str | None = None) -> dict[str, Any]:
    """Answers ``{created, updated, unchanged, errors: [{line, message}]}``; raises CsvRejected for the file."""
    parsed = parse_employee_csv(data, max_bytes=IMPORT_MAX_BYTES, max_rows=IMPORT_MAX_ROWS)
    plan = _plan(store, parsed.rows, today_in(timezone) if timezone else today_in())
    plan.errors[:0] = parsed.errors
    created, updated = _write(store, plan, actor=actor, request_id=request_id)
    return {"created": created, "updated": updated, "unchanged": plan.unchanged,
            "errors": [e.as_dict() for e in sorted(plan.errors, key=lambda e: e.line)]}


def _plan(store: IdentityStore, rows: list[ImportRow], today) -> _Plan:
    plan = _Plan()
    order = resolve_import_order(rows)
    for row in order.cyclic:
        plan.errors.append(LineError(row.line, f"supervisor_cycle: the supervisor chain of {row.nip} "
                                               "within this file loops back to it", "supervisor_nip"))
    referenced = [r.nip for r in rows] + [r.supervisor_nip for r in rows if r.supervisor_nip]
    hierarchy = _Hierarchy(store, referenced)
    units = store.existing_unit_codes({r.unit_code for r in rows})

    for row in order.ordered:
        message = _refuse(row, units, hierarchy)
        if message:
            plan.errors.append(LineError(row.line, message))
            continue
        values = {f: getattr(row, f) for f in IMPORTED_FIELDS}
        before = hierarchy.doc(row.nip)
        if before is None:
            start = date.fromisoformat(row.active_from) if row.active_from else today
            employee = {"nip": row.nip, **values, "roles": ["employee"], "active": True,
                        "password_hash": None, "password_change_required": False, "employment": opened(start)}
            plan.creates.append((row, employee))
            hierarchy.plan(row.nip, employee)
            continue
        if row.active_from:
            try:
                values["employment"] = with_start(spans_of(before), date.fromisoformat(row.active_from))
            except InvalidSpan as exc:
                plan.errors.append(LineError(row.line, f"invalid_employment_span: {exc.reason}", "active_from"))
                continue
        if diff(before, values, CHANGED_FIELDS if "employment" in values else IMPORTED_FIELDS):
            after = {**before, **values}
            plan.updates.append((row, before, after))
            hierarchy.plan(row.nip, after)
        else:
            plan.unchanged += 1
    return plan


def _refuse(row: ImportRow, units: set[str], hierarchy: _Hierarchy) -> str | None:
    """Why this line cannot be applied, or None."""
    if row.unit_code not in units:
        return f"unknown_unit: unit {row.unit_code} does not exist"
    if row.supervisor_nip:
        sup = hierarchy.doc(row.supervisor_nip)
        if sup is None:
            return (f"unknown_supervisor: no employee with NIP {row.supervisor_nip} "
                    "(neither in the system nor on a good line of this file)")
        if not sup.get("active", False):
            return f"inactive_supervisor: employee {row.supervisor_nip} is not active"
        if would_create_cycle(row.nip, row.supervisor_nip, hierarchy.supervisor_of):
            return f"supervisor_cycle: {row.supervisor_nip} reports (directly or not) to {row.nip}"
    return None


def _write(store: IdentityStore, plan: _Plan, *, actor: str, request_id: str | None) -> tuple[int, int]:
    existed = store.insert_employees([(e, employee_event("created", e, request_id)) for _r, e in plan.creates])
    changed_meanwhile = store.update_employees(
        [(before["_id"], revision(before), {f: after[f] for f in diff(before, after, CHANGED_FIELDS)},
          employee_event("updated", after, request_id)) for _r, before, after in plan.updates])
    audit = []
    for row, employee in plan.creates:
        if row.nip in existed:
            plan.errors.append(LineError(row.line, f"employee {row.nip} was created by someone else meanwhile; "
                                                   "import the file again"))
        else:
            audit.append(audit_entry(actor=actor, action="import", entity="employee", entity_id=row.nip,
                                     changes=diff(None, employee, AUDITED_FIELDS), request_id=request_id))
    for row, before, after in plan.updates:
        if row.nip in changed_meanwhile:
            plan.errors.append(LineError(row.line, f"employee {row.nip} was changed by someone else meanwhile; "
                                                   "import the file again"))
            continue
        audit.append(audit_entry(actor=actor, action="import", entity="employee", entity_id=row.nip,
                                 changes=diff(before, after, CHANGED_FIELDS), request_id=request_id))
    store.audit_many(audit)
    return len(plan.creates) - len(existed), len(plan.updates) - len(changed_meanwhile)
