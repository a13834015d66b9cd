"""The chain rule as a sum over paths: ``explain(root, x)``.

d(root)/dx is the sum, over every path from ``root`` back to ``x``, of the product of
the local derivatives along that path. ``explain`` lists the paths, their local
derivatives and products, and the sum, next to the gradient the backward pass computes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .. import checks
from ..functional import gradients
from ..value import Value
from .digits import FEWEST, factor_digits, sum_digits
from .layout import check_root
from .text import format_number, node_names
from .view import shown_order


@dataclass(frozen=True)
class Path:
    """One path from the output back to ``x``: its edges (node, parent), their local derivatives, and their product."""

    edges: tuple[tuple[Value, Value], ...]
    locals: tuple[float, ...]
    product: float


class Explanation:
    """The paths from ``root`` back to ``x``; prints as a table and renders in Jupyter."""

    def __init__(self, root: Value, x: Value, paths: list[Path], names: dict[int, str]) -> None:
        self.root = root
        self.x = x
        self.paths = paths
        self.names = names
        self.total = sum(path.product for path in paths) if paths else 0.0
        self.grad = gradients(root, [x])[0]

    def _name(self, node: Value) -> str:
        return self.names[id(node)]

    def _rows(self) -> tuple[list[tuple[list[str], list[str], str]], str]:
        """Per path: the names along it, each local derivative as "∂a/∂b = 0.5", and the product; and the sum.

        Written with digits enough that each product and the sum hold for the numbers shown (digits.py).
        """
        products = [path.product for path in self.paths]
        found = sum_digits(products, self.total)
        product_digits, total_digits = found or (FEWEST, FEWEST)
        rows = []
        for path in self.paths:
            digits = factor_digits(list(path.locals), path.product, product_digits)
            equals = "" if digits is not None and found else "≈ "  # no digits make it hold: say it is rounded
            route = [self._name(self.root)] + [self._name(p) for _, p in path.edges]  # no edge: x is the root
            factors = [
                f"∂{self._name(n)}/∂{self._name(p)} = {format_number(local, digits or FEWEST)}"
                for (n, p), local in zip(path.edges, path.locals)
            ]
            rows.append((route, factors, equals + format_number(path.product, product_digits)))
        return rows, ("" if found else "≈ ") + format_number(self.total, total_digits)

    def __str__(self) -> str:
        root, x = self._name(self.root), self._name(self.x)
        lines = [f"∂{root}/∂{x} as a sum over the {len(self.paths)} path(s) from {root} back to {x}:"]
        rows, total = self._rows()
        for k, (route, factors, product) in enumerate(rows, 1):
            lines.append(f"  path {k}: {' → '.join(route)}")
            lines.append(f"          {' · '.join(factors)}")
            lines.append(f"          product {product}")
        lines.append(f"  sum of the products: {total}; the backward pass gives {x}.grad = {format_number(self.grad)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        root, x = html.escape(self._name(self.root)), html.escape(self._name(self.x))

        def cells(*texts: str, tag: str = "td") -> str:  # left-aligned, whatever the notebook's style says
            return "".join(f'<{tag} style="text-align:left;vertical-align:top">{t}</{tag}>' for t in texts)

        def whole(parts: list[str], joint: str) -> str:  # a line breaks after a joint, never inside ∂L/∂w[1,0,2]
            return f"\u00a0{joint} ".join(f'<span style="white-space:nowrap">{html.escape(p)}</span>' for p in parts)

        rows, total_text = self._rows()
        body = "".join(
            f"<tr>{cells(str(k), whole(route, '→'), whole(factors, '·'), whole([product], ''))}</tr>"
            for k, (route, factors, product) in enumerate(rows, 1)
        )
        total = f"sum over paths (the backward pass gives {x}.grad = {format_number(self.grad)})"
        return (
            f'<table style="text-align:left"><caption style="text-align:left">∂{root}/∂{x}: '
            "one product of local derivatives per path, added up</caption>"
            f"<thead><tr>{cells('path', 'from the output back', 'local derivatives', 'product', tag='th')}</tr></thead>"
            f'<tbody>{body}</tbody><tfoot><tr>{cells("")}<td colspan="2" style="text-align:left">{total}</td>'
            f"{cells(whole([total_text], ''))}</tr></tfoot></table>"
        )


def explain(root: Value, x: Value, max_paths: int = 1000, max_nodes: int = 500) -> Explanation:
    """Every path from ``root`` back to ``x`` with its local derivatives and their product.

    The products add up to d(root)/dx, which ``backward()`` computes by visiting each
    node once instead of each path once. A graph with more than ``max_paths`` paths
    raises ValueError (their number can grow exponentially with depth).
    """
    order = check_root(root, max_nodes, "explain")
    if not isinstance(x, Value):
        raise TypeError(f"explain: x must be a Value of the graph, got {type(x).__name__}")
    checks.count(max_paths, "max_paths")
    reaches = {id(x)}
    count = {id(x): 1}  # paths from each node back to x
    for node in order:
        if node is not x:
            paths = sum(count.get(id(p), 0) for p in node.parents)
            if paths:
                reaches.add(id(node))
                count[id(node)] = paths
    if id(root) not in reaches:
        raise ValueError(f"explain: {x!r} is not in the graph of {root!r}; no path leads from one to the other")
    for node in order:  # the paths must carry numbers; the rest of the graph (a weight matrix W) may hold arrays
        if id(node) in reaches and node.data.__class__ is not float:
            raise ValueError(
                f"explain follows paths of Values holding numbers; {node.label or node.op or 'a node'} on a path "
                f"from the output back to x holds an array of shape {node.shape}: explain the path to one of "
                "its entries instead (a weight such as w[0,1,0])"
            )
    if count[id(root)] > max_paths:
        raise ValueError(
            f"explain: there are {count[id(root)]:,} paths from the output back to x, more than "
            f"max_paths={max_paths}; raise max_paths or explain a smaller part of the graph"
        )
    found: list[Path] = []
    stack: list[tuple[Value, tuple, tuple]] = [(root, (), ())]
    while stack:
        node, edges, factors = stack.pop()
        if node is x:
            product = 1.0
            for factor in factors:
                product *= factor
            found.append(Path(edges, factors, product))
            continue
        steps = [(p, d) for p, d in zip(node.parents, node.local_derivatives()) if id(p) in reaches]
        for parent, local in reversed(steps):
            stack.append((parent, (*edges, (node, parent)), (*factors, local)))
    return Explanation(root, x, found, node_names(shown_order(order)))  # the names draw and Stepper give
