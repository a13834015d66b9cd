"""Formulas computed as one node (fused.py): forward mode through a sum of squares, binary cross-entropy
against 50-digit mpmath where a naive form cancels, the Jacobian of softmax by hand."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Value, fused
from autograd.value import apply

mpmath = pytest.importorskip("mpmath")


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


def test_binary_cross_entropy_keeps_the_digits_of_a_confident_right_answer():
    # At z = 40 with label 1 the loss is log(1 + e^-40) ≈ 4.2e-18 and its slope −σ(−40): σ(z) − y in
    # floats would give exactly 0, 1 − σ(40) cancels. The row writes both so that nothing cancels.
    for z, y in ((40.0, 1.0), (-40.0, 0.0), (700.0, 1.0), (2.5, 0.25)):
        with mpmath.workdps(50):
            Z = mpmath.mpf(z)
            loss = float(mpmath.log1p(mpmath.exp(Z)) - y * Z)  # softplus(z) − y z
            slope = float(1 / (1 + mpmath.exp(-Z)) - y)  # σ(z) − y
        logit = Value(z)
        out = apply(fused.bce_with_logits(y), logit)
        out.backward()
        assert out.data == pytest.approx(loss, rel=1e-14, abs=1e-300), (z, y)
        assert logit.grad == pytest.approx(slope, rel=1e-14, abs=1e-300), (z, y)


def test_the_softmax_row_has_the_jacobian_diag_p_minus_p_p_transposed():
    z = np.array([0.5, -1.0, 2.0, 0.0])
    p = np.exp(z) / np.exp(z).sum()  # by hand, in NumPy
    expected = np.diag(p) - np.outer(p, p)
    np.testing.assert_allclose(
        autograd.jacobian(lambda v: apply(fused.SOFTMAX, v))(z), expected, rtol=1e-14, atol=1e-16
    )
    np.testing.assert_allclose(autograd.jacfwd(lambda v: apply(fused.SOFTMAX, v))(z), expected, rtol=1e-14, atol=1e-16)
    # Row by row: the Jacobian of two rows is one block per row, the rows do not meet.
    rows = np.stack([z, z[::-1]])
    both = autograd.jacobian(lambda v: apply(fused.SOFTMAX, v))(rows)
    np.testing.assert_allclose(both[0, :, 0, :], expected, rtol=1e-14, atol=1e-16)
    assert not both[0, :, 1, :].any() and not both[1, :, 0, :].any()


def test_log_softmax_of_a_vector_of_a_stack_and_of_rows_of_any_scale():
    import nn

    z = np.array([0.0, 1.0, 2.0])
    by_hand = z - np.log(np.exp(z).sum())
    np.testing.assert_allclose(nn.log_softmax(Value(z)).data, by_hand, rtol=1e-15)
    stack = np.arange(8.0).reshape(2, 2, 2) * np.array([1.0, -3.0])
    rows = stack - np.log(np.exp(stack).sum(axis=-1, keepdims=True))
    np.testing.assert_allclose(nn.log_softmax(Value(stack)).data, rows, rtol=1e-14, atol=1e-15)
    far = nn.log_softmax(Value(np.array([[0.0, 1.0], [1000.0, 1001.0]]))).data  # each row shifted by its own max
    np.testing.assert_allclose(far[0], far[1], rtol=1e-15)
    np.testing.assert_allclose(far[0], [-np.log1p(np.e), -np.log1p(1.0 / np.e)], rtol=1e-15)


def test_the_neuron_row_computes_what_its_node_holds():
    # w·x + b with w = (2, 3), x = (4, 5), b = 1: 8 + 15 + 1 = 24; local derivatives x, w, 1.
    assert fused.NEURON.forward(2.0, 3.0, 4.0, 5.0, 1.0) == 24.0
    assert fused.NEURON.local(24.0, 2.0, 3.0, 4.0, 5.0, 1.0) == (4.0, 5.0, 2.0, 3.0, 1.0)
    node = autograd.neuron([2.0, 3.0], [4.0, 5.0], 1.0)
    assert node.data == 24.0 and node.local_derivatives() == (4.0, 5.0, 2.0, 3.0, 1.0)
