"""The order of a graph's nodes: each after the nodes it was made from, as a person computes by hand.

Drawing, stepping, forward mode and ``gradients()`` read a graph in this order; the backward pass
finds its own (``chain.py``).
"""

from __future__ import annotations


def topological_order(root) -> list:
    """Every node ``root`` depends on, each after its parents (visited left to right, as a person computes
    by hand), ending with ``root``. An iterative depth-first search: no recursion limit."""
    _check_node(root, "topological_order")
    order, visited, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node.__class__ is tuple:  # (node,) is pushed below its parents: they are all done, emit it
            order.append(node[0])
        elif node not in visited:
            visited.add(node)
            stack.append((node,))
            stack.extend(parent for parent in reversed(node.parents) if parent not in visited)
    return order


def _check_node(root, who: str) -> None:
    if not hasattr(root, "parents") or not hasattr(root, "_pending"):  # a Value (this file does not import value.py)
        raise TypeError(f"{who} needs a Value, got {type(root).__name__}")
