"""Differential tests: random expression DAGs and random MLPs against independent references.

The engine's value and every input's gradient are compared with

- PyTorch float64 (relative error <= 1e-9; skipped where torch is absent), and
- central finite differences of an independent NumPy evaluation of the same
  expression (hand formulas, no autograd code involved).

Random expressions
------------------
A program is a list of up to 12 steps. Each step applies one recipe to operands
picked from every node made so far (inputs included), so subexpressions are
shared and the longest path from an input to the output has up to 12 recipe
applications. The output is ``autograd.sum`` of every node the program made,
reduced over the batch with ``.sum()``, so every node reaches the output.

Every primitive is exercised: + - * / ** (number exponent, Value exponent and
number ** Value), unary -, abs, exp, log, sqrt, sin, cos, tanh, sigmoid,
softplus, relu, leaky_relu, step, maximum, minimum and autograd.sum (with Values
and numbers), in scalar mode and in batched mode (inputs may be NumPy arrays of
samples, mixed with scalar inputs whose gradient sums over the batch).

Domains. Each recipe maps operands in [-3, 3] back into [-3, 3] and feeds its
op only inputs inside the op's domain: log and sqrt see 1 + a^2, a divisor is
1 + b^2, a real exponent gets a base in [1, 1.5], an integer exponent gets a/3.

Kinks. relu, leaky_relu, abs, step, maximum and minimum have a kink (or a jump)
where an operand (or the difference of two) is 0. A plan made from the NumPy
evaluation at the drawn point adds a constant 0.5 to any such operand closer than
0.05 to its kink, so every evaluation (engine, torch, NumPy) computes the same
smooth function near the point. The finite-difference evaluations check that no
kink operand changed sign; if one did, the step is shrunk.

MLPs
----
Random ``nn.MLP`` shapes (1-4 inputs, 0-3 hidden layers of 1-5 units, 1-4
outputs), every activation, every init, a bias, a batch of 1-5 examples in
scalar mode, batched mode (a Value per feature) or matrix mode (a matrix node per layer), and a loss from mse, binary cross-entropy (of sigmoid
outputs), binary cross-entropy with logits, hinge (labels -1, 0, 1; 0 read as
-1), cross-entropy, and mse of softmax against one-hot targets, optionally plus
``l2_penalty``. The weights are copied into ``torch.nn.Linear`` layers; the loss
and every parameter's gradient must agree. torch's softplus is used with
threshold 50 so it computes log(1 + e^x) exactly where the engine does.

Example counts: the environment variable ``CHAINRULE_EXAMPLES`` (default 2000)
is ``max_examples`` for each expression test; the MLP tests run a half (torch)
and a tenth (NumPy and finite differences) of it. ``CHAINRULE_EXAMPLES=100000 pytest tests/test_differential.py``
is a long run.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value

from .helpers import requires_torch, torch


def _examples() -> int:
    raw = os.environ.get("CHAINRULE_EXAMPLES", "2000")
    try:
        count = int(raw)
    except ValueError:
        raise ValueError(f"CHAINRULE_EXAMPLES must be a positive int, got {raw!r}") from None
    if count < 1:
        raise ValueError(f"CHAINRULE_EXAMPLES must be a positive int, got {raw!r}")
    return count


EXAMPLES = _examples()
SETTINGS = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

REL = 1e-9  # relative error allowed against torch float64
MARGIN = 0.05  # an operand closer than this to a kink gets moved away from it
SHIFT = 0.5  # by this much

if torch is not None:
    import torch.nn.functional as F  # noqa: N812


def rel_close(actual, expected, rel=REL, floor=1e-12) -> bool:
    """|actual - expected| <= rel * max(|actual|, |expected|) + floor, elementwise."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    return bool(np.all(np.abs(actual - expected) <= rel * np.maximum(np.abs(actual), np.abs(expected)) + floor))


# -- three backends: the engine, torch, and NumPy hand formulas ------------------
class EngineBackend:
    @staticmethod
    def const(x):
        return x

    exp = staticmethod(lambda x: x.exp())
    log = staticmethod(lambda x: x.log())
    sqrt = staticmethod(lambda x: x.sqrt())
    sin = staticmethod(lambda x: x.sin())
    cos = staticmethod(lambda x: x.cos())
    tanh = staticmethod(lambda x: x.tanh())
    sigmoid = staticmethod(lambda x: x.sigmoid())
    softplus = staticmethod(lambda x: x.softplus())
    relu = staticmethod(lambda x: x.relu())
    step = staticmethod(lambda x: x.step())
    maximum = staticmethod(autograd.maximum)
    minimum = staticmethod(autograd.minimum)
    nsum = staticmethod(autograd.sum)

    @staticmethod
    def leaky_relu(x, slope):
        return x.leaky_relu() if slope is None else x.leaky_relu(slope)

    @staticmethod
    def total(x):
        return x.sum()


class NumpyBackend:
    """Hand formulas on NumPy float64 scalars and arrays: the independent reference."""

    @staticmethod
    def const(x):
        return x

    exp, log, sqrt, sin, cos, tanh = np.exp, np.log, np.sqrt, np.sin, np.cos, np.tanh
    sigmoid = staticmethod(lambda x: 1.0 / (1.0 + np.exp(-x)))
    softplus = staticmethod(lambda x: np.log1p(np.exp(x)))
    relu = staticmethod(lambda x: np.where(x > 0, x, 0.0))
    step = staticmethod(lambda x: np.where(x >= 0, 1.0, 0.0))
    maximum, minimum = np.maximum, np.minimum
    nsum = staticmethod(lambda xs: sum(xs[1:], xs[0]))

    @staticmethod
    def leaky_relu(x, slope):
        return np.where(x > 0, x, (0.01 if slope is None else slope) * x)

    @staticmethod
    def total(x):
        return float(np.sum(x))


class TorchBackend:
    @staticmethod
    def const(x):
        return torch.as_tensor(x, dtype=torch.float64)

    exp = staticmethod(lambda x: torch.exp(x))
    log = staticmethod(lambda x: torch.log(x))
    sqrt = staticmethod(lambda x: torch.sqrt(x))
    sin = staticmethod(lambda x: torch.sin(x))
    cos = staticmethod(lambda x: torch.cos(x))
    tanh = staticmethod(lambda x: torch.tanh(x))
    sigmoid = staticmethod(lambda x: torch.sigmoid(x))
    softplus = staticmethod(lambda x: F.softplus(x, beta=1.0, threshold=50.0))
    relu = staticmethod(lambda x: torch.relu(x))
    step = staticmethod(lambda x: (x >= 0).to(torch.float64) + 0 * x)  # derivative 0 everywhere
    maximum = staticmethod(lambda x, y: torch.maximum(x, y))
    minimum = staticmethod(lambda x, y: torch.minimum(x, y))
    nsum = staticmethod(lambda xs: sum(xs[1:], xs[0]))

    @staticmethod
    def leaky_relu(x, slope):
        return F.leaky_relu(x, 0.01 if slope is None else slope)

    @staticmethod
    def total(x):
        return x.sum()


# -- recipes: op(s) applied to operands, keeping every op in its domain ------------
POW_REAL = (-2.5, -1.5, -1.0, -0.5, 0.5, 1.5, 2.5)
SLOPES = (None, 0.1, 0.3)  # None: the default slope 0.01


def _shifted(x, kink, distance):
    off = kink(distance)
    return x if off is None else x + off


RECIPES = {
    "add": lambda B, a, b, c, p, kink: (a + b) * 0.5,
    "radd": lambda B, a, b, c, p, kink: (1 + a) * 0.5,
    "sub": lambda B, a, b, c, p, kink: (a - b) * 0.5,
    "rsub": lambda B, a, b, c, p, kink: (1.0 - a) * 0.5,
    "mul": lambda B, a, b, c, p, kink: a * b * (1 / 3),
    "rmul": lambda B, a, b, c, p, kink: 0.5 * a,
    "div": lambda B, a, b, c, p, kink: a / (1 + b * b),
    "rdiv": lambda B, a, b, c, p, kink: 3 / (1 + b * b),
    "pow_int": lambda B, a, b, c, p, kink: (a / 3) ** (p % 4) * 3,  # Python int exponents 0..3, any sign of base
    "pow_real": lambda B, a, b, c, p, kink: (1 + a * a / 18) ** POW_REAL[p % len(POW_REAL)],
    "pow_value": lambda B, a, b, c, p, kink: (1 + a * a / 18) ** (b * (1 / 3)),
    "rpow": lambda B, a, b, c, p, kink: 2.0 ** (b * (1 / 3)),
    "neg": lambda B, a, b, c, p, kink: -a,
    "abs": lambda B, a, b, c, p, kink: abs(_shifted(a, kink, lambda: a)),
    "exp": lambda B, a, b, c, p, kink: B.exp(a * (1 / 3)),
    "log": lambda B, a, b, c, p, kink: B.log(1 + a * a),
    "sqrt": lambda B, a, b, c, p, kink: B.sqrt(1 + a * a) - 0.5,
    "sin": lambda B, a, b, c, p, kink: B.sin(a),
    "cos": lambda B, a, b, c, p, kink: B.cos(a),
    "tanh": lambda B, a, b, c, p, kink: B.tanh(a),
    "sigmoid": lambda B, a, b, c, p, kink: B.sigmoid(a),
    "softplus": lambda B, a, b, c, p, kink: B.softplus(a) * 0.9,
    "relu": lambda B, a, b, c, p, kink: B.relu(_shifted(a, kink, lambda: a)),
    "leaky_relu": lambda B, a, b, c, p, kink: B.leaky_relu(_shifted(a, kink, lambda: a), SLOPES[p % len(SLOPES)]),
    "step": lambda B, a, b, c, p, kink: B.step(_shifted(a, kink, lambda: a)) * b,
    "maximum": lambda B, a, b, c, p, kink: B.maximum(a, _shifted(b, kink, lambda: b - a)),
    "minimum": lambda B, a, b, c, p, kink: B.minimum(a, _shifted(b, kink, lambda: b - a)),
    "sum": lambda B, a, b, c, p, kink: B.nsum([a, b, c] + ([0.5] if p % 2 else [])) * 0.25,
}

MAX_STEPS = 12
inputs_strategy = st.lists(
    st.one_of(
        st.floats(-3.0, 3.0, allow_nan=False),
        st.lists(st.floats(-3.0, 3.0, allow_nan=False), min_size=1, max_size=3).map(np.array),
    ),
    min_size=1,
    max_size=4,
)
# A step: recipe, three operands given as how far back from the newest node (the first is
# often the newest itself, which makes deep chains), and a parameter (exponent, slope, ...).
step_strategy = st.tuples(
    st.sampled_from(sorted(RECIPES)),
    st.one_of(st.just(0), st.integers(0, 15)),
    st.integers(0, 15),
    st.integers(0, 15),
    st.integers(0, 6),
)


@st.composite
def programs(draw):
    raw = draw(inputs_strategy)
    sizes = {np.size(x) for x in raw if isinstance(x, np.ndarray)}
    size = sizes.pop() if sizes else None
    # Every batched input holds the same number of samples.
    xs = [np.resize(x, size) if isinstance(x, np.ndarray) else np.float64(x) for x in raw]
    steps = draw(st.lists(step_strategy, min_size=1, max_size=MAX_STEPS))
    return xs, steps


def run(steps, leaves, B, kink_for):
    """Apply the steps to the leaves with backend B; return the output (a scalar)."""
    nodes = list(leaves)
    for index, (name, i, j, k, p) in enumerate(steps):
        n = len(nodes)
        a, b, c = nodes[-1 - i % n], nodes[-1 - j % n], nodes[-1 - k % n]
        nodes.append(RECIPES[name](B, a, b, c, p, kink_for(index)))
    made = nodes[len(leaves) :]
    return B.total(B.nsum(made))


def make_plan(steps, xs) -> dict:
    """Offsets that keep every kink operand at least MARGIN away from its kink at the point xs."""
    plan = {}

    def kink_for(index):
        def kink(distance):
            d = np.asarray(distance())
            off = np.where(np.abs(d) >= MARGIN, 0.0, SHIFT)
            plan[index] = off if off.ndim else float(off)
            return None if not np.any(off) else off

        return kink

    run(steps, xs, NumpyBackend, kink_for)
    return plan


def planned(plan, B, signs=None):
    """kink_for for a backend: use the plan's offsets (and, for NumPy, record each side)."""

    def kink_for(index):
        def kink(distance):
            off = plan[index]
            if signs is not None:
                signs.append(np.sign(np.asarray(distance()) + off))
            return None if not np.any(off) else B.const(off)

        return kink

    return kink_for


def reference(steps, xs, plan):
    signs = []
    value = run(steps, xs, NumpyBackend, planned(plan, NumpyBackend, signs))
    return value, signs


def engine_run(steps, xs, plan):
    leaves = [Value(x) for x in xs]
    out = run(steps, leaves, EngineBackend, planned(plan, EngineBackend))
    out.backward()
    return out, [leaf.grad for leaf in leaves]


def central_gradient(steps, xs, plan, i, e):
    """Fourth-order central difference of the NumPy evaluation in element e of input i."""
    _, base_signs = reference(steps, xs, plan)

    def at(shift):
        moved = [np.array(x, dtype=float) if np.ndim(x) else np.float64(x) for x in xs]
        if np.ndim(moved[i]):
            moved[i][e] += shift
        else:
            moved[i] = np.float64(moved[i] + shift)
        value, signs = reference(steps, moved, plan)
        same_side = all(np.array_equal(s, t) for s, t in zip(signs, base_signs))
        return value, same_side

    h = 1e-3
    while True:
        points = [at(k * h) for k in (2, 1, -1, -2)]
        if all(ok for _, ok in points) or h < 1e-8:
            assert all(ok for _, ok in points), "a kink is within 1e-8 of the point; the plan should prevent this"
            (f2, _), (f1, _), (m1, _), (m2, _) = points
            return (-f2 + 8 * f1 - 8 * m1 + m2) / (12 * h)
        h /= 10


# -- expression DAGs ------------------------------------------------------------
def test_recipes_cover_every_primitive():
    """Structural check that the random programs can reach every primitive op of the engine."""
    steps = [(name, 0, 1, 2, p) for name in sorted(RECIPES) for p in range(7)]
    xs = [np.float64(0.7), np.array([-1.2, 0.4]), np.float64(-0.3)]
    plan = make_plan(steps, xs)
    out = run(steps, [Value(x) for x in xs], EngineBackend, planned(plan, EngineBackend))
    ops = {node.op for node in autograd.topological_order(out)}
    required = {"+", "-", "*", "/", "**", "neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid"}
    required |= {"softplus", "relu", "leaky_relu", "step", "max", "min", "sum", "reduce_sum"}
    required |= {"**0", "**1", "**2", "**3", "**-2.5", "**0.5"}
    assert required <= ops, required - ops


@requires_torch
@settings(max_examples=EXAMPLES, **SETTINGS)
@given(programs())
def test_random_dags_match_pytorch_float64(program):
    xs, steps = program
    plan = make_plan(steps, xs)
    out, grads = engine_run(steps, xs, plan)

    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    expected = run(steps, tensors, TorchBackend, planned(plan, TorchBackend))
    expected.backward()

    assert isinstance(out.data, float)
    assert rel_close(out.data, expected.item()), (out.data, expected.item())
    for i, (grad, tensor) in enumerate(zip(grads, tensors)):
        want = np.zeros(np.shape(tensor)) if tensor.grad is None else tensor.grad.numpy()
        assert np.shape(grad) == np.shape(want) or np.all(np.asarray(grad) == 0), (i, grad, want)
        assert rel_close(grad, want), (i, grad, want)


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(programs())
def test_random_dags_match_central_differences(program):
    xs, steps = program
    plan = make_plan(steps, xs)
    out, grads = engine_run(steps, xs, plan)
    value, _ = reference(steps, xs, plan)
    assert rel_close(out.data, value, rel=1e-12, floor=1e-12), (out.data, value)
    for i, (x, grad) in enumerate(zip(xs, grads)):
        elements = range(np.size(x)) if np.ndim(x) else [None]
        numeric = np.array([central_gradient(steps, xs, plan, i, e) for e in elements])
        analytic = np.broadcast_to(np.asarray(grad, dtype=float), (len(elements),)) if np.ndim(x) else [grad]
        scale = np.maximum(1.0, np.abs(numeric))
        assert np.all(np.abs(np.asarray(analytic) - numeric) <= 1e-8 * scale), (i, analytic, numeric)


# -- MLPs -----------------------------------------------------------------------
LOSSES = ("mse", "bce", "bce_logits", "hinge", "ce", "softmax_mse")


@st.composite
def mlp_cases(draw):
    nin = draw(st.integers(1, 4))
    hidden = draw(st.lists(st.integers(1, 5), max_size=3))
    nout = draw(st.integers(1, 4))
    case = dict(
        nin=nin,
        nouts=[*hidden, nout],
        activation=draw(st.sampled_from(sorted(nn.ACTIVATIONS))),
        output_activation=draw(st.sampled_from(sorted(nn.ACTIVATIONS))),
        init=draw(st.sampled_from(("normal", "uniform", "unit"))),
        bias=draw(st.sampled_from((0.0, 0.1, -0.3))),
        seed=draw(st.integers(0, 2**32 - 1)),
        loss=draw(st.sampled_from(LOSSES)),
        l2=draw(st.sampled_from((0.0, 0.0, 0.05))),
        batched=draw(st.sampled_from(MODES)),
    )
    batch = draw(st.integers(1, 5))
    case["X"] = np.array(
        draw(
            st.lists(
                st.lists(st.floats(-3, 3, allow_nan=False), min_size=nin, max_size=nin), min_size=batch, max_size=batch
            )
        )
    ).reshape(batch, nin)
    loss = case["loss"]
    if loss == "mse":
        targets = st.floats(-2, 2, allow_nan=False)
    elif loss in ("bce", "bce_logits"):
        targets = st.one_of(st.sampled_from((0.0, 1.0)), st.floats(0, 1))
    elif loss == "hinge":
        targets = st.sampled_from((-1.0, 0.0, 1.0))
    else:
        targets = None
    if targets is not None:
        case["T"] = np.array(
            draw(st.lists(st.lists(targets, min_size=nout, max_size=nout), min_size=batch, max_size=batch))
        )
        case["T"] = case["T"].reshape(batch, nout)
    else:
        case["y"] = np.array(draw(st.lists(st.integers(0, nout - 1), min_size=batch, max_size=batch)), dtype=int)
    return case


MODES = ("scalar", "columns", "matrix")  # one graph per example; one batched Value per feature; a matrix per layer


def _listed(out):
    return out if isinstance(out, list) else [out]  # a model with one output returns that Value


def engine_loss(model, case):
    X, loss, nout = case["X"], case["loss"], case["nouts"][-1]
    if case["batched"] == "matrix":
        out = model(Value(X))  # shape (rows, outputs): one matrix node per layer
        if loss == "mse":
            value = nn.mse_loss(out, case["T"])
        elif loss == "bce":
            value = nn.binary_cross_entropy(out.sigmoid(), case["T"])
        elif loss == "bce_logits":
            value = nn.binary_cross_entropy_with_logits(out, case["T"])
        elif loss == "hinge":
            value = nn.hinge_loss(out, case["T"])
        elif loss == "ce":
            value = nn.cross_entropy(out, case["y"])
        else:
            value = nn.mse_loss(nn.softmax(out), np.eye(nout)[case["y"]])
    elif case["batched"] == "columns":
        outs = _listed(model([Value(column) for column in X.T]))  # one batched Value per output

        def per_output(T):
            return [T[:, k] for k in range(nout)]

        if loss == "mse":
            value = nn.mse_loss(outs, per_output(case["T"]))
        elif loss == "bce":
            value = nn.binary_cross_entropy([o.sigmoid() for o in outs], per_output(case["T"]))
        elif loss == "bce_logits":
            value = nn.binary_cross_entropy_with_logits(outs, per_output(case["T"]))
        elif loss == "hinge":
            value = nn.hinge_loss(outs, per_output(case["T"]))
        elif loss == "ce":
            value = nn.cross_entropy(outs, case["y"])
        else:
            value = nn.mse_loss(nn.softmax(outs), per_output(np.eye(nout)[case["y"]]))
    else:
        outs = [_listed(model(row)) for row in X.tolist()]  # one list of Values per example
        if loss == "mse":
            value = nn.mse_loss(outs, case["T"].tolist())
        elif loss == "bce":
            value = nn.binary_cross_entropy([[o.sigmoid() for o in row] for row in outs], case["T"].tolist())
        elif loss == "bce_logits":
            value = nn.binary_cross_entropy_with_logits(outs, case["T"].tolist())
        elif loss == "hinge":
            value = nn.hinge_loss(outs, case["T"].tolist())
        elif loss == "ce":
            value = nn.cross_entropy(outs, case["y"].tolist())
        else:
            value = nn.mse_loss([nn.softmax(row) for row in outs], np.eye(nout)[case["y"]].tolist())
    if case["l2"]:
        value = value + nn.l2_penalty(model, case["l2"])
    return value


def weights(model):
    """(W, b) NumPy arrays per layer, copied from the engine's parameters."""
    return [(layer.W.data.copy(), layer.b.data.copy()) for layer in model.layers]


def engine_grads(model):
    return [
        (np.broadcast_to(layer.W.grad, layer.W.shape), np.broadcast_to(layer.b.grad, layer.b.shape))
        for layer in model.layers
    ]


def build_model(case):
    return nn.MLP(
        case["nin"],
        case["nouts"],
        case["activation"],
        case["output_activation"],
        init=case["init"],
        bias=case["bias"],
        seed=case["seed"],
    )


def _torch_activation(name):
    class Step(torch.nn.Module):
        def forward(self, x):
            return (x >= 0).to(x.dtype) + 0 * x  # the unit step: derivative 0, still in the graph

    class Abs(torch.nn.Module):
        def forward(self, x):
            return torch.abs(x)

    return {
        "linear": torch.nn.Identity,
        "relu": torch.nn.ReLU,
        "leaky_relu": lambda: torch.nn.LeakyReLU(0.01),
        "tanh": torch.nn.Tanh,
        "sigmoid": torch.nn.Sigmoid,
        "softplus": lambda: torch.nn.Softplus(beta=1.0, threshold=50.0),
        "step": Step,
        "abs": Abs,
    }[name]()


def torch_loss_and_grads(model, case):
    linears, stages = [], []
    for layer, (W, b) in zip(model.layers, weights(model)):
        linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        linears.append(linear)
        stages += [linear, _torch_activation(layer.activation)]
    net = torch.nn.Sequential(*stages)
    out = net(torch.from_numpy(case["X"]))
    loss, nout = case["loss"], case["nouts"][-1]
    if loss == "mse":
        value = F.mse_loss(out, torch.from_numpy(case["T"]))
    elif loss == "bce":
        value = F.binary_cross_entropy(torch.sigmoid(out), torch.from_numpy(case["T"]))
    elif loss == "bce_logits":
        value = F.binary_cross_entropy_with_logits(out, torch.from_numpy(case["T"]))
    elif loss == "hinge":
        sign = torch.where(torch.from_numpy(case["T"]) > 0, 1.0, -1.0)
        value = torch.relu(1 - sign * out).mean()
    elif loss == "ce":
        value = F.cross_entropy(out, torch.from_numpy(case["y"]))
    else:
        value = F.mse_loss(F.softmax(out, dim=1), torch.from_numpy(np.eye(nout)[case["y"]]))
    if case["l2"]:
        value = value + case["l2"] / 2 * sum((p**2).sum() for p in net.parameters())
    value.backward()

    def grad_of(p):
        return np.zeros(tuple(p.shape)) if p.grad is None else p.grad.numpy()

    return value.item(), [(grad_of(lin.weight), grad_of(lin.bias)) for lin in linears]


def _probabilities_inside(model, case) -> bool:
    """binary_cross_entropy needs sigmoid(outputs) inside (0, 1), and away from 1: there 1 - p
    keeps only the last digits of p (1 - p = 1e-8 leaves 8), in every engine, so their gradients
    could not agree to 1e-9."""
    if case["loss"] != "bce":
        return True
    H = numpy_forward(weights(model), model, case["X"])[0]
    P = 1 / (1 + np.exp(-H))
    return bool(np.all((P > 1e-4) & (P < 1 - 1e-4)))


def _probabilities_inside_case(case) -> bool:
    return _probabilities_inside(build_model(case), case)


# Cases whose bce probabilities are usable (see _probabilities_inside): the strategy draws only
# these, so every case the test runs reaches the comparisons.
torch_mlp_cases = mlp_cases().filter(_probabilities_inside_case)


@requires_torch
@settings(max_examples=max(1, EXAMPLES // 2), **SETTINGS)
@given(torch_mlp_cases)
def test_random_mlps_match_torch_nn(case):
    model = build_model(case)
    assert _probabilities_inside(model, case)  # guaranteed by the strategy
    value = engine_loss(model, case)
    model.zero_grad()
    value.backward()
    expected, expected_grads = torch_loss_and_grads(model, case)
    assert rel_close(value.data, expected), (value.data, expected)
    for k, ((gW, gb), (tW, tb)) in enumerate(zip(engine_grads(model), expected_grads)):
        assert rel_close(gW, tW), (k, "weights", gW, tW)
        assert rel_close(gb, tb), (k, "biases", gb, tb)


# -- MLPs against NumPy hand formulas and central differences ------------------------
NUMPY_ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "softplus": lambda z: np.logaddexp(0.0, z),
    "step": lambda z: np.where(z >= 0, 1.0, 0.0),
    "abs": np.abs,
}
KINKED = {"relu", "leaky_relu", "step", "abs"}


def numpy_forward(params, model, X):
    """Outputs (batch, nout) and the smallest distance of any kinked pre-activation from 0."""
    H, closest = X, math.inf
    for layer, (W, b) in zip(model.layers, params):
        Z = H @ W.T + b
        if layer.activation in KINKED:
            closest = min(closest, float(np.min(np.abs(Z))))
        H = NUMPY_ACTIVATIONS[layer.activation](Z)
    return H, closest


def numpy_loss(params, model, case):
    O, closest = numpy_forward(params, model, case["X"])
    loss = case["loss"]
    if loss == "mse":
        value = np.mean((O - case["T"]) ** 2)
    elif loss == "bce":
        # -(T log p + (1 - T) log(1 - p)) with p = sigmoid(O), in the stable form
        # T softplus(-O) + (1 - T) softplus(O), so finite differences are not swamped by rounding.
        T = case["T"]
        value = np.mean(T * np.logaddexp(0.0, -O) + (1 - T) * np.logaddexp(0.0, O))
    elif loss == "bce_logits":
        value = np.mean(np.logaddexp(0.0, O) - case["T"] * O)
    elif loss == "hinge":
        margin = 1 - np.where(case["T"] > 0, 1.0, -1.0) * O
        closest = min(closest, float(np.min(np.abs(margin))))
        value = np.mean(np.maximum(margin, 0.0))
    elif loss == "ce":
        value = np.mean(np.logaddexp.reduce(O, axis=1) - O[np.arange(len(O)), case["y"]])
    else:
        S = np.exp(O - O.max(axis=1, keepdims=True))
        S /= S.sum(axis=1, keepdims=True)
        value = np.mean((S - np.eye(O.shape[1])[case["y"]]) ** 2)
    if case["l2"]:
        value += case["l2"] / 2 * sum(np.sum(W**2) + np.sum(b**2) for W, b in params)
    return float(value), closest


KINK_CLEARANCE = 1e-2  # finite differences (steps up to 2e-5) need every kink operand at least this far from 0


def _clear_of_kinks(case) -> bool:
    """Every kinked pre-activation (relu, leaky_relu, step, abs) and every hinge margin is at least
    KINK_CLEARANCE from its kink, so central differences see one smooth piece of the loss."""
    model = build_model(case)
    return numpy_loss(weights(model), model, case)[1] >= KINK_CLEARANCE


# Cases on which finite differences are meaningful: bce probabilities inside (0, 1) and no kink
# near the drawn point. Filtering here (not returning early in the test) makes hypothesis draw
# max_examples such cases, each of which reaches the gradient comparison. A case with a kink
# exactly at the point (bias 0 after a dead relu row, say) is still compared with torch above.
difference_mlp_cases = mlp_cases().filter(_probabilities_inside_case).filter(_clear_of_kinks)


def test_the_finite_difference_strategy_refuses_a_case_on_a_kink():
    """A relu unit with bias 0 whose input row is 0 has its pre-activation exactly on the kink."""
    case = dict(nin=1, nouts=[1, 1], activation="relu", output_activation="linear", init="normal", bias=0.0, seed=0)
    case.update(loss="mse", l2=0.0, batched="matrix", X=np.array([[0.0]]), T=np.array([[0.5]]))
    assert not _clear_of_kinks(case)
    assert _clear_of_kinks({**case, "bias": 0.1})  # relu(0.1) then a linear output: no kink left


@settings(max_examples=max(1, EXAMPLES // 10), **SETTINGS)
@given(difference_mlp_cases)
def test_random_mlps_match_numpy_formulas_and_central_differences(case):
    model = build_model(case)
    assert _probabilities_inside(model, case)  # guaranteed by the strategy
    value = engine_loss(model, case)
    model.zero_grad()
    value.backward()
    params = weights(model)
    expected, closest = numpy_loss(params, model, case)
    assert rel_close(value.data, expected, rel=1e-10), (value.data, expected)
    h = 1e-5
    assert closest >= KINK_CLEARANCE, closest  # guaranteed by the strategy: every case reaches the gradients
    for k, (gW, gb) in enumerate(engine_grads(model)):
        for which, grad in ((0, gW), (1, gb)):
            numeric = np.zeros_like(grad)
            for index in np.ndindex(grad.shape):

                def at(shift, k=k, which=which, index=index):
                    moved = [(W.copy(), b.copy()) for W, b in params]
                    moved[k][which][index] += shift
                    return numpy_loss(moved, model, case)[0]

                numeric[index] = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)
            assert np.all(np.abs(grad - numeric) <= 1e-6 * np.maximum(1.0, np.abs(numeric))), (k, which, grad, numeric)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("batched", MODES)
def test_each_loss_once_against_numpy(loss, batched):
    """A fixed case per loss and mode, so every loss runs even with a tiny CHAINRULE_EXAMPLES."""
    rng = np.random.default_rng(1)
    case = dict(nin=3, nouts=[4, 3], activation="tanh", output_activation="linear", init="normal", bias=0.1, seed=5)
    case.update(loss=loss, l2=0.05, batched=batched, X=rng.uniform(-2, 2, (4, 3)))
    case["T"] = {"mse": rng.uniform(-1, 1, (4, 3)), "hinge": rng.choice([-1.0, 0.0, 1.0], (4, 3))}.get(
        loss, rng.uniform(0, 1, (4, 3))
    )
    case["y"] = np.array([0, 2, 1, 2])
    model = build_model(case)
    value = engine_loss(model, case)
    expected, _ = numpy_loss(weights(model), model, case)
    assert value.data == pytest.approx(expected, rel=1e-12)
