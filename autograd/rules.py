"""The derivative table: every primitive op, its forward value and its local derivatives.

Read each entry like a line of a calculus book's derivative table::

    MUL = Op("*",  lambda x, y: x * y,  lambda out, x, y: (y, x),  "{0} · {1}",  ("{1}", "{0}"))
             name  forward value        local derivatives          as written    by hand

``x`` and ``y`` are the inputs, ``out`` is the op's own result. ``local`` returns one
local derivative per input, d(out)/d(input). The engine applies the chain rule with
them: in the backward pass every input's gradient grows by ``upstream * local``; in
forward mode a node's tangent is the sum of ``local * tangent`` over its inputs.

Every formula is written with operations that work on Python floats, NumPy arrays and
Values alike (the helpers below pick ``math``, ``numpy`` or the Value's own op), so
the same table gives first derivatives from numbers and, with ``create_graph=True``,
derivatives that are themselves Values and can be differentiated again.

Local derivatives are computed in forms that stay accurate where the textbook form
loses digits: ``tanh'(x)`` as ``sech²(x)`` rather than ``1 - tanh²(x)``, ``σ'(x)`` as
``σ(x) σ(-x)`` rather than ``σ(x)(1 - σ(x))``. The "by hand" column keeps the form
the lectures use. Domain checks (log of a negative number, division by zero, ...)
live in ``engine.py`` next to the methods, so this file holds nothing but the math.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from functools import lru_cache

import numpy as np

# A batched result that overflows is reported by the engine as an OverflowError; NumPy's
# RuntimeWarning for the same event, raised from the lambdas below, would only repeat it.
warnings.filterwarnings("ignore", message="overflow encountered", category=RuntimeWarning, module=r"autograd\.rules")


class Op:
    """One primitive: its name, forward function and local derivatives (and how a person writes them).

    An Op is callable on Values and numbers, so a learner can add an op without
    touching the engine::

        square = Op("square", forward=lambda x: x * x, local=lambda out, x: (2 * x,), text="{0}²", rule=("2·{0}",))
        y = square(Value(3.0))      # a node of the graph, like any built-in op

    ``local(out, *inputs)`` must return a tuple with one derivative per input. Write it
    with operations that also work on Values (``+ - * / **``, and ``autograd.exp``,
    ``autograd.log``, ... instead of ``math``) and it works with ``create_graph`` and
    forward mode too.
    """

    __slots__ = ("name", "forward", "local", "text", "rule")

    def __init__(
        self, name: str, forward: Callable, local: Callable, text: str = "", rule: tuple[str, ...] = ()
    ) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"Op name must be a non-empty str, got {name!r}")
        for argument, value in (("forward", forward), ("local", local)):
            if not callable(value):
                raise TypeError(f"Op {argument} must be a function, got {value!r:.60}")
        if not isinstance(text, str):
            raise TypeError(f"Op text must be a str such as 'f({{0}})', got {text!r:.60}")
        if not isinstance(rule, tuple) or not all(isinstance(r, str) for r in rule):
            raise TypeError(f"Op rule must be a tuple of formula strings, got {rule!r:.60}")
        self.name = name
        self.forward = forward
        self.local = local  # (out, *inputs) -> one local derivative per input
        self.text = text  # how it reads: a template such as "tanh({0})", or for an n-ary op the separator " + "
        self.rule = rule  # each local derivative as a formula, e.g. ("1 − {out}²",)

    def __call__(self, *inputs):
        """Apply the op to Values or numbers: the result is a new node of the graph."""
        from .engine import apply_op  # the engine imports this table, so it is found at call time

        return apply_op(self, inputs)

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


# -- functions that work on a float, an array or a Value ---------------------------------------
def _on_any(for_float: Callable, for_array: Callable, method: str) -> Callable:
    """``for_float`` on a Python float, ``for_array`` on a NumPy array, the Value's own op on a Value."""

    def pick(x):
        if x.__class__ is float:
            return for_float(x)
        if x.__class__ is np.ndarray:
            return for_array(x)
        return getattr(x, method)()

    pick.__name__ = method
    return pick


def _sigmoid_float(x: float) -> float:
    # Two branches so that exp never overflows: exp(-|x|) is at most 1.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _sigmoid_array(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sech2_float(x: float) -> float:
    # sech²(x) = 4 e^{-2|x|} / (1 + e^{-2|x|})²: no overflow, no cancellation.
    e = math.exp(-2.0 * abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _sech2_array(x):
    e = np.exp(-2.0 * np.abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _softplus_float(x: float) -> float:
    # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): the second form never overflows.
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _softplus_array(x):
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


exp = _on_any(math.exp, np.exp, "exp")
log = _on_any(math.log, np.log, "log")
sqrt = _on_any(math.sqrt, np.sqrt, "sqrt")
sin = _on_any(math.sin, np.sin, "sin")
cos = _on_any(math.cos, np.cos, "cos")
tan = _on_any(math.tan, np.tan, "tan")
tanh = _on_any(math.tanh, np.tanh, "tanh")
sinh = _on_any(math.sinh, np.sinh, "sinh")
cosh = _on_any(math.cosh, np.cosh, "cosh")
sigmoid = _on_any(_sigmoid_float, _sigmoid_array, "sigmoid")
softplus = _on_any(_softplus_float, _softplus_array, "softplus")
sech2 = _on_any(_sech2_float, _sech2_array, "sech2")  # tanh's derivative, an op of its own so it has one too


def relu(x):
    return x if x > 0.0 else 0.0


def maximum(x, y):
    if x.__class__ is float and y.__class__ is float:
        return x if x >= y else y
    return np.where(x >= y, x, y)


def minimum(x, y):
    if x.__class__ is float and y.__class__ is float:
        return x if x <= y else y
    return np.where(x <= y, x, y)


def where(condition, if_true: float, if_false: float):
    """``if_true`` where the condition holds, else ``if_false``: a number for a bool, an array for an array."""
    if condition.__class__ is bool or isinstance(condition, np.bool_):
        return if_true if condition else if_false
    return np.where(condition, if_true, if_false)


def sign(x):
    """-1, 0 or 1 (0 at 0, the derivative the table takes for |x| there)."""
    return (x > 0.0) * 1.0 - (x < 0.0) * 1.0


def _data(x):
    """The numbers inside ``x``: a Value's data (its local derivatives are constants), else ``x``."""
    return x if x.__class__ in (float, np.ndarray) else x.data


def ones_like(x):
    x = _data(x)
    return 1.0 if x.__class__ is float else np.ones_like(x)


def _pow_slope(out, x, n):
    """d/dx x^n = n x^(n-1), evaluated as n·out/x so that no intermediate power overflows.

    n·out/x is grouped so that the first product cannot overflow where the result does
    not: (n·out)/x for |n| <= 1, n·(out/x) otherwise. At x = 0 (allowed only where n = 0
    or n >= 1) the derivative is 1 for n = 1 and 0 otherwise.
    """
    if x.__class__ is float and n.__class__ is float:
        if x == 0.0:
            return 1.0 if n == 1.0 else 0.0
        return (n * out) / x if -1.0 <= n <= 1.0 else n * (out / x)
    if x.__class__ in (float, np.ndarray) and n.__class__ in (float, np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            safe_x = np.where(x != 0.0, x, 1.0)
            ratio = np.where(np.abs(n) <= 1.0, (n * out) / safe_x, n * (out / safe_x))
            return np.where(x != 0.0, ratio, np.where(n == 1.0, 1.0, 0.0))
    return n * x ** (n - 1.0)  # Values: recorded, so the derivative can be differentiated again


def _log_base(x):
    """log x for the derivative of x^y in y; at x = 0 (where out = 0) any finite number gives 0."""
    if x.__class__ is float:
        return math.log(x) if x > 0.0 else 0.0
    if x.__class__ is np.ndarray:
        with np.errstate(divide="ignore"):
            return np.where(x > 0.0, np.log(np.where(x > 0.0, x, 1.0)), 0.0)
    return x.log()


def _arctan_slope(x):
    """1/(1 + x²); for |x| beyond 1e150, where x² overflows, (1/x)² (the 1 no longer counts)."""
    if x.__class__ is float:
        return 1.0 / (1.0 + x * x) if abs(x) < 1e150 else (1.0 / x) ** 2
    if x.__class__ is np.ndarray:
        with np.errstate(over="ignore", divide="ignore"):
            return np.where(np.abs(x) < 1e150, 1.0 / (1.0 + x * x), (1.0 / np.where(x != 0.0, x, 1.0)) ** 2)
    return 1.0 / (1.0 + x * x)


_LN2 = math.log(2.0)
_LN10 = math.log(10.0)

# ------------------------------------------------------------------------------------------------------------------------------
# The table.          forward value                   local derivatives d(out)/d(input)                     written by hand
# ------------------------------------------------------------------------------------------------------------------------------
# fmt: off
ADD      = Op("+",        lambda x, y: x + y,   lambda out, x, y: (1.0, 1.0),                       "{0} + {1}",   ("1", "1"))
SUB      = Op("-",        lambda x, y: x - y,   lambda out, x, y: (1.0, -1.0),                      "{0} − {1}",   ("1", "−1"))
MUL      = Op("*",        lambda x, y: x * y,   lambda out, x, y: (y, x),                           "{0} · {1}",   ("{1}", "{0}"))
DIV      = Op("/",        lambda x, y: x / y,   lambda out, x, y: (1.0 / y, -out / y),              "{0} / {1}",   ("1/{1}", "−{out}/{1}"))
POW      = Op("**",       lambda x, y: x ** y,  lambda out, x, y: (_pow_slope(out, x, y), out * _log_base(x)),
                                                                                                    "{0}^{1}",     ("{1}·{0}^({1} − 1)", "{out}·log {0}"))
NEG      = Op("neg",      lambda x: -x,         lambda out, x: (-1.0,),                             "−{0}",        ("−1",))
ABS      = Op("abs",      abs,                  lambda out, x: (sign(x),),                          "|{0}|",       ("sign({0})",))
EXP      = Op("exp",      exp,                  lambda out, x: (out,),                              "exp({0})",    ("{out}",))
EXPM1    = Op("expm1",    lambda x: np.expm1(x) if x.__class__ is np.ndarray else math.expm1(x),
                                                lambda out, x: (exp(x),),                           "exp({0}) − 1", ("exp({0})",))
LOG      = Op("log",      log,                  lambda out, x: (1.0 / x,),                          "log({0})",    ("1/{0}",))
LOG1P    = Op("log1p",    lambda x: np.log1p(x) if x.__class__ is np.ndarray else math.log1p(x),
                                                lambda out, x: (1.0 / (1.0 + x),),                  "log(1 + {0})", ("1/(1 + {0})",))
LOG2     = Op("log2",     lambda x: np.log2(x) if x.__class__ is np.ndarray else math.log2(x),
                                                lambda out, x: (1.0 / (x * _LN2),),                 "log₂({0})",   ("1/({0}·ln 2)",))
LOG10    = Op("log10",    lambda x: np.log10(x) if x.__class__ is np.ndarray else math.log10(x),
                                                lambda out, x: (1.0 / (x * _LN10),),                "log₁₀({0})",  ("1/({0}·ln 10)",))
SQRT     = Op("sqrt",     sqrt,                 lambda out, x: (0.5 / out,),                        "√{0}",        ("1/(2·{out})",))
SIN      = Op("sin",      sin,                  lambda out, x: (cos(x),),                           "sin({0})",    ("cos({0})",))
COS      = Op("cos",      cos,                  lambda out, x: (-sin(x),),                          "cos({0})",    ("−sin({0})",))
TAN      = Op("tan",      tan,                  lambda out, x: (1.0 + out * out,),                  "tan({0})",    ("1 + {out}²",))
ARCSIN   = Op("arcsin",   lambda x: np.arcsin(x) if x.__class__ is np.ndarray else math.asin(x),
                                                lambda out, x: (1.0 / sqrt((1.0 - x) * (1.0 + x)),), "arcsin({0})", ("1/√(1 − {0}²)",))
ARCCOS   = Op("arccos",   lambda x: np.arccos(x) if x.__class__ is np.ndarray else math.acos(x),
                                                lambda out, x: (-1.0 / sqrt((1.0 - x) * (1.0 + x)),), "arccos({0})", ("−1/√(1 − {0}²)",))
ARCTAN   = Op("arctan",   lambda x: np.arctan(x) if x.__class__ is np.ndarray else math.atan(x),
                                                lambda out, x: (_arctan_slope(x),),                 "arctan({0})", ("1/(1 + {0}²)",))
SINH     = Op("sinh",     sinh,                 lambda out, x: (cosh(x),),                          "sinh({0})",   ("cosh({0})",))
COSH     = Op("cosh",     cosh,                 lambda out, x: (sinh(x),),                          "cosh({0})",   ("sinh({0})",))
TANH     = Op("tanh",     tanh,                 lambda out, x: (sech2(x),),                         "tanh({0})",   ("1 − {out}²",))
SECH2    = Op("sech²",    sech2,                lambda out, x: (-2.0 * out * tanh(x),),             "sech²({0})",  ("−2·{out}·tanh({0})",))
SIGMOID  = Op("sigmoid",  sigmoid,              lambda out, x: (out * sigmoid(-x),),                "σ({0})",      ("{out}·(1 − {out})",))
SOFTPLUS = Op("softplus", softplus,             lambda out, x: (sigmoid(x),),                       "softplus({0})", ("σ({0})",))
RELU     = Op("relu",     lambda x: relu(x) if x.__class__ is float else np.maximum(x, 0.0),
                                                lambda out, x: ((x > 0.0) * 1.0,),                  "relu({0})",   ("1 if {0} > 0 else 0",))
STEP     = Op("step",     lambda x: (x >= 0.0) * 1.0,
                                                lambda out, x: (0.0,),                              "step({0})",   ("0",))
MAX      = Op("max",      maximum,              lambda out, x, y: ((x >= y) * 1.0, (x < y) * 1.0),  "max({0}, {1})", ("1 if {0} ≥ {1} else 0", "1 if {0} < {1} else 0"))
MIN      = Op("min",      minimum,              lambda out, x, y: ((x <= y) * 1.0, (x > y) * 1.0),  "min({0}, {1})", ("1 if {0} ≤ {1} else 0", "1 if {0} > {1} else 0"))
SUM      = Op("sum",      lambda *xs: sum(xs),  lambda out, *xs: (1.0,) * len(xs),                  " + ",         ("1",))
BATCH_SUM  = Op("batch_sum",  lambda x: float(np.sum(x)),  lambda out, x: (ones_like(x),),          "Σ {0}",       ("1",))
BATCH_MEAN = Op("batch_mean", lambda x: float(np.mean(x)), lambda out, x: (ones_like(x) / np.size(_data(x)),), "mean {0}", ("1/n",))
# fmt: on


@lru_cache(maxsize=256)
def power(n: float) -> Op:
    """x ** n for a constant exponent n: d/dx x^n = n x^(n-1) (0 for n = 0). One shared Op per exponent."""
    return Op(
        f"**{n:g}", lambda x: x**n, lambda out, x: (_pow_slope(out, x, n),), "{0}" + _superscript(n), (_power_rule(n),)
    )


@lru_cache(maxsize=64)
def leaky_relu(slope: float) -> Op:
    """x if x > 0 else slope * x; derivative 1 or slope. One shared Op per slope."""
    return Op(
        "leaky_relu",
        lambda x: (x if x > 0.0 else slope * x) if x.__class__ is float else np.where(x > 0.0, x, slope * x),
        lambda out, x: (where(x > 0.0, 1.0, slope),),
        "leaky_relu({0})",
        (f"1 if {{0}} > 0 else {slope:g}",),
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
