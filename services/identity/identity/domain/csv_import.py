"""Parsing and line-by-line validation of the employee import CSV.

Columns (header required, any order, case/whitespace-insensitive)::

    nip,name,unit_code,position,supervisor_nip,email

What the parser copes with, because this is what admins' spreadsheets produce:

* UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"). Anything that
  is not valid UTF-8 rejects the whole file with a hint how to save it.
* Comma or semicolon as delimiter (Excel with Indonesian regional settings
  writes semicolons), decided from the header line.
* Quoted fields with delimiters, quotes and line breaks inside.
* ``'198503302010011002`` -- a NIP typed as text in Excel keeps a leading
  apostrophe; it is removed. The customary grouped form
  ``19850330 201001 1 002`` is accepted too.
* A NIP that Excel turned into a number (``1.98503E+17``) is reported with a
  clear message, because its digits are lost.
* Blank lines (also ``;;;;;`` rows) are skipped. Empty trailing cells and
  empty header cells (a trailing delimiter) are ignored; a value under an
  empty header is an error on that line.

Line numbers: the header is line 1 and a record is reported at the physical
line where it *starts* in the file (tracked with ``csv.reader.line_num``), so a
quoted cell spanning several lines shifts the numbers of the records after it
exactly as a text editor shows them. Without multi-line cells this is the
spreadsheet row number.

A bad line produces :class:`LineError` entries (one per problem) and is left
out of ``rows``; it never blocks the good lines. Problems with the file as a
whole (size, encoding, header, row count) raise :class:`CsvRejected`.
Referential checks (unit exists, supervisor exists, cycles across lines) are
not done here; see :func:`identity.domain.hierarchy.resolve_import_order`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import dataclass, field

from .codes import InvalidUnitCode, validate_unit_code
from .fields import (
    NAME_MAX_LENGTH,
    POSITION_MAX_LENGTH,
    InvalidField,
    check_email,
    check_text,
)
from .nip import InvalidNip, validate_nip

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_VALUE_COLUMNS",
    "CsvRejected",
    "ImportRow",
    "LineError",
    "ParseResult",
    "parse_employee_csv",
    "normalize_csv_nip",
]

REQUIRED_COLUMNS: tuple[str, ...] = (
    "nip",
    "name",
    "unit_code",
    "position",
    "supervisor_nip",
    "email",
)
# Columns that must be present in the header but may be empty on a line.
OPTIONAL_VALUE_COLUMNS = frozenset({"supervisor_nip", "email"})
# Columns a file may carry or leave out: active_from is the TMT (YYYY-MM-DD or DD/MM/YYYY, as a
# spreadsheet in Indonesian writes it); empty or absent = the day of the import for a new employee,
# unchanged for an existing one.
OPTIONAL_COLUMNS: tuple[str, ...] = ("active_from",)
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
_GROUPED_NIP = re.compile(r"([0-9]{8}) ([0-9]{6}) ([0-9]) ([0-9]{3})")
_HEADER_SEPARATORS = re.compile(r"[\s-]+")


class CsvRejected(ValueError):
    """The file as a whole cannot be imported. ``reason`` says why."""

    code = "csv_rejected"

    def __init__(self, reason: str, reason_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_id = reason_id or reason


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A line that passed every per-line check."""

    line: int
    nip: str
    name: str
    unit_code: str
    position: str
    supervisor_nip: str | None
    email: str | None
    active_from: str | None = None


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, object]:
        """``{"line": .., "message": ..}`` as the import endpoint answers it."""
        return {"line": self.line, "message": self.message}


@dataclass(slots=True)
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def _normalize_header(cell: str) -> str:
    return _HEADER_SEPARATORS.sub("_", cell.strip().lower())


def _detect_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def normalize_csv_nip(raw: str) -> str:
    """Undo what spreadsheets do to a NIP cell; the result still needs :func:`validate_nip`.

    Strips whitespace and Excel's text-marker apostrophe, and joins the
    customary grouped form ``YYYYMMDD YYYYMM S NNN``.
    """
    value = raw.strip()
    if value[:1] in ("'", "\u2019"):
        value = value[1:].strip()
    grouped = _GROUPED_NIP.fullmatch(value)
    if grouped:
        value = "".join(grouped.groups())
    return value


def _check_nip_cell(raw: str, column: str) -> tuple[str | None, str | None]:
    """Return (nip, None) or (None, message)."""
    value = normalize_csv_nip(raw)
    if _SCIENTIFIC.fullmatch(value):
        return None, (
            f"{column} {value!r} is in scientific notation: the spreadsheet stored the NIP as "
            "a number and lost digits; format the column as Text and enter the full 18 digits"
        )
    try:
        validate_nip(value)
    except InvalidNip as exc:
        return None, f"{column}: {exc.reason}"
    return value, None


def _decode(data: bytes) -> str:
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvRejected(
            f"file is not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it from the spreadsheet as 'CSV UTF-8'",
            f"berkas bukan UTF-8 (byte 0x{data[exc.start]:02x} tidak valid pada posisi {exc.start}); "
            "simpan dari spreadsheet sebagai 'CSV UTF-8'",
        ) from None


def parse_employee_csv(
    data: bytes,
    max_bytes: int = 5_000_000,
    max_rows: int = 20_000,
) -> ParseResult:
    """Parse an employee import CSV into valid rows and per-line errors."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise CsvRejected("file content must be bytes", "isi berkas harus berupa byte")
    if len(data) > max_bytes:
        raise CsvRejected(f"file is larger than {max_bytes} bytes", f"berkas lebih besar dari {max_bytes} byte")
    text = _decode(data)
    if not text.strip():
        raise CsvRejected("file is empty", "berkas kosong")

    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delimiter = _detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)

    try:
        header = next(reader)
    except csv.Error as exc:
        raise CsvRejected(f"line 1: the header cannot be read ({exc})",
                          f"baris 1: judul kolom tidak dapat dibaca ({exc})") from None
    except StopIteration:  # pragma: no cover - guarded by the emptiness check
        raise CsvRejected("file is empty", "berkas kosong") from None

    columns = [_normalize_header(cell) for cell in header]
    named = [c for c in columns if c]
    if not named:
        raise CsvRejected("line 1 must be the header: " + ",".join(REQUIRED_COLUMNS),
                          "baris 1 harus judul kolom: " + ",".join(REQUIRED_COLUMNS))
    duplicates = sorted({c for c in named if named.count(c) > 1})
    if duplicates:
        raise CsvRejected("duplicate columns in the header: " + ", ".join(duplicates),
                          "kolom ganda pada judul: " + ", ".join(duplicates))
    missing = [c for c in REQUIRED_COLUMNS if c not in named]
    if missing:
        raise CsvRejected(
            "missing required columns: " + ", ".join(missing)
            + f" (expected {','.join(REQUIRED_COLUMNS)}; delimiter detected: {delimiter!r})",
            "kolom wajib tidak ada: " + ", ".join(missing)
            + f" (yang diharapkan {','.join(REQUIRED_COLUMNS)}; pemisah terbaca: {delimiter!r})",
        )
    unknown = [c for c in named if c not in REQUIRED_COLUMNS and c not in OPTIONAL_COLUMNS]
    if unknown:
        raise CsvRejected("unknown columns: " + ", ".join(unknown), "kolom tidak dikenal: " + ", ".join(unknown))
    position_of = {c: i for i, c in enumerate(columns) if c}

    result = ParseResult()
    first_line_of_nip: dict[str, int] = {}
    data_rows = 0
    previous_end = reader.line_num

    while True:
        start_line = previous_end + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvRejected(f"line {start_line}: the file cannot be read as CSV ({exc})",
                              f"baris {start_line}: berkas tidak dapat dibaca sebagai CSV ({exc})") from None
        previous_end = reader.line_num

        if not any(cell.strip() for cell in record):
            continue  # blank line
        data_rows += 1
        if data_rows > max_rows:
            raise CsvRejected(f"file has more than {max_rows} data rows",
                              f"berkas memiliki lebih dari {max_rows} baris data")

        errors: list[LineError] = []

        def error(message: str, column: str | None = None) -> None:
            errors.append(LineError(start_line, message, column))

        # Cells beyond the named columns must be empty.
        stray = [
            i
            for i, cell in enumerate(record)
            if cell.strip() and (i >= len(columns) or not columns[i])
        ]
        if stray:
            error(
                f"has a value in column {stray[0] + 1}, which has no header "
                f"(the header has {len(named)} columns)"
            )

        def cell(column: str) -> str:
            i = position_of.get(column)
            return record[i] if i is not None and i < len(record) else ""

        # nip
        nip: str | None = None
        raw_nip = cell("nip")
        if not raw_nip.strip():
            error("nip is required", "nip")
        else:
            nip, message = _check_nip_cell(raw_nip, "nip")
            if message:
                error(message, "nip")
            elif nip in first_line_of_nip:
                error(
                    f"duplicate NIP {nip}: already on line {first_line_of_nip[nip]}", "nip"
                )
                nip = None
            else:
                first_line_of_nip[nip] = start_line

        # name
        name = ""
        try:
            name = check_text(cell("name"), "name", NAME_MAX_LENGTH)
        except InvalidField as exc:
            error(exc.reason, "name")

        # unit_code
        unit_code = ""
        raw_unit = cell("unit_code")
        if not raw_unit.strip():
            error("unit_code is required", "unit_code")
        else:
            try:
                unit_code = validate_unit_code(raw_unit)
            except InvalidUnitCode as exc:
                error(f"unit_code {raw_unit.strip()!r}: {exc.reason}", "unit_code")

        # position
        position = ""
        try:
            position = check_text(cell("position"), "position", POSITION_MAX_LENGTH)
        except InvalidField as exc:
            error(exc.reason, "position")

        # supervisor_nip (optional)
        supervisor_nip: str | None = None
        raw_sup = cell("supervisor_nip")
        if raw_sup.strip():
            supervisor_nip, message = _check_nip_cell(raw_sup, "supervisor_nip")
            if message:
                error(message, "supervisor_nip")
            elif nip is not None and supervisor_nip == nip:
                error("an employee cannot be their own supervisor", "supervisor_nip")

        # email (optional)
        email: str | None = None
        try:
            email = check_email(cell("email"))
        except InvalidField as exc:
            error(exc.reason, "email")

        # active_from (optional column, optional value)
        active_from: str | None = None
        raw_from = cell("active_from").strip()
        if raw_from:
            active_from = _csv_date(raw_from)
            if active_from is None:
                error(f"active_from {raw_from[:20]!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY, 1970-2100)",
                      "active_from")

        if errors:
            result.errors.extend(errors)
            continue
        assert nip is not None
        result.rows.append(
            ImportRow(
                line=start_line,
                nip=nip,
                name=name,
                unit_code=unit_code,
                position=position,
                supervisor_nip=supervisor_nip,
                email=email,
                active_from=active_from,
            )
        )
    return result


def _csv_date(raw: str) -> str | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` -> ``YYYY-MM-DD`` (1970-2100), else None."""
    try:
        match = _DMY.fullmatch(raw)
        day = _dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match \
            else _dt.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None
    return day.isoformat() if day is not None and 1970 <= day.year <= 2100 else None
