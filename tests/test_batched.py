"""Batched Values: one node holds a column of samples; results match per-sample hand formulas."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Value

from .test_ops import BINARY, UNARY

SAMPLES = {
    "log": np.array([0.1, 1.0, 7.0]),
    "sqrt": np.array([0.04, 1.0, 9.0]),
    "x ** 0.5": np.array([0.25, 1.0, 4.0]),
    "1 / x": np.array([-2.0, 0.5, 3.0]),
    "x ** -1": np.array([-2.0, 0.5, 3.0]),
}


@pytest.mark.parametrize("name", sorted(set(UNARY) - {"batch sum", "batch mean"}))
def test_every_unary_op_works_sample_by_sample(name):
    f, derivative, points = UNARY[name]
    xs = SAMPLES.get(name, np.array(points, dtype=float))
    x = Value(xs)
    out = f(x)
    out.sum().backward()
    assert out.data.shape == xs.shape
    expected = np.array([derivative(v) for v in xs.tolist()])
    assert np.allclose(x.grad, expected, rtol=1e-12, atol=1e-15), name


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_broadcast_a_scalar_and_sum_its_gradient(name):
    f, derivatives = BINARY[name]
    xs, y0 = np.array([0.5, 3.0, 1.2, 2.5]), 1.5
    x, y = Value(xs), Value(y0)
    f(x, y).mean().backward()
    parts = np.array([derivatives(v, y0) for v in xs.tolist()])
    assert np.allclose(x.grad, parts[:, 0] / len(xs), rtol=1e-12, atol=1e-15)
    assert y.grad == pytest.approx(parts[:, 1].mean(), rel=1e-12, abs=1e-15)


def test_a_scalar_reused_after_a_reduction():
    # m = mean(x); out = sum((x - m)^2): d out/dx_i = 2 (x_i - m) - (2/n) sum_j (x_j - m) = 2 (x_i - m)
    xs = np.array([1.0, 2.0, 4.0, 7.0])
    x = Value(xs)
    out = ((x - x.mean()) ** 2).sum()
    out.backward()
    assert out.data == pytest.approx(np.sum((xs - xs.mean()) ** 2), rel=1e-15)
    assert np.allclose(x.grad, 2 * (xs - xs.mean()), rtol=1e-12, atol=1e-14)


def test_nary_sum_and_max_of_batches():
    a, b = Value(np.array([1.0, 5.0])), Value(np.array([3.0, 2.0]))
    out = autograd.sum([a, b, 2.0]) * autograd.maximum(a, b)
    out.sum().backward()
    # out_i = (a_i + b_i + 2) * max(a_i, b_i)
    assert out.data.tolist() == [6.0 * 3.0, 9.0 * 5.0]
    assert a.grad.tolist() == [3.0, 5.0 + 9.0] and b.grad.tolist() == [3.0 + 6.0, 5.0]


def test_mlp_takes_batched_inputs_and_matches_a_numpy_forward_pass():
    X = np.random.default_rng(0).normal(size=(7, 3))
    model = nn.MLP(3, [5, 2], activation="tanh", seed=1)
    out = model([Value(X[:, j]) for j in range(3)])  # one batched Value per feature: one per output back
    W = [layer.W.data for layer in model.layers]
    b = [layer.b.data for layer in model.layers]
    expected = W[1] @ np.tanh(W[0] @ X.T + b[0][:, None]) + b[1][:, None]
    assert np.max(np.abs(np.array([o.data for o in out]) - expected)) < 1e-12
    assert np.max(np.abs(model(Value(X)).data - expected.T)) < 1e-12  # rows in, rows out
    assert np.max(np.abs(nn.predict(model, X) - expected.T)) < 1e-12


def test_digits_reach_95_percent_test_accuracy_batched():
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()  # ships inside scikit-learn: nothing is downloaded
    X, y = digits.data, digits.target
    order = np.random.default_rng(0).permutation(len(y))
    train, test = order[:1300], order[1300:]
    mean, std = X[train].mean(axis=0), X[train].std(axis=0) + 1e-8
    X = (X - mean) / std
    model = nn.MLP(64, [32, 10], seed=0)
    nn.fit(model, X[train], y[train], loss="ce", optimizer=nn.Adam(model, lr=0.01), epochs=15, batch_size=64, seed=0)
    assert nn.accuracy(model, X[test], y[test], loss="ce") >= 0.95
