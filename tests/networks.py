"""Graphs the tests share: the lectures' tanh neuron and 2-2-1 sigmoid network with their numbers."""

from __future__ import annotations

import autograd
from autograd import Value

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
    """The loss L of the 2-2-1 network and every named Value, as notebook 04 builds it."""
    V = {name: Value(number, label=name) for name, number in NETWORK_221.items()}
    s1 = named(autograd.sum([V["w01h"], named(V["w11h"] * V["x1"], "u11"), named(V["w21h"] * V["x2"], "u21")]), "s1")
    s2 = named(autograd.sum([V["w02h"], named(V["w12h"] * V["x1"], "u12"), named(V["w22h"] * V["x2"], "u22")]), "s2")
    z1, z2 = named(s1.sigmoid(), "z1"), named(s2.sigmoid(), "z2")
    y = named(autograd.sum([V["w01o"], named(V["w11o"] * z1, "v1"), named(V["w21o"] * z2, "v2")]), "y")
    e = named(y - V["y*"], "e")
    loss = named(Value(0.5, label="half") * named(e**2, "e2"), "L")
    V.update({"s1": s1, "s2": s2, "z1": z1, "z2": z2, "y": y, "e": e})
    return loss, V


def neuron() -> tuple[Value, tuple[Value, ...]]:
    """o = tanh(x1 w1 + x2 w2 + b) with the numbers that make o = 1/sqrt(2)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = named(x1 * w1 + x2 * w2 + b, "n")
    return named(n.tanh(), "o"), (x1, x2, w1, w2, b)
