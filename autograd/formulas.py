"""The math the tables are written with: functions that work on a float, a NumPy array or a Value.

A row of a derivative table is evaluated on numbers in the backward pass, and on Values
when the backward pass is recorded (``create_graph``) so that it can be differentiated
again. Each function here picks ``math`` for a float, ``numpy`` for an array and the
Value's own op for a Value, so one formula serves all three.

Several are written in a form that stays accurate where the textbook form loses digits or
overflows: sigmoid and softplus never call exp on a large positive number, sech² is
4e^{-2|x|}/(1 + e^{-2|x|})², the slope of x^n is n·out/x.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np

from .op import Op, table

# A result that is not finite is reported by the engine as an error of its own (OverflowError,
# or the op's domain); NumPy's RuntimeWarning for the same event, raised inside autograd, would
# only repeat it (and an errstate block around every op costs more than the op).
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"autograd\.")

EXP_LIMIT = math.log(np.finfo(float).max)  # exp(x) overflows above 709.78...
HYPERBOLIC_LIMIT = EXP_LIMIT + math.log(2.0)  # sinh and cosh at about 710.48


def data_of(x):
    """The numbers inside ``x``: a Value's data (its local derivatives are constants), else ``x``."""
    return x if x.__class__ in (float, np.ndarray) else x.data


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
expm1 = _on_any(math.expm1, np.expm1, "expm1")
log = _on_any(math.log, np.log, "log")
log1p = _on_any(math.log1p, np.log1p, "log1p")
log2 = _on_any(math.log2, np.log2, "log2")
log10 = _on_any(math.log10, np.log10, "log10")
sqrt = _on_any(math.sqrt, np.sqrt, "sqrt")
sin = _on_any(math.sin, np.sin, "sin")
cos = _on_any(math.cos, np.cos, "cos")
tan = _on_any(math.tan, np.tan, "tan")
arcsin = _on_any(math.asin, np.arcsin, "arcsin")
arccos = _on_any(math.acos, np.arccos, "arccos")
arctan = _on_any(math.atan, np.arctan, "arctan")
tanh = _on_any(math.tanh, np.tanh, "tanh")
sinh = _on_any(math.sinh, np.sinh, "sinh")
cosh = _on_any(math.cosh, np.cosh, "cosh")
sigmoid = _on_any(_sigmoid_float, _sigmoid_array, "sigmoid")
softplus = _on_any(_softplus_float, _softplus_array, "softplus")
sech2 = _on_any(_sech2_float, _sech2_array, "sech2")  # tanh's derivative, an op of its own so it has one too


def relu(x):
    return (x if x > 0.0 else 0.0) if x.__class__ is float else np.maximum(x, 0.0)


def step(x):
    return (x >= 0.0) * 1.0


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


def ones_like(x):
    x = data_of(x)
    return 1.0 if x.__class__ is float else np.ones_like(x)


def on_part(x, part, form, stand_in: float = 1.0):
    """``form`` of a Value ``x`` where ``part`` (a bool or boolean array) holds, and 0 elsewhere, recorded so
    that it can be differentiated again: the other entries read ``stand_in``, a number ``form`` accepts,
    so no entry is taken outside its domain and no derivative through them is inf or nan."""
    kept = part * 1.0
    return form(x * kept + stand_in * (1.0 - kept)) * kept


def pow_slope(out, x, n):
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
    # Values: recorded, so the derivative can be differentiated again. Where x = 0 and x^(n−1) has no
    # finite slope (n − 1 < 0, or between 0 and 1), the slope is 0 there and its own derivative infinite:
    # a node that holds the 0 and refuses to be differentiated stands in for those entries.
    zero = np.asarray(data_of(x)) == 0.0
    m = np.asarray(data_of(n)) - 1.0
    steep = zero & (m != 0.0) & (m < 1.0)
    if not np.any(steep):
        return n * x ** (n - 1.0)
    finite = on_part(x, ~steep, lambda base: n * base ** (n - 1.0))
    return finite + _STEEP(*[v for v in (x, n) if hasattr(v, "parents")]) * (steep * 1.0)  # Values only


def _no_finite_slope(out, *inputs):
    raise ValueError(
        "x ** n at x = 0: the derivative asked for is infinite there (d/dx of n·x^(n − 1) with n − 1 below 1); "
        "keep the base away from 0"
    )


# The slope of x ** n at x = 0 where it is 0 but has no finite derivative of its own (see pow_slope).
_STEEP = Op("steep", lambda *inputs: 0.0 * inputs[0], _no_finite_slope, "0 (n·x^(n − 1) at x = 0)", ("∞",))
table(_STEEP)


def log_base(x):
    """log x for the derivative of x^y in y; at x = 0 (where out = 0) any finite number gives 0."""
    if x.__class__ is float:
        return math.log(x) if x > 0.0 else 0.0
    if x.__class__ is np.ndarray:
        with np.errstate(divide="ignore"):
            return np.where(x > 0.0, np.log(np.where(x > 0.0, x, 1.0)), 0.0)
    # A Value (create_graph): log where x > 0, and a constant 0 elsewhere, as for numbers.
    positive = np.asarray(x.data) > 0.0
    if np.all(positive):
        return x.log()
    if x.data.__class__ is float:
        return 0.0
    return on_part(x, positive, lambda v: v.log())


def quotient(x, y):
    """⌊x/y⌋, the whole number of times y fits in x (x mod y = x − y⌊x/y⌋); a constant: its derivative is 0."""
    x, y = data_of(x), data_of(y)
    return x // y if x.__class__ is float and y.__class__ is float else np.floor_divide(x, y)


# Beyond it 1 + x² rounds to x² in floating point: (1/x)² is then the same number, and its own
# derivatives (−2/x³, 6/x⁴, ...) stay finite where those of 1/(1 + x²) would overflow.
ONE_IS_LOST = 1e8


def arctan_slope(x):
    """1/(1 + x²); for |x| beyond 1e8, where the 1 no longer counts, (1/x)²."""
    if x.__class__ is float:
        return 1.0 / (1.0 + x * x) if abs(x) < ONE_IS_LOST else (1.0 / x) ** 2
    if x.__class__ is np.ndarray:
        with np.errstate(over="ignore", divide="ignore"):
            far = np.abs(x) >= ONE_IS_LOST
            return np.where(far, (1.0 / np.where(far, x, 1.0)) ** 2, 1.0 / (1.0 + x * x))
    # A Value (create_graph): the same two forms, so that every derivative of it stays finite too.
    large = np.abs(x.data) >= ONE_IS_LOST
    if not np.any(large):
        return 1.0 / (1.0 + x * x)
    if np.all(large):
        return (1.0 / x) ** 2
    return on_part(x, ~large, lambda v: 1.0 / (1.0 + v * v), 0.0) + on_part(
        x, large, lambda v: (1.0 / v) ** 2, ONE_IS_LOST
    )


def inverse_sine_slope(x):
    """1/√(1 − x²), written (1 − x)(1 + x) so that it keeps its digits near ±1."""
    return 1.0 / sqrt((1.0 - x) * (1.0 + x))


def finite_power(x, n):
    """True where x^n and its slope n·x^(n − 1) are both finite floats (for an array, entry by entry)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        try:
            out = x**n
        except OverflowError:  # a float power too large for a float
            return False
        slope = pow_slope(out, x, n)
    if out.__class__ is float and slope.__class__ is float:
        return out - out == 0.0 and slope - slope == 0.0  # false for inf and nan
    return np.isfinite(out) & np.isfinite(slope)


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


__all__ = [
    "EXP_LIMIT",
    "HYPERBOLIC_LIMIT",
    "arccos",
    "arcsin",
    "arctan",
    "arctan_slope",
    "cos",
    "cosh",
    "data_of",
    "exp",
    "expm1",
    "finite_power",
    "inverse_sine_slope",
    "log",
    "log10",
    "log1p",
    "log2",
    "log_base",
    "maximum",
    "minimum",
    "ones_like",
    "positive",
    "pow_slope",
    "power_rule",
    "quotient",
    "relu",
    "sech2",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "softplus",
    "sqrt",
    "step",
    "superscript",
    "tan",
    "tanh",
    "where",
]
