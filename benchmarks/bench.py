"""Benchmarks for chainrule: one training workload, four implementations, one table.

Run from the repository root::

    python benchmarks/bench.py            # verify, time, print a Markdown table
    python benchmarks/bench.py --write    # ... and write benchmarks/RESULTS.md
    python benchmarks/bench.py --digits   # ... and train on scikit-learn's 8x8 digits

The workload is the classic moons demo: an MLP(2, [16, 16, 1]) (ReLU hidden layers,
linear output) trained by full-batch SGD on 100 moons samples with labels -1/+1,

    loss = mean(relu(1 - y * score)) + alpha/2 * sum(p^2 for every weight and bias)
    lr   = 1.0 - 0.9 * k / 100 at step k = 0, 1, ...   (alpha = 1e-4)

Four contenders run it from the same initial weights on the same data:

1. chainrule, scalar: one graph of float Values, built per sample (as in the lectures);
2. chainrule, batched: one graph of Values that each hold all 100 samples;
3. micrograd 0.1.0 from PyPI, driven the way its own moons demo drives it;
4. NumPy: the same network and loss as matrices, forward and backward written by hand.

Before anything is timed, every contender trains for 10 steps and their losses must
agree to a relative 1e-9 (initial loss and the loss after each of the 10 updates); if
they do not, the script says where they part and exits with status 1.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

import autograd
import nn
from autograd import Value

# -- the workload ----------------------------------------------------------------
N_SAMPLES = 100
DATA_SEED = 0
WEIGHT_SEED = 0
LAYER_SIZES = [16, 16, 1]  # after 2 inputs; ReLU hidden layers, linear output
ALPHA = 1e-4  # L2 penalty alpha/2 * sum(p^2)

# -- how it is measured ----------------------------------------------------------
VERIFY_UPDATES = 10  # SGD updates whose losses must agree
RTOL = 1e-9  # relative tolerance for that agreement
TIMED_STEPS = 7  # further steps, timed one by one; the median is reported
CHAIN_LENGTHS = (10**5, 10**6)
CHAIN_REPEATS = 3
DIGITS_TARGET_ACCURACY = 0.95
DIGITS_TARGET_SECONDS = 60.0

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"


def learning_rate(k: int) -> float:
    """The moons demo's schedule (the same formula as nn.linear_decay(1.0, 0.1, 100))."""
    return 1.0 - 0.9 * k / 100


# -- the shared problem ---------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """Data and initial weights, drawn once and copied into every contender."""

    X: np.ndarray  # (samples, 2) inputs
    y: np.ndarray  # (samples,) labels -1.0 / +1.0
    state: dict[str, float]  # the initial weights as a chainrule state_dict
    layers: list[tuple[np.ndarray, np.ndarray]]  # the same weights as (W of shape (nout, nin), b of shape (nout,))


def make_problem() -> Problem:
    X, labels = nn.data.make_moons(N_SAMPLES, noise=0.1, seed=DATA_SEED)
    y = np.where(labels == 1, 1.0, -1.0)
    model = nn.MLP(2, LAYER_SIZES, seed=WEIGHT_SEED)
    layers = [
        (
            np.array([[w.data for w in neuron.w] for neuron in layer.neurons]),
            np.array([neuron.b.data for neuron in layer.neurons]),
        )
        for layer in model.layers
    ]
    return Problem(X=X, y=y, state=model.state_dict(), layers=layers)


# -- the contenders ---------------------------------------------------------------------
# Each contender has a name and three methods:
#   forward() -> the root of the loss graph (None for NumPy, which builds no graph)
#   step()    -> (loss before the update, graph root): one full-batch SGD step
#   count_nodes(root) -> the number of nodes in that graph (None without a graph)
# step() hands back its graph so that the benchmark frees it after the clock stops.


class ChainruleScalar:
    """This engine as the lectures use it: a graph of float Values, built sample by sample."""

    name = "chainrule, scalar"

    def __init__(self, problem: Problem) -> None:
        self.model = nn.MLP(2, LAYER_SIZES)
        self.model.load_state_dict(problem.state)
        self.optimizer = nn.SGD(self.model, lr=nn.linear_decay(1.0, 0.1, 100))
        self.rows = problem.X.tolist()  # each row: a list of two floats
        self.labels = problem.y.tolist()

    def forward(self) -> Value:
        scores = [self.model(row)[0] for row in self.rows]
        return nn.hinge_loss(scores, self.labels) + nn.l2_penalty(self.model, ALPHA)

    def step(self) -> tuple[float, Value]:
        loss = self.forward()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.data, loss

    def count_nodes(self, root: Value) -> int:
        return len(autograd.topological_order(root))


class ChainruleBatched(ChainruleScalar):
    """This engine with batched Values: one graph whose nodes each carry all samples."""

    name = "chainrule, batched"

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.X = problem.X
        self.y = problem.y

    def forward(self) -> Value:
        inputs = [Value(self.X[:, 0]), Value(self.X[:, 1])]
        score = self.model(inputs)[0]
        return nn.hinge_loss(score, self.y) + nn.l2_penalty(self.model, ALPHA)


class Micrograd:
    """micrograd 0.1.0 from PyPI, used as its moons demo uses it (plain Python sum over Values)."""

    name = "micrograd 0.1.0"

    def __init__(self, problem: Problem) -> None:
        from micrograd.nn import MLP

        self.model = MLP(2, list(LAYER_SIZES))  # hidden neurons ReLU, last layer linear
        for layer, (W, b) in zip(self.model.layers, problem.layers):
            for neuron, weights, bias in zip(layer.neurons, W.tolist(), b.tolist()):
                for w, value in zip(neuron.w, weights):
                    w.data = value
                neuron.b.data = bias
        self.rows = problem.X.tolist()
        self.labels = problem.y.tolist()
        self.k = 0

    def forward(self):
        from micrograd.engine import Value as MicrogradValue

        inputs = [[MicrogradValue(x) for x in row] for row in self.rows]
        scores = [self.model(x) for x in inputs]
        losses = [(1 + -yi * si).relu() for yi, si in zip(self.labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = (ALPHA / 2) * sum(p * p for p in self.model.parameters())
        return data_loss + reg_loss

    def step(self):
        loss = self.forward()
        self.model.zero_grad()
        loss.backward()
        lr = learning_rate(self.k)
        for p in self.model.parameters():
            p.data -= lr * p.grad
        self.k += 1
        return loss.data, loss

    def count_nodes(self, root) -> int:
        """Every Value reachable through _prev (an iterative walk: no recursion limit)."""
        seen = {root}
        stack = [root]
        while stack:
            for parent in stack.pop()._prev:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return len(seen)


class NumpyMLP:
    """The same network and loss as matrix products, with the backward pass written out."""

    name = "NumPy, by hand"

    def __init__(self, problem: Problem) -> None:
        self.layers = [(W.copy(), b.copy()) for W, b in problem.layers]
        self.X = problem.X
        self.y = problem.y
        self.k = 0

    def forward(self) -> None:
        return None  # no graph to measure

    def step(self) -> tuple[float, None]:
        # Forward: hidden layers relu(h W^T + b), output layer linear.
        activations = [self.X]
        for i, (W, b) in enumerate(self.layers):
            z = activations[-1] @ W.T + b
            activations.append(np.maximum(z, 0.0) if i < len(self.layers) - 1 else z)
        score = activations[-1][:, 0]
        margin = 1.0 - self.y * score
        n = len(self.y)
        squares = sum(float(np.sum(W * W) + np.sum(b * b)) for W, b in self.layers)
        loss = float(np.mean(np.maximum(margin, 0.0))) + ALPHA / 2 * squares

        # Backward: d loss / d score, then through each layer from the last.
        grad_out = (np.where(margin > 0.0, -self.y, 0.0) / n)[:, None]
        grads = []
        for i in reversed(range(len(self.layers))):
            W, b = self.layers[i]
            h = activations[i]
            grads.append((grad_out.T @ h + ALPHA * W, grad_out.sum(axis=0) + ALPHA * b))
            if i > 0:
                grad_out = (grad_out @ W) * (h > 0.0)  # h = relu(z) > 0 exactly where z > 0
        grads.reverse()

        lr = learning_rate(self.k)
        for (W, b), (dW, db) in zip(self.layers, grads):
            W -= lr * dW
            b -= lr * db
        self.k += 1
        return loss, None

    def count_nodes(self, root) -> None:
        return None


CONTENDERS: list[Callable[[Problem], object]] = [ChainruleScalar, ChainruleBatched, Micrograd, NumpyMLP]
REFERENCE = "micrograd 0.1.0"  # speeds are reported relative to this contender


# -- verification --------------------------------------------------------------------------
def verify(contenders: list) -> tuple[np.ndarray, float]:
    """Train every contender VERIFY_UPDATES steps; return their losses and the worst relative spread.

    losses[c, k] is contender c's loss after k updates (k = 0 is the initial loss), so
    VERIFY_UPDATES + 1 forward passes check every one of the VERIFY_UPDATES updates.
    """
    losses = np.array([[contender.step()[0] for _ in range(VERIFY_UPDATES + 1)] for contender in contenders])
    spread = (losses.max(axis=0) - losses.min(axis=0)) / np.abs(losses).max(axis=0)
    return losses, float(spread.max())


def disagreement_report(contenders: list, losses: np.ndarray) -> str:
    names = [c.name for c in contenders]
    lines = [
        f"ERROR: the contenders' losses differ by more than a relative {RTOL:g}.",
        "They run the same network, loss, data, initial weights and learning rates, so at",
        "least one of them computes a wrong loss, gradient or update.",
        "",
        "| after update | " + " | ".join(names) + " | relative spread |",
        "|---:|" + "---:|" * (len(names) + 1),
    ]
    for k in range(losses.shape[1]):
        column = losses[:, k]
        spread = (column.max() - column.min()) / np.abs(column).max()
        flag = "  <-- exceeds tolerance" if spread > RTOL else ""
        lines.append(f"| {k} | " + " | ".join(f"{v:.15g}" for v in column) + f" | {spread:.1e} |{flag}")
    return "\n".join(lines)


# -- measurements --------------------------------------------------------------------------
def median_step_seconds(contender) -> float:
    """Median wall time of consecutive steps in a plain training loop, garbage collector on.

    This is what a user's loop costs: each step's graph is released when the next step
    replaces it, inside the timed region. micrograd's graph holds reference cycles (each
    node's backward closure refers to the node), so Python's cycle collector has to run
    to free it; this engine's nodes only point at their parents and are freed by
    reference counting.
    """
    gc.collect()
    times = []
    result = None
    for _ in range(TIMED_STEPS):
        start = time.perf_counter()
        result = contender.step()
        times.append(time.perf_counter() - start)
    del result
    return statistics.median(times)


def graph_memory(contender) -> tuple[int | None, float | None]:
    """(nodes, bytes per node) of one forward graph, its memory traced with tracemalloc."""
    gc.collect()
    tracemalloc.start()
    try:
        root = contender.forward()
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    nodes = contender.count_nodes(root)
    if nodes is None:
        return None, None
    return nodes, held / nodes


@dataclass
class Row:
    name: str
    seconds_per_step: float
    nodes: int | None
    bytes_per_node: float | None
    speedup: float = 1.0

    @property
    def nodes_per_second(self) -> float | None:
        return None if self.nodes is None else self.nodes / self.seconds_per_step


def measure(contender) -> Row:
    seconds = median_step_seconds(contender)
    nodes, bytes_per_node = graph_memory(contender)
    return Row(contender.name, seconds, nodes, bytes_per_node)


@dataclass
class ChainResult:
    length: int
    seconds: float


def chain_benchmark(lengths=CHAIN_LENGTHS, repeats: int = CHAIN_REPEATS) -> list[ChainResult]:
    """Forward and backward through y = y * c repeated n times (n + 2 nodes: x, c and n products)."""

    def forward_backward(n: int):
        x, c = Value(1.0), Value(1.0)
        y = x
        for _ in range(n):
            y = y * c
        y.backward()
        return x, c, y

    results = []
    for n in lengths:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            x, c, y = forward_backward(n)
            seconds = time.perf_counter() - start
            if x.grad != 1.0 or c.grad != float(n):
                raise SystemExit(
                    f"ERROR: chain of {n}: expected dy/dx = 1 and dy/dc = {n}, got {x.grad!r} and {c.grad!r}"
                )
            del x, c, y
            times.append(seconds)
        results.append(ChainResult(n, statistics.median(times)))
    return results


@dataclass
class DigitsResult:
    train_samples: int
    test_samples: int
    epochs: int
    accuracy: float
    seconds: float

    @property
    def meets_target(self) -> bool:
        return self.accuracy >= DIGITS_TARGET_ACCURACY and self.seconds < DIGITS_TARGET_SECONDS


def digits_benchmark(epochs: int = 20, seed: int = 0) -> DigitsResult:
    """MLP(64, [32, 10]) with cross-entropy and Adam on scikit-learn's bundled 8x8 digits."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0.0] = 1.0  # pixels that are always blank stay 0
    X_train, X_test = (X_train - mean) / std, (X_test - mean) / std

    start = time.perf_counter()
    model = nn.MLP(64, [32, 10], seed=seed)
    nn.fit(
        model, X_train, y_train, loss="ce", optimizer=nn.Adam(model, lr=0.01), epochs=epochs, batch_size=64, seed=seed
    )
    accuracy = nn.accuracy(model, X_test, y_test, loss="ce")
    seconds = time.perf_counter() - start
    return DigitsResult(len(y_train), len(y_test), epochs, accuracy, seconds)


# -- reporting ---------------------------------------------------------------------------------
def _int(n: float | None) -> str:
    return "—" if n is None else f"{n:,.0f}"


def _ms(seconds: float) -> str:
    ms = seconds * 1e3
    return f"{ms:.1f}" if ms >= 10 else f"{ms:.2f}" if ms >= 0.1 else f"{ms:.3f}"


def _ratio(x: float) -> str:
    return f"{x:.1f}x" if x < 100 else f"{x:,.0f}x"


def training_table(rows: list[Row]) -> str:
    lines = [
        "| contender | ms / step | graph nodes / step | nodes / s | bytes / node | speed vs micrograd |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {_ms(row.seconds_per_step)} | {_int(row.nodes)} | {_int(row.nodes_per_second)} "
            f"| {_int(row.bytes_per_node)} | {_ratio(row.speedup)} |"
        )
    return "\n".join(lines)


def chain_table(results: list[ChainResult]) -> str:
    base = results[0]
    lines = [
        "| chain y = y * c, n products | forward + backward (s) | ns / node | time vs shortest |",
        "|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.length:,} | {r.seconds:.3f} | {r.seconds / (r.length + 2) * 1e9:,.0f} "
            f"| {r.seconds / base.seconds:.1f}x (length {r.length / base.length:.0f}x) |"
        )
    return "\n".join(lines)


def digits_text(result: DigitsResult) -> str:
    verdict = "meets" if result.meets_target else "MISSES"
    return (
        f"Digits (scikit-learn's bundled 8x8 digits, {result.train_samples} train / {result.test_samples} test, "
        f"standardised): MLP(64, [32, 10]), cross-entropy, Adam lr 0.01, batches of 64, {result.epochs} epochs, "
        f"batched nn.fit: test accuracy {result.accuracy:.1%} in {result.seconds:.1f} s wall time "
        f"({verdict} the target of >= {DIGITS_TARGET_ACCURACY:.0%} in under {DIGITS_TARGET_SECONDS:.0f} s)."
    )


def agreement_text(spread: float) -> str:
    return (
        f"Losses agree: the four contenders' losses, initially and after each of {VERIFY_UPDATES} SGD updates, "
        f"differ by at most a relative {spread:.1e} (tolerance {RTOL:g})."
    )


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_description() -> str:
    return "\n".join(
        [
            f"- CPU: {cpu_model()}, {os.cpu_count()} cores (the benchmark uses one)",
            f"- Python {platform.python_version()} ({platform.python_implementation()}), "
            f"NumPy {np.__version__}, micrograd {metadata.version('micrograd')}",
            f"- OS: {platform.system()} {platform.release()}",
            f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        ]
    )


HOW_TO_READ = f"""\
Every row trains the same MLP(2, [16, 16, 1]) on the same {N_SAMPLES} moons samples from the
same initial weights (hinge loss + L2, full-batch SGD). The script first checks that all four
contenders produce the same losses, so the rows differ only in how the numbers are computed.

- *ms / step*: the median of {TIMED_STEPS} steps (forward, backward and update) run after the
  {VERIFY_UPDATES} verification updates, timed one after another in a plain training loop with
  Python's garbage collector on, as a user runs it. Freeing the previous step's graph is part
  of a step: micrograd's nodes form reference cycles (each backward closure refers to its own
  node), so its graphs wait for the cycle collector, which also has to scan them; chainrule's
  nodes only point at their parents and are freed by reference counting.
- *graph nodes / step*: every node of one step's loss graph, leaves included (inputs,
  parameters, constants). micrograd makes more nodes for the same network: it builds a
  weighted sum as a chain of additions, where chainrule uses one n-ary sum node.
- *nodes / s*: graph nodes per step divided by the time per step, the rate at which an engine
  builds and differentiates nodes.
- *bytes / node*: the memory that tracemalloc sees held after one forward pass, divided by the
  node count. The parameters already exist before the pass, so they count as nodes but add
  no memory. A batched node holds all {N_SAMPLES} samples in NumPy arrays, so it costs more
  bytes, but the graph has one node per operation, not one per operation and sample.
- *speed vs micrograd*: micrograd's time per step divided by the row's. The hand-written
  NumPy row builds no graph. It is the floor, and a graph-building engine pays its overhead
  on top of it.

The chain table times one forward and backward pass through a chain of n multiplications.
About 10x the time for 10x the nodes means the engine is linear in graph size, and the
backward pass has no recursion limit on depth. Timings depend on the machine and its load,
so compare rows from the same run.
"""


def results_markdown(rows: list[Row], spread: float, chain: list[ChainResult], digits: DigitsResult | None) -> str:
    parts = [
        "# chainrule benchmark results",
        "",
        "Written by `python benchmarks/bench.py --write" + (" --digits" if digits else "") + "`.",
        "",
        "## Machine",
        "",
        machine_description(),
        "",
        "## Training step: moons, MLP(2, [16, 16, 1])",
        "",
        training_table(rows),
        "",
        agreement_text(spread),
        "",
        "## Long chains (chainrule)",
        "",
        chain_table(chain),
        "",
    ]
    if digits is not None:
        parts += ["## Digits", "", digits_text(digits), ""]
    parts += ["## How to read these tables", "", HOW_TO_READ]
    return "\n".join(parts)


# -- main ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"also write {RESULTS_PATH.name} beside this script")
    parser.add_argument("--digits", action="store_true", help="also train on scikit-learn's 8x8 digits")
    args = parser.parse_args(argv)

    problem = make_problem()
    contenders = [make(problem) for make in CONTENDERS]

    losses, spread = verify(contenders)
    if not spread <= RTOL:
        print(disagreement_report(contenders, losses), file=sys.stderr)
        return 1

    rows = [measure(contender) for contender in contenders]
    reference = next(row for row in rows if row.name == REFERENCE)
    for row in rows:
        row.speedup = reference.seconds_per_step / row.seconds_per_step
    chain = chain_benchmark()
    digits = digits_benchmark() if args.digits else None

    print(training_table(rows))
    print()
    print(agreement_text(spread))
    print()
    print(chain_table(chain))
    if digits is not None:
        print()
        print(digits_text(digits))

    if args.write:
        RESULTS_PATH.write_text(results_markdown(rows, spread, chain, digits))
        print(f"\nwrote {RESULTS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
