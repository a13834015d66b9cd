"""Numerical extremes: sigmoid, tanh, softplus, log_softmax, cross_entropy and
binary_cross_entropy_with_logits at +-1e3 and +-1e300.

Each must give a finite value and a finite, correct gradient, in scalar and in
batched mode. The expected numbers are hand formulas evaluated in the stable
form (written out below), the float64 rounding of the exact result: at these
inputs e^-|x| underflows to 0, so for example sigmoid(1e3) = 1.0 exactly,
sigmoid(-1e3) = 0.0 (the exact 5e-435 is below the smallest float), its
derivative is 0.0, softplus(1e300) = 1e300 with derivative 1.0, and
log_softmax([1e300, -1e300]) = [0.0, -2e300].

"Correct" means: values within 1e-12 relative (plus 1e-300 absolute, for results
that underflow), gradients within 1e-12 relative plus 1e-15 absolute: the local
derivatives involved are at most 1 in size, so an error of a few units in the
last place of 1 is the best a float64 formula such as s(1 - s) can do.

A sweep over moderate and extreme points checks the same functions against
mpmath at 50 digits (skipped where mpmath is absent) and against PyTorch float64
(skipped where torch is absent).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Value

from ..helpers import requires_torch, torch

EXTREMES = (1e3, -1e3, 1e300, -1e300)
LABELS = (0.0, 1.0, 0.25)


def close(actual, expected, rel=1e-12, floor=1e-300) -> bool:
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    return bool(np.all(np.isfinite(actual)) and np.all(np.abs(actual - expected) <= rel * np.abs(expected) + floor))


def grad_close(actual, expected) -> bool:
    return close(actual, expected, rel=1e-12, floor=1e-15)


# -- hand formulas (stable forms) ------------------------------------------------------
def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def d_sigmoid(x: float) -> float:
    e = math.exp(-abs(x))
    return e / (1 + e) ** 2


def d_tanh(x: float) -> float:
    # 1 - tanh^2 = 4 e^{-2|x|} / (1 + e^{-2|x|})^2
    e = math.exp(-2 * abs(x))
    return 4 * e / (1 + e) ** 2


def log_softmax(z: list[float]) -> list[float]:
    m = max(z)
    log_total = math.log(math.fsum(math.exp(v - m) for v in z))  # log sum e^(z - m), at least log 1 = 0
    return [(v - m) - log_total for v in z]


def softmax(z: list[float]) -> list[float]:
    return [math.exp(v) for v in log_softmax(z)]


FUNCTIONS = {
    # name: (engine method, value, derivative)
    "sigmoid": (Value.sigmoid, sigmoid, d_sigmoid),
    "tanh": (Value.tanh, math.tanh, d_tanh),
    "softplus": (Value.softplus, softplus, sigmoid),
}


def test_hand_formulas_at_the_extremes():
    """The references themselves, against values worked out by hand."""
    assert [sigmoid(x) for x in EXTREMES] == [1.0, 0.0, 1.0, 0.0]
    assert [d_sigmoid(x) for x in EXTREMES] == [0.0] * 4
    assert [math.tanh(x) for x in EXTREMES] == [1.0, -1.0, 1.0, -1.0]
    assert [d_tanh(x) for x in EXTREMES] == [0.0] * 4
    assert [softplus(x) for x in EXTREMES] == [1e3, 0.0, 1e300, 0.0]
    assert log_softmax([1e300, -1e300]) == [0.0, -2e300]
    assert log_softmax([1e3, 1e3]) == [-math.log(2)] * 2


@pytest.mark.parametrize("x", EXTREMES)
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_elementwise_functions_scalar(name, x):
    method, value, derivative = FUNCTIONS[name]
    v = Value(x)
    out = method(v)
    out.backward()
    assert close(out.data, value(x)), (out.data, value(x))
    assert grad_close(v.grad, derivative(x)), (v.grad, derivative(x))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_elementwise_functions_batched(name):
    method, value, derivative = FUNCTIONS[name]
    xs = np.array(EXTREMES + (0.5, -2.0))
    v = Value(xs)
    out = method(v)
    out.sum().backward()
    assert close(out.data, [value(x) for x in xs]), out.data
    assert grad_close(v.grad, [derivative(x) for x in xs]), v.grad


LOGIT_CASES = [
    [1e3, -1e3],
    [-1e3, 1e3, 0.0],
    [1e3, 1e3],
    [-1e3, -1e3, -1e3],
    [1e300, -1e300],
    [-1e300, 1e300, 0.0],
    [1e300, 1e300, -1e300],
    [-1e300, -1e300],
    [-1e300, 0.0, 1e3],
    [1e300, 1e3, -1e3, -1e300],
]
WEIGHTS = [1.0, -2.0, 0.5, 3.0]


def _weighted(outputs, n):
    """sum_i c_i out_i with fixed weights c, so every output's gradient is checked."""
    return sum((c * o for c, o in zip(WEIGHTS[:n], outputs)), Value(0.0))


@pytest.mark.parametrize("logits", LOGIT_CASES, ids=str)
def test_log_softmax(logits):
    """d/dz_j sum_i c_i log_softmax_i = c_j - softmax_j * sum(c)."""
    z = [Value(v) for v in logits]
    out = nn.log_softmax(z)
    assert close([o.data for o in out], log_softmax(logits)), [o.data for o in out]
    _weighted(out, len(z)).backward()
    c = WEIGHTS[: len(z)]
    p = softmax(logits)
    assert grad_close([v.grad for v in z], [c[j] - p[j] * sum(c) for j in range(len(z))]), [v.grad for v in z]


@pytest.mark.parametrize("logits", LOGIT_CASES, ids=str)
def test_softmax_stays_finite(logits):
    """softmax_i, and d/dz_j sum_i c_i softmax_i = p_j (c_j - sum_i c_i p_i)."""
    z = [Value(v) for v in logits]
    out = nn.softmax(z)
    p = softmax(logits)
    assert close([o.data for o in out], p)
    _weighted(out, len(z)).backward()
    c = WEIGHTS[: len(z)]
    mean_c = sum(ci * pi for ci, pi in zip(c, p))
    assert grad_close([v.grad for v in z], [p[j] * (c[j] - mean_c) for j in range(len(z))])


@pytest.mark.parametrize("logits", LOGIT_CASES, ids=str)
@pytest.mark.parametrize("target", [0, 1])
def test_cross_entropy(logits, target):
    """-log_softmax(z)[t], with gradient softmax(z) - one_hot(t)."""
    z = [Value(v) for v in logits]
    loss = nn.cross_entropy(z, target)
    loss.backward()
    assert close(loss.data, -log_softmax(logits)[target]), loss.data
    p = softmax(logits)
    assert grad_close([v.grad for v in z], [p[j] - (j == target) for j in range(len(z))]), [v.grad for v in z]


def test_cross_entropy_several_examples_and_batched():
    rows = [[1e300, -1e300], [-1e3, 1e3], [1e3, -1e300], [-1e300, -1e300]]
    targets = [1, 1, 0, 0]
    expected = sum(-log_softmax(r)[t] for r, t in zip(rows, targets)) / len(rows)
    expected_grads = [[(softmax(r)[j] - (j == t)) / len(rows) for j in range(2)] for r, t in zip(rows, targets)]

    values = [[Value(v) for v in r] for r in rows]
    loss = nn.cross_entropy(values, targets)
    loss.backward()
    assert close(loss.data, expected), loss.data
    assert grad_close([[v.grad for v in r] for r in values], expected_grads)

    columns = [Value(np.array([r[k] for r in rows])) for k in range(2)]
    loss = nn.cross_entropy(columns, np.array(targets))
    loss.backward()
    assert close(loss.data, expected), loss.data
    assert grad_close(np.array([c.grad for c in columns]).T, expected_grads)


def bce_logits(z: float, y: float) -> float:
    # softplus(z) - y z; with e^-|z| underflowed: max(z, 0) - y z.
    return softplus(z) - y * z


@pytest.mark.parametrize("y", LABELS)
@pytest.mark.parametrize("z", EXTREMES)
def test_binary_cross_entropy_with_logits(z, y):
    """Value softplus(z) - y z, gradient sigmoid(z) - y."""
    logit = Value(z)
    loss = nn.binary_cross_entropy_with_logits(logit, y)
    loss.backward()
    assert close(loss.data, bce_logits(z, y)), (loss.data, bce_logits(z, y))
    assert grad_close(logit.grad, sigmoid(z) - y), (logit.grad, sigmoid(z) - y)


def test_binary_cross_entropy_with_logits_batched_and_lists():
    zs = np.array(EXTREMES * len(LABELS))
    ys = np.repeat(np.array(LABELS), len(EXTREMES))
    expected = sum(bce_logits(z, y) for z, y in zip(zs, ys)) / len(zs)
    expected_grads = [(sigmoid(z) - y) / len(zs) for z, y in zip(zs, ys)]

    batch = Value(zs)
    loss = nn.binary_cross_entropy_with_logits(batch, ys)
    loss.backward()
    assert close(loss.data, expected), loss.data
    assert grad_close(batch.grad, expected_grads)

    scalars = [Value(z) for z in zs]
    loss = nn.binary_cross_entropy_with_logits(scalars, ys.tolist())
    loss.backward()
    assert close(loss.data, expected), loss.data
    assert grad_close([v.grad for v in scalars], expected_grads)


def test_extreme_logits_through_a_network_layer():
    """A linear unit with a huge weight: loss and parameter gradients stay finite and correct."""
    neuron = nn.Neuron(1, "linear", seed=0)
    neuron.load_state_dict({"W": [[1e300]], "b": [0.0]})
    for x, y in ((1.0, 0.0), (-1.0, 1.0), (1.0, 1.0), (-1.0, 0.0)):
        neuron.zero_grad()
        z = x * 1e300
        loss = nn.binary_cross_entropy_with_logits(neuron([x]), y)
        loss.backward()
        assert close(loss.data, bce_logits(z, y))
        assert grad_close(neuron.b.grad[0], sigmoid(z) - y)
        assert grad_close(neuron.W.grad[0, 0], (sigmoid(z) - y) * x)


# -- sweeps against mpmath and torch ------------------------------------------------------
SWEEP = sorted({s * m for s in (1, -1) for m in (1e-8, 0.5, 5.0, 20.0, 40.0, 100.0, 700.0, 1e3, 1e10, 1e300)})


def _mp_references(x):
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 50
    X = mpmath.mpf(x)
    e = mpmath.exp(-abs(X))
    return {
        "sigmoid": (float(1 / (1 + mpmath.exp(-X))), float(e / (1 + e) ** 2)),
        "tanh": (float(mpmath.tanh(X)), float(1 / mpmath.cosh(X) ** 2)),
        "softplus": (float(mpmath.log1p(mpmath.exp(X))), float(1 / (1 + mpmath.exp(-X)))),
    }


@pytest.mark.parametrize("x", SWEEP)
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_sweep_against_mpmath(name, x):
    value, derivative = _mp_references(x)[name]
    v = Value(x)
    out = FUNCTIONS[name][0](v)
    out.backward()
    assert close(out.data, value), (out.data, value)
    assert grad_close(v.grad, derivative), (v.grad, derivative)


@requires_torch
@pytest.mark.parametrize("x", SWEEP)
def test_sweep_against_torch(x):
    F = torch.nn.functional
    cases = {
        "sigmoid": (Value.sigmoid, torch.sigmoid),
        "tanh": (Value.tanh, torch.tanh),
        "softplus": (Value.softplus, lambda t: F.softplus(t, threshold=50.0) if abs(x) < 50 else F.softplus(t)),
    }
    for name, (method, reference) in cases.items():
        v = Value(x)
        out = method(v)
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        r = reference(t)
        r.backward()
        assert close(out.data, r.item(), rel=1e-12), (name, out.data, r.item())
        assert grad_close(v.grad, t.grad.item()), (name, v.grad, t.grad.item())
    for y in LABELS:
        logit = Value(x)
        loss = nn.binary_cross_entropy_with_logits(logit, y)
        loss.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        r = F.binary_cross_entropy_with_logits(t, torch.tensor(y, dtype=torch.float64))
        r.backward()
        assert close(loss.data, r.item(), rel=1e-12, floor=1e-15 * max(1.0, abs(x))), (y, loss.data, r.item())
        assert grad_close(logit.grad, t.grad.item()), (y, logit.grad, t.grad.item())


@requires_torch
@pytest.mark.parametrize("logits", LOGIT_CASES, ids=str)
def test_log_softmax_and_cross_entropy_against_torch(logits):
    z = [Value(v) for v in logits]
    out = nn.log_softmax(z)
    _weighted(out, len(z)).backward()
    t = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    ref = torch.log_softmax(t, dim=0)
    (ref * torch.tensor(WEIGHTS[: len(z)], dtype=torch.float64)).sum().backward()
    assert close([o.data for o in out], ref.detach().numpy())
    assert grad_close([v.grad for v in z], t.grad.numpy())

    z = [Value(v) for v in logits]
    loss = nn.cross_entropy(z, 1)
    loss.backward()
    t = torch.tensor([logits], dtype=torch.float64, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(t, torch.tensor([1]))
    ref.backward()
    assert close(loss.data, ref.item())
    assert grad_close([v.grad for v in z], t.grad.numpy()[0])
