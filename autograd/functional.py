"""Gradients of whole functions: grad, value_and_grad, and gradcheck against finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from . import checks
from .engine import Value, value_of


def _argnums_tuple(argnums, nargs: int) -> tuple[int, ...]:
    many = isinstance(argnums, (tuple, list))
    indices = tuple(argnums) if many else (argnums,)
    for i in indices:
        if isinstance(i, bool) or not isinstance(i, int):
            raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}")
        if not -nargs <= i < nargs:
            raise ValueError(f"argnums {i} is out of range for a call with {nargs} argument(s)")
    return indices


def _call(f: Callable, args: Sequence, argnums) -> tuple[Value, list[Value], tuple[int, ...]]:
    """Call f with the chosen arguments as fresh leaves, run backward, return output and leaves."""
    if not callable(f):
        raise TypeError(f"expected a function, got {type(f).__name__}")
    indices = _argnums_tuple(argnums, len(args))
    args = list(args)
    leaves = []
    for i in indices:
        data = args[i].data if isinstance(args[i], Value) else args[i]
        leaf = Value(data, label=getattr(args[i], "label", ""))
        args[i] = leaf
        leaves.append(leaf)
    out = f(*args)
    if not isinstance(out, Value):
        raise TypeError(
            f"the function must return a Value, got {type(out).__name__}; build the result from its arguments"
        )
    out.backward()
    return out, leaves, indices


def value_and_grad(f: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """A function returning (f(*args), df/d args[argnums]) as plain numbers.

    >>> value_and_grad(lambda x: x * x)(3.0)
    (9.0, 6.0)
    """

    def wrapped(*args):
        out, leaves, _ = _call(f, args, argnums)
        grads = tuple(leaf.grad for leaf in leaves)
        many = isinstance(argnums, (tuple, list))
        return out.data, (grads if many else grads[0])

    return wrapped


def grad(f: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """A function computing df/dx at the given arguments (a tuple for several argnums).

    >>> grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 5.0)
    (5.0, 2.0)
    """
    value_and_gradient = value_and_grad(f, argnums)

    def wrapped(*args):
        return value_and_gradient(*args)[1]

    return wrapped


def numerical_grad(f: Callable, inputs: Sequence[float], eps: float = 1e-6) -> list[float]:
    """Central differences: (f(x + eps) - f(x - eps)) / (2 eps) for each input in turn."""
    checks.function(f, "numerical_grad: f")
    values = _scalar_inputs(inputs, "numerical_grad")
    eps = checks.number(eps, "numerical_grad: eps", positive=True)

    def f_at(i: int, x: float) -> float:
        shifted = [Value(v) for v in values]
        shifted[i] = Value(x)
        out = f(*shifted)
        if not isinstance(out, Value):
            raise TypeError(f"numerical_grad: f must return a Value, got {type(out).__name__}")
        return out.item()

    return [(f_at(i, x + eps) - f_at(i, x - eps)) / (2.0 * eps) for i, x in enumerate(values)]


def _scalar_inputs(inputs, who: str) -> list[float]:
    """Plain floats from numbers or scalar Values; errors name the input."""
    if isinstance(inputs, (str, bytes, Value)) or not isinstance(inputs, Sequence):
        raise TypeError(
            f"{who}: inputs must be a list of numbers or Values, got {type(inputs).__name__} {inputs!r:.60}"
        )
    values = []
    for i, x in enumerate(inputs):
        data = value_of(x, f"{who}: input {i}").data
        if data.__class__ is not float:
            raise ValueError(f"{who}: input {i} must be a scalar, got a batch; check one sample at a time")
        values.append(data)
    return values


def gradcheck(f: Callable, *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-4) -> bool:
    """Compare backward() with central finite differences for every input of ``f``.

    Returns True when ``|analytic - numeric| <= atol + rtol * |numeric|`` for each
    input; otherwise raises AssertionError with a table of input, analytic, numeric
    and error.
    """
    checks.function(f, "gradcheck: f")
    eps = checks.number(eps, "gradcheck: eps", positive=True)
    atol = checks.number(atol, "gradcheck: atol", minimum=0.0)
    rtol = checks.number(rtol, "gradcheck: rtol", minimum=0.0)
    if not inputs:
        raise ValueError("gradcheck needs at least one input: gradcheck(f, x, y, ...)")
    values = _scalar_inputs(inputs, "gradcheck")
    _, leaves, _ = _call(f, values, tuple(range(len(values))))
    analytic = [leaf.grad for leaf in leaves]
    numeric = numerical_grad(f, values, eps)

    rows, ok = [], True
    for i, (x, a, n) in enumerate(zip(values, analytic, numeric, strict=False)):
        error = abs(a - n)
        good = error <= atol + rtol * abs(n) and math.isfinite(a)
        ok = ok and good
        rows.append((i, x, a, n, error, "" if good else "  <-- mismatch"))
    if ok:
        return True
    header = f"{'input':>5} {'value':>14} {'analytic':>14} {'numeric':>14} {'error':>10}"
    lines = [f"{i:>5} {x:>14.6g} {a:>14.6g} {n:>14.6g} {e:>10.2e}{flag}" for i, x, a, n, e, flag in rows]
    raise AssertionError(
        f"gradcheck failed (atol={atol:g}, rtol={rtol:g}, eps={eps:g}):\n" + "\n".join([header, *lines])
    )
