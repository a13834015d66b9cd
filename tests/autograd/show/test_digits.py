"""digits.py: Every sum and product a caption shows holds for the numbers it shows: read back from the page's text and
computed exactly, each result is within half a unit of its last digit shown (a tie, which two readers may
round two ways, does not count). Stepper captions, the page's table rows and explain's paths."""

from __future__ import annotations

import re

import pytest

import autograd
import nn
from autograd import explain

from ...helpers import evaluate_shown, holds, read_exact
from ...networks import network_221, network_221_binary


def mlp(sizes):
    return nn.mse_loss(nn.MLP(2, sizes, seed=0)([0.5, -0.2]), 1.0)


GRAPHS = {
    "221": lambda: network_221()[0],
    "221 binary": network_221_binary,
    "mlp 2-1": lambda: mlp([2, 1]),
    "mlp 4-4-1": lambda: mlp([4, 4, 1]),
}
STATIC_ROW = re.compile(r"\.grad = (\S+) · (\S+) = (\S+), now (?:(\S+) \+ (\S+) = )?(\S+)")


def check_forward(line: str) -> bool:
    """A forward caption "s = a + b = 0.1 + (−0.48) = −0.38": True if checked, False if not arithmetic."""
    numbers, result = line.split(" = ")[-2:]
    exact = evaluate_shown(numbers)
    if exact is None:
        return False  # σ(−0.98), relu(...): no exact arithmetic to redo
    assert holds(exact, result), line
    return True


@pytest.mark.parametrize("graph", GRAPHS)
def test_every_caption_row_adds_and_multiplies_out_at_the_digits_it_shows(graph):
    stepper = autograd.Stepper(GRAPHS[graph]())
    spec = stepper._spec(stepper.scene)
    products = sums = forwards = 0
    for frame in spec["frames"]:
        if frame["kind"] == "forward":
            forwards += check_forward(frame["text"][0])
        for row in frame.get("rows", []):  # the live page's table: local × upstream = adds; before → after
            assert "rounded" not in row
            product = read_exact(row["local"]) * read_exact(frame["upstream"])
            assert holds(product, row["added"]), (row, frame["upstream"])
            assert holds(read_exact(row["before"]) + read_exact(row["added"]), row["after"]), row
            products += 1
            sums += row["before"] != "0"
    for line in "\n".join(stepper.captions()).split("\n"):  # the static page's table says the same in words
        row = STATIC_ROW.search(line)
        if row:
            local, upstream, added, before, added_again, after = row.groups()
            assert holds(read_exact(local) * read_exact(upstream), added), line
            if before:
                assert added_again.strip("()") == added
                assert holds(read_exact(before) + read_exact(added), after), line
            else:
                assert added == after, line  # the first contribution is the gradient
    # The rows were found and read; a leaf used twice (x1, x2; a hidden unit of 4-4-1 whose first grads are not 0) gets a running sum.
    assert products >= 14 and forwards >= 6 and sums >= {"mlp 2-1": 0, "mlp 4-4-1": 4}.get(graph, 2)


def test_the_221_network_shows_its_last_running_sum_with_the_digits_it_needs():
    # x2.grad = 0.4 · 0.12722 = 0.050887 (4 digits: 0.05089), then −0.5 · 0.138466 = −0.069233 is added:
    # 0.05089 + (−0.06923) = −0.01834 would not read as the sum −0.018347 shows, −0.01835.
    stepper = autograd.Stepper(network_221()[0])
    last = stepper._spec(stepper.scene)["frames"][-1]["rows"][-1]
    assert (last["parent"], last["after"]) == ("x2", "\u22120.01835")
    assert holds(read_exact(last["before"]) + read_exact(last["added"]), last["after"])
    assert len(last["added"].strip("\u2212").lstrip("0.")) > 4  # more digits than the usual 4
    # L = ½ · e2 = 0.5 · 0.5075 = 0.25375: a tie at 4 digits; e2 gets a digit more (0.50748, so 0.2537).
    assert stepper.frames[14].caption[0] == "L = ½ · e2 = 0.5 · 0.50748 = 0.2537"


@pytest.mark.parametrize("graph", ["221", "mlp 2-1"])
def test_explain_shows_products_and_their_sum_that_hold_at_the_digits_shown(graph):
    root = GRAPHS[graph]()
    leaves = [s.node for s in autograd.Stepper(root).frames[0].steps if not s.node.is_constant]  # w[0,1,0] too
    assert len(leaves) >= 9
    for leaf in leaves:
        text = str(explain(root, leaf))
        factors = [re.findall(r"= (\S+)", line) for line in text.split("\n") if line.startswith(" " * 10 + "∂")]
        products = re.findall(r"product (\S+)", text)
        total = re.search(r"sum of the products: (\S+);", text)[1]
        assert len(factors) == len(products) >= 1
        for numbers, product in zip(factors, products):
            exact = read_exact(numbers[0])
            for number in numbers[1:]:
                exact *= read_exact(number)
            assert holds(exact, product), text
        assert holds(sum(map(read_exact, products)), total), text
