"""Which nodes and arrows a picture of a graph shows, and in which order.

Every picture (``draw``, ``Stepper``, ``trace``, ``explain``) shows a graph as the lectures
draw it:

- an **entry of a parameter** (``w[1,0,2]``, one number read out of a layer's matrix ``W``)
  is shown as a leaf. The matrix and the arrow into the entry are not drawn, and no step is
  about indexing. The engine is unchanged: after ``backward()``, ``W.grad`` holds the sum of
  its entries' gradients, and optimisers and PyTorch still see a matrix;
- nodes come **layer by layer**, as a person computes by hand: the leaves first (the inputs,
  then the parameters in the order of the layer that first reads them), then every op by its
  depth (its longest distance from the leaves), ties in the order the expression is read.
"""

from __future__ import annotations

from collections.abc import Sequence


def is_entry(node) -> bool:
    """An entry of a parameter: one number indexed out of a leaf array that has a gradient (w[l,j,i] out of W)."""
    parents = node.parents
    return (
        len(parents) == 1
        and node._op.name == "index"
        and node.data.__class__ is float
        and not parents[0].parents
        and parents[0].grad is not None
    )


def shown_parents(node) -> tuple:
    """The parents a picture draws arrows from: none for an entry of a parameter, shown as a leaf."""
    return () if node.parents and is_entry(node) else node.parents


def shown_order(order: Sequence) -> list:
    """The nodes a picture shows of the graph whose topological order is ``order`` (ending at its root).

    Leaves first: those read by the shallowest op first (an input before the weights of the
    layer that reads it, a layer's weights before its biases), constants (data) before
    values with a gradient, then values read by more ops (an input feeds every neuron of a
    layer), then the order of reading. Then every op by depth, ties in the order of reading.
    """
    reading = _reading_order(order[-1])
    depth: dict[int, int] = {}
    first_use: dict[int, int] = {}
    uses: dict[int, int] = {}
    for node in reading:
        parents = shown_parents(node)
        depth[id(node)] = 1 + max(depth[id(p)] for p in parents) if parents else 0
        for parent in parents:
            first_use[id(parent)] = min(first_use.get(id(parent), depth[id(node)]), depth[id(node)])
            uses[id(parent)] = uses.get(id(parent), 0) + 1
    place = {id(node): k for k, node in enumerate(reading)}
    leaves = [n for n in reading if not shown_parents(n)]
    ops = [n for n in reading if shown_parents(n)]
    leaves.sort(key=lambda n: (first_use.get(id(n), 0), not n.is_constant, -uses.get(id(n), 0), place[id(n)]))
    ops.sort(key=lambda n: (depth[id(n)], place[id(n)]))
    return leaves + ops


def _reading_order(root) -> list:
    """The shown nodes, each after its shown parents, parents visited left to right (as an expression is read)."""
    order, visited, stack = [], set(), [root]
    while stack:  # depth first without recursion: (node,) is popped once its parents are done
        node = stack.pop()
        if node.__class__ is tuple:
            order.append(node[0])
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node,))
            stack.extend(p for p in reversed(shown_parents(node)) if id(p) not in visited)
    return order
