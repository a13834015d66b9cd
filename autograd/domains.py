"""The domain column of the derivative table: where each op is defined, and what its error says outside.

``{name}`` in a message stands for the op's name: "log: got -1.0; log needs an input > 0".
"""

from __future__ import annotations

from .formulas import EXP_LIMIT, HYPERBOLIC_LIMIT, finite_power
from .op import Domain

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

__all__ = [
    "ABOVE_0",
    "ABOVE_0_SQRT",
    "ABOVE_MINUS_1",
    "INSIDE_1",
    "EXP_RANGE",
    "HYPERBOLIC_RANGE",
    "DIVISOR",
    "BASE_OF_A_VALUE_POWER",
    "BASE_OF_A_POWER",
]
