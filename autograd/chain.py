"""The backward pass: the chain rule on every edge, from the output back to the inputs.

For every node, output first, and every parent it was made from::

    parent.grad += node.grad · local          local = d(node)/d(parent), from the node's row

A parent reached by several paths receives one such term per path, so its gradient is the
sum over all paths: the lectures' δ_i = Σ_k δ_k ∂z_k/∂z_i. The upstream gradient stands on
the left because for an array op it is a vector and ``local`` a linear map: there the
product is the vector-Jacobian product gᵀJ. Forward mode (``tangents``) reads the same
local derivatives the other way: a node's tangent is the sum of local · tangent.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np

from .arrays import unbroadcast


def backpropagate(root, seed, create_graph: bool = False, observe: Callable | None = None, keep_interior: bool = True):
    """Every node passes its gradient to its parents, output first; ``root`` starts with ``seed``.

    As plainly as it can be written, the backward pass is::

        for node in reverse_order(root):       # each node once every node made from it is done
            for parent, local in zip(node.parents, local_derivatives(node)):
                parent.grad += node.grad * local

    The loop below is that one, with the order and the local derivatives found where they cost
    least; each such road says what it was measured to buy (benchmarks/compare.py, on graphs.py's
    graphs and the moons step). ``observe(node, parent, local, contribution)``, if given, is called
    after every application of the chain rule: the stepper and ``trace`` watch this pass instead of
    repeating it. With ``create_graph`` the local derivatives are Values, so the pass itself is
    recorded. Without ``keep_interior`` a node's gradient is dropped once passed on.
    """
    # The order: a node is ready once every node made from it has passed its gradient on. Counting
    # each node's consumers first (_count_consumers) gives this reverse topological order with no
    # sort and no recursion; ready nodes are taken first come, first served, so the pass sweeps
    # back through a network layer by layer. Written into the loop, not a generator: 6% faster.
    _count_consumers(root)
    root.grad = root.grad + seed
    ready = deque([root] if root.parents else ())
    next_node, now_ready = ready.popleft, ready.append
    try:
        while ready:
            node = next_node()
            upstream = node.grad
            parents = node.parents
            # The local derivatives, as local_derivatives() finds them, spelled out: a call per node
            # costs 15% of the pass on graphs.py's chain.
            if create_graph:
                found = node._op.local(node, *parents)  # Values: the pass itself is recorded
            elif node._local is not None:
                found = node._local  # known when the node was made (x + y's 1 and 1, a neuron's)
            elif len(parents) == 2:
                found = node._op.local(node.data, parents[0].data, parents[1].data)
            elif len(parents) == 1:
                found = node._op.local(node.data, parents[0].data)
            else:
                found = node._op.local(node.data, *[parent.data for parent in parents])
            k = 0  # parents[k] goes with found[k], counted by hand: 4% cheaper per edge than zip
            for parent in parents:
                local = found[k]
                k += 1
                so_far = parent.grad
                if so_far is None:
                    continue  # a constant: it needs no gradient
                contribution = upstream * local  # the chain rule (for an array op, the vector-Jacobian product gᵀJ)
                if contribution.__class__ is not float:  # an array: a parent stretched by broadcasting gets every share
                    contribution = fit(contribution, parent)
                parent.grad = so_far + contribution  # one term per path: the sum over paths
                if observe is not None:
                    observe(node, parent, local, contribution)
                if parent._pending:  # an interior parent: one consumer fewer to wait for
                    parent._pending -= 1
                    if not parent._pending:
                        now_ready(parent)
            if not keep_interior:
                node.grad = None  # passed on, and not kept: its memory is free for the next array
    except BaseException:
        _abandon(root)
        raise


def reverse_order(root) -> list:
    """The interior nodes of ``root``'s graph in the order ``backpropagate`` visits them (for reading, and tests)."""
    order, ready = [], deque([root] if root.parents else ())
    _count_consumers(root)
    while ready:
        node = ready.popleft()
        order.append(node)
        for parent in node.parents:
            if parent._pending:
                parent._pending -= 1
                if not parent._pending:
                    ready.append(parent)
    return order


def local_derivatives(node, on_values: bool) -> tuple:
    """d(node)/d(parent) for each parent: from the node's row, evaluated on the numbers (or, to record the
    pass, on the Values themselves); a node made with them at hand (a neuron's) keeps them."""
    if on_values:
        return node._op.local(node, *node.parents)
    if node._local is not None:
        return node._local
    parents = node.parents  # spelled out for one and two parents, most nodes, as in value.apply
    if len(parents) == 1:
        return node._op.local(node.data, parents[0].data)
    if len(parents) == 2:
        return node._op.local(node.data, parents[0].data, parents[1].data)
    return node._op.local(node.data, *[parent.data for parent in parents])


def fit(contribution, parent):
    """A contribution in the parent's shape: a parent that broadcasting stretched receives every entry's share."""
    found = contribution if contribution.__class__ is np.ndarray else getattr(contribution, "data", contribution)
    target = parent.data
    if np.shape(found) == np.shape(target):
        return contribution
    return unbroadcast(contribution, np.shape(target))


class _Zero:
    """An interior array node's gradient before its first contribution: adding to it gives the
    contribution itself, so the first path into a node costs no copy of a large array."""

    __slots__ = ()
    __array_ufunc__ = None  # let `array + zero` reach __radd__

    def __add__(self, other):
        return other

    __radd__ = __add__

    def __repr__(self) -> str:
        return "0"


ZERO = _Zero()


def _count_consumers(root) -> None:
    """Zero the gradient of every interior node below ``root`` and count its consumers (edges).

    Leaves are not counted: they never pass a gradient on, and keep what they hold.
    """
    if root.parents:
        root.grad = 0.0 if root.data.__class__ is float else ZERO
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if parent.parents:
                if parent._pending:
                    parent._pending += 1
                else:
                    parent._pending = 1
                    parent.grad = 0.0 if parent.data.__class__ is float else ZERO
                    stack.append(parent)


def _abandon(root) -> None:
    """After a failed pass: no node waits for consumers, and no gradient is left half-made."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        node._pending = 0
        if node.parents and (node.grad is ZERO or node.grad is None):
            node.grad = 0.0
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)


def topological_order(root) -> list:
    """Every node that ``root`` depends on, each after all of its parents, ending with ``root``.

    Parents are visited left to right, so the order is the one a person computing the
    expression by hand would follow. Iterative depth-first search: no recursion limit.
    """
    _check_node(root, "topological_order")
    order: list = []
    visited: set = set()
    stack: list = [root]
    while stack:
        node = stack.pop()
        if node.__class__ is tuple:  # (node,) is pushed below its parents: they are all done, emit it
            order.append(node[0])
        elif node not in visited:
            visited.add(node)
            stack.append((node,))
            for parent in reversed(node.parents):
                if parent not in visited:
                    stack.append(parent)
    return order


def tangents(root, seeds: dict, on_values: bool = False) -> dict:
    """Forward mode: d(node)/dt for every node of ``root``'s graph, given the leaves' tangents.

    Each node's tangent is the sum over its inputs of ``local · tangent``: the same local
    derivatives as the backward pass, read in the other direction (for an array op, the
    Jacobian-vector product J t). Nodes that no seeded input reaches are left out. With
    ``on_values`` the local derivatives are Values (for nesting).
    """
    _check_node(root, "tangents")
    found = dict(seeds)
    for node in topological_order(root):
        if node in found or not any(parent in found for parent in node.parents):
            continue  # a leaf, or a node no tangent reaches: its tangent is 0, nothing to evaluate
        total = None
        for parent, local in zip(node.parents, local_derivatives(node, on_values)):
            if parent in found:
                term = local * found[parent]  # forward mode: local derivative × the input's tangent
                total = term if total is None else total + term
        found[node] = total
    return found


def _check_node(root, who: str) -> None:
    if not hasattr(root, "parents") or not hasattr(root, "_pending"):  # a Value (this file does not import value.py)
        raise TypeError(f"{who} needs a Value, got {type(root).__name__}")
