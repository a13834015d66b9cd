"""Exercises of notebook 01 (computation graphs and the chain rule)."""

from __future__ import annotations

from . import Exercise, function, numbers, register

# 01.1: f(x, y, z) = x (y^2 + z) at x = -1, y = 2, z = 0.5, by hand
_X, _Y, _Z = -1.0, 2.0, 0.5
_GRADIENT = [_Y**2 + _Z, 2 * _X * _Y, _X]  # df/dx = y^2 + z, df/dy = 2xy, df/dz = x

# 01.4: f = 2 g1^2 - 3 g1 g2 + 1, g1 = 3x, g2 = x^2 + 2x, at x = 0.5
_X4 = 0.5
_G1, _G2 = 3 * _X4, _X4**2 + 2 * _X4
_VIA_G1 = (4 * _G1 - 3 * _G2) * 3
_VIA_G2 = (-3 * _G1) * (2 * _X4 + 2)

register(
    Exercise(
        id="01.1",
        question="f(x, y, z) = x (y² + z) at x = -1, y = 2, z = 0.5: the list [df/dx, df/dy, df/dz].",
        checker=numbers(_GRADIENT),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Name g = y² + z. Then df/dx = g, df/dg = x, dg/dy = 2y and dg/dz = 1; multiply along the chain.",
        solution=[4.5, -4.0, -1.0],
        wrong=([4.5, 4.0, -1.0],),
        explanation="df/dy = (df/dg)(dg/dy) = x · 2y = -4: the factor x comes from the product node above g.",
    ),
    Exercise(
        id="01.2",
        question="The local derivative of softsign(x) = x / (1 + |x|), as a function of x.",
        checker=function(lambda x: 1.0 / (1.0 + abs(x)) ** 2, [(-3.0,), (-0.5,), (0.0,), (0.25,), (2.0,), (10.0,)]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Use the quotient rule on each side of 0 separately: for x > 0 it is x / (1 + x), for x < 0 it is x / (1 - x).",
        solution=lambda x: 1.0 / (1.0 + abs(x)) ** 2,
        wrong=(lambda x: 1.0 / (1.0 + abs(x)),),
        explanation="Both sides give 1 / (1 + |x|)²: the curve is steepest at 0 (slope 1) and flattens like 1/x² in the tails.",
    ),
    Exercise(
        id="01.3",
        question="The correct local derivative d(x / y)/dy, as a function of x and y.",
        checker=function(lambda x, y: -x / y**2, [(3.0, -2.0), (1.0, 4.0), (-2.5, 0.5), (0.0, 3.0), (2.0, 2.0)]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="x / y = x · y⁻¹, and d(y⁻¹)/dy = -y⁻². Compare the sign with the finite difference printed above.",
        solution=lambda x, y: -x / y**2,
        wrong=(lambda x, y: x / y**2,),
        explanation="Raising the denominator shrinks a positive quotient, so the derivative is -x/y²; the buggy entry lost the minus sign.",
    ),
    Exercise(
        id="01.4",
        question="f = 2g1² - 3 g1 g2 + 1, g1 = 3x, g2 = x² + 2x at x = 0.5: [contribution through g1, through g2].",
        checker=numbers([_VIA_G1, _VIA_G2]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Each route contributes (df/dg_i) · (dg_i/dx), with df/dg1 = 4g1 - 3g2, df/dg2 = -3g1, dg1/dx = 3, dg2/dx = 2x + 2.",
        solution=[6.75, -13.5],
        wrong=([2.25, -4.5],),
        explanation="6.75 - 13.5 = -6.75 = -27x² at x = 0.5, the derivative of the simplified f = 1 - 9x³.",
    ),
)
