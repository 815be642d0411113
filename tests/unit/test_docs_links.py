"""The repository explains itself: its documents link only to files it has, and nothing points to
the specification that lived beside the repository (a clone does not have it)."""
from __future__ import annotations

import pathlib
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# [text](target) and [text]: target; images too. Targets with a scheme (https:, mailto:) are not files.
_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)", re.M)
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# A mention of one of the repository's documents, in any file: `docs/trust.md`, docs/web.md.
_DOC_MENTION = re.compile(r"(?<![\w./-])docs/([\w-]+\.md)\b")
# The outside specification's names (built here so this file does not mention them itself).
_OUTSIDE = [re.compile(p) for p in (r"\.\./shared/" + "docs", "shared/" + "docs/", "PRODUCT" + r"\.md",
                                    "SKP" + "-RULES", "DESIGN" + "-NOTES")]


def _anchors(document: pathlib.Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+\s+(.+?)\s*$", document.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def _tracked() -> list[pathlib.Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in out.decode().split("\0") if name]


def _text(path: pathlib.Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # binary, or listed but absent


def test_documents_exist():
    assert (ROOT / "README.md").is_file()
    for name in ("product.md", "domain-rules.md", "events.md", "trust.md"):
        assert (ROOT / "docs" / name).is_file(), f"docs/{name} is missing"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_files(document):
    text = document.read_text(encoding="utf-8")
    broken = []
    for match in _LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if _EXTERNAL.match(target):
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path) if path else document
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(target)
    assert not broken, f"{document.relative_to(ROOT)} links to missing files or headings: {broken}"


def test_readme_lists_every_document():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted((ROOT / "docs").glob("*.md")) if f"(docs/{p.name})" not in readme]
    assert not missing, f"README.md's Documentation list does not link {missing}"


def test_no_file_points_outside_the_repository_or_to_a_missing_document():
    me = pathlib.Path(__file__).resolve()
    outside, missing = [], []
    for path in _tracked():
        if path.resolve() == me:
            continue
        text = _text(path)
        if text is None:
            continue
        rel = path.relative_to(ROOT)
        for number, line in enumerate(text.splitlines(), start=1):
            if any(p.search(line) for p in _OUTSIDE):
                outside.append(f"{rel}:{number}: {line.strip()[:120]}")
            for name in _DOC_MENTION.findall(line):
                if not (ROOT / "docs" / name).is_file():
                    missing.append(f"{rel}:{number}: docs/{name}")
    assert not outside, "references to the specification outside the repository:\n" + "\n".join(outside)
    assert not missing, "mentions of documents the repository does not have:\n" + "\n".join(missing)
