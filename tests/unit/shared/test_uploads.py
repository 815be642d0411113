import io
import struct
import zipfile
import zlib

import pytest

from sipk_shared import uploads
from sipk_shared.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    FileType,
    content_disposition,
    safe_filename,
    sniff_file_type,
)


def minimal_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def minimal_png(width=1, height=1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))  # red RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


JPEG_HEAD = bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + b"\x00" * 32

CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def minimal_docx(extra=None) -> bytes:
    entries = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
        "word/_rels/document.xml.rels": b"<Relationships/>",
    }
    entries.update(extra or {})
    return make_zip(entries)


def minimal_xlsx() -> bytes:
    return make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/_rels/workbook.xml.rels": b"<Relationships/>",
            "xl/worksheets/sheet1.xml": b"<worksheet/>",
        }
    )


def test_canonical_types():
    assert PDF == FileType("pdf", "application/pdf", "pdf")
    assert PNG == FileType("png", "image/png", "png")
    assert JPEG == FileType("jpeg", "image/jpeg", "jpg")
    assert DOCX.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert DOCX.extension == "docx"
    assert XLSX.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert XLSX.extension == "xlsx"


def test_pdf():
    assert sniff_file_type(minimal_pdf(), "laporan.pdf") is PDF


def test_png():
    assert sniff_file_type(minimal_png(), "foto.png") is PNG


def test_jpeg():
    assert sniff_file_type(JPEG_HEAD, "foto.jpg") is JPEG


def test_docx():
    assert sniff_file_type(minimal_docx(), "laporan.docx") is DOCX


def test_xlsx():
    assert sniff_file_type(minimal_xlsx(), "rekap.xlsx") is XLSX


def test_content_decides_not_the_name():
    assert sniff_file_type(minimal_png(), "laporan.pdf") is PNG
    assert sniff_file_type(minimal_pdf(), "") is PDF


def test_exe_named_pdf_is_rejected():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode."
    assert sniff_file_type(exe, "x.pdf") is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF",  # no dash/version
        b"hello %PDF-1.4",  # not at the start
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 16,  # signature without IHDR
        b"\xff\xd8",  # too short for JPEG
        b"GIF89a" + b"\x00" * 20,
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04" + b"\x00" * 100,  # corrupt zip
    ],
)
def test_other_content_is_rejected(data):
    assert sniff_file_type(data, "x.pdf") is None


def test_non_bytes_is_rejected():
    assert sniff_file_type("%PDF-1.4", "x.pdf") is None  # type: ignore[arg-type]


def test_plain_zip_is_rejected():
    assert sniff_file_type(make_zip({"notes.txt": b"hi", "word/readme.txt": b"x"}), "x.docx") is None


def test_pptx_is_rejected():
    pptx = make_zip({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p/>"})
    assert sniff_file_type(pptx, "x.docx") is None


def test_zip_with_both_word_and_xl_is_rejected():
    both = make_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"", "xl/workbook.xml": b""})
    assert sniff_file_type(both, "x.docx") is None


def test_macro_enabled_document_renamed_to_docx_is_rejected():
    assert sniff_file_type(minimal_docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "x.docx") is None


def test_truncated_docx_is_rejected():
    assert sniff_file_type(minimal_docx()[:100], "x.docx") is None


def _no_decompressing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("sniffing must not decompress entries")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)


def test_zip_bomb_is_rejected_without_extracting(monkeypatch):
    """Before, this 50 MB-of-zeros docx (ratio ~1000:1) was accepted; a 2 GiB one too."""
    bomb = minimal_docx({"word/media/huge.bin": b"\x00" * 50_000_000})
    assert len(bomb) < 200_000
    _no_decompressing(monkeypatch)
    assert sniff_file_type(bomb, "x.docx") is None


def test_a_directory_declaring_too_much_in_total_is_rejected(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert sniff_file_type(minimal_docx({"word/media/a.xml": b"<x/>" * 300}), "x.docx") is None


def test_real_documents_with_images_and_big_sheets_pass(monkeypatch):
    import random
    photo = random.Random(7).randbytes(3_000_000)  # incompressible, like a JPEG
    sheet = b"".join(b'<row r="%d"><c t="n"><v>%d</v></c></row>' % (i, i * 7919 % 100003) for i in range(200_000))
    docx = minimal_docx({"word/media/image1.jpeg": photo})
    xlsx = make_zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>",
                     "xl/worksheets/sheet1.xml": sheet})  # 9 MB of XML, ~7:1
    _no_decompressing(monkeypatch)
    assert sniff_file_type(docx, "x.docx") is DOCX
    assert sniff_file_type(xlsx, "x.xlsx") is XLSX


@pytest.mark.parametrize("part", [
    "word/embeddings/setup.exe", "word/media/run.bat", "word/embeddings/script.js", "word/embeddings/a.ps1",
    "word/embeddings/oleObject1.bin", "word/activeX/activeX1.xml", "word/vbaData.xml", "xl/VBAPROJECT.BIN",
    "../evil.txt", "/etc/passwd",
])
def test_executables_macros_and_escaping_paths_are_rejected(part):
    assert sniff_file_type(minimal_docx({part: b"MZ\x90\x00"}), "x.docx") is None


def test_encrypted_entries_are_rejected():
    data = bytearray(minimal_docx())
    # set the "encrypted" flag of every entry in the central directory
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        data[at + 8] |= 0x1
        at += 4
    assert sniff_file_type(bytes(data), "x.docx") is None


def test_too_many_zip_entries_is_rejected(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_ENTRIES", 3)
    assert sniff_file_type(minimal_docx(), "x.docx") is None


# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name", "ascii_name"),
    [
        ("laporan.pdf", "laporan.pdf", "laporan.pdf"),
        ("../../etc/passwd", "passwd", "passwd"),
        ("C:\\Users\\budi\\Desktop\\rekap.xlsx", "rekap.xlsx", "rekap.xlsx"),
        ('Laporan "Q1".pdf', "Laporan Q1.pdf", "Laporan Q1.pdf"),
        ("Bu Ani's report.pdf", "Bu Anis report.pdf", "Bu Anis report.pdf"),
        ("rapor\r\nSet-Cookie: x=1.pdf", "rapor Set-Cookie_ x=1.pdf", "rapor Set-Cookie_ x=1.pdf"),
        ("a\x00b\x07c.pdf", "abc.pdf", "abc.pdf"),
        ("Résumé Pegawai.docx", "Résumé Pegawai.docx", "Resume Pegawai.docx"),
        ("laporan\u202efdp.exe", "laporanfdp.exe", "laporanfdp.exe"),
        ("文件.pdf", "文件.pdf", "file.pdf"),
        ("..", "file", "file"),
        ("", "file", "file"),
        (".bashrc", "bashrc", "bashrc"),
        ("dir/", "file", "file"),
        ("  spaced   out  .pdf ", "spaced out .pdf", "spaced out .pdf"),
        ("what?<>|*.pdf", "what_____.pdf", "what_____.pdf"),
    ],
)
def test_safe_filename(raw, name, ascii_name):
    assert safe_filename(raw) == (name, ascii_name)


def test_safe_filename_non_string():
    assert safe_filename(None) == ("file", "file")  # type: ignore[arg-type]


def test_safe_filename_is_nfc():
    assert safe_filename("Re\u0301sume\u0301.pdf").name == "Résumé.pdf"


def test_safe_filename_max_150_keeps_extension():
    result = safe_filename("a" * 300 + ".pdf")
    assert len(result.name) == 150 and result.name.endswith(".pdf")
    assert len(result.ascii) == 150 and result.ascii.endswith(".pdf")
    long_unicode = safe_filename("é" * 300)
    assert len(long_unicode.name) == 150
    assert len(long_unicode.ascii) == 150 and long_unicode.ascii.isascii()


def test_ascii_fallback_is_ascii_and_quote_free():
    for raw in ["Ñandú \"x\".pdf", "東京.png", "ﬁle.pdf", "㎏.xlsx"]:
        fallback = safe_filename(raw).ascii
        assert fallback.isascii() and '"' not in fallback and "\\" not in fallback


def test_content_disposition_ascii():
    assert content_disposition("../laporan.pdf") == 'attachment; filename="laporan.pdf"'


def test_content_disposition_unicode():
    assert content_disposition("Résumé.pdf", "inline") == (
        "inline; filename=\"Resume.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf"
    )


def test_content_disposition_cannot_inject_headers():
    value = content_disposition('x"; filename="evil.exe\r\nX-Evil: 1')
    assert "\r" not in value and "\n" not in value
    assert value.count('"') == 2


def test_content_disposition_rejects_unknown_disposition():
    with pytest.raises(ValueError):
        content_disposition("x.pdf", "form-data")
