"""What the trust features keep only for a while, deleted by the worker (a query each: the ages are
settings, which a TTL index's fixed option could not follow): selfies ``SELFIE_KEEP_DAYS`` after
they were taken, a correction's photo ``CORRECTION_PHOTO_KEEP_DAYS`` after its decision, and who
used which device on a day after a week (``shared_device`` compares only the same day)."""
from __future__ import annotations

from datetime import datetime, timedelta

from .config import Settings
from .store import Store

DEVICE_DAYS_KEEP = 7


def purge_trust_data(store: Store, settings: Settings, now: datetime) -> dict[str, int]:
    return {
        "selfies": store.purge_selfies(now - timedelta(days=settings.selfie_keep_days)),
        "correction_photos": store.purge_correction_photos(now - timedelta(days=settings.correction_photo_keep_days)),
        "device_days": store.purge_device_days((now - timedelta(days=DEVICE_DAYS_KEEP)).date().isoformat()),
    }
