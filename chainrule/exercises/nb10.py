"""Exercises of notebook 10: vanishing gradients."""

from __future__ import annotations

from . import Exercise, choice, number, register

# sigma'(z) = sigma(z)(1 - sigma(z)) = s(1 - s) is a parabola in s = sigma(z), largest at s = 1/2
SIGMOID_SLOPE_MAX = 0.5 * (1 - 0.5)
# tanh'(z) = 1 - tanh(z)^2 is largest where tanh(z) = 0, i.e. at z = 0
TANH_SLOPE_MAX = 1 - 0.0**2
# ||delta^l|| <= ||W^{l+1}||_2 * max sigma' * ||delta^{l+1}||, ten times over with ||W||_2 = 3
BOUND_TEN_LAYERS = (3 * SIGMOID_SLOPE_MAX) ** 10
# the chain of six sigmoid neurons with w = 2, b = -1, x = 1/2: every z is 0, so each step back multiplies by
# w * sigma'(0) = 2/4; dL/dw^l = delta^l a^{l-1} with a^{l-1} = 1/2 for every l, so five steps separate w^1 from w^6
CHAIN_RATIO = (2 * SIGMOID_SLOPE_MAX) ** 5

register(
    Exercise(
        id="10.1",
        question="The largest value of the logistic function's derivative sigma'(z) = sigma(z)(1 - sigma(z)).",
        checker=number(SIGMOID_SLOPE_MAX),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Write s = sigma(z), a number between 0 and 1; s(1 - s) is a parabola in s. Where is its top?",
        solution=0.25,
        wrong=(0.5,),
        explanation="At s = 1/2 (z = 0) the slope is 1/2 · 1/2 = 1/4: a sigmoid unit never passes on more than a "
        "quarter of the gradient it receives.",
    ),
    Exercise(
        id="10.2",
        question="The largest value of tanh'(z) = 1 - tanh(z)^2.",
        checker=number(TANH_SLOPE_MAX),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="A square is never negative. For which z is tanh(z)^2 as small as it can be?",
        solution=1.0,
        wrong=(0.25,),
        explanation="tanh(0) = 0, so tanh'(0) = 1: near zero a tanh unit passes the gradient on unchanged, four "
        "times as much as a sigmoid unit can.",
    ),
    Exercise(
        id="10.3",
        question="An upper bound on ||delta^1|| / ||delta^11|| through ten sigmoid layers whose weight matrices "
        "all have spectral norm 3.",
        checker=number(BOUND_TEN_LAYERS),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Each step back, delta^l = (W^{l+1})^T delta^{l+1} ⊙ sigma'(z^l), can grow the norm by at most "
        "||W^{l+1}||_2 for the matrix and at most max sigma' for the elementwise product. Count the steps from "
        "delta^11 to delta^1.",
        solution=(3 / 4) ** 10,
        wrong=(0.25**10,),
        explanation="(3/4)^10 ≈ 0.056: even with weights that stretch a vector threefold, ten sigmoid layers "
        "leave at most about 6 % of the signal.",
    ),
    Exercise(
        id="10.4",
        question="In the experiment at the default (He) initialisation, which activation gives the first layer's "
        "weights W^1 the largest gradient norm: 'sigmoid', 'tanh' or 'relu'?",
        checker=choice("tanh", ("sigmoid", "tanh", "relu")),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Read the left end (layer 1) of the plot of ||∇W^l|| per layer, or print norms[act][0] for each "
        "activation.",
        solution="tanh",
        wrong=("relu",),
        explanation="With He initialisation the weights stretch the signal by about √2 per layer. tanh' is close "
        "to 1 near zero and lets most of it through, so the signal even grows a little toward the input; ReLU "
        "switches off about half of the units, which the √2 just balances.",
    ),
    Exercise(
        id="10.5",
        question="A chain of six one-unit sigmoid layers, a^l = sigma(w^l a^{l-1} + b^l), with every w^l = 2, "
        "every b^l = -1 and input a^0 = 1/2: predict |dL/dw^1| / |dL/dw^6| for any loss L of a^6.",
        checker=number(CHAIN_RATIO),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="First find every z^l (start with z^1 = 2 · 1/2 - 1). Then dL/dw^l = delta^l a^{l-1}, and each "
        "step back, delta^l = delta^{l+1} w^{l+1} sigma'(z^l), multiplies by the same number.",
        solution=(2 / 4) ** 5,
        wrong=((1 / 4) ** 5,),
        explanation="Every z^l is 0 and every a^l is 1/2, so each of the five steps from delta^6 back to delta^1 "
        "multiplies by w · sigma'(0) = 2/4: the ratio is (1/2)^5 = 1/32. With w = 4 and b = -2 it would be exactly "
        "1: weights of size 4 are what a sigmoid needs to undo its 1/4.",
    ),
)
