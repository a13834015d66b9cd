"""Checking a gradient against central differences (gradcheck.py): a right gradient passes, a wrong one is
reported in a table whose numbers are worked out by hand."""

from __future__ import annotations

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
