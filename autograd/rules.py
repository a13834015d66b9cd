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
import operator
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

    __slots__ = ("name", "forward", "local", "text", "rule", "checked")

    def __init__(
        self, name: str, forward: Callable, local: Callable, text: str = "", rule: tuple[str, ...] = ()
    ) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"Op name must be a non-empty str, got {name!r}")
        for argument, value in (("forward", forward), ("local", local)):
            if not callable(value):
                raise TypeError(f"Op {argument} must be a function, got {value!r:.60}")
        if not (isinstance(text, str) or callable(text)):
            raise TypeError(f"Op text must be a str such as 'f({{0}})', got {text!r:.60}")
        if not (callable(rule) or isinstance(rule, tuple) and all(isinstance(r, str) for r in rule)):
            raise TypeError(f"Op rule must be a tuple of formula strings, got {rule!r:.60}")
        self.name = name
        self.forward = forward
        self.local = local  # (out, *inputs) -> one local derivative per input
        self.text = text  # how it reads: a template such as "tanh({0})", the separator " + " of an n-ary op, or a function of the input texts
        self.rule = (
            rule  # each local derivative as a formula, e.g. ("1 − {out}²",), or a function (k, input names) -> formula
        )
        self.checked = None  # for an op applied by a user: its twin that checks what local returns (engine.apply_op)

    @classmethod
    def internal(cls, name: str, forward: Callable, local: Callable, text: str = "", rule: tuple = ()) -> Op:
        """An op made by the engine itself for one node (a reshape to a given shape, an index, ...): no checks."""
        op = object.__new__(cls)
        op.name, op.forward, op.local, op.text, op.rule, op.checked = name, forward, local, text, rule, None
        return op

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


def positive(x):
    """1 where x > 0, else 0: a number for a number, a boolean mask for an array (NumPy multiplies it as 0/1)."""
    if x.__class__ is np.ndarray:
        return x > 0.0
    return (x > 0.0) * 1.0


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
    if n.__class__ is float and n in (0.0, 1.0):
        return n  # x⁰ and x¹: the constant slopes 0 and 1, so higher derivatives at x = 0 are 0, not 0·0⁻¹
    return n * x ** (n - 1.0)  # Values: recorded, so the derivative can be differentiated again


def _quotient(x, y):
    """⌊x/y⌋, the whole number of times y fits in x (x mod y = x − y⌊x/y⌋); a constant: its derivative is 0."""
    x, y = _data(x), _data(y)
    return x // y if x.__class__ is float and y.__class__ is float else np.floor_divide(x, y)


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
    # A Value (create_graph): the same two forms, so its own derivative, -2x/(1 + x²)², stays finite too.
    large = np.abs(x.data) >= 1e150
    if not np.any(large):
        return 1.0 / (1.0 + x * x)
    if np.all(large):
        return (1.0 / x) ** 2
    small, large = np.where(large, 0.0, 1.0), large * 1.0
    small_part = x * small  # each form where it holds; the other entries read a harmless stand-in
    large_part = x + small * 1e150
    return small / (1.0 + small_part * small_part) + large * (1.0 / large_part) ** 2


_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


def weighted_sum(w, x, b):
    """w1 x1 + ... + wn xn + b for numbers, added in that order (as the sum of the products)."""
    return sum(map(operator.mul, w, x)) + b


def _weighted_sum(wxb):
    """weighted_sum from one tuple (w1, ..., wn, x1, ..., xn, b): the neuron node's inputs in order."""
    n = len(wxb) // 2
    return weighted_sum(wxb[:n], wxb[n : 2 * n], wxb[-1])


def _sum_sq_local(x):
    """d/dx Σ x² = 2x: a number for a number; for an array a reduction, so forward mode sums 2x·t."""
    if _data(x).__class__ is float:
        return 2.0 * x
    return Linear(lambda g: g * (2.0 * x), lambda t: _total(2.0 * x * t))


def _total(x):
    """The sum of every entry: a float for an array, a Value for a Value (so it can be differentiated)."""
    return float(np.sum(x)) if x.__class__ is np.ndarray else x.sum()


def _neuron_text(texts) -> str:
    n = len(texts) // 2
    return " + ".join(f"{w}·{x}" for w, x in zip(texts[:n], texts[n : 2 * n])) + f" + {texts[-1]}"


def _neuron_rule(k: int, names) -> str:
    n = len(names) // 2
    return names[n + k] if k < n else names[k - n] if k < 2 * n else "1"


def _neuron_locals(wxb):
    """d(w·x + b)/dw_i = x_i, d/dx_i = w_i, d/db = 1."""
    n = len(wxb) // 2
    return (*wxb[n : 2 * n], *wxb[:n], 1.0)


# ------------------------------------------------------------------------------------------------------------------------------
# The table.          forward value                   local derivatives d(out)/d(input)                     written by hand
# ------------------------------------------------------------------------------------------------------------------------------
# fmt: off
ADD      = Op("+",        operator.add,         lambda out, x, y: (1.0, 1.0),                       "{0} + {1}",   ("1", "1"))
SUB      = Op("-",        operator.sub,         lambda out, x, y: (1.0, -1.0),                      "{0} − {1}",   ("1", "−1"))
MUL      = Op("*",        operator.mul,         lambda out, x, y: (y, x),                           "{0} · {1}",   ("{1}", "{0}"))
DIV      = Op("/",        lambda x, y: x / y,   lambda out, x, y: (1.0 / y, -out / y),              "{0} / {1}",   ("1/{1}", "−{out}/{1}"))
MOD      = Op("%",        operator.mod,         lambda out, x, y: (1.0, -_quotient(x, y)),          "{0} mod {1}", ("1", "−⌊{0}/{1}⌋"))
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
                                                lambda out, x: (positive(x),),                      "relu({0})",   ("1 if {0} > 0 else 0",))
STEP     = Op("step",     lambda x: (x >= 0.0) * 1.0,
                                                lambda out, x: (0.0,),                              "step({0})",   ("0",))
MAX      = Op("max",      maximum,              lambda out, x, y: ((x >= y) * 1.0, (x < y) * 1.0),  "max({0}, {1})", ("1 if {0} ≥ {1} else 0", "1 if {0} < {1} else 0"))
MIN      = Op("min",      minimum,              lambda out, x, y: ((x <= y) * 1.0, (x > y) * 1.0),  "min({0}, {1})", ("1 if {0} ≤ {1} else 0", "1 if {0} > {1} else 0"))
SUM      = Op("sum",      lambda *xs: sum(xs),  lambda out, *xs: (1.0,) * len(xs),                  " + ",         ("1",))
SUM_SQ   = Op("sum_sq",   lambda x: x * x if x.__class__ is float else float(np.vdot(x, x)),
                                                lambda out, x: (_sum_sq_local(x),),                 "Σ {0}²",      ("2·{0}",))
NEURON   = Op("w·x+b",    lambda *wxb: _weighted_sum(wxb), lambda out, *wxb: _neuron_locals(wxb), lambda texts: _neuron_text(texts), lambda k, names: _neuron_rule(k, names))
# fmt: on


# ------------------------------------------------------------------------------------------------
# Ops whose derivative is not "local times upstream" number by number: matrix products, sums over
# an axis, reshapes, indexing. Their local derivative is a linear map, stated next to the forward
# value as its vector-Jacobian product (reverse mode) and its Jacobian-vector product (forward mode).
# ------------------------------------------------------------------------------------------------
class Linear:
    """A local derivative that is a linear map, for an op whose derivative is not elementwise.

    In the backward pass ``upstream * local`` applies the map's transpose to the upstream
    gradient (the vector-Jacobian product ``vjp``); in forward mode ``local * tangent``
    applies the map itself (the Jacobian-vector product ``jvp``). A number, the local
    derivative of an elementwise op, does both by multiplying.
    """

    __slots__ = ("vjp", "jvp")
    __array_ufunc__ = None  # let `array * local` reach __rmul__ instead of NumPy's elementwise product

    def __init__(self, vjp: Callable, jvp: Callable) -> None:
        self.vjp = vjp
        self.jvp = jvp

    def __rmul__(self, upstream):
        return self.vjp(upstream)

    def __mul__(self, tangent):
        return self.jvp(tangent)

    def __repr__(self) -> str:
        return "Linear(vjp, jvp)"


def _full(t, shape: tuple):
    """A tangent or gradient in ``shape``: a number (or smaller array) stands for every entry it broadcasts to."""
    return t if np.shape(_data(t)) == shape else t * np.ones(shape)


def _as_float(x):
    """A 0-d result as a Python float: a Value holds a number, not a 0-d array."""
    return float(x) if np.ndim(x) == 0 else x


def _swap(a):
    """The transpose of the last two axes (a matrix's .T, for stacks of matrices too)."""
    axes = list(range(np.ndim(_data(a))))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return a.transpose(axes)


def _matmul_grad(g, x, y, side: int):
    """d(x @ y) pulled back to x (side 0: g·yᵀ) or to y (side 1: xᵀ·g), vectors read as a row (x) and a column (y)."""
    xs, ys = np.shape(_data(x)), np.shape(_data(y))
    if len(xs) == 2 and len(ys) == 2:  # two matrices, the common case: nothing to promote or sum
        return g @ y.T if side == 0 else x.T @ g
    if len(xs) == 1 and len(ys) == 1:  # a dot product
        return g * (y if side == 0 else x)
    row = x.reshape((1,) + xs) if len(xs) == 1 else x
    column = y.reshape(ys + (1,)) if len(ys) == 1 else y
    rs, cs = np.shape(_data(row)), np.shape(_data(column))
    g = g.reshape(np.broadcast_shapes(rs[:-2], cs[:-2]) + (rs[-2], cs[-1]))
    if side == 0:
        return unbroadcast(g @ _swap(column), rs).reshape(xs)
    return unbroadcast(_swap(row) @ g, cs).reshape(ys)


def _matmul_locals(out, x, y):
    return (
        Linear(lambda g: _matmul_grad(g, x, y, 0), lambda t: _full(t, np.shape(_data(x))) @ y),
        Linear(lambda g: _matmul_grad(g, x, y, 1), lambda t: x @ _full(t, np.shape(_data(y)))),
    )


def _affine(x, W, b):
    out = x @ W.T
    out += b  # in place: the product is a fresh array, so the sum needs no second one
    return out


def _affine_locals(out, x, W, b):
    if np.ndim(_data(x)) == 2:  # rows of examples: g W for x, gᵀ x for W, the column sums of g for b
        return (
            Linear(lambda g: g @ W, lambda t: _full(t, np.shape(_data(x))) @ W.T),
            Linear(lambda g: g.T @ x, lambda t: x @ _full(t, np.shape(_data(W))).T),
            Linear(lambda g: unbroadcast(g, np.shape(_data(b))), lambda t: t),
        )
    return (  # one example as a vector
        Linear(lambda g: g @ W, lambda t: W @ _full(t, np.shape(_data(x)))),
        Linear(lambda g: g.reshape((-1, 1)) * x.reshape((1, -1)), lambda t: _full(t, np.shape(_data(W))) @ x),
        1.0,
    )


def _checked_matmul(x, y):
    if x.__class__ is float or y.__class__ is float:
        raise ValueError("@: both sides must be arrays (vectors or matrices); use * to multiply by a number")
    return _as_float(x @ y)


MATMUL = Op("@", _checked_matmul, _matmul_locals, "{0} @ {1}", ("g·{1}ᵀ", "{0}ᵀ·g"))
# A layer's pre-activation for a batch of rows x: z = x Wᵀ + b, one node (the lectures' z = W a + b, row by row).
AFFINE = Op("x·Wᵀ+b", lambda x, W, b: _affine(x, W, b), _affine_locals, "{0} @ {1}ᵀ + {2}", ("g·{1}", "gᵀ·{0}", "1"))


def transpose_op(axes: tuple[int, ...]) -> Op:
    """x.transpose(axes): the gradient is transposed back."""
    back = tuple(np.argsort(axes))
    return Op.internal(
        "transpose",
        lambda x: x.transpose(axes),
        lambda out, x: (
            Linear(
                lambda g: _full(g, np.shape(_data(out))).transpose(back),
                lambda t: _full(t, np.shape(_data(x))).transpose(axes),
            ),
        ),
        "{0}ᵀ",
        ("gᵀ",),
    )


def reshape_op(shape: tuple[int, ...]) -> Op:
    """x.reshape(shape): the gradient takes back the input's shape."""
    return Op.internal(
        "reshape",
        lambda x: x.reshape(shape),
        lambda out, x: (
            Linear(
                lambda g: _full(g, shape).reshape(np.shape(_data(x))),
                lambda t: _full(t, np.shape(_data(x))).reshape(shape),
            ),
        ),
        f"reshape({{0}}, {shape})",
        ("g reshaped back",),
    )


def _kept(shape: tuple, axis) -> tuple:
    """The shape a reduction over ``axis`` leaves with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _spread(g, shape: tuple, axis):
    """A reduction's gradient spread back over the axes it reduced (sum's vector-Jacobian product)."""
    if not shape:
        return g
    if g.__class__ is float:
        return np.full(shape, g)
    if np.ndim(_data(g)) > 0:
        g = g.reshape(_kept(shape, axis))  # the reduced axes back, of length 1, so broadcasting repeats g along them
    return g * np.ones(shape)


def sum_op(axis, keepdims: bool) -> Op:
    """x.sum(axis): every entry that was added receives the upstream gradient."""
    return Op.internal(
        "reduce_sum",
        lambda x: _as_float(np.sum(x, axis=axis, keepdims=keepdims)),
        lambda out, x: (
            Linear(
                lambda g: _spread(g, np.shape(_data(x)), axis),
                lambda t: _full(t, np.shape(_data(x))).sum(axis=axis, keepdims=keepdims),
            ),
        ),
        "Σ {0}" if axis is None else f"Σ_{axis} {{0}}",
        ("1 for every entry",),
    )


def mean_op(axis, keepdims: bool) -> Op:
    """x.mean(axis): every entry receives the upstream gradient divided by how many were averaged."""

    def count(x):
        return np.size(_data(x)) // max(1, int(np.prod(_kept(np.shape(_data(x)), axis))))

    return Op.internal(
        "reduce_mean",
        lambda x: _as_float(np.mean(x, axis=axis, keepdims=keepdims)),
        lambda out, x: (
            Linear(
                lambda g: _spread(g / count(x), np.shape(_data(x)), axis),
                lambda t: _full(t, np.shape(_data(x))).sum(axis=axis, keepdims=keepdims) / count(x),
            ),
        ),
        "mean {0}" if axis is None else f"mean_{axis} {{0}}",
        ("1/n for every entry",),
    )


def _first_max(x, axis) -> np.ndarray:
    """1.0 at the first largest entry of each reduced slice (the one that gets the gradient), 0.0 elsewhere.

    ``axis`` may be None, an int or a tuple: the reduced axes are moved to the end and flattened, so
    "first" means first in row-major order over them, as numpy.argmax counts.
    """
    x = _data(x)
    reduced = range(x.ndim) if axis is None else [a % x.ndim for a in (axis if isinstance(axis, tuple) else (axis,))]
    reduced = sorted(set(reduced))
    last = list(range(x.ndim - len(reduced), x.ndim))
    moved = np.moveaxis(x, reduced, last)
    flat = moved.reshape(moved.shape[: x.ndim - len(reduced)] + (-1,))
    mask = np.zeros(flat.shape)
    np.put_along_axis(mask, np.argmax(flat, axis=-1)[..., None], 1.0, axis=-1)
    return np.moveaxis(mask.reshape(moved.shape), last, reduced)


def max_op(axis, keepdims: bool) -> Op:
    """x.max(axis): the gradient goes to the largest entry (the first one, on a tie)."""
    return Op.internal(
        "reduce_max",
        lambda x: _as_float(np.max(x, axis=axis, keepdims=keepdims)),
        lambda out, x: (
            Linear(
                lambda g: _spread(g, np.shape(_data(x)), axis) * _first_max(x, axis),
                lambda t: (_full(t, np.shape(_data(x))) * _first_max(x, axis)).sum(axis=axis, keepdims=keepdims),
            ),
        ),
        "max {0}" if axis is None else f"max_{axis} {{0}}",
        ("1 at the largest entry",),
    )


# -- softmax along the last axis: a row of logits at a time ---------------------------------------
def softmax_rows(z):
    """softmax of every row (last axis), on an array or a Value (so a second derivative can follow it)."""
    e = exp(z - np.max(_data(z), axis=-1, keepdims=True))  # minus the row's largest: exp stays <= 1
    return e / e.sum(axis=-1, keepdims=True)


def _log_softmax_rows(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _dot_rows(a, b):
    """Σ_j a_j b_j for every row, kept as a column so it broadcasts back over the row."""
    return (a * b).sum(axis=-1, keepdims=True)


# The Jacobian of softmax is diag(p) − p pᵀ per row; applied to g it is p ⊙ (g − p·g).
SOFTMAX = Op.internal(
    "softmax",
    lambda z: softmax_rows(z),
    lambda out, z: (
        Linear(
            lambda g: softmax_rows(z) * (g - _dot_rows(g, softmax_rows(z))),
            lambda t: softmax_rows(z) * (t - _dot_rows(t, softmax_rows(z))),
        ),
    ),
    "softmax({0})",
    ("p ⊙ (g − Σ p g), p = softmax({0})",),
)
# The Jacobian of log softmax is I − 1 pᵀ per row: g − p Σg backward, t − Σ p t forward.
LOG_SOFTMAX = Op.internal(
    "log_softmax",
    _log_softmax_rows,
    lambda out, z: (
        Linear(
            lambda g: g - softmax_rows(z) * g.sum(axis=-1, keepdims=True),
            lambda t: t - _dot_rows(t, softmax_rows(z)),
        ),
    ),
    "log_softmax({0})",
    ("g − p Σg, p = softmax({0})",),
)


def cross_entropy_op(target: np.ndarray, classes: int) -> Op:
    """The mean over rows of −log softmax(z)[row, target]: a batch's cross-entropy as one node.

    Its gradient is (softmax(z) − onehot(target)) / n for n rows: the lectures' delta a − y.
    """
    rows = np.arange(len(target))
    onehot = np.zeros((len(target), classes))
    onehot[rows, target] = 1.0

    def delta(z):
        return (softmax_rows(z) - onehot) / len(target)

    return Op.internal(
        "cross_entropy",
        lambda z: float(np.mean(-_log_softmax_rows(z)[rows, target])),
        lambda out, z: (Linear(lambda g: g * delta(z), lambda t: _total(delta(z) * t)),),
        "CE({0}, y)",
        ("(softmax({0}) − onehot(y)) / n",),
    )


def scatter(g, index, shape: tuple):
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated positions add up): the adjoint of x[index]."""
    if g.__class__ in (float, np.ndarray) or isinstance(g, np.generic):
        full = np.zeros(shape)
        if _one_position(index):
            full[index] = g  # one entry: nothing can be added twice
        else:
            np.add.at(full, index, g)
        return full
    return g._scatter(index, shape)


def _one_position(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in parts)


def index_op(index) -> Op:
    """x[index]: the gradient goes back to the positions read."""
    if _one_position(index):  # one entry, as nn's scalar graphs read W[j, i]: one shared Op per position
        return _entry_op(index)
    return _index_op(index)


@lru_cache(maxsize=4096)
def _entry_op(index) -> Op:
    return _index_op(index)


def _index_op(index) -> Op:
    return Op.internal(
        "index",
        lambda x: _as_float(x[index]),
        lambda out, x: (
            Linear(lambda g: scatter(g, index, np.shape(_data(x))), lambda t: _full(t, np.shape(_data(x)))[index]),
        ),
        f"{{0}}[{_index_text(index)}]",
        ("1 at the positions read",),
    )


def scatter_op(index, shape: tuple) -> Op:
    """The adjoint of indexing, for gradients that are Values (create_graph): its own derivative is indexing."""
    return Op.internal(
        "scatter",
        lambda g: scatter(g, index, shape),
        lambda out, g: (
            Linear(lambda h: _full(h, shape)[index], lambda t: scatter(_full(t, np.shape(_data(g))), index, shape)),
        ),
        f"scatter({{0}}, [{_index_text(index)}])",
        ("g at the positions written",),
    )


def _index_text(index) -> str:
    parts = index if isinstance(index, tuple) else (index,)

    def one(part) -> str:
        if isinstance(part, slice):
            text = ":".join("" if v is None else str(v) for v in (part.start, part.stop, part.step))
            return text.rstrip(":") or ":"
        if part is Ellipsis:
            return "..."
        if isinstance(part, np.ndarray):
            return f"array{list(part.shape)}"
        return str(part)

    return ", ".join(one(p) for p in parts)


def stack_op(axis: int, shapes: list[tuple], concatenate: bool) -> Op:
    """stack or concatenate: each input's gradient is its own slice of the upstream gradient."""
    starts = np.cumsum([0] + [s[axis] if concatenate else 1 for s in shapes])
    ndim = len(shapes[0]) + (0 if concatenate else 1)
    axis = axis % ndim

    def where(k: int):
        index = [slice(None)] * ndim
        index[axis] = slice(starts[k], starts[k + 1]) if concatenate else int(starts[k])
        return tuple(index)

    def locals_(out, *xs):
        shape = np.shape(_data(out))
        return tuple(
            Linear(
                lambda g, k=k: _full(g, shape)[where(k)], lambda t, k=k: scatter(_full(t, shapes[k]), where(k), shape)
            )
            for k in range(len(xs))
        )

    name = "concatenate" if concatenate else "stack"
    return Op.internal(
        name,
        lambda *xs: np.concatenate(xs, axis=axis) if concatenate else np.stack(xs, axis=axis),
        locals_,
        f"{name}({{0}})",
        ("its own slice of g",),
    )


def unbroadcast(g, shape: tuple):
    """``g`` summed over the axes broadcasting added, so it has ``shape`` again (every entry's share)."""
    have = np.shape(_data(g))
    if have == shape:
        return g
    if shape == ():
        return g.sum() if not isinstance(g, np.ndarray) else float(np.sum(g))
    lead = len(have) - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and have[lead + i] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g.reshape(shape)


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


def bce_with_logits(y) -> Op:
    """Binary cross-entropy of σ(z) against a label y in [0, 1] (a number or an array), as one node.

    softplus(z) − y·z, rewritten as (1 − y)·softplus(z) + y·softplus(−z), and its derivative
    σ(z) − y as (1 − y)·σ(z) − y·σ(−z): for a label 0 or 1 neither form subtracts two nearly
    equal numbers, so a confident, correct prediction keeps its small loss and gradient
    to full relative precision (σ(30) − 1 computed directly keeps only 3 digits).
    """
    if np.ndim(y) == 0:
        return _bce_with_logits_number(float(y))
    return _bce_with_logits_op(y)


@lru_cache(maxsize=64)
def _bce_with_logits_number(y: float) -> Op:
    return _bce_with_logits_op(y)


def _bce_with_logits_op(y) -> Op:
    return Op(
        "bce_logits",
        lambda z: (1.0 - y) * softplus(z) + y * softplus(-z),
        lambda out, z: ((1.0 - y) * sigmoid(z) - y * sigmoid(-z),),
        "BCE(σ({0}), y)",
        ("σ({0}) − y",),
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
