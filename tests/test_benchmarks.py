"""The benchmark script keeps working: its quick graph and chain sections and its pages section run to the end.

No timing is asserted here (speed is measured by the benchmarks, and one run is kept in
benchmarks/RESULTS.md). What is checked is what the script itself must get right before
it times anything: every engine builds the same graph and computes the same numbers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_graph_and_chain_sections_run_and_the_engines_agree():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--section", "graphs", "--section", "chain"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    agreement = float(re.search(r"agree to a relative (\S+) \(tolerance", out).group(1))
    assert agreement <= 1e-9
    # The chain y = tanh(y * a + b), n times: three leaves (y, a, b) and three nodes per link (·, +, tanh).
    for links in (3_333, 33_333):
        for collector in ("on", "off"):
            assert f"| {3 * links + 3:,} | {collector} |" in out
    assert out.count("the nodes took") == 2  # the chain's verdict, collector on and off
    for graph in ("micrograd's moons graph", "chain y = tanh", "random DAG"):
        assert sum(line.startswith(f"| {graph}") for line in out.splitlines()) == 1


def test_pages_section_runs_and_reports_both_pages(browser):
    # The `browser` fixture only decides whether Chromium is here (skip, or fail in CI); the section starts its own.
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--section", "pages"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| MLP(2, [")]
    # A frame for the leaves, one per node computed, the seed, one per node passing its gradient back:
    # 2 + 2n for n computed nodes. MLP(2, [2, 1]) with mse: 4 + 2 products, 3 sums, 2 activations, the error
    # and its square, n = 13, 28 frames. MLP(2, [16, 16, 1]): 32 + 256 + 16 products, 33 sums, 32 activations,
    # the error and its square, n = 371, 744 frames.
    assert [row.split(" |")[0] for row in rows] == ["| MLP(2, [2, 1]), 28 frames", "| MLP(2, [16, 16, 1]), 744 frames"]
    assert all(len(row.split("|")) == 6 for row in rows)  # name, opening, median and slowest step
    assert result.stdout.count(": yes") + result.stdout.count(": no") == 2  # the two verdicts, whatever they say
