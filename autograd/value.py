"""Value: a number (or an array) in a computation graph, with its gradient.

A Value remembers its op, a row of a table (``rules.py``), and its ``parents``. Each method
is one line over a row; ``node``, after the class, is the one road that makes a node.
"""

from __future__ import annotations

import numpy as np

from . import arrays, chain, checks, fused, recording, rules
from .op import Bound, Op, checked


def binary(row: Op, reflected: bool = False):
    """The method ``x <op> y`` of a row: ``apply(row, x, y)`` (``y <op> x`` if reflected).

    Most nodes of a scalar graph are x + y and x · y on numbers: their short road to ``node`` (no
    conversion, no domain) builds graphs.py's graphs 1.3x faster.
    """
    forward, short = row.forward, row.short

    def method(x, y):
        if y.__class__ is float:
            y = as_value(y)  # a number: a constant (the 2 in x * 2)
        if y.__class__ is Value and short:
            a, b = x.data, y.data
            if a.__class__ is float and b.__class__ is float and not recording._paused:
                data = forward(a, b)
                if data - data == 0.0:  # finite: false for inf and nan
                    return node(row, data, (x, y))
        return apply(row, x, y)

    method.__doc__ = row.describe()
    if not reflected:
        return method

    def reflected_method(self, other):  # other is no Value, or Python would have called its method
        return method(as_value(other), self) if other.__class__ is float else apply(row, other, self)

    reflected_method.__doc__ = method.__doc__
    return reflected_method


def comparison(test):
    """The method ``x < y`` (<=, >, >=) on data: a bool, or a boolean array."""

    def method(self, other):
        other = other.data if isinstance(other, Value) else other
        if isinstance(other, (bool, np.bool_)) or not (checks.is_real(other) or isinstance(other, np.ndarray)):
            return NotImplemented
        result = test(self.data, other)
        return bool(result) if np.ndim(result) == 0 else result

    return method


def unary(row: Op):
    """The method ``x.f()`` of a row: ``apply(row, x)``, by a short road for a number (build 1.26x faster on the chain)."""
    forward, short, bounded = row.forward, row.short, row.bounded

    def method(self):
        if short and self.data.__class__ is float and recording._paused == 0:
            data = forward(self.data)
            if bounded or data - data == 0.0:
                return node(row, data, (self,))
        return apply(row, self)

    method.__doc__ = row.describe()
    return method


class Value:
    """A number (or an array of numbers) in a computation graph, with its gradient.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad        # dy/dx = 2x + 3
    7.0

    ``==`` is identity (nodes live in sets and dicts); ``<`` and ``>`` compare data.
    """

    __slots__ = ("data", "grad", "label", "parents", "_op", "_pending", "_local")
    __array_ufunc__ = None  # numpy hands `array * value` to Value.__rmul__
    __array_priority__ = 1000

    def __init__(self, data: float | np.ndarray, label: str = "") -> None:
        self.data = checks.finite_data(data)  # a float, or an array of floats
        self.grad = 0.0  # d(output)/d(self), from backward(); None for a constant
        self.label = checks.label(label)
        self.parents: tuple[Value, ...] = ()
        self._op = None  # the row that made it (None for a leaf)
        self._pending = 0  # in backward(): consumers yet to pass their gradient on
        self._local = None  # local derivatives known when it was made (a neuron's)

    @property
    def op(self) -> str:
        """The name of the op that made this Value ("" for a leaf)."""
        return self._op.name if self._op is not None else ""

    @property
    def is_leaf(self) -> bool:
        """An input or parameter: made by no op."""
        return not self.parents

    @property
    def is_constant(self) -> bool:
        """A leaf that needs no gradient (``autograd.constant``)."""
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
        if self.data.__class__ is not float:
            raise ValueError(f"item() needs a Value holding one number, not {self.size}; use .sum() first")
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

    # -- comparisons: of data, not nodes --------------------------------------------------------------------
    __lt__, __le__, __gt__, __ge__ = map(comparison, (np.less, np.less_equal, np.greater, np.greater_equal))
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    # -- functions: rows of rules.py -----------------------------------------------------------------------
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

    # -- arrays: rows of arrays.py, each parameter checked first --------------------------------------------
    @property
    def T(self) -> Value:
        return self.transpose()

    def transpose(self, *axes) -> Value:
        return (
            self if self.ndim < 2 and not axes else apply(arrays.TRANSPOSE, self, arg=arrays.transpose_axes(self, axes))
        )

    def reshape(self, *shape) -> Value:
        return apply(arrays.RESHAPE, self, arg=arrays.reshaped(self, shape))

    def sum(self, axis=None, keepdims: bool = False) -> Value:
        return apply(arrays.SUM, self, arg=arrays.reduction(self, axis, keepdims, "sum"))

    def mean(self, axis=None, keepdims: bool = False) -> Value:
        return apply(arrays.MEAN, self, arg=arrays.reduction(self, axis, keepdims, "mean"))

    def max(self, axis=None, keepdims: bool = False) -> Value:
        """The largest entry over ``axis``; its gradient goes to the first largest entry."""
        return apply(arrays.MAX, self, arg=arrays.reduction(self, axis, keepdims, "max"))

    def sum_of_squares(self) -> Value:
        return apply(fused.SUM_OF_SQUARES, self)

    def __getitem__(self, index) -> Value:
        return apply(arrays.position(self, index), self)

    def entries(self) -> list:
        """Every entry as a node of its own: a list for a vector, rows of v[j, i] for a matrix."""
        return arrays.entries(self, apply)

    def _scatter(self, index, shape: tuple) -> Value:  # indexing's gradient as a node (create_graph)
        return apply(arrays.SCATTER, self, arg=(index, shape))

    # -- the graph ------------------------------------------------------------------------------------------
    def local_derivatives(self) -> tuple:
        """d(self)/d(parent) for each parent, from the op's row (empty for a leaf)."""
        return chain.local_derivatives(self, on_values=False) if self.parents else ()

    def detach(self) -> Value:
        """A new leaf with the same data: gradients stop here."""
        return Value(self.data, self.label)

    def backward(self, gradient=None, create_graph: bool = False, keep_interior: bool = True) -> None:
        """Fill in ``grad`` = d(self)/d(node) for every node (chain.py); leaves add to what they hold. An array
        needs ``gradient=`` of its shape; ``create_graph=True`` records the pass; ``keep_interior=False``
        frees interior gradients once passed on."""
        chain.backward(self, gradient, create_graph, keep_interior)


# -- making a node: apply checks, node makes it ---------------------------------------------------------------
def apply(op, *inputs, arg=None):
    """The node for ``op`` on ``inputs`` (numbers become constants): the domain checked, the forward value
    computed and checked to be finite. ``arg``: the row's parameter. NotImplemented for a non-number."""
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
        checks.broadcast(op.name, datas)  # the usual cause: arrays whose shapes do not fit
        raise
    if not op.bounded and not (data - data == 0.0 if data.__class__ is float else checks.finite(data)):
        shown = ", ".join(checks.short(d) for d in datas[:3])
        raise OverflowError(f"{op.name}: the result is too large for a float (inputs {shown}); scale the inputs down")
    return node(op, data, inputs)


_new = object.__new__


def node(op, data, parents: tuple, local: tuple | None = None) -> Value:
    """The one road for making a node: the Value an op made, with its op and parents (a leaf inside
    ``no_grad()``); ``local``: its local derivatives, if the caller has them (a neuron's)."""
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


# -- operands and constants ----------------------------------------------------------------------------------
def as_value(x) -> Value | None:
    """A Value for an operand: Values as they are, numbers and arrays as constants (None for anything else)."""
    if isinstance(x, Value):
        return x
    # A finite number, the usual operand (the 2 in 2 * x), made at once: 1.13x faster building graphs.py's DAG.
    if x.__class__ is float and x - x == 0.0:
        out = _new(Value)
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
