"""Notebook 09's grader: its reference numbers, and what it accepts and refuses.

The grader compares a student's NumPy functions with the engine on random networks. Its reference
(the engine's z, a, deltas and gradients) is checked here against PyTorch float64; its verdicts are
checked on a right answer written independently of it (the module's NumPy solution, which the
engine never sees) and on each typical mistake, planted one at a time, with the diagnosis it must give.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainrule import exercises
from chainrule.exercises import nb09_backprop_in_numpy as nb09

from ..helpers import requires_torch, torch


def torch_pass(net: nb09.Network) -> dict:
    """z, a, deltas and gradients of J for ``net`` from PyTorch float64, one column per example."""
    functions = {
        "linear": lambda z: z,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "softplus": torch.nn.functional.softplus,
        "softmax": lambda z: torch.softmax(z, dim=0),
    }
    W = {l: torch.tensor(net.W[l], requires_grad=True) for l in net.W}
    b = {l: torch.tensor(net.b[l], requires_grad=True) for l in net.b}
    a, z = {0: torch.tensor(net.X)}, {}
    for l, name in enumerate(net.names, 1):
        z[l] = W[l] @ a[l - 1] + b[l][:, None]
        z[l].retain_grad()
        a[l] = functions[name](z[l])
    Y = torch.tensor(net.Y)
    if net.loss == "squared":
        J = 0.5 * ((a[net.L] - Y) ** 2).sum() / net.m
    else:
        J = -(Y * torch.log_softmax(z[net.L], dim=0)).sum() / net.m
    J.backward()
    return {
        "J": J.item(),
        "z": {l: z[l].detach().numpy() for l in z},
        "a": {l: a[l].detach().numpy() for l in a},
        "delta": {l: net.m * z[l].grad.numpy() for l in z},
        "grad_W": {l: W[l].grad.numpy() for l in W},
        "grad_b": {l: b[l].grad.numpy() for l in b},
    }


def assert_same(ours: dict, theirs: dict, rel: float = 1e-12) -> None:
    assert abs(ours["J"] - theirs["J"]) <= rel * abs(theirs["J"])
    for key in ("z", "a", "delta", "grad_W", "grad_b"):
        assert ours[key].keys() == theirs[key].keys(), key
        for l in theirs[key]:
            want = theirs[key][l]
            assert ours[key][l].shape == want.shape, (key, l)
            assert np.max(np.abs(ours[key][l] - want)) <= rel * max(np.max(np.abs(want)), 1e-300), (key, l)


@requires_torch
@pytest.mark.parametrize("index", range(len(nb09.NETWORKS)))
def test_the_graders_reference_is_what_pytorch_computes(index):
    assert_same(nb09.reference(index), torch_pass(nb09.NETWORKS[index]))


@requires_torch
@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6))
def test_the_reference_agrees_with_pytorch_on_any_random_network(seed):
    net = nb09.random_network(seed)
    assert_same(nb09.engine_pass(net), torch_pass(net))


def test_the_networks_can_tell_the_usual_slips_apart():
    nets = nb09.NETWORKS
    assert any(n.L >= 3 and len(set(n.sizes)) == 1 and n.m == n.sizes[0] for n in nets)  # transposes keep shapes
    assert any(n.loss == "squared" and n.names[-1] in ("sigmoid", "tanh") for n in nets)  # an output slope
    assert any(n.loss == "cross_entropy" and n.sizes[-1] >= 3 for n in nets)
    assert any(n.m == 1 for n in nets) and all(n.m >= 1 for n in nets)
    assert {name for n in nets for name in n.names[:-1]} == set(nb09.HIDDEN)


# -- the verdicts: an independent right answer, and each typical mistake -------------------------------------
def verdict(exercise_id: str, answer) -> tuple[bool | None, str]:
    return exercises.verdict(exercise_id, answer)


@pytest.mark.parametrize("exercise_id", ["09.1", "09.2", "09.3", "09.4"])
def test_a_right_answer_is_accepted(exercise_id):
    ok, message = verdict(exercise_id, exercises.listing()[exercise_id].solution)
    assert ok is True, message


def _back(**mistakes):
    return lambda *args: nb09.back_propagation(*args, **mistakes)


SLIPS = [
    # (exercise, wrong answer, what the message must say)
    ("09.1", lambda z, a, Y, loss, fp: a - Y, "leaves out the output activation's slope"),
    ("09.1", lambda z, a, Y, loss, fp: (a - Y) * (fp(a) if loss == "squared" else 1.0), "at a^L, not z^L"),
    ("09.1", lambda z, a, Y, loss, fp: -nb09.output_delta(z, a, Y, loss, fp), "wrong sign"),
    ("09.1", lambda z, a, Y, loss, fp: nb09.output_delta(z, a, Y, loss, fp) / Y.shape[1], "divided by m"),
    ("09.1", lambda z, a, Y, loss, fp: nb09.output_delta(z, a, Y, loss, fp).T, "transpose"),
    ("09.1", lambda z, a, Y, loss, fp: (a - Y) * fp(z), "softmax has no slope"),
    ("09.2", lambda W, d, z, fp: W.T @ d, "leaves out the slope of layer"),
    ("09.2", lambda W, d, z, fp: (W @ d) * fp(z), "where its transpose belongs"),
    ("09.2", lambda W, d, z, fp: ((W.T @ d) * fp(z)).T, "transpose"),
    ("09.3", nb09._sums, "m times too large"),
    ("09.3", lambda d, a: (a @ d.T / d.shape[1], d.mean(axis=1)), "transpose"),
    ("09.3", lambda d, a: (d @ a.T / d.shape[1], d.sum(axis=1)), "a sum, not a mean"),
    ("09.3", lambda d, a: (d @ a.T / d.shape[1], d.mean(axis=0)), "∇b^3"),
    ("09.3", lambda d, a: d @ a.T / d.shape[1], "should return a pair"),
    ("09.4", (nb09.forward_propagation, _back(gradients=nb09._sums)), "m times too large"),
    ("09.4", (nb09.forward_propagation, _back(down=lambda W, d, z, fp: W.T @ d)), "carried down a layer"),
    ("09.4", (nb09._forward_without_bias, nb09.back_propagation), "leaves out the bias"),
    (
        "09.4",
        (
            lambda W, b, X, act: (
                {l - 1: v for l, v in nb09.forward_propagation(W, b, X, act)[0].items()},
                nb09.forward_propagation(W, b, X, act)[1],
            ),
            nb09.back_propagation,
        ),
        "keyed by the layer number",
    ),  # fmt: skip
    ("09.4", (lambda W, b, X, act: nb09.forward_propagation(W, b, X, act)[::-1], nb09.back_propagation), "a[l] should"),
    ("09.4", nb09.back_propagation, "the pair (forward_propagation, back_propagation)"),
]


@pytest.mark.parametrize(("exercise_id", "wrong", "says"), SLIPS, ids=[f"{s[0]}-{s[2][:24]}" for s in SLIPS])
def test_each_typical_slip_is_refused_with_what_went_wrong(exercise_id, wrong, says):
    ok, message = verdict(exercise_id, wrong)
    assert ok is False and "Look again:" in message, message
    assert says in message, message


def test_the_activation_in_place_of_its_slope_is_named():
    ok, message = verdict("09.2", lambda W, d, z, fp: (W.T @ d) * _activation_of(fp)(z))
    assert ok is False and "the activation itself, not by its slope" in message


def _activation_of(fprime):
    """The f whose f' is ``fprime`` in the grader's table: a student multiplying by f(z) instead of f'(z)."""
    for f, slope in nb09.NUMPY_ACTIVATIONS.values():
        if slope is fprime:
            return f
    raise LookupError(fprime)


def test_a_column_or_a_row_of_bias_gradients_is_as_good_as_a_vector():
    def columns(delta, a_below):
        grad_W, grad_b = nb09.layer_gradients(delta, a_below)
        return grad_W, grad_b[:, None]

    def rows(delta, a_below):
        grad_W, grad_b = nb09.layer_gradients(delta, a_below)
        return grad_W, grad_b[None, :]

    assert verdict("09.3", columns)[0] is True and verdict("09.3", rows)[0] is True


def test_a_function_that_returns_nothing_is_asked_about_its_return():
    for exercise_id in ("09.1", "09.2"):
        ok, message = verdict(exercise_id, lambda *args: None)
        assert ok is False and "is None: does your function end with a return statement" in message, message


def test_answers_that_are_not_functions_or_fail_are_reported_not_raised():
    ok, message = verdict("09.1", 3.0)
    assert ok is False and "your function output_delta" in message
    ok, message = verdict("09.3", lambda d, a: (None, None))
    assert ok is False and "∇W^" in message and "is None" in message
    ok, message = verdict("09.2", lambda W, d, z, fp: W @ d)  # NumPy refuses the shapes: reported, not raised
    assert ok is False and "Look again:" in message
    ok, message = verdict("09.4", (nb09.forward_propagation, lambda *args: None))
    assert ok is False and "should return a pair" in message


def test_a_function_that_changes_its_inputs_cannot_change_the_reference():
    def vandal(z, a, Y, loss, fprime):
        for array in (z, a, Y):
            array += 1.0  # changes what it was given, in place
        return a

    assert verdict("09.1", vandal)[0] is False
    for index, net in enumerate(nb09.NETWORKS):
        assert_same(nb09.reference(index), nb09.engine_pass(net), rel=0.0)
    assert verdict("09.1", nb09.output_delta)[0] is True


# -- the grader on other networks than its own: the same verdicts ---------------------------------------------
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=3))
def test_on_any_random_networks_the_right_answers_pass_and_the_slips_do_not(monkeypatch, seeds):
    nets = (nb09.NETWORKS[0], *(nb09.random_network(seed) for seed in seeds))
    monkeypatch.setattr(nb09, "NETWORKS", nets)
    monkeypatch.setattr(nb09, "_ENGINE", {})
    for exercise_id in ("09.1", "09.2", "09.3", "09.4"):
        exercise = exercises.listing()[exercise_id]
        assert verdict(exercise_id, exercise.solution)[0] is True
        for wrong in exercise.wrong:
            assert verdict(exercise_id, wrong)[0] is False


def test_arrays_must_agree_to_1e_9_relative_not_to_3_digits():
    def scaled(factor):
        return lambda z, a, Y, loss, fp: nb09.output_delta(z, a, Y, loss, fp) * factor

    assert verdict("09.1", scaled(1 + 1e-11))[0] is True  # rounding-level differences pass
    ok, message = verdict("09.1", scaled(1 + 1e-7))  # right to 7 digits, as if typed: not computed
    assert ok is False and "differs from the engine's" in message
