"""Exercises of notebook 01 (your own Value in about 40 lines), with the code a learner writes there.

The right answers below are the ones the solution notebook spells out; the wrong ones are the
mistakes people make on the way, each of which the graders of ``own_value.py`` must refuse.
"""

from __future__ import annotations

import math
from collections import deque

from . import Exercise, number, register
from .own_value import grade_class, grade_locals, grade_order


# -- the learner's code, written right ---------------------------------------------------------------------
def add_local(x, y):
    return (1.0, 1.0)


def mul_local(x, y):
    return (y, x)


def tanh_local(x):
    return (1.0 - math.tanh(x) ** 2,)


def topological_order(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return order


class OwnValue:
    """The notebook's Value. Nodes are made with type(self), so that each mistake below is a subclass
    that changes one method and still builds its graphs from its own class."""

    def __init__(self, data, parents=(), local=()):
        self.data = data
        self.grad = 0.0
        self.parents = parents
        self.local = local

    def __add__(self, other):
        other = other if isinstance(other, OwnValue) else type(self)(other)
        return type(self)(self.data + other.data, (self, other), add_local(self.data, other.data))

    def __mul__(self, other):
        other = other if isinstance(other, OwnValue) else type(self)(other)
        return type(self)(self.data * other.data, (self, other), mul_local(self.data, other.data))

    __radd__ = __add__
    __rmul__ = __mul__

    def tanh(self):
        return type(self)(math.tanh(self.data), (self,), tanh_local(self.data))

    def backward(self):
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local):
                parent.grad += local * node.grad


# -- the usual mistakes --------------------------------------------------------------------------------------
def preorder(root):
    """Each node listed before its parents: the output first."""
    order, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            order.append(node)
            stack.extend(node.parents)
    return order


def without_seen(root):
    """Parents first, but a node reached twice is listed twice."""
    order = []
    for parent in root.parents:
        order += without_seen(parent)
    return order + [root]


def output_first(root):
    """A right order, reversed: the order of the backward pass, not the topological order."""
    return topological_order(root)[::-1]


def breadth_first_reversed(root):
    """The nodes level by level from the output, reversed: right for trees, wrong where paths differ in length."""
    order, seen, queue = [], {root}, deque([root])
    while queue:
        node = queue.popleft()
        order.append(node)
        for parent in node.parents:
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)
    return order[::-1]


class Overwriting(OwnValue):
    """= where += belongs: a node reached along two edges keeps only the last."""

    def backward(self):
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local):
                parent.grad = local * node.grad


def _first_come(root, take):
    """The backward pass in the order nodes are first reached (take: pop from a stack or a queue)."""
    for node in topological_order(root):
        node.grad = 0.0
    root.grad = 1.0
    waiting, seen = deque([root]), {root}
    while waiting:
        node = take(waiting)
        for parent, local in zip(node.parents, node.local):
            parent.grad += local * node.grad
            if parent not in seen:
                seen.add(parent)
                waiting.append(parent)


class DepthFirst(OwnValue):
    """Each node passes its gradient on as soon as a depth-first walk reaches it, before all its consumers have."""

    def backward(self):
        _first_come(self, deque.pop)


class BreadthFirst(OwnValue):
    """Each node passes its gradient on as soon as a breadth-first walk reaches it."""

    def backward(self):
        _first_come(self, deque.popleft)


class TanhItself(OwnValue):
    """tanh's local derivative written as tanh itself."""

    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, (self,), (t,))


class SwappedProduct(OwnValue):
    """x * y with its local derivatives in each other's places."""

    def __mul__(self, other):
        other = other if isinstance(other, OwnValue) else type(self)(other)
        return type(self)(self.data * other.data, (self, other), (self.data, other.data))

    __rmul__ = __mul__


class NoSeed(OwnValue):
    """backward() that never starts the output at 1."""

    def backward(self):
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local):
                parent.grad += local * node.grad


class NeverResets(OwnValue):
    """backward() that starts from whatever the gradients hold: a second call counts everything again."""

    def backward(self):
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            for parent, local in zip(node.parents, node.local):
                parent.grad += local * node.grad


class NoNumberOnTheLeft(OwnValue):
    """x + 2 works, 2 + x does not: Python's sum() starts from the number 0."""

    def __radd__(self, other):
        return NotImplemented


# -- the numbered exercises ------------------------------------------------------------------------------------
X4 = 1.3  # 01.4: y = x · x · x with = in place of +=
X5 = 0.85  # 01.5: f = b + 3(b + 1), b = x · x, with b handled before b + 1

register(
    Exercise(
        id="01.1",
        question="The local derivatives of x + y, x · y and tanh x: the functions add_local, mul_local, tanh_local.",
        checker=grade_locals,
        nudge="Section 2: a local derivative asks how fast one node's value moves when a single one of its inputs "
        "moves and the others stay put. The lectures work out + and · among their simple expressions, and tanh "
        "with the activation functions.",
        hint="d(x + y)/dx = 1 and d(x + y)/dy = 1; d(xy)/dx = y and d(xy)/dy = x; d tanh(x)/dx = 1 − tanh(x)². "
        "Return a tuple: (1.0, 1.0), (y, x), (1 - math.tanh(x) ** 2,).",
        solution=(add_local, mul_local, tanh_local),
        wrong=(
            (add_local, lambda x, y: (x, y), tanh_local),
            (add_local, mul_local, lambda x: (math.tanh(x),)),
            (add_local, mul_local, lambda x: 1.0 - math.tanh(x) ** 2),
            (lambda x, y: (1.0, 0.0), mul_local, tanh_local),
        ),
        explanation="x · y moves y times as fast as x does, and tanh is steepest at 0 (slope 1), flat in its tails.",
    ),
    Exercise(
        id="01.2",
        question="topological_order(root): every node root depends on, once each, each after its parents, root last.",
        checker=grade_order,
        nudge="Section 4: a node may be listed only once everything it was made from is listed. Put the node in "
        "the list after its parents, not before, and keep track of the nodes already listed.",
        hint="A depth-first search: visit(node) does nothing for a node already seen; otherwise it marks the "
        "node seen, visits each of its parents, and only then appends the node.",
        solution=topological_order,
        wrong=(preorder, without_seen, output_first, breadth_first_reversed),
        explanation="Read backwards, your list puts every node after all the nodes made from it: the order "
        "backward() needs.",
    ),
    Exercise(
        id="01.3",
        question="The class Value with +, * and tanh (numbers on either side) and backward().",
        checker=grade_class,
        nudge="The message names the first expression on which your class and the engine differ: work that "
        "one out by hand, then reread the section it points to (3 for the terms of the edges, 4 for the order, 5 "
        "for numbers and the steps of backward()).",
        hint="backward(): order = topological_order(self); every node's grad = 0.0; self.grad = 1.0; then for "
        "node in reversed(order), for each (parent, local) pair: parent.grad += local * node.grad. "
        "__radd__ = __add__ and __rmul__ = __mul__ let 2 + x and 2 * x work.",
        solution=OwnValue,
        wrong=(
            Overwriting,
            DepthFirst,
            BreadthFirst,
            TanhItself,
            SwappedProduct,
            NoSeed,
            NeverResets,
            NoNumberOnTheLeft,
        ),
        explanation="Your class agrees with autograd.Value to 1e-9 on every expression tried: shared nodes, "
        "nodes used twice, numbers on either side, chains 150 steps deep.",
    ),
    Exercise(
        id="01.4",
        question=f"y = x · x · x at x = {X4:g}, with = in place of += in backward(): what is x.grad?",
        checker=number(
            X4**2,
            mistakes={
                3 * X4**2: "is the true derivative 3x², the sum over all the paths: the question is what is left "
                "when each edge's term replaces the one before",
                2 * X4**2: "would be two of the paths; count which terms are the last to be written into x.grad",
                2 * X4: "is the local derivative of x · x alone",
            },
        ),
        nudge="Section 3 shows what = does to y = x · x. Write the graph as p = x · x, y = p · x, and follow the "
        "backward pass node by node, keeping only the last number written into each gradient.",
        hint="y passes p.grad = x and x.grad = p = x²; then p writes x.grad = x · p.grad on each of its two "
        "edges. Each of the three paths from x to y is worth x²; = keeps one of them.",
        solution=X4**2,
        wrong=(3 * X4**2, 2 * X4**2),
        explanation=f"Three paths lead from x to y, each worth x² = {X4**2:.3g}; += adds them up to 3x² = "
        f"{3 * X4**2:.3g}, = keeps one.",
    ),
    Exercise(
        id="01.5",
        question=f"f = b + 3(b + 1), b = x · x at x = {X5:g}, with b handled before b + 1: what is x.grad?",
        checker=number(
            2 * X5,
            mistakes={
                8 * X5: "is the right gradient df/dx = 8x: in the order of the question b passes its gradient on "
                "before it has heard from b + 1",
                6 * X5: "keeps what b gets through b + 1; which of b's two consumers comes before b here?",
            },
        ),
        nudge="Section 4 says when a node may pass its gradient on. List b's consumers, and see which of them have "
        "added their term to b.grad by the time b is handled.",
        hint="When b is handled only f has passed on to it, so b.grad = 1 (not the full 4). b then gives x "
        "b.grad · x on each of its two edges; the 3 that arrives later through b + 1 is never passed on.",
        solution=2 * X5,
        wrong=(8 * X5, 6 * X5),
        explanation=f"b held 1 of its 4 when it passed it on, so x got a quarter of df/dx = 8x = {8 * X5:.3g}.",
    ),
)
