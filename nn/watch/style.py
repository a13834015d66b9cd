"""How the training page and the live plot show classes and numbers: one colour per class, a
tint of it for the region the model assigns to that class, and losses and accuracies as text."""

from __future__ import annotations

# One colour per class (Okabe-Ito-like, distinct for most kinds of colour blindness), then a tint
# of it for the region the model assigns to that class.
CLASS_COLORS = ("#2563eb", "#ea580c", "#059669", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777")
UNDEFINED_COLOR = "#cbd5e1"  # cells where the model's output is NaN or infinite


def tint(color: str, amount: float = 0.72) -> str:
    """``color`` mixed with white: amount 0 is the colour, 1 is white."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def class_color(k: int) -> str:
    """The colour of class ``k``: the palette's, then golden-angle hues."""
    if k < len(CLASS_COLORS):
        return CLASS_COLORS[k]
    hue = (k * 137.508) % 360  # golden-angle hues beyond the palette
    return f"hsl({hue:.0f}, 65%, 42%)"


# -- numbers as the page's Python and its script write them ---------------------------------------
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
