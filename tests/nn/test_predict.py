"""What a trained model says about data (predict.py): its classes."""

from __future__ import annotations

import numpy as np

import nn


def test_classify_mse_thresholds_the_first_output_at_one_half():
    """With mse the class is 1 exactly when the first output is above 0.5 (0.5 itself is class 0);
    further outputs are ignored. By hand: 0.2 -> 0, 0.5 -> 0, 0.5000001 -> 1, 0.9 -> 1, -3 -> 0, 7 -> 1."""
    outputs = np.array([0.2, 0.5, 0.5000001, 0.9, -3.0, 7.0])
    assert nn.classify(outputs, "mse").tolist() == [0, 0, 1, 1, 0, 1]
    assert nn.classify(outputs[:, None], "mse").tolist() == [0, 0, 1, 1, 0, 1]  # (samples, 1) as fit makes
    two_outputs = np.array([[0.6, -5.0], [0.4, 9.0], [0.5, 0.9]])  # the second column must not matter
    assert nn.classify(two_outputs, "mse").tolist() == [1, 0, 0]
    assert nn.classify([0.49, 0.51], "mse").tolist() == [0, 1]  # a plain list is taken too
    assert nn.classify([0.3], "hinge").tolist() == [1]  # hinge's threshold is 0, not 0.5: 0.3 is class 1 there
