"""How names and formulas are written (text.py): unique names, headings with only the parentheses they need,
the symbol in a power's box."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import autograd
from autograd import Value, draw
from autograd.show import node_names
from autograd.show.text import heading

from ...networks import network_221, neuron

SVG = "{http://www.w3.org/2000/svg}"


def test_names_never_collide_with_labels_or_each_other():
    a = Value(1.0, label="n1")
    b = Value(2.0, label="x")
    c = Value(3.0, label="x")
    out = (a * b) + c  # the product is unlabelled
    names = node_names(autograd.topological_order(out))
    assert len(set(names.values())) == 5  # a, b, a·b, c and the sum
    assert names[id(a)] == "n1" and names[id(b)] == "x" and names[id(c)] == "x′"
    assert "n1" not in [names[id(n)] for n in (out, out.parents[0])]


def test_a_power_box_shows_a_value_exponent_as_x_to_the_y_and_a_constant_one_as_written():
    def op_shown(root: Value) -> str:
        svg = ET.fromstring(draw(root).svg())
        box = next(g for g in svg.iter(f"{SVG}g") if "cr-root" in g.get("class", "").split())
        return next(t.text for t in box.iter(f"{SVG}text") if t.get("class") == "cr-opname")

    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    assert op_shown(x**y) == "xʸ"  # the exponent is a Value: it gets a gradient too
    assert op_shown(x**3) == "x³"
    assert op_shown(x**-1) == "x⁻¹"


def test_heading_writes_the_expression_with_only_the_parentheses_it_needs():
    o, _ = neuron()
    names = node_names(autograd.topological_order(o))
    assert heading(o, names) == "o = tanh(x1 · w1 + x2 · w2 + b)"  # short enough to write out in full
    loss, _ = network_221()
    assert heading(loss, node_names(autograd.topological_order(loss))) == "L = ½ · e2"  # too long: by name
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    cases = {
        "f = a − b − c": (a - b) - c,
        "f = a − (b − c)": a - (b - c),
        "f = a · (b + c)": a * (b + c),
        "f = a · b + c": a * b + c,
        "f = (−a)²": (-a) ** 2,
        "f = a / (b · c)": a / (b * c),
        "f = σ(a · b)": (a * b).sigmoid(),
    }
    for expected, f in cases.items():
        f.label = "f"
        assert heading(f, node_names(autograd.topological_order(f))) == expected
