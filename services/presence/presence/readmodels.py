"""Packed read models for the bulk jobs: the employee roll and the day sheets.

Why: FerretDB 1.24 (dev/CI) serves only ``{_id: ...}`` filters from an index
and decodes every document any other query scans, at roughly 10,000 documents
a second. Closing a day for 100,000 employees from one document per employee
and per check-in took ~20-30 s. These models pack the same facts into a few
thousand documents that the close reads by ``_id``:

* the **roll**: every active employee's unit and name
  (``"<unit_code>|<since>|<name>"``, ``since`` = the date the employee moved into
  that unit, empty if unknown),
  in 1,000 buckets by a hash of the NIP; office overrides sit in their own small
  collection;
* the **day sheets**: per date, unit and one of 8 parts, each check-in
  (``"<mode>|<late>|<early or empty>"``) and each approved leave day (its type),
  with a per-date index of the sheets that exist.

Who writes: only the presence worker, one thread at a time (``lock``): the
outbox relay calls ``on_relayed`` once per pass with the check-in and
leave-request events it has published (before it deletes their outbox entries,
so a crash repeats the writes; every write sets fields from the documents'
current state, one update per sheet, so repeats and reordering converge), and the event consumer calls ``sync_employee`` after
an identity event. FerretDB loses concurrent updates of one document, hence
the single writer; on MongoDB the per-field ``$set`` / ``$unset`` are atomic.

Completeness: a check-in is in its sheet once the relay handled it, i.e. once
its outbox entry is gone. ``day_inputs`` therefore first lists the outbox entries
still pending and reads *their* documents directly, then reads the sheets
(an entry relayed in between is in the sheets by then).

``rebuild_if_needed`` (worker start, before the relay and the consumer run)
fills both from full scans once and records ``sheets_since``; days before it
are closed from the full collections as before (``Store.close_inputs``).
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any, Callable

from .store import CHECK_INS, LEAVE_REQUESTS, Store, roll_bucket, sheet_id, utcnow

CHECK_IN_FIELD = "c"
LEAVE_FIELD = "l"


def check_in_entry(doc: dict[str, Any]) -> str:
    out = doc.get("check_out")
    early = "" if not out else str(out.get("early_leave_minutes") or 0)
    return f"{doc.get('mode') or ''}|{doc.get('late_minutes') or 0}|{early}"


ROLL_VERSION = 2  # "<unit>|<since>|<name>"; a worker finding another version rebuilds


def roll_value(unit: str | None, since: str, name: str | None) -> str:
    return f"{unit or ''}|{since}|{name or ''}"


def parse_roll(value: str) -> tuple[str | None, str, str | None]:
    """(unit_code, since, name); the name may itself contain "|"."""
    unit, since, name = (value.split("|", 2) + ["", ""])[:3]
    return unit or None, since, name or None


def leave_on(store: Store, request: dict[str, Any], day: str) -> str | None:
    """The leave type of the request's employee on ``day`` as this request leaves it: its type while it is
    approved; otherwise that of another request approved since (its leave day is the record), else None,
    so a late event of a cancelled or rejected request never clears someone else's approval."""
    if request.get("state") == "approved":
        return request["type"]
    other = store.leave_day(request["nip"], day)
    if other is not None and other.get("leave_request_id") != request["_id"]:
        return other.get("type")
    return None


def checked_out(entry: str) -> bool:
    return entry.rsplit("|", 1)[-1] != ""


def _days(start: str, end: str) -> list[str]:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


class ReadModels:
    def __init__(self, store_factory: Callable[[], Store], lock: threading.RLock | None = None):
        self._store = store_factory
        self._lock = lock or threading.RLock()  # sync_employee holds it while _apply takes it again
        self._indexed: set[str] = set()  # sheet ids this process already put in the index

    # --- writers (the presence worker only) ------------------------------------
    def on_relayed(self, entries: list[dict[str, Any]]) -> None:
        """Outbox relay hook: these entries' events were published (one relay pass). The check-ins and
        leave requests are read now and their fields written sheet by sheet, one update per sheet."""
        store = self._store()
        writes: dict[str, dict[str, str | None]] = {}
        keys = [e["doc_id"] for e in entries if e["collection"] == CHECK_INS]
        for doc in store.point_reads(CHECK_INS, keys):
            day, nip = doc["date"], doc["nip"]
            writes.setdefault(sheet_id(day, doc.get("unit_code"), nip), {})[f"{CHECK_IN_FIELD}.{nip}"] = \
                check_in_entry(doc)
        requests = [e["doc_id"] for e in entries if e["collection"] == LEAVE_REQUESTS]
        for request in store.point_reads(LEAVE_REQUESTS, requests):
            self._leave_fields(store, request, writes)
        self._apply(store, writes)

    @staticmethod
    def _leave_fields(store: Store, request: dict[str, Any], writes: dict[str, dict[str, str | None]]) -> None:
        nip = request["nip"]
        unit = request.get("unit_code")
        if unit is None:  # requests filed before unit_code was recorded on them
            unit = (store.get_employee(nip) or {}).get("unit_code")
        for day in _days(request["start_date"], request["end_date"]):
            writes.setdefault(sheet_id(day, unit, nip), {})[f"{LEAVE_FIELD}.{nip}"] = leave_on(store, request, day)

    def _apply(self, store: Store, writes: dict[str, dict[str, str | None]]) -> None:
        """One update per sheet, then its write count (after: see pack_day), then the day's index."""
        with self._lock:
            for sheet, fields in writes.items():
                store.set_sheet_fields(sheet, fields)
                store.count_sheet_write(sheet)
                if sheet not in self._indexed and any(v is not None for v in fields.values()):
                    store.index_sheet(sheet.split(":", 1)[0], sheet)
                    if len(self._indexed) > 200_000:
                        self._indexed.clear()
                    self._indexed.add(sheet)

    def sync_employee(self, nip: str, occurred_at: str) -> None:
        """After an identity event: the roll entry from our current copy of the employee."""
        store = self._store()
        employee = store.get_employee(nip)
        with self._lock:
            if employee is None or not employee.get("active", True):
                store.set_roll_entry(nip, None)
                return
            unit = employee.get("unit_code") or None
            before = store.roll_entry(nip)
            since = ""
            if before is not None:
                old_unit, old_since, _ = parse_roll(before)
                since = old_since if old_unit == unit else occurred_at[:10]
                if old_unit != unit:
                    self._carry_over(store, nip, old_unit, unit, occurred_at[:10])
            store.set_roll_entry(nip, roll_value(unit, since, employee.get("name")))

    def _carry_over(self, store: Store, nip: str, old_unit: str | None, new_unit: str | None, moved_on: str) -> None:
        """A unit move: copy the employee's entries of this and last month into the new unit's sheets, so
        the new unit's recap of those months has the days before the move (the old sheets keep theirs)."""
        moved = date.fromisoformat(moved_on)
        first = (moved.replace(day=1) - timedelta(days=1)).replace(day=1)
        days = _days(first.isoformat(), (moved + timedelta(days=1)).isoformat())
        writes: dict[str, dict[str, str | None]] = {}
        for old in store.sheets([sheet_id(day, old_unit, nip) for day in days]):
            day = old["_id"].split(":", 1)[0]
            for field in (CHECK_IN_FIELD, LEAVE_FIELD):
                value = (old.get(field) or {}).get(nip)
                if value is not None:
                    writes.setdefault(sheet_id(day, new_unit, nip), {})[f"{field}.{nip}"] = value
        self._apply(store, writes)

    def rebuild_if_needed(self, today: date) -> bool:
        """Fill the roll and the sheets from full scans once (worker start, before anything else writes
        them): built in memory, written with bulk inserts."""
        store = self._store()
        state = store.read_model_state()
        if state.get("sheets_since") and state.get("roll_version") == ROLL_VERSION:
            return False
        since = (today - timedelta(days=1)).isoformat()
        employees, check_ins, requests = store.scan_for_rebuild(since)
        roll: dict[str, dict[str, str]] = {}
        for emp in employees:
            roll.setdefault(roll_bucket(emp["_id"]), {})[emp["_id"]] = roll_value(emp.get("unit_code"), "",
                                                                                 emp.get("name"))
            if emp.get("office_override"):
                store.set_office_override_entry(emp["_id"], emp["office_override"])
        sheets: dict[str, dict[str, dict[str, str]]] = {}

        def put(day: str, unit: str | None, nip: str, field: str, value: str) -> None:
            sheet = sheets.setdefault(sheet_id(day, unit, nip), {CHECK_IN_FIELD: {}, LEAVE_FIELD: {}})
            sheet[field][nip] = value

        for doc in check_ins:
            put(doc["date"], doc.get("unit_code"), doc["nip"], CHECK_IN_FIELD, check_in_entry(doc))
        units = {e["_id"]: e.get("unit_code") for e in employees}
        for request in requests:
            unit = request["unit_code"] if "unit_code" in request else units.get(request["nip"])
            for day in _days(max(request["start_date"], since), request["end_date"]):
                put(day, unit, request["nip"], LEAVE_FIELD, request["type"])
        with self._lock:
            store.replace_roll(roll)
            store.replace_sheets(sheets)
        store.set_read_model_state(roll_built_at=utcnow(), sheets_since=since, roll_version=ROLL_VERSION)
        return True

    def pack_roll(self) -> int:
        return self._store().pack_roll()

    def pack_day(self, day: str) -> int:
        """Pack the day's sheets whose packed copy is missing or stale; returns how many were packed.

        Order matters: the count is read *before* the sheet, and writers bump it *after* writing
        the sheet, so a copy stamped with count k holds every write up to k (perhaps more); a
        reader uses it only while the count is still k. Only the worker packs (periodic job)."""
        store = self._store()
        ids = store.sheet_ids(day)
        counts = store.sheet_counts(sorted({i.rsplit(":", 1)[0] for i in ids}))
        packed = store.packed_sheets(ids)
        done = 0
        for sheet in ids:
            prefix, part = sheet.rsplit(":", 1)
            count = counts.get(prefix, {}).get(f"p{part}")
            if count is None or packed.get(sheet, {}).get("n") == count:
                continue
            found = store.sheets([sheet])
            if not found:
                continue
            fields = {f: ";".join(f"{nip}={value}" for nip, value in (found[0].get(f) or {}).items())
                      for f in (CHECK_IN_FIELD, LEAVE_FIELD)}
            store.put_packed_sheet({"_id": sheet, "n": count, **fields})
            done += 1
        return done

    # --- readers (any process) -------------------------------------------------
    @staticmethod
    def _covers(store: Store, day: str) -> bool:
        state = store.read_model_state()
        return state.get("roll_version") == ROLL_VERSION and bool(state.get("sheets_since")) \
            and day >= state["sheets_since"]

    def unit_members(self, unit_code: str) -> list[dict[str, Any]] | None:
        """The unit's active employees from the roll (sorted by name), or None before it was built."""
        store = self._store()
        if store.read_model_state().get("roll_version") != ROLL_VERSION:
            return None
        overrides = store.office_overrides()
        members = []
        for nip, value in store.roll().items():
            unit, _since, name = parse_roll(value)
            if unit == unit_code:
                members.append({"_id": nip, "nip": nip, "name": name, "unit_code": unit,
                                "office_override": overrides.get(nip)})
        return sorted(members, key=lambda e: (e["name"] or "", e["_id"]))

    def day_inputs(self, day: str) -> tuple[list[dict[str, Any]], dict[str, bool], set[str]] | None:
        """(active employees, {nip: checked_out} of the day's check-ins, nips on approved leave) from the
        read models, or None when they do not cover ``day`` (then the caller scans)."""
        store = self._store()
        if not self._covers(store, day):
            return None
        pending = store.pending_outbox([CHECK_INS, LEAVE_REQUESTS])  # before the sheets: see the module doc
        overrides = store.office_overrides()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="roll") as pool:
            roll = pool.submit(store.roll)  # FerretDB decodes it on one core while the sheets use the other
            sheets = store.sheets(store.sheet_ids(day))
            employees = [{"_id": nip, "unit_code": parse_roll(value)[0], "office_override": overrides.get(nip)}
                         for nip, value in roll.result().items()]
        check_ins: dict[str, bool] = {}
        leave: dict[str, str] = {}
        for sheet in sheets:
            for nip, value in (sheet.get(CHECK_IN_FIELD) or {}).items():
                check_ins[nip] = checked_out(value)
            leave.update(sheet.get(LEAVE_FIELD) or {})
        for entry in pending:
            if entry["collection"] == CHECK_INS:
                nip, entry_day = entry["doc_id"].split(":", 1)
                doc = store.get_check_in(nip, entry_day) if entry_day == day else None
                if doc is not None:
                    check_ins[nip] = bool(doc.get("check_out"))
            else:
                request = store.get_leave_request(entry["doc_id"])
                if request and request["start_date"] <= day <= request["end_date"]:
                    kind = leave_on(store, request, day)
                    if kind is not None:
                        leave[request["nip"]] = kind
                    else:
                        leave.pop(request["nip"], None)
        return employees, check_ins, set(leave)

    def month_facts(self, employees: list[dict[str, Any]], first: str, last: str
                    ) -> tuple[dict[str, dict[str, dict[str, Any]]], dict[str, dict[str, str]]] | None:
        """({nip: {date: check-in facts}}, {nip: {date: leave type}}) of these employees from first..last,
        read from their units' day sheets, or None when the sheets do not cover the range."""
        store = self._store()
        if not self._covers(store, first):
            return None
        nips = {e["_id"] for e in employees}
        pending = store.pending_outbox([CHECK_INS, LEAVE_REQUESTS])  # before the sheets: see the module doc
        # each member's sheet of a day is known (date, unit, part of the NIP): point reads, no index
        # documents; a 4,000-employee unit's month is 30 x 8 sheets, a small team's a few per day
        days = _days(first, last)
        homes = {sheet_id("", e.get("unit_code"), e["_id"]) for e in employees}  # ":<unit>:<part>" each
        ids = sorted(day + home for day in days for home in homes)
        counts = store.sheet_counts(sorted({i.rsplit(":", 1)[0] for i in ids}))
        written = {i: counts[p][f"p{n}"] for i in ids for p, n in [i.rsplit(":", 1)]
                   if f"p{n}" in counts.get(p, {})}  # sheets never written are not read at all
        packed = store.packed_sheets(sorted(written))
        fresh = [packed[i] for i in written if packed.get(i, {}).get("n") == written[i]]
        sheets = [{"_id": d["_id"], **{f: dict(pair.split("=", 1) for pair in d[f].split(";") if pair)
                                       for f in (CHECK_IN_FIELD, LEAVE_FIELD)}} for d in fresh]
        sheets += store.sheets(sorted(set(written) - {d["_id"] for d in fresh}))
        check_ins: dict[str, dict[str, dict[str, Any]]] = {}
        leave: dict[str, dict[str, str]] = {}
        parsed: dict[str, dict[str, Any]] = {}  # most entries repeat ("WFO|0|0"); read-only facts, shared
        for sheet in sheets:
            day = sheet["_id"].split(":", 1)[0]
            for nip, value in (sheet.get(CHECK_IN_FIELD) or {}).items():
                if nip in nips:
                    facts = parsed.get(value)
                    if facts is None:
                        facts = parsed[value] = check_in_facts(value)
                    check_ins.setdefault(nip, {})[day] = facts
            for nip, kind in (sheet.get(LEAVE_FIELD) or {}).items():
                if nip in nips:
                    leave.setdefault(nip, {})[day] = kind
        for entry in pending:
            if entry["collection"] == CHECK_INS:
                nip, day = entry["doc_id"].split(":", 1)
                doc = store.get_check_in(nip, day) if nip in nips and first <= day <= last else None
                if doc is not None:
                    check_ins.setdefault(nip, {})[day] = check_in_facts(check_in_entry(doc))
            else:
                request = store.get_leave_request(entry["doc_id"])
                if request is None or request["nip"] not in nips:
                    continue
                for day in _days(max(first, request["start_date"]), min(last, request["end_date"])):
                    kind = leave_on(store, request, day)
                    if kind is not None:
                        leave.setdefault(request["nip"], {})[day] = kind
                    else:
                        leave.get(request["nip"], {}).pop(day, None)
        return check_ins, leave


def check_in_facts(entry: str) -> dict[str, Any]:
    """A sheet entry back as the fields of a check-in the recap reads."""
    mode, late, early = entry.split("|")
    return {"mode": mode or None, "late_minutes": int(late or 0),
            "check_out": {"early_leave_minutes": int(early)} if early != "" else None}
