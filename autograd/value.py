"""Value: a number (or an array of numbers) in a computation graph, with its gradient.

A Value remembers the op that made it and the Values it was made from, its ``parents``.
Every op is a row of a table: ``rules.py`` for numbers entry by entry, ``arrays.py`` for
matrix products and sums over an axis, ``fused.py`` for a neuron or softmax as one node.
Each method of the class is one line over a row, and ``apply``, after the class, is the
one road by which a node is made. ``backward()`` (``chain.py``) then walks the graph from
the output back to the inputs and applies the chain rule on every edge.
"""

from __future__ import annotations

import numpy as np

from . import arrays, chain, checks, fused, recording, rules
from .op import Bound, Op, checked


def binary(row: Op, reflected: bool = False):
    """The method ``x <op> y`` for a row of two inputs: ``apply(row, x, y)`` (``y <op> x`` if reflected).

    x + y, x − y and x · y on two Values holding numbers are most nodes of a scalar graph, so
    they take a short road to the same node: no operand to convert, no domain to check, only
    the result's finiteness. It builds graphs.py's graphs 1.4x faster (benchmarks/README.md).
    A row whose local derivatives are constants (1 and ±1) gives every node the same tuple of
    them, read once here: backward() then makes no call for them (6% of a pass on the DAG).
    """
    forward, short = row.forward, row.plain
    shared = row.local(0.0, 0.0, 0.0) if row.constant else None

    def method(x, y):
        if y.__class__ is float:
            y = as_value(y)  # a number: a constant (the 2 in x * 2)
        if y.__class__ is Value and short:
            a, b = x.data, y.data
            if a.__class__ is float and b.__class__ is float and not recording._paused:
                data = forward(a, b)
                if data - data == 0.0:  # finite: false for inf and nan
                    return node(row, data, (x, y), shared)
        return apply(row, x, y)

    text = row.text.format("x", "y")
    method.__doc__ = f"{text}; local derivatives {', '.join(r.format('x', 'y', out=f'({text})') for r in row.rule)}"
    if not reflected:
        return method

    def reflected_method(self, other):  # other is not a Value (or Python would have called other's method)
        return method(as_value(other), self) if other.__class__ is float else apply(row, other, self)

    reflected_method.__doc__ = method.__doc__
    return reflected_method


def unary(row: Op):
    """The method ``x.f()`` for a row of one input: ``apply(row, x)``, by the short road when x holds a
    number and the row has no domain to check (a scalar network's activations)."""
    forward, short, bounded = row.forward, row.plain, row.bounded

    def method(self):
        if short and self.data.__class__ is float and recording._paused == 0:
            data = forward(self.data)
            if bounded or data - data == 0.0:
                return node(row, data, (self,))
        return apply(row, self)

    method.__doc__ = f"{row.text.format('x')}; d/dx = {row.rule[0].format('x', out=row.text.format('x'))}"
    return method


class Value:
    """A number (or a batch of numbers) in a computation graph, with its gradient.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad        # dy/dx = 2x + 3
    7.0

    ``==`` compares identity (a Value is a node, and nodes are kept in sets and dicts);
    ``<``, ``<=``, ``>``, ``>=`` compare data, so ``if x > 0:`` works.
    """

    __slots__ = ("data", "grad", "label", "parents", "_op", "_pending", "_local")
    __array_ufunc__ = None  # numpy hands `numpy.float64(2.0) * value` to Value.__rmul__
    __array_priority__ = 1000

    def __init__(self, data: float | np.ndarray, label: str = "") -> None:
        data = checks.data(data)
        if not checks.finite(data):
            raise ValueError(f"Value data must be finite, got {checks.short(data)}")
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__} {label!r:.60}")
        self.data = data
        self.grad = 0.0  # d(output)/d(self), filled in by backward(); None for a constant
        self.label = label
        self.parents: tuple[Value, ...] = ()
        self._op = None  # the row that made this Value (None for a leaf)
        self._pending = 0  # during backward(): consumers that have not yet passed their gradient on
        self._local = None  # local derivatives known when the node was made (x + y's (1, 1), a neuron's)

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
        return np.shape(self.data)

    @property
    def ndim(self) -> int:
        return np.ndim(self.data)

    @property
    def size(self) -> int:
        return int(np.size(self.data))

    def __repr__(self) -> str:
        label = f"label={self.label!r}, " if self.label else ""
        grad = self.grad
        shown = f"Value(data={checks.short(grad.data)})" if grad.__class__ is Value else checks.short(grad)
        return f"Value({label}data={checks.short(self.data)}, grad={shown})"

    def item(self) -> float:
        """The data as a Python float (for a Value holding one number)."""
        if self.data.__class__ is not float:
            raise ValueError(f"item() needs a scalar Value, this one holds {self.size} numbers; use .sum() or .mean()")
        return self.data

    # -- arithmetic: rows of rules.py --------------------------------------------------------------------
    __add__, __radd__ = binary(rules.ADD), binary(rules.ADD, reflected=True)
    __sub__, __rsub__ = binary(rules.SUB), binary(rules.SUB, reflected=True)
    __mul__, __rmul__ = binary(rules.MUL), binary(rules.MUL, reflected=True)
    __truediv__, __rtruediv__ = binary(rules.DIV), binary(rules.DIV, reflected=True)
    __mod__, __rmod__ = binary(rules.MOD), binary(rules.MOD, reflected=True)
    __matmul__, __rmatmul__ = binary(arrays.MATMUL), binary(arrays.MATMUL, reflected=True)
    __neg__, __abs__ = unary(rules.NEG), unary(rules.ABS)

    def __pow__(self, exponent):
        return power(self, exponent)

    def __rpow__(self, base):
        return power(base, self)

    # -- comparisons: of data, not nodes (== stays identity) ------------------------------------------------------
    def __lt__(self, other):
        return _compare(self, other, np.less)

    def __le__(self, other):
        return _compare(self, other, np.less_equal)

    def __gt__(self, other):
        return _compare(self, other, np.greater)

    def __ge__(self, other):
        return _compare(self, other, np.greater_equal)

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    # -- functions: rows of rules.py, each with its derivative and its domain ------------------------------
    exp, expm1, log, log1p, log2, log10, sqrt = map(
        unary, (rules.EXP, rules.EXPM1, rules.LOG, rules.LOG1P, rules.LOG2, rules.LOG10, rules.SQRT)
    )
    sin, cos, tan, arcsin, arccos, arctan = map(
        unary, (rules.SIN, rules.COS, rules.TAN, rules.ARCSIN, rules.ARCCOS, rules.ARCTAN)
    )
    sinh, cosh, tanh, sech2 = map(unary, (rules.SINH, rules.COSH, rules.TANH, rules.SECH2))
    sigmoid, softplus, relu, step = map(unary, (rules.SIGMOID, rules.SOFTPLUS, rules.RELU, rules.STEP))

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x if x > 0 else slope · x; d/dx = 1 or slope."""
        return apply(rules.leaky_relu(checks.number(slope, "leaky_relu: slope")), self)

    # -- arrays: rows of arrays.py, each with its parameter checked ----------------------------------------------
    @property
    def T(self) -> Value:
        """The transpose (axes reversed): a matrix's rows become its columns."""
        return self.transpose()

    def transpose(self, *axes) -> Value:
        """The axes reordered (reversed if none are given), as numpy.transpose."""
        return (
            self
            if self.ndim < 2 and not axes
            else apply(arrays.TRANSPOSE, self, arg=arrays.axes_of_transpose(self, axes))
        )

    def reshape(self, *shape) -> Value:
        """The same numbers in another shape, as numpy.reshape (one dimension may be -1)."""
        return apply(arrays.RESHAPE, self, arg=arrays.reshaped(self, shape))

    def sum(self, axis=None, keepdims: bool = False) -> Value:
        """The sum over ``axis`` (every entry if None): a batch or an array becomes a number."""
        return apply(arrays.SUM, self, arg=arrays.reduction(self, axis, keepdims, "sum"))

    def mean(self, axis=None, keepdims: bool = False) -> Value:
        """The mean over ``axis`` (every entry if None)."""
        return apply(arrays.MEAN, self, arg=arrays.reduction(self, axis, keepdims, "mean"))

    def max(self, axis=None, keepdims: bool = False) -> Value:
        """The largest entry over ``axis``; its gradient goes to that entry (the first, on a tie)."""
        return apply(arrays.MAX, self, arg=arrays.reduction(self, axis, keepdims, "max"))

    def sum_of_squares(self) -> Value:
        """Σ x² over every entry (x² for a number), one node: d/dx = 2x entry by entry."""
        return apply(fused.SUM_OF_SQUARES, self)

    def __getitem__(self, index) -> Value:
        """Entries of an array, as NumPy indexes them: v[i], v[:, j], v[1:3], v[mask], v[[0, 2]]."""
        return apply(arrays.position(self, index), self)

    def entries(self) -> list:
        """Every entry as a node of its own: [v[0], v[1], ...] for a vector, rows of v[j, i] for a matrix."""
        if self.ndim == 1:
            return [apply(arrays.entry(j), self) for j in range(self.shape[0])]
        if self.ndim == 2:
            return [[apply(arrays.entry((j, i)), self) for i in range(self.shape[1])] for j in range(self.shape[0])]
        raise ValueError(f"entries: needs a Value holding a vector or a matrix, got shape {self.shape}")

    def _scatter(self, index, shape: tuple) -> Value:
        """Zeros of ``shape`` with this Value added at ``index``: indexing's gradient as a node (create_graph)."""
        return apply(arrays.SCATTER, self, arg=(index, shape))

    # -- the graph ------------------------------------------------------------------------------------------
    def local_derivatives(self) -> tuple:
        """d(self)/d(parent) for each parent, from the table (empty for a leaf)."""
        return chain.local_derivatives(self, on_values=False) if self.parents else ()

    def detach(self) -> Value:
        """A new leaf with the same data and no history: gradients stop here."""
        return Value(self.data, self.label)

    def backward(self, gradient=None, create_graph: bool = False, keep_interior: bool = True) -> None:
        """Fill in ``grad`` = d(self)/d(node) for every node of the graph that ends here.

        Interior nodes get fresh gradients on every call; leaves (inputs and parameters)
        add to what they hold, as in PyTorch, so reset them between optimisation steps
        (``zero_grad()``). A Value holding an array needs ``gradient=`` of its shape
        (``numpy.ones(shape)`` differentiates the sum), or reduce it first with ``.sum()``.
        With ``create_graph=True`` the pass is recorded: every ``grad`` is a Value that can be
        differentiated again. With ``keep_interior=False`` interior gradients are released once
        passed on (only the leaves keep theirs), which halves the memory of a training step.
        """
        for name, flag in (("create_graph", create_graph), ("keep_interior", keep_interior)):
            if not isinstance(flag, bool):
                raise TypeError(f"backward: {name} must be True or False, got {flag!r:.40}")
        chain.backpropagate(self, seed(self, gradient), create_graph, keep_interior=keep_interior)


# -- the one road for making a node ----------------------------------------------------------------------------
def apply(op, *inputs, arg=None):
    """The node for ``op`` applied to ``inputs``: numbers become constants, the op's domain is checked,
    its forward value computed and checked to be finite, and ``node`` makes the Value. A row that takes a
    parameter (an axis, a shape) is given it as ``arg``. Returns NotImplemented for an operand that is
    not a number, so Python can try the other operand's method."""
    if arg is not None:
        op = Bound(op, arg)
    if not op.trusted:  # a user's op, not a row of the engine's tables: what it returns is checked
        op = checked(op)
    for x in inputs:
        if x.__class__ is not Value:
            inputs = tuple(map(as_value, inputs))  # numbers and arrays become constants
            if None in inputs:
                return NotImplemented
            break
    datas = [x.data for x in inputs]
    if op.domain:
        op.check(datas)
    try:
        data = op.forward(*datas)
    except ValueError:
        _check_broadcast(op.name, datas)  # the usual cause: arrays whose shapes do not fit
        raise
    if not op.bounded and not (data - data == 0.0 if data.__class__ is float else checks.finite(data)):
        shown = ", ".join(checks.short(d) for d in datas[:3])
        raise OverflowError(f"{op.name}: the result is too large for a float (inputs {shown}); scale the inputs down")
    return node(op, data, inputs, op.local(data, *datas) if op.constant else None)


_new = object.__new__


def node(op, data, parents: tuple, local: tuple | None = None) -> Value:
    """The Value an op made: it remembers its op and parents unless recording is off (inside ``no_grad()``
    it is a leaf). ``local``: its local derivatives, when the caller has them at hand (a neuron's)."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._pending = 0
    if recording._paused == 0 or recording._recording.get():
        out.parents = parents
        out._op = op
        out._local = local
    else:
        out.parents = ()
        out._op = None
        out._local = None
    return out


def power(base, exponent):
    """x ** n: the POWER row bound to a constant exponent n, or the POW row for a Value exponent."""
    if isinstance(exponent, (Value, np.ndarray)):
        return apply(rules.POW, base, exponent)
    if not checks.is_real(exponent) or as_value(exponent) is None or as_value(base) is None:
        return NotImplemented
    return apply(rules.power(float(exponent)), base)


# -- operands, constants and seeds -----------------------------------------------------------------------------
def as_value(x) -> Value | None:
    """A Value for an operand: Values as they are, numbers and arrays as constants (None for anything else)."""
    if isinstance(x, Value):
        return x
    if x.__class__ is float and x - x == 0.0:  # a finite number, the usual operand (the 2 in 2 * x): made at once
        out = Value.__new__(Value)
        out.data, out.grad, out.label, out.parents, out._op, out._pending, out._local = x, None, "", (), None, 0, None
        return out
    if isinstance(x, (bool, np.bool_)) or not (checks.is_real(x) or isinstance(x, np.ndarray)):
        return None
    try:
        return constant(x)
    except (TypeError, ValueError) as error:
        raise type(error)(str(error).replace("Value data", "operand")) from None


def constant(data, label: str = "") -> Value:
    """A number or array that takes part in a graph but needs no gradient: its ``grad`` stays None.

    Numbers and arrays mixed with Values become constants by themselves (the 2 in ``2 * x``,
    the data a network reads); the backward pass skips them, as PyTorch skips tensors that
    do not require a gradient. Make a ``Value`` to get a gradient.
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


def seed(root: Value, gradient):
    """d(result)/d(root) to start the backward pass from: 1 for a number, ``gradient`` for an array."""
    if not isinstance(root, Value):
        raise TypeError(f"backward needs a Value, got {type(root).__name__}")
    if root.is_constant:
        raise ValueError(
            f"backward: {checks.short(root.data)} is a constant (it needs no gradient); "
            "make it a Value to differentiate with respect to it"
        )
    if gradient is None:
        if root.data.__class__ is not float:
            raise ValueError(
                f"backward() on a Value holding {root.size} numbers needs gradient= (an array of shape "
                f"{root.shape}: numpy.ones({root.shape}) differentiates their sum), "
                "or reduce it first with .sum() or .mean()"
            )
        return 1.0
    shown = gradient.data if isinstance(gradient, Value) else checks.data(gradient, "gradient")
    if np.shape(shown) != root.shape:
        raise ValueError(f"backward: gradient has shape {np.shape(shown)}, the output {root.shape}; they must be equal")
    if not checks.finite(shown):
        raise ValueError("backward: gradient must hold finite numbers")
    return gradient if isinstance(gradient, Value) else shown


# -- helpers ---------------------------------------------------------------------------------------------------
def _compare(x: Value, y, test):
    other = y.data if isinstance(y, Value) else y
    if isinstance(other, (bool, np.bool_)) or not (checks.is_real(other) or isinstance(other, np.ndarray)):
        return NotImplemented
    result = test(x.data, other)
    return bool(result) if np.ndim(result) == 0 else result


def _check_broadcast(name: str, datas: list) -> None:
    """Arrays meet as NumPy broadcasts them; shapes that do not fit are an error naming them."""
    shapes = [np.shape(d) for d in datas]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(
            f"{name}: shapes {' and '.join(map(str, shapes))} do not broadcast (each axis must match or be 1, "
            "counting from the last); reshape one of them"
        ) from None
