"""Exercises of notebook 11: a gradient checker written by the student, run on right and planted-wrong derivatives.

11.1 and 11.2 are the checker's two parts (a central difference, a relative error), 11.3 and 11.5 are
numbers to predict, and 11.4 is the whole checker. The grader of 11.4 hands the student's checker a
set of losses, each with the gradients some code claims for it: some right, some made by a planted
bug (a custom op whose derivative has the wrong sign, lost its factor 2 or is σ in place of σ', and
a NumPy backpropagation that multiplies by W where Wᵀ belongs). It knows the true gradients (from
the right ops and from the engine), so it knows every entry's true relative error, and it asks the
checker to report small errors for the right gradients and the largest error, at its place, for
the wrong ones.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import autograd
from autograd import Op, Value

from . import Exercise, Unreadable, as_number, number, register
from .nb09_backprop_in_numpy import (
    Refused,
    back_propagation,
    delta_below,
    engine_pass,
    forward_propagation,
    graded,
    make_network,
    sigmoid,
)

EPS = float(np.finfo(float).eps)  # the spacing of floats near 1, 2.22e-16
STEP = 1e-5  # the h the grader hands to a student's checker
RIGHT_BELOW = 1e-6  # a checker must find every right gradient's relative error below this
AGREE = 1e-4  # ... and a planted bug's largest relative error to this relative precision


# -- 11.1 and 11.2: the two parts ---------------------------------------------------------------------------
def central_difference(f: Callable[[float], float], x: float, h: float) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def relative_error(a: float, n: float, tiny: float = 1e-30) -> float:
    return abs(a - n) / max(abs(a), abs(n), tiny)


DIFFERENCE_POINTS = [(math.sin, 1.0, 1e-3), (math.exp, -0.5, 1e-2), (lambda t: t**3, 2.0, 0.1), (math.tanh, 0.3, 0.25)]


def returned_number(got: Any, what: str) -> float:
    """One number a student's function gave back, in any numeric type; a missing return is said as such."""
    if got is None:
        raise Refused(f"{what} gave None: does the function end with a return statement?")
    try:
        return as_number(got, what)
    except Unreadable:
        raise Refused(f"{what} should be a number, got {got!r:.60}") from None


def _check_central_difference(answer: Any) -> None:
    if not callable(answer):
        raise Refused(f"the answer should be your function central_difference, got {type(answer).__name__}")
    for f, x, h in DIFFERENCE_POINTS:
        got = returned_number(answer(f, x, h), "central_difference")
        want = central_difference(f, x, h)
        if math.isclose(got, want, rel_tol=1e-9):
            continue
        at = f"at x = {x:g} with h = {h:g}"
        if math.isclose(got, (f(x + h) - f(x)) / h, rel_tol=1e-9):
            raise Refused(f"{at} it gives the one-sided difference from x to x + h, whose error shrinks only like h")
        if math.isclose(got, 2 * want, rel_tol=1e-9):
            raise Refused(f"{at} it gives twice the expected value: how far apart are the two points?")
        raise Refused(f"{at} it gives {got:.10g}, which is not the central difference")


ERROR_PAIRS = [(1.0, 1.1), (0.0, 0.0), (-2.0, 2.0), (1e-3, 2e-3), (0.0, 1e-8), (3.0, 0.0), (-1.5, -1.0), (4e5, 4e5 + 1)]


def _check_relative_error(answer: Any) -> None:
    if not callable(answer):
        raise Refused(f"the answer should be your function relative_error, got {type(answer).__name__}")
    for a, n in ERROR_PAIRS:
        try:
            got = returned_number(answer(a, n), "relative_error")
        except ZeroDivisionError:
            raise Refused(
                f"with a = {a:g} and n = {n:g} it divides by zero; two equal gradients agree perfectly"
            ) from None
        want = relative_error(a, n)
        if not (math.isfinite(got) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-15)):
            raise Refused(f"with a = {a:g} and n = {n:g} it gives {got:.6g}, which is not the relative error")


# -- 11.4: the checker on right and planted-wrong gradients -------------------------------------------------
def _op(name: str, forward: Callable, local: Callable) -> Op:
    return Op(name, forward=forward, local=local)


COS = _op("cos", np.cos, lambda out, x: (-np.sin(x),))
SQUARE = _op("square", lambda x: x * x, lambda out, x: (2 * x,))
SIGMOID = _op("sigmoid", sigmoid, lambda out, x: (out * (1 - out),))
PLANTED = {  # the same forward, a wrong local derivative
    "a sign flip in cos": (_op("cos", np.cos, lambda out, x: (np.sin(x),)), SQUARE, SIGMOID),
    "a lost factor 2 in square": (COS, _op("square", lambda x: x * x, lambda out, x: (x,)), SIGMOID),
    "σ in place of σ' in sigmoid": (COS, SQUARE, _op("sigmoid", sigmoid, lambda out, x: (out,))),
}
_OP_PARAMS = {
    "w": np.array([0.7, -1.2, 2.0]),
    "V": np.array([[0.5, -0.3, 0.8], [-1.1, 0.4, 0.9]]),
    "b": np.array([0.3, -0.6]),
}
_C, _T, _K = np.array([1.5, -0.8, 1.1]), np.array([[0.1, 0.2, -0.4], [0.3, -0.5, 0.2]]), np.array([2.0, -1.3])


def _op_total(ops: tuple, w: Value, V: Value, b: Value) -> Value:
    """L = Σ c_j cos(w_j) + ½ Σ (V_ij − T_ij)² + Σ k_i σ((V w + b)_i), from three ops that may be planted."""
    cos, square, sigmoid_op = ops
    return (_C * cos(w)).sum() + 0.5 * square(V - _T).sum() + (_K * sigmoid_op(V @ w + b)).sum()


def op_loss(ops: tuple, params: dict) -> float:
    """The loss's value: the ops' forward functions only, right whether or not a derivative is planted."""
    with autograd.no_grad():
        return _op_total(ops, *(Value(params[name].copy()) for name in "wVb")).item()


def op_gradients(ops: tuple, params: dict) -> dict:
    """The gradients the engine gets through these ops: the true ones if the ops are right."""
    values = {name: Value(params[name].copy()) for name in "wVb"}
    _op_total(ops, *values.values()).backward()
    return {name: v.grad for name, v in values.items()}


# The network of notebook 09 with square layers, where Wᵀ and W have the same shape and a slip runs silently.
NETWORK = make_network((3, 3, 3, 3), ("tanh", "tanh", "linear"), "squared", 4, 11)


def network_params() -> dict:
    return {
        f"{kind}{layer}": getattr(NETWORK, kind)[layer].copy() for layer in range(1, NETWORK.L + 1) for kind in "Wb"
    }


def network_loss(params: dict) -> float:
    """J = (1/m) Σ ½ ||a^L − y||² of NETWORK with the weights and biases in ``params``, in NumPy."""
    L = NETWORK.L
    W, b = (
        {layer: params[f"W{layer}"] for layer in range(1, L + 1)},
        {layer: params[f"b{layer}"] for layer in range(1, L + 1)},
    )
    _, a = forward_propagation(W, b, NETWORK.X, NETWORK.act)
    return float(0.5 * np.sum((a[L] - NETWORK.Y) ** 2) / NETWORK.m)


def network_gradients(transposed: bool = False) -> dict:
    """What notebook 09's back_propagation claims, right, or with W where Wᵀ belongs in the delta recursion."""
    W, b = NETWORK.W, NETWORK.b
    z, a = forward_propagation(W, b, NETWORK.X, NETWORK.act)
    down = (lambda W_above, d, z_l, fprime: (W_above @ d) * fprime(z_l)) if transposed else delta_below
    grad_W, grad_b = back_propagation(W, z, a, NETWORK.Y, NETWORK.act, NETWORK.loss, down=down)
    return {f"{kind}{layer}": (grad_W if kind == "W" else grad_b)[layer] for layer in grad_W for kind in "Wb"}


def network_true_gradients() -> dict:
    ref = engine_pass(NETWORK)
    return {f"{kind}{layer}": ref[f"grad_{kind}"][layer] for layer in range(1, NETWORK.L + 1) for kind in "Wb"}


@dataclass(frozen=True)
class Case:
    """A loss, the gradients some code claims for it, and the true gradients."""

    name: str
    loss: Callable[[dict], float]
    params: dict
    claimed: dict
    true: dict

    def errors(self) -> dict:
        """Every entry's true relative error: how far the claimed gradient is from the true one."""
        return {
            key: np.abs(self.claimed[key] - self.true[key])
            / np.maximum(np.maximum(np.abs(self.claimed[key]), np.abs(self.true[key])), 1e-300)
            for key in self.params
        }


def cases() -> list[Case]:
    right_ops = (COS, SQUARE, SIGMOID)
    true = op_gradients(right_ops, _OP_PARAMS)
    loss = functools.partial(op_loss, right_ops)
    found = [Case("the right ops", loss, _OP_PARAMS, true, true)]
    for name, ops in PLANTED.items():
        found.append(Case(name, loss, _OP_PARAMS, op_gradients(ops, _OP_PARAMS), true))
    engine = network_true_gradients()
    found.append(Case("the right NumPy backpropagation", network_loss, network_params(), network_gradients(), engine))
    found.append(
        Case("W in place of Wᵀ in the delta recursion", network_loss, network_params(), network_gradients(True), engine)
    )
    return found


def _place(place: Any, params: dict) -> tuple[str, tuple]:
    """(name, index) with the index as a tuple of ints; an int for a one-dimensional parameter is fine."""
    if not isinstance(place, (tuple, list)) or len(place) != 2:
        raise Refused(f"the place should be a pair (name, index) such as ('W1', (0, 2)), got {place!r:.60}")
    name, index = place
    if name not in params:
        raise Refused(f"the place names {name!r}, which is not one of the parameters {list(params)}")
    try:
        index = (operator.index(index),) if not isinstance(index, (tuple, list)) else tuple(map(operator.index, index))
    except TypeError:
        raise Refused(f"the index {index!r:.40} should be a tuple of whole numbers such as (0, 2)") from None
    shape = params[name].shape
    if len(index) != len(shape) or not all(0 <= i < n for i, n in zip(index, shape)):
        raise Refused(f"the index {index} is not an entry of {name}, whose shape is {shape}")
    return name, index


def _check_gradient_check(answer: Any) -> None:
    if not callable(answer):
        raise Refused(f"the answer should be your function gradient_check, got {type(answer).__name__}")
    for case in cases():
        params = {key: value.copy() for key, value in case.params.items()}
        claimed = {key: value.copy() for key, value in case.claimed.items()}
        result = answer(case.loss, params, claimed, STEP)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Refused(f"gradient_check should return a pair (worst relative error, place), got {result!r:.60}")
        worst = returned_number(result[0], "the worst relative error of gradient_check")
        name, index = _place(result[1], params)
        for key in params:
            if not np.allclose(params[key], case.params[key], rtol=1e-12, atol=0.0):
                raise Refused(f"after checking {case.name}, the parameter {key} has changed: put each entry back")
        errors = case.errors()
        largest = max(float(e.max()) for e in errors.values())
        if largest < 1e-12:  # right gradients
            if not worst < RIGHT_BELOW:
                raise Refused(f"for {case.name} it reports {worst:.3g}; right gradients should come out below 1e-6")
            continue
        if not math.isclose(worst, largest, rel_tol=AGREE):
            absolute = max(float(np.max(np.abs(case.claimed[key] - case.true[key]))) for key in case.params)
            if math.isclose(worst, absolute, rel_tol=1e-3):
                raise Refused(
                    f"for {case.name} it reports {worst:.4g}, the worst absolute error |a − n|: a relative error "
                    "divides it by the size of the gradients"
                )
            raise Refused(f"for {case.name} it reports a worst relative error of {worst:.4g}, which is not the worst")
        if errors[name][index] < largest * (1 - 1e-6):
            raise Refused(f"for {case.name} the worst relative error is not at {name}{list(index)}")


def gradient_check(loss: Callable[[dict], float], params: dict, grads: dict, h: float = 1e-5) -> tuple:
    worst, place = -1.0, None
    for name, p in params.items():
        for index in np.ndindex(p.shape):
            saved = p[index]
            p[index] = saved + h
            up = loss(params)
            p[index] = saved - h
            down = loss(params)
            p[index] = saved
            error = relative_error(float(grads[name][index]), (up - down) / (2 * h))
            if error > worst:
                worst, place = error, (name, index)
    return worst, place


def _mistaken(one_sided=False, restore=True, error=relative_error, pick_least=False, first_only=False) -> Callable:
    """A checker with one typical mistake, for the tests and the list of wrong answers."""

    def check(loss, params, grads, h=1e-5):
        results = []
        for name, p in list(params.items())[:1] if first_only else params.items():
            for index in np.ndindex(p.shape):
                saved = p[index]
                p[index] = saved + h
                up = loss(params)
                p[index] = saved if one_sided else saved - h
                down = loss(params)
                numeric = (up - down) / (h if one_sided else 2 * h)
                p[index] = saved if restore else p[index]
                results.append((error(float(grads[name][index]), numeric), (name, index)))
        return (min if pick_least else max)(results, key=lambda r: r[0])

    return check


# -- 11.3 and 11.5: numbers ----------------------------------------------------------------------------------
# E(h) = h²|f'''(x)|/6 + ε|f(x)|/h is least where its derivative h|f'''|/3 − ε|f|/h² is 0: h³ = 3ε|f|/|f'''|.
# For f = exp at x = 0, f = f''' = 1.
BEST_H = (3 * EPS) ** (1 / 3)
# σ in place of σ' at x: |σ − σ(1 − σ)| / max(σ, σ(1 − σ)) = σ² / σ = σ(x).
SIGMOID_BUG_AT = 0.3
SIGMOID_BUG_ERROR = 1 / (1 + math.exp(-SIGMOID_BUG_AT))

register(
    Exercise(
        id="11.1",
        question="central_difference(f, x, h): the central difference of f at x with step h.",
        checker=graded(_check_central_difference),
        nudge="Section 1: the two points sit on either side of x, and the slope is rise over run between them.",
        hint="(f(x + h) − f(x − h)) / (2h): its error shrinks like h², because the h² terms of the two Taylor series cancel.",
        solution=central_difference,
        wrong=(
            lambda f, x, h: (f(x + h) - f(x)) / h,
            lambda f, x, h: (f(x + h) - f(x - h)) / h,
        ),
        explanation="Symmetric about x, so the even terms of the Taylor series cancel and the error is about h² f'''/6.",
    ),
    Exercise(
        id="11.2",
        question="relative_error(a, n): |a − n| / max(|a|, |n|, tiny) for an analytic a and a numerical n.",
        checker=graded(_check_relative_error),
        nudge="Section 2: divide by the larger of the two sizes, and think of the case where both are zero.",
        hint="abs(a - n) / max(abs(a), abs(n), 1e-30): the tiny number only keeps 0/0 away.",
        solution=relative_error,
        wrong=(
            lambda a, n: abs(a - n) / abs(a),
            lambda a, n: abs(a - n) / max(abs(a) + abs(n), 1e-30),
            lambda a, n: abs(a - n),
        ),
        explanation="It lies between 0 and 2 whatever the size of the gradient: 2 for a sign flip, ½ for a lost factor 2.",
    ),
    Exercise(
        id="11.3",
        question="The h that minimises E(h) = h²|f'''(x)|/6 + ε|f(x)|/h for f = exp at x = 0, with ε = 2.22e-16.",
        checker=number(
            BEST_H,
            mistakes={
                (6 * EPS) ** (1 / 3): "makes the two terms equal; the minimum is where their slopes cancel",
                EPS ** (1 / 3): "is ε^(1/3): the right size, but minimise E(h) with its constants",
                math.sqrt(EPS): "is the best step of the one-sided difference, whose error falls only like h",
            },
        ),
        nudge="Section 3: E(h) is smallest where its derivative with respect to h is zero.",
        hint="dE/dh = h|f'''|/3 − ε|f|/h² = 0 gives h³ = 3ε|f(x)|/|f'''(x)|; for exp at 0, f = f''' = 1.",
        solution=BEST_H,
        wrong=((6 * EPS) ** (1 / 3), EPS ** (1 / 3), math.sqrt(EPS)),
        explanation="h = (3ε)^(1/3) ≈ 8.73e-6: the cube root of the machine epsilon, times a constant of order 1.",
    ),
    Exercise(
        id="11.4",
        question="gradient_check(loss, params, grads, h): the worst relative error over every entry, and its place.",
        checker=graded(_check_gradient_check),
        nudge="Section 5: nudge one entry at a time, both ways, put it back, and keep the worst error seen.",
        hint=(
            "For each name and each index in np.ndindex(p.shape): save p[index], evaluate loss at saved ± h, restore, "
            "compare (up − down)/(2h) with grads[name][index] by relative_error, keep the largest and its (name, index)."
        ),
        solution=gradient_check,
        wrong=(
            _mistaken(one_sided=True),
            _mistaken(restore=False),
            _mistaken(error=lambda a, n: abs(a - n)),
            _mistaken(pick_least=True),
            _mistaken(first_only=True),
        ),
        explanation="It passes the right gradients and finds every planted bug, at an entry where it does the most harm.",
    ),
    Exercise(
        id="11.5",
        question="The relative error a checker reports at x = 0.3 for the sigmoid op whose local derivative is σ.",
        checker=number(
            SIGMOID_BUG_ERROR,
            mistakes={
                1 - SIGMOID_BUG_ERROR: "is 1 − σ(0.3)",
                SIGMOID_BUG_ERROR / (1 - SIGMOID_BUG_ERROR): "divides by the smaller of the two derivatives",
                1 / (1 - SIGMOID_BUG_ERROR): "is the ratio of the two derivatives, not the relative error",
            },
        ),
        nudge="Section 2 defines the relative error: of which two numbers, here? The planted op's slope and the true one.",
        hint="|σ − σ(1 − σ)| / max(σ, σ(1 − σ)) = σ² / σ: the larger of the two is σ itself.",
        solution=SIGMOID_BUG_ERROR,
        wrong=(1 - SIGMOID_BUG_ERROR, SIGMOID_BUG_ERROR / (1 - SIGMOID_BUG_ERROR), 1 / (1 - SIGMOID_BUG_ERROR)),
        explanation="The error is σ(x) itself: the bug is worst where the unit is saturated on (σ near 1).",
    ),
)
