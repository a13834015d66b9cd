"""The derivative table (rules.py): every op's derivative against its hand formula and central
differences, one sample at a time and batched, the errors at the edges of each domain; and every row of the
table checked against the row's own "as written" columns.

A row says how an op is written (``text``, e.g. "tanh({0})") and its derivative by hand (``rule``,
e.g. "1 − {out}²"): the forms the lectures use and the stepper shows. Translated into mpmath and
evaluated with 50 digits they are a reference that shares no code with the row's ``forward`` and
``local``. For every row of ``rules.TABLE``, at points drawn inside its domain:

- the forward value agrees with the written form, and each local derivative with the by-hand
  rule, to 1e-12 relative;
- each local derivative agrees with central differences of the forward value;
- a point outside the domain raises the error the domain column names, and a ``bounded`` row
  gives a finite result at the edges of the floats.

A new row is checked by being written: ``test_every_row_is_walked`` fails for a row these tests
cannot read. (tests/autograd/test_tables_against_torch.py walks the same tables against PyTorch.)
"""

from __future__ import annotations

import math
import re
import zlib

import numpy as np
import pytest

import autograd
from autograd import Value, rules
from autograd.op import Bound

from ..helpers import central_difference

mpmath = pytest.importorskip("mpmath")
mp = mpmath.mp


# -- by hand and by central differences ------------------------------------------------------------------


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


def test_leaky_relu_keeps_its_slopes_for_any_slope():
    x = Value(2.0)
    x.leaky_relu(1e17).backward()
    assert x.grad == 1.0  # (x > 0)(1 - slope) + slope would round 1 away
    x = Value(-1.0)
    x.leaky_relu(1e17).backward()
    assert x.grad == 1e17
    with pytest.raises(OverflowError, match="leaky_relu"):
        Value(-1e10).leaky_relu(1e308)


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


# -- batched: one node holds a column of samples; results match per-sample hand formulas --------------


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


# -- the table's rows against their written forms in 50-digit mpmath ----------------------------------

# The parameters of the rows that take one: each is checked at these.
PARAMETERS = {"**n": (2.0, 3.0, -1.0, 0.5, 2.5, 0.0, 1.0), "leaky_relu": (0.01, 0.2)}
# Ops with a kink or a jump: points closer than this to it are skipped (their one-sided rules differ).
KINKED = {"abs", "relu", "step", "leaky_relu", "max", "min", "%"}

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def as_python(formula: str) -> str:
    """A formula of the table ("1 − {out}²", "{1}·{0}^({1} − 1)") as a Python expression over mpmath."""
    text = formula.format("(x)", "(y)", "(z)", out="(out)")
    text = re.sub(r"([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)", lambda m: "**(" + m[1].translate(_SUPERSCRIPT) + ")", text)
    text = re.sub(r"log (\([^()]*\))", r"log(\1)", text)  # "log {0}": log of the next factor
    for written, python in (
        ("sech**(2)(", "sech2("), ("log₂(", "log2("), ("log₁₀(", "log10("), ("ln 2", "log(2)"),
        ("ln 10", "log(10)"), ("σ(", "sigmoid("), ("√(", "sqrt("), ("√", "sqrt"),
        ("⌊", "floor("), ("⌋", ")"), ("−", "-"), ("·", "*"), ("^", "**"), ("≥", ">="), ("≤", "<="), (" mod ", " % "),
    ):  # fmt: skip
        text = text.replace(written, python)
    return re.sub(r"\|([^|]+)\|", r"abs(\1)", text)


MP_FUNCTIONS = {
    "exp": mpmath.exp, "log": mpmath.log, "log2": lambda x: mpmath.log(x, 2), "log10": mpmath.log10,
    "sqrt": mpmath.sqrt, "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "arcsin": mpmath.asin,
    "arccos": mpmath.acos, "arctan": mpmath.atan, "sinh": mpmath.sinh, "cosh": mpmath.cosh, "tanh": mpmath.tanh,
    "sech2": lambda x: mpmath.sech(x) ** 2, "sigmoid": lambda x: 1 / (1 + mpmath.exp(-x)),
    "softplus": lambda x: mpmath.log(1 + mpmath.exp(x)), "relu": lambda x: max(x, 0), "step": lambda x: 1 if x >= 0 else 0,
    "sign": lambda x: mpmath.sign(x), "abs": abs, "max": max, "min": min, "floor": mpmath.floor,
    "leaky_relu": None,  # replaced per slope below
}  # fmt: skip


def evaluate(formula: str, names: dict, slope: float | None = None):
    functions = dict(MP_FUNCTIONS, leaky_relu=lambda x: x if x > 0 else slope * x)
    return eval(as_python(formula), {"__builtins__": {}}, {**functions, **names})  # the table's own text, in tests


def rows() -> list[tuple[str, object]]:
    """Every row of the table as an op a node could hold: rows with a parameter once per parameter."""
    found = []
    for row in rules.TABLE:
        if row.takes_arg:
            found += [(f"{row.name}({p:g})", Bound(row, p)) for p in PARAMETERS[row.name]]
        else:
            found.append((row.name, row))
    return found


ROWS = rows()


def inputs_of(op) -> int:
    if op.name == "sum":
        return 3
    text = op.text if isinstance(op.text, str) else ""
    return 2 if "{1}" in text else 1


def points(name: str, op, count: int = 12) -> list[tuple[float, ...]]:
    """Points inside the op's domain (and away from kinks), drawn from a seed of the op's name."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    chosen = []
    while len(chosen) < count:
        xs = tuple(float(v) for v in rng.choice([-1, 1], inputs_of(op)) * rng.uniform(0.05, 3.0, inputs_of(op)))
        if op.name in KINKED and (min(abs(x) for x in xs) < 0.02 or len(xs) > 1 and abs(xs[0] - xs[1]) < 0.02):
            continue
        if op.name == "%" and abs(xs[0] / xs[1] - round(xs[0] / xs[1])) < 0.02:
            continue  # a jump of the remainder
        try:
            op.check(list(xs))
        except (ValueError, OverflowError, ZeroDivisionError):
            continue
        chosen.append(xs)
    return chosen


def reference(op, xs: tuple[float, ...]):
    """The forward value and each local derivative from the row's written columns, in 50-digit mpmath."""
    with mp.workdps(50):
        names = {"x": mp.mpf(xs[0]), "y": mp.mpf(xs[-1]), "z": mp.mpf(xs[-1])}
        slope = op.arg if op.name == "leaky_relu" else None
        if op.name == "sum":
            out = sum(mp.mpf(x) for x in xs)
            rules_ = [1] * len(xs)
        else:
            out = evaluate(op.text, names, slope)
            rules_ = [evaluate(r, {**names, "out": out}, slope) for r in op.rule]
        return out, rules_


def test_every_row_is_walked():
    """Each row's written form and rule read as formulas: a new row cannot slip past these tests."""
    for name, op in ROWS:
        xs = points(name, op, count=1)[0]
        out, derivatives = reference(op, xs)
        assert mpmath.isfinite(out) and all(mpmath.isfinite(d) for d in derivatives), name
        assert len(derivatives) in (1, inputs_of(op)), name


@pytest.mark.parametrize("name, op", ROWS, ids=[n for n, _ in ROWS])
def test_forward_and_local_derivatives_match_the_rows_written_forms(name, op):
    for xs in points(name, op):
        out, derivatives = reference(op, xs)
        data = op.forward(*xs)
        assert data == pytest.approx(float(out), rel=1e-12, abs=1e-300), (name, xs)
        local = op.local(data, *xs)
        assert len(local) == len(xs), name
        for k, (engine, by_hand) in enumerate(
            zip(local, derivatives * len(xs) if len(derivatives) == 1 else derivatives)
        ):
            assert float(engine) == pytest.approx(float(by_hand), rel=1e-12, abs=1e-300), (name, xs, k)


@pytest.mark.parametrize("name, op", ROWS, ids=[n for n, _ in ROWS])
def test_local_derivatives_match_central_differences(name, op):
    h = 1e-6
    for xs in points(name, op):
        local = op.local(op.forward(*xs), *xs)
        for k in range(len(xs)):
            up, down = list(xs), list(xs)
            up[k] += h
            down[k] -= h
            numeric = (op.forward(*up) - op.forward(*down)) / (2 * h)
            assert float(local[k]) == pytest.approx(numeric, rel=1e-6, abs=1e-6), (name, xs, k)


# Points just outside each domain, and the error the domain column names there.
OUTSIDE = {
    "/": ((1.0, 0.0), ZeroDivisionError),
    "%": ((1.0, 0.0), ZeroDivisionError),
    "**": ((-2.0, 0.5), ValueError),
    "exp": ((710.0,), OverflowError),
    "expm1": ((710.0,), OverflowError),
    "log": ((0.0,), ValueError),
    "log1p": ((-1.0,), ValueError),
    "log2": ((-1e-300,), ValueError),
    "log10": ((0.0,), ValueError),
    "sqrt": ((0.0,), ValueError),
    "arcsin": ((1.0,), ValueError),
    "arccos": ((-1.0,), ValueError),
    "sinh": ((711.0,), OverflowError),
    "cosh": ((-711.0,), OverflowError),
    "**n": ((-2.0,), ValueError),  # at n = 0.5 and 2.5; n = -1 at 0 below
}


@pytest.mark.parametrize("name, op", ROWS, ids=[n for n, _ in ROWS])
def test_the_domain_column_refuses_what_lies_outside(name, op):
    if not op.domain:
        assert op.name not in OUTSIDE, f"{name}: a point outside is listed, but the row has no domain"
        return
    xs, error = OUTSIDE[op.name]
    if op.name == "**n":
        if op.arg in (0.0, 1.0):  # x⁰ and x¹ are defined for every float
            for x in (-2.0, 0.0, 1e300):
                op.check([x])
            return
        xs = (0.0,) if op.arg < 0 else xs
        if op.arg == int(op.arg) and op.arg > 0:
            xs, error = (1e300,), OverflowError  # whole powers are defined everywhere; too large, they overflow
    with pytest.raises(error, match=re.escape(op.name)):
        op.check(list(xs))


@pytest.mark.parametrize("name, op", [r for r in ROWS if r[1].bounded], ids=[n for n, r in ROWS if r.bounded])
def test_bounded_rows_stay_finite_at_the_edges_of_the_floats(name, op):
    edges = [1e-300, -1e-300, 1.0, -1.0, 700.0, -700.0, 1e300, -1e300, 1.7e308, -1.7e308]
    for x in edges:
        xs = (x,) * inputs_of(op)
        try:
            op.check(list(xs))
        except (ValueError, OverflowError, ZeroDivisionError):
            continue  # outside the domain: refused before computing, as the test above checks
        value = op.forward(*xs)
        assert math.isfinite(value), (name, x)
        assert all(math.isfinite(float(d)) for d in op.local(value, *xs)), (name, x)


def test_a_bounded_row_really_is_bounded_and_an_unbounded_one_is_checked():
    with pytest.raises(OverflowError, match="too large"):
        Value(1e300) * Value(1e300)  # MUL is not bounded: its result is checked
    assert Value(1e300).tanh().data == 1.0


def test_derivatives_at_exactly_zero_follow_the_tables_conventions():
    # relu'(0) = 0, |x|'(0) = 0 (the table's sign(0)), and x¹ has slope 1 everywhere, 0 included.
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0
    x = Value(0.0)
    abs(x).backward()
    assert x.grad == 0.0
    batch = Value(np.array([0.0, 2.0, -1.0]))
    batch.relu().sum().backward()
    np.testing.assert_array_equal(batch.grad, [0.0, 1.0, 0.0])
    batch = Value(np.array([0.0, 2.0]))
    (batch**1).sum().backward()
    np.testing.assert_array_equal(batch.grad, [1.0, 1.0])
