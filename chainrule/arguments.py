"""What the ``chainrule`` command reads: its subcommands, their options, and the bounds on each value.

Every mistake is a UserError of one line (the command prints it and exits with code 2). Values may come
before or after options (``chainrule graph x --digits 3 x=1``), and an expression may begin with a minus
(``chainrule graph "-x**2" x=3``).
"""

from __future__ import annotations

import argparse
import re

import numpy as np

DATASETS = ("xor", "moons", "circles", "spirals", "blobs")
OPTIMIZERS = ("sgd", "adam")
LOSSES = ("hinge", "bce", "mse", "ce")
NEURON_EXAMPLE = "tanh(x1*w1 + x2*w2 + b)"
MAX_SAMPLES = 1_000_000  # a built-in dataset's X is 16 MB at most; a step over it is bounded in cli._train
MAX_DIGITS = 17  # 17 significant digits tell any two floats apart; more would print the binary's expansion


class UserError(Exception):
    """A problem with what the user asked for: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    _subcommand = False  # a subcommand's parser reads its values before, between and after its options

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # argparse reads only -1 and -.5 as negative numbers; -1.7e-300 would be taken for an option
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
        self._intermixing = False

    def error(self, message: str) -> None:  # one line, not usage + message
        raise UserError(f"{message} (see `{self.prog} --help`)")

    def parse_known_args(self, args=None, namespace=None):
        """A subcommand's values may follow its options: parsed as ``parse_known_intermixed_args`` does."""
        if self._intermixing or not self._subcommand:
            return super().parse_known_args(args, namespace)
        self._intermixing = True  # it calls parse_known_args itself, twice
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


class _Command(_Parser):
    _subcommand = True


def takes_leading_minus(parser: argparse.ArgumentParser) -> None:
    """Read an argument such as ``-x**2``, which is none of ``parser``'s options, as a value, not an option.

    argparse asks its negative-number pattern only about arguments that are no option of the parser (not
    ``-o``, ``-oFILE``, ``--digits=3``, nor an abbreviation), so matching every other single-dash argument
    makes those values. It is set after the options are added: argparse also matches it against each option
    string, and one that matched would turn the rule off.
    """
    parser._negative_number_matcher = re.compile(r"^-[^-]")


def _whole(low: int, high: int | None = None, why: str = ""):
    """An argparse type: a whole number from ``low`` (0 or 1) to ``high``, refused before anything is made of it."""
    if high is not None:
        need = f"expected a whole number from {low:,} to {high:,}{f' ({why})' if why else ''}"
    else:
        need = "expected a whole number 0 or more" if low == 0 else "expected a positive whole number"

    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # also a number of more than 4300 digits
            raise argparse.ArgumentTypeError(f"{need}, got {text!r:.40}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{need}, got {text!r:.40}")
        return value

    return whole


_positive_int = _whole(1)
_seed = _whole(0)


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not np.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chainrule",
        description="Backpropagation you can watch: train small networks and draw computation graphs.",
        epilog="Start with `chainrule demo`. Each command has its own --help.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Command)

    demo = sub.add_parser(
        "demo",
        help="train on the two moons and write plots, a graph and a stepper",
        description="Train MLP(2, [16, 16, 1]) on the built-in two-moons data and write "
        "decision_boundary.png, loss_curve.png, neuron.svg, backward.html, training.html and model.json.",
    )
    demo.add_argument("--out", default="chainrule-demo", help="output directory (default: ./chainrule-demo)")
    demo.add_argument("--seed", type=_seed, default=0, help="seed for data and weights (default: 0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar (default: a progress bar)")

    train = sub.add_parser(
        "train",
        help="train an MLP on a built-in dataset or a CSV file",
        description="Train an MLP on a built-in 2-D dataset or on your own CSV file and report loss and accuracy.",
        epilog="example: chainrule train --data iris.csv --label species --save iris.json",
    )
    train.add_argument("--dataset", choices=DATASETS, help="built-in dataset (default: moons, unless --data is given)")
    train.add_argument(
        "--data",
        metavar="FILE.csv",
        help="your own data: a header row, numeric feature columns and a label column (default: none)",
    )
    train.add_argument("--label", metavar="COLUMN", help="the label column of --data (default: the last column)")
    train.add_argument(
        "--no-standardise",
        dest="standardise",
        action="store_false",
        help="keep --data's features as they are (default: scale each to mean 0 and standard deviation 1; "
        "the scaling is saved with the model and predict applies it)",
    )
    train.add_argument(
        "--samples",
        type=_whole(1, MAX_SAMPLES, "the most a built-in dataset makes"),
        help=f"number of samples, at most {MAX_SAMPLES:,} (default: the dataset's own)",
    )
    train.add_argument("--noise", type=_finite_float, help="noise level (default: the dataset's own)")
    train.add_argument(
        "--hidden",
        type=_positive_int,
        nargs="*",
        default=[16, 16],
        metavar="N",
        help="hidden layer sizes (default: 16 16; none for a single layer)",
    )
    train.add_argument(
        "--activation",
        default="relu",
        help="hidden activation: linear, relu, leaky_relu, tanh, sigmoid, softplus, step, abs (default: relu)",
    )
    train.add_argument("--loss", choices=LOSSES, help="loss (default: hinge for two classes, ce for more)")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd", help="optimizer (default: sgd)")
    train.add_argument(
        "--lr", type=_finite_float, help="learning rate (default: 0.5 decaying to 0.05 for sgd, 0.01 for adam)"
    )
    train.add_argument("--epochs", type=_positive_int, default=100, help="passes over the data (default: 100)")
    train.add_argument("--batch-size", type=_positive_int, help="samples per step (default: all; 1 for stochastic)")
    train.add_argument("--l2", type=_finite_float, default=1e-4, help="L2 penalty alpha (default: 1e-4)")
    train.add_argument("--seed", type=_seed, default=0, help="seed for data, weights and shuffling (default: 0)")
    train.add_argument("--save", metavar="MODEL.json", help="save the trained model as JSON (default: not saved)")
    train.add_argument(
        "--plot", metavar="BOUNDARY.png", help="save a decision-boundary plot, for two features (default: none)"
    )
    train.add_argument("--quiet", action="store_true", help="no progress bar (default: a progress bar)")

    predict = sub.add_parser(
        "predict",
        help="run a saved model on inputs",
        description="Print a saved model's prediction for each input, one line each: the class and, for bce and ce "
        "models, its probability. A model trained on standardised --data scales the inputs the same way.",
        epilog="example: chainrule predict --model chainrule-demo/model.json 0.5 0.2 1.5 -0.3   (two inputs)",
    )
    predict.add_argument("--model", required=True, metavar="MODEL.json", help="a model saved by train or demo")
    predict.add_argument(
        "inputs", type=_finite_float, nargs="+", metavar="X", help="the input values, one input after another"
    )
    predict.add_argument(
        "--raw", action="store_true", help="print the model's raw outputs instead (default: class and probability)"
    )

    graph = sub.add_parser(
        "graph",
        help="differentiate an expression and draw its graph",
        description="Evaluate an expression, print its value and the gradient of every input, "
        "and optionally draw its graph and a stepper. Allowed: numbers, names, + - * / **, "
        "unary minus, and the functions exp log sqrt sin cos tanh sigmoid softplus relu "
        "leaky_relu step abs max min sum.",
        epilog=f'example: chainrule graph "{NEURON_EXAMPLE}" x1=2 x2=0 w1=-3 w2=1 b=6.8813735870195432 -o neuron.svg',
    )
    graph.add_argument("expression", help="the expression, quoted")
    graph.add_argument("values", nargs="*", metavar="NAME=VALUE", help="a value for every input name")
    graph.add_argument(
        "-o", "--output", metavar="GRAPH.svg", help="write the graph (.svg, .png or .dot; default: not drawn)"
    )
    graph.add_argument("--stepper", metavar="STEPS.html", help="write the step-by-step HTML page (default: none)")
    graph.add_argument(
        "--quiz",
        action="store_true",
        help="in the stepper, ask for each local derivative and new gradient before showing it (default: off)",
    )
    graph.add_argument(
        "--digits",
        type=_whole(1, MAX_DIGITS, f"{MAX_DIGITS} digits tell any two floats apart"),
        default=4,
        help=f"significant digits of printed numbers, at most {MAX_DIGITS} (default: 4)",
    )
    takes_leading_minus(graph)
    return parser
