"""Supervisor hierarchy rules (atasan langsung), independent of storage.

The storage layer is reached only through the small callables passed in, so
these functions work against Mongo, a dict in a test, or the rows of a CSV.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = [
    "MAX_HIERARCHY_DEPTH",
    "would_create_cycle",
    "subtree",
    "ImportOrder",
    "resolve_import_order",
]

# No real organisation chart is this deep; reaching it means corrupt data.
MAX_HIERARCHY_DEPTH = 1000

R = TypeVar("R")


def would_create_cycle(
    nip: str,
    new_supervisor_nip: str | None,
    supervisor_of: Callable[[str], str | None],
    *,
    max_depth: int = MAX_HIERARCHY_DEPTH,
) -> bool:
    """Would making ``new_supervisor_nip`` the supervisor of ``nip`` close a loop?

    Walks up from the new supervisor through ``supervisor_of`` (which answers
    the *current* supervisor NIP of an employee, or ``None``). Self-supervision
    is a cycle; no supervisor (``None``/``""``) never is.

    Fails closed: if the existing chain above the new supervisor is already
    corrupt (a loop that does not pass through ``nip``, or deeper than
    ``max_depth``) the answer is ``True`` -- attaching someone under a chain that
    never reaches a top cannot be proven safe. Fixing such data is still
    possible: re-point a member of the loop to a supervisor outside it.
    """
    if not new_supervisor_nip:
        return False
    if new_supervisor_nip == nip:
        return True
    visited: set[str] = set()
    current: str | None = new_supervisor_nip
    depth = 0
    while current:
        if current == nip:
            return True
        if current in visited or depth >= max_depth:
            return True  # pre-existing loop or runaway chain: refuse
        visited.add(current)
        depth += 1
        current = supervisor_of(current)
    return False


def subtree(
    nip: str,
    direct_subordinates_of: Callable[[str], Iterable[str]],
    *,
    max_nodes: int | None = None,
) -> list[str]:
    """Every subordinate of ``nip`` at any depth, breadth-first, each listed once.

    ``nip`` itself is never in the result, even when corrupt data loops back
    to it. ``max_nodes`` optionally caps the result size.
    """
    seen: set[str] = {nip}
    result: list[str] = []
    queue: deque[str] = deque([nip])
    while queue:
        current = queue.popleft()
        for child in direct_subordinates_of(current):
            if not child or child in seen:
                continue
            seen.add(child)
            result.append(child)
            if max_nodes is not None and len(result) >= max_nodes:
                return result
            queue.append(child)
    return result


@dataclass(frozen=True, slots=True)
class ImportOrder(Generic[R]):
    """Result of :func:`resolve_import_order`.

    ``ordered``: rows to apply, every supervisor defined in the file before its
    subordinates, otherwise in file order.
    ``cyclic``: rows whose supervisor chain *within the file* loops back to
    themselves (including self-supervision), in file order. They must be
    reported, not applied.
    """

    ordered: list[R]
    cyclic: list[R]


def _field(row: Any, name: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(name)
    return getattr(row, name, None)


def resolve_import_order(rows: Sequence[R]) -> ImportOrder[R]:
    """Order CSV import rows so that supervisors defined in the same file come first.

    ``rows`` are mappings or objects with ``nip`` and ``supervisor_nip``.
    A supervisor not present in the file (already in the database, unknown, or
    empty) imposes no ordering; the service checks it when applying the row.
    Rows that form a loop inside the file go to ``cyclic``. Rows *hanging
    under* a loop (not part of it) stay in ``ordered`` in file order; their
    supervisor row is not applied, so the service will reject them unless that
    supervisor already exists. If a NIP appears more than once, the first row
    with that NIP is the one supervisors are resolved against.
    """
    index_of: dict[str, int] = {}
    for i, row in enumerate(rows):
        nip = _field(row, "nip")
        if nip and nip not in index_of:
            index_of[nip] = i

    parent: list[int | None] = []
    for row in rows:
        sup = _field(row, "supervisor_nip")
        parent.append(index_of.get(sup) if sup else None)

    # Nodes on cycles of the functional graph i -> parent[i].
    n = len(rows)
    state = [0] * n  # 0 = unvisited, 1 = on the current path, 2 = done
    on_cycle = [False] * n
    for start in range(n):
        if state[start]:
            continue
        path: list[int] = []
        node: int | None = start
        while node is not None and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state[node] == 1:
            # The path from `node` to the end of `path` is a loop.
            for member in path[path.index(node):]:
                on_cycle[member] = True
        for member in path:
            state[member] = 2

    # Depth-first emission: before a row, emit its not-yet-emitted ancestors.
    emitted = [False] * n
    ordered: list[R] = []
    for i in range(n):
        if emitted[i] or on_cycle[i]:
            continue
        chain: list[int] = []
        node = i
        while node is not None and not emitted[node] and not on_cycle[node]:
            chain.append(node)
            node = parent[node]
        for member in reversed(chain):
            emitted[member] = True
            ordered.append(rows[member])

    cyclic = [rows[i] for i in range(n) if on_cycle[i]]
    return ImportOrder(ordered=ordered, cyclic=cyclic)
