"""Exercises of notebook 03: one neuron, its activation, and binary cross-entropy on a sigmoid output."""

from __future__ import annotations

import math

import autograd
from autograd import Value

from . import Exercise, function, number, op_local, register


def _sigmoid(z: float) -> float:
    # Written out here, not taken from the engine: two branches so that exp never overflows.
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _softplus(z: float) -> float:
    # ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|), accurate for any z.
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


# 03.1: a logistic neuron with x = (1.5, -0.5), w = (0.4, -1.2), b = -0.1.
_X, _W, _B = (1.5, -0.5), (0.4, -1.2), -0.1
_Z = sum(w * x for w, x in zip(_W, _X)) + _B  # 1.1
_A = _sigmoid(_Z)
_DA_DW1 = _A * (1.0 - _A) * _X[0]  # sigma'(z) x_1

register(
    Exercise(
        id="03.1",
        question="∂a/∂w1 for the logistic neuron a = σ(w1 x1 + w2 x2 + b) with x = (1.5, −0.5), w = (0.4, −1.2), b = −0.1.",
        checker=number(_DA_DW1),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="First z = w·x + b, then a = σ(z); the slope of the logistic is σ(z)(1 − σ(z)), and z changes by x1 per unit of w1.",
        solution=_DA_DW1,
        wrong=((1.0 - _A**2) * _X[0],),  # the tanh slope 1 - a^2 used for a logistic unit
        explanation="∂a/∂w1 = σ'(z)·x1 = a(1 − a)·x1: the activation's slope times the weight's own input.",
    )
)

# 03.2: binary cross-entropy on the output y_hat = (1 + tanh z) / 2 (a rescaled tanh), as a function of (z, y).
# d y_hat/dz = (1 - tanh^2 z) / 2 = 2 y_hat (1 - y_hat), so dL/dz = 2 (y_hat - y) = tanh z + 1 - 2y.
_TANH_POINTS = [(0.0, 1.0), (1.0, 0.0), (-2.0, 1.0), (0.5, 0.3), (15.0, 0.0), (-15.0, 1.0), (20.0, 1.0), (-20.0, 0.0)]

register(
    Exercise(
        id="03.2",
        question="∂L/∂z for L = −[y log ŷ + (1 − y) log(1 − ŷ)] with ŷ = (1 + tanh z)/2, as a Python function of (z, y).",
        checker=function(lambda z, y: math.tanh(z) + 1.0 - 2.0 * y, _TANH_POINTS),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Keep ∂L/∂ŷ = (ŷ − y)/(ŷ(1 − ŷ)) from section 7; only dŷ/dz changes. Write 1 − tanh² z with ŷ: tanh z = 2ŷ − 1.",
        solution=lambda z, y: 2.0 * ((1.0 + math.tanh(z)) / 2.0 - y),
        wrong=(lambda z, y: (1.0 + math.tanh(z)) / 2.0 - y,),  # section 7's answer copied without redoing dy_hat/dz
        explanation="dŷ/dz = (1 − tanh² z)/2 = 2ŷ(1 − ŷ), so ∂L/∂z = 2(ŷ − y): the slope still cancels, up to the factor 2.",
    )
)


# 03.3: fix a custom softplus Op whose local derivative is sigma(-x) instead of sigma(x).
def _softplus_op(local) -> autograd.Op:
    return autograd.Op("softplus", forward=autograd.softplus, local=local, text="softplus({0})", rule=("σ({0})",))


_BUGGY_SOFTPLUS = _softplus_op(lambda out, x: (1 / (1 + autograd.exp(x)),))  # as the notebook defines it
_FIXED_SOFTPLUS = _softplus_op(lambda out, x: (autograd.sigmoid(x),))
_OP_POINTS = [-30.0, -3.0, -0.5, 0.0, 0.7, 4.0, 30.0]


register(
    Exercise(
        id="03.3",
        question="Fix the custom softplus Op whose local derivative is wrong; give the corrected Op.",
        checker=op_local(lambda x: (_sigmoid(x),), [(z,) for z in _OP_POINTS]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Differentiate ln(1 + e^x): the result is e^x / (1 + e^x). Which of σ(x) and σ(−x) is that? Compare both with a central difference at x = 2.",
        solution=_FIXED_SOFTPLUS,
        wrong=(_BUGGY_SOFTPLUS, Value.softplus, lambda x: (1 + x.exp()).log()),  # the bug; a softplus that is no Op
        explanation="softplus'(x) = eˣ/(1 + eˣ) = σ(x); the buggy 1/(1 + eˣ) is σ(−x), right only at x = 0.",
    )
)
