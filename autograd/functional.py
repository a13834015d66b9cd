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

from collections.abc import Callable, Sequence

import numpy as np

from . import chain, checks
from .arguments import (
    always_recorded,
    blocks_of,
    call_nested,
    in_graph,
    indices_of,
    not_a_value,
    outputs_of,
    prepare,
    row_of,
    shape_of,
)
from .order import topological_order
from .value import Value, constant


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

    @always_recorded
    def wrapped(*args):
        indices = indices_of(argnums, len(args))
        call_args = list(args)
        prepared = {}
        for i in dict.fromkeys(indices):  # each argument once, even if named twice
            call_args[i], leaves, shape = prepare(args[i], f"argument {i}")
            prepared[i] = (leaves, shape)
        out = call_nested(f, call_args)
        if not isinstance(out, Value):
            raise not_a_value("grad", out)
        if out.data.__class__ is not float:
            raise ValueError(
                f"grad needs a function with one number as its result, got a Value holding {np.size(out.data)} numbers; "
                "use jacobian, or reduce it with .sum() or .mean()"
            )
        flat = [leaf for leaves, _ in prepared.values() for leaf in leaves]
        keep = create_graph
        if keep is None:
            keep = in_graph([out])
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


def jacobian(f: Callable, argnums: int | Sequence[int] = 0) -> Callable:
    """Reverse mode: the matrix of d output_i / d input_j, one backward pass per output number.

    For f: R^n -> R^m the result has shape (m, n). A function with a scalar result gives
    the gradient; with a scalar argument, the derivative of each output. NumPy arrays, or
    Values when the result is read by an outer graph (as ``grad``'s are).
    """

    @always_recorded
    def wrapped(*args):
        indices = indices_of(argnums, len(args))
        unique = list(dict.fromkeys(indices))  # an argument named twice is one variable
        call_args, leaves, in_shapes = list(args), [], []
        for i in unique:
            call_args[i], found, _ = prepare(args[i], f"argument {i}")
            leaves += found
            in_shapes.append(shape_of(args[i]))
        leaf_shapes = [np.shape(leaf.data) for leaf in leaves]
        outs, out_shape = outputs_of(call_nested(f, call_args), "jacobian")
        keep = in_graph(outs)
        rows = []
        if len(outs) == 1 and outs[0].data.__class__ is not float:
            out = outs[0]
            for k in range(out.data.size):
                seed = np.zeros(out.data.shape)
                seed.flat[k] = 1.0
                rows.append(row_of(gradients(out, leaves, seed=seed, create_graph=keep), leaf_shapes, keep))
        else:
            rows = [row_of(gradients(out, leaves, create_graph=keep), leaf_shapes, keep) for out in outs]
        blocks = dict(zip(unique, blocks_of(rows, out_shape, in_shapes, keep)))
        return tuple(blocks[i] for i in indices) if isinstance(argnums, (tuple, list)) else blocks[indices[0]]

    return wrapped


def hessian(f: Callable, argnums: int | Sequence[int] = 0) -> Callable:
    """The matrix of second derivatives d²f / dx_i dx_j of a function with a scalar result.

    Computed as the Jacobian of the gradient: reverse mode over reverse mode. Pass the
    variables as one list (or array) argument, ``hessian(f)([x, y])``, or name several
    arguments: ``hessian(f, argnums=(0, 1))(x, y)`` gives the blocks as JAX does,
    ``((d²f/dx², d²f/dx dy), (d²f/dy dx, d²f/dy²))``, each of shape (x's shape + y's shape).
    """

    def scalar(*args):  # so that an error names hessian, not the grad inside it
        checks.function(f, "the function to differentiate")
        out = f(*args)
        if isinstance(out, Value) and out.data.__class__ is not float:
            raise ValueError(
                f"hessian needs a function with one number as its result, got a Value holding {np.size(out.data)} "
                "numbers; take the hessian of each output, or reduce it with .sum()"
            )
        return out

    if not isinstance(argnums, (tuple, list)):
        return jacobian(grad(scalar, argnums), argnums)

    def wrapped(*args):
        indices = indices_of(argnums, len(args))
        return tuple(jacobian(grad(scalar, i), tuple(indices))(*args) for i in indices)

    return wrapped


@always_recorded
def vjp(f: Callable, *primals) -> tuple:
    """(f(*primals), a function of a cotangent v returning v · df/d primal for every primal).

    One backward pass per call of the returned function, on the graph recorded once here.
    Numbers, or Values when the result is read by an outer graph (as ``grad``'s are).
    """
    call_args, prepared = [], []
    for i, arg in enumerate(primals):
        view, leaves, shape = prepare(arg, f"primal {i}")
        call_args.append(view)
        prepared.append((leaves, shape))
    out = call_nested(f, call_args)
    if not isinstance(out, Value):
        raise not_a_value("vjp", out)
    keep = in_graph([out])

    @always_recorded
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
