"""The derivative table: every primitive op, its forward value and its local derivatives.

Read each entry like a line of a calculus book's derivative table::

    Op(name, forward=lambda x, y: ...,  local=lambda out, x, y: (d out/dx, d out/dy))

``x`` and ``y`` are the inputs' data, ``out`` is the op's own result. ``local``
returns one local derivative per input; the engine multiplies each by the
gradient arriving from above (the chain rule) and adds it to that input's gradient.

The same formulas serve plain floats (scalar mode) and NumPy arrays (batched
mode): comparisons such as ``(x > 0) * 1.0`` give 1.0/0.0 for a float and a 0/1
array for an array. Where a float and an array need different functions (``math.exp``
versus ``numpy.exp``), the small helpers below pick one.

Domain checks (log of a negative number, division by zero, ...) live in
``engine.py`` next to the methods, so this file holds nothing but the math.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# A batched result that overflows is reported by the engine as an OverflowError; NumPy's
# RuntimeWarning for the same event, raised from the lambdas below, would only repeat it.
warnings.filterwarnings("ignore", message="overflow encountered", category=RuntimeWarning, module=r"autograd\.rules")


@dataclass(frozen=True)
class Op:
    """One primitive: its name (shown in graphs), forward function and local derivatives."""

    name: str
    forward: Callable
    local: Callable

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Op name must be a non-empty str, got {self.name!r}")
        for argument in ("forward", "local"):
            if not callable(getattr(self, argument)):
                raise TypeError(f"Op {argument} must be a function, got {getattr(self, argument)!r}")

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


def _by_type(for_float: Callable, for_array: Callable) -> Callable:
    """Use ``for_float`` on a Python float and ``for_array`` on anything else (a NumPy array)."""

    def pick(x):
        return for_float(x) if x.__class__ is float else for_array(x)

    pick.__name__ = for_float.__name__
    return pick


def _by_type2(for_floats: Callable, for_arrays: Callable) -> Callable:
    """Two-input version of ``_by_type``: floats only if both inputs are floats."""

    def pick(x, y):
        if x.__class__ is float and y.__class__ is float:
            return for_floats(x, y)
        return for_arrays(x, y)

    return pick


exp = _by_type(math.exp, np.exp)
log = _by_type(math.log, np.log)
sqrt = _by_type(math.sqrt, np.sqrt)
sin = _by_type(math.sin, np.sin)
cos = _by_type(math.cos, np.cos)
tanh = _by_type(math.tanh, np.tanh)


def _sigmoid_float(x: float) -> float:
    # Two branches so that exp never overflows: exp(-|x|) is at most 1.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _sigmoid_array(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


sigmoid = _by_type(_sigmoid_float, _sigmoid_array)

# softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): the second form never overflows.
softplus = _by_type(
    lambda x: max(x, 0.0) + math.log1p(math.exp(-abs(x))),
    lambda x: np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x))),
)
relu = _by_type(lambda x: x if x > 0.0 else 0.0, lambda x: np.maximum(x, 0.0))
maximum = _by_type2(lambda x, y: x if x >= y else y, lambda x, y: np.where(x >= y, x, y))
minimum = _by_type2(lambda x, y: x if x <= y else y, lambda x, y: np.where(x <= y, x, y))


def ones_like(x):
    return 1.0 if x.__class__ is float else np.ones_like(x)


def _sign(x):
    return (x > 0.0) * 1.0 - (x < 0.0) * 1.0


# ---------------------------------------------------------------------------
# The table.   forward value                      local derivatives d(out)/d(input)
# ---------------------------------------------------------------------------
ADD = Op("+", forward=lambda x, y: x + y, local=lambda out, x, y: (1.0, 1.0))
SUB = Op("-", forward=lambda x, y: x - y, local=lambda out, x, y: (1.0, -1.0))
MUL = Op("*", forward=lambda x, y: x * y, local=lambda out, x, y: (y, x))
DIV = Op("/", forward=lambda x, y: x / y, local=lambda out, x, y: (1.0 / y, -out / y))
NEG = Op("neg", forward=lambda x: -x, local=lambda out, x: (-1.0,))
ABS = Op("abs", forward=abs, local=lambda out, x: (_sign(x),))  # d|x|/dx at 0 taken as 0
POW = Op("**", forward=lambda x, y: x**y, local=lambda out, x, y: (y * x ** (y - 1.0), out * log(x)))
EXP = Op("exp", forward=exp, local=lambda out, x: (out,))
LOG = Op("log", forward=log, local=lambda out, x: (1.0 / x,))
SQRT = Op("sqrt", forward=sqrt, local=lambda out, x: (0.5 / out,))
SIN = Op("sin", forward=sin, local=lambda out, x: (cos(x),))
COS = Op("cos", forward=cos, local=lambda out, x: (-sin(x),))
TANH = Op("tanh", forward=tanh, local=lambda out, x: (1.0 - out * out,))
SIGMOID = Op("sigmoid", forward=sigmoid, local=lambda out, x: (out * (1.0 - out),))
SOFTPLUS = Op("softplus", forward=softplus, local=lambda out, x: (sigmoid(x),))
RELU = Op("relu", forward=relu, local=lambda out, x: ((x > 0.0) * 1.0,))
STEP = Op("step", forward=lambda x: (x >= 0.0) * 1.0, local=lambda out, x: (0.0,))
MAX = Op("max", forward=maximum, local=lambda out, x, y: ((x >= y) * 1.0, (x < y) * 1.0))
MIN = Op("min", forward=minimum, local=lambda out, x, y: ((x <= y) * 1.0, (x > y) * 1.0))
SUM = Op("sum", forward=lambda *xs: sum(xs), local=lambda out, *xs: (1.0,) * len(xs))
BATCH_SUM = Op("batch_sum", forward=lambda x: float(np.sum(x)), local=lambda out, x: (ones_like(x),))
BATCH_MEAN = Op(
    "batch_mean",
    forward=lambda x: float(np.mean(x)),
    local=lambda out, x: (ones_like(x) / np.size(x),),
)


@lru_cache(maxsize=256)
def power(n: float) -> Op:
    """x ** n for a constant exponent n: d/dx x^n = n x^(n-1) (0 for n = 0). One shared Op per exponent."""
    return Op(
        f"**{n:g}",
        forward=lambda x: x**n,
        local=lambda out, x: (n * x ** (n - 1.0) if n != 0.0 else 0.0,),
    )


@lru_cache(maxsize=64)
def leaky_relu(slope: float) -> Op:
    """x if x > 0 else slope * x; derivative 1 or slope. One shared Op per slope."""
    return Op(
        "leaky_relu",
        forward=_by_type(lambda x: x if x > 0.0 else slope * x, lambda x: np.where(x > 0.0, x, slope * x)),
        local=lambda out, x: ((x > 0.0) * (1.0 - slope) + slope,),
    )
