"""Exercises of notebook 02 (many paths, and the softmax classifier trained end to end)."""

from __future__ import annotations

import math

from . import Exercise, choice, numbers, register

# The example of the notebook's section 2: x = (1, 2, -1) with a leading 1 for the bias.
_X = [1.0, 2.0, -1.0]
_THETA1 = [0.5, -0.3, 0.8]
_THETA2 = [-0.2, 0.4, 0.1]
_S1 = sum(x * t for x, t in zip(_X, _THETA1))
_S2 = sum(x * t for x, t in zip(_X, _THETA2))
_P0 = math.exp(_S1) / (math.exp(_S1) + math.exp(_S2))  # probability of class 0
_P1 = 1.0 - _P0  # probability of class 1

# 02.3: true class 1, gradient with respect to theta_2 (the class-1 scores): (p_1 - 1) x
_GRAD_THETA2 = [(_P1 - 1.0) * x for x in _X]
# 02.4: true class 0, one step of gradient descent with learning rate 0.5 on theta_1: theta_1 - 0.5 (p_0 - 1) x
_LR = 0.5
_STEP = [t - _LR * (_P0 - 1.0) * x for t, x in zip(_THETA1, _X)]

_ORDERS = ["f, b, q, r, a", "f, q, r, b, a", "f, q, b, r, a", "a, b, r, q, f"]

register(
    Exercise(
        id="02.1",
        question="b = a * a; c = b + b at a = 3: [number of paths from a to c, dc/da].",
        checker=numbers([4, 12]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="The * node reads a twice and the + node reads b twice: count the edges at each step and multiply. "
        "On each a-to-b edge the local derivative of a * a is the other factor.",
        solution=[4, 12.0],
        wrong=([2, 6.0],),
        explanation="2 edges × 2 edges = 4 paths, each with product a · 1 = 3; and indeed c = 2a² gives 4a = 12.",
    ),
    Exercise(
        id="02.2",
        question="Which order of a, b, r, q, f is a valid order for the backward pass of f = b + 3(b + 1)?",
        checker=choice("f, q, r, b, a", _ORDERS),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="A node may pass its gradient on only after every node that uses it has been processed. "
        "b is used by r and by f.",
        solution="f, q, r, b, a",
        wrong=("f, b, q, r, a",),
        explanation="b comes after both of its consumers, f and r, so its gradient 1 + 3 = 4 is complete when it reaches a.",
    ),
    Exercise(
        id="02.3",
        question="The example of section 2 with true class 1 instead of 0: the list dC/dθ2 (three numbers).",
        checker=numbers(_GRAD_THETA2),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="dC/dθ_{j,i} = (p_j - I_j(y)) x_i. With y = 1 the indicator of the class-1 score is 1; p = softmax of the two scores.",
        solution=_GRAD_THETA2,
        wrong=([_P1 * x for x in _X],),
        explanation="The true class's own score is pushed up: its gradient (p_1 - 1) x is -(1 - p_1) x, so descent adds a multiple of x to θ2.",
    ),
    Exercise(
        id="02.4",
        question="One step of gradient descent with learning rate 0.5 on θ1 for the example of section 2 (y = 0): θ1 after the step.",
        checker=numbers(_STEP),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="θ1 ← θ1 - 0.5 · dC/dθ1, and dC/dθ1 = (p_0 - 1) x because the true class is 0.",
        solution=_STEP,
        wrong=([t + _LR * (_P0 - 1.0) * x for t, x in zip(_THETA1, _X)],),
        explanation="The step adds 0.5 (1 - p_0) x to θ1, which raises the class-0 score x·θ1 by 0.5 (1 - p_0) |x|², about 2.4.",
    ),
)
