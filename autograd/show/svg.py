"""Writing the SVG of a scene: every box a group with an id, every arrow a path with an id.

The SVG is written here rather than by Graphviz, so every node is ``<g id="{uid}-v{i}">``
and every arrow ``<path id="{uid}-e{k}">`` with a class: the stepper restyles one drawing
frame by frame instead of drawing a new picture per step. The colours are attributes, so
the drawing reads the same without any stylesheet.
"""

from __future__ import annotations

import hashlib
import html

from ..value import Value
from .layout import (
    CLUSTER_FILL,
    CLUSTER_STROKE,
    EDGE,
    LINE,
    MARGIN,
    MUTED,
    PAD_X,
    PAD_Y,
    PATH,
    STROKE,
    Scene,
    node_fill,
)
from .text import FONT_FAMILY, FONT_SIZE, SMALL_SIZE, box_text, op_symbol, shape_text
from .view import shown_parents

UID_PLACEHOLDER = "crUIDxPLACEHOLDER"
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


def _marker(marker_id: str, color: str) -> str:
    # orient="auto-start-reverse": the same arrowhead can point back along a path (marker-start).
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
    )


def _node_svg(scene: Scene, uid: str, i: int, node: Value, data, grads, is_root: bool, on_path: bool) -> str:
    b = scene.boxes[i]
    kind = "cr-op" if shown_parents(node) else "cr-const" if node.grad is None else "cr-leaf"
    fill = node_fill(node)
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
