"""Forward mode (forward.py): tangents by hand, jvp and jacfwd against reverse mode and central differences
on every op, and nested with reverse mode for second derivatives."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Value


def test_nested_tangents_give_second_derivatives():
    # f(x) = x sin x: f''(x) = 2 cos x − x sin x, by forward over forward, forward over reverse and
    # reverse over forward.
    def f(x):
        return x * x.sin()

    x0 = 0.7
    second = 2.0 * math.cos(x0) - x0 * math.sin(x0)
    forward_forward = autograd.jvp(lambda x: autograd.jvp(f, (x,), (1.0,))[1], (x0,), (1.0,))[1]
    forward_reverse = autograd.jvp(autograd.grad(f), (x0,), (1.0,))[1]
    reverse_forward = autograd.grad(lambda x: autograd.jvp(f, (x,), (1.0,))[1])(x0)
    for found in (forward_forward, forward_reverse, reverse_forward):
        assert found == pytest.approx(second, rel=1e-14)
    # A direction that is not a basis vector: d/ds f(x + s v) twice, ∇²(x0 y0) along v = (1, 2) gives 2·1·2 = 4.
    hvp = autograd.jvp(lambda a, b: autograd.jvp(lambda p, q: p * q, (a, b), (1.0, 2.0))[1], (3.0, 4.0), (1.0, 2.0))
    assert hvp == (10.0, 4.0)


# -- jvp against vjp on every op ------------------------------------------------------------------------


UNARY = {
    "neg": lambda x: -x, "abs": abs, "exp": Value.exp, "expm1": Value.expm1, "log": Value.log, "log1p": Value.log1p,
    "log2": Value.log2, "log10": Value.log10, "sqrt": Value.sqrt, "sin": Value.sin, "cos": Value.cos, "tan": Value.tan,
    "arcsin": Value.arcsin, "arccos": Value.arccos, "arctan": Value.arctan, "sinh": Value.sinh, "cosh": Value.cosh,
    "tanh": Value.tanh, "sech2": Value.sech2, "sigmoid": Value.sigmoid, "softplus": Value.softplus, "relu": Value.relu,
    "leaky_relu": Value.leaky_relu, "step": Value.step, "square": lambda x: x**2, "x ** -1.5": lambda x: x**-1.5,
    "sum": lambda x: autograd.sum([x, x, 1.0]),
}  # fmt: skip


BINARY = {
    "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y,
    "**": lambda x, y: x**y, "max": autograd.maximum, "min": autograd.minimum,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(UNARY))
def test_forward_and_reverse_mode_agree_on_every_unary_op(name):
    f = UNARY[name]
    for x0 in (0.3, 0.55, 0.9):  # inside every op's domain, away from kinks
        _, tangent = autograd.jvp(f, (x0,), (1.0,))
        (cotangent,) = autograd.vjp(f, x0)[1]()
        assert tangent == pytest.approx(cotangent, rel=1e-15, abs=1e-300)
        numeric = (f(Value(x0 + 1e-6)).data - f(Value(x0 - 1e-6)).data) / 2e-6
        assert tangent == pytest.approx(numeric, rel=1e-6, abs=1e-8), (name, x0)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_forward_and_reverse_mode_agree_on_every_binary_op(name):
    f = BINARY[name]
    for (x0, y0), (tx, ty) in (((0.7, 1.3), (1.0, 0.0)), ((1.6, 0.4), (0.3, -2.0))):
        _, tangent = autograd.jvp(f, (x0, y0), (tx, ty))
        gx, gy = autograd.vjp(f, x0, y0)[1]()
        assert tangent == pytest.approx(gx * tx + gy * ty, rel=1e-14)


def test_forward_mode_of_a_function_of_one_number_gives_every_output_in_one_pass():
    # g(t) = (cos t, sin t, t²): one jvp gives (-sin t, cos t, 2t).
    values, tangents = autograd.jvp(lambda t: [t.cos(), t.sin(), t * t], (0.4,), (1.0,))
    assert values == pytest.approx([math.cos(0.4), math.sin(0.4), 0.16])
    assert tangents == pytest.approx([-math.sin(0.4), math.cos(0.4), 0.8], rel=1e-15)


def test_forward_over_reverse_and_reverse_over_forward_give_the_second_derivative():
    f = lambda x: x.sin() * x  # noqa: E731  f'' = 2 cos x - x sin x
    x0 = 0.8
    expected = 2 * math.cos(x0) - x0 * math.sin(x0)
    assert autograd.jacfwd(autograd.grad(f))(x0) == pytest.approx(expected, rel=1e-14)
    assert autograd.grad(lambda x: autograd.jvp(f, (x,), (1.0,))[1])(x0) == pytest.approx(expected, rel=1e-14)


def test_tangents_gives_every_node_its_derivative_along_the_seeds():
    # a = x·y, b = sin a, c = y·y, out = b + c, seeded with dx/dt = 1 and y held still: by hand
    # da/dt = y, db/dt = cos(a)·y, dout/dt = db/dt; c and y, which no seed reaches, are left out.
    x, y = Value(2.0), Value(3.0)
    a = x * y
    b = a.sin()
    c = y * y
    out = b + c
    found = autograd.tangents(out, {x: 1.0})
    assert set(found) == {x, a, b, out}
    assert found[a] == 3.0 and found[b] == pytest.approx(math.cos(6.0) * 3.0, rel=1e-15) and found[out] == found[b]
    both = autograd.tangents(out, {x: 1.0, y: 0.5})  # dy/dt = 0.5 too: dc/dt = 2y · 0.5 = 3
    assert both[a] == 3.0 + 2.0 * 0.5 and both[c] == 3.0


def test_a_number_tangent_stands_for_every_entry_it_meets():
    np = pytest.importorskip("numpy")
    # s + 1 over three entries: d/ds Σ (s + 1) = 3; transposed over a 2×2 matrix: 4.
    assert autograd.jvp(lambda s: (s + np.ones(3)).sum(), (2.0,), (1.0,)) == (9.0, 3.0)
    assert autograd.jacfwd(lambda s: (s + np.ones((2, 2))).T.sum())(2.0) == 4.0


def test_what_forward_mode_returns_for_outputs_and_tangents_of_every_kind():
    # An output the input does not reach has tangent 0.
    assert autograd.jacfwd(lambda x: [x * 2.0, autograd.constant(1.0)])(3.0).tolist() == [2.0, 0.0]
    # A constant tangent is a number like any other: d(x²) along 1 at 3 is 6.
    assert autograd.jvp(lambda x: x * x, (3.0,), (autograd.constant(1.0),)) == (9.0, 6.0)
    # A tangent that is a Value needing a gradient keeps the result in its graph.
    t = Value(1.0)
    value, tangent = autograd.jvp(lambda x: x * x, (3.0,), (t,))
    assert isinstance(value, Value) and isinstance(tangent, Value) and tangent.data == 6.0
    tangent.backward()
    assert t.grad == 6.0  # d(2·3·t)/dt
    x = Value(2.0)
    y = x * x * x
    found = autograd.tangents(y, {x: 1.0})
    assert found[y].__class__ is float and found[y] == 12.0  # 3x², a plain number on numbers


def test_forward_mode_reduces_and_reshapes_a_single_number():
    # sum, mean, max and reshape of one number are that number: the tangent passes unchanged.
    for reduce in (lambda t: t.sum(), lambda t: t.mean(), lambda t: t.max(), lambda t: t.reshape(1).sum()):
        assert autograd.jvp(reduce, (0.7,), (1.0,)) == (0.7, 1.0)
    assert autograd.jacfwd(lambda t: (t * t).sum())(0.7) == pytest.approx(1.4, rel=1e-15)
    assert autograd.jacobian(lambda t: t.reshape(1, 1))(0.7).tolist() == [[1.0]]


def test_a_nested_tangent_that_does_not_depend_on_the_input_is_a_zero_derivative():
    # d/dx of the tangent of t + 1 (always 1), of relu at 2 (always 1), of a sum of t·1 (always 3): 0, as JAX gives.
    assert autograd.grad(lambda x: autograd.jvp(lambda t: t + 1.0, (x,), (1.0,))[1])(2.0) == 0.0
    assert autograd.grad(lambda x: autograd.jvp(lambda t: t.relu(), (x,), (1.0,))[1])(2.0) == 0.0
    tangent_of_sum = autograd.grad(lambda x: autograd.jvp(lambda t: t.sum(), (x,), (np.ones(3),))[1])
    assert tangent_of_sum(np.array([1.0, 2.0, 3.0])).tolist() == [0.0] * 3
    assert autograd.jvp(lambda x: autograd.jvp(lambda t: t * 2.0, (x,), (1.0,))[1], (1.0,), (1.0,)) == (2.0, 0.0)
