"""A row of a table as a learner writes one (op.py): a custom Op works everywhere a built-in one does, what
its local derivatives return is checked, a Linear local derivative works in both modes, and a Domain says
which inputs it refuses."""

from __future__ import annotations

import re

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


def test_a_custom_op_whose_derivative_is_a_linear_map_works_in_both_modes():
    # f(x) = A x: its Jacobian is A, so the backward pass sends Aᵀ g back and forward mode sends A t on.
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    times_a = autograd.Op(
        "A·x", lambda x: A @ x, lambda out, x: (autograd.Linear(lambda g: g @ A, lambda t: A @ t),), "A·{0}", ("A",)
    )
    x = Value(np.array([0.5, -1.0]))
    out = times_a(x)
    assert out.data.tolist() == [-1.5, -2.5]  # by hand: 0.5 − 2, 1.5 − 4
    (out * np.array([1.0, 10.0])).sum().backward()
    assert x.grad.tolist() == [1.0 + 30.0, 2.0 + 40.0]  # Aᵀ g with g = (1, 10)
    _, tangent = autograd.jvp(lambda v: times_a(v), (np.array([0.5, -1.0]),), (np.array([1.0, 1.0]),))
    assert tangent.tolist() == [3.0, 7.0]  # A t with t = (1, 1): the row sums


def test_a_domain_names_the_op_the_first_bad_value_and_how_many_there_are():
    root = autograd.Op(
        "root",
        lambda x: np.sqrt(x) if isinstance(x, np.ndarray) else x**0.5,
        lambda out, x: (0.5 / out,),
        domain=autograd.Domain(lambda x: x > 0.0, ValueError, "{name} needs x > 0"),
    )
    assert root(Value(np.array([4.0, 9.0]))).data.tolist() == [2.0, 3.0]
    with pytest.raises(ValueError, match=r"^root: got -1\.0; root needs x > 0$"):
        root(Value(-1.0))
    for data, count, first in (([4.0, -1.0, 9.0, 0.0], 2, "-1.0"), ([[4.0, 9.0], [0.0, 1.0]], 1, "0.0")):
        with pytest.raises(ValueError) as raised:
            root(Value(np.array(data)))
        entries = "entries" if count > 1 else "entry"
        pattern = rf"^root: got {count} bad {entries}, the first {re.escape(first)}; root needs x > 0$"
        assert re.search(pattern, str(raised.value)), str(raised.value)
