"""Random expressions over +, * and tanh, written as programs that any Value-like class can run.

A program holds numbered leaves and steps; ``run`` makes its nodes with a given class (the learner's
Value, ``autograd.Value``, or a PyTorch tensor in the tests), so two classes can be compared on
graphs of the same shape. The random ones share nodes, use a node twice (x * x), put numbers on
either side of + and *, and grow long chains and ladders whose paths double at every level.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_PATHS = 20_000  # a random program has at most this many paths from its leaves to its output
LADDER_STEPS = 24  # the paths of a ladder grow with every level: 24 steps keep them under MAX_PATHS


# -- expressions as programs -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Number:
    """A plain number inside an expression (the 2 in 2 * x): the learner's class must turn it into a Value."""

    value: float


@dataclass(frozen=True)
class Step:
    """One node: ``left op right`` (``right`` is None for tanh); an operand is an earlier node's index or a Number."""

    op: str
    left: int | Number
    right: int | Number | None = None


def _letters() -> list[str]:
    single = [c for c in "abcdefghkmnpqrstuvw"]
    return single + [f"{c}{k}" for k in range(2, 20) for c in single]


LETTERS = _letters()


@dataclass(frozen=True)
class Program:
    """Leaves x1, x2, ... with numbers, then one node per step; the last node is the output."""

    leaves: tuple[float, ...]
    steps: tuple[Step, ...]

    def names(self) -> list[str]:
        return [f"x{k + 1}" for k in range(len(self.leaves))] + LETTERS[: len(self.steps)]

    def line(self, k: int) -> str:
        """Step k as a learner would write it: ``c = 3 * b``, ``d = c.tanh()``."""
        names, step = self.names(), self.steps[k]

        def show(operand):
            return f"{operand.value:g}" if isinstance(operand, Number) else names[operand]

        made = names[len(self.leaves) + k]
        if step.op == "tanh":
            return f"{made} = {show(step.left)}.tanh()"
        return f"{made} = {show(step.left)} {step.op} {show(step.right)}"

    def text(self, longest: int = 12) -> str:
        """The program, one step a line (a long one shortened in the middle), then the leaves' numbers."""
        lines = [self.line(k) for k in range(len(self.steps))]
        if len(lines) > longest:
            lines = lines[:5] + [f"... ({len(lines) - 8} more steps like these)"] + lines[-3:]
        leaves = ", ".join(f"{name} = {data:g}" for name, data in zip(self.names(), self.leaves))
        return "\n".join(f"    {line}" for line in lines) + f"\n  with {leaves}"

    def paths(self) -> int:
        """How many paths lead from the leaves to the output (an edge for each operand, so x * x counts twice)."""
        count = [0] * (len(self.leaves) + len(self.steps))
        count[-1] = 1
        for k in reversed(range(len(self.steps))):
            step = self.steps[k]
            for operand in (step.left, step.right):
                if isinstance(operand, int):
                    count[operand] += count[len(self.leaves) + k]
        return sum(count[: len(self.leaves)])


def run(program: Program, make_leaf: Callable[[float], Any], check: Callable | None = None) -> list:
    """Every node of the program, made with ``make_leaf`` for the leaves and the operators for the steps.

    ``check(text, make)`` makes each node in the learner's graph, so that a failing op can be named.
    """
    nodes = [make_leaf(data) for data in program.leaves]
    for k, step in enumerate(program.steps):

        def make(step=step):
            left = nodes[step.left] if isinstance(step.left, int) else step.left.value
            if step.op == "tanh":
                return left.tanh()
            right = nodes[step.right] if isinstance(step.right, int) else step.right.value
            return left + right if step.op == "+" else left * right

        nodes.append(make() if check is None else check(program.line(k), make))
    return nodes


# -- random programs --------------------------------------------------------------------------------------
NUMBERS = (2, -1, 3, 0.5, -1.5, 1, 0.25)  # ints too: 2 * x must work as well as 2.0 * x


def _number(rng: random.Random) -> Number:
    return Number(rng.choice(NUMBERS) if rng.random() < 0.5 else round(rng.uniform(-2.0, 2.0), 2))


def _binary(rng: random.Random, op: str, left: int, right: int | Number) -> Step:
    """left op right, or right op left: numbers and nodes on either side."""
    return Step(op, left, right) if rng.random() < 0.5 else Step(op, right, left)


def random_program(rng: random.Random, kind: str, size: int) -> Program:
    """A random expression of ``size`` steps, with at most MAX_PATHS paths from its leaves to its output.

    ``"graph"``: each step reads earlier nodes (recent ones more often), so nodes are shared, sometimes
    the same node on both sides (x * x); ``"chain"``: each step reads the step before, a long thin graph;
    ``"ladder"``: each step reads the two before it, so the paths double at every level. A step whose value
    would pass 3 takes tanh of its left operand instead: tanh then never sits so far out in its flat tails that
    1 − tanh² (the lectures' form of its slope) loses digits to rounding.
    """
    if kind not in ("graph", "chain", "ladder") or not isinstance(size, int) or size < 1:
        raise ValueError(
            f"random_program: kind must be graph, chain or ladder and size an int >= 1, got {kind!r}, {size!r}"
        )
    if kind == "ladder" and size > LADDER_STEPS:
        raise ValueError(f"random_program: a ladder of {size} steps has too many paths; take size <= {LADDER_STEPS}")
    for _ in range(1000):
        program = _draw(rng, kind, size)
        if program.paths() <= MAX_PATHS:
            return program
    raise ValueError(
        f"random_program: no {kind} of {size} steps with at most {MAX_PATHS} paths was found; take a smaller size"
    )


def _draw(rng: random.Random, kind: str, size: int) -> Program:
    leaves = [round(rng.uniform(-1.5, 1.5), 2) for _ in range(rng.randint(1, 4) if kind == "graph" else 2)]
    values, steps = list(leaves), []
    while len(steps) < size:
        last = len(values) - 1
        op = rng.choices(("+", "*", "tanh"), weights=(4, 4, 2))[0]
        if kind == "graph":
            left = last - min(int(rng.expovariate(0.5)), last) if rng.random() < 0.7 else rng.randrange(last + 1)
            choice = rng.random()
            right = left if choice < 0.15 else _number(rng) if choice < 0.4 else rng.randrange(last + 1)
        elif kind == "chain":
            left, choice = last, rng.random()
            right = left if choice < 0.2 else _number(rng) if choice < 0.7 else rng.randrange(len(leaves))
        else:
            left, right = last, max(last - 1, 0)
            op = "tanh" if len(steps) % 3 == 2 else op.replace("tanh", "*")
        step = Step("tanh", left) if op == "tanh" else _binary(rng, op, left, right)
        if abs(_value(step, values)) > 3.0:
            step = Step("tanh", left)  # instead: so every value, and every input of tanh, stays within 3
        values.append(_value(step, values))
        steps.append(step)
    return Program(tuple(leaves), tuple(steps))


def _value(step: Step, values: list[float]) -> float:
    left, right = (values[o] if isinstance(o, int) else getattr(o, "value", None) for o in (step.left, step.right))
    return math.tanh(left) if step.op == "tanh" else left + right if step.op == "+" else left * right


def graded_programs(seed: int = 1) -> list[Program]:
    """The random programs a learner's class is graded on, smallest first (so a failure is shown small)."""
    rng = random.Random(seed)
    programs = [random_program(rng, "graph", size) for size in range(2, 41) for _ in range(2)]
    programs += [random_program(rng, "ladder", size) for size in (4, 7, 10, 14)]
    programs += [random_program(rng, "chain", size) for size in (20, 40, 80, 150)]
    return sorted(programs, key=lambda p: len(p.steps))
