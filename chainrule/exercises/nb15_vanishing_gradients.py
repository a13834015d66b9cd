"""Exercises of notebook 15: how much of the error signal each layer passes back, predicted by hand."""

from __future__ import annotations

import math

from . import Exercise, number, register

# 15.1: sigma'(3) = sigma(3)(1 - sigma(3)), the share of its gradient a sigmoid unit passes back at z = 3
_S3 = 1.0 / (1.0 + math.exp(-3.0))
SIGMOID_SLOPE_AT_3 = _S3 * (1.0 - _S3)
# 15.2: tanh'(z) = 1 - tanh(z)^2 = 1/4, the largest sigmoid slope, where tanh(z)^2 = 3/4
TANH_QUARTER = math.atanh(math.sqrt(3.0) / 2.0)
# 15.3: ||delta^l|| <= ||W^{l+1}||_2 * max sigma' * ||delta^{l+1}||, ten times over with ||W||_2 = 3
BOUND_TEN_LAYERS = (3 * 0.25) ** 10
# 15.4: a ReLU network of 8 weight layers with zero biases and the loss L = mean of y_hat: scaling every W by c
# scales dL/dW^1 by c once for each of the other 7 layers
RELU_SCALE = 3.0**7
# 15.5: the chain of six sigmoid neurons with w = 2, b = -1, x = 1/2: every z is 0, so each step back multiplies by
# w * sigma'(0) = 2/4; dL/dw^l = delta^l a^{l-1} with a^{l-1} = 1/2 for every l, so five steps separate w^1 from w^6
CHAIN_RATIO = (2 * 0.25) ** 5

register(
    Exercise(
        id="15.1",
        question="The slope sigma'(z) = sigma(z)(1 - sigma(z)) of the logistic function at z = 3.",
        checker=number(SIGMOID_SLOPE_AT_3),
        nudge="Section 2 works out the sigmoid's slope at z = 4 in one line: do the same at z = 3.",
        hint="First s = σ(3) = 1 / (1 + e^(−3)), then σ'(3) = s(1 − s). The identity is written with the output s, "
        "not with z.",
        solution=SIGMOID_SLOPE_AT_3,
        wrong=(_S3, 3.0 * (1.0 - 3.0), 0.25),  # sigma itself, the identity applied to z, the largest slope
        explanation="σ(3) ≈ 0.953, so σ'(3) ≈ 0.953 × 0.047 ≈ 0.045: a unit at z = 3 passes back less than a fifth "
        "of what a unit at z = 0 does.",
    ),
    Exercise(
        id="15.2",
        question="The z > 0 beyond which tanh'(z) = 1 - tanh(z)^2 falls below 1/4, the largest slope of a sigmoid.",
        checker=number(
            TANH_QUARTER,
            mistakes={
                math.atanh(0.25): "solves tanh(z) = 1/4; it is the slope 1 − tanh(z)² that should be 1/4",
                math.atanh(0.75): "solves tanh(z) = 3/4; it is tanh(z)² that should be 3/4",
            },
        ),
        nudge="Section 2 gives the slopes of both functions, and the plot below it shows where the tanh curve drops "
        "under the sigmoid's highest point: set the one formula equal to that number.",
        hint="Solve 1 − tanh(z)² = 1/4: tanh(z)² = 3/4, so tanh(z) = √3/2 and z = artanh(√3/2) (math.atanh in Python).",
        solution=TANH_QUARTER,
        wrong=(math.atanh(0.25), math.atanh(0.75)),
        explanation="tanh(z) = √3/2 at z ≈ 1.317. Beyond it a tanh unit passes back less than a sigmoid unit ever "
        "can: tanh's tails flatten faster, since its slope is 4σ'(2z).",
    ),
    Exercise(
        id="15.3",
        question="An upper bound on ||delta^1|| / ||delta^11|| through ten sigmoid layers whose weight matrices "
        "all have spectral norm 3.",
        checker=number(BOUND_TEN_LAYERS, mistakes={0.25**10: "forgets that each weight matrix may stretch by 3"}),
        nudge="Section 1 bounds one step back by two factors, and the end of section 2 compounds them over k "
        "layers: count the steps from delta^11 to delta^1.",
        hint="Each step back, delta^l = (W^{l+1})^T delta^{l+1} ⊙ sigma'(z^l), can grow the norm by at most "
        "||W^{l+1}||_2 for the matrix and at most max sigma' for the elementwise product. Count the steps from "
        "delta^11 to delta^1.",
        solution=(3 / 4) ** 10,
        wrong=(0.25**10, (3 / 4) ** 11),
        explanation="(3/4)^10 ≈ 0.056: even with weights that stretch a vector threefold, ten sigmoid layers "
        "leave at most about 6 % of the signal.",
    ),
    Exercise(
        id="15.4",
        question="A ReLU network of 8 weight layers, zero biases, loss L = mean of y_hat: the factor by which "
        "||dL/dW^1|| grows when every weight matrix is multiplied by 3.",
        checker=number(
            RELU_SCALE,
            mistakes={3.0**8: "has one factor of 3 too many: which weight matrices does the gradient of W^1 contain?"},
        ),
        nudge="The ReLU bullet point under the plots of section 4 says which layers lend a factor c to the gradient "
        "of one weight matrix: count them for this network.",
        hint="relu(c z) = c relu(z) for c > 0. With zero biases, dL/dW^1 = delta^1 (a^0)^T: a^0 = x does not "
        "change, and delta^1 carries the matrices W^2, ..., W^8 (and 0/1 slopes, which do not change): one factor "
        "c for each of them.",
        solution=3.0**7,
        wrong=(3.0**8, 3.0, 3.0**6),
        explanation="3^7 = 2187: seven factors of 3, one for each of W^2, ..., W^8. Every other layer's gradient "
        "gains seven factors as well, so the first layer's share of the gradient does not change.",
    ),
    Exercise(
        id="15.5",
        question="A chain of six one-unit sigmoid layers, a^l = sigma(w^l a^{l-1} + b^l), with every w^l = 2, "
        "every b^l = -1 and input a^0 = 1/2: predict |dL/dw^1| / |dL/dw^6| for any loss L of a^6.",
        checker=number(CHAIN_RATIO),
        nudge="Section 1's delta recursion, one unit per layer, is all it takes; and the sigmoid's slope at z = 0 "
        "is in section 2.",
        hint="First find every z^l (start with z^1 = 2 · 1/2 - 1). Then dL/dw^l = delta^l a^{l-1}, and each "
        "step back, delta^l = delta^{l+1} w^{l+1} sigma'(z^l), multiplies by the same number.",
        solution=(2 / 4) ** 5,
        wrong=((1 / 4) ** 5, (2 / 4) ** 6),
        explanation="Every z^l is 0 and every a^l is 1/2, so each of the five steps from delta^6 back to delta^1 "
        "multiplies by w · sigma'(0) = 2/4: the ratio is (1/2)^5 = 1/32. With w = 4 and b = -2 it would be exactly "
        "1: weights of size 4 are what a sigmoid needs to undo its 1/4.",
    ),
)
