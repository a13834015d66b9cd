"""Functions of Values: ``maximum``, ``minimum``, ``sum``, ``stack``, ``concatenate``, ``affine``, ``neuron``,
and ``exp``, ``log``, ``sin``, ... that take a number, an array or a Value.

Each makes its node by the one road, ``value.apply``, from a row of the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from . import arrays, checks, fused, rules
from .recording import no_grad
from .value import Value, apply, node, value_of


def maximum(x, y) -> Value:
    """max(x, y); d/dx = 1 if x >= y else 0 (ties go to x), d/dy the rest."""
    return _two("maximum", rules.MAX, x, y)


def minimum(x, y) -> Value:
    """min(x, y); d/dx = 1 if x <= y else 0 (ties go to x), d/dy the rest."""
    return _two("minimum", rules.MIN, x, y)


def _two(who: str, row, x, y) -> Value:
    result = apply(row, x, y)
    if result is NotImplemented:
        raise TypeError(f"{who} needs Values or numbers, got {type(x).__name__} and {type(y).__name__}")
    return result


def sum(values: Iterable) -> Value:
    """x1 + x2 + ... + xn as one node with n parents (each local derivative is 1).

    One n-ary node instead of a chain of n - 1 additions keeps graphs small. The sum of no
    values is Value(0.0).
    """
    if isinstance(values, (Value, str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"sum needs an iterable of Values or numbers, got {type(values).__name__}")
    inputs = [value_of(v, f"sum: item {i}") for i, v in enumerate(values)]
    if not inputs:
        return Value(0.0)
    shapes = [v.shape for v in inputs]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"sum: shapes {', '.join(map(str, shapes))} do not broadcast together") from None
    return apply(rules.SUM, *inputs)


def stack(values: Sequence, axis: int = 0) -> Value:
    """Values of one shape stacked along a new axis (numpy.stack): n vectors become an n-row matrix."""
    return _join(values, axis, False)


def concatenate(values: Sequence, axis: int = 0) -> Value:
    """Arrays joined along an existing axis (numpy.concatenate)."""
    return _join(values, axis, True)


def _join(values, axis, joined: bool) -> Value:
    who = "concatenate" if joined else "stack"
    if isinstance(values, (Value, str, bytes, np.ndarray)) or not isinstance(values, (list, tuple)) or not values:
        raise TypeError(f"{who} needs a non-empty list of Values or arrays, got {type(values).__name__}")
    inputs = [value_of(v, f"{who}: item {i}") for i, v in enumerate(values)]
    return apply(arrays.STACK, *inputs, arg=arrays.joining([v.shape for v in inputs], axis, joined, who))


def affine(x, W, b) -> Value:
    """x Wᵀ + b as one node: a layer's pre-activation for a batch of rows x (or one row).

    W has one row per output (shape (outputs, inputs), as PyTorch's Linear); the lectures
    write the same z = W a + b for one column a. Its vector-Jacobian products are g W for x,
    gᵀ x for W and the column sums of g for b.
    """
    x, W, b = (value_of(v, f"affine: {name}") for v, name in ((x, "x"), (W, "W"), (b, "b")))
    if W.ndim != 2 or x.ndim not in (1, 2) or x.shape[-1] != W.shape[1] or b.shape not in ((), (W.shape[0],)):
        raise ValueError(
            f"affine: x {x.shape}, W {W.shape} and b {b.shape} do not fit; W is (outputs, inputs), "
            "x is (inputs,) or (rows, inputs), b is (outputs,)"
        )
    return apply(fused.AFFINE, x, W, b)


def neuron(w: Sequence, x: Sequence, b) -> Value:
    """w1·x1 + ... + wn·xn + b as one node (the lectures' z): its local derivatives are x_i, w_i and 1.

    The same number as ``sum([wi * xi for ...] + [b])``, with one node instead of n + 1.
    """
    if not isinstance(w, (list, tuple)) or not isinstance(x, (list, tuple)):
        raise TypeError(
            f"neuron: w and x must be lists of Values or numbers, got {type(w).__name__} and {type(x).__name__}"
        )
    if len(w) != len(x) or not w:
        raise ValueError(f"neuron: w has {len(w)} entries and x {len(x)}; give one weight per input (at least one)")
    inputs = tuple(value_of(v, f"neuron: input {i}") for i, v in enumerate((*w, *x, b)))
    for i, v in enumerate(inputs):
        if v.data.__class__ is not float:
            raise ValueError(
                f"neuron: input {i} holds an array; the neuron node works on numbers (use affine for arrays)"
            )
    n = len(w)
    numbers = [v.data for v in inputs]
    return neuron_node(inputs, numbers[:n], numbers[n : 2 * n], numbers[-1])


def neuron_node(inputs: tuple, w: list, x: list, b: float) -> Value:
    """The neuron node for inputs (w1, ..., wn, x1, ..., xn, b), Values known to hold the numbers w, x and b.

    nn's layers build their scalar graphs this way: they hold each neuron's numbers already,
    so the node's value and its local derivatives (x_i, w_i and 1, what the NEURON row gives)
    are computed from them at once, without reading every input again.
    """
    data = fused.weighted_sum(w, x, b)
    if not data - data == 0.0:  # inf or nan
        raise OverflowError(
            f"w·x+b: the result is too large for a float (first weights {w[:3]}); scale the inputs down"
        )
    return node(fused.NEURON, data, inputs, (*x, *w, 1.0))


def _function(method: str) -> Callable:
    """``autograd.<method>(x)``: a Value for a Value, a number for a number, an array for an array."""

    def function(x, *args):
        if isinstance(x, Value):
            return getattr(x, method)(*args)
        if isinstance(x, (bool, np.bool_)) or not (checks.is_real(x) or isinstance(x, np.ndarray)):
            raise TypeError(f"{method} needs a Value, a number or an array, got {type(x).__name__} {x!r:.60}")
        with no_grad():
            return getattr(value_of(x, f"{method}: x"), method)(*args).data

    function.__name__ = function.__qualname__ = method
    function.__doc__ = f"{method}(x) for a Value (a node of the graph), a number or an array (the plain result)."
    return function


NAMES = (
    "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos", "tan", "arcsin", "arccos", "arctan",
    "sinh", "cosh", "tanh", "sech2", "sigmoid", "softplus", "relu", "leaky_relu", "step",
)  # fmt: skip
elementwise = {name: _function(name) for name in NAMES}
