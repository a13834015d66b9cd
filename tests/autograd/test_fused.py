"""Formulas computed as one node (fused.py)."""

from __future__ import annotations

import numpy as np

import autograd


def test_sum_of_squares_on_an_array_sums_its_tangent_in_forward_mode():
    # d/dt Σ c_k (a·a) at a = [1, 2, 3] along t = [1, 0, 0]: Σ c · 2 a₀ t₀ = (1 + 10 + 100) · 2 = 222.
    c = np.array([1.0, 10.0, 100.0])
    value, tangent = autograd.jvp(
        lambda a: (a.sum_of_squares() * c).sum(), (np.array([1.0, 2.0, 3.0]),), (np.array([1.0, 0.0, 0.0]),)
    )
    assert (value, tangent) == (14.0 * 111.0, 222.0)
    forward = autograd.jacfwd(lambda a: a.sum_of_squares())(np.array([1.0, -2.0]))
    np.testing.assert_array_equal(forward, [2.0, -4.0])  # the gradient 2a, as jacobian gives it
    np.testing.assert_array_equal(autograd.jacobian(lambda a: a.sum_of_squares())(np.array([1.0, -2.0])), forward)
