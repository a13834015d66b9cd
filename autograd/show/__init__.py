"""Showing the work: drawings of a graph, the passes step by step, and the chain rule as a sum over paths.

One question per file, each importing only the files above it in this list:

- ``view.py``: which nodes and arrows a picture shows, and in which order;
- ``text.py``: how numbers, names and formulas are written;
- ``layout.py``: the graph laid out once (boxes, arrows, groups; Graphviz runs here);
- ``svg.py``: the SVG of a laid-out graph;
- ``page.py``: writing files, and the static parts of a page (``static/``);
- ``paths.py``: ``explain(root, x)``, every path from the output back to ``x``;
- ``drawing.py``: ``draw(root)`` and the ``Graph`` it returns;
- ``steps.py``: ``trace(root)``, the engine's steps as data, and ``describe`` in words;
- ``stepper.py``: ``Stepper(root)``, those steps as frames of one page.
"""

from .drawing import Graph, draw
from .paths import Explanation, explain
from .stepper import Stepper
from .steps import describe, final_gradients, trace
from .text import node_names

__all__ = ["Explanation", "Graph", "Stepper", "describe", "draw", "explain", "final_gradients", "node_names", "trace"]
