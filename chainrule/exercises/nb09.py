"""Exercises of notebook 09, beyond first order: f'', a Newton step, a Hessian entry, forward or reverse mode."""

from __future__ import annotations

import math

from . import Exercise, choice, number, register

# 09.1: f = x sin x, f' = sin x + x cos x, f'' = 2 cos x - x sin x
_F_SECOND = 2 * math.cos(1.0) - 1.0 * math.sin(1.0)

# 09.2: g' = e^x - 2, g'' = e^x. x1 = 0 - (1 - 2) / 1 = 1, x2 = 1 - (e - 2) / e = 2 / e
_X2 = 2 / math.e

# 09.3: df/dx = 2 x y^3 + y e^(xy); d/dy of that = 6 x y^2 + e^(xy) + x y e^(xy), at (1, 1): 6 + 2e
_MIXED = 6 + 2 * math.e

# 09.5: the graph has 1 mean, n minus, n sine and 1 total node = 2n + 2; forward mode walks it once per input
_N = 10
_FORWARD_COUNT = _N * (2 * _N + 2)


_COUNT_CHECKER = number(
    _FORWARD_COUNT,
    whole=True,
    mistakes={2 * _N + 2: "is the count of one pass over the graph, which is what reverse mode needs"},
)


register(
    Exercise(
        id="09.1",
        question="f''(1) for f(x) = x sin x.",
        checker=number(_F_SECOND),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Differentiate x sin x with the product rule, then differentiate each of the two terms again (one of them needs the product rule too).",
        solution=2 * math.cos(1.0) - math.sin(1.0),
        wrong=(math.cos(1.0) - math.sin(1.0),),
        explanation="f'' = 2 cos x - x sin x, which is 2 cos 1 - sin 1 = 0.2391 at x = 1.",
    ),
    Exercise(
        id="09.2",
        question="x2 after two Newton steps on e^x - 2x from x0 = 0.",
        checker=number(_X2),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="g'(x) = e^x - 2 and g''(x) = e^x. The first step goes from 0 to 1; take one more.",
        solution=2 / math.e,
        wrong=(1.0,),
        explanation="x1 = 1 and x2 = 1 - (e - 2)/e = 2/e = 0.7358, already within 0.05 of ln 2.",
    ),
    Exercise(
        id="09.3",
        question="d^2 f / dx dy at (1, 1) for f = x^2 y^3 + e^(xy).",
        checker=number(_MIXED),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Take df/dx = 2 x y^3 + y e^(xy) first. Differentiating y e^(xy) with respect to y needs the product rule.",
        solution=6 + 2 * math.e,
        wrong=(6 + math.e,),
        explanation="The mixed derivative is 6 x y^2 + (1 + x y) e^(xy), which is 6 + 2e = 11.437 at (1, 1).",
    ),
    Exercise(
        id="09.4",
        question="Forward or reverse mode for the Jacobian of a function from R^3 to R^1000.",
        checker=choice("forward", ["forward", "reverse"]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Forward mode gives one column of the Jacobian per pass (one per input), reverse mode one row per pass (one per output).",
        solution="forward",
        wrong=("reverse",),
        explanation="Forward mode needs 3 passes, one per input; reverse mode would need 1000, one per output.",
    ),
    Exercise(
        id="09.5",
        question="Local-derivative evaluations of forward mode for sum_i sin(x_i - mean(x)) with n = 10.",
        checker=_COUNT_CHECKER,
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Count the graph's nodes made by an op (mean, the differences, the sines, the total); then ask how many passes forward mode makes, and how much of the graph each pass visits.",
        solution=220,
        wrong=(22,),
        explanation="The graph has 2n + 2 = 22 op nodes and every input depends on all of them through the mean, so each of the 10 forward passes evaluates all 22.",
    ),
)
