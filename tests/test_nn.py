"""nn: modules, saving, losses, optimizers, data and training, against hand and NumPy values."""

from __future__ import annotations

import json
import math
import tracemalloc

import numpy as np
import pytest

import autograd
import nn
from autograd import Value

from .helpers import requires_torch, torch


def test_parameter_count_matches_the_lectures_hand_count():
    # 10 inputs -> 10 -> 5 -> 1: (10*10 + 10) + (10*5 + 5) + (5*1 + 1) = 171.
    assert nn.MLP(10, [10, 5, 1]).num_parameters() == 171


def test_named_parameters_use_dotted_paths():
    params = nn.MLP(3, [4, 2], seed=0).named_parameters()
    assert [name for name, _ in params] == ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"]
    assert [p.shape for _, p in params] == [(4, 3), (4,), (2, 4), (2,)]  # W is (outputs, inputs), as in PyTorch
    assert nn.MLP(3, [4, 2]).num_parameters() == 3 * 4 + 4 + 4 * 2 + 2


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


def test_save_and_load_are_bit_identical(tmp_path):
    model = nn.Sequential(nn.MLP(2, [5, 3], activation="tanh", seed=7), nn.Neuron(3, "sigmoid", seed=8))
    path = tmp_path / "model.json"
    model.save(path)
    loaded = nn.Module.load(path)
    assert loaded.state_dict() == model.state_dict()
    assert type(loaded) is nn.Sequential
    x = [0.3, -0.8]
    assert loaded(x).data == model(x).data
    assert json.loads(path.read_text())["format"] == "chainrule.model"


def test_files_of_the_first_format_still_load(tmp_path):
    # Version 1 stored one number per weight: layers.L.neurons.J.w.I and layers.L.neurons.J.b.
    W0, b0, W1, b1 = [[1.0, -2.0], [0.5, 0.25], [3.0, -1.0]], [0.1, 0.2, 0.3], [[2.0, -1.0, 0.5]], [-0.5]
    state = {f"layers.0.neurons.{j}.w.{i}": W0[j][i] for j in range(3) for i in range(2)}
    state |= {f"layers.0.neurons.{j}.b": b0[j] for j in range(3)}
    state |= {f"layers.1.neurons.0.w.{i}": W1[0][i] for i in range(3)} | {"layers.1.neurons.0.b": b1[0]}
    config = {"type": "MLP", "nin": 2, "nouts": [3, 1], "activation": "relu", "output_activation": "linear"}
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"format": "chainrule.model", "version": 1, "model": config, "state": state}))
    model = nn.Module.load(path)
    assert model.layers[0].W.data.tolist() == W0 and model.layers[0].b.data.tolist() == b0
    assert model.layers[1].W.data.tolist() == W1 and model.layers[1].b.data.tolist() == b1
    x = np.array([0.5, -1.0])
    h = np.maximum(np.array(W0) @ x + b0, 0)
    assert model(list(x)).data == pytest.approx(float((np.array(W1) @ h + b1)[0]), rel=1e-15)  # by hand
    neuron = {"format": "chainrule.model", "version": 1, "model": {"type": "Neuron", "nin": 2, "activation": "tanh"}}
    path.write_text(json.dumps({**neuron, "state": {"w.0": 0.5, "w.1": -1.0, "b": 0.25}}))
    assert nn.Module.load(path).W.data.tolist() == [[0.5, -1.0]]
    path.write_text(json.dumps({**neuron, "state": {"w.0": 0.5, "b": 0.25}}))
    with pytest.raises(ValueError, match="missing parameter 'w.1'"):
        nn.Module.load(path)


def test_loading_a_mismatched_file_names_the_first_mismatch_and_changes_nothing(tmp_path):
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    state = dict(before)
    del state["layers.0.b"]
    with pytest.raises(ValueError, match=r"layers\.0\.b"):
        model.load_state_dict(state)
    state = dict(before, **{"layers.0.b": [float("nan")] * 3})
    with pytest.raises(ValueError, match="finite"):
        model.load_state_dict(state)
    assert model.state_dict() == before
    path = tmp_path / "other.json"
    nn.MLP(2, [4, 1]).save(path)
    with pytest.raises(ValueError, match="MLP"):
        nn.Layer.load(path)
    other = nn.MLP.load(path)
    with pytest.raises(ValueError, match=r"has shape \(4, 2\), the parameter \(3, 2\)"):
        model.load_state_dict(other.state_dict())
    assert model.state_dict() == before


# -- losses -----------------------------------------------------------------------
def test_mse_is_the_mean_of_squared_errors():
    p = [Value(1.0), Value(3.0)]
    loss = nn.mse_loss(p, [0.0, 5.0])
    loss.backward()
    assert loss.data == (1 + 4) / 2
    assert [v.grad for v in p] == [2 * 1 / 2, 2 * -2 / 2]


def test_binary_cross_entropy_by_hand():
    p = Value(0.8)
    loss = nn.binary_cross_entropy(p, 1.0)
    loss.backward()
    assert loss.data == pytest.approx(-math.log(0.8), rel=1e-15)
    assert p.grad == pytest.approx(-1 / 0.8, rel=1e-15)
    with pytest.raises(ValueError, match="with_logits"):
        nn.binary_cross_entropy(Value(1.0), 1.0)


@pytest.mark.parametrize(
    "z0, y0", [(1000.0, 1.0), (1000.0, 0.0), (-1000.0, 1.0), (-1000.0, 0.0), (0.3, 1.0), (-2.0, 0.0)]
)
def test_binary_cross_entropy_with_logits_is_stable(z0, y0):
    z = Value(z0)
    loss = nn.binary_cross_entropy_with_logits(z, y0)
    loss.backward()
    sig = 1 / (1 + math.exp(-z0)) if z0 > -700 else 0.0
    # -[y log s + (1 - y) log(1 - s)] written with log1p so the reference is exact at the extremes.
    expected = y0 * math.log1p(math.exp(-z0)) if z0 > -30 else y0 * -z0
    expected += (1 - y0) * (z0 + math.log1p(math.exp(-z0)) if z0 > -30 else 0.0)
    assert loss.data == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert z.grad == pytest.approx(sig - y0, abs=1e-15)


def test_softmax_and_log_softmax_against_numpy_and_at_large_logits():
    logits = [2.0, -1.0, 0.5]
    e = np.exp(np.array(logits) - max(logits))
    assert [v.data for v in nn.softmax([Value(v) for v in logits])] == pytest.approx(e / e.sum(), rel=1e-14)
    assert [v.data for v in nn.log_softmax([Value(v) for v in logits])] == pytest.approx(np.log(e / e.sum()), rel=1e-14)
    big = [Value(1000.0), Value(-1000.0), Value(999.0)]
    out = [v.data for v in nn.log_softmax(big)]
    assert out == pytest.approx(
        [-math.log1p(math.exp(-1)), -2000 - math.log1p(math.exp(-1)), -1 - math.log1p(math.exp(-1))]
    )
    with pytest.raises(ValueError, match="empty"):
        nn.softmax([])


@pytest.mark.parametrize("target", [0, 1, 3])
def test_cross_entropy_gradient_is_softmax_minus_one_hot(target):
    logits = [Value(v) for v in (0.2, -1.3, 2.5, 0.0)]
    loss = nn.cross_entropy(logits, target)
    loss.backward()
    z = np.array([0.2, -1.3, 2.5, 0.0])
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert loss.data == pytest.approx(-math.log(p[target]), rel=1e-14)
    expected = p - np.eye(4)[target]
    assert np.max(np.abs(np.array([v.grad for v in logits]) - expected)) < 1e-12
    with pytest.raises(ValueError, match="out of range"):
        nn.cross_entropy(logits, 4)


def test_hinge_and_l2_penalty_by_hand():
    s = [Value(0.3), Value(-2.0), Value(1.5)]
    loss = nn.hinge_loss(s, [1, 0, -1])  # 0 is read as -1
    loss.backward()
    assert loss.data == pytest.approx((0.7 + 0.0 + 2.5) / 3)
    assert [v.grad for v in s] == pytest.approx([-1 / 3, 0.0, 1 / 3])
    w = [Value(2.0), Value(-1.0)]
    penalty = nn.l2_penalty(w, 0.1)
    penalty.backward()
    assert penalty.data == pytest.approx(0.05 * 5)
    assert [v.grad for v in w] == pytest.approx([0.2, -0.1])


# -- optimizers -------------------------------------------------------------------
def test_sgd_with_momentum_and_weight_decay_by_hand():
    w = Value(1.0)
    opt = nn.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)
    velocity, data = 0.0, 1.0
    for grad in (0.5, -0.2, 0.3):
        w.grad = grad
        opt.step()
        velocity = 0.9 * velocity + grad + 0.01 * data
        data -= 0.1 * velocity
        assert w.data == pytest.approx(data, rel=1e-15)


def test_adam_by_hand():
    w = Value(1.0)
    opt = nn.Adam([w], lr=0.01)
    m = v = 0.0
    data = 1.0
    for t, grad in enumerate((0.5, -0.2, 0.3), start=1):
        w.grad = grad
        opt.step()
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        data -= 0.01 * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
        assert w.data == pytest.approx(data, rel=1e-14)


def test_learning_rate_schedules():
    lr = nn.linear_decay(1.0, 0.1, 100)
    assert (lr(0), lr(50), lr(100), lr(500)) == pytest.approx((1.0, 0.55, 0.1, 0.1))
    w = Value(0.0)
    opt = nn.SGD([w], lr=lambda k: 0.5 / (k + 1))
    for _ in range(3):
        w.grad = 1.0
        opt.step()
    assert w.data == pytest.approx(-(0.5 + 0.25 + 0.5 / 3))


# -- data -----------------------------------------------------------------------------
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


# -- training -------------------------------------------------------------------------
def test_xor_needs_a_hidden_layer():
    X, y = nn.data.make_xor()
    model = nn.MLP(2, [4, 1], seed=0)
    nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model, lr=0.05), epochs=500)
    assert nn.accuracy(model, X, y, "bce") == 1.0
    for seed in range(3):  # a single layer draws one line; no line splits XOR, so at most 3 of 4
        perceptron = nn.MLP(2, [1], seed=seed)
        nn.fit(perceptron, X, y, loss="bce", optimizer=nn.Adam(perceptron, lr=0.05), epochs=500)
        assert nn.accuracy(perceptron, X, y, "bce") <= 0.75


def test_moons_with_hinge_and_l2_in_100_steps():
    X, y = nn.data.make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    history = nn.fit(
        model, X, y, loss="hinge", l2=1e-4, optimizer=nn.SGD(model, lr=nn.linear_decay(1.0, 0.1, 100)), epochs=100
    )
    assert len(history["loss"]) == 100 and history["loss"][-1] < history["loss"][0]
    assert nn.accuracy(model, X, y) >= 0.98


@pytest.mark.parametrize("make", [nn.data.make_spirals, nn.data.make_blobs])
def test_multiclass_with_cross_entropy(make):
    X, y = make(seed=0)
    model = nn.MLP(2, [32, 32, 3], seed=0)
    nn.fit(model, X, y, loss="ce", optimizer=nn.Adam(model, lr=0.02), epochs=300)
    assert nn.accuracy(model, X, y, "ce") >= 0.9


def test_batched_and_scalar_training_agree():
    X, y = nn.data.make_moons(20, seed=2)
    histories, states = [], []
    for batched in (True, False):
        model = nn.MLP(2, [6, 6, 1], seed=1)
        histories.append(
            nn.fit(
                model,
                X,
                y,
                loss="hinge",
                l2=1e-3,
                optimizer=nn.SGD(model, lr=0.3),
                epochs=5,
                batch_size=8,
                seed=0,
                batched=batched,
            )
        )
        states.append(np.concatenate([np.ravel(v) for v in model.state_dict().values()]))
    assert np.max(np.abs(np.array(histories[0]["loss"]) - histories[1]["loss"])) < 1e-12
    assert np.max(np.abs(states[0] - states[1])) < 1e-12


def test_progress_bar_and_callback_stop(capsys):
    X, y = nn.data.make_xor()
    model = nn.MLP(2, [4, 1], seed=0)
    seen = []
    history = nn.fit(
        model, X, y, epochs=50, progress=True, callback=lambda epoch, logs: seen.append(logs) or epoch == 2
    )
    assert len(history["loss"]) == len(seen) == 3
    assert "training" in capsys.readouterr().err


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


@pytest.mark.parametrize("batched", [True, False])
def test_fit_takes_a_loss_function(batched):
    X = np.linspace(-3, 3, 20)[:, None]
    y = np.sin(X[:, 0])
    before = nn.predict(nn.MLP(1, [5, 1], activation="tanh", seed=0), X)[:, 0]
    model = nn.MLP(1, [5, 1], activation="tanh", seed=0)
    history = nn.fit(model, X, y, loss=nn.mse_loss, epochs=3, batched=batched)
    assert history["loss"][0] == pytest.approx(np.mean((before - y) ** 2), rel=1e-12)
    assert history["accuracy"] == [None, None, None]


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


def test_classify_mse_thresholds_the_first_output_at_one_half():
    """With mse the class is 1 exactly when the first output is above 0.5 (0.5 itself is class 0);
    further outputs are ignored. By hand: 0.2 -> 0, 0.5 -> 0, 0.5000001 -> 1, 0.9 -> 1, -3 -> 0, 7 -> 1."""
    outputs = np.array([0.2, 0.5, 0.5000001, 0.9, -3.0, 7.0])
    assert nn.classify(outputs, "mse").tolist() == [0, 0, 1, 1, 0, 1]
    assert nn.classify(outputs[:, None], "mse").tolist() == [0, 0, 1, 1, 0, 1]  # (samples, 1) as fit makes
    two_outputs = np.array([[0.6, -5.0], [0.4, 9.0], [0.5, 0.9]])  # the second column must not matter
    assert nn.classify(two_outputs, "mse").tolist() == [1, 0, 0]
    assert nn.classify([0.49, 0.51], "mse").tolist() == [0, 1]  # a plain list is taken too
    assert nn.classify([0.3], "hinge").tolist() == [1]  # hinge's threshold is 0, not 0.5: 0.3 is class 1 there


def _targets_seen_by_fit(batch_size, seed, epochs=4, n=8):
    """Run fit with a loss function that records, per epoch, the targets of each batch in the order seen.

    The targets are 0..n-1, so each recorded batch says which samples it held and in which order."""
    X = np.arange(n, dtype=float)[:, None]
    y = np.arange(n, dtype=float)
    seen = []

    def recording_loss(outputs, targets):
        seen.append(tuple(np.asarray(targets).tolist()))
        return (outputs * outputs).mean()

    model = nn.MLP(1, [1], seed=0)
    per_epoch = []

    def callback(epoch, logs):
        per_epoch.append(list(seen))
        seen.clear()

    nn.fit(model, X, y, loss=recording_loss, epochs=epochs, batch_size=batch_size, seed=seed, callback=callback)
    return per_epoch


def test_fit_reshuffles_the_minibatches_every_epoch_and_seed_repeats_them():
    epochs = _targets_seen_by_fit(batch_size=3, seed=7)
    assert len(epochs) == 4
    for batches in epochs:  # every epoch covers each sample once, in batches of 3, 3 and 2
        assert [len(b) for b in batches] == [3, 3, 2]
        assert sorted(t for b in batches for t in b) == list(range(8))
    orders = [tuple(t for b in batches for t in b) for batches in epochs]
    assert len(set(orders)) == 4  # a new order in every epoch
    assert tuple(range(8)) not in orders  # shuffled, not the data's order
    assert _targets_seen_by_fit(batch_size=3, seed=7) == epochs  # the same seed, the same batches
    assert _targets_seen_by_fit(batch_size=3, seed=8) != epochs  # another seed, other batches
    # Without a seed each run draws its own orders: two runs of 4 epochs agree with chance (1 / 8!)^4.
    assert _targets_seen_by_fit(batch_size=3, seed=None) != _targets_seen_by_fit(batch_size=3, seed=None)


def test_fit_without_batch_size_takes_the_data_in_order():
    """Full-batch gradient descent: one batch per epoch holding every sample in the data's order."""
    assert _targets_seen_by_fit(batch_size=None, seed=7, epochs=2) == [[tuple(float(t) for t in range(8))]] * 2
