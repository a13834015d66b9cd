"""Exercises of notebook 14: predicting what the stepper shows, frame by frame, on numbers it has not shown."""

from __future__ import annotations

import math

from . import Exercise, number, numbers, register

# 14.1: a tanh neuron o = tanh(x1 w1 + x2 w2 + b) with other numbers than the notebook's: n = 0.7 - 0.8 + 0.6.
_X2 = -2.0
_N = 1.0 * 0.7 + _X2 * 0.4 + 0.6
_O = math.tanh(_N)
_SLOPE = 1.0 - _O**2  # do/dn, which n.grad holds when n passes its gradient back

# The lectures' 2-2-1 network: w_ij^h reads input i into hidden unit j (i = 0 is the bias), w_j1^o reads
# hidden unit j into the output. The same numbers as notebook 06, kept here so this module stands alone.
W_H = {(0, 1): 0.1, (1, 1): -0.6, (2, 1): 0.4, (0, 2): 0.3, (1, 2): 0.7, (2, 2): -0.5}
W_O = {0: -0.2, 1: 0.9, 2: 1.4}

# 14.2 and 14.3: a second training example for the same weights, x = (1, 0.5) with target y* = -0.3.
X1, X2, Y_STAR = 1.0, 0.5, -0.3
_INPUT = {0: 1.0, 1: X1, 2: X2}
_S = {j: sum(W_H[(i, j)] * _INPUT[i] for i in range(3)) for j in (1, 2)}
_Z = {j: 1.0 / (1.0 + math.exp(-_S[j])) for j in (1, 2)}
_E = W_O[0] + W_O[1] * _Z[1] + W_O[2] * _Z[2] - Y_STAR  # y - y*, which is dL/dy for L = (y - y*)^2 / 2
_DELTA = {j: _E * W_O[j] * _Z[j] * (1.0 - _Z[j]) for j in (1, 2)}  # dL/ds_j
_PATH = {j: _DELTA[j] * W_H[(1, j)] for j in (1, 2)}  # x1's contribution through hidden unit j

register(
    Exercise(
        id="14.1",
        question="The tanh neuron with x = (1, -2), w = (0.7, 0.4), b = 0.6: [b.grad, w2.grad] after the backward pass.",
        checker=numbers([_SLOPE, _X2 * _SLOPE]),
        nudge="Part 1's printout of the backward pass, and the two bullet points under it: what does a sum node hand "
        "each input, and what does a product node multiply by?",
        hint="First n = x1 w1 + x2 w2 + b and o = tanh(n); n.grad = 1 − o². The sum node passes n.grad unchanged to "
        "x1w1, x2w2 and b; the product node x2w2 passes x2w2.grad × x2 (the other factor) to w2.",
        solution=[_SLOPE, _X2 * _SLOPE],
        wrong=(
            [1.0, _X2],  # the local derivatives alone, without the upstream gradient
            [1.0 - _N**2, _X2 * (1.0 - _N**2)],  # tanh' written with n instead of o = tanh(n)
            [_SLOPE, 0.4 * _SLOPE],  # w2 multiplied by itself: that is what x2 receives
        ),
        explanation="n = 0.5 and o = tanh(0.5), so n.grad = 1 − o² ≈ 0.786. The sum hands b the same 0.786; the "
        "product x2·w2 hands w2 that times x2 = −2. Sums copy, products swap.",
    ),
    Exercise(
        id="14.2",
        question="The 2-2-1 network on x = (1, 0.5), y* = -0.3: [dz2/ds2, s2.grad] in the frame where z2 passes its "
        "gradient back.",
        checker=numbers([_Z[2] * (1.0 - _Z[2]), _DELTA[2]]),
        nudge="The quiz section of Part 2 and the backward printout after it: the sigmoid's local derivative is "
        "written with the node's own output, and the gradient it multiplies came down through v2.",
        hint="Forward first: s2 = w02h + w12h x1 + w22h x2 and z2 = σ(s2). Then ∂z2/∂s2 = z2(1 − z2), and "
        "z2.grad = (y − y*) · w21o, so s2.grad = z2(1 − z2) · (y − y*) · w21o.",
        solution=[_Z[2] * (1.0 - _Z[2]), _DELTA[2]],
        wrong=(
            [_S[2] * (1.0 - _S[2]), _E * W_O[2] * _S[2] * (1.0 - _S[2])],  # the identity applied to s2, not z2
            [_Z[2] * (1.0 - _Z[2]), _E * _Z[2] * (1.0 - _Z[2])],  # w21o left out on the way down from y
        ),
        explanation="s2 = 0.75 and z2 = σ(0.75) ≈ 0.679, so ∂z2/∂s2 = z2(1 − z2) ≈ 0.218; z2 holds "
        "(y − y*) · w21o ≈ 2.01, and s2.grad ≈ 0.437.",
    ),
    Exercise(
        id="14.3",
        question="The 2-2-1 network on x = (1, 0.5), y* = -0.3: [x1.grad right after the first backward frame that "
        "changes it, x1.grad at the end].",
        checker=numbers([_PATH[1], _PATH[1] + _PATH[2]]),
        nudge="The cell of Part 2 that lists the edges into x2: which hidden unit's path reaches the input first, and "
        "what does the second frame do with what the first left?",
        hint="x1 feeds u11 = w11h·x1 and u12 = w12h·x1. The frame of u_1j gives x1 the contribution "
        "s_j.grad · w1jh, with s_j.grad = (y − y*) · w_j1o · z_j(1 − z_j). Unit 1's frame comes first; the second "
        "frame adds its contribution to the first.",
        solution=[_PATH[1], _PATH[1] + _PATH[2]],
        wrong=(
            [_PATH[1], _PATH[2]],  # the second contribution read as the final gradient: += read as =
            [_PATH[2], _PATH[1] + _PATH[2]],  # the frames taken in the wrong order
        ),
        explanation="Through hidden unit 1 x1 receives about −0.189, through unit 2 about +0.306; the second frame "
        "adds, so x1.grad ends at their sum, about 0.117: the sum over its two paths.",
    ),
    Exercise(
        id="14.4",
        question="How many paths lead from the output of a fully connected 2-3-4-1 network back to its input x1?",
        checker=number(3 * 4, whole=True),
        nudge="The section on explain lists the paths into x2 of the 2-2-1 network, one per hidden unit: "
        "count the choices a path makes on its way from x1 to the output, layer by layer.",
        hint="From x1 a path picks one of the 3 units of the first hidden layer, then one of the 4 units of the "
        "second, then the output unit: multiply the numbers of choices.",
        solution=12,
        wrong=(3 + 4, 3 * 4 * 2),
        explanation="3 × 4 = 12 paths, and the count multiplies with every layer; backward() still visits each node "
        "once, which is why it does not care how many paths there are.",
    ),
)
