"""Pure domain rules of the identity service (no Flask, no pymongo, no pika)."""

from .codes import InvalidUnitCode, validate_unit_code
from .csv_import import (
    CsvRejected,
    ImportRow,
    LineError,
    ParseResult,
    parse_employee_csv,
)
from .hierarchy import ImportOrder, resolve_import_order, subtree, would_create_cycle
from .nip import InvalidNip, NipInfo, is_valid_nip, validate_nip
from .passwords import WeakPassword, check_new_password, generate_temporary_password

__all__ = [
    "CsvRejected",
    "ImportOrder",
    "ImportRow",
    "InvalidNip",
    "InvalidUnitCode",
    "LineError",
    "NipInfo",
    "ParseResult",
    "WeakPassword",
    "check_new_password",
    "generate_temporary_password",
    "is_valid_nip",
    "parse_employee_csv",
    "resolve_import_order",
    "subtree",
    "validate_nip",
    "validate_unit_code",
    "would_create_cycle",
]
