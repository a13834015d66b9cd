"""Exercises of notebook 04: one neuron, the slope of its activation, softplus against ReLU, a custom op."""

from __future__ import annotations

import math

import autograd
from autograd import Value

from . import Exercise, number, op_local, register


def _sigmoid(z: float) -> float:
    # Written out here, not taken from the engine: two branches so that exp never overflows.
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _softplus(z: float) -> float:
    # ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|), accurate for any z.
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


# 04.1: a logistic neuron with x = (1.5, -0.5), w = (0.4, -1.2), b = -0.1.
_X, _W, _B = (1.5, -0.5), (0.4, -1.2), -0.1
_Z = sum(w * x for w, x in zip(_W, _X)) + _B  # 1.1
_A = _sigmoid(_Z)
_DA_DW1 = _A * (1.0 - _A) * _X[0]  # sigma'(z) x_1
_TANH_SLOPE = (1.0 - _A**2) * _X[0]
_NO_INPUT = _A * (1.0 - _A)

register(
    Exercise(
        id="04.1",
        question="∂a/∂w1 for the logistic neuron a = σ(w1 x1 + w2 x2 + b) with x = (1.5, −0.5), w = (0.4, −1.2), b = −0.1.",
        checker=number(
            _DA_DW1,
            mistakes={
                _TANH_SLOPE: "uses the slope of tanh, 1 − a², where the unit is a logistic one",
                _NO_INPUT: "is the slope of the activation alone; the weight's own input is missing",
            },
        ),
        nudge="Section 1 builds a weight's gradient from two factors, and section 4 writes the logistic's slope "
        "with its own output.",
        hint="First z = w·x + b, then a = σ(z); ∂a/∂w1 = σ'(z)·∂z/∂w1 = a(1 − a)·x1.",
        solution=_DA_DW1,
        wrong=(_TANH_SLOPE, _NO_INPUT),
        explanation="∂a/∂w1 = σ'(z)·x1 = a(1 − a)·x1: the activation's slope times the weight's own input.",
    )
)

# 04.2: a softplus unit with a negative pre-activation, where ReLU would pass no gradient.
_SP_W, _SP_B, _SP_X, _SP_T = 0.8, -2.5, 1.5, 1.0
_SP_Z = _SP_W * _SP_X + _SP_B  # -1.3
_SP_A = _softplus(_SP_Z)
_SP_DB = (_SP_A - _SP_T) * _sigmoid(_SP_Z)  # (a - t) softplus'(z) with softplus' = sigma
_SP_NO_SLOPE = _SP_A - _SP_T
_SP_LOGISTIC_SLOPE = (_SP_A - _SP_T) * _sigmoid(_SP_Z) * (1.0 - _sigmoid(_SP_Z))
_SP_OUTPUT_AS_SLOPE = (_SP_A - _SP_T) * _SP_A

register(
    Exercise(
        id="04.2",
        question="∂L/∂b for the softplus unit a = softplus(0.8 x − 2.5) at x = 1.5, target t = 1, L = ½(a − t)².",
        checker=number(
            _SP_DB,
            mistakes={
                0.0: "is what a ReLU unit gets here; a softplus unit's slope is never exactly 0",
                _SP_NO_SLOPE: "is ∂L/∂a alone; the unit's slope at z is missing",
                _SP_LOGISTIC_SLOPE: "multiplies by the slope of the logistic function, not by the slope of softplus",
                _SP_OUTPUT_AS_SLOPE: "multiplies by the unit's output; its slope is a different function of z",
            },
        ),
        nudge="Section 7 gives the derivative of softplus, and its example writes ∂L/∂b for one unit.",
        hint="z = w x + b, a = ln(1 + e^z), and ∂L/∂b = (a − t)·softplus'(z) with softplus'(z) = σ(z) = 1/(1 + e^(−z)).",
        solution=_SP_DB,
        wrong=(0.0, _SP_NO_SLOPE, _SP_LOGISTIC_SLOPE, _SP_OUTPUT_AS_SLOPE),
        explanation="z = −1.3, a = ln(1 + e^−1.3) ≈ 0.241 and σ(−1.3) ≈ 0.214, so ∂L/∂b ≈ (0.241 − 1)·0.214: small, "
        "but not the ReLU's 0.",
    )
)

# 04.3: the smallest beta with softplus(beta z)/beta within 0.01 of ReLU everywhere: ln 2 / beta = 0.01.
_TOLERANCE = 0.01
_BETA = math.log(2.0) / _TOLERANCE
_BETA_LOG10 = math.log10(2.0) / _TOLERANCE

register(
    Exercise(
        id="04.3",
        question="The smallest β for which softplus(βz)/β stays within 0.01 of max(0, z) for every z.",
        checker=number(
            _BETA,
            mistakes={
                1.0 / _TOLERANCE: "would be right if the largest gap were 1/β; work out the gap at the corner",
                _BETA_LOG10: "uses the logarithm to base 10; softplus is written with the natural logarithm",
            },
        ),
        nudge="Section 7 works out where the gap between softplus(βz)/β and ReLU is largest, and how large it is.",
        hint="The gap is ln(1 + e^(−β|z|))/β, largest at z = 0, where it is ln 2/β. Solve ln 2/β = 0.01.",
        solution=_BETA,
        wrong=(1.0 / _TOLERANCE, _BETA_LOG10),
        explanation="The gap peaks at the corner with ln 2/β, so β = 100 ln 2 ≈ 69.3; any larger β stays closer still.",
    )
)


# 04.4: fix a custom softplus Op whose local derivative is sigma(-x) instead of sigma(x).
def _softplus_op(local) -> autograd.Op:
    return autograd.Op("softplus", forward=autograd.softplus, local=local, text="softplus({0})", rule=("σ({0})",))


_BUGGY_SOFTPLUS = _softplus_op(lambda out, x: (1 / (1 + autograd.exp(x)),))  # as the notebook defines it
_FIXED_SOFTPLUS = _softplus_op(lambda out, x: (autograd.sigmoid(x),))
_OP_POINTS = [-30.0, -3.0, -0.5, 0.0, 0.7, 4.0, 30.0]


register(
    Exercise(
        id="04.4",
        question="Fix the custom softplus Op whose local derivative is wrong; give the corrected Op.",
        checker=op_local(lambda x: (_sigmoid(x),), [(z,) for z in _OP_POINTS]),
        nudge="Compare the op's local derivative with a central difference at a point other than 0, such as x = 2; "
        "section 7 says what the slope of softplus is.",
        hint="Differentiate ln(1 + e^x): the result is e^x / (1 + e^x). Which of σ(x) and σ(−x) is that?",
        solution=_FIXED_SOFTPLUS,
        wrong=(_BUGGY_SOFTPLUS, Value.softplus, lambda x: (1 + x.exp()).log()),  # the bug; a softplus that is no Op
        explanation="softplus'(x) = eˣ/(1 + eˣ) = σ(x); the buggy 1/(1 + eˣ) is σ(−x), right only at x = 0.",
    )
)
