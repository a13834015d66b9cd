"""A graph laid out once: where every box and arrow goes, and which boxes are grouped.

``Scene(order)`` measures every box (wide enough for the widest text it will ever show),
writes the graph as DOT with fixed-size boxes, and asks Graphviz for the positions once.
The layout comes from the ``graphviz-pure`` program that ships in its pip wheel (no
system Graphviz needed; ``engine="dot"`` or ``CHAINRULE_GRAPHVIZ=dot`` uses a system
Graphviz instead). The drawing (svg.py) and the stepper's page reuse the same scene.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import checks
from ..order import topological_order
from ..value import Value
from .text import FONT_SIZE, SMALL_SIZE, box_text, node_names, op_symbol, shape_text, text_width
from .view import shown_parents

ENGINES = ("graphviz-pure", "dot")
RANKDIRS = ("LR", "TB", "RL", "BT")
GROUPS = ("neuron", "layer")

# Colours (Tailwind-like palette): shared by the SVG, the DOT for PNG and the stepper's stylesheet.
LEAF_FILL = "#dbeafe"
CONSTANT_FILL = "#f1f5f9"
NODE_FILL = "#ffffff"
STROKE = "#334155"
MUTED = "#64748b"
EDGE = "#94a3b8"
PATH = "#7c3aed"
CLUSTER_FILL = "#f8fafc"
CLUSTER_STROKE = "#cbd5e1"

# A box: three rows of text (name and op, data, grad) inside padding, in px.
LINE = 16.0
PAD_X = 7.0
PAD_Y = 5.0
# Between a row's key ("data") and its number. 2·PAD_X + the key "grad" + GAP stays within the
# 48 px that the stepper's script leaves free of the number when it checks that a number fits.
GAP = 8.0
MARGIN = 4.0  # around the whole drawing
SMALL_GRAPH = 120  # nodes: a graph this small is laid out two ways and the tidier kept


def node_fill(node: Value) -> str:
    """Light blue for inputs and parameters (a parameter's entries too), grey for constants, white for op results."""
    if shown_parents(node):
        return NODE_FILL
    return CONSTANT_FILL if node.grad is None else LEAF_FILL


# -- the scene ---------------------------------------------------------------------------------
@dataclass
class Box:
    """Where a node is drawn: top-left corner, width and height, in px."""

    x: float
    y: float
    w: float
    h: float


@dataclass
class Arrow:
    """An edge from ``parent`` (an input of an op) to ``child`` (its result): its path and midpoint."""

    parent: int
    child: int
    d: str
    mid: tuple[float, float]


@dataclass
class Cluster:
    label: str
    box: Box


class Scene:
    """A graph laid out once: nodes in topological order, their names, boxes, arrows and groups.

    ``texts`` gives, for each node, every (data, grad) text it will ever show, so
    each box is made wide enough for the widest of them.
    """

    def __init__(
        self,
        order: Sequence[Value],
        rankdir: str = "LR",
        show_grad: bool = True,
        texts: dict[int, list[tuple[str, str]]] | None = None,
        group: str | None = None,
        engine: str | None = None,
        ranksep: float = 0.32,
        names: dict[int, str] | None = None,
    ) -> None:
        self.order = list(order)
        self.ranksep = ranksep  # inches between ranks
        self.index = {id(node): i for i, node in enumerate(self.order)}
        self.names = names if names is not None else node_names(self.order)
        self.rankdir = rankdir
        self.show_grad = show_grad
        self.engine = engine
        self.edges = [(self.index[id(p)], i) for i, node in enumerate(self.order) for p in shown_parents(node)]
        self.sizes = [self._size(node, (texts or {}).get(id(node), [])) for node in self.order]
        self.groups = _groups(self.order, self.names, group) if group else {}
        self.source, layout = self._best_layout()
        self.boxes, self.arrows, self.clusters, self.width, self.height = self._read(layout)

    def _size(self, node: Value, texts: list[tuple[str, str]]) -> tuple[float, float]:
        texts = texts or [(box_text(node.data), box_text(node.grad))]
        name = self.names[id(node)]
        header = text_width(name, FONT_SIZE, bold=True) + GAP + text_width(op_symbol(node), SMALL_SIZE)
        header += text_width(" " + shape_text(node), SMALL_SIZE) if shape_text(node) else 0.0
        numbers = max(text_width(t, FONT_SIZE) for pair in texts for t in (pair if self.show_grad else pair[:1]))
        width = max(header, text_width("grad", SMALL_SIZE) + GAP + numbers) + 2 * PAD_X
        rows = 3 if self.show_grad else 2
        return round(width + 0.5), rows * LINE + 2 * PAD_Y

    def _best_layout(self) -> tuple[str, dict]:
        """DOT and Graphviz's layout of it: of two ways to write it, the one a lecture would draw.

        Graphviz orders a rank by a heuristic that starts from the order the nodes are written
        in, so x2 may land above x1 and s1 above s2. A small graph is laid out twice (nodes
        written first to last, and last to first with each node's arrows kept in order), and the
        layout with fewer crossing arrows, then fewer boxes out of index order, is kept.
        """
        first = self._dot()
        layout = json.loads(render(first, "json", self.engine))
        if len(self.order) > SMALL_GRAPH:  # a second layout would double the time of a large drawing
            return first, layout
        second = self._dot(reverse=True)
        other = json.loads(render(second, "json", self.engine))
        return (second, other) if self._untidiness(other) < self._untidiness(layout) else (first, layout)

    def _untidiness(self, layout: dict) -> tuple[int, int]:
        """(arrows that cross, pairs of boxes of a rank out of index order, top to bottom or left to right)."""
        along, across = {"LR": (0, 1), "RL": (0, 1), "TB": (1, 0), "BT": (1, 0)}[self.rankdir]
        lines = [[tuple(map(float, p.split(","))) for p in e["pos"].split() if p[:2] not in ("e,", "s,")]
                 for e in layout.get("edges", [])]  # fmt: skip
        crossings = sum(_crossing(a, b) for k, a in enumerate(lines) for b in lines[k + 1 :])
        ranks: dict[int, list[tuple[float, int]]] = {}
        for obj in layout.get("objects", []):
            if re.fullmatch(r"v\d+", obj.get("name", "")):
                xy = [float(v) for v in obj["pos"].split(",")]
                ranks.setdefault(round(xy[along]), []).append((-xy[1] if across else xy[0], int(obj["name"][1:])))
        disorder = 0
        for rank in ranks.values():
            indices = [i for _, i in sorted(rank)]
            disorder += sum(a > b for k, a in enumerate(indices) for b in indices[k + 1 :])
        return crossings, disorder

    def _dot(self, reverse: bool = False) -> str:
        """DOT with fixed-size boxes: the layout's input, and a drawing Graphviz can render as PNG."""
        lines = [
            "digraph chainrule {",
            f'  graph [rankdir={self.rankdir}, nodesep=0.16, ranksep={self.ranksep:g}, pad=0.1, bgcolor="white", '
            f'fontname="DejaVu Sans", fontsize=10{", ordering=out" if reverse else ""}];',
            '  node [shape=box, style="rounded,filled", fixedsize=true, fontname="DejaVu Sans", '
            f'fontsize={FONT_SIZE:g}, color="{STROKE}", margin=0];',
            f'  edge [color="{EDGE}", arrowsize=0.7];',
        ]
        root = self.order[-1]
        for i in reversed(range(len(self.order))) if reverse else range(len(self.order)):
            node = self.order[i]
            w, h = self.sizes[i]
            fill = node_fill(node)
            bold = ", penwidth=2.2" if node is root else ""
            lines.append(
                f'  v{i} [width={w / 72:.4f}, height={h / 72:.4f}, fillcolor="{fill}"{bold}, label=<{self._html_label(node)}>];'
            )
        for parent, child in self.edges:
            lines.append(f"  v{parent} -> v{child};")
        for k, (key, label) in enumerate(_cluster_list(self.groups)):
            members = " ".join(f"v{i};" for i, (g, _) in self.groups.items() if g == key)
            lines.append(
                f'  subgraph cluster_{k} {{ label="{label}"; style="rounded,filled"; fillcolor="{CLUSTER_FILL}"; '
                f'color="{CLUSTER_STROKE}"; fontcolor="{MUTED}"; {members} }}'
            )
        lines.append("}")
        return "\n".join(lines)

    def _html_label(self, node: Value) -> str:
        def cell(text: str, align: str, color: str | None = None, bold: bool = False, size: float = FONT_SIZE):
            text = html.escape(text) or " "
            text = f"<B>{text}</B>" if bold else text
            font = f'<FONT POINT-SIZE="{size:g}"{f" COLOR={chr(34)}{color}{chr(34)}" if color else ""}>{text}</FONT>'
            return f'<TD ALIGN="{align}">{font}</TD>'

        name = f"{self.names[id(node)]} {shape_text(node)}".strip()
        rows = [cell(name, "LEFT", bold=True) + cell(op_symbol(node), "RIGHT", MUTED, size=SMALL_SIZE)]
        rows.append(cell("data", "LEFT", MUTED, size=SMALL_SIZE) + cell(box_text(node.data), "RIGHT"))
        if self.show_grad:
            rows.append(cell("grad", "LEFT", MUTED, size=SMALL_SIZE) + cell(box_text(node.grad), "RIGHT"))
        return (
            '<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(f"<TR>{r}</TR>" for r in rows) + "</TABLE>"
        )

    def _read(self, layout: dict):
        _, _, width, height = (float(v) for v in layout["bb"].split(","))
        boxes: list[Box] = [Box(0, 0, 0, 0)] * len(self.order)
        gvid = {}  # Graphviz's object number -> our node index
        for obj in layout.get("objects", []):
            if re.fullmatch(r"v\d+", obj.get("name", "")):
                i = int(obj["name"][1:])
                gvid[obj["_gvid"]] = i
                cx, cy = (float(v) for v in obj["pos"].split(","))
                w, h = self.sizes[i]
                boxes[i] = Box(cx - w / 2, height - cy - h / 2, w, h)
        clusters = []
        labels = dict(_cluster_list(self.groups))
        for obj in layout.get("objects", []):
            if obj.get("name", "").startswith("cluster_") and "bb" in obj:
                x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
                key = _cluster_list(self.groups)[int(obj["name"].split("_")[1])][0]
                clusters.append(Cluster(labels[key], Box(x0, height - y1, x1 - x0, y1 - y0)))
        splines: dict[tuple[int, int], list[str]] = {}  # parallel edges (x * x) keep their order
        for edge in layout.get("edges", []):
            splines.setdefault((gvid[edge["tail"]], gvid[edge["head"]]), []).append(edge["pos"])
        arrows = [_arrow(splines[edge].pop(0), *edge, height) for edge in self.edges]
        return boxes, arrows, clusters, width, height


def _crossing(a: list, b: list) -> bool:
    """Whether two arrows, each the polygon of its spline's control points, cross."""
    if min(p[0] for p in a) >= max(p[0] for p in b) or min(p[0] for p in b) >= max(p[0] for p in a):
        return False

    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    for p, q in zip(a, a[1:]):
        for r, t in zip(b, b[1:]):
            if side(p, q, r) * side(p, q, t) < 0 and side(r, t, p) * side(r, t, q) < 0:
                return True
    return False


def _arrow(pos: str, parent: int, child: int, height: float) -> Arrow:
    """An SVG path from a Graphviz spline ("e,x,y  p0 c1 c2 p1 ..."; y grows upwards)."""
    end = None
    points = []
    for token in pos.split():
        if token.startswith("e,"):
            end = token[2:]
        elif not token.startswith("s,"):
            points.append(token)
    xy = [(float(a), height - float(b)) for a, b in (p.split(",") for p in points)]
    d = f"M{xy[0][0]:.1f},{xy[0][1]:.1f}"
    for k in range(1, len(xy) - 2, 3):
        d += " C" + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy[k : k + 3])
    if end is not None:
        ex, ey = (float(v) for v in end.split(","))
        d += f" L{ex:.1f},{height - ey:.1f}"
    mid = xy[len(xy) // 2 // 3 * 3] if len(xy) > 4 else ((xy[0][0] + xy[-1][0]) / 2, (xy[0][1] + xy[-1][1]) / 2)
    return Arrow(parent, child, d, mid)


# -- groups: neurons and layers of an nn model ------------------------------------------------
_STRUCTURED = re.compile(r"^([A-Za-z]\w*)\[(\d+)(?:,(\d+))?(?:,\d+)*\]$")


def _place(label: str, group: str):
    """(key, title) of the group a structured label such as w[1,0,2] or z[1,0] belongs to."""
    match = _STRUCTURED.match(label)
    if not match:
        return None
    layer, neuron = match.group(2), match.group(3)
    if group == "layer":
        return (int(layer),), f"layer {layer}"
    if neuron is None:
        return None
    return (int(layer), int(neuron)), f"layer {layer}, neuron {neuron}"


def _groups(order: Sequence[Value], names: dict[int, str], group: str) -> dict[int, tuple]:
    """node index -> (group key, title), from labels such as w[layer,neuron,input] that ``nn`` gives.

    An unlabelled node joins a group when one of its inputs is a labelled leaf (a
    parameter) of that group, so the products w·x of a neuron are boxed with it, or
    when it is a one-input op (an activation) of a node in the group.
    """
    checks.choice(group, "group", GROUPS)
    index = {id(node): i for i, node in enumerate(order)}
    placed: dict[int, tuple] = {}
    for i, node in enumerate(order):
        place = _place(node.label, group) if node.label else None
        if place is None and not node.label:
            parents = shown_parents(node)
            places = {_place(p.label, group) for p in parents if not shown_parents(p) and p.label}
            places.discard(None)
            place = places.pop() if len(places) == 1 else None
            if place is None and len(parents) == 1 and shown_parents(parents[0]):
                place = placed.get(index[id(parents[0])])
        if place is not None:
            placed[i] = place
    return placed


def _cluster_list(groups: dict[int, tuple]) -> list[tuple]:
    """The distinct (key, title) pairs, sorted by key."""
    return sorted(set(groups.values()))


# -- rendering ----------------------------------------------------------------------------------
def find_renderer(engine: str | None = None) -> str:
    """Path of the Graphviz program: graphviz-pure by default, or a system ``dot``."""
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


def render(source: str, fmt: str = "svg", engine: str | None = None) -> bytes:
    """Run the Graphviz program once on DOT text and return its output (json, png, svg, ...)."""
    program = find_renderer(engine)
    result = subprocess.run([program, f"-T{fmt}"], input=source.encode(), capture_output=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(
            f"{Path(program).name} failed to lay out the graph: {result.stderr.decode(errors='replace').strip()[:500]}"
        )
    return result.stdout


def check_root(root, max_nodes, who: str = "draw") -> list[Value]:
    """The nodes of ``root``'s graph in topological order; refuse a non-Value or too large a graph."""
    if not isinstance(root, Value):
        raise TypeError(f"{who} needs a Value (the output of a computation), got {type(root).__name__}")
    checks.count(max_nodes, "max_nodes")
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph has {len(order)} Values, more than max_nodes={max_nodes}; "
            f"raise max_nodes, or call {who}() on an intermediate Value to show a smaller part"
        )
    return order


def check_engine(engine: str | None) -> None:
    """None (the default renderer) or one of ENGINES."""
    if engine is not None:
        checks.choice(engine, "engine", ENGINES)
