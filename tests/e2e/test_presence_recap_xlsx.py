"""Monthly recap as an Excel workbook (?format=xlsx), opened with openpyxl: a title row, Indonesian
headers, names and units, numbers as numeric cells, the same rows as the CSV, through the gateway."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
import requests
from openpyxl import load_workbook

# The recap test module's fixtures (a team with a hand-computed month) and helpers, reused as they are.
from e2e.presence_common import admin, api, db  # noqa: F401 - fixtures by name
from e2e.test_presence_close_recap import make_unit, recap_team, signed_in, staff  # noqa: F401 - fixtures by name

from presence.recap_export import EXPORT_COLUMNS, TEXT_KEYS, XLSX_MIMETYPE, sheet_name, xlsx_bytes

pytestmark = pytest.mark.e2e

HEADERS = [header for _key, header in EXPORT_COLUMNS]
KEY_OF = {header: key for key, header in EXPORT_COLUMNS}
HEADER_ROW = 4  # 1: title, 2: when it was made, 3: blank


def read_book(content: bytes) -> dict:
    """The first sheet as openpyxl reads it: name, title lines, header, rows keyed by NIP (cells)."""
    book = load_workbook(io.BytesIO(content))
    ws = book.worksheets[0]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = {}
    for cells in ws.iter_rows(min_row=HEADER_ROW + 1):
        if cells[0].value is not None:
            rows[cells[0].value] = {KEY_OF[h]: c for h, c in zip(header, cells)}
    return {"name": ws.title, "title": ws["A1"].value, "subtitle": ws["A2"].value, "header": header,
            "header_bold": all(c.font.bold for c in ws[HEADER_ROW]), "freeze": ws.freeze_panes,
            "widths": {k: ws.column_dimensions[k].width for k in ("A", "B", "C")},
            "formulas": any(c.data_type == "f" for row in ws.iter_rows() for c in row), "rows": rows}


# ------------------------------------------------------------------ helpers
def get_recap(api, headers, fmt: str, **params):
    return requests.get(f"{api}/recap", params={**params, "format": fmt}, headers=headers, timeout=30)


def csv_rows(resp) -> list[list[str]]:
    assert resp.status_code == 200, resp.text
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


def assert_same_as_csv(book: dict, rows: list[list[str]]) -> None:
    """Header equals the CSV's; every row holds the CSV's values: NIP, name and unit as text, the
    rest as numeric cells."""
    assert book["header"] == HEADERS == rows[0]
    assert len(book["rows"]) == len(rows) - 1
    for expected in rows[1:]:
        cells = book["rows"][expected[0]]
        for (key, _header), want in zip(EXPORT_COLUMNS, expected):
            cell = cells[key]
            if key in TEXT_KEYS:
                assert cell.data_type == "s" and cell.value == want, key
            else:
                assert cell.data_type == "n" and isinstance(cell.value, (int, float)), (key, cell.value)
                assert cell.value == float(want), (key, cell.value, want)


# ------------------------------------------------------------------ through the gateway
def test_recap_xlsx_has_names_units_indonesian_headers_and_numbers(api, admin, recap_team):
    t = recap_team
    query = {"unit_code": t["unit"], "month": t["month"]}
    resp = get_recap(api, admin, "xlsx", **query)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"] == XLSX_MIMETYPE
    assert resp.headers["Content-Disposition"] == f'attachment; filename="recap-{t["unit"]}-{t["month"]}.xlsx"'
    book = read_book(resp.content)
    assert book["name"] == f"Rekap {t['month']}"
    year, number = t["month"].split("-")
    assert book["title"].startswith(f"Rekap presensi Unit {t['unit']}") and book["title"].endswith(f" {year}")
    assert book["subtitle"].startswith("Dibuat ") and " WIB" in book["subtitle"] and "2 pegawai" in book["subtitle"]
    assert book["header"][:6] == ["NIP", "Nama", "Unit", "Hari kerja", "Hadir", "Terlambat (hari)"]
    assert {"TL1", "TL4", "PSW1", "PSW4", "Tanpa keterangan", "Izin", "Sakit", "Cuti", "Dinas luar", "WFO", "WFH",
            "Tidak bekerja (di luar masa kerja)", "Cuti bersama", "Libur nasional"} <= set(book["header"])
    assert book["header"][-1] == "Potongan (%)"
    assert book["header_bold"] and book["freeze"] == "D5" and not book["formulas"]
    assert book["widths"]["A"] >= 20 and book["widths"]["B"] >= len(t["worker"]["name"])  # 18 digits, the name
    worker = book["rows"][t["worker"]["nip"]]
    assert (worker["name"].value, worker["unit_code"].value) == (t["worker"]["name"], t["unit"])
    assert worker["deduction_percent"].value == 11.25 and worker["deduction_percent"].data_type == "n"
    assert worker["leave_cuti"].value == 1 and worker["tl4"].value == 1 and worker["nip"].data_type == "s"
    assert set(book["rows"]) == {t["worker"]["nip"], t["idle"]["nip"]}
    assert_same_as_csv(book, csv_rows(get_recap(api, admin, "csv", **query)))


def test_recap_xlsx_supervisor_gets_their_team_as_in_csv(api, recap_team):
    t = recap_team
    boss = signed_in(t["boss"])
    resp = get_recap(api, boss, "xlsx", month=t["month"])
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Disposition"] == (
        f'attachment; filename="recap-team-{t["boss"]["nip"]}-{t["month"]}.xlsx"')
    book = read_book(resp.content)
    assert set(book["rows"]) == {t["worker"]["nip"], t["idle"]["nip"]}
    assert book["title"].startswith(f"Rekap presensi Tim {t['boss']['name']}")
    assert_same_as_csv(book, csv_rows(get_recap(api, boss, "csv", month=t["month"])))


def test_recap_xlsx_refuses_someone_elses_team_and_unknown_formats(api, admin, recap_team):
    t = recap_team
    peer = signed_in(t["worker"])  # nobody reports to them: their own team is empty
    assert read_book(get_recap(api, peer, "xlsx", month=t["month"]).content)["rows"] == {}
    resp = get_recap(api, peer, "xlsx", month=t["month"], supervisor_nip=t["boss"]["nip"])
    assert resp.status_code == 403, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    for fmt in ("pdf", "XLSX", "xls"):
        resp = get_recap(api, admin, fmt, unit_code=t["unit"], month=t["month"])
        assert resp.status_code == 422, (fmt, resp.text)
        assert resp.headers["Content-Type"].startswith("application/json")
        assert "format" in resp.text


def test_recap_xlsx_of_an_unknown_unit_is_just_the_header(api, admin, recap_team):
    resp = get_recap(api, admin, "xlsx", unit_code="NOSUCHUNIT", month=recap_team["month"])
    assert resp.status_code == 200, resp.text
    book = read_book(resp.content)
    assert book["header"] == HEADERS and book["rows"] == {}


# ------------------------------------------------------------------ the workbook builder itself
def test_text_starting_like_a_formula_is_written_as_a_string():
    risky = ['=HYPERLINK("http://evil.example","klik")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"]
    content = xlsx_bytes("=1+1", "@x", [{"nip": str(i), "name": n, "late_days": 1} for i, n in enumerate(risky)])
    book = read_book(content)
    assert not book["formulas"] and book["title"] == "=1+1"
    assert [row["name"].value for row in book["rows"].values()] == risky
    assert all(row["name"].data_type == "s" and row["late_days"].value == 1 for row in book["rows"].values())
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and re.findall(r'<c r="B5"[^>]*t="(s|inlineStr)"', xml)


def test_sheet_names_follow_excels_rules():
    assert sheet_name("Rekap 2026-11") == "Rekap 2026-11"
    name = sheet_name("Rekap [a]:b*c?d/e\\f " + "x" * 40)
    assert len(name) == 31 and not set("[]:*?/\\") & set(name)
