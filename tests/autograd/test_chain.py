"""The backward pass (chain.py): gradients summed over every path, leaves that accumulate, interior gradients
recomputed or released, create_graph, the seed of a batch, a million nodes deep; and random graphs with
shared subexpressions against central differences and PyTorch float64."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

import autograd
import nn
from autograd import Value

from ..helpers import central_difference, requires_torch, torch
from ..networks import evaluate, graphs


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


def test_a_million_node_chain_runs_backward():
    c = 1.0000001
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * c
    y.backward()
    assert x.grad == pytest.approx(math.exp(1_000_000 * math.log(c)), rel=1e-9)


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


def test_backward_without_interior_gradients_gives_the_leaves_the_same_numbers():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(20, 2))
    y = np.where(rng.normal(size=20) > 0, 1.0, -1.0)
    model = nn.MLP(2, [8, 8, 1], seed=1)

    def step(keep: bool):
        model.zero_grad()
        out = model(X)
        loss = nn.hinge_loss(out, y) + nn.l2_penalty(model, 1e-3)
        loss.backward(keep_interior=keep)
        return loss, out, [p.grad.copy() for p in model.parameters()]

    loss_kept, out_kept, kept = step(True)
    loss_lean, out_lean, lean = step(False)
    for a, b in zip(kept, lean):
        assert np.array_equal(a, b)
    assert isinstance(out_kept.grad, np.ndarray)  # kept: readable on every interior node
    interior = [n for n in autograd.topological_order(loss_lean) if n.parents]
    assert interior and all(n.grad is None for n in interior)
    loss_lean.backward()  # a second pass over the same graph starts the interior afresh
    assert isinstance(out_lean.grad, np.ndarray)
    assert np.allclose(out_lean.grad, out_kept.grad, rtol=0, atol=0)


def test_backward_with_create_graph_gives_a_gradient_that_can_be_differentiated():
    x = Value(2.0)
    y = x**3 + x.sin()
    y.backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Value)
    assert first.data == pytest.approx(3 * 4.0 + math.cos(2.0), rel=1e-15)  # 3x² + cos x
    x.grad = 0.0
    first.backward()
    assert x.grad == pytest.approx(6 * 2.0 - math.sin(2.0), rel=1e-14)  # 6x - sin x


def test_backward_seeds_a_batch_with_its_gradient():
    x = Value(np.array([1.0, 2.0, 3.0]))
    y = x * x
    with pytest.raises(ValueError, match="gradient="):
        y.backward()
    y.backward(gradient=np.array([1.0, 0.5, -1.0]))
    np.testing.assert_array_equal(x.grad, [2.0 * 1.0, 4.0 * 0.5, 6.0 * -1.0])  # 2x · seed


# -- random graphs with shared subexpressions (tests/networks.py) -----------------------------------------


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_random_graphs_match_central_differences(program):
    xs = program[0]
    leaves = [Value(x) for x in xs]
    evaluate(program, leaves).backward()
    for i, leaf in enumerate(leaves):
        numeric = central_difference(lambda *v: evaluate(program, v), xs, i, eps=1e-6)
        assert math.isclose(leaf.grad, numeric, rel_tol=1e-5, abs_tol=1e-6), (i, leaf.grad, numeric)


def assert_gradients_match_pytorch(program, backward, scale: float = 1.0):
    """``backward`` run on the program's output (times ``scale``, a constant) gives each leaf PyTorch's gradient."""
    xs = program[0]
    leaves = [Value(x) for x in xs]
    out = evaluate(program, leaves) * scale if scale != 1.0 else evaluate(program, leaves)
    backward(out)
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    reference = evaluate(program, tensors) * scale
    reference.backward()
    assert math.isclose(out.data, reference.item(), rel_tol=1e-12, abs_tol=1e-12)
    for leaf, tensor in zip(leaves, tensors):
        expected = 0.0 if tensor.grad is None else tensor.grad.item()  # unused input
        assert math.isclose(leaf.grad, expected, rel_tol=1e-9, abs_tol=1e-12), (leaf.grad, expected)


@requires_torch
@settings(max_examples=200, deadline=None)
@given(graphs)
def test_random_graphs_match_pytorch_float64(program):
    assert_gradients_match_pytorch(program, Value.backward)


def plain_loop_of_the_docstring():
    """The loop chain.py's docstring shows a learner, as a function of the root (it runs as written)."""
    text = autograd.chain.__doc__.split("::", 1)[1].split("\n\n")[1]
    body = "\n".join("    " + line[4:] for line in text.splitlines())
    found = {"topological_order": autograd.topological_order}
    exec(f"def plain_backward(root):\n{body}\n", found)
    return found["plain_backward"]


@requires_torch
@settings(max_examples=100, deadline=None)
@given(graphs)
def test_the_plain_loop_of_the_docstring_gives_what_pytorch_gives(program):
    # With a constant (the 2 of 2 * x) in the graph too, which receives no gradient.
    assert_gradients_match_pytorch(program, plain_loop_of_the_docstring(), scale=2.0)


def test_a_pass_that_fails_halfway_leaves_the_graph_ready_for_the_next_one():
    # An op whose local derivative raises the first time it is asked: the pass stops in the middle.
    calls = []

    def local(out, x):
        calls.append(x)
        if len(calls) == 1:
            raise RuntimeError("once")
        return (3.0 * x * x,)

    cube = autograd.Op("cube", forward=lambda x: x**3, local=local)
    x = Value(np.array([2.0, 1.0]))
    x.grad = np.array([5.0, 5.0])  # a leaf keeps what it held before
    shared = x * 2.0  # an interior node reached by two paths
    out = (cube(shared) + shared * autograd.constant(3.0)).sum()
    with pytest.raises(RuntimeError, match="once"):
        out.backward()
    assert all(node._pending == 0 for node in autograd.topological_order(out))
    assert shared.grad.__class__ is float and shared.grad == 0.0  # no gradient left half made
    assert out.parents[0].parents[1].parents[1].grad is None  # the constant still needs no gradient
    np.testing.assert_array_equal(x.grad, [5.0, 5.0])
    out.backward()  # d/dx Σ (8x³ + 6x) = 24x² + 6 on top of the 5 it held: [107, 35]
    np.testing.assert_array_equal(x.grad, [5.0 + 24.0 * 4.0 + 6.0, 5.0 + 24.0 + 6.0])
