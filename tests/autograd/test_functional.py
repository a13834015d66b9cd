"""Derivatives of whole functions (functional.py): grad, value_and_grad, jacobian, hessian and vjp, nested to
any order, and the functional API's purity (no gradient outside the call changes).

Second derivatives are checked against hand formulas, against second-order central differences of the
plain forward pass, and against PyTorch float64 (when installed) on random graphs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value

from ..helpers import requires_torch, torch


def test_grad_and_value_and_grad():
    df = autograd.grad(lambda x: x**3 + 2 * x)
    assert df(2.0) == 3 * 4 + 2
    d = autograd.grad(lambda x, y: x * y + y.exp(), argnums=(0, 1))(2.0, 0.5)
    assert d == pytest.approx((0.5, 2.0 + math.exp(0.5)), rel=1e-15)
    value, g = autograd.value_and_grad(lambda x, y: x / y, argnums=1)(3.0, 2.0)
    assert (value, g) == (1.5, -3.0 / 4.0)
    with pytest.raises(TypeError, match="argnums"):
        autograd.grad(lambda x: x, argnums="0")(1.0)
    with pytest.raises(ValueError, match="out of range"):
        autograd.grad(lambda x: x, argnums=1)(1.0)
    with pytest.raises(TypeError, match="must return a Value"):
        autograd.grad(lambda x: 3.0)(1.0)


# -- regressions: numbers that used to be wrong without any error --------------------------------


def test_functional_calls_touch_no_gradient_outside_the_call():
    w = Value(3.0)
    w.grad = 0.25  # whatever it held before
    assert autograd.grad(lambda x: w * x)(2.0).data == 3.0  # d(wx)/dx = w: a Value, kept in w's graph
    assert autograd.grad(lambda x: w * x, create_graph=False)(2.0) == 3.0
    assert autograd.value_and_grad(lambda x: w * x * x, create_graph=False)(2.0) == (12.0, 12.0)
    # Each result depends on w, so each stays in w's graph (a Value), as grad's does.
    assert autograd.jacobian(lambda v: [w * v[0], w + v[1]])([1.0, 2.0]).data.tolist() == [[3.0, 0.0], [0.0, 1.0]]
    assert autograd.hessian(lambda v: w * v[0] * v[1])([1.0, 2.0]).data.tolist() == [[0.0, 3.0], [3.0, 0.0]]
    assert [v.data for v in autograd.jvp(lambda x: w * x, (2.0,), (1.0,))] == [6.0, 3.0]
    assert autograd.jacfwd(lambda x: w * x)(2.0).data == 3.0
    assert [g.data for g in autograd.vjp(lambda x: w * x, 2.0)[1]()] == [3.0]
    assert autograd.gradcheck(lambda x: w * x, 2.0)
    assert w.grad == 0.25
    x = Value(5.0)
    x.grad = 7.0
    assert autograd.grad(lambda v: v * v)(x).data == 10.0  # a Value argument: its gradient is left alone too
    assert x.grad == 7.0


def test_derivatives_asked_for_inside_no_grad_are_computed():
    # torch.func gives the true values inside torch.no_grad(); so do these.
    with autograd.no_grad():
        assert autograd.grad(lambda t: t**3)(2.0) == 12.0  # 3t²
        assert autograd.value_and_grad(lambda t: t * t)(3.0) == (9.0, 6.0)
        assert autograd.hessian(lambda v: v[0] ** 2 * v[1])([1.0, 2.0]).tolist() == [[4.0, 2.0], [2.0, 0.0]]
        assert autograd.jvp(lambda t: t**3, (2.0,), (1.0,)) == (8.0, 12.0)
        assert autograd.jacfwd(lambda t: [t.sin(), t * t])(0.5).tolist() == [math.cos(0.5), 1.0]
        assert autograd.jacobian(lambda v: [v[0] * v[1]])([2.0, 5.0]).tolist() == [[5.0, 2.0]]
        assert autograd.vjp(lambda t: t * t, 3.0)[1](2.0) == (12.0,)
        assert autograd.grad(autograd.grad(lambda t: t**4))(1.0) == 12.0
        assert not autograd.is_grad_enabled()  # the block itself still records nothing
        assert Value(2.0).exp().parents == ()


def test_inside_no_grad_derivatives_of_values_are_plain_numbers():
    # torch.func inside torch.no_grad() gives tensors that need no gradient: the same here, for a Value argument.
    w = Value(np.array([1.0, 2.0]))
    cube_sum = lambda v: (v**3).sum()  # noqa: E731
    with autograd.no_grad():
        hessian = autograd.hessian(cube_sum)(w)  # diag(6 w)
        gradient = autograd.grad(cube_sum)(w)  # 3 w²
        jacobian = autograd.jacobian(lambda v: v * v)(w)  # diag(2 w)
        _, tangent = autograd.jvp(cube_sum, (w,), (np.ones(2),))
        second = autograd.grad(autograd.grad(lambda t: t**4))(Value(1.0))  # 12 t², nested as usual
    np.testing.assert_array_equal(hessian, [[6.0, 0.0], [0.0, 12.0]])
    np.testing.assert_array_equal(gradient, [3.0, 12.0])
    np.testing.assert_array_equal(jacobian, [[2.0, 0.0], [0.0, 4.0]])
    assert tangent == 15.0 and second == 12.0
    assert isinstance(autograd.grad(cube_sum)(w), Value)  # outside no_grad it stays in w's graph


def test_grad_of_a_value_stays_in_its_graph():
    # y = x · d/dt t³ at t = x = 3x³, so dy/dx = 9x² = 2.25 at 0.5 (a plain 3x² would give 0.75).
    x = Value(0.5)
    y = x * autograd.grad(lambda t: t**3)(x)
    y.backward()
    assert y.data == 0.375 and x.grad == 2.25
    # The same through a Value the function closes over: d/dt (x t) = x, so y = x · x and dy/dx = 2x.
    x = Value(0.5)
    y = x * autograd.grad(lambda t: x * t)(2.0)
    y.backward()
    assert x.grad == 1.0
    # value_and_grad and jvp keep theirs too: v = x² and d/dx of (v + g) with g = 2x is 2x + 2.
    x = Value(1.5)
    v, g = autograd.value_and_grad(lambda t: t * t)(x)
    (v + g).backward()
    assert x.grad == 5.0
    x = Value(2.0)
    _, tangent = autograd.jvp(lambda t: t**3, (x,), (1.0,))  # 3x², whose derivative is 6x = 12
    tangent.backward()
    assert x.grad == 12.0
    # create_graph=False asks for plain numbers: the result is cut from the graph on purpose.
    assert autograd.grad(lambda t: t**3, create_graph=False)(Value(0.5)) == 0.75


@pytest.mark.parametrize("name", ["jacobian", "jacfwd", "hessian", "vjp"])
def test_every_derivative_of_a_value_stays_in_its_graph(name):
    # y = x · D(x) at x = 0.5 with t³: D = 3x² (jacobian, jacfwd, vjp), so dy/dx = 9x² = 2.25;
    # D = 6x (hessian), so y = 6x² and dy/dx = 12x = 6. Through a closure: D = x, dy/dx = 2x = 1.
    derivative = {
        "jacobian": lambda f, x: autograd.jacobian(f)(x),
        "jacfwd": lambda f, x: autograd.jacfwd(f)(x),
        "hessian": lambda f, x: autograd.hessian(f)(x),
        "vjp": lambda f, x: autograd.vjp(f, x)[1](1.0)[0],
    }[name]
    x = Value(0.5)
    (x * derivative(lambda t: t**3, x)).backward()
    assert x.grad == (6.0 if name == "hessian" else 2.25)
    if name != "hessian":
        x = Value(0.5)
        (x * derivative(lambda t: t * x, 2.0)).backward()
        assert x.grad == 1.0
    # On arrays: J of t² is diag(2t), and d/dx of the sum of its entries is 2 for every entry.
    x = Value(np.array([1.0, -2.0, 3.0]))
    found = derivative(lambda t: (t * t).sum() if name in ("hessian", "vjp") else t * t, x)
    found.sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros(3) if name == "hessian" else [2.0, 2.0, 2.0])


def test_a_jacobian_inside_grad_is_differentiated():
    # d/dx [x · d(x³)/dx] = d/dx 3x³ = 9x² = 9 at 1, as grad of grad gives.
    assert autograd.grad(lambda x: autograd.jacobian(lambda t: t**3)(x) * x)(1.0) == 9.0
    assert autograd.grad(lambda x: autograd.jacfwd(lambda t: t**3)(x) * x)(1.0) == 9.0


def test_an_argument_named_twice_is_one_variable_everywhere():
    # f = x y: df/dx = y = 3 whichever way it is asked; d²(x² y³)/dx² = 2y³ = 54.
    f = lambda x, y: x * y  # noqa: E731
    assert autograd.grad(f, argnums=(0, 0))(2.0, 3.0) == (3.0, 3.0)
    assert autograd.jacobian(f, argnums=(0, 0))(2.0, 3.0) == (3.0, 3.0)
    g = lambda x, y: x * x * y * y * y  # noqa: E731
    assert autograd.hessian(g, argnums=(0, 0))(2.0, 3.0) == ((54.0, 54.0), (54.0, 54.0))


def test_an_argument_the_result_ignores_gets_zeros_of_its_shape():
    grads = autograd.grad(lambda a, b: a.sum(), argnums=(0, 1))(np.ones(3), np.ones((2, 2)))
    np.testing.assert_array_equal(grads[0], np.ones(3))
    assert grads[1].shape == (2, 2) and not grads[1].any()
    unused = autograd.vjp(lambda a, b: (a * 2.0).sum(), np.ones(2), np.ones(4))[1](1.0)
    np.testing.assert_array_equal(unused[0], [2.0, 2.0])
    assert unused[1].shape == (4,) and not unused[1].any()
    assert autograd.grad(lambda a: autograd.constant(3.0))(np.ones(2)).tolist() == [0.0, 0.0]


def test_hessian_takes_several_argnums_as_jax_does():
    # f(x, y) = x² y + Σ y³ with x a number, y a vector of 2: blocks (x, x), (x, y), (y, x), (y, y).
    def f(x, y):
        return x * x * y.sum() + (y**3).sum()

    x, y = 1.5, np.array([2.0, -1.0])
    (hxx, hxy), (hyx, hyy) = autograd.hessian(f, argnums=(0, 1))(x, y)
    assert hxx == 2.0 * y.sum()  # ∂²f/∂x² = 2 Σy
    np.testing.assert_array_equal(hxy, [2.0 * x, 2.0 * x])  # ∂²f/∂x∂y_i = 2x
    np.testing.assert_array_equal(hyx, hxy)
    np.testing.assert_array_equal(hyy, np.diag(6.0 * y))  # ∂²f/∂y_i∂y_j = 6 y_i δ_ij
    assert hyy.shape == (2, 2)
    blocks = autograd.hessian(lambda a, b: a * a * b, argnums=(0, 1))(3.0, 2.0)
    assert blocks == ((4.0, 6.0), (6.0, 0.0))


def test_nested_grad_differentiates_the_inner_derivative():
    # d/dx [x · d/dy (x y)] = d/dx (x · x) = 2x = 6 at x = 3.
    assert autograd.grad(lambda x: x * autograd.grad(lambda y: x * y)(2.0))(3.0) == 6.0
    # d/dx [d/dy (x y²)] at y = 1 = d/dx (2 x y) = 2 y = 2.
    assert autograd.grad(lambda x: autograd.grad(lambda y: x * y * y)(1.0))(5.0) == 2.0
    # Third derivative of x⁴ at 2: 24 x = 48.
    assert autograd.grad(autograd.grad(autograd.grad(lambda x: x**4)))(2.0) == 48.0


def test_argnums_naming_one_argument_twice_gives_its_derivative_twice():
    assert autograd.grad(lambda x: x * x, argnums=(0, 0))(3.0) == (6.0, 6.0)
    same = Value(3.0)
    # One Value passed as both arguments still has two partial derivatives: d(ab)/da = b, d(ab)/db = a.
    assert [g.data for g in autograd.grad(lambda a, b: a * b * b, argnums=(0, 1))(same, same)] == [9.0, 18.0]


# -- higher order against hand formulas -------------------------------------------------------------


SECOND = {
    # name: (f on Values, f'' by hand, points)
    "tanh": (lambda x: x.tanh(), lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2), [-2.0, 0.3, 1.5]),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: s(x) * (1 - s(x)) * (1 - 2 * s(x)), [-3.0, 0.0, 2.0]),
    "exp": (lambda x: x.exp(), math.exp, [-1.0, 0.5, 2.0]),
    "log": (lambda x: x.log(), lambda x: -1 / x**2, [0.3, 1.0, 4.0]),
    "sqrt": (lambda x: x.sqrt(), lambda x: -0.25 * x**-1.5, [0.5, 2.0, 9.0]),
    "sin": (lambda x: x.sin(), lambda x: -math.sin(x), [-1.0, 0.5, 2.0]),
    "cos": (lambda x: x.cos(), lambda x: -math.cos(x), [-1.0, 0.5, 2.0]),
    "tan": (lambda x: x.tan(), lambda x: 2 * math.tan(x) / math.cos(x) ** 2, [-1.0, 0.2, 1.1]),
    "arctan": (lambda x: x.arctan(), lambda x: -2 * x / (1 + x * x) ** 2, [-2.0, 0.5, 3.0]),
    "arcsin": (lambda x: x.arcsin(), lambda x: x / (1 - x * x) ** 1.5, [-0.5, 0.1, 0.9]),
    "sinh": (lambda x: x.sinh(), math.sinh, [-2.0, 0.5, 3.0]),
    "softplus": (lambda x: x.softplus(), lambda x: s(x) * (1 - s(x)), [-2.0, 0.0, 3.0]),
    "cube": (lambda x: x**3, lambda x: 6 * x, [-2.0, 0.5, 3.0]),
    "x ** 2.5": (lambda x: x**2.5, lambda x: 2.5 * 1.5 * x**0.5, [0.5, 2.0]),
    "1 / x": (lambda x: 1 / x, lambda x: 2 / x**3, [-2.0, 0.5, 3.0]),
    "2 ** x": (lambda x: 2.0**x, lambda x: 2**x * math.log(2) ** 2, [-1.0, 0.0, 2.0]),
    "x ** x": (lambda x: x**x, lambda x: x**x * ((math.log(x) + 1) ** 2 + 1 / x), [0.5, 1.0, 2.0]),
}


def s(x):
    return 1 / (1 + math.exp(-x))


@pytest.mark.parametrize("name", sorted(SECOND))
def test_second_derivative_matches_the_hand_formula(name):
    f, second, points = SECOND[name]
    for x0 in points:
        assert autograd.grad(autograd.grad(f))(x0) == pytest.approx(second(x0), rel=1e-12, abs=1e-14), (name, x0)


def test_the_lectures_chain_rule_example_to_second_order():
    # f = 2g² - 3g + 1 with g = x³ + 2x: f' = (4g - 3) g', f'' = 4 g'² + (4g - 3) g''.
    def f(x):
        g = x**3 + 2 * x
        return 2 * g**2 - 3 * g + 1

    for x in (-1.0, 0.5, 2.0):
        g, dg, ddg = x**3 + 2 * x, 3 * x**2 + 2, 6 * x
        assert autograd.grad(f)(x) == pytest.approx((4 * g - 3) * dg, rel=1e-13)
        assert autograd.grad(autograd.grad(f))(x) == pytest.approx(4 * dg**2 + (4 * g - 3) * ddg, rel=1e-13)


def test_hessian_of_a_two_variable_function_is_the_hand_derived_matrix():
    # f(x, y) = x² y + y³ + sin(x y)
    def f(v):
        x, y = v
        return x * x * y + y**3 + (x * y).sin()

    for x, y in ((1.0, 2.0), (-0.5, 0.3)):
        c, sn = math.cos(x * y), math.sin(x * y)
        expected = [
            [2 * y - y * y * sn, 2 * x + c - x * y * sn],
            [2 * x + c - x * y * sn, 6 * y - x * x * sn],
        ]
        np.testing.assert_allclose(autograd.hessian(f)([x, y]), expected, rtol=1e-13, atol=1e-14)


def test_jacobians_in_both_modes_agree_with_the_hand_matrix():
    def g(v):  # R² -> R³
        x, y = v
        return [x * y, x.exp() + y, (x - y) ** 2]

    x, y = 0.5, -1.5
    expected = [[y, x], [math.exp(x), 1.0], [2 * (x - y), -2 * (x - y)]]
    np.testing.assert_allclose(autograd.jacobian(g)([x, y]), expected, rtol=1e-14)
    np.testing.assert_allclose(autograd.jacfwd(g)([x, y]), expected, rtol=1e-14)
    # A batch-valued function of a batch: the Jacobian of an elementwise map is diagonal.
    xs = np.array([0.1, 0.7, -0.4])
    np.testing.assert_allclose(autograd.jacobian(lambda v: v.tanh())(xs), np.diag(1 - np.tanh(xs) ** 2), rtol=1e-14)
    np.testing.assert_allclose(autograd.jacfwd(lambda v: v.tanh())(xs), np.diag(1 - np.tanh(xs) ** 2), rtol=1e-14)


# -- second derivatives against finite differences and PyTorch, on random graphs ------------------------------


RECIPES = {
    # name: (engine, torch); each maps operands in [-3, 3] into a moderate range within its domain
    "tanh": (lambda a: a.tanh(), lambda a: a.tanh()),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: a.sigmoid()),
    "sin": (lambda a: a.sin(), lambda a: a.sin()),
    "cos": (lambda a: a.cos(), lambda a: a.cos()),
    "exp(tanh)": (lambda a: a.tanh().exp(), lambda a: a.tanh().exp()),
    "log(1 + a²)": (lambda a: (a * a + 1).log(), lambda a: (a * a + 1).log()),
    "sqrt(1 + a²)": (lambda a: (a * a + 1).sqrt(), lambda a: (a * a + 1).sqrt()),
    "arcsin(0.9 tanh)": (lambda a: (0.9 * a.tanh()).arcsin(), lambda a: (0.9 * a.tanh()).arcsin()),
    "arccos(0.9 tanh)": (lambda a: (0.9 * a.tanh()).arccos(), lambda a: (0.9 * a.tanh()).arccos()),
    "arctan": (lambda a: a.arctan(), lambda a: a.arctan()),
    "sinh(tanh)": (lambda a: a.tanh().sinh(), lambda a: a.tanh().sinh()),
    "cosh(tanh)": (lambda a: a.tanh().cosh(), lambda a: a.tanh().cosh()),
    "tan(tanh)": (lambda a: a.tanh().tan(), lambda a: a.tanh().tan()),
    "log1p(a²)": (lambda a: (a * a).log1p(), lambda a: (a * a).log1p()),
    "expm1(tanh)": (lambda a: a.tanh().expm1(), lambda a: a.tanh().expm1()),
    "log2(1 + a²)": (lambda a: (a * a + 1).log2(), lambda a: (a * a + 1).log2()),
    "log10(1 + a²)": (lambda a: (a * a + 1).log10(), lambda a: (a * a + 1).log10()),
    "softplus": (lambda a: a.softplus(), lambda a: torch.nn.functional.softplus(a, threshold=50)),
    "square": (lambda a: a**2 * 0.3, lambda a: a**2 * 0.3),
    "neg": (lambda a: -a, lambda a: -a),
}


BINARY_RECIPES = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: (a * b).tanh(), lambda a, b: (a * b).tanh()),
    "div": (lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    "pow": (lambda a, b: (a * a + 0.5) ** b.tanh(), lambda a, b: (a * a + 0.5) ** b.tanh()),
}


NAMES = sorted(RECIPES) + sorted(BINARY_RECIPES)


programs = st.tuples(
    st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=2, max_size=3),
    st.lists(st.tuples(st.sampled_from(NAMES), st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=8),
)


def run(program, inputs, torch_mode=False):
    """The program on Values (or torch tensors): each step may reuse any earlier node."""
    _, steps = program
    nodes = list(inputs)
    for name, i, j in steps:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if name in RECIPES:
            nodes.append(RECIPES[name][torch_mode](a))
        else:
            nodes.append(BINARY_RECIPES[name][torch_mode](a, b))
    total = nodes[len(inputs)]
    for node in nodes[len(inputs) + 1 :]:
        total = total + node
    return total


def plain(program, xs):
    """The program's value from plain floats (through the engine's forward pass only)."""
    with autograd.no_grad():
        return run(program, [Value(x) for x in xs]).data


@settings(max_examples=150, deadline=None)
@given(programs)
def test_hessians_of_random_graphs_match_second_differences(program):
    xs = program[0]
    hessian = autograd.hessian(lambda v: run(program, v))(xs)
    h = 1e-4
    for i in range(len(xs)):
        for j in range(len(xs)):

            def at(di, dj, i=i, j=j):
                shifted = list(xs)
                shifted[i] += di
                shifted[j] += dj
                return plain(program, shifted)

            numeric = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h)
            assert hessian[i][j] == pytest.approx(numeric, rel=1e-4, abs=1e-4), (i, j)


def pow_with_zero_exponent(program, xs) -> bool:
    """Whether a pow step of the program meets an exponent of exactly 0 at these inputs."""
    _, steps = program
    with autograd.no_grad():
        nodes = [Value(x) for x in xs]
        for name, i, j in steps:
            a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
            if name == "pow" and b.tanh().data == 0.0:
                return True
            nodes.append((RECIPES[name][0](a)) if name in RECIPES else BINARY_RECIPES[name][0](a, b))
    return False


def test_where_pytorch_is_wrong_the_engine_agrees_with_second_differences():
    """At an exponent of exactly 0, PyTorch's mixed second derivative of x ** y, which is 1/x, comes out 0
    (its Hessian of x ** y at (2, 0) is not even symmetric); the engine's agrees with second differences."""
    program = ([0.0, 0.0], [("arccos(0.9 tanh)", 0, 0), ("pow", 2, 0)])
    assert pow_with_zero_exponent(program, program[0])
    h = 1e-4
    at = [plain(program, [x, 0.0]) for x in (-h, 0.0, h)]
    numeric = (at[0] - 2 * at[1] + at[2]) / h**2  # about -0.7226
    assert autograd.hessian(lambda v: run(program, v))(program[0])[0][0] == pytest.approx(numeric, rel=1e-6)


@requires_torch
@settings(max_examples=150, deadline=None)
@given(programs)
def test_second_derivatives_and_jvps_of_random_graphs_match_pytorch(program):
    xs = program[0]
    assume(not pow_with_zero_exponent(program, xs))  # see the test above: there PyTorch is the one that is wrong
    tensor = torch.tensor(xs, dtype=torch.float64)
    expected = torch.func.hessian(lambda t: run(program, list(t), torch_mode=True))(tensor).numpy()
    np.testing.assert_allclose(autograd.hessian(lambda v: run(program, v))(xs), expected, rtol=1e-9, atol=1e-12)
    # create_graph: the gradient of (gradient · direction), as torch.autograd.grad gives it
    direction = [0.5, -1.0, 2.0][: len(xs)]
    leaf = tensor.clone().requires_grad_(True)
    (first,) = torch.autograd.grad(run(program, list(leaf), torch_mode=True), leaf, create_graph=True)
    target = (first * torch.tensor(direction)).sum()
    second = torch.autograd.grad(target, leaf)[0] if target.requires_grad else torch.zeros(len(xs))  # f linear
    ours = autograd.grad(
        lambda v: autograd.sum([g * d for g, d in zip(autograd.grad(lambda u: run(program, u))(v), direction)])
    )(xs)
    np.testing.assert_allclose(ours, second.numpy(), rtol=1e-9, atol=1e-12)
    # forward mode: torch.func.jvp along the same direction
    _, torch_tangent = torch.func.jvp(
        lambda t: run(program, list(t), torch_mode=True), (tensor,), (torch.tensor(direction),)
    )
    _, tangent = autograd.jvp(lambda v: run(program, v), (xs,), (direction,))
    assert tangent == pytest.approx(float(torch_tangent), rel=1e-9, abs=1e-12)
