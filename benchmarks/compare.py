"""chainrule against an earlier chainrule: the same steps from two checkouts, taking turns, in one run.

    python benchmarks/compare.py REVISION            # e.g. HEAD~3, a branch, a commit
    python benchmarks/compare.py REVISION --quick
    python benchmarks/compare.py --before DIRECTORY  # a checkout of chainrule elsewhere

The earlier revision is checked out into a temporary git worktree; each step of bench.py's
contenders (the scalar moons step, as a loop of one's own and as nn.fit trains it; matrix
mode at several batch sizes; micrograd's moons graph, the chain and the DAG of graphs.py)
runs in a process of its own for each checkout, with the checkout's packages first on the
path, and the two take turns, round after round, so the machine's load falls on both alike.
The table gives each median and the ratio now / before (above 1: slower now).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import bench

ROUNDS, QUICK_ROUNDS = 21, 7


def checkout(revision: str, into: Path) -> Path:
    """``revision`` as a temporary worktree beside nothing else: its files, not the working tree's."""
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(into), revision], cwd=bench.ROOT, check=True)
    return into


def cases(folder: Path, quick: bool) -> list[tuple[str, str, Path, str]]:
    """(label, contender, problem, collector setting) for every step compared."""
    X, y = bench.moons(100)
    scalar = bench.write_problem(folder, "moons-scalar", X, y, [16, 16, 1], "hinge", 1e-4, 1.0, 0.009)
    found = [
        ("moons step, scalar graph, collector on", "chainrule-scalar", scalar, "on"),
        ("moons step, scalar graph, collector off", "chainrule-scalar", scalar, "off"),
        ("moons step, nn.fit(batched=False)", "chainrule-fit", scalar, "on"),
    ]
    for n in (100, 1_000) if quick else (100, 1_000, 10_000):
        X, y = bench.moons(n)
        problem = bench.write_problem(folder, f"moons-{n}", X, y, [16, 16, 1], "hinge", 1e-4, 0.1, 0.0)
        found.append((f"matrix step, MLP(2, [16, 16, 1]), N = {n:,}", "chainrule-matrix", problem, "on"))
    for kind, size in (("moons", 0), ("chain", 33_333), ("dag", 20_000)):
        problem = bench.write_graph_problem(folder, kind, size)
        found.append((f"graphs.py {kind} graph, build + backward", "graph-chainrule", problem, "off"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?", help="the earlier chainrule: a commit, branch or tag")
    parser.add_argument("--before", type=Path, help="instead of a revision: a directory holding another chainrule")
    parser.add_argument("--quick", action="store_true", help="fewer cases and rounds")
    args = parser.parse_args()
    if (args.revision is None) == (args.before is None):
        parser.error("give a revision or --before DIRECTORY (one of them)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        before = args.before.resolve() if args.before else checkout(args.revision, folder / "before")
        try:
            rows = []
            for label, contender, problem, collector in cases(folder, args.quick):
                workers = [
                    bench.Worker(contender, problem, label=name, gc=collector, env={"PYTHONPATH": str(root)})
                    for name, root in (("before", before), ("now", bench.ROOT))
                ]
                try:
                    bench.verified(workers)  # the same numbers from both
                    times = bench.interleaved(workers, QUICK_ROUNDS if args.quick else ROUNDS)
                finally:
                    for w in workers:
                        w.close()
                rows.append((label, times["before"], times["now"]))
                print(f"{label}: {times['now'] / times['before']:.3f}", file=sys.stderr, flush=True)
        finally:
            if not args.before:
                subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=bench.ROOT, check=False)
    print(f"chainrule now against {args.revision or args.before}: median CPU time of a step, taking turns\n")
    print("| step | before (ms) | now (ms) | now / before |")
    print("|---|---:|---:|---:|")
    for label, old, new in rows:
        print(f"| {label} | {bench.ms(old)} | {bench.ms(new)} | {new / old:.3f} |")
    ratios = [new / old for _, old, new in rows]
    print(f"\nmedian ratio {statistics.median(ratios):.3f}, largest {max(ratios):.3f}")


if __name__ == "__main__":
    main()
