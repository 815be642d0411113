"""Every service's domain layer stays pure: the standard library (and pyproj
for geodesy) only — no web framework, database, broker or shared package."""
from __future__ import annotations

import ast
import importlib
import pathlib
import sys

import pytest

ALLOWED_THIRD_PARTY = {"pyproj"}
EXPECTED_MODULES = {
    "identity": {"nip.py", "hierarchy.py", "csv_import.py", "passwords.py", "codes.py"},
    "presence": {"geofence.py", "schedule.py", "clock.py", "lateness.py", "status.py", "roster.py", "leave.py",
                 "recap.py"},
    "performance": {"skp.py", "tasks.py", "online.py", "attendance.py"},
}


def imported_roots(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("service", sorted(EXPECTED_MODULES))
def test_domain_modules_import_only_stdlib(service):
    folder = pathlib.Path(importlib.import_module(f"{service}.domain").__file__).parent
    files = sorted(folder.glob("*.py"))
    assert {f.name for f in files} >= EXPECTED_MODULES[service] | {"__init__.py"}
    allowed = set(sys.stdlib_module_names) | ALLOWED_THIRD_PARTY | {"__future__"}
    for file in files:
        impure = set(imported_roots(file)) - allowed
        assert not impure, (file.name, impure)
