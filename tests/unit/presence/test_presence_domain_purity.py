"""The presence domain stays pure: standard library and pyproj only."""

import ast
import pathlib
import sys

import presence.domain

ALLOWED_THIRD_PARTY = {"pyproj"}
EXPECTED_MODULES = {
    "__init__.py", "geofence.py", "schedule.py", "clock.py", "lateness.py",
    "status.py", "roster.py", "leave.py", "recap.py",
}


def imported_roots(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_domain_modules_import_only_stdlib_and_pyproj():
    folder = pathlib.Path(presence.domain.__file__).parent
    files = sorted(folder.glob("*.py"))
    assert {f.name for f in files} >= EXPECTED_MODULES
    allowed = set(sys.stdlib_module_names) | ALLOWED_THIRD_PARTY | {"__future__"}
    for file in files:
        impure = set(imported_roots(file)) - allowed
        assert not impure, (file.name, impure)
