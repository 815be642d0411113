"""Upload checks: file type by content (never by name) and safe download names."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote

__all__ = [
    "FileType",
    "PDF",
    "PNG",
    "JPEG",
    "DOCX",
    "XLSX",
    "ALLOWED_TYPES",
    "MAX_ZIP_ENTRIES",
    "sniff_file_type",
    "SafeFilename",
    "safe_filename",
    "content_disposition",
    "SAFE_FILENAME_MAX_LENGTH",
]


@dataclass(frozen=True, slots=True)
class FileType:
    kind: str  # "pdf" | "png" | "jpeg" | "docx" | "xlsx"
    content_type: str
    extension: str  # canonical, with no dot


PDF = FileType("pdf", "application/pdf", "pdf")
PNG = FileType("png", "image/png", "png")
JPEG = FileType("jpeg", "image/jpeg", "jpg")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
)
ALLOWED_TYPES: tuple[FileType, ...] = (PDF, PNG, JPEG, DOCX, XLSX)

# A real docx/xlsx has a few dozen entries; a directory of more is not one.
MAX_ZIP_ENTRIES = 10_000

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"
_PDF_HEADER = re.compile(rb"%PDF-[0-9]")


def _sniff_ooxml(data: bytes) -> FileType | None:
    """docx/xlsx by the names in the ZIP central directory; nothing is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = [info.filename for info in infos]
    except Exception:  # noqa: BLE001 - any malformed archive simply is "not a known type"
        return None
    if "[Content_Types].xml" not in names:
        return None
    # Macro-enabled documents (docm/xlsm) renamed to docx/xlsx: refuse.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None
    has_word = any(name.startswith("word/") for name in names)
    has_xl = any(name.startswith("xl/") for name in names)
    if has_word and not has_xl:
        return DOCX
    if has_xl and not has_word:
        return XLSX
    return None  # plain zip, pptx, or ambiguous


def sniff_file_type(head: bytes, name: str = "") -> FileType | None:
    """Identify an allowed upload by its bytes, or ``None``.

    ``head`` must be the *whole* file for docx/xlsx (the ZIP central directory
    sits at the end); for pdf/png/jpeg the first bytes suffice. ``name`` is
    deliberately not used to decide: a PNG named ``report.pdf`` is a PNG and an
    executable named ``x.pdf`` is rejected. It is accepted so callers can pass
    it without caring, and kept for future diagnostics.
    """
    del name  # content decides
    if not isinstance(head, (bytes, bytearray, memoryview)):
        return None
    data = bytes(head)
    if _PDF_HEADER.match(data):
        return PDF
    if data.startswith(_PNG_SIGNATURE) and data[12:16] == b"IHDR":
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_ZIP_SIGNATURE):
        return _sniff_ooxml(data)
    return None


# ---------------------------------------------------------------------------
# Download names
# ---------------------------------------------------------------------------

SAFE_FILENAME_MAX_LENGTH = 150
_FALLBACK_NAME = "file"
_REPLACE = re.compile(r'[<>:*?|]')
_REMOVE = {'"', "'", "`", "\\", "/"}
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+,=@\[\]{}#&!~-]")


class SafeFilename(NamedTuple):
    name: str  # Unicode, for filename*=UTF-8''...
    ascii: str  # ASCII-only fallback, for filename="..."


def _truncate(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and stem and 0 < len(ext) <= 10:
        return stem[: limit - len(ext) - 1].rstrip(" .") + "." + ext
    return name[:limit].rstrip(" .")


def _finish(name: str) -> str:
    name = " ".join(name.split())  # collapse whitespace
    name = name.strip(". ")  # no hidden files, no "..", no trailing dot
    name = _truncate(name, SAFE_FILENAME_MAX_LENGTH)
    return name or _FALLBACK_NAME


def safe_filename(name: str) -> SafeFilename:
    """A name that is safe to put in ``Content-Disposition`` (and on disk).

    Drops any directory part (``/`` and ``\\``), control and format characters
    (including bidi overrides such as U+202E that disguise ``exe`` as
    ``pdf``), quotes and backslashes; replaces ``< > : * ? |``; collapses
    whitespace; strips leading/trailing dots and spaces; keeps Unicode
    (NFC-normalised) and limits the length to 150 characters, keeping the
    extension. The ASCII fallback transliterates accents (``é`` -> ``e``) and
    replaces other characters with ``_``. An empty result becomes ``file``.
    """
    if not isinstance(name, str):
        name = ""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    cleaned_chars = []
    for ch in name:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            if category in ("Zl", "Zp") or ch in "\t\n\r":
                cleaned_chars.append(" ")
            continue
        if ch in _REMOVE:
            continue
        cleaned_chars.append(ch)
    unicode_name = _finish(_REPLACE.sub("_", "".join(cleaned_chars)))

    ascii_name = unicodedata.normalize("NFKD", unicode_name)
    ascii_name = "".join(ch for ch in ascii_name if not unicodedata.combining(ch))
    ascii_name = _ASCII_UNSAFE.sub("_", ascii_name)
    ascii_name = _finish(ascii_name)
    stem = ascii_name.rpartition(".")[0] or ascii_name
    if not stem.strip("_ "):
        ext = ascii_name.rpartition(".")[2] if "." in ascii_name else ""
        ascii_name = _FALLBACK_NAME + ("." + ext if ext and ext.strip("_") else "")
    return SafeFilename(unicode_name, ascii_name)


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`` (RFC 6266/5987)."""
    if disposition not in ("attachment", "inline"):
        raise ValueError("disposition must be 'attachment' or 'inline'")
    safe = safe_filename(name)
    value = f'{disposition}; filename="{safe.ascii}"'
    if safe.name != safe.ascii:
        value += "; filename*=UTF-8''" + quote(safe.name, safe="")
    return value


def download_name(name: str, file_type: FileType) -> str:
    """The stored/downloaded name: safe, and ending in the extension of what the bytes *are*.

    ``report.pdf`` that is really a PNG becomes ``report.pdf.png`` so that no
    client opens it with the wrong program; ``scan.JPEG`` stays as it is.
    """
    safe = safe_filename(name).name
    ext = safe.rpartition(".")[2].lower() if "." in safe else ""
    aliases = {"jpeg": {"jpg", "jpeg", "jpe"}}.get(file_type.kind, {file_type.extension})
    if ext in aliases:
        return safe
    return safe_filename(f"{safe}.{file_type.extension}").name
