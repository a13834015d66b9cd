"""Training (train.py): fit learns what it should, batched and scalar graphs agree, minibatches are reshuffled
every epoch, and the garbage collector is paused while it runs."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nn


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


def test_matrix_and_scalar_training_agree():
    X, y = nn.data.make_moons(24, seed=5)
    states = []
    for batched in (True, False):
        model = nn.MLP(2, [5, 4, 1], seed=2)
        nn.fit(model, X, y, loss="hinge", l2=1e-3, optimizer=nn.SGD(model, lr=0.2), epochs=4, batched=batched)
        states.append(np.concatenate([p.data.ravel() for p in model.parameters()]))
    assert np.max(np.abs(states[0] - states[1])) < 1e-10


def test_digits_reach_95_percent_test_accuracy_batched():
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()  # ships inside scikit-learn: nothing is downloaded
    X, y = digits.data, digits.target
    order = np.random.default_rng(0).permutation(len(y))
    train, test = order[:1300], order[1300:]
    mean, std = X[train].mean(axis=0), X[train].std(axis=0) + 1e-8
    X = (X - mean) / std
    model = nn.MLP(64, [32, 10], seed=0)
    nn.fit(model, X[train], y[train], loss="ce", optimizer=nn.Adam(model, lr=0.01), epochs=15, batch_size=64, seed=0)
    assert nn.accuracy(model, X[test], y[test], loss="ce") >= 0.95


def test_progress_bar_and_callback_stop(capsys):
    X, y = nn.data.make_xor()
    model = nn.MLP(2, [4, 1], seed=0)
    seen = []
    history = nn.fit(
        model, X, y, epochs=50, progress=True, callback=lambda epoch, logs: seen.append(logs) or epoch == 2
    )
    assert len(history["loss"]) == len(seen) == 3
    assert "training" in capsys.readouterr().err


@pytest.mark.parametrize("batched", [True, False])
def test_fit_takes_a_loss_function(batched):
    X = np.linspace(-3, 3, 20)[:, None]
    y = np.sin(X[:, 0])
    before = nn.predict(nn.MLP(1, [5, 1], activation="tanh", seed=0), X)[:, 0]
    model = nn.MLP(1, [5, 1], activation="tanh", seed=0)
    history = nn.fit(model, X, y, loss=nn.mse_loss, epochs=3, batched=batched)
    assert history["loss"][0] == pytest.approx(np.mean((before - y) ** 2), rel=1e-12)
    assert history["accuracy"] == [None, None, None]


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


def test_fit_pauses_the_garbage_collector_and_switches_it_back_on():
    import gc

    seen = []
    X, y = nn.data.make_moons(40, noise=0.1, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    assert gc.isenabled()
    nn.fit(model, X, y, epochs=2, callback=lambda epoch, logs: seen.append(gc.isenabled()))
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        nn.fit(model, X, y, epochs=1)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_keep_freed_memory_works_where_the_c_library_is_glibc():
    import platform

    expected = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert nn.keep_freed_memory(64) is expected


@pytest.mark.parametrize("label", [2.0000002, 1 - 2**-52, 1e-300])
def test_a_cross_entropy_label_off_a_whole_number_is_shown_with_every_digit(label):
    # Printed with :g, 2.0000002 read "got 2", a whole number, in a message saying it was not one.
    X, y = nn.data.make_xor()
    with pytest.raises(ValueError, match=rf"needs whole-number class indices, got {re.escape(repr(label))}; round"):
        nn.fit(nn.MLP(2, [3], seed=0), X, np.array([0.0, 1.0, label, 0.0]), loss="ce", epochs=1)
