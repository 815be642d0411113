"""Files kept in a service's own database (GridFS) and streamed back: task submissions and SKP
evidence in performance, leave attachments in presence. What a file may be is decided before it
gets here (``sipk_shared.uploads``: by its bytes)."""
from __future__ import annotations

import hashlib
from typing import Any, BinaryIO, Iterable, Iterator

import gridfs
from bson import ObjectId
from bson.errors import InvalidId
from flask import Response
from pymongo.database import Database

from .uploads import content_disposition


class HashingReader:
    """Wraps a binary stream: counts bytes and computes SHA-256 while GridFS reads it."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self.size = 0
        self.sha256 = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self._stream.read(n)
        self.size += len(data)
        self.sha256.update(data)
        return data


class GridFiles:
    """One GridFS bucket (``<bucket>.files`` / ``<bucket>.chunks``)."""

    def __init__(self, db: Database, bucket: str):
        self._bucket = gridfs.GridFSBucket(db, bucket_name=bucket)

    def save(self, stream: BinaryIO, *, name: str, metadata: dict[str, Any]) -> dict[str, Any]:
        """Stream into GridFS in 255 KB chunks; returns {id, size, sha256}."""
        reader = HashingReader(stream)
        file_id = self._bucket.upload_from_stream(name, reader, metadata=metadata)
        return {"id": str(file_id), "size": reader.size, "sha256": reader.sha256.hexdigest()}

    def delete(self, file_ids: Iterable[str]) -> None:
        for fid in file_ids:
            try:
                self._bucket.delete(ObjectId(fid))
            except (gridfs.errors.NoFile, InvalidId):
                pass

    def open(self, file_id: str) -> tuple[int, Iterator[bytes]] | None:
        """(length, chunk iterator) for a stored file; chunks are read lazily, one at a time."""
        try:
            grid_out = self._bucket.open_download_stream(ObjectId(file_id))
        except (gridfs.errors.NoFile, InvalidId):
            return None

        def chunks() -> Iterator[bytes]:
            try:
                while True:
                    data = grid_out.readchunk()
                    if not data:
                        return
                    yield data
            finally:
                grid_out.close()

        return grid_out.length, chunks()


def download(opened: tuple[int, Iterator[bytes]], *, name: str, content_type: str) -> Response:
    """A stored file as an attachment the browser will not run: streamed, its length, a safe name,
    nosniff and a sandboxing CSP."""
    length, chunks = opened
    response = Response(chunks, mimetype=content_type, direct_passthrough=True)
    response.headers["Content-Length"] = str(length)
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
