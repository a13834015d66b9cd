"""The benchmark script keeps working: its quick graph and chain sections run to the end.

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
