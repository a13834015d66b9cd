"""Graphs and networks the tests share: the lectures' tanh neuron and 2-2-1 sigmoid network with their
numbers, a graph with several paths into one input, random expression graphs with shared subexpressions
(a Hypothesis strategy), and small networks trained on the two moons for nn.watch."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value
from nn.watch import Recorder

# The 2-2-1 network of the lectures' worked example: w_ij^h reads input i into hidden unit j
# (i = 0 is the bias), w_j1^o reads hidden unit j into the output; square loss (y - y*)^2 / 2.
NETWORK_221 = {
    "x1": 0.8, "x2": -1.5, "y*": 0.5,
    "w01h": 0.1, "w11h": -0.6, "w21h": 0.4,
    "w02h": 0.3, "w12h": 0.7, "w22h": -0.5,
    "w01o": -0.2, "w11o": 0.9, "w21o": 1.4,
}  # fmt: skip


def named(value: Value, label: str) -> Value:
    value.label = label
    return value


def network_221() -> tuple[Value, dict[str, Value]]:
    """The loss L of the 2-2-1 network and every named Value, as notebook 06 builds it.

    The target y* and the ½ of the loss are numbers of the problem, not parameters: constants,
    as the lecture has them, with no gradient.
    """
    V = {name: Value(number, label=name) for name, number in NETWORK_221.items() if name != "y*"}
    V["y*"] = autograd.constant(NETWORK_221["y*"], label="y*")
    s1 = named(autograd.sum([V["w01h"], named(V["w11h"] * V["x1"], "u11"), named(V["w21h"] * V["x2"], "u21")]), "s1")
    s2 = named(autograd.sum([V["w02h"], named(V["w12h"] * V["x1"], "u12"), named(V["w22h"] * V["x2"], "u22")]), "s2")
    z1, z2 = named(s1.sigmoid(), "z1"), named(s2.sigmoid(), "z2")
    y = named(autograd.sum([V["w01o"], named(V["w11o"] * z1, "v1"), named(V["w21o"] * z2, "v2")]), "y")
    e = named(y - V["y*"], "e")
    loss = named(autograd.constant(0.5, label="½") * named(e**2, "e2"), "L")
    V.update({"s1": s1, "s2": s2, "z1": z1, "z2": z2, "y": y, "e": e})
    return loss, V


def network_221_binary() -> Value:
    """The same network written as one types it, with binary + and the numbers inline: wider, deeper ranks."""
    V = {name: Value(number, label=name) for name, number in NETWORK_221.items() if name != "y*"}
    z1 = (V["x1"] * V["w11h"] + V["x2"] * V["w21h"] + V["w01h"]).sigmoid()
    z2 = (V["x1"] * V["w12h"] + V["x2"] * V["w22h"] + V["w02h"]).sigmoid()
    y = z1 * V["w11o"] + z2 * V["w21o"] + V["w01o"]
    return named((y - 0.5) ** 2 * 0.5, "L")


def neuron() -> tuple[Value, tuple[Value, ...]]:
    """o = tanh(x1 w1 + x2 w2 + b) with the numbers that make o = 1/sqrt(2)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = named(x1 * w1 + x2 * w2 + b, "n")
    return named(n.tanh(), "o"), (x1, x2, w1, w2, b)


def two_paths():
    """out = z·x + z with z = x·y: x reaches out three ways, z two ways."""
    x = Value(3.0, label="x")
    y = Value(-2.0, label="y")
    z = named(x * y, "z")
    out = named(z * x + z, "out")
    return out, (x, y, z)


# -- random expression graphs ------------------------------------------------------------------
# Each op maps operands to a result in the op's domain, and works on Values and torch tensors alike.
UNARY_OPS = {
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "sin": lambda a: a.sin(),
    "cos": lambda a: a.cos(),
    "exp(tanh)": lambda a: a.tanh().exp(),
    "log(1 + a^2)": lambda a: (a * a + 1).log(),
    "sqrt(1 + a^2)": lambda a: (a * a + 1).sqrt(),
    "square": lambda a: a**2,
    "neg": lambda a: -a,
}

BINARY_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "pow": lambda a, b: (a * a + 0.5) ** b.tanh(),
}

graphs = st.tuples(
    st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=4),
    st.lists(
        st.tuples(
            st.sampled_from(sorted(UNARY_OPS) + sorted(BINARY_OPS)), st.integers(0, 10**6), st.integers(0, 10**6)
        ),
        min_size=1,
        max_size=12,
    ),
)


def evaluate(program, inputs):
    """Run the program; every step may reuse any earlier node, so subexpressions are shared."""
    _, steps = program
    nodes = list(inputs)
    for name, i, j in steps:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(UNARY_OPS[name](a) if name in UNARY_OPS else BINARY_OPS[name](a, b))
        nodes[-1] = nodes[-1].tanh() * 3 if name in ("mul", "square", "pow") else nodes[-1]  # keep values moderate
    return sum(nodes[len(inputs) :], nodes[-1] * 0)


# -- small networks trained on the two moons, for nn.watch ------------------------------------
def moons(n=40, seed=0):
    return nn.data.make_moons(n, noise=0.1, seed=seed)


def trained(epochs, seed=1, hidden=(5,), lr=0.1, X=None, y=None, callback=None, **fit_args):
    """An MLP(2, [*hidden, 1]) trained full-batch for ``epochs`` (0: untouched): the same numbers each time."""
    if X is None:
        X, y = moons()
    model = nn.MLP(2, [*hidden, 1], seed=seed)
    if epochs:
        nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model, lr=lr), epochs=epochs, callback=callback, **fit_args)
    return model


def three_input_recording(epochs: int) -> Recorder:
    """A small network trained on data with three inputs (no plane to draw a boundary in)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    y = (X[:, 0] > 0).astype(int)
    model = nn.MLP(3, [4, 1], seed=0)
    recorder = Recorder(model, X, y)
    nn.fit(model, X, y, epochs=epochs, callback=recorder)
    return recorder
