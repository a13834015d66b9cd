"""Exercises of notebook 05: the squared and the unsquared divergence, and binary cross-entropy on a sigmoid."""

from __future__ import annotations

import math

from . import Exercise, function, number, numbers, register


def _vector_or_mistake(want: list[float], mistakes: list[tuple[list[float], str]]):
    """numbers(want), telling a typical wrong vector by what went wrong instead of a bare "not right"."""
    right = numbers(want)

    def checker(answer) -> str | None:
        for wrong, reason in mistakes:
            if numbers(wrong)(answer) is None:
                return reason
        return right(answer)

    return checker


# 05.1: the gradient of the unsquared divergence ||Y - d|| at Y = (2, -1, 0.5), d = (-1, 3, 0.5).
_Y, _D = (2.0, -1.0, 0.5), (-1.0, 3.0, 0.5)
_R = [y - d for y, d in zip(_Y, _D)]  # (3, -4, 0), length 5
_NORM = math.sqrt(sum(r * r for r in _R))
_UNIT = [r / _NORM for r in _R]
_SQUARED = list(_R)  # the gradient of 1/2 ||Y - d||^2
_OVER_SQUARE = [r / _NORM**2 for r in _R]
_TOWARDS = [-u for u in _UNIT]

register(
    Exercise(
        id="05.1",
        question="The gradient of ‖Y − d‖ with respect to Y at Y = (2, −1, 0.5), d = (−1, 3, 0.5): a list of 3 numbers.",
        checker=_vector_or_mistake(
            _UNIT,
            [
                (_SQUARED, "that is the gradient of ½‖Y − d‖², the squared divergence"),
                (_OVER_SQUARE, "the difference Y − d is divided by the squared length; look at the power again"),
                (_TOWARDS, "the signs are flipped: the gradient points away from d, towards larger divergence"),
            ],
        ),
        nudge="Section 2 differentiates the square root of a sum of squares, one link at a time.",
        hint="∂‖Y − d‖/∂Y_i = (Y_i − d_i)/‖Y − d‖: first the difference Y − d, then its length, then divide.",
        solution=_UNIT,
        wrong=(_SQUARED, _OVER_SQUARE, _TOWARDS),
        explanation="Y − d = (3, −4, 0) has length 5, so the gradient is (0.6, −0.8, 0): a unit vector, whatever the "
        "distance.",
    )
)

# 05.2: gradient descent on Y with L = ||Y - d||, learning rate 0.7, from distance 2.5: each step has length 0.7.
_START, _RATE, _STEPS = 2.5, 0.7, 10
_distance = _START
for _ in range(_STEPS):
    _distance = abs(_distance - _RATE)  # a step of length lr straight towards d, overshooting once it is close
_HOPPING = _distance
_GEOMETRIC = _START * (1.0 - _RATE) ** _STEPS  # what the squared divergence would give
_ONE_STEP_OFF = abs(_HOPPING - _RATE)

register(
    Exercise(
        id="05.2",
        question="Gradient descent on Y with L = ‖Y − d‖ and learning rate 0.7, starting 2.5 away from d: "
        "the distance ‖Y − d‖ after 10 steps.",
        checker=number(
            _HOPPING,
            mistakes={
                _GEOMETRIC: "is what the squared divergence ½‖Y − d‖² would give; this loss takes steps of another length",
                0.0: "would mean a step lands exactly on d; check what happens once d is closer than one step",
                _ONE_STEP_OFF: "is the distance one step earlier or later; count the steps again",
            },
        ),
        nudge="Section 3 follows gradient descent on the unsquared divergence step by step, overshoot included.",
        hint="Each step moves Y straight towards d by exactly the learning rate, since the gradient has length 1. "
        "So the distance goes r → |r − 0.7|.",
        solution=_HOPPING,
        wrong=(_GEOMETRIC, 0.0, _ONE_STEP_OFF),
        explanation="The distance falls 2.5 → 1.8 → 1.1 → 0.4, then hops 0.3, 0.4, 0.3, ...: the steps never "
        "shrink, so Y never settles on d.",
    )
)

# 05.3: binary cross-entropy on the output y_hat = (1 + tanh z) / 2 (a rescaled tanh), as a function of (z, y).
# d y_hat/dz = (1 - tanh^2 z) / 2 = 2 y_hat (1 - y_hat), so dL/dz = 2 (y_hat - y) = tanh z + 1 - 2y.
_TANH_POINTS = [(0.0, 1.0), (1.0, 0.0), (-2.0, 1.0), (0.5, 0.3), (15.0, 0.0), (-15.0, 1.0), (20.0, 1.0), (-20.0, 0.0)]

register(
    Exercise(
        id="05.3",
        question="∂L/∂z for L = −[y log ŷ + (1 − y) log(1 − ŷ)] with ŷ = (1 + tanh z)/2, as a Python function of (z, y).",
        checker=function(lambda z, y: math.tanh(z) + 1.0 - 2.0 * y, _TANH_POINTS),
        nudge="Section 4 derives ∂L/∂z for a sigmoid output in two links; here only one of them changes.",
        hint="Keep ∂L/∂ŷ = (ŷ − y)/(ŷ(1 − ŷ)) from section 4; only dŷ/dz changes. Write 1 − tanh² z with ŷ: tanh z = 2ŷ − 1.",
        solution=lambda z, y: 2.0 * ((1.0 + math.tanh(z)) / 2.0 - y),
        wrong=(lambda z, y: (1.0 + math.tanh(z)) / 2.0 - y,),  # section 4's answer copied without redoing dy_hat/dz
        explanation="dŷ/dz = (1 − tanh² z)/2 = 2ŷ(1 − ŷ), so ∂L/∂z = 2(ŷ − y): the slope still cancels, up to the factor 2.",
    )
)
