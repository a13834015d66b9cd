"""backward() semantics: many paths, repeated calls, no_grad, detach, depth, grad and gradcheck."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Value


def test_gradients_add_over_every_path():
    a = Value(1.5)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    x = Value(3.0)
    y = x * x * x  # three paths into x: 3x^2
    y.backward()
    assert x.grad == 27.0


def test_leaves_accumulate_and_interior_nodes_are_recomputed():
    a, b, e = Value(2.0), Value(-3.0), Value(10.0)
    ab = a * b
    d = ab * e
    d.backward()
    d.backward()
    assert a.grad == 2 * (-3.0 * 10.0)
    assert b.grad == 2 * (2.0 * 10.0)
    assert ab.grad == 10.0  # an interior node holds this call's gradient only


def test_backward_on_a_leaf_and_on_a_no_grad_result():
    x = Value(4.0)
    x.backward()
    assert x.grad == 1.0
    with autograd.no_grad():
        y = x * 2
    assert autograd.is_grad_enabled()
    assert y.parents == () and y.op == ""
    y.backward()
    assert y.grad == 1.0 and x.grad == 1.0  # nothing flowed back to x


def test_detach_stops_the_gradient():
    x = Value(3.0)
    y = x * x
    z = y.detach() * x  # treats y as a constant 9
    z.backward()
    assert x.grad == 9.0
    assert z.parents[0].parents == ()


def test_no_grad_restores_state_after_an_error():
    with pytest.raises(ZeroDivisionError), autograd.no_grad():
        Value(1.0) / 0
    assert autograd.is_grad_enabled()


def test_a_million_node_chain_runs_backward():
    c = 1.0000001
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * c
    y.backward()
    assert x.grad == pytest.approx(math.exp(1_000_000 * math.log(c)), rel=1e-9)


def test_topological_order_puts_parents_first():
    x, y = Value(1.0), Value(2.0)
    a = x * y
    b = a + x
    c = b * a
    order = autograd.topological_order(c)
    assert order[-1] is c and len(order) == len({id(n) for n in order}) == 5
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]


def test_grad_and_value_and_grad():
    df = autograd.grad(lambda x: x**3 + 2 * x)
    assert df(2.0) == 3 * 4 + 2
    d = autograd.grad(lambda x, y: x * y + y.exp(), argnums=(0, 1))(2.0, 0.5)
    assert d == pytest.approx((0.5, 2.0 + math.exp(0.5)), rel=1e-15)
    value, g = autograd.value_and_grad(lambda x, y: x / y, argnums=1)(3.0, 2.0)
    assert (value, g) == (1.5, -3.0 / 4.0)
    with pytest.raises(TypeError, match="argnums"):
        autograd.grad(lambda x: x, argnums="0")(1.0)
    with pytest.raises(ValueError, match="out of range"):
        autograd.grad(lambda x: x, argnums=1)(1.0)
    with pytest.raises(TypeError, match="must return a Value"):
        autograd.grad(lambda x: 3.0)(1.0)


def test_gradcheck_passes_correct_and_reports_wrong_gradients():
    assert autograd.gradcheck(lambda x, y: (x * y).tanh() + x.exp() / y, 0.3, 1.2) is True
    assert autograd.gradcheck(lambda x: x.sigmoid() * x.log(), Value(2.0)) is True

    # A deliberately wrong op (derivative 1 instead of 2x) must be caught with a table.
    wrong_square = autograd.Op("bad_square", forward=lambda x: x * x, local=lambda out, x: (1.0,))

    def f(x):
        return wrong_square(x)

    with pytest.raises(AssertionError) as raised:
        autograd.gradcheck(f, 3.0)
    table = str(raised.value)
    lines = table.splitlines()
    header = next(line for line in lines if line.split()[:1] == ["input"])
    assert header.split() == ["input", "value", "analytic", "numeric", "error"]
    rows = [line for line in lines[lines.index(header) + 1 :] if line.strip()]
    assert len(rows) == 1 and rows[0].endswith("<-- mismatch")
    cells = dict(zip(header.split(), rows[0].split()[:5], strict=True))
    # By hand: input 0 is x = 3; the wrong rule says 1; d/dx x^2 at 3 is 2*3 = 6.
    assert int(cells["input"]) == 0
    assert float(cells["value"]) == 3.0
    assert float(cells["analytic"]) == 1.0
    assert float(cells["numeric"]) == pytest.approx(6.0, abs=1e-4)
    assert float(cells["error"]) == pytest.approx(5.0, abs=1e-4)
    with pytest.raises(ValueError, match="eps"):
        autograd.gradcheck(lambda x: x, 1.0, eps=0.0)


def test_batched_values_broadcast_and_sum_over_the_batch():
    xs = np.array([0.5, -1.0, 2.0])
    x = Value(xs)
    w = Value(0.7)
    loss = (x * w).tanh().mean()
    loss.backward()
    # d/dw mean(tanh(w x_i)) = mean((1 - tanh(w x_i)^2) x_i), by hand with numpy.
    assert w.grad == pytest.approx(np.mean((1 - np.tanh(0.7 * xs) ** 2) * xs), rel=1e-14)
    assert x.grad == pytest.approx((1 - np.tanh(0.7 * xs) ** 2) * 0.7 / 3, rel=1e-14)
    with pytest.raises(ValueError, match="broadcast"):
        Value(np.ones(3)) + Value(np.ones(4))
    with pytest.raises(ValueError, match="log"):
        Value(np.array([1.0, -1.0])).log()
