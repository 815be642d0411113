"""The domain layer must stay pure: no web framework, database or broker imports."""

import ast
import pathlib

import performance.domain

FORBIDDEN = {"flask", "flask_smorest", "marshmallow", "pymongo", "bson", "pika", "gunicorn", "shared"}


def imported_roots(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_domain_modules_import_nothing_impure():
    folder = pathlib.Path(performance.domain.__file__).parent
    files = sorted(folder.glob("*.py"))
    assert {f.name for f in files} >= {"__init__.py", "skp.py", "tasks.py", "online.py", "uploads.py"}
    for file in files:
        assert not set(imported_roots(file)) & FORBIDDEN, file.name
