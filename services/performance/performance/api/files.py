"""Uploaded and downloaded files, shared by task submissions and SKP evidence (bukti dukung).

Uploads are judged by their bytes (``sipk_shared.uploads``), stored in GridFS, and
removed again when the request that brought them is refused; downloads stream
the stored chunks with a safe name and no chance for the browser to run them.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Response

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

from sipk_shared.files import download
from sipk_shared.uploads import check_uploads, download_name
from .common import store

def checked_uploads(uploads: list, settings, *, at_least: int = 0) -> list[tuple]:
    """(storage, FileType, size) of each upload, all checked before any is stored (sipk_shared.uploads)."""
    return check_uploads(uploads, max_files=settings.max_files, max_file_bytes=settings.max_file_bytes,
                         at_least=at_least)


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
    return download(opened, name=meta["name"], content_type=meta["content_type"])
