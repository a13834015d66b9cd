"""The stepper's frames, captions and page (stepper.py); the page in a real browser is in
test_stepper_browser.py."""

from __future__ import annotations

import html
import json
import re

import pytest

import autograd
import nn
from autograd import Stepper, Value
from autograd.show.text import format_number

from ...networks import network_221, neuron, two_paths


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
