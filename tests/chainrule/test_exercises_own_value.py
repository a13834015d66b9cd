"""The graders of notebook 01: a learner's local derivatives, topological order and own Value class.

The right answers here are written independently of the notebook's (a class with closures and a sort by
counting consumers, an iterative order, slopes from mpmath), and each planted mistake changes one thing in
them. Hypothesis drives the random expressions further than the graders' own seeds, with PyTorch float64
as the reference for every gradient.
"""

from __future__ import annotations

import json
import math
import random
from collections import deque
from pathlib import Path

import mpmath
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainrule import exercises
from chainrule.exercises import own_value
from chainrule.exercises.nb01_your_own_value import breadth_first_reversed, preorder
from chainrule.exercises.own_value import Wrong, grade_class, grade_locals, grade_order
from chainrule.exercises.random_graphs import LADDER_STEPS, MAX_PATHS, Number, graded_programs, random_program, run

from ..helpers import requires_torch, torch

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01_your_own_value.ipynb"
SOLUTIONS = ROOT / "notebooks" / "solutions" / "01_your_own_value.ipynb"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- an independent right answer, with one mistake planted at will ------------------------------------------
def scalar_class(overwrite=False, order="sorted", tanh_slope="right", swap_mul=False, seed=True, radd=True, reset=True):
    """A Value-like class written apart from the notebook's: each node keeps a closure that passes its gradient
    back, and the pass takes nodes in an order found by counting consumers. Each flag plants one mistake."""

    class Scalar:
        def __init__(self, data, parents=()):
            self.data = float(data)
            self.grad = 0.0
            self.inputs = parents
            self.pass_back = lambda: None

        def lift(self, x):  # a plain number becomes a node; type(self), so that subclasses build their own
            return x if isinstance(x, Scalar) else type(self)(x)

        def receive(self, amount):
            self.grad = amount if overwrite else self.grad + amount

        def __add__(self, other):
            other = self.lift(other)
            out = type(self)(self.data + other.data, (self, other))

            def pass_back():
                self.receive(out.grad)
                other.receive(out.grad)

            out.pass_back = pass_back
            return out

        def __radd__(self, other):
            return self + other if radd else NotImplemented

        def __mul__(self, other):
            other = self.lift(other)
            out = type(self)(self.data * other.data, (self, other))
            mine, theirs = (self.data, other.data) if swap_mul else (other.data, self.data)

            def pass_back():
                self.receive(mine * out.grad)
                other.receive(theirs * out.grad)

            out.pass_back = pass_back
            return out

        __rmul__ = __mul__

        def tanh(self):
            t = math.tanh(self.data)
            out = type(self)(t, (self,))
            slope = {
                "right": 1.0 - t * t,
                "value": t,
                "difference": (math.tanh(self.data + 1e-6) - t) / 1e-6,  # measured, right to about 6 digits
            }[tanh_slope]
            out.pass_back = lambda: self.receive(slope * out.grad)
            return out

        def backward(self):
            nodes = every_node(self)
            if reset:
                for node in nodes:
                    node.grad = 0.0
            if seed:
                self.grad = 1.0
            for node in (by_consumers if order == "sorted" else first_come)(self, nodes, order):
                node.pass_back()

    return Scalar


def every_node(root):
    seen, stack = {id(root): root}, [root]
    while stack:
        for parent in stack.pop().inputs:
            if id(parent) not in seen:
                seen[id(parent)] = parent
                stack.append(parent)
    return list(seen.values())


def by_consumers(root, nodes, _):
    """A node comes once every node made from it has come (Kahn's algorithm)."""
    waiting = {id(node): 0 for node in nodes}
    for node in nodes:
        for parent in node.inputs:
            waiting[id(parent)] += 1
    ready = [root]
    while ready:
        node = ready.pop()
        yield node
        for parent in node.inputs:
            waiting[id(parent)] -= 1
            if waiting[id(parent)] == 0:
                ready.append(parent)


def first_come(root, _, order):
    """Each node as soon as a depth-first (a stack) or breadth-first (a queue) walk reaches it."""
    queue, seen = deque([root]), {id(root)}
    while queue:
        node = queue.pop() if order == "depth_first" else queue.popleft()
        yield node
        for parent in node.inputs:
            if id(parent) not in seen:
                seen.add(id(parent))
                queue.append(parent)


RIGHT = scalar_class()
PLANTED = {  # one mistake each, and words the message must hold
    "= in place of +=": (scalar_class(overwrite=True), "add to a gradient, or overwrite it"),
    "depth-first, no sort": (scalar_class(order="depth_first"), "wait until b has received from both"),
    "breadth-first, no sort": (scalar_class(order="breadth_first"), "wait until b has received from both"),
    "tanh for its slope": (scalar_class(tanh_slope="value"), "the value of tanh at 0.5, not its slope"),
    "tanh's slope measured, not derived": (scalar_class(tanh_slope="difference"), "local derivative of tanh"),
    "* with its locals swapped": (scalar_class(swap_mul=True), "in each other's places"),
    "no seed": (scalar_class(seed=False), "it should be 1, since dy/dy = 1"),
    "no number on the left of +": (scalar_class(radd=False), "with a plain number on the left"),
    "no reset": (scalar_class(reset=False), "start every gradient of the graph from zero"),
}


def pairs_class(unique_parents=False):
    """A class of the notebook's shape, written apart from it: each node keeps its parents and their local
    derivatives side by side, and backward() walks them in pairs. ``unique_parents`` keeps each parent once, as
    a set would: x * x then keeps one edge to x where there are two."""

    class Pairs:
        def __init__(self, data, parents=(), local=()):
            self.data, self.grad = float(data), 0.0
            self.parents = tuple(dict.fromkeys(parents)) if unique_parents else tuple(parents)
            self.local = tuple(local)

        def __add__(self, other):
            other = other if isinstance(other, Pairs) else Pairs(other)
            return Pairs(self.data + other.data, (self, other), (1.0, 1.0))

        __radd__ = __add__

        def __mul__(self, other):
            other = other if isinstance(other, Pairs) else Pairs(other)
            return Pairs(self.data * other.data, (self, other), (other.data, self.data))

        __rmul__ = __mul__

        def tanh(self):
            t = math.tanh(self.data)
            return Pairs(t, (self,), (1.0 - t * t,))

        def backward(self):
            order = iterative_order(self)
            for node in order:
                node.grad = 0.0
            self.grad = 1.0
            for node in reversed(order):
                for parent, slope in zip(node.parents, node.local):
                    parent.grad += slope * node.grad

    return Pairs


def test_a_class_that_keeps_each_parent_once_is_told_so_and_not_that_it_overwrites():
    assert grade_class(pairs_class()) is None
    message = grade_class(pairs_class(unique_parents=True))
    assert "does y keep x twice?" in message and "overwrite" not in message, message


def test_a_class_written_another_way_passes():
    assert grade_class(RIGHT) is None


@pytest.mark.parametrize("mistake", list(PLANTED))
def test_each_planted_mistake_is_refused_and_named(mistake):
    wrong, words = PLANTED[mistake]
    message = grade_class(wrong)
    assert message is not None and words in message, message


def test_the_messages_give_numbers_and_a_question_not_code():
    message = grade_class(PLANTED["= in place of +="][0])
    assert message.startswith("after y = x * x at x = 2, x.grad is 2; it should be 4")
    for mistake, (wrong, _) in PLANTED.items():
        message = grade_class(wrong)
        assert not any(code in message for code in ("+=", "parent.grad", "def ", "return ")), (mistake, message)


def test_a_mistake_no_probe_looks_for_is_caught_by_the_random_expressions_and_shown_small():
    """Terms lost at a node with three or more edges to its consumers: no probe has such a node."""

    class ForgetsTheThirdTerm(RIGHT):
        def receive(self, amount):
            self.terms = getattr(self, "terms", 0) + 1
            if self.terms < 3:
                RIGHT.receive(self, amount)

        def backward(self):
            for node in every_node(self):
                node.terms = 0
            RIGHT.backward(self)

    message = grade_class(ForgetsTheThirdTerm)
    assert message is not None and message.startswith("on the expression"), message
    assert "Your class gets single ops and small graphs right" in message
    assert "more steps like these" not in message  # the smallest expression with the mistake, shown whole


def test_an_unfinished_skeleton_and_wrong_kinds_of_answer_get_a_message():
    class Skeleton:  # the blank notebook's class, run as it stands
        def __init__(self, data, parents=(), local=()):
            self.data, self.grad, self.parents, self.local = data, 0.0, parents, local

        def __add__(self, other): ...

        def __mul__(self, other): ...

        def tanh(self): ...

        def backward(self): ...

    assert "Value(2.0) + Value(-3.0) gave NoneType None, not a Value" in grade_class(Skeleton)
    assert "your class itself" in grade_class(RIGHT(2.0))
    assert "returns ellipsis" in grade_locals((lambda x, y: ..., lambda x, y: ..., lambda x: ...))
    assert "three functions" in grade_locals(lambda x, y: (1.0, 1.0))
    assert "returned NoneType" in grade_order(lambda root: None)
    assert "topological_order itself" in grade_order(5)


def test_an_error_inside_the_learners_code_is_reported_with_what_raised_it():
    class Broken(RIGHT):
        def backward(self):
            raise ZeroDivisionError("division by zero")

    assert "y = x * c, then backward() raised ZeroDivisionError: division by zero" in grade_class(Broken)


# -- the local derivatives ------------------------------------------------------------------------------------
def slopes_by_mpmath(f, *args):
    """Each partial derivative of f at args, by mpmath's numerical differentiation at 30 digits."""
    with mpmath.workdps(30):
        found = []
        for k in range(len(args)):

            def along_k(t, k=k):
                return f(*(args[:k] + (t,) + args[k + 1 :]))

            found.append(float(mpmath.diff(along_k, args[k])))
        return tuple(found)


MPMATH_LOCALS = (
    lambda x, y: slopes_by_mpmath(lambda a, b: a + b, x, y),
    lambda x, y: slopes_by_mpmath(lambda a, b: a * b, x, y),
    lambda x: slopes_by_mpmath(mpmath.tanh, x),
)


def test_local_derivatives_from_mpmath_pass():
    assert grade_locals(MPMATH_LOCALS) is None


@pytest.mark.parametrize(
    "which, planted, words",
    [
        (1, lambda x, y: (x, y), "the right two numbers in each other's places"),
        (2, lambda x: (math.tanh(x),), "the value of tanh at 0.5, not its slope"),
        (2, lambda x: 1.0 - math.tanh(x) ** 2, "it should return a tuple holding it"),
        (0, lambda x, y: (1.0, 0.0), "not how fast x + y changes"),
        (2, lambda x: (1.0 - x * x,), "not how fast tanh x changes"),
    ],
)
def test_a_planted_mistake_in_one_local_derivative_is_refused(which, planted, words):
    answer = list(MPMATH_LOCALS)
    answer[which] = planted
    message = grade_locals(tuple(answer))
    assert message is not None and words in message, message


# -- the topological order ------------------------------------------------------------------------------------
def iterative_order(root):
    """Parents first, with an explicit stack: written apart from the notebook's recursive search."""
    order, done, stack = [], set(), [(root, False)]
    while stack:
        node, parents_listed = stack.pop()
        if parents_listed:
            order.append(node)
        elif id(node) not in done:
            done.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents if id(parent) not in done)
    return order


def test_an_iterative_order_passes():
    assert grade_order(iterative_order) is None


@pytest.mark.parametrize(
    "planted, words",
    [
        (preorder, "starts at the output"),
        (lambda root: iterative_order(root)[::-1], "starts at the output"),
        (breadth_first_reversed, "but b is made from a"),
        (lambda root: iterative_order(root) + [root], "lists a 2 times"),
        (lambda root: iterative_order(root)[1:], "leaves out x1"),
    ],
)
def test_a_planted_mistake_in_the_order_is_refused(planted, words):
    message = grade_order(planted)
    assert message is not None and words in message, message


def is_topological(order, root) -> bool:
    """Every node of the graph once, each after its parents: the definition, checked directly."""
    position = {id(node): k for k, node in enumerate(order)}
    everything = {id(node) for node in iterative_order(root)}
    return (
        len(position) == len(order) == len(everything)
        and set(position) == everything
        and all(position[id(p)] < position[id(node)] for node in order for p in node.parents)
    )


def random_topological_order(root, rng):
    """Leaves first, then any node whose parents are all listed, picked at random each time."""
    nodes = iterative_order(root)
    children, unlisted = {id(node): [] for node in nodes}, {}
    for node in nodes:
        unlisted[id(node)] = len(node.parents)
        for parent in node.parents:
            children[id(parent)].append(node)
    ready, order = [node for node in nodes if not node.parents], []
    while ready:
        node = ready.pop(rng.randrange(len(ready)))
        order.append(node)
        for child in children[id(node)]:
            unlisted[id(child)] -= 1
            if unlisted[id(child)] == 0:
                ready.append(child)
    return order


kinds = st.sampled_from(["graph", "chain", "ladder"])


def sized(kind: str, size: int) -> int:
    return min(size, LADDER_STEPS) if kind == "ladder" else size


@settings(max_examples=80, **SETTINGS)
@given(seed=st.integers(0, 10**9), kind=kinds, size=st.integers(1, 30), shuffle=st.integers(0, 10**9))
def test_the_order_grader_accepts_exactly_the_valid_orders(seed, kind, size, shuffle):
    program = random_program(random.Random(seed), kind, sized(kind, size))
    rng = random.Random(shuffle)

    def some_order(root):
        """A random topological order (Kahn's algorithm, picking at random), half the time with two entries swapped."""
        order = random_topological_order(root, rng)
        if rng.random() < 0.5 and len(order) > 1:
            i, j = rng.sample(range(len(order)), 2)
            order[i], order[j] = order[j], order[i]
        return order

    found = {}

    def remembered(root):
        found["order"], found["root"] = some_order(root), root
        return found["order"]

    try:
        own_value.check_order(program, remembered)
        accepted = True
    except Wrong:
        accepted = False
    assert accepted == is_topological(found["order"], found["root"])


# -- the random expressions, and the class checked on them against PyTorch -------------------------------------
def test_the_graded_expressions_hold_what_a_class_must_get_right():
    programs = graded_programs()
    steps = [step for program in programs for step in program.steps]
    binary = [step for step in steps if step.op != "tanh"]
    assert any(step.left == step.right for step in binary)  # a node used twice: x * x
    assert any(isinstance(step.left, Number) for step in binary)  # a number on the left
    assert any(isinstance(step.right, Number) for step in binary)  # and on the right
    assert any(isinstance(step.left, Number) and isinstance(step.left.value, int) for step in binary)  # an int
    shared = 0
    for program in programs:
        uses = [o for step in program.steps for o in {step.left, step.right} if isinstance(o, int)]
        shared += any(uses.count(node) > 1 for node in set(uses))
    assert shared > len(programs) / 2  # most expressions share a node between two steps
    assert max(len(program.steps) for program in programs) >= 150  # a deep chain
    assert max(program.paths() for program in programs) > 1000  # a ladder: paths double at every level
    assert all(program.paths() <= MAX_PATHS for program in programs)  # yet a pass path by path ends soon


def test_random_program_refuses_an_unknown_kind_and_a_ladder_too_tall():
    with pytest.raises(ValueError, match="random_program: kind must be graph, chain or ladder"):
        random_program(random.Random(0), "tree", 3)
    with pytest.raises(ValueError, match="a ladder of 40 steps has too many paths; take size <= 24"):
        random_program(random.Random(0), "ladder", 40)


def torch_gradients(program):
    """The output and every leaf's gradient of the program, in PyTorch float64."""
    leaves = []

    def leaf(data):
        leaves.append(torch.tensor(data, dtype=torch.float64, requires_grad=True))
        return leaves[-1]

    nodes = run(program, leaf)
    nodes[-1].backward()
    return nodes[-1].item(), [0.0 if x.grad is None else x.grad.item() for x in leaves]


def agrees(got, want, scale):
    return abs(got - want) <= own_value.RELATIVE * max(abs(want), scale * 1e-3)


@requires_torch
@settings(max_examples=60, **SETTINGS)
@given(seed=st.integers(0, 10**9), kind=kinds, size=st.integers(1, 60))
def test_the_engine_the_class_is_graded_against_agrees_with_pytorch(seed, kind, size):
    import autograd

    program = random_program(random.Random(seed), kind, sized(kind, size))
    nodes = run(program, autograd.Value)
    nodes[-1].backward()
    data, gradients = torch_gradients(program)
    scale = max(abs(g) for g in gradients)
    assert agrees(nodes[-1].data, data, 0.0)
    for k, want in enumerate(gradients):
        assert agrees(nodes[k].grad, want, scale), (program.text(), k)


@requires_torch
@settings(max_examples=60, **SETTINGS)
@given(
    seed=st.integers(0, 10**9),
    kind=kinds,
    size=st.integers(1, 40),
    mistake=st.sampled_from(["none", "depth-first, no sort", "breadth-first, no sort", "= in place of +="]),
)
def test_on_any_expression_a_class_is_refused_exactly_when_its_gradients_differ_from_pytorch(seed, kind, size, mistake):
    program = random_program(random.Random(seed), kind, sized(kind, size))
    cls = RIGHT if mistake == "none" else PLANTED[mistake][0]
    nodes = run(program, cls)
    nodes[-1].backward()
    data, gradients = torch_gradients(program)
    scale = max(abs(g) for g in gradients)
    differs = not agrees(nodes[-1].data, data, 0.0) or any(
        not agrees(nodes[k].grad, want, scale) for k, want in enumerate(gradients)
    )
    try:
        own_value.same_as_engine(program, cls)
        refused = False
    except Wrong:
        refused = True
    assert refused == differs
    assert mistake != "none" or not refused


# -- the two predictions ----------------------------------------------------------------------------------------
def test_the_prediction_of_01_4_is_a_third_of_the_slope():
    """y = x · x · x with = for +=: three paths, each worth x², and one survives (by hand: 1.3² = 1.69)."""
    x = scalar_class(overwrite=True)(1.3)
    y = x * x * x
    y.backward()
    assert math.isclose(x.grad, 1.69, rel_tol=1e-12)
    assert exercises.verdict("01.4", 1.69)[0] is True
    assert exercises.verdict("01.4", 3 * 1.69)[0] is False  # the true slope 3x² = 5.07


def test_the_prediction_of_01_5_is_a_quarter_of_the_slope():
    """f = b + 3(b + 1), b = x · x, b handled before b + 1: b passes on 1 of its 4 (by hand: 2 · 0.85 = 1.7)."""
    Scalar = scalar_class()
    x = Scalar(0.85)
    b = x * x
    r = b + 1
    q = 3 * r
    f = b + q
    f.grad = 1.0
    for node in (f, b, q, r):  # b before r
        node.pass_back()
    assert math.isclose(x.grad, 1.7, rel_tol=1e-12)
    assert exercises.verdict("01.5", 1.7)[0] is True
    assert exercises.verdict("01.5", 8 * 0.85)[0] is False  # the true slope 8x = 6.8


# -- the notebook keeps its promise -------------------------------------------------------------------------------
def exercise_sources(path: Path) -> dict[str, str]:
    cells = json.loads(path.read_text())["cells"]
    return {c["metadata"]["exercise"]: "".join(c["source"]) for c in cells if "exercise" in c.get("metadata", {})}


def code_lines(source: str) -> int:
    """Lines that do something: no blank lines, comments, docstrings, nor the answer and its check."""
    count = 0
    for line in source.splitlines():
        text = line.strip()
        if text and not text.startswith(("#", '"""', "answer =", "exercises.check")):
            count += 1
    return count


def test_the_learner_writes_about_forty_lines_and_the_blank_notebook_leaves_them_to_write():
    solved = exercise_sources(SOLUTIONS)
    written = sum(code_lines(solved[k]) for k in ("01.1", "01.2", "01.3"))
    assert 35 <= written <= 45, written
    blank = exercise_sources(NOTEBOOK)
    for giveaway in (
        "+= local",
        "topological_order(self)",
        "(y, x)",
        "1.0 - math.tanh",
        "order.append",
        "Value(other)",
    ):
        assert not any(giveaway in source for source in blank.values()), giveaway
        assert any(giveaway in source for source in solved.values()), giveaway
