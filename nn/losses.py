"""Loss functions. Each returns a scalar Value: the mean over the examples given.

Predictions come as one Value, a list of Values, or a list of lists (one list per
example); targets have the same shape with plain numbers. A prediction may be a Value
holding an array: a batch of samples, or a matrix of shape (rows, outputs) from a
layer; its target is a NumPy array of the same shape (for one output per row, an
array with one number per row). The result is still the mean over the samples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

import autograd
from autograd import Value, checks, fused
from autograd.value import apply, value_of

from .module import Module


def _is_batched(v: Value) -> bool:
    return v.data.__class__ is not float


def _target(t, who: str, index: int | None = None):
    where = "target" if index is None else f"target[{index}]"
    if isinstance(t, np.ndarray):
        if t.dtype.kind not in "iuf":
            raise TypeError(f"{who}: {where} must hold numbers, got dtype {t.dtype}")
        if not np.all(np.isfinite(t)):
            raise ValueError(f"{who}: {where} must hold finite numbers, got {t!r:.60}")
        return t.astype(float)
    return checks.number(t, f"{who}: {where}")


def _aligned(pred: Value, target, who: str):
    """The target in the prediction's shape: one number per row for a single output column."""
    target = _target(target, who)
    shape = np.shape(target)
    if shape == pred.shape or shape == ():
        return target
    if pred.ndim == 2 and pred.shape[1] == 1 and shape == (pred.shape[0],):
        return target[:, None]
    raise ValueError(f"{who}: the predictions have shape {pred.shape} but the targets {shape}; they must match")


def _pairs(pred, target, who: str) -> list[tuple[Value, object]]:
    """Line predictions up with targets, flattening one level of per-example lists."""
    if isinstance(pred, Value):
        return [(pred, _aligned(pred, target, who))]
    if not isinstance(pred, (list, tuple)):
        raise TypeError(f"{who}: predictions must be a Value or a list of Values, got {type(pred).__name__}")
    if isinstance(target, np.ndarray) and target.dtype.kind not in "iuf":
        raise TypeError(f"{who}: targets must hold numbers, got dtype {target.dtype}")
    if isinstance(target, np.ndarray) and target.ndim >= 1:
        if not any(_is_batched(p) for p in pred if isinstance(p, Value)):
            target = target.tolist()  # one row per example
        elif target.ndim == 2:
            target = list(target.T)  # batched: one column of samples per output
        elif len(pred) == 1:
            target = [target]  # batched, one output: the array holds its samples
    if not isinstance(target, (list, tuple)):
        raise TypeError(f"{who}: targets must be a list like the predictions, got {type(target).__name__}")
    if len(pred) != len(target):
        raise ValueError(f"{who}: {len(pred)} predictions but {len(target)} targets; they must match one to one")
    if not pred:
        raise ValueError(f"{who}: no predictions given; a loss needs at least one example")
    pairs = []
    for i, (p, t) in enumerate(zip(pred, target)):
        if isinstance(p, (list, tuple)) and len(p) == 1 and not isinstance(t, (list, tuple, np.ndarray)):
            pairs.extend(_pairs(p[0], t, who))  # one example's only output against a plain number
        elif isinstance(p, (list, tuple)):
            pairs.extend(_pairs(p, t, who))
        elif isinstance(p, Value):
            pairs.append((p, _target(t, who, i)))
        else:
            raise TypeError(f"{who}: prediction {i} must be a Value, got {type(p).__name__}")
    return pairs


def _mean(terms: list[Value]) -> Value:
    """The mean of per-example terms; batched terms are averaged over the batch (and outputs) too."""
    total = terms[0] if len(terms) == 1 else autograd.sum(terms) / len(terms)
    return total.mean() if _is_batched(total) else total


def mse_loss(pred, target) -> Value:
    """Mean squared error: mean over all outputs of (pred - target)^2.

    This is the mean, as in PyTorch; the lectures' 1/2 (y - y*)^2 is half of it for one output.
    For one example with one output the nodes are named as the lectures' 2-2-1 network names
    them, so a drawing reads L = e² with e = y − y*.
    """
    pairs = _pairs(pred, target, "mse_loss")
    if len(pairs) == 1 and pairs[0][0].data.__class__ is float:
        prediction, number = pairs[0]
        error = prediction - autograd.constant(number, label="y*")
        error.label = "e"
        loss = error**2
        loss.label = "L"
        return loss
    return _mean([(p - t) ** 2 for p, t in pairs])


def binary_cross_entropy(p, y) -> Value:
    """-(y log p + (1 - y) log(1 - p)) for probabilities p in (0, 1) and labels y in [0, 1]."""
    terms = []
    for prob, label in _pairs(p, y, "binary_cross_entropy"):
        if not np.all((prob.data > 0.0) & (prob.data < 1.0)):
            raise ValueError(
                f"binary_cross_entropy: p must lie strictly between 0 and 1, got {prob.data!r:.60}; "
                "pass the raw score to binary_cross_entropy_with_logits instead, which is stable"
            )
        _check_labels(label, (0.0, 1.0), "binary_cross_entropy", interval=True)
        terms.append(-(label * prob.log() + (1.0 - label) * (1.0 - prob).log()))
    return _mean(terms)


def binary_cross_entropy_with_logits(z, y) -> Value:
    """Binary cross-entropy of sigmoid(z), softplus(z) - y z, as one node per logit: finite for any z.

    Its gradient with respect to z is sigmoid(z) - y, computed without cancellation
    (see ``rules.bce_with_logits``), so it keeps full relative precision when z is large.
    """
    terms = []
    for logit, label in _pairs(z, y, "binary_cross_entropy_with_logits"):
        _check_labels(label, (0.0, 1.0), "binary_cross_entropy_with_logits", interval=True)
        terms.append(apply(fused.bce_with_logits(label), logit))
    return _mean(terms)


def hinge_loss(scores, labels) -> Value:
    """The max-margin loss max(0, 1 - y s) for labels y in {-1, +1} (0 is read as -1)."""
    terms = []
    for score, label in _pairs(scores, labels, "hinge_loss"):
        _check_labels(label, (-1.0, 0.0, 1.0), "hinge_loss")
        sign = np.where(label > 0, 1.0, -1.0) if isinstance(label, np.ndarray) else (1.0 if label > 0 else -1.0)
        terms.append((1.0 - sign * score).relu())
    return _mean(terms)


def _check_labels(label, allowed: tuple, who: str, interval: bool = False) -> None:
    if label.__class__ is float and ((allowed[0] <= label <= allowed[-1]) if interval else label in allowed):
        return  # one example's label: no array to build
    values = np.asarray(label, dtype=float)
    if interval:
        ok = (values >= allowed[0]) & (values <= allowed[-1])
    else:
        ok = values == allowed[0]
        for a in allowed[1:]:
            ok |= values == a
    if not np.all(ok):
        kind = (
            f"between {allowed[0]:g} and {allowed[-1]:g}"
            if interval
            else "one of " + ", ".join(f"{a:g}" for a in allowed)
        )
        raise ValueError(f"{who}: labels must be {kind}, got {np.asarray(label)[~ok].flat[0]!r}")


def _logit_list(logits, who: str) -> list[Value]:
    if not isinstance(logits, (list, tuple)):
        raise TypeError(f"{who}: logits must be a list of Values, got {type(logits).__name__}")
    if not logits:
        raise ValueError(f"{who}: logits are empty; give one Value per class")
    values = [value_of(v, f"{who}: logits[{i}]") for i, v in enumerate(logits)]
    shapes = {np.shape(v.data) for v in values}
    if len(shapes) > 1:
        raise ValueError(f"{who}: logits mix batch shapes {sorted(shapes)}")
    return values


def _shift(values: list[Value]) -> list[Value]:
    # Subtracting the largest logit (a constant) leaves softmax unchanged and keeps exp <= 1.
    largest = values[0].data
    for v in values[1:]:
        largest = np.maximum(largest, v.data) if _is_batched(v) else max(largest, v.data)
    return [v - largest for v in values]


def softmax(logits: Sequence[Value] | Value):
    """exp(z_i) / sum_j exp(z_j), computed stably; a Value holding an array is taken row by row (last axis)."""
    if isinstance(logits, Value) and logits.ndim >= 1:
        return apply(fused.SOFTMAX, logits)
    exps = [s.exp() for s in _shift(_logit_list(logits, "softmax"))]
    total = autograd.sum(exps)
    return [e / total for e in exps]


def log_softmax(logits: Sequence[Value] | Value):
    """z_i - log sum_j exp(z_j), computed stably; a Value holding an array is taken row by row (last axis)."""
    if isinstance(logits, Value) and logits.ndim >= 1:
        return apply(fused.LOG_SOFTMAX, logits)
    shifted = _shift(_logit_list(logits, "log_softmax"))
    log_total = autograd.sum([s.exp() for s in shifted]).log()
    return [s - log_total for s in shifted]


def cross_entropy(logits, target) -> Value:
    """-log softmax(logits)[target]: the negative log-likelihood of the true class.

    One example: a list of logits and a class index. Several: a list of such lists
    and a list of indices (the mean is returned). Batched: a list of batched logits and
    an integer array, or a Value of shape (rows, classes) and an integer array with one
    class per row. The gradient with respect to the logits is softmax - one_hot(target).
    """
    who = "cross_entropy"
    if isinstance(logits, Value) and logits.ndim >= 1:
        return _cross_entropy_rows(logits, target, who)
    if isinstance(logits, (list, tuple)) and logits and isinstance(logits[0], (list, tuple)):
        if not isinstance(target, (list, tuple, np.ndarray)):
            raise TypeError(
                f"{who}: target must be a list of class indices, one per example, got {type(target).__name__} {target!r:.60}"
            )
        if len(target) != len(logits):
            raise ValueError(
                f"{who}: {len(logits)} examples but {len(target)} targets; give one class index per example"
            )
        return _mean([cross_entropy(row, t) for row, t in zip(logits, target)])
    log_probs = log_softmax(logits)
    classes = len(log_probs)
    if _is_batched(log_probs[0]):
        if not isinstance(target, np.ndarray) or target.dtype.kind not in "iu":
            raise TypeError(
                f"{who}: batched target must be an int array of class indices, got {type(target).__name__} {target!r:.60}"
            )
        if target.shape != log_probs[0].data.shape:
            raise ValueError(f"{who}: batched target has shape {target.shape}, the logits {log_probs[0].data.shape}")
        if target.min() < 0 or target.max() >= classes:
            raise ValueError(
                f"{who}: target class indices must be in 0..{classes - 1}, got {int(target.max() if target.max() >= classes else target.min())}"
            )
        picked = autograd.sum([lp * (target == k).astype(float) for k, lp in enumerate(log_probs)])
        return -picked.mean()
    if isinstance(target, (bool, np.bool_)) or not isinstance(target, (int, np.integer)):
        raise TypeError(f"{who}: target must be a class index (int), got {type(target).__name__} {target!r}")
    if not 0 <= target < classes:
        raise ValueError(f"{who}: target {target} is out of range for {classes} classes (0..{classes - 1})")
    return -log_probs[int(target)]


def _cross_entropy_rows(logits: Value, target, who: str) -> Value:
    single = logits.ndim == 1
    rows = logits.reshape(1, -1) if single else logits
    if rows.ndim != 2:
        raise ValueError(f"{who}: logits must be (classes,) or (rows, classes), got shape {logits.shape}")
    target = np.asarray([target] if single and not isinstance(target, (list, np.ndarray)) else target)
    if target.dtype.kind not in "iu":
        raise TypeError(f"{who}: targets must be class indices (ints), got {target.dtype} values {target!r:.60}")
    if target.shape != (rows.shape[0],):
        raise ValueError(
            f"{who}: {rows.shape[0]} rows of logits but targets of shape {target.shape}; give one class per row"
        )
    classes = rows.shape[1]
    if target.min() < 0 or target.max() >= classes:
        bad = int(target.max() if target.max() >= classes else target.min())
        raise ValueError(f"{who}: target class indices must be in 0..{classes - 1}, got {bad}")
    return apply(fused.CROSS_ENTROPY, rows, arg=target)


def l2_penalty(params, alpha: float) -> Value:
    """alpha / 2 * sum(w^2) over the parameters (a Module or a list of Values)."""
    if isinstance(params, Module):
        params = params.parameters()
    alpha = checks.number(alpha, "l2_penalty: alpha", minimum=0.0)
    if isinstance(params, (Value, str, bytes)) or not isinstance(params, Iterable):
        raise TypeError(f"l2_penalty: params must be a Module or a list of Values, got {type(params).__name__}")
    params = list(params)
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"l2_penalty: params[{i}] must be a Value, got {type(p).__name__}")
    return (alpha / 2.0) * autograd.sum([p.sum_of_squares() for p in params])


__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_loss",
    "l2_penalty",
    "log_softmax",
    "mse_loss",
    "softmax",
]
