"""Exercises of notebook 16, beyond first order: f'', a Newton step, a Hessian entry, the passes and the work of
forward and reverse mode."""

from __future__ import annotations

import math

from . import Exercise, number, numbers, register

# 16.1: f = x sin x, f' = sin x + x cos x, f'' = 2 cos x - x sin x
_F_SECOND = 2 * math.cos(1.0) - 1.0 * math.sin(1.0)

# 16.2: g' = e^x - 2, g'' = e^x. x1 = 0 - (1 - 2) / 1 = 1, x2 = 1 - (e - 2) / e = 2 / e
_X2 = 2 / math.e

# 16.3: df/dx = 2 x y^3 + y e^(xy); d/dy of that = 6 x y^2 + e^(xy) + x y e^(xy), at (1, 1): 6 + 2e
_MIXED = 6 + 2 * math.e

# 16.4: the Jacobian of R^3 -> R^1000 has 1000 rows and 3 columns; a forward pass gives a column, a backward pass a row
_INPUTS, _OUTPUTS = 3, 1000

# 16.5: h(x) = sum_i sin(x_i), n = 10: n sine nodes and one total. A forward pass seeded at x_j reaches only sin(x_j)
# and the total; the one backward pass visits all n + 1 nodes.
_N = 10
_COUNTS = [_N * 2, _N + 1]  # [forward mode, reverse mode]

register(
    Exercise(
        id="16.1",
        question="f''(1) for f(x) = x sin x.",
        checker=number(
            _F_SECOND,
            mistakes={math.cos(1.0) - math.sin(1.0): "misses a cos x: apply the product rule to x cos x as well"},
        ),
        nudge="Section 2 differentiates products twice by hand on the way to its Hessian: differentiate f' the same "
        "way, one term at a time.",
        hint="The product rule gives f'(x) = sin x + x cos x. Differentiate each of the two terms again; the second "
        "one, x cos x, needs the product rule too.",
        solution=2 * math.cos(1.0) - math.sin(1.0),
        wrong=(math.cos(1.0) - math.sin(1.0), -math.sin(1.0)),
        explanation="f'' = 2 cos x - x sin x, which is 2 cos 1 - sin 1 ≈ 0.2391 at x = 1.",
    ),
    Exercise(
        id="16.2",
        question="x2 after two Newton steps on g(x) = e^x - 2x from x0 = 0.",
        checker=number(_X2),
        nudge="Section 1 derives the Newton step from the parabola that touches the function: apply that step "
        "twice, with this function's first and second derivative.",
        hint="x_{k+1} = x_k − g'(x_k)/g''(x_k) with g'(x) = e^x − 2 and g''(x) = e^x. The first step goes from 0 "
        "to 1; take one more.",
        solution=2 / math.e,
        wrong=(1.0, math.log(2.0), 1 - (math.e - 2)),
        explanation="x1 = 1 and x2 = 1 − (e − 2)/e = 2/e ≈ 0.7358, already within 0.05 of the minimum ln 2.",
    ),
    Exercise(
        id="16.3",
        question="d^2 f / dx dy at (1, 1) for f = x^2 y^3 + e^(xy).",
        checker=number(_MIXED, mistakes={6 + math.e: "forgets the product rule on y e^(xy)"}),
        nudge="Section 2 works out both mixed derivatives of its function term by term: do the same here, "
        "differentiating first with respect to x, then with respect to y.",
        hint="Take df/dx = 2 x y^3 + y e^(xy) first. Differentiating y e^(xy) with respect to y needs the product "
        "rule: e^(xy) + x y e^(xy).",
        solution=6 + 2 * math.e,
        wrong=(6 + math.e, 6 * math.e),
        explanation="The mixed derivative is 6 x y^2 + (1 + x y) e^(xy), which is 6 + 2e ≈ 11.437 at (1, 1).",
    ),
    Exercise(
        id="16.4",
        question="The full 1000 × 3 Jacobian of a function from R^3 to R^1000: [forward passes of forward mode, "
        "backward passes of reverse mode].",
        checker=numbers([_INPUTS, _OUTPUTS], whole=True),
        nudge="The table of section 3 says how many passes each mode needs for a Jacobian: read it for a function "
        "with 3 inputs and 1000 outputs.",
        hint="Forward mode gives one column of the Jacobian per pass, seeded at one input; reverse mode gives one "
        "row per pass, seeded at one output. Count the columns and the rows.",
        solution=[3, 1000],
        wrong=([1000, 3], [3, 1], [1, 1000]),
        explanation="3 forward passes (one per input, one column each) against 1000 backward passes (one per "
        "output): here forward mode wins, the mirror image of training a network.",
    ),
    Exercise(
        id="16.5",
        question="h(x) = sum_i sin(x_i) with n = 10, built from the counting ops of section 3: [local-derivative "
        "evaluations of forward mode (jacfwd), of reverse mode (jacobian)].",
        checker=numbers(_COUNTS, whole=True),
        nudge="Section 3 explains why every pass over f visits every node (the mean ties each node to every "
        "input); ask which nodes a pass seeded at one input reaches in h, which has no mean.",
        hint="The graph of h has n sine nodes and one total. Forward mode makes one pass per input, and a pass "
        "evaluates only the nodes its input reaches; reverse mode makes one backward pass over every node.",
        solution=[20, 11],
        wrong=([_N * (_N + 1), _N + 1], [_N * (2 * _N + 2), 2 * _N + 2], [11, 20]),
        explanation="Each of the 10 forward passes reaches only its own sine node and the total: 2 evaluations, 20 "
        "in all. The backward pass visits the 11 nodes once. Without the mean, forward mode is no longer n times "
        "the cost of reverse mode, only about twice.",
    ),
)
