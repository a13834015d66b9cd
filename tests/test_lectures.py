"""The lectures' worked examples, with derivatives computed by hand from their formulas."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value


@pytest.mark.parametrize("x0, y0, z0", [(2.0, 3.0, 4.0), (-1.0, 0.5, 2.0), (1.5, -2.0, -3.0)])
def test_x_times_y_squared_plus_z(x0, y0, z0):
    # f(x, y, z) = x (y^2 + z): df/dx = y^2 + z, df/dy = 2xy, df/dz = x.
    x, y, z = Value(x0), Value(y0), Value(z0)
    f = x * (y**2 + z)
    f.backward()
    assert f.data == x0 * (y0**2 + z0)
    assert (x.grad, y.grad, z.grad) == pytest.approx((y0**2 + z0, 2 * x0 * y0, x0), rel=1e-15)


@pytest.mark.parametrize("x0", [-1.5, 0.0, 0.5, 2.0])
def test_univariate_chain_rule(x0):
    # f = 2g^2 - 3g + 1 with g = x^3 + 2x: df/dx = (4g - 3)(3x^2 + 2).
    x = Value(x0)
    g = x**3 + 2 * x
    f = 2 * g**2 - 3 * g + 1
    f.backward()
    g0 = x0**3 + 2 * x0
    assert x.grad == pytest.approx((4 * g0 - 3) * (3 * x0**2 + 2), rel=1e-14)


@pytest.mark.parametrize("x0", [-2.0, -0.5, 1.0, 3.0])
def test_multivariate_chain_rule(x0):
    # f = 2 g1^2 - 3 g1 g2 + 1, g1 = 3x, g2 = x^2 + 2x:
    # df/dx = (4 g1 - 3 g2) * 3 + (-3 g1) * (2x + 2).
    x = Value(x0)
    g1 = 3 * x
    g2 = x**2 + 2 * x
    f = 2 * g1**2 - 3 * g1 * g2 + 1
    f.backward()
    a, b = 3 * x0, x0**2 + 2 * x0
    assert x.grad == pytest.approx((4 * a - 3 * b) * 3 + (-3 * a) * (2 * x0 + 2), rel=1e-14)


@pytest.mark.parametrize("x0", [-4.0, -0.3, 0.0, 2.5])
def test_logistic_and_tanh_derivative_identities(x0):
    x = Value(x0)
    s = x.sigmoid()
    s.backward()
    s0 = 1 / (1 + math.exp(-x0))
    assert x.grad == pytest.approx(s0 * (1 - s0), rel=1e-14)
    x = Value(x0)
    t = x.tanh()
    t.backward()
    assert x.grad == pytest.approx(1 - math.tanh(x0) ** 2, rel=1e-14)


def test_local_derivatives_of_sum_product_and_max():
    x, y = Value(3.0), Value(-4.0)
    (x + y).backward()
    assert (x.grad, y.grad) == (1.0, 1.0)
    x, y = Value(3.0), Value(-4.0)
    (x * y).backward()
    assert (x.grad, y.grad) == (-4.0, 3.0)
    x, y = Value(3.0), Value(-4.0)
    autograd.maximum(x, y).backward()
    assert (x.grad, y.grad) == (1.0, 0.0)


def test_two_two_one_network_weight_gradient_by_hand():
    # The 2-2-1 network: z_i = sigma(w0i^h + w1i^h x1 + w2i^h x2), y = w01^o + w11^o z1 + w21^o z2,
    # L = 1/2 (y - y*)^2, and dL/dw22^h = (y - y*) w21^o z2 (1 - z2) x2.
    x1, x2, target = 0.6, -1.3, 0.25
    hidden = {(0, 1): 0.1, (1, 1): -0.4, (2, 1): 0.7, (0, 2): -0.2, (1, 2): 0.3, (2, 2): 0.9}
    out = {0: 0.05, 1: 1.1, 2: -0.8}
    w_h = {k: Value(v) for k, v in hidden.items()}
    w_o = {k: Value(v) for k, v in out.items()}
    z = {i: (w_h[0, i] + w_h[1, i] * x1 + w_h[2, i] * x2).sigmoid() for i in (1, 2)}
    y = w_o[0] + w_o[1] * z[1] + w_o[2] * z[2]
    loss = 0.5 * (y - target) ** 2
    loss.backward()

    def sig(a):
        return 1 / (1 + math.exp(-a))

    z2 = sig(hidden[0, 2] + hidden[1, 2] * x1 + hidden[2, 2] * x2)
    z1 = sig(hidden[0, 1] + hidden[1, 1] * x1 + hidden[2, 1] * x2)
    y0 = out[0] + out[1] * z1 + out[2] * z2
    assert w_h[2, 2].grad == pytest.approx((y0 - target) * out[2] * z2 * (1 - z2) * x2, rel=1e-14)
    assert w_o[2].grad == pytest.approx((y0 - target) * z2, rel=1e-14)
