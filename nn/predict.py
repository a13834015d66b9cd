"""What a trained model says about data: its outputs (predict), the classes they stand for
(classify) and how often those are right (accuracy)."""

from __future__ import annotations

import numpy as np

import autograd
from autograd import checks

from .data import LOSSES, _array, check_dataset
from .module import Module


def outputs_of(model: Module, X: np.ndarray, batched: bool):
    """Batched: one Value of shape (rows, outputs), a matrix node per layer. Scalar: each example's outputs."""
    if batched:
        return model(X)  # the data is a constant: no gradient is computed for it
    return [model(row) for row in X.tolist()]


def as_list(out) -> list:
    """One example's outputs as a list (a model with one output gives a single Value)."""
    return out if isinstance(out, list) else [out]


def raw_outputs(outputs, batched: bool, n: int) -> np.ndarray:
    """The numbers of ``outputs_of``'s result, as an array of shape (n, outputs)."""
    if batched:
        return np.asarray(outputs.data).reshape(n, -1)
    return np.array([[v.data for v in as_list(o)] for o in outputs])


def check_model(model) -> Module:
    if not isinstance(model, Module):
        raise TypeError(f"model must be an nn.Module (e.g. nn.MLP), got {type(model).__name__}")
    return model


def predict(model: Module, X) -> np.ndarray:
    """The model's outputs for every row of X, as an array of shape (samples, outputs)."""
    check_model(model)
    X = _array(X, "X").astype(float)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.size == 0:
        raise ValueError(f"X must be a non-empty 2-D array (samples x features), got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must hold finite numbers (no NaN or inf)")
    with autograd.no_grad():
        return raw_outputs(outputs_of(model, X, batched=True), True, len(X))


def classify(outputs: np.ndarray, loss: str = "hinge") -> np.ndarray:
    """Class labels from raw outputs: argmax for ``ce``, a threshold on the first output otherwise."""
    checks.choice(loss, "loss", LOSSES)
    outputs = _array(outputs, "outputs").astype(float)
    if outputs.ndim == 1:
        outputs = outputs[:, None]
    if outputs.ndim != 2 or outputs.size == 0:
        raise ValueError(f"outputs must be a non-empty array of shape (samples, outputs), got shape {outputs.shape}")
    if not np.all(np.isfinite(outputs)):
        raise ValueError("outputs must hold finite numbers (no NaN or inf)")
    if loss == "ce":
        return outputs.argmax(axis=1)
    threshold = 0.5 if loss == "mse" else 0.0
    return (outputs[:, 0] > threshold).astype(int)


def classes_of(y: np.ndarray, loss: str) -> np.ndarray:
    """The class each target stands for, as ``classify`` numbers them: hinge's -1 is class 0."""
    return (y > 0).astype(int) if loss == "hinge" else y


def accuracy(model: Module, X, y, loss: str = "hinge") -> float:
    """The fraction of samples whose predicted class is y's class (hinge labels may be -1/+1 or 0/1)."""
    check_model(model)
    checks.choice(loss, "loss", LOSSES)
    X, y = check_dataset(X, y)
    return float(np.mean(classify(predict(model, X), loss) == classes_of(y, loss)))
