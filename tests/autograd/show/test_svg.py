"""The SVG of a drawing (svg.py): every name, value, gradient and arrow, and constants in grey."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import autograd
from autograd import Value, draw
from autograd.show.layout import LEAF_FILL
from autograd.show.text import format_number

from ...networks import neuron

SVG = "{http://www.w3.org/2000/svg}"


def texts_of(svg: str) -> list[str]:
    return ["".join(t.itertext()).strip() for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_svg_shows_every_name_value_gradient_and_edge():
    o, leaves = neuron()
    o.backward()
    svg = draw(o).svg()
    texts = texts_of(svg)
    order = autograd.topological_order(o)
    for node in order:
        assert format_number(node.data) in texts and format_number(node.grad) in texts
    for label in ("x1", "x2", "w1", "w2", "b", "n", "o"):
        assert label in texts
    assert "0.7071" in texts and "0.5" in texts  # tanh(0.8814) = 1/sqrt(2); do/dn = 1 - o^2 = 0.5
    assert svg.count('class="cr-edge"') == sum(len(n.parents) for n in order)  # one arrow per input of an op
    assert svg.count(f'fill="{LEAF_FILL}"') == 5
    for op in ("tanh", "×", "+"):
        assert op in texts


def test_a_drawing_shows_a_constant_by_its_value_in_grey_without_a_gradient():
    x = Value(0.5, label="x")
    y = 2 * x + 1
    svg = autograd.draw(y).svg()
    assert svg.count("cr-const") == 2
    assert ">—<" in svg  # the grad row of a constant
    assert '<tspan font-weight="bold">2</tspan>' in svg and '<tspan font-weight="bold">1</tspan>' in svg
