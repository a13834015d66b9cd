"""Exercises of notebook 13, gradient descent: counting updates, one minibatch step, a learning rate for a bowl,
the steps to leave a saddle, two steps of Adam."""

from __future__ import annotations

import math
from typing import Any

from . import Exercise, as_number, number, register

# 13.1: 100 examples in minibatches of 32 are 32 + 32 + 32 + 4: ceil(100 / 32) = 4 updates per epoch, 5 epochs
_UPDATES = math.ceil(100 / 32) * 5
_UPDATES_CHECKER = number(
    _UPDATES,
    whole=True,
    mistakes={
        (100 // 32) * 5: "leaves out the last, smaller minibatch of each epoch",
        100 / 32 * 5: "counts a fraction of a minibatch; the last minibatch is smaller but still one update",
        100 * 5: "counts one update per example, which is stochastic descent, not minibatches of 32",
    },
)

# 13.2: the gradient of (w x - y)^2 / 2 with respect to w is (w x - y) x. At w = 0.25:
# (0.25 - 2) 1 = -1.75, (0.5 - 1) 2 = -1.0, (0.75 - 2) 3 = -3.75; their mean is -6.5 / 3.
_W0, _LR, _MINIBATCH = 0.25, 0.1, ((1.0, 2.0), (2.0, 1.0), (3.0, 2.0))
_GRADIENTS = [(_W0 * x - y) * x for x, y in _MINIBATCH]
_MEAN = sum(_GRADIENTS) / len(_GRADIENTS)
_W_AFTER = _W0 - _LR * _MEAN
_MINIBATCH_CHECKER = number(
    _W_AFTER,
    mistakes={
        _W0 - _LR * sum(_GRADIENTS): "adds the three examples' gradients instead of averaging them",
        _W0 + _LR * _MEAN: "moves w the wrong way: the update goes against the gradient",
        _W0 - _LR * 2 * _MEAN: "doubles the gradient: the 1/2 of the loss cancels the 2 from the square",
        _W0 - _LR * sum(_W0 * x - y for x, y in _MINIBATCH) / 3: "leaves out the factor x of each example's gradient",
        _W0 - _LR * _GRADIENTS[0]: "uses only the first example, which is a stochastic step, not a minibatch step",
    },
)

# 13.3: J = 2 w1^2 + w2^2 / 2 has gradient (4 w1, w2), so one step multiplies w1 by 1 - 4 gamma and w2 by 1 - gamma.
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


# 13.4: L = (ab - 3)^2 / 2 has gradient (b (ab - 3), a (ab - 3)), close to (-3b, -3a) near the origin; with a = b a
# step multiplies both by 1 + 3 gamma = 1.15. From 1e-4 to above 1e-2 is a factor 100: the smallest k with
# 1.15^k > 100, k = ceil(ln 100 / ln 1.15) = ceil(32.95) = 33 (the dropped a b term changes 1.15 by under 1e-5).
_SADDLE_STEPS = math.ceil(math.log(100) / math.log(1.15))
_SADDLE_CHECKER = number(
    _SADDLE_STEPS,
    whole=True,
    mistakes={
        _SADDLE_STEPS - 1: "stops one step short: after that many steps a is still just below 1e-2",
        math.ceil(math.log(100) / 0.15): "replaces ln(1.15) by 0.15, which is too rough here",
        math.ceil(math.log(100) / math.log(1.05)): "grows a by 1 + gamma per step; the target 3 enters the factor too",
        math.ceil(math.log(100) / math.log(1.3)): "doubles the growth: a step adds gamma times 3b, not 6b",
    },
)

# 13.5: m1 = 0.1, v1 = 0.001, m_hat = 1, v_hat = 1: the first step is -0.1. Then g2 = 0: m2 = 0.09, v2 = 0.000999,
# m_hat = 0.09 / (1 - 0.81), v_hat = 0.000999 / (1 - 0.999^2), and the second step is -0.1 m_hat / sqrt(v_hat).
_M2_HAT = 0.9 * 0.1 / (1 - 0.9**2)
_V2_HAT = 0.999 * 0.001 / (1 - 0.999**2)
_ADAM_AFTER = -0.1 - 0.1 * _M2_HAT / math.sqrt(_V2_HAT)
_ADAM_CHECKER = number(
    _ADAM_AFTER,
    mistakes={
        -0.1: "stops after the first step; with g2 = 0 the first moment still carries the last gradient",
        -0.1 * 0.1 / math.sqrt(0.001) - 0.1 * 0.09 / math.sqrt(0.000999): "leaves out the bias correction",
        -_ADAM_AFTER: "moves w the wrong way: the gradient was positive",
    },
)

register(
    Exercise(
        id="13.1",
        question="Updates in 5 epochs of 100 examples with batch_size=32.",
        checker=_UPDATES_CHECKER,
        nudge="Section 1: how many updates one epoch makes, and what happens to the examples left over at its end.",
        hint="One update per minibatch: ceil(N / |B|) per epoch. Write one epoch out: 32, 32, 32, and what is left.",
        solution=20,
        wrong=(15, 500),
        explanation="Each epoch is ceil(100/32) = 4 minibatches (32, 32, 32, 4), so 4 updates per epoch and 20 in all.",
    ),
    Exercise(
        id="13.2",
        question="w after one minibatch step for y_hat = w x, loss (y_hat - y)^2 / 2, minibatch {(1, 2), (2, 1), (3, 2)}.",
        checker=_MINIBATCH_CHECKER,
        nudge="Section 1: the minibatch rule, and what it does with the examples' gradients before the step.",
        hint="The gradient of (w x - y)^2 / 2 with respect to w is (w x - y) x. Average it over the three examples, "
        "then step against the average: w - gamma * mean.",
        solution=_W_AFTER,
        wrong=(0.9, 0.0333, 0.683),
        explanation="The three gradients are -1.75, -1.0 and -3.75, their mean -2.17, so w grows by 0.1 * 2.17 to 0.467.",
    ),
    Exercise(
        id="13.3",
        question="A learning rate that shrinks both coordinates of 2 w1^2 + w2^2 / 2 by at least 0.8 per step.",
        checker=_learning_rate_checker,
        nudge="Section 4 shows what one step does along each direction of a loss, as a factor per step; "
        "do the same for each coordinate of this bowl.",
        hint="The gradient is (4 w1, w2), so a step multiplies w1 by (1 - 4 gamma) and w2 by (1 - gamma). "
        "Both factors must lie in [-0.8, 0.8].",
        solution=0.3,
        wrong=(1.0, 0.1, 0.5),
        explanation="Any gamma in [0.2, 0.45] works: the steep direction limits how large it may be, the flat one how small.",
    ),
    Exercise(
        id="13.4",
        question="Steps of gradient descent (gamma 0.05) on (ab - 3)^2 / 2 from a = b = 1e-4 until a exceeds 1e-2.",
        checker=_SADDLE_CHECKER,
        nudge="Section 4: what the gradient becomes near the saddle, and the factor one step multiplies the way out by.",
        hint="Near the origin the gradient is about (-3b, -3a), so with a = b one step multiplies a by 1 + 3 gamma. "
        "Find the smallest k with 1e-4 (1 + 3 gamma)^k > 1e-2.",
        solution=_SADDLE_STEPS,
        wrong=(32, 31, 95),
        explanation="Each step multiplies a by 1.15, and 1.15^33 is the first power above 100; the Hessian's "
        "eigenvalue -3 along (1, 1) is what sets the factor 1 - gamma (-3).",
    ),
    Exercise(
        id="13.5",
        question="Where one weight is after two Adam steps (gamma 0.1, default betas) with gradients 1 and then 0.",
        checker=_ADAM_CHECKER,
        nudge="Section 5: Adam's equations, step by step, the bias corrections included.",
        hint="m_t = 0.9 m + 0.1 g, v_t = 0.999 v + 0.001 g^2, m_hat = m_t / (1 - 0.9^t), v_hat = v_t / (1 - 0.999^t), "
        "w <- w - 0.1 m_hat / sqrt(v_hat), for t = 1 and t = 2.",
        solution=_ADAM_AFTER,
        wrong=(-0.1, -0.601, 0.167),
        explanation="The first step is -0.1 exactly; the second, with a zero gradient, still moves by 0.067, "
        "because the first moment remembers g1.",
    ),
)
