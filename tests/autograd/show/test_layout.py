"""The layout of a drawing (layout.py): Graphviz from the pip wheel, text at lecture size, boxes grouped by
neuron and by layer."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import nn
from autograd import Stepper, draw

from ...networks import network_221

SVG = "{http://www.w3.org/2000/svg}"


def test_drawing_needs_no_system_graphviz(tmp_path):
    code = "from autograd import Value, draw; x = Value(1.0, label='x'); print(len(draw(x * x).svg()))"
    env = dict(os.environ, PATH=str(tmp_path))  # no dot anywhere on PATH
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 100


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
        for i, node in enumerate(graph.scene.order):
            match = re.match(r"[wb]\[(\d+),(\d+)", node.label)
            if not match:
                continue
            title = f"layer {match[1]}, neuron {match[2]}" if group == "neuron" else f"layer {match[1]}"
            rect = boxes[title]
            tx, ty = (float(v) for v in re.findall(r"[-\d.]+", names[str(i)].get("transform")))
            assert float(rect.get("x")) <= tx and tx <= float(rect.get("x")) + float(rect.get("width"))
            assert float(rect.get("y")) <= ty <= float(rect.get("y")) + float(rect.get("height"))


def test_inputs_and_neurons_are_drawn_in_index_order_top_to_bottom_as_a_lecture_draws_them():
    model = nn.MLP(2, [2, 1], seed=0)
    networks = (
        (network_221()[0], [("x1", "x2"), ("s1", "s2"), ("z1", "z2")]),
        (nn.mse_loss(model([0.5, -0.2]), 1.0), [("x1", "x2"), ("z[0,0]", "z[0,1]"), ("h[0,0]", "h[0,1]")]),
    )
    for loss, pairs in networks:
        scene = Stepper(loss).scene
        top = {scene.names[id(node)]: box.y for node, box in zip(scene.order, scene.boxes)}
        for upper, lower in pairs:
            assert top[upper] < top[lower], (upper, lower)
