"""Every op's derivative against its hand formula and against central differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Value

from .helpers import central_difference


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# name: (expression on Values, hand-written derivative d/dx, points away from kinks)
UNARY = {
    "neg": (lambda x: -x, lambda x: -1.0, [-2.0, 0.3, 4.0]),
    "abs": (lambda x: abs(x), lambda x: math.copysign(1.0, x), [-2.0, -0.1, 0.5, 3.0]),
    "exp": (lambda x: x.exp(), math.exp, [-3.0, 0.0, 1.5]),
    "log": (lambda x: x.log(), lambda x: 1 / x, [0.1, 1.0, 7.0]),
    "sqrt": (lambda x: x.sqrt(), lambda x: 1 / (2 * math.sqrt(x)), [0.04, 1.0, 9.0]),
    "sin": (lambda x: x.sin(), math.cos, [-1.0, 0.0, 2.0]),
    "cos": (lambda x: x.cos(), lambda x: -math.sin(x), [-1.0, 0.5, 2.0]),
    "tanh": (lambda x: x.tanh(), lambda x: 1 - math.tanh(x) ** 2, [-2.0, 0.0, 0.7]),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: sigmoid(x) * (1 - sigmoid(x)), [-3.0, 0.0, 2.0]),
    "softplus": (lambda x: x.softplus(), sigmoid, [-4.0, 0.0, 3.0]),
    "relu": (lambda x: x.relu(), lambda x: 1.0 if x > 0 else 0.0, [-2.0, -0.5, 0.5, 3.0]),
    "leaky_relu": (lambda x: x.leaky_relu(), lambda x: 1.0 if x > 0 else 0.01, [-2.0, -0.5, 0.5, 3.0]),
    "leaky_relu(0.2)": (lambda x: x.leaky_relu(0.2), lambda x: 1.0 if x > 0 else 0.2, [-2.0, 1.0, 3.0]),
    "step": (lambda x: x.step(), lambda x: 0.0, [-2.0, -0.5, 0.5, 3.0]),
    "square": (lambda x: x**2, lambda x: 2 * x, [-3.0, 0.0, 1.5]),
    "cube": (lambda x: x**3, lambda x: 3 * x**2, [-3.0, 0.5, 2.0]),
    "x ** 0.5": (lambda x: x**0.5, lambda x: 0.5 * x**-0.5, [0.25, 1.0, 4.0]),
    "x ** -1": (lambda x: x**-1, lambda x: -(x**-2), [-2.0, 0.5, 3.0]),
    "x ** 0": (lambda x: x**0, lambda x: 0.0, [-2.0, 0.0, 3.0]),
    "2 ** x": (lambda x: 2**x, lambda x: 2**x * math.log(2), [-1.0, 0.0, 3.0]),
    "1 / x": (lambda x: 1 / x, lambda x: -1 / x**2, [-2.0, 0.5, 3.0]),
    "x + 3": (lambda x: x + 3, lambda x: 1.0, [-1.0, 0.0, 2.0]),
    "3 - x": (lambda x: 3 - x, lambda x: -1.0, [-1.0, 0.0, 2.0]),
    "x - 3": (lambda x: x - 3, lambda x: 1.0, [-1.0, 0.0, 2.0]),
    "x / 4": (lambda x: x / 4, lambda x: 0.25, [-1.0, 0.0, 2.0]),
    "batch sum": (lambda x: x.sum(), lambda x: 1.0, [-1.0, 2.0, 5.0]),
    "batch mean": (lambda x: x.mean(), lambda x: 1.0, [-1.0, 2.0, 5.0]),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_derivative_matches_hand_formula_and_central_differences(name):
    f, derivative, points = UNARY[name]
    assert len(points) >= 3
    for x0 in points:
        x = Value(x0)
        f(x).backward()
        assert x.grad == pytest.approx(derivative(x0), rel=1e-12, abs=1e-15), (name, x0)
        assert x.grad == pytest.approx(central_difference(f, [x0], 0), rel=1e-6, abs=1e-7), (name, x0)


BINARY = {
    "x + y": (lambda x, y: x + y, lambda x, y: (1.0, 1.0)),
    "x - y": (lambda x, y: x - y, lambda x, y: (1.0, -1.0)),
    "x * y": (lambda x, y: x * y, lambda x, y: (y, x)),
    "x / y": (lambda x, y: x / y, lambda x, y: (1 / y, -x / y**2)),
    "x ** y": (lambda x, y: x**y, lambda x, y: (y * x ** (y - 1), x**y * math.log(x))),
    "max(x, y)": (autograd.maximum, lambda x, y: (1.0, 0.0) if x >= y else (0.0, 1.0)),
    "min(x, y)": (autograd.minimum, lambda x, y: (1.0, 0.0) if x <= y else (0.0, 1.0)),
}
BINARY_POINTS = [(0.5, 2.0), (3.0, 1.5), (1.2, -0.7), (2.5, 0.25)]


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_derivatives_match_hand_formula_and_central_differences(name):
    f, derivatives = BINARY[name]
    for x0, y0 in BINARY_POINTS:
        x, y = Value(x0), Value(y0)
        f(x, y).backward()
        dx, dy = derivatives(x0, y0)
        assert (x.grad, y.grad) == pytest.approx((dx, dy), rel=1e-12, abs=1e-15), (name, x0, y0)
        assert x.grad == pytest.approx(central_difference(f, [x0, y0], 0), rel=1e-6, abs=1e-7)
        assert y.grad == pytest.approx(central_difference(f, [x0, y0], 1), rel=1e-6, abs=1e-7)


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


def test_numbers_on_either_side_including_numpy_scalars():
    x = Value(3.0)
    for out, expected in [
        (2 + x, 5.0),
        (x + 2, 5.0),
        (2 - x, -1.0),
        (x - 2, 1.0),
        (2 * x, 6.0),
        (x * 2, 6.0),
        (6 / x, 2.0),
        (x / 2, 1.5),
        (x**2, 9.0),
        (2**x, 8.0),
        (np.float64(2.0) * x, 6.0),
        (x * np.float64(2.0), 6.0),
        (np.float32(2.0) + x, 5.0),
        (np.int64(2) - x, -1.0),
        (np.float64(2.0) ** x, 8.0),
        (x ** Value(2.0), 9.0),
    ]:
        assert isinstance(out, Value)
        assert out.data == expected


def test_extremes_stay_finite_with_correct_gradients():
    # At +-1000 the exact values round to these floats.
    expected = {
        ("sigmoid", 1000.0): (1.0, 0.0),
        ("sigmoid", -1000.0): (0.0, 0.0),
        ("softplus", 1000.0): (1000.0, 1.0),
        ("softplus", -1000.0): (0.0, 0.0),
        ("tanh", 1000.0): (1.0, 0.0),
        ("tanh", -1000.0): (-1.0, 0.0),
    }
    for (name, x0), (value, derivative) in expected.items():
        x = Value(x0)
        out = getattr(x, name)()
        out.backward()
        assert (out.data, x.grad) == (value, derivative), name
    # Away from saturation, exact small numbers: sigmoid(-30) = e^-30 / (1 + e^-30).
    x = Value(-30.0)
    out = x.sigmoid()
    out.backward()
    assert out.data == pytest.approx(math.exp(-30) / (1 + math.exp(-30)), rel=1e-15)
    assert x.grad == pytest.approx(math.exp(-30), rel=1e-12)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Value(0.0).log(), ValueError, ["log", "0.0"]),
        (lambda: Value(-1.0).log(), ValueError, ["log", "-1.0"]),
        (lambda: Value(-1.0).sqrt(), ValueError, ["sqrt", "-1.0"]),
        (lambda: Value(0.0) ** -1, ValueError, ["**", "0.0"]),
        (lambda: Value(-8.0) ** 0.5, ValueError, ["**", "-8.0"]),
        (lambda: Value(-2.0) ** Value(2.0), ValueError, ["**", "-2.0"]),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, ["/", "zero"]),
        (lambda: 1.0 / Value(0.0), ZeroDivisionError, ["/", "zero"]),
        (lambda: Value(1000.0).exp(), OverflowError, ["exp", "1000.0"]),
        (lambda: Value(10.0) ** 400, OverflowError, ["**"]),
        (lambda: Value("3"), TypeError, ["str"]),
        (lambda: Value([1.0]), TypeError, ["list"]),
        (lambda: Value(None), TypeError, ["NoneType"]),
        (lambda: Value(1 + 2j), TypeError, ["complex"]),
        (lambda: Value(True), TypeError, ["bool"]),
        (lambda: Value(float("nan")), ValueError, ["finite"]),
        (lambda: Value(float("inf")), ValueError, ["finite"]),
        (lambda: Value(1.0, label=3), TypeError, ["label"]),
        (lambda: Value(1.0).leaky_relu("a"), TypeError, ["slope"]),
        (lambda: Value(1.0) + "a", TypeError, ["str"]),
        (lambda: autograd.sum(3), TypeError, ["sum"]),
        (lambda: autograd.sum([Value(1.0), "a"]), TypeError, ["item 1"]),
        (lambda: autograd.maximum(Value(1.0), None), TypeError, ["maximum"]),
    ],
)
def test_bad_input_gets_a_clear_error(make, error, words):
    with pytest.raises(error) as raised:
        make()
    message = str(raised.value)
    assert "math domain error" not in message
    for word in words:
        assert word in message


def test_value_attributes_and_repr():
    x = Value(2, label="x")
    assert x.data == 2.0 and isinstance(x.data, float)
    assert (x.grad, x.op, x.parents, x.label) == (0.0, "", (), "x")
    y = x * 3
    assert y.op == "*" and y.parents[0] is x and y.parents[1].data == 3.0
    y.backward()
    assert repr(x) == "Value(label='x', data=2.0, grad=3.0)"
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"


def test_remainder_and_its_derivatives():
    # x mod y = x − y⌊x/y⌋, with the divisor's sign (Python's %): d/dx = 1, d/dy = −⌊x/y⌋.
    for x0, y0, value, dy in [(5.5, 2.0, 1.5, -2.0), (5.5, -2.0, -0.5, 3.0), (-7.0, 3.0, 2.0, 3.0)]:
        x, y = Value(x0), Value(y0)
        out = x % y
        out.backward()
        assert (out.data, x.grad, y.grad) == (value, 1.0, dy)
        assert y.grad == pytest.approx(central_difference(lambda a, b: a % b, [x0, y0], 1), rel=1e-6)
    z = Value(np.array([2.5, -2.5]))
    (7.0 % z).sum().backward()  # 7 mod 2.5 = 2 (quotient 2), 7 mod −2.5 = −0.5 (quotient −3)
    np.testing.assert_array_equal(z.grad, [-2.0, 3.0])
    with pytest.raises(ZeroDivisionError, match="%: got 0.0; division by zero"):
        Value(1.0) % 0.0
