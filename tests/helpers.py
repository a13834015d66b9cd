"""Shared helpers: central finite differences, an independent check on backward()."""

from __future__ import annotations

import math

import pytest

from autograd import Value

try:
    import torch

    torch.set_default_dtype(torch.float64)
except ImportError:  # PyTorch comparisons are skipped where torch is absent
    torch = None

requires_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")


def central_difference(f, xs, i, eps=1e-6):
    """(f(x + eps e_i) - f(x - eps e_i)) / (2 eps), evaluating f forward only on fresh Values."""
    up = [Value(x) for x in xs]
    down = [Value(x) for x in xs]
    up[i] = Value(xs[i] + eps)
    down[i] = Value(xs[i] - eps)
    return (f(*up).data - f(*down).data) / (2 * eps)


def close(a, b, rel=1e-6, abs_=1e-8):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
