"""The stepper's quiz (static/quiz.js) in a real browser: which answers count as right, what a learner sees
after a wrong or unreadable answer, the second try, the score and the summary at the end.

Needs Chromium and playwright, like test_stepper_browser.py (the ``browser`` fixture is in conftest.py).
"""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Stepper, Value

from ...networks import network_221, neuron
from .test_stepper_browser import Page

# out = x·y with numbers whose 4-digit forms end in 5: ∂out/∂x = y and ∂out/∂y = x, by the product rule.
X, Y = 0.50749, 1.42496  # shown as 0.5075 and 1.425


@pytest.fixture
def open_quiz(browser, tmp_path, opened_pages):
    def opener(stepper: Stepper, **kwargs) -> Page:
        path = tmp_path / "quiz.html"
        stepper.save(path)
        page = Page(browser, path, **kwargs)
        opened_pages.append(page)
        return page

    return opener


def product():
    x, y = Value(X, label="x"), Value(Y, label="y")
    out = x * y
    out.label = "out"
    return out, x, y


def backward_frames(stepper: Stepper) -> list[int]:
    return [f for f, frame in enumerate(stepper.frames) if frame.kind == "backward"]


def row_of(stepper: Stepper, f: int, value: Value) -> int:
    return next(k for k, e in enumerate(stepper.frames[f].steps[0].edges) if e.parent is value)


def fill(page: Page, row: int, field: str, text: str) -> None:
    page.page.fill(f'.cr-caption input[data-row="{row}"][data-field="{field}"]', text)


def cell(page: Page, row: int, field: str):
    """The caption's table cell of one number: the local derivative (column 2) or the new grad (column 5)."""
    return page.page.locator(".cr-caption tr").nth(row + 1).locator("td").nth(1 if field == "local" else 4)


def score(page: Page) -> str:
    return page.page.locator(".cr-score").inner_text()


def open_product_quiz(open_quiz):
    out, x, y = product()
    stepper = Stepper(out, quiz=True)
    page = open_quiz(stepper)
    (f,) = backward_frames(stepper)
    page.go(f)
    return page, stepper, f, row_of(stepper, f, x), row_of(stepper, f, y)


def answer_all_right(page: Page, rx: int, ry: int) -> None:
    """The product rule by hand: x's local derivative and new grad are y (out.grad = 1); y's are x."""
    for row, value in ((rx, Y), (ry, X)):
        for field in ("local", "after"):
            fill(page, row, field, f"{value:.3g}")


@pytest.mark.parametrize(
    "which, answer, accepted",
    [("x", "1.425", True), ("x", "1.43", True), ("x", "1.42", True), ("x", "1,425", True), ("x", "1.4249", True),
     ("x", "1.44", False), ("x", "1.41", False), ("x", "1.4", False), ("x", "−1.42", False),
     ("y", "0.508", True), ("y", "0.507", True), ("y", "5.075e-1", True), ("y", "0.509", False), ("y", "0.51", False)],
)  # fmt: skip
def test_right_is_agreeing_with_the_shown_value_to_3_significant_digits(open_quiz, which, answer, accepted):
    # Within one unit of the third significant digit of 1.42496 (0.01) or of 0.50749 (0.001): both roundings
    # of the shown 1.425 (1.42, 1.43) and of 0.5075 (0.507, 0.508) count; 1.44 and 0.509 are two units off.
    page, _, _, rx, ry = open_product_quiz(open_quiz)
    answer_all_right(page, rx, ry)
    row = rx if which == "x" else ry
    fill(page, row, "local", answer)
    page.page.click(".cr-check")
    local = cell(page, row, "local")
    if accepted:
        assert local.locator(".cr-right").count() == 1
        assert local.locator(".cr-typed").inner_text() == answer  # what the learner typed stays in view
        assert score(page) == "Quiz over: 4 right · 0 wrong · 0 skipped (of 4)"
    else:
        assert local.locator(".cr-wrong").count() == 1
        assert local.locator("input").input_value() == answer  # a second try, starting from the first
        assert page.page.locator(".cr-caption .cr-right").count() == 3
        assert score(page) == "Quiz: 0 right · 0 wrong · 0 skipped"  # counted when the frame closes


def test_a_wrong_answer_gets_one_more_try_then_shows_what_was_typed_beside_the_right_answer(open_quiz):
    page, _, _, rx, ry = open_product_quiz(open_quiz)
    answer_all_right(page, rx, ry)
    fill(page, rx, "local", "1.5")
    page.page.keyboard.press("Enter")
    assert "try again" in cell(page, rx, "local").inner_text()
    assert page.page.locator(".cr-caption input").count() == 1  # the three right answers are settled
    fill(page, rx, "local", "1.6")
    page.page.click(".cr-check")
    local = cell(page, rx, "local")
    assert local.locator("input").count() == 0
    assert local.locator(".cr-typed").inner_text() == "1.6"
    assert "right: 1.425" in local.inner_text()
    assert score(page) == "Quiz over: 3 right · 1 wrong · 0 skipped (of 4)"
    assert page.page.locator(".cr-caption .cr-summary").inner_text() == score(page)


def test_right_on_the_second_try_counts_as_right(open_quiz):
    page, _, _, rx, ry = open_product_quiz(open_quiz)
    answer_all_right(page, rx, ry)
    fill(page, ry, "after", "0.6")
    page.page.click(".cr-check")
    fill(page, ry, "after", "0.5075")
    page.page.click(".cr-check")
    assert page.page.locator(".cr-caption .cr-wrong").count() == 0
    assert score(page) == "Quiz over: 4 right · 0 wrong · 0 skipped (of 4)"


@pytest.mark.parametrize("unreadable", ["1/2", "e2", "", "abc", "1.2.3"])
def test_unreadable_input_is_reported_as_unreadable_not_wrong_and_not_counted(open_quiz, unreadable):
    page, _, _, rx, ry = open_product_quiz(open_quiz)
    answer_all_right(page, rx, ry)
    fill(page, rx, "after", unreadable)
    page.page.click(".cr-check")
    message = page.page.locator(".cr-caption .cr-message").inner_text()
    assert (f"“{unreadable}”" if unreadable else "an empty box") in message and "nothing was counted" in message
    assert "\u22121.5e\u22123" in message  # one minus glyph, the one every number is shown with
    assert page.page.locator(".cr-caption .cr-wrong, .cr-caption .cr-right").count() == 0
    assert page.page.locator(".cr-caption input").count() == 4  # every box still open, holding what was typed
    assert page.page.locator(f'input[data-row="{rx}"][data-field="after"]').input_value() == unreadable
    assert score(page) == "Quiz: 0 right · 0 wrong · 0 skipped"
    # The unreadable check used up no try: a wrong answer now still gets its second try.
    fill(page, rx, "after", "2")
    page.page.click(".cr-check")
    assert "try again" in cell(page, rx, "after").inner_text()
    fill(page, rx, "after", "1.42")
    page.page.click(".cr-check")
    assert score(page) == "Quiz over: 4 right · 0 wrong · 0 skipped (of 4)"


def by_hand(node: Value, parent: Value, leaves) -> tuple[float, float]:
    """The tanh neuron's local derivative and the parent's new grad, from o = tanh(n) = 1/√2.

    ∂o/∂n = 1 − o² = 1/2, so everything before n gets n.grad = 1/2 through the sums (local 1); a product
    w_i·x_i passes each factor the other factor times 1/2. Every node has one path to o: new = local × 1/2.
    """
    if parent.label == "n":
        return 0.5, 0.5
    factors = [p for p in node.parents if any(p is leaf for leaf in leaves)]
    if len(factors) == 2:  # a product of two leaves
        other = factors[1] if factors[0] is parent else factors[0]
        return other.data, other.data * 0.5
    return 1.0, 0.5


def answer(page: Page, stepper: Stepper, f: int, leaves, wrong: tuple[int, str] | None = None) -> None:
    step = stepper.frames[f].steps[0]
    for k, edge in enumerate(step.edges):
        local, after = by_hand(step.node, edge.parent, leaves)
        for field, value in (("local", local), ("after", after)):
            if page.page.locator(f'.cr-caption input[data-row="{k}"][data-field="{field}"]').count():  # still open
                fill(page, k, field, "9.99" if wrong == (k, field) else f"{value:.4g}")
    page.page.click(".cr-check")


def test_the_end_shows_how_many_were_right_wrong_and_skipped(open_quiz):
    o, leaves = neuron()
    stepper = Stepper(o, quiz=True)
    page = open_quiz(stepper)
    frames = backward_frames(stepper)
    asked = {f: 2 * len(stepper.frames[f].steps[0].edges) for f in frames}  # two boxes per row
    assert score(page) == "Quiz: 0 right · 0 wrong · 0 skipped"
    page.go(frames[0])
    answer(page, stepper, frames[0], leaves)
    assert score(page) == f"Quiz: {asked[frames[0]]} right · 0 wrong · 0 skipped"
    page.page.click(".cr-next")  # frames[1] is left without an answer
    page.page.click(".cr-next")
    assert score(page) == f"Quiz: {asked[frames[0]]} right · 0 wrong · {asked[frames[1]]} skipped"
    answer(page, stepper, frames[2], leaves, wrong=(0, "local"))
    answer(page, stepper, frames[2], leaves, wrong=(0, "local"))  # wrong again: settled as wrong
    page.page.keyboard.press("End")  # the frames between are never answered
    answer(page, stepper, frames[-1], leaves)
    right = asked[frames[0]] + asked[frames[2]] - 1 + asked[frames[-1]]
    skipped = sum(asked.values()) - right - 1
    summary = f"Quiz over: {right} right · 1 wrong · {skipped} skipped (of {sum(asked.values())})"
    assert score(page) == summary
    assert page.page.locator(".cr-caption .cr-summary").inner_text() == summary


def test_the_quiz_hides_the_boxes_it_asks_for_and_the_table_of_steps_until_it_is_over(open_quiz):
    page, stepper, f, rx, ry = open_product_quiz(open_quiz)
    assert page.page.locator(".cr-steps").is_hidden()  # the table holds every answer
    assert page.page.locator(".cr-quiz-hint").is_visible()
    assert page.page.locator(".cr-node.cr-recv .cr-grad").all_text_contents() == ["?", "?"]
    assert "?" in page.page.locator(".cr-caption td").nth(3).inner_text()  # "= adds" is asked for too
    answer_all_right(page, rx, ry)
    page.page.click(".cr-check")
    assert page.page.locator(".cr-steps").is_visible()
    grads = page.page.locator(".cr-node.cr-recv .cr-grad").all_text_contents()
    assert sorted(float(g) for g in grads) == pytest.approx(sorted([X, Y]), rel=1e-3)


def test_skip_shows_the_answers_and_counts_them_as_skipped(open_quiz):
    page, _, _, rx, _ = open_product_quiz(open_quiz)
    page.page.click(".cr-skip")
    assert page.page.locator(".cr-caption input").count() == 0
    assert "(skipped)" in cell(page, rx, "local").inner_text()
    assert score(page) == "Quiz over: 0 right · 0 wrong · 4 skipped (of 4)"


def test_the_quiz_page_reads_without_its_script(open_quiz):
    out, _, _ = product()
    page = open_quiz(Stepper(out, quiz=True), scripts=False)
    assert page.page.locator(".cr-table").is_visible()  # nothing runs, nothing to give away
    assert page.page.locator(".cr-score").is_hidden()


def test_a_rule_that_is_a_number_is_not_shown_before_the_answer(open_quiz):
    a, b = Value(2.0, label="a"), Value(0.5, label="b")
    out = a - b
    out.label = "out"
    stepper = Stepper(out, quiz=True)
    page = open_quiz(stepper)
    (f,) = backward_frames(stepper)
    page.go(f)
    for row in (row_of(stepper, f, a), row_of(stepper, f, b)):  # ∂out/∂a = 1 and ∂out/∂b = −1: the answers
        local = cell(page, row, "local")
        assert not any(ch.isdigit() for ch in local.inner_text()), local.inner_text()
        assert local.locator("input").count() == 1


def test_going_back_leaves_a_question_open_and_moving_on_skips_it(open_quiz):
    o, leaves = neuron()
    stepper = Stepper(o, quiz=True)
    page = open_quiz(stepper)
    frames = backward_frames(stepper)
    asked = {f: 2 * len(stepper.frames[f].steps[0].edges) for f in frames}  # two boxes per row
    page.page.keyboard.press("End")
    page.page.keyboard.press("ArrowLeft")  # back from the last question: it stays open, the quiz goes on
    assert score(page) == "Quiz: 0 right · 0 wrong · 0 skipped"
    page.page.keyboard.press("ArrowRight")  # on from the one before: that one is skipped
    assert page.page.locator(".cr-caption input").count() == asked[frames[-1]]
    assert score(page) == f"Quiz: 0 right · 0 wrong · {asked[frames[-2]]} skipped"
    page.go(frames[0])
    page.page.keyboard.press("PageDown")  # on to the next step, as a clicker would
    assert score(page) == f"Quiz: 0 right · 0 wrong · {asked[frames[-2]] + asked[frames[0]]} skipped"


# Where a button is: how many px of it lie outside the caption box or the window (0: all in sight).
BUTTONS_CUT = """() => { const c = document.querySelector('.cr-caption').getBoundingClientRect();
  return ['.cr-check', '.cr-skip'].map(s => { const b = document.querySelector(s).getBoundingClientRect();
    return Math.max(0, c.top - b.top, b.bottom - Math.min(c.bottom, window.innerHeight), c.left - b.left,
                    b.right - Math.min(c.right, window.innerWidth)); }); }"""


# Whether the box that has the focus lies whole in the caption box, above the bar of Check and Skip.
FOCUSED_IN_SIGHT = """() => { const box = document.activeElement;
  if (!box || box.tagName !== 'INPUT') return null;
  const c = document.querySelector('.cr-caption').getBoundingClientRect(), r = box.getBoundingClientRect();
  return r.top >= c.top - 1 && r.bottom <= document.querySelector('.cr-answer').getBoundingClientRect().top + 1; }"""


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
@pytest.mark.parametrize("network", ["221", "mlp 2-1"])
def test_check_and_skip_are_in_sight_on_every_question_before_and_after_a_wrong_try(open_quiz, size, network):
    # A question of three rows was taller than the caption box: its buttons were half cut off (12 to 98 px).
    loss = network_221()[0] if network == "221" else nn.mse_loss(nn.MLP(2, [2, 1], seed=0)([0.5, -0.2]), 1.0)
    stepper = Stepper(loss, quiz=True)
    page = open_quiz(stepper, width=size[0], height=size[1])
    questions = [
        f for f in backward_frames(stepper) if any(e.parent.grad is not None for e in stepper.frames[f].steps[0].edges)
    ]
    assert len(questions) >= 10
    for f in questions:
        page.go(f)
        assert page.js("() => document.querySelector('.cr-caption').scrollTop") == 0
        assert page.js(BUTTONS_CUT) == [0, 0], f
        page.js("() => document.querySelectorAll('.cr-caption input[data-row]').forEach(i => { i.value = '12345'; })")
        page.page.click(".cr-check")  # wrong everywhere: each box is marked and a line says so
        assert page.page.locator(".cr-caption .cr-message").count() == 1
        assert page.js(BUTTONS_CUT) == [0, 0], f
    # Row 0 right and the others wrong: the box to type again is lower down, and must not be under the bar.
    page = open_quiz(stepper, width=size[0], height=size[1])  # a new quiz: moving on closed every question
    for f in questions:
        edges = stepper.frames[f].steps[0].edges
        if len(edges) < 3:
            continue
        page.go(f)
        right = {"local": edges[0].local, "after": edges[0].parent_grad_after}
        page.js(
            "(right) => document.querySelectorAll('.cr-caption input[data-row]').forEach(i => { i.value ="
            " i.getAttribute('data-row') === '0' ? String(right[i.getAttribute('data-field')]) : '12345'; })",
            right,
        )
        page.page.click(".cr-check")
        page.js("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        assert page.js(FOCUSED_IN_SIGHT) is True, f


def sigmoid(s: float) -> float:
    return 1 / (1 + math.exp(-s))


def test_the_221_quiz_does_not_give_away_a_local_derivative_and_shows_what_was_answered_right(open_quiz):
    stepper = Stepper(network_221()[0], quiz=True)
    page = open_quiz(stepper)
    first, *_ = backward_frames(stepper)
    page.go(first)  # L = ½ · e2: ∂L/∂e2 is the constant ½, the answer itself
    local = cell(page, 0, "local")
    assert local.locator("input").count() == 1
    assert local.inner_text().strip() == "∂L/∂e2 ="  # not "∂L/∂e2 = ½ = [ ]"
    # y = w01o + v1 + v2 passes y.grad = ∂L/∂y = e = y − y* to each (local 1). By hand from the lecture's numbers:
    z1, z2 = sigmoid(0.1 - 0.6 * 0.8 + 0.4 * -1.5), sigmoid(0.3 + 0.7 * 0.8 - 0.5 * -1.5)
    e = -0.2 + 0.9 * z1 + 1.4 * z2 - 0.5
    f = next(f for f in backward_frames(stepper) if stepper.names[id(stepper.frames[f].steps[0].node)] == "y")
    page.go(f)
    rows = [stepper.names[id(edge.parent)] for edge in stepper.frames[f].steps[0].edges]
    for k in range(len(rows)):
        fill(page, k, "local", "1")
        fill(page, k, "after", f"{e:.3g}" if k == 0 else "9")  # the first grad right, the others wrong
    page.page.click(".cr-check")
    grads = page.js(
        "(names) => names.map(n => Array.from(document.querySelectorAll('.cr-node')).find("
        "g => g.querySelector('.cr-name').textContent.trim() === n).querySelector('.cr-grad').textContent)",
        rows,
    )
    assert float(grads[0].replace("\u2212", "-")) == pytest.approx(e, abs=5e-4)  # answered right: shown
    assert grads[1:] == ["?", "?"]  # still asked for
    adds = [page.page.locator(".cr-caption tr").nth(k + 1).locator("td").nth(3).inner_text() for k in range(len(rows))]
    # Row 0 answered right: what it adds is shown (local 1 × e = e); the rows still asked keep their "?".
    assert float(adds[0].strip("= ").replace("\u2212", "-")) == pytest.approx(e, abs=5e-4)
    assert [a.strip() for a in adds[1:]] == ["= ?", "= ?"]
