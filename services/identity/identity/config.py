"""Identity settings, all from environment variables with local defaults."""
from __future__ import annotations

from dataclasses import dataclass

from sipk_shared.settings import CommonSettings, env_int, env_str


@dataclass(frozen=True)
class Settings(CommonSettings):
    private_key_file: str = ""
    access_ttl_s: int = 900
    refresh_ttl_s: int = 30 * 24 * 3600
    bootstrap_admin_nip: str = ""
    bootstrap_admin_password: str = ""
    lockout_failures: int = 5            # per NIP and client address (identity.throttle)
    lockout_window_s: int = 900
    login_nip_failures: int = 20         # per NIP over all addresses: locks unknown clients only
    login_address_failures: int = 50     # per address over all NIPs (spraying): unknown clients only
    login_known_client_days: int = 90
    # The gateway's addresses: only from these is X-Real-IP the client's address.
    trusted_proxies: str = "127.0.0.1/32,::1/128"
    # Concurrent refreshes of one token within this many seconds (two tabs) lose with 409; a later
    # reuse is a stolen copy and ends the sign-in.
    refresh_reuse_grace_s: int = 2
    # Whose calendar gives "today" for a default employment date (TMT, last day): the regency's.
    office_timezone: str = "Asia/Jakarta"

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            **cls.common_from_env("identity"),
            private_key_file=env_str("JWT_PRIVATE_KEY_FILE", ".run/secrets/jwt_ed25519.pem"),
            access_ttl_s=env_int("ACCESS_TOKEN_TTL_S", 900),
            refresh_ttl_s=env_int("REFRESH_TOKEN_TTL_S", 30 * 24 * 3600),
            bootstrap_admin_nip=env_str("BOOTSTRAP_ADMIN_NIP", ""),
            bootstrap_admin_password=env_str("BOOTSTRAP_ADMIN_PASSWORD", ""),
            lockout_failures=env_int("LOGIN_LOCKOUT_FAILURES", 5),
            lockout_window_s=env_int("LOGIN_LOCKOUT_WINDOW_S", 900),
            login_nip_failures=env_int("LOGIN_NIP_FAILURES", 20),
            login_address_failures=env_int("LOGIN_ADDRESS_FAILURES", 50),
            login_known_client_days=env_int("LOGIN_KNOWN_CLIENT_DAYS", 90),
            trusted_proxies=env_str("TRUSTED_PROXIES", "127.0.0.1/32,::1/128"),
            refresh_reuse_grace_s=env_int("REFRESH_REUSE_GRACE_S", 2),
            office_timezone=env_str("OFFICE_TIMEZONE", "Asia/Jakarta"),
        )
