"""Exercises of notebook 12, training: one gradient step of a sigmoid neuron, XOR's hidden coordinates by hand,
a bump built from two logistic units."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import Exercise, agrees, as_numbers, register

# 12.1: w = (1, -2), b = 0.5, x = (1, 0.5), y = 0, gamma = 0.5.
# z = 1 - 1 + 0.5 = 0.5; the cross-entropy's delta is sigma(z) - y = sigma(0.5); dL/dw = delta x, dL/db = delta.
_W, _B, _X, _Y, _GAMMA = np.array([1.0, -2.0]), 0.5, np.array([1.0, 0.5]), 0.0, 0.5
_SIGMA = 1.0 / (1.0 + math.exp(-0.5))


def _after(delta: float, w_factor: np.ndarray = _X, sign: float = -1.0) -> tuple[float, ...]:
    """The neuron after one step w <- w + sign * gamma * delta * w_factor, b <- b + sign * gamma * delta."""
    w = _W + sign * _GAMMA * delta * w_factor
    return (*w, _B + sign * _GAMMA * delta)


_STEP = _after(_SIGMA - _Y)
_STEP_MISTAKES = {
    _after(_SIGMA - _Y, sign=1.0): "the step went uphill: gradient descent moves against the gradient",
    _after((_SIGMA - _Y) * _SIGMA * (1 - _SIGMA)): "this is the squared error's delta, (a - y) sigma'(z), "
    "not the cross-entropy's",
    _after(_SIGMA - _Y, w_factor=np.ones(2)): "each weight's gradient is the delta times that weight's input",
    _after(_SIGMA - 1.0): "this uses the label 1, but the example's label is 0",
}


def _step_checker(answer: Any) -> str | None:
    try:
        got = as_numbers(answer)
    except TypeError as error:
        return str(error)
    if len(got) != 3:
        return f"the answer should be a list of three numbers [w1, w2, b], it holds {len(got)}"
    if all(agrees(g, want) for g, want in zip(got, _STEP)):
        return None
    for wrong, reason in _STEP_MISTAKES.items():
        if all(agrees(g, w) for g, w in zip(got, wrong)):
            return reason
    return "at least one of the three numbers is not the expected value"


# 12.2: a^1 = relu(x1 + x2, x1 + x2 - 1) maps the corners (0,0), (0,1), (1,0), (1,1) to (0,0), (1,0), (1,0), (2,1)
_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_LABELS = np.array([0, 1, 1, 0])
_HIDDEN = np.maximum(_CORNERS @ np.array([[1.0, 1.0], [1.0, 1.0]]).T + np.array([0.0, -1.0]), 0.0)


def _separating_checker(answer: Any) -> str | None:
    try:
        got = as_numbers(answer)
    except TypeError as error:
        return str(error)
    if len(got) != 3:
        return f"the answer should be a list of three numbers [w1, w2, b2], it holds {len(got)}"
    w1, w2, b2 = got
    for corner, a1, label in zip(_CORNERS, _HIDDEN, _LABELS):
        score = w1 * a1[0] + w2 * a1[1] + b2
        if (label == 1 and not score > 0) or (label == 0 and not score < 0):
            sign = "positive" if label == 1 else "negative"
            return f"corner ({corner[0]:.0f}, {corner[1]:.0f}) has label {label} but its score is {score:g}, not {sign}"
    return None


# 12.3: F(x) = alpha1 sigma(w1 x + b1) + alpha2 sigma(w2 x + b2) must be within 0.05 of the indicator of [1, 2]
# at every point of [0, 3] farther than 0.1 from x = 1 and x = 2.
_POINTS = np.array([x for x in np.linspace(0.0, 3.0, 601) if abs(x - 1) > 0.1 + 1e-9 and abs(x - 2) > 0.1 + 1e-9])
_TARGET = ((_POINTS >= 1) & (_POINTS <= 2)).astype(float)


def _logistic(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(z / 2))  # sigma(z), without overflow for steep units


def _bump_checker(answer: Any) -> str | None:
    try:
        got = as_numbers(answer)
    except TypeError as error:
        return str(error)
    if len(got) != 6:
        return f"the answer should be a list of six numbers [alpha1, w1, b1, alpha2, w2, b2], it holds {len(got)}"
    alpha1, w1, b1, alpha2, w2, b2 = got
    F = alpha1 * _logistic(w1 * _POINTS + b1) + alpha2 * _logistic(w2 * _POINTS + b2)
    worst = int(np.argmax(np.abs(F - _TARGET)))
    if abs(F[worst] - _TARGET[worst]) < 0.05:
        return None
    x, want = _POINTS[worst], "1" if _TARGET[worst] else "0"
    return f"at x = {x:g} your F is {F[worst]:.3g}, but it should be within 0.05 of {want}"


# The solution: steps of slope 50 at x = 1 (up) and x = 2 (down); sigma(-5) = 0.0067 at 0.1 from either edge
_BUMP = [1.0, 50.0, -50.0, -1.0, 50.0, -100.0]

register(
    Exercise(
        id="12.1",
        question="A sigmoid neuron's weights and bias after one gradient step on one example's cross-entropy.",
        checker=_step_checker,
        nudge="Section 1: the derivative of the cross-entropy with respect to the score, and the gradient descent "
        "update.",
        hint="z = w . x + b, delta = sigma(z) - y; then w <- w - gamma delta x and b <- b - gamma delta.",
        solution=[float(v) for v in _STEP],
        wrong=(
            [1.31, -1.84, 0.811],  # uphill
            [0.927, -2.04, 0.427],  # the squared error's delta
            [0.689, -2.31, 0.189],  # the delta itself as each weight's gradient
        ),
        explanation="sigma(0.5) = 0.622 for a label 0 example: the neuron was wrong, so the step lowers its score "
        "by moving each weight against its input and the bias down.",
    ),
    Exercise(
        id="12.2",
        question="Output weights and bias that separate the XOR corners in a hand-made ReLU hidden space.",
        checker=_separating_checker,
        nudge="Section 2, the hidden space: work out where each corner lands first, then look for a line there.",
        hint="The corners go to a^1 = (0,0), (1,0), (1,0), (2,1). The label-1 point sits between the two label-0 points "
        "along a^1_1; use a^1_2 to pull (2,1) down.",
        solution=[1.0, -2.0, -0.5],
        wrong=([1.0, 1.0, -0.5], [1.0, 0.0, -0.5]),
        explanation="With a^1_1 - 2 a^1_2 - 0.5 the scores are -0.5, 0.5, 0.5, -0.5: in the hidden space a line does "
        "what no line could do in the input space.",
    ),
    Exercise(
        id="12.3",
        question="Two logistic units whose sum is close to 1 on [1, 2] and to 0 elsewhere on [0, 3].",
        checker=_bump_checker,
        nudge="Section 4: where a steep unit sigma(w x + b) makes its step, and how two steps can be combined.",
        hint="sigma(w (x - c)) with a large w (say 50) steps from 0 to 1 at x = c, so b = -w c. A bump is a step up at "
        "1 minus a step up at 2.",
        solution=_BUMP,
        wrong=(
            [1.0, 50.0, -50.0, 1.0, 50.0, -100.0],
            [1.0, 5.0, -5.0, -1.0, 5.0, -10.0],
            [1.0, 50.0, -1.0, -1.0, 50.0, -2.0],
        ),
        explanation="sigma(50 (x - 1)) - sigma(50 (x - 2)) rises at 1 and falls at 2; more such bumps, side by side, "
        "follow any continuous curve.",
    ),
)
