"""Gradients of whole functions: grad, value_and_grad, and gradcheck against finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .engine import Value, _number


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
    values = [float(x) for x in inputs]

    def f_at(i: int, x: float) -> float:
        shifted = [Value(v) for v in values]
        shifted[i] = Value(x)
        return f(*shifted).data

    return [(f_at(i, x + eps) - f_at(i, x - eps)) / (2.0 * eps) for i, x in enumerate(values)]


def gradcheck(f: Callable, *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-4) -> bool:
    """Compare backward() with central finite differences for every input of ``f``.

    Returns True when ``|analytic - numeric| <= atol + rtol * |numeric|`` for each
    input; otherwise raises AssertionError with a table of input, analytic, numeric
    and error.
    """
    eps, atol, rtol = (_number(v, "gradcheck", name) for name, v in (("eps", eps), ("atol", atol), ("rtol", rtol)))
    if eps <= 0.0:
        raise ValueError(f"gradcheck: eps must be > 0, got {eps!r}")
    if not inputs:
        raise ValueError("gradcheck needs at least one input: gradcheck(f, x, y, ...)")
    values = [x.data if isinstance(x, Value) else _number(x, "gradcheck", f"input {i}") for i, x in enumerate(inputs)]
    for i, v in enumerate(values):
        if v.__class__ is not float:
            raise ValueError(f"gradcheck: input {i} must be a scalar Value, got a batch; check one sample at a time")
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
