"""Drawing computation graphs as SVG (and PNG or DOT), laid out once by ``graphviz-pure``.

``draw(root)`` shows every Value as a box: its name and the op that made it on top,
then its ``data`` and ``grad``. Leaves (inputs and parameters) are shaded blue and
the output has a bold border. Arrows run from the inputs of an op to its result.

The layout comes from the ``graphviz-pure`` program that ships in its pip wheel (no
system Graphviz needed; ``engine="dot"`` or ``CHAINRULE_GRAPHVIZ=dot`` uses a system
Graphviz instead). The SVG itself is written here, so every box and arrow has an id
and a class: the stepper restyles one drawing frame by frame instead of drawing a new
picture per step, and boxes keep their size because the widest text a box will ever
show is measured before the layout is made.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import checks
from .op import Linear
from .order import topological_order
from .value import Value

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

# Text: Verdana, or DejaVu Sans (same widths) where Verdana is missing. Box widths are
# reserved with these fonts' advance widths, which are wider than Arial or Helvetica, so
# text fits whichever of them the viewer has.
FONT_FAMILY = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif"
FONT_SIZE = 12.0  # CSS px at 100 % zoom: readable on a projector
SMALL_SIZE = 10.5
LINE = 16.0
PAD_X = 7.0
PAD_Y = 5.0
GAP = 10.0  # between a row's key ("data") and its number
MARGIN = 4.0  # around the whole drawing


# -- text -------------------------------------------------------------------------------
_NARROW = dict.fromkeys("ijl.,:;|!'", 0.3) | dict.fromkeys("frt()[] ", 0.4)
_WIDE = dict.fromkeys("mwMW%@…", 1.0) | dict.fromkeys("+=<>#^~−×←→", 0.84)


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Width in px of ``text`` in DejaVu Sans / Verdana (an upper bound for Arial and Helvetica)."""
    em = sum(_NARROW.get(c, _WIDE.get(c, 0.64)) for c in text)
    return em * size * (1.1 if bold else 1.0)


def format_number(x) -> str:
    """4 significant digits for a float; the first few samples and the count for a batch."""
    if x is None:
        return "?"
    if isinstance(x, Value):  # a gradient kept as a Value (create_graph): show its number
        x = x.data
    if isinstance(x, float):
        return f"{x + 0.0:.4g}"  # + 0.0 turns -0.0 into 0.0
    if isinstance(x, Linear):  # the local derivative of a matrix op: a map, applied as its rule says
        return "a linear map"
    array = np.asarray(x, dtype=float)
    shown = ", ".join(f"{v + 0.0:.3g}" for v in array.ravel()[:3])
    more = ", …" if array.size > 3 else ""
    if array.ndim == 1:
        return f"[{shown}{more}] ({array.size})"
    return f"{array.shape} [{shown}{more}]"


def box_text(x) -> str:
    """What a box shows for a number or gradient: the number, or an array's first entries (its shape is in the header)."""
    if isinstance(x, Value):
        x = x.data
    if x is None:
        return "—"  # a constant's gradient, or one not kept: there is none to show
    if isinstance(x, (float, str)):
        return format_number(x) if not isinstance(x, str) else x
    array = np.asarray(x, dtype=float)
    shown = ", ".join(f"{v + 0.0:.3g}" for v in array.ravel()[:3])
    return f"[{shown}{', …' if array.size > 3 else ''}]"


def shape_text(node: Value) -> str:
    """(16, 2) for a Value holding an array, "" for a number."""
    return "" if node.data.__class__ is float else str(tuple(node.data.shape)).replace(",)", ")")


def node_names(order: Sequence[Value]) -> dict[int, str]:
    """A unique readable name per node: its label, else n1, n2, ... in the order given.

    Generated names skip every name a label already uses, and a label used twice gets
    a prime (x, x′), so a caption never means two nodes with one name. An unlabelled
    constant number is named by its value, as it is written: 2 · x.
    """
    labels = {node.label for node in order if node.label}
    names: dict[int, str] = {}
    used: set[str] = set()
    counter = itertools.count(1)
    for node in order:
        if not node.label and node.is_constant and node.data.__class__ is float:
            text = format_number(node.data)
            names[id(node)] = f"({text})" if text.startswith("-") else text
            continue
        name = node.label
        while name in used:
            name += "′"
        if not name:
            name = next(f"n{i}" for i in counter if f"n{i}" not in labels and f"n{i}" not in used)
        used.add(name)
        names[id(node)] = name
    return names


_SYMBOLS = {
    "+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−x", "sum": "Σ", "sigmoid": "σ", "**": "xʸ", "@": "@",
    "reduce_sum": "Σ", "reduce_mean": "mean", "reduce_max": "max", "transpose": "ᵀ", "sech²": "sech²", "sum_sq": "Σx²",
    "cross_entropy": "CE", "bce_logits": "BCE", "log_softmax": "log softmax",
}  # fmt: skip


def op_symbol(node: Value) -> str:
    """The short name of the op that made ``node``, as shown in its box ("" for a leaf)."""
    op = node._op
    if op is None:
        return "const" if node.grad is None else ""
    if op.name.startswith("**") and op.text.startswith("{0}"):
        return "x" + op.text[3:]  # x², x⁻¹, x^0.5
    if op.name.startswith("reduce_") and "_" in op.text.split(" ")[0]:  # a reduction along one axis says which
        return f"{_SYMBOLS[op.name]} axis {op.text.split(' ')[0].split('_', 1)[1]}"
    return _SYMBOLS.get(op.name, op.name)


# Formulas: a text and its precedence, so parentheses appear only where they are needed.
ATOM, POWER, UNARY, PRODUCT, SUM_ = 5, 4, 3, 2, 1


def precedence(node: Value) -> int:
    """How tightly the op that made ``node`` binds, read from how it is written."""
    text = node._op.text if node._op is not None else ""
    if callable(text):
        return SUM_
    if not text or "({0}" in text or text.startswith("|"):
        return ATOM  # f(x), |x|: already bracketed
    if "{" not in text or " + " in text or " − " in text:
        return SUM_
    if " · " in text or " / " in text or " mod " in text:
        return PRODUCT
    if text.startswith("−"):
        return UNARY
    return POWER  # x², x^y, √x


def atom(text: str) -> tuple[str, int]:
    """A name as a formula argument."""
    return text, ATOM


def number(x) -> tuple[str, int]:
    """A number as a formula argument: a negative one binds like a unary minus."""
    text = format_number(x)
    return text, UNARY if text.startswith("-") else ATOM


def formula(node: Value, args: Sequence[tuple[str, int]]) -> tuple[str, int]:
    """``node``'s op written with the given arguments (text, precedence): "x1·w1 + b", "tanh(n)"."""
    op = node._op
    template = op.text if op is not None and op.text else f"{op.name if op else '?'}(" + "{0})"
    mine = precedence(node)
    if callable(template):
        return template([f"({t})" if p < POWER else t for t, p in args]), mine
    texts = []
    for k, (text, theirs) in enumerate(args):
        right_of_minus = k > 0 and mine in (SUM_, PRODUCT) and any(op in template for op in (" − ", " / ", " mod "))
        negative_right = k > 0 and theirs == UNARY and mine in (SUM_, PRODUCT)  # 2 · (-3), not 2 · -3
        needs = theirs < mine or (theirs == mine and (right_of_minus or mine >= UNARY)) or negative_right
        texts.append(f"({text})" if needs and mine != ATOM else text)
    if "{" not in template:  # an n-ary op: the template is the separator
        return template.join(texts), mine
    if "{1}" not in template and len(texts) > 1:
        template = template.replace("{0}", ", ".join(f"{{{i}}}" for i in range(len(texts))))
    return template.format(*texts, out=""), mine


def expression(node: Value, names: Sequence[str]) -> str:
    """``node``'s op written with plain names as its arguments: "x1 · w1", "tanh(n)", "a + b + c"."""
    return formula(node, [atom(name) for name in names])[0]


# -- the graph and its layout -----------------------------------------------------------------
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
        self.edges = [(self.index[id(p)], i) for i, node in enumerate(self.order) for p in node.parents]
        self.sizes = [self._size(node, (texts or {}).get(id(node), [])) for node in self.order]
        self.groups = _groups(self.order, self.names, group) if group else {}
        self.source = self._dot()
        self.boxes, self.arrows, self.clusters, self.width, self.height = self._layout()

    def _size(self, node: Value, texts: list[tuple[str, str]]) -> tuple[float, float]:
        texts = texts or [(box_text(node.data), box_text(node.grad))]
        name = self.names[id(node)]
        header = text_width(name, FONT_SIZE, bold=True) + GAP + text_width(op_symbol(node), SMALL_SIZE)
        header += text_width(" " + shape_text(node), SMALL_SIZE) if shape_text(node) else 0.0
        numbers = max(text_width(t, FONT_SIZE) for pair in texts for t in (pair if self.show_grad else pair[:1]))
        width = max(header, text_width("grad", SMALL_SIZE) + GAP + numbers) + 2 * PAD_X
        rows = 3 if self.show_grad else 2
        return round(width + 0.5), rows * LINE + 2 * PAD_Y

    def _dot(self) -> str:
        """DOT with fixed-size boxes: the layout's input, and a drawing Graphviz can render as PNG."""
        lines = [
            "digraph chainrule {",
            f'  graph [rankdir={self.rankdir}, nodesep=0.16, ranksep={self.ranksep:g}, pad=0.1, bgcolor="white", '
            'fontname="DejaVu Sans", fontsize=10];',
            '  node [shape=box, style="rounded,filled", fixedsize=true, fontname="DejaVu Sans", '
            f'fontsize={FONT_SIZE:g}, color="{STROKE}", margin=0];',
            f'  edge [color="{EDGE}", arrowsize=0.7];',
        ]
        root = self.order[-1]
        for i, node in enumerate(self.order):
            w, h = self.sizes[i]
            fill = _fill(node)
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

    def _layout(self):
        layout = json.loads(render(self.source, "json", self.engine))
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
            places = {_place(p.label, group) for p in node.parents if not p.parents and p.label}
            places.discard(None)
            place = places.pop() if len(places) == 1 else None
            if place is None and len(node.parents) == 1 and node.parents[0].parents:
                place = placed.get(index[id(node.parents[0])])
        if place is not None:
            placed[i] = place
    return placed


def _cluster_list(groups: dict[int, tuple]) -> list[tuple]:
    """The distinct (key, title) pairs, sorted by key."""
    return sorted(set(groups.values()))


# -- SVG ---------------------------------------------------------------------------------------
UID_PLACEHOLDER = "crUIDxPLACEHOLDER"
NOTEBOOK_WIDTH = 900  # px: about the width of a notebook cell on GitHub and in nbconvert's HTML
_issued: dict[str, int] = {}


def with_uid(text: str, prefix: str = "cr") -> str:
    """Replace the id placeholder by an id taken from the content, so a drawing is the same file on every run.

    A second drawing with the same content in this process gets a numbered id, so several
    drawings can still share one HTML page (a notebook) without their ids colliding.
    """
    uid = prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    _issued[uid] = _issued.get(uid, 0) + 1
    if _issued[uid] > 1:
        uid += f"n{_issued[uid]}"
    return text.replace(UID_PLACEHOLDER, uid)


def scene_svg(
    scene: Scene,
    uid: str,
    data: dict[int, str] | None = None,
    grads: dict[int, str] | None = None,
    path_edges: set[tuple[int, int]] = frozenset(),
    path_nodes: set[int] = frozenset(),
    title: str = "",
    stepper: bool = False,
) -> str:
    """The scene as an SVG document whose colours work without any stylesheet.

    ``data``/``grads`` (by node index) replace what each box shows. Every node is a
    ``<g id="{uid}-v{i}">``, every arrow a ``<path id="{uid}-e{k}">``; ``stepper`` adds
    the arrowheads the stepper's marks use.
    """
    top = (22.0 if title else 0.0) + MARGIN
    width, height = scene.width + 2 * MARGIN, scene.height + top + MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{uid}" class="cr-graph" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" style="max-width:100%;height:auto" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE:g}">',
        "<defs>",
        _marker(f"{uid}-arrow", EDGE),
        _marker(f"{uid}-arrow-path", PATH),
        *([_marker(f"{uid}-arrow-in", "#2563eb"), _marker(f"{uid}-arrow-flow", "#ea580c")] if stepper else []),
        "</defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>',
    ]
    if title:
        out.append(f'<text x="6" y="15" fill="{PATH}" font-size="{SMALL_SIZE + 1:g}">{html.escape(title)}</text>')
    out.append(f'<g class="cr-content" transform="translate({MARGIN:g},{top:g})">')
    for cluster in scene.clusters:
        b = cluster.box
        out.append(
            f'<g class="cr-cluster"><rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="8" '
            f'fill="{CLUSTER_FILL}" stroke="{CLUSTER_STROKE}" stroke-dasharray="4 3"/>'
            f'<text x="{b.x + 6:.1f}" y="{b.y + 13:.1f}" fill="{MUTED}" font-size="{SMALL_SIZE:g}">'
            f"{html.escape(cluster.label)}</text></g>"
        )
    for k, arrow in enumerate(scene.arrows):
        on_path = (arrow.parent, arrow.child) in path_edges
        color, marker, width_ = (PATH, "arrow-path", 2.6) if on_path else (EDGE, "arrow", 1.3)
        out.append(
            f'<path id="{uid}-e{k}" class="cr-edge" d="{arrow.d}" fill="none" stroke="{color}" '
            f'stroke-width="{width_}" marker-end="url(#{uid}-{marker})"/>'
        )
    root = len(scene.order) - 1
    for i, node in enumerate(scene.order):
        out.append(_node_svg(scene, uid, i, node, data, grads, i == root, i in path_nodes))
    out.append("</g></svg>")
    return "\n".join(out)


def _fill(node: Value) -> str:
    """Light blue for inputs and parameters, grey for constants, white for op results."""
    if node.parents:
        return NODE_FILL
    return CONSTANT_FILL if node.grad is None else LEAF_FILL


def _marker(marker_id: str, color: str) -> str:
    # orient="auto-start-reverse": the same arrowhead can point back along a path (marker-start).
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
    )


def _node_svg(scene: Scene, uid: str, i: int, node: Value, data, grads, is_root: bool, on_path: bool) -> str:
    b = scene.boxes[i]
    kind = "cr-op" if node.parents else "cr-const" if node.grad is None else "cr-leaf"
    fill = _fill(node)
    stroke, stroke_width = (PATH, 2.4) if on_path else (STROKE, 2.4 if is_root else 1.0)
    name = html.escape(scene.names[id(node)])
    data_text = data.get(i, "?") if data is not None else box_text(node.data)
    grad_text = grads.get(i, "?") if grads is not None else box_text(node.grad)
    right = b.w - PAD_X
    baseline = PAD_Y + LINE - 4
    parts = [
        f'<g id="{uid}-v{i}" class="cr-node {kind}{" cr-root" if is_root else ""}" transform="translate({b.x:.1f},{b.y:.1f})">',
        f'<rect class="cr-box" width="{b.w:.1f}" height="{b.h:.1f}" rx="5" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>',
        f'<text class="cr-name" x="{PAD_X}" y="{baseline:.1f}"><tspan font-weight="bold">{name}</tspan>'
        + (f'<tspan fill="{MUTED}" font-size="{SMALL_SIZE:g}"> {shape_text(node)}</tspan>' if shape_text(node) else "")
        + "</text>",
        f'<text class="cr-opname" x="{right:.1f}" y="{baseline:.1f}" text-anchor="end" fill="{MUTED}" '
        f'font-size="{SMALL_SIZE:g}">{html.escape(op_symbol(node))}</text>',
        _row(1, "data", html.escape(data_text), "cr-data", right),
    ]
    if scene.show_grad:
        parts.append(_row(2, "grad", html.escape(grad_text), "cr-grad", right))
    parts.append("</g>")
    return "".join(parts)


def _row(row: int, key: str, value: str, cls: str, right: float) -> str:
    y = PAD_Y + LINE * (row + 1) - 4
    return (
        f'<text class="cr-key" x="{PAD_X}" y="{y:.1f}" fill="{MUTED}" font-size="{SMALL_SIZE:g}">{key}</text>'
        f'<text class="{cls}" x="{right:.1f}" y="{y:.1f}" text-anchor="end">{value}</text>'
    )


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


class Graph:
    """A drawn computation graph: ``.svg()``, ``.png()``, ``.source`` (DOT), ``.save(path)``; inline in Jupyter."""

    def __init__(self, scene: Scene, title: str = "", path_edges=frozenset(), path_nodes=frozenset()) -> None:
        self.scene = scene
        self.source: str = scene.source
        self.title = title
        self._paths = (set(path_edges), set(path_nodes))
        self._svg: str | None = None

    @property
    def width(self) -> float:
        """The drawing's natural width in CSS px (it shrinks to fit narrower space)."""
        return self.scene.width

    def svg(self) -> str:
        """The drawing as an SVG document."""
        if self._svg is None:
            edges, nodes = self._paths
            svg = scene_svg(self.scene, UID_PLACEHOLDER, path_edges=edges, path_nodes=nodes, title=self.title)
            self._svg = with_uid(svg)
        return self._svg

    def png(self) -> bytes:
        """The drawing rendered by Graphviz from the same layout, as PNG bytes."""
        return render(self.source, "png", self.scene.engine)

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
        """The drawing for a notebook, at most NOTEBOOK_WIDTH px wide where it is shown as an image.

        JupyterLab shrinks an inline SVG to the cell, but nbconvert's HTML and GitHub show the
        output as an image at its own size; a wide graph is then scaled down to fit instead of cut.
        """
        svg = self.svg()
        size = re.search(r'width="(\d+)" height="(\d+)" style=', svg)  # the root element's own size
        width, height = int(size[1]), int(size[2])
        if width <= NOTEBOOK_WIDTH:
            return svg
        scaled = f'width="{NOTEBOOK_WIDTH}" height="{round(height * NOTEBOOK_WIDTH / width)}" style='
        return svg[: size.start()] + scaled + svg[size.end() :]

    def __repr__(self) -> str:
        return f"<Graph: {len(self.scene.order)} values, {self.width:.0f} px wide; .svg(), .save(path)>"


# Inside <script type="application/json"> the HTML parser, not JSON, decides where the data ends:
# "</script>" ends it and "<!--" followed by "<script" makes it swallow the page's own </script>.
# Written as JSON escapes, these characters mean the same to JSON.parse and nothing to the parser.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data) -> str:
    """``data`` as JSON that can sit inside a ``<script>`` element of a page whatever its strings hold."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_SCRIPT_SAFE)


def write_file(path: Path, content: bytes) -> None:
    """Write a file, turning a missing directory or a permission problem into a clear error."""
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {str(path)!r}: directory {str(path.parent)!r} does not exist")
    try:
        path.write_bytes(content)
    except (PermissionError, IsADirectoryError) as error:
        raise PermissionError(f"cannot write {str(path)!r}: {error.strerror}; choose a writable path") from None


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


def draw(
    root: Value,
    rankdir: str = "LR",
    show_grad: bool = True,
    max_nodes: int = 500,
    engine: str | None = None,
    group: str | None = None,
    paths_to: Value | None = None,
) -> Graph:
    """Draw the graph that ends at ``root``: each Value with its name, op, data and grad.

    ``rankdir`` is ``"LR"`` (left to right) or ``"TB"``, ``"RL"``, ``"BT"``.
    ``group="neuron"`` or ``"layer"`` boxes the nodes of each neuron or layer of an
    ``nn`` model (read from labels such as ``w[1,0,2]``). ``paths_to=x`` colours every
    path from ``root`` back to ``x``: the paths whose products add up to ``x.grad``
    (see ``explain``). A graph with more than ``max_nodes`` Values raises ValueError.
    """
    checks.choice(rankdir, "rankdir", RANKDIRS)
    check_engine(engine)
    if group is not None:
        checks.choice(group, "group", GROUPS)
    order = check_root(root, max_nodes)
    scene = Scene(order, rankdir, show_grad=show_grad, group=group, engine=engine)
    if paths_to is None:
        return Graph(scene)
    from .explain import explain  # explain draws nothing itself; it only needs the engine

    found = explain(root, paths_to, max_nodes=max_nodes)
    on_path = {(scene.index[id(p)], scene.index[id(n)]) for path in found.paths for n, p in path.edges}
    nodes = {i for edge in on_path for i in edge}
    target = scene.names[id(paths_to)]
    title = (
        f"{len(found.paths)} path{'s' if len(found.paths) != 1 else ''} from {scene.names[id(root)]} back to {target}; "
        f"their products add up to ∂{scene.names[id(root)]}/∂{target} = {format_number(found.total)}"
    )
    return Graph(scene, title=title, path_edges=on_path, path_nodes=nodes)
