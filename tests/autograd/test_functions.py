"""Functions of Values (functions.py): maximum and minimum with their ties, the n-ary sum, the neuron node,
and exp, log, ... on a Value, a number or an array."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Value


def test_max_and_min_give_ties_to_the_first_argument():
    # The lectures' convention: d max(x, y)/dx = 1 if x >= y.
    for f in (autograd.maximum, autograd.minimum):
        x, y = Value(2.0), Value(2.0)
        f(x, y).backward()
        assert (x.grad, y.grad) == (1.0, 0.0)


def test_nary_sum_is_one_node_with_unit_local_derivatives():
    xs = [Value(float(i)) for i in range(5)]
    total = autograd.sum([x * x for x in xs] + [3.0])
    assert total.op == "sum" and len(total.parents) == 6
    total.backward()
    assert total.data == 0 + 1 + 4 + 9 + 16 + 3
    assert [x.grad for x in xs] == [2.0 * i for i in range(5)]
    assert autograd.sum([]).data == 0.0


def test_nary_sum_and_max_of_batches():
    a, b = Value(np.array([1.0, 5.0])), Value(np.array([3.0, 2.0]))
    out = autograd.sum([a, b, 2.0]) * autograd.maximum(a, b)
    out.sum().backward()
    # out_i = (a_i + b_i + 2) * max(a_i, b_i)
    assert out.data.tolist() == [6.0 * 3.0, 9.0 * 5.0]
    assert a.grad.tolist() == [3.0, 5.0 + 9.0] and b.grad.tolist() == [3.0 + 6.0, 5.0]


def test_functions_take_a_value_a_number_or_an_array():
    assert autograd.exp(1.0) == math.exp(1.0) and autograd.exp(1.0).__class__ is float
    x = Value(1.0)
    assert isinstance(autograd.exp(x), Value) and autograd.exp(x).parents == (x,)
    np.testing.assert_allclose(autograd.log1p(np.array([0.0, 1.0])), [0.0, math.log(2.0)])
    assert autograd.leaky_relu(-2.0, 0.5) == -1.0
    for name in ("tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "log1p", "expm1", "log2", "log10"):
        assert hasattr(Value, name) and callable(getattr(autograd, name))
    # Every elementwise method of Value is a function of autograd too: sech² x = 1 / cosh² x.
    assert autograd.sech2(0.5) == pytest.approx(1.0 / math.cosh(0.5) ** 2, rel=1e-15)
    described = {row.describe() for row in autograd.rules.TABLE if not row.takes_arg}
    methods = [name for name in dir(Value) if not name.startswith("_") and getattr(Value, name).__doc__ in described]
    assert "sech2" in methods and "tanh" in methods
    for name in methods:
        assert callable(getattr(autograd, name, None)), f"autograd.{name} is missing"


def test_neuron_is_one_node_whose_local_derivatives_are_x_w_and_1():
    w = [Value(0.5), Value(-2.0)]
    x = [Value(3.0), Value(0.25)]
    b = Value(0.1)
    z = autograd.neuron(w, x, b)
    assert z.op == "w·x+b" and z.parents == (*w, *x, b)  # one node, not four
    assert z.data == pytest.approx(0.5 * 3.0 - 2.0 * 0.25 + 0.1, rel=1e-15)
    (z * 2.0).backward()  # dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1, by hand
    assert [v.grad for v in (*w, *x, b)] == [6.0, 0.5, 1.0, -4.0, 2.0]
    # d²/dv² (3v − 0.5 + 0.1)² = 2·3² = 18, through the node's own local derivatives recorded as Values
    assert autograd.grad(autograd.grad(lambda v: autograd.neuron([v, -2.0], [3.0, 0.25], 0.1) ** 2))(0.5) == 18.0
