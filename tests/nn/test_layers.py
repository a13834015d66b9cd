"""Neurons, layers, Sequential and MLP (layers.py) against hand values, NumPy backpropagation and PyTorch."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest

import autograd
import nn
from autograd import Value

from ..helpers import requires_torch, torch

RNG = np.random.default_rng(0)


def test_same_seed_same_network_and_documented_initialisation():
    a, b, c = nn.MLP(2, [8, 1], seed=3), nn.MLP(2, [8, 1], seed=3), nn.MLP(2, [8, 1], seed=4)
    assert a.state_dict() == b.state_dict() != c.state_dict()
    rng = np.random.default_rng(5)
    layer = nn.Layer(400, 50, init="uniform", rng=rng, bias=0.1)
    assert np.all(np.abs(layer.W.data) <= 1 / math.sqrt(400)) and np.all(layer.b.data == 0.1)
    he = nn.Layer(400, 50, seed=1).W.data
    assert he.std() == pytest.approx(math.sqrt(2 / 400), rel=0.05)


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(ValueError) as raised:
        nn.MLP(2, [3, 1], activation="swish")
    for name in nn.ACTIVATIONS:
        assert name in str(raised.value)


@pytest.mark.parametrize("activation", sorted(nn.ACTIVATIONS))
def test_neuron_computes_activation_of_weighted_sum(activation):
    neuron = nn.Neuron(3, activation, seed=0)
    x = [0.5, -1.0, 2.0]
    s = float(neuron.W.data[0] @ np.array(x) + neuron.b.data[0])
    expected = {
        "linear": s,
        "relu": max(s, 0.0),
        "leaky_relu": s if s > 0 else 0.01 * s,
        "tanh": math.tanh(s),
        "sigmoid": 1 / (1 + math.exp(-s)),
        "softplus": math.log1p(math.exp(s)),
        "step": float(s >= 0),
        "abs": abs(s),
    }[activation]
    assert neuron(x).data == pytest.approx(expected, rel=1e-12)  # one example: one Value
    assert neuron(np.array([x, x])).data == pytest.approx(np.full((2, 1), expected), rel=1e-12)  # a batch of rows


def test_sequential_takes_an_mlp_as_a_layer():
    inner = nn.MLP(2, [3, 2], seed=0)
    model = nn.Sequential(inner, nn.Layer(2, 1, activation="sigmoid", seed=1))
    out = model([1.0, -2.0])
    assert isinstance(out, Value) and 0 < out.data < 1  # one output: that Value, not a list of one
    assert model.num_parameters() == inner.num_parameters() + 3
    assert "MLP" in repr(model) and "Layer(2 -> 1, sigmoid)" in repr(model)


def test_mlp_takes_batched_inputs_and_matches_a_numpy_forward_pass():
    X = np.random.default_rng(0).normal(size=(7, 3))
    model = nn.MLP(3, [5, 2], activation="tanh", seed=1)
    out = model([Value(X[:, j]) for j in range(3)])  # one batched Value per feature: one per output back
    W = [layer.W.data for layer in model.layers]
    b = [layer.b.data for layer in model.layers]
    expected = W[1] @ np.tanh(W[0] @ X.T + b[0][:, None]) + b[1][:, None]
    assert np.max(np.abs(np.array([o.data for o in out]) - expected)) < 1e-12
    assert np.max(np.abs(model(Value(X)).data - expected.T)) < 1e-12  # rows in, rows out
    assert np.max(np.abs(nn.predict(model, X) - expected.T)) < 1e-12


def test_the_older_batched_form_is_a_matrix_with_its_columns_handed_back():
    # One batched Value per feature, as nn took batches before: the same numbers as rows in one matrix.
    X = RNG.normal(size=(5, 3))
    model = nn.MLP(3, [4, 2], activation="tanh", seed=3)
    columns = model([Value(X[:, j]) for j in range(3)])
    rows = model(Value(X))
    assert len(columns) == 2 and rows.shape == (5, 2)
    for j in range(2):
        np.testing.assert_array_equal(columns[j].data, rows.data[:, j])


def test_the_data_a_network_reads_is_a_constant_named_X_and_costs_no_gradient():
    X = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]])
    model = nn.MLP(2, [3, 1], seed=0)
    out = model(X)
    loss = (out * out).mean()
    loss.backward()
    data = [n for n in autograd.topological_order(loss) if n.label == "X"]
    assert len(data) == 1 and data[0].is_constant and data[0].grad is None
    grads = [p.grad.copy() for p in model.parameters()]
    # the same network fed a Value: the input gets its gradient, the parameters the same ones
    model.zero_grad()
    Xv = Value(X)
    out_v = model(Xv)
    (out_v * out_v).mean().backward()
    for p, expected in zip(model.parameters(), grads):
        assert np.allclose(p.grad, expected, rtol=0, atol=1e-15)
    assert Xv.grad.shape == X.shape and np.any(Xv.grad != 0.0)


def _numpy_backprop(weights, biases, X, y, alpha):
    """The lectures' matrix form: forward a = relu(W a + b), deltas backwards, grad W = delta a^T / m + alpha W."""
    activations, pre = [X.T], []
    for i, (W, b) in enumerate(zip(weights, biases)):
        z = W @ activations[-1] + b[:, None]
        pre.append(z)
        activations.append(np.maximum(z, 0) if i < len(weights) - 1 else z)
    m = X.shape[0]
    delta = activations[-1] - y[None, :]  # d/dz of 1/2 (z - y)^2 summed, then averaged by /m below
    grads = []
    for i in reversed(range(len(weights))):
        grads.append((delta @ activations[i].T / m + alpha * weights[i], delta.mean(axis=1) + alpha * biases[i]))
        if i:
            delta = (weights[i].T @ delta) * (pre[i - 1] > 0)
    return grads[::-1]


@pytest.mark.parametrize("graph", ["matrix", "neuron", "products"])
def test_gradients_equal_numpy_matrix_backprop(graph):
    X, y = nn.data.make_moons(12, seed=4)
    model = nn.MLP(2, [5, 4, 1], seed=2, graph="products" if graph == "products" else "neuron")
    alpha = 1e-2
    predictions = (
        model(X) if graph == "matrix" else [model(list(row)) for row in X]
    )  # a matrix node per layer, or per neuron
    loss = 0.5 * nn.mse_loss(predictions, y.astype(float)) + nn.l2_penalty(model, alpha)
    loss.backward()
    weights = [layer.W.data for layer in model.layers]
    biases = [layer.b.data for layer in model.layers]
    for layer, (gW, gb) in zip(model.layers, _numpy_backprop(weights, biases, X, y.astype(float), alpha)):
        assert layer.W.grad.shape == layer.W.shape and layer.b.grad.shape == layer.b.shape
        assert np.max(np.abs(layer.W.grad - gW)) < 1e-10
        assert np.max(np.abs(layer.b.grad - gb)) < 1e-10


@requires_torch
def test_mlp_gradients_match_torch():
    X, y = nn.data.make_blobs(9, seed=1)
    model = nn.MLP(2, [4, 3], activation="tanh", seed=0)
    loss = nn.cross_entropy([model(list(row)) for row in X], y.tolist())
    loss.backward()
    layers = [torch.nn.Linear(layer.nin, layer.nout) for layer in model.layers]
    with torch.no_grad():
        for ours, theirs in zip(model.layers, layers):
            theirs.weight.copy_(torch.tensor(ours.W.data))
            theirs.bias.copy_(torch.tensor(ours.b.data))
    reference = torch.nn.functional.cross_entropy(layers[1](torch.tanh(layers[0](torch.tensor(X)))), torch.tensor(y))
    reference.backward()
    assert loss.data == pytest.approx(reference.item(), rel=1e-12)
    for ours, theirs in zip(model.layers, layers):
        assert np.max(np.abs(ours.W.grad - theirs.weight.grad.numpy())) < 1e-12
        assert np.max(np.abs(ours.b.grad - theirs.bias.grad.numpy())) < 1e-12


def test_parameters_are_labelled_by_their_place_for_drawings():
    model = nn.MLP(3, [2, 1], seed=0)
    labels = {name: p.label for name, p in model.named_parameters()}
    assert labels == {"layers.0.W": "W[0]", "layers.0.b": "b[0]", "layers.1.W": "W[1]", "layers.1.b": "b[1]"}
    out = model([1.0, 2.0, 3.0])  # one example: a node per neuron, reading the entries of W
    names = {n.label for n in autograd.topological_order(out)}
    assert {"w[1,0,1]", "b[0,1]", "z[0,1]", "h[0,1]", "z[1,0]"} <= names
    assert "w[1,0,1]" in autograd.draw(out).source
    batch = model(np.ones((4, 3)))
    assert {"z[0]", "h[0]", "z[1]", "W[1]"} <= {n.label for n in autograd.topological_order(batch)}


def test_a_large_layer_makes_no_label_per_weight_until_the_scalar_graph_needs_one():
    tracemalloc.start()
    try:
        layer = nn.Layer(1000, 1000, "linear", seed=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * 8 * 10**6  # the weights are 8 MB; a label string per weight would be about 60 MB more
    out = nn.Layer(3, 2, "tanh", seed=0)([1.0, 2.0, 3.0])
    names = {n.label for n in autograd.topological_order(out[1])}
    assert {"w[1,0]", "w[1,2]", "b[1]", "z[1]", "h[1]"} <= names
    assert layer.W.label == "W" and layer.b.label == "b"


# -- the graph of one example --------------------------------------------------------------------------------
def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_one_example_is_the_lectures_graph_a_node_per_product_with_named_inputs():
    model = nn.MLP(2, [2, 1], activation="sigmoid", seed=0)
    out = model([0.5, -0.2])
    nodes = autograd.topological_order(out)
    labels = {n.label for n in nodes}
    products = [n for n in nodes if n.op == "*"]
    assert sorted(n.label for n in products) == sorted(
        ["wx[0,0,0]", "wx[0,0,1]", "wx[0,1,0]", "wx[0,1,1]", "wx[1,0,0]", "wx[1,0,1]"]
    )  # one per weight: 2·2 + 2·1
    assert {"z[0,0]", "z[0,1]", "h[0,0]", "h[0,1]", "z[1,0]", "b[0,1]", "w[1,0,1]"} <= labels
    # z[l,j] is one sum of the products and the bias; its value is w·x + b, by hand.
    z00 = next(n for n in nodes if n.label == "z[0,0]")
    assert {p.label for p in z00.parents} == {"wx[0,0,0]", "wx[0,0,1]", "b[0,0]"}
    W, b = model.layers[0].W.data, model.layers[0].b.data
    assert z00.data == pytest.approx(W[0, 0] * 0.5 + W[0, 1] * -0.2 + b[0], abs=1e-15)
    # Plain numbers are the constant inputs x1, x2; a Value keeps its own label.
    inputs = {n.label: n for n in nodes if not n.parents and n.grad is None}
    assert set(inputs) == {"x1", "x2"} and (inputs["x1"].data, inputs["x2"].data) == (0.5, -0.2)
    mine = Value(0.5, label="a")
    labels = {n.label for n in autograd.topological_order(model([mine, -0.2]))}
    assert "a" in labels and "x2" in labels and "x1" not in labels


def test_w_grad_is_the_sum_of_its_entries_gradients_and_the_lectures_matrix_formula():
    model = nn.MLP(2, [2, 1], activation="sigmoid", seed=0)
    examples, targets = np.array([[0.5, -0.2], [-1.0, 0.8]]), np.array([1.0, 0.0])
    loss = nn.mse_loss([model(list(x)) for x in examples], targets.tolist())
    loss.backward()
    # By hand (the lectures' delta recursion), the mean over both examples of (z2 - y)^2.
    W1, b1, W2, b2 = (p.data for p in model.parameters())
    grads = [np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)]
    for x, y in zip(examples, targets):
        a1 = _sigmoid(W1 @ x + b1)
        delta2 = 2 * (W2 @ a1 + b2 - y) / len(examples)
        delta1 = (W2.T @ delta2) * a1 * (1 - a1)
        for g, term in zip(grads, (np.outer(delta1, x), delta1, np.outer(delta2, a1), delta2)):
            g += term
    entries = {n.label: n for n in autograd.topological_order(loss) if n.op == "index"}
    for layer, (W, b) in enumerate(zip(grads[::2], grads[1::2])):
        param_W, param_b = model.layers[layer].W, model.layers[layer].b
        np.testing.assert_allclose(param_W.grad, W, rtol=0, atol=1e-14)
        np.testing.assert_allclose(param_b.grad, b, rtol=0, atol=1e-14)
        # Both examples read the same entries: each entry's gradient is its matrix's, position by position.
        from_entries = np.array(
            [[entries[f"w[{layer},{j},{i}]"].grad for i in range(W.shape[1])] for j in range(W.shape[0])]
        )
        assert np.array_equal(param_W.grad, from_entries)
        assert np.array_equal(param_b.grad, [entries[f"b[{layer},{j}]"].grad for j in range(len(b))])


def test_fit_without_batches_trains_on_one_node_per_neuron_whatever_the_layers_draw():
    X, y = nn.data.make_moons(6, seed=0)
    model = nn.MLP(2, [3, 1], seed=0)
    seen = []

    def loss(outputs, targets):
        seen.append({n.op for n in autograd.topological_order(outputs[0])})
        return nn.mse_loss(outputs, targets.astype(float).tolist())

    nn.fit(model, X, y, loss=loss, epochs=2, batched=False)
    assert seen and all("w·x+b" in ops and "*" not in ops for ops in seen)
    assert model.graph == "products"  # the model's own setting is untouched ...
    ops = {n.op for n in autograd.topological_order(model([0.1, 0.2]))}
    assert "*" in ops and "w·x+b" not in ops  # ... and outside fit it draws the products again
    with nn.layers.one_example_graph("neuron"):
        assert "w·x+b" in {n.op for n in autograd.topological_order(model([0.1, 0.2]))}
        with nn.layers.one_example_graph("products"):  # the innermost setting holds, then the outer one again
            assert "*" in {n.op for n in autograd.topological_order(model([0.1, 0.2]))}
        assert "w·x+b" in {n.op for n in autograd.topological_order(model([0.1, 0.2]))}
    with (
        pytest.raises(ValueError, match="unknown graph 'nodes'; choose one of: neuron, products"),
        nn.layers.one_example_graph("nodes"),
    ):
        pass
