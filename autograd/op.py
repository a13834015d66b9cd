"""What a row of a derivative table is: an op, its forward value, its local derivatives, and where it is defined.

``Op`` is one row. ``Bound`` is a row together with its parameter (an axis, a shape, an
exponent), which is what a node made by such a row keeps as its op. ``Linear`` is a local
derivative that is a linear map rather than a number (matrix products, sums over an axis).
``Domain`` is the domain column: which inputs an op accepts, and what to say about the others.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import checks


class Op:
    """One primitive: its name, forward function and local derivatives, and how a person writes them.

    An Op is callable on Values and numbers, so a learner can add an op without touching the
    engine::

        square = Op("square", forward=lambda x: x * x, local=lambda out, x: (2 * x,), text="{0}²", rule=("2·{0}",))
        y = square(Value(3.0))      # a node of the graph, like any built-in op

    ``local(out, *inputs)`` returns a tuple with one derivative per input. Write it with
    operations that also work on Values (``+ - * / **``, ``autograd.exp`` rather than
    ``math.exp``) and it works with ``create_graph`` and forward mode too. ``domain``, if given,
    says which inputs are allowed (a ``Domain`` or a tuple of them). ``bounded=True`` promises
    that finite inputs give a finite result, so the result is not checked. A row made with
    ``takes_arg=True`` receives its parameter as the last argument of ``forward`` and ``local``.
    """

    __slots__ = (
        "name", "forward", "local", "text", "rule", "domain", "bounded", "takes_arg", "trusted", "short", "checked"
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        forward: Callable,
        local: Callable,
        text: str | Callable = "",
        rule: tuple[str, ...] | Callable = (),
        domain: Domain | tuple[Domain, ...] | None = None,
        bounded: bool = False,
        takes_arg: bool = False,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"Op name must be a non-empty str, got {name!r}")
        for argument, value in (("forward", forward), ("local", local)):
            if not callable(value):
                raise TypeError(f"Op {argument} must be a function, got {value!r:.60}")
        if not (isinstance(text, str) or callable(text)):
            raise TypeError(f"Op text must be a str such as 'f({{0}})', got {text!r:.60}")
        if not (callable(rule) or isinstance(rule, tuple) and all(isinstance(r, str) for r in rule)):
            raise TypeError(f"Op rule must be a tuple of formula strings, got {rule!r:.60}")
        domains = domain if isinstance(domain, tuple) else () if domain is None else (domain,)
        if not all(isinstance(d, Domain) for d in domains):
            raise TypeError(f"Op domain must be an autograd.Domain or a tuple of them, got {domain!r:.60}")
        self.name = name
        self.forward = forward
        self.local = local  # (out, *inputs) -> one local derivative per input
        self.text = (
            text  # how it reads: "tanh({0})", the separator " + " of an n-ary op, or a function of the inputs' texts
        )
        self.rule = (
            rule  # each local derivative by hand, e.g. ("1 − {out}²",), or a function (k, input names) -> formula
        )
        self.domain = domains
        self.bounded = bounded
        self.takes_arg = takes_arg
        self.trusted = False  # the engine's own rows (see table()): their local needs no checking
        self.short = (
            False  # a trusted row with no domain and no parameter: value.binary's and unary's short roads take it
        )
        self.checked = None  # for an op applied by a user: its twin that checks what local returns

    def __call__(self, *inputs):
        """Apply the op to Values or numbers: the result is a new node of the graph."""
        from .value import apply, value_of  # the engine imports the tables, so it is found at call time

        if not inputs:
            raise TypeError(f"op {self.name!r} needs at least one input")
        values = [value_of(x, f"op {self.name!r}: input {i}") for i, x in enumerate(inputs)]
        try:
            return apply(self, *values)
        except (TypeError, ValueError) as error:
            message = str(error)
            named = message.startswith((f"op {self.name!r}", f"{self.name}:"))  # the message names the op already
            raise type(error)(message if named else f"op {self.name!r}: {message}") from None

    def check(self, datas: list, arg=None, name: str = "") -> None:
        """Raise the domain's error, naming this op, if an input lies outside where the op is defined."""
        for domain in self.domain:
            domain.check(name or self.name, datas if not self.takes_arg else [*datas, arg])

    def describe(self) -> str:
        """The op and its local derivatives in words, for a method's docstring: "x · y; local derivatives y, x"."""
        names = ("x", "y") if self.text.count("{") > 1 else ("x",)
        text = self.text.format(*names)
        return f"{text}; local derivatives {', '.join(r.format(*names, out=f'({text})') for r in self.rule)}"

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


def table(*rows: Op) -> tuple[Op, ...]:
    """The rows of one of the engine's tables, marked as its own: their local derivatives are trusted."""
    for row in rows:
        row.trusted = True
        row.short = not row.domain and not row.takes_arg
    return rows


class Bound:
    """A row with its parameter: the op a node keeps when its row takes one (``x.sum(axis=0)``, ``x ** 3``).

    It reads like the row, with the parameter passed along as the last argument; its text and
    rule are the row's, filled in for the parameter where the row gives them as functions of it.
    """

    __slots__ = ("row", "arg", "name", "text", "rule", "trusted", "bounded", "domain")

    def __init__(self, row: Op, arg, name: str | None = None) -> None:
        self.row, self.arg = row, arg
        self.name, self.trusted, self.bounded, self.domain = name or row.name, row.trusted, row.bounded, row.domain
        self.text = row.text(arg) if callable(row.text) else row.text
        self.rule = row.rule(arg) if callable(row.rule) else row.rule

    def check(self, datas: list) -> None:
        self.row.check(datas, self.arg, self.name)

    def forward(self, *inputs):
        return self.row.forward(*inputs, self.arg)

    def local(self, out, *inputs):
        return self.row.local(out, *inputs, self.arg)

    def __repr__(self) -> str:
        return f"Op({self.name!r}, {self.arg!r:.40})"


def checked(op: Op) -> Op:
    """A user's op with what it returns checked: its forward result is a finite number or array of the
    inputs' broadcast shape, its local a tuple of one derivative per input. Made once per op."""
    if op.checked is None:

        def forward(*inputs):
            result = checks.data(op.forward(*inputs), f"of op {op.name!r}: forward result")
            expected = np.broadcast_shapes(*(np.shape(x) for x in inputs))
            if np.shape(result) != expected:
                raise ValueError(
                    f"op {op.name!r}: forward returned shape {np.shape(result)}, the inputs have {expected}"
                )
            return result

        def local(out, *inputs):
            found = op.local(out, *inputs)
            if found.__class__ is not tuple:
                raise TypeError(
                    f"op {op.name!r}: local must return a tuple of {len(inputs)} derivative(s), one per input, "
                    f"got {type(found).__name__} {found!r:.60}; write (d,) for an op with one input"
                )
            if len(found) != len(inputs):
                raise ValueError(
                    f"op {op.name!r}: local returned {len(found)} derivative(s) for {len(inputs)} input(s); give one per input"
                )
            return found

        twin = Op(op.name, forward, local, op.text, op.rule, op.domain, op.bounded)
        twin.trusted = True  # its checks are built in (but no short road: its forward result must be checked)
        op.checked = twin
    return op.checked


class Linear:
    """A local derivative that is a linear map, for an op whose derivative is not elementwise.

    In the backward pass ``upstream * local`` applies the map's transpose to the upstream
    gradient (the vector-Jacobian product ``vjp``); in forward mode ``local * tangent``
    applies the map itself (the Jacobian-vector product ``jvp``). A number, the local
    derivative of an elementwise op, does both by multiplying.
    """

    __slots__ = ("vjp", "jvp")
    __array_ufunc__ = None  # let `array * local` reach __rmul__ instead of NumPy's elementwise product

    def __init__(self, vjp: Callable, jvp: Callable) -> None:
        if not (callable(vjp) and callable(jvp)):
            raise TypeError(f"Linear needs two functions, vjp(g) and jvp(t), got {vjp!r:.40} and {jvp!r:.40}")
        self.vjp = vjp
        self.jvp = jvp

    def __rmul__(self, upstream):
        return self.vjp(upstream)

    def __mul__(self, tangent):
        return self.jvp(tangent)

    def __repr__(self) -> str:
        return "Linear(vjp, jvp)"


class Domain:
    """Where an op is defined: ``test(*inputs)`` is True (for every entry) on allowed inputs.

    Outside it the op raises ``error`` with ``what_to_do`` (in which ``{name}`` stands for the
    op's name), naming the op and the first bad value of input ``shows`` (for ``x / 0``, the divisor).
    """

    __slots__ = ("test", "error", "what_to_do", "shows")

    def __init__(self, test: Callable, error: type[Exception], what_to_do: str, shows: int = 0) -> None:
        if not callable(test):
            raise TypeError(f"Domain test must be a function of the inputs, got {test!r:.60}")
        if not (isinstance(error, type) and issubclass(error, Exception)):
            raise TypeError(f"Domain error must be an exception type such as ValueError, got {error!r:.60}")
        if not isinstance(what_to_do, str) or isinstance(shows, bool) or not isinstance(shows, int) or shows < 0:
            raise TypeError("Domain what_to_do must be a str and shows the index of an input (an int >= 0)")
        self.test, self.error, self.what_to_do, self.shows = test, error, what_to_do, shows

    def check(self, name: str, datas: list) -> None:
        ok = self.test(*datas)
        if ok is True or ok.__class__ is not bool and bool(np.all(ok)):
            return
        x, what_to_do = datas[self.shows], self.what_to_do.replace("{name}", name)
        if x.__class__ is float:
            raise self.error(f"{name}: got {x!r}; {what_to_do}")
        shape = np.broadcast_shapes(np.shape(ok), np.shape(x))
        bad = np.broadcast_to(np.asarray(x), shape)[~np.broadcast_to(np.asarray(ok, dtype=bool), shape)]
        raise self.error(
            f"{name}: got {bad.size} bad entr{'y' if bad.size == 1 else 'ies'}, the first {float(bad.flat[0])!r}; {what_to_do}"
        )

    def __repr__(self) -> str:
        return f"Domain({self.error.__name__}: {self.what_to_do!r:.50})"
