"""Exercises of notebook 08: reading gradients off the stepper, its quiz, trace and explain."""

from __future__ import annotations

import math

from . import Exercise, number, numbers, register
from .nb06_backprop_by_hand import W_H, W_O, X1, X2, Y_STAR

# 08.1: the tanh neuron o = tanh(x1 w1 + x2 w2 + b) with x = (2, -1), w = (-0.5, 0.8), b = 1.5.
_N = 2.0 * -0.5 + -1.0 * 0.8 + 1.5
_SLOPE = 1.0 - math.tanh(_N) ** 2

register(
    Exercise(
        id="08.1",
        question="In the tanh neuron's stepper, the frame where n passes its gradient back: the gradient b receives.",
        checker=number(_SLOPE),  # the stepper shows four significant digits
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="n = x1w1 + x2w2 + b is a sum: its local derivative towards b is 1. Multiply by n.grad, which the frame before gave n.",
        solution=round(_SLOPE, 4),
        wrong=(1.0,),  # the local derivative alone, without the upstream gradient
        explanation="b.grad = ∂n/∂b · n.grad = 1 · (1 − o²) ≈ 0.9151: a sum node hands its own gradient to every input.",
    )
)

# The 2-2-1 network of notebook 06, computed here with plain floats.
_INPUT = {0: 1.0, 1: X1, 2: X2}
_S = {j: sum(W_H[(i, j)] * _INPUT[i] for i in range(3)) for j in (1, 2)}
_Z = {j: 1.0 / (1.0 + math.exp(-_S[j])) for j in (1, 2)}
_E = W_O[0] + W_O[1] * _Z[1] + W_O[2] * _Z[2] - Y_STAR  # y - y*, which is dL/dy
_DELTA = {j: _E * W_O[j] * _Z[j] * (1.0 - _Z[j]) for j in (1, 2)}  # dL/ds_j

# 08.2: the quiz frame where z2 passes its gradient to s2.
register(
    Exercise(
        id="08.2",
        question="Quiz frame where z2 = σ(s2) passes its gradient back: [the local derivative ∂z2/∂s2, s2's new gradient].",
        checker=numbers([_Z[2] * (1.0 - _Z[2]), _DELTA[2]]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="σ'(s) = σ(s)(1 − σ(s)), and σ(s2) is z2, which the box of z2 shows. Then multiply by z2.grad.",
        solution=[_Z[2] * (1.0 - _Z[2]), _DELTA[2]],
        wrong=(
            [_S[2] * (1.0 - _S[2]), _E * W_O[2] * _S[2] * (1.0 - _S[2])],
        ),  # the identity applied to s2 instead of z2
        explanation="∂z2/∂s2 = z2(1 − z2) ≈ 0.1388 uses the node's output, and s2.grad = 0.1388 × z2.grad ≈ 0.1385.",
    )
)

# 08.3: x1 reaches L along two paths, so it receives two contributions.
_PATH = {j: _DELTA[j] * W_H[(1, j)] for j in (1, 2)}  # through hidden unit j: dL/ds_j * ds_j/dx1


def _check_x1(answer) -> str | None:
    if not isinstance(answer, (list, tuple)) or len(answer) != 2:
        return "the answer should be a list of 2 numbers: [x1.grad after its first contribution, x1.grad at the end]"
    try:
        first, final = (float(getattr(a, "data", a)) for a in answer)
    except (TypeError, ValueError):
        return "both entries should be numbers"
    if not any(math.isclose(first, p, rel_tol=1e-3) for p in _PATH.values()):
        return f"{first:.4g} is not the gradient x1 holds after the first frame that reaches it"
    if not math.isclose(final, _PATH[1] + _PATH[2], rel_tol=1e-3):
        return f"{final:.4g} is not the gradient x1 holds at the end of the backward pass"
    return None


register(
    Exercise(
        id="08.3",
        question="x1 feeds both hidden units: [x1.grad after the first frame that reaches it, x1.grad at the end].",
        checker=_check_x1,
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Find the two backward frames whose caption changes x1.grad. The second one adds to what the first left ('now …').",
        solution=[_PATH[1], _PATH[1] + _PATH[2]],
        wrong=([_PATH[1], _PATH[2]],),  # the second contribution read as the final gradient: += read as =
        explanation="The second frame adds its contribution to the first: x1.grad is the sum over its two paths.",
    )
)

# 08.4: paths from the loss back to one input of a 2-3-4-1 network.
register(
    Exercise(
        id="08.4",
        question="How many paths lead from the output of nn.MLP(2, [3, 4, 1]) back to its input x1?",
        checker=number(3 * 4),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="From x1 a path picks one of the 3 first-layer units, then one of the 4 second-layer units, then the output.",
        solution=12,
        wrong=(3 + 4,),
        explanation="3 × 4 = 12 paths, and the count multiplies with every layer; backward() still visits each node once.",
    )
)
