"""Drawing a computation graph: ``draw(root)`` and the ``Graph`` it returns.

``draw(root)`` shows every Value as a box: its name and the op that made it on top,
then its ``data`` and ``grad``. Leaves (inputs and parameters) are shaded blue and
the output has a bold border; an entry of a parameter (``w[0,1,0]`` out of ``W``) is
drawn as the leaf the lectures draw, without the matrix it is read from (view.py).
Arrows run from the inputs of an op to its result. ``paths_to=x`` colours the paths
that ``explain`` lists. The drawing is an SVG (inline in Jupyter), a PNG rendered by
Graphviz from the same layout, or the DOT text itself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .. import checks
from ..value import Value
from .layout import GROUPS, RANKDIRS, Scene, check_engine, check_root, render
from .page import write_file
from .paths import explain
from .svg import UID_PLACEHOLDER, scene_svg, with_uid
from .text import format_number
from .view import shown_order

NOTEBOOK_WIDTH = 900  # px: about the width of a notebook cell on GitHub and in nbconvert's HTML


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
    order = shown_order(check_root(root, max_nodes))
    scene = Scene(order, rankdir, show_grad=show_grad, group=group, engine=engine)
    if paths_to is None:
        return Graph(scene)
    found = explain(root, paths_to, max_nodes=max_nodes)
    on_path = {(scene.index[id(p)], scene.index[id(n)]) for path in found.paths for n, p in path.edges}
    nodes = {i for edge in on_path for i in edge}
    target = scene.names[id(paths_to)]
    title = (
        f"{len(found.paths)} path{'s' if len(found.paths) != 1 else ''} from {scene.names[id(root)]} back to {target}; "
        f"their products add up to ∂{scene.names[id(root)]}/∂{target} = {format_number(found.total)}"
    )
    return Graph(scene, title=title, path_edges=on_path, path_nodes=nodes)
