"""What the derivative functions (functional.py, forward.py) share: their arguments made into leaves,
the function called one nesting level deeper, recording switched on, and their results assembled.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar

import numpy as np

from . import checks
from .functions import concatenate, stack
from .op import Op, table
from .recording import enable_grad, is_grad_enabled
from .value import Value, apply, constant, value_of

nesting: ContextVar[int] = ContextVar("chainrule_functional_depth", default=0)
# The leaves made for number arguments by the outermost call and every call nested in it: they belong
# to the computation being differentiated, unlike Values from outside it (see reaches_outside).
fresh_leaves: ContextVar[list | None] = ContextVar("chainrule_functional_leaves", default=None)
# Whether the outermost call was made with recording on: inside no_grad() a result is never kept in an
# outer graph (as torch.func gives tensors that need no gradient there), though it is computed.
outer_records: ContextVar[bool] = ContextVar("chainrule_functional_outer_records", default=True)

# An argument that is already a Value enters through a node of its own: it stays connected to
# the computation it came from (so an enclosing grad sees through it), and the same Value passed
# as two arguments still gives two separate partial derivatives.
IDENTITY = Op(
    "id", lambda x: x if x.__class__ is float else x.copy(), lambda out, x: (1.0,), "{0}", ("1",), bounded=True
)
table(IDENTITY)


# -- arguments ---------------------------------------------------------------------------------
def indices_of(argnums, nargs: int) -> tuple[int, ...]:
    """The arguments ``argnums`` names, as indices from 0 (negative ones count from the end)."""
    many = isinstance(argnums, (tuple, list))
    indices = tuple(argnums) if many else (argnums,)
    if not indices:
        raise ValueError("argnums is empty; name at least one argument to differentiate, e.g. argnums=0")
    for i in indices:
        if isinstance(i, bool) or not isinstance(i, int):
            raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}")
        if not -nargs <= i < nargs:
            raise ValueError(f"argnums {i} is out of range for a call with {nargs} argument(s)")
    return tuple(i % nargs for i in indices)


def leaf_for(x, where: str) -> Value:
    """The node a differentiated argument enters as: a fresh leaf for a number, a node of its own for a Value."""
    if isinstance(x, Value):
        node = apply(IDENTITY, x)
        node.label = x.label
        return node
    leaf = value_of(x, where)
    leaf.grad = 0.0  # differentiated with respect to: a variable, not a constant
    made = fresh_leaves.get()
    if made is not None:
        made.append(leaf)
    return leaf


def prepare(arg, where: str):
    """What the function sees for a differentiated argument, its leaves, and how to shape their gradients."""
    if isinstance(arg, (list, tuple)):
        if not arg:
            raise ValueError(f"{where} is an empty list; give at least one number")
        leaves = [leaf_for(x, f"{where}[{k}]") for k, x in enumerate(arg)]
        for k, leaf in enumerate(leaves):
            if leaf.data.__class__ is not float:
                raise ValueError(f"{where}[{k}] is an array; a list argument holds numbers (pass one array instead)")
        return list(leaves), leaves, list
    leaf = leaf_for(arg, where)
    return leaf, [leaf], lambda grads: grads[0]


def shape_of(arg) -> tuple[int, ...]:
    if isinstance(arg, (list, tuple)):
        return (len(arg),)
    data = arg.data if isinstance(arg, Value) else arg
    return np.shape(data)


def call_nested(f: Callable, args: list):
    """Call ``f`` one nesting level deeper, so a grad inside it keeps the graph of its result."""
    checks.function(f, "the function to differentiate")
    token = nesting.set(nesting.get() + 1)
    try:
        return f(*args)
    finally:
        nesting.reset(token)


def always_recorded(function: Callable) -> Callable:
    """``function`` run with recording on: a derivative asked for explicitly is computed whatever the
    state around the call, so inside ``no_grad()`` it gives the true values (as ``torch.func`` does)."""

    @functools.wraps(function)
    def recorded(*args, **kwargs):
        outermost = fresh_leaves.get() is None
        tokens = (fresh_leaves.set([]), outer_records.set(is_grad_enabled())) if outermost else None
        try:
            with enable_grad():
                return function(*args, **kwargs)
        finally:
            if tokens is not None:
                fresh_leaves.reset(tokens[0])
                outer_records.reset(tokens[1])

    return recorded


def reaches_outside(outs: list[Value]) -> bool:
    """True if the function's graph reads a Value that needs a gradient and was not made for this call:
    a Value passed as an argument, or one the function closes over. Its derivative then depends on
    that Value, so it must stay in that Value's graph instead of becoming a plain number."""
    mine = {id(leaf) for leaf in fresh_leaves.get() or ()}
    seen: set[int] = set()
    stack = list(outs)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if not node.parents:
            if node.grad is not None and id(node) not in mine:
                return True
            continue
        stack.extend(node.parents)
    return False


def not_a_value(who: str, out) -> TypeError:
    hint = (
        " (use autograd.exp, autograd.log, ... instead of math's, so the result stays a Value)"
        if isinstance(out, float)
        else ""
    )
    return TypeError(
        f"{who}: the function must return a Value built from its arguments, got {type(out).__name__}{hint}"
    )


def outputs_of(out, who: str) -> tuple[list[Value], tuple[int, ...]]:
    """The function's result as a list of Values and the shape of the whole result."""
    if isinstance(out, Value):
        return [out], np.shape(out.data)
    if isinstance(out, (list, tuple)) and out:
        values = []
        for k, o in enumerate(out):
            if not isinstance(o, Value):
                raise not_a_value(f"{who}: output {k}", o)
            if o.data.__class__ is not float:
                raise ValueError(
                    f"{who}: output {k} holds an array; a list result holds numbers (return one array Value)"
                )
            values.append(o)
        return values, (len(values),)
    raise not_a_value(who, out)


def row_of(grads: list, shapes: list[tuple], keep: bool = False):
    """The gradients of every input as one row of numbers; with ``keep``, one Value in the graph."""
    if keep:
        parts = [g if isinstance(g, Value) else constant(np.asarray(g, dtype=float)) for g in grads]
        parts = [
            (p if np.shape(p.data) == shape else p * np.ones(shape)).reshape(-1) for p, shape in zip(parts, shapes)
        ]
        return parts[0] if len(parts) == 1 else concatenate(parts)
    parts = []
    for g, shape in zip(grads, shapes):
        g = g.data if isinstance(g, Value) else g
        parts.append(np.broadcast_to(np.asarray(g, dtype=float), shape).ravel())
    return np.concatenate(parts)


def blocks_of(rows: list, out_shape: tuple, in_shapes: list[tuple], keep: bool = False) -> list:
    """A Jacobian block per argument, each of shape out_shape + in_shape (a number if both are scalars),
    from one row per output number: NumPy arrays, or with ``keep`` Values in the graph."""
    matrix = stack(rows) if keep else np.array(rows)
    blocks, start = [], 0
    for shape in in_shapes:
        size = int(np.prod(shape))
        block = matrix[:, start : start + size].reshape(out_shape + shape)
        blocks.append(float(block) if not keep and block.ndim == 0 else block)
        start += size
    return blocks


def in_graph(outs: list[Value]) -> bool:
    """True if a result must stay a Value: nested in another derivative, or read by an outer graph
    (unless the outermost call was made inside no_grad())."""
    return nesting.get() > 0 or (outer_records.get() and reaches_outside(outs))
