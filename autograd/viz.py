"""Drawing computation graphs: DOT text with the ``graphviz`` package, SVG/PNG with ``graphviz-pure``.

``draw(root)`` shows every Value as a box (label, data, grad) and every op as a
small circle between a node and its parents. Leaves (inputs and parameters) are
shaded blue; the output has a bold border.

Rendering runs the ``graphviz-pure`` binary that ships in its pip wheel, so no
system Graphviz is needed and output is the same everywhere. ``engine="dot"`` (or
the environment variable ``CHAINRULE_GRAPHVIZ=dot``) uses a system Graphviz instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import graphviz
import numpy as np

from . import checks
from .engine import Value, topological_order

ENGINES = ("graphviz-pure", "dot")
RANKDIRS = ("LR", "TB", "RL", "BT")
LEAF_FILL = "#dbeafe"
NODE_FILL = "#ffffff"
OP_FILL = "#f3f4f6"
HIGHLIGHT_FILL = "#fde68a"
HIGHLIGHT_EDGE = "#d97706"


def format_number(x) -> str:
    """4 significant digits for a float; the first few samples and the count for a batch."""
    if x is None:
        return "?"
    if isinstance(x, float):
        return f"{x + 0.0:.4g}"  # + 0.0 turns -0.0 into 0.0
    flat = np.asarray(x).ravel()
    shown = ", ".join(f"{v:.3g}" for v in flat[:3])
    return f"[{shown}{', …' if flat.size > 3 else ''}] ({flat.size})"


def node_names(order: Sequence[Value]) -> dict[int, str]:
    """A readable name per node: its label if it has one, else n0, n1, ... in topological order."""
    names, used = {}, set()
    for i, node in enumerate(order):
        name = node.label if node.label and node.label not in used else f"n{i}"
        used.add(name)
        names[id(node)] = name
    return names


def _escape_record(text: str) -> str:
    for ch in '\\{}|<>"':
        text = text.replace(ch, "\\" + ch)
    return text


def _check_root(root, max_nodes) -> list[Value]:
    if not isinstance(root, Value):
        raise TypeError(f"draw needs a Value (the output of a computation), got {type(root).__name__}")
    checks.count(max_nodes, "max_nodes")
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph has {len(order)} Values, more than max_nodes={max_nodes}; "
            "raise max_nodes, or draw a smaller part by calling draw() on an intermediate Value"
        )
    return order


def build_dot(
    order: Sequence[Value],
    rankdir: str = "LR",
    show_grad: bool = True,
    data: dict[int, object] | None = None,
    grads: dict[int, object] | None = None,
    highlight: Iterable[Value] = (),
    highlight_edges: Iterable[tuple[Value, Value]] = (),
) -> graphviz.Digraph:
    """DOT for the nodes in ``order``; ``data``/``grads`` (by id) override what each node shows."""
    checks.choice(rankdir, "rankdir", RANKDIRS)
    names = node_names(order)
    index = {id(node): i for i, node in enumerate(order)}
    lit = {id(n) for n in highlight}
    lit_edges = {(id(a), id(b)) for a, b in highlight_edges}
    root = order[-1]
    dot = graphviz.Digraph(
        graph_attr={"rankdir": rankdir, "bgcolor": "white"}, node_attr={"fontname": "Helvetica", "fontsize": "11"}
    )
    for node in order:
        i = index[id(node)]
        shown = node.data if data is None else data.get(id(node))
        fields = [_escape_record(names[id(node)]), f"data {_escape_record(format_number(shown))}"]
        if show_grad:
            grad = node.grad if grads is None else grads.get(id(node))
            fields.append(f"grad {_escape_record(format_number(grad))}")
        fill = HIGHLIGHT_FILL if id(node) in lit else (LEAF_FILL if not node.parents else NODE_FILL)
        dot.node(
            f"v{i}",
            label="{ " + " | ".join(fields) + " }",
            shape="record",
            style="filled,bold" if node is root else "filled",
            fillcolor=fill,
        )
        if node.parents:
            dot.node(
                f"v{i}op",
                label=_escape_record(node.op),
                shape="circle",
                style="filled",
                fillcolor=HIGHLIGHT_FILL if id(node) in lit else OP_FILL,
                fontsize="10",
                width="0.3",
                margin="0.02",
            )
            dot.edge(f"v{i}op", f"v{i}", **_edge_style(id(node) in lit))
            for parent in node.parents:
                dot.edge(f"v{index[id(parent)]}", f"v{i}op", **_edge_style((id(parent), id(node)) in lit_edges))
    return dot


def _edge_style(lit: bool) -> dict:
    return {"color": HIGHLIGHT_EDGE, "penwidth": "2.5"} if lit else {}


# -- rendering ----------------------------------------------------------------------
def find_renderer(engine: str | None = None) -> str:
    """Path of the program that turns DOT into SVG/PNG: graphviz-pure by default, or a system ``dot``."""
    engine = engine if engine is not None else os.environ.get("CHAINRULE_GRAPHVIZ", "graphviz-pure")
    checks.choice(engine, "engine", ENGINES)
    if engine == "graphviz-pure":
        beside_python = Path(sys.executable).parent / "graphviz-pure"
        found = str(beside_python) if beside_python.exists() else shutil.which("graphviz-pure")
        if found:
            return found
        raise RuntimeError(
            "cannot draw: the graphviz-pure program was not found; install it with "
            '`pip install graphviz-pure` (it comes with chainrule), or pass engine="dot" to use a system Graphviz'
        )
    found = shutil.which("dot")
    if found:
        return found
    raise RuntimeError(
        'cannot draw with engine="dot": no Graphviz `dot` program on PATH; install Graphviz, '
        "or leave engine unset to use the bundled graphviz-pure"
    )


def render(sources: str | Sequence[str], fmt: str = "svg", engine: str | None = None) -> bytes | list[str]:
    """Run the renderer once. One DOT text gives bytes; a list of DOT texts gives one SVG string each."""
    program = find_renderer(engine)
    many = not isinstance(sources, str)
    text = "\n".join(sources) if many else sources
    result = subprocess.run([program, f"-T{fmt}"], input=text.encode(), capture_output=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(
            f"{Path(program).name} failed to render the graph: {result.stderr.decode(errors='replace').strip()[:500]}"
        )
    if not many:
        return result.stdout
    svgs = ["<?xml" + part for part in result.stdout.decode().split("<?xml")[1:]]
    if len(svgs) != len(sources):
        raise RuntimeError(f"expected {len(sources)} drawings from {Path(program).name}, got {len(svgs)}")
    return svgs


class Graph:
    """A drawn computation graph: ``.source`` (DOT), ``.svg()``, ``.save(path)``; shows inline in Jupyter."""

    def __init__(self, dot: graphviz.Digraph, engine: str | None = None) -> None:
        self.source: str = dot.source
        self.engine = engine
        self._svg: str | None = None

    def svg(self) -> str:
        """The drawing as an SVG document."""
        if self._svg is None:
            self._svg = render(self.source, "svg", self.engine).decode()
        return self._svg

    def png(self) -> bytes:
        return render(self.source, "png", self.engine)

    def save(self, path: str | os.PathLike) -> Path:
        """Write ``.svg``, ``.png`` or ``.dot`` (chosen by the extension); returns the path."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".svg", ".png", ".dot", ".gv"):
            raise ValueError(f"cannot save a graph as {path.name!r}: use a .svg, .png or .dot file name")
        content = {".svg": lambda: self.svg().encode(), ".png": self.png}.get(suffix, lambda: self.source.encode())()
        write_file(path, content)
        return path

    def _repr_svg_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        return f"<Graph: {self.source.count('shape=record')} values; .svg(), .save(path)>"


def write_file(path: Path, content: bytes) -> None:
    """Write a file, turning a missing directory or a permission problem into a clear error."""
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {str(path)!r}: directory {str(path.parent)!r} does not exist")
    try:
        path.write_bytes(content)
    except (PermissionError, IsADirectoryError) as error:
        raise PermissionError(f"cannot write {str(path)!r}: {error.strerror}; choose a writable path") from None


def draw(
    root: Value,
    rankdir: str = "LR",
    show_grad: bool = True,
    max_nodes: int = 500,
    engine: str | None = None,
) -> Graph:
    """Draw the graph that ends at ``root``: each Value with its label, data and grad, each op between.

    ``rankdir`` is ``"LR"`` (left to right) or ``"TB"``, ``"RL"``, ``"BT"``. A graph with
    more than ``max_nodes`` Values raises ValueError.
    """
    check_engine(engine)
    order = _check_root(root, max_nodes)
    return Graph(build_dot(order, rankdir=rankdir, show_grad=show_grad), engine)


def check_engine(engine: str | None) -> None:
    """None (the default renderer) or one of ENGINES."""
    if engine is not None:
        checks.choice(engine, "engine", ENGINES)
