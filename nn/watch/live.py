"""A live plot for Jupyter: loss, accuracy and the decision boundary, redrawn while ``fit`` runs
(``fit(..., plot=True)``); outside a notebook it only keeps the history."""

from __future__ import annotations

import io
import math
import time
import warnings
from collections.abc import Callable

import numpy as np

from autograd import checks

from ..data import LOSSES, check_dataset
from ..module import Module
from .recorder import (
    MAX_GRID,
    MIN_GRID,
    check_watchable,
    finite_or_none,
    mesh_extent,
    mesh_points,
    point_classes,
    predicted_classes,
)
from .style import CLASS_COLORS, UNDEFINED_COLOR, class_color, format_accuracy, format_value, tint


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
        self.model, _ = check_watchable(model)
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
        self.history["loss"].append(finite_or_none(logs["loss"]))
        self.history["accuracy"].append(finite_or_none(logs.get("accuracy")))
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
                tint(class_color(k)) if k < len(CLASS_COLORS) else "#e2e8f0" for k in range(n)
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
