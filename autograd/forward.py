"""Forward mode: tangents pushed from the inputs to the outputs, through the same derivative table.

A node's tangent is the sum of ``local · tangent`` over its inputs: the local derivatives the
backward pass uses, read in the other direction (for an array op the Jacobian-vector product
J t). One pass gives the derivative along one direction, so ``jvp`` of a function of one
number gives every output's derivative at once; ``jacfwd`` makes one pass per input number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .arguments import (
    always_recorded,
    call_nested,
    in_graph,
    indices_of,
    outer_records,
    outputs_of,
    prepare,
    row_of,
    shape_of,
)
from .chain import local_derivatives
from .functions import stack
from .order import _check_node, topological_order
from .value import Value, constant, value_of


def tangents(root, seeds: dict, on_values: bool = False) -> dict:
    """Forward mode: d(node)/dt for every node of ``root``'s graph, given the leaves' tangents.

    Each node's tangent is the sum over its inputs of ``local · tangent``: the same local
    derivatives as the backward pass, read in the other direction (for an array op, the
    Jacobian-vector product J t). Nodes that no seeded input reaches are left out. With
    ``on_values`` the local derivatives are Values (for nesting).
    """
    _check_node(root, "tangents")
    found = dict(seeds)
    for node in topological_order(root):
        if node in found or not any(parent in found for parent in node.parents):
            continue  # a leaf, or a node no tangent reaches: its tangent is 0, nothing to evaluate
        total = None
        for parent, local in zip(node.parents, local_derivatives(node, on_values)):
            if parent in found:
                term = local * found[parent]  # forward mode: local derivative × the input's tangent
                total = term if total is None else total + term
        found[node] = total
    return found


def _tangent_of(tangent, leaves: list[Value], where: str) -> list:
    if isinstance(tangent, (list, tuple)):
        if len(tangent) != len(leaves):
            raise ValueError(
                f"{where} has {len(tangent)} entries, its primal {len(leaves)}; give one tangent per number"
            )
        return [_tangent_of(t, [leaf], f"{where}[{k}]")[0] for k, (t, leaf) in enumerate(zip(tangent, leaves))]
    if len(leaves) != 1:
        raise ValueError(f"{where} must be a list of {len(leaves)} numbers, like its primal")
    if isinstance(tangent, Value):  # a constant is a number like any other; a Value needing a gradient stays one
        data, seed = tangent.data, (tangent.data if tangent.is_constant else tangent)
    else:
        data = seed = value_of(tangent, where).data
    if np.shape(data) != np.shape(leaves[0].data):
        raise ValueError(
            f"{where} has shape {np.shape(data)}, its primal {np.shape(leaves[0].data)}; they must be equal"
        )
    return [seed]


@always_recorded
def jvp(f: Callable, primals: Sequence, tangents_in: Sequence) -> tuple:
    """Forward mode: (f(*primals), J · tangents), the directional derivative along ``tangents``.

    Tangents are pushed from the inputs to the output through the same derivative
    table the backward pass uses: a node's tangent is the sum of local derivative times
    its input's tangent. One pass gives the derivative along one direction, so for a
    function of one number it gives every output's derivative at once.

    >>> jvp(lambda x, y: x * y, (2.0, 5.0), (1.0, 0.0))   # d(xy)/dx at (2, 5)
    (10.0, 5.0)
    """
    for name, given in (("primals", primals), ("tangents", tangents_in)):
        if not isinstance(given, (list, tuple)):
            raise TypeError(f"jvp: {name} must be a tuple of arguments, e.g. (2.0,), got {type(given).__name__}")
    if len(primals) != len(tangents_in):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents_in)} tangents; give one tangent per primal")
    call_args, seeds = [], {}
    for i, (arg, tangent) in enumerate(zip(primals, tangents_in)):
        view, leaves, _ = prepare(arg, f"primal {i}")
        call_args.append(view)
        seeds.update(zip(leaves, _tangent_of(tangent, leaves, f"tangent {i}")))
    out = call_nested(f, call_args)
    outs, _ = outputs_of(out, "jvp")
    # Values (kept in their graph) when nested in another derivative or when the function reads
    # Values from outside the call or tangents that are Values, as value_and_grad does.
    tangent_values = any(isinstance(t, Value) and not t.is_constant for t in seeds.values())
    nested = in_graph(outs) or (outer_records.get() and tangent_values)
    found = _push(outs, seeds, nested)
    pairs = [(o if nested else o.data, _tangent_at(o, found, nested)) for o in outs]
    if isinstance(out, Value):
        return pairs[0]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _push(outs: list[Value], seeds: dict, on_values: bool) -> dict:
    found: dict = {}
    for out in outs:
        found.update(tangents(out, {**seeds, **found}, on_values))
    return found


def _tangent_at(out: Value, found: dict, nested: bool):
    """The output's tangent in its shape: 0 where no tangent reaches it; a Value when nested."""
    tangent = found.get(out, 0.0)
    if isinstance(tangent, Value):
        return tangent
    if out.data.__class__ is not float:
        tangent = np.broadcast_to(np.asarray(tangent, dtype=float), out.data.shape).copy()
    else:
        tangent = float(tangent)
    return constant(tangent) if nested else tangent  # a derivative around this one reads it as a Value


def jacfwd(f: Callable, argnums: int = 0) -> Callable:
    """Forward mode: the Jacobian, one tangent pass per input number, on a graph recorded once.

    For g: R -> R^m a single pass gives all m derivatives; reverse mode (``jacobian``)
    would need m backward passes. For f: R^n -> R it is the other way round.
    """
    if isinstance(argnums, (tuple, list)):
        raise TypeError("jacfwd takes one argnums (an int); pass the variables as one list")

    @always_recorded
    def wrapped(*args):
        i = indices_of(argnums, len(args))[0]
        call_args = list(args)
        call_args[i], leaves, _ = prepare(args[i], f"argument {i}")
        in_shape = shape_of(args[i])
        outs, out_shape = outputs_of(call_nested(f, call_args), "jacfwd")
        keep = in_graph(outs)
        out_shapes = [np.shape(o.data) for o in outs]
        columns = []
        for leaf in leaves:
            for k in range(np.size(leaf.data)):
                direction = (
                    1.0 if leaf.data.__class__ is float else np.eye(1, leaf.data.size, k).reshape(leaf.data.shape)
                )
                found = _push(outs, {leaf: direction}, keep)
                columns.append(row_of([_tangent_at(o, found, keep) for o in outs], out_shapes, keep))
        # One column per input number, stacked as rows: its transpose is d output / d input.
        matrix = stack(columns).transpose() if keep else np.array(columns).T
        block = matrix.reshape(out_shape + in_shape)
        return float(block) if not keep and block.ndim == 0 else block

    return wrapped


__all__ = ["jacfwd", "jvp", "tangents"]
