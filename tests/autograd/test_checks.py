"""Argument checks (checks.py): what a Value may hold, and finiteness checked by a sum on large arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Value, checks


def test_finite_entries_whose_sum_overflows_are_accepted_and_an_overflowing_result_is_refused():
    big = np.full(5000, 1e308)  # every entry finite, their sum not (and large enough to be checked by its sum)
    x = Value(big)
    assert np.array_equal((x * 1.0).data, big)
    with pytest.raises(OverflowError, match=r"\*"):
        x * 10.0
    with pytest.raises(ValueError, match="finite"):
        Value(np.array([1.0, math.inf]))
    with pytest.raises(ValueError, match="finite"):
        Value(np.array([math.nan, 1.0]))


def test_one_inf_or_nan_among_thousands_of_entries_is_found():
    # Above 4,096 entries an array is checked by its sum first: one inf or nan anywhere must still be found.
    for bad in (math.inf, -math.inf, math.nan):
        for size in (4096, 5000):
            data = np.ones(size)
            data[size // 3] = bad
            assert checks.finite(data) is False
            with pytest.raises(ValueError, match="finite"):
                Value(data)
    assert checks.finite(np.full(5000, -1e308)) is True  # the sum is -inf, every entry finite


def test_data_keeps_numbers_as_floats_and_arrays_as_float_arrays():
    assert checks.data(np.int64(3)).__class__ is float and checks.data(np.float32(0.5)) == 0.5
    ints = checks.data(np.array([[1, 2], [3, 4]], dtype=np.int32))
    assert ints.dtype == np.float64 and ints.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    source = np.array([1.0, 2.0])
    assert checks.data(source) is not source  # a copy: changing the array later does not change the Value
    with pytest.raises(TypeError, match="dtype bool"):
        checks.data(np.array([True, False]))
