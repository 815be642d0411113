"""Presence settings, all from environment variables with local defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from sipk_shared.settings import CommonSettings, env_bool, env_int, env_str

from .domain.leave_balance import BalanceRules
from .domain.trust import TrustRules, parse_refuse


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name} must be a number, got {raw!r}") from exc


def trust_rules_from_env() -> TrustRules:
    """The thresholds of the check-in trust signals (domain/trust.py; docs/trust.md lists them)."""
    base = TrustRules()
    return TrustRules(
        accuracy_floor_m=env_float("TRUST_ACCURACY_FLOOR_M", base.accuracy_floor_m),
        max_speed_kmh=env_float("TRUST_MAX_SPEED_KMH", base.max_speed_kmh),
        position_max_age_s=env_float("TRUST_POSITION_MAX_AGE_S", base.position_max_age_s),
        clock_tolerance_s=env_float("TRUST_CLOCK_TOLERANCE_S", base.clock_tolerance_s),
        queue_max_delay_s=env_float("TRUST_QUEUE_MAX_DELAY_S", base.queue_max_delay_s),
        inside_min_fraction=env_float("TRUST_INSIDE_MIN_FRACTION", base.inside_min_fraction),
        device_required=env_bool("TRUST_DEVICE_REQUIRED", base.device_required),
        refuse=parse_refuse(env_str("TRUST_REFUSE", "")),
    )


@dataclass(frozen=True)
class Settings(CommonSettings):
    # Offices, schedules and holidays are cached per process for this long
    # (an admin's change reaches every worker within this many seconds).
    office_cache_s: int = 3
    # Longest date range GET /me/history and /team/history answer in one call.
    history_max_days: int = 93
    # How long an Idempotency-Key's first answer is kept for replays.
    idempotency_keep_hours: int = 48
    # --- trust (docs/trust.md): the signals' thresholds and flag/refuse decisions
    trust: TrustRules = field(default_factory=TrustRules)
    # how many earlier days the repeated-point signal compares with
    repeat_lookback_days: int = 30
    # selfies are deleted this many days after they were taken (worker job)
    selfie_keep_days: int = 35
    # a selfie or a correction's photo, as sent (bytes after base64 decoding)
    photo_max_bytes: int = 512_000
    # --- attendance corrections
    corrections_per_month: int = 3
    correction_max_age_days: int = 31
    # a correction's photo is deleted this many days after the decision (worker job)
    correction_photo_keep_days: int = 90
    # Annual leave (cuti tahunan, domain/leave_balance.py): working days a year, and at most this
    # many unused days carried into the next year (PP 11/2017: 18 days in all).
    annual_leave_days: int = 12
    annual_leave_carry_max: int = 6
    # A leave request's attachment (SPT scan, doctor's letter): the task uploads' types, this size.
    leave_attachment_max_bytes: int = 10 * 1024 * 1024

    @property
    def leave_balance_rules(self) -> BalanceRules:
        return BalanceRules(entitlement=self.annual_leave_days, carry_over_max=self.annual_leave_carry_max)

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(**cls.common_from_env("presence"),
                   office_cache_s=env_int("OFFICE_CACHE_SECONDS", 3),
                   history_max_days=env_int("HISTORY_MAX_DAYS", 93),
                   idempotency_keep_hours=env_int("IDEMPOTENCY_KEEP_HOURS", 48),
                   trust=trust_rules_from_env(),
                   repeat_lookback_days=env_int("TRUST_REPEAT_LOOKBACK_DAYS", 30),
                   selfie_keep_days=env_int("SELFIE_KEEP_DAYS", 35),
                   photo_max_bytes=env_int("PHOTO_MAX_BYTES", 512_000),
                   corrections_per_month=env_int("CORRECTIONS_PER_MONTH", 3),
                   correction_max_age_days=env_int("CORRECTION_MAX_AGE_DAYS", 31),
                   correction_photo_keep_days=env_int("CORRECTION_PHOTO_KEEP_DAYS", 90),
                   annual_leave_days=env_int("ANNUAL_LEAVE_DAYS", 12),
                   annual_leave_carry_max=env_int("ANNUAL_LEAVE_CARRY_MAX", 6),
                   leave_attachment_max_bytes=env_int("LEAVE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
