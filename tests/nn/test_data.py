"""Data sets and batches, and the training information of a model file checked against the model (data.py);
reading a CSV file is tested as users meet it, in tests/test_users.py."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import nn


@pytest.mark.parametrize(
    "make, classes",
    [
        (nn.data.make_xor, 2),
        (nn.data.make_moons, 2),
        (nn.data.make_circles, 2),
        (nn.data.make_spirals, 3),
        (nn.data.make_blobs, 3),
    ],
)
def test_datasets_are_seeded_arrays(make, classes):
    X, y = make(seed=1)
    X2, y2 = make(seed=1)
    assert X.shape == (len(y), 2) and np.array_equal(X, X2) and np.array_equal(y, y2)
    assert set(y.tolist()) == set(range(classes))


def test_xor_data_are_the_four_corners():
    X, y = nn.data.make_xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]


def test_batches_cover_the_data_in_all_three_regimes():
    X, y = nn.data.make_moons(10, seed=0)
    for size, count in [(None, 1), (4, 3), (1, 10)]:
        parts = list(nn.data.batches(X, y, size, seed=0))
        assert len(parts) == count
        assert sorted(np.concatenate([b[1] for b in parts]).tolist()) == sorted(y.tolist())
        assert sorted(map(tuple, np.concatenate([b[0] for b in parts]).tolist())) == sorted(map(tuple, X.tolist()))


def _file(nout: int, loss: str) -> str:
    """A model file of one Layer(2 -> nout) saved with this training loss."""
    layer = {"type": "Layer", "nin": 2, "nout": nout, "activation": "linear"}
    state = {"W": [[1.0, 0.0]] * nout, "b": [0.0] * nout}
    training = {"loss": loss}
    return json.dumps({"format": "chainrule.model", "version": 3, "model": layer, "state": state, "training": training})


@pytest.mark.parametrize(
    "nout, loss, message",
    [
        (1, "ce", "training.loss is 'ce', which needs one output per class (2 or more), but the model has 1"),
        (3, "bce", "training.loss is 'bce', which reads one output, but the model has 3"),
        (2, "hinge", "training.loss is 'hinge', which reads one output, but the model has 2"),
        (2, "mse", "training.loss is 'mse', which reads one output, but the model has 2"),
    ],
)
def test_a_training_loss_that_does_not_fit_the_outputs_is_refused(nout, loss, message):
    # Softmax over one output is 1 whatever the input: predict said "class 0 (p = 1.00)" for every example.
    with pytest.raises(ValueError, match="^m.json: " + re.escape(message)):
        nn.Module.from_json_text(_file(nout, loss), source="m.json")


@pytest.mark.parametrize("nout, loss", [(1, "hinge"), (1, "bce"), (1, "mse"), (2, "ce"), (3, "ce")])
def test_a_training_loss_that_fits_the_outputs_loads(nout, loss):
    assert nn.Module.from_json_text(_file(nout, loss)).training_info == {"loss": loss}
