"""The ``chainrule`` command: a demo, training from the shell, predictions and expression graphs."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import numpy as np

from chainrule import plots

DATASETS = ("xor", "moons", "circles", "spirals", "blobs")
OPTIMIZERS = ("sgd", "adam")
LOSSES = ("hinge", "bce", "mse", "ce")
NEURON_EXAMPLE = "tanh(x1*w1 + x2*w2 + b)"
NEURON_VALUES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


class UserError(Exception):
    """A problem with what the user asked for: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # argparse reads only -1 and -.5 as negative numbers; -1.7e-300 would be taken for an option
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

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


def _prepare_output(path: str | None, what: str, suffixes: tuple[str, ...] = ()) -> Path | None:
    """Check an output path before any work is done, so a long run never fails at its last step."""
    if path is None:
        return None
    path = Path(path)
    if suffixes and path.suffix.lower() not in suffixes:
        endings = ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]
        raise UserError(f"cannot write {what} as {str(path)!r}: the file name must end in {endings}")
    if path.is_dir():
        raise UserError(f"cannot write {what} to {str(path)!r}: it is a directory; give a file name")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UserError(f"cannot write {what} to {str(path)!r}: directory {str(directory)!r} does not exist")
    if not os.access(directory, os.W_OK):
        raise UserError(f"cannot write {what} to {str(path)!r}: directory {str(directory)!r} is not writable")
    return path


def _training_data(args) -> tuple[np.ndarray, np.ndarray, dict]:
    """X, y and what a saved model must remember about them (class names, input scaling)."""
    import nn

    if getattr(args, "data", None) is None:
        X, y = _dataset(args.dataset, args.samples, args.noise, args.seed)
        return X, y, {"classes": [str(c) for c in range(int(y.max()) + 1)], "source": args.dataset}
    try:
        table = nn.data.read_csv(args.data, args.label)
    except (ValueError, FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise UserError(str(error)) from None
    info = {"classes": table.classes, "features": table.features, "label": table.label, "source": args.data}
    X = table.X
    if args.standardise:
        try:
            X, mean, scale = nn.data.standardise(X, table.features)
        except ValueError as error:
            raise UserError(f"{args.data}: {error}, or train with --no-standardise") from None
        info["standardise"] = {"mean": mean.tolist(), "scale": scale.tolist()}
    return X, table.y, info


def _train(args, watch=None) -> tuple:
    import nn
    from nn.limits import check_size

    if args.lr is not None and args.lr <= 0:
        raise UserError(f"--lr must be a positive learning rate such as 0.1, got {args.lr:g}")
    X, y, info = _training_data(args)
    classes = len(info["classes"])
    what = args.data if getattr(args, "data", None) else args.dataset
    loss = args.loss or ("hinge" if classes == 2 else "ce")
    if loss != "ce" and classes > 2:
        raise UserError(f"--loss {loss} needs two classes but {what} has {classes}; use --loss ce")
    outputs = classes if loss == "ce" else 1
    try:  # before any weight is drawn
        check_size(
            {"type": "MLP", "nin": X.shape[1], "nouts": [*args.hidden, outputs]}, "an MLP with these --hidden sizes"
        )
    except ValueError as error:
        raise UserError(f"{error}; choose smaller --hidden sizes") from None
    model = nn.MLP(X.shape[1], [*args.hidden, outputs], activation=args.activation, seed=args.seed)
    model.training_info = {"loss": loss, **info}
    callback = None if watch is None else watch(model, X, y, loss)
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
        callback=callback,
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
    recorders = []

    def record(model, X, y, loss):
        recorders.append(nn.Recorder(model, X, y, loss=loss))
        return recorders[-1]

    model, X, y, loss, history = _train(train_args, watch=record)
    accuracy = nn.accuracy(model, X, y, loss)
    print(f"final loss {history['loss'][-1]:.4f}, accuracy {accuracy:.1%}")

    files = {
        "decision_boundary.png": "the learned decision boundary over the data",
        "loss_curve.png": "loss and accuracy per step",
        "neuron.svg": f"the graph of one tanh neuron, {NEURON_EXAMPLE}, with its gradients",
        "backward.html": "the same neuron's forward and backward pass, step by step (open in a browser)",
        "training.html": "the training epoch by epoch: boundary, loss and gradient sizes (open in a browser)",
        "model.json": "the trained model (load it with nn.Module.load or `chainrule predict`)",
    }
    plots.boundary(model, X, y, loss, out / "decision_boundary.png", f"moons: accuracy {accuracy:.0%}")
    plots.history(history, out / "loss_curve.png")
    tree = expression.parse(NEURON_EXAMPLE)
    inputs = {name: autograd.Value(v, label=name) for name, v in NEURON_VALUES.items()}
    neuron = expression.evaluate(tree, inputs)
    neuron.label = "o"
    neuron.backward()
    autograd.draw(neuron).save(out / "neuron.svg")
    autograd.Stepper(neuron).save(out / "backward.html")
    nn.write_training_page(recorders[0], out / "training.html", title="chainrule demo: an MLP learns the two moons")
    model.save(out / "model.json")
    print(f"wrote {len(files)} files to {out}{os.sep}:")
    for name, what in files.items():
        print(f"  {name:<22} {what}")
    return 0


def cmd_train(args) -> int:
    import nn

    save = _prepare_output(args.save, "the model")
    plot = _prepare_output(args.plot, "the plot", (".png", ".svg", ".pdf"))
    if args.data is not None and args.dataset is not None:
        raise UserError("give either --dataset or --data, not both")
    if args.data is None:
        if args.label is not None or not args.standardise:
            raise UserError("--label and --no-standardise apply to --data FILE.csv only")
        args.dataset = args.dataset or "moons"
    elif args.samples is not None or args.noise is not None:
        raise UserError("--samples and --noise apply to the built-in datasets, not to --data")
    model, X, y, loss, history = _train(args)
    if plot and X.shape[1] != 2:
        raise UserError(f"--plot draws two inputs; {args.data} has {X.shape[1]} features")
    accuracy = nn.accuracy(model, X, y, loss)
    if save:
        model.save(save)
    if plot:
        plots.boundary(model, X, y, loss, plot, f"{args.data or args.dataset}: accuracy {accuracy:.0%}")
    extras = "".join(f", saved {p}" for p in (save, plot) if p)
    print(f"epochs {len(history['loss'])}, loss {history['loss'][-1]:.4f}, accuracy {accuracy:.1%}{extras}")
    return 0


def cmd_predict(args) -> int:
    import nn
    from nn.layers import input_size

    if Path(args.model).is_dir():
        raise UserError(f"--model {args.model!r} is a directory; give the model's .json file (e.g. model.json)")
    try:
        model = nn.Module.load(args.model)
    except (ValueError, FileNotFoundError, PermissionError) as error:
        raise UserError(str(error)) from None
    nin = input_size(model)
    if len(args.inputs) % nin:
        raise UserError(
            f"the model takes {nin} input(s) per example, got {len(args.inputs)} number(s): "
            f"give {nin} numbers for each example"
        )
    X = np.array(args.inputs, dtype=float).reshape(-1, nin)
    info = getattr(model, "training_info", None) or {}
    if "standardise" in info:  # the model was trained on standardised features: scale the inputs the same way
        mean, scale = nn.data.check_scaling(info["standardise"], nin, args.model)
        X = nn.data.apply_scaling(X, mean, scale)
    outputs = nn.predict(model, X)
    for row in outputs:
        print(" ".join(f"{v:.6g}" for v in row) if args.raw or "loss" not in info else _readable(row, info))
    return 0


def _readable(row: np.ndarray, info: dict) -> str:
    """One prediction as a person reads it: the class, and its probability where the loss defines one."""
    loss, names = info["loss"], info.get("classes")
    if loss == "ce":
        shifted = np.exp(row - row.max())
        p = shifted / shifted.sum()
        k = int(p.argmax())
        return f"class {_class_name(names, k)} (p = {p[k]:.2f})"
    k = _class_index(row, loss)
    if loss == "bce":
        p1 = 1.0 / (1.0 + np.exp(-row[0]))
        return f"class {_class_name(names, k)} (p = {p1 if k == 1 else 1.0 - p1:.2f})"
    return f"class {_class_name(names, k)} ({'score' if loss == 'hinge' else 'output'} {row[0]:.3g})"


def _class_index(row: np.ndarray, loss: str) -> int:
    import nn

    return int(nn.classify(row[None, :], loss)[0])


def _class_name(names, k: int) -> str:
    return str(names[k]) if isinstance(names, list) and k < len(names) else str(k)


def cmd_graph(args) -> int:
    import autograd
    from chainrule import expression

    svg = _prepare_output(args.output, "the graph", (".svg", ".png", ".dot"))
    html = _prepare_output(args.stepper, "the stepper", (".html", ".htm"))
    if args.quiz and html is None:
        raise UserError("--quiz needs --stepper STEPS.html: the quiz is a page of the stepper")
    tree = expression.parse(args.expression)
    values = expression.parse_assignments(args.values)
    names = expression.names_in(tree)
    inputs = {name: autograd.Value(v, label=name) for name, v in values.items()}
    result = expression.evaluate(tree, inputs)
    if not result.label:  # an expression that is just an input keeps its name
        result.label = "f"
    if html and len(autograd.topological_order(result)) > STEPPER_LIMIT:
        raise UserError(
            f"the expression's graph has {len(autograd.topological_order(result))} nodes; the stepper shows at most "
            f"{STEPPER_LIMIT}: step through a shorter expression, or draw the whole graph with -o GRAPH.svg"
        )
    result.backward()
    unused = [n for n in values if n not in names]
    width = max([len(f"df/d{n}") for n in names] + [5])
    print(f"{'f':<{width}} = {_rounded(result.data, args.digits)}")
    for name in names:
        print(f"{'df/d' + name:<{width}} = {_rounded(inputs[name].grad, args.digits)}")
    for name in unused:
        print(f"chainrule graph: note: {name} is given but not used in the expression", file=sys.stderr)
    if svg:
        autograd.draw(result).save(svg)
        print(f"wrote {svg}")
    if html:
        # The heading writes the expression out from the graph; a very long one is shown as typed.
        title = None if len(args.expression) <= 80 else f"{result.label} = {args.expression}"
        autograd.Stepper(result, max_nodes=STEPPER_LIMIT, quiz=args.quiz, title=title).save(html)
        print(f"wrote {html}")
    return 0


STEPPER_LIMIT = 250


def _rounded(x: float, digits: int) -> str:
    """A number to ``digits`` significant digits, without a trailing '.0' or '-0'."""
    text = f"{x:.{digits}g}"
    return "0" if text == "-0" else text


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
        "decision_boundary.png, loss_curve.png, neuron.svg, backward.html, training.html and model.json.",
    )
    demo.add_argument("--out", default="chainrule-demo", help="output directory (default: ./chainrule-demo)")
    demo.add_argument("--seed", type=int, default=0, help="seed for data and weights (default: 0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar (default: a progress bar)")
    demo.set_defaults(run=cmd_demo)

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
    train.add_argument("--seed", type=int, default=0, help="seed for data, weights and shuffling (default: 0)")
    train.add_argument("--save", metavar="MODEL.json", help="save the trained model as JSON (default: not saved)")
    train.add_argument(
        "--plot", metavar="BOUNDARY.png", help="save a decision-boundary plot, for two features (default: none)"
    )
    train.add_argument("--quiet", action="store_true", help="no progress bar (default: a progress bar)")
    train.set_defaults(run=cmd_train)

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
        "--digits", type=_positive_int, default=4, help="significant digits of printed numbers (default: 4)"
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
    except (ValueError, TypeError, ArithmeticError, OSError, RuntimeError) as error:  # ArithmeticError: a run diverged
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"chainrule: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chainrule: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
