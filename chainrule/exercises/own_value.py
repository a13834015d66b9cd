"""The graders of notebook 01: a learner's local derivatives, topological order and own Value class.

The class is run on the same expressions as ``autograd.Value`` (``random_graphs.py``): the data and
every leaf's gradient must agree to 1e-9. These numbers are computed, not copied off a printout, so
the 3-digit rule of the other exercises does not apply. Before the random expressions, small probes
look for the usual mistakes one at a time, so that a message can say which one it is.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable
from typing import Any

from .random_graphs import Number, Program, Step, graded_programs, random_program, run

RELATIVE = 1e-9  # how closely the learner's numbers must match the engine's


class Wrong(Exception):
    """What is wrong with a learner's answer, said so that they can act on it."""


# -- talking about the learner's answers -----------------------------------------------------------------
def attempt(what: str, action: Callable[[], Any]) -> Any:
    """``action()``, with an error raised by the learner's code turned into a message that names ``what``."""
    try:
        return action()
    except RecursionError:
        raise Wrong(f"{what} went into a recursion that did not end") from None
    except Exception as error:
        raise Wrong(f"{what} raised {type(error).__name__}: {error}") from None


def is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def close(got: float, want: float, scale: float = 0.0) -> bool:
    """Within RELATIVE of ``want``; a gradient far below the graph's largest (``scale``) within 1e-12 of that,
    the rounding a sum of larger terms leaves behind."""
    return abs(got - want) <= RELATIVE * max(abs(want), scale * 1e-3)


def shown(x: Any) -> str:
    return f"{x:.6g}" if is_number(x) else f"{type(x).__name__} {x!r:.40}"


def two(got: float, want: float) -> tuple[str, str]:
    """``got`` and ``want`` printed with as many digits as it takes to tell them apart (6 to 17)."""
    for digits in range(6, 18):
        if f"{got:.{digits}g}" != f"{want:.{digits}g}":
            break
    return f"{got:.{digits}g}", f"{want:.{digits}g}"


# -- 01.1: the local derivatives -------------------------------------------------------------------------
LOCALS = (  # name, the op as written, the right local derivatives, the points they are tried at
    ("add_local", "x + y", lambda x, y: (1.0, 1.0), [(2.0, -3.0), (0.5, 4.0), (-1.25, 0.75)]),
    ("mul_local", "x · y", lambda x, y: (y, x), [(2.0, -3.0), (0.5, 4.0), (-1.25, 0.75), (0.0, 2.0)]),
    ("tanh_local", "tanh x", lambda x: (1.0 - math.tanh(x) ** 2,), [(0.5,), (-1.2,), (0.0,), (2.0,)]),
)


def grade_locals(answer: Any) -> str | None:
    """None if ``answer`` is (add_local, mul_local, tanh_local), each giving the right tuple of local derivatives."""
    if not (isinstance(answer, (tuple, list)) and len(answer) == 3 and all(callable(f) for f in answer)):
        return f"the answer should be your three functions, (add_local, mul_local, tanh_local), got {shown(answer)}"
    try:
        for function, (name, op, reference, points) in zip(answer, LOCALS):
            for args in points:
                _check_local(function, name, op, args, reference(*args))
    except Wrong as problem:
        return str(problem)
    return None


def _check_local(function, name: str, op: str, args: tuple, want: tuple) -> None:
    call = f"{name}({', '.join(f'{a:g}' for a in args)})"
    got = attempt(call, lambda: function(*args))
    if is_number(got) and len(want) == 1:
        raise Wrong(
            f"{call} returns the number {got:.6g}; it should return a tuple holding it, ({got:.6g},): a node keeps "
            "one local derivative for each Value it was made from, in a tuple even when there is one"
        )
    if not isinstance(got, (tuple, list)) or len(got) != len(want) or not all(is_number(g) for g in got):
        raise Wrong(f"{call} returns {shown(got)}; it should return a tuple of {len(want)} number(s), one per input")
    if all(close(g, w) for g, w in zip(got, want)):
        return
    listed = ", ".join(f"{g:.6g}" for g in got)
    if len(want) == 2 and close(got[0], want[1]) and close(got[1], want[0]):
        raise Wrong(
            f"{call} returns ({listed}): the right two numbers in each other's places. The first entry is how fast "
            f"{op} changes when x moves and y stays, the second when y moves and x stays"
        )
    if len(want) == 1 and close(got[0], math.tanh(args[0])):
        raise Wrong(f"{call} returns ({listed}), the value of tanh at {args[0]:g}, not its slope there")
    raise Wrong(f"{call} returns ({listed}), which is not how fast {op} changes there with each input")


# -- 01.2: the topological order -------------------------------------------------------------------------
class GraphNode:
    """A node with nothing but its parents and a name: all that topological_order may read."""

    __slots__ = ("parents", "name")

    def __init__(self, name: str, parents: tuple = ()) -> None:
        self.parents = parents
        self.name = name

    def __repr__(self) -> str:
        return self.name


def graph_of(program: Program) -> list[GraphNode]:
    """The program's graph: one node per leaf and step (a number in a step is a node too, as a Value makes it)."""
    nodes = [GraphNode(name) for name in program.names()[: len(program.leaves)]]
    for k, step in enumerate(program.steps):
        operands = (step.left,) if step.op == "tanh" else (step.left, step.right)
        parents = tuple(
            nodes[o] if isinstance(o, int) else GraphNode(f"the number {o.value:g} of {program.line(k)}")
            for o in operands
        )
        nodes.append(GraphNode(program.names()[len(nodes)], parents))
    return nodes


def order_programs(seed: int = 2) -> list[Program]:
    """Graphs a topological order is checked on: small ones that catch each mistake, then random ones."""
    shared = (Step("*", 0, 0), Step("+", 3, Number(1)), Step("*", Number(3), 4), Step("+", 3, 5))
    hand = [
        Program((0.5,), (Step("tanh", 0),)),
        Program((2.0,), (Step("*", 0, 0),)),
        Program((2.0, 1.0, -1.0), shared),  # b = x1 * x1 is used by d and, through c = b + 1, by e
        Program((2.0, 1.0, -1.0), shared[:3] + (Step("+", 5, 3),)),  # the same with the operands of d swapped
    ]
    rng = random.Random(seed)
    found = [random_program(rng, kind, size) for kind, size in [("graph", s) for s in range(3, 31, 3)]]
    found += [random_program(rng, "ladder", 9), random_program(rng, "chain", 150)]
    return hand + found


def grade_order(topological_order: Any) -> str | None:
    """None if the function lists every node of a graph once, each after its parents, on every graph tried."""
    if not callable(topological_order):
        return (
            f"the answer should be your function topological_order itself (no brackets), got {shown(topological_order)}"
        )
    try:
        for program in order_programs():
            check_order(program, topological_order)
    except Wrong as problem:
        return str(problem)
    return None


def _reachable(root: GraphNode) -> list[GraphNode]:
    seen, stack, found = {id(root)}, [root], []
    while stack:
        node = stack.pop()
        found.append(node)
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return found


def check_order(program: Program, function) -> None:
    """Raise Wrong unless ``function`` lists the nodes of the program's graph once each, each after its parents."""
    root = graph_of(program)[-1]
    where = f"for the output {root.name} of\n{program.text()}\n  "
    got = attempt(f"{where}topological_order({root.name})", lambda: function(root))
    if not isinstance(got, (list, tuple)):
        raise Wrong(f"{where}topological_order({root.name}) returned {shown(got)}; it should return a list of nodes")
    every = {id(node): node for node in _reachable(root)}
    count: dict[int, int] = {}
    for item in got:
        if id(item) not in every:
            raise Wrong(f"{where}your order holds {shown(item)}, which is not a node of this graph")
        count[id(item)] = count.get(id(item), 0) + 1
    twice = [every[key] for key, n in count.items() if n > 1]
    if twice:
        raise Wrong(
            f"{where}your order lists {twice[0].name} {count[id(twice[0])]} times; each node belongs in it once "
            "(the backward pass would pass its gradient on each time)"
        )
    missing = [node for key, node in every.items() if key not in count]
    if missing:
        raise Wrong(f"{where}your order leaves out {missing[0].name}; every node the output depends on belongs in it")
    position = {id(node): k for k, node in enumerate(got)}

    def late_parent(node):
        return next((p for p in node.parents if position[id(p)] > position[id(node)]), None)

    if len(got) > 1 and got[0] is root:
        raise Wrong(
            f"{where}your order starts at the output {root.name}: that is the order of the backward pass. "
            "topological_order lists each node after the nodes it is made from, so the output comes last, and "
            "backward() reads the list from the end"
        )
    for node in got:
        parent = late_parent(node)
        if parent is not None:
            raise Wrong(
                f"{where}your order puts {node.name} before {parent.name}, but {node.name} is made from "
                f"{parent.name}: each node must come after the nodes it is made from"
            )


# -- 01.3: the whole class -------------------------------------------------------------------------------
def grade_class(V: Any) -> str | None:
    """None if the learner's class ``V`` gives the data and leaf gradients autograd.Value gives, else what differs.

    The probes first (one mistake each, with a message that names it), then the random programs.
    """
    if not isinstance(V, type):
        return f"the answer should be your class itself (Value, no brackets), got {shown(V)}"
    try:
        for probe in (_new_leaf, _forward, _seed, _product, _sum, _tanh, _two_edges, _numbers, _order, _second_call):
            probe(V)
        for program in graded_programs():
            same_as_engine(program, V)
    except Wrong as problem:
        return str(problem)
    return None


def _made(V, text: str, make: Callable[[], Any]) -> Any:
    """The node ``make()`` returns in the learner's graph, which must be a Value of their class."""
    advice = ""
    if text[0].isdigit() or text[0] == "-":
        advice = ": with a plain number on the left, Python asks the Value on the right to do the operation"
    try:
        out = attempt(text, make)
    except Wrong as problem:
        raise Wrong(f"{problem}{advice}") from None
    if not isinstance(out, V):
        raise Wrong(f"{text} gave {shown(out)}, not a Value{advice}")
    return out


def _read(node, name: str, text: str) -> float:
    found = getattr(node, name, None)
    if not is_number(found):
        raise Wrong(f"{text}: its {name} is {shown(found)}, not a number")
    return float(found)


def _gradients(V, text: str, build: Callable, *data: float) -> tuple[Any, list, list[float]]:
    """The output of ``build`` on fresh leaves holding ``data`` after its backward(), the leaves, their gradients."""
    leaves = [attempt(f"Value({d:g})", lambda d=d: V(d)) for d in data]
    out = _made(V, text, lambda: build(*leaves))
    attempt(f"{text}, then backward()", out.backward)
    return (
        out,
        leaves,
        [_read(leaf, "grad", f"after {text} and backward(), {name}") for leaf, name in zip(leaves, "xcd")],
    )


def _new_leaf(V) -> None:
    x = attempt("Value(2.0)", lambda: V(2.0))
    for name, want in (("data", 2.0), ("grad", 0.0)):
        found = getattr(x, name, None)
        if not is_number(found) or found != want:
            raise Wrong(
                f"Value(2.0).{name} is {shown(found)}; a new Value keeps its number in data and starts with grad 0"
            )


def _forward(V) -> None:
    cases = (
        ("Value(2.0) + Value(-3.0)", lambda: V(2.0) + V(-3.0), -1.0),
        ("Value(2.0) * Value(-3.0)", lambda: V(2.0) * V(-3.0), -6.0),
        ("Value(0.5).tanh()", lambda: V(0.5).tanh(), math.tanh(0.5)),
        ("Value(2.0) + 1.5", lambda: V(2.0) + 1.5, 3.5),
        ("Value(2.0) * 3", lambda: V(2.0) * 3, 6.0),
        ("1.5 + Value(2.0)", lambda: 1.5 + V(2.0), 3.5),
        ("3 * Value(2.0)", lambda: 3 * V(2.0), 6.0),
    )
    for text, make, want in cases:
        got = _read(_made(V, text, make), "data", text)
        if not close(got, want):
            raise Wrong(f"{text} has data {got:.6g}; it should be {want:.6g}")


def _seed(V) -> None:
    y, _, (gx, gc) = _gradients(V, "y = x * c", lambda x, c: x * c, 2.0, 3.0)
    gy = _read(y, "grad", "after y = x * c and y.backward(), y")
    if gy != 1.0:
        raise Wrong(
            f"after y = x * c and y.backward(), y.grad is {gy:.6g}; it should be 1, since dy/dy = 1. "
            "Where does your backward() start the chain?"
        )
    if gx == 0.0 and gc == 0.0:
        raise Wrong(
            "after y = x * c and y.backward(), y.grad is 1 but x.grad and c.grad are still 0: backward() should "
            "pass y's gradient on to the Values y was made from"
        )


def _product(V) -> None:
    _, _, (gx, gc) = _gradients(V, "y = x * c", lambda x, c: x * c, 2.0, 3.0)
    if (gx, gc) == (3.0, 2.0):
        return
    at = f"after y = x * c at x = 2, c = 3, x.grad is {gx:.6g} and c.grad is {gc:.6g}; they should be 3 and 2"
    if (gx, gc) == (2.0, 3.0):
        raise Wrong(f"{at}: the local derivatives of * are in each other's places")
    raise Wrong(f"{at}: check the local derivatives of *")


def _sum(V) -> None:
    _, _, (gx, gc) = _gradients(V, "y = x + c", lambda x, c: x + c, 2.0, 3.0)
    if (gx, gc) != (1.0, 1.0):
        raise Wrong(
            f"after y = x + c at x = 2, c = 3, x.grad is {gx:.6g} and c.grad is {gc:.6g}; they should be 1 and 1: "
            "check the local derivatives of +"
        )


def _tanh(V) -> None:
    _, _, (gx,) = _gradients(V, "y = x.tanh()", lambda x: x.tanh(), 0.5)
    want = 1.0 - math.tanh(0.5) ** 2
    if close(gx, want):
        return
    at = f"after y = x.tanh() at x = 0.5, x.grad is {gx:.6g}; it should be {want:.6g}"
    if close(gx, math.tanh(0.5)):
        raise Wrong(f"{at}: {gx:.6g} is the value of tanh at 0.5, not its slope there")
    raise Wrong(f"{at}: check the local derivative of tanh")


def _two_edges(V) -> None:
    for text, build, want in (("y = x * x", lambda x: x * x, 4.0), ("y = x + x", lambda x: x + x, 2.0)):
        _, _, (gx,) = _gradients(V, text, build, 2.0)
        if gx == want:
            continue
        at = f"after {text} at x = 2, x.grad is {gx:.6g}; it should be {want:g}: x reaches y along two edges, one for each side"
        # Shares from two different nodes add up, so the gradient is accumulated: the two edges were one.
        _, _, (apart, _, _) = _gradients(V, "y = x * c + x * d", lambda x, c, d: x * c + x * d, 2.0, 2.0, 3.0)
        if apart == 5.0:
            raise Wrong(
                f"{at}. Your backward() adds the shares that come from different nodes, so look at the parents: does "
                "y keep x twice? A set of parents keeps it once, and one of the two shares is lost"
            )
        raise Wrong(f"{at}. Does your backward() add to a gradient, or overwrite it?")


def _numbers(V) -> None:
    for text, build, want in (
        ("y = x + 1.5", lambda x: x + 1.5, 1.0),
        ("y = 1.5 + x", lambda x: 1.5 + x, 1.0),
        ("y = x * 1.5", lambda x: x * 1.5, 1.5),
        ("y = 1.5 * x", lambda x: 1.5 * x, 1.5),
        ("y = 2 * x", lambda x: 2 * x, 2.0),
    ):
        _, _, (gx,) = _gradients(V, text, build, 2.0)
        if not close(gx, want):
            raise Wrong(f"after {text} at x = 2, x.grad is {gx:.6g}; it should be {want:g}")


SHARED = "b = x * x, q = 3 * (b + 1), f = b + q"  # b is used by f and by b + 1; f = 4x² + 3


def _shared(x, left_first: bool = True):
    b = x * x
    q = 3 * (b + 1)
    return b + q if left_first else q + b


def _order(V) -> None:
    for text, left_first in ((SHARED, True), (SHARED.replace("b + q", "q + b"), False)):
        _, _, (gx,) = _gradients(V, text, lambda x, left_first=left_first: _shared(x, left_first), 2.0)
        if not close(gx, 16.0):
            raise Wrong(
                f"after {text} at x = 2, x.grad is {gx:.6g}; it should be 16 (f = 4x² + 3). b is used twice, by f and "
                "by b + 1: does your backward() wait until b has received from both before passing its gradient on?"
            )


def _second_call(V) -> None:
    f, (x,), (once,) = _gradients(V, SHARED, _shared, 2.0)
    attempt(f"{SHARED}, then backward() twice", f.backward)
    twice = _read(x, "grad", "after a second backward(), x")
    if not (close(twice, once) or close(twice, 2 * once)):
        raise Wrong(
            f"after {SHARED} at x = 2, a second f.backward() leaves x.grad at {twice:.6g}; after the first it was "
            f"{once:.6g}. A second call should give the same gradients again (the engine lets a leaf's gradients add "
            "up across calls, giving twice). Does your backward() start every gradient of the graph from zero?"
        )


def same_as_engine(program: Program, V) -> None:
    """Raise Wrong unless class V gives the program's output and leaf gradients that autograd.Value gives."""
    import autograd

    def leaf(data):
        return attempt(f"Value({data:g})", lambda: V(data))

    mine = run(program, leaf, check=lambda text, make: _made(V, text, make))
    engine = run(program, autograd.Value)
    where = f"on the expression\n{program.text()}\n  "
    attempt(f"{where}backward() from its output", mine[-1].backward)
    engine[-1].backward()
    got, want = _read(mine[-1], "data", f"{where}the output"), engine[-1].data
    if not close(got, want):
        got_text, want_text = two(got, want)
        raise Wrong(f"{where}the output's data is {got_text}; it should be {want_text}")
    leaves = range(len(program.leaves))
    scale = max(abs(engine[k].grad) for k in leaves)
    for k, name in zip(leaves, program.names()):
        got, want = _read(mine[k], "grad", f"{where}{name}"), engine[k].grad
        if not close(got, want, scale):
            got_text, want_text = two(got, want)
            raise Wrong(
                f"{where}{name}.grad is {got_text}; it should be {want_text}. Your class gets single ops and small "
                "graphs right, so look at what this expression has that they lack: a node that several others use, "
                "a number on the left, a long chain"
            )
