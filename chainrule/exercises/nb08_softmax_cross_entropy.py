"""Exercises of notebook 08: the softmax Jacobian, cross-entropy as a KL divergence, soft labels."""

from __future__ import annotations

import math

from . import Exercise, number, numbers, register


def _vector_or_mistake(want: list[float], mistakes: list[tuple[list[float], str]]):
    """numbers(want), telling a typical wrong vector by what went wrong instead of a bare "not right"."""
    right = numbers(want)

    def checker(answer) -> str | None:
        for wrong, reason in mistakes:
            if numbers(wrong)(answer) is None:
                return reason
        return right(answer)

    return checker


def _softmax(z: list[float]) -> list[float]:
    top = max(z)
    exps = [math.exp(v - top) for v in z]
    return [e / sum(exps) for e in exps]


# 08.1: softmax at z = (0, ln 3) is y_hat = (1/4, 3/4); row 1 of its Jacobian is y_hat_1 ([1 = j] - y_hat_j)
_Y1, _Y2 = _softmax([0.0, math.log(3.0)])
_ROW1 = [_Y1 * (1.0 - _Y1), -_Y1 * _Y2]
_PROBABILITY_AS_ROW = [_Y1, 0.0]
_SECOND_ROW = [-_Y2 * _Y1, _Y2 * (1.0 - _Y2)]

# 08.2: KL(d || y_hat) for d = (1/2, 1/2, 0) and y_hat = (1/4, 1/2, 1/4), with 0 log 0 = 0.
_D = [0.5, 0.5, 0.0]
_Q = [0.25, 0.5, 0.25]
_KL = sum(d * math.log(d / q) for d, q in zip(_D, _Q) if d > 0)
_CE = -sum(d * math.log(q) for d, q in zip(_D, _Q))
_ENTROPY = -sum(d * math.log(d) for d in _D if d > 0)
_KL_BITS = _KL / math.log(2.0)

# 08.3: soft labels: z = (ln 2, 0, ln 5), d = (0.1, 0.2, 0.7); the gradient of CE(d, softmax z) is y_hat - d
_Z3 = [math.log(2.0), 0.0, math.log(5.0)]
_SOFT = [0.1, 0.2, 0.7]
_P3 = _softmax(_Z3)  # (1/4, 1/8, 5/8)
_GRAD = [p - d for p, d in zip(_P3, _SOFT)]
_HARD = [p - (1.0 if k == 2 else 0.0) for k, p in enumerate(_P3)]  # as if the label were the one-hot class 3
_FLIPPED = [d - p for p, d in zip(_P3, _SOFT)]
_WRT_PROBABILITIES = [-d / p for p, d in zip(_P3, _SOFT)]

register(
    Exercise(
        id="08.1",
        question="Softmax at z = (0, ln 3): the first row of its Jacobian, [∂ŷ1/∂z1, ∂ŷ1/∂z2].",
        checker=_vector_or_mistake(
            _ROW1,
            [
                (_PROBABILITY_AS_ROW, "that is ŷ1 and 0; the Jacobian holds how ŷ1 changes with each score"),
                (_SECOND_ROW, "that is the second row, the derivatives of ŷ2; the first row belongs to ŷ1"),
            ],
        ),
        nudge="Section 1, step 2, differentiates one softmax output with respect to every score by the quotient rule.",
        hint="First find ŷ = softmax(z) (the exponentials are 1 and 3). Then ∂ŷ_i/∂z_j = ŷ_i ([i = j] − ŷ_j).",
        solution=[0.1875, -0.1875],
        wrong=(_PROBABILITY_AS_ROW, _SECOND_ROW),
        explanation="ŷ = (1/4, 3/4): the diagonal entry is ŷ1(1 − ŷ1) = 3/16 and the cross entry −ŷ1ŷ2 = −3/16; "
        "each row sums to 0.",
    ),
    Exercise(
        id="08.2",
        question="KL(d ‖ ŷ) = Σ d_c log(d_c/ŷ_c) for d = (1/2, 1/2, 0) and ŷ = (1/4, 1/2, 1/4), natural logarithm.",
        checker=number(
            _KL,
            mistakes={
                _CE: "is the cross-entropy CE(d, ŷ); the divergence leaves out a part that depends on d alone",
                _ENTROPY: "is the entropy H(d) of the labels",
                _KL_BITS: "is measured in bits (logarithm to base 2); use the natural logarithm",
            },
        ),
        nudge="Section 3 writes the divergence term by term and says what to do with a class whose label is 0.",
        hint="Term by term: d_c log(d_c/ŷ_c), with 0·log 0 = 0 for the third class. Equivalently CE(d, ŷ) − H(d).",
        solution=_KL,
        wrong=(_CE, _ENTROPY, _KL_BITS),
        explanation="½ log(2) + ½ log(1) + 0 = ½ ln 2 ≈ 0.347: the cross-entropy 1.040 minus the entropy ln 2 of the labels.",
    ),
    Exercise(
        id="08.3",
        question="Soft labels d = (0.1, 0.2, 0.7) and scores z = (ln 2, 0, ln 5): the gradient of CE(d, softmax(z)) "
        "with respect to z.",
        checker=_vector_or_mistake(
            _GRAD,
            [
                (_HARD, "that is the gradient for the one-hot label of class 3; the labels here are soft"),
                (_FLIPPED, "the signs are flipped: descent must lower the scores of over-predicted classes"),
                (_WRT_PROBABILITIES, "that is the gradient with respect to the probabilities ŷ, not the scores z"),
            ],
        ),
        nudge="Section 3 differentiates the cross-entropy with soft labels with respect to the scores.",
        hint="∇_z CE(d, softmax z) = ŷ − d when the labels sum to 1. First ŷ: the exponentials are 2, 1 and 5.",
        solution=_GRAD,
        wrong=(_HARD, _FLIPPED, _WRT_PROBABILITIES),
        explanation="ŷ = (2, 1, 5)/8 = (0.25, 0.125, 0.625), so ŷ − d = (0.15, −0.075, −0.075): the same "
        "'prediction minus target' as with hard labels.",
    ),
)
