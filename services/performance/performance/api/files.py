"""Uploaded and downloaded files, shared by task submissions and SKP evidence (bukti dukung).

Uploads are judged by their bytes (``domain/uploads.py``), stored in GridFS, and
removed again when the request that brought them is refused; downloads stream
the stored chunks with a safe name and no chance for the browser to run them.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Response

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from ..domain.uploads import content_disposition, download_name, sniff_file_type
from .common import store

ALLOWED_KINDS = "pdf, jpg, png, docx, xlsx"
ZIP_SIGNATURE = b"PK\x03\x04"
HEAD_BYTES = 64 * 1024


def check_file(storage, max_bytes: int):
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


def checked_uploads(uploads: list, settings, *, at_least: int = 0) -> list[tuple]:
    """(storage, FileType, size) of each upload, all checked before any is stored."""
    if len(uploads) < at_least:
        raise ApiError(422, "validation_failed", Msg("Kirim paling sedikit satu berkas.", "Send at least one file."),
                       errors={"files": [Msg("Kirim sebuah berkas.", "Send a file.")]})
    if len(uploads) > settings.max_files:
        raise ApiError(422, "too_many_files", Msg("Paling banyak {n} berkas per pengajuan.",
                                                  "At most {n} files per submission.", n=settings.max_files),
                       errors={"files": [Msg("Paling banyak {n} berkas.", "At most {n} files.", n=settings.max_files)]})
    return [(f, *check_file(f, settings.max_file_bytes)) for f in uploads]


@contextmanager
def stored_uploads(checked: list[tuple], fallback_name: str, **owner) -> Iterator[list[dict]]:
    """Store the checked files in GridFS and yield their metadata; if the block raises, they are
    deleted again (nothing stays behind for a refused request)."""
    stored: list[dict] = []
    try:
        for storage, file_type, _size in checked:
            name = download_name(storage.filename or fallback_name, file_type)
            saved = store().save_file(storage.stream, name=name, content_type=file_type.content_type, **owner)
            stored.append({"id": saved["id"], "name": name, "size": saved["size"],
                           "content_type": file_type.content_type, "sha256": saved["sha256"]})
        yield stored
    except BaseException:
        store().delete_files(f["id"] for f in stored)
        raise


def file_response(meta: dict | None, file_id: str, missing: Msg) -> Response:
    """The stored file, streamed chunk by chunk; 404 ``missing`` when there is none."""
    opened = store().open_file(file_id) if meta else None
    if opened is None:
        raise ApiError(404, "not_found", missing)
    length, chunks = opened
    response = Response(chunks, mimetype=meta["content_type"], direct_passthrough=True)
    response.headers["Content-Length"] = str(length)
    response.headers["Content-Disposition"] = content_disposition(meta["name"])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
