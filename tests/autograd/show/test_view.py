"""What a picture shows (view.py): a parameter's entries as leaves without their matrix, and the nodes layer by
layer, inputs first, as a person computes by hand."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np

import autograd
import nn
from autograd import Value, draw, explain
from autograd.show.view import is_entry, shown_order, shown_parents

from ...networks import network_221

SVG = "{http://www.w3.org/2000/svg}"


def mlp_loss(sizes=(4, 4, 1), activation="relu"):
    model = nn.MLP(2, list(sizes), activation=activation, seed=0)
    return nn.mse_loss(model([0.5, -0.2]), 1.0), model


def test_an_entry_of_a_parameter_is_a_leaf_and_its_matrix_is_not_shown():
    loss, model = mlp_loss()
    order = autograd.topological_order(loss)
    shown = shown_order(order)
    matrices = {id(p) for p in model.parameters()}
    entries = [n for n in order if n.op == "index"]
    assert len(entries) == 8 + 4 + 16 + 4 + 4 + 1  # every weight and bias of the 2-4-4-1 network, read once
    assert all(is_entry(n) and shown_parents(n) == () for n in entries)
    assert {id(n) for n in shown} == {id(n) for n in order} - matrices  # all but W and b
    assert not any(n.op == "index" and shown_parents(n) for n in shown)
    # The drawing has the same boxes and no arrow out of a matrix: one arrow per shown parent.
    graph = draw(loss)
    root = ET.fromstring(graph.svg())
    names = [t.text for t in root.iter(f"{SVG}tspan") if t.get("font-weight") == "bold"]
    assert len(names) == len(shown) and not any(re.fullmatch(r"[Wb]\[\d\]", n) for n in names)
    ops = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "cr-opname"]
    assert "index" not in ops
    edges = [p for p in root.iter(f"{SVG}path") if p.get("class") == "cr-edge"]
    assert len(edges) == sum(len(shown_parents(n)) for n in shown)
    # An entry is drawn as a leaf is: blue, no op symbol.
    entry_boxes = [g for g in root.iter(f"{SVG}g") if "cr-leaf" in (g.get("class") or "")]
    assert len(entry_boxes) == len(entries)


def test_explain_names_the_nodes_as_the_drawing_does():
    loss, model = mlp_loss()
    weight = next(n for n in autograd.topological_order(loss) if n.label == "w[1,0,2]")
    found = explain(loss, weight)
    graph = draw(loss)
    assert found.names == graph.scene.names
    # w[1,0,2] reads h[0,2] into neuron 0 of layer 1; one path reaches it: L ← z[2,0] ← ... ← wx[1,0,2].
    assert len(found.paths) == 1
    assert [found.names[id(p)] for _, p in found.paths[0].edges][-3:] == ["z[1,0]", "wx[1,0,2]", "w[1,0,2]"]


def test_nodes_come_layer_by_layer_inputs_first():
    loss, _ = mlp_loss()
    shown = shown_order(autograd.topological_order(loss))
    labels = [n.label for n in shown]
    leaves = [n.label or f"{n.data:g}" for n in shown if not shown_parents(n)]
    # By hand: the inputs, then each layer's weights (row by row) and biases, then the target y*.
    expected = ["x1", "x2"]
    for layer, (nout, nin) in enumerate([(4, 2), (4, 4), (1, 4)]):
        expected += [f"w[{layer},{j},{i}]" for j in range(nout) for i in range(nin)]
        expected += [f"b[{layer},{j}]" for j in range(nout)]
    assert leaves == expected + ["y*"]
    ops = labels[len(leaves) :]
    stages = [re.match(r"(wx|z|h)\[(\d)", label) for label in ops[:-2]]
    # Each layer's products, then its sums, then its activations; layer 0 first.
    assert [(int(m[2]), m[1]) for m in stages] == sorted(
        [(int(m[2]), m[1]) for m in stages], key=lambda s: (s[0], ["wx", "z", "h"].index(s[1]))
    )
    assert ops[:8] == [f"wx[0,{j},{i}]" for j in range(4) for i in range(2)]
    assert shown[-1] is loss


def test_the_221_network_reads_as_the_lecture_computes_it():
    loss, V = network_221()
    shown = shown_order(autograd.topological_order(loss))
    names = [n.label for n in shown]
    assert names == [
        "x1", "x2", "w11h", "w21h", "w12h", "w22h", "w01h", "w02h", "w11o", "w21o", "w01o", "y*", "½",
        "u11", "u21", "u12", "u22", "s1", "s2", "z1", "z2", "v1", "v2", "y", "e", "e2", "L",
    ]  # fmt: skip


def test_a_matrix_used_as_a_whole_stays_in_the_picture():
    # An L2 penalty reads W itself: W is drawn, with its arrow into the penalty, and still no arrow into its entries.
    W = Value(np.array([[0.5, -1.0]]), label="W")
    x = [autograd.constant(2.0, label="x1"), autograd.constant(3.0, label="x2")]
    out = W[0, 0] * x[0] + W[0, 1] * x[1] + (W * W).sum()
    shown = shown_order(autograd.topological_order(out))
    assert any(n is W for n in shown)
    assert [n.op for n in shown if any(p is W for p in shown_parents(n))] == ["*"]  # W · W, and no entry
    # Entries of a constant matrix are not parameters: they stay index nodes of the drawing.
    data = autograd.constant(np.array([1.0, 2.0]), label="data")
    picked = data[1] * Value(3.0)
    assert any(n.op == "index" and shown_parents(n) for n in shown_order(autograd.topological_order(picked)))
