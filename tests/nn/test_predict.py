"""What a trained model says about data (predict.py): its outputs against a NumPy forward pass, its classes
and its accuracy, worked out by hand."""

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


def test_predict_is_the_forward_pass_in_numpy():
    model = nn.MLP(2, [3, 2], activation="tanh", seed=0)
    X = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5], [0.0, 0.0]])
    (W0, b0), (W1, b1) = ((layer.W.data, layer.b.data) for layer in model.layers)
    expected = np.tanh(X @ W0.T + b0) @ W1.T + b1  # the lectures' a = f(W a + b), one row per sample
    out = nn.predict(model, X)
    assert isinstance(out, np.ndarray) and out.shape == (4, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(nn.predict(model, X[1]), expected[1:2], rtol=1e-13)  # one sample: one row
    assert all(not np.any(p.grad) for p in model.parameters())  # predicting computes no gradient


def test_accuracy_counts_the_right_classes_by_hand():
    # An identity layer, out = x, so each class is read off the inputs by hand.
    identity = nn.Layer(1, 1, "linear")
    identity.load_state_dict({"W": [[1.0]], "b": [0.0]})
    X, y = np.array([[-2.0], [-0.5], [0.3], [4.0]]), np.array([0, 1, 1, 0])
    assert nn.accuracy(identity, X, y, "hinge") == 0.5  # classes out > 0: 0, 0, 1, 1 -> right at 0 and 2
    assert nn.accuracy(identity, X, y, "mse") == 0.25  # classes out > 0.5: 0, 0, 0, 1 -> right at 0 only
    two = nn.Layer(1, 2, "linear")
    two.load_state_dict({"W": [[1.0], [-1.0]], "b": [0.0, 0.0]})  # outputs (x, −x)
    assert nn.accuracy(two, X, y, "ce") == 0.5  # argmax: 1, 1, 0, 0 -> right at 1 and 3
