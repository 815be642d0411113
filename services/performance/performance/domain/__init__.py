"""Pure domain rules of the performance service (no Flask, no pymongo, no pika)."""

from .online import online_state
from .skp import (
    BERAKHLAK,
    PERIODS,
    RATINGS,
    ForbiddenAction,
    InvalidPeriod,
    InvalidTransition,
    predikat,
    skp_transition,
    validate_period,
)
from .tasks import is_overdue, transition
from .uploads import FileType, content_disposition, safe_filename, sniff_file_type

__all__ = [
    "BERAKHLAK",
    "PERIODS",
    "RATINGS",
    "FileType",
    "ForbiddenAction",
    "InvalidPeriod",
    "InvalidTransition",
    "content_disposition",
    "is_overdue",
    "online_state",
    "predikat",
    "safe_filename",
    "skp_transition",
    "sniff_file_type",
    "transition",
    "validate_period",
]
