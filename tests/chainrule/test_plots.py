"""The command line's pictures, read back as images: what they show where, and their size."""

from __future__ import annotations

import matplotlib.image
import numpy as np

import nn
from chainrule import plots


def test_the_boundary_picture_colours_each_side_by_its_class(tmp_path):
    # One linear unit scoring x1: class 1 (hinge: score > 0) exactly where x1 > 0, a vertical boundary.
    model = nn.Layer(2, 1, "linear")
    model.W.data[:] = [[1.0, 0.0]]
    model.b.data[:] = [0.0]
    X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    path = tmp_path / "boundary.png"
    plots.boundary(model, X, np.array([0, 0, 1, 1]), "hinge", path, "one unit")
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (450, 500)  # 5 × 4.5 inches at 100 dpi
    row = image[225, :, :3]  # a row across the middle of the picture
    left, right = row[120], row[380]  # inside the axes, left and right of x1 = 0
    assert left[2] > left[0] and right[0] > right[2], (left, right)  # cool (blue) for class 0, warm (red) for 1


def test_the_history_picture_has_a_scale_for_accuracy_only_when_there_is_one(tmp_path, monkeypatch):
    import matplotlib.figure

    saved = []
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", lambda figure, path, **kw: saved.append(figure))
    plots.history({"loss": [1.0, 0.5, 0.25], "accuracy": [0.5, 0.75, 1.0]}, tmp_path / "a.png")
    plots.history({"loss": [1.0, 0.5, 0.25], "accuracy": [None, None, None]}, tmp_path / "b.png")
    with_accuracy, without = saved
    assert [ax.get_ylabel() for ax in with_accuracy.axes] == ["loss", "accuracy"]
    assert [ax.get_ylabel() for ax in without.axes] == ["loss"]
    loss_line = with_accuracy.axes[0].get_lines()[0]
    assert loss_line.get_ydata().tolist() == [1.0, 0.5, 0.25] and with_accuracy.axes[0].get_xlabel() == "epoch"
    assert with_accuracy.axes[1].get_ylim() == (0.0, 1.02)  # a fraction keeps its own scale, 0 to 1
