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

from ...networks import network_221, network_221_binary, neuron, two_paths


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
    # A person computes layer by layer: the four products, the two sums, the two sigmoids, then the output.
    forward_names = [stepper.names[id(f.steps[0].node)] for f in stepper.frames[1 : 1 + len(interior)]]
    assert forward_names == ["u11", "u21", "u12", "u22", "s1", "s2", "z1", "z2", "v1", "v2", "y", "e", "e2", "L"]
    # The leaves: the inputs, then the parameters by the layer that first reads them, the constants last.
    assert [stepper.names[id(s.node)] for s in stepper.frames[0].steps] == [
        "x1", "x2", "w11h", "w21h", "w12h", "w22h", "w01h", "w02h", "w11o", "w21o", "w01o", "y*", "½",
    ]  # fmt: skip
    assert stepper.captions()[0].startswith(
        "Forward step 1 of 30: The leaves that get a gradient: x1 = 0.8, x2 = −1.5, w11h = −0.6, w21h = 0.4,"
    )
    assert "w01o = −0.2. The constants y* = 0.5 and ½ = 0.5 need no gradient." in stepper.captions()[0]


def test_captions_name_the_rule_the_numbers_and_the_new_total():
    o, _ = neuron()
    captions = "\n".join(Stepper(o).captions())
    # n.grad = do/dn * o.grad = (1 - o^2) * 1 = 0.5 (o = 1/sqrt 2, by hand)
    assert "n.grad += ∂o/∂n · o.grad = 0.5 · 1 = 0.5, now 0.5 [∂o/∂n = 1 − o²]" in captions
    assert "x1.grad += ∂n1/∂x1 · n1.grad = (−3) · 0.5 = −1.5, now −1.5 [∂n1/∂x1 = w1]" in captions
    assert "n1 = x1 · w1 = 2 · (−3) = −6" in captions
    assert " x " not in captions and "do/d" not in captions  # products are ·, derivatives use ∂


def test_the_second_path_into_x_adds_to_what_the_first_gave():
    out, (x, y, z) = two_paths()
    captions = "\n".join(Stepper(out).captions())
    # out = n1 + z with n1 = z·x. x first gets z·1 = -6 (the direct path), then y·(x + 1)... by hand:
    # through n1 directly: ∂n1/∂x · n1.grad = z = -6; through z: ∂z/∂x · z.grad = y · (x + 1) = -8.
    assert "x.grad += ∂n1/∂x · n1.grad = (−6) · 1 = −6, now −6" in captions
    assert "x.grad += ∂z/∂x · z.grad = (−2) · 4 = −8, now −6 + (−8) = −14" in captions


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


# -- a model of nn on one example, as the lectures draw it ---------------------------------------------------
def mlp_stepper(sizes, activation="relu") -> Stepper:
    model = nn.MLP(2, sizes, activation=activation, seed=0)
    return Stepper(nn.mse_loss(model([0.5, -0.2]), 1.0))


def frames_by_hand(ops: int) -> int:
    """One frame for the leaves, one per op forward, the seed, one per op passing its gradient back."""
    return 1 + ops + 1 + ops


def test_an_mlp_steps_like_the_hand_built_network_with_a_frame_per_neuron_operation():
    # The lecture's 2-2-1 network: 4 products, 2 sums, 2 sigmoids, 2 products and a sum for y, then e, e², ½·e².
    assert len(Stepper(network_221()[0])) == frames_by_hand(4 + 2 + 2 + 2 + 1 + 3) == 30
    # The same network from nn: no ½, and the sum with the bias is one node: (y - 1)² closes it.
    sigmoid_221 = mlp_stepper([2, 1], activation="sigmoid")
    assert len(sigmoid_221) == frames_by_hand(4 + 2 + 2 + 2 + 1 + 2) == 28
    assert abs(len(sigmoid_221) - 30) <= 2
    # 2-4-4-1: per layer a product per weight, a sum per neuron, an activation per hidden neuron; then (y - 1)².
    big = mlp_stepper([4, 4, 1])
    assert len(big) == frames_by_hand((8 + 4 + 4) + (16 + 4 + 4) + (4 + 1) + 2) == 96


def test_no_frame_of_an_mlp_is_about_indexing():
    stepper = mlp_stepper([4, 4, 1])
    words = "\n".join(stepper.captions()) + stepper._steps_table()
    for sign in ("index", "W[", "b[0] ", "linear map", "scatter", "positions read", ", 0]"):
        assert sign not in words
    spec = stepper._spec(stepper.scene)
    assert not any(re.fullmatch(r"[Wb]\[\d\]", name) for name in spec["names"])  # no matrix in the drawing
    assert not any("[" in row["local"] for f in spec["frames"] for row in f.get("rows", []))  # numbers only
    # Every weight and bias is a leaf of the first frame, with its number; x1 and x2 are the inputs.
    leaves = [stepper.names[id(s.node)] for s in stepper.frames[0].steps]
    assert leaves[:4] == ["x1", "x2", "w[0,0,0]", "w[0,0,1]"] and len(leaves) == 2 + 37 + 1


def test_the_forward_pass_goes_layer_by_layer_and_the_backward_pass_back_the_same_way():
    stepper = mlp_stepper([4, 4, 1])
    stage = {"wx": 0, "z": 1, "h": 2}

    def place(name: str) -> tuple[int, int]:  # (layer, stage): the loss after the last layer
        match = re.match(r"(wx|z|h)\[(\d)", name)
        return (int(match[2]), stage[match[1]]) if match else (3, 0)

    forward = [place(stepper.names[id(f.steps[0].node)]) for f in stepper.frames if f.kind == "forward"]
    assert forward == sorted(forward)
    backward = [place(stepper.names[id(f.steps[0].node)]) for f in stepper.frames if f.kind == "backward"]
    assert backward == sorted(backward, reverse=True)
    assert len(backward) == 47
    # The hand-built network, sweep by sweep: loss, output layer, hidden sums, hidden products.
    lecture = Stepper(network_221()[0])
    senders = [lecture.names[id(f.steps[0].node)] for f in lecture.frames if f.kind == "backward"]
    assert senders == ["L", "e2", "e", "y", "v1", "v2", "z1", "z2", "s1", "s2", "u11", "u21", "u12", "u22"]


def test_stepper_errors_name_the_stepper():
    with pytest.raises(TypeError, match="^Stepper needs a Value"):
        Stepper(3.0)
    x = Value(1.0, label="x")
    y = x
    for _ in range(30):
        y = y * 1.5
    with pytest.raises(ValueError, match=r"max_nodes=10; raise max_nodes, or call Stepper\(\) on an intermediate"):
        Stepper(y, max_nodes=10)


def test_every_minus_sign_shown_is_one_glyph():
    loss, V = network_221()
    stepper = Stepper(loss)
    page = stepper.html()
    svg = re.search(r"<svg.*?</svg>", page, re.S)[0]
    shown = [
        *re.findall(r">([^<>]+)<", svg),
        *stepper.captions(),
        stepper._steps_table(),
        str(autograd.explain(loss, V["x2"])),
    ]
    spec = stepper._spec(stepper.scene)
    shown += [
        *spec["data"],
        *(v for f in spec["frames"] for row in f.get("rows", []) for v in row.values() if isinstance(v, str)),
    ]
    assert any("\u2212" in text for text in shown)  # the network has negative numbers ...
    assert not [text for text in shown if re.search(r"-\d", text)]  # ... and no hyphen writes one


def test_the_first_caption_names_each_constant_once_and_every_page_words_its_leaves_alike():
    # (y − 0.5)² · 0.5: two constants written 0.5, one sentence about them; the nine weights and inputs are leaves.
    (first,) = Stepper(network_221_binary()).frames[0].caption
    assert first.startswith("The leaves that get a gradient: ") and first.count(" 0.5") == 1
    assert "The constant 0.5 needs no gradient." in first
