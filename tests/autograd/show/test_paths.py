"""The chain rule as a sum over paths: explain(root, x) (paths.py), with the paths and products by hand."""

from __future__ import annotations

import pytest

from autograd import Value, explain

from ...helpers import central_difference
from ...networks import two_paths


def test_explain_lists_every_path_and_its_product():
    out, (x, y, z) = two_paths()
    found = explain(out, x)
    # out = n1 + z, n1 = z·x, z = x·y at x = 3, y = -2, z = -6. Paths from out back to x, by hand:
    #   out → n1 → x:      1 · z         = -6
    #   out → n1 → z → x:  1 · x · y     = -6
    #   out → z → x:       1 · y         = -2
    assert sorted(p.product for p in found.paths) == sorted([-6.0, 3.0 * -2.0, -2.0])
    assert found.total == pytest.approx(2 * 3.0 * -2.0 + -2.0, abs=1e-12)
    assert found.total == pytest.approx(central_difference(lambda a: (a * Value(-2.0)) * a + a * Value(-2.0), [3.0], 0))
    out.backward()
    assert found.grad == x.grad
    text = str(found)
    assert "3 path(s)" in text and "out → n1 → z → x" in text
    assert "<table>" in found._repr_html_()


def test_explain_refuses_what_it_cannot_do():
    x = Value(1.0, label="x")
    y = x
    for _ in range(12):
        y = y + y  # 2^12 paths back to x
    with pytest.raises(ValueError, match="4,096 paths"):
        explain(y, x)
    assert len(explain(y, x, max_paths=5000).paths) == 4096
    with pytest.raises(ValueError, match="not in the graph"):
        explain(y, Value(2.0))
    import numpy as np

    batch = Value(np.array([1.0, 2.0]), label="v")
    with pytest.raises(ValueError, match=r"v on a path from the output back to x holds an array of shape \(2,\)"):
        explain((batch * batch).sum(), batch)
