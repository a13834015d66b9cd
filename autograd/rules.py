"""The derivative table: every primitive op, its forward value and its local derivatives.

Read each entry like a line of a calculus book's derivative table::

    Op(name, forward=lambda x, y: ...,  local=lambda out, x, y: (d out/dx, d out/dy),
       text="{0} · {1}", rule=("{1}", "{0}"))

``x`` and ``y`` are the inputs' data, ``out`` is the op's own result. ``local``
returns one local derivative per input; the engine multiplies each by the
gradient arriving from above (the chain rule) and adds it to that input's gradient.
``text`` and ``rule`` are the same op and derivatives as a person writes them
(``{0}``, ``{1}`` stand for the inputs, ``{out}`` for the result); drawings and the
stepper show them.

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
    text: str = ""  # how it reads: a template such as "tanh({0})", or for an n-ary op the separator " + "
    rule: tuple[str, ...] = ()  # each local derivative as a formula, e.g. ("1 − {out}²",)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Op name must be a non-empty str, got {self.name!r}")
        for argument in ("forward", "local"):
            if not callable(getattr(self, argument)):
                raise TypeError(f"Op {argument} must be a function, got {getattr(self, argument)!r}")
        if not isinstance(self.text, str):
            raise TypeError(f"Op text must be a str such as 'f({{0}})', got {self.text!r}")
        if not isinstance(self.rule, tuple) or not all(isinstance(r, str) for r in self.rule):
            raise TypeError(f"Op rule must be a tuple of formula strings, got {self.rule!r}")

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
# The table.  forward value                  local derivatives d(out)/d(input)        as written by hand
# ---------------------------------------------------------------------------
# fmt: off
ADD = Op("+", forward=lambda x, y: x + y, local=lambda out, x, y: (1.0, 1.0), text="{0} + {1}", rule=("1", "1"))
SUB = Op("-", forward=lambda x, y: x - y, local=lambda out, x, y: (1.0, -1.0), text="{0} − {1}", rule=("1", "−1"))
MUL = Op("*", forward=lambda x, y: x * y, local=lambda out, x, y: (y, x), text="{0} · {1}", rule=("{1}", "{0}"))
DIV = Op("/", forward=lambda x, y: x / y, local=lambda out, x, y: (1.0 / y, -out / y), text="{0} / {1}", rule=("1/{1}", "−{out}/{1}"))
NEG = Op("neg", forward=lambda x: -x, local=lambda out, x: (-1.0,), text="−{0}", rule=("−1",))
ABS = Op("abs", forward=abs, local=lambda out, x: (_sign(x),), text="|{0}|", rule=("sign({0})",))  # d|x|/dx at 0 taken as 0
POW = Op("**", forward=lambda x, y: x**y, local=lambda out, x, y: (y * x ** (y - 1.0), out * log(x)),
         text="{0}^{1}", rule=("{1}·{0}^({1} − 1)", "{out}·log {0}"))
EXP = Op("exp", forward=exp, local=lambda out, x: (out,), text="exp({0})", rule=("{out}",))
LOG = Op("log", forward=log, local=lambda out, x: (1.0 / x,), text="log({0})", rule=("1/{0}",))
SQRT = Op("sqrt", forward=sqrt, local=lambda out, x: (0.5 / out,), text="√{0}", rule=("1/(2·{out})",))
SIN = Op("sin", forward=sin, local=lambda out, x: (cos(x),), text="sin({0})", rule=("cos({0})",))
COS = Op("cos", forward=cos, local=lambda out, x: (-sin(x),), text="cos({0})", rule=("−sin({0})",))
TANH = Op("tanh", forward=tanh, local=lambda out, x: (1.0 - out * out,), text="tanh({0})", rule=("1 − {out}²",))
SIGMOID = Op("sigmoid", forward=sigmoid, local=lambda out, x: (out * (1.0 - out),), text="σ({0})", rule=("{out}·(1 − {out})",))
SOFTPLUS = Op("softplus", forward=softplus, local=lambda out, x: (sigmoid(x),), text="softplus({0})", rule=("σ({0})",))
RELU = Op("relu", forward=relu, local=lambda out, x: ((x > 0.0) * 1.0,), text="relu({0})", rule=("1 if {0} > 0 else 0",))
STEP = Op("step", forward=lambda x: (x >= 0.0) * 1.0, local=lambda out, x: (0.0,), text="step({0})", rule=("0",))
MAX = Op("max", forward=maximum, local=lambda out, x, y: ((x >= y) * 1.0, (x < y) * 1.0), text="max({0}, {1})",
         rule=("1 if {0} ≥ {1} else 0", "1 if {0} < {1} else 0"))
MIN = Op("min", forward=minimum, local=lambda out, x, y: ((x <= y) * 1.0, (x > y) * 1.0), text="min({0}, {1})",
         rule=("1 if {0} ≤ {1} else 0", "1 if {0} > {1} else 0"))
SUM = Op("sum", forward=lambda *xs: sum(xs), local=lambda out, *xs: (1.0,) * len(xs), text=" + ", rule=("1",))
BATCH_SUM = Op("batch_sum", forward=lambda x: float(np.sum(x)), local=lambda out, x: (ones_like(x),), text="Σ {0}", rule=("1",))
BATCH_MEAN = Op("batch_mean", forward=lambda x: float(np.mean(x)), local=lambda out, x: (ones_like(x) / np.size(x),),
                text="mean {0}", rule=("1/n",))
# fmt: on


@lru_cache(maxsize=256)
def power(n: float) -> Op:
    """x ** n for a constant exponent n: d/dx x^n = n x^(n-1) (0 for n = 0). One shared Op per exponent."""
    return Op(
        f"**{n:g}",
        forward=lambda x: x**n,
        local=lambda out, x: (n * x ** (n - 1.0) if n != 0.0 else 0.0,),
        text="{0}" + _superscript(n),
        rule=(_power_rule(n),),
    )


_SUPERSCRIPTS = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def _superscript(n: float) -> str:
    """x², x⁻¹, x^0.5: small whole exponents as superscripts, others after a caret."""
    return f"{n:g}".translate(_SUPERSCRIPTS) if n == int(n) and abs(n) < 10 else f"^{n:g}"


def _power_rule(n: float) -> str:
    """n·x^(n-1) written out: 2·{0} for n = 2, 3·{0}² for n = 3, 0 for n = 0."""
    if n == 0.0:
        return "0"
    if n == 1.0:
        return "1"
    coefficient = f"{n:g}".replace("-", "−")
    return f"{coefficient}·{{0}}" + ("" if n == 2.0 else _superscript(n - 1.0))


@lru_cache(maxsize=64)
def leaky_relu(slope: float) -> Op:
    """x if x > 0 else slope * x; derivative 1 or slope. One shared Op per slope."""
    return Op(
        "leaky_relu",
        forward=_by_type(lambda x: x if x > 0.0 else slope * x, lambda x: np.where(x > 0.0, x, slope * x)),
        local=lambda out, x: ((x > 0.0) * (1.0 - slope) + slope,),
        text="leaky_relu({0})",
        rule=(f"1 if {{0}} > 0 else {slope:g}",),
    )
