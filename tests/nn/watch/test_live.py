"""The live plot (live.py): in a notebook (a stand-in display), outside one, and when the display fails."""

from __future__ import annotations

import sys

import pytest

import nn
from nn.watch import LivePlot
from nn.watch import live as live_module

from ...networks import moons, trained


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
