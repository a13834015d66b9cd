"""Argument checks (checks.py): what a Value may hold."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Value


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
