"""Employee and unit field rules shared by the API and the CSV import.

One place decides what a valid name, position, e-mail and role list are, so
an employee created through the API and the same employee re-imported from a
spreadsheet compare equal (and the re-import changes nothing).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "EMAIL_MAX_LENGTH",
    "NAME_MAX_LENGTH",
    "POSITION_MAX_LENGTH",
    "ROLES",
    "InvalidField",
    "check_email",
    "check_text",
    "clean_text",
    "diff",
    "has_control_chars",
    "normalize_roles",
]

NAME_MAX_LENGTH = 200
POSITION_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
ROLES = ("employee", "admin")

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


class InvalidField(ValueError):
    """A field value breaks a rule; ``field`` names it, ``reason`` says why."""

    code = "validation_failed"

    def __init__(self, field: str, reason: str, reason_id: str | None = None) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.reason_id = reason_id or reason


def clean_text(raw: str) -> str:
    """Collapse every run of whitespace (line breaks included) into one space."""
    return " ".join(raw.split())


def has_control_chars(value: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value)


def check_text(raw: str, field: str, max_length: int) -> str:
    """The cleaned, required text of ``field`` or :class:`InvalidField`."""
    value = clean_text(raw)
    if not value:
        raise InvalidField(field, f"{field} is required", f"{field} wajib diisi")
    if len(value) > max_length:
        raise InvalidField(field, f"{field} is longer than {max_length} characters",
                           f"{field} lebih dari {max_length} karakter")
    if has_control_chars(value):
        raise InvalidField(field, f"{field} contains control characters", f"{field} berisi karakter kendali")
    return value


def check_email(raw: str | None) -> str | None:
    """An optional e-mail address: blank is ``None``, anything else must look like one."""
    value = (raw or "").strip() or None
    if value is not None and (len(value) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(value)):
        raise InvalidField("email", f"email {value[:60]!r} is not a valid e-mail address",
                           f"email {value[:60]!r} bukan alamat e-mail yang valid")
    return value


def normalize_roles(roles: Iterable[str] | None) -> list[str]:
    """Every employee has ``employee``; ``admin`` (BKPSDM) is added on top.

    "Supervisor" is not a role: it follows from having direct subordinates.
    """
    wanted = set(roles or ())
    unknown = sorted(wanted - set(ROLES))
    if unknown:
        raise InvalidField("roles", f"unknown roles: {', '.join(unknown)} (allowed: {', '.join(ROLES)})",
                           f"peran tidak dikenal: {', '.join(unknown)} (yang boleh: {', '.join(ROLES)})")
    wanted.add("employee")
    return [role for role in ROLES if role in wanted]


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any], fields: Iterable[str]) -> dict[str, dict]:
    """``{field: {"from": old, "to": new}}`` for each of ``fields`` that changed.

    ``before=None`` (a creation) lists every field with ``from: None``.
    """
    before = before or {}
    return {f: {"from": before.get(f), "to": after.get(f)}
            for f in fields if before.get(f) != after.get(f)}
