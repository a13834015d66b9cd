"""Checking a gradient against central finite differences: ``numerical_grad`` and ``gradcheck``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from . import checks
from .functional import grad
from .value import Value, value_of


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
    and error. Like ``grad``, it changes no gradient of any Value.
    """
    checks.function(f, "gradcheck: f")
    eps = checks.number(eps, "gradcheck: eps", positive=True)
    atol = checks.number(atol, "gradcheck: atol", minimum=0.0)
    rtol = checks.number(rtol, "gradcheck: rtol", minimum=0.0)
    if not inputs:
        raise ValueError("gradcheck needs at least one input: gradcheck(f, x, y, ...)")
    values = _scalar_inputs(inputs, "gradcheck")
    analytic = grad(f, argnums=tuple(range(len(values))), create_graph=False)(*values)
    numeric = numerical_grad(f, values, eps)

    rows, ok = [], True
    for i, (x, a, n) in enumerate(zip(values, analytic, numeric, strict=True)):
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


__all__ = ["gradcheck", "numerical_grad"]
