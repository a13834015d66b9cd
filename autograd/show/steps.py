"""The steps of a computation as data and in words: ``trace(root)`` and ``describe(step, names)``.

``trace(root)`` records the steps the engine takes: a forward step per node (inputs
and parameters first, then every op layer by layer, as a person computes by hand: see
view.py), then the backward pass exactly as ``backward()`` runs it, with the local
derivative, the contribution and the parent's new gradient on every edge. The backward
pass is watched, not repeated: ``trace`` runs the engine's own pass and restores every
gradient afterwards. An entry of a parameter (``w[0,1,0]``, read out of ``W``) is a leaf
here as in every picture: the step in which it passes its gradient on into ``W`` is not
recorded. ``describe`` writes a step as the captions of the stepper do, with enough
digits for the arithmetic it shows to hold (digits.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..chain import backpropagate
from ..formulas import ones_like
from ..value import Value
from .digits import backward_texts, operand_digits
from .layout import check_root
from .text import MINUS, atom, format_number, formula, number
from .view import is_entry, shown_order, shown_parents


@dataclass(frozen=True)
class Edge:
    """One application of the chain rule: parent.grad += local * upstream."""

    parent: Value
    local: object
    upstream: object
    contribution: object
    parent_grad_after: object
    parent_grad_before: object = None


@dataclass(frozen=True)
class Step:
    """A forward step (a node's value is computed) or a backward step (its gradient is passed on)."""

    kind: str  # "forward", "seed" or "backward"
    node: Value
    value: object = None
    grad: object = None
    edges: tuple[Edge, ...] = field(default=())


def trace(root: Value, max_nodes: int = 500, fresh: bool = False) -> list[Step]:
    """The engine's steps for ``root.backward()``, recorded without changing any gradient.

    Leaves start from the gradients they hold now (they accumulate, as in ``backward``),
    interior nodes from zero, so the last gradient recorded for each node equals what
    ``root.backward()`` leaves in it. With ``fresh=True`` leaves start from zero too:
    the pass as it runs after ``zero_grad()``.
    """
    order = check_root(root, max_nodes, "trace")
    steps = [Step("forward", node, value=node.data) for node in shown_order(order)]
    saved = [node.grad for node in order]
    backward: dict[int, list[Edge]] = {}
    nodes: list[Value] = []
    held = {id(node): 0.0 if (fresh or node.parents) else node.grad for node in order}  # before each edge

    def observe(node, parent, local, contribution):
        before, held[id(parent)] = held[id(parent)], parent.grad
        if is_entry(node):  # an entry passing its gradient into its matrix: not a step of the picture
            return
        if id(node) not in backward:
            backward[id(node)] = []
            nodes.append(node)
        backward[id(node)].append(Edge(parent, local, node.grad, contribution, parent.grad, before))

    try:
        if fresh:
            for node in order:
                if node.grad is not None:  # constants stay without a gradient
                    node.grad = 0.0
        backpropagate(root, ones_like(root.data), observe=observe)  # a batch: the pass of its sum
        steps.append(Step("seed", root, value=root.data, grad=root.grad))  # nothing feeds the output: still its seed
        steps += [Step("backward", n, value=n.data, grad=n.grad, edges=tuple(backward[id(n)])) for n in nodes]
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad
    return steps


def final_gradients(steps: list[Step]) -> dict[int, object]:
    """Replay the steps: the last gradient each node received, by id."""
    grads: dict[int, object] = {}
    for step in steps:
        if step.kind == "seed":
            grads[id(step.node)] = step.grad
        for edge in step.edges:
            grads[id(edge.parent)] = edge.parent_grad_after
    return grads


# -- words -----------------------------------------------------------------------------------------
def _number(text: str) -> str:
    """A number inside a formula: negative ones in parentheses, so (−2)² does not read as −(2²)."""
    return f"({text})" if text.startswith(MINUS) else text


def local_rule(node: Value, k: int, names: dict[int, str]) -> str:
    """The local derivative along the node's edge k as a formula in the nodes' names ("" if the op has none).

    A constant gets no gradient and so no edge: in ``half * e`` edge 0 leads to ``e``, the op's parent 1.
    """
    k = [i for i, parent in enumerate(node.parents) if not parent.is_constant][k]
    op = node._op
    if callable(op.rule):
        return op.rule(k, [names[id(p)] for p in node.parents])
    if not op.rule:
        return ""
    template = op.rule[k] if k < len(op.rule) else op.rule[-1]
    return template.format(*[names[id(p)] for p in node.parents], out=names[id(node)])


def describe(step: Step, names: dict[int, str]) -> list[str]:
    """The step in words and numbers, one line per edge for a backward step."""
    name = names[id(step.node)]
    if step.kind == "forward":
        node = step.node
        if not shown_parents(node):
            return [f"{name} = {format_number(step.value)}  (an input or parameter: a leaf)"]
        symbolic = formula(node, [atom(names[id(p)]) for p in node.parents])[0]
        digits, result_digits = operand_digits([p.data for p in node.parents], step.value, node._op.forward)
        numeric = formula(node, [number(p.data, digits) for p in node.parents])[0]
        return [f"{name} = {symbolic} = {numeric} = {format_number(step.value, result_digits)}"]
    if step.kind == "seed":
        return [f"{name}.grad = ∂{name}/∂{name} = {format_number(step.grad)}  (the backward pass starts at the output)"]
    upstream, rows = backward_texts(step)
    return [_edge_line(step, k, edge, names, upstream, rows[k]) for k, edge in enumerate(step.edges)]


def _edge_line(step: Step, k: int, edge: Edge, names: dict[int, str], upstream: str, row: dict) -> str:
    name, parent = names[id(step.node)], names[id(edge.parent)]
    rule = local_rule(step.node, k, names)
    shown_rule = f" [∂{name}/∂{parent} = {rule}]" if rule and rule != row["local"] else ""
    equals = "≈" if row["rounded"] else "="  # no digits make this row's arithmetic hold exactly
    # A first contribution is the gradient; a later one is added to what the parent holds.
    now = row["after"] if row["before"] == "0" else f"{row['before']} + {_number(row['added'])} {equals} {row['after']}"
    return (
        f"{parent}.grad += ∂{name}/∂{parent} · {name}.grad = {_number(row['local'])} · {_number(upstream)}"
        f" {equals} {row['added']}, now {now}{shown_rule}"
    )
