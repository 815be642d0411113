"""The one JSON parser for request bodies, and the text rules every input obeys.

``json.loads`` alone turned hostile bodies into 500s: nesting ~1,000 deep hits
Python's recursion limit, a 5,000-digit number exceeds the int conversion
limit, and a lone surrogate (``"\\ud800"``) cannot be encoded for MongoDB
later. Here the body is parsed with bounded number literals, then walked once
(iteratively) for depth and text: too deep or a number too long is a 400
``invalid_json``; a control character (NUL and friends; tab, LF and CR are
text) or a lone surrogate in any string is a 422 naming the field.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Iterable

from .errors import INVALID_FIELDS, INVALID_JSON, ApiError
from .i18n import Msg

MAX_DEPTH = 32             # our deepest schema nests 4; 32 leaves room and stays far from recursion limits
MAX_NUMBER_CHARS = 40      # digits, sign, point and exponent of one number literal
# C0 controls except tab, LF, CR; DEL; C1 controls; and UTF-16 surrogates (only lone ones survive decoding).
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class _BadNumber(ValueError):
    pass


def _int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _BadNumber(Msg("ada angka lebih dari {n} karakter", "a number has more than {n} characters",
                             n=MAX_NUMBER_CHARS))
    value = int(literal)
    if not -2**63 <= value < 2**63:  # MongoDB keeps integers in 8 bytes
        raise _BadNumber(Msg("ada bilangan bulat yang melebihi 64 bit", "an integer does not fit in 64 bits"))
    return value


def _float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _BadNumber(Msg("ada angka lebih dari {n} karakter", "a number has more than {n} characters",
                             n=MAX_NUMBER_CHARS))
    value = float(literal)
    if not math.isfinite(value):
        raise _BadNumber(Msg("ada angka yang terlalu besar", "a number is too large"))
    return value


def _constant(name: str):
    raise _BadNumber(Msg("{name} bukan angka JSON", "{name} is not a JSON number", name=name))


def invalid_json(message: Msg = INVALID_JSON) -> ApiError:
    return ApiError(400, "invalid_json", message)


def _too_deep() -> Msg:
    return Msg("Isi permintaan bersarang lebih dari {n} tingkat.", "The request body nests deeper than {n} levels.",
               n=MAX_DEPTH)


def text_problem(value: str) -> str | None:
    """Why ``value`` is not acceptable text, or None."""
    match = _BAD_TEXT.search(value)
    if match is None:
        return None
    char = match.group()
    if "\ud800" <= char <= "\udfff":
        return Msg("Berisi surrogate UTF-16 tanpa pasangan (bukan teks Unicode yang valid).",
                   "Contains an unpaired UTF-16 surrogate (not valid Unicode text).")
    return Msg("Berisi karakter kendali (U+{code}).", "Contains a control character (U+{code}).",
               code=f"{ord(char):04X}")


def check_text_fields(items: Iterable[tuple[str, Any]]) -> None:
    """422 if any string value (or key) among ``(field, value)`` pairs is not acceptable text."""
    errors: dict[str, list[str]] = {}
    for field, value in items:
        for text in _strings(value):
            problem = text_problem(text)
            if problem:
                errors.setdefault(_field_name(field), [problem])
                break
        problem = text_problem(field) if isinstance(field, str) else None
        if problem:
            errors.setdefault("_schema", [Msg("Nama isian: {p}", "A field name: {p}", p=problem)])
    if errors:
        raise ApiError(422, "validation_failed", INVALID_FIELDS, errors=errors)


def _field_name(field: Any) -> str:
    name = str(field)
    return name if text_problem(name) is None and len(name) <= 100 else "_schema"


def _strings(value: Any):
    """Every string in ``value`` (keys included), depth-first, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, sub in item.items():
                if isinstance(key, str):
                    yield key
                stack.append(sub)
        elif isinstance(item, list):
            stack.extend(item)


def _depth(value: Any) -> int:
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def loads(raw: bytes | str) -> Any:
    """Parse a request body: 400 ``invalid_json`` for bad syntax, encoding, depth or number size;
    422 for unacceptable text (see module docstring)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid_json(Msg("Isi permintaan bukan UTF-8 yang valid.",
                                   "The request body is not valid UTF-8.")) from None
    try:
        value = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _BadNumber as exc:
        reason = exc.args[0]
        raise invalid_json(Msg("Isi permintaan bukan JSON yang dapat diterima: {id}.",
                               "The request body is not acceptable JSON: {en}.",
                               id=reason.id, en=reason.en)) from None
    except RecursionError:
        raise invalid_json(_too_deep()) from None
    except ValueError:
        raise invalid_json() from None
    if _depth(value) > MAX_DEPTH:
        raise invalid_json(_too_deep())
    if isinstance(value, dict):
        check_text_fields(value.items())
    else:
        check_text_fields([("_schema", value)])
    return value
