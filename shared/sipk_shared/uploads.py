"""Upload checks every service with uploads uses (task submissions and SKP evidence in performance,
leave attachments in presence): file type by content (never by name), the request-level checks
(size, count, 413/422), and safe download names."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote

from .errors import ApiError
from .i18n import Msg

__all__ = [
    "FileType",
    "PDF",
    "PNG",
    "JPEG",
    "DOCX",
    "XLSX",
    "ALLOWED_TYPES",
    "MAX_ZIP_ENTRIES",
    "MAX_UNCOMPRESSED_BYTES",
    "sniff_file_type",
    "SafeFilename",
    "safe_filename",
    "content_disposition",
    "SAFE_FILENAME_MAX_LENGTH",
    "check_file",
    "check_uploads",
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

# A real docx/xlsx has a few dozen entries (a few hundred with many images or sheets).
MAX_ZIP_ENTRIES = 1_000
# What the archive may unpack to, by its own directory (nothing is decompressed here): whoever opens
# the file later (Word, a virus scanner) must not be handed a zip bomb. XML compresses ~10-20x, so
# a 10 MB xlsx stays well below; a bomb declares gigabytes, or ratios in the hundreds or thousands.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200          # for entries unpacking to more than 1 MiB
_RATIO_FLOOR_BYTES = 1024 * 1024
# Parts that run code: VBA macros (docm/xlsm renamed), ActiveX controls, OLE packages (which can
# wrap any program), and executables or scripts embedded as files.
_ACTIVE_PART_MARKERS = ("vbaproject.bin", "vbadata.xml", "activex/", "oleobject")
_EXECUTABLE_SUFFIXES = (
    ".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".pif", ".cpl", ".msi", ".msp", ".jar", ".js", ".jse",
    ".vbs", ".vbe", ".wsf", ".wsh", ".hta", ".ps1", ".psm1", ".sh", ".lnk", ".reg", ".so", ".dylib", ".elf",
)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"
_PDF_HEADER = re.compile(rb"%PDF-[0-9]")


def _safe_archive(infos: list[zipfile.ZipInfo]) -> bool:
    """The ZIP directory of an office file we accept: bounded, unencrypted, no active parts."""
    if len(infos) > MAX_ZIP_ENTRIES:
        return False
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/").lower()
        if info.flag_bits & 0x1:                                   # encrypted entry
            return False
        if name.startswith("/") or "../" in name or ":" in name:   # not a path inside the package
            return False
        if any(marker in name for marker in _ACTIVE_PART_MARKERS) or name.endswith(_EXECUTABLE_SUFFIXES):
            return False
        total += info.file_size
        if info.file_size > _RATIO_FLOOR_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            return False
    return total <= MAX_UNCOMPRESSED_BYTES


def _sniff_ooxml(data: bytes) -> FileType | None:
    """docx/xlsx by the ZIP central directory: its names, sizes and flags; nothing is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if not _safe_archive(infos):
                return None
            names = [info.filename for info in infos]
    except Exception:  # noqa: BLE001 - any malformed archive simply is "not a known type"
        return None
    if "[Content_Types].xml" not in names:
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


# ------------------------------------------------------------------ a request's files
ALLOWED_KINDS = "pdf, jpg, png, docx, xlsx"
ZIP_SIGNATURE = b"PK\x03\x04"
HEAD_BYTES = 64 * 1024


def check_file(storage, max_bytes: int) -> tuple[FileType, int]:
    """(FileType, size) of an uploaded file, judged by its bytes; 413/422 otherwise."""
    stream = storage.stream
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    name = storage.filename or ""
    if size > max_bytes:
        raise ApiError(413, "file_too_large", Msg("Setiap berkas paling besar {mb} MB.", "Each file may be at most {mb} MB.",
                                                  mb=max_bytes // (1024 * 1024)),
                       file=name[:200], size=size, max_bytes=max_bytes)
    head = stream.read(HEAD_BYTES)
    if head.startswith(ZIP_SIGNATURE):  # docx/xlsx: the ZIP directory is at the end, read it whole
        head += stream.read()
    stream.seek(0)
    file_type = sniff_file_type(head, name)
    if file_type is None:
        raise ApiError(422, "unsupported_file_type",
                       Msg("Hanya berkas {k} yang diterima (dinilai dari isinya, bukan namanya).",
                           "Only {k} files are accepted (judged by content, not by name).", k=ALLOWED_KINDS),
                       file=name[:200])
    return file_type, size


def check_uploads(uploads: list, *, max_files: int, max_file_bytes: int, at_least: int = 0) -> list[tuple]:
    """(storage, FileType, size) of each upload (werkzeug FileStorage), all checked before any is stored."""
    if len(uploads) < at_least:
        raise ApiError(422, "validation_failed", Msg("Kirim paling sedikit satu berkas.", "Send at least one file."),
                       errors={"files": [Msg("Kirim sebuah berkas.", "Send a file.")]})
    if len(uploads) > max_files:
        raise ApiError(422, "too_many_files", Msg("Paling banyak {n} berkas per pengajuan.",
                                                  "At most {n} files per submission.", n=max_files),
                       errors={"files": [Msg("Paling banyak {n} berkas.", "At most {n} files.", n=max_files)]})
    return [(f, *check_file(f, max_file_bytes)) for f in uploads]
