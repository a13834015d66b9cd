"""Checking a gradient against central differences (gradcheck.py): a right gradient passes, a wrong one is
reported in a table whose numbers are worked out by hand, and numerical_grad is a central difference."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value


def test_gradcheck_passes_correct_and_reports_wrong_gradients():
    assert autograd.gradcheck(lambda x, y: (x * y).tanh() + x.exp() / y, 0.3, 1.2) is True
    assert autograd.gradcheck(lambda x: x.sigmoid() * x.log(), Value(2.0)) is True

    # A deliberately wrong op (derivative 1 instead of 2x) must be caught with a table.
    wrong_square = autograd.Op("bad_square", forward=lambda x: x * x, local=lambda out, x: (1.0,))

    def f(x):
        return wrong_square(x)

    with pytest.raises(AssertionError) as raised:
        autograd.gradcheck(f, 3.0)
    table = str(raised.value)
    lines = table.splitlines()
    header = next(line for line in lines if line.split()[:1] == ["input"])
    assert header.split() == ["input", "value", "analytic", "numeric", "error"]
    rows = [line for line in lines[lines.index(header) + 1 :] if line.strip()]
    assert len(rows) == 1 and rows[0].endswith("<-- mismatch")
    cells = dict(zip(header.split(), rows[0].split()[:5], strict=True))
    # By hand: input 0 is x = 3; the wrong rule says 1; d/dx x^2 at 3 is 2*3 = 6.
    assert int(cells["input"]) == 0
    assert float(cells["value"]) == 3.0
    assert float(cells["analytic"]) == 1.0
    assert float(cells["numeric"]) == pytest.approx(6.0, abs=1e-4)
    assert float(cells["error"]) == pytest.approx(5.0, abs=1e-4)
    with pytest.raises(ValueError, match="eps"):
        autograd.gradcheck(lambda x: x, 1.0, eps=0.0)


def test_numerical_grad_takes_central_differences():
    # For x³ at 1 with eps = 0.1: ((1.1)³ − (0.9)³) / 0.2 = 3 + eps² = 3.01 (a one-sided difference gives 3.31).
    assert autograd.numerical_grad(lambda x: x**3, [1.0], eps=0.1) == [pytest.approx(3.01, rel=1e-12)]
    # d/dx (x y + sin x) = y + cos x, d/dy = x, at (0.5, 2.0).
    dx, dy = autograd.numerical_grad(lambda x, y: x * y + x.sin(), [0.5, Value(2.0)])
    assert dx == pytest.approx(2.0 + math.cos(0.5), abs=1e-8) and dy == pytest.approx(0.5, abs=1e-8)


def test_gradcheck_refuses_a_derivative_slightly_wrong_and_its_rule_is_pinned():
    # A custom op whose derivative is off by 1e-3 where the slope is about 0.01 must fail the default check.
    off = autograd.Op("slope", forward=lambda x: 0.01 * x, local=lambda out, x: (0.01 + 1e-3,))
    with pytest.raises(AssertionError, match="mismatch"):
        autograd.gradcheck(lambda x: off(x), 1.0)
    right = autograd.Op("slope", forward=lambda x: 0.01 * x, local=lambda out, x: (0.01,))
    assert autograd.gradcheck(lambda x: right(x), 1.0)
    # The rule is |analytic − numeric| <= atol + rtol·|numeric|, equality included.
    assert autograd.gradcheck(lambda x: x, 0.0, atol=0.0, rtol=0.0)
    import inspect

    defaults = {
        k: v.default for k, v in inspect.signature(autograd.gradcheck).parameters.items() if v.default is not v.empty
    }
    assert defaults == {"eps": 1e-6, "atol": 1e-5, "rtol": 1e-4}
