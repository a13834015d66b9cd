"""Every op of the derivative table, in both modes, against PyTorch float64.

For each op (elementwise rows and array ops alike) and several shapes of random inputs
inside the op's domain, four things must agree with PyTorch:

- the value;
- reverse mode: ``vjp`` with a random cotangent u (uᵀ J), against ``torch.autograd.grad``;
- forward mode: ``jvp`` with random tangents v (J v), against ``torch.func.jvp``;
- second order: the derivative of ⟨uᵀ J, v⟩ (reverse over reverse, ``create_graph``), against
  PyTorch's double backward.

and the two modes must agree with each other: ⟨u, J v⟩ = ⟨uᵀ J, v⟩. ``CASES`` names the op each
case exercises, and ``test_every_op_of_the_table_has_a_case`` fails when the table gains an op
that no case covers, so writing a row is writing its test.

Inputs avoid kinks (relu, abs, max near 0 or ties) where the two libraries legitimately
choose different one-sided derivatives; ties are checked by hand in test_arrays.py.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import autograd
from autograd import Value, arrays, fused, rules

from ..helpers import requires_torch, torch

if torch is not None:
    import torch.func
    import torch.nn.functional as F

RTOL, ATOL = 1e-10, 1e-12


def real(rng, shape):
    return rng.uniform(-2.0, 2.0, shape)


def positive(rng, shape):
    return rng.uniform(0.3, 2.5, shape)


def unit(rng, shape):  # inside (-1, 1), away from the ends where arcsin' is infinite
    return rng.uniform(-0.9, 0.9, shape)


def away_from_zero(rng, shape):  # kinks of relu, abs, step at 0
    x = rng.uniform(0.2, 2.0, shape)
    return x * rng.choice([-1.0, 1.0], np.shape(x)) if np.shape(x) else float(x * rng.choice([-1.0, 1.0]))


def distinct(rng, shape):  # no two entries equal: a max with a unique winner
    n = int(np.prod(shape)) if shape else 1
    values = rng.permutation(n) * 0.37 - 1.1 + rng.uniform(0, 0.1, n)
    return values.reshape(shape) if shape else float(values[0])


def logits(rng, shape):
    return rng.normal(0.0, 1.5, shape)


SCALAR_SHAPES = [(), (4,), (2, 3)]
BROADCAST_PAIRS = [((), ()), ((4,), (4,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3))]


def t(f):
    """A torch function of several tensors written with torch's functions."""
    return f


class Case:
    """One op on one set of input shapes: the chainrule function, the torch function and the inputs' domains."""

    def __init__(self, op, ours, theirs, domains, shapes, note=""):
        self.op, self.ours, self.theirs = op, ours, theirs
        self.domains, self.shapes, self.note = domains, shapes, note

    def __repr__(self):
        return f"{self.op}{self.shapes}{self.note}"

    def inputs(self, rng):
        out = []
        for domain, shape in zip(self.domains, self.shapes):
            x = domain(rng, shape)
            out.append(float(x) if np.ndim(x) == 0 else np.asarray(x, dtype=float))
        return out


def unary(op, ours, theirs, domain=real, shapes=SCALAR_SHAPES):
    return [Case(op, ours, theirs, [domain], [s]) for s in shapes]


def binary(op, ours, theirs, domains=(real, real), pairs=BROADCAST_PAIRS):
    return [Case(op, ours, theirs, list(domains), list(p)) for p in pairs]


def _torch_softplus(x):
    return torch.logaddexp(x, torch.zeros_like(x))  # log(1 + e^x) exactly, with no threshold


def _index_cases():
    index_forms = [
        (2, (5,)),
        (slice(1, 4), (5,)),
        ((1, slice(None)), (3, 4)),
        ((slice(None), -1), (3, 4)),
        (np.array([0, 2, 2, 4]), (5,)),  # a position read twice receives both shares
        ((np.array([0, 1]), np.array([2, 0])), (2, 3)),
        (np.array([True, False, True]), (3, 2)),
        ((Ellipsis, 1), (2, 3, 2)),
    ]
    cases = []
    for index, shape in index_forms:
        torch_index = (
            tuple(torch.as_tensor(i) if isinstance(i, np.ndarray) else i for i in index)
            if isinstance(index, tuple)
            else (torch.as_tensor(index) if isinstance(index, np.ndarray) else index)
        )
        cases.append(
            Case("index", lambda x, i=index: x[i], lambda x, i=torch_index: x[i], [real], [shape], f"[{index!r:.30}]")
        )
    return cases


def _scatter_cases():
    """The adjoint of indexing, reached by differentiating an indexing twice (create_graph)."""
    forms = [  # (index, shape, the gradient's shape, the same positions as torch's index_put takes them)
        ((1, slice(None)), (3, 4), (4,), (torch.tensor(1),)),
        (np.array([0, 2, 2]), (4,), (3,), (torch.tensor([0, 2, 2]),)),
    ]
    cases = []
    for index, shape, g_shape, torch_index in forms:

        def theirs(g, i=torch_index, shape=shape):
            return torch.zeros(shape).index_put(i, g, accumulate=True)

        cases.append(Case("scatter", lambda g, i=index, s=shape: g._scatter(i, s), theirs, [real], [g_shape]))
    return cases


def _cases() -> list[Case]:
    if torch is None:
        return []
    cases = [
        *binary("+", lambda x, y: x + y, torch.add),
        *binary("-", lambda x, y: x - y, torch.sub),
        *binary("*", lambda x, y: x * y, torch.mul),
        *binary("/", lambda x, y: x / y, torch.div, (real, away_from_zero)),
        *binary("%", lambda x, y: x % y, torch.remainder, (real, away_from_zero)),
        *binary("**", lambda x, y: x**y, torch.pow, (positive, real)),
        *binary("max", autograd.maximum, torch.maximum, (distinct, distinct), [((), ()), ((4,), (4,))]),
        *binary("min", autograd.minimum, torch.minimum, (distinct, distinct), [((), ()), ((4,), (4,))]),
        *unary("neg", lambda x: -x, torch.neg),
        *unary("abs", abs, torch.abs, away_from_zero),
        *unary("exp", Value.exp, torch.exp),
        *unary("expm1", Value.expm1, torch.expm1),
        *unary("log", Value.log, torch.log, positive),
        *unary("log1p", Value.log1p, torch.log1p, positive),
        *unary("log2", Value.log2, torch.log2, positive),
        *unary("log10", Value.log10, torch.log10, positive),
        *unary("sqrt", Value.sqrt, torch.sqrt, positive),
        *unary("sin", Value.sin, torch.sin),
        *unary("cos", Value.cos, torch.cos),
        *unary("tan", Value.tan, torch.tan, unit),
        *unary("arcsin", Value.arcsin, torch.arcsin, unit),
        *unary("arccos", Value.arccos, torch.arccos, unit),
        *unary("arctan", Value.arctan, torch.arctan),
        *unary("sinh", Value.sinh, torch.sinh),
        *unary("cosh", Value.cosh, torch.cosh),
        *unary("tanh", Value.tanh, torch.tanh),
        *unary("sech²", Value.sech2, lambda x: 1.0 / torch.cosh(x) ** 2),
        *unary("sigmoid", Value.sigmoid, torch.sigmoid),
        *unary("softplus", Value.softplus, _torch_softplus),
        *unary("relu", Value.relu, torch.relu, away_from_zero),
        *unary("leaky_relu", lambda x: x.leaky_relu(0.1), lambda x: F.leaky_relu(x, 0.1), away_from_zero),
        *unary("step", Value.step, lambda x: (x >= 0).double() + 0.0 * x, away_from_zero),
        *unary("**n", lambda x: x**3, lambda x: x**3),
        *unary("**n", lambda x: x**2.5, lambda x: x**2.5, positive),
        *unary("**n", lambda x: x**-1, lambda x: x**-1, away_from_zero),
        Case("sum", lambda *xs: autograd.sum(xs), lambda *xs: sum(xs), [real] * 3, [(), (), ()]),
        Case("sum", lambda *xs: autograd.sum(xs), lambda *xs: sum(xs), [real] * 3, [(2, 3), (3,), ()]),
        *unary("sum_sq", Value.sum_of_squares, lambda x: (x * x).sum()),
        Case(
            "w·x+b",
            lambda w1, w2, x1, x2, b: autograd.neuron([w1, w2], [x1, x2], b),
            lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
            [real] * 5,
            [()] * 5,
        ),
        Case("@", lambda a, b: a @ b, torch.matmul, [real, real], [(2, 3), (3, 4)]),
        Case("@", lambda a, b: a @ b, torch.matmul, [real, real], [(3,), (3,)]),
        Case("@", lambda a, b: a @ b, torch.matmul, [real, real], [(3,), (3, 2)]),
        Case("@", lambda a, b: a @ b, torch.matmul, [real, real], [(2, 3), (3,)]),
        Case("@", lambda a, b: a @ b, torch.matmul, [real, real], [(2, 2, 3), (3, 4)]),
        Case("x·Wᵀ+b", autograd.affine, lambda x, W, b: x @ W.T + b, [real] * 3, [(5, 3), (2, 3), (2,)]),
        Case("x·Wᵀ+b", autograd.affine, lambda x, W, b: x @ W.T + b, [real] * 3, [(3,), (2, 3), (2,)]),
        Case("transpose", lambda x: x.T, lambda x: x.T, [real], [(2, 3)]),
        Case("transpose", lambda x: x.transpose(-1, 0), lambda x: x.permute(1, 0), [real], [(2, 3)]),
        Case("transpose", lambda x: x.transpose(0, -1, -2), lambda x: x.permute(0, 2, 1), [real], [(2, 3, 4)]),
        Case("transpose", lambda x: x.transpose(2, 0, 1), lambda x: x.permute(2, 0, 1), [real], [(2, 3, 4)]),
        Case("reshape", lambda x: x.reshape(3, -1), lambda x: x.reshape(3, -1), [real], [(2, 3, 2)]),
        Case("reshape", lambda x: x.reshape(6), lambda x: x.reshape(6), [real], [(2, 3)]),
        *[
            Case(name, ours, theirs, [dom], [(2, 3, 4)], f" axis={axis} keepdims={keep}")
            for axis in (None, 0, -1, (0, 2), (-1, 1))
            for keep in (False, True)
            for name, ours, theirs, dom in (
                ("reduce_sum", lambda x, a=axis, k=keep: x.sum(a, k), lambda x, a=axis, k=keep: _tsum(x, a, k), real),
                (
                    "reduce_mean",
                    lambda x, a=axis, k=keep: x.mean(a, k),
                    lambda x, a=axis, k=keep: _tmean(x, a, k),
                    real,
                ),
                (
                    "reduce_max",
                    lambda x, a=axis, k=keep: x.max(a, k),
                    lambda x, a=axis, k=keep: _tmax(x, a, k),
                    distinct,
                ),
            )
        ],
        *_index_cases(),
        *_scatter_cases(),
        Case("stack", lambda a, b: autograd.stack([a, b]), lambda a, b: torch.stack([a, b]), [real] * 2, [(3,), (3,)]),
        Case(
            "stack",
            lambda a, b: autograd.stack([a, b], axis=-1),
            lambda a, b: torch.stack([a, b], -1),
            [real] * 2,
            [(2, 3), (2, 3)],
        ),
        Case(
            "concatenate",
            lambda a, b: autograd.concatenate([a, b], axis=1),
            lambda a, b: torch.cat([a, b], 1),
            [real] * 2,
            [(2, 3), (2, 1)],
        ),
        Case("softmax", lambda z: _nn().softmax(z), lambda z: torch.softmax(z, -1), [logits], [(3, 4)]),
        Case("softmax", lambda z: _nn().softmax(z), lambda z: torch.softmax(z, -1), [logits], [(4,)]),
        Case("log_softmax", lambda z: _nn().log_softmax(z), lambda z: torch.log_softmax(z, -1), [logits], [(3, 4)]),
        Case(
            "cross_entropy",
            lambda z: _nn().cross_entropy(z, np.array([0, 3, 1])),
            lambda z: F.cross_entropy(z, torch.tensor([0, 3, 1])),
            [logits],
            [(3, 4)],
        ),
        *[
            Case(
                "bce_logits",
                lambda z, y=y: _nn().binary_cross_entropy_with_logits(z, y) * (np.size(y) if np.ndim(y) else 1),
                lambda z, y=y: F.binary_cross_entropy_with_logits(z, torch.as_tensor(y) + 0.0 * z, reduction="sum"),
                [logits],
                [np.shape(y)],
                f" y={y!r}",
            )
            for y in (1.0, 0.0, 0.3, np.array([1.0, 0.0, 0.0, 1.0]))
        ],
    ]
    return cases


def _nn():
    import nn

    return nn


def _tsum(x, axis, keep):
    return x.sum() if axis is None and not keep else x.sum(dim=_dims(x, axis), keepdim=keep)


def _tmean(x, axis, keep):
    return x.mean() if axis is None and not keep else x.mean(dim=_dims(x, axis), keepdim=keep)


def _tmax(x, axis, keep):
    return torch.amax(x, dim=_dims(x, axis), keepdim=keep)


def _dims(x, axis):
    return tuple(range(x.dim())) if axis is None else axis


CASES = _cases()
IDS = [repr(c) for c in CASES]


def _as_tensors(arrays, requires_grad=True):
    return [torch.tensor(np.asarray(a, dtype=float), requires_grad=requires_grad) for a in arrays]


def _arrays(found):
    return [np.asarray(getattr(g, "data", g), dtype=float) for g in found]


def _close(ours, theirs, what, case):
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    assert ours.shape == theirs.shape, f"{case}: {what} has shape {ours.shape}, PyTorch {theirs.shape}"
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL, err_msg=f"{case}: {what}")


def _random_like(rng, shape):
    x = rng.normal(size=shape)
    return float(x) if np.ndim(x) == 0 else x


@requires_torch
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_value_vjp_and_jvp_match_pytorch(case):
    rng = np.random.default_rng(zlib.crc32(repr(case).encode()))
    xs = case.inputs(rng)
    value, pullback = autograd.vjp(case.ours, *xs)
    xt = _as_tensors(xs)
    out_t = case.theirs(*xt)
    _close(value, out_t.detach().numpy(), "value", case)

    u = _random_like(rng, np.shape(value))
    ours_vjp = _arrays(pullback(u))
    theirs_vjp = torch.autograd.grad(out_t, xt, torch.as_tensor(u), allow_unused=True)
    for k, (a, b) in enumerate(zip(ours_vjp, theirs_vjp)):
        _close(a, np.zeros(np.shape(xs[k])) if b is None else b.numpy(), f"vjp for input {k}", case)

    vs = [_random_like(rng, np.shape(x)) for x in xs]
    _, ours_jvp = autograd.jvp(case.ours, tuple(xs), tuple(vs))
    _, theirs_jvp = torch.func.jvp(case.theirs, tuple(_as_tensors(xs, False)), tuple(_as_tensors(vs, False)))
    _close(ours_jvp, theirs_jvp.numpy(), "jvp", case)

    # The two modes agree: <u, J v> = <uᵀ J, v>.
    forward = float(np.sum(np.asarray(u) * np.asarray(ours_jvp)))
    reverse = sum(float(np.sum(a * np.asarray(v))) for a, v in zip(ours_vjp, vs))
    assert forward == pytest.approx(reverse, rel=1e-10, abs=1e-12), case


@requires_torch
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_second_order_matches_pytorch_double_backward(case):
    """d/dx <uᵀ J(x), v> = H v (H the Hessian of uᵀ f) three ways: the reverse pass recorded (create_graph) and
    differentiated again, forward mode's tangent differentiated in reverse, and forward mode through the
    recorded reverse pass; each against PyTorch's double backward."""
    rng = np.random.default_rng(zlib.crc32(repr(case).encode()) + 1)
    xs = case.inputs(rng)
    n = len(xs)
    u = _random_like(rng, np.shape(autograd.vjp(case.ours, *xs)[0]))
    vs = [_random_like(rng, np.shape(x)) for x in xs]

    def weighted(*args):
        out = case.ours(*args)
        return (out * u).sum()

    def directional(*args):
        grads = autograd.grad(weighted, argnums=tuple(range(n)))(*args)
        return autograd.sum([(g * v).sum() for g, v in zip(grads, vs)])

    every = tuple(range(n))
    ours = _arrays(autograd.grad(directional, argnums=every, create_graph=False)(*xs))

    def tangent_along_v(*args):
        _, tangent = autograd.jvp(case.ours, args, tuple(vs))
        return (tangent * u).sum()

    reverse_over_forward = _arrays(autograd.grad(tangent_along_v, argnums=every, create_graph=False)(*xs))
    forward_over_reverse = [
        autograd.jvp(lambda *args, k=k: autograd.grad(weighted, argnums=k)(*args), tuple(xs), tuple(vs))[1]
        for k in every
    ]

    xt = _as_tensors(xs)
    first = torch.autograd.grad((case.theirs(*xt) * torch.as_tensor(u)).sum(), xt, create_graph=True, allow_unused=True)
    total = sum((g * torch.as_tensor(v)).sum() for g, v in zip(first, vs) if g is not None and g.requires_grad)
    if isinstance(total, int):  # a linear op: its first derivative is constant, so the second is 0
        theirs = [np.zeros(np.shape(x)) for x in xs]
    else:
        found = torch.autograd.grad(total, xt, allow_unused=True)
        theirs = [np.zeros(np.shape(x)) if g is None else g.numpy(force=True) for g, x in zip(found, xs)]
    for k, b in enumerate(theirs):
        _close(ours[k], b, f"second derivative for input {k}", case)
        _close(reverse_over_forward[k], b, f"reverse over forward for input {k}", case)
        _close(_arrays([forward_over_reverse[k]])[0], b, f"forward over reverse for input {k}", case)


TABLES = (rules.TABLE, arrays.TABLE, fused.TABLE)


def test_every_row_is_in_its_table():
    """A row written in a table's file but left out of its TABLE would escape the checks that walk the tables."""
    for module, rows in zip((rules, arrays, fused), TABLES):
        written = {name for name, value in vars(module).items() if isinstance(value, autograd.Op)}
        listed = {name for name, value in vars(module).items() if any(value is row for row in rows)}
        assert written == listed, f"{module.__name__}: rows not in TABLE: {sorted(written - listed)}"


@requires_torch
def test_every_op_of_the_table_has_a_case():
    table = {row.name for rows in TABLES for row in rows}
    covered = {"stack" if case.op == "concatenate" else case.op for case in CASES}
    missing = table - covered
    assert not missing, f"ops of the table without a case here: {sorted(missing)}"
    assert covered <= table, f"cases for ops the table does not have: {sorted(covered - table)}"
