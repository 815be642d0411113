"""Every message a service raises for people is bilingual (``sipk_shared.i18n.Msg``): no plain
string or f-string reaches ``ApiError`` or marshmallow's ``ValidationError`` / ``error=``."""
from __future__ import annotations

import ast
import pathlib

import pytest

from sipk_shared.i18n import FIELD_MESSAGES

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.glob("services/*/*/**/*.py"), *ROOT.glob("shared/sipk_shared/*.py")])


def _plain_text(node: ast.AST | None) -> bool:
    """A string literal, an f-string or a concatenation of them (not a Msg(...) or a variable)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    return False


def _prose(node: ast.AST) -> bool:
    """Anywhere inside ``node`` but a call (``Msg(...)``): a string literal with a space (a sentence,
    not a code or a field name) that is not a library message i18n translates, or an f-string."""
    if isinstance(node, ast.Call):
        return False
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and " " in node.value.strip() and node.value not in FIELD_MESSAGES
    return any(_prose(child) for child in ast.iter_child_nodes(node))


# Helpers that pass their text on to an ApiError.
HELPERS = {"forbidden", "invalid", "unprocessable", "_unauthorized", "invalid_json", "file_response"}


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def plain_messages(path: pathlib.Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name == "ApiError" and len(node.args) >= 3 and _plain_text(node.args[2]):
            yield node.lineno
        elif name == "ValidationError" and node.args and _plain_text(node.args[0]):
            yield node.lineno
        elif name in {"Regexp", "Length", "Range", "OneOf"}:
            if any(k.arg == "error" and _plain_text(k.value) for k in node.keywords):
                yield node.lineno
        elif name in HELPERS and any(_prose(arg) for arg in node.args):
            yield node.lineno
        if name == "ApiError":
            if any(k.arg in {"message", "errors"} and _prose(k.value) for k in node.keywords):
                yield node.lineno


def test_sources_found():
    assert len(SOURCES) > 60


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_bilingual(path):
    assert list(plain_messages(path)) == []
