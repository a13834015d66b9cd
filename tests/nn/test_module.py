"""Modules (module.py): parameters counted and named, model files saved and loaded bit for bit, files of the
first format, and mismatched files refused."""

from __future__ import annotations

import json
import tracemalloc

import numpy as np
import pytest

import nn


def test_parameter_count_matches_the_lectures_hand_count():
    # 10 inputs -> 10 -> 5 -> 1: (10*10 + 10) + (10*5 + 5) + (5*1 + 1) = 171.
    assert nn.MLP(10, [10, 5, 1]).num_parameters() == 171


def test_named_parameters_use_dotted_paths():
    params = nn.MLP(3, [4, 2], seed=0).named_parameters()
    assert [name for name, _ in params] == ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"]
    assert [p.shape for _, p in params] == [(4, 3), (4,), (2, 4), (2,)]  # W is (outputs, inputs), as in PyTorch
    assert nn.MLP(3, [4, 2]).num_parameters() == 3 * 4 + 4 + 4 * 2 + 2


def test_save_and_load_are_bit_identical(tmp_path):
    model = nn.Sequential(nn.MLP(2, [5, 3], activation="tanh", seed=7), nn.Neuron(3, "sigmoid", seed=8))
    path = tmp_path / "model.json"
    model.save(path)
    loaded = nn.Module.load(path)
    assert loaded.state_dict() == model.state_dict()
    assert type(loaded) is nn.Sequential
    x = [0.3, -0.8]
    assert loaded(x).data == model(x).data
    assert json.loads(path.read_text())["format"] == "chainrule.model"


def test_files_of_the_first_format_still_load(tmp_path):
    # Version 1 stored one number per weight: layers.L.neurons.J.w.I and layers.L.neurons.J.b.
    W0, b0, W1, b1 = [[1.0, -2.0], [0.5, 0.25], [3.0, -1.0]], [0.1, 0.2, 0.3], [[2.0, -1.0, 0.5]], [-0.5]
    state = {f"layers.0.neurons.{j}.w.{i}": W0[j][i] for j in range(3) for i in range(2)}
    state |= {f"layers.0.neurons.{j}.b": b0[j] for j in range(3)}
    state |= {f"layers.1.neurons.0.w.{i}": W1[0][i] for i in range(3)} | {"layers.1.neurons.0.b": b1[0]}
    config = {"type": "MLP", "nin": 2, "nouts": [3, 1], "activation": "relu", "output_activation": "linear"}
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"format": "chainrule.model", "version": 1, "model": config, "state": state}))
    model = nn.Module.load(path)
    assert model.layers[0].W.data.tolist() == W0 and model.layers[0].b.data.tolist() == b0
    assert model.layers[1].W.data.tolist() == W1 and model.layers[1].b.data.tolist() == b1
    x = np.array([0.5, -1.0])
    h = np.maximum(np.array(W0) @ x + b0, 0)
    assert model(list(x)).data == pytest.approx(float((np.array(W1) @ h + b1)[0]), rel=1e-15)  # by hand
    neuron = {"format": "chainrule.model", "version": 1, "model": {"type": "Neuron", "nin": 2, "activation": "tanh"}}
    path.write_text(json.dumps({**neuron, "state": {"w.0": 0.5, "w.1": -1.0, "b": 0.25}}))
    assert nn.Module.load(path).W.data.tolist() == [[0.5, -1.0]]
    path.write_text(json.dumps({**neuron, "state": {"w.0": 0.5, "b": 0.25}}))
    with pytest.raises(ValueError, match="missing parameter 'w.1'"):
        nn.Module.load(path)


def test_loading_a_mismatched_file_names_the_first_mismatch_and_changes_nothing(tmp_path):
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    state = dict(before)
    del state["layers.0.b"]
    with pytest.raises(ValueError, match=r"layers\.0\.b"):
        model.load_state_dict(state)
    state = dict(before, **{"layers.0.b": [float("nan")] * 3})
    with pytest.raises(ValueError, match="finite"):
        model.load_state_dict(state)
    assert model.state_dict() == before
    path = tmp_path / "other.json"
    nn.MLP(2, [4, 1]).save(path)
    with pytest.raises(ValueError, match="MLP"):
        nn.Layer.load(path)
    other = nn.MLP.load(path)
    with pytest.raises(ValueError, match=r"has shape \(4, 2\), the parameter \(3, 2\)"):
        model.load_state_dict(other.state_dict())
    assert model.state_dict() == before


def _big_file(version: int, state: dict) -> str:
    """A 170-byte file describing MLP(3000, [3000]): 9,003,000 weights and biases, under the limit."""
    config = {"type": "MLP", "nin": 3000, "nouts": [3000], "activation": "relu", "output_activation": "linear"}
    return json.dumps({"format": "chainrule.model", "version": version, "model": config, "state": state})


@pytest.mark.parametrize(
    "version, state, message",
    [
        (1, {}, "state is missing parameter 'layers.0.neurons.0.w.0'"),
        (1, {"layers.0.neurons.0.w.0": 0.5}, "state is missing parameter 'layers.0.neurons.0.w.1'"),
        (2, {}, "state is missing parameter 'layers.0.W'"),
        (2, {"layers.0.W": [[0.5]], "layers.0.b": [0.0]}, r"state\['layers.0.W'\] has shape \(1, 1\), the parameter"),
        (3, {"layers.0.W": [[0.5]], "layers.0.b": [0.0], "x": 1}, "state has parameter 'x', which this model does not"),
    ],
)
def test_a_small_file_of_a_large_model_with_a_wrong_state_is_refused_before_any_weight_is_allocated(
    version, state, message
):
    # The model would hold 72 MB of weights (and a version-1 file made a string per weight: 900 MB).
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=message):
            nn.Module.from_json_text(_big_file(version, state))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20


def test_a_file_of_the_first_format_is_held_to_the_weight_limit_and_names_an_extra_weight():
    too_large = _big_file(1, {}).replace('"nouts": [3000]', '"nouts": [3000, 3000]')
    with pytest.raises(ValueError, match="asks for at least 18,006,000 weights and biases; the limit is 10,000,000"):
        nn.Module.from_json_text(too_large)
    neuron = {"format": "chainrule.model", "version": 1, "model": {"type": "Neuron", "nin": 1, "activation": "tanh"}}
    with pytest.raises(ValueError, match="state has parameter 'w.1', which this model does not have"):
        nn.Module.from_json_text(json.dumps({**neuron, "state": {"w.0": 0.5, "w.1": -1.0, "b": 0.25}}))


def test_a_shared_stage_and_nested_stages_load_from_both_formats():
    inner = nn.MLP(2, [3], seed=1)
    shared = nn.Layer(3, 3, "tanh", seed=2)
    model = nn.Sequential(inner, shared, shared, nn.Sequential(nn.Neuron(3, "sigmoid", seed=3)))
    assert nn.Module.from_json_text(json.dumps(model.to_json())).state_dict() == model.state_dict()
    # The same weights under version 1's names: one number per weight, a Neuron's as w.I and b.
    old = {}
    for name, value in model.state_dict().items():
        owner, kind = name[: -len(name.rsplit(".", 1)[-1])], name.rsplit(".", 1)[-1]
        neuron = owner == "layers.3.layers.0."
        for j in range(len(value)):
            base = owner if neuron else f"{owner}neurons.{j}."
            if kind == "b":
                old[f"{base}b"] = value[j]
            else:
                old |= {f"{base}w.{i}": w for i, w in enumerate(value[j])}
    document = {**model.to_json(), "version": 1, "state": old}
    assert nn.Module.from_json_text(json.dumps(document)).state_dict() == model.state_dict()
