"""The training page: one offline HTML page with a slider over a Recorder's epochs, showing the
decision boundary, the loss curve so far and the gradient sizes (``panels``), the recorded
numbers as JSON, and the script and style in ``static/training.js`` and ``training.css``.
"""

from __future__ import annotations

import html
import math
import os
from importlib import resources
from pathlib import Path

import numpy as np

from autograd.show.page import script_json, write_file

from .panels import bar_number, boundary_panel, gradient_panel, loss_panel, tick_label
from .recorder import Frame, Recorder
from .style import UNDEFINED_COLOR, class_color, format_accuracy, format_value, tint

LOSS_NAMES = {"hinge": "hinge", "bce": "binary cross-entropy", "mse": "mean squared error", "ce": "cross-entropy"}


def _class_names(y: np.ndarray, classes: np.ndarray, n: int, loss: str) -> list[str]:
    names = []
    for k in range(n):
        values = np.unique(y[classes == k])
        if loss != "ce" and len(values) == 1:
            names.append(f"y = {tick_label(float(values[0]))}")
        else:
            names.append(f"class {k}")
    return names


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
                "norm": [bar_number(v) if math.isfinite(v) else ("inf" if v > 0 else "nan") for v in f.grad_norm],
                "mean": [bar_number(v) if math.isfinite(v) else ("inf" if v > 0 else "nan") for v in f.grad_mean_abs],
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
    loss_svg, loss_geometry = loss_panel(recorder, final)
    grad_svg, grad_geometry = gradient_panel(recorder, frames, final)
    geometry = {"loss": loss_geometry, "grads": grad_geometry}
    if recorder.extent is not None:
        boundary_svg, _ = boundary_panel(recorder, final, n_classes)
        names = _class_names(recorder.y, recorder.classes, n_classes, recorder.loss)
        legend = "".join(
            f'<li><span class="cr-film-swatch" style="background:{tint(class_color(k))}">'
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
            "can be drawn on the page only for two (x1, x2). The loss and the gradients are shown beside it.</p>"
            "</section>"
        )
    class_css = f".cr-film .kx{{fill:{UNDEFINED_COLOR}}}" + "".join(  # kx: cells where an output is NaN or inf
        f".cr-film .k{k}{{fill:{tint(class_color(k))}}}.cr-film .p{k}{{fill:{class_color(k)}}}"
        for k in range(n_classes)
    )
    n_samples, n_epochs = len(recorder.X), recorder.history["epoch"][-1]
    layers = len(recorder.layers)
    where = (
        "The first panel shows the class the network predicts at each point of the plane, under the training "
        "data; the other two, the "
        if recorder.extent is not None
        else "The panels show the "
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
<style>
{_asset("training.css")}{class_css}</style>
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
<section class="cr-film-panel"><h2>Loss{" and accuracy" if any(a is not None for a in recorder.history["accuracy"]) else ""}</h2><div class="cr-film-chart">{loss_svg}</div></section>
<section class="cr-film-panel"><h2>Weight-gradient size per layer</h2><div class="cr-film-chart">{grad_svg}</div></section>
</div>
</div>
<script type="application/json" class="cr-film-data">{_page_data(recorder, frames, geometry)}</script>
<script>
{_asset("training.js")}</script>
</div>"""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)} · chainrule</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _asset(name: str) -> str:
    """The text of a file of the page (its style, its script) in ``nn/watch/static``."""
    return resources.files("nn.watch").joinpath("static", name).read_text(encoding="utf-8")
