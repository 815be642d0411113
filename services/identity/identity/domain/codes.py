"""Unit (organisational unit / OPD) code validation."""

from __future__ import annotations

import re

__all__ = ["InvalidUnitCode", "validate_unit_code", "UNIT_CODE_PATTERN", "UNIT_CODE_MAX_LENGTH"]

UNIT_CODE_MAX_LENGTH = 32
UNIT_CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,31}")


class InvalidUnitCode(ValueError):
    """The value is not a valid unit code."""

    code = "invalid_unit_code"

    def __init__(self, reason: str, reason_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_id = reason_id or reason


def validate_unit_code(code: str) -> str:
    """Return the canonical (stripped, upper-case) unit code or raise :class:`InvalidUnitCode`.

    A unit code is 1-32 ASCII characters: it starts with a letter or digit and
    continues with letters, digits, ``.``, ``_`` or ``-``. Lower-case input is
    accepted and upper-cased (``bkpsdm`` -> ``BKPSDM``); surrounding whitespace
    is stripped. Non-ASCII letters are rejected *before* upper-casing so that
    e.g. ``straße`` cannot turn into ``STRASSE``.
    """
    if not isinstance(code, str):
        raise InvalidUnitCode(f"unit code must be a string, not {type(code).__name__}",
                              f"kode unit harus berupa teks, bukan {type(code).__name__}")
    value = code.strip()
    if not value:
        raise InvalidUnitCode("unit code is required", "kode unit wajib diisi")
    if not value.isascii():
        raise InvalidUnitCode("unit code may contain only ASCII letters, digits, '.', '_' and '-'",
                              "kode unit hanya boleh berisi huruf ASCII, angka, '.', '_' dan '-'")
    value = value.upper()
    if len(value) > UNIT_CODE_MAX_LENGTH:
        raise InvalidUnitCode(f"unit code is longer than {UNIT_CODE_MAX_LENGTH} characters",
                              f"kode unit lebih dari {UNIT_CODE_MAX_LENGTH} karakter")
    if not UNIT_CODE_PATTERN.fullmatch(value):
        raise InvalidUnitCode(
            "unit code must start with a letter or digit and contain only letters, "
            "digits, '.', '_' and '-'",
            "kode unit harus diawali huruf atau angka dan hanya berisi huruf, angka, '.', '_' dan '-'",
        )
    return value
