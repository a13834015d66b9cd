"""The math the tables are written with (formulas.py): the slopes of powers and of arctan, to any order and
at the edges of the floats; sigmoid, softplus, sech² and the slope of arcsin against 50-digit mpmath where
the textbook forms lose their digits; powers as the lectures write them."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Value, formulas

mpmath = pytest.importorskip("mpmath")


def test_powers_differentiate_to_any_order_at_zero():
    # d^k/dx^k x³ at 0: 0, 0, 6, then 0 for every order above 3 (PyTorch gives the same).
    f, derivatives = (lambda x: x**3), []
    for _ in range(6):
        f = autograd.grad(f)
        derivatives.append(f(0.0))
    assert derivatives == [0.0, 0.0, 6.0, 0.0, 0.0, 0.0]
    # x⁰ · y is y, even at x = 0 (0⁰ = 1): its Hessian is 0.
    assert autograd.hessian(lambda v: v[0] ** 0 * v[1])([0.0, 1.0]).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    # d²/dx² (x² + x) at 0: 2, through x ** 1 whose slope is the constant 1.
    assert autograd.grad(autograd.grad(lambda x: x**2 + x**1))(0.0) == 2.0


def test_arctan_second_derivative_stays_finite_for_huge_inputs():
    # d²/dx² arctan x = −2x / (1 + x²)²; for |x| above 1.3e154, x² overflows, the true value is ≈ −2/x³.
    second = autograd.grad(autograd.grad(Value.arctan))
    for x in (1e155, -1e200, 3e160):
        assert second(x) == pytest.approx(-2.0 / x / x / x, abs=1e-300)
    assert second(2.0) == pytest.approx(-4.0 / 25.0, rel=1e-15)
    both = autograd.grad(lambda v: autograd.grad(lambda u: u.arctan().sum())(v).sum())(np.array([0.5, 1e200]))
    np.testing.assert_allclose(both, [-1.0 / 1.5625, 0.0], rtol=1e-15, atol=1e-300)
    third = autograd.grad(second)(3.0)  # (6x² − 2) / (1 + x²)³ = 52 / 1000
    assert third == pytest.approx(0.052, rel=1e-14)
    # Far out (6x² − 2) / (1 + x²)³ is 6/x⁴ to every digit; (1 + x²)³ overflows from |x| ≈ 5.6e51 on.
    for x in (1e54, -1e77, 1e120, 9.9e7, 2e8):
        assert autograd.grad(second)(x) == pytest.approx(6.0 / x**2 / x**2, rel=1e-14), x
    assert autograd.grad(second)(1e4) == pytest.approx((6e8 - 2.0) / (1.0 + 1e8) ** 3, rel=1e-14)


def test_powers_at_a_zero_base_give_their_finite_derivatives_and_refuse_the_infinite_ones():
    # d/dx x^1.5 = 1.5 x^0.5 = 0 at 0, also when the derivative is kept in a graph (a Value argument, a
    # closure, a Value exponent); d²/dx² x^1.5 = 0.75 x^-0.5 is infinite at 0: refused, never a number.
    assert autograd.jacobian(lambda x: x**1.5)(Value(0.0)).data == 0.0
    w = Value(2.0)
    assert autograd.jacobian(lambda x: w * x**1.5)(0.0).data == 0.0
    assert autograd.grad(lambda x: x ** Value(1.5))(0.0).data == 0.0
    assert autograd.grad(lambda x: x ** Value(0.0))(0.0).data == 0.0  # x⁰ = 1: slope 0
    with pytest.raises(ValueError, match="infinite there"):
        autograd.grad(autograd.grad(lambda x: x**1.5))(0.0)
    # d²/dx² x^2.5 = 3.75 x^0.5 = 0 at 0; the third, 1.875 x^-0.5, is infinite.
    assert autograd.grad(autograd.grad(lambda x: x ** Value(2.5)))(0.0).data == 0.0
    with pytest.raises(ValueError, match="infinite there"):
        autograd.grad(autograd.grad(autograd.grad(lambda x: x**2.5)))(0.0)
    # A function of the exponent only, with a base array holding 0: d²/dy² Σ b^y = Σ b^y ln² b over b > 0.
    found = autograd.hessian(lambda y: (np.array([0.0, 2.0]) ** y).sum())(1.5)
    assert found == pytest.approx(2.0**1.5 * math.log(2.0) ** 2, rel=1e-14)
    both = autograd.grad(lambda x: (x ** Value(1.5)).sum())(np.array([0.0, 4.0]))
    np.testing.assert_array_equal(both.data, [0.0, 3.0])  # 1.5 · 4^0.5


def test_a_value_exponent_at_a_zero_base():
    # d/dx x^y = y x^(y−1) = 0 at x = 0 for y = 3, with y a Value (so the pass is recorded on Values);
    # d/dy x^y = x^y log x, whose limit at x = 0 is 0.
    y = Value(3.0)
    assert autograd.grad(lambda x: x**y)(0.0).data == 0.0
    assert autograd.grad(lambda x: x**y)(2.0).data == 12.0
    assert autograd.grad(lambda t: 0.0 + Value(0.0) ** t)(3.0).data == 0.0
    both = autograd.grad(lambda x: (x ** Value(np.array([3.0, 3.0]))).sum())(np.array([0.0, 2.0]))
    np.testing.assert_array_equal(both.data, [0.0, 12.0])


# -- the stable forms against mpmath --------------------------------------------------------------------------
FAR = [40.0, -40.0, 700.0, -700.0, 710.0, -710.0, 1e4, -1e4]  # beyond ±709.78, e^|x| is no float
TINY = 2.2250738585072014e-308  # the smallest normal float


EXACT = {  # the textbook forms, in 50-digit mpmath: exp never overflows there
    "sigmoid": lambda x: 1 / (1 + mpmath.exp(-x)),
    "softplus": lambda x: mpmath.log1p(mpmath.exp(x)),  # log(1 + e^x), without rounding 1 + e^-700 to 1
    "sech2": lambda x: mpmath.sech(x) ** 2,
}


def exact(name: str, x: float) -> float:
    with mpmath.workdps(50):
        return float(EXACT[name](mpmath.mpf(x)))


def agrees(found: float, truth: float) -> bool:
    """Within 1e-14 relative; below the normal floats (sech² at ±700 is 4e^-1400), within 1e-320."""
    return abs(found - truth) <= (1e-320 if abs(truth) < TINY else 1e-14 * abs(truth))


@pytest.mark.parametrize("name", ["sigmoid", "softplus", "sech2"])
def test_stable_forms_keep_every_digit_far_from_zero(name):
    # The textbook forms lose these: 1/(1 + e^-x) overflows at -710, log(1 + e^x) is 0 at -40, 1 - tanh² is 0 at 40.
    function = getattr(formulas, name)
    for x in FAR:
        assert agrees(function(x), exact(name, x)), (name, x, function(x), exact(name, x))
    on_array = function(np.array(FAR))
    assert all(agrees(v, exact(name, x)) for v, x in zip(on_array.tolist(), FAR)), (name, on_array)


def test_the_slope_of_arcsin_keeps_its_digits_next_to_one():
    # 1/√(1 − x²) as 1/√((1 − x)(1 + x)): at x = 1 − 3·10⁻¹⁰ the form 1 − x·x keeps only about 10 digits.
    for x in (1 - 3e-10, -(1 - 3e-10), 1 - 1e-12, 0.5):
        with mpmath.workdps(50):
            truth = float(1 / mpmath.sqrt(1 - mpmath.mpf(x) ** 2))
        assert formulas.inverse_sine_slope(x) == pytest.approx(truth, rel=1e-14), x


def test_powers_are_written_as_the_lectures_write_them():
    assert formulas.power_rule(2.0) == "2·{0}"
    assert formulas.power_rule(3.0) == "3·{0}²"
    assert formulas.power_rule(-1.0) == "−1·{0}⁻²"
    assert formulas.power_rule(0.5) == "0.5·{0}^-0.5"
    assert (formulas.power_rule(0.0), formulas.power_rule(1.0)) == ("0", "1")
    assert (formulas.superscript(-1.0), formulas.superscript(12.0)) == ("⁻¹", "^12")
