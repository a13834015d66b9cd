"""Exercises of notebook 09: backpropagation written in NumPy, graded against the engine on random networks.

The functions a student writes work in the lectures' layout, one column per example, on a network
given as dicts keyed by the layer number l = 1..L: weights ``W[l]`` of shape (n_l, n_{l-1}), biases
``b[l]`` of shape (n_l,), and ``act[l] = (f, fprime)``, the activation of layer l and its derivative,
both taking the pre-activation z. The grader draws networks at random (depth, widths, activations,
loss and number of examples, from fixed seeds), builds the same network from autograd Values in the
engine's layout (one row per example), runs ``backward()``, and compares each array the student's
function returns with the engine's, to 1e-9 relative to the array's largest entry: these are
computed, not copied from a printout, so the 3-digit rule of typed numbers does not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import Exercise, register

RTOL = 1e-9  # relative to the largest entry of the engine's array
HIDDEN = ("sigmoid", "tanh", "relu", "softplus")
OUTPUTS = ("linear", "sigmoid", "tanh")  # for the squared error; cross-entropy always has a softmax output


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax_columns(z):
    """The softmax of every column (one column per example), shifted by the column's largest entry."""
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


def _softmax_has_no_slope(z):
    raise ValueError(
        "softmax has no slope of one number per entry (each output depends on every input); with "
        "cross-entropy the output delta is found without it (notebook 08)"
    )


# f(z) and f'(z) for each activation, as the grader hands them to a student's functions
NUMPY_ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "linear": (lambda z: z.copy(), lambda z: np.ones_like(z)),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1.0 - sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0.0) * 1.0),
    "softplus": (lambda z: np.logaddexp(0.0, z), sigmoid),
    "softmax": (softmax_columns, _softmax_has_no_slope),
}


@dataclass(frozen=True)
class Network:
    """A network and a batch, in the lectures' layout: X is (n_0, m), Y is (n_L, m), one column per example."""

    sizes: tuple[int, ...]
    names: tuple[str, ...]  # the activation of layers 1..L
    loss: str  # "squared" (J = mean of 1/2 ||a^L - y||^2) or "cross_entropy" (softmax output, one-hot Y)
    W: dict
    b: dict
    X: np.ndarray
    Y: np.ndarray

    @property
    def L(self) -> int:
        return len(self.sizes) - 1

    @property
    def m(self) -> int:
        return self.X.shape[1]

    @property
    def act(self) -> dict:
        return {layer: NUMPY_ACTIVATIONS[name] for layer, name in enumerate(self.names, 1)}

    def describe(self) -> str:
        shape = "-".join(map(str, self.sizes))
        loss = "squared error" if self.loss == "squared" else "cross-entropy"
        return f"a {shape} network ({', '.join(self.names)}) with {loss} and m = {self.m}"


def make_network(sizes, names, loss: str, m: int, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    L = len(sizes) - 1
    W = {layer: rng.normal(0.0, 1.0, (sizes[layer], sizes[layer - 1])) for layer in range(1, L + 1)}
    b = {layer: rng.normal(0.0, 0.5, sizes[layer]) for layer in range(1, L + 1)}
    X = rng.normal(0.0, 1.0, (sizes[0], m))
    if loss == "cross_entropy":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], m)].T
    else:
        Y = rng.normal(0.0, 1.0, (sizes[-1], m))
    return Network(tuple(sizes), tuple(names), loss, W, b, X, Y)


def random_network(seed: int) -> Network:
    """A network of 1 to 4 layers of 1 to 5 units, random activations and loss, 2 to 7 examples."""
    rng = np.random.default_rng(seed)
    L = int(rng.integers(1, 5))
    loss = "cross_entropy" if rng.random() < 0.4 else "squared"
    sizes = [int(n) for n in rng.integers(1, 6, L + 1)]
    if loss == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    hidden = [str(rng.choice(HIDDEN)) for _ in range(L - 1)]
    output = "softmax" if loss == "cross_entropy" else str(rng.choice(OUTPUTS))
    return make_network(sizes, [*hidden, output], loss, int(rng.integers(2, 8)), seed + 1000)


# Crafted networks first: square layers with as many examples as units (a transpose changes values, not
# shapes), non-linear outputs (a forgotten slope shows), one example, a three-class softmax; then random ones.
NETWORKS = (
    make_network((3, 3, 3, 3), ("tanh", "sigmoid", "sigmoid"), "squared", 3, 1),
    make_network((2, 4, 3, 2), ("relu", "softplus", "tanh"), "squared", 5, 2),
    make_network((4, 5, 3), ("sigmoid", "softmax"), "cross_entropy", 6, 3),
    make_network((2, 3, 1), ("relu", "linear"), "squared", 1, 4),
    *(random_network(seed) for seed in range(10)),
)


def engine_pass(net: Network) -> dict:
    """z^l, a^l, the per-example deltas and the gradients of J, from the engine, in the lectures' layout.

    The engine puts examples in rows: a layer is one node Z = A W^T + b. J averages over the m examples,
    so the gradient of a pre-activation node is delta^T / m.
    """
    import autograd
    import nn
    from autograd import Value

    W = {layer: Value(net.W[layer].copy()) for layer in net.W}
    b = {layer: Value(net.b[layer].copy()) for layer in net.b}
    A = {0: autograd.constant(net.X.T)}
    Z = {}
    for layer, name in enumerate(net.names, 1):
        Z[layer] = autograd.affine(A[layer - 1], W[layer], b[layer])
        A[layer] = nn.softmax(Z[layer]) if name == "softmax" else nn.ACTIVATIONS[name](Z[layer])
    targets = autograd.constant(net.Y.T)
    if net.loss == "squared":
        J = 0.5 * ((A[net.L] - targets) ** 2).sum() / net.m
    else:
        J = -(targets * nn.log_softmax(Z[net.L])).sum() / net.m
    J.backward()
    return {
        "J": J.data,
        "z": {layer: Z[layer].data.T for layer in Z},
        "a": {layer: A[layer].data.T for layer in A},
        "delta": {layer: net.m * Z[layer].grad.T for layer in Z},
        "grad_W": {layer: W[layer].grad for layer in W},
        "grad_b": {layer: b[layer].grad for layer in b},
    }


_ENGINE: dict[int, dict] = {}


def reference(index: int) -> dict:
    """The engine's numbers for NETWORKS[index], computed once."""
    if index not in _ENGINE:
        _ENGINE[index] = engine_pass(NETWORKS[index])
    return _ENGINE[index]


# -- comparing a student's array with the engine's -----------------------------------------------------------
class Refused(Exception):
    """What is wrong with an answer, said in words a student can act on."""


def as_array(value: Any, name: str) -> np.ndarray:
    if value is None:
        raise Refused(f"{name} is None: does your function end with a return statement that gives it back?")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Refused(f"{name} should be a NumPy array of numbers, got {type(value).__name__} {value!r:.60}") from None
    return array


def as_bias(value: Any, name: str, units: int) -> np.ndarray:
    """A bias gradient as a flat array: the lecture's column of averages (units × 1), or a row, is as good."""
    array = as_array(value, name)
    return array.reshape(-1) if array.ndim == 2 and units in array.shape and array.size == units else array


def close(got: np.ndarray, want: np.ndarray) -> bool:
    if got.shape != want.shape:
        return False
    scale = max(float(np.max(np.abs(want), initial=0.0)), 1e-12)
    return bool(np.all(np.isfinite(got))) and float(np.max(np.abs(got - want), initial=0.0)) <= RTOL * scale


def judge(got: Any, want: np.ndarray, name: str, net: Network, suspects=()) -> None:
    """Raise Refused unless ``got`` is ``want``; ``suspects`` pairs typical wrong arrays with what went wrong."""
    got = as_array(got, name)
    if close(got, want):
        return
    where = f"on {net.describe()}"
    if got.shape != want.shape:
        turned = " (the transpose of what it should be)" if got.shape == want.shape[::-1] else ""
        raise Refused(f"{name} has shape {got.shape}{turned}; it should be {want.shape} {where}")
    if got.shape[::-1] == want.shape and close(got.T, want):
        raise Refused(f"{name} is the transpose of what it should be ({where})")
    for wrong, what in suspects:
        if wrong is not None and np.shape(wrong) == want.shape and close(got, np.asarray(wrong)):
            raise Refused(f"{name} {what} ({where})")
    if close(-got, want):
        raise Refused(f"{name} has the wrong sign {where}")
    gap = float(np.max(np.abs(got - want)))
    raise Refused(f"{name} differs from the engine's by up to {gap:.3g} {where}")


def _copies(mapping: dict) -> dict:
    return {key: value.copy() for key, value in mapping.items()}


def _function(answer: Any, what: str) -> Callable:
    if not callable(answer):
        raise Refused(f"the answer should be your function {what} (its name, no brackets), got {type(answer).__name__}")
    return answer


def _pair(result: Any, what: str) -> tuple:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Refused(f"{what} should return a pair (two things separated by a comma), got {result!r:.60}")
    return tuple(result)


def graded(check: Callable[[Any], None]) -> Callable[[Any], str | None]:
    """A checker from a function that raises Refused with what is wrong."""

    def checker(answer: Any) -> str | None:
        try:
            check(answer)
        except Refused as refused:
            return str(refused)
        return None

    return checker


# -- 09.1: the output delta ---------------------------------------------------------------------------------
def _check_output_delta(answer: Any) -> None:
    output_delta = _function(answer, "output_delta")
    for index, net in enumerate(NETWORKS):
        ref, L = reference(index), net.L
        z, a, fprime = ref["z"][L], ref["a"][L], net.act[L][1]
        got = output_delta(z.copy(), a.copy(), net.Y.copy(), net.loss, fprime)
        error = a - net.Y
        squared = net.loss == "squared"
        suspects = [
            (error if squared and net.names[-1] != "linear" else None, "leaves out the output activation's slope"),
            ((error * fprime(a)) if squared and net.names[-1] != "linear" else None, "takes the slope at a^L, not z^L"),
            (ref["delta"][L] / net.m if net.m > 1 else None, "is divided by m: δ^L is each example's own"),
        ]
        judge(got, ref["delta"][L], "δ^L", net, suspects)


# -- 09.2: one layer down -----------------------------------------------------------------------------------
def _check_delta_below(answer: Any) -> None:
    delta_below = _function(answer, "delta_below")
    for index, net in enumerate(NETWORKS):
        ref = reference(index)
        for layer in range(net.L - 1, 0, -1):
            W_above, delta_above, z, (f, fprime) = (
                net.W[layer + 1],
                ref["delta"][layer + 1],
                ref["z"][layer],
                net.act[layer],
            )
            got = delta_below(W_above.copy(), delta_above.copy(), z.copy(), fprime)
            carried = W_above.T @ delta_above
            square = W_above.shape[0] == W_above.shape[1]
            suspects = [
                (carried, f"leaves out the slope of layer {layer}'s activation"),
                (carried * f(z), "multiplies by the activation itself, not by its slope"),
                ((W_above @ delta_above) * fprime(z) if square else None, "uses W^{l+1} where its transpose belongs"),
            ]
            judge(got, ref["delta"][layer], f"δ^{layer} (from δ^{layer + 1})", net, suspects)


# -- 09.3: the gradients of one layer for m examples --------------------------------------------------------
def _check_layer_gradients(answer: Any) -> None:
    layer_gradients = _function(answer, "layer_gradients")
    for index, net in enumerate(NETWORKS):
        ref = reference(index)
        for layer in range(net.L, 0, -1):
            delta, a_below = ref["delta"][layer], ref["a"][layer - 1]
            grad_W, grad_b = _pair(layer_gradients(delta.copy(), a_below.copy()), "layer_gradients")
            outer = delta @ a_below.T
            suspects = [
                (outer if net.m > 1 else None, "is m times too large: J is the mean over the m examples"),
                (a_below @ delta.T, "is the transpose (a δᵀ rather than δ aᵀ)"),
            ]
            judge(grad_W, ref["grad_W"][layer], f"∇W^{layer}", net, suspects)
            grad_b = as_bias(grad_b, f"∇b^{layer}", delta.shape[0])
            suspects = [
                (delta.sum(axis=1) if net.m > 1 else None, "is m times too large: a sum, not a mean"),
                (delta.mean(axis=0), "averages each example's units rather than each unit's examples"),
            ]
            judge(grad_b, ref["grad_b"][layer], f"∇b^{layer}", net, suspects)


# -- 09.4: the whole algorithm --------------------------------------------------------------------------------
def _layers(result: Any, name: str, first: int, L: int) -> dict:
    try:
        return {layer: result[layer] for layer in range(first, L + 1)}
    except (KeyError, IndexError, TypeError):
        raise Refused(
            f"{name}[l] should hold layer l's array for l = {first}..{L}: a dict keyed by the layer number"
        ) from None


def _check_backprop(answer: Any) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Refused("the answer should be the pair (forward_propagation, back_propagation)")
    forward = _function(answer[0], "forward_propagation")
    backward = _function(answer[1], "back_propagation")
    for index, net in enumerate(NETWORKS):
        ref, L = reference(index), net.L
        z, a = _pair(forward(_copies(net.W), _copies(net.b), net.X.copy(), net.act), "forward_propagation")
        z, a = _layers(z, "z", 1, L), _layers(a, "a", 0, L)
        judge(a[0], net.X, "a[0]", net)
        for layer in range(1, L + 1):
            without_bias = net.W[layer] @ ref["a"][layer - 1]
            judge(z[layer], ref["z"][layer], f"z[{layer}]", net, [(without_bias, "leaves out the bias b^l")])
            unactivated = ref["z"][layer] if net.names[layer - 1] != "linear" else None
            judge(
                a[layer],
                ref["a"][layer],
                f"a[{layer}]",
                net,
                [(unactivated, "is the pre-activation: f is not applied")],
            )
        # the backward pass gets the engine's z and a, so a slip in the forward pass is not counted twice
        result = backward(_copies(net.W), _copies(ref["z"]), _copies(ref["a"]), net.Y.copy(), net.act, net.loss)
        grad_W, grad_b = _pair(result, "back_propagation")
        grad_W, grad_b = _layers(grad_W, "grad_W", 1, L), _layers(grad_b, "grad_b", 1, L)
        for layer in range(L, 0, -1):
            scaled = [(net.m * ref["grad_W"][layer] if net.m > 1 else None, "is m times too large")]
            bias = as_bias(grad_b[layer], f"grad_b[{layer}]", net.sizes[layer])
            try:
                judge(grad_W[layer], ref["grad_W"][layer], f"grad_W[{layer}]", net, scaled)
                judge(bias, ref["grad_b"][layer], f"grad_b[{layer}]", net)
            except Refused as refused:
                above = "; the layers above it are right: look at how δ is carried down a layer" if layer < L else ""
                raise Refused(f"{refused}{above}") from None


# -- a reference solution and typical mistakes (the tests make sure the grader tells them apart) -----------
def output_delta(z_L, a_L, Y, loss, fprime):
    return a_L - Y if loss == "cross_entropy" else (a_L - Y) * fprime(z_L)


def delta_below(W_above, delta_above, z, fprime):
    return (W_above.T @ delta_above) * fprime(z)


def layer_gradients(delta, a_below):
    return delta @ a_below.T / delta.shape[1], delta.mean(axis=1)


def forward_propagation(W, b, X, act):
    z, a = {}, {0: X}
    for layer in range(1, len(W) + 1):
        z[layer] = W[layer] @ a[layer - 1] + b[layer][:, None]
        a[layer] = act[layer][0](z[layer])
    return z, a


def back_propagation(W, z, a, Y, act, loss, gradients=layer_gradients, down=delta_below):
    L = len(W)
    delta = {L: output_delta(z[L], a[L], Y, loss, act[L][1])}
    grad_W, grad_b = {}, {}
    for layer in range(L, 0, -1):
        grad_W[layer], grad_b[layer] = gradients(delta[layer], a[layer - 1])
        if layer > 1:
            delta[layer - 1] = down(W[layer], delta[layer], z[layer - 1], act[layer - 1][1])
    return grad_W, grad_b


def _forward_without_bias(W, b, X, act):
    return forward_propagation(W, {layer: np.zeros_like(b[layer]) for layer in b}, X, act)


def _sums(delta, a_below):
    return delta @ a_below.T, delta.sum(axis=1)


register(
    Exercise(
        id="09.1",
        question="output_delta(z_L, a_L, Y, loss, fprime): δ^L for a batch, one column per example.",
        checker=graded(_check_output_delta),
        nudge="Section 4: which loss is it, and how does the output function stand between z^L and the loss?",
        hint="Squared error: δ^L = (a^L − y) ⊙ f'(z^L). Softmax with cross-entropy: δ^L = a^L − y (y one-hot).",
        solution=output_delta,
        wrong=(
            lambda z_L, a_L, Y, loss, fprime: a_L - Y,
            lambda z_L, a_L, Y, loss, fprime: (a_L - Y) * (fprime(a_L) if loss == "squared" else 1.0),
            lambda z_L, a_L, Y, loss, fprime: Y - a_L if loss == "cross_entropy" else (Y - a_L) * fprime(z_L),
        ),
        explanation="Each column is one example's own δ^L; the 1/m of the mean enters only with the weights.",
    ),
    Exercise(
        id="09.2",
        question="delta_below(W_above, delta_above, z, fprime): δ^l from δ^{l+1}, W^{l+1} and z^l.",
        checker=graded(_check_delta_below),
        nudge="Section 5: δ goes down through the weights first (which way round?), then through layer l's activation.",
        hint="δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l): the transpose sends each output's delta back along its weights.",
        solution=delta_below,
        wrong=(
            lambda W_above, delta_above, z, fprime: W_above.T @ delta_above,
            lambda W_above, delta_above, z, fprime: (W_above @ delta_above) * fprime(z),
            lambda W_above, delta_above, z, fprime: (delta_above.T @ W_above) * fprime(z).T,
        ),
        explanation="(W^{l+1})ᵀ δ^{l+1} is ∂L/∂a^l for every example at once; ⊙ f'(z^l) turns it into ∂L/∂z^l.",
    ),
    Exercise(
        id="09.3",
        question="layer_gradients(delta, a_below): (∇W^l, ∇b^l) of J, the mean of the m examples' losses.",
        checker=graded(_check_layer_gradients),
        nudge="Section 3 builds ∇W from the derivative of one entry W_ij; what does the matrix product add up, and over what?",
        hint="∇W^l = δ^l (a^{l-1})ᵀ / m, and ∇b^l is the mean of δ^l over its m columns (delta.mean(axis=1)).",
        solution=layer_gradients,
        wrong=(
            _sums,
            lambda delta, a_below: (a_below @ delta.T / delta.shape[1], delta.mean(axis=1)),
            lambda delta, a_below: (delta @ a_below.T / delta.shape[1], delta.mean(axis=0)),
        ),
        explanation="δ aᵀ adds the m outer products δ_(k) a_(k)ᵀ; dividing by m makes it the gradient of the mean.",
    ),
    Exercise(
        id="09.4",
        question="(forward_propagation, back_propagation): the lectures' two algorithms for any depth and m examples.",
        checker=graded(_check_backprop),
        nudge="Section 6: the forward pass keeps every z^l and a^l; the backward loop runs from l = L down to 1.",
        hint=(
            "Forward: z^l = W^l a^{l-1} + b^l, a^l = f_l(z^l). Backward: δ^L from 09.1; for l = L..1: "
            "gradients from 09.3, then δ^{l-1} from 09.2 while l > 1."
        ),
        solution=(forward_propagation, back_propagation),
        wrong=(
            (forward_propagation, lambda *args: back_propagation(*args, gradients=_sums)),
            (forward_propagation, lambda *args: back_propagation(*args, down=lambda W, d, z, fp: W.T @ d)),
            (_forward_without_bias, back_propagation),
        ),
        explanation="Every gradient of every layer matches the engine's on every network the grader drew.",
    ),
)
