"""Equal graphs for every scalar engine: the same Python code builds them with each engine's Value.

Three graphs, each built by one function that takes a Value class and a random seed:

- ``moons``: micrograd's moons training graph, node for node: for every example a 2-16-16-1
  ReLU network written as micrograd's ``Neuron`` writes it (``b + w0*x0 + w1*x1 + ...``, then
  ``relu``), the hinge loss ``(1 + -y*score).relu()`` per example, their sum from 0 times 1/n,
  plus ``alpha * sum(p*p)`` over the parameters;
- ``chain``: ``y = tanh(y * a + b)`` repeated, one long path;
- ``dag``: a random graph of ``+``, ``*`` and ``tanh`` whose inputs are drawn from the
  nodes made so far (mostly recent ones), so gradients meet along many paths.

``Reference`` is the smallest reasonable reverse-mode node: four ``__slots__`` (data, grad,
parents, local derivatives computed when the node is made) and an iterative depth-first sort.
It is the yardstick for what a Python object per node costs.
"""

from __future__ import annotations

import math
import random


class Reference:
    """A node with its local derivatives taken at creation, and a depth-first backward pass."""

    __slots__ = ("data", "grad", "_prev", "_local")

    def __init__(self, data, _prev=(), _local=()):
        self.data = data
        self.grad = 0.0
        self._prev = _prev
        self._local = _local

    def __add__(self, other):
        other = other if isinstance(other, Reference) else Reference(other)
        return Reference(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Reference) else Reference(other)
        return Reference(self.data * other.data, (self, other), (other.data, self.data))

    def __neg__(self):
        return self * -1.0

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def relu(self):
        return Reference(self.data if self.data > 0.0 else 0.0, (self,), (1.0 if self.data > 0.0 else 0.0,))

    def tanh(self):
        t = math.tanh(self.data)
        return Reference(t, (self,), (1.0 - t * t,))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((p, False) for p in node._prev)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node._prev, node._local):
                parent.grad += local * node.grad


def _tanh(v):
    return v.tanh()


# -- the graphs -------------------------------------------------------------------------------
def moons_graph(Value, X, y, weights, alpha=1e-4):
    """micrograd's moons loss for one step, built with ``Value``; ``weights`` are [(W, b)] per layer (lists)."""
    layers = [([[Value(w) for w in row] for row in W], [Value(c) for c in b]) for W, b in weights]
    params = [p for W, b in layers for row, c in zip(W, b) for p in (*row, c)]
    scores = []
    for row in X:
        h = [Value(x) for x in row]
        for k, (W, b) in enumerate(layers):
            last = k == len(layers) - 1
            out = []
            for w_row, c in zip(W, b):
                act = c
                for wi, xi in zip(w_row, h):
                    act = act + wi * xi
                out.append(act if last else act.relu())
            h = out
        scores.append(h[0])
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    total = 0
    for term in losses:
        total = total + term
    data_loss = total * (1.0 / len(losses))
    squares = 0
    for p in params:
        squares = squares + p * p
    return data_loss + alpha * squares, params


def chain_graph(Value, n, seed=0):
    """y = tanh(y * a + b), n times: 3n nodes in one path."""
    rng = random.Random(seed)
    a, b = Value(rng.uniform(0.5, 1.0)), Value(rng.uniform(-0.1, 0.1))
    y = Value(0.3)
    for _ in range(n):
        y = (y * a + b).tanh()
    return y, [a, b]


def dag_graph(Value, n, seed=0, inputs=8):
    """About n random nodes over a few inputs: tanh(a + b + 0.5), a * b or tanh(a), each reading nodes
    made recently, so paths cross and gradients add up. Every value stays within [-1, 1] (the 0.5
    keeps them from dying out towards 0)."""
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-1.0, 1.0)) for _ in range(inputs)]
    nodes = list(leaves)
    while len(nodes) < n + inputs:
        a = nodes[-1 - min(int(rng.expovariate(0.1)), len(nodes) - 1)]
        b = nodes[-1 - min(int(rng.expovariate(0.1)), len(nodes) - 1)]
        kind = rng.random()
        nodes.append(_tanh(a + b + 0.5) if kind < 0.5 else a * b if kind < 0.75 else _tanh(a))
    out = nodes[-1]
    for node in nodes[-16:-1]:  # one output that reads the last few nodes: nearly everything is reachable
        out = out + node
    return _tanh(out * 0.05), leaves + nodes[-50:]  # early gradients vanish: watch the last nodes too
