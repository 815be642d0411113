"""The monthly recap as a file an admin opens in Excel: CSV and XLSX with Indonesian headers.

Columns (``EXPORT_COLUMNS``, key -> header): who (NIP, Nama, Unit), then the month's counts, leave by
type, work modes, the days the new rules tell apart (outside the employment span, national holidays,
cuti bersama) and the deduction last. Numbers are numbers (the XLSX writes numeric cells; the CSV's
decimals use a point), the NIP is text (18 digits would lose precision as a number, and Excel would
show it in scientific notation). The XLSX opens with a title row (unit, month, when it was made), a
bold header frozen with the NIP/name/unit columns, and column widths from the longest value; text is
always written as a string, never a formula (formula injection).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import xlsxwriter

EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("nip", "NIP"), ("name", "Nama"), ("unit_code", "Unit"),
    ("working_days", "Hari kerja"), ("present", "Hadir"),
    ("late_days", "Terlambat (hari)"), ("tl1", "TL1"), ("tl2", "TL2"), ("tl3", "TL3"), ("tl4", "TL4"),
    ("early_leave_days", "Pulang cepat (hari)"), ("psw1", "PSW1"), ("psw2", "PSW2"), ("psw3", "PSW3"),
    ("psw4", "PSW4"), ("no_checkout_days", "Tanpa presensi pulang"),
    ("absent", "Tanpa keterangan"),
    ("leave_izin", "Izin"), ("leave_sakit", "Sakit"), ("leave_cuti", "Cuti"), ("leave_dinas_luar", "Dinas luar"),
    ("leave_tugas_belajar", "Tugas belajar"),
    ("wfo_days", "WFO"), ("wfh_days", "WFH"), ("dl_days", "DL"),
    ("pending", "Belum hadir (hari berjalan)"),
    ("not_employed_days", "Tidak bekerja (di luar masa kerja)"),
    ("national_holidays", "Libur nasional"), ("cuti_bersama_days", "Cuti bersama"),
    ("late_minutes", "Menit terlambat"), ("early_leave_minutes", "Menit pulang cepat"),
    ("deduction_percent", "Potongan (%)"),
)
TEXT_KEYS = frozenset({"nip", "name", "unit_code"})
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def month_label(month: str) -> str:
    """``2026-11`` -> ``November 2026``."""
    year, number = month.split("-")
    return f"{MONTHS_ID[int(number) - 1]} {year}"


def moment_label(moment: datetime, timezone: str) -> str:
    """``1 Desember 2026 17.49 WIB`` (the Indonesian way of writing a time)."""
    zone = ZONE_NAMES.get(timezone, moment.strftime("UTC%z"))
    return f"{moment.day} {MONTHS_ID[moment.month - 1]} {moment.year} {moment:%H.%M} {zone}"


def export_rows(recaps: Iterable, people: Mapping[str, dict]) -> list[dict[str, object]]:
    """One dict per employee keyed like ``EXPORT_COLUMNS`` (the recap's row plus name and unit)."""
    rows = []
    for recap in recaps:
        person = people.get(recap.nip, {})
        rows.append({**recap.to_row(), "name": person.get("name"), "unit_code": person.get("unit_code")})
    return rows


def csv_text(rows: Iterable[Mapping[str, object]]) -> str:
    """The CSV (with a UTF-8 BOM, so Excel reads the accents), the header line first."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([header for _key, header in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow(["" if row.get(key) is None else row.get(key) for key, _header in EXPORT_COLUMNS])
    return "\ufeff" + buf.getvalue()


def sheet_name(title: str) -> str:
    """Excel's sheet-name rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Rekap"


def xlsx_bytes(title: str, subtitle: str, rows: Iterable[Mapping[str, object]],
               columns: Sequence[tuple[str, str]] = EXPORT_COLUMNS, sheet: str = "Rekap") -> bytes:
    """One sheet: the title and subtitle rows, the bold header (frozen with the first three columns),
    one row per mapping; numbers as numeric cells, text always as strings."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet(sheet_name(sheet))
    heading = book.add_format({"bold": True, "font_size": 13})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    percent = book.add_format({"num_format": "0.00"})
    ws.write_string(0, 0, title, heading)
    ws.write_string(1, 0, subtitle)
    header_row = 3
    widths = [min(max(len(word) for word in header.split()) + 2, 18) for _key, header in columns]
    for col, (_key, header) in enumerate(columns):
        ws.write_string(header_row, col, header, bold)
    for r, row in enumerate(rows, start=header_row + 1):
        for col, (key, _header) in enumerate(columns):
            value = row.get(key)
            if value is None:
                continue
            if key not in TEXT_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, col, value, percent if key == "deduction_percent" else None)
            else:
                # write_string, never write(): a text starting with = + - @ would become a formula
                ws.write_string(r, col, str(value))
            widths[col] = max(widths[col], len(str(value)) + 2)
    for col, width in enumerate(widths):
        ws.set_column(col, col, min(width, 40))
    ws.set_row(header_row, 30)
    ws.freeze_panes(header_row + 1, 3)
    book.close()
    return buf.getvalue()
