"""Annual leave (cuti tahunan) balance and leave attachments through the gateway: 12 days a year plus
at most 6 carried over, checked on request (422 with the remaining days, decided in the database
when requests race), given back on reject and cancel; a file checked by its content, downloaded by
the employee, the direct supervisor and admins only."""
from __future__ import annotations

import pytest
import requests
from support import race

from e2e.presence_common import admin, api, db  # noqa: F401 - fixtures by name
from e2e.test_presence_leave import decide, person, unit  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def ask(api, who, start: str, end: str, type_: str = "cuti"):
    return requests.post(f"{api}/leave-requests", headers=who["headers"], timeout=10, json={
        "type": type_, "start_date": start, "end_date": end, "reason": "keperluan keluarga"})


def balance(api, who, year: int) -> dict:
    resp = requests.get(f"{api}/me/leave-balance", params={"year": year}, headers=who["headers"], timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_the_balance_is_held_checked_and_given_back(api, person):
    boss = person()
    me = person(supervisor_nip=boss["nip"])
    # an office where every day is a working day: a request of n calendar days takes n working days
    assert balance(api, me, 2031) == {"year": 2031, "entitlement": 12, "carried_over": 6, "available": 18,
                                      "taken": 0, "pending": 0, "remaining": 18, "carry_over_max": 6}
    first = ask(api, me, "2031-03-03", "2031-03-12")
    assert first.status_code == 201 and first.json()["annual_days"] == {"2031": 10}, first.text
    assert (balance(api, me, 2031)["pending"], balance(api, me, 2031)["remaining"]) == (10, 8)
    too_many = ask(api, me, "2031-04-01", "2031-04-09")
    assert too_many.status_code == 422, too_many.text
    body = too_many.json()
    assert (body["error"], body["remaining_days"], body["requested_days"], body["year"]) == (
        "leave_balance_exceeded", 8, 9, 2031)
    assert "8 hari kerja" in body["message"]
    english = requests.post(f"{api}/leave-requests", headers={**me["headers"], "Accept-Language": "en"}, timeout=10,
                            json={"type": "cuti", "start_date": "2031-04-01", "end_date": "2031-04-09",
                                  "reason": "x"}).json()
    assert english["message"].startswith("You have 8 working days of annual leave left in 2031")
    second = ask(api, me, "2031-04-01", "2031-04-08")
    assert second.status_code == 201, second.text
    assert balance(api, me, 2031)["remaining"] == 0
    # other kinds of leave take nothing from it
    assert ask(api, me, "2031-05-01", "2031-05-03", "sakit").status_code == 201
    # rejected: the days come back; approved: taken
    assert decide(api, boss["headers"], first.json()["id"], approved=False).status_code == 200
    assert balance(api, me, 2031)["remaining"] == 10
    assert decide(api, boss["headers"], second.json()["id"], approved=True).status_code == 200
    assert (balance(api, me, 2031)["taken"], balance(api, me, 2031)["remaining"]) == (8, 10)
    # cancelled (before its start): the days come back too
    cancelled = requests.post(f"{api}/leave-requests/{second.json()['id']}/cancel", headers=me["headers"], timeout=10)
    assert cancelled.status_code == 200, cancelled.text
    assert balance(api, me, 2031)["remaining"] == 18


def test_carry_over_is_what_the_year_before_left_at_most_six(api, person):
    boss = person()
    me = person(supervisor_nip=boss["nip"])
    took = ask(api, me, "2032-02-02", "2032-02-15")  # 14 of 2032's 18
    assert took.status_code == 201, took.text
    assert decide(api, boss["headers"], took.json()["id"]).status_code == 200
    assert balance(api, me, 2033)["carried_over"] == 4 and balance(api, me, 2033)["available"] == 16
    across = ask(api, me, "2032-12-28", "2033-01-03")  # 4 days of 2032, 3 of 2033
    assert across.status_code == 201 and across.json()["annual_days"] == {"2032": 4, "2033": 3}, across.text
    assert balance(api, me, 2032)["remaining"] == 0 and balance(api, me, 2033)["pending"] == 3


def test_racing_requests_cannot_take_more_than_remains(api, person):
    me = person(supervisor_nip=person()["nip"])
    starts = ["2034-01-02", "2034-01-10", "2034-01-20", "2034-02-01", "2034-02-10"]
    answers = race(5, lambda i: requests.post(f"{api}/leave-requests", headers=me["headers"], timeout=30, json={
        "type": "cuti", "start_date": starts[i], "end_date": starts[i][:-2] + f"{int(starts[i][-2:]) + 3:02d}",
        "reason": "balapan"}))
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 201, 201, 201, 422], [a.text for a in answers]  # 4 x 4 days of 18; the fifth has 2
    assert balance(api, me, 2034)["remaining"] == 2


def test_an_attachment_is_checked_by_content_and_shown_to_the_right_people(api, admin, person, db):
    boss = person()
    me = person(supervisor_nip=boss["nip"])
    stranger = person()
    created = requests.post(
        f"{api}/leave-requests", headers=me["headers"], timeout=10,
        json={"type": "dinas_luar", "start_date": "2035-06-02", "end_date": "2035-06-04", "reason": "rapat",
              "spt_number": "SPT-800/12"})
    assert created.status_code == 201, created.text
    url = f"{api}/leave-requests/{created.json()['id']}/attachment"
    fake = requests.put(url, headers=me["headers"], timeout=10, files={"file": ("spt.pdf", b"not a pdf", "application/pdf")})
    assert fake.status_code == 422 and fake.json()["error"] == "unsupported_file_type", fake.text
    resp = requests.put(url, headers=me["headers"], timeout=10, files={"file": ("scan SPT.pdf", PDF, "application/pdf")})
    assert resp.status_code == 200, resp.text
    attachment = resp.json()["attachment"]
    assert attachment["name"] == "scan SPT.pdf" and attachment["size"] == len(PDF)
    assert attachment["content_type"] == "application/pdf" and attachment["uploaded_at"].endswith("Z")
    for who, status in ((me["headers"], 200), (boss["headers"], 200), (admin, 200), (stranger["headers"], 403)):
        got = requests.get(url, headers=who, timeout=10)
        assert got.status_code == status, got.text
        if status == 200:
            assert got.content == PDF and got.headers["X-Content-Type-Options"] == "nosniff"
            assert "attachment" in got.headers["Content-Disposition"]
    assert requests.put(url, headers=boss["headers"], timeout=10,
                        files={"file": ("x.pdf", PDF, "application/pdf")}).status_code == 404  # not theirs
    # a new file replaces the old one (which is deleted)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
    again = requests.put(url, headers=me["headers"], timeout=10, files={"file": ("surat dokter.png", png, "image/png")})
    assert again.status_code == 200, again.text
    assert db["leave_files.files"].count_documents({"metadata.leave_request_id": created.json()["id"]}) == 1
    big = requests.put(url, headers=me["headers"], timeout=30,
                       files={"file": ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")})
    assert big.status_code == 413, big.text
    # decided: no more files
    assert decide(api, boss["headers"], created.json()["id"]).status_code == 200
    late = requests.put(url, headers=me["headers"], timeout=10, files={"file": ("x.pdf", PDF, "application/pdf")})
    assert late.status_code == 404, late.text
    listed = requests.get(f"{api}/me/leave-requests", headers=me["headers"], timeout=10).json()["items"]
    assert next(r for r in listed if r["id"] == created.json()["id"])["attachment"]["name"] == "surat dokter.png"
