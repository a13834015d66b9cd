"""The array ops' table: ops whose derivative is a linear map, stated as how a gradient goes back.

An elementwise op's local derivative is a number per entry. A matrix product, a sum over an
axis, a reshape or an index is not elementwise: its local derivative is a linear map. Each
row states it twice, next to its forward value:

- ``vjp(g, k, out, *inputs)``: the vector-Jacobian product, input k's share of the upstream
  gradient g (the backward pass);
- ``jvp(t, k, out, *inputs)``: the Jacobian-vector product, what input k's tangent t adds to
  the result's tangent (forward mode).

A row that takes a parameter (an axis, a shape, an index) gets it as the last argument; the
node keeps it on its op (``op.Bound``). Broadcasting is undone in one place, ``unbroadcast``.
Everything is written with operations that work on arrays and Values alike, so
``create_graph`` can differentiate these derivatives again.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import checks
from .formulas import data_of
from .op import Bound, Linear, Op, table


def linear_row(name: str, forward, vjp, jvp, text, rule, takes_arg: bool = True, bounded: bool = True) -> Op:
    """A row whose local derivative for input k is the linear map (vjp, jvp) with that k."""

    def local(out, *inputs):
        return tuple(
            Linear(lambda g, k=k: as_float(vjp(g, k, out, *inputs)), lambda t, k=k: as_float(jvp(t, k, out, *inputs)))
            for k in range(len(inputs) - takes_arg)
        )

    return Op(name, forward, local, text, rule, bounded=bounded, takes_arg=takes_arg)


# -- helpers the rows are written with ----------------------------------------------------------------------------
def shape(x) -> tuple:
    return np.shape(data_of(x))


def full(t, like) -> object:
    """A tangent or gradient in the shape of ``like``: a number (or smaller array) stands for every entry.
    A number stays an array of no axes, so that it can be summed, reshaped and transposed as arrays are."""
    if shape(t) == shape(like):
        return np.asarray(t) if t.__class__ is float else t
    return t * np.ones(shape(like))


def as_float(x):
    """A 0-d array result as a Python float: a Value holds a number, not a 0-d array."""
    return float(x) if x.__class__ is np.ndarray and x.ndim == 0 or isinstance(x, np.generic) else x


def swap(a):
    """The transpose of the last two axes (a matrix's .T, for stacks of matrices too)."""
    axes = list(range(np.ndim(data_of(a))))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return a.transpose(axes)


def unbroadcast(g, to: tuple):
    """``g`` summed over the axes broadcasting added, so it has shape ``to`` again (every entry's share)."""
    have = shape(g)
    if have == to:
        return g
    if to == ():
        return g.sum() if not isinstance(g, np.ndarray) else float(np.sum(g))
    lead = len(have) - len(to)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(to) if n == 1 and have[lead + i] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(to) if axes else g.reshape(to)


def matmul(x, y):
    """x @ y, with a clear error when the two do not fit."""
    a, b = np.shape(x), np.shape(y)
    if not a or not b:
        raise ValueError(f"@: both sides must be arrays, got shapes {a} and {b}; use * to multiply by a number")
    if a[-1] != (b[0] if len(b) == 1 else b[-2]):
        raise ValueError(
            f"@: shapes {a} and {b} do not fit: the inner sizes {a[-1]} and {b[0] if len(b) == 1 else b[-2]} "
            "must be equal (columns of the left = rows of the right)"
        )
    try:
        return as_float(x @ y)
    except ValueError as error:  # stacks of matrices whose leading axes do not broadcast
        raise ValueError(f"@: shapes {a} and {b} do not fit: {error}") from None


def matmul_back(g, k: int, x, y):
    """d(x @ y) pulled back to x (k = 0: g·yᵀ) or to y (k = 1: xᵀ·g), a vector read as a row (x) or a column (y)."""
    xs, ys = shape(x), shape(y)
    if len(xs) == 2 and len(ys) == 2:  # two matrices, the common case: nothing to promote or sum
        return g @ y.T if k == 0 else x.T @ g
    if len(xs) == 1 and len(ys) == 1:  # a dot product
        return g * (y if k == 0 else x)
    row = x.reshape((1,) + xs) if len(xs) == 1 else x
    column = y.reshape(ys + (1,)) if len(ys) == 1 else y
    rs, cs = shape(row), shape(column)
    g = g.reshape(np.broadcast_shapes(rs[:-2], cs[:-2]) + (rs[-2], cs[-1]))
    return unbroadcast(g @ swap(column), rs).reshape(xs) if k == 0 else unbroadcast(swap(row) @ g, cs).reshape(ys)


def kept(x_shape: tuple, axis) -> tuple:
    """The shape a reduction over ``axis`` leaves with keepdims=True."""
    if axis is None:
        return (1,) * len(x_shape)
    axes = {a % len(x_shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return tuple(1 if i in axes else n for i, n in enumerate(x_shape))


def spread(g, x, axis):
    """A reduction's gradient spread back over the axes it reduced (sum's vector-Jacobian product)."""
    if not shape(x):
        return g
    if g.__class__ is float:
        return np.full(shape(x), g)
    if shape(g):
        g = g.reshape(kept(shape(x), axis))  # the reduced axes back, of length 1, so broadcasting repeats g along them
    return g * np.ones(shape(x))


def count(x, axis) -> int:
    """How many entries a mean over ``axis`` averages."""
    return int(np.size(data_of(x))) // max(1, int(np.prod(kept(shape(x), axis))))


def first_max(x, axis) -> np.ndarray:
    """1.0 at the first largest entry of each reduced slice (the one that gets the gradient), 0.0 elsewhere.

    ``axis`` may be None, an int or a tuple: the reduced axes are moved to the end and flattened, so
    "first" means first in row-major order over them, as numpy.argmax counts.
    """
    x = np.asarray(data_of(x))
    reduced = range(x.ndim) if axis is None else [a % x.ndim for a in (axis if isinstance(axis, tuple) else (axis,))]
    reduced = sorted(set(reduced))
    last = list(range(x.ndim - len(reduced), x.ndim))
    moved = np.moveaxis(x, reduced, last)
    flat = moved.reshape(moved.shape[: x.ndim - len(reduced)] + (-1,))
    mask = np.zeros(flat.shape)
    np.put_along_axis(mask, np.argmax(flat, axis=-1)[..., None], 1.0, axis=-1)
    return np.moveaxis(mask.reshape(moved.shape), last, reduced)


def scatter(g, index, to: tuple):
    """Zeros of shape ``to`` with ``g`` added at ``index`` (repeated positions add up): the adjoint of x[index]."""
    if g.__class__ in (float, np.ndarray) or isinstance(g, np.generic):
        zeros = np.zeros(to)
        if one_position(index):
            zeros[index] = g  # one entry: nothing can be added twice
        else:
            np.add.at(zeros, index, g)
        return zeros
    return g._scatter(index, to)


def read(x, index):
    """x[index] as a Value holds it: a float for one entry, else an array of its own (not a view of x)."""
    found = x[index]
    return float(found) if np.ndim(found) == 0 else found.copy()


def one_position(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in parts)


def index_text(index) -> str:
    parts = index if isinstance(index, tuple) else (index,)

    def one(part) -> str:
        if isinstance(part, slice):
            text = ":".join("" if v is None else str(v) for v in (part.start, part.stop, part.step))
            return text.rstrip(":") or ":"
        if part is Ellipsis:
            return "..."
        if isinstance(part, np.ndarray):
            return f"array{list(part.shape)}"
        return str(part)

    return ", ".join(one(p) for p in parts)


def joined_part(k: int, arg) -> tuple:
    """Where input k sits in the result of stack or concatenate: an index along the joined axis."""
    axis, ends, ndim, joined = arg
    index = [slice(None)] * ndim
    index[axis] = slice(ends[k], ends[k + 1]) if joined else ends[k]
    return tuple(index)


def join(*xs_and_arg):
    *xs, (axis, _, _, joined) = xs_and_arg
    return np.concatenate(xs, axis=axis) if joined else np.stack(xs, axis=axis)


# -- what the backward pass (chain.py) needs for arrays ------------------------------------------------------------
def to_parent_shape(contribution, parent):
    """A contribution in the parent's shape: one stretched by broadcasting receives every entry's share."""
    found = contribution if contribution.__class__ is np.ndarray else getattr(contribution, "data", contribution)
    if np.shape(found) == np.shape(parent.data):
        return contribution
    return unbroadcast(contribution, np.shape(parent.data))


class _Zero:
    """An array node's gradient before its first contribution: adding to it gives the contribution
    itself (no copy of a large array)."""

    __slots__ = ()
    __array_ufunc__ = None  # let `array + zero` reach __radd__

    def __add__(self, other):
        return other

    __radd__ = __add__

    def __repr__(self) -> str:
        return "0"


ZERO = _Zero()


def _reduction_text(symbol: str):
    return lambda a: f"{symbol} {{0}}" if a[0] is None else f"{symbol}_{a[0]} {{0}}"


# -- the table ---------------------------------------------------------------------------------------------------
# A row: name, forward (inputs, then the parameter), vjp (g, k, out, inputs, parameter), jvp (t, k, out, ...).
# fmt: off
MATMUL    = linear_row("@", matmul,
                       lambda g, k, out, x, y: matmul_back(g, k, x, y),
                       lambda t, k, out, x, y: full(t, x) @ y if k == 0 else x @ full(t, y),
                       "{0} @ {1}", ("g·{1}ᵀ", "{0}ᵀ·g"), takes_arg=False, bounded=False)
TRANSPOSE = linear_row("transpose", lambda x, axes: x.transpose(axes),
                       lambda g, k, out, x, axes: full(g, out).transpose(tuple(np.argsort(axes))),
                       lambda t, k, out, x, axes: full(t, x).transpose(axes),
                       "{0}ᵀ", ("gᵀ",))
RESHAPE   = linear_row("reshape", lambda x, to: as_float(np.reshape(x, to)),
                       lambda g, k, out, x, to: full(g, out).reshape(shape(x)),
                       lambda t, k, out, x, to: full(t, x).reshape(to),
                       lambda to: f"reshape({{0}}, {to})", ("g reshaped back",))
SUM       = linear_row("reduce_sum", lambda x, a: as_float(np.sum(x, axis=a[0], keepdims=a[1])),
                       lambda g, k, out, x, a: spread(g, x, a[0]),
                       lambda t, k, out, x, a: full(t, x).sum(axis=a[0], keepdims=a[1]),
                       _reduction_text("Σ"), ("1 for every entry",), bounded=False)
MEAN      = linear_row("reduce_mean", lambda x, a: as_float(np.mean(x, axis=a[0], keepdims=a[1])),
                       lambda g, k, out, x, a: spread(g / count(x, a[0]), x, a[0]),
                       lambda t, k, out, x, a: full(t, x).sum(axis=a[0], keepdims=a[1]) / count(x, a[0]),
                       _reduction_text("mean"), ("1/n for every entry",))
MAX       = linear_row("reduce_max", lambda x, a: as_float(np.max(x, axis=a[0], keepdims=a[1])),
                       lambda g, k, out, x, a: spread(g, x, a[0]) * first_max(x, a[0]),
                       lambda t, k, out, x, a: (full(t, x) * first_max(x, a[0])).sum(axis=a[0], keepdims=a[1]),
                       _reduction_text("max"), ("1 at the largest entry",))
INDEX     = linear_row("index", lambda x, i: read(x, i),
                       lambda g, k, out, x, i: scatter(g, i, shape(x)),
                       lambda t, k, out, x, i: full(t, x)[i],
                       lambda i: f"{{0}}[{index_text(i)}]", ("1 at the positions read",))
SCATTER   = linear_row("scatter", lambda g, a: scatter(g, *a),
                       lambda h, k, out, g, a: full(h, out)[a[0]],
                       lambda t, k, out, g, a: scatter(full(t, g), *a),
                       lambda a: f"scatter({{0}}, [{index_text(a[0])}])", ("g at the positions written",), bounded=False)
STACK     = linear_row("stack", join,
                       lambda g, k, out, *xs_and_arg: full(g, out)[joined_part(k, xs_and_arg[-1])],
                       lambda t, k, out, *xs_and_arg: scatter(full(t, xs_and_arg[k]), joined_part(k, xs_and_arg[-1]), shape(out)),
                       lambda a: f"{'concatenate' if a[3] else 'stack'}({{0}})", ("its own slice of g",))
# fmt: on

TABLE = table(MATMUL, TRANSPOSE, RESHAPE, SUM, MEAN, MAX, INDEX, SCATTER, STACK)


# -- the parameters, checked: what a Value method passes along -------------------------------------------------------
def reduction(x, axis, keepdims: bool, who: str) -> tuple:
    return checks.axis(axis, x.ndim, x.shape, who), bool(keepdims)


def transpose_axes(x, axes: tuple) -> tuple:
    """The axes of x.transpose(*axes) as non-negative indices (reversed if none are given), checked."""
    axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
    for a in axes:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"transpose: axes must be ints, got {axes!r:.60}")
    found = tuple(int(a) % max(x.ndim, 1) for a in axes) if axes else tuple(range(x.ndim))[::-1]
    if sorted(found) != list(range(x.ndim)) or not all(-x.ndim <= a < x.ndim for a in axes):
        raise ValueError(f"transpose: axes {axes} do not reorder the {x.ndim} axes of shape {x.shape}")
    return found


def reshaped(x, to: tuple) -> tuple:
    to = tuple(to[0]) if len(to) == 1 and isinstance(to[0], (tuple, list)) else to
    try:
        return np.reshape(x.data, to).shape
    except (ValueError, TypeError) as error:
        raise ValueError(f"reshape: cannot reshape shape {x.shape} into {to}: {error}") from None


def position(x, index):
    """``index`` checked against x's shape; a position read many times (nn's W[j, i]) shares one bound row."""
    if x.data.__class__ is float:
        raise TypeError("a Value holding a number cannot be indexed; index a Value holding an array")
    try:
        found = x.data[index]
    except (IndexError, TypeError, ValueError) as error:
        raise type(error)(f"index {index!r:.60} does not fit shape {x.shape}: {error}") from None
    if np.size(found) == 0:
        raise ValueError(f"index {index!r:.60} selects nothing from shape {x.shape}")
    return entry(index) if one_position(index) else Bound(INDEX, index)


@lru_cache(maxsize=4096)
def entry(index) -> Bound:
    """The INDEX row bound to one position, shared by every node that reads it (as rules.power)."""
    return Bound(INDEX, index)


def entries(x, apply) -> list:
    """Every entry of a vector or matrix as a node x[j] or x[j, i], made at once (nn reads its weights so)."""
    if x.ndim == 1:
        return [apply(entry(j), x) for j in range(x.shape[0])]
    if x.ndim == 2:
        return [[apply(entry((j, i)), x) for i in range(x.shape[1])] for j in range(x.shape[0])]
    raise ValueError(f"entries: needs a Value holding a vector or a matrix, got shape {x.shape}")


def joining(shapes: list[tuple], axis, concatenate: bool, who: str) -> tuple:
    """stack's or concatenate's parameter: the axis, where each input ends along it, the result's dimensions."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{who}: axis must be an int, got {axis!r:.40}")
    ndim = len(shapes[0]) + (not concatenate)
    if not -ndim <= axis < ndim or concatenate and ndim == 0:
        raise ValueError(f"{who}: axis {axis} is out of range for the {ndim} axes of the result")
    axis = int(axis) % ndim
    fits = all(
        len(s) == len(shapes[0])
        and all(a == b for i, (a, b) in enumerate(zip(s, shapes[0])) if not concatenate or i != axis)
        for s in shapes
    )
    if not fits:
        need = "the same shape" if not concatenate else f"the same shape apart from axis {axis}"
        raise ValueError(f"{who}: cannot join shapes {', '.join(map(str, shapes))}: the arrays must have {need}")
    ends = tuple(int(e) for e in np.cumsum([0] + [s[axis] if concatenate else 1 for s in shapes]))
    return axis, ends, ndim, concatenate
