"""Derivatives of whole functions, in reverse mode: grad, value_and_grad, gradients, jacobian, hessian, vjp.

These never change the ``grad`` of any Value: not the function's arguments, not the
Values it closes over. They nest: ``grad(grad(f))`` is the second derivative, because a
``grad`` called while another one is evaluating its function keeps the graph of its
result (``create_graph``) and returns Values the outer one can differentiate.

An argument may be a number, a Value, a list of numbers or Values (a vector), or a
NumPy array; each derivative has the shape of its argument. ``jacobian``, ``hessian``
and ``jacfwd`` return NumPy arrays of shape (output shape + input shape). Every one of
them returns Values instead, kept in their graph, when the function reads a Value that
needs a gradient (an argument or a Value it closes over): the derivative depends on it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from contextvars import ContextVar

import numpy as np

from . import chain, checks
from .functions import concatenate, stack
from .op import Op, table
from .order import topological_order
from .recording import enable_grad
from .value import Value, apply, constant, value_of

_depth: ContextVar[int] = ContextVar("chainrule_functional_depth", default=0)
# The leaves made for number arguments by the outermost call and every call nested in it: they belong
# to the computation being differentiated, unlike Values from outside it (see _reaches_outside).
_fresh: ContextVar[list | None] = ContextVar("chainrule_functional_leaves", default=None)

# An argument that is already a Value enters through a node of its own: it stays connected to
# the computation it came from (so an enclosing grad sees through it), and the same Value passed
# as two arguments still gives two separate partial derivatives.
IDENTITY = Op(
    "id", lambda x: x if x.__class__ is float else x.copy(), lambda out, x: (1.0,), "{0}", ("1",), bounded=True
)
table(IDENTITY)


# -- arguments ---------------------------------------------------------------------------------
def _argnums(argnums, nargs: int) -> tuple[int, ...]:
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


def _input(x, where: str) -> Value:
    if isinstance(x, Value):
        node = apply(IDENTITY, x)
        node.label = x.label
        return node
    leaf = value_of(x, where)
    leaf.grad = 0.0  # differentiated with respect to: a variable, not a constant
    made = _fresh.get()
    if made is not None:
        made.append(leaf)
    return leaf


def _prepare(arg, where: str):
    """What the function sees for a differentiated argument, its leaves, and how to shape their gradients."""
    if isinstance(arg, (list, tuple)):
        if not arg:
            raise ValueError(f"{where} is an empty list; give at least one number")
        leaves = [_input(x, f"{where}[{k}]") for k, x in enumerate(arg)]
        for k, leaf in enumerate(leaves):
            if leaf.data.__class__ is not float:
                raise ValueError(f"{where}[{k}] is an array; a list argument holds numbers (pass one array instead)")
        return list(leaves), leaves, list
    leaf = _input(arg, where)
    return leaf, [leaf], lambda grads: grads[0]


def _shape_of(arg) -> tuple[int, ...]:
    if isinstance(arg, (list, tuple)):
        return (len(arg),)
    data = arg.data if isinstance(arg, Value) else arg
    return np.shape(data)


def _call(f: Callable, args: list):
    """Call ``f`` one nesting level deeper, so a grad inside it keeps the graph of its result."""
    checks.function(f, "the function to differentiate")
    token = _depth.set(_depth.get() + 1)
    try:
        return f(*args)
    finally:
        _depth.reset(token)


def _recording(function: Callable) -> Callable:
    """``function`` run with recording on: a derivative asked for explicitly is computed whatever the
    state around the call, so inside ``no_grad()`` it gives the true values (as ``torch.func`` does)."""

    @functools.wraps(function)
    def recorded(*args, **kwargs):
        token = _fresh.set([]) if _fresh.get() is None else None
        try:
            with enable_grad():
                return function(*args, **kwargs)
        finally:
            if token is not None:
                _fresh.reset(token)

    return recorded


def _reaches_outside(outs: list[Value]) -> bool:
    """True if the function's graph reads a Value that needs a gradient and was not made for this call:
    a Value passed as an argument, or one the function closes over. Its derivative then depends on
    that Value, so it must stay in that Value's graph instead of becoming a plain number."""
    mine = {id(leaf) for leaf in _fresh.get() or ()}
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


def _not_a_value(who: str, out) -> TypeError:
    hint = (
        " (use autograd.exp, autograd.log, ... instead of math's, so the result stays a Value)"
        if isinstance(out, float)
        else ""
    )
    return TypeError(
        f"{who}: the function must return a Value built from its arguments, got {type(out).__name__}{hint}"
    )


# -- reverse mode ---------------------------------------------------------------------------------
def gradients(root: Value, inputs: Sequence[Value], seed=None, create_graph: bool = False) -> list:
    """d(root)/d(input) for each input, as after ``zero_grad()``, without changing any ``grad``.

    The functional form of ``backward()`` (like ``torch.autograd.grad``): it runs the same
    backward pass from zero gradients, reads the inputs' gradients and puts back every gradient
    the graph held before. ``seed`` is ``backward``'s ``gradient``; with
    ``create_graph=True`` the results are Values that can be differentiated again. An input the
    output does not depend on gets 0 (zeros of its shape for an array).
    """
    if not isinstance(root, Value):
        raise TypeError(f"gradients needs a Value to differentiate, got {type(root).__name__}")
    if isinstance(inputs, Value) or not isinstance(inputs, (list, tuple)):
        raise TypeError(f"gradients: inputs must be a list of Values, got {type(inputs).__name__}")
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"gradients: inputs[{i}] must be a Value, got {type(x).__name__}")
    if root.is_constant:  # a function that ignores its inputs: every derivative is 0
        return [_zeros_like(x.data) for x in inputs]
    start = checks.starting_gradient(root, seed)
    nodes = topological_order(root)
    saved = [node.grad for node in nodes]
    inside = set(nodes)
    try:
        for node in nodes:
            node.grad = 0.0
        chain.backpropagate(root, start, create_graph)
        return [x.grad if x in inside else _zeros_like(x.data) for x in inputs]
    finally:
        for node, grad in zip(nodes, saved):
            node.grad = grad


def _zeros_like(data):
    return 0.0 if data.__class__ is float else np.zeros_like(data)


# -- reverse mode, for functions ---------------------------------------------------------------------------------
def value_and_grad(f: Callable, argnums: int | Sequence[int] = 0, create_graph: bool | None = None) -> Callable:
    """A function returning (f(*args), df/d args[argnums]).

    Numbers in, numbers out. The results are Values with a graph, ready to be differentiated
    again, when the function reads a Value that needs a gradient (an argument that is a Value,
    or a Value it closes over: the derivative then depends on it and stays in its graph, as
    ``torch.func.grad`` composes with autograd), when called while another ``grad`` evaluates
    its function, or with ``create_graph=True``. ``create_graph=False`` always gives numbers.

    >>> value_and_grad(lambda x: x * x)(3.0)
    (9.0, 6.0)
    """

    if create_graph is not None and not isinstance(create_graph, bool):
        raise TypeError(f"create_graph must be True, False or None (nested calls keep it), got {create_graph!r:.40}")

    @_recording
    def wrapped(*args):
        indices = _argnums(argnums, len(args))
        call_args = list(args)
        prepared = {}
        for i in dict.fromkeys(indices):  # each argument once, even if named twice
            call_args[i], leaves, shape = _prepare(args[i], f"argument {i}")
            prepared[i] = (leaves, shape)
        out = _call(f, call_args)
        if not isinstance(out, Value):
            raise _not_a_value("grad", out)
        if out.data.__class__ is not float:
            raise ValueError(
                f"grad needs a function with one number as its result, got a Value holding {np.size(out.data)} numbers; "
                "use jacobian, or reduce it with .sum() or .mean()"
            )
        flat = [leaf for leaves, _ in prepared.values() for leaf in leaves]
        keep = create_graph
        if keep is None:
            keep = _depth.get() > 0 or _reaches_outside([out])
        found = gradients(out, flat, create_graph=keep)
        if keep:  # an input the result does not depend on has the gradient 0: a constant, still a Value
            found = [g if isinstance(g, Value) else constant(g) for g in found]
        result, k = {}, 0
        for i, (leaves, shape) in prepared.items():
            result[i] = shape(found[k : k + len(leaves)])
            k += len(leaves)
        grads = tuple(result[i] for i in indices) if isinstance(argnums, (tuple, list)) else result[indices[0]]
        return (out if keep else out.data), grads

    return wrapped


def grad(f: Callable, argnums: int | Sequence[int] = 0, create_graph: bool | None = None) -> Callable:
    """A function computing df/dx at the given arguments (a tuple for several argnums).

    ``grad(grad(f))`` is the second derivative.

    >>> grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 5.0)
    (5.0, 2.0)
    """
    value_and_gradient = value_and_grad(f, argnums, create_graph)

    def wrapped(*args):
        return value_and_gradient(*args)[1]

    return wrapped


def _outputs(out, who: str) -> tuple[list[Value], tuple[int, ...]]:
    """The function's result as a list of Values and the shape of the whole result."""
    if isinstance(out, Value):
        return [out], np.shape(out.data)
    if isinstance(out, (list, tuple)) and out:
        values = []
        for k, o in enumerate(out):
            if not isinstance(o, Value):
                raise _not_a_value(f"{who}: output {k}", o)
            if o.data.__class__ is not float:
                raise ValueError(
                    f"{who}: output {k} holds an array; a list result holds numbers (return one array Value)"
                )
            values.append(o)
        return values, (len(values),)
    raise _not_a_value(who, out)


def _flat(grads: list, shapes: list[tuple], keep: bool = False):
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


def _result(rows: list, out_shape: tuple, in_shapes: list[tuple], keep: bool = False) -> list:
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


def _in_graph(outs: list[Value]) -> bool:
    """True if a result must stay a Value: nested in another derivative, or read by an outer graph."""
    return _depth.get() > 0 or _reaches_outside(outs)


def jacobian(f: Callable, argnums: int | Sequence[int] = 0) -> Callable:
    """Reverse mode: the matrix of d output_i / d input_j, one backward pass per output number.

    For f: R^n -> R^m the result has shape (m, n). A function with a scalar result gives
    the gradient; with a scalar argument, the derivative of each output. NumPy arrays, or
    Values when the result is read by an outer graph (as ``grad``'s are).
    """

    @_recording
    def wrapped(*args):
        indices = _argnums(argnums, len(args))
        unique = list(dict.fromkeys(indices))  # an argument named twice is one variable
        call_args, leaves, in_shapes = list(args), [], []
        for i in unique:
            call_args[i], found, _ = _prepare(args[i], f"argument {i}")
            leaves += found
            in_shapes.append(_shape_of(args[i]))
        leaf_shapes = [np.shape(leaf.data) for leaf in leaves]
        outs, out_shape = _outputs(_call(f, call_args), "jacobian")
        keep = _in_graph(outs)
        rows = []
        if len(outs) == 1 and outs[0].data.__class__ is not float:
            out = outs[0]
            for k in range(out.data.size):
                seed = np.zeros(out.data.shape)
                seed.flat[k] = 1.0
                rows.append(_flat(gradients(out, leaves, seed=seed, create_graph=keep), leaf_shapes, keep))
        else:
            rows = [_flat(gradients(out, leaves, create_graph=keep), leaf_shapes, keep) for out in outs]
        blocks = dict(zip(unique, _result(rows, out_shape, in_shapes, keep)))
        return tuple(blocks[i] for i in indices) if isinstance(argnums, (tuple, list)) else blocks[indices[0]]

    return wrapped


def hessian(f: Callable, argnums: int | Sequence[int] = 0) -> Callable:
    """The matrix of second derivatives d²f / dx_i dx_j of a function with a scalar result.

    Computed as the Jacobian of the gradient: reverse mode over reverse mode. Pass the
    variables as one list (or array) argument, ``hessian(f)([x, y])``, or name several
    arguments: ``hessian(f, argnums=(0, 1))(x, y)`` gives the blocks as JAX does,
    ``((d²f/dx², d²f/dx dy), (d²f/dy dx, d²f/dy²))``, each of shape (x's shape + y's shape).
    """
    if not isinstance(argnums, (tuple, list)):
        return jacobian(grad(f, argnums), argnums)

    def wrapped(*args):
        indices = _argnums(argnums, len(args))
        return tuple(jacobian(grad(f, i), tuple(indices))(*args) for i in indices)

    return wrapped


@_recording
def vjp(f: Callable, *primals) -> tuple:
    """(f(*primals), a function of a cotangent v returning v · df/d primal for every primal).

    One backward pass per call of the returned function, on the graph recorded once here.
    Numbers, or Values when the result is read by an outer graph (as ``grad``'s are).
    """
    call_args, prepared = [], []
    for i, arg in enumerate(primals):
        view, leaves, shape = _prepare(arg, f"primal {i}")
        call_args.append(view)
        prepared.append((leaves, shape))
    out = _call(f, call_args)
    if not isinstance(out, Value):
        raise _not_a_value("vjp", out)
    keep = _in_graph([out])

    @_recording
    def pullback(cotangent=None):
        flat = [leaf for leaves, _ in prepared for leaf in leaves]
        found = gradients(out, flat, seed=cotangent, create_graph=keep)
        if keep:
            found = [g if isinstance(g, Value) else constant(g) for g in found]
        result, k = [], 0
        for leaves, shape in prepared:
            result.append(shape(found[k : k + len(leaves)]))
            k += len(leaves)
        return tuple(result)

    return (out if keep else out.data), pullback


__all__ = ["grad", "gradients", "hessian", "jacobian", "value_and_grad", "vjp"]
