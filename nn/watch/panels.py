"""The training page's three drawings as SVG: the decision boundary over the data, the loss
(and accuracy) curve, and each layer's weight-gradient size on a log scale.

Each panel is drawn for the last recorded epoch, so the page reads without its script; with
it, the script moves the cursor, the cells and the bars, using the geometry each panel returns.
"""

from __future__ import annotations

import html
import math

from .recorder import Frame, Recorder


# -- scales ---------------------------------------------------------------------------------------
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


def tick_label(t: float) -> str:
    return f"{t:g}".replace("-", "−")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_label(exponent: int) -> str:
    return {0: "1", 1: "10"}.get(exponent, "10" + str(exponent).translate(_SUPERSCRIPT))


# -- the panels -------------------------------------------------------------------------------------
_B = {"size": 440, "left": 52, "top": 14, "right": 12, "bottom": 44}  # boundary panel
_L = {"width": 700, "height": 270, "left": 66, "right": 66, "top": 28, "bottom": 46}  # loss curve
_G = {"width": 700, "height": 250, "left": 66, "right": 16, "top": 26, "bottom": 50}  # gradient bars


def boundary_panel(recorder: Recorder, frame: Frame, n_classes: int) -> tuple[str, dict]:
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
        parts.append(f'<text x="{x:.1f}" y="{bottom + 19:.1f}" text-anchor="middle">{tick_label(t)}</text>')
    for t in _ticks(x2_lo, x2_hi):
        y = py(t)
        parts.append(f'<line x1="{left - 5:.1f}" y1="{y:.1f}" x2="{left:.1f}" y2="{y:.1f}" class="cr-film-tick"/>')
        parts.append(f'<text x="{left - 8:.1f}" y="{y + 4.5:.1f}" text-anchor="end">{tick_label(t)}</text>')
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


def loss_panel(recorder: Recorder, final: Frame) -> tuple[str, dict]:
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
        parts.append(f'<text x="{left - 8}" y="{y + 4.5:.1f}" text-anchor="end">{tick_label(t)}</text>')
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


def gradient_panel(recorder: Recorder, frames: list[Frame], final: Frame) -> tuple[str, dict]:
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


def bar_number(value: float) -> float:
    """A gradient size as the page's data carries it (4 digits): the bars drawn here and by the script
    start from the same number, so a label is never 0.0165 here and 0.0164 there."""
    return float(f"{value:.4g}")


def _bar(value: float, geometry: dict) -> tuple[float, float, str]:
    """(top y, height, label) of a bar for ``value`` on the log axis; the script computes the same."""
    lo, hi, top, bottom = geometry["lo"], geometry["hi"], geometry["top"], geometry["bottom"]
    if math.isfinite(value):
        value = bar_number(value)
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
