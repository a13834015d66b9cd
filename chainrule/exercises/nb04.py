"""Exercises of notebook 04: the lectures' 2-2-1 network differentiated by hand."""

from __future__ import annotations

import math

from . import Exercise, number, numbers, register

# The worked example's numbers (the lecture's names: w_ij^h from input i to hidden unit j, w_j1^o from hidden unit j).
X1, X2, Y_STAR = 0.8, -1.5, 0.5
W_H = {(0, 1): 0.1, (1, 1): -0.6, (2, 1): 0.4, (0, 2): 0.3, (1, 2): 0.7, (2, 2): -0.5}
W_O = {0: -0.2, 1: 0.9, 2: 1.4}
_INPUT = {0: 1.0, 1: X1, 2: X2}  # x_0 = 1 multiplies the bias


def _forward(activation):
    s = {j: sum(W_H[(i, j)] * _INPUT[i] for i in range(3)) for j in (1, 2)}
    z = {j: activation(s[j]) for j in (1, 2)}
    y = W_O[0] + W_O[1] * z[1] + W_O[2] * z[2]
    return s, z, y


def _sigmoid(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s))


_, _Z, _Y = _forward(_sigmoid)
_E = _Y - Y_STAR  # dL/dy for L = (y - y*)^2 / 2
_DW22H = _E * W_O[2] * _Z[2] * (1.0 - _Z[2]) * X2

# 04.1: the target that makes every gradient vanish is the output itself.
register(
    Exercise(
        id="04.1",
        question="Keeping inputs and weights, which target y* makes all nine gradients of the 2-2-1 network zero?",
        checker=number(_Y),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Every gradient has the factor ∂L/∂y = y − y*. When is that factor zero?",
        solution=_Y,
        wrong=(0.0,),
        explanation="Every gradient carries the factor y − y*, so a target equal to the output y ≈ 1.2124 leaves nothing to learn.",
    )
)

# 04.2: without the 1/2 in the loss (as nn.mse_loss computes it), every gradient doubles.
register(
    Exercise(
        id="04.2",
        question="∂L/∂w22h when the loss is L = (y − y*)², without the lecture's ½ (as nn.mse_loss computes it).",
        checker=number(2.0 * _DW22H),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Only the first link of the chain changes: what is dL/dy for (y − y*)² instead of ½(y − y*)²?",
        solution=2.0 * _DW22H,
        wrong=(_DW22H,),
        explanation="dL/dy becomes 2(y − y*), so every gradient doubles; the ½ is there only to cancel that 2.",
    )
)

# 04.3: the same network with tanh hidden units: the slope is 1 - z^2 instead of z(1 - z).
_, _ZT, _YT = _forward(math.tanh)
_ET = _YT - Y_STAR


def _tanh_grad(i: int, j: int, slope) -> float:
    return _ET * W_O[j] * slope(_ZT[j]) * _INPUT[i]


register(
    Exercise(
        id="04.3",
        question="With tanh hidden units (z_j = tanh s_j) and the same numbers: [∂L/∂w22h, ∂L/∂w11h].",
        checker=numbers([_tanh_grad(2, 2, lambda z: 1.0 - z * z), _tanh_grad(1, 1, lambda z: 1.0 - z * z)]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Redo the forward pass with math.tanh (y changes too), then use dz_j/ds_j = 1 − z_j² in place of z_j(1 − z_j).",
        solution=[_tanh_grad(2, 2, lambda z: 1.0 - z * z), _tanh_grad(1, 1, lambda z: 1.0 - z * z)],
        wrong=([_tanh_grad(2, 2, lambda z: z * (1.0 - z)), _tanh_grad(1, 1, lambda z: z * (1.0 - z))],),
        explanation="Only the activation's slope changes: (y − y*)·w_j1^o·(1 − z_j²)·x_i, with y from the tanh forward pass.",
    )
)
