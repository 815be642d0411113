"""Performance settings, all from environment variables with local defaults."""
from __future__ import annotations

from dataclasses import dataclass

from sipk_shared.settings import CommonSettings, env_int, env_str

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings(CommonSettings):
    # Online status: online = last heartbeat at most this old, away = at most that old, else offline.
    online_after_s: int = 120
    away_after_s: int = 900
    # Heartbeats are coalesced per process and written in one bulk upsert this often
    # (0 = write each heartbeat at once). See docs/performance.md.
    heartbeat_flush_ms: int = 250
    # "Today" for presence and overdue tasks: the office day in this zone.
    office_timezone: str = "Asia/Jakarta"
    # Server-Sent Events (GET /team/status/stream).
    stream_poll_ms: int = 1000
    stream_keepalive_s: int = 15
    stream_max_lifetime_s: int = 600
    stream_max_per_process: int = 8
    stream_max_per_user: int = 2   # per process; a newer stream of the user replaces the oldest
    # Submissions.
    max_files: int = 5
    max_file_bytes: int = 10 * MB
    max_body_bytes: int = 52 * MB
    # SKP: the period scheme of a year without an admin setting (quarterly Q1-Q4 or monthly M01-M12),
    # and which years a plan may be kept for (this year, and so many back / ahead).
    skp_period_scheme: str = "quarterly"
    skp_years_back: int = 1
    skp_years_ahead: int = 1

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            **cls.common_from_env("performance"),
            online_after_s=env_int("ONLINE_AFTER_S", 120),
            away_after_s=env_int("AWAY_AFTER_S", 900),
            heartbeat_flush_ms=env_int("HEARTBEAT_FLUSH_MS", 250),
            office_timezone=env_str("OFFICE_TIMEZONE", "Asia/Jakarta"),
            stream_poll_ms=env_int("STREAM_POLL_MS", 1000),
            stream_keepalive_s=env_int("STREAM_KEEPALIVE_S", 15),
            stream_max_lifetime_s=env_int("STREAM_MAX_LIFETIME_S", 600),
            stream_max_per_process=env_int("STREAM_MAX_PER_PROCESS", 8),
            stream_max_per_user=env_int("STREAM_MAX_PER_USER", 2),
            max_files=env_int("SUBMISSION_MAX_FILES", 5),
            max_file_bytes=env_int("SUBMISSION_MAX_FILE_BYTES", 10 * MB),
            max_body_bytes=env_int("SUBMISSION_MAX_BODY_BYTES", 52 * MB),
            skp_period_scheme=env_str("SKP_PERIOD_SCHEME", "quarterly"),
            skp_years_back=env_int("SKP_YEARS_BACK", 1),
            skp_years_ahead=env_int("SKP_YEARS_AHEAD", 1),
        )
