"""Formulas computed as one node: a neuron, a layer, softmax, cross-entropy, a sum of squares.

Each could be built from the elementwise ops, with many nodes. As one node it is smaller,
faster, and its derivative can be written in the form that keeps its digits:
softmax + cross-entropy's gradient is softmax(z) − onehot(y), binary cross-entropy's is
σ(z) − y computed without cancellation. The rows read like those of ``rules.py`` and
``arrays.py``; ``functions.py`` (``affine``, ``neuron``) and ``nn``'s losses make their nodes.
"""

from __future__ import annotations

import operator
from functools import lru_cache

import numpy as np

from .arrays import full, linear_row, shape, unbroadcast
from .formulas import data_of, exp, sigmoid, softplus
from .op import Bound, Linear, Op, table


# -- helpers ------------------------------------------------------------------------------------------------------
def weighted_sum(w, x, b):
    """w1 x1 + ... + wn xn + b for numbers, added in that order (as the sum of the products)."""
    return sum(map(operator.mul, w, x)) + b


def _neuron_text(texts) -> str:
    n = len(texts) // 2
    return " + ".join(f"{w}·{x}" for w, x in zip(texts[:n], texts[n : 2 * n])) + f" + {texts[-1]}"


def _neuron_rule(k: int, names) -> str:
    n = len(names) // 2
    return names[n + k] if k < n else names[k - n] if k < 2 * n else "1"


def _affine(x, W, b):
    out = x @ W.T
    out += b  # in place: the product is a fresh array, so the sum needs no second one
    return out


def _affine_back(g, k: int, x, W, b):
    """x Wᵀ + b pulled back: g W to x, gᵀ x to W (an outer product for one example), g's column sums to b."""
    if k == 0:
        return g @ W
    if k == 1:
        return g.T @ x if len(shape(x)) == 2 else g.reshape((-1, 1)) * x.reshape((1, -1))
    return unbroadcast(g, shape(b))


def softmax_rows(z):
    """softmax of every row (last axis), on an array or a Value (so a second derivative can follow it)."""
    e = exp(z - np.max(data_of(z), axis=-1, keepdims=True))  # minus the row's largest: exp stays <= 1
    return e / e.sum(axis=-1, keepdims=True)


def _log_softmax_rows(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _dot_rows(a, b):
    """Σ_j a_j b_j for every row, kept as a column so it broadcasts back over the row."""
    return (a * b).sum(axis=-1, keepdims=True)


def _total(x):
    """The sum of every entry: a float for an array, a Value for a Value (so it can be differentiated)."""
    return float(np.sum(x)) if x.__class__ is np.ndarray else x.sum()


def _cross_entropy_delta(z, target):
    """d/dz of the mean cross-entropy over n rows: (softmax(z) − onehot(target)) / n, the lectures' a − y."""
    onehot = np.zeros(shape(z))
    onehot[np.arange(len(target)), target] = 1.0
    return (softmax_rows(z) - onehot) / len(target)


def _sum_of_squares_local(x):
    """d/dx Σ x² = 2x: a number for a number; for an array a reduction, so forward mode sums 2x·t."""
    if data_of(x).__class__ is float:
        return 2.0 * x
    return Linear(lambda g: g * (2.0 * x), lambda t: _total(2.0 * x * t))


# -- the table ---------------------------------------------------------------------------------------------------
# fmt: off
NEURON        = Op("w·x+b", lambda *wxb: weighted_sum(wxb[: len(wxb) // 2], wxb[len(wxb) // 2 : -1], wxb[-1]),
                   lambda out, *wxb: (*wxb[len(wxb) // 2 : -1], *wxb[: len(wxb) // 2], 1.0),  # x_i, w_i and 1
                   _neuron_text, _neuron_rule)
AFFINE        = linear_row("x·Wᵀ+b", _affine,
                   lambda g, k, out, x, W, b: _affine_back(g, k, x, W, b),
                   lambda t, k, out, x, W, b: full(t, x) @ W.T if k == 0 else x @ full(t, W).T if k == 1 else t,
                   "{0} @ {1}ᵀ + {2}", ("g·{1}", "gᵀ·{0}", "1"), takes_arg=False, bounded=False)
SUM_OF_SQUARES = Op("sum_sq", lambda x: x * x if x.__class__ is float else float(np.vdot(x, x)),
                   lambda out, x: (_sum_of_squares_local(x),), "Σ {0}²", ("2·{0}",))
# The Jacobian of softmax is diag(p) − p pᵀ per row: p ⊙ (g − p·g) backward, the same map forward.
SOFTMAX       = linear_row("softmax", softmax_rows,
                   lambda g, k, out, z: softmax_rows(z) * (g - _dot_rows(g, softmax_rows(z))),
                   lambda t, k, out, z: softmax_rows(z) * (t - _dot_rows(t, softmax_rows(z))),
                   "softmax({0})", ("p ⊙ (g − Σ p g), p = softmax({0})",), takes_arg=False)
# The Jacobian of log softmax is I − 1 pᵀ per row: g − p Σg backward, t − Σ p t forward.
LOG_SOFTMAX   = linear_row("log_softmax", _log_softmax_rows,
                   lambda g, k, out, z: g - softmax_rows(z) * g.sum(axis=-1, keepdims=True),
                   lambda t, k, out, z: t - _dot_rows(t, softmax_rows(z)),
                   "log_softmax({0})", ("g − p Σg, p = softmax({0})",), takes_arg=False)
# The mean over rows of −log softmax(z)[row, target]; its gradient is (softmax(z) − onehot) / n.
CROSS_ENTROPY = linear_row("cross_entropy",
                   lambda z, target: float(np.mean(-_log_softmax_rows(z)[np.arange(len(target)), target])),
                   lambda g, k, out, z, target: g * _cross_entropy_delta(z, target),
                   lambda t, k, out, z, target: _total(_cross_entropy_delta(z, target) * t),
                   "CE({0}, y)", ("(softmax({0}) − onehot(y)) / n",))
# softplus(z) − y z written (1 − y) softplus(z) + y softplus(−z), and its derivative σ(z) − y as
# (1 − y) σ(z) − y σ(−z): for a label 0 or 1 neither subtracts two nearly equal numbers, so a
# confident, correct prediction keeps its small loss and gradient to full relative precision.
BCE_LOGITS    = Op("bce_logits", lambda z, y: (1.0 - y) * softplus(z) + y * softplus(-z),
                   lambda out, z, y: ((1.0 - y) * sigmoid(z) - y * sigmoid(-z),),
                   "BCE(σ({0}), y)", ("σ({0}) − y",), bounded=True, takes_arg=True)
# fmt: on

TABLE = table(NEURON, AFFINE, SUM_OF_SQUARES, SOFTMAX, LOG_SOFTMAX, CROSS_ENTROPY, BCE_LOGITS)


@lru_cache(maxsize=64)
def _bce_with_label(y: float) -> Bound:
    return Bound(BCE_LOGITS, y)


def bce_with_logits(y) -> Bound:
    """The BCE_LOGITS row bound to the label y (a number, shared by every node with it, or an array)."""
    return _bce_with_label(float(y)) if np.ndim(y) == 0 else Bound(BCE_LOGITS, y)
