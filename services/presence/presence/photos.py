"""Photos the app sends (a check-in selfie, a correction's evidence): checked by content, stored clean.

A photo arrives base64-encoded in the JSON body. It is accepted only when its bytes
are a JPEG or a PNG that Pillow decodes completely (the name and any declared type are
never trusted), within a size and a pixel budget (no decompression bombs). What is
stored is a fresh JPEG drawn from the pixels, at most ``max_side`` pixels on a side:
the upload's metadata (EXIF: the phone's GPS position, its model, the time) is not
kept, since nobody needs it (UU 27/2022: data minimisation).
"""
from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from sipk_shared.errors import ApiError
from sipk_shared.i18n import Msg

MAX_PIXELS = 40_000_000  # a 12-megapixel phone photo is 12 M; a bomb declares far more
_SIGNATURES = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"))


@dataclass(frozen=True)
class Photo:
    data: bytes
    content_type: str
    width: int
    height: int


def _refuse(field: str, code: str, message: Msg) -> ApiError:
    return ApiError(422, code, message, errors={field: [message]})


def _too_large(max_bytes: int) -> Msg:
    return Msg("Foto lebih besar dari {kb} KB.", "The photo is larger than {kb} KB.", kb=max_bytes // 1000)


NOT_AN_IMAGE = Msg("Foto harus berupa gambar JPEG atau PNG.", "The photo must be a JPEG or PNG image.")


def checked_photo(encoded: str, *, field: str, max_bytes: int, max_side: int = 960) -> Photo:
    """Decode, check and re-encode one photo; 422 (``invalid_photo``, ``photo_too_large``,
    ``unsupported_file_type``) otherwise."""
    if len(encoded) > (max_bytes * 4) // 3 + 4:
        raise _refuse(field, "photo_too_large", _too_large(max_bytes))
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _refuse(field, "invalid_photo", Msg("Foto bukan data base64.", "The photo is not base64-encoded data.")) from None
    if len(raw) > max_bytes:
        raise _refuse(field, "photo_too_large", _too_large(max_bytes))
    expected = next((fmt for magic, fmt in _SIGNATURES if raw.startswith(magic)), None)
    if expected is None:
        raise _refuse(field, "unsupported_file_type", NOT_AN_IMAGE)
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != expected:
                raise _refuse(field, "unsupported_file_type", NOT_AN_IMAGE)
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise _refuse(field, "unsupported_file_type", Msg("Ukuran foto tidak wajar.",
                                                                  "The photo has an implausible size."))
            image.load()  # decodes everything: a truncated or corrupt file fails here
            upright = ImageOps.exif_transpose(image)
            clean = upright.convert("RGB")
            clean.thumbnail((max_side, max_side))
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=80, optimize=True)  # no EXIF: nothing of the upload's metadata
    except ApiError:
        raise
    except Exception:  # noqa: BLE001 - whatever Pillow cannot decode is not an image we take
        raise _refuse(field, "unsupported_file_type", Msg("Foto bukan gambar JPEG atau PNG yang dapat dibaca.",
                                                          "The photo is not a readable JPEG or PNG image.")) from None
    return Photo(out.getvalue(), "image/jpeg", clean.width, clean.height)
