"""The chain rule as a sum over paths: explain(root, x) (paths.py), with the paths and products by hand."""

from __future__ import annotations

import pytest

import autograd
import nn
from autograd import Value, explain

from ...helpers import BrowserPage, central_difference
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
    assert "<table" in found._repr_html_()
    alone = explain(out, out)  # the output itself: one path of no edges, whose product is 1
    assert [p.product for p in alone.paths] == [1.0] and "path 1: out\n" in str(alone)


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


def test_explain_as_a_table_is_left_aligned_and_never_breaks_a_symbol(browser, tmp_path, opened_pages):
    model = nn.MLP(2, [4, 4, 1], seed=0)
    loss = nn.mse_loss(model([0.5, -0.2]), 1.0)
    weight = next(n for n in autograd.topological_order(loss) if n.label == "w[1,0,2]")
    table = explain(loss, weight)._repr_html_()
    # A narrow cell with a style that centres and right-aligns tables, as notebook front ends do.
    style = "<style>td, th, caption { text-align: right; } table { margin: auto; }</style>"
    path = tmp_path / "explain.html"
    path.write_text(f"<!DOCTYPE html><meta charset='utf-8'>{style}<div style='width: 420px'>{table}</div>")
    page = BrowserPage(browser, path)
    opened_pages.append(page)
    aligned = page.js(
        "() => Array.from(document.querySelectorAll('td, th, caption')).map(c => getComputedStyle(c).textAlign)"
    )
    assert set(aligned) == {"left"}
    # Each symbol (∂z[1,0]/∂wx[1,0,2] = 1, a name on the route) stays on one line: one line's height.
    heights = page.js(
        "() => Array.from(document.querySelectorAll('td span')).map(s => [s.textContent, s.getClientRects().length])"
    )
    assert any(text.startswith("∂wx[1,0,2]/∂w[1,0,2] = ") for text, _ in heights)
    assert all(lines == 1 for _, lines in heights), [text for text, lines in heights if lines != 1]
    assert (
        page.js("() => document.querySelector('table').getBoundingClientRect().height") > 100
    )  # it did wrap, between symbols
