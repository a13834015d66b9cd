"""The order of a graph's nodes (order.py): each node after the nodes it was made from."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Value


def test_topological_order_puts_parents_first():
    x, y = Value(1.0), Value(2.0)
    a = x * y
    b = a + x
    c = b * a
    order = autograd.topological_order(c)
    assert order[-1] is c and len(order) == len({id(n) for n in order}) == 5
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]


def test_nodes_come_in_the_order_a_person_computes_them():
    # a = x·y, b = a + z, out = b · a: by hand x, y, then a, then z, then b, then out (a only once).
    x, y, z = Value(1.0, label="x"), Value(2.0, label="y"), Value(3.0, label="z")
    a = x * y
    b = a + z
    out = b * a
    assert [n.label or n.op for n in autograd.topological_order(out)] == ["x", "y", "*", "z", "+", "*"]


def ancestors(root) -> set:
    """Every node ``root`` is made from, and root itself: a walk over the parents that keeps no order."""
    seen, stack = {root}, [root]
    while stack:
        for parent in stack.pop().parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


@pytest.mark.parametrize("seed", range(5))
def test_every_node_of_a_random_graph_comes_once_and_after_its_parents(seed):
    rng = np.random.default_rng(seed)
    nodes = [Value(float(v)) for v in rng.normal(size=4)]
    for _ in range(300):  # each new node reads one to three earlier ones, so many nodes are shared
        picked = [nodes[i] for i in rng.integers(0, len(nodes), size=rng.integers(1, 4))]
        nodes.append(autograd.sum(picked) if len(picked) > 1 else picked[0].tanh())
    root = nodes[-1]
    order = autograd.topological_order(root)
    assert order[-1] is root
    assert len(order) == len(set(order)) and set(order) == ancestors(root)
    position = {node: i for i, node in enumerate(order)}
    assert all(position[p] < position[node] for node in order for p in node.parents)


def test_a_graph_100000_nodes_deep_is_ordered_without_recursion():
    x, c = Value(0.5, label="x"), Value(1.0, label="c")
    products = []
    y = x
    for _ in range(100_000):  # far beyond Python's recursion limit of about 1,000
        y = y * c
        products.append(y)
    order = autograd.topological_order(y)
    assert order[0] is x and order[1] is c  # the first product's inputs, then every product as it was made
    assert len(order) == 100_002 and all(a is b for a, b in zip(order[2:], products))


def test_only_a_value_has_an_order():
    with pytest.raises(TypeError, match="topological_order needs a Value, got float"):
        autograd.topological_order(1.0)
