"""Optimizers and learning-rate schedules (optim.py), step by step by hand."""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value


def test_sgd_with_momentum_and_weight_decay_by_hand():
    w = Value(1.0)
    opt = nn.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)
    velocity, data = 0.0, 1.0
    for grad in (0.5, -0.2, 0.3):
        w.grad = grad
        opt.step()
        velocity = 0.9 * velocity + grad + 0.01 * data
        data -= 0.1 * velocity
        assert w.data == pytest.approx(data, rel=1e-15)


def test_adam_by_hand():
    w = Value(1.0)
    opt = nn.Adam([w], lr=0.01)
    m = v = 0.0
    data = 1.0
    for t, grad in enumerate((0.5, -0.2, 0.3), start=1):
        w.grad = grad
        opt.step()
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        data -= 0.01 * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
        assert w.data == pytest.approx(data, rel=1e-14)


def test_learning_rate_schedules():
    lr = nn.linear_decay(1.0, 0.1, 100)
    assert (lr(0), lr(50), lr(100), lr(500)) == pytest.approx((1.0, 0.55, 0.1, 0.1))
    w = Value(0.0)
    opt = nn.SGD([w], lr=lambda k: 0.5 / (k + 1))
    for _ in range(3):
        w.grad = 1.0
        opt.step()
    assert w.data == pytest.approx(-(0.5 + 0.25 + 0.5 / 3))
