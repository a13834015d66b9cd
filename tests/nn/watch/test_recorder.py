"""The Recorder (recorder.py): gradient sizes against backpropagation written out in NumPy (and against a
manual backward pass of the same batch), fit's own loss and accuracy, and decision boundaries against
nn.classify(nn.predict(...)) at cell centres computed here from the data's range."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nn
from nn.watch import Recorder, decode_runs, encode_runs

from ...networks import moons, three_input_recording, trained


def cell_centres(X, grid, rows_cols):
    """Centres of mesh cells (row r along x2 from the bottom, column c along x1), from the data's range + 10%."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    lo, hi = lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)
    size = (hi - lo) / grid
    return np.array([[lo[0] + (c + 0.5) * size[0], lo[1] + (r + 0.5) * size[1]] for r, c in rows_cols])


# -- gradients -----------------------------------------------------------------------------


def numpy_hinge_gradients(W0, b0, W1, b1, X, y):
    """dL/dW for L = mean(max(0, 1 - s f)), f = W1 relu(W0 x + b0) + b1, s = +-1: the chain rule by hand."""
    s = np.where(y > 0, 1.0, -1.0)
    z0 = X @ W0.T + b0
    h0 = np.maximum(z0, 0.0)
    f = (h0 @ W1.T + b1)[:, 0]
    df = np.where(1.0 - s * f > 0, -s, 0.0) / len(y)  # d mean(relu(1 - s f)) / df
    dW1 = df[None, :] @ h0
    dz0 = (df[:, None] @ W1) * (z0 > 0)
    dW0 = dz0.T @ X
    return dW0, dW1


def test_first_frame_holds_the_gradient_sizes_of_backprop_by_hand():
    X, y = moons()
    model = trained(0)
    W0, b0 = model.layers[0].W.data.copy(), model.layers[0].b.data.copy()
    W1, b1 = model.layers[1].W.data.copy(), model.layers[1].b.data.copy()
    recorder = Recorder(model, X, y, loss="hinge")
    nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model, lr=0.1), epochs=1, callback=recorder)
    frame = recorder.frames[0]
    expected = numpy_hinge_gradients(W0, b0, W1, b1, X, y)  # one full batch: the gradient at the first weights
    assert frame.epoch == 1
    assert frame.grad_norm == pytest.approx([np.sqrt(np.sum(g**2)) for g in expected], rel=1e-12)
    assert frame.grad_mean_abs == pytest.approx([np.mean(np.abs(g)) for g in expected], rel=1e-12)
    assert recorder.layer_names == ["W[0]", "W[1]"]
    assert recorder.layer_shapes == [(5, 2), (1, 5)]


def test_frames_of_a_nested_model_match_a_manual_backward_of_the_same_batch():
    X, y = moons(30, seed=3)

    def build():
        return nn.Sequential(nn.MLP(2, [6, 4], seed=2), nn.Layer(4, 1, "linear", seed=5))

    model = build()
    recorder = Recorder(model, X, y, every=3)
    nn.fit(model, X, y, optimizer=nn.SGD(model, lr=0.05), epochs=7, callback=recorder)
    assert [f.epoch for f in recorder.frames] == [1, 3, 6, 7]  # the first, every third, the last
    assert recorder.layer_names == ["W[0]", "W[1]", "W[2]"]
    for frame in recorder.frames:
        # The last batch of epoch e is all of the data, seen by the weights after e - 1 epochs.
        replay = build()
        if frame.epoch > 1:
            nn.fit(replay, X, y, optimizer=nn.SGD(replay, lr=0.05), epochs=frame.epoch - 1)
        layers = [*replay.layers[0].layers, replay.layers[1]]
        replay.zero_grad()  # leaves accumulate: start from the batch's gradient alone
        scores = replay(X)[:, 0]
        nn.hinge_loss(scores, np.where(y > 0, 1.0, -1.0)).backward()
        assert frame.grad_norm == pytest.approx([np.linalg.norm(layer.W.grad) for layer in layers], rel=1e-10)
        assert frame.grad_mean_abs == pytest.approx([np.mean(np.abs(layer.W.grad)) for layer in layers], rel=1e-10)
    last = [model.layers[0].layers[0], model.layers[0].layers[1], model.layers[1]]
    assert recorder.frames[-1].grad_norm == pytest.approx([np.linalg.norm(layer.W.grad) for layer in last])


def test_loss_and_accuracy_are_fits_own_for_every_epoch():
    X, y = moons()
    model = trained(0)
    recorder = Recorder(model, X, y, every=4)
    history = nn.fit(model, X, y, optimizer=nn.SGD(model, lr=0.1), epochs=6, callback=recorder)
    assert recorder.history == {"epoch": [1, 2, 3, 4, 5, 6], "loss": history["loss"], "accuracy": history["accuracy"]}
    assert [(f.loss, f.accuracy) for f in recorder.frames] == [
        (history["loss"][e - 1], history["accuracy"][e - 1]) for e in (1, 4, 6)
    ]


def test_a_second_fit_keeps_counting_epochs():
    X, y = moons()
    model = trained(0)
    recorder = Recorder(model, X, y)
    nn.fit(model, X, y, epochs=3, callback=recorder)
    nn.fit(model, X, y, epochs=2, callback=recorder)
    assert recorder.history["epoch"] == [1, 2, 3, 4, 5]
    assert [f.epoch for f in recorder.frames] == [1, 2, 3, 4, 5]


# -- the decision boundary ---------------------------------------------------------------------------


CELLS = [(0, 0), (0, 29), (7, 11), (15, 15), (22, 3), (29, 29), (29, 0), (12, 25)]


@pytest.mark.parametrize("every", [1, 2, 5])
def test_boundary_cells_are_the_classes_of_the_model_after_that_epoch(every):
    X, y = moons()
    grid = 30
    model = trained(0)
    recorder = Recorder(model, X, y, every=every, grid=grid)
    nn.fit(model, X, y, optimizer=nn.SGD(model, lr=0.1), epochs=7, callback=recorder)
    points = cell_centres(X, grid, CELLS)
    rows, cols = np.array(CELLS).T
    assert [f.epoch for f in recorder.frames] == sorted({1, *range(every, 8, every), 7})
    for frame in recorder.frames:
        at_that_epoch = trained(frame.epoch)
        expected = nn.classify(nn.predict(at_that_epoch, points), "hinge")
        classes = frame.classes()
        assert classes.shape == (grid, grid)
        assert classes[rows, cols].tolist() == expected.tolist(), frame.epoch
    assert np.array_equal(model.layers[0].W.data, trained(7).layers[0].W.data)  # the final frame put them back


def test_hinge_labels_minus_one_and_zero_mean_the_same_class():
    X, y = moons()
    a = Recorder(trained(0), X, y)
    b = Recorder(trained(0), X, np.where(y > 0, 1, -1))
    assert a.classes.tolist() == b.classes.tolist() == y.tolist()
    a(0, {"loss": 1.0, "accuracy": 0.5})
    b(0, {"loss": 1.0, "accuracy": 0.5})
    assert a.frames[0].runs == b.frames[0].runs


def test_three_classes_with_cross_entropy():
    X, y = nn.data.make_blobs(60, centers=3, seed=0)
    model = nn.MLP(2, [8, 3], seed=0)
    recorder = Recorder(model, X, y, loss="ce", grid=20)
    nn.fit(model, X, y, loss="ce", optimizer=nn.Adam(model, lr=0.05), epochs=30, callback=recorder)
    classes = recorder.frames[-1].classes()
    points = cell_centres(X, 20, [(r, c) for r in range(20) for c in range(20)])
    assert classes.ravel().tolist() == nn.classify(nn.predict(model, points), "ce").tolist()
    assert set(classes.ravel()) == {0, 1, 2}


def test_runs_encode_each_row_and_decode_back():
    grid = np.array([[0, 0, 1, 1, 1], [2, 2, 2, 2, 2], [1, 0, 1, 0, -1]])
    runs = encode_runs(grid)
    assert runs == ((0, 2, 1, 3), (2, 5), (1, 1, 0, 1, 1, 1, 0, 1, -1, 1))
    assert decode_runs(runs).tolist() == grid.tolist()


def test_data_with_three_inputs_has_no_boundary():
    recorder = three_input_recording(epochs=2)
    assert recorder.extent is None and all(f.runs is None and f.classes() is None for f in recorder.frames)


# -- bad input --------------------------------------------------------------------------------


def test_bad_recorder_arguments_say_which_and_what():
    X, y = moons(10)
    model = trained(0, X=X, y=y)
    cases = [
        (dict(every=0), ValueError, "every must be at least 1, got 0"),
        (dict(every=1.5), TypeError, "every must be an int"),
        (dict(every=True), TypeError, "every must be an int"),
        (dict(grid=3), ValueError, "grid must be at least 4, got 3"),
        (dict(grid=1000), ValueError, "grid must be at most 400"),
        (dict(grid="60"), TypeError, "grid must be an int"),
        (dict(loss="huber"), ValueError, "unknown loss 'huber'"),
        (dict(loss=nn.hinge_loss), TypeError, "loss must be the name of a loss"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=re.escape(message)):
            Recorder(model, X, y, **kwargs)
    with pytest.raises(TypeError, match="model must be an nn.Module such as nn.MLP or nn.Sequential, got str"):
        Recorder("mlp", X, y)

    class Empty(nn.Module):
        pass

    with pytest.raises(TypeError, match=r"model \(Empty\) has no nn.Layer"):
        Recorder(Empty(), X, y)
    with pytest.raises(ValueError, match="X has 10 samples but y has 9"):
        Recorder(model, X, y[:9])
