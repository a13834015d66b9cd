"""Fuzzing the `chainrule graph` expression reader: only ExpressionError, never eval/exec, never slow.

CHAINRULE_FUZZ sets the number of inputs per strategy (default 1500; e.g. 100000 for a long run).
"""

from __future__ import annotations

import builtins
import os
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
