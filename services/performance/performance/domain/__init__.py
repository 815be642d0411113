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

__all__ = [
    "BERAKHLAK",
    "PERIODS",
    "RATINGS",
    "ForbiddenAction",
    "InvalidPeriod",
    "InvalidTransition",
    "is_overdue",
    "online_state",
    "predikat",
    "skp_transition",
    "transition",
    "validate_period",
]
