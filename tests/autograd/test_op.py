"""A row of a table as a learner writes one (op.py): a custom Op works everywhere a built-in one does, and
what its local derivatives return is checked."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Value


def test_a_custom_op_works_everywhere_a_built_in_one_does():
    cube = autograd.Op("cube", lambda x: x * x * x, lambda out, x: (3 * x * x,), "{0}³", ("3·{0}²",))
    x = Value(2.0, label="x")
    y = cube(x)
    y.label = "y"
    y.backward()
    assert (y.data, x.grad) == (8.0, 12.0)  # 3x² by hand
    assert autograd.grad(autograd.grad(lambda v: cube(v)))(2.0) == 12.0  # 6x
    assert autograd.jvp(lambda v: cube(v), (2.0,), (1.0,)) == (8.0, 12.0)
    assert cube(3.0).data == 27.0 and cube(np.array([1.0, 2.0])).data.tolist() == [1.0, 8.0]
    assert "y = x³ = 2³ = 8" in "\n".join(autograd.Stepper(y).captions())
    assert "cube" in autograd.draw(y).svg()


def test_a_custom_op_that_returns_the_wrong_derivatives_is_refused():
    twice = autograd.Op("twice", lambda x: 2 * x, lambda out, x: 2.0)  # not a tuple
    with pytest.raises(TypeError, match="tuple of 1"):
        twice(Value(np.ones(3))).sum().backward()  # batched: a bare array would have been misread
    extra = autograd.Op("extra", lambda x: 2 * x, lambda out, x: (2.0, 0.0))
    with pytest.raises(ValueError, match="2 derivative"):
        extra(Value(1.0)).backward()
    x = Value(1.0)
    ok = autograd.Op("twice", lambda x: 2 * x, lambda out, x: (2.0,))
    (ok(x) * x).backward()
    assert x.grad == 4.0  # and a failed pass leaves nothing behind that spoils the next one
