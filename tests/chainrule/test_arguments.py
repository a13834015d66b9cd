"""What the command reads (arguments.py): values before or after options, expressions that begin with a minus,
and every whole-number option bounded, each refused in one line that names it."""

from __future__ import annotations

import pytest

from chainrule.arguments import MAX_DIGITS, MAX_SAMPLES, UserError, build_parser


def parse(*args):
    return build_parser().parse_args(list(args))


@pytest.mark.parametrize(
    "args",
    [
        ["x", "--digits", "3", "x=1"],  # refused before: a value after an option was an unrecognized argument
        ["--digits", "3", "x", "x=1"],
        ["x", "x=1", "--digits", "3"],
        ["x", "--digits=3", "x=1"],
    ],
)
def test_graph_values_may_come_before_or_after_options(args):
    parsed = parse("graph", *args)
    assert (parsed.expression, parsed.values, parsed.digits) == ("x", ["x=1"], 3)


def test_predict_inputs_may_come_before_or_after_the_model():
    parsed = parse("predict", "0.5", "--model", "m.json", "-0.2", "-1.7e-300")
    assert (parsed.model, parsed.inputs) == ("m.json", [0.5, -0.2, -1.7e-300])


@pytest.mark.parametrize("expression", ["-x**2", "-x", "-(x + 1)", "-1.5*x", "-exp(x)", "-x*y"])
def test_an_expression_may_begin_with_a_minus(expression):
    parsed = parse("graph", expression, "x=3", "y=-2", "-o", "g.svg", "--digits", "5")
    assert (parsed.expression, parsed.values, parsed.output, parsed.digits) == (expression, ["x=3", "y=-2"], "g.svg", 5)


def test_graph_options_stay_options_beside_an_expression_with_a_minus():
    parsed = parse("graph", "-x", "-og.svg", "--stepper=s.html", "--quiz", "x=1")
    assert (parsed.expression, parsed.output, parsed.stepper, parsed.quiz, parsed.values) == (
        "-x",
        "g.svg",
        "s.html",
        True,
        ["x=1"],
    )
    assert parse("graph", "-x", "--dig", "2", "x=1").digits == 2  # an abbreviation is still the option
    with pytest.raises(UserError, match=r"^unrecognized arguments: --digts"):
        parse("graph", "x", "x=1", "--digts", "3")  # a mistyped long option is not taken for an expression


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["train", "--samples", "1000000000000"],  # had ended in a MemoryError traceback, asking for 3.6 TiB
            "argument --samples: expected a whole number from 1 to 1,000,000 (the most a built-in dataset makes), "
            "got '1000000000000'",
        ),
        (["train", "--samples", "0"], "argument --samples: expected a whole number from 1 to 1,000,000"),
        (["train", "--samples", "1e6"], "argument --samples: expected a whole number from 1 to 1,000,000"),
        (["graph", "x", "--digits", "18"], "argument --digits: expected a whole number from 1 to 17 (17 digits"),
        (["graph", "x", "--digits", "1" + "0" * 20], "argument --digits: expected a whole number from 1 to 17"),
        (["graph", "x", "--digits", "9" * 5000], "got '" + "9" * 39),  # more digits than int() reads: refused too
        (["train", "--seed", "-1"], "argument --seed: expected a whole number 0 or more, got '-1'"),
        (["demo", "--seed", "-1"], "argument --seed: expected a whole number 0 or more, got '-1'"),
        (["train", "--epochs", "0"], "argument --epochs: expected a positive whole number, got '0'"),
        (["train", "--batch-size", "-5"], "argument --batch-size: expected a positive whole number, got '-5'"),
        (["train", "--hidden", "16", "0"], "argument --hidden: expected a positive whole number, got '0'"),
    ],
)
def test_whole_number_options_are_bounded_with_a_message_naming_them(args, message):
    with pytest.raises(UserError) as error:
        parse(*args)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_the_bounds_themselves_are_taken():
    assert MAX_SAMPLES == 1_000_000 and MAX_DIGITS == 17
    assert parse("train", "--samples", "1000000").samples == 1_000_000
    assert parse("graph", "x", "--digits", "17").digits == 17
    big = 10**40  # NumPy seeds its generators from any whole number 0 or more
    assert parse("train", "--seed", str(big)).seed == big and parse("demo", "--seed", "0").seed == 0
