"""trace(root) (steps.py): the engine's own backward pass, watched, bit for bit; describe's arithmetic holds at the
digits it shows."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings

import autograd
import nn
from autograd import Value, trace
from autograd.show import describe, final_gradients, node_names

from ...helpers import central_difference, holds, read_exact
from ...networks import evaluate, graphs, network_221, two_paths


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


# -- the arithmetic a caption shows holds at the digits it shows -------------------------------------------
ROW = re.compile(r"\.grad = (\S+) · (\S+) ([=≈]) (\S+), now ")


def as_written(x: float, like: str) -> str:
    """x rounded to as many significant digits as ``like`` shows (4, or more where the arithmetic needs them)."""
    digits = max(4, len(like.strip("()\u2212").split("e")[0].replace(".", "").lstrip("0")))
    return f"{x + 0.0:.{digits}g}".replace("-", "\u2212")


def backward_rows(steps, names) -> list[tuple[str, str, str, str]]:
    """(local, upstream, = or ≈, added) as the caption of each backward row shows them."""
    rows = [ROW.search(line).groups() for s in steps if s.kind == "backward" for line in describe(s, names)]
    assert rows
    return rows


def test_every_backward_row_of_the_221_network_multiplies_out_at_the_digits_it_shows():
    loss, _ = network_221()
    stepper = autograd.Stepper(loss)
    rows = backward_rows(stepper.steps, stepper.names)
    assert len(rows) == 26  # the graph's 28 edges but those into the constants ½ and y*
    for local, upstream, equals, added in rows:
        assert equals == "="
        assert holds(read_exact(local) * read_exact(upstream), added), (local, upstream, added)
    # The page's table shows the same numbers: local × upstream = adds, on every row.
    spec = stepper._spec(stepper.scene)
    for frame in spec["frames"]:
        for row in frame.get("rows", []):
            assert holds(read_exact(row["local"]) * read_exact(frame["upstream"]), row["added"]), row
    # 1.4 · 0.7124 = 0.99736 would read 0.9974; the engine's z2.grad is 0.9973, so v2.grad gets a digit more.
    assert ("1.4", "0.71238", "=", "0.9973") in rows


def test_every_forward_caption_of_the_221_network_computes_at_the_digits_it_shows():
    loss, _ = network_221()
    stepper = autograd.Stepper(loss)
    sigmoid = lambda s: 1 / (1 + math.exp(-s))  # noqa: E731
    for frame in stepper.frames:
        if frame.kind != "forward":
            continue
        numbers, result = frame.caption[0].split(" = ")[-2:]
        python = numbers.replace("·", "*").replace("\u2212", "-").replace("²", "**2").replace("σ", "sigmoid")
        assert as_written(eval(python, {"sigmoid": sigmoid}), result) == result, frame.caption  # noqa: S307


@settings(max_examples=100, deadline=None)
@given(graphs)
def test_backward_rows_multiply_out_on_random_graphs(program):
    inputs = [Value(v, label=f"a{i}") for i, v in enumerate(program[0])]
    out = evaluate(program, inputs)
    steps = trace(out, fresh=True)
    names = node_names(autograd.topological_order(out))
    for step in steps:
        if step.kind != "backward":
            continue
        for (local, upstream, equals, added), edge in zip(backward_rows([step], names), step.edges):
            assert added == as_written(edge.contribution, added)  # the engine's own contribution, rounded
            if equals == "≈":  # said to be rounded: not even the exact local × upstream gives it (subnormals)
                exact = Decimal(edge.local) * Decimal(step.grad)
                assert not holds(exact, as_written(edge.contribution, "1.234")), (local, upstream, added)
                continue
            assert holds(read_exact(local) * read_exact(upstream), added), (local, upstream, added)


# -- the steps of an nn model: a parameter's entries are leaves ---------------------------------------------
def test_trace_of_a_model_has_no_step_about_indexing_and_each_entry_gets_its_gradient():
    model = nn.MLP(2, [2, 1], activation="sigmoid", seed=0)
    loss = nn.mse_loss(model([0.5, -0.2]), 1.0)
    steps = trace(loss)
    matrices = {id(p) for p in model.parameters()}
    assert not any(id(s.node) in matrices for s in steps)
    assert not any(id(e.parent) in matrices for s in steps for e in s.edges)
    entries = [s.node for s in steps if s.kind == "forward" and s.node.op == "index"]
    assert len(entries) == 2 * 2 + 2 + 2 * 1 + 1
    assert all(s.kind == "forward" and not s.edges for s in steps if s.node.op == "index")
    names = node_names(autograd.topological_order(loss))
    for s in steps:
        if s.kind == "forward" and s.node.op == "index":
            assert describe(s, names)[0].endswith("(an input or parameter: a leaf)")
    # What the steps leave in each entry is what backward() leaves in its place of W (by hand: dL/dw = delta · input).
    replay = final_gradients(steps)
    loss.backward()
    W = model.layers[1].W
    for entry in entries:
        if entry.label.startswith("w[1,"):
            j, i = map(int, entry.label[4:-1].split(","))
            assert replay[id(entry)] == W.grad[j, i]


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
