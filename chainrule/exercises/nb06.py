"""Exercises of notebook 06, the matrix form: shapes, the weight gradient by hand, the softmax delta, the row layout."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import Exercise, numbers, register


def _shape_checker(want: tuple[int, int]):
    def checker(answer: Any) -> str | None:
        try:
            got = tuple(int(n) for n in answer)
        except (TypeError, ValueError):
            return f"the answer should be a tuple of two whole numbers, got {answer!r}"
        if got == want:
            return None
        if got == want[::-1]:
            return f"{got} is the shape of the transpose"
        return f"{got} is not the shape of that gradient"

    return checker


# 06.2: dJ/dW = delta a^T / m + alpha W, worked by hand:
# delta a^T = [0.5*1 + (-1)*2, 0.5*0 + (-1)*1] = [-1.5, -1.0]; / m = [-0.75, -0.5]; + 0.1*[0.2, -0.4]
_GRAD_W = [-0.75 + 0.02, -0.5 - 0.04]


def _row_layout_checker(answer: Any) -> str | None:
    # W.grad = delta a^T / m + alpha W, and Z.grad = delta^T / m, A = a^T, so W.grad = G^T A + alpha W
    if not callable(answer):
        return f"the answer should be a function (def or lambda), got {type(answer).__name__}"
    rng = np.random.default_rng(6)
    for m, n_in, n_out, alpha in [(4, 3, 2, 0.1), (7, 2, 5, 0.0), (1, 4, 3, 0.5), (10, 6, 1, 0.01)]:
        G, A, W = rng.normal(size=(m, n_out)), rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in))
        want = G.T @ A + alpha * W
        got = np.asarray(answer(G.copy(), A.copy(), W.copy(), alpha), dtype=float)
        if got.shape != want.shape:
            return f"with m = {m}, {n_in} inputs and {n_out} outputs your function returns shape {got.shape}, not W's shape"
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            if m > 1 and np.allclose(got, G.T @ A / m + alpha * W, rtol=1e-9, atol=1e-12):
                return "the result is m times too small: the 1/m is already inside Z.grad"
            return f"with m = {m}, {n_in} inputs and {n_out} outputs your function does not give W.grad"
    return None


register(
    Exercise(
        id="06.1",
        question="Shape of the gradient of W^2 in nn.MLP(5, [7, 3]).",
        checker=_shape_checker((3, 7)),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="A gradient has the shape of its Value, and W^l has one row per neuron of layer l and one column per input.",
        solution=(3, 7),
        wrong=((7, 3),),
        explanation="W^2 maps the 7 hidden activations to 3 outputs: one row per output neuron, one column per input.",
    ),
    Exercise(
        id="06.2",
        question="delta a^T / m + alpha W for a one-neuron layer and two examples.",
        checker=numbers(_GRAD_W),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="delta (a^{l-1})^T adds delta_i times example i's input over the examples; then divide by m = 2 and add 0.1 W.",
        solution=[-0.73, -0.54],
        wrong=([-0.75, -0.5],),
        explanation="The data part is the average of delta_i a_i^T over the two examples, and the penalty adds alpha W.",
    ),
    Exercise(
        id="06.3",
        question="The output delta of a softmax with cross-entropy for probabilities (0.7, 0.2, 0.1) and label 2.",
        checker=numbers([0.7, -0.8, 0.1]),
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="With softmax and cross-entropy together, delta^L is the probabilities minus the one-hot label.",
        solution=[0.7, -0.8, 0.1],
        wrong=([-0.7, 0.8, -0.1],),
        explanation="a^L - y: only the true class gets a negative delta, pushing its score up.",
    ),
    Exercise(
        id="06.4",
        question="W.grad from Z.grad, the layer's input A, W and alpha, in the engine's row layout.",
        checker=_row_layout_checker,
        nudge="Go back over the section this exercise follows, one step at a time.",
        hint="Z.grad is (delta^l)^T / m and A is (a^{l-1})^T; rewrite delta a^T / m with them, and keep the penalty.",
        solution=lambda G, A, W, alpha: G.T @ A + alpha * W,
        wrong=(lambda G, A, W, alpha: G.T @ A / len(G) + alpha * W,),
        explanation="G^T A = (delta/m) a^T: the average over the examples is already in the engine's Z.grad.",
    ),
)
