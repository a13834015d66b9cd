"""Exercises of notebook 06: the lectures' 2-2-1 network differentiated by hand."""

from __future__ import annotations

import inspect
import math
import random

import autograd
from autograd import Value

from . import Exercise, function, number, numbers, register

# The worked example's numbers (the lecture's names: w_ij^h from input i to hidden unit j, w_j1^o from hidden unit j).
X1, X2, Y_STAR = 0.8, -1.5, 0.5
W_H = {(0, 1): 0.1, (1, 1): -0.6, (2, 1): 0.4, (0, 2): 0.3, (1, 2): 0.7, (2, 2): -0.5}
W_O = {0: -0.2, 1: 0.9, 2: 1.4}


def _forward(activation, x1: float = X1, x2: float = X2):
    inputs = {0: 1.0, 1: x1, 2: x2}  # x_0 = 1 multiplies the bias
    s = {j: sum(W_H[(i, j)] * inputs[i] for i in range(3)) for j in (1, 2)}
    z = {j: activation(s[j]) for j in (1, 2)}
    y = W_O[0] + W_O[1] * z[1] + W_O[2] * z[2]
    return inputs, z, y


def _sigmoid(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s))


# 06.1: the target that makes every gradient vanish is the output itself, here at another input than the example's.
_NEW_X1, _NEW_X2 = 2.0, 0.5
_, _, _Y_NEW = _forward(_sigmoid, _NEW_X1, _NEW_X2)
_, _, _Y_EXAMPLE = _forward(_sigmoid)

register(
    Exercise(
        id="06.1",
        question="Same nine weights, input x = (2, 0.5): which target y* makes all nine gradients of the 2-2-1 network zero?",
        checker=number(
            _Y_NEW,
            mistakes={
                _Y_EXAMPLE: "is the network's output at the worked example's input (0.8, −1.5), not at (2, 0.5)",
                0.0: "would make the loss ½y², whose gradients vanish only where y = 0",
            },
        ),
        nudge="Section 3 notices one factor that every one of the nine gradients shares.",
        hint="Every gradient has the factor ∂L/∂y = y − y*, so y* must equal the output y. Run the forward pass at "
        "x = (2, 0.5): s_j, z_j = σ(s_j), then y.",
        solution=_Y_NEW,
        wrong=(_Y_EXAMPLE, 0.0),
        explanation="Every gradient carries the factor y − y*, so a target equal to the output leaves nothing to learn: "
        "y* = y(2, 0.5).",
    )
)

# 06.2: without the 1/2 in the loss (as nn.mse_loss computes it) and with the target 2, dL/dw22^h.
_TARGET_2 = 2.0
_, _Z, _Y = _forward(_sigmoid)
_CHAIN_BELOW_Y = W_O[2] * _Z[2] * (1.0 - _Z[2]) * X2  # dy/dw22^h, the same for any loss
_DW22H = 2.0 * (_Y - _TARGET_2) * _CHAIN_BELOW_Y
_KEPT_HALF = (_Y - _TARGET_2) * _CHAIN_BELOW_Y
_OLD_TARGET = 2.0 * (_Y - Y_STAR) * _CHAIN_BELOW_Y

register(
    Exercise(
        id="06.2",
        question="∂L/∂w22h for the loss L = (y − y*)² (no ½, as nn.mse_loss) and the target y* = 2, other numbers as in "
        "the example.",
        checker=number(
            _DW22H,
            mistakes={
                _KEPT_HALF: "is the gradient of ½(y − y*)²; without the ½, ∂L/∂y changes",
                _OLD_TARGET: "uses the example's target 0.5; the target here is 2",
            },
        ),
        nudge="Section 3 splits ∂L/∂w22h into four links; decide which of them depend on the loss and the target.",
        hint="Only the first link changes: ∂L/∂y = 2(y − y*) for (y − y*)². The rest, w21o·z2(1 − z2)·x2, stays.",
        solution=_DW22H,
        wrong=(_KEPT_HALF, _OLD_TARGET),
        explanation="∂L/∂y becomes 2(y − 2) ≈ −1.575 while the links below y stay as they were; the lecture's ½ is there "
        "only to cancel the 2.",
    )
)

# 06.3: the same network with tanh hidden units: the slope is 1 - z^2 instead of z(1 - z).
_INPUT, _ZT, _YT = _forward(math.tanh)
_ET = _YT - Y_STAR


def _tanh_grad(i: int, j: int, slope) -> float:
    return _ET * W_O[j] * slope(_ZT[j]) * _INPUT[i]


_TANH_PAIR = [_tanh_grad(2, 2, lambda z: 1.0 - z * z), _tanh_grad(1, 1, lambda z: 1.0 - z * z)]
_SIGMOID_SLOPE_PAIR = [_tanh_grad(2, 2, lambda z: z * (1.0 - z)), _tanh_grad(1, 1, lambda z: z * (1.0 - z))]


def _check_tanh_pair(answer) -> str | None:
    if numbers(_SIGMOID_SLOPE_PAIR)(answer) is None:
        return "these use the sigmoid's slope z(1 − z) with tanh values; tanh has a slope of its own"
    return numbers(_TANH_PAIR)(answer)


register(
    Exercise(
        id="06.3",
        question="With tanh hidden units (z_j = tanh s_j) and the same numbers: [∂L/∂w22h, ∂L/∂w11h].",
        checker=_check_tanh_pair,
        nudge="Section 3's four links for w22h: one of them is the hidden unit's slope, and the forward pass "
        "feeds the first one.",
        hint="Redo the forward pass with math.tanh (y changes too), then use dz_j/ds_j = 1 − z_j² in place of z_j(1 − z_j).",
        solution=_TANH_PAIR,
        wrong=(_SIGMOID_SLOPE_PAIR,),
        explanation="Only the activation's slope changes: (y − y*)·w_j1^o·(1 − z_j²)·x_i, with y from the tanh forward pass.",
    )
)

# 06.4: dL/dw11^h as a Python function of the inputs, the target and the nine weights, checked against the engine.
ARGUMENTS = ("x1", "x2", "y_star", "w01h", "w11h", "w21h", "w02h", "w12h", "w22h", "w01o", "w11o", "w21o")


def _engine_dw11h(*numbers_in: float) -> float:
    """∂L/∂w11^h by the engine: the network built from Values, then backward()."""
    p = dict(zip(ARGUMENTS, numbers_in))
    w = {name: Value(p[name]) for name in ARGUMENTS[3:]}
    z1 = (w["w01h"] + w["w11h"] * p["x1"] + w["w21h"] * p["x2"]).sigmoid()
    z2 = (w["w02h"] + w["w12h"] * p["x1"] + w["w22h"] * p["x2"]).sigmoid()
    y = w["w01o"] + w["w11o"] * z1 + w["w21o"] * z2
    (autograd.constant(0.5) * (y - p["y_star"]) ** 2).backward()
    return w["w11h"].grad


def _points() -> list[tuple[float, ...]]:
    rng = random.Random(6)
    example = (X1, X2, Y_STAR, *(W_H[(i, 1)] for i in range(3)), *(W_H[(i, 2)] for i in range(3)), *W_O.values())
    others = [tuple(rng.uniform(-2.0, 2.0) for _ in ARGUMENTS) for _ in range(12)]
    return [example, *others]


_FORMULA = function(_engine_dw11h, _points())


def _arity_problem(answer) -> str | None:
    """What is wrong with the number of arguments a function takes, if anything."""
    try:
        parameters = list(inspect.signature(answer).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature: let the call decide
        return None
    if any(p.kind is p.VAR_POSITIONAL for p in parameters) or len(parameters) == len(ARGUMENTS):
        return None
    return (
        f"the function should take {len(ARGUMENTS)} arguments, ({', '.join(ARGUMENTS)}), but it takes {len(parameters)}"
    )


def _check_formula(answer) -> str | None:
    problem = _arity_problem(answer) if callable(answer) else None
    return problem or _FORMULA(answer)


def _solution(x1, x2, y_star, w01h, w11h, w21h, w02h, w12h, w22h, w01o, w11o, w21o):
    z1 = _sigmoid(w01h + w11h * x1 + w21h * x2)
    z2 = _sigmoid(w02h + w12h * x1 + w22h * x2)
    y = w01o + w11o * z1 + w21o * z2
    return (y - y_star) * w11o * z1 * (1.0 - z1) * x1


def _wrong_output_weight(x1, x2, y_star, w01h, w11h, w21h, w02h, w12h, w22h, w01o, w11o, w21o):
    z1 = _sigmoid(w01h + w11h * x1 + w21h * x2)
    z2 = _sigmoid(w02h + w12h * x1 + w22h * x2)
    y = w01o + w11o * z1 + w21o * z2
    return (y - y_star) * w21o * z1 * (1.0 - z1) * x1  # the output weight of the other hidden unit


def _wrong_slope_of_s(x1, x2, y_star, w01h, w11h, w21h, w02h, w12h, w22h, w01o, w11o, w21o):
    s1 = w01h + w11h * x1 + w21h * x2
    z1, z2 = _sigmoid(s1), _sigmoid(w02h + w12h * x1 + w22h * x2)
    y = w01o + w11o * z1 + w21o * z2
    return (y - y_star) * w11o * s1 * (1.0 - s1) * x1  # sigma' applied to s1 instead of z1


_AT_THE_EXAMPLE = _solution(*_points()[0])

register(
    Exercise(
        id="06.4",
        question="∂L/∂w11h as a Python function of (x1, x2, y_star, w01h, w11h, w21h, w02h, w12h, w22h, w01o, w11o, w21o).",
        checker=_check_formula,
        nudge="Section 5 turns the hand formula for an output weight into a function of every number in the network; "
        "section 3 has the chain of links for a hidden weight.",
        hint="Inside the function run the forward pass (z1 = σ(w01h + w11h x1 + w21h x2), z2 likewise, "
        "y = w01o + w11o z1 + w21o z2), then return (y − y_star)·w11o·z1(1 − z1)·x1.",
        solution=_solution,
        wrong=(_wrong_output_weight, _wrong_slope_of_s, lambda *numbers_in: _AT_THE_EXAMPLE),
        explanation="A formula holds at every point: (y − y*)·w11o·z1(1 − z1)·x1 with y, z1 recomputed from the "
        "arguments agrees with backward() wherever the weights are.",
    )
)
