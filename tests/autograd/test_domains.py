"""The domain column (domains.py): where each op is defined, and what its error says outside. The edges are
checked against Python's own math: the last float it takes and the first it refuses."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from autograd.formulas import EXP_LIMIT, HYPERBOLIC_LIMIT


def test_powers_at_the_edges_of_the_floats():
    with pytest.raises(OverflowError, match="derivative"):
        Value(0.5) ** -1023  # 2^1023 fits a float; its derivative -1023·2^1024 does not
    x = Value(5e-324)
    (x**1e-20).backward()
    assert x.grad == pytest.approx(1e-20 / 5e-324, rel=1e-12)  # n x^(n-1) = n x^n / x with x^n = 1
    x, y = Value(0.0), Value(2.0)
    (x**y).backward()
    assert (x.grad, y.grad) == (0.0, 0.0)  # d/dx x² = 2x = 0 and d/dy 0^y = 0 at x = 0
    with pytest.raises(ValueError, match=">= 1"):
        Value(0.0) ** Value(0.5)  # its derivative in x would be infinite


def test_exp_sinh_and_cosh_refuse_exactly_where_python_overflows():
    # Python's math overflows for the next float above each limit, and not at it: so does the engine.
    for name, limit in (("exp", EXP_LIMIT), ("sinh", HYPERBOLIC_LIMIT), ("cosh", HYPERBOLIC_LIMIT)):
        above = math.nextafter(limit, math.inf)
        assert math.isfinite(getattr(math, name)(limit))
        with pytest.raises(OverflowError):
            getattr(math, name)(above)
        assert getattr(Value(limit), name)().data == getattr(math, name)(limit)
        with pytest.raises(OverflowError, match=rf"^{name}: got {above!r}; {name} overflows a float above"):
            getattr(Value(above), name)()
    with pytest.raises(OverflowError, match="cosh"):
        Value(-math.nextafter(HYPERBOLIC_LIMIT, math.inf)).cosh()  # cosh overflows on both sides


def test_each_domain_takes_its_last_float_and_refuses_the_next():
    inside = {
        "log": 5e-324,  # the smallest float above 0
        "sqrt": 5e-324,
        "log1p": math.nextafter(-1.0, 0.0),
        "arcsin": math.nextafter(1.0, 0.0),
        "arccos": math.nextafter(-1.0, 0.0),
    }
    edge = {"log": 0.0, "sqrt": 0.0, "log1p": -1.0, "arcsin": 1.0, "arccos": -1.0}
    for name, x in inside.items():
        assert math.isfinite(getattr(Value(x), name)().data), name
        with pytest.raises(ValueError, match=rf"^{name}: got {edge[name]!r}; "):
            getattr(Value(edge[name]), name)()
