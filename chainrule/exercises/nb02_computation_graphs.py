"""Exercises of notebook 02: computation graphs, local derivatives and the chain rule."""

from __future__ import annotations

import autograd

from . import Exercise, function, numbers, op_local, register

# 02.1: f(x, y, z) = x (y^2 + z) at x = -1, y = 2, z = 0.5, by hand
_X, _Y, _Z = -1.0, 2.0, 0.5
_GRADIENT = [_Y**2 + _Z, 2 * _X * _Y, _X]  # df/dx = y^2 + z, df/dy = 2xy, df/dz = x


# 02.2: softsign(x) = x / (1 + |x|) has the derivative 1 / (1 + |x|)^2 on both sides of 0
def _softsign_slope(x: float) -> float:
    return 1.0 / (1.0 + abs(x)) ** 2


# 02.3: the division op of the notebook, whose local derivative with respect to y lost its minus sign
def _division(local) -> autograd.Op:
    return autograd.Op("div", forward=lambda x, y: x / y, local=local, text="{0} / {1}")


_DIV_BUGGY = _division(lambda out, x, y: (1 / y, x / y**2))  # as the notebook defines it
_DIV_FIXED = _division(lambda out, x, y: (1 / y, -x / y**2))
_DIV_POINTS = [(3.0, -2.0), (1.0, 4.0), (-2.5, 0.5), (0.0, 3.0), (2.0, 2.0), (-1.5, -0.25)]

# 02.4: f = 2 g1^2 - 3 g1 g2 + 1, g1 = 3x, g2 = x^2 + 2x, at x = 0.5: the share of df/dx through each of g1, g2
_X4 = 0.5
_G1, _G2 = 3 * _X4, _X4**2 + 2 * _X4
_VIA_G1 = (4 * _G1 - 3 * _G2) * 3
_VIA_G2 = (-3 * _G1) * (2 * _X4 + 2)

register(
    Exercise(
        id="02.1",
        question="f(x, y, z) = x (y² + z) at x = -1, y = 2, z = 0.5: the list [df/dx, df/dy, df/dz].",
        checker=numbers(_GRADIENT),
        nudge="Section 2 fills in a backward table row by row for x = 2, y = 3, z = -1: fill in the same table "
        "at the new point, starting from the seed 1 at f.",
        hint="Name g = y² + z, so f = x·g. Then df/dx = g, df/dz = x·1 and df/dy = x·2y: each is the gradient "
        "arriving from above times one local derivative.",
        solution=[4.5, -4.0, -1.0],
        wrong=([4.5, 4.0, 1.0], [-1.0, -4.0, 4.5], [2.5, -4.0, -1.0]),
        explanation="df/dy = (df/dg)(dg/dy) = x · 2y = -4: the factor x is the gradient the product node hands to g.",
    ),
    Exercise(
        id="02.2",
        question="The local derivative of softsign(x) = x / (1 + |x|), as a function of x.",
        checker=function(lambda x: _softsign_slope(x), [(-3.0,), (-0.5,), (0.0,), (0.25,), (2.0,), (10.0,)]),
        nudge="Softsign is written differently on the two sides of 0: check your function at a negative x as well "
        "as a positive one, against a central difference like the one in section 1.",
        hint="For x > 0, softsign(x) = x / (1 + x); for x < 0 it is x / (1 - x). Use the quotient rule on each side, "
        "then write both results as one formula with |x|.",
        solution=lambda x: 1.0 / (1.0 + abs(x)) ** 2,
        wrong=(lambda x: 1.0 / (1.0 + abs(x)), lambda x: 1.0 / (1.0 + x) ** 2),
        explanation="Both sides give 1 / (1 + |x|)²: the curve is steepest at 0 (slope 1) and flattens like 1/x² in "
        "the tails.",
    ),
    Exercise(
        id="02.3",
        question="The division op DIV_BUGGY has one wrong local derivative: give the corrected autograd.Op.",
        checker=op_local(lambda x, y: (1 / y, -x / y**2), _DIV_POINTS, forward=lambda x, y: x / y),
        nudge="The cell above the exercise compares each of the op's two local derivatives with a finite "
        "difference: fix the one that disagrees, and keep the op's forward as it is.",
        hint="Write x / y as x · y⁻¹: d/dx is y⁻¹ and d/dy is x · (-y⁻²). Then "
        'autograd.Op("div", forward=lambda x, y: x / y, local=lambda out, x, y: (..., ...), text="{0} / {1}").',
        solution=_DIV_FIXED,
        wrong=(_DIV_BUGGY, lambda x, y: -x / y**2, _division(lambda out, x, y: (-x / y**2, 1 / y))),
        explanation="Raising the denominator shrinks a positive quotient, so d(x/y)/dy = -x/y²; the buggy entry "
        "had lost the minus sign.",
    ),
    Exercise(
        id="02.4",
        question="f = 2g1² - 3 g1 g2 + 1, g1 = 3x, g2 = x² + 2x at x = 0.5: [contribution through g1, through g2].",
        checker=numbers([_VIA_G1, _VIA_G2]),
        nudge="Section 4 splits df/dx at x = 1 into the part that travels through g1 and the part through g2: "
        "redo that split at x = 0.5.",
        hint="Each route contributes (∂f/∂g_i)(dg_i/dx), with ∂f/∂g1 = 4g1 - 3g2, ∂f/∂g2 = -3g1, dg1/dx = 3 and "
        "dg2/dx = 2x + 2.",
        solution=[6.75, -13.5],
        wrong=([2.25, -4.5], [-13.5, 6.75], [18.0, -13.5]),
        explanation="6.75 - 13.5 = -6.75 = -27x² at x = 0.5, the derivative of the simplified f = 1 - 9x³.",
    ),
)
