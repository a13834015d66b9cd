"""Exercises of notebook 10, the matrix form: a gradient's shape, the weight gradient by hand, the softmax delta,
the weight gradient in the engine's row layout."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import Exercise, agrees, as_numbers, register


def _shape_checker(want: tuple[int, int], mistakes: dict[tuple[int, int], str]):
    def checker(answer: Any) -> str | None:
        try:
            got = tuple(int(n) for n in answer)
        except (TypeError, ValueError):
            return f"the answer should be a tuple of two whole numbers, got {answer!r:.60}"
        if got == want:
            return None
        return f"{got} {mistakes[got]}" if got in mistakes else f"{got} is not the shape of that gradient"

    return checker


def _numbers_checker(want: list[float], mistakes: dict[tuple[float, ...], str]):
    """Numbers in order, each right to 3 significant digits; a known wrong list is told what went wrong."""

    def close(got: list[float], expected) -> bool:
        return len(got) == len(expected) and all(agrees(g, e) for g, e in zip(got, expected))

    def checker(answer: Any) -> str | None:
        try:
            got = as_numbers(answer)
        except TypeError as error:
            return str(error)
        if len(got) != len(want):
            return f"the answer should hold {len(want)} numbers, it holds {len(got)}"
        if close(got, want):
            return None
        for wrong, reason in mistakes.items():
            if close(got, wrong):
                return reason
        return "at least one entry is not the expected value"

    return checker


# 10.2: delta a^T / m + alpha W, worked by hand.
# delta a^T = 0.5 (1, 0) + (-1.0) (2, 1) = (-1.5, -1.0); / m = 2 gives (-0.75, -0.5); + 0.1 (0.2, -0.4) = (0.02, -0.04)
_GRAD_W = [-0.75 + 0.02, -0.5 - 0.04]
_GRAD_W_MISTAKES = {
    (-0.75, -0.5): "this leaves out the penalty's part of the gradient, alpha W",
    (-1.5 + 0.02, -1.0 - 0.04): "this is the sum over the two examples, not their average",
    (-1.5, -1.0): "this is the sum over the examples, without the penalty",
    (-0.75 - 0.02, -0.5 + 0.04): "the penalty's part has the wrong sign: it adds alpha W",
}

# 10.3: a^L - y with y = (0, 1, 0), the one-hot vector of the second class
_DELTA = [0.7, -0.8, 0.1]
_DELTA_MISTAKES = {
    (-0.7, 0.8, -0.1): "every sign is flipped: this is y - a^L",
    (0.7, 0.2, -0.9): "this takes the third class as the label; the label is the second one",
    (-0.3, 0.2, 0.1): "this takes the first class as the label; the label is the second one",
}


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
            if alpha and np.allclose(got, G.T @ A, rtol=1e-9, atol=1e-12):
                return "the penalty's part of the gradient is missing"
            return f"with m = {m}, {n_in} inputs and {n_out} outputs your function does not give W.grad"
    return None


register(
    Exercise(
        id="10.1",
        question="Shape of the gradient of W^2 in nn.MLP(5, [7, 3]).",
        checker=_shape_checker(
            (3, 7),
            {
                (7, 3): "is the shape of the transpose: which of the two layers gives W^l its rows?",
                (7, 5): "is the shape of W^1, the first layer's weights",
                (5, 7): "is the shape of the transpose of W^1",
                (3, 8): "counts the bias as a column, but b^l is a Value of its own",
            },
        ),
        nudge="Section 1: the table of shapes, and which layer's size gives W^l its rows.",
        hint="A gradient has the shape of its Value, and W^l has shape (n_l, n_{l-1}): one row per neuron of layer l, "
        "one column per input it receives.",
        solution=(3, 7),
        wrong=((7, 3), (7, 5), (3, 8)),
        explanation="W^2 maps the 7 hidden activations to 3 outputs: one row per output neuron, one column per input.",
    ),
    Exercise(
        id="10.2",
        question="delta a^T / m + alpha W for a one-neuron layer and two examples.",
        checker=_numbers_checker(_GRAD_W, _GRAD_W_MISTAKES),
        nudge="Section 4, step 4: what the product delta a^T adds up, what the division by m makes of it, "
        "and the penalty's term.",
        hint="delta (a^{l-1})^T adds delta_i times example i's input over the examples; then divide by m = 2 and "
        "add 0.1 W.",
        solution=[-0.73, -0.54],
        wrong=([-0.75, -0.5], [-1.48, -1.04], [-0.77, -0.46]),
        explanation="The data part is the average of delta_i a_i^T over the two examples, and the penalty adds alpha W.",
    ),
    Exercise(
        id="10.3",
        question="The output delta of a softmax with cross-entropy for probabilities (0.7, 0.2, 0.1) and label 2.",
        checker=_numbers_checker(_DELTA, _DELTA_MISTAKES),
        nudge="Section 7: what softmax and cross-entropy together make of the output delta, and which one-hot "
        "vector the second class has.",
        hint="With softmax and cross-entropy together, delta^L = a^L - y, the probabilities minus the one-hot label.",
        solution=[0.7, -0.8, 0.1],
        wrong=([-0.7, 0.8, -0.1], [0.7, 0.2, -0.9]),
        explanation="a^L - y: only the true class gets a negative delta, pushing its score up.",
    ),
    Exercise(
        id="10.4",
        question="W.grad from Z.grad, the layer's input A, W and alpha, in the engine's row layout.",
        checker=_row_layout_checker,
        nudge="Section 4: the comparison of Z.grad with delta^l, and the table of section 1 that says how each "
        "matrix is laid out in the engine.",
        hint="Z.grad is (delta^l)^T / m and A is (a^{l-1})^T; rewrite delta a^T / m with them, and keep the penalty.",
        solution=lambda G, A, W, alpha: G.T @ A + alpha * W,
        wrong=(
            lambda G, A, W, alpha: G.T @ A / len(G) + alpha * W,
            lambda G, A, W, alpha: G.T @ A,
            lambda G, A, W, alpha: A.T @ G + alpha * W.T,
        ),
        explanation="G^T A = (delta/m) a^T: the average over the examples is already in the engine's Z.grad.",
    ),
)
