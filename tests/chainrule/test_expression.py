"""Fuzzing the `chainrule graph` expression reader: only ExpressionError, never eval/exec, never slow.

CHAINRULE_FUZZ sets the number of inputs per strategy (default 1500; e.g. 100000 for a long run).
"""

from __future__ import annotations

import builtins
import math
import os
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from chainrule import expression
from chainrule.expression import ExpressionError

EXAMPLES = int(os.environ.get("CHAINRULE_FUZZ", "1500"))

TOKENS = [
    "x",
    "y",
    "w1",
    "b",
    "tanh",
    "exp",
    "log",
    "sqrt",
    "max",
    "sum",
    "relu",
    "abs",
    "__import__",
    "__class__",
    "os",
    "eval",
    "exec",
    "lambda",
    "for",
    "in",
    "if",
    "else",
    "and",
    "not",
    "import",
    "yield",
    "await",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    ":",
    ";",
    "=",
    ":=",
    "*",
    "**",
    "/",
    "//",
    "+",
    "-",
    "%",
    "@",
    "<",
    ">",
    "==",
    "~",
    "^",
    "|",
    "&",
    "'",
    '"',
    "f'",
    "\\",
    "#",
    " ",
    "0",
    "1",
    "2.5",
    "1e308",
    "1e400",
    "10",
    "9" * 30,
    "0x1f",
    "1j",
    "True",
    "None",
    "...",
    "\n",
]

token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
raw_text = st.text(max_size=120)


@contextmanager
def no_eval():
    """While reading an expression, eval and exec raise: reaching them is a failure."""

    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec must never be reached")

    saved = builtins.eval, builtins.exec
    builtins.eval = builtins.exec = refuse
    try:
        yield
    finally:
        builtins.eval, builtins.exec = saved


def read(text: str) -> None:
    """Parse and evaluate as `chainrule graph` does; anything but ExpressionError is a failure."""
    try:
        with no_eval():
            tree = expression.parse(text)
            inputs = {"x": Value(0.5, label="x"), "y": Value(-1.5, label="y"), "w1": Value(2.0), "b": Value(0.1)}
            result = expression.evaluate(tree, inputs)
            result.backward()
    except ExpressionError as error:
        assert str(error) and "\n" not in str(error)


@settings(max_examples=EXAMPLES, deadline=1000)
@given(token_soup)
def test_token_soup_is_read_or_refused_cleanly(text):
    read(text)


@settings(max_examples=EXAMPLES, deadline=1000)
@given(raw_text)
def test_arbitrary_text_is_read_or_refused_cleanly(text):
    read(text)


@pytest.mark.parametrize(
    "text",
    [
        "10**10**10",
        "9" * 1999,
        "(" * 1000 + "x" + ")" * 1000,
        "x" + "**x" * 600,
        "-" * 1999 + "x",
        "tanh(" * 100 + "x" + ")" * 100,
    ],
)
def test_pathological_inputs_are_refused(text):
    with pytest.raises(ExpressionError):
        read_strict(text)


def read_strict(text: str) -> None:
    with no_eval():
        tree = expression.parse(text)
        expression.evaluate(tree, {"x": Value(2.0)})


def test_valid_expressions_give_hand_values():
    inputs = {"x": Value(2.0, label="x"), "y": Value(3.0, label="y")}
    out = expression.evaluate(expression.parse("max(x, y) * -x + x**2 / y + sum(x, y, 1)"), inputs)
    out.backward()
    # f = -x*y + x^2/y + x + y + 1 at (2, 3): df/dx = -y + 2x/y + 1, df/dy = -x - x^2/y^2 + 1
    assert out.data == pytest.approx(-6 + 4 / 3 + 6, rel=1e-15)
    assert inputs["x"].grad == pytest.approx(-3 + 4 / 3 + 1, rel=1e-15)
    assert inputs["y"].grad == pytest.approx(-2 - 4 / 9 + 1, rel=1e-15)


# -- numbers stay numbers: the reader's values are Python's own arithmetic -----------------------
class Refused(Exception):
    """Python's arithmetic has no finite real answer here (or the reader may rightly refuse)."""


def python_arithmetic(symbol: str, a: float, b: float) -> float:
    """Python's own float operators, with its errors, complex and infinite results marked as Refused."""
    try:
        result = {"+": a + b, "-": a - b, "*": a * b}[symbol] if symbol in "+-*" else None
        if symbol == "/":
            result = a / b
        elif symbol == "**":
            result = a**b
    except (ZeroDivisionError, OverflowError):
        raise Refused from None
    if isinstance(result, complex) or not math.isfinite(result):
        raise Refused
    return result


NUMBERS = st.sampled_from(["0", "1", "2", "3", "0.5", "1.5", "10", "2.25", "1e3", "7e-3"])


def arithmetic(x_allowed: bool):
    """(text, reference, uses_x): reference(x) computes the text with Python's float operators."""
    leaves = NUMBERS.map(lambda t: (t, lambda x, v=float(t): v, False))
    if x_allowed:
        leaves = leaves | st.just(("x", lambda x: x, True))

    def grow(children):
        binary = st.tuples(st.sampled_from(["+", "-", "*", "/", "**"]), children, children).map(
            lambda t: (
                f"({t[1][0]}) {t[0]} ({t[2][0]})",
                lambda x, s=t[0], f=t[1][1], g=t[2][1]: python_arithmetic(s, f(x), g(x)),
                t[1][2] or t[2][2],
            )
        )
        negated = children.map(lambda c: (f"-({c[0]})", lambda x, f=c[1]: -f(x), c[2]))
        return binary | negated

    return st.recursive(leaves, grow, max_leaves=8)


def reader_value(text: str, x: float):
    with no_eval():
        return expression.evaluate(expression.parse(text), {"x": Value(x, label="x")})


@settings(max_examples=EXAMPLES // 3, deadline=1000)
@given(arithmetic(x_allowed=False))
def test_constant_parts_are_computed_as_python_computes_them(case):
    text, reference, _ = case
    # Put the constant part next to an input: the reader computes it as a number, then adds x.
    try:
        expected = reference(None)
    except Refused:
        with pytest.raises(ExpressionError):
            reader_value(f"x + ({text})", 0.0)
        return
    result = reader_value(f"x + ({text})", 0.0)
    assert result.data == 0.0 + expected
    constants = [n for n in result.parents if n.is_constant]
    assert len(result.parents) == 2 and [c.data for c in constants] == [expected]  # one constant, not a graph


@settings(max_examples=EXAMPLES // 3, deadline=1000)
@given(arithmetic(x_allowed=True), st.sampled_from([0.25, 0.5, 1.5, 3.0]))
def test_values_with_an_input_are_pythons_arithmetic(case, x):
    text, reference, uses_x = case
    try:
        expected = reference(x)
    except Refused:
        expected = None
    if not uses_x:  # no input: a number, or Python's own error, is refused either way
        with pytest.raises(ExpressionError, match="nothing to differentiate" if expected is not None else None):
            reader_value(text, x)
        return
    try:
        result = reader_value(text, x)
    except ExpressionError as error:
        # Refused where Python has no finite real answer, or where the derivative is not defined
        # (a Value exponent needs a base >= 0, e.g. (x - 3) ** x; Python's answer may still be real there).
        assert expected is None or str(error).startswith("**"), (text, expected, str(error))
        return
    assert expected is not None and result.data == expected, (text, result.data, expected)


def test_numbers_in_the_expression_are_constants_not_parameters():
    x = Value(0.3, label="x")
    out = expression.evaluate(expression.parse("sigmoid(2*x - 1)"), {"x": x})
    out.backward()
    leaves = [n for n in autograd.topological_order(out) if not n.parents]
    assert [n for n in leaves if not n.is_constant] == [x]
    assert sorted(n.data for n in leaves if n.is_constant) == [1.0, 2.0]
    assert all(n.grad is None for n in leaves if n.is_constant)
    s = 1 / (1 + math.exp(-(2 * 0.3 - 1)))
    assert x.grad == pytest.approx(2 * s * (1 - s), rel=1e-15)
    # x**-1 has a fixed exponent: d/dx x^-1 = -1/x^2, also for a negative x.
    x = Value(-2.0, label="x")
    out = expression.evaluate(expression.parse("x**-1"), {"x": x})
    out.backward()
    assert (out.data, x.grad) == (-0.5, -0.25)
    # 2*3 and -(1) are numbers, so each meets x as one constant.
    out = expression.evaluate(expression.parse("x*(2*3) + -(1)"), {"x": Value(1.0)})
    assert sorted(n.data for n in autograd.topological_order(out) if n.is_constant) == [-1.0, 6.0]


@pytest.mark.parametrize("text", ["2*3", "-(1)", "exp(0) + 1", "max(1, 2)"])
def test_an_expression_without_input_is_refused(text):
    with pytest.raises(ExpressionError, match="nothing to differentiate"):
        reader_value(text, 1.0)
