"""The ``chainrule`` command: a demo, training from the shell, predictions and expression graphs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

DATASETS = ("xor", "moons", "circles", "spirals", "blobs")
OPTIMIZERS = ("sgd", "adam")
LOSSES = ("hinge", "bce", "mse", "ce")
NEURON_EXAMPLE = "tanh(x1*w1 + x2*w2 + b)"
NEURON_VALUES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


class UserError(Exception):
    """A problem with what the user asked for: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        raise UserError(f"{message} (see `{self.prog} --help`)")


# -- helpers ---------------------------------------------------------------------------
def _dataset(name: str, samples: int | None, noise: float | None, seed: int):
    import nn

    make = getattr(nn.data, f"make_{name}")
    kwargs = {"seed": seed}
    if samples is not None:
        kwargs["n_samples"] = samples
    if noise is not None:
        kwargs["std" if name == "blobs" else "noise"] = noise
    return make(**kwargs)


def _prepare_output(path: str | None, what: str) -> Path | None:
    if path is None:
        return None
    path = Path(path)
    if not path.parent.exists():
        raise UserError(f"cannot write {what} to {str(path)!r}: directory {str(path.parent)!r} does not exist")
    return path


def _plot_boundary(model, X, y, loss: str, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import nn

    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, 200)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, 200)
    gx, gy = np.meshgrid(xs, ys)
    classes = nn.classify(nn.predict(model, np.column_stack([gx.ravel(), gy.ravel()])), loss).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5, 4.5), dpi=100)
    ax.contourf(gx, gy, classes, levels=np.arange(classes.max() + 2) - 0.5, cmap="coolwarm", alpha=0.35)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolors="black", s=25)
    ax.set_title(title)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _plot_history(history: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100)
    ax.plot(history["loss"], label="loss")
    if history["accuracy"][0] is not None:
        ax.plot(history["accuracy"], label="accuracy")
    ax.set_xlabel("epoch")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _train(args) -> tuple:
    import nn

    X, y = _dataset(args.dataset, args.samples, args.noise, args.seed)
    classes = int(y.max()) + 1
    loss = args.loss or ("hinge" if classes == 2 else "ce")
    if loss != "ce" and classes > 2:
        raise UserError(f"--loss {loss} needs two classes but {args.dataset} has {classes}; use --loss ce")
    outputs = classes if loss == "ce" else 1
    model = nn.MLP(2, [*args.hidden, outputs], activation=args.activation, seed=args.seed)
    lr = args.lr if args.lr is not None else (0.01 if args.optimizer == "adam" else 0.5)
    if args.optimizer == "adam":
        optimizer = nn.Adam(model, lr=lr)
    else:
        optimizer = nn.SGD(model, lr=nn.linear_decay(lr, lr / 10, args.epochs))
    history = nn.fit(
        model,
        X,
        y,
        loss=loss,
        optimizer=optimizer,
        epochs=args.epochs,
        batch_size=args.batch_size,
        l2=args.l2,
        progress=not args.quiet,
        seed=args.seed,
    )
    return model, X, y, loss, history


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not np.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


# -- subcommands ---------------------------------------------------------------------------
def cmd_demo(args) -> int:
    import autograd
    import nn
    from chainrule import expression

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create output directory {str(out)!r}: {error.strerror}") from None
    print("chainrule demo: an MLP(2, [16, 16, 1]) learns the two moons (100 samples, noise 0.1)")
    print("hinge loss + L2 (alpha 1e-4), full-batch SGD with lr 1.0 -> 0.1 over 100 steps")
    train_args = argparse.Namespace(
        dataset="moons",
        samples=100,
        noise=0.1,
        seed=args.seed,
        loss="hinge",
        hidden=[16, 16],
        activation="relu",
        optimizer="sgd",
        lr=1.0,
        epochs=100,
        batch_size=None,
        l2=1e-4,
        quiet=args.quiet,
    )
    model, X, y, loss, history = _train(train_args)
    accuracy = nn.accuracy(model, X, y, loss)
    print(f"final loss {history['loss'][-1]:.4f}, accuracy {accuracy:.1%}")

    files = {
        "decision_boundary.png": "the learned decision boundary over the data",
        "loss_curve.png": "loss and accuracy per step",
        "neuron.svg": f"the graph of one tanh neuron, {NEURON_EXAMPLE}, with its gradients",
        "backward.html": "the same neuron's forward and backward pass, step by step (open in a browser)",
        "model.json": "the trained model (load it with nn.Module.load or `chainrule predict`)",
    }
    _plot_boundary(model, X, y, loss, out / "decision_boundary.png", f"moons: accuracy {accuracy:.0%}")
    _plot_history(history, out / "loss_curve.png")
    tree = expression.parse(NEURON_EXAMPLE)
    inputs = {name: autograd.Value(v, label=name) for name, v in NEURON_VALUES.items()}
    neuron = expression.evaluate(tree, inputs)
    neuron.label = "o"
    neuron.backward()
    autograd.draw(neuron).save(out / "neuron.svg")
    autograd.Stepper(neuron).save(out / "backward.html")
    model.save(out / "model.json")
    print(f"wrote {len(files)} files to {out}{os.sep}:")
    for name, what in files.items():
        print(f"  {name:<22} {what}")
    return 0


def cmd_train(args) -> int:
    import nn

    save = _prepare_output(args.save, "the model")
    plot = _prepare_output(args.plot, "the plot")
    model, X, y, loss, history = _train(args)
    accuracy = nn.accuracy(model, X, y, loss)
    if save:
        model.save(save)
    if plot:
        _plot_boundary(model, X, y, loss, plot, f"{args.dataset}: accuracy {accuracy:.0%}")
    extras = "".join(f", saved {p}" for p in (save, plot) if p)
    print(f"epochs {len(history['loss'])}, loss {history['loss'][-1]:.4f}, accuracy {accuracy:.1%}{extras}")
    return 0


def cmd_predict(args) -> int:
    import nn

    try:
        model = nn.Module.load(args.model)
    except (ValueError, FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise UserError(str(error)) from None
    x = [float(v) for v in args.inputs]
    nin = model.parameters() and _input_size(model)
    if len(x) != nin:
        raise UserError(f"the model takes {nin} input(s), got {len(x)}")
    outputs = nn.predict(model, np.array([x]))[0]
    print(" ".join(f"{v:.6g}" for v in outputs))
    return 0


def _input_size(model) -> int:
    config = model.config()
    while config["type"] == "Sequential":
        config = config["layers"][0]
    return config["nin"]


def cmd_graph(args) -> int:
    import autograd
    from chainrule import expression

    svg = _prepare_output(args.output, "the graph")
    html = _prepare_output(args.stepper, "the stepper")
    if args.quiz and html is None:
        raise UserError("--quiz needs --stepper STEPS.html: the quiz is a page of the stepper")
    tree = expression.parse(args.expression)
    values = expression.parse_assignments(args.values)
    names = expression.names_in(tree)
    inputs = {name: autograd.Value(v, label=name) for name, v in values.items()}
    result = expression.evaluate(tree, inputs)
    if not result.label:  # an expression that is just an input keeps its name
        result.label = "f"
    result.backward()
    unused = [n for n in values if n not in names]
    width = max([len(f"df/d{n}") for n in names] + [5])
    print(f"{'f':<{width}} = {result.data!r}")
    for name in names:
        print(f"{'df/d' + name:<{width}} = {inputs[name].grad!r}")
    for name in unused:
        print(f"chainrule graph: note: {name} is given but not used in the expression", file=sys.stderr)
    if svg:
        autograd.draw(result).save(svg)
        print(f"wrote {svg}")
    if html:
        # The heading writes the expression out from the graph; a very long one is shown as typed.
        title = None if len(args.expression) <= 80 else f"{result.label} = {args.expression}"
        autograd.Stepper(result, max_nodes=250, quiz=args.quiz, title=title).save(html)
        print(f"wrote {html}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chainrule",
        description="Backpropagation you can watch: train small networks and draw computation graphs.",
        epilog="Start with `chainrule demo`. Each command has its own --help.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser(
        "demo",
        help="train on the two moons and write plots, a graph and a stepper",
        description="Train MLP(2, [16, 16, 1]) on the built-in two-moons data and write "
        "decision_boundary.png, loss_curve.png, neuron.svg, backward.html and model.json.",
    )
    demo.add_argument("--out", default="chainrule-demo", help="output directory (default: ./chainrule-demo)")
    demo.add_argument("--seed", type=int, default=0, help="seed for data and weights (default: 0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(run=cmd_demo)

    train = sub.add_parser(
        "train",
        help="train an MLP on a built-in dataset",
        description="Train an MLP on a built-in 2-D dataset and report loss and accuracy.",
    )
    train.add_argument("--dataset", choices=DATASETS, default="moons", help="built-in dataset (default: moons)")
    train.add_argument("--samples", type=_positive_int, help="number of samples (default: the dataset's own)")
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
        help="hidden activation: linear, relu, leaky_relu, tanh, sigmoid, softplus, step, abs",
    )
    train.add_argument("--loss", choices=LOSSES, help="loss (default: hinge for two classes, ce for more)")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd", help="optimizer (default: sgd)")
    train.add_argument(
        "--lr", type=_finite_float, help="learning rate (default: 0.5 decaying to 0.05 for sgd, 0.01 for adam)"
    )
    train.add_argument("--epochs", type=_positive_int, default=100, help="passes over the data (default: 100)")
    train.add_argument("--batch-size", type=_positive_int, help="samples per step (default: all; 1 for stochastic)")
    train.add_argument("--l2", type=_finite_float, default=1e-4, help="L2 penalty alpha (default: 1e-4)")
    train.add_argument("--seed", type=int, default=0, help="seed for data, weights and shuffling (default: 0)")
    train.add_argument("--save", metavar="MODEL.json", help="save the trained model as JSON")
    train.add_argument("--plot", metavar="BOUNDARY.png", help="save a decision-boundary plot")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(run=cmd_train)

    predict = sub.add_parser(
        "predict", help="run a saved model on one input", description="Print a saved model's outputs for one input."
    )
    predict.add_argument("--model", required=True, metavar="MODEL.json", help="a model saved by train or demo")
    predict.add_argument("inputs", type=_finite_float, nargs="+", metavar="X", help="the input values")
    predict.set_defaults(run=cmd_predict)

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
    graph.add_argument("-o", "--output", metavar="GRAPH.svg", help="write the graph (.svg, .png or .dot)")
    graph.add_argument("--stepper", metavar="STEPS.html", help="write the step-by-step HTML page")
    graph.add_argument(
        "--quiz",
        action="store_true",
        help="in the stepper, ask for each local derivative and new gradient before showing it",
    )
    graph.set_defaults(run=cmd_graph)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        return args.run(args)
    except UserError as error:
        print(f"chainrule: error: {error}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, OSError, RuntimeError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"chainrule: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chainrule: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
