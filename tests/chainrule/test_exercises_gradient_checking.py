"""Notebook 11's grader: the true gradients it knows, the bugs it plants, and the checkers it accepts.

The grader of 11.4 judges a student's gradient checker by the true relative error of every entry, so
its true gradients are checked here against closed forms and PyTorch float64, its planted bugs
against what each bug must do, and its verdicts on a right checker and on checkers with one typical
mistake each. The numbers of 11.3 and 11.5 are worked out again with mpmath.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from chainrule import exercises
from chainrule.exercises import nb11_gradient_checking as nb11

from ..helpers import requires_torch, torch

mpmath = pytest.importorskip("mpmath")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def hand_gradients(params: dict) -> dict:
    """The gradients of L = Σ c_j cos w_j + ½ Σ (V_ij − T_ij)² + Σ k_i σ(s_i), s = V w + b, by hand."""
    w, V, b = params["w"], params["V"], params["b"]
    s = V @ w + b
    slope = nb11._K * sigmoid(s) * (1 - sigmoid(s))  # k_i σ'(s_i)
    return {"w": -nb11._C * np.sin(w) + V.T @ slope, "V": (V - nb11._T) + np.outer(slope, w), "b": slope}


def test_the_true_gradients_of_the_op_losses_are_the_hand_formulas():
    engine = nb11.op_gradients((nb11.COS, nb11.SQUARE, nb11.SIGMOID), nb11._OP_PARAMS)
    for name, want in hand_gradients(nb11._OP_PARAMS).items():
        assert np.allclose(engine[name], want, rtol=1e-12, atol=0.0), name


@requires_torch
def test_the_true_gradients_of_the_network_are_what_pytorch_computes():
    net = nb11.NETWORK
    W = {l: torch.tensor(net.W[l], requires_grad=True) for l in net.W}
    b = {l: torch.tensor(net.b[l], requires_grad=True) for l in net.b}
    a = torch.tensor(net.X)
    for l in (1, 2, 3):
        z = W[l] @ a + b[l][:, None]
        a = z if l == 3 else torch.tanh(z)
    (0.5 * ((a - torch.tensor(net.Y)) ** 2).sum() / net.m).backward()
    true = nb11.network_true_gradients()
    for l in (1, 2, 3):
        assert np.allclose(true[f"W{l}"], W[l].grad.numpy(), rtol=1e-12, atol=1e-15)
        assert np.allclose(true[f"b{l}"], b[l].grad.numpy(), rtol=1e-12, atol=1e-15)
    loss = 0.5 * float(((a.detach() - torch.tensor(net.Y)) ** 2).sum()) / net.m
    assert math.isclose(nb11.network_loss(nb11.network_params()), loss, rel_tol=1e-12)


def test_each_planted_bug_does_what_it_says():
    params, true = nb11._OP_PARAMS, hand_gradients(nb11._OP_PARAMS)
    s = params["V"] @ params["w"] + params["b"]
    slope = nb11._K * sigmoid(s) * (1 - sigmoid(s))
    flipped = nb11.op_gradients(nb11.PLANTED["a sign flip in cos"], params)
    assert np.allclose(flipped["w"], nb11._C * np.sin(params["w"]) + params["V"].T @ slope, rtol=1e-12)
    halved = nb11.op_gradients(nb11.PLANTED["a lost factor 2 in square"], params)
    assert np.allclose(halved["V"], (params["V"] - nb11._T) / 2 + np.outer(slope, params["w"]), rtol=1e-12)
    as_itself = nb11.op_gradients(nb11.PLANTED["σ in place of σ' in sigmoid"], params)
    assert np.allclose(as_itself["b"], nb11._K * sigmoid(s), rtol=1e-12)
    assert np.allclose(flipped["b"], true["b"], rtol=1e-12) and np.allclose(halved["w"], true["w"], rtol=1e-12)
    transposed = nb11.network_gradients(transposed=True)
    true = nb11.network_true_gradients()
    assert np.allclose(transposed["W3"], true["W3"]) and np.allclose(transposed["b3"], true["b3"])  # acts below
    assert not np.allclose(transposed["W2"], true["W2"], rtol=1e-2)


def test_the_cases_are_fit_for_relative_errors():
    """Right gradients are nowhere near 0 (so their relative errors stay small), planted ones are far off."""
    cases = nb11.cases()
    assert len(cases) == 6 and sum(max(float(e.max()) for e in c.errors().values()) < 1e-12 for c in cases) == 2
    for case in cases:
        assert all(np.min(np.abs(g)) > 1e-2 for g in case.true.values()), case.name
        largest = max(float(e.max()) for e in case.errors().values())
        assert largest < 1e-12 or largest > 0.1, case.name


# -- the verdicts on checkers ------------------------------------------------------------------------------------
def verdict(exercise_id, answer):
    return exercises.verdict(exercise_id, answer)


def test_a_right_checker_is_accepted_and_one_restoring_by_subtraction_too():
    assert verdict("11.4", nb11.gradient_check)[0] is True

    def shifting_back(loss, params, grads, h=1e-5):  # x + h - 2h + h is x only up to rounding
        worst, place = -1.0, None
        for name, p in params.items():
            for index in np.ndindex(p.shape):
                p[index] += h
                up = loss(params)
                p[index] -= 2 * h
                down = loss(params)
                p[index] += h
                error = nb11.relative_error(grads[name][index], (up - down) / (2 * h))
                if error > worst:
                    worst, place = error, (name, list(index))
        return worst, place

    assert verdict("11.4", shifting_back)[0] is True


MISTAKES = [
    (nb11._mistaken(one_sided=True), "right gradients should come out below 1e-6"),
    (nb11._mistaken(restore=False), "has changed: put each entry back"),
    (nb11._mistaken(error=lambda a, n: abs(a - n)), "the worst absolute error |a − n|"),
    (nb11._mistaken(error=lambda a, n: abs(a - n) / (abs(a) + abs(n))), "which is not the worst"),
    (nb11._mistaken(pick_least=True), "which is not the worst"),
    (nb11._mistaken(first_only=True), "which is not the worst"),
    (lambda loss, params, grads, h: (nb11.gradient_check(loss, params, grads, h)[0], ("w", (0,))), "is not at"),
    (lambda loss, params, grads, h: nb11.gradient_check(loss, params, grads, h)[0], "should return a pair"),
    (lambda loss, params, grads, h: (0.0, ("nowhere", (0,))), "not one of the parameters"),
    (lambda loss, params, grads, h: (0.0, ("w", (7,))), "is not an entry of w"),
    (lambda loss, params, grads, h: (0.0, ("w", "first")), "tuple of whole numbers"),
    ("gradient_check", "your function gradient_check"),
]


@pytest.mark.parametrize(("checker", "says"), MISTAKES, ids=[m[1][:28] for m in MISTAKES])
def test_a_checker_with_a_typical_mistake_is_refused_with_what_went_wrong(checker, says):
    ok, message = verdict("11.4", checker)
    assert ok is False and "Look again:" in message, message
    assert says in message, message


def test_the_parts_are_refused_for_their_typical_mistakes():
    ok, message = verdict("11.1", lambda f, x, h: (f(x + h) - f(x)) / h)
    assert ok is False and "one-sided" in message
    ok, message = verdict("11.1", lambda f, x, h: (f(x + h) - f(x - h)) / h)
    assert ok is False and "twice" in message
    ok, message = verdict("11.2", lambda a, n: abs(a - n) / max(abs(a), abs(n)))
    assert ok is False and "with a = 0 and n = 0 it divides by zero" in message
    ok, message = verdict("11.2", lambda a, n: abs(a - n) / max(abs(a) + abs(n), 1e-30))
    assert ok is False and "not the relative error" in message


# -- the numbers, worked out again ------------------------------------------------------------------------------
def test_a_function_that_returns_nothing_is_asked_about_its_return_and_any_number_type_is_a_number():
    for exercise_id in ("11.1", "11.2"):
        ok, message = exercises.verdict(exercise_id, lambda *args: None)
        assert ok is False and "gave None: does the function end with a return statement?" in message, message
    ok, message = exercises.verdict("11.1", lambda f, x, h: np.array([(f(x + h) - f(x - h)) / (2 * h)]))
    assert ok is True, message


def test_the_best_step_is_the_minimum_of_the_error_model():
    mpmath.mp.dps = 40
    eps = mpmath.mpf(2) ** -52  # the machine epsilon of a double
    model = lambda h: h**2 / 6 + eps / h  # noqa: E731  E(h) for exp at 0: f = f''' = 1
    best = mpmath.findroot(lambda h: mpmath.diff(model, h), mpmath.mpf("1e-5"))
    assert mpmath.diff(model, best, 2) > 0  # a minimum
    assert math.isclose(nb11.BEST_H, float(best), rel_tol=1e-12)
    assert verdict("11.3", float(best))[0] is True and verdict("11.3", float(best) * 1.01)[0] is False


def test_the_relative_error_of_sigma_for_its_slope_is_sigma():
    mpmath.mp.dps = 40
    s = 1 / (1 + mpmath.exp(-mpmath.mpf("0.3")))
    claimed, true = s, s * (1 - s)
    want = abs(claimed - true) / max(abs(claimed), abs(true))
    assert math.isclose(nb11.SIGMOID_BUG_ERROR, float(want), rel_tol=1e-14)
    assert verdict("11.5", 0.574)[0] is True and verdict("11.5", 0.576)[0] is False
