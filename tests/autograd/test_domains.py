"""The domain column (domains.py): where each op is defined, and what its error says outside."""

from __future__ import annotations

import pytest

from autograd import Value


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
