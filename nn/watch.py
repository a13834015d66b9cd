"""Watching a network train: a Recorder for ``fit``'s callback, a training page to step
through epoch by epoch, and a live plot for Jupyter.

- ``Recorder(model, X, y)`` is a callback for ``fit``: after each recorded epoch it keeps
  the loss, the accuracy, the size of every layer's weight gradient and, for data with two
  inputs, the class the model predicts on a grid over the plane (its decision boundary).
- ``write_training_page(recorder, "training.html")`` writes one offline HTML page with a
  slider over the recorded epochs: the boundary, the loss curve so far and a bar chart of
  the gradient sizes, where vanishing or exploding gradients show up as bars that shrink
  or grow by orders of magnitude.
- ``LivePlot(model, X, y, loss)`` redraws loss, accuracy and boundary in a notebook while
  ``fit`` runs (``fit(..., plot=True)``); elsewhere it only keeps the history.
"""

from __future__ import annotations

import html
import io
import math
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograd import checks
from autograd.viz import script_json, write_file

from .data import LOSSES, check_dataset
from .layers import Layer
from .module import Module
from .predict import classes_of, classify, predict

MIN_GRID, MAX_GRID = 4, 400
LOSS_NAMES = {"hinge": "hinge", "bce": "binary cross-entropy", "mse": "mean squared error", "ce": "cross-entropy"}
MARGIN = 0.1  # the boundary's mesh reaches this fraction of the data's range beyond it on every side

# One colour per class (Okabe-Ito-like, distinct for most kinds of colour blindness), then a tint
# of it for the region the model assigns to that class.
CLASS_COLORS = ("#2563eb", "#ea580c", "#059669", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777")
UNDEFINED_COLOR = "#cbd5e1"  # cells where the model's output is NaN or infinite


# -- which layers, which classes, where on the plane -----------------------------------------
def weight_layers(model: Module) -> list[Layer]:
    """Every Layer inside ``model`` in order, nested Sequentials (and MLPs) included, each once."""
    found: list[Layer] = []
    seen: set[int] = set()
    stack: list = [model]
    while stack:  # depth-first, left to right, without recursion
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        elif isinstance(item, Layer):
            if id(item) not in seen:
                seen.add(id(item))
                found.append(item)
        elif isinstance(item, Module):
            children = [v for k, v in vars(item).items() if not k.startswith("_")]
            stack.extend(reversed([c for c in children if isinstance(c, (Module, list, tuple))]))
    return found


def _check_model(model) -> tuple[Module, list[Layer]]:
    if not isinstance(model, Module):
        raise TypeError(f"model must be an nn.Module such as nn.MLP or nn.Sequential, got {type(model).__name__}")
    layers = weight_layers(model)
    if not layers:
        raise TypeError(
            f"model ({type(model).__name__}) has no nn.Layer with weights W to watch; "
            "build it from nn.Layer, nn.MLP or nn.Sequential"
        )
    return model, layers


def _check_loss(loss) -> str:
    if callable(loss):
        raise TypeError(
            "loss must be the name of a loss, one of: "
            f"{', '.join(LOSSES)}; it decides how outputs become classes. For a loss function of your "
            'own, give the name whose rule fits ("bce": first output > 0, "ce": the largest output)'
        )
    return checks.choice(loss, "loss", LOSSES)


def point_classes(y: np.ndarray, loss: str) -> np.ndarray:
    """The class of each target, numbered as ``classify`` numbers predictions.

    hinge: y > 0 is class 1 (labels -1/+1 or 0/1); bce and mse: y > 0.5 is class 1 (the
    thresholds ``classify`` uses on the outputs); ce: y is the class index.
    """
    if loss == "hinge":
        return classes_of(y, loss).astype(int)
    if loss == "ce":
        return np.asarray(y).astype(int)
    return (np.asarray(y) > 0.5).astype(int)


def mesh_extent(X: np.ndarray, margin: float = MARGIN) -> tuple[float, float, float, float]:
    """(x1 low, x1 high, x2 low, x2 high): the data's range, widened by ``margin`` times it on each side."""
    bounds = []
    for column in (X[:, 0], X[:, 1]):
        lo, hi = float(column.min()), float(column.max())
        pad = margin * (hi - lo) if hi > lo else 1.0  # one value only: a unit on each side
        bounds += [lo - pad, hi + pad]
    return tuple(bounds)


def mesh_points(extent: tuple[float, float, float, float], grid: int) -> np.ndarray:
    """The centres of grid x grid cells over ``extent``, shape (grid*grid, 2), row by row.

    Row r, column c is point ``r * grid + c``: x1 grows with c, x2 with r (row 0 is at the bottom).
    """
    x1_lo, x1_hi, x2_lo, x2_hi = extent
    x1 = x1_lo + (np.arange(grid) + 0.5) * (x1_hi - x1_lo) / grid
    x2 = x2_lo + (np.arange(grid) + 0.5) * (x2_hi - x2_lo) / grid
    g1, g2 = np.meshgrid(x1, x2)
    return np.column_stack([g1.ravel(), g2.ravel()])


def predicted_classes(model: Module, points: np.ndarray, loss: str) -> np.ndarray:
    """``classify(predict(model, points), loss)``, with -1 where an output is NaN or infinite."""
    outputs = predict(model, points)
    finite = np.all(np.isfinite(outputs), axis=1)
    classes = np.full(len(points), -1, dtype=int)
    if finite.any():
        classes[finite] = classify(outputs[finite], loss)
    return classes


def encode_runs(classes: np.ndarray) -> tuple[tuple[int, ...], ...]:
    """Each row of a class grid as runs ``(class, length, class, length, ...)``, left to right."""
    rows = []
    for row in np.asarray(classes):
        change = np.flatnonzero(np.diff(row)) + 1
        starts = np.concatenate([[0], change])
        lengths = np.diff(np.concatenate([starts, [len(row)]]))
        rows.append(tuple(int(v) for pair in zip(row[starts], lengths) for v in pair))
    return tuple(rows)


def decode_runs(runs) -> np.ndarray:
    """The class grid that ``encode_runs`` encoded."""
    return np.array([np.repeat(row[0::2], row[1::2]) for row in runs], dtype=int)


def gradient_sizes(layers: list[Layer]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Each layer's ``||W.grad||_2`` (square root of the sum of squares) and ``mean |W.grad|``."""
    norms, means = [], []
    for layer in layers:
        g = np.asarray(layer.W.grad, dtype=float)
        if g.shape != layer.W.shape:  # no backward pass yet: the gradient is the number 0.0
            g = np.broadcast_to(g, layer.W.shape)
        with np.errstate(over="ignore", invalid="ignore"):
            norms.append(float(np.linalg.norm(g)))
            means.append(float(np.mean(np.abs(g))))
    return tuple(norms), tuple(means)


# -- the recorder -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Frame:
    """What a Recorder kept after one epoch.

    ``epoch`` counts finished epochs (fit's epoch index + 1). ``grad_norm[k]`` and
    ``grad_mean_abs[k]`` describe layer k's weight gradient after the epoch's last batch.
    ``runs`` is the decision boundary as run lengths per mesh row (``decode_runs``), or
    None for data without exactly two inputs.
    """

    epoch: int
    loss: float
    accuracy: float | None
    grad_norm: tuple[float, ...]
    grad_mean_abs: tuple[float, ...]
    runs: tuple[tuple[int, ...], ...] | None

    def classes(self) -> np.ndarray | None:
        """The predicted class of every mesh cell, shape (grid, grid): [row (x2), column (x1)]."""
        return None if self.runs is None else decode_runs(self.runs)


class Recorder:
    """A ``fit`` callback that keeps what a network looked like after each recorded epoch.

    ``fit(model, X, y, callback=Recorder(model, X, y, loss="hinge"))``. It records the first
    epoch, every ``every``-th epoch and the last one seen (the last is completed from a copy
    of the weights when ``frames`` is read), each as a ``Frame``: loss and accuracy as fit
    reports them, the L2 norm and mean absolute value of each layer's ``W.grad`` (the
    gradient of the epoch's last batch), and, for two inputs, the class ``classify(predict(
    model, mesh), loss)`` gives at the centre of each cell of a ``grid`` x ``grid`` mesh
    over the data's range widened by 10% on each side (``extent``). ``history`` holds
    loss and accuracy for every epoch. Training is never stopped by it.
    """

    def __init__(self, model: Module, X, y, loss: str = "hinge", every: int = 1, grid: int = 60) -> None:
        self.model, self.layers = _check_model(model)
        self.loss = _check_loss(loss)
        self.every = checks.count(every, "every")
        self.grid = checks.count(grid, "grid", minimum=MIN_GRID)
        if self.grid > MAX_GRID:
            raise ValueError(f"grid must be at most {MAX_GRID} (the page grows with grid^2 per epoch), got {grid}")
        self.X, self.y = check_dataset(X, y)
        self.classes = point_classes(self.y, self.loss)
        self.layer_names = [f"W[{k}]" for k in range(len(self.layers))]
        self.layer_shapes = [tuple(layer.W.shape) for layer in self.layers]
        self.extent = mesh_extent(self.X) if self.X.shape[1] == 2 else None
        self._points = None if self.extent is None else mesh_points(self.extent, self.grid)
        self.history: dict[str, list] = {"epoch": [], "loss": [], "accuracy": []}
        self._frames: list[Frame] = []
        self._pending: tuple | None = None  # (epoch, loss, accuracy, norms, means, weights) not yet a Frame
        self._offset = 0
        self._last_index = -1

    def __call__(self, epoch: int, logs: dict) -> None:
        """Record epoch ``epoch`` (fit's 0-based index) with ``logs`` {"loss": ..., "accuracy": ...}."""
        index = checks.count(epoch, "epoch", minimum=0)
        if not isinstance(logs, dict) or "loss" not in logs:
            raise TypeError(f'logs must be a dict with "loss" (and "accuracy"), got {type(logs).__name__}')
        if index <= self._last_index:  # a new fit() on the same recorder: keep counting
            self._offset = self.history["epoch"][-1]
        self._last_index = index
        number = self._offset + index + 1
        loss = _finite_or_none(logs["loss"])
        accuracy = _finite_or_none(logs.get("accuracy"))
        self.history["epoch"].append(number)
        self.history["loss"].append(loss)
        self.history["accuracy"].append(accuracy)
        norms, means = gradient_sizes(self.layers)
        if number == 1 or number % self.every == 0:
            self._pending = None
            self._frames.append(Frame(number, loss, accuracy, norms, means, self._boundary()))
        else:  # perhaps the last epoch: keep what it needs, the weights included
            weights = [p.data.copy() if isinstance(p.data, np.ndarray) else p.data for p in self.model.parameters()]
            self._pending = (number, loss, accuracy, norms, means, weights)

    def _boundary(self) -> tuple | None:
        if self._points is None:
            return None
        return encode_runs(predicted_classes(self.model, self._points, self.loss).reshape(self.grid, self.grid))

    @property
    def frames(self) -> list[Frame]:
        """The recorded epochs in order; the last epoch seen is always among them."""
        if self._pending is not None:
            number, loss, accuracy, norms, means, weights = self._pending
            params = self.model.parameters()
            current = [p.data for p in params]
            try:  # the boundary of the weights as they were after that epoch
                for p, w in zip(params, weights):
                    p.data = w
                runs = self._boundary()
            finally:
                for p, w in zip(params, current):
                    p.data = w
            self._frames.append(Frame(number, loss, accuracy, norms, means, runs))
            self._pending = None
        return list(self._frames)

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        seen = self.history["epoch"]
        return (
            f"<Recorder: {len(self._frames) + (self._pending is not None)} frames over {len(seen)} epochs, "
            f"{len(self.layers)} layers, grid {self.grid}; nn.write_training_page(recorder, 'training.html')>"
        )


def _finite_or_none(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


# -- numbers and scales shared by the page's Python and its script -------------------------------
def format_value(x: float | None) -> str:
    """A loss for the page: 4 decimals from 0.001 to 10^4, else 3 significant digits as 1.23e-5.

    The page's script formats the same way (toFixed(4), toExponential(2)).
    """
    if x is None:
        return "–"
    if x == 0 or 1e-3 <= abs(x) < 1e4:
        return f"{x:.4f}"
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def format_accuracy(a: float | None) -> str:
    return "–" if a is None else f"{100 * a:.1f}%"


def _nice_step(span: float, count: int) -> float:
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * (1 + 1e-9))


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round numbers between lo and hi, about ``count`` of them."""
    if not hi > lo:
        return [lo]
    step = _nice_step(hi - lo, count)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi + 1e-9 * (hi - lo):
        ticks.append(round(k * step, 12) + 0.0)
        k += 1
    return ticks


def _tick_label(t: float) -> str:
    return f"{t:g}".replace("-", "−")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_label(exponent: int) -> str:
    return {0: "1", 1: "10"}.get(exponent, "10" + str(exponent).translate(_SUPERSCRIPT))


def _tint(color: str, amount: float = 0.72) -> str:
    """``color`` mixed with white: amount 0 is the colour, 1 is white."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def class_color(k: int) -> str:
    if k < len(CLASS_COLORS):
        return CLASS_COLORS[k]
    hue = (k * 137.508) % 360  # golden-angle hues beyond the palette
    return f"hsl({hue:.0f}, 65%, 42%)"


def _class_names(y: np.ndarray, classes: np.ndarray, n: int, loss: str) -> list[str]:
    names = []
    for k in range(n):
        values = np.unique(y[classes == k])
        if loss != "ce" and len(values) == 1:
            names.append(f"y = {_tick_label(float(values[0]))}")
        else:
            names.append(f"class {k}")
    return names


# -- the training page ----------------------------------------------------------------------------
_B = {"size": 440, "left": 52, "top": 14, "right": 12, "bottom": 44}  # boundary panel
_L = {"width": 700, "height": 270, "left": 66, "right": 66, "top": 28, "bottom": 46}  # loss curve
_G = {"width": 700, "height": 250, "left": 66, "right": 16, "top": 26, "bottom": 50}  # gradient bars


def _boundary_svg(recorder: Recorder, frame: Frame, n_classes: int) -> tuple[str, dict]:
    """The boundary panel (cells of ``frame``, the data, axes) and the geometry the script needs."""
    x1_lo, x1_hi, x2_lo, x2_hi = recorder.extent
    room = _B["size"] - _B["left"] - _B["right"]
    aspect = min(max((x2_hi - x2_lo) / (x1_hi - x1_lo), 0.4), 2.5)  # equal scales unless very elongated
    width, height = (room, room * aspect) if aspect <= 1 else (room / aspect, room)
    left, top = _B["left"], _B["top"]
    bottom = top + height
    svg_height = bottom + _B["bottom"]
    grid = recorder.grid

    def px(x1):
        return left + (x1 - x1_lo) / (x1_hi - x1_lo) * width

    def py(x2):
        return bottom - (x2 - x2_lo) / (x2_hi - x2_lo) * height

    cells = _cell_rects(frame.runs)
    parts = [
        f'<svg class="cr-film-boundary" width="{_B["size"]}" height="{svg_height:.0f}" '
        f'viewBox="0 0 {_B["size"]} {svg_height:.0f}" role="img" aria-label="decision boundary">',
        f'<g class="cr-film-cells" transform="translate({left:.2f} {bottom:.2f}) scale({width / grid:.5f} '
        f'{-height / grid:.5f})" shape-rendering="crispEdges">{cells}</g>',
        f'<rect x="{left:.2f}" y="{top:.2f}" width="{width:.2f}" height="{height:.2f}" class="cr-film-frame"/>',
    ]
    for t in _ticks(x1_lo, x1_hi):
        x = px(t)
        parts.append(f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 5:.1f}" class="cr-film-tick"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 19:.1f}" text-anchor="middle">{_tick_label(t)}</text>')
    for t in _ticks(x2_lo, x2_hi):
        y = py(t)
        parts.append(f'<line x1="{left - 5:.1f}" y1="{y:.1f}" x2="{left:.1f}" y2="{y:.1f}" class="cr-film-tick"/>')
        parts.append(f'<text x="{left - 8:.1f}" y="{y + 4.5:.1f}" text-anchor="end">{_tick_label(t)}</text>')
    parts.append(
        f'<text x="{left + width / 2:.1f}" y="{bottom + 38:.1f}" text-anchor="middle" class="cr-film-axis">x1</text>'
    )
    parts.append(
        f'<text x="{left - 38:.1f}" y="{top + height / 2:.1f}" text-anchor="middle" class="cr-film-axis" '
        f'transform="rotate(-90 {left - 38:.1f} {top + height / 2:.1f})">x2</text>'
    )
    n = len(recorder.X)
    radius = 4.5 if n <= 200 else 3.2 if n <= 1000 else 2.2
    dots = "".join(
        f'<circle cx="{px(a):.1f}" cy="{py(b):.1f}" r="{radius}" class="p{k}"/>'
        for (a, b), k in zip(recorder.X.tolist(), recorder.classes.tolist())
    )
    parts.append(f'<g class="cr-film-points">{dots}</g></svg>')
    return "".join(parts), {"classes": n_classes}


def _cell_rects(runs) -> str:
    """One rect per run of equal cells in a row, in cell units (x = column, y = row)."""
    rects = []
    for r, row in enumerate(runs):
        x = 0
        for k, length in zip(row[0::2], row[1::2]):
            rects.append(f'<rect class="{"kx" if k < 0 else f"k{k}"}" x="{x}" y="{r}" width="{length}" height="1"/>')
            x += length
    return "".join(rects)


def _loss_svg(recorder: Recorder, final: Frame) -> tuple[str, dict]:
    epochs, loss, accuracy = recorder.history["epoch"], recorder.history["loss"], recorder.history["accuracy"]
    w, h = _L["width"], _L["height"]
    left, right, top, bottom = _L["left"], w - _L["right"], _L["top"], h - _L["bottom"]
    e_lo, e_hi = epochs[0], epochs[-1]
    finite = [v for v in loss if v is not None]
    l_hi = max(finite) if finite else 1.0
    l_lo = min(0.0, min(finite)) if finite else 0.0
    if l_hi <= l_lo:
        l_hi = l_lo + 1.0
    step = _nice_step(l_hi - l_lo, 5)
    l_hi = math.ceil(l_hi / step - 1e-9) * step  # up to a round number, which gets a tick
    ticks = _ticks(l_lo, l_hi)
    has_accuracy = any(a is not None for a in accuracy)

    def px(e):
        return left + (right - left) * ((e - e_lo) / (e_hi - e_lo) if e_hi > e_lo else 0.5)

    def py(v, lo=l_lo, hi=l_hi):
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    parts = [f'<svg class="cr-film-loss" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="loss">']
    parts.append(
        f'<defs><clipPath id="cr-film-clip"><rect class="cr-film-clip" x="0" y="0" '
        f'width="{px(final.epoch) + 0.5:.1f}" height="{h}"/></clipPath></defs>'
    )
    for t in ticks:
        y = py(t)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="cr-film-gridline"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4.5:.1f}" text-anchor="end">{_tick_label(t)}</text>')
    for t in _ticks(e_lo, e_hi, 8) if e_hi > e_lo else [e_lo]:
        if t != int(t):
            continue
        x = px(t)
        parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" class="cr-film-tick"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 19}" text-anchor="middle">{int(t)}</text>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="cr-film-axisline"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" class="cr-film-axisline"/>')
    parts.append(f'<text x="{(left + right) / 2}" y="{h - 8}" text-anchor="middle" class="cr-film-axis">epoch</text>')
    parts.append(
        f'<text x="16" y="{(top + bottom) / 2}" text-anchor="middle" class="cr-film-axis cr-film-loss-ink" '
        f'transform="rotate(-90 16 {(top + bottom) / 2})">loss</text>'
    )
    if has_accuracy:
        for t in (0, 0.25, 0.5, 0.75, 1.0):
            y = py(t, 0.0, 1.0)
            parts.append(f'<line x1="{right}" y1="{y:.1f}" x2="{right + 5}" y2="{y:.1f}" class="cr-film-tick"/>')
            parts.append(f'<text x="{right + 8}" y="{y + 4.5:.1f}" class="cr-film-acc-ink">{100 * t:g}%</text>')
        parts.append(f'<line x1="{right}" y1="{top}" x2="{right}" y2="{bottom}" class="cr-film-axisline"/>')
        parts.append(
            f'<text x="{w - 12}" y="{(top + bottom) / 2}" text-anchor="middle" class="cr-film-axis cr-film-acc-ink" '
            f'transform="rotate(90 {w - 12} {(top + bottom) / 2})">accuracy</text>'
        )
    parts.append('<g clip-path="url(#cr-film-clip)">')
    if has_accuracy:
        for line in _polylines(epochs, accuracy, px, lambda v: py(v, 0.0, 1.0)):
            parts.append(f'<polyline points="{line}" class="cr-film-acc-line"/>')
    for line in _polylines(epochs, loss, px, py):
        parts.append(f'<polyline points="{line}" class="cr-film-loss-line"/>')
    parts.append("</g>")
    x = px(final.epoch)
    parts.append(f'<line class="cr-film-cursor" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}"/>')
    y = py(final.loss) if final.loss is not None else bottom
    parts.append(f'<circle class="cr-film-dot" cx="{x:.1f}" cy="{y:.1f}" r="5"/>')
    # the legend above the plot, where no curve runs
    legend = [("cr-film-loss-line", "loss")] + [("cr-film-acc-line", "accuracy")] * has_accuracy
    x = right - 8 - 120 * len(legend)
    for kind, name in legend:
        parts.append(
            f'<line x1="{x}" y1="{top - 13}" x2="{x + 26}" y2="{top - 13}" class="{kind}"/>'
            f'<text x="{x + 32}" y="{top - 8}" class="cr-film-legend">{name}</text>'
        )
        x += 120
    parts.append("</svg>")
    geometry = {"left": left, "right": right, "top": top, "bottom": bottom, "e0": e_lo, "e1": e_hi}
    geometry.update({"lo": l_lo, "hi": l_hi})
    return "".join(parts), geometry


def _polylines(xs, ys, px, py) -> list[str]:
    """Point lists for the finite stretches of a curve (a gap where a value is missing)."""
    lines, current = [], []
    for x, y in zip(xs, ys):
        if y is None:
            if current:
                lines.append(current)
            current = []
        else:
            current.append(f"{px(x):.1f},{py(y):.1f}")
    if current:
        lines.append(current)
    return [" ".join(line) if len(line) > 1 else f"{line[0]} {line[0]}" for line in lines]


def _log_range(frames: list[Frame]) -> tuple[int, int]:
    values = [v for f in frames for v in (*f.grad_norm, *f.grad_mean_abs) if math.isfinite(v) and v > 0]
    if not values:
        return -3, 0
    lo, hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    return (lo, hi) if hi > lo else (lo, lo + 1)


def _grad_svg(recorder: Recorder, frames: list[Frame], final: Frame) -> tuple[str, dict]:
    w, h = _G["width"], _G["height"]
    left, right, top, bottom = _G["left"], w - _G["right"], _G["top"], h - _G["bottom"]
    lo, hi = _log_range(frames)
    n = len(recorder.layers)
    slot = (right - left) / n
    bar = min(46.0, slot * 0.36)
    geometry = {"left": left, "top": top, "bottom": bottom, "lo": lo, "hi": hi, "slot": slot, "bar": bar}
    parts = [
        f'<svg class="cr-film-grads" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="weight-gradient size per layer">'
    ]
    step = 1 if hi - lo <= 8 else 2
    for e in range(lo, hi + 1, step):
        y = bottom - (e - lo) / (hi - lo) * (bottom - top)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="cr-film-gridline"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4.5:.1f}" text-anchor="end">{_power_label(e)}</text>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="cr-film-axisline"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" class="cr-film-axisline"/>')
    parts.append(
        f'<text x="16" y="{(top + bottom) / 2}" text-anchor="middle" class="cr-film-axis" '
        f'transform="rotate(-90 16 {(top + bottom) / 2})">gradient size (log)</text>'
    )
    for k, (name, shape) in enumerate(zip(recorder.layer_names, recorder.layer_shapes)):
        centre = left + slot * (k + 0.5)
        for s, (kind, values) in enumerate((("norm", final.grad_norm), ("mean", final.grad_mean_abs))):
            x = centre - bar - 1 if s == 0 else centre + 1
            y, height, label = _bar(values[k], geometry)
            parts.append(
                f'<rect class="cr-film-bar cr-film-{kind}" data-layer="{k}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar:.1f}" height="{height:.1f}"/>'
                f'<text class="cr-film-barval cr-film-{kind}-val" data-layer="{k}" x="{x + bar / 2:.1f}" '
                f'y="{y - 5:.1f}" text-anchor="middle">{label}</text>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{bottom + 19}" text-anchor="middle" class="cr-film-layer">{html.escape(name)}</text>'
            f'<text x="{centre:.1f}" y="{bottom + 36}" text-anchor="middle" class="cr-film-shape">'
            f"{shape[0]}×{shape[1]}</text>"
        )
    parts.append(
        f'<rect x="{right - 290}" y="{top - 22}" width="14" height="14" class="cr-film-norm"/>'
        f'<text x="{right - 270}" y="{top - 10}" class="cr-film-legend">‖∂L/∂W‖₂ (L2 norm)</text>'
        f'<rect x="{right - 122}" y="{top - 22}" width="14" height="14" class="cr-film-mean"/>'
        f'<text x="{right - 102}" y="{top - 10}" class="cr-film-legend">mean |∂L/∂W|</text></svg>'
    )
    return "".join(parts), geometry


def _bar(value: float, geometry: dict) -> tuple[float, float, str]:
    """(top y, height, label) of a bar for ``value`` on the log axis; the script computes the same."""
    lo, hi, top, bottom = geometry["lo"], geometry["hi"], geometry["top"], geometry["bottom"]
    if not math.isfinite(value):
        return top, bottom - top, "inf" if value > 0 else "NaN"
    if value <= 0:
        return bottom, 0.0, "0"
    fraction = min(max((math.log10(value) - lo) / (hi - lo), 0.0), 1.0)
    y = bottom - fraction * (bottom - top)
    return y, bottom - y, _format_small(value)


def _format_small(x: float) -> str:
    """3 significant digits: 0.0123 or 1.23e-5 (the script's toPrecision / toExponential agree)."""
    if 0.01 <= abs(x) < 999.5:
        text = f"{x:#.3g}"
        return text.rstrip(".")
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _json_number(x: float | None, digits: int = 6):
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


def _page_data(recorder: Recorder, frames: list[Frame], geometry: dict) -> str:
    data = {
        "epochs": recorder.history["epoch"],
        "loss": [_json_number(v) for v in recorder.history["loss"]],
        "accuracy": [_json_number(v) for v in recorder.history["accuracy"]],
        "layers": recorder.layer_names,
        "grid": recorder.grid,
        "geometry": geometry,
        "frames": [
            {
                "epoch": f.epoch,
                "norm": [_json_number(v, 4) if math.isfinite(v) else ("inf" if v > 0 else "nan") for v in f.grad_norm],
                "mean": [
                    _json_number(v, 4) if math.isfinite(v) else ("inf" if v > 0 else "nan") for v in f.grad_mean_abs
                ],
                "runs": None if f.runs is None else [list(row) for row in f.runs],
            }
            for f in frames
        ],
    }
    return script_json(data)


def write_training_page(recorder: Recorder, path: str | os.PathLike, title: str = "Training, epoch by epoch") -> Path:
    """Write ``recorder``'s epochs as one offline HTML page with a slider; returns the path.

    The page shows, for the chosen epoch: the decision boundary with the data (two inputs
    only), the loss (and accuracy) curve up to that epoch, and each layer's weight-gradient
    size on a log scale. Without its script it shows the last epoch.
    """
    if not isinstance(recorder, Recorder):
        raise TypeError(f"recorder must be an nn.Recorder (pass it to fit as callback), got {type(recorder).__name__}")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name (str or os.PathLike), got {type(path).__name__} {path!r:.60}")
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__} {title!r:.60}")
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"cannot write a training page as {path.name!r}: use a .html file name")
    frames = recorder.frames
    if not frames:
        raise ValueError("the recorder holds no epochs yet: train with fit(model, X, y, callback=recorder) first")
    write_file(path, training_page(recorder, title).encode())
    return path


def training_page(recorder: Recorder, title: str = "Training, epoch by epoch") -> str:
    """The HTML text of ``write_training_page``."""
    frames = recorder.frames
    final = frames[-1]
    n_classes = max(int(recorder.classes.max()) + 1, 2)
    for f in frames:
        if f.runs is not None:
            n_classes = max(n_classes, max(max(row[0::2]) for row in f.runs) + 1)
    loss_svg, loss_geometry = _loss_svg(recorder, final)
    grad_svg, grad_geometry = _grad_svg(recorder, frames, final)
    geometry = {"loss": loss_geometry, "grads": grad_geometry}
    if recorder.extent is not None:
        boundary_svg, _ = _boundary_svg(recorder, final, n_classes)
        names = _class_names(recorder.y, recorder.classes, n_classes, recorder.loss)
        legend = "".join(
            f'<li><span class="cr-film-swatch" style="background:{_tint(class_color(k))}">'
            f'<span style="background:{class_color(k)}"></span></span>{html.escape(name)}</li>'
            for k, name in enumerate(names)
        )
        if any(f.runs is not None and any(-1 in row[0::2] for row in f.runs) for f in frames):
            legend += (
                f'<li><span class="cr-film-swatch" style="background:{UNDEFINED_COLOR}"></span>'
                "output NaN or infinite</li>"
            )
        boundary = (
            '<section class="cr-film-panel"><h2>Decision boundary</h2>'
            '<p class="cr-film-sub">shaded: the class the network predicts there · dots: the training data</p>'
            f'{boundary_svg}<ul class="cr-film-classes">{legend}</ul></section>'
        )
    else:
        features = recorder.X.shape[1]
        boundary = (
            '<section class="cr-film-panel cr-film-noboundary"><h2>Decision boundary</h2>'
            f'<p class="cr-film-note">The inputs have {features} feature{"s" * (features != 1)}: a decision boundary '
            "can be drawn on the page only for two (x1, x2). The loss and the gradients are shown on the right.</p>"
            "</section>"
        )
    class_css = "".join(
        f".cr-film .k{k}{{fill:{_tint(class_color(k))}}}.cr-film .p{k}{{fill:{class_color(k)}}}"
        for k in range(n_classes)
    )
    n_samples, n_epochs = len(recorder.X), recorder.history["epoch"][-1]
    layers = len(recorder.layers)
    where = (
        "Left, the class the network predicts at each point of the plane, under the training data. Right, the "
        if recorder.extent is not None
        else "On the right, the "
    )
    explanation = (
        f"A network with {layers} weight layer{'s' * (layers != 1)} trained on {n_samples} samples with the "
        f"{LOSS_NAMES[recorder.loss]} loss for {n_epochs} epoch{'s' * (n_epochs != 1)}; in each epoch it sees every "
        'sample once and takes a gradient step <span class="cr-film-math">W ← W − lr · ∂L/∂W</span> after each batch. Pick an epoch with the '
        f"slider, the keys ← → Home End, or Play. {where}loss so far, and how large each layer's weight gradient "
        "∂L/∂W was after the epoch's last batch (log scale; W[0] is nearest the input). Bars that shrink by orders "
        "of magnitude toward W[0] mean vanishing gradients: those layers barely learn. Bars that keep growing mean "
        "exploding gradients."
    )
    accuracy = format_accuracy(final.accuracy)
    readout = f"loss {format_value(final.loss)}" + (f" · accuracy {accuracy}" if final.accuracy is not None else "")
    last = len(frames) - 1
    body = f"""<div id="cr-film" class="cr-film" data-frame="{last}" data-epoch="{final.epoch}">
<style>{_CSS}{class_css}</style>
<h1>{html.escape(title)}</h1>
<p class="cr-film-intro">{explanation}</p>
<div class="cr-film-bar-row">
<div class="cr-film-controls" hidden>
<button type="button" class="cr-film-play" title="play / pause (space)">▶ Play</button>
<input type="range" class="cr-film-slider" min="0" max="{last}" value="{last}" step="1" aria-label="epoch">
</div>
<span class="cr-film-epoch">Epoch {final.epoch} of {n_epochs}</span>
<span class="cr-film-readout">{readout}</span>
</div>
<p class="cr-film-static">This is the state after the last epoch. Turn on JavaScript to step through the epochs.</p>
<div class="cr-film-panels">
{boundary}
<div class="cr-film-right">
<section class="cr-film-panel"><h2>Loss{" and accuracy" if any(a is not None for a in recorder.history["accuracy"]) else ""}</h2>{loss_svg}</section>
<section class="cr-film-panel"><h2>Weight-gradient size per layer</h2>{grad_svg}</section>
</div>
</div>
<script type="application/json" class="cr-film-data">{_page_data(recorder, frames, geometry)}</script>
<script>{_SCRIPT}</script>
</div>"""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)} · chainrule</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


_CSS = (
    """
body { margin: 0; background: #fff; }
.cr-film { font-family: Verdana, "DejaVu Sans", sans-serif; color: #0f172a; padding: 14px 22px; max-width: 1240px; }
.cr-film h1 { font-size: 26px; margin: 0 0 6px; }
.cr-film h2 { font-size: 17px; margin: 0 0 2px; }
.cr-film-intro { font-size: 14.5px; line-height: 1.5; margin: 0 0 10px; color: #1e293b; max-width: 1200px; }
.cr-film-bar-row { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 22px; margin: 4px 0 8px;
  padding: 8px 12px; background: #f1f5f9; border-radius: 8px; }
.cr-film-controls { display: flex; align-items: center; gap: 12px; flex: 1 1 420px; }
.cr-film-controls[hidden] { display: none; }
.cr-film-slider { flex: 1 1 auto; min-width: 200px; accent-color: #2563eb; height: 22px; }
.cr-film button { font: inherit; font-size: 15px; padding: 4px 14px; border: 1px solid #94a3b8; border-radius: 6px;
  background: #fff; color: #0f172a; cursor: pointer; min-width: 7.5em; }
.cr-film button:hover { background: #e2e8f0; }
.cr-film button:focus-visible, .cr-film input:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
.cr-film-epoch { font-size: 18px; font-weight: bold; font-variant-numeric: tabular-nums; min-width: 9.5em; }
.cr-film-readout { font-size: 16px; font-variant-numeric: tabular-nums; min-width: 16em; }
.cr-film-math { white-space: nowrap; }
.cr-film-static { font-size: 13px; color: #475569; margin: 0 0 6px; }
.cr-film.cr-live .cr-film-static { display: none; }
.cr-film-panels { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
.cr-film-right { display: flex; flex-direction: column; gap: 6px; }
.cr-film-panel svg { display: block; overflow: visible; }
.cr-film-sub { font-size: 13px; color: #475569; margin: 0 0 4px; }
.cr-film-note { font-size: 15px; max-width: 400px; color: #334155; background: #f8fafc; border-left: 4px solid #94a3b8;
  padding: 8px 12px; }
.cr-film svg text { font-size: 13px; fill: #334155; }
.cr-film svg text.cr-film-axis { font-size: 15px; font-weight: bold; fill: #0f172a; font-style: italic; }
.cr-film-frame { fill: none; stroke: #475569; stroke-width: 1; }
.cr-film-tick, .cr-film-axisline { stroke: #475569; stroke-width: 1; }
.cr-film-gridline { stroke: #e2e8f0; stroke-width: 1; }
.cr-film-points circle { stroke: #0f172a; stroke-width: 0.9; }
.cr-film .kx { fill: """
    + UNDEFINED_COLOR
    + """; }
.cr-film-loss-line { fill: none; stroke: #1d4ed8; stroke-width: 2.5; stroke-linejoin: round; }
.cr-film-acc-line { fill: none; stroke: #ea580c; stroke-width: 2; stroke-dasharray: 6 3; stroke-linejoin: round; }
.cr-film svg .cr-film-loss-ink { fill: #1d4ed8; }
.cr-film svg .cr-film-acc-ink { fill: #c2410c; }
.cr-film-cursor { stroke: #0f172a; stroke-width: 1.2; stroke-dasharray: 3 3; }
.cr-film-dot { fill: #1d4ed8; stroke: #fff; stroke-width: 2; }
.cr-film svg text.cr-film-legend { font-size: 14px; }
.cr-film-norm { fill: #7c3aed; }
.cr-film-mean { fill: #c4b5fd; }
.cr-film svg text.cr-film-barval { font-size: 12px; fill: #1e293b; }
.cr-film svg text.cr-film-layer { font-size: 15px; font-weight: bold; fill: #0f172a; }
.cr-film svg text.cr-film-shape { font-size: 12px; fill: #64748b; }
.cr-film-classes { list-style: none; padding: 0; margin: 6px 0 0 52px; display: flex; flex-wrap: wrap;
  gap: 4px 20px; font-size: 14px; }
.cr-film-swatch { display: inline-flex; align-items: center; justify-content: center; width: 22px; height: 16px;
  border: 1px solid #64748b; border-radius: 3px; margin-right: 7px; vertical-align: -3px; }
.cr-film-swatch span { width: 8px; height: 8px; border-radius: 50%; border: 1px solid #0f172a; }
"""
)

_SCRIPT = r"""
(function () {
  "use strict";
  const root = document.getElementById("cr-film");
  const data = JSON.parse(root.querySelector(".cr-film-data").textContent);
  const frames = data.frames, last = frames.length - 1;
  const slider = root.querySelector(".cr-film-slider");
  const play = root.querySelector(".cr-film-play");
  const epochText = root.querySelector(".cr-film-epoch");
  const readout = root.querySelector(".cr-film-readout");
  const cells = root.querySelector(".cr-film-cells");
  const clip = root.querySelector(".cr-film-clip");
  const cursor = root.querySelector(".cr-film-cursor");
  const dot = root.querySelector(".cr-film-dot");
  const L = data.geometry.loss, G = data.geometry.grads;
  const finalEpoch = data.epochs[data.epochs.length - 1];
  const where = new Map(data.epochs.map((e, i) => [e, i]));
  let current = last, timer = null;

  function value(x) {
    if (x === null || x === undefined) return "\u2013";
    if (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4)) return x.toFixed(4);
    return x.toExponential(2).replace("e+", "e");
  }
  function small(x) {
    if (Math.abs(x) >= 0.01 && Math.abs(x) < 999.5) return x.toPrecision(3).replace(/\.$/, "");
    return x.toExponential(2).replace("e+", "e");
  }
  function ex(e) { return L.left + (L.right - L.left) * (L.e1 > L.e0 ? (e - L.e0) / (L.e1 - L.e0) : 0.5); }
  function ly(v) { return L.bottom - (v - L.lo) / (L.hi - L.lo) * (L.bottom - L.top); }
  function bar(v) {
    if (v === "inf" || v === "nan") return [G.top, G.bottom - G.top, v === "inf" ? "inf" : "NaN"];
    if (typeof v !== "number" || v <= 0) return [G.bottom, 0, "0"];
    const f = Math.min(Math.max((Math.log10(v) - G.lo) / (G.hi - G.lo), 0), 1);
    const y = G.bottom - f * (G.bottom - G.top);
    return [y, G.bottom - y, small(v)];
  }
  function drawCells(runs) {
    if (!cells || !runs) return;
    const out = [];
    runs.forEach((row, r) => {
      let x = 0;
      for (let i = 0; i < row.length; i += 2) {
        const k = row[i], n = row[i + 1];
        out.push('<rect class="' + (k < 0 ? "kx" : "k" + k) + '" x="' + x + '" y="' + r + '" width="' + n +
          '" height="1"/>');
        x += n;
      }
    });
    cells.innerHTML = out.join("");
  }
  function drawBars(kind, values) {
    root.querySelectorAll(".cr-film-bar.cr-film-" + kind).forEach((rect) => {
      const [y, h] = bar(values[+rect.dataset.layer]);
      rect.setAttribute("y", y.toFixed(1));
      rect.setAttribute("height", h.toFixed(1));
    });
    root.querySelectorAll(".cr-film-" + kind + "-val").forEach((text) => {
      const [y, , label] = bar(values[+text.dataset.layer]);
      text.setAttribute("y", (y - 5).toFixed(1));
      text.textContent = label;
    });
  }
  function show(i) {
    current = Math.max(0, Math.min(last, i));
    const f = frames[current], at = where.get(f.epoch);
    const loss = data.loss[at], accuracy = data.accuracy[at];
    slider.value = String(current);
    root.dataset.frame = String(current);
    root.dataset.epoch = String(f.epoch);
    epochText.textContent = "Epoch " + f.epoch + " of " + finalEpoch;
    readout.textContent = "loss " + value(loss) +
      (accuracy === null ? "" : " \u00b7 accuracy " + (100 * accuracy).toFixed(1) + "%");
    drawCells(f.runs);
    const x = ex(f.epoch);
    clip.setAttribute("width", (x + 0.5).toFixed(1));
    cursor.setAttribute("x1", x.toFixed(1));
    cursor.setAttribute("x2", x.toFixed(1));
    dot.setAttribute("cx", x.toFixed(1));
    dot.setAttribute("cy", (loss === null ? L.bottom : ly(loss)).toFixed(1));
    drawBars("norm", f.norm);
    drawBars("mean", f.mean);
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "\u25b6 Play";
  }
  function start() {
    if (current >= last) show(0);
    play.textContent = "\u275a\u275a Pause";
    const delay = Math.max(60, Math.min(400, 8000 / Math.max(last, 1)));
    timer = setInterval(() => { if (current >= last) stop(); else show(current + 1); }, delay);
  }
  play.addEventListener("click", () => (timer === null ? start() : stop()));
  slider.addEventListener("input", () => { stop(); show(+slider.value); });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
        (target.tagName === "INPUT" && target !== slider))) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowRight: current + 1, ArrowUp: current + 1, ArrowLeft: current - 1, ArrowDown: current - 1,
      Home: 0, End: last, PageUp: current + 10, PageDown: current - 10 };
    if (event.key in moves) {
      event.preventDefault();  // the slider would move as well: one step per key press
      stop();
      show(moves[event.key]);
    } else if (event.key === " " && target !== play) {
      event.preventDefault();
      timer === null ? start() : stop();
    }
  });
  root.querySelector(".cr-film-controls").hidden = false;
  root.classList.add("cr-live");
  show(last);
})();
"""


# -- the live plot for notebooks ------------------------------------------------------------------
def _find_display() -> Callable | None:
    """A function showing PNG bytes in the running notebook, or None outside one (or without IPython)."""
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:  # a plain or terminal Python shows no images
        return None

    def show(png: bytes, handle=None):
        if handle is None:
            return display(Image(data=png), display_id=True)
        handle.update(Image(data=png))
        return handle

    return show


class LivePlot:
    """A ``fit`` callback that redraws loss, accuracy and the decision boundary in a notebook.

    ``fit(model, X, y, plot=True)`` uses one; as a callback of your own:
    ``fit(..., callback=LivePlot(model, X, y, "hinge"))``. It redraws at most once every
    ``min_interval`` seconds (less often if a redraw would take over a quarter of the
    training time), plus the last epoch (when ``epochs`` is given, or when
    ``finish()`` is called). Outside a notebook, or without IPython, it draws nothing and
    only keeps ``history``; ``figure()`` draws the current state as a matplotlib Figure.
    A custom loss function draws loss only: there is no rule to turn outputs into classes.
    """

    def __init__(
        self,
        model: Module,
        X,
        y,
        loss: str | Callable = "hinge",
        epochs: int | None = None,
        min_interval: float = 0.2,
        grid: int = 80,
    ) -> None:
        self.model, _ = _check_model(model)
        self.loss = loss if callable(loss) else checks.choice(loss, "loss", LOSSES)
        self.epochs = None if epochs is None else checks.count(epochs, "epochs")
        self.min_interval = checks.number(min_interval, "min_interval", minimum=0.0)
        self.grid = checks.count(grid, "grid", minimum=MIN_GRID)
        if self.grid > MAX_GRID:
            raise ValueError(f"grid must be at most {MAX_GRID}, got {grid}")
        self.X, self.y = check_dataset(X, y)
        boundary = self.X.shape[1] == 2 and not callable(self.loss)
        self.extent = mesh_extent(self.X) if boundary else None
        self.classes = point_classes(self.y, self.loss) if boundary else None
        self.history: dict[str, list] = {"epoch": [], "loss": [], "accuracy": []}
        self.redraws = 0
        self._show = _find_display()
        self._handle = None
        self._last_draw = -math.inf
        self._draw_time = 0.0
        self._drawn_epoch: int | None = None

    @property
    def live(self) -> bool:
        """Whether it draws: in a notebook with IPython, and no drawing has failed."""
        return self._show is not None

    def __call__(self, epoch: int, logs: dict) -> None:
        index = checks.count(epoch, "epoch", minimum=0)
        if not isinstance(logs, dict) or "loss" not in logs:
            raise TypeError(f'logs must be a dict with "loss" (and "accuracy"), got {type(logs).__name__}')
        self.history["epoch"].append(index + 1)
        self.history["loss"].append(_finite_or_none(logs["loss"]))
        self.history["accuracy"].append(_finite_or_none(logs.get("accuracy")))
        if self._show is None:
            return
        started = time.monotonic()
        final = self.epochs is not None and index + 1 >= self.epochs
        # At most one redraw per min_interval, and drawing takes at most a quarter of the time.
        if final or started - self._last_draw >= max(self.min_interval, 3 * self._draw_time):
            self._draw()
            self._last_draw = time.monotonic()
            self._draw_time = self._last_draw - started

    def finish(self) -> None:
        """Draw the last epoch if the throttle skipped it (fit calls this when training ends)."""
        if self._show is not None and self.history["epoch"] and self._drawn_epoch != self.history["epoch"][-1]:
            self._draw()

    def _draw(self) -> None:
        figure = self.figure()
        buffer = io.BytesIO()
        try:
            figure.savefig(buffer, format="png")
            self._handle = self._show(buffer.getvalue(), self._handle)
        except Exception as error:  # a drawing problem must not stop training: warn once, then stop drawing
            warnings.warn(f"LivePlot stopped drawing: {type(error).__name__}: {error}", RuntimeWarning, stacklevel=3)
            self._show = None
            return
        self.redraws += 1
        self._drawn_epoch = self.history["epoch"][-1] if self.history["epoch"] else None

    def figure(self):
        """A matplotlib Figure of the history so far: loss and accuracy, and the boundary for two inputs."""
        from matplotlib.colors import ListedColormap
        from matplotlib.figure import Figure

        boundary = self.extent is not None
        fig = Figure(figsize=(10.5, 4.2) if boundary else (6.2, 4.2), dpi=90)  # no layout engine: fast redraws
        axes = fig.subplots(1, 2) if boundary else [fig.subplots()]
        if boundary:
            fig.subplots_adjust(left=0.07, right=0.97, bottom=0.13, top=0.91, wspace=0.32)
        else:
            fig.subplots_adjust(left=0.12, right=0.87, bottom=0.13, top=0.91)
        ax = axes[0]
        epochs, loss, accuracy = self.history["epoch"], self.history["loss"], self.history["accuracy"]
        ax.plot(epochs, [np.nan if v is None else v for v in loss], color="#1d4ed8", lw=2, label="loss")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss", color="#1d4ed8")
        ax.grid(alpha=0.3)
        title = f"epoch {epochs[-1]}: loss {format_value(loss[-1])}" if epochs else "no epoch yet"
        if any(a is not None for a in accuracy):
            twin = ax.twinx()
            twin.plot(epochs, [np.nan if a is None else a for a in accuracy], color="#ea580c", lw=1.8, ls="--")
            twin.set_ylim(0, 1.02)
            twin.set_ylabel("accuracy", color="#c2410c")
            title += f", accuracy {format_accuracy(accuracy[-1])}"
        ax.set_title(title)
        if boundary:
            bx = axes[1]
            grid = self.grid
            classes = predicted_classes(self.model, mesh_points(self.extent, grid), self.loss).reshape(grid, grid)
            n = max(int(classes.max()) + 1, int(self.classes.max()) + 1, 2)
            colors = [UNDEFINED_COLOR] + [
                _tint(class_color(k)) if k < len(CLASS_COLORS) else "#e2e8f0" for k in range(n)
            ]
            x1_lo, x1_hi, x2_lo, x2_hi = self.extent
            bx.imshow(
                classes + 1,  # row 0 is the bottom of the mesh
                origin="lower",
                extent=self.extent,
                aspect="auto",
                interpolation="nearest",
                cmap=ListedColormap(colors),
                vmin=-0.5,
                vmax=n + 0.5,
            )
            points = [class_color(k) if k < len(CLASS_COLORS) else "#475569" for k in self.classes]
            bx.scatter(self.X[:, 0], self.X[:, 1], c=points, edgecolors="#0f172a", linewidths=0.6, s=22)
            bx.set_xlim(x1_lo, x1_hi)
            bx.set_ylim(x2_lo, x2_hi)
            bx.set_xlabel("x1")
            bx.set_ylabel("x2")
            bx.set_title("decision boundary")
        return fig

    def __repr__(self) -> str:
        where = "drawing in this notebook" if self.live else "not drawing (no notebook)"
        return f"<LivePlot: {len(self.history['epoch'])} epochs, {self.redraws} redraws, {where}>"


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
