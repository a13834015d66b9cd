"""Exercises of notebook 05 (layers and deltas)."""

from __future__ import annotations

import math

import numpy as np

from . import Exercise, number, numbers, register

# 05.1: parameters of a 784-100-10 network, by the formula sum of n_l (n_{l-1} + 1)
_SIZES = [784, 100, 10]
_COUNT = sum(n_out * (n_in + 1) for n_in, n_out in zip(_SIZES[:-1], _SIZES[1:]))

# 05.2: softmax at z = (0, ln 3) is y_hat = (1/4, 3/4); row 1 of its Jacobian is y_hat_1 (1[1=j] - y_hat_j)
_Y1, _Y2 = 0.25, 0.75
_ROW1 = [_Y1 * (1 - _Y1), -_Y1 * _Y2]

# 05.3: tanh output, squared error 1/2 (y_hat - y)^2, z^L = 0.5, y = 1: delta^L = (y_hat - y)(1 - y_hat^2)
_T = math.tanh(0.5)
_DELTA_L = (_T - 1.0) * (1.0 - _T**2)


# 05.4: the hidden delta of a sigmoid layer, given the activations a = sigma(z): ((W^{l+1})^T delta^{l+1}) * a (1 - a)
def _reference_delta(W_next, delta_next, a):
    return (W_next.T @ delta_next) * a * (1.0 - a)


def _buggy_delta(W_next, delta_next, a):
    sigma = 1.0 / (1.0 + np.exp(-a))
    return (W_next.T @ delta_next) * sigma * (1.0 - sigma)


def _check_delta(answer) -> str | None:
    if not callable(answer):
        return f"the answer should be a function (def or lambda) of W_next, delta_next, a, got {type(answer).__name__}"
    rng = np.random.default_rng(7)
    for n_next, n in [(5, 10), (3, 3), (1, 4)]:
        W_next = rng.normal(size=(n_next, n))
        delta_next = rng.normal(size=n_next)
        a = rng.uniform(0.05, 0.95, size=n)
        got = np.asarray(answer(W_next, delta_next, a), dtype=float)
        if got.shape != (n,):
            return f"for a layer of {n} units fed into {n_next} your function returns shape {got.shape}, not ({n},)"
        if not np.allclose(got, _reference_delta(W_next, delta_next, a), rtol=1e-9, atol=1e-12):
            return f"for a layer of {n} units fed into {n_next} units your delta is not the right one"
    return None


register(
    Exercise(
        id="05.1",
        question="How many parameters (weights and biases) does a 784-100-10 network have?",
        checker=number(_COUNT),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Each neuron of a layer has one weight per input plus one bias: n_l (n_{l-1} + 1) per layer.",
        solution=79510,
        wrong=(79400,),
        explanation="784·100 + 100 = 78,500 for the hidden layer and 100·10 + 10 = 1,010 for the output layer.",
    ),
    Exercise(
        id="05.2",
        question="Softmax at z = (0, ln 3): the first row of its Jacobian, [dŷ1/dz1, dŷ1/dz2].",
        checker=numbers(_ROW1),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="First find ŷ = softmax(z) (the exponentials are 1 and 3). Then dŷ_i/dz_j = ŷ_i (1[i = j] - ŷ_j).",
        solution=[0.1875, -0.1875],
        wrong=([0.25, 0.0],),
        explanation="ŷ = (1/4, 3/4): the diagonal entry is ŷ1(1 - ŷ1) = 3/16 and the cross entry -ŷ1ŷ2 = -3/16; each row sums to 0.",
    ),
    Exercise(
        id="05.3",
        question="tanh output unit, L = ½(ŷ - y)², z^L = 0.5, y = 1: the output delta δ^L = dL/dz^L.",
        checker=number(_DELTA_L),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="δ^L = f'(z^L) · dL/dŷ with dL/dŷ = ŷ - y and tanh'(z) = 1 - tanh(z)².",
        solution=_DELTA_L,
        wrong=(_T - 1.0,),
        explanation="The factor 1 - tanh² ≈ 0.786 shrinks the error ŷ - y ≈ -0.538: a saturating output unit learns slowly.",
    ),
    Exercise(
        id="05.4",
        question="Fix the hidden-layer delta: a function of W_next, delta_next and the activations a = σ(z).",
        checker=_check_delta,
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="σ'(z) = σ(z)(1 - σ(z)), and the function receives a = σ(z) already. What does σ(a) compute?",
        solution=_reference_delta,
        wrong=(_buggy_delta,),
        explanation="Given a = σ(z), the derivative is a(1 - a); applying σ to a again evaluates σ' at the wrong point.",
    ),
)
