"""Monthly recap as an Excel workbook (?format=xlsx): same columns and rows as the CSV, through the gateway."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

import pytest
import requests

# The recap test module's fixtures (a team with a hand-computed month) and helpers, reused as they are.
from e2e.presence_common import admin, api, db  # noqa: F401 - fixtures by name
from e2e.test_presence_close_recap import make_unit, recap_team, signed_in, staff  # noqa: F401 - fixtures by name

from presence.api.recap import XLSX_MIMETYPE, sheet_name, xlsx_bytes
from presence.domain.recap import CSV_COLUMNS

pytestmark = pytest.mark.e2e

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


# ------------------------------------------------------------------ a tiny xlsx reader (standard library only)
def _col_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_sheet(content: bytes) -> dict:
    """First sheet of a workbook: its name, cells as rows of (kind, value), whether any cell has a formula."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        names = set(z.namelist())
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rows = []
    for row in sheet.findall("m:sheetData/m:row", NS):
        cells = []
        for c in row.findall("m:c", NS):
            col, kind = _col_index(c.get("r")), c.get("t", "n")
            while len(cells) < col:
                cells.append(("blank", None))
            v = c.find("m:v", NS)
            if kind == "s":
                cells.append(("string", shared[int(v.text)]))
            elif kind == "inlineStr":
                cells.append(("string", "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))))
            elif kind == "n" and v is not None and c.find("m:f", NS) is None:
                cells.append(("number", float(v.text)))
            else:
                cells.append((kind, None if v is None else v.text))
        rows.append(cells)
    pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
    return {"name": book.find("m:sheets/m:sheet", NS).get("name"), "rows": rows,
            "formulas": sheet.find(".//m:f", NS) is not None,
            "frozen": pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1",
            "header_styled": all(c.get("s") for c in sheet.findall("m:sheetData/m:row[1]/m:c", NS))}


def values(row: list[tuple[str, object]]) -> list[object]:
    return [v for _, v in row]


# ------------------------------------------------------------------ helpers
def get_recap(api, headers, fmt: str, **params):
    return requests.get(f"{api}/recap", params={**params, "format": fmt}, headers=headers, timeout=30)


def csv_rows(resp) -> list[list[str]]:
    assert resp.status_code == 200, resp.text
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


def assert_same_as_csv(sheet: dict, rows: list[list[str]]) -> None:
    """Header equals CSV_COLUMNS; every row holds the CSV's values, numbers as numeric cells."""
    assert values(sheet["rows"][0]) == list(CSV_COLUMNS) == rows[0]
    assert len(sheet["rows"]) == len(rows)
    text_columns = {"nip", "month"}
    got = {row[0][1]: row for row in sheet["rows"][1:]}
    for expected in rows[1:]:
        cells = got[expected[0]]
        assert len(cells) == len(CSV_COLUMNS)
        for name, (kind, value), want in zip(CSV_COLUMNS, cells, expected):
            if name in text_columns:
                assert (kind, value) == ("string", want), name
            else:
                assert kind == "number" and value == float(want), (name, kind, value, want)


# ------------------------------------------------------------------ through the gateway
def test_recap_xlsx_has_the_csv_columns_and_rows(api, admin, recap_team):
    t = recap_team
    query = {"unit_code": t["unit"], "month": t["month"]}
    resp = get_recap(api, admin, "xlsx", **query)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"] == XLSX_MIMETYPE
    assert resp.headers["Content-Disposition"] == f'attachment; filename="recap-{t["unit"]}-{t["month"]}.xlsx"'
    sheet = read_sheet(resp.content)
    assert sheet["name"] == f"Rekap {t['month']}"
    assert sheet["frozen"] and sheet["header_styled"] and not sheet["formulas"]
    assert_same_as_csv(sheet, csv_rows(get_recap(api, admin, "csv", **query)))
    worker = dict(zip(CSV_COLUMNS, values(next(r for r in sheet["rows"] if r[0][1] == t["worker"]["nip"]))))
    assert worker["deduction_percent"] == 11.25 and worker["leave_cuti"] == 1 and worker["month"] == t["month"]
    assert {r[0][1] for r in sheet["rows"][1:]} == {t["worker"]["nip"], t["idle"]["nip"]}


def test_recap_xlsx_supervisor_gets_their_team_as_in_csv(api, recap_team):
    t = recap_team
    boss = signed_in(t["boss"])
    resp = get_recap(api, boss, "xlsx", month=t["month"])
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Disposition"] == (
        f'attachment; filename="recap-team-{t["boss"]["nip"]}-{t["month"]}.xlsx"')
    sheet = read_sheet(resp.content)
    assert {r[0][1] for r in sheet["rows"][1:]} == {t["worker"]["nip"], t["idle"]["nip"]}
    assert_same_as_csv(sheet, csv_rows(get_recap(api, boss, "csv", month=t["month"])))


def test_recap_xlsx_refuses_non_supervisors_and_unknown_formats(api, admin, recap_team):
    t = recap_team
    peer = signed_in(t["worker"])  # nobody reports to them
    for params in ({"month": t["month"]}, {"month": t["month"], "supervisor_nip": t["boss"]["nip"]}):
        resp = get_recap(api, peer, "xlsx", **params)
        assert resp.status_code == 403, (params, resp.text)
        assert resp.headers["Content-Type"].startswith("application/json")
    for fmt in ("pdf", "XLSX", "xls"):
        resp = get_recap(api, admin, fmt, unit_code=t["unit"], month=t["month"])
        assert resp.status_code == 422, (fmt, resp.text)
        assert resp.headers["Content-Type"].startswith("application/json")
        assert "format" in resp.text


def test_recap_xlsx_of_an_unknown_unit_is_just_the_header(api, admin, recap_team):
    resp = get_recap(api, admin, "xlsx", unit_code="NOSUCHUNIT", month=recap_team["month"])
    assert resp.status_code == 200, resp.text
    assert [values(r) for r in read_sheet(resp.content)["rows"]] == [list(CSV_COLUMNS)]


# ------------------------------------------------------------------ the workbook builder itself
def test_text_starting_like_a_formula_is_written_as_a_string():
    risky = ['=HYPERLINK("http://evil.example","klik")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"]
    content = xlsx_bytes("Rekap 2026-11", ("name", "late_days"), [{"name": n, "late_days": 1} for n in risky])
    sheet = read_sheet(content)
    assert not sheet["formulas"]
    assert [r[0] for r in sheet["rows"][1:]] == [("string", n) for n in risky]
    assert [r[1] for r in sheet["rows"][1:]] == [("number", 1.0)] * len(risky)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and re.findall(r'<c r="A2"[^>]*t="(s|inlineStr)"', xml)


def test_sheet_names_follow_excels_rules():
    assert sheet_name("Rekap 2026-11") == "Rekap 2026-11"
    name = sheet_name("Rekap [a]:b*c?d/e\\f " + "x" * 40)
    assert len(name) == 31 and not set("[]:*?/\\") & set(name)
