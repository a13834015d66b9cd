"""Stepping through a computation: the forward and backward passes one node at a time.

``trace(root)`` lists the steps the engine takes: forward steps in topological
order, then backward steps in the order ``backward()`` applies them, each with the
local derivative, the contribution and the parent's new gradient on every edge.

``Stepper(root)`` draws one frame per step and saves them as a single HTML page
with Prev/Next buttons, a slider and arrow keys; in Jupyter it shows inline.
"""

from __future__ import annotations

import html
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import checks, rules
from .engine import Value
from .viz import RANKDIRS, _check_root, build_dot, check_engine, format_number, node_names, render, write_file


@dataclass(frozen=True)
class Edge:
    """One application of the chain rule: parent.grad += local * upstream."""

    parent: Value
    local: object
    upstream: object
    contribution: object
    parent_grad_after: object


@dataclass(frozen=True)
class Step:
    """A forward step (a node's value is computed) or a backward step (its gradient is passed on)."""

    kind: str  # "forward", "seed" or "backward"
    node: Value
    value: object = None
    grad: object = None
    edges: tuple[Edge, ...] = field(default=())


def trace(root: Value, max_nodes: int = 500, fresh: bool = False) -> list[Step]:
    """The engine's steps for ``root.backward()``, computed without changing any gradient.

    Leaves start from the gradients they hold now (they accumulate, as in ``backward``),
    interior nodes from zero, so the last gradient recorded for each node equals what
    ``root.backward()`` leaves in it. With ``fresh=True`` leaves start from zero too:
    the pass as it runs after ``zero_grad()``.
    """
    order = _check_root(root, max_nodes)
    steps = [Step("forward", node, value=node.data) for node in order]
    grads = {id(node): (node.grad if not (node.parents or fresh) else 0.0) for node in order}
    grads[id(root)] = grads[id(root)] + rules.ones_like(root.data)
    steps.append(Step("seed", root, value=root.data, grad=grads[id(root)]))
    for node in reversed(order):
        if not node.parents:
            continue
        upstream = grads[id(node)]
        edges = []
        for parent, local in zip(node.parents, node.local_derivatives()):
            contribution = local * upstream
            if not isinstance(contribution, float) and isinstance(parent.data, float):
                contribution = float(np.sum(contribution))
            grads[id(parent)] = grads[id(parent)] + contribution
            edges.append(Edge(parent, local, upstream, contribution, grads[id(parent)]))
        steps.append(Step("backward", node, value=node.data, grad=upstream, edges=tuple(edges)))
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


def describe(step: Step, names: dict[int, str]) -> list[str]:
    """The step in words and numbers, one line per edge for a backward step."""
    name = names[id(step.node)]
    f = format_number
    if step.kind == "forward":
        node = step.node
        if not node.parents:
            return [f"{name} = {f(step.value)}  (an input or parameter: a leaf)"]
        symbolic = _expression(node.op, [names[id(p)] for p in node.parents])
        numeric = _expression(node.op, [_parenthesised(f(p.data)) for p in node.parents])
        return [f"{name} = {symbolic} = {numeric} = {f(step.value)}"]
    if step.kind == "seed":
        return [f"{name}.grad = d{name}/d{name} = {f(step.grad)}  (the backward pass starts at the output)"]
    lines = []
    for edge in step.edges:
        parent = names[id(edge.parent)]
        lines.append(
            f"{parent}.grad += d{name}/d{parent} ({f(edge.local)}) x {name}.grad ({f(edge.upstream)})"
            f" = {f(edge.contribution)}, now {f(edge.parent_grad_after)}"
        )
    return lines


def _parenthesised(number: str) -> str:
    """(-2) rather than -2 inside a formula, so that (-2)**2 does not read as -(2**2)."""
    return f"({number})" if number.startswith("-") else number


def _expression(op: str, args: list[str]) -> str:
    """How an op reads in a formula: x * y, x**2, -x, tanh(x), sum(a, b, c)."""
    if op in ("+", "-", "*", "/", "**") and len(args) == 2:
        return f"{args[0]} {op} {args[1]}"
    if op.startswith("**"):
        return f"{args[0]}{op}"
    if op == "neg":
        return f"-{args[0]}"
    return f"{op}({', '.join(args)})"


_counter = itertools.count()


class Stepper:
    """One frame per step of the forward and backward pass, as a self-contained HTML page.

    The backward pass is shown from zero gradients (as after ``zero_grad()``), whatever
    the leaves hold from earlier ``backward()`` calls.

    >>> Stepper(loss).save("backward.html")   # open it in a browser; arrow keys move between steps
    """

    def __init__(self, root: Value, rankdir: str = "LR", max_nodes: int = 60, engine: str | None = None) -> None:
        checks.choice(rankdir, "rankdir", RANKDIRS)
        self.steps = trace(root, max_nodes=max_nodes, fresh=True)
        self.order = [step.node for step in self.steps if step.kind == "forward"]
        self.names = node_names(self.order)
        self.rankdir = rankdir
        check_engine(engine)
        self.engine = engine
        self._frames: list[str] | None = None

    def __len__(self) -> int:
        return len(self.steps)

    def captions(self) -> list[str]:
        titles = {"forward": "Forward", "seed": "Backward", "backward": "Backward"}
        return [
            f"{titles[s.kind]} step {i + 1} of {len(self.steps)}: " + "\n".join(describe(s, self.names))
            for i, s in enumerate(self.steps)
        ]

    def frames(self) -> list[str]:
        """One SVG per step (rendered in a single call of the renderer)."""
        if self._frames is None:
            sources = [self._frame_dot(i).source for i in range(len(self.steps))]
            self._frames = [_inline_svg(svg) for svg in render(sources, "svg", self.engine)]
        return self._frames

    def _frame_dot(self, i: int):
        forward = [s for s in self.steps[: i + 1] if s.kind == "forward"]
        data = {id(s.node): s.value for s in forward}
        grads = final_gradients(self.steps[: i + 1]) if i >= len(self.order) else {}
        step = self.steps[i]
        edges = [(e.parent, step.node) for e in step.edges]
        if step.kind == "forward":
            edges = [(p, step.node) for p in step.node.parents]
        return build_dot(
            self.order, self.rankdir, True, data=data, grads=grads, highlight=[step.node], highlight_edges=edges
        )

    def html(self, standalone: bool = True) -> str:
        """The page (``standalone``) or a fragment for Jupyter; nothing is fetched from the network."""
        uid = f"chainrule-stepper-{os.getpid()}-{next(_counter)}"
        frames = "\n".join(
            f'<div class="frame" data-step="{i}"{"" if i == 0 else " hidden"}>{svg}'
            f'<pre class="caption">{html.escape(caption)}</pre></div>'
            for i, (svg, caption) in enumerate(zip(self.frames(), self.captions()))
        )
        body = _TEMPLATE.replace("UID", uid).replace("LAST", str(len(self.steps) - 1)).replace("FRAMES", frames)
        if not standalone:
            return body
        return f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>chainrule stepper</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n'

    def save(self, path: str | os.PathLike) -> Path:
        """Write the stepper as one self-contained HTML file; returns the path."""
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"cannot save a stepper as {path.name!r}: use a .html file name")
        write_file(path, self.html().encode())
        return path

    def _repr_html_(self) -> str:
        return self.html(standalone=False)

    def __repr__(self) -> str:
        return f"<Stepper: {len(self.steps)} steps over {len(self.order)} values; .save('backward.html')>"


_SHARED_TEXT_STYLE = re.compile(r' (?:xml:space="preserve"|text-anchor="middle"|font-family="Helvetica,sans-Serif")')


def _inline_svg(svg: str) -> str:
    """An SVG document trimmed for embedding in HTML: no XML prolog, DOCTYPE, comments,
    namespace URLs, node titles or layout whitespace, and the text style every label
    shares moved into the page's stylesheet (a stepper holds one SVG per step)."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->|<title>[^<]*</title>", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = _SHARED_TEXT_STYLE.sub("", svg)
    return re.sub(r">\s+<", "><", svg)


_TEMPLATE = """<div id="UID" class="chainrule-stepper" tabindex="0">
<style>
#UID { font-family: Helvetica, Arial, sans-serif; outline: none; }
#UID .controls { display: flex; gap: 0.5em; align-items: center; margin: 0.4em 0; }
#UID .controls input[type=range] { flex: 1; }
#UID .caption { white-space: pre-wrap; font-size: 14px; background: #fffbeb; border-left: 4px solid #d97706; padding: 0.4em 0.6em; }
#UID svg { max-width: 100%; height: auto; }
#UID svg text { white-space: pre; text-anchor: middle; font-family: Helvetica, sans-serif; }
</style>
<div class="controls">
<button type="button" class="prev" title="previous step (left arrow)">&#9664; Prev</button>
<button type="button" class="next" title="next step (right arrow)">Next &#9654;</button>
<input type="range" class="slider" min="0" max="LAST" value="0" aria-label="step">
<span class="position"></span>
</div>
FRAMES
<script>
(function () {
  var root = document.getElementById("UID");
  var frames = root.querySelectorAll(".frame");
  var slider = root.querySelector(".slider");
  var position = root.querySelector(".position");
  var current = 0;
  function show(i) {
    current = Math.max(0, Math.min(frames.length - 1, i));
    for (var k = 0; k < frames.length; k++) { frames[k].hidden = (k !== current); }
    slider.value = current;
    position.textContent = "step " + (current + 1) + " / " + frames.length;
  }
  root.querySelector(".prev").addEventListener("click", function () { show(current - 1); });
  root.querySelector(".next").addEventListener("click", function () { show(current + 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  function onKey(event) {
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
  }
  root.addEventListener("keydown", onKey);
  if (document.body && document.body.firstElementChild === root) { document.addEventListener("keydown", onKey); }
  show(0);
})();
</script>
</div>"""
