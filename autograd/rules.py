"""The derivative table: every elementwise op, its forward value, its local derivatives and its domain.

Read each row like a line of a calculus book's derivative table::

    MUL = Op("*", operator.mul, lambda out, x, y: (y, x), "{0} · {1}", ("{1}", "{0}"))
             name  forward value  local derivatives        as written   by hand

``x`` and ``y`` are the inputs, ``out`` is the op's own result; ``local`` gives one local
derivative per input, d(out)/d(input). The backward pass adds ``upstream · local`` to each
input's gradient; forward mode sums ``local · tangent`` over the inputs. The "by hand"
column is the form the lectures use (the stepper shows it); ``local`` may compute the same
number in a form that keeps its digits (``tanh'`` as sech², ``σ'(x)`` as σ(x)σ(−x)).

The domain column says where an op is defined; outside it the op raises a clear error.
``bounded=True`` marks ops whose result is finite whenever their inputs are; any other
result is checked. The math these rows are written with (``formulas.py``) works on floats,
arrays and Values alike, so the same row gives derivatives that can be differentiated again.
Array ops (matrix products, sums over an axis) are rows of ``arrays.py``; formulas computed
as one node (a neuron, softmax, cross-entropy) are rows of ``fused.py``.
"""

from __future__ import annotations

import operator
from functools import lru_cache

from .formulas import (
    EXP_LIMIT,
    HYPERBOLIC_LIMIT,
    arccos,
    arcsin,
    arctan,
    arctan_slope,
    cos,
    cosh,
    exp,
    expm1,
    finite_power,
    inverse_sine_slope,
    log,
    log1p,
    log2,
    log10,
    log_base,
    maximum,
    minimum,
    positive,
    pow_slope,
    quotient,
    relu,
    sech2,
    sigmoid,
    sign,
    sin,
    sinh,
    softplus,
    sqrt,
    step,
    tan,
    tanh,
    where,
)
from .op import Domain, Op, table

# -- the domain column: where an op is defined ({name} is the op's name in the message) ----------------------------
ABOVE_0 = Domain(lambda x: x > 0.0, ValueError, "{name} needs an input > 0")
ABOVE_0_SQRT = Domain(lambda x: x > 0.0, ValueError, "sqrt needs an input > 0 (at 0 its derivative is infinite)")
ABOVE_MINUS_1 = Domain(lambda x: x > -1.0, ValueError, "log1p needs an input > -1")
INSIDE_1 = Domain(lambda x: abs(x) < 1.0, ValueError, "{name} needs -1 < x < 1 (at ±1 its derivative is infinite)")
_OVERFLOW = "{name} overflows a float above %.2f; scale the input down or use a stable form such as softplus or sigmoid"
EXP_RANGE = Domain(lambda x: x <= EXP_LIMIT, OverflowError, _OVERFLOW % EXP_LIMIT)
HYPERBOLIC_RANGE = Domain(lambda x: abs(x) <= HYPERBOLIC_LIMIT, OverflowError, _OVERFLOW % HYPERBOLIC_LIMIT)
DIVISOR = Domain(lambda x, y: y != 0.0, ZeroDivisionError, "division by zero; keep the divisor away from 0", shows=1)
_POWER_TOO_LARGE = (
    "the power or its derivative n·x^(n − 1) is too large for a float; use a base or exponent closer to 1"
)
BASE_OF_A_VALUE_POWER = (
    Domain(lambda x, y: x >= 0.0, ValueError, "a Value exponent needs a base >= 0 (d/dy x^y = x^y log x)"),
    Domain(lambda x, y: (x > 0.0) | (y >= 1.0) | (y == 0.0), ValueError, "at base 0 the exponent must be 0 or >= 1"),
    Domain(finite_power, OverflowError, _POWER_TOO_LARGE),
)
BASE_OF_A_POWER = (
    Domain(lambda x, n: n == int(n) or x >= 0.0, ValueError, "a negative number to a non-integer power is not real"),
    Domain(lambda x, n: n >= 0.0 or x != 0.0, ValueError, "0 to a negative power is undefined; keep the base from 0"),
    Domain(
        lambda x, n: not 0.0 < n < 1.0 or x != 0.0,
        ValueError,
        "x ** n, 0 < n < 1, has an infinite slope at 0; keep the base away from 0",
    ),
    Domain(finite_power, OverflowError, _POWER_TOO_LARGE),
)

# -- the table -------------------------------------------------------------------------------------------------------
#                 forward value       local derivatives d(out)/d(input)                    written          by hand
# fmt: off
ADD      = Op("+",        operator.add, lambda out, x, y: (1.0, 1.0),                      "{0} + {1}",     ("1", "1"),               constant=True)
SUB      = Op("-",        operator.sub, lambda out, x, y: (1.0, -1.0),                     "{0} − {1}",     ("1", "−1"),              constant=True)
MUL      = Op("*",        operator.mul, lambda out, x, y: (y, x),                          "{0} · {1}",     ("{1}", "{0}"))
DIV      = Op("/",        operator.truediv, lambda out, x, y: (1.0 / y, -out / y),         "{0} / {1}",     ("1/{1}", "−{out}/{1}"),  domain=DIVISOR)
MOD      = Op("%",        operator.mod, lambda out, x, y: (1.0, -quotient(x, y)),          "{0} mod {1}",   ("1", "−⌊{0}/{1}⌋"),      domain=DIVISOR)
POW      = Op("**",       operator.pow, lambda out, x, y: (pow_slope(out, x, y), out * log_base(x)),
                                                                                           "{0}^{1}",       ("{1}·{0}^({1} − 1)", "{out}·log {0}"), domain=BASE_OF_A_VALUE_POWER)
NEG      = Op("neg",      operator.neg, lambda out, x: (-1.0,),                            "−{0}",          ("−1",),                  bounded=True)
ABS      = Op("abs",      abs,          lambda out, x: (sign(x),),                         "|{0}|",         ("sign({0})",),           bounded=True)
EXP      = Op("exp",      exp,          lambda out, x: (out,),                             "exp({0})",      ("{out}",),               domain=EXP_RANGE, bounded=True)
EXPM1    = Op("expm1",    expm1,        lambda out, x: (exp(x),),                          "exp({0}) − 1",  ("exp({0})",),            domain=EXP_RANGE, bounded=True)
LOG      = Op("log",      log,          lambda out, x: (1.0 / x,),                         "log({0})",      ("1/{0}",),               domain=ABOVE_0, bounded=True)
LOG1P    = Op("log1p",    log1p,        lambda out, x: (1.0 / (1.0 + x),),                 "log(1 + {0})",  ("1/(1 + {0})",),         domain=ABOVE_MINUS_1, bounded=True)
LOG2     = Op("log2",     log2,         lambda out, x: (1.0 / (x * 0.6931471805599453),),  "log₂({0})",     ("1/({0}·ln 2)",),        domain=ABOVE_0, bounded=True)
LOG10    = Op("log10",    log10,        lambda out, x: (1.0 / (x * 2.302585092994046),),   "log₁₀({0})",    ("1/({0}·ln 10)",),       domain=ABOVE_0, bounded=True)
SQRT     = Op("sqrt",     sqrt,         lambda out, x: (0.5 / out,),                       "√{0}",          ("1/(2·{out})",),         domain=ABOVE_0_SQRT, bounded=True)
SIN      = Op("sin",      sin,          lambda out, x: (cos(x),),                          "sin({0})",      ("cos({0})",),            bounded=True)
COS      = Op("cos",      cos,          lambda out, x: (-sin(x),),                         "cos({0})",      ("−sin({0})",),           bounded=True)
TAN      = Op("tan",      tan,          lambda out, x: (1.0 + out * out,),                 "tan({0})",      ("1 + {out}²",))
ARCSIN   = Op("arcsin",   arcsin,       lambda out, x: (inverse_sine_slope(x),),           "arcsin({0})",   ("1/√(1 − {0}²)",),       domain=INSIDE_1, bounded=True)
ARCCOS   = Op("arccos",   arccos,       lambda out, x: (-inverse_sine_slope(x),),          "arccos({0})",   ("−1/√(1 − {0}²)",),      domain=INSIDE_1, bounded=True)
ARCTAN   = Op("arctan",   arctan,       lambda out, x: (arctan_slope(x),),                 "arctan({0})",   ("1/(1 + {0}²)",),        bounded=True)
SINH     = Op("sinh",     sinh,         lambda out, x: (cosh(x),),                         "sinh({0})",     ("cosh({0})",),           domain=HYPERBOLIC_RANGE, bounded=True)
COSH     = Op("cosh",     cosh,         lambda out, x: (sinh(x),),                         "cosh({0})",     ("sinh({0})",),           domain=HYPERBOLIC_RANGE, bounded=True)
TANH     = Op("tanh",     tanh,         lambda out, x: (sech2(x),),                        "tanh({0})",     ("1 − {out}²",),          bounded=True)
SECH2    = Op("sech²",    sech2,        lambda out, x: (-2.0 * out * tanh(x),),            "sech²({0})",    ("−2·{out}·tanh({0})",),  bounded=True)
SIGMOID  = Op("sigmoid",  sigmoid,      lambda out, x: (out * sigmoid(-x),),               "σ({0})",        ("{out}·(1 − {out})",),   bounded=True)
SOFTPLUS = Op("softplus", softplus,     lambda out, x: (sigmoid(x),),                      "softplus({0})", ("σ({0})",),              bounded=True)
RELU     = Op("relu",     relu,         lambda out, x: (positive(x),),                     "relu({0})",     ("1 if {0} > 0 else 0",), bounded=True)
STEP     = Op("step",     step,         lambda out, x: (0.0,),                             "step({0})",     ("0",),                   bounded=True)
MAX      = Op("max",      maximum,      lambda out, x, y: ((x >= y) * 1.0, (x < y) * 1.0), "max({0}, {1})", ("1 if {0} ≥ {1} else 0", "1 if {0} < {1} else 0"), bounded=True)
MIN      = Op("min",      minimum,      lambda out, x, y: ((x <= y) * 1.0, (x > y) * 1.0), "min({0}, {1})", ("1 if {0} ≤ {1} else 0", "1 if {0} > {1} else 0"), bounded=True)
SUM      = Op("sum",      lambda *xs: sum(xs), lambda out, *xs: (1.0,) * len(xs),          " + ",           ("1",))
# Rows with a parameter (the exponent n, the slope a), given as the last argument:
POWER    = Op("**n",      lambda x, n: x ** n, lambda out, x, n: (pow_slope(out, x, n),),  lambda n: "{0}" + superscript(n), lambda n: (power_rule(n),), domain=BASE_OF_A_POWER, takes_arg=True)
LEAKY    = Op("leaky_relu", lambda x, a: where(x > 0.0, x, a * x), lambda out, x, a: (where(x > 0.0, 1.0, a),),
                                                                                           "leaky_relu({0})", lambda a: (f"1 if {{0}} > 0 else {a:g}",), takes_arg=True)
# fmt: on

TABLE = table(
    ADD, SUB, MUL, DIV, MOD, POW, NEG, ABS, EXP, EXPM1, LOG, LOG1P, LOG2, LOG10, SQRT, SIN, COS, TAN, ARCSIN, ARCCOS,
    ARCTAN, SINH, COSH, TANH, SECH2, SIGMOID, SOFTPLUS, RELU, STEP, MAX, MIN, SUM, POWER, LEAKY,
)  # fmt: skip


@lru_cache(maxsize=256)
def power(n: float):
    """x ** n for a constant exponent n: the POWER row bound to n (one per exponent, shared by every node)."""
    from .op import Bound

    return Bound(POWER, n, name=f"**{n:g}")


@lru_cache(maxsize=64)
def leaky_relu(slope: float):
    """x if x > 0 else slope · x: the LEAKY row bound to its slope (one per slope)."""
    from .op import Bound

    return Bound(LEAKY, slope)


_SUPERSCRIPTS = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def superscript(n: float) -> str:
    """x², x⁻¹, x^0.5: small whole exponents as superscripts, others after a caret."""
    return f"{n:g}".translate(_SUPERSCRIPTS) if n == int(n) and abs(n) < 10 else f"^{n:g}"


def power_rule(n: float) -> str:
    """n·x^(n-1) written out: 2·{0} for n = 2, 3·{0}² for n = 3, 0 for n = 0."""
    if n in (0.0, 1.0):
        return f"{n:g}"
    coefficient = f"{n:g}".replace("-", "−")
    return f"{coefficient}·{{0}}" + ("" if n == 2.0 else superscript(n - 1.0))
