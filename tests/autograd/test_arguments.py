"""What the derivative functions share (arguments.py): argnums read as NumPy reads axes, arguments made into
leaves, the nesting level, which Values count as outside the call, and Jacobian rows and blocks assembled the
same way from numbers or from Values."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value, constant
from autograd.arguments import (
    always_recorded,
    blocks_of,
    call_nested,
    indices_of,
    nesting,
    prepare,
    reaches_outside,
    row_of,
)


def test_argnums_count_from_the_end_when_negative_and_are_checked():
    assert indices_of(-1, 3) == (2,) and indices_of((0, -3, 0), 3) == (0, 0, 0)
    with pytest.raises(ValueError, match="out of range"):
        indices_of(3, 3)
    with pytest.raises(TypeError, match="ints"):
        indices_of(True, 3)
    with pytest.raises(ValueError, match="empty"):
        indices_of((), 3)


def test_a_list_argument_becomes_one_leaf_per_number_and_its_gradients_a_list_again():
    seen, leaves, shape = prepare([1.0, 2.0], "argument 0")
    assert seen == leaves and [leaf.data for leaf in leaves] == [1.0, 2.0]
    assert all(leaf.grad == 0.0 for leaf in leaves)  # variables, not constants
    assert shape([5.0, 6.0]) == [5.0, 6.0]
    with pytest.raises(ValueError, match=r"argument 0\[1\] is an array"):
        prepare([1.0, np.ones(2)], "argument 0")


def test_a_value_argument_enters_through_a_node_of_its_own():
    x = Value(2.0, label="x")
    seen, (leaf,), _ = prepare(x, "argument 0")
    assert seen is leaf and leaf.parents == (x,) and leaf.label == "x"


def test_calls_nest_one_level_at_a_time():
    assert nesting.get() == 0
    assert call_nested(lambda: call_nested(lambda: nesting.get(), []), []) == 2
    assert nesting.get() == 0


def test_only_values_from_outside_the_call_reach_outside():
    outer = Value(3.0)

    @always_recorded
    def reaches(use_outer: bool) -> bool:
        _, (leaf,), _ = prepare(1.5, "argument 0")  # made for this call
        out = leaf * constant(2.0)
        return reaches_outside([out * outer if use_outer else out])

    assert reaches(False) is False and reaches(True) is True


def test_rows_and_blocks_are_the_same_numbers_as_arrays_and_as_values():
    # d out / d (s, v) for out of shape (2,), s a number and v of shape (2,): two rows of three numbers.
    grads = [[1.0, np.array([2.0, 3.0])], [4.0, np.array([5.0, 6.0])]]
    shapes = [(), (2,)]
    rows = [row_of(g, shapes) for g in grads]
    np.testing.assert_array_equal(rows, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    ds, dv = blocks_of(rows, (2,), shapes)
    np.testing.assert_array_equal(ds, [1.0, 4.0])
    np.testing.assert_array_equal(dv, [[2.0, 3.0], [5.0, 6.0]])
    kept = [row_of([constant(g[0]), Value(g[1])], shapes, keep=True) for g in grads]
    ks, kv = blocks_of(kept, (2,), shapes, keep=True)
    assert isinstance(ks, Value) and isinstance(kv, Value)
    np.testing.assert_array_equal(ks.data, ds)
    np.testing.assert_array_equal(kv.data, dv)
    (single,) = blocks_of([row_of([7.0], [()])], (), [()])
    assert single == 7.0 and single.__class__ is float  # a scalar function of a scalar: a number
