"""Performance settings, all from environment variables with local defaults."""
from __future__ import annotations

from dataclasses import dataclass

from sipk_shared.settings import CommonSettings


@dataclass(frozen=True)
class Settings(CommonSettings):
    @classmethod
    def from_env(cls) -> "Settings":
        return cls(**cls.common_from_env("performance"))
