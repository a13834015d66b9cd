"""The training loop: nn.fit, the losses it knows by name, and the memory setting that keeps it fast."""

from __future__ import annotations

import ctypes
import gc
import math
import platform
from collections.abc import Callable

import numpy as np

import autograd
from autograd import Value, checks

from . import losses
from .data import LOSSES, batches, check_dataset
from .layers import input_size, one_example_graph
from .module import Module
from .optim import SGD, Optimizer
from .predict import as_list, check_model, classes_of, classify, outputs_of, raw_outputs
from .watch import LivePlot


def named_loss(name: str, outputs, y: np.ndarray, batched: bool) -> Value:
    """One of the losses by name, applied to a model's outputs (the first output for binary losses)."""
    if batched:
        first, targets = (outputs[:, 0] if outputs.shape[1] > 1 else outputs.reshape(-1)), y
    else:
        outputs = [as_list(o) for o in outputs]
        first, targets = [o[0] for o in outputs], y.tolist()
    if name == "hinge":
        return losses.hinge_loss(first, targets)
    if name == "bce":
        return losses.binary_cross_entropy_with_logits(first, targets)
    if name == "mse":
        return losses.mse_loss(first, targets)
    if name == "ce":
        return losses.cross_entropy(outputs, y if batched else [int(t) for t in y])
    raise ValueError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}, or pass a function")


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers, from glibc's malloc.h
_MMAP_LIMIT = 32 * 2**20  # the largest threshold glibc accepts on a 64-bit machine


def keep_freed_memory(megabytes: int = 256) -> bool:
    """Ask the C allocator to keep up to ``megabytes`` of freed memory for reuse (glibc only).

    Each training step frees the arrays of the last step's graph and allocates new ones of
    the same sizes. By default glibc returns large freed blocks to the operating system, and
    the next step's arrays are then mapped back in page by page, which can cost as much as
    the arithmetic itself. Kept, they are simply reused. ``fit`` calls this; call it once
    before a training loop of your own. It returns False, changing nothing, where the C
    library is not glibc (macOS, Windows, musl).
    """
    megabytes = checks.count(megabytes, "megabytes")
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    mallopt = ctypes.CDLL(None).mallopt
    kept = mallopt(_M_TRIM_THRESHOLD, megabytes * 2**20)
    # Blocks below this size come from the heap, which keeps them; larger ones are mapped each time.
    mapped = mallopt(_M_MMAP_THRESHOLD, min(megabytes * 2**20, _MMAP_LIMIT))
    return bool(kept and mapped)


def _check_class_indices(y: np.ndarray, classes: int) -> None:
    """Cross-entropy's targets are class indices 0..classes-1: whole numbers, never rounded silently."""
    whole = np.floor(y) == y
    if not np.all(whole):  # repr: a label a hair off a whole number is shown with the hair (2.0000002, not 2)
        raise ValueError(
            f"y: cross-entropy needs whole-number class indices, got {float(y[~whole][0])!r}; "
            "round or encode the labels as 0, 1, ... first"
        )
    outside = (y < 0) | (y >= classes)
    if np.any(outside):
        raise ValueError(
            f"y: class index {int(y[outside][0])} is outside 0..{classes - 1} (the model has {classes} outputs)"
        )


def _custom_loss(loss: Callable, outputs, targets: np.ndarray) -> Value:
    """A loss function's result, which must be a Value holding one number that depends on the outputs."""
    result = loss(outputs, targets)
    name = getattr(loss, "__name__", "the loss function")
    if not isinstance(result, Value):
        raise TypeError(
            f"loss: {name} returned {type(result).__name__} {result!r:.40}; it must return a Value built "
            "from the outputs (use Value operations, not .data or float())"
        )
    if result.data.__class__ is not float:
        raise ValueError(
            f"loss: {name} returned a Value of shape {result.shape}; it must return one number "
            "(reduce it with .mean() or .sum())"
        )
    if result.is_constant:
        raise ValueError(f"loss: {name} returned a constant; it must be computed from the model's outputs")
    return result


def fit(
    model: Module,
    X,
    y,
    loss: str | Callable = "hinge",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    l2: float = 0.0,
    progress: bool = False,
    callback: Callable[[int, dict], bool | None] | None = None,
    batched: bool = True,
    seed: int | None = None,
    plot: bool = False,
) -> dict[str, list]:
    """Train ``model`` on (X, y) and return the history: loss and accuracy per epoch.

    ``loss`` is ``"hinge"``, ``"bce"`` (with logits), ``"mse"``, ``"ce"`` or a function
    ``f(outputs, targets) -> Value``. ``optimizer`` defaults to ``SGD(model, lr=0.1)``.
    ``batch_size=None`` is full-batch gradient descent, 1 is stochastic. ``l2`` adds
    ``l2_penalty(model, l2)``. With ``batched=True`` each batch is one graph with a matrix
    node per layer (fast); ``batched=False`` builds one scalar graph per example with one node
    ``w·x + b`` per neuron, whatever the layers' ``graph`` (the same numbers, to 1e-12, as the
    products graph they draw, and several times faster: see ``nn.layers.one_example_graph``).
    ``callback(epoch, logs)`` runs after each epoch; returning True stops training.
    ``plot=True`` redraws loss, accuracy and (for two inputs) the decision boundary in a
    notebook as training runs (``nn.LivePlot``); outside a notebook it draws nothing.
    Accuracy is measured on each batch's outputs before its update (None for custom losses).
    A run whose loss or weights stop being finite (too large a learning rate) raises
    FloatingPointError naming the epoch and the learning rate.

    Two settings of the Python process change while it trains, both for speed: Python's
    cyclic garbage collector is paused (a graph holds no reference cycles, so reference
    counting frees it; the collector is switched back on afterwards), and freed memory is
    kept for reuse (``keep_freed_memory``).
    """
    check_model(model)
    X, y = check_dataset(X, y)
    epochs = checks.count(epochs, "epochs")
    if not callable(loss):
        checks.choice(loss, "loss", LOSSES)
    if callback is not None:
        checks.function(callback, "callback")
    l2 = checks.number(l2, "l2", minimum=0.0)
    seed = checks.seed(seed)
    if not isinstance(plot, (bool, np.bool_)):
        raise TypeError(f"plot must be True or False, got {type(plot).__name__} {plot!r:.60}")
    live = None
    if plot:
        live = LivePlot(model, X, y, loss, epochs=epochs)
    optimizer = SGD(model, lr=0.1) if optimizer is None else optimizer
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nn.SGD or nn.Adam, got {type(optimizer).__name__}")
    params = model.parameters()
    if loss == "ce":
        _check_class_indices(y, _output_size(model))
        y = y.astype(int)  # whole-number floats such as 0., 1., 2. are class indices too, in both modes

    history: dict[str, list] = {"loss": [], "accuracy": []}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc="training", unit="epoch")
    keep_freed_memory()
    stepped = False
    collecting = gc.isenabled()
    gc.disable()
    try:
        for epoch in range(epochs):
            total_loss, correct, seen = 0.0, 0, 0
            batch_seed = None if seed is None else seed + epoch
            # A step that writes inf or NaN into a weight is caught below; numpy need not warn about it first.
            with np.errstate(over="ignore", invalid="ignore"):
                for Xb, yb in batches(X, y, batch_size, shuffle=batch_size is not None, seed=batch_seed):
                    try:
                        outputs, total = _forward_backward(model, Xb, yb, loss, batched, params, l2, optimizer)
                    except OverflowError as error:
                        if not stepped:  # before any step the data itself is too large, as the error says
                            raise
                        raise _diverged(epoch, epochs, optimizer) from error
                    optimizer.step()
                    stepped = True
                    total_loss += total.data * len(yb)
                    seen += len(yb)
                    if not callable(loss):
                        raw = raw_outputs(outputs, batched, len(yb))
                        correct += int(np.sum(classify(raw, loss) == classes_of(yb, loss)))
            # Checked once an epoch, not once a step (3% of a small batched step): a weight made inf or NaN
            # by the epoch's last step is caught here, one made so earlier by the next pass's OverflowError.
            if not (math.isfinite(total_loss) and all(np.all(np.isfinite(p.data)) for p in optimizer.params)):
                raise _diverged(epoch, epochs, optimizer)
            logs = {"loss": total_loss / seen, "accuracy": None if callable(loss) else correct / seen}
            history["loss"].append(logs["loss"])
            history["accuracy"].append(logs["accuracy"])
            if bar is not None:
                bar.set_postfix(
                    loss=f"{logs['loss']:.4f}", acc=f"{logs['accuracy']:.3f}" if logs["accuracy"] is not None else "-"
                )
                bar.update(1)
            if live is not None:
                live(epoch, logs)
            if callback is not None and callback(epoch, logs) is True:
                break
    finally:
        if live is not None:
            live.finish()
        if collecting:
            gc.enable()
        if bar is not None:
            bar.close()
    return history


def _forward_backward(model: Module, Xb, yb, loss, batched: bool, params: list, l2: float, optimizer: Optimizer):
    """One batch's outputs and loss (plus the L2 penalty), with the parameters' gradients filled in."""
    if batched:
        outputs = outputs_of(model, Xb, batched)
    else:
        with one_example_graph("neuron"):  # the fast scalar graph, whatever the layers draw
            outputs = outputs_of(model, Xb, batched)
    data_loss = _custom_loss(loss, outputs, yb) if callable(loss) else named_loss(loss, outputs, yb, batched)
    total = data_loss + losses.l2_penalty(params, l2) if l2 else data_loss
    optimizer.zero_grad()
    total.backward(keep_interior=False)  # fit reads only the parameters' gradients
    return outputs, total


def _diverged(epoch: int, epochs: int, optimizer: Optimizer) -> FloatingPointError:
    """The error of a run whose steps grew the weights beyond a float (the usual cause: lr too large)."""
    lr = optimizer.lr(optimizer.steps - 1) if callable(optimizer.lr) else optimizer.lr  # the last step's
    return FloatingPointError(
        f"training diverged at epoch {epoch + 1} of {epochs}: the loss or the weights are no longer finite; "
        f"lower the learning rate (lr={lr:g})"
    )


def _output_size(model: Module) -> int:
    with autograd.no_grad():
        return raw_outputs(outputs_of(model, np.zeros((1, input_size(model))), True), True, 1).shape[1]
