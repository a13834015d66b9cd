"""Data sets and batches (data.py); reading a CSV file is tested as users meet it, in tests/test_users.py."""

from __future__ import annotations

import numpy as np
import pytest

import nn


@pytest.mark.parametrize(
    "make, classes",
    [
        (nn.data.make_xor, 2),
        (nn.data.make_moons, 2),
        (nn.data.make_circles, 2),
        (nn.data.make_spirals, 3),
        (nn.data.make_blobs, 3),
    ],
)
def test_datasets_are_seeded_arrays(make, classes):
    X, y = make(seed=1)
    X2, y2 = make(seed=1)
    assert X.shape == (len(y), 2) and np.array_equal(X, X2) and np.array_equal(y, y2)
    assert set(y.tolist()) == set(range(classes))


def test_xor_data_are_the_four_corners():
    X, y = nn.data.make_xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]


def test_batches_cover_the_data_in_all_three_regimes():
    X, y = nn.data.make_moons(10, seed=0)
    for size, count in [(None, 1), (4, 3), (1, 10)]:
        parts = list(nn.data.batches(X, y, size, seed=0))
        assert len(parts) == count
        assert sorted(np.concatenate([b[1] for b in parts]).tolist()) == sorted(y.tolist())
        assert sorted(map(tuple, np.concatenate([b[0] for b in parts]).tolist())) == sorted(map(tuple, X.tolist()))
