"""The ``chainrule`` command: a demo, training from the shell, predictions and expression graphs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

from chainrule import plots
from chainrule.arguments import NEURON_EXAMPLE, UserError, build_parser

NEURON_VALUES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
# The numbers one training step holds as activations, rows times units of every layer: at about 27 bytes
# each over the forward and backward pass, some 270 MB. Checked before the model is built.
MAX_STEP_ACTIVATIONS = 10_000_000


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
    rows, units = min(args.batch_size or len(X), len(X)), X.shape[1] + sum(args.hidden) + outputs
    if rows * units > MAX_STEP_ACTIVATIONS:  # before any weight is drawn, not when the first step runs out of memory
        fits = MAX_STEP_ACTIVATIONS // units
        raise UserError(
            f"a training step over {rows:,} samples through layers of {units:,} units in all would hold "
            f"{rows * units:,} activations; the limit is {MAX_STEP_ACTIVATIONS:,}: "
            + (f"train with --batch-size {fits:,} or less, or " if fits else "")
            + "use fewer samples or smaller --hidden sizes"
        )
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


COMMANDS = {"demo": cmd_demo, "train": cmd_train, "predict": cmd_predict, "graph": cmd_graph}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        return COMMANDS[args.command](args)
    except UserError as error:
        print(f"chainrule: error: {error}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, ArithmeticError, OSError, RuntimeError) as error:  # ArithmeticError: a run diverged
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"chainrule: error: {message}", file=sys.stderr)
        return 2
    except MemoryError as error:  # the last resort: the sizes a command takes are bounded before it allocates
        said = str(error).splitlines()[0] if str(error) else "out of memory"
        print(
            f"chainrule: error: not enough memory ({said}); ask for less: fewer samples, smaller --hidden, "
            "a smaller --batch-size",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("chainrule: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
