"""Losses (losses.py) against hand values and NumPy, stable at large logits."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
from autograd import Value


def test_mse_is_the_mean_of_squared_errors():
    p = [Value(1.0), Value(3.0)]
    loss = nn.mse_loss(p, [0.0, 5.0])
    loss.backward()
    assert loss.data == (1 + 4) / 2
    assert [v.grad for v in p] == [2 * 1 / 2, 2 * -2 / 2]


def test_binary_cross_entropy_by_hand():
    p = Value(0.8)
    loss = nn.binary_cross_entropy(p, 1.0)
    loss.backward()
    assert loss.data == pytest.approx(-math.log(0.8), rel=1e-15)
    assert p.grad == pytest.approx(-1 / 0.8, rel=1e-15)
    with pytest.raises(ValueError, match="with_logits"):
        nn.binary_cross_entropy(Value(1.0), 1.0)


@pytest.mark.parametrize(
    "z0, y0", [(1000.0, 1.0), (1000.0, 0.0), (-1000.0, 1.0), (-1000.0, 0.0), (0.3, 1.0), (-2.0, 0.0)]
)
def test_binary_cross_entropy_with_logits_is_stable(z0, y0):
    z = Value(z0)
    loss = nn.binary_cross_entropy_with_logits(z, y0)
    loss.backward()
    sig = 1 / (1 + math.exp(-z0)) if z0 > -700 else 0.0
    # -[y log s + (1 - y) log(1 - s)] written with log1p so the reference is exact at the extremes.
    expected = y0 * math.log1p(math.exp(-z0)) if z0 > -30 else y0 * -z0
    expected += (1 - y0) * (z0 + math.log1p(math.exp(-z0)) if z0 > -30 else 0.0)
    assert loss.data == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert z.grad == pytest.approx(sig - y0, abs=1e-15)


def test_softmax_and_log_softmax_against_numpy_and_at_large_logits():
    logits = [2.0, -1.0, 0.5]
    e = np.exp(np.array(logits) - max(logits))
    assert [v.data for v in nn.softmax([Value(v) for v in logits])] == pytest.approx(e / e.sum(), rel=1e-14)
    assert [v.data for v in nn.log_softmax([Value(v) for v in logits])] == pytest.approx(np.log(e / e.sum()), rel=1e-14)
    big = [Value(1000.0), Value(-1000.0), Value(999.0)]
    out = [v.data for v in nn.log_softmax(big)]
    assert out == pytest.approx(
        [-math.log1p(math.exp(-1)), -2000 - math.log1p(math.exp(-1)), -1 - math.log1p(math.exp(-1))]
    )
    with pytest.raises(ValueError, match="empty"):
        nn.softmax([])


@pytest.mark.parametrize("target", [0, 1, 3])
def test_cross_entropy_gradient_is_softmax_minus_one_hot(target):
    logits = [Value(v) for v in (0.2, -1.3, 2.5, 0.0)]
    loss = nn.cross_entropy(logits, target)
    loss.backward()
    z = np.array([0.2, -1.3, 2.5, 0.0])
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert loss.data == pytest.approx(-math.log(p[target]), rel=1e-14)
    expected = p - np.eye(4)[target]
    assert np.max(np.abs(np.array([v.grad for v in logits]) - expected)) < 1e-12
    with pytest.raises(ValueError, match="out of range"):
        nn.cross_entropy(logits, 4)


def test_hinge_and_l2_penalty_by_hand():
    s = [Value(0.3), Value(-2.0), Value(1.5)]
    loss = nn.hinge_loss(s, [1, 0, -1])  # 0 is read as -1
    loss.backward()
    assert loss.data == pytest.approx((0.7 + 0.0 + 2.5) / 3)
    assert [v.grad for v in s] == pytest.approx([-1 / 3, 0.0, 1 / 3])
    w = [Value(2.0), Value(-1.0)]
    penalty = nn.l2_penalty(w, 0.1)
    penalty.backward()
    assert penalty.data == pytest.approx(0.05 * 5)
    assert [v.grad for v in w] == pytest.approx([0.2, -0.1])


def test_mse_of_one_example_names_its_nodes_as_the_lectures_do():
    # The lectures' 2-2-1 network: e = y − y*, the loss from e²; the target is a number of the problem.
    prediction = Value(0.25, label="y")
    loss = nn.mse_loss(prediction, 1.0)
    (error,) = loss.parents
    target = error.parents[1]
    assert (loss.label, error.label, target.label) == ("L", "e", "y*")
    assert target.grad is None  # a constant: it gets no gradient
    assert (loss.data, error.data) == ((0.25 - 1.0) ** 2, 0.25 - 1.0)
    loss.backward()
    assert prediction.grad == 2 * (0.25 - 1.0)
    # The page of a network trained on one example: the inputs are constants, listed with the target.
    model = nn.MLP(2, [2, 1], seed=0)
    stepper = autograd.Stepper(nn.mse_loss(model([0.5, -0.2]), 1.0))
    names = [stepper.names[id(n)] for n in stepper.order]
    assert {"y*", "e", "L"} <= set(names) and not any(n.startswith("n") for n in names)
    first = stepper.captions()[0]
    gradient, constants = first.split(". The constants ")
    assert "x1" not in gradient and "w[0,0,0] = 0.1257" in gradient
    assert constants.startswith("x1 = 0.5, x2 = −0.2 and y* = 1 need no gradient.")
    # Several examples keep the mean, unnamed.
    assert nn.mse_loss([Value(0.25), Value(0.5)], [1.0, 0.0]).label == ""
