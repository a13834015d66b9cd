"""nn.watch: the Recorder, the training page and the live plot.

Gradients are checked against backpropagation written out in NumPy (and against a manual
backward pass of the same batch), boundaries against nn.classify(nn.predict(...)) at cell
centres computed here from the data's range.
"""

from __future__ import annotations

import json
import re
import sys

import numpy as np
import pytest

import nn
from nn import watch
from nn.watch import LivePlot, Recorder, decode_runs, encode_runs, write_training_page
from nn.watch import live as live_module


def moons(n=40, seed=0):
    return nn.data.make_moons(n, noise=0.1, seed=seed)


def trained(epochs, seed=1, hidden=(5,), lr=0.1, X=None, y=None, callback=None, **fit_args):
    """An MLP(2, [*hidden, 1]) trained full-batch for ``epochs`` (0: untouched): the same numbers each time."""
    if X is None:
        X, y = moons()
    model = nn.MLP(2, [*hidden, 1], seed=seed)
    if epochs:
        nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model, lr=lr), epochs=epochs, callback=callback, **fit_args)
    return model


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


def three_input_recording(epochs: int) -> Recorder:
    """A small network trained on data with three inputs (no plane to draw a boundary in)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    y = (X[:, 0] > 0).astype(int)
    model = nn.MLP(3, [4, 1], seed=0)
    recorder = Recorder(model, X, y)
    nn.fit(model, X, y, epochs=epochs, callback=recorder)
    return recorder


def test_data_with_three_inputs_has_no_boundary():
    recorder = three_input_recording(epochs=2)
    assert recorder.extent is None and all(f.runs is None and f.classes() is None for f in recorder.frames)


# -- the page ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def film(tmp_path_factory):
    """100 epochs of the demo's network on the two moons, grid 60, and its page."""
    X, y = nn.data.make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    recorder = Recorder(model, X, y, grid=60)
    optimizer = nn.SGD(model, lr=nn.linear_decay(1.0, 0.1, 100))
    nn.fit(model, X, y, optimizer=optimizer, epochs=100, l2=1e-4, callback=recorder)
    path = write_training_page(recorder, tmp_path_factory.mktemp("film") / "training.html", title="Moons <live>")
    return recorder, path, path.read_text(encoding="utf-8")


def embedded(text: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" class="cr-film-data">(.*?)</script>', text, re.S)[1])


def static_cells(text: str, grid: int) -> np.ndarray:
    cells = re.search(r'<g class="cr-film-cells"[^>]*>(.*?)</g>', text, re.S)[1]
    classes = np.full((grid, grid), -9)
    for k, x, y, width in re.findall(r'<rect class="k(\w+)" x="(\d+)" y="(\d+)" width="(\d+)" height="1"/>', cells):
        classes[int(y), int(x) : int(x) + int(width)] = -1 if k == "x" else int(k)
    return classes


def test_page_is_written_and_self_contained(film):
    recorder, path, text = film
    assert path.suffix == ".html" and path.exists()
    assert text.startswith("<!DOCTYPE html>")
    assert "http" not in text  # no links, scripts, fonts or namespaces fetched from anywhere
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|@import|@font-face", text)
    assert re.findall(r"url\(([^)]*)\)", text) == ["#cr-film-clip"]  # only the page's own clip path
    assert "<h1>Moons &lt;live&gt;</h1>" in text  # the title is escaped
    assert 'type="range"' in text and "cr-film-play" in text


def test_page_shows_the_final_epoch_without_its_script(film):
    recorder, _, text = film
    final = recorder.frames[-1]
    assert final.epoch == 100
    assert "Epoch 100 of 100" in text
    assert f"loss {final.loss:.4f} · accuracy {100 * final.accuracy:.1f}%" in text
    assert np.array_equal(static_cells(text, 60), final.classes())
    assert len(re.findall(r'<circle cx="[^"]+" cy="[^"]+" r="[^"]+" class="p[01]"/>', text)) == len(recorder.X)
    for k, name in enumerate(recorder.layer_names):
        assert f'class="cr-film-layer">{name}</text>' in text
        label = re.search(rf'class="cr-film-barval cr-film-norm-val" data-layer="{k}"[^>]*>([^<]*)<', text)[1]
        assert float(label) == pytest.approx(final.grad_norm[k], rel=5e-3)


def test_embedded_data_holds_every_epoch(film):
    recorder, _, text = film
    data = embedded(text)
    assert data["epochs"] == list(range(1, 101))
    assert data["loss"] == pytest.approx(recorder.history["loss"], rel=1e-5)
    assert data["accuracy"] == pytest.approx(recorder.history["accuracy"], rel=1e-5)
    assert [f["epoch"] for f in data["frames"]] == [f.epoch for f in recorder.frames]
    for shown, frame in zip(data["frames"], recorder.frames):
        assert decode_runs(shown["runs"]).tolist() == frame.classes().tolist()
        assert shown["norm"] == pytest.approx(frame.grad_norm, rel=1e-3)
        assert shown["mean"] == pytest.approx(frame.grad_mean_abs, rel=1e-3)


def test_embedded_data_cannot_end_its_script():
    # Layer names are made by the Recorder, but whatever text the data holds is written as JSON escapes.
    X, y = nn.data.make_moons(20, noise=0.1, seed=0)
    model = nn.MLP(2, [3, 1], seed=0)
    recorder = Recorder(model, X, y, grid=10)
    nn.fit(model, X, y, epochs=1, callback=recorder)
    hostile = ["</script><!--<script>", "a & b > c \u2028"]
    recorder.layer_names = hostile
    data = re.search(
        r'<script type="application/json" class="cr-film-data">(.*?)</script>', watch.training_page(recorder), re.S
    )[1]
    assert not set("<>&\u2028") & set(data)
    assert json.loads(data)["layers"] == hostile


def test_page_stays_small(film):
    _, path, _ = film
    assert path.stat().st_size < 1_500_000  # grid 60 x 100 epochs
    assert path.stat().st_size < 400_000  # run lengths: in practice far smaller


def test_page_for_data_with_three_inputs_has_a_note_instead_of_a_boundary(tmp_path):
    recorder = three_input_recording(epochs=3)
    text = write_training_page(recorder, tmp_path / "t.html").read_text()
    assert '<svg class="cr-film-boundary"' not in text and '<g class="cr-film-cells"' not in text
    assert "The inputs have 3 features" in text
    assert "Epoch 3 of 3" in text


def test_diverged_training_still_writes_a_valid_page(tmp_path):
    X, y = moons(20)
    model = trained(0)
    recorder = Recorder(model, X, y, grid=8)
    model.layers[0].W.grad = np.full(model.layers[0].W.shape, np.inf)
    model.layers[1].W.grad = np.zeros(model.layers[1].W.shape)
    recorder(0, {"loss": float("nan"), "accuracy": None})
    frame = recorder.frames[0]
    assert frame.loss is None and frame.grad_norm[0] == np.inf and frame.grad_norm[1] == 0.0
    text = write_training_page(recorder, tmp_path / "d.html").read_text()
    data = embedded(text)  # strict JSON: no NaN or Infinity
    assert data["loss"] == [None] and data["frames"][0]["norm"] == ["inf", 0.0]
    assert "loss –" in text and ">inf</text>" in text


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


def test_bad_page_arguments_say_which_and_what(tmp_path):
    X, y = moons(10)
    model = trained(0, X=X, y=y)
    recorder = Recorder(model, X, y)
    with pytest.raises(ValueError, match="holds no epochs yet"):
        write_training_page(recorder, tmp_path / "a.html")
    recorder(0, {"loss": 1.0, "accuracy": 0.5})
    with pytest.raises(TypeError, match="recorder must be an nn.Recorder"):
        write_training_page({"loss": []}, tmp_path / "a.html")
    with pytest.raises(TypeError, match="path must be a file name"):
        write_training_page(recorder, 3)
    with pytest.raises(ValueError, match=r"use a \.html file name"):
        write_training_page(recorder, tmp_path / "a.png")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_training_page(recorder, tmp_path / "missing" / "a.html")
    with pytest.raises(TypeError, match="title must be a str"):
        write_training_page(recorder, tmp_path / "a.html", title=None)
    with pytest.raises(TypeError, match='logs must be a dict with "loss"'):
        recorder(1, [0.5])
    with pytest.raises(ValueError, match="epoch must be at least 0, got -1"):
        recorder(-1, {"loss": 1.0})


# -- the live plot ----------------------------------------------------------------------------
def test_live_plot_outside_a_notebook_keeps_the_history_and_draws_nothing():
    X, y = moons()
    model = trained(0)
    live = LivePlot(model, X, y, "hinge")
    history = nn.fit(model, X, y, optimizer=nn.SGD(model, lr=0.1), epochs=5, callback=live)
    live.finish()
    assert not live.live and live.redraws == 0
    assert live.history == {"epoch": [1, 2, 3, 4, 5], "loss": history["loss"], "accuracy": history["accuracy"]}
    figure = live.figure()
    assert len(figure.axes) == 3  # loss, accuracy on its own axis, the boundary
    assert {ax.get_xlabel() for ax in figure.axes} >= {"epoch", "x1"}
    assert {ax.get_ylabel() for ax in figure.axes} >= {"loss", "accuracy", "x2"}


def test_live_plot_without_ipython_does_not_fail(monkeypatch):
    for name in [m for m in sys.modules if m == "IPython" or m.startswith("IPython.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "IPython", None)  # import IPython now raises ImportError
    X, y = moons(20)
    model = trained(0, X=X, y=y)
    live = LivePlot(model, X, y, "hinge")
    nn.fit(model, X, y, epochs=3, callback=live)
    assert not live.live and live.history["epoch"] == [1, 2, 3]


def test_live_plot_with_a_custom_loss_draws_the_loss_only():
    X, y = moons(20)
    model = trained(0, X=X, y=y)
    live = LivePlot(model, X, y, lambda out, t: ((out[:, 0] - t) ** 2).mean())
    nn.fit(model, X, y, loss=live.loss, epochs=2, callback=live)
    assert live.history["accuracy"] == [None, None]
    assert len(live.figure().axes) == 1


class FakeNotebook:
    """Stands in for IPython.display: keeps each PNG shown, as display(...) and handle.update(...) would."""

    def __init__(self):
        self.shown: list[tuple[str, bytes]] = []

    def __call__(self, png, handle=None):
        assert png.startswith(b"\x89PNG")
        self.shown.append(("display" if handle is None else "update", png))
        return "handle"


def test_live_plot_in_a_notebook_redraws_throttled_and_the_last_epoch(monkeypatch):
    notebook = FakeNotebook()
    monkeypatch.setattr(live_module, "_find_display", lambda: notebook)
    X, y = moons(20)
    model = trained(0, X=X, y=y)
    live = LivePlot(model, X, y, "hinge", epochs=6, min_interval=3600.0, grid=10)
    nn.fit(model, X, y, epochs=6, callback=live)
    assert [kind for kind, _ in notebook.shown] == ["display", "update"]  # the first epoch, then the last
    assert live.redraws == 2
    live.finish()  # the last epoch is already drawn
    assert live.redraws == 2

    unthrottled = LivePlot(model, X, y, "hinge", min_interval=0.0, grid=10)
    unthrottled._draw_time = -1.0  # as if drawing took no time: no epoch is skipped
    unthrottled(0, {"loss": 1.0, "accuracy": 0.5})
    unthrottled._draw_time = -1.0
    unthrottled(1, {"loss": 0.9, "accuracy": 0.6})
    assert unthrottled.redraws == 2


def test_live_plot_draws_the_last_epoch_on_finish(monkeypatch):
    notebook = FakeNotebook()
    monkeypatch.setattr(live_module, "_find_display", lambda: notebook)
    X, y = moons(20)
    model = trained(0, X=X, y=y)
    live = LivePlot(model, X, y, "hinge", min_interval=3600.0, grid=10)
    nn.fit(model, X, y, epochs=4, callback=live)
    assert live.redraws == 1
    live.finish()
    assert live.redraws == 2 and notebook.shown[-1][0] == "update"


def test_a_failing_display_warns_and_training_goes_on(monkeypatch):
    def broken(png, handle=None):
        raise OSError("the notebook went away")

    monkeypatch.setattr(live_module, "_find_display", lambda: broken)
    X, y = moons(20)
    model = trained(0, X=X, y=y)
    live = LivePlot(model, X, y, "hinge", min_interval=0.0, grid=10)
    with pytest.warns(RuntimeWarning, match="LivePlot stopped drawing: OSError: the notebook went away"):
        history = nn.fit(model, X, y, epochs=3, callback=live)
    assert len(history["loss"]) == 3 and not live.live


def test_bad_live_plot_arguments():
    X, y = moons(10)
    model = trained(0, X=X, y=y)
    with pytest.raises(TypeError, match="model must be an nn.Module"):
        LivePlot(None, X, y, "hinge")
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        LivePlot(model, X, y, "l1")
    with pytest.raises(ValueError, match="min_interval must be >= 0, got -1.0"):
        LivePlot(model, X, y, "hinge", min_interval=-1.0)
    with pytest.raises(ValueError, match="epochs must be at least 1, got 0"):
        LivePlot(model, X, y, "hinge", epochs=0)
