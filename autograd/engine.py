"""Value, the node of a computation graph, and backward(), reverse-mode differentiation.

A Value remembers the op that made it and the Values it was made from (its
``parents``). ``backward()`` puts the graph in topological order and walks it from
the output back to the inputs, applying the chain rule on each edge:

    parent.grad += local * node.grad

where ``local`` is d(node)/d(parent) from the derivative table in ``rules.py``.
A parent reached by several paths receives one such term per path, so its
gradient is the sum over all paths.

A Value holds a Python float (scalar mode) or a NumPy array of samples (batched
mode: one graph serves a whole batch; see ``Value.sum`` and ``Value.mean``).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from . import checks, rules
from .rules import Op

_grad_enabled = True
_isfinite = math.isfinite

# exp(x) overflows a float for x above log(max float) = 709.78...
_EXP_LIMIT = math.log(np.finfo(float).max)


def _coerce_data(data, argument: str = "data"):
    """Check and convert what a Value may hold: a real number (kept as float) or a NumPy array."""
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
        if data.size == 0:
            raise ValueError(f"Value {argument} array is empty; a batch needs at least one sample")
        return np.array(data, dtype=float)
    hint = "; use numpy.array(...) for a batch of samples" if isinstance(data, (list, tuple)) else ""
    raise TypeError(f"Value {argument} must be an int or float, got {type(data).__name__} {data!r}{hint}")


class Value:
    """A number (or a batch of numbers) in a computation graph, with its gradient.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad        # dy/dx = 2x + 3
    7.0
    """

    __slots__ = ("data", "grad", "label", "parents", "_op", "_pending")
    # Let numpy hand `numpy.float64(2.0) * value` to Value.__rmul__ instead of making an array.
    __array_ufunc__ = None
    __array_priority__ = 1000

    def __init__(self, data: float | np.ndarray, label: str = "") -> None:
        data = _coerce_data(data)
        if not (_isfinite(data) if data.__class__ is float else np.isfinite(data).all()):
            raise ValueError(f"Value data must be finite, got {_short(data)}")
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__} {label!r}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.parents: tuple[Value, ...] = ()
        self._op: Op | None = None
        self._pending = 0  # during backward(): consumers that have not yet passed their gradient on

    @property
    def op(self) -> str:
        """The name of the op that made this Value ("" for a leaf: an input or a parameter)."""
        return self._op.name if self._op is not None else ""

    @property
    def is_leaf(self) -> bool:
        """True for an input or parameter: a Value made by no op."""
        return not self.parents

    def __repr__(self) -> str:
        label = f"label={self.label!r}, " if self.label else ""
        return f"Value({label}data={_short(self.data)}, grad={_short(self.grad)})"

    def item(self) -> float:
        """The data as a Python float (for a scalar Value)."""
        if self.data.__class__ is not float:
            raise ValueError(
                f"item() needs a scalar Value, this one holds {np.size(self.data)} samples; use .sum() or .mean() first"
            )
        return self.data

    # -- arithmetic ---------------------------------------------------------
    def __add__(self, other):
        return _binary(rules.ADD, self, other)

    def __radd__(self, other):
        return _binary(rules.ADD, other, self)

    def __sub__(self, other):
        return _binary(rules.SUB, self, other)

    def __rsub__(self, other):
        return _binary(rules.SUB, other, self)

    def __mul__(self, other):
        return _binary(rules.MUL, self, other)

    def __rmul__(self, other):
        return _binary(rules.MUL, other, self)

    def __truediv__(self, other):
        return _divide(self, other)

    def __rtruediv__(self, other):
        return _divide(other, self)

    def __pow__(self, exponent):
        return _power(self, exponent)

    def __rpow__(self, base):
        return _power(base, self)

    def __neg__(self) -> Value:
        return _apply1(rules.NEG, self)

    def __abs__(self) -> Value:
        return _apply1(rules.ABS, self)

    # -- functions ----------------------------------------------------------
    def exp(self) -> Value:
        """e^x; d/dx e^x = e^x. Raises OverflowError above x = 709.78."""
        _require(
            self.data <= _EXP_LIMIT,
            OverflowError,
            "exp",
            self.data,
            f"exp overflows a float above {_EXP_LIMIT:.2f}; scale the input down or use a stable form such as softplus or sigmoid",
        )
        return _apply1(rules.EXP, self)

    def log(self) -> Value:
        """Natural logarithm; d/dx log x = 1/x. Needs x > 0."""
        _require(self.data > 0.0, ValueError, "log", self.data, "log needs an input > 0")
        return _apply1(rules.LOG, self)

    def sqrt(self) -> Value:
        """Square root; d/dx sqrt x = 1/(2 sqrt x). Needs x > 0 (the derivative is infinite at 0)."""
        _require(
            self.data > 0.0, ValueError, "sqrt", self.data, "sqrt needs an input > 0 (at 0 its derivative is infinite)"
        )
        return _apply1(rules.SQRT, self)

    def sin(self) -> Value:
        """sin x; d/dx sin x = cos x."""
        return _apply1(rules.SIN, self)

    def cos(self) -> Value:
        """cos x; d/dx cos x = -sin x."""
        return _apply1(rules.COS, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent; d/dx tanh x = 1 - tanh(x)^2."""
        return _apply1(rules.TANH, self)

    def sigmoid(self) -> Value:
        """Logistic function 1/(1 + e^-x); d/dx = s(1 - s). Finite for any input."""
        return _apply1(rules.SIGMOID, self)

    def softplus(self) -> Value:
        """log(1 + e^x), a smooth ReLU; d/dx = sigmoid(x). Finite for any input."""
        return _apply1(rules.SOFTPLUS, self)

    def relu(self) -> Value:
        """max(0, x); derivative 1 for x > 0, else 0."""
        return _apply1(rules.RELU, self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, else slope * x; derivative 1 or slope."""
        slope = checks.number(slope, "leaky_relu: slope")
        return _apply1(rules.leaky_relu(slope), self)

    def step(self) -> Value:
        """The perceptron's unit step: 1 if x >= 0 else 0. Its derivative is 0 everywhere."""
        return _apply1(rules.STEP, self)

    def sum(self) -> Value:
        """Sum over the batch: a batched Value becomes a scalar one (a scalar stays as it is)."""
        return _apply(rules.BATCH_SUM, self)

    def mean(self) -> Value:
        """Mean over the batch: a batched Value becomes a scalar one (a scalar stays as it is)."""
        return _apply(rules.BATCH_MEAN, self)

    def local_derivatives(self) -> tuple:
        """d(self)/d(parent) for each parent, from the derivative table (empty for a leaf)."""
        if not self.parents:
            return ()
        return self._op.local(self.data, *[parent.data for parent in self.parents])

    def detach(self) -> Value:
        """A new leaf with the same data and no history: gradients stop here."""
        leaf = _new_value(self.data, (), None)
        leaf.label = self.label
        return leaf

    # -- the backward pass --------------------------------------------------
    def backward(self) -> None:
        """Fill in ``grad`` = d(self)/d(node) for every node of the graph that ends here.

        Interior nodes get fresh gradients on every call; leaves (inputs and
        parameters) add to what they already hold, as in PyTorch, so call
        ``zero_grad()`` (or set ``grad = 0``) between optimisation steps. A batched
        output is treated like its sum. The local derivatives are evaluated from the
        data now in the graph: after changing a leaf's data, redo the forward pass.
        """
        backpropagate(self)


def backpropagate(root: Value, observe=None) -> None:
    """The backward pass: every node passes its gradient to its parents, output first.

    A node is ready once every node that consumes it has passed its gradient on
    (its gradient is then complete): the nodes are visited in reverse topological
    order, found by counting consumers instead of sorting the graph, and ready
    nodes are taken first come, first served, so the pass sweeps back layer by
    layer through a network. ``observe``,
    if given, is called after every application of the chain rule with
    ``(node, parent, local, contribution)``; the stepper and ``trace`` watch the
    pass this way instead of repeating it.
    """
    counted = _count_consumers(root)
    root.grad += rules.ones_like(root.data)
    ready = deque([root] if root.parents else ())
    try:
        while ready:
            node = ready.popleft()
            upstream = node.grad
            parents = node.parents
            for parent, local in zip(parents, node._op.local(node.data, *[p.data for p in parents])):
                contribution = local * upstream  # the chain rule: local derivative x upstream gradient
                if contribution.__class__ is not float and parent.data.__class__ is float:
                    contribution = float(contribution.sum())  # a scalar shared by a batch: sum every sample's share
                parent.grad += contribution
                if observe is not None:
                    observe(node, parent, local, contribution)
                if parent._pending:  # an interior parent: ready when its last consumer is done
                    parent._pending -= 1
                    if not parent._pending:
                        ready.append(parent)
    except BaseException:
        for node in counted:
            node._pending = 0
        raise


def gradients(root: Value, inputs: Sequence[Value]) -> list:
    """d(root)/d(input) for each input, as after ``zero_grad()``, without changing any ``grad``.

    Runs the same backward pass as ``root.backward()`` from zero gradients, reads the
    inputs' gradients and puts back every gradient the graph held before.
    """
    if not isinstance(root, Value):
        raise TypeError(f"gradients needs a Value to differentiate, got {type(root).__name__}")
    if isinstance(inputs, Value) or not isinstance(inputs, (list, tuple)):
        raise TypeError(f"gradients: inputs must be a list of Values, got {type(inputs).__name__}")
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"gradients: inputs[{i}] must be a Value, got {type(x).__name__}")
    nodes = topological_order(root)
    saved = [node.grad for node in nodes]
    try:
        for node in nodes:
            node.grad = 0.0
        backpropagate(root)
        return [x.grad for x in inputs]
    finally:
        for node, grad in zip(nodes, saved):
            node.grad = grad


def _count_consumers(root: Value) -> list[Value]:
    """Zero the gradient of every interior node below ``root`` and count its consumers (edges).

    Leaves are not counted: they never pass a gradient on, and keep what they hold.
    """
    if root.parents:
        root.grad = 0.0
    counted = [root]
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if parent.parents:
                if parent._pending:
                    parent._pending += 1
                else:
                    parent._pending = 1
                    parent.grad = 0.0
                    stack.append(parent)
                    counted.append(parent)
    return counted


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


# -- building nodes -----------------------------------------------------------
_new = object.__new__


def _new_value(data, parents: tuple, op: Op | None) -> Value:
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._pending = 0
    if _grad_enabled:
        out.parents = parents
        out._op = op
    else:
        out.parents = ()
        out._op = None
    return out


def _apply(op: Op, *inputs: Value) -> Value:
    """Run ``op`` forward on the inputs' data and record the new node."""
    return _result(op, op.forward(*[v.data for v in inputs]), inputs)


def _apply1(op: Op, x: Value) -> Value:
    """``_apply`` for one input, for ops whose result is finite whenever the input is (no overflow check)."""
    return _new_value(op.forward(x.data), (x,), op)


def _result(op: Op, data, inputs: tuple) -> Value:
    """The node for an op's result. A Value's data is finite, so a result too large for a float is an error."""
    if not (_isfinite(data) if data.__class__ is float else np.isfinite(data).all()):
        shown = ", ".join(_short(v.data) for v in inputs[:3])
        raise OverflowError(f"{op.name}: the result is too large for a float (inputs {shown}); scale the inputs down")
    return _new_value(data, inputs, op)


def _as_value(x) -> Value | None:
    """A Value for an operand: Values as they are, numbers and arrays as constant leaves."""
    if x.__class__ is Value:
        return x
    if isinstance(x, Value):
        return x
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, (int, float, np.integer, np.floating)):
        value = _coerce_data(x, "operand")
        if not math.isfinite(value):
            raise ValueError(f"operand must be finite, got {x!r}")
        return _new_value(value, (), None)
    if isinstance(x, np.ndarray):
        return Value(x)
    return None


def value_of(x, argument: str) -> Value:
    """``x`` as a Value (numbers become constant leaves); errors name ``argument``."""
    if isinstance(x, Value):
        return x
    try:
        return Value(x)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{argument}: {error}") from None


def _binary(op: Op, x, y):
    x, y = _as_value(x), _as_value(y)
    if x is None or y is None:
        return NotImplemented
    if x.data.__class__ is not float:
        _check_batch_shapes(op.name, x.data, y.data)
    return _result(op, op.forward(x.data, y.data), (x, y))


def _check_batch_shapes(name: str, x, y) -> None:
    if x.__class__ is not float and y.__class__ is not float and x.shape != y.shape:
        raise ValueError(
            f"{name}: batch shapes differ, {x.shape} and {y.shape}; every batched Value in one graph must hold the same samples"
        )


def _divide(x, y):
    x, y = _as_value(x), _as_value(y)
    if x is None or y is None:
        return NotImplemented
    if not _all(y.data != 0.0):
        raise ZeroDivisionError(
            f"/: division by zero (the divisor is {_short(y.data)}); keep the divisor away from 0, e.g. add a small epsilon"
        )
    _check_batch_shapes("/", x.data, y.data)
    return _apply(rules.DIV, x, y)


def _power(base, exponent):
    if isinstance(exponent, (Value, np.ndarray)):
        base, exponent = _as_value(base), _as_value(exponent)
        if base is None or exponent is None:
            return NotImplemented
        _require(
            base.data > 0.0,
            ValueError,
            "**",
            base.data,
            "a Value exponent needs a base > 0 (d/dy x^y = x^y log x); for a fixed exponent pass a plain number",
        )
        _check_batch_shapes("**", base.data, exponent.data)
        return _guard_overflow("**", lambda: _apply(rules.POW, base, exponent), base.data)
    base = _as_value(base)
    if base is None or _as_value(exponent) is None:
        return NotImplemented
    n = float(exponent)
    x = base.data
    if n != int(n):
        _require(x >= 0.0, ValueError, "**", x, f"a negative number to the non-integer power {n:g} is not real")
    if n < 0.0:
        _require(
            x != 0.0, ValueError, "**", x, f"0 to the negative power {n:g} is undefined; keep the base away from 0"
        )
    elif 0.0 < n < 1.0:
        _require(
            x != 0.0, ValueError, "**", x, f"x ** {n:g} has an infinite derivative at 0; keep the base away from 0"
        )
    return _guard_overflow("**", lambda: _apply(rules.power(n), base), x)


def _guard_overflow(name: str, compute, x):
    try:
        return compute()
    except OverflowError:
        raise OverflowError(f"{name}: the result overflows a float (base {_short(x)}); use smaller numbers") from None


# -- helpers for errors -------------------------------------------------------
def _all(ok) -> bool:
    return ok if ok.__class__ is bool else bool(np.all(ok))


def _require(ok, error: type, name: str, x, what_to_do: str) -> None:
    """Raise ``error`` naming the op and the offending value unless ``ok`` holds everywhere."""
    if _all(ok):
        return
    if x.__class__ is float:
        raise error(f"{name}: got {x!r}; {what_to_do}")
    bad = np.asarray(x)[~np.asarray(ok, dtype=bool)]
    raise error(f"{name}: got {bad.size} bad sample(s), the first {bad.flat[0]!r}; {what_to_do}")


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
    shapes = {v.data.shape for v in inputs if v.data.__class__ is not float}
    if len(shapes) > 1:
        raise ValueError(f"sum: batch shapes differ: {sorted(shapes)}")
    return _apply(rules.SUM, *inputs)


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block ops record no parents: results are leaves and nothing can flow back."""
    global _grad_enabled
    previous = _grad_enabled
    _grad_enabled = False
    try:
        yield
    finally:
        _grad_enabled = previous


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``."""
    return _grad_enabled
