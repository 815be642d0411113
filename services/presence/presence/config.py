"""Presence settings, all from environment variables with local defaults."""
from __future__ import annotations

from dataclasses import dataclass

from sipk_shared.settings import CommonSettings, env_int


@dataclass(frozen=True)
class Settings(CommonSettings):
    # Offices, schedules and holidays are cached per process for this long
    # (an admin's change reaches every worker within this many seconds).
    office_cache_s: int = 3
    # Longest date range GET /me/history and /team/history answer in one call.
    history_max_days: int = 93
    # How long an Idempotency-Key's first answer is kept for replays.
    idempotency_keep_hours: int = 48
    # Annual leave (cuti tahunan, domain/leave_balance.py): working days a year, and at most this
    # many unused days carried into the next year (PP 11/2017: 18 days in all).
    annual_leave_days: int = 12
    annual_leave_carry_max: int = 6
    # A leave request's attachment (SPT scan, doctor's letter): the task uploads' types, this size.
    leave_attachment_max_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(**cls.common_from_env("presence"),
                   office_cache_s=env_int("OFFICE_CACHE_SECONDS", 3),
                   history_max_days=env_int("HISTORY_MAX_DAYS", 93),
                   idempotency_keep_hours=env_int("IDEMPOTENCY_KEEP_HOURS", 48),
                   annual_leave_days=env_int("ANNUAL_LEAVE_DAYS", 12),
                   annual_leave_carry_max=env_int("ANNUAL_LEAVE_CARRY_MAX", 6),
                   leave_attachment_max_bytes=env_int("LEAVE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
