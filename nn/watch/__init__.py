"""Watching a network train: a Recorder for ``fit``'s callback, a training page to step
through epoch by epoch, and a live plot for Jupyter.

- ``Recorder(model, X, y)`` is a callback for ``fit``: after each recorded epoch it keeps
  the loss, the accuracy, the size of every layer's weight gradient and, for data with two
  inputs, the class the model predicts on a grid over the plane, its decision boundary
  (``recorder.py``).
- ``write_training_page(recorder, "training.html")`` writes one offline HTML page with a
  slider over the recorded epochs: the boundary, the loss curve so far and a bar chart of
  the gradient sizes, where vanishing or exploding gradients show up as bars that shrink
  or grow by orders of magnitude (``page.py``, its drawings in ``panels.py``, its script
  and style in ``static/``).
- ``LivePlot(model, X, y, loss)`` redraws loss, accuracy and boundary in a notebook while
  ``fit`` runs (``fit(..., plot=True)``); elsewhere it only keeps the history (``live.py``).
"""

from .live import LivePlot
from .page import training_page, write_training_page
from .recorder import Frame, Recorder, decode_runs, encode_runs, mesh_extent, mesh_points, weight_layers

__all__ = [
    "Frame",
    "LivePlot",
    "Recorder",
    "decode_runs",
    "encode_runs",
    "mesh_extent",
    "mesh_points",
    "training_page",
    "weight_layers",
    "write_training_page",
]
