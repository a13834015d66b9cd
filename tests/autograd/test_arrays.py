"""Values that hold arrays of any shape: broadcasting, matrix products, reductions, reshapes, indexing,
stacking; every gradient against central differences and PyTorch float64 on random shapes, the shape
of every .grad, and clear errors for shapes that do not fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value

from ..helpers import requires_torch, torch


def numeric_gradient(f, arrays, k, eps=1e-6):
    """Central differences of f (a function of plain arrays returning a number) in argument k."""
    grad = np.zeros_like(arrays[k])
    for index in np.ndindex(arrays[k].shape):
        up = [a.copy() for a in arrays]
        down = [a.copy() for a in arrays]
        up[k][index] += eps
        down[k][index] -= eps
        grad[index] = (f(*up) - f(*down)) / (2 * eps)
    return grad


def plain(f):
    """f evaluated on plain arrays through the engine's forward pass only (no backward involved)."""

    def run(*arrays):
        with autograd.no_grad():
            return float(f(*[Value(a) for a in arrays]).data)

    return run


def check(f, *arrays, rtol=1e-6, atol=1e-8):
    """backward() of f at the arrays against central differences, and every gradient's shape."""
    values = [Value(a) for a in arrays]
    out = f(*values)
    out.backward()
    for k, (v, a) in enumerate(zip(values, arrays)):
        grad = np.broadcast_to(v.grad, a.shape) if np.ndim(v.grad) == 0 else v.grad
        assert np.shape(v.grad) == a.shape or (np.ndim(v.grad) == 0 and np.all(grad == 0)), (k, np.shape(v.grad))
        np.testing.assert_allclose(grad, numeric_gradient(plain(f), list(arrays), k), rtol=rtol, atol=atol)


RNG = np.random.default_rng(0)


def r(*shape):
    return RNG.normal(size=shape)


# name: (function of Values, argument arrays)
CASES = {
    "matrix @ matrix": (lambda a, b: (a @ b).tanh().sum(), (r(3, 4), r(4, 2))),
    "vector @ matrix": (lambda a, b: (a @ b).sin().sum(), (r(4), r(4, 3))),
    "matrix @ vector": (lambda a, b: (a @ b).sin().sum(), (r(3, 4), r(4))),
    "vector @ vector": (lambda a, b: (a @ b).tanh(), (r(5), r(5))),
    "stacked matrices @ matrix": (lambda a, b: (a @ b).tanh().sum(), (r(2, 3, 4), r(4, 2))),
    "matrix + bias row": (lambda a, b: ((a + b) ** 2).sum(), (r(3, 4), r(4))),
    "matrix * column": (lambda a, b: (a * b).sigmoid().sum(), (r(3, 4), r(3, 1))),
    "column - row": (lambda a, b: (a - b).tanh().sum(), (r(3, 1), r(1, 4))),
    "matrix / number": (lambda a, b: (a / (b * b + 1)).sum(), (r(2, 3), r(1))),
    "transpose": (lambda a: (a.T @ a).sum(), (r(3, 2),)),
    "transpose axes": (lambda a: (a.transpose(2, 0, 1) * np.arange(24.0).reshape(4, 2, 3)).sum(), (r(2, 3, 4),)),
    "reshape": (lambda a: (a.reshape(2, 6) @ np.ones((6, 1))).tanh().sum(), (r(3, 4),)),
    "sum over rows": (lambda a: (a.sum(axis=0) ** 2).sum(), (r(3, 4),)),
    "sum over columns, kept": (lambda a: (a * a.sum(axis=1, keepdims=True)).sum(), (r(3, 4),)),
    "sum over two axes": (lambda a: (a.sum(axis=(0, 2)) ** 2).sum(), (r(2, 3, 4),)),
    "mean then mean": (lambda a: (a.sum(axis=1).mean() ** 2), (r(3, 4),)),
    "mean over an axis": (lambda a: (a.mean(axis=-1) ** 3).sum(), (r(3, 4),)),
    "max over an axis": (lambda a: (a.max(axis=1) * np.array([1.0, 2.0, 3.0])).sum(), (r(3, 4),)),
    "max over everything": (lambda a: a.max() * 2.0, (r(3, 4),)),
    "index a row": (lambda a: (a[1] ** 2).sum(), (r(3, 4),)),
    "index a column": (lambda a: (a[:, 2] * a[:, 0]).sum(), (r(3, 4),)),
    "slice": (lambda a: (a[1:3, ::2] ** 2).sum(), (r(4, 5),)),
    "repeated indices": (lambda a: (a[[0, 0, 2]] ** 2).sum(), (r(3),)),
    "boolean mask": (lambda a: (a[np.array([True, False, True, True])] ** 3).sum(), (r(4),)),
    "one entry": (lambda a: a[1, 2] * a[0, 0], (r(3, 4),)),
    "stack": (lambda a, b: (autograd.stack([a, b], axis=1) ** 2 * np.arange(6.0).reshape(3, 2)).sum(), (r(3), r(3))),
    "concatenate": (lambda a, b: (autograd.concatenate([a, b], axis=0).tanh() * np.arange(5.0)[:, None]).sum(), (r(2, 3), r(3, 3))),
    "affine": (lambda x, W, b: autograd.affine(x, W, b).tanh().sum(), (r(5, 3), r(2, 3), r(2))),
    "affine, one row": (lambda x, W, b: autograd.affine(x, W, b).sin().sum(), (r(3), r(2, 3), r(2))),
    "softmax rows": (lambda a: (nn.softmax(a) * np.arange(12.0).reshape(3, 4)).sum(), (r(3, 4),)),
    "cross-entropy rows": (lambda a: nn.cross_entropy(a, np.array([0, 3, 1])), (r(3, 4),)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_array_op_gradient_matches_central_differences(name):
    f, arrays = CASES[name]
    check(f, *[a.copy() for a in arrays])


@pytest.mark.parametrize("name", sorted(CASES))
def test_array_op_second_order_matches_central_differences_of_the_gradient(name):
    # d/da (gradient · v) through a nested grad: every op's vector-Jacobian product is itself differentiable.
    f, arrays = CASES[name]
    first, rest = arrays[0].copy(), arrays[1:]
    direction = RNG.normal(size=first.shape)

    def gradient(a):
        return autograd.grad(lambda v: f(v, *rest))(a)

    hessian_times_direction = autograd.grad(lambda a: (gradient(a) * direction).sum())(first)
    numeric = numeric_gradient(lambda a: float(np.sum(gradient(a) * direction)), [first], 0, eps=1e-5)
    np.testing.assert_allclose(np.broadcast_to(hessian_times_direction, first.shape), numeric, rtol=1e-5, atol=1e-6)


@st.composite
def broadcast_pairs(draw):
    """Two shapes that broadcast: each axis of the shorter one is equal to the other's or 1."""
    big = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple))
    small = tuple(draw(st.sampled_from([n, 1])) for n in big[len(big) - draw(st.integers(0, len(big))) :])
    return (big, small) if draw(st.booleans()) else (small, big)


BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    "pow": (lambda a, b: (a * a + 0.5) ** b.tanh(), lambda a, b: (a * a + 0.5) ** b.tanh()),
    "max": (autograd.maximum, torch.maximum if torch else None),
}


@requires_torch
@settings(max_examples=200, deadline=None)
@given(broadcast_pairs(), st.sampled_from(sorted(BINARY)), st.integers(0, 2**32 - 1))
def test_broadcasting_binary_ops_match_pytorch(pair, name, seed):
    rng = np.random.default_rng(seed)
    a, b = (rng.normal(size=s) if s else np.array(rng.normal()) for s in pair)
    ours, theirs = BINARY[name]
    x, y = Value(a), Value(b)
    out = ours(x, y)
    weights = rng.normal(size=np.shape(out.data))
    (out * weights).sum().backward() if np.ndim(out.data) else (out * float(weights)).backward()
    tx, ty = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b))
    (theirs(tx, ty) * torch.tensor(weights)).sum().backward()
    for v, t, original in ((x, tx, a), (y, ty, b)):
        assert np.shape(v.grad) == np.shape(original) or np.shape(original) == ()
        np.testing.assert_allclose(np.broadcast_to(v.grad, np.shape(original)), t.grad.numpy(), rtol=1e-9, atol=1e-12)


@requires_torch
@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.booleans(), st.integers(0, 2), st.integers(0, 2**32 - 1)
)
def test_matrix_networks_match_pytorch(rows, inner, cols, keep, axis, seed):
    rng = np.random.default_rng(seed)
    a, b, c = rng.normal(size=(rows, inner)), rng.normal(size=(inner, cols)), rng.normal(size=(cols,))

    def build(a, b, c, lib):
        h = (a @ b + c).tanh()
        if lib == "torch":
            reduced = h.sum(dim=axis % 2, keepdim=keep) if axis < 2 else h.amax(dim=1, keepdim=keep)
            return (reduced**2).mean() + h.T.reshape(-1)[0]
        reduced = h.sum(axis=axis % 2, keepdims=keep) if axis < 2 else h.max(axis=1, keepdims=keep)
        return (reduced**2).mean() + h.T.reshape(-1)[0]

    values = [Value(v) for v in (a, b, c)]
    build(*values, "engine").backward()
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b, c)]
    build(*tensors, "torch").backward()
    for v, t in zip(values, tensors):
        assert v.grad.shape == v.shape
        np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_a_number_shared_by_a_matrix_gets_the_sum_of_every_entry():
    w = Value(2.0)
    x = Value(np.arange(6.0).reshape(2, 3))
    (w * x).sum().backward()
    assert w.grad == 15.0  # sum of x's entries
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 2.0))


def test_bad_shapes_are_refused_naming_the_op_and_both_shapes():
    with pytest.raises(ValueError, match=r"@: shapes \(2, 3\) and \(2, 3\) do not fit: the inner sizes 3 and 2"):
        Value(np.ones((2, 3))) @ Value(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\+: shapes \(2, 3\) and \(2,\) do not broadcast"):
        Value(np.ones((2, 3))) + Value(np.ones(2))
    with pytest.raises(ValueError, match=r"\*: shapes \(4,\) and \(3, 2\) do not broadcast"):
        Value(np.ones(4)) * np.ones((3, 2))
    with pytest.raises(ValueError, match=r"affine: x \(4, 3\), W \(2, 2\)"):
        autograd.affine(np.ones((4, 3)), np.ones((2, 2)), np.ones(2))


def test_entries_are_the_indexed_nodes_made_at_once():
    W = Value(np.arange(6.0).reshape(2, 3))
    rows = W.entries()
    assert [[e.data for e in row] for row in rows] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    loss = rows[1][2] * 2.0 + rows[0][0] * rows[1][2]  # d/dW[1,2] = 2 + W[0,0] = 2; d/dW[0,0] = W[1,2] = 5
    loss.backward()
    np.testing.assert_array_equal(W.grad, [[5.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    b = Value(np.array([1.5, -2.0]))
    assert [e.data for e in b.entries()] == [1.5, -2.0]
    with pytest.raises(ValueError, match=r"entries: needs a Value holding a vector or a matrix, got shape \(\)"):
        Value(1.0).entries()


def test_a_scalar_reused_after_a_reduction():
    # m = mean(x); out = sum((x - m)^2): d out/dx_i = 2 (x_i - m) - (2/n) sum_j (x_j - m) = 2 (x_i - m)
    xs = np.array([1.0, 2.0, 4.0, 7.0])
    x = Value(xs)
    out = ((x - x.mean()) ** 2).sum()
    out.backward()
    assert out.data == pytest.approx(np.sum((xs - xs.mean()) ** 2), rel=1e-15)
    assert np.allclose(x.grad, 2 * (xs - xs.mean()), rtol=1e-12, atol=1e-14)


# -- regressions: wrong gradients that used to come without an error -------------------------------
def test_transpose_with_negative_axes_sends_each_entry_its_own_gradient():
    # d/dx Σ c ⊙ xᵀ = cᵀ: each entry x[i, j] meets c[j, i].
    x = Value(np.arange(6.0).reshape(2, 3))
    c = np.arange(6.0).reshape(3, 2) + 1.0
    (x.transpose(-1, 0) * c).sum().backward()
    np.testing.assert_array_equal(x.grad, [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
    # The batched idiom: swap the last two axes of a stack of matrices; x[b, i, j] meets c[b, j, i].
    x = Value(np.zeros((2, 3, 4)))
    c = np.arange(24.0).reshape(2, 4, 3)
    (x.transpose(0, -1, -2) * c).sum().backward()
    assert x.grad[1, 2, 3] == c[1, 3, 2] and x.grad[0, 1, 2] == c[0, 2, 1]
    np.testing.assert_array_equal(x.grad, np.swapaxes(c, 1, 2))


def test_max_over_several_axes_sends_the_gradient_to_the_first_largest_entry_of_each_slice():
    x = Value(np.array([[[1.0, 7.0], [7.0, 2.0]], [[0.0, -1.0], [3.0, 3.0]]]))  # shape (2, 2, 2)
    out = x.max(axis=(1, 2))
    assert out.data.tolist() == [7.0, 3.0]
    (out * np.array([10.0, 100.0])).sum().backward()
    # Ties go to the first entry in row-major order over the reduced axes: [0, 0, 1] and [1, 1, 0].
    expected = np.zeros((2, 2, 2))
    expected[0, 0, 1], expected[1, 1, 0] = 10.0, 100.0
    np.testing.assert_array_equal(x.grad, expected)


def test_max_along_a_leading_axis_and_ties_give_one_entry_the_whole_gradient():
    x = Value(np.array([[1.0, 5.0, 2.0], [4.0, 5.0, 2.0]]))
    (x.max(axis=0) * np.array([1.0, 2.0, 3.0])).sum().backward()
    # Column 0: the 4 (row 1); column 1: a tie, to row 0; column 2: a tie, to row 0.
    np.testing.assert_array_equal(x.grad, [[0.0, 2.0, 3.0], [1.0, 0.0, 0.0]])
    y = Value(np.array([2.0, 2.0, 2.0]))
    y.max().backward()
    np.testing.assert_array_equal(y.grad, [1.0, 0.0, 0.0])
