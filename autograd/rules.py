"""The derivative table: every elementwise op, its forward value, its local derivatives, its domain.

Read a row like a line of a calculus book's table::

    MUL = Op("*", operator.mul, lambda out, x, y: (y, x), "{0} · {1}", ("{1}", "{0}"))
             name  forward value  d(out)/dx, d(out)/dy     as written   by hand

``local`` may compute the lectures' "by hand" form in one that keeps its digits (σ'(x) as
σ(x)σ(−x)). ``bounded``: finite inputs give a finite result; others are checked.
"""

from __future__ import annotations

import operator
from functools import lru_cache

from .domains import *  # noqa: F403  ABOVE_0, DIVISOR, ...: where each op is defined, and what its error says
from .formulas import *  # noqa: F403  exp, sigmoid, pow_slope, ...: math on a float, an array or a Value
from .op import Bound, Op, table

# -- the table -------------------------------------------------------------------------------------------------------
#                 forward value       local derivatives d(out)/d(input)                    written          by hand
# fmt: off
ADD      = Op("+",        operator.add, lambda out, x, y: (1.0, 1.0),                      "{0} + {1}",     ("1", "1"))
SUB      = Op("-",        operator.sub, lambda out, x, y: (1.0, -1.0),                     "{0} − {1}",     ("1", "−1"))
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
# Rows with a parameter (an exponent n, a slope a), given last:
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
    """x ** n, n a number: the POWER row bound to n, one per exponent (a node keeps its op: one Bound
    shared by every p ** 2 of a graph, not a new one of about 100 bytes for each)."""
    return Bound(POWER, n, name=f"**{n:g}")


@lru_cache(maxsize=64)
def leaky_relu(slope: float):
    """The LEAKY row bound to its slope (one per slope)."""
    return Bound(LEAKY, slope)
