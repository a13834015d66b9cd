"""A Value and how a node is made (value.py): its attributes and repr, numbers and NumPy scalars on either
side of an op, comparisons, detach, and constants. Expected values are worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Value


def test_value_attributes_and_repr():
    x = Value(2, label="x")
    assert x.data == 2.0 and isinstance(x.data, float)
    assert (x.grad, x.op, x.parents, x.label) == (0.0, "", (), "x")
    y = x * 3
    assert y.op == "*" and y.parents[0] is x and y.parents[1].data == 3.0
    y.backward()
    assert repr(x) == "Value(label='x', data=2.0, grad=3.0)"
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"


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


def test_zero_dimensional_arrays_and_numpy_scalars_are_numbers():
    x = Value(np.array(2.0))
    assert x.item() == 2.0 and x.data.__class__ is float
    batch = Value(np.array([1.0, 2.0, 3.0]))
    out = (x * batch).sum()
    out.backward()
    assert x.grad == 6.0  # shared by the batch: the sum of the samples
    for scalar in (np.float32(2.5), np.float64(2.5), np.int64(2), np.array(2.5, dtype=np.float32)):
        assert Value(scalar).data.__class__ is float


def test_comparisons_give_bools_for_numbers_and_arrays_for_batches_and_equality_stays_identity():
    x = Value(2.0)
    assert (x > 0) is True and (x <= 1.5) is False and (x < 3) is True and (x >= Value(2.0)) is True
    batch = Value(np.array([-1.0, 0.0, 2.0]))
    np.testing.assert_array_equal(batch > 0, [False, False, True])
    assert x == x and x != Value(2.0)  # nodes, not numbers
    assert len({x, Value(2.0)}) == 2
    if x > 1:
        pass  # usable in an if


def test_detach_stops_the_gradient():
    x = Value(3.0)
    y = x * x
    z = y.detach() * x  # treats y as a constant 9
    z.backward()
    assert x.grad == 9.0
    assert z.parents[0].parents == ()


# -- constants: numbers that need no gradient -----------------------------------------------------------


def test_a_number_mixed_with_values_is_a_constant_without_a_gradient():
    x = Value(1.5, label="x")
    y = 2.0 * x * x + 3  # dy/dx = 4x
    y.backward()
    assert x.grad == 4 * 1.5
    constants = [n for n in autograd.topological_order(y) if n.is_constant]
    assert sorted(n.data for n in constants) == [2.0, 3.0]
    assert all(n.grad is None for n in constants)
    assert not x.is_constant and x.is_leaf


def test_constant_made_by_hand_takes_part_but_gets_no_gradient():
    c = autograd.constant(np.array([1.0, -2.0]), label="c")
    w = Value(np.array([0.5, 4.0]), label="w")
    loss = (c * w).sum()  # d/dw = c
    loss.backward()
    assert np.array_equal(w.grad, [1.0, -2.0])
    assert c.grad is None and c.is_constant


def test_gradients_can_still_be_asked_for_a_constant():
    c = autograd.constant(3.0)
    x = Value(2.0)
    y = c * x * x  # dy/dc = x² = 4
    (dc,) = autograd.gradients(y, [c])
    assert dc == 4.0
    assert c.grad is None  # gradients() puts back what every node held


def test_two_values_holding_numbers_make_the_same_node_by_the_short_road():
    x, y = Value(3.0), Value(-2.0)
    z = x * y
    assert (z.data, z.grad, z.parents, z.op) == (-6.0, 0.0, (x, y), "*")
    with autograd.no_grad():
        inside = x * y
    assert inside.is_leaf and inside.data == -6.0  # recording is off for the short road too
    with pytest.raises(OverflowError, match=r"\*: the result is too large"):
        Value(1e308) * Value(10.0)
    with pytest.raises(OverflowError, match=r"\+: the result is too large"):
        Value(1.7e308) + Value(1.7e308)


def test_a_detached_leaf_gets_its_own_gradient():
    x = Value(3.0)
    d = (x * 2.0).detach()
    (d * d).backward()
    assert d.grad == 2.0 * 6.0 and x.grad == 0.0  # d(d²)/dd = 2d; nothing flows back through detach
