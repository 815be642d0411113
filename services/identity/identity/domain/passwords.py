"""Password policy (no hashing here -- that belongs to the service layer)."""

from __future__ import annotations

import secrets
import string
import unicodedata

__all__ = [
    "WeakPassword",
    "check_new_password",
    "generate_temporary_password",
    "PASSWORD_MIN_LENGTH",
    "PASSWORD_MAX_LENGTH",
    "TEMPORARY_PASSWORD_ALPHABET",
    "TEMPORARY_PASSWORD_LENGTH",
]

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
TEMPORARY_PASSWORD_LENGTH = 16
# No look-alikes: 0/O/o, 1/l/I/i, and no symbols that are hard to dictate.
TEMPORARY_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


class WeakPassword(ValueError):
    """The proposed password does not meet the policy. ``reason`` says why."""

    code = "weak_password"

    def __init__(self, reason: str, reason_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_id = reason_id or reason


def check_new_password(new: str, nip: str, old: str | None = None) -> None:
    """Raise :class:`WeakPassword` unless ``new`` is acceptable for the employee ``nip``.

    Rules: a string of 10-128 characters (counted as Unicode code points), not
    blank, without control characters, not equal to and not containing the
    NIP, and different from the old password (exact comparison).
    """
    if not isinstance(new, str):
        raise WeakPassword("password must be a string", "kata sandi harus berupa teks")
    if len(new) < PASSWORD_MIN_LENGTH:
        raise WeakPassword(f"password must be at least {PASSWORD_MIN_LENGTH} characters long",
                           f"kata sandi minimal {PASSWORD_MIN_LENGTH} karakter")
    if len(new) > PASSWORD_MAX_LENGTH:
        raise WeakPassword(f"password must be at most {PASSWORD_MAX_LENGTH} characters long",
                           f"kata sandi maksimal {PASSWORD_MAX_LENGTH} karakter")
    if not new.strip():
        raise WeakPassword("password must not be only spaces", "kata sandi tidak boleh hanya spasi")
    if any(unicodedata.category(ch) == "Cc" for ch in new):
        raise WeakPassword("password must not contain control characters",
                           "kata sandi tidak boleh berisi karakter kendali")
    if nip:
        if new == nip:
            raise WeakPassword("password must not be the NIP", "kata sandi tidak boleh sama dengan NIP")
        if nip in new:
            raise WeakPassword("password must not contain the NIP", "kata sandi tidak boleh memuat NIP")
    if old is not None and new == old:
        raise WeakPassword("new password must be different from the old password",
                           "kata sandi baru harus berbeda dari yang lama")


def generate_temporary_password(length: int = TEMPORARY_PASSWORD_LENGTH) -> str:
    """A random one-time password from an unambiguous alphabet (``secrets``-based).

    The result always holds at least one upper-case letter, one lower-case
    letter and one digit, so it satisfies character-class rules elsewhere too.
    """
    if length < PASSWORD_MIN_LENGTH:
        raise ValueError(f"temporary password length must be >= {PASSWORD_MIN_LENGTH}")
    while True:
        candidate = "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(length))
        if (
            any(c in string.ascii_uppercase for c in candidate)
            and any(c in string.ascii_lowercase for c in candidate)
            and any(c in string.digits for c in candidate)
        ):
            return candidate
