"""Drawing graphs and stepping through them."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import autograd
from autograd import Stepper, Value, draw, trace
from autograd.stepper import final_gradients
from autograd.viz import format_number


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, (x1, x2, w1, w2, b)


def two_paths():
    x = Value(3.0, label="x")
    y = Value(-2.0, label="y")
    z = x * y
    z.label = "z"
    out = z * x + z  # x reaches out directly and through z; z by two paths
    out.label = "out"
    return out, (x, y, z)


def test_svg_is_well_formed_with_every_label_value_and_edge():
    o, leaves = neuron()
    o.backward()
    svg = draw(o).svg()
    root = ET.fromstring(svg)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    order = autograd.topological_order(o)
    for node in order:
        assert f"data {format_number(node.data)}" in texts
        assert f"grad {format_number(node.grad)}" in texts
    for label in ("x1", "x2", "w1", "w2", "b", "n", "o"):
        assert label in texts.split()
    expected_edges = sum(len(n.parents) for n in order) + sum(1 for n in order if n.parents)
    assert svg.count('class="edge"') == expected_edges
    assert format_number(o.data) == "0.7071"


def test_leaves_look_different_and_ops_are_shown():
    o, _ = neuron()
    source = draw(o).source
    assert source.count(autograd.viz.LEAF_FILL) == 5
    for op in ("tanh", "*", "+"):  # DOT quotes a label only where it must
        assert re.search(rf'op \[label="?{re.escape(op)}"? ', source), op


def test_save_by_extension(tmp_path):
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


def test_drawing_needs_no_system_graphviz(tmp_path):
    code = "from autograd import Value, draw; x = Value(1.0, label='x'); print(len(draw(x * x).svg()))"
    env = dict(os.environ, PATH=str(tmp_path))  # no dot anywhere on PATH
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 100


def test_bad_drawing_requests_get_clear_errors(monkeypatch):
    with pytest.raises(TypeError, match="Value"):
        draw(3.0)
    x = Value(1.0)
    with pytest.raises(ValueError, match="unknown engine"):
        draw(x, engine="neato")
    with pytest.raises(ValueError, match="rankdir"):
        draw(x, rankdir="UP")
    y = x
    for _ in range(20):
        y = y + 1
    with pytest.raises(ValueError, match="41 Values.*max_nodes=10.*intermediate"):
        draw(y, max_nodes=10)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RuntimeError, match="Graphviz"):
        draw(x, engine="dot").svg()


def test_trace_replays_to_the_engines_gradients_on_a_two_path_graph():
    out, nodes = two_paths()
    steps = trace(out)
    replay = final_gradients(steps)
    forward = [s for s in steps if s.kind == "forward"]
    assert [s.node for s in forward] == autograd.topological_order(out)
    out.backward()
    for node in autograd.topological_order(out):
        assert replay[id(node)] == node.grad
    x, y, z = nodes
    # out = x^2 y + x y: d/dx = 2xy + y, d/dy = x^2 + x, d/dz = x + 1
    assert (x.grad, y.grad, z.grad) == (2 * 3.0 * -2.0 + -2.0, 3.0**2 + 3.0, 3.0 + 1)
    x_edges = [e for s in steps for e in s.edges if e.parent is x]
    assert len(x_edges) == 2 and x_edges[-1].parent_grad_after == x.grad


def test_stepper_has_one_frame_per_step_and_ends_at_the_engines_gradients(tmp_path):
    out, (x, y, z) = two_paths()
    stepper = Stepper(out)
    path = stepper.save(tmp_path / "backward.html")
    page = path.read_text()
    assert page.count('class="frame"') == len(stepper) == len(trace(out))
    assert not re.search(r"https?://|//cdn|src=", page)
    assert "Prev" in page and "Next" in page and 'type="range"' in page and "ArrowRight" in page
    out.backward()
    last = html.unescape(page.rsplit('class="frame"', 1)[1])
    for node, name in ((x, "x"), (y, "y"), (z, "z"), (out, "out")):
        assert re.search(rf">{name}</text>.*?>grad {re.escape(format_number(node.grad))}</text>", last, re.S)
    captions = "\n".join(stepper.captions())
    assert "x.grad += dn3/dx (-6) x n3.grad (1) = -6, now -6" in captions
    assert "x.grad += dz/dx (-2) x z.grad (4) = -8, now -14" in captions  # the second path adds on
    assert html.escape(stepper.captions()[-1]) in page
    assert "<div" in stepper._repr_html_() and "<html" not in stepper._repr_html_()
    with pytest.raises(ValueError, match=r"\.html"):
        stepper.save(tmp_path / "b.svg")
