"""The order of a graph's nodes (order.py): each node after the nodes it was made from."""

from __future__ import annotations

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
