"""Exercises of notebook 07: layers, deltas, parameter counts and the pieces of a ReLU network."""

from __future__ import annotations

import math

import numpy as np

from . import Exercise, number, numbers, register

# 07.1: parameters of a 784-100-10 network, by the formula sum of n_l (n_{l-1} + 1)
_SIZES = [784, 100, 10]
_COUNT = sum(n_out * (n_in + 1) for n_in, n_out in zip(_SIZES[:-1], _SIZES[1:]))
_WEIGHTS_ONLY = sum(n_out * n_in for n_in, n_out in zip(_SIZES[:-1], _SIZES[1:]))

# 07.2: tanh output, squared error 1/2 (y_hat - y)^2, z^L = 0.5, y = 1: delta^L = (y_hat - y)(1 - y_hat^2)
_T = math.tanh(0.5)
_DELTA_L = (_T - 1.0) * (1.0 - _T**2)
_LINEAR_DELTA = _T - 1.0
_SIGMOID_SLOPE = (_T - 1.0) * _T * (1.0 - _T)


# 07.3: the hidden delta of a sigmoid layer, given the activations a = sigma(z): ((W^{l+1})^T delta^{l+1}) * a (1 - a)
def _reference_delta(W_next, delta_next, a):
    return (W_next.T @ delta_next) * a * (1.0 - a)


def _buggy_delta(W_next, delta_next, a):
    sigma = 1.0 / (1.0 + np.exp(-a))
    return (W_next.T @ delta_next) * sigma * (1.0 - sigma)


def _half_the_slope(W_next, delta_next, a):
    return (W_next.T @ delta_next) * a  # the slope's factor (1 - a) left out


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


# 07.4: f(x) = sum_j v_j relu(w_j x + b_j) + c. Kinks at x = -b_j / w_j: -2, 0.5, 1; slope on a piece = sum of v_j w_j
# over the units switched on there.
_W, _B, _V = np.array([1.0, -2.0, 0.5]), np.array([-1.0, 1.0, 1.0]), np.array([2.0, 1.0, -3.0])
_KINKS = np.sort(-_B / _W)
_MIDDLES = [_KINKS[0] - 1.0, *((_KINKS[:-1] + _KINKS[1:]) / 2), _KINKS[-1] + 1.0]  # one point inside each piece


def _slopes(on) -> list[float]:
    return [float(np.sum(_V * _W * on(x))) for x in _MIDDLES]


_PIECE_SLOPES = _slopes(lambda x: _W * x + _B > 0)
_ALL_ON = _slopes(lambda x: np.ones(3))
_SWITCHED = _slopes(lambda x: _W * x + _B < 0)  # every unit read as on where it is off


def _check_slopes(answer) -> str | None:
    if numbers(_ALL_ON)(answer) is None:
        return "these count every unit on every piece; a ReLU unit adds nothing where its input is negative"
    if numbers(_SWITCHED)(answer) is None:
        return "each unit is counted where it is off and left out where it is on"
    return numbers(_PIECE_SLOPES)(answer)


register(
    Exercise(
        id="07.1",
        question="How many parameters (weights and biases) does a 784-100-10 network have?",
        checker=number(
            _COUNT,
            mistakes={
                _WEIGHTS_ONLY: "counts the weights but leaves out the biases",
                _COUNT - 10: "leaves out the output layer's 10 biases",
                _COUNT - 100: "leaves out the hidden layer's 100 biases",
            },
            whole=True,
        ),
        nudge="Section 4 counts the parameters of the lecture's 10-10-5-1 network layer by layer.",
        hint="Each neuron of a layer has one weight per input plus one bias: n_l (n_{l-1} + 1) per layer, summed.",
        solution=79510,
        wrong=(_WEIGHTS_ONLY, _COUNT - 10, _COUNT - 100),
        explanation="784·100 + 100 = 78,500 for the hidden layer and 100·10 + 10 = 1,010 for the output layer.",
    ),
    Exercise(
        id="07.2",
        question="tanh output unit, L = ½(ŷ − y)², z^L = 0.5, y = 1: the output delta δ^L = ∂L/∂z^L.",
        checker=number(
            _DELTA_L,
            mistakes={
                _LINEAR_DELTA: "is the delta of a linear output unit; this one has an activation",
                _SIGMOID_SLOPE: "multiplies by the sigmoid's slope ŷ(1 − ŷ); the unit is a tanh one",
            },
        ),
        nudge="Section 4 starts the recursion at an output layer that has an activation of its own.",
        hint="δ^L = f'(z^L) · ∂L/∂ŷ with ∂L/∂ŷ = ŷ − y and tanh'(z) = 1 − tanh(z)².",
        solution=_DELTA_L,
        wrong=(_LINEAR_DELTA, _SIGMOID_SLOPE),
        explanation="The factor 1 − tanh² ≈ 0.786 shrinks the error ŷ − y ≈ −0.538: a saturating output unit learns slowly.",
    ),
    Exercise(
        id="07.3",
        question="Fix the hidden-layer delta: a function of W_next, delta_next and the activations a = σ(z).",
        checker=_check_delta,
        nudge="Notebook 04 wrote the sigmoid's slope in terms of its output; this function receives a = σ(z), not z.",
        hint="σ'(z) = σ(z)(1 − σ(z)), and the function receives a = σ(z) already. What does σ(a) compute?",
        solution=_reference_delta,
        wrong=(_buggy_delta, _half_the_slope),
        explanation="Given a = σ(z), the derivative is a(1 − a); applying σ to a again evaluates σ' at the wrong point.",
    ),
    Exercise(
        id="07.4",
        question="f(x) = 2 relu(x − 1) + relu(−2x + 1) − 3 relu(0.5x + 1) + 0.5: the slope of f on each of its "
        "four pieces, from left to right.",
        checker=_check_slopes,
        nudge="Section 5 finds where each unit switches and adds up the slopes of the units that are on.",
        hint="Unit j switches at x = −b_j/w_j. On a piece, f is a sum over the units that are on (w_j x + b_j > 0) "
        "of v_j w_j, since relu(u) = u there and 0 elsewhere.",
        solution=_PIECE_SLOPES,
        wrong=(_ALL_ON, _SWITCHED),
        explanation="The kinks are at x = −2, 0.5 and 1; the units on are {2}, {2, 3}, {3}, {1, 3}, giving slopes "
        "−2, −3.5, −1.5 and 0.5.",
    ),
)
