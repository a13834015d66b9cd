"""draw(root) and the Graph it returns (drawing.py): files, errors, the paths to an input, the width in a
notebook."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import autograd
from autograd import Value, draw
from autograd.show.layout import PATH

from ...networks import neuron, two_paths


def test_drawing_saves_as_svg_png_and_dot(tmp_path):
    o, _ = neuron()
    graph = draw(o, rankdir="TB")
    assert graph.save(tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (graph.save(tmp_path / "g.dot")).read_text() == graph.source
    ET.parse(graph.save(tmp_path / "g.svg"))
    assert graph._repr_svg_() == graph.svg()
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.dot"):
        graph.save(tmp_path / "g.pdf")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        graph.save(tmp_path / "missing" / "g.svg")


def test_bad_drawing_requests_get_clear_errors(monkeypatch):
    with pytest.raises(TypeError, match="Value"):
        draw(3.0)
    x = Value(1.0)
    with pytest.raises(ValueError, match="unknown engine"):
        draw(x, engine="neato")
    with pytest.raises(ValueError, match="rankdir"):
        draw(x, rankdir="UP")
    with pytest.raises(ValueError, match="group"):
        draw(x, group="neurons")
    with pytest.raises(TypeError, match="x must be a Value"):
        draw(x * 2, paths_to=2.0)
    with pytest.raises(ValueError, match="not in the graph"):
        draw(x * 2, paths_to=Value(1.0))
    y = x
    for _ in range(20):
        y = y + 1
    with pytest.raises(ValueError, match="41 Values.*max_nodes=10.*intermediate"):
        draw(y, max_nodes=10)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RuntimeError, match="Graphviz"):
        draw(x, engine="dot").svg()


def test_paths_to_colours_exactly_the_paths_from_the_output_back_to_x():
    out, (x, y, z) = two_paths()
    svg = draw(out, paths_to=x).svg()
    order = autograd.topological_order(out)
    index = {id(n): i for i, n in enumerate(order)}
    purple = {int(k) for k in re.findall(rf'id="[^"]*-e(\d+)"[^>]*stroke="{PATH}"', svg)}
    # Every edge except y -> z lies on a path from out back to x.
    edges = [(index[id(p)], i) for i, n in enumerate(order) for p in n.parents]
    expected = {k for k, (p, c) in enumerate(edges) if order[p] is not y}
    assert purple == expected
    assert "3 paths from out back to x" in svg


def test_a_wide_drawing_is_scaled_to_a_notebook_cell_where_it_is_shown_as_an_image():
    x = Value(0.5, label="x")
    y = x
    for _ in range(12):
        y = (y * 1.1).tanh()
    drawing = draw(y)
    natural = re.search(r'width="(\d+)" height="(\d+)" style=', drawing.svg())
    shown = re.search(r'width="(\d+)" height="(\d+)" style=', drawing._repr_svg_())
    assert int(natural[1]) > 900 and int(shown[1]) == 900
    assert int(shown[2]) == round(int(natural[2]) * 900 / int(natural[1]))  # the same proportions
    small = draw(x * 2.0)
    assert small._repr_svg_() == small.svg()  # a drawing that fits is left as it is
