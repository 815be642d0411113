import pytest

from identity.domain.csv_import import ImportRow
from identity.domain.hierarchy import resolve_import_order, subtree, would_create_cycle


def lookup(chart):
    calls = []

    def supervisor_of(nip):
        calls.append(nip)
        return chart.get(nip)

    supervisor_of.calls = calls
    return supervisor_of


# A is the top; B reports to A; C reports to B; D reports to A.
CHART = {"A": None, "B": "A", "C": "B", "D": "A"}


def test_self_supervision_is_a_cycle():
    assert would_create_cycle("A", "A", lookup(CHART)) is True


@pytest.mark.parametrize("new_supervisor", [None, ""])
def test_no_supervisor_is_never_a_cycle(new_supervisor):
    assert would_create_cycle("C", new_supervisor, lookup(CHART)) is False


def test_putting_someone_under_their_own_subordinate_is_a_cycle():
    assert would_create_cycle("A", "C", lookup(CHART)) is True
    assert would_create_cycle("B", "C", lookup(CHART)) is True


def test_moving_within_the_tree_is_fine():
    assert would_create_cycle("C", "D", lookup(CHART)) is False
    assert would_create_cycle("C", "A", lookup(CHART)) is False


def test_new_employee_under_a_leaf_is_fine():
    assert would_create_cycle("E", "C", lookup(CHART)) is False


def test_pre_existing_loop_terminates_and_fails_closed():
    corrupt = {"X": "Y", "Y": "X"}
    fn = lookup(corrupt)
    assert would_create_cycle("E", "X", fn) is True
    assert len(fn.calls) <= 3


def test_repairing_a_loop_member_to_outside_is_allowed():
    corrupt = {"X": "Y", "Y": "X", "Z": None}
    assert would_create_cycle("X", "Z", lookup(corrupt)) is False


def test_max_depth_guards_runaway_chains():
    chain = {f"N{i}": f"N{i + 1}" for i in range(50)}
    chain["N50"] = None
    assert would_create_cycle("E", "N0", lookup(chain)) is False
    assert would_create_cycle("E", "N0", lookup(chain), max_depth=10) is True


TREE = {"A": ["B", "D"], "B": ["C", "E"], "C": ["F"], "D": [], "E": [], "F": []}


def test_subtree_is_breadth_first_all_levels():
    assert subtree("A", lambda n: TREE.get(n, [])) == ["B", "D", "C", "E", "F"]
    assert subtree("B", lambda n: TREE.get(n, [])) == ["C", "E", "F"]
    assert subtree("F", lambda n: TREE.get(n, [])) == []


def test_subtree_survives_cycles_and_excludes_the_root():
    looped = {"A": ["B"], "B": ["C"], "C": ["A", "B"]}
    assert subtree("A", lambda n: looped.get(n, [])) == ["B", "C"]


def test_subtree_lists_each_node_once():
    diamond = {"A": ["B", "C"], "B": ["D"], "C": ["D"]}
    assert subtree("A", lambda n: diamond.get(n, [])) == ["B", "C", "D"]


def test_subtree_max_nodes():
    assert subtree("A", lambda n: TREE.get(n, []), max_nodes=2) == ["B", "D"]


def rows(*pairs):
    return [{"nip": nip, "supervisor_nip": sup} for nip, sup in pairs]


def nips(seq):
    return [r["nip"] if isinstance(r, dict) else r.nip for r in seq]


def test_supervisors_later_in_the_file_come_first():
    data = rows(("C", "B"), ("B", "A"), ("X", None), ("A", None))
    result = resolve_import_order(data)
    assert nips(result.ordered) == ["A", "B", "C", "X"]
    assert result.cyclic == []


def test_file_order_is_kept_when_already_valid():
    data = rows(("A", None), ("B", "A"), ("C", "B"), ("D", "EXTERNAL"))
    assert nips(resolve_import_order(data).ordered) == ["A", "B", "C", "D"]


def test_cycles_within_the_file_are_reported():
    data = rows(("A", "B"), ("B", "A"), ("S", "S"), ("OK", None), ("UNDER", "A"))
    result = resolve_import_order(data)
    assert nips(result.cyclic) == ["A", "B", "S"]
    # Rows hanging under a loop are not part of it; they stay to be checked
    # (and rejected unless their supervisor already exists).
    assert nips(result.ordered) == ["OK", "UNDER"]


def test_every_row_appears_exactly_once():
    data = rows(("A", "B"), ("B", "C"), ("C", "A"), ("D", "C"), ("E", "D"), ("F", None))
    result = resolve_import_order(data)
    assert sorted(nips(result.ordered) + nips(result.cyclic)) == ["A", "B", "C", "D", "E", "F"]


def test_works_with_import_rows_and_deep_chains():
    n = 5000  # deeper than the recursion limit: the algorithm must be iterative
    data = [
        ImportRow(line=i + 2, nip=f"N{i}", name="x", unit_code="U", position="p",
                  supervisor_nip=f"N{i + 1}" if i + 1 < n else None, email=None)
        for i in range(n)
    ]
    result = resolve_import_order(data)
    assert nips(result.ordered) == [f"N{i}" for i in reversed(range(n))]
    position = {r.nip: k for k, r in enumerate(result.ordered)}
    assert all(position[r.supervisor_nip] < position[r.nip] for r in data if r.supervisor_nip)
