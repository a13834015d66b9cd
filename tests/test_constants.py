"""Constants (numbers that need no gradient), released interior gradients, and the finiteness check.

Expected values come from the hand formulas, or from a second run that keeps every gradient.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
from autograd import Value


def test_a_number_mixed_with_values_is_a_constant_without_a_gradient():
    x = Value(1.5, label="x")
    y = 2.0 * x * x + 3  # dy/dx = 4x
    y.backward()
    assert x.grad == 4 * 1.5
    constants = [n for n in autograd.topological_order(y) if n.is_constant]
    assert sorted(n.data for n in constants) == [2.0, 3.0]
    assert all(n.grad is None for n in constants)
    assert not x.is_constant and x.is_leaf


def test_constant_made_by_hand_takes_part_but_gets_no_gradient():
    c = autograd.constant(np.array([1.0, -2.0]), label="c")
    w = Value(np.array([0.5, 4.0]), label="w")
    loss = (c * w).sum()  # d/dw = c
    loss.backward()
    assert np.array_equal(w.grad, [1.0, -2.0])
    assert c.grad is None and c.is_constant


def test_gradients_can_still_be_asked_for_a_constant():
    c = autograd.constant(3.0)
    x = Value(2.0)
    y = c * x * x  # dy/dc = x² = 4
    (dc,) = autograd.gradients(y, [c])
    assert dc == 4.0
    assert c.grad is None  # gradients() puts back what every node held


def test_the_data_a_network_reads_is_a_constant_named_X_and_costs_no_gradient():
    X = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]])
    model = nn.MLP(2, [3, 1], seed=0)
    out = model(X)
    loss = (out * out).mean()
    loss.backward()
    data = [n for n in autograd.topological_order(loss) if n.label == "X"]
    assert len(data) == 1 and data[0].is_constant and data[0].grad is None
    grads = [p.grad.copy() for p in model.parameters()]
    # the same network fed a Value: the input gets its gradient, the parameters the same ones
    model.zero_grad()
    Xv = Value(X)
    out_v = model(Xv)
    (out_v * out_v).mean().backward()
    for p, expected in zip(model.parameters(), grads):
        assert np.allclose(p.grad, expected, rtol=0, atol=1e-15)
    assert Xv.grad.shape == X.shape and np.any(Xv.grad != 0.0)


def test_backward_without_interior_gradients_gives_the_leaves_the_same_numbers():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(20, 2))
    y = np.where(rng.normal(size=20) > 0, 1.0, -1.0)
    model = nn.MLP(2, [8, 8, 1], seed=1)

    def step(keep: bool):
        model.zero_grad()
        out = model(X)
        loss = nn.hinge_loss(out, y) + nn.l2_penalty(model, 1e-3)
        loss.backward(keep_interior=keep)
        return loss, out, [p.grad.copy() for p in model.parameters()]

    loss_kept, out_kept, kept = step(True)
    loss_lean, out_lean, lean = step(False)
    for a, b in zip(kept, lean):
        assert np.array_equal(a, b)
    assert isinstance(out_kept.grad, np.ndarray)  # kept: readable on every interior node
    interior = [n for n in autograd.topological_order(loss_lean) if n.parents]
    assert interior and all(n.grad is None for n in interior)
    loss_lean.backward()  # a second pass over the same graph starts the interior afresh
    assert isinstance(out_lean.grad, np.ndarray)
    assert np.allclose(out_lean.grad, out_kept.grad, rtol=0, atol=0)


def test_a_drawing_shows_a_constant_by_its_value_in_grey_without_a_gradient():
    x = Value(0.5, label="x")
    y = 2 * x + 1
    svg = autograd.draw(y).svg()
    assert svg.count("cr-const") == 2
    assert ">—<" in svg  # the grad row of a constant
    assert '<tspan font-weight="bold">2</tspan>' in svg and '<tspan font-weight="bold">1</tspan>' in svg


def test_finite_entries_whose_sum_overflows_are_accepted_and_an_overflowing_result_is_refused():
    big = np.full(5000, 1e308)  # every entry finite, their sum not (and large enough to be checked by its sum)
    x = Value(big)
    assert np.array_equal((x * 1.0).data, big)
    with pytest.raises(OverflowError, match=r"\*"):
        x * 10.0
    with pytest.raises(ValueError, match="finite"):
        Value(np.array([1.0, math.inf]))
    with pytest.raises(ValueError, match="finite"):
        Value(np.array([math.nan, 1.0]))


def test_fit_pauses_the_garbage_collector_and_switches_it_back_on():
    import gc

    seen = []
    X, y = nn.data.make_moons(40, noise=0.1, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    assert gc.isenabled()
    nn.fit(model, X, y, epochs=2, callback=lambda epoch, logs: seen.append(gc.isenabled()))
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        nn.fit(model, X, y, epochs=1)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_keep_freed_memory_works_where_the_c_library_is_glibc():
    import platform

    expected = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert nn.keep_freed_memory(64) is expected
