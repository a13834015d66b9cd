"""The math the tables are written with (formulas.py): the slopes of powers and of arctan, to any order and
at the edges of the floats."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Value


def test_powers_differentiate_to_any_order_at_zero():
    # d^k/dx^k x³ at 0: 0, 0, 6, then 0 for every order above 3 (PyTorch gives the same).
    f, derivatives = (lambda x: x**3), []
    for _ in range(6):
        f = autograd.grad(f)
        derivatives.append(f(0.0))
    assert derivatives == [0.0, 0.0, 6.0, 0.0, 0.0, 0.0]
    # x⁰ · y is y, even at x = 0 (0⁰ = 1): its Hessian is 0.
    assert autograd.hessian(lambda v: v[0] ** 0 * v[1])([0.0, 1.0]).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    # d²/dx² (x² + x) at 0: 2, through x ** 1 whose slope is the constant 1.
    assert autograd.grad(autograd.grad(lambda x: x**2 + x**1))(0.0) == 2.0


def test_arctan_second_derivative_stays_finite_for_huge_inputs():
    # d²/dx² arctan x = −2x / (1 + x²)²; for |x| above 1.3e154, x² overflows, the true value is ≈ −2/x³.
    second = autograd.grad(autograd.grad(Value.arctan))
    for x in (1e155, -1e200, 3e160):
        assert second(x) == pytest.approx(-2.0 / x / x / x, abs=1e-300)
    assert second(2.0) == pytest.approx(-4.0 / 25.0, rel=1e-15)
    both = autograd.grad(lambda v: autograd.grad(lambda u: u.arctan().sum())(v).sum())(np.array([0.5, 1e200]))
    np.testing.assert_allclose(both, [-1.0 / 1.5625, 0.0], rtol=1e-15, atol=1e-300)
    third = autograd.grad(second)(3.0)  # (6x² − 2) / (1 + x²)³ = 52 / 1000
    assert third == pytest.approx(0.052, rel=1e-14)
