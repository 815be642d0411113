"""NIP (Nomor Induk Pegawai) validation.

An ASN's NIP is 18 digits laid out as::

    YYYYMMDD  YYYYMM  S  NNN
    birth     appt.   sex sequence

for example ``198503302010011002``: born 1985-03-30, appointed (TMT CPNS)
January 2010, male, sequence 002.

Rules enforced here (each failure raises :class:`InvalidNip` with a reason):

* the value is a ``str`` of exactly 18 ASCII digits -- no whitespace, no
  separators, no non-ASCII digits (Arabic-Indic, full-width, ...);
* digits 1-8 are a real calendar date, year >= 1900, not after ``today``;
* digits 9-14 are ``YYYYMM`` with month 01-12, year >= 1950, not after the
  current month of ``today``;
* the appointment month is at least :data:`MIN_AGE_AT_APPOINTMENT` (17) years
  after the birth month. The legal minimum age for CPNS is 18; 17 (compared
  by month) leaves room for data-entry conventions while still catching the
  usual mistakes (swapped blocks, a typo in a year). This also guarantees the
  appointment is after the birth;
* digit 15 is ``1`` (male) or ``2`` (female);
* digits 16-18 are a sequence 001-999; ``000`` is rejected because BKN
  sequences start at 001.

``today`` is injectable for tests. By default it is the current date in WIT
(UTC+9), the easternmost Indonesian time zone, so that a server running in UTC
never rejects a NIP that is already valid somewhere in Indonesia.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "InvalidNip",
    "NipInfo",
    "validate_nip",
    "is_valid_nip",
    "NIP_LENGTH",
    "MIN_BIRTH_YEAR",
    "MIN_APPOINTMENT_YEAR",
    "MIN_AGE_AT_APPOINTMENT",
]

NIP_LENGTH = 18
MIN_BIRTH_YEAR = 1900
MIN_APPOINTMENT_YEAR = 1950
MIN_AGE_AT_APPOINTMENT = 17

_WIT = _dt.timezone(_dt.timedelta(hours=9), "WIT")
_ASCII_DIGITS = frozenset("0123456789")


class InvalidNip(ValueError):
    """The value is not a valid NIP. ``reason`` says why in English, ``reason_id`` in Indonesian."""

    code = "invalid_nip"

    def __init__(self, reason: str, reason_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_id = reason_id or reason


@dataclass(frozen=True, slots=True)
class NipInfo:
    """What a valid NIP says about its holder."""

    birth_date: _dt.date
    appointment: tuple[int, int]  # (year, month) of appointment (TMT CPNS)
    sex: Literal["M", "F"]
    sequence: int  # 1..999


def _default_today() -> _dt.date:
    return _dt.datetime.now(_WIT).date()


def validate_nip(nip: str, *, today: _dt.date | None = None) -> NipInfo:
    """Validate ``nip`` and return what it encodes; raise :class:`InvalidNip` otherwise."""
    if not isinstance(nip, str):
        raise InvalidNip(f"NIP must be a string of {NIP_LENGTH} digits, not {type(nip).__name__}",
                         f"NIP harus berupa teks {NIP_LENGTH} digit, bukan {type(nip).__name__}")
    if today is None:
        today = _default_today()
    elif isinstance(today, _dt.datetime):
        today = today.date()

    if len(nip) != NIP_LENGTH:
        raise InvalidNip(f"NIP must be exactly {NIP_LENGTH} digits (got {len(nip)} characters)",
                         f"NIP harus tepat {NIP_LENGTH} digit (ada {len(nip)} karakter)")
    if not all(ch in _ASCII_DIGITS for ch in nip):
        raise InvalidNip(
            "NIP must contain only the digits 0-9 (no spaces, separators or other characters)",
            "NIP hanya boleh berisi angka 0-9 (tanpa spasi, pemisah atau karakter lain)",
        )

    birth_year, birth_month, birth_day = int(nip[0:4]), int(nip[4:6]), int(nip[6:8])
    appt_year, appt_month = int(nip[8:12]), int(nip[12:14])
    sex_digit = nip[14]
    sequence = int(nip[15:18])

    # Birth date (digits 1-8).
    if birth_year < MIN_BIRTH_YEAR:
        raise InvalidNip(f"birth year {birth_year} in NIP digits 1-4 is before {MIN_BIRTH_YEAR}",
                         f"tahun lahir {birth_year} pada digit 1-4 NIP sebelum {MIN_BIRTH_YEAR}")
    try:
        birth_date = _dt.date(birth_year, birth_month, birth_day)
    except ValueError:
        raise InvalidNip(
            f"digits 1-8 of the NIP ({nip[0:8]}) are not a valid birth date YYYYMMDD",
            f"digit 1-8 NIP ({nip[0:8]}) bukan tanggal lahir YYYYMMDD yang valid",
        ) from None
    if birth_date > today:
        raise InvalidNip(f"birth date {birth_date.isoformat()} in the NIP is in the future",
                         f"tanggal lahir {birth_date.isoformat()} pada NIP ada di masa depan")

    # Appointment month (digits 9-14).
    if not 1 <= appt_month <= 12:
        raise InvalidNip(
            f"digits 9-14 of the NIP ({nip[8:14]}) are not a valid appointment YYYYMM "
            f"(month {appt_month:02d})",
            f"digit 9-14 NIP ({nip[8:14]}) bukan bulan pengangkatan YYYYMM yang valid "
            f"(bulan {appt_month:02d})",
        )
    if appt_year < MIN_APPOINTMENT_YEAR:
        raise InvalidNip(
            f"appointment year {appt_year} in NIP digits 9-12 is before {MIN_APPOINTMENT_YEAR}",
            f"tahun pengangkatan {appt_year} pada digit 9-12 NIP sebelum {MIN_APPOINTMENT_YEAR}",
        )
    if (appt_year, appt_month) > (today.year, today.month):
        raise InvalidNip(f"appointment {appt_year:04d}-{appt_month:02d} in the NIP is in the future",
                         f"pengangkatan {appt_year:04d}-{appt_month:02d} pada NIP ada di masa depan")
    if appt_year * 12 + appt_month < (birth_year + MIN_AGE_AT_APPOINTMENT) * 12 + birth_month:
        raise InvalidNip(
            f"appointment {appt_year:04d}-{appt_month:02d} in the NIP is less than "
            f"{MIN_AGE_AT_APPOINTMENT} years after the birth date {birth_date.isoformat()}",
            f"pengangkatan {appt_year:04d}-{appt_month:02d} pada NIP kurang dari "
            f"{MIN_AGE_AT_APPOINTMENT} tahun setelah tanggal lahir {birth_date.isoformat()}",
        )

    # Sex (digit 15).
    if sex_digit == "1":
        sex: Literal["M", "F"] = "M"
    elif sex_digit == "2":
        sex = "F"
    else:
        raise InvalidNip(f"digit 15 of the NIP (sex) must be 1 or 2, not {sex_digit}",
                         f"digit 15 NIP (jenis kelamin) harus 1 atau 2, bukan {sex_digit}")

    # Sequence (digits 16-18).
    if sequence == 0:
        raise InvalidNip("digits 16-18 of the NIP (sequence number) must be 001-999, not 000",
                         "digit 16-18 NIP (nomor urut) harus 001-999, bukan 000")

    return NipInfo(
        birth_date=birth_date,
        appointment=(appt_year, appt_month),
        sex=sex,
        sequence=sequence,
    )


def is_valid_nip(nip: object, *, today: _dt.date | None = None) -> bool:
    """``True`` when :func:`validate_nip` accepts ``nip``."""
    try:
        validate_nip(nip, today=today)  # type: ignore[arg-type]
    except InvalidNip:
        return False
    return True
