"""Benchmarks for chainrule: the same training step by several engines, measured side by side.

Run from the repository root, with the project installed (``pip install -e ".[dev]"``)::

    python benchmarks/bench.py                  # every section; prints Markdown tables
    python benchmarks/bench.py --write          # ... and writes benchmarks/RESULTS.md
    python benchmarks/bench.py --section matrix # one section: scalar, graphs, chain, matrix, digits, pages

How it measures (see README.md beside this file for the reasons):

- every contender runs in a process of its own and reports the *process CPU time* of each
  training step; the contenders take turns, one step each, round after round, so a change
  in the machine's load falls on all of them alike; the median is reported;
- before anything is timed, every contender trains a few steps from the same data and
  weights, and their losses must agree to a relative 1e-9;
- NumPy, OpenBLAS and PyTorch run on one thread (process CPU time would otherwise add up
  the threads);
- HIPS autograd's package is also called ``autograd``: it runs in a virtual environment of
  its own, made on first use in ``benchmarks/.venv-hips`` (``pip install autograd`` there).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import venv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS_PATH = HERE / "RESULTS.md"
HIPS_VENV = HERE / ".venv-hips"
RTOL = 1e-9  # the contenders' losses must agree to this relative tolerance
VERIFY_UPDATES = 3
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

sys.path.insert(0, str(ROOT))


# -- problems ------------------------------------------------------------------------------------
def write_problem(
    folder: Path, name: str, X, y, sizes: list[int], loss: str, alpha: float, lr0: float, lr_decay: float, seed=0
) -> Path:
    """Data and initial weights (nn.MLP's He initialisation with ``seed``) for every contender."""
    import nn

    model = nn.MLP(X.shape[1], sizes, seed=seed)
    arrays = {f"W{i}": layer.W.data for i, layer in enumerate(model.layers)}
    arrays |= {f"b{i}": layer.b.data for i, layer in enumerate(model.layers)}
    path = folder / f"{name}.npz"
    np.savez(path, X=X, y=y, layers=len(sizes), loss=loss, alpha=alpha, lr0=lr0, lr_decay=lr_decay, **arrays)
    return path


def moons(n: int):
    import nn

    X, labels = nn.data.make_moons(n, noise=0.1, seed=0)
    return X, np.where(labels == 1, 1.0, -1.0)


def digits(n: int):
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    std = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return X[:n], y[:n]


# -- workers ---------------------------------------------------------------------------------------
class Worker:
    """One contender in its own process (see contenders.py), answering one command at a time."""

    def __init__(
        self, contender: str, problem: Path, label: str | None = None, gc: str = "on", env: dict | None = None
    ) -> None:
        self.label = label or contender
        python = hips_python() if contender == "hips-autograd" else sys.executable
        env = dict(os.environ, **ONE_THREAD, **(env or {}))
        if contender == "hips-autograd":
            env.pop("PYTHONPATH", None)
        self.process = subprocess.Popen(
            [python, str(HERE / "contenders.py"), contender, str(problem)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tempfile.gettempdir() if contender == "hips-autograd" else str(ROOT),
        )
        self.ask(f"gc {gc}")

    def ask(self, command: str):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"ERROR: contender {self.label} stopped answering (command {command!r})")
        return json.loads(line)

    def close(self) -> None:
        with contextlib.suppress(SystemExit, BrokenPipeError, json.JSONDecodeError):
            self.ask("quit")
        self.process.wait(timeout=30)


def hips_python() -> str:
    """The Python of the virtual environment that holds HIPS autograd (made on first use)."""
    python = HIPS_VENV / "bin" / "python"
    if not python.exists():
        print(f"making {HIPS_VENV} for HIPS autograd (pip install autograd numpy) ...", file=sys.stderr)
        venv.create(HIPS_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "autograd", "numpy"], check=True)
    return str(python)


def verified(workers: list[Worker]) -> float:
    """Every contender's losses over VERIFY_UPDATES updates (for graphs: the output and gradients); stop
    unless they agree. Returns the largest relative difference."""
    losses = np.array([w.ask(f"verify {VERIFY_UPDATES}") for w in workers])
    # relative to each number's size, or to a thousandth of the largest (a gradient that is 0 for all)
    scale = np.maximum(np.abs(losses).max(axis=0), 1e-3 * np.abs(losses).max())
    spread = float(((losses.max(axis=0) - losses.min(axis=0)) / scale).max())
    if not spread <= RTOL:
        table = "\n".join(f"  {w.label:>22}: " + " ".join(f"{v:.15g}" for v in row) for w, row in zip(workers, losses))
        raise SystemExit(
            f"ERROR: the contenders' losses differ by a relative {spread:.1e} (tolerance {RTOL:g}):\n{table}"
        )
    return spread


def interleaved(workers: list[Worker], rounds: int, collector: dict | None = None) -> dict[str, float]:
    """Median process CPU seconds of a step per contender, the contenders taking turns.

    ``collector``, if given, receives the median time the garbage collector took within a step.
    """
    times: dict[str, list[float]] = {w.label: [] for w in workers}
    collected: dict[str, list[float]] = {w.label: [] for w in workers}
    for _ in range(rounds):
        for w in workers:
            times[w.label].append(w.ask("step"))
            if collector is not None:
                collected[w.label].append(w.ask("collector"))
    if collector is not None:
        collector.update({label: statistics.median(c) for label, c in collected.items()})
    return {label: statistics.median(t) for label, t in times.items()}


# -- sections ------------------------------------------------------------------------------------------
@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)
        for line in lines:
            print(line, flush=True)

    def markdown(self) -> str:
        return "\n".join([f"## {self.title}", "", *self.lines, ""])


def ms(seconds: float) -> str:
    value = seconds * 1e3
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


MATRIX_CONTENDERS = ["chainrule-matrix", "numpy", "torch", "hips-autograd"]
# glibc's allocator told, through the environment, to keep freed memory: the setting nn.keep_freed_memory makes
KEEP_FREED = {"MALLOC_TRIM_THRESHOLD_": str(256 * 2**20), "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20)}
MATRIX_HEADER = [
    "| network | N | chainrule ms | NumPy ms | PyTorch ms | HIPS autograd ms | / NumPy | / PyTorch | / HIPS |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]


def matrix_section(folder: Path, quick: bool) -> Section:
    """Batches through a matrix node per layer, against NumPy by hand, PyTorch and HIPS autograd."""
    section = Section("Matrix mode: a batch through a matrix node per layer")
    cases = [(f"MLP(2, [{h}, {h}, 1])", "moons", n, [h, h, 1]) for h in (16, 64) for n in (100, 1_000, 10_000, 100_000)]
    cases += [("MLP(64, [32, 10]) digits", "digits", n, [32, 10]) for n in (64, 1_347)]
    if quick:
        cases = [c for c in cases if c[2] <= 1_347]
    problems = []
    for _, data, n, sizes in cases:
        X, y = moons(n) if data == "moons" else digits(n)
        loss = "hinge" if data == "moons" else "ce"
        problems.append(write_problem(folder, f"{data}-{n}-{sizes[0]}", X, y, sizes, loss, 1e-4, 0.1, 0.0))
    section.add(
        "Hinge loss + L2 (alpha 1e-4) and SGD (lr 0.1) on the two moons for two MLPs, and cross-entropy + L2 on "
        "scikit-learn's 8x8 digits for MLP(64, [32, 10]); full-batch steps, one thread. Times are the median "
        "process CPU time of a step; each ratio is chainrule's time over the other's (below 1: chainrule is faster).",
        "",
        "**As each runs by default.** chainrule's step is `nn.fit`'s: it releases interior gradients once passed "
        "on (`backward(keep_interior=False)`) and has asked glibc to keep freed memory for reuse "
        "(`nn.keep_freed_memory()`). The others run as they come.",
        "",
        *MATRIX_HEADER,
    )
    rows = matrix_rows(section, cases, problems, env=None)
    section.add("", *matrix_verdicts(rows), "")
    section.add(
        "**Every contender with freed memory kept.** The same steps with glibc told, through the environment of "
        "every process, what `nn.keep_freed_memory()` tells it ("
        + ", ".join(f"`{k}={v}`" for k, v in KEEP_FREED.items())
        + "). A step of any of these engines frees and re-allocates arrays of the same sizes; by default glibc "
        "returns the large ones to the system and maps them back in page by page (system time, counted in process "
        "CPU time). This table shows what is left: arithmetic and each engine's own overhead.",
        "",
        *MATRIX_HEADER,
    )
    rows = matrix_rows(section, cases, problems, env=KEEP_FREED)
    section.add("", *matrix_verdicts(rows), "")
    if not quick:
        X, y = moons(100_000)
        problem = write_problem(folder, "memory", X, y, [64, 64, 1], "hinge", 1e-4, 0.1, 0.0)
        worker = Worker("chainrule-matrix", problem)
        try:
            worker.ask("step")
            peak = worker.ask("peak")
        finally:
            worker.close()
        section.add(
            f"Peak memory of one MLP(2, [64, 64, 1]) step at N = 100,000 (tracemalloc, every NumPy array "
            f"included): {peak / 2**20:,.0f} MiB (target: at most 512 MiB)."
        )
    section.add(
        f"Before timing, the four contenders' losses over {VERIFY_UPDATES} updates agreed to {RTOL:g} in every case."
    )
    return section


def matrix_rows(section: Section, cases: list, problems: list[Path], env: dict | None) -> list[tuple]:
    rows = []
    for (label, _, n, _), problem in zip(cases, problems):
        workers = [Worker(c, problem, env=env) for c in MATRIX_CONTENDERS]
        try:
            verified(workers)
            rounds = 31 if n <= 1_347 else 11 if n <= 10_000 else 5
            t = interleaved(workers, rounds)
        finally:
            for w in workers:
                w.close()
        ours = t["chainrule-matrix"]
        section.add(
            f"| {label} | {n:,} | {ms(ours)} | {ms(t['numpy'])} | {ms(t['torch'])} | {ms(t['hips-autograd'])} "
            f"| {ours / t['numpy']:.2f} | {ours / t['torch']:.2f} | {ours / t['hips-autograd']:.2f} |"
        )
        rows.append((label, n, ours / t["numpy"], ours / t["torch"], ours / t["hips-autograd"]))
    return rows


def matrix_verdicts(rows) -> list[str]:
    hips = max(r[4] for r in rows)
    small = [r for r in rows if r[1] <= 1_000]
    large = [r for r in rows if r[1] >= 10_000]
    lines = [f"- faster than HIPS autograd everywhere: {'yes' if hips < 1 else 'no'} (worst ratio {hips:.2f})"]
    if small:
        worst = max(small, key=lambda r: r[3])
        lines.append(
            f"- no slower than PyTorch for N <= 1,000: {'yes' if worst[3] <= 1 else 'no'} "
            f"(worst ratio {worst[3]:.2f}, {worst[0]} at N = {worst[1]:,})"
        )
    if large:
        worst = max(large, key=lambda r: r[2])
        lines.append(
            f"- within 2x of NumPy for N >= 10,000: {'yes' if worst[2] <= 2 else 'no'} "
            f"(worst ratio {worst[2]:.2f}, {worst[0]} at N = {worst[1]:,})"
        )
    return lines


# -- scalar mode: the moons demo, node by node --------------------------------------------------------
def scalar_section(folder: Path, quick: bool) -> Section:
    """The moons demo in scalar mode against micrograd, with Python's garbage collector on and off."""
    section = Section("Scalar mode: the moons demo against micrograd")
    X, y = moons(100)
    problem = write_problem(folder, "moons-scalar", X, y, [16, 16, 1], "hinge", 1e-4, 1.0, 0.009)
    contenders = [
        ("chainrule-scalar", "on"),
        ("chainrule-scalar", "off"),
        ("chainrule-fit", "on"),
        ("micrograd", "on"),
        ("micrograd", "off"),
        ("chainrule-matrix", "on"),
        ("numpy", "on"),
    ]
    workers = [Worker(c, problem, label=f"{c} gc {gc}", gc=gc) for c, gc in contenders]
    try:
        spread = verified(workers)
        collector: dict[str, float] = {}
        t = interleaved(workers, 3 if quick else 11, collector)
    finally:
        for w in workers:
            w.close()
    names = {
        "chainrule-scalar": "chainrule, scalar (a graph per example, `nn.MLP` on two floats)",
        "chainrule-fit": "chainrule, scalar, trained by `nn.fit(..., batched=False)`, one epoch per step",
        "chainrule-matrix": "chainrule, matrix (`nn.MLP` on the batch: a node per layer)",
        "micrograd": "micrograd 0.1.0 (its own `MLP`)",
        "numpy": "NumPy by hand",
    }
    section.add(
        "MLP(2, [16, 16, 1]), 100 moons, hinge loss + L2 (alpha 1e-4), SGD with lr 1.0 - 0.009 k: the classic demo. "
        "Median process CPU time of a full step (forward, backward, update, and freeing the last step's graph); "
        "the contenders take turns. micrograd's nodes hold reference cycles (each node's backward closure refers "
        "to the node), so with the collector on most of its step is the collector scanning its graphs; chainrule's "
        "nodes only point to their parents and are freed by reference counting. With the collector off, the cycles "
        "are collected after each step, untimed. The collector column is the part of the step spent in collections "
        "(median, timed through `gc.callbacks`).",
        "",
        "| contender | collector | ms / step | of which collecting (ms) | vs micrograd, same collector setting |",
        "|---|---|---:|---:|---:|",
    )
    for c, gc in contenders:
        label = f"{c} gc {gc}"
        mine, base = t[label], t.get(f"micrograd gc {gc}")
        ratio = f"{base / mine:.1f}x faster" if base and c != "micrograd" else "1x" if c == "micrograd" else "—"
        section.add(f"| {names[c]} | {gc} | {ms(mine)} | {ms(collector[label]) if gc == 'on' else '—'} | {ratio} |")
    on = t["micrograd gc on"] / t["chainrule-scalar gc on"]
    off = t["micrograd gc off"] / t["chainrule-scalar gc off"]
    fit = t["micrograd gc on"] / t["chainrule-fit gc on"]
    mg, cr = collector["micrograd gc on"], collector["chainrule-scalar gc on"]
    section.add(
        "",
        f"With the collector on, collections take {mg / t['micrograd gc on']:.0%} of micrograd's step: its cycles pile "
        "up between full collections, and each full collection scans all of them. They take "
        f"{cr / t['chainrule-scalar gc on']:.0%} of chainrule's: young-generation scans of the graph while it is "
        "alive (a node and its tuple of parents are the two objects the collector tracks per node); full "
        "collections are rare, because reference counting frees each graph at the end of its step, so the oldest "
        "generation hardly grows. For 40x with the collector on, chainrule's step "
        f"would have to take {t['micrograd gc on'] / 40 * 1e3:.1f} ms or less, collecting included. `nn.fit` pauses "
        "the collector while it trains (its row: the collector is on in the process, as users run it, and fit "
        "switches it off for the epoch).",
        "",
        f"- scalar mode at least 40x micrograd, collector on: {'yes' if on >= 40 else 'no'} ({on:.1f}x)",
        f"- the same through `nn.fit`, which pauses the collector: {'yes' if fit >= 40 else 'no'} ({fit:.1f}x)",
        f"- scalar mode at least 4x micrograd, collector off: {'yes' if off >= 4 else 'no'} ({off:.1f}x)",
        f"- the contenders' losses over {VERIFY_UPDATES} updates agree to a relative {spread:.1e} (tolerance {RTOL:g})",
        "",
    )
    return section


# -- equal graphs: the cost of a node ----------------------------------------------------------------
GRAPH_ENGINES = ["reference", "micrograd", "chainrule"]


def write_graph_problem(folder: Path, kind: str, size: int) -> Path:
    arrays = {}
    if kind == "moons":
        import nn

        X, y = moons(100)
        model = nn.MLP(2, [16, 16, 1], seed=0)
        arrays = {"X": X, "y": y, "layers": 3}
        arrays |= {f"W{i}": layer.W.data for i, layer in enumerate(model.layers)}
        arrays |= {f"b{i}": layer.b.data for i, layer in enumerate(model.layers)}
    path = folder / f"graph-{kind}-{size}.npz"
    np.savez(path, kind=kind, size=size, **arrays)
    return path


def graphs_section(folder: Path, quick: bool) -> Section:
    """The same graphs built and differentiated by chainrule, micrograd and a minimal node."""
    section = Section("Equal graphs: what a node costs")
    cases = [
        ("micrograd's moons graph (one training step)", "moons", 0),
        ("chain y = tanh(y · a + b)", "chain", 10_000 if quick else 30_000),
        ("random DAG of +, ·, tanh", "dag", 30_000 if quick else 90_000),
    ]
    section.add(
        "The same Python code (`benchmarks/graphs.py`) builds each graph with each engine's `Value`, then calls "
        "`backward()`: equal node counts, equal work. The reference is a minimal node: four `__slots__` (data, grad, "
        "parents, local derivatives taken at creation) and an iterative depth-first sort. micrograd gets a `tanh` "
        "written in its own style. Collector off (cycles collected after each step, untimed); median CPU time over "
        "interleaved rounds, divided by the nodes of the graph (leaves included). Bytes per node: the memory "
        "tracemalloc sees held by one built graph, divided by its nodes.",
        "",
        "| graph | nodes | reference µs/node | micrograd µs/node | chainrule µs/node | chainrule / reference "
        "| chainrule / micrograd | bytes/node: reference, micrograd, chainrule | chainrule / micrograd bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    )
    verdicts = []
    for label, kind, size in cases:
        problem = write_graph_problem(folder, kind, size)
        workers = [Worker(f"graph-{e}", problem, label=e, gc="off") for e in GRAPH_ENGINES]
        try:
            spread = verified(workers)
            nodes = {w.label: w.ask("nodes") for w in workers}
            if len(set(nodes.values())) != 1:
                raise SystemExit(f"ERROR: the engines built graphs of different sizes: {nodes}")
            per_node = {k: v / nodes["chainrule"] for k, v in interleaved(workers, 3 if quick else 9).items()}
            size_of = {w.label: w.ask("bytes") for w in workers}
        finally:
            for w in workers:
                w.close()
        us = {k: f"{v * 1e6:.2f}" for k, v in per_node.items()}
        ref, mg = per_node["chainrule"] / per_node["reference"], per_node["chainrule"] / per_node["micrograd"]
        memory = size_of["chainrule"] / size_of["micrograd"]
        section.add(
            f"| {label} | {nodes['chainrule']:,} | {us['reference']} | {us['micrograd']} | {us['chainrule']} "
            f"| {ref:.2f} | {mg:.2f} | {size_of['reference']:.0f}, {size_of['micrograd']:.0f}, "
            f"{size_of['chainrule']:.0f} | {memory:.2f} |"
        )
        verdicts.append((ref, mg, memory, spread))
    worst = [max(v[i] for v in verdicts) for i in range(4)]
    section.add(
        "",
        f"- at most 1.2x the reference node per node: {'yes' if worst[0] <= 1.2 else 'no'} (worst {worst[0]:.2f})",
        f"- at most 0.6x micrograd per node: {'yes' if worst[1] <= 0.6 else 'no'} (worst {worst[1]:.2f})",
        f"- at most 1/4 of micrograd's bytes per node: {'yes' if worst[2] <= 0.25 else 'no'} (worst {worst[2]:.2f})",
        f"- outputs and gradients of the three engines agree to a relative {worst[3]:.1e} (tolerance {RTOL:g})",
        "",
    )
    return section


def chain_section(folder: Path, quick: bool) -> Section:
    """A long chain, 10^5 and 10^6 nodes: time should grow linearly, with no recursion."""
    section = Section("Long chains")
    short, long = (3_333, 33_333) if quick else (33_333, 333_333)
    runs = [(n, gc) for gc in ("on", "off") for n in (short, long)]
    workers = [
        Worker("graph-chainrule", write_graph_problem(folder, "chain", n), label=f"{n} gc {gc}", gc=gc)
        for n, gc in runs
    ]
    try:
        nodes = {n: w.ask("nodes") for (n, _), w in zip(runs, workers)}
        collector: dict[str, float] = {}
        t = interleaved(workers, 3 if quick else 9, collector)
    finally:
        for w in workers:
            w.close()
    section.add(
        "chainrule builds `y = tanh(y · a + b)` repeated and calls `backward()`; median CPU time of "
        f"{3 if quick else 9} interleaved rounds, with the collector on (as users run it) and off.",
        "",
        "| nodes | collector | forward + backward (s) | of which collecting (s) | µs / node |",
        "|---:|---|---:|---:|---:|",
    )
    for n, gc in runs:
        label = f"{n} gc {gc}"
        spent = f"{collector[label]:.3f}" if gc == "on" else "—"
        section.add(f"| {nodes[n]:,} | {gc} | {t[label]:.3f} | {spent} | {t[label] / nodes[n] * 1e6:.2f} |")
    length = nodes[long] / nodes[short]
    growth = {gc: t[f"{long} gc {gc}"] / t[f"{short} gc {gc}"] for gc in ("on", "off")}
    section.add("")
    for gc in ("on", "off"):
        verdict = "linear" if growth[gc] <= 1.1 * length else "NOT linear"
        section.add(
            f"- collector {gc}: {length:.1f}x the nodes took {growth[gc]:.2f}x the time: {verdict} "
            "(target: at most 1.1x the length ratio)"
        )
    collecting = collector[f"{long} gc on"] / collector[f"{short} gc on"]
    rest = (t[f"{long} gc on"] - collector[f"{long} gc on"]) / (t[f"{short} gc on"] - collector[f"{short} gc on"])
    only_collector = collecting > 1.1 * length >= rest
    faster = ": what grows faster than the graph is the collector" if only_collector else ""
    section.add(
        "",
        "The backward pass has no recursion and visits each edge twice (counting consumers, then the chain rule). "
        f"With the collector on, the time spent collecting grew {collecting:.1f}x and the rest {rest:.1f}x{faster}. "
        "A full collection scans every object alive, and one "
        "is triggered each time the oldest generation has grown by a quarter, so the scanning adds up to a constant "
        "times the graph's size only in the long run, not at every size; and the larger the graph, the less of "
        "it the processor's caches hold while a scan reads it.",
        "",
    )
    return section


def digits_section(folder: Path, quick: bool) -> Section:
    """A real task: scikit-learn's 8x8 digits, trained by nn.fit in matrix mode, tested on held-out images."""
    import time

    from sklearn.datasets import load_digits

    import nn

    section = Section("Digits: accuracy on held-out images")
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(X))
    X, y = X[order], y[order]
    split = int(0.75 * len(X))
    mean, std = X[:split].mean(axis=0), X[:split].std(axis=0)
    X = (X - mean) / np.where(std > 0, std, 1.0)  # scaled by the training images' statistics only
    model = nn.MLP(64, [32, 10], seed=0)
    epochs = 10 if quick else 30
    start = time.process_time()
    nn.fit(
        model, X[:split], y[:split], loss="ce", optimizer=nn.Adam(model, lr=0.01), epochs=epochs, batch_size=32, seed=0
    )
    spent = time.process_time() - start
    accuracy = nn.accuracy(model, X[split:], y[split:], "ce")
    section.add(
        f"`nn.MLP(64, [32, 10])`, cross-entropy, Adam (lr 0.01), minibatches of 32, {epochs} epochs on "
        f"{split} of scikit-learn's 1,797 bundled 8x8 digit images (nothing is downloaded); accuracy on the other "
        f"{len(X) - split}.",
        "",
        f"- test accuracy {accuracy:.1%} (target at least 95%): {'yes' if accuracy >= 0.95 else 'no'}",
        f"- training took {spent:.1f} s of process CPU time (target under a minute): {'yes' if spent < 60 else 'no'}",
        "",
    )
    return section


def pages_section(folder: Path, quick: bool) -> Section:
    """The stepper page in Chromium: opening and one step, a small network against a big one (pages.py)."""
    import pages

    section = Section(pages.TITLE)
    section.add(*pages.report(folder))
    return section


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or cpu
    import torch

    return "\n".join(
        [
            f"- CPU: {cpu}, {os.cpu_count()} cores (every contender runs on one thread)",
            f"- Python {platform.python_version()}, NumPy {np.__version__}, PyTorch {torch.__version__}",
            f"- OS: {platform.system()} {platform.release()}",
            f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        ]
    )


SECTIONS = {
    "scalar": scalar_section,
    "graphs": graphs_section,
    "chain": chain_section,
    "matrix": matrix_section,
    "digits": digits_section,
    "pages": pages_section,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"also write {RESULTS_PATH.name} beside this script")
    parser.add_argument("--section", choices=sorted(SECTIONS), action="append", help="run only these sections")
    parser.add_argument("--quick", action="store_true", help="the small cases only (a minute, not ten)")
    args = parser.parse_args(argv)
    chosen = args.section or list(SECTIONS)
    with tempfile.TemporaryDirectory() as folder:
        sections = [SECTIONS[name](Path(folder), args.quick) for name in chosen]
    if args.write:
        text = ["# chainrule benchmark results", "", "Written by `python benchmarks/bench.py --write`.", ""]
        text += ["## Machine", "", machine(), ""] + [s.markdown() for s in sections]
        RESULTS_PATH.write_text("\n".join(text))
        print(f"\nwrote {RESULTS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
