"""How large a model may be (limits.py): weights and biases counted from a description by hand, and the
limit of ten million refused before anything is allocated."""

from __future__ import annotations

import re

import pytest

import nn
from nn.limits import MAX_WEIGHTS, check_size, weights_in


def test_weights_are_counted_from_the_description_as_by_hand():
    # The lectures' count for 10 -> 10 -> 5 -> 1: (10·10 + 10) + (10·5 + 5) + (5·1 + 1) = 171.
    assert weights_in({"type": "MLP", "nin": 10, "nouts": [10, 5, 1], "activation": "relu"}) == 171
    layer = {"type": "Layer", "nin": 2, "nout": 3, "activation": "relu"}
    neuron = {"type": "Neuron", "nin": 3, "activation": "sigmoid"}  # one output: 3 weights and a bias
    nested = {"type": "Sequential", "layers": [layer, {"type": "Sequential", "layers": [neuron]}]}
    assert weights_in(nested) == (2 * 3 + 3) + (3 + 1)
    shared = nn.Layer(3, 3, "tanh", seed=0)
    model = nn.Sequential(nn.Layer(2, 3, seed=1), shared, shared, nn.Neuron(3, "sigmoid", seed=2))
    assert weights_in(model.config()) == model.num_parameters() == 9 + 12 + 4  # a layer used twice counts once


def test_ten_million_weights_are_taken_and_one_more_layer_is_refused():
    assert MAX_WEIGHTS == 10_000_000
    check_size({"type": "Layer", "nin": 9_999, "nout": 1_000, "activation": "linear"})  # 9,999,000 + 1,000
    too_large = {"type": "Layer", "nin": 10_000, "nout": 1_000, "activation": "linear"}  # 10,000,000 + 1,000
    with pytest.raises(
        ValueError, match=re.escape("asks for at least 10,001,000 weights and biases; the limit is 10,000,000")
    ):
        check_size(too_large)
    with pytest.raises(ValueError, match="^model.json: the model description asks for"):
        check_size({"type": "Sequential", "layers": [too_large]}, "model.json: the model description")
