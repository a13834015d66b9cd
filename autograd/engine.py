"""Value, the node of a computation graph, and the backward pass.

A Value remembers the op that made it and the Values it was made from (its
``parents``). ``backward()`` visits the graph from the output back to the inputs and
applies the chain rule on each edge:

    parent.grad = parent.grad + node.grad * local

where ``local`` is d(node)/d(parent) from the derivative table in ``rules.py``. A
parent reached by several paths receives one such term per path, so its gradient is
the sum over all paths: the lectures' delta_i = sum_k delta_k dz_k/dz_i, which is
why the upstream gradient stands on the left.

A Value holds a Python float, or a NumPy array of samples (one graph serves a whole
batch; ``sum`` and ``mean`` reduce it). With ``create_graph=True`` the backward pass
itself is recorded as Values, so a gradient can be differentiated again.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np

from . import checks, rules
from .rules import Op

# -- recording: on everywhere, except inside no_grad() in this thread (or async task) ---------
_recording: ContextVar[bool] = ContextVar("chainrule_recording", default=True)
_paused = 0  # no_grad() blocks open in any thread; while 0, every thread records (one global read per node)
_paused_lock = threading.Lock()

_isfinite = math.isfinite
_new = object.__new__

# exp(x) overflows a float for x above log(max float) = 709.78...; sinh and cosh at about 710.48
_EXP_LIMIT = math.log(np.finfo(float).max)
_HYPERBOLIC_LIMIT = _EXP_LIMIT + math.log(2.0)


def _coerce_data(data, argument: str = "data"):
    """What a Value may hold: a real number (kept as a float) or a NumPy array of samples."""
    if data.__class__ is float:
        return data
    if isinstance(data, (bool, np.bool_)):
        raise TypeError(f"Value {argument} must be a number, got bool {data!r}; use 1.0 or 0.0")
    if isinstance(data, (int, float, np.integer, np.floating)):
        try:
            return float(data)
        except OverflowError:
            raise ValueError(f"Value {argument} {data} is too large for a float (about 1.8e308 at most)") from None
    if isinstance(data, np.ndarray):
        if data.dtype.kind not in "iuf":
            raise TypeError(f"Value {argument} array must hold real numbers, got dtype {data.dtype}")
        if data.ndim == 0:  # numpy.array(2.0) is a number, as DeZero writes every scalar
            return float(data)
        if data.size == 0:
            raise ValueError(f"Value {argument} array is empty; a batch needs at least one sample")
        return np.array(data, dtype=float)
    hint = "; use numpy.array(...) for a batch of samples" if isinstance(data, (list, tuple)) else ""
    raise TypeError(f"Value {argument} must be an int or float, got {type(data).__name__} {data!r:.60}{hint}")


def _finite(data) -> bool:
    if data.__class__ is float:
        return _isfinite(data)
    if data.size <= 4096:
        return bool(np.isfinite(data).all())
    # On a large array: the sum is inf or nan if any entry is, and costs one pass and no new
    # array; only a sum too large for a float (of finite entries) needs the entry-by-entry check.
    with np.errstate(over="ignore"):
        total = np.add.reduce(data, axis=None)
    return _isfinite(total) or bool(np.isfinite(data).all())


class Value:
    """A number (or a batch of numbers) in a computation graph, with its gradient.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad        # dy/dx = 2x + 3
    7.0

    ``==`` compares identity (a Value is a node, and nodes are kept in sets and
    dicts); ``<``, ``<=``, ``>``, ``>=`` compare data, giving a bool for a number and
    a boolean array for a batch, so ``if x > 0:`` works.
    """

    __slots__ = ("data", "grad", "label", "parents", "_op", "_pending", "_local")
    # Let numpy hand `numpy.float64(2.0) * value` to Value.__rmul__ instead of making an array.
    __array_ufunc__ = None
    __array_priority__ = 1000

    def __init__(self, data: float | np.ndarray, label: str = "") -> None:
        data = _coerce_data(data)
        if not _finite(data):
            raise ValueError(f"Value data must be finite, got {_short(data)}")
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__} {label!r:.60}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.parents: tuple[Value, ...] = ()
        self._op: Op | None = None
        self._pending = 0  # during a backward pass: consumers that have not yet passed their gradient on
        self._local = None  # the local derivatives, when known as the node was made (a neuron's; x + y's (1, 1))

    @property
    def op(self) -> str:
        """The name of the op that made this Value ("" for a leaf: an input or a parameter)."""
        return self._op.name if self._op is not None else ""

    @property
    def is_leaf(self) -> bool:
        """True for an input or parameter: a Value made by no op."""
        return not self.parents

    @property
    def is_constant(self) -> bool:
        """True for a constant: a leaf that needs no gradient (see ``autograd.constant``)."""
        return self.grad is None and not self.parents

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the data: () for a number."""
        return np.shape(self.data)

    @property
    def ndim(self) -> int:
        return np.ndim(self.data)

    @property
    def size(self) -> int:
        return int(np.size(self.data))

    def __repr__(self) -> str:
        label = f"label={self.label!r}, " if self.label else ""
        if self.grad.__class__ is Value:  # kept by create_graph: a node itself
            return f"Value({label}data={_short(self.data)}, grad=Value(data={_short(self.grad.data)}))"
        return f"Value({label}data={_short(self.data)}, grad={_short(self.grad)})"

    def item(self) -> float:
        """The data as a Python float (for a scalar Value)."""
        if self.data.__class__ is not float:
            raise ValueError(
                f"item() needs a scalar Value, this one holds {np.size(self.data)} samples; use .sum() or .mean() first"
            )
        return self.data

    # -- arithmetic ---------------------------------------------------------
    # x + y, x - y and x * y on two Values: see _on_two_values (the common case, kept short).
    def __radd__(self, other):
        return _binary(rules.ADD, other, self)

    def __rsub__(self, other):
        return _binary(rules.SUB, other, self)

    def __rmul__(self, other):
        return _binary(rules.MUL, other, self)

    def __truediv__(self, other):
        return _divide(self, other)

    def __rtruediv__(self, other):
        return _divide(other, self)

    def __mod__(self, other):
        return _divide(self, other, rules.MOD)

    def __rmod__(self, other):
        return _divide(other, self, rules.MOD)

    def __pow__(self, exponent):
        return _power(self, exponent)

    def __rpow__(self, base):
        return _power(base, self)

    def __neg__(self) -> Value:
        return _unary(rules.NEG, self)

    def __abs__(self) -> Value:
        return _unary(rules.ABS, self)

    def __matmul__(self, other):
        return _matmul(self, other)

    def __rmatmul__(self, other):
        return _matmul(other, self)

    # -- shapes: views and reductions of an array ---------------------------------
    @property
    def T(self) -> Value:
        """The transpose (axes reversed): a matrix's rows become its columns."""
        return self.transpose()

    def transpose(self, *axes) -> Value:
        """The axes reordered (reversed if none are given), as numpy.transpose."""
        axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        for a in axes:
            if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
                raise TypeError(f"transpose: axes must be ints, got {axes!r:.60}")
        order = tuple(int(a) % max(self.ndim, 1) for a in axes) if axes else tuple(range(self.ndim))[::-1]
        if sorted(order) != list(range(self.ndim)) or not all(-self.ndim <= a < self.ndim for a in axes):
            raise ValueError(f"transpose: axes {axes} do not reorder the {self.ndim} axes of shape {self.shape}")
        if self.ndim < 2 and not axes:
            return self
        return _make(rules.transpose_op(order), self.data.transpose(order), (self,))

    def reshape(self, *shape) -> Value:
        """The same numbers in another shape, as numpy.reshape (one dimension may be -1)."""
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        try:
            data = np.reshape(self.data, shape)
        except (ValueError, TypeError) as error:
            raise ValueError(f"reshape: cannot reshape shape {self.shape} into {shape}: {error}") from None
        return _make(rules.reshape_op(data.shape), _array_or_float(data), (self,))

    def sum(self, axis=None, keepdims: bool = False) -> Value:
        """The sum over ``axis`` (every entry if None): a batch or an array becomes a number."""
        axis = _axis(self, axis, "sum")
        op = rules.sum_op(axis, keepdims)
        return _make(op, op.forward(self.data), (self,))

    def sum_of_squares(self) -> Value:
        """The sum of the squares of every entry (x² for a number), one node; d/dx Σ x² = 2x entry by entry."""
        return _make(rules.SUM_SQ, _checked(rules.SUM_SQ, rules.SUM_SQ.forward(self.data), (self,)), (self,))

    def mean(self, axis=None, keepdims: bool = False) -> Value:
        """The mean over ``axis`` (every entry if None)."""
        axis = _axis(self, axis, "mean")
        op = rules.mean_op(axis, keepdims)
        return _make(op, op.forward(self.data), (self,))

    def max(self, axis=None, keepdims: bool = False) -> Value:
        """The largest entry over ``axis``; its gradient goes to that entry (the first, on a tie)."""
        axis = _axis(self, axis, "max")
        op = rules.max_op(axis, keepdims)
        return _make(op, op.forward(self.data), (self,))

    def __getitem__(self, index) -> Value:
        """Entries of an array, as NumPy indexes them: v[i], v[:, j], v[1:3], v[mask], v[[0, 2]]."""
        if self.data.__class__ is float:
            raise TypeError("a Value holding a number cannot be indexed; index a Value holding an array")
        try:
            data = self.data[index]
        except (IndexError, TypeError, ValueError) as error:
            raise type(error)(f"index {index!r:.60} does not fit shape {self.shape}: {error}") from None
        if np.size(data) == 0:
            raise ValueError(f"index {index!r:.60} selects nothing from shape {self.shape}")
        data = _array_or_float(data)
        return _make(rules.index_op(index), data if data.__class__ is float else data.copy(), (self,))

    def entries(self) -> list:
        """Every entry as a node of its own: [v[0], v[1], ...] for a vector, rows of v[j, i] for a matrix.

        What indexing each position gives, made at once: nn's scalar graphs read a layer's
        weights and biases this way, a few hundred at a time.
        """
        index_op = rules.index_op
        if self.ndim == 1:
            return [_make(index_op(j), number, (self,)) for j, number in enumerate(self.data.tolist())]
        if self.ndim == 2:
            return [
                [_make(index_op((j, i)), number, (self,)) for i, number in enumerate(row)]
                for j, row in enumerate(self.data.tolist())
            ]
        raise ValueError(f"entries: needs a Value holding a vector or a matrix, got shape {self.shape}")

    def _scatter(self, index, shape: tuple) -> Value:
        """Zeros of ``shape`` with this Value added at ``index``: the gradient of indexing, as a node."""
        op = rules.scatter_op(index, shape)
        return _make(op, op.forward(self.data), (self,))

    # -- comparisons: of data, not nodes (== stays identity) --------------------
    def __lt__(self, other):
        return _compare(self, other, "<")

    def __le__(self, other):
        return _compare(self, other, "<=")

    def __gt__(self, other):
        return _compare(self, other, ">")

    def __ge__(self, other):
        return _compare(self, other, ">=")

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    # -- functions ----------------------------------------------------------
    def exp(self) -> Value:
        """e^x; d/dx e^x = e^x. Raises OverflowError above x = 709.78."""
        _require(self.data <= _EXP_LIMIT, OverflowError, "exp", self.data, _OVERFLOW_HINT.format("exp", _EXP_LIMIT))
        return _unary(rules.EXP, self)

    def expm1(self) -> Value:
        """e^x - 1, accurate for small x; d/dx = e^x."""
        _require(self.data <= _EXP_LIMIT, OverflowError, "expm1", self.data, _OVERFLOW_HINT.format("expm1", _EXP_LIMIT))
        return _unary(rules.EXPM1, self)

    def log(self) -> Value:
        """Natural logarithm; d/dx log x = 1/x. Needs x > 0."""
        _require(self.data > 0.0, ValueError, "log", self.data, "log needs an input > 0")
        return _unary(rules.LOG, self)

    def log1p(self) -> Value:
        """log(1 + x), accurate for small x; d/dx = 1/(1 + x). Needs x > -1."""
        _require(self.data > -1.0, ValueError, "log1p", self.data, "log1p needs an input > -1")
        return _unary(rules.LOG1P, self)

    def log2(self) -> Value:
        """Base-2 logarithm; d/dx = 1/(x ln 2). Needs x > 0."""
        _require(self.data > 0.0, ValueError, "log2", self.data, "log2 needs an input > 0")
        return _unary(rules.LOG2, self)

    def log10(self) -> Value:
        """Base-10 logarithm; d/dx = 1/(x ln 10). Needs x > 0."""
        _require(self.data > 0.0, ValueError, "log10", self.data, "log10 needs an input > 0")
        return _unary(rules.LOG10, self)

    def sqrt(self) -> Value:
        """Square root; d/dx sqrt x = 1/(2 sqrt x). Needs x > 0 (the derivative is infinite at 0)."""
        _require(
            self.data > 0.0, ValueError, "sqrt", self.data, "sqrt needs an input > 0 (at 0 its derivative is infinite)"
        )
        return _unary(rules.SQRT, self)

    def sin(self) -> Value:
        """sin x; d/dx sin x = cos x."""
        return _unary(rules.SIN, self)

    def cos(self) -> Value:
        """cos x; d/dx cos x = -sin x."""
        return _unary(rules.COS, self)

    def tan(self) -> Value:
        """tan x; d/dx tan x = 1 + tan² x."""
        return _checked_unary(rules.TAN, self)

    def arcsin(self) -> Value:
        """Inverse sine; d/dx = 1/sqrt(1 - x²). Needs -1 < x < 1 (the derivative is infinite at ±1)."""
        _require(
            abs(self.data) < 1.0,
            ValueError,
            "arcsin",
            self.data,
            "arcsin needs -1 < x < 1 (at ±1 its derivative is infinite)",
        )
        return _unary(rules.ARCSIN, self)

    def arccos(self) -> Value:
        """Inverse cosine; d/dx = -1/sqrt(1 - x²). Needs -1 < x < 1 (the derivative is infinite at ±1)."""
        _require(
            abs(self.data) < 1.0,
            ValueError,
            "arccos",
            self.data,
            "arccos needs -1 < x < 1 (at ±1 its derivative is infinite)",
        )
        return _unary(rules.ARCCOS, self)

    def arctan(self) -> Value:
        """Inverse tangent; d/dx = 1/(1 + x²)."""
        return _unary(rules.ARCTAN, self)

    def sinh(self) -> Value:
        """Hyperbolic sine; d/dx = cosh x. Raises OverflowError for |x| above 710.47."""
        _require(
            abs(self.data) <= _HYPERBOLIC_LIMIT,
            OverflowError,
            "sinh",
            self.data,
            _OVERFLOW_HINT.format("sinh", _HYPERBOLIC_LIMIT),
        )
        return _unary(rules.SINH, self)

    def cosh(self) -> Value:
        """Hyperbolic cosine; d/dx = sinh x. Raises OverflowError for |x| above 710.47."""
        _require(
            abs(self.data) <= _HYPERBOLIC_LIMIT,
            OverflowError,
            "cosh",
            self.data,
            _OVERFLOW_HINT.format("cosh", _HYPERBOLIC_LIMIT),
        )
        return _unary(rules.COSH, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent; d/dx tanh x = 1 - tanh(x)² (= sech² x, computed that way)."""
        return _unary(rules.TANH, self)

    def sech2(self) -> Value:
        """sech² x = 1 - tanh² x, the derivative of tanh; d/dx = -2 sech² x tanh x."""
        return _unary(rules.SECH2, self)

    def sigmoid(self) -> Value:
        """Logistic function 1/(1 + e^-x); d/dx = s(1 - s) (= s(x) s(-x), computed that way). Finite for any input."""
        return _unary(rules.SIGMOID, self)

    def softplus(self) -> Value:
        """log(1 + e^x), a smooth ReLU; d/dx = sigmoid(x). Finite for any input."""
        return _unary(rules.SOFTPLUS, self)

    def relu(self) -> Value:
        """max(0, x); derivative 1 for x > 0, else 0."""
        return _unary(rules.RELU, self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, else slope * x; derivative 1 or slope."""
        slope = checks.number(slope, "leaky_relu: slope")
        return _checked_unary(rules.leaky_relu(slope), self)

    def step(self) -> Value:
        """The perceptron's unit step: 1 if x >= 0 else 0. Its derivative is 0 everywhere."""
        return _unary(rules.STEP, self)

    def local_derivatives(self) -> tuple:
        """d(self)/d(parent) for each parent, from the derivative table (empty for a leaf)."""
        if not self.parents:
            return ()
        return _locals(self, False)

    def detach(self) -> Value:
        """A new leaf with the same data and no history: gradients stop here."""
        leaf = _leaf(self.data)
        leaf.label = self.label
        return leaf

    # -- the backward pass --------------------------------------------------
    def backward(self, gradient=None, create_graph: bool = False, keep_interior: bool = True) -> None:
        """Fill in ``grad`` = d(self)/d(node) for every node of the graph that ends here.

        Interior nodes get fresh gradients on every call; leaves (inputs and
        parameters) add to what they already hold, as in PyTorch, so call
        ``zero_grad()`` (or set ``grad = 0``) between optimisation steps.

        A batched output needs ``gradient=``: the gradient of the final result with
        respect to this output, of the same shape (``numpy.ones(n)`` differentiates the
        sum); or reduce it first with ``.sum()`` or ``.mean()``.

        With ``create_graph=True`` the backward pass is recorded: every ``grad`` is a
        Value that can be differentiated again. A leaf's ``grad`` then holds the new
        Value; to take a second derivative, keep it, reset the leaves and call
        ``backward()`` on it (``autograd.grad`` does this for you).

        With ``keep_interior=False`` each interior node's ``grad`` is released (set to
        None) as soon as it has been passed on, as PyTorch does: only the leaves keep
        theirs. A training loop on large arrays allocates about half as much this way
        (``nn.fit`` does it); keep the default to read or draw the interior gradients.
        """
        if not isinstance(create_graph, bool):
            raise TypeError(f"backward: create_graph must be True or False, got {create_graph!r:.40}")
        if not isinstance(keep_interior, bool):
            raise TypeError(f"backward: keep_interior must be True or False, got {keep_interior!r:.40}")
        backpropagate(self, _seed(self, gradient), create_graph, keep_interior=keep_interior)


# -- the backward pass ----------------------------------------------------------------------------
def backpropagate(
    root: Value, seed=1.0, create_graph: bool = False, observe: Callable | None = None, keep_interior: bool = True
) -> None:
    """The backward pass: every node passes its gradient to its parents, output first.

    A node is ready once every node that consumes it has passed its gradient on
    (its gradient is then complete): the nodes are visited in reverse topological
    order, found by counting consumers instead of sorting the graph, and ready
    nodes are taken first come, first served, so the pass sweeps back layer by
    layer through a network. ``observe``, if given, is called after every
    application of the chain rule with ``(node, parent, local, contribution)``;
    the stepper and ``trace`` watch the pass this way instead of repeating it.
    Without ``keep_interior`` a node's gradient is dropped once passed on.
    """
    _count_consumers(root)
    root.grad = root.grad + seed
    ready = deque([root] if root.parents else ())
    next_ready, now_ready = ready.popleft, ready.append
    try:
        while ready:
            node = next_ready()
            upstream = node.grad
            parents = node.parents
            n = len(parents)
            # The op's local derivatives, as _locals gives them, spelled out for one and two inputs
            # (most nodes): this loop runs once per node of every graph.
            if create_graph:  # as Values, so that the pass itself is recorded
                found = node._op.local(node, *parents)
            elif node._local is not None:  # known when the node was made
                found = node._local
            elif n == 2:
                found = node._op.local(node.data, parents[0].data, parents[1].data)
            elif n == 1:
                found = node._op.local(node.data, parents[0].data)
            else:
                found = node._op.local(node.data, *[p.data for p in parents])
            k = 0  # parents[k] goes with found[k] (counted by hand: cheaper per edge than zip)
            for parent in parents:
                local = found[k]
                k += 1
                so_far = parent.grad
                if so_far is None:
                    continue  # a constant: it needs no gradient
                contribution = upstream * local  # the chain rule: upstream gradient x local derivative
                if contribution.__class__ is not float:
                    contribution = _fit(contribution, parent)
                parent.grad = so_far + contribution  # one term per path: the sum over paths
                if observe is not None:
                    observe(node, parent, local, contribution)
                if parent._pending:  # an interior parent: ready when its last consumer is done
                    parent._pending -= 1
                    if not parent._pending:
                        now_ready(parent)
            if not keep_interior:
                node.grad = None  # passed on, and not kept: its memory is free for the next array
    except BaseException:
        _abandon(root)
        raise


def _abandon(root: Value) -> None:
    """After a failed pass: no node waits for consumers, and no gradient is left half-made."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        node._pending = 0
        if node.parents and (node.grad is _ZERO or node.grad is None):
            node.grad = 0.0
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)


def _locals(node: Value, on_values: bool) -> tuple:
    """The op's local derivatives for ``node``: from numbers, or from the Values themselves (create_graph)."""
    parents = node.parents
    found = node._op.local(node, *parents) if on_values else node._op.local(node.data, *[p.data for p in parents])
    if found.__class__ is not tuple or len(found) != len(parents):
        raise _bad_locals(node.op, len(parents), found)
    return found


def _bad_locals(name: str, n: int, found) -> TypeError | ValueError:
    if found.__class__ is not tuple:
        return TypeError(
            f"op {name!r}: local must return a tuple of {n} derivative(s), one per input, "
            f"got {type(found).__name__} {found!r:.60}; write (d,) for an op with one input"
        )
    return ValueError(f"op {name!r}: local returned {len(found)} derivative(s) for {n} input(s); give one per input")


def _fit(contribution, parent: Value):
    """A contribution in the parent's shape: a parent that broadcasting stretched receives every entry's share."""
    target = parent.data
    found = contribution.data if contribution.__class__ is Value else contribution
    if found.__class__ is np.ndarray and target.__class__ is np.ndarray and found.shape == target.shape:
        return contribution
    if np.shape(found) == np.shape(target):
        return contribution
    return rules.unbroadcast(contribution, np.shape(target))


def _seed(root: Value, gradient):
    """d(result)/d(root) to start the backward pass from: 1 for a number, ``gradient`` for a batch."""
    if not isinstance(root, Value):
        raise TypeError(f"backward needs a Value, got {type(root).__name__}")
    if root.grad is None and not root.parents:
        raise ValueError(
            f"backward: {_short(root.data)} is a constant (it needs no gradient); "
            "make it a Value to differentiate with respect to it"
        )
    if gradient is None:
        if root.data.__class__ is not float:
            raise ValueError(
                f"backward() on a Value holding {np.size(root.data)} numbers needs gradient= (an array of shape "
                f"{np.shape(root.data)}: numpy.ones({np.shape(root.data)}) differentiates their sum), "
                "or reduce it first with .sum() or .mean()"
            )
        return 1.0
    if isinstance(gradient, Value):
        seed, shown = gradient, gradient.data
    else:
        seed = shown = _coerce_data(gradient, "gradient")
    if np.shape(shown) != np.shape(root.data):
        raise ValueError(
            f"backward: gradient has shape {np.shape(shown)}, the output {np.shape(root.data)}; they must be equal"
        )
    if not _finite(shown):
        raise ValueError("backward: gradient must hold finite numbers")
    return seed


class _Zero:
    """An interior array node's gradient before its first contribution: adding to it gives the
    contribution itself, so the first path into a node costs no copy of a large array."""

    __slots__ = ()
    __array_ufunc__ = None  # let `array + zero` reach __radd__

    def __add__(self, other):
        return other

    __radd__ = __add__

    def __repr__(self) -> str:
        return "0"


_ZERO = _Zero()


def _count_consumers(root: Value) -> None:
    """Zero the gradient of every interior node below ``root`` and count its consumers (edges).

    Leaves are not counted: they never pass a gradient on, and keep what they hold.
    """
    if root.parents:
        root.grad = 0.0 if root.data.__class__ is float else _ZERO
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if parent.parents:
                if parent._pending:
                    parent._pending += 1
                else:
                    parent._pending = 1
                    parent.grad = 0.0 if parent.data.__class__ is float else _ZERO
                    stack.append(parent)


def topological_order(root: Value) -> list[Value]:
    """Every node that ``root`` depends on, each after all of its parents, ending with ``root``.

    Parents are visited left to right, so the order is the one a person computing the
    expression by hand would follow. Iterative depth-first search: no recursion limit.
    """
    if not isinstance(root, Value):
        raise TypeError(f"topological_order needs a Value, got {type(root).__name__}")
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list = [root]
    while stack:
        node = stack.pop()
        if node.__class__ is tuple:  # (node,) is pushed below its parents: they are all done, emit it
            order.append(node[0])
        elif node not in visited:
            visited.add(node)
            stack.append((node,))
            for parent in reversed(node.parents):
                if parent not in visited:
                    stack.append(parent)
    return order


def gradients(root: Value, inputs: Sequence[Value], seed=None, create_graph: bool = False) -> list:
    """d(root)/d(input) for each input, as after ``zero_grad()``, without changing any ``grad``.

    The functional form of ``backward()`` (like ``torch.autograd.grad``): it runs the
    same backward pass from zero gradients, reads the inputs' gradients and puts back
    every gradient the graph held before. ``seed`` is ``backward``'s ``gradient``;
    with ``create_graph=True`` the results are Values that can be differentiated again.
    An input the output does not depend on gets 0 (zeros of its shape for an array).
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
    start = _seed(root, seed)
    nodes = topological_order(root)
    saved = [node.grad for node in nodes]
    inside = set(nodes)
    try:
        for node in nodes:
            node.grad = 0.0
        backpropagate(root, start, create_graph)
        return [x.grad if x in inside else _zeros_like(x.data) for x in inputs]
    finally:
        for node, grad in zip(nodes, saved):
            node.grad = grad


def _zeros_like(data):
    return 0.0 if data.__class__ is float else np.zeros_like(data)


def tangents(root: Value, seeds: dict[Value, object], on_values: bool = False) -> dict[Value, object]:
    """Forward mode: d(node)/dt for every node of ``root``'s graph, given the leaves' tangents.

    Each node's tangent is the sum over its inputs of ``local * tangent``: the same
    local derivatives as the backward pass, read in the other direction (the dual
    numbers of forward-mode differentiation). Nodes that no seeded input reaches are
    left out. With ``on_values`` the local derivatives are Values (for nesting).
    """
    found: dict[Value, object] = dict(seeds)
    for node in topological_order(root):
        if node in found or not any(parent in found for parent in node.parents):
            continue  # a leaf, or a node no tangent reaches: its tangent is 0, nothing to evaluate
        total = None
        for parent, local in zip(node.parents, _locals(node, on_values)):
            if parent in found:
                term = local * found[parent]  # forward mode: local derivative x the input's tangent
                total = term if total is None else total + term
        if total is not None:
            found[node] = total
    return found


# -- building nodes ---------------------------------------------------------------------------------
def _leaf(data, grad=0.0) -> Value:
    out = _new(Value)
    out.data = data
    out.grad = grad
    out.label = ""
    out.parents = ()
    out._op = None
    out._pending = 0
    out._local = None
    return out


def _make(op: Op, data, parents: tuple) -> Value:
    """The node for an op's result; it remembers its parents unless recording is paused."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._pending = 0
    out._local = None
    if _paused == 0 or _recording.get():
        out.parents = parents
        out._op = op
    else:
        out.parents = ()
        out._op = None
    return out


def _unary(op: Op, x: Value) -> Value:
    """An op whose result is finite whenever its input is (no overflow check needed)."""
    return _make(op, op.forward(x.data), (x,))


def _checked_unary(op: Op, x: Value) -> Value:
    return _make(op, _checked(op, op.forward(x.data), (x,)), (x,))


def _checked(op: Op, data, inputs: tuple):
    """``data`` if finite: a Value's data is finite, so a result too large for a float is an error."""
    if data.__class__ is float:
        if data - data == 0.0:  # false for inf and nan, without a function call
            return data
    elif _finite(data):
        return data
    shown = ", ".join(_short(v.data) for v in inputs[:3])
    raise OverflowError(f"{op.name}: the result is too large for a float (inputs {shown}); scale the inputs down")


def _as_value(x) -> Value | None:
    """A Value for an operand: Values as they are, numbers and arrays as constant leaves."""
    if x.__class__ is Value:
        return x
    if isinstance(x, Value):
        return x
    if x.__class__ is float:
        if not _isfinite(x):
            raise ValueError(f"operand must be finite, got {x!r}")
        return _leaf(x, None)
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, (int, float, np.integer, np.floating, np.ndarray)):
        try:
            return constant(x)
        except (TypeError, ValueError) as error:
            raise type(error)(str(error).replace("Value data", "operand")) from None
    return None


def constant(data, label: str = "") -> Value:
    """A number or array that takes part in a graph but needs no gradient: its ``grad`` stays None.

    Numbers and arrays mixed with Values become constants by themselves (the 2 in
    ``2 * x``, the data a network reads); the backward pass skips them, as PyTorch skips
    tensors that do not require a gradient. Make a ``Value`` to get a gradient.
    """
    value = Value(data, label)
    value.grad = None
    return value


def value_of(x, argument: str) -> Value:
    """``x`` as a Value (numbers and arrays become constants); errors name ``argument``."""
    if isinstance(x, Value):
        return x
    try:
        return constant(x)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{argument}: {error}") from None


def _on_two_values(op: Op, same_locals: bool = False) -> Callable:
    """The method ``x <op> y`` for Values: the same node as _binary makes, by a short road when both
    hold numbers, the result is finite and the graph is being recorded. This runs for most nodes of
    a scalar graph, so it makes the node itself instead of calling _make. ``same_locals``: the op's
    local derivatives are the same numbers for every input (1 and ±1 for + and −), so every node
    shares one tuple of them, read from the table once, and backward() needs no call to get them."""
    forward = op.forward
    shared = op.local(0.0, 0.0, 0.0) if same_locals else None

    def method(self, other):
        if other.__class__ is Value:
            x, y = self.data, other.data
            if x.__class__ is float and y.__class__ is float and _paused == 0:
                data = forward(x, y)
                if data - data == 0.0:  # finite: false for inf and nan
                    out = _new(Value)
                    out.data = data
                    out.grad = 0.0
                    out.label = ""
                    out.parents = (self, other)
                    out._op = op
                    out._pending = 0
                    out._local = shared
                    return out
        return _binary(op, self, other)  # arrays, numbers, no_grad, overflow: the general road

    method.__name__ = method.__qualname__ = {"+": "__add__", "-": "__sub__", "*": "__mul__"}[op.name]
    return method


Value.__add__ = _on_two_values(rules.ADD, same_locals=True)
Value.__sub__ = _on_two_values(rules.SUB, same_locals=True)
Value.__mul__ = _on_two_values(rules.MUL)


def _binary(op: Op, x, y):
    x, y = _as_value(x), _as_value(y)
    if x is None or y is None:
        return NotImplemented
    if x.data.__class__ is float:
        return _make(op, _checked(op, op.forward(x.data, y.data), (x, y)), (x, y))
    _check_broadcast(op.name, x.data, y.data)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # _checked names an overflow clearly
        out = op.forward(x.data, y.data)
    return _make(op, _checked(op, out, (x, y)), (x, y))


def _check_broadcast(name: str, x, y) -> None:
    """Two arrays meet as NumPy broadcasts them; shapes that do not fit are an error naming both."""
    if x.__class__ is not float and y.__class__ is not float and x.shape != y.shape:
        try:
            np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            raise ValueError(
                f"{name}: shapes {x.shape} and {y.shape} do not broadcast (each axis must match or be 1, "
                "counting from the last); reshape one of them"
            ) from None


def _matmul(x, y):
    x, y = _as_value(x), _as_value(y)
    if x is None or y is None:
        return NotImplemented
    a, b = x.shape, y.shape
    if not a or not b:
        raise ValueError(f"@: both sides must be arrays, got shapes {a} and {b}; use * to multiply by a number")
    inner_x, inner_y = a[-1], (b[0] if len(b) == 1 else b[-2])
    if inner_x != inner_y:
        raise ValueError(
            f"@: shapes {a} and {b} do not fit: the inner sizes {inner_x} and {inner_y} must be equal "
            "(columns of the left = rows of the right)"
        )
    try:
        data = x.data @ y.data
    except ValueError as error:
        raise ValueError(f"@: shapes {a} and {b} do not fit: {error}") from None
    return _make(rules.MATMUL, _checked(rules.MATMUL, _array_or_float(data), (x, y)), (x, y))


def _broadcast_shape(who: str, values: Sequence[Value]) -> tuple[int, ...]:
    """The shape the Values broadcast to; an error listing them if they do not."""
    shapes = [np.shape(v.data) for v in values]
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"{who}: shapes {', '.join(map(str, shapes))} do not broadcast together") from None


def _array_or_float(data):
    """A result as a Value holds it: a float for a single number, else an array."""
    return float(data) if np.ndim(data) == 0 else data


def _axis(x: Value, axis, who: str):
    """``axis`` checked against x's dimensions: None, an int or a tuple of ints, as NumPy takes them."""
    if axis is None:
        return None
    axes = axis if isinstance(axis, tuple) else (axis,)
    for a in axes:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"{who}: axis must be an int, a tuple of ints or None, got {axis!r:.40}")
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f"{who}: axis {a} is out of range for shape {x.shape}")
    return tuple(int(a) for a in axes) if isinstance(axis, tuple) else int(axis)


def _compare(x: Value, y, symbol: str):
    other = y.data if isinstance(y, Value) else y
    if isinstance(other, (bool, np.bool_)) or not isinstance(other, (int, float, np.integer, np.floating, np.ndarray)):
        return NotImplemented
    a, b = x.data, other
    result = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[symbol]
    return bool(result) if np.ndim(result) == 0 else result


def _divide(x, y, op: Op = rules.DIV):
    """x / y, or x % y (the remainder, with the divisor's sign as in Python): the divisor must not be 0."""
    x, y = _as_value(x), _as_value(y)
    if x is None or y is None:
        return NotImplemented
    if not _all(y.data != 0.0):
        raise ZeroDivisionError(
            f"{op.name}: division by zero (the divisor is {_short(y.data)}); keep the divisor away from 0, e.g. add a small epsilon"
        )
    _check_broadcast(op.name, x.data, y.data)
    return _make(op, _checked(op, op.forward(x.data, y.data), (x, y)), (x, y))


def _power(base, exponent):
    if isinstance(exponent, (Value, np.ndarray)):
        base, exponent = _as_value(base), _as_value(exponent)
        if base is None or exponent is None:
            return NotImplemented
        x, y = base.data, exponent.data
        _check_broadcast("**", x, y)
        _require(
            x >= 0.0,
            ValueError,
            "**",
            x,
            "a Value exponent needs a base >= 0 (d/dy x^y = x^y log x); for a fixed exponent pass a plain number",
        )
        _require(
            (x > 0.0) | (y >= 1.0),
            ValueError,
            "**",
            x,
            "at base 0 the exponent must be >= 1, or the derivative is infinite",
        )
        op = rules.POW
    else:
        base = _as_value(base)
        if base is None or _as_value(exponent) is None:
            return NotImplemented
        x, y = base.data, float(exponent)
        if y != int(y):
            _require(x >= 0.0, ValueError, "**", x, f"a negative number to the non-integer power {y:g} is not real")
        if y < 0.0:
            _require(
                x != 0.0, ValueError, "**", x, f"0 to the negative power {y:g} is undefined; keep the base away from 0"
            )
        elif 0.0 < y < 1.0:
            _require(
                x != 0.0, ValueError, "**", x, f"x ** {y:g} has an infinite derivative at 0; keep the base away from 0"
            )
        op = rules.power(y)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            out = op.forward(x, y) if op is rules.POW else op.forward(x)
            slope = rules._pow_slope(out, x, y)  # the derivative must be a float too, or backward() has no answer
    except OverflowError:
        out = slope = math.inf
    if not (_finite(out) and _finite(slope)):
        raise OverflowError(
            f"**: x ** n with x = {_short(x)}, n = {_short(y)}: the power or its derivative n·x^(n - 1) is too large "
            "for a float; use a base or an exponent closer to 1"
        )
    return _make(op, out, (base, exponent) if op is rules.POW else (base,))


def record(op: Op, *inputs: Value) -> Value:
    """The node for an op of the table applied to Values, unchecked: for callers that checked the inputs
    (nn's softmax and cross-entropy), and for ops whose result is finite whenever the inputs are."""
    return _make(op, op.forward(*[x.data for x in inputs]), inputs)


def apply_op(op: Op, inputs: tuple) -> Value:
    """Apply any op (a custom one included) to Values or numbers, checking what comes back."""
    if not isinstance(op, Op):
        raise TypeError(f"apply_op needs an autograd.Op, got {type(op).__name__}")
    if not inputs:
        raise TypeError(f"op {op.name!r} needs at least one input")
    values = [value_of(x, f"op {op.name!r}: input {i}") for i, x in enumerate(inputs)]
    expected = _broadcast_shape(f"op {op.name!r}", values)
    try:
        data = _coerce_data(op.forward(*[v.data for v in values]), f"of op {op.name!r}: forward result")
    except (TypeError, ValueError) as error:
        raise type(error)(f"op {op.name!r}: {error}") from None
    if np.shape(data) != expected:
        raise ValueError(f"op {op.name!r}: forward returned shape {np.shape(data)}, the inputs have {expected}")
    return _make(_checking_twin(op), _checked(op, data, tuple(values)), tuple(values))


def _checking_twin(op: Op) -> Op:
    """``op`` with a local that checks its answer (a tuple, one derivative per input) before the backward
    pass uses it: made once per op. The ops of the table are trusted and skip this."""
    if op.checked is None:
        local = op.local

        def checked_local(out, *inputs):
            found = local(out, *inputs)
            if found.__class__ is not tuple or len(found) != len(inputs):
                raise _bad_locals(op.name, len(inputs), found)
            return found

        op.checked = Op.internal(op.name, op.forward, checked_local, op.text, op.rule)
    return op.checked


# -- helpers for errors -------------------------------------------------------
_OVERFLOW_HINT = (
    "{0} overflows a float above {1:.2f}; scale the input down or use a stable form such as softplus or sigmoid"
)


def _all(ok) -> bool:
    return ok if ok.__class__ is bool else bool(np.all(ok))


def _require(ok, error: type, name: str, x, what_to_do: str) -> None:
    """Raise ``error`` naming the op and the offending value unless ``ok`` holds everywhere."""
    if _all(ok):
        return
    if x.__class__ is float and np.ndim(ok) == 0:
        raise error(f"{name}: got {x!r}; {what_to_do}")
    ok = np.asarray(ok, dtype=bool)
    shape = np.broadcast_shapes(ok.shape, np.shape(x))
    bad = np.broadcast_to(np.asarray(x), shape)[~np.broadcast_to(ok, shape)]
    raise error(
        f"{name}: got {bad.size} bad entr{'y' if bad.size == 1 else 'ies'}, the first {bad.flat[0]!r}; {what_to_do}"
    )


def _short(x) -> str:
    if x.__class__ is float:
        return repr(x)
    return np.array2string(np.asarray(x), precision=4, threshold=6)


# -- functions of several Values -------------------------------------------------
def maximum(x, y) -> Value:
    """max(x, y); d/dx = 1 if x >= y else 0 (ties go to x), d/dy the rest."""
    result = _binary(rules.MAX, x, y)
    if result is NotImplemented:
        raise TypeError(f"maximum needs Values or numbers, got {type(x).__name__} and {type(y).__name__}")
    return result


def minimum(x, y) -> Value:
    """min(x, y); d/dx = 1 if x <= y else 0 (ties go to x), d/dy the rest."""
    result = _binary(rules.MIN, x, y)
    if result is NotImplemented:
        raise TypeError(f"minimum needs Values or numbers, got {type(x).__name__} and {type(y).__name__}")
    return result


def sum(values: Iterable) -> Value:
    """x1 + x2 + ... + xn as one node with n parents (each local derivative is 1).

    One n-ary node instead of a chain of n - 1 additions keeps graphs small. The sum
    of no values is Value(0.0).
    """
    if isinstance(values, (Value, str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"sum needs an iterable of Values or numbers, got {type(values).__name__}")
    inputs = [value_of(v, f"sum: item {i}") for i, v in enumerate(values)]
    if not inputs:
        return Value(0.0)
    _broadcast_shape("sum", inputs)
    return _make(
        rules.SUM, _checked(rules.SUM, rules.SUM.forward(*[v.data for v in inputs]), tuple(inputs)), tuple(inputs)
    )


def affine(x, W, b) -> Value:
    """x Wᵀ + b as one node: a layer's pre-activation for a batch of rows x (or one row).

    W has one row per output (shape (outputs, inputs), as PyTorch's Linear); the
    lectures write the same z = W a + b for one column a. Its vector-Jacobian products
    are g W for x, gᵀ x for W and the column sums of g for b.
    """
    x, W, b = (value_of(v, f"affine: {name}") for v, name in ((x, "x"), (W, "W"), (b, "b")))
    if W.ndim != 2 or x.ndim not in (1, 2) or x.shape[-1] != W.shape[1] or b.shape not in ((), (W.shape[0],)):
        raise ValueError(
            f"affine: x {x.shape}, W {W.shape} and b {b.shape} do not fit; W is (outputs, inputs), "
            "x is (inputs,) or (rows, inputs), b is (outputs,)"
        )
    return _make(
        rules.AFFINE, _checked(rules.AFFINE, rules.AFFINE.forward(x.data, W.data, b.data), (x, W, b)), (x, W, b)
    )


def neuron(w: Sequence, x: Sequence, b) -> Value:
    """w1·x1 + ... + wn·xn + b as one node (the lectures' z): its local derivatives are x_i, w_i and 1.

    The same number as ``sum([wi * xi for ...] + [b])``, with one node instead of n + 1.
    """
    if isinstance(w, (list, tuple)) and isinstance(x, (list, tuple)) and len(w) == len(x) and w:
        inputs = (*w, *x, b)
        for v in inputs:
            if v.__class__ is not Value or v.data.__class__ is not float:
                inputs = _neuron_inputs(w, x, b)  # convert numbers, or say what is wrong
                break
    else:
        inputs = _neuron_inputs(w, x, b)
    data, n = [v.data for v in inputs], len(w)
    return neuron_node(inputs, (data[:n], data[n : 2 * n], data[-1]))


def neuron_node(inputs: tuple[Value, ...], numbers: tuple[list, list, float]) -> Value:
    """The node w·x + b for inputs (w1, ..., wn, x1, ..., xn, b) already known to be Values holding
    numbers: nn builds its scalar graphs this way, without checking every input of every neuron.
    ``numbers`` are the inputs' data as (w, x, b), which the caller already holds: the node's value
    and its local derivatives (x, w and 1) are made from them at once."""
    w, x, b = numbers
    out = _make(rules.NEURON, _checked(rules.NEURON, rules.weighted_sum(w, x, b), inputs), inputs)
    if out.parents:
        out._local = (*x, *w, 1.0)  # d/dw_i = x_i, d/dx_i = w_i, d/db = 1: what rules.NEURON's local gives
    return out


def _neuron_inputs(w, x, b) -> tuple[Value, ...]:
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
    return inputs


def stack(values: Sequence, axis: int = 0) -> Value:
    """Values of one shape stacked along a new axis (numpy.stack): n vectors become an n-row matrix."""
    return _join(values, axis, False)


def concatenate(values: Sequence, axis: int = 0) -> Value:
    """Arrays joined along an existing axis (numpy.concatenate)."""
    return _join(values, axis, True)


def _join(values, axis, concatenate: bool) -> Value:
    who = "concatenate" if concatenate else "stack"
    if isinstance(values, (Value, str, bytes, np.ndarray)) or not isinstance(values, (list, tuple)) or not values:
        raise TypeError(f"{who} needs a non-empty list of Values or arrays, got {type(values).__name__}")
    inputs = [value_of(v, f"{who}: item {i}") for i, v in enumerate(values)]
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{who}: axis must be an int, got {axis!r:.40}")
    shapes = [v.shape for v in inputs]
    try:
        data = (
            np.concatenate([v.data for v in inputs], axis=axis)
            if concatenate
            else np.stack([v.data for v in inputs], axis=axis)
        )
    except (ValueError, np.exceptions.AxisError) as error:
        raise ValueError(
            f"{who}: cannot join shapes {', '.join(map(str, shapes))} along axis {axis}: {error}"
        ) from None
    ndim = len(shapes[0]) + (0 if concatenate else 1)
    return _make(rules.stack_op(int(axis) % ndim, shapes, concatenate), data, tuple(inputs))


def _function(method: str, doc: str) -> Callable:
    """``autograd.<method>(x)``: a Value for a Value, a number for a number, an array for an array."""

    def function(x, *args):
        if isinstance(x, Value):
            return getattr(x, method)(*args)
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating, np.ndarray)):
            raise TypeError(f"{method} needs a Value, a number or an array, got {type(x).__name__} {x!r:.60}")
        with no_grad():
            return getattr(value_of(x, f"{method}: x"), method)(*args).data

    function.__name__ = function.__qualname__ = method
    function.__doc__ = doc
    return function


_FUNCTIONS = (
    "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos", "tan", "arcsin", "arccos", "arctan",
    "sinh", "cosh", "tanh", "sigmoid", "softplus", "relu", "leaky_relu", "step",
)  # fmt: skip
functions = {name: _function(name, getattr(Value, name).__doc__) for name in _FUNCTIONS}


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block ops record no parents: results are leaves and nothing can flow back.

    The setting belongs to the thread (or async task) that opens the block, and a block
    restores what held before it, so blocks nest.
    """
    global _paused
    with _paused_lock:
        _paused += 1
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)
        with _paused_lock:
            _paused -= 1


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record again inside a ``no_grad()`` block (for this thread or task)."""
    token = _recording.set(True)
    try:
        yield
    finally:
        _recording.reset(token)


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``."""
    return _recording.get()
