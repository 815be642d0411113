"""How long a sign-in lock lasts: growing with each lockout of the same key within a day."""
from __future__ import annotations

DAY_S = 24 * 3600


def lock_seconds(base_s: int, earlier_lockouts: int, cap_s: int = DAY_S) -> int:
    """``base_s`` for the first lockout, doubled for each earlier one in the last 24 hours, at most ``cap_s``."""
    if base_s <= 0:
        return 0
    return int(min(cap_s, base_s * 2 ** min(max(earlier_lockouts, 0), 20)))
