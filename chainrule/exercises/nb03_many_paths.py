"""Exercises of notebook 03: many paths, a safe order for the backward pass, the softmax classifier trained."""

from __future__ import annotations

import math

from . import Exercise, choice, numbers, register

# Section 2's example: x = (1, 2, -1) with a leading 1 for the bias, true class 0.
_THETA1 = [0.5, -0.3, 0.8]
_THETA2 = [-0.2, 0.4, 0.1]


def _probabilities(x: list[float]) -> tuple[float, float]:
    """Softmax of the two scores x·θ1 and x·θ2: the probabilities of class 0 and class 1."""
    s1 = sum(a * t for a, t in zip(x, _THETA1))
    s2 = sum(a * t for a, t in zip(x, _THETA2))
    p1 = 1.0 / (1.0 + math.exp(s2 - s1))
    return p1, 1.0 - p1


# 03.3: another example, x = (1, -1, 2) with true class 1: dC/dθ2 = (p2 - 1) x
_X3 = [1.0, -1.0, 2.0]
_P1_3, _P2_3 = _probabilities(_X3)
_GRAD_THETA2 = [(_P2_3 - 1.0) * a for a in _X3]

# 03.4: section 2's example, one step of gradient descent with learning rate 0.5: θ1 - 0.5 (p1 - 1) x
_X4 = [1.0, 2.0, -1.0]
_P1_4, _ = _probabilities(_X4)
_GAMMA = 0.5
_STEP = [t - _GAMMA * (_P1_4 - 1.0) * a for t, a in zip(_THETA1, _X4)]

# 03.2: u = x², v = u + x, w = v·u, f = w + v
_ORDERS = ["f, v, w, u, x", "f, w, v, u, x", "f, w, u, v, x", "x, u, v, w, f"]

register(
    Exercise(
        id="03.1",
        question="b = a * a; c = b * b + b at a = 3: [number of paths from a to c, dc/da].",
        checker=numbers([6, 114]),
        nudge="Section 1 counts the edges of b = a + a; c = b + b one node at a time: count this graph's edges the "
        "same way, then look up the local derivative each edge carries.",
        hint="Paths = (edges from a to b) × (routes from b to c: two through b * b, one straight into the sum). On an "
        "edge into a product the local derivative is the other factor; on an edge into a sum it is 1. dc/da is the "
        "sum over the paths of the product of the local derivatives along each.",
        solution=[6, 114.0],
        wrong=([3, 57.0], [6, 38.0], [4, 108.0]),
        explanation="2 edges into b, then 3 routes from b to c: 6 paths. Each starts with the factor a = 3; the two "
        "routes through b * b carry b = 9 each and the direct one 1, so dc/da = 2 · 3 · (9 + 9 + 1) = 114, "
        "which is 4a³ + 2a for c = a⁴ + a².",
    ),
    Exercise(
        id="03.2",
        question="u = x², v = u + x, w = v·u, f = w + v: which order of f, u, v, w, x is a valid backward order?",
        checker=choice("f, w, v, u, x", _ORDERS),
        nudge="Section 3 shows what goes wrong when a node passes its gradient on too early: go through each order "
        "node by node and ask whether every node that uses it has already been done.",
        hint="A node may pass its gradient on only after every node that uses it is done. Here u is used by v and w, "
        "v by w and f, w by f, and x by u and v.",
        solution="f, w, v, u, x",
        wrong=("f, v, w, u, x", "f, w, u, v, x", "x, u, v, w, f"),
        explanation="v comes after both of its users, w and f, and u after both of its users, v and w; the order is "
        "the forward order x, u, v, w, f read backwards.",
    ),
    Exercise(
        id="03.3",
        question="The classifier of section 2 on x = (1, -1, 2) with true class 1: the list dC/dθ2 (three numbers).",
        checker=numbers(_GRAD_THETA2),
        nudge="Section 2 sums the paths from θ to the cost for one example and ends with one formula for every "
        "weight: use it for this example, with the indicator of its own true class.",
        hint="dC/dθ2 = (p2 - t2) x, where p2 = e^(x·θ2) / (e^(x·θ1) + e^(x·θ2)) is the probability of class 1 "
        "and t2 = I1(y) = 1 because y = 1.",
        solution=_GRAD_THETA2,
        wrong=(
            [_P2_3 * a for a in _X3],
            [(1.0 - _P2_3) * a for a in _X3],
            [(_P1_3 - 1.0) * a for a in _X3],
        ),
        explanation="The true class's score is pushed up: its gradient (p2 - 1) x points against x, so a step of "
        "descent adds a multiple of x to θ2.",
    ),
    Exercise(
        id="03.4",
        question="Section 2's example (y = 0): θ1 after one step of gradient descent with learning rate 0.5.",
        checker=numbers(_STEP),
        nudge="Section 5's training loop makes this update on the mean cost of 100 points: make one such step by "
        "hand for the single example of section 2.",
        hint="θ1 ← θ1 - γ dC/dθ1 with γ = 0.5, and dC/dθ1 = (p1 - t1) x = (p1 - 1) x because the true class is 0; "
        "p1 = e^(x·θ1) / (e^(x·θ1) + e^(x·θ2)).",
        solution=_STEP,
        wrong=(
            [t + _GAMMA * (_P1_4 - 1.0) * a for t, a in zip(_THETA1, _X4)],
            [t - (_P1_4 - 1.0) * a for t, a in zip(_THETA1, _X4)],
            [t - _GAMMA * _P1_4 * a for t, a in zip(_THETA1, _X4)],
        ),
        explanation="The step adds 0.5 (1 - p1) x to θ1, which raises the class-0 score x·θ1 by 0.5 (1 - p1) |x|², "
        "about 2.4.",
    ),
)
