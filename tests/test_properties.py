"""Random expression graphs with shared subexpressions: backward vs finite differences and PyTorch."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value

from .helpers import central_difference, requires_torch, torch

# Each op maps operands to a result in the op's domain, and works on Values and torch tensors alike.
UNARY_OPS = {
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "sin": lambda a: a.sin(),
    "cos": lambda a: a.cos(),
    "exp(tanh)": lambda a: a.tanh().exp(),
    "log(1 + a^2)": lambda a: (a * a + 1).log(),
    "sqrt(1 + a^2)": lambda a: (a * a + 1).sqrt(),
    "square": lambda a: a**2,
    "neg": lambda a: -a,
}
BINARY_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "pow": lambda a, b: (a * a + 0.5) ** b.tanh(),
}

graphs = st.tuples(
    st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=4),
    st.lists(
        st.tuples(
            st.sampled_from(sorted(UNARY_OPS) + sorted(BINARY_OPS)), st.integers(0, 10**6), st.integers(0, 10**6)
        ),
        min_size=1,
        max_size=12,
    ),
)


def evaluate(program, inputs):
    """Run the program; every step may reuse any earlier node, so subexpressions are shared."""
    _, steps = program
    nodes = list(inputs)
    for name, i, j in steps:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(UNARY_OPS[name](a) if name in UNARY_OPS else BINARY_OPS[name](a, b))
        nodes[-1] = nodes[-1].tanh() * 3 if name in ("mul", "square", "pow") else nodes[-1]  # keep values moderate
    return sum(nodes[len(inputs) :], nodes[-1] * 0)


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_random_graphs_match_central_differences(program):
    xs = program[0]
    leaves = [Value(x) for x in xs]
    evaluate(program, leaves).backward()
    for i, leaf in enumerate(leaves):
        numeric = central_difference(lambda *v: evaluate(program, v), xs, i, eps=1e-6)
        assert math.isclose(leaf.grad, numeric, rel_tol=1e-5, abs_tol=1e-6), (i, leaf.grad, numeric)


@requires_torch
@settings(max_examples=200, deadline=None)
@given(graphs)
def test_random_graphs_match_pytorch_float64(program):
    xs = program[0]
    leaves = [Value(x) for x in xs]
    out = evaluate(program, leaves)
    out.backward()
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    reference = evaluate(program, tensors)
    reference.backward()
    assert math.isclose(out.data, reference.item(), rel_tol=1e-12, abs_tol=1e-12)
    for leaf, tensor in zip(leaves, tensors, strict=False):
        expected = 0.0 if tensor.grad is None else tensor.grad.item()  # unused input
        assert math.isclose(leaf.grad, expected, rel_tol=1e-9, abs_tol=1e-12), (leaf.grad, expected)
