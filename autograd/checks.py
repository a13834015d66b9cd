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
