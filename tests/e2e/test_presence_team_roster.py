"""The supervisor's roster view through the gateway: GET /team/roster (direct subordinates only)."""
from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from e2e.presence_common import admin, api, db, iso, today  # noqa: F401 - fixtures by name
from e2e.test_presence_roster import generate, make_unit, signed_in, staff  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e


def team_roster(api, headers, **params):
    return requests.get(f"{api}/team/roster", params=params, headers=headers, timeout=10)


def test_supervisor_sees_the_roster_of_direct_subordinates_only(api, admin, db, make_unit, staff):
    unit = make_unit()
    boss = signed_in(staff(unit, 1)[0])
    team = staff(unit, 4, supervisor_nip=boss["nip"])
    outsider = staff(unit, 1)[0]  # same unit, not reporting to the boss
    start, end = today(), today() + timedelta(days=4)
    assert generate(api, admin, unit, start, end, 0.5).status_code == 200

    resp = team_roster(api, boss["headers"], **{"from": iso(start), "to": iso(end)})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["supervisor_nip"], body["from"], body["to"]) == (boss["nip"], iso(start), iso(end))
    rows = {row["nip"]: row["days"] for row in body["items"]}
    assert set(rows) == {p["nip"] for p in team} and outsider["nip"] not in rows
    stored = {(d["nip"], d["date"]): d["mode"] for d in db.rosters.find({"nip": {"$in": list(rows)}})}
    assert rows == {nip: {d: stored[(nip, d)] for (n, d) in stored if n == nip} for nip in rows}
    assert all(len(days) == 5 for days in rows.values())

    # default range: today and the next 13 days
    default = team_roster(api, boss["headers"]).json()
    assert (default["from"], default["to"]) == (iso(today()), iso(today() + timedelta(days=13)))

    # an admin may look at anyone's team; nobody else may
    as_admin = team_roster(api, admin, supervisor_nip=boss["nip"], **{"from": iso(start), "to": iso(end)})
    assert as_admin.status_code == 200 and {r["nip"] for r in as_admin.json()["items"]} == set(rows)
    member = signed_in(team[0])
    empty = team_roster(api, member["headers"])
    assert empty.status_code == 200 and empty.json()["items"] == []  # nobody reports to them
    resp = team_roster(api, member["headers"], supervisor_nip=boss["nip"])
    assert resp.status_code == 403 and resp.json()["error"] == "forbidden"


def test_bad_team_roster_queries_get_422(api, make_unit, staff):
    unit = make_unit()
    boss = signed_in(staff(unit, 1)[0])
    staff(unit, 1, supervisor_nip=boss["nip"])
    for params in ({"from": "2026-02-30"}, {"from": iso(today()), "to": iso(today() - timedelta(days=1))},
                   {"from": iso(today()), "to": iso(today() + timedelta(days=400))}, {"supervisor_nip": "123"},
                   {"unit_code": "X"}):
        resp = team_roster(api, boss["headers"], **params)
        assert resp.status_code == 422, (params, resp.text)
        assert resp.headers["Content-Type"].startswith("application/json")
