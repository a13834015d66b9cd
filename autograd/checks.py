"""Argument checks shared by autograd and nn, so every error names its argument the same way.

Wrong type -> TypeError; right type, wrong value -> ValueError. ``argument`` is the
name to put in the message, e.g. ``"lr"`` or ``"leaky_relu: slope"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

_REALS = (int, float, np.integer, np.floating)


def is_real(value) -> bool:
    """An int or float (Python or NumPy), but not a bool."""
    return isinstance(value, _REALS) and not isinstance(value, (bool, np.bool_))


def number(value, argument: str, *, minimum: float | None = None, positive: bool = False) -> float:
    """A finite real number as a float, optionally >= ``minimum`` or > 0."""
    if not is_real(value):
        raise TypeError(f"{argument} must be a number, got {type(value).__name__} {value!r:.60}")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{argument} is too large for a float (about 1.8e308 at most)") from None
    if not math.isfinite(value):
        raise ValueError(f"{argument} must be finite, got {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{argument} must be > 0, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{argument} must be >= {minimum:g}, got {value!r}")
    return value


def count(value, argument: str, minimum: int = 1) -> int:
    """A whole number (an int, not a float or bool) of at least ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{argument} must be an int, got {type(value).__name__} {value!r:.60}")
    if value < minimum:
        raise ValueError(f"{argument} must be at least {minimum}, got {value}")
    return int(value)


def seed(value, argument: str = "seed") -> int | None:
    """None or a non-negative int, as NumPy's random generators take."""
    return None if value is None else count(value, argument, minimum=0)


def choice(value, argument: str, choices: Sequence[str]) -> str:
    """One of the names in ``choices``."""
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be a name (str), one of: {', '.join(choices)}; got {type(value).__name__} {value!r:.60}"
        )
    if value not in choices:
        raise ValueError(f"unknown {argument} {value!r}; choose one of: {', '.join(choices)}")
    return value


def function(value, argument: str) -> Callable:
    if not callable(value):
        raise TypeError(f"{argument} must be a function, got {type(value).__name__} {value!r:.60}")
    return value


# -- what a Value may hold -----------------------------------------------------------------------
def data(value, argument: str = "data"):
    """A Value's data: a real number (kept as a float) or a non-empty NumPy array of real numbers (as floats)."""
    if value.__class__ is float:
        return value
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"Value {argument} must be a number, got bool {value!r}; use 1.0 or 0.0")
    if is_real(value):
        try:
            return float(value)
        except OverflowError:
            raise ValueError(f"Value {argument} {value} is too large for a float (about 1.8e308 at most)") from None
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iuf":
            raise TypeError(f"Value {argument} array must hold real numbers, got dtype {value.dtype}")
        if value.ndim == 0:  # numpy.array(2.0) is a number, as DeZero writes every scalar
            return float(value)
        if value.size == 0:
            raise ValueError(f"Value {argument} array is empty; a batch needs at least one sample")
        return np.array(value, dtype=float)
    hint = "; use numpy.array(...) for a batch of samples" if isinstance(value, (list, tuple)) else ""
    raise TypeError(f"Value {argument} must be an int or float, got {type(value).__name__} {value!r:.60}{hint}")


def finite_data(value, argument: str = "data"):
    """What a Value holds (see ``data``), refused unless finite."""
    value = data(value, argument)
    if not finite(value):
        raise ValueError(f"Value {argument} must be finite, got {short(value)}")
    return value


def label(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"Value label must be a str, got {type(value).__name__} {value!r:.60}")
    return value


def finite(value) -> bool:
    """True if a float, or every entry of an array, is finite."""
    if value.__class__ is float:
        return math.isfinite(value)
    if value.size <= 4096:
        return bool(np.isfinite(value).all())
    # On a large array: the sum is inf or nan if any entry is, and costs one pass and no new
    # array; only a sum too large for a float (of finite entries) needs the entry-by-entry check.
    with np.errstate(over="ignore"):
        total = np.add.reduce(value, axis=None)
    return math.isfinite(total) or bool(np.isfinite(value).all())


def short(value) -> str:
    """A number, or an array's first entries, as an error message shows it."""
    if value.__class__ is float:
        return repr(value)
    return np.array2string(np.asarray(value), precision=4, threshold=6)


def axis(axis, ndim: int, shape: tuple, who: str):
    """``axis`` checked against an array's dimensions: None, an int or a tuple of ints, as NumPy takes them."""
    if axis is None:
        return None
    axes = axis if isinstance(axis, tuple) else (axis,)
    for a in axes:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"{who}: axis must be an int, a tuple of ints or None, got {axis!r:.40}")
        if not -ndim <= a < ndim:
            raise ValueError(f"{who}: axis {a} is out of range for shape {shape}")
    return tuple(int(a) for a in axes) if isinstance(axis, tuple) else int(axis)


def broadcast(name: str, datas: list) -> None:
    """Arrays meet as NumPy broadcasts them; shapes that do not fit are an error naming them."""
    shapes = [np.shape(d) for d in datas]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(
            f"{name}: shapes {' and '.join(map(str, shapes))} do not broadcast (each axis must match or be 1, "
            "counting from the last); reshape one of them"
        ) from None


def starting_gradient(root, gradient):
    """d(result)/d(root), where the backward pass starts: 1 for a number, ``gradient`` for an array.

    ``gradient`` may be a Value (create_graph); ``root`` must be a Value that is not a constant.
    """
    if not hasattr(root, "parents") or not hasattr(root, "_pending"):
        raise TypeError(f"backward needs a Value, got {type(root).__name__}")
    if root.is_constant:
        raise ValueError(
            f"backward: {short(root.data)} is a constant (it needs no gradient); "
            "make it a Value to differentiate with respect to it"
        )
    if gradient is None:
        if root.data.__class__ is not float:
            raise ValueError(
                f"backward() on a Value holding {root.size} numbers needs gradient= (an array of shape "
                f"{root.shape}: numpy.ones({root.shape}) differentiates their sum), "
                "or reduce it first with .sum() or .mean()"
            )
        return 1.0
    is_value = hasattr(gradient, "parents") and hasattr(gradient, "_pending")
    shown = gradient.data if is_value else data(gradient, "gradient")
    if np.shape(shown) != root.shape:
        raise ValueError(f"backward: gradient has shape {np.shape(shown)}, the output {root.shape}; they must be equal")
    if not finite(shown):
        raise ValueError("backward: gradient must hold finite numbers")
    return gradient if is_value else shown
