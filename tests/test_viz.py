"""Drawings, the stepper's frames, trace and explain (the pages themselves are tested in a browser in test_browser.py)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings

import autograd
import nn
from autograd import Stepper, Value, draw, explain, trace
from autograd.show import final_gradients, node_names
from autograd.show.layout import LEAF_FILL, PATH
from autograd.show.text import format_number, heading

from .helpers import central_difference
from .networks import named, network_221, neuron
from .test_properties import evaluate, graphs

SVG = "{http://www.w3.org/2000/svg}"


def two_paths():
    """out = z·x + z with z = x·y: x reaches out three ways, z two ways."""
    x = Value(3.0, label="x")
    y = Value(-2.0, label="y")
    z = named(x * y, "z")
    out = named(z * x + z, "out")
    return out, (x, y, z)


def texts_of(svg: str) -> list[str]:
    return ["".join(t.itertext()).strip() for t in ET.fromstring(svg).iter(f"{SVG}text")]


# -- draw --------------------------------------------------------------------------------------
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


def test_the_lectures_221_network_is_drawn_at_lecture_size():
    # 1,280 px page: about 1,240 px for the drawing. Text is 12 px, so the drawing must not need
    # to shrink by more than 11/12 to keep it at 11 px or more.
    loss, _ = network_221()
    graph = draw(loss)
    root = ET.fromstring(graph.svg())
    assert float(root.get("font-size")) >= 12
    assert graph.width * 11 / 12 <= 1240
    assert "max-width:100%" in root.get("style")  # never wider than a notebook cell
    assert Stepper(loss).scene.width * 11 / 12 <= 1240


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


def test_groups_box_each_neuron_and_each_layer_of_an_mlp():
    model = nn.MLP(2, [2, 1], activation="sigmoid", seed=0)
    out = model([0.8, -1.5])
    for group, titles in (
        ("neuron", ["layer 0, neuron 0", "layer 0, neuron 1", "layer 1, neuron 0"]),
        ("layer", ["layer 0", "layer 1"]),
    ):
        graph = draw(out, group=group)
        root = ET.fromstring(graph.svg())
        clusters = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cr-cluster"]
        assert sorted(c.find(f"{SVG}text").text for c in clusters) == titles
        boxes = {c.find(f"{SVG}text").text: c.find(f"{SVG}rect") for c in clusters}
        # Every parameter's box lies inside its group's box.
        names = {g.get("id").rsplit("-v", 1)[1]: g for g in root.iter(f"{SVG}g") if "cr-node" in (g.get("class") or "")}
        order = autograd.topological_order(out)
        for i, node in enumerate(order):
            match = re.match(r"[wb]\[(\d+),(\d+)", node.label)
            if not match:
                continue
            title = f"layer {match[1]}, neuron {match[2]}" if group == "neuron" else f"layer {match[1]}"
            rect = boxes[title]
            tx, ty = (float(v) for v in re.findall(r"[-\d.]+", names[str(i)].get("transform")))
            assert float(rect.get("x")) <= tx and tx <= float(rect.get("x")) + float(rect.get("width"))
            assert float(rect.get("y")) <= ty <= float(rect.get("y")) + float(rect.get("height"))


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
    assert heading(loss, node_names(autograd.topological_order(loss))) == "L = half · e2"  # too long: by name
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


# -- trace: the engine's own backward pass, watched ---------------------------------------------
def test_trace_records_the_backward_pass_exactly_and_changes_nothing():
    out, (x, y, z) = two_paths()
    before = [n.grad for n in autograd.topological_order(out)]
    steps = trace(out)
    assert [n.grad for n in autograd.topological_order(out)] == before  # trace leaves no gradient behind
    replay = final_gradients(steps)
    out.backward()
    for node in autograd.topological_order(out):
        assert replay[id(node)] == node.grad  # bit for bit: the same pass, not a copy of it
    # out = x^2 y + x y: d/dx = 2xy + y, d/dy = x^2 + x, d/dz = x + 1 (by hand)
    assert (x.grad, y.grad, z.grad) == (2 * 3.0 * -2.0 + -2.0, 3.0**2 + 3.0, 3.0 + 1)
    x_edges = [e for s in steps for e in s.edges if e.parent is x]
    assert len(x_edges) == 2 and x_edges[-1].parent_grad_after == x.grad  # two edges out of x (three paths)
    # Each edge starts from what the last one left: the running sum over paths.
    assert x_edges[0].parent_grad_before == 0.0
    assert x_edges[1].parent_grad_before == x_edges[0].parent_grad_after


@settings(max_examples=150, deadline=None)
@given(graphs)
def test_trace_agrees_with_backward_on_random_graphs(program):
    inputs = [Value(v) for v in program[0]]
    out = evaluate(program, inputs)
    steps = trace(out, fresh=True)
    replay = final_gradients(steps)
    out.backward()
    for i, x in enumerate(inputs):
        assert replay.get(id(x), 0.0) == x.grad
        assert x.grad == pytest.approx(
            central_difference(lambda *v: evaluate(program, v), program[0], i), rel=1e-5, abs=1e-6
        )


# -- the stepper's frames --------------------------------------------------------------------------
def test_frames_show_the_inputs_first_then_each_op_in_hand_order_then_the_backward_pass():
    loss, V = network_221()
    stepper = Stepper(loss)
    order = autograd.topological_order(loss)
    leaves = [n for n in order if not n.parents]
    interior = [n for n in order if n.parents]
    assert len(stepper) == 1 + len(interior) + 1 + len(interior)
    kinds = [f.kind for f in stepper.frames]
    assert kinds == ["inputs"] + ["forward"] * len(interior) + ["seed"] + ["backward"] * len(interior)
    assert {id(s.node) for s in stepper.frames[0].steps} == {id(n) for n in leaves}
    known = {id(n) for n in leaves}
    for frame in stepper.frames[1 : 1 + len(interior)]:
        node = frame.steps[0].node
        assert all(id(p) in known for p in node.parents)  # computable by hand from what is on screen
        known.add(id(node))
    # A person computes one neuron at a time: u11, u21, s1, z1, v1 come before the second hidden unit.
    forward_names = [stepper.names[id(f.steps[0].node)] for f in stepper.frames[1 : 1 + len(interior)]]
    assert forward_names[:5] == ["u11", "u21", "s1", "z1", "v1"]


def test_captions_name_the_rule_the_numbers_and_the_new_total():
    o, _ = neuron()
    captions = "\n".join(Stepper(o).captions())
    # n.grad = do/dn * o.grad = (1 - o^2) * 1 = 0.5 (o = 1/sqrt 2, by hand)
    assert "n.grad += ∂o/∂n · o.grad = 0.5 · 1 = 0.5, now 0.5 [∂o/∂n = 1 − o²]" in captions
    assert "x1.grad += ∂n1/∂x1 · n1.grad = (-3) · 0.5 = -1.5, now -1.5 [∂n1/∂x1 = w1]" in captions
    assert "n1 = x1 · w1 = 2 · (-3) = -6" in captions
    assert " x " not in captions and "do/d" not in captions  # products are ·, derivatives use ∂


def test_the_second_path_into_x_adds_to_what_the_first_gave():
    out, (x, y, z) = two_paths()
    captions = "\n".join(Stepper(out).captions())
    # out = n1 + z with n1 = z·x. x first gets z·1 = -6 (the direct path), then y·(x + 1)... by hand:
    # through n1 directly: ∂n1/∂x · n1.grad = z = -6; through z: ∂z/∂x · z.grad = y · (x + 1) = -8.
    assert "x.grad += ∂n1/∂x · n1.grad = (-6) · 1 = -6, now -6" in captions
    assert "x.grad += ∂z/∂x · z.grad = (-2) · 4 = -8, now -14" in captions


def test_page_is_self_contained_small_and_shows_the_final_state_without_script(tmp_path):
    loss, V = network_221()
    stepper = Stepper(loss)
    page = stepper.save(tmp_path / "backward.html").read_text()
    assert len(page.encode()) <= 150_000
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//|url\(\s*["\']?https?:|@import', page)
    assert page.count("<svg") == 1  # one drawing, restyled frame by frame
    spec = json.loads(re.search(r'<script type="application/json" class="cr-spec">(.*?)</script>', page, re.S)[1])
    assert len(spec["frames"]) == len(stepper)
    # Without its script the page is the final state: every box shows the engine's gradient ...
    loss.backward()
    svg = re.search(r"<svg.*?</svg>", page, re.S)[0]
    for name in ("w22h", "x2", "s2", "L"):
        grad = format_number(V[name].grad) if name != "L" else "1"
        assert re.search(rf">{re.escape(name)}</tspan>.*?class=\"cr-grad\"[^>]*>{re.escape(grad)}</text>", svg, re.S)
    # ... and a table lists every step.
    table = re.search(r'<table class="cr-table">.*?</table>', page, re.S)[0]
    assert table.count("<tr>") == len(stepper) + 1
    assert html.escape("w22h.grad += ∂u22/∂w22h · u22.grad") in table


def test_page_size_grows_with_nodes_plus_steps():
    x = Value(0.5, label="x")
    y = x
    for i in range(99):  # 200 Values: 101 leaves and 99 products
        y = y * Value(1.0 + i / 1000)
    page = Stepper(y).html()
    assert len(page.encode()) <= 1_000_000


def test_default_max_nodes_fits_an_mlp_on_one_sample():
    model = nn.MLP(2, [4, 4, 1], seed=0)
    out = model([0.5, -1.0])
    assert len(autograd.topological_order(out)) > 60
    assert len(Stepper(out)) > 0


def test_stepper_rejects_bad_arguments(tmp_path):
    o, _ = neuron()
    with pytest.raises(TypeError, match="quiz"):
        Stepper(o, quiz="yes")
    with pytest.raises(TypeError, match="title"):
        Stepper(o, title=3)
    with pytest.raises(ValueError, match=r"\.html"):
        Stepper(o).save(tmp_path / "b.svg")
    fragment = Stepper(o)._repr_html_()
    assert "<div" in fragment and "<html" not in fragment


# -- explain: the sum over paths ---------------------------------------------------------------------
def test_explain_lists_every_path_and_its_product():
    out, (x, y, z) = two_paths()
    found = explain(out, x)
    # out = n1 + z, n1 = z·x, z = x·y at x = 3, y = -2, z = -6. Paths from out back to x, by hand:
    #   out → n1 → x:      1 · z         = -6
    #   out → n1 → z → x:  1 · x · y     = -6
    #   out → z → x:       1 · y         = -2
    assert sorted(p.product for p in found.paths) == sorted([-6.0, 3.0 * -2.0, -2.0])
    assert found.total == pytest.approx(2 * 3.0 * -2.0 + -2.0, abs=1e-12)
    assert found.total == pytest.approx(central_difference(lambda a: (a * Value(-2.0)) * a + a * Value(-2.0), [3.0], 0))
    out.backward()
    assert found.grad == x.grad
    text = str(found)
    assert "3 path(s)" in text and "out → n1 → z → x" in text
    assert "<table>" in found._repr_html_()


def test_explain_refuses_what_it_cannot_do():
    x = Value(1.0, label="x")
    y = x
    for _ in range(12):
        y = y + y  # 2^12 paths back to x
    with pytest.raises(ValueError, match="4,096 paths"):
        explain(y, x)
    assert len(explain(y, x, max_paths=5000).paths) == 4096
    with pytest.raises(ValueError, match="not in the graph"):
        explain(y, Value(2.0))
    import numpy as np

    batch = Value(np.array([1.0, 2.0]), label="v")
    with pytest.raises(ValueError, match=r"v on a path from the output back to x holds an array of shape \(2,\)"):
        explain((batch * batch).sum(), batch)


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
