"""trace(root) (steps.py): the engine's own backward pass, watched, bit for bit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import autograd
from autograd import Value, trace
from autograd.show import describe, final_gradients, node_names

from ...helpers import central_difference
from ...networks import evaluate, graphs, two_paths


def test_trace_records_the_backward_pass_exactly_and_changes_nothing():
    out, (x, y, z) = two_paths()
    before = [n.grad for n in autograd.topological_order(out)]
    steps = trace(out)
    assert [n.grad for n in autograd.topological_order(out)] == before  # trace leaves no gradient behind
    replay = final_gradients(steps)
    out.backward()
    for node in autograd.topological_order(out):
        assert replay[id(node)] == node.grad  # bit for bit: the same pass, not a copy of it
    # out = x^2 y + x y: d/dx = 2xy + y, d/dy = x^2 + x, d/dz = x + 1 (by hand)
    assert (x.grad, y.grad, z.grad) == (2 * 3.0 * -2.0 + -2.0, 3.0**2 + 3.0, 3.0 + 1)
    x_edges = [e for s in steps for e in s.edges if e.parent is x]
    assert len(x_edges) == 2 and x_edges[-1].parent_grad_after == x.grad  # two edges out of x (three paths)
    # Each edge starts from what the last one left: the running sum over paths.
    assert x_edges[0].parent_grad_before == 0.0
    assert x_edges[1].parent_grad_before == x_edges[0].parent_grad_after


@settings(max_examples=150, deadline=None)
@given(graphs)
def test_trace_agrees_with_backward_on_random_graphs(program):
    inputs = [Value(v) for v in program[0]]
    out = evaluate(program, inputs)
    steps = trace(out, fresh=True)
    replay = final_gradients(steps)
    out.backward()
    for i, x in enumerate(inputs):
        assert replay.get(id(x), 0.0) == x.grad
        assert x.grad == pytest.approx(
            central_difference(lambda *v: evaluate(program, v), program[0], i), rel=1e-5, abs=1e-6
        )


def test_a_caption_names_the_local_derivative_of_the_edge_it_describes_when_a_factor_is_a_constant():
    # L = half · e2 with half a constant: by hand dL/de2 = half, and half gets no edge and no caption.
    e2 = Value(3.0, label="e2")
    half = autograd.constant(0.5, label="half")
    loss = half * e2
    loss.label = "L"
    names = node_names(autograd.topological_order(loss))
    (step,) = [s for s in trace(loss) if s.kind == "backward"]
    (caption,) = describe(step, names)
    assert caption.startswith("e2.grad += ∂L/∂e2 · L.grad = 0.5 · 1 = 0.5") and caption.endswith("[∂L/∂e2 = half]")
