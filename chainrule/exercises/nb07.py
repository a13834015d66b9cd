"""Exercises of notebook 07, training: counting updates, one minibatch step, a learning rate, XOR coordinates."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import Exercise, as_number, number, register

# 07.1: 100 examples in minibatches of 32 are 32 + 32 + 32 + 4: ceil(100 / 32) = 4 updates per epoch
_UPDATES = math.ceil(100 / 32) * 5


_UPDATES_CHECKER = number(
    _UPDATES, whole=True, mistakes={(100 // 32) * 5: "leaves out the last, smaller minibatch of each epoch"}
)


# 07.2: gradient of 1/2 (w x - y)^2 is (w x - y) x: (0.5 - 2) * 1 = -1.5 and (1 - 1) * 2 = 0, mean -0.75
_W_AFTER = 0.5 - 0.1 * ((0.5 * 1 - 2) * 1 + (0.5 * 2 - 1) * 2) / 2


_MINIBATCH_CHECKER = number(
    _W_AFTER,
    mistakes={
        0.5 + 0.1 * 1.5: "adds the two examples' gradients instead of averaging them",
        0.5 - 0.1 * 0.75: "moves w the wrong way: the update goes against the gradient",
    },
)


# 07.3: J = 2 w1^2 + w2^2 / 2 has gradient (4 w1, w2), so one step multiplies w1 by 1 - 4 gamma and w2 by 1 - gamma.
_CURVATURES = {"w1": 4.0, "w2": 1.0}
_FACTOR = 0.8


def _learning_rate_checker(answer: Any) -> str | None:
    try:
        gamma = as_number(answer, "the learning rate")
    except TypeError as error:
        return str(error)
    if gamma <= 0:
        return "a learning rate must be positive, or the step goes uphill"
    for name, curvature in _CURVATURES.items():
        factor = 1.0 - gamma * curvature
        if abs(factor) > _FACTOR + 1e-12:
            if abs(factor) >= 1.0:
                return f"with this learning rate {name} does not shrink at all: one step multiplies it by {factor:g}"
            return f"with this learning rate one step multiplies {name} by {factor:g}, which does not shrink it enough"
    return None


# 07.4: a^1 = relu(x1 + x2, x1 + x2 - 1) maps the corners (0,0), (0,1), (1,0), (1,1) to (0,0), (1,0), (1,0), (2,1)
_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_LABELS = np.array([0, 1, 1, 0])
_HIDDEN = np.maximum(_CORNERS @ np.array([[1.0, 1.0], [1.0, 1.0]]).T + np.array([0.0, -1.0]), 0.0)


def _separating_checker(answer: Any) -> str | None:
    if hasattr(answer, "tolist"):
        answer = answer.tolist()
    if not isinstance(answer, (list, tuple)) or len(answer) != 3:
        return "the answer should be a list of three numbers [w1, w2, b2]"
    try:
        w1, w2, b2 = (as_number(v, "each entry") for v in answer)
    except TypeError as error:
        return str(error)
    for corner, a1, label in zip(_CORNERS, _HIDDEN, _LABELS):
        score = w1 * a1[0] + w2 * a1[1] + b2
        if (label == 1 and not score > 0) or (label == 0 and not score < 0):
            sign = "positive" if label == 1 else "negative"
            return f"corner ({corner[0]:.0f}, {corner[1]:.0f}) has label {label} but its score is {score:g}, not {sign}"
    return None


register(
    Exercise(
        id="07.1",
        question="Updates in 5 epochs of 100 examples with batch_size=32.",
        checker=_UPDATES_CHECKER,
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Write out one epoch: 32 examples, 32 more, 32 more, and then what is left. Each minibatch is one update.",
        solution=20,
        wrong=(15,),
        explanation="Each epoch is ceil(100/32) = 4 minibatches (32, 32, 32, 4), so 4 updates per epoch and 20 in all.",
    ),
    Exercise(
        id="07.2",
        question="w after one minibatch step for y_hat = w x, loss (y_hat - y)^2 / 2, minibatch {(1, 2), (2, 1)}.",
        checker=_MINIBATCH_CHECKER,
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="The gradient of (w x - y)^2 / 2 with respect to w is (w x - y) x. Average it over the minibatch, then step against it.",
        solution=0.575,
        wrong=(0.65,),
        explanation="The two gradients are -1.5 and 0, their mean -0.75, so w grows by 0.1 * 0.75 = 0.075.",
    ),
    Exercise(
        id="07.3",
        question="A learning rate that shrinks both coordinates of 2 w1^2 + w2^2 / 2 by at least 0.8 per step.",
        checker=_learning_rate_checker,
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="The gradient is (4 w1, w2), so a step multiplies w1 by (1 - 4 gamma) and w2 by (1 - gamma). Both must lie in [-0.8, 0.8].",
        solution=0.3,
        wrong=(1.0,),
        explanation="Any gamma in [0.2, 0.45] works: the steep direction limits how large it may be, the flat one how small.",
    ),
    Exercise(
        id="07.4",
        question="Output weights and bias that separate the XOR corners in the hand-made ReLU hidden space.",
        checker=_separating_checker,
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="The corners go to a^1 = (0,0), (1,0), (1,0), (2,1). The label-1 point sits between the two label-0 points along a^1_1; use a^1_2 to pull (2,1) down.",
        solution=[1.0, -2.0, -0.5],
        wrong=([1.0, 1.0, -0.5],),
        explanation="With a^1_1 - 2 a^1_2 - 0.5 the scores are -0.5, 0.5, 0.5, -0.5: in the hidden space a line does what no line could do in the input space.",
    ),
)
