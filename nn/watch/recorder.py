"""What a Recorder keeps while a network trains: after each recorded epoch, the loss, the
accuracy, the size of every layer's weight gradient and, for data with two inputs, the class
the model predicts on a grid over the plane (its decision boundary).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from autograd import checks

from ..data import LOSSES, check_dataset
from ..layers import Layer
from ..module import Module
from ..predict import classes_of, classify, predict

MIN_GRID, MAX_GRID = 4, 400
MARGIN = 0.1  # the boundary's mesh reaches this fraction of the data's range beyond it on every side


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


def check_watchable(model) -> tuple[Module, list[Layer]]:
    """``model`` and its Layers, or a TypeError if it has none to watch."""
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
        self.model, self.layers = check_watchable(model)
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
        loss = finite_or_none(logs["loss"])
        accuracy = finite_or_none(logs.get("accuracy"))
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


def finite_or_none(value) -> float | None:
    """``value`` as a float, or None where it is missing, NaN or infinite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
