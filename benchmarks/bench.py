"""Benchmarks for chainrule: the same training step by several engines, measured side by side.

Run from the repository root, with the project installed (``pip install -e ".[dev]"``)::

    python benchmarks/bench.py                  # every section; prints Markdown tables
    python benchmarks/bench.py --write          # ... and writes benchmarks/RESULTS.md
    python benchmarks/bench.py --section matrix # one section: scalar, graphs, chain, matrix, digits

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

    def __init__(self, contender: str, problem: Path, label: str | None = None, gc: str = "on") -> None:
        self.label = label or contender
        python = hips_python() if contender == "hips-autograd" else sys.executable
        env = dict(os.environ, **ONE_THREAD)
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
    """Every contender's losses over VERIFY_UPDATES updates; stop unless they agree. Returns the spread."""
    losses = np.array([w.ask(f"verify {VERIFY_UPDATES}") for w in workers])
    spread = float(((losses.max(axis=0) - losses.min(axis=0)) / np.abs(losses).max(axis=0)).max())
    if not spread <= RTOL:
        table = "\n".join(f"  {w.label:>22}: " + " ".join(f"{v:.15g}" for v in row) for w, row in zip(workers, losses))
        raise SystemExit(
            f"ERROR: the contenders' losses differ by a relative {spread:.1e} (tolerance {RTOL:g}):\n{table}"
        )
    return spread


def interleaved(workers: list[Worker], rounds: int) -> dict[str, float]:
    """Median process CPU seconds of a step per contender, the contenders taking turns."""
    times: dict[str, list[float]] = {w.label: [] for w in workers}
    for _ in range(rounds):
        for w in workers:
            times[w.label].append(w.ask("step"))
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


def matrix_section(folder: Path, quick: bool) -> Section:
    """Batches through a matrix node per layer, against NumPy by hand, PyTorch and HIPS autograd."""
    section = Section("Matrix mode: a batch through a matrix node per layer")
    section.add(
        "Hinge loss + L2 (alpha 1e-4) and SGD (lr 0.1) on the two moons for two MLPs, and cross-entropy + L2 on "
        "scikit-learn's 8x8 digits for MLP(64, [32, 10]); full-batch steps, one thread. Times are the median "
        "process CPU time of a step; each ratio is chainrule's time over the other's (below 1: chainrule is faster).",
        "",
        "| network | N | chainrule ms | NumPy ms | PyTorch ms | HIPS autograd ms | / NumPy | / PyTorch | / HIPS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    )
    cases = [(f"MLP(2, [{h}, {h}, 1])", "moons", n, [h, h, 1]) for h in (16, 64) for n in (100, 1_000, 10_000, 100_000)]
    cases += [("MLP(64, [32, 10]) digits", "digits", n, [32, 10]) for n in (64, 1_347)]
    if quick:
        cases = [c for c in cases if c[2] <= 1_347]
    verdicts = []
    for label, data, n, sizes in cases:
        X, y = moons(n) if data == "moons" else digits(n)
        loss = "hinge" if data == "moons" else "ce"
        problem = write_problem(folder, f"{data}-{n}-{sizes[0]}", X, y, sizes, loss, 1e-4, 0.1, 0.0)
        workers = [Worker(c, problem) for c in MATRIX_CONTENDERS]
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
        verdicts.append((label, n, ours / t["numpy"], ours / t["torch"], ours / t["hips-autograd"]))
    section.add("", *matrix_verdicts(verdicts), "")
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


def matrix_verdicts(rows) -> list[str]:
    hips = max(r[4] for r in rows)
    small = [r for r in rows if r[1] <= 1_347]
    large = [r for r in rows if r[1] >= 10_000]
    lines = [f"- faster than HIPS autograd everywhere: {'yes' if hips < 1 else 'no'} (worst ratio {hips:.2f})"]
    if small:
        worst = max(small, key=lambda r: r[3])
        lines.append(
            f"- no slower than PyTorch for N <= 1,347: {'yes' if worst[3] <= 1 else 'no'} "
            f"(worst ratio {worst[3]:.2f}, {worst[0]} at N = {worst[1]:,})"
        )
    if large:
        worst = max(large, key=lambda r: r[2])
        lines.append(
            f"- within 2x of NumPy for N >= 10,000: {'yes' if worst[2] <= 2 else 'no'} "
            f"(worst ratio {worst[2]:.2f}, {worst[0]} at N = {worst[1]:,})"
        )
    return lines


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


SECTIONS = {"matrix": matrix_section}


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
