"""What follows a leave decision or cancellation: the request's leave days and the days already settled.

The decision (or cancellation) and its event are one write (the outbox); the leave days and the
re-settlement are later writes. The API does them at once; the worker does them again when the
decision's own event (``presence.leave.decided`` / ``presence.leave.cancelled``) comes back from the
broker, so a crash between the decision and these writes is repaired instead of leaving an approved
request without its days (the day would count as tanpa keterangan), or a rejected request holding
annual leave it no longer needs. Both runs derive everything
from the request's state *now*, so running twice, or in either order, ends the same.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .domain.leave import LeaveState
from .settlement import DaySettlement
from .store import day_key


def request_days(request: dict[str, Any]) -> list[str]:
    start, end = date.fromisoformat(request["start_date"]), date.fromisoformat(request["end_date"])
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def follow(store, directory, request_id: str, annual_leave=None) -> None:
    """Make the request's leave days match its state: an approved request has its days (and its days
    closed already are settled again); a rejected or cancelled one has none, and its held annual leave
    is given back (``annual_leave``: ``AnnualLeave``)."""
    request = store.get_leave_request(request_id)
    if request is None or request["state"] == LeaveState.PENDING.value:
        return
    days = request_days(request)
    keys = [day_key(request["nip"], d) for d in days]
    if request["state"] == LeaveState.APPROVED.value:
        store.insert_leave_days([{"_id": key, "nip": request["nip"], "date": d, "type": request["type"],
                                  "leave_request_id": request_id} for key, d in zip(keys, days)])
        # A cancel may have won between our read and these inserts, and removed the days before we
        # wrote them: then take them back, so leave days exist only while the request is approved.
        if (store.get_leave_request(request_id) or {}).get("state") == LeaveState.APPROVED.value:
            DaySettlement(store, directory).resettle(request["nip"], days)
        else:
            store.delete_leave_days(request_id, keys)  # (a cancel comes before the start: nothing settled)
        return
    if annual_leave is not None:
        annual_leave.give_back(request)
    if request["state"] == LeaveState.CANCELLED.value:  # a rejected request never had days
        store.delete_leave_days(request_id, keys)  # before its start: none of its days was settled
