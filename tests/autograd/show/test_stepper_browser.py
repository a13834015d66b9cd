"""The stepper pages in a real browser: headless Chromium driven by Playwright.

Needs Debian's ``chromium`` (or any Chromium on PATH) and the ``playwright`` package;
without them these tests are skipped with the reason in the summary, except where
``CHAINRULE_REQUIRE_BROWSER=1`` (as in CI), where a missing browser is a failure (the fixture is in conftest.py).
"""

from __future__ import annotations

import pytest

import autograd
from autograd import Stepper, Value
from autograd.show.text import format_number

from ...helpers import BrowserPage
from ...networks import network_221, network_221_binary, neuron


class Page(BrowserPage):
    """One stepper page open in the browser, with the console watched for errors."""

    def step(self, root_index: int = 0) -> int:
        return int(self.page.locator(".cr-stepper").nth(root_index).get_attribute("data-step"))

    def go(self, frame: int) -> None:
        self.page.locator(".cr-slider").first.evaluate(
            "(e, f) => { e.value = f; e.dispatchEvent(new Event('input')); }", frame
        )

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser, tmp_path, opened_pages):

    def opener(stepper_or_html, name="page.html", **kwargs):
        path = tmp_path / name
        if isinstance(stepper_or_html, str):
            path.write_text(stepper_or_html)
        else:
            stepper_or_html.save(path)
        page = Page(browser, path, **kwargs)
        opened_pages.append(page)
        return page

    return opener


CONTROLS = [".cr-next", ".cr-prev", ".cr-first", ".cr-last", ".cr-zoom-in", ".cr-zoom-out", ".cr-fit", ".cr-slider"]


@pytest.mark.parametrize("control", CONTROLS)
def test_one_step_per_key_press_after_clicking_any_control(open_page, control):
    o, _ = neuron()
    stepper = Stepper(o)
    page = open_page(stepper)
    page.go(3)
    page.page.click(control)
    start = page.step()
    page.page.keyboard.press("ArrowRight")
    assert page.step() == min(start + 1, len(stepper) - 1)
    page.page.keyboard.press("ArrowLeft")
    page.page.keyboard.press("ArrowLeft")
    assert page.step() == max(min(start + 1, len(stepper) - 1) - 2, 0)
    page.page.keyboard.press("End")
    assert page.step() == len(stepper) - 1
    page.page.keyboard.press("Home")
    assert page.step() == 0


def test_buttons_and_slider(open_page):
    o, _ = neuron()
    stepper = Stepper(o)
    page = open_page(stepper)
    last = len(stepper) - 1
    assert page.step() == 0
    page.page.click(".cr-next")
    page.page.click(".cr-next")
    assert page.step() == 2
    page.page.click(".cr-prev")
    assert page.step() == 1
    page.page.click(".cr-last")
    assert page.step() == last
    page.page.click(".cr-next")  # stays on the last frame
    assert page.step() == last
    page.page.click(".cr-first")
    assert page.step() == 0
    page.go(5)
    assert page.step() == 5
    assert page.page.locator(".cr-position").inner_text() == f"Forward · step 6 of {last + 1}"


def node_boxes(page: Page) -> list[list[float]]:
    return page.js(
        "() => Array.from(document.querySelectorAll('.cr-node .cr-box')).map(r => {"
        " const b = r.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; })"
    )


def test_every_frame_shows_the_same_geometry(open_page):
    loss, _ = network_221()
    stepper = Stepper(loss)
    page = open_page(stepper)
    first = node_boxes(page)
    assert len(first) == len(stepper.order)
    for frame in range(1, len(stepper)):
        page.go(frame)
        assert node_boxes(page) == first, frame  # to the pixel, in every frame


@pytest.mark.parametrize("written", ["as notebook 04 builds it", "with binary + and the numbers inline"])
def test_text_is_at_least_11px_and_fits_its_box_for_the_221_network_at_1280(open_page, written):
    loss = network_221()[0] if written == "as notebook 04 builds it" else network_221_binary()
    page = open_page(Stepper(loss))
    for frame in (0, len(Stepper(loss)) - 1):
        page.go(frame)
        sizes = page.js(
            "() => { const svg = document.querySelector('svg.cr-graph'); const scale = svg.getScreenCTM().a;"
            " return Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()).map(t =>"
            " [parseFloat(getComputedStyle(t).fontSize) * scale, t.getBoundingClientRect().height]); }"
        )
        assert sizes and min(size for size, _ in sizes) >= 11
        assert min(height for _, height in sizes) >= 11
        overflow = page.js(
            "() => Array.from(document.querySelectorAll('.cr-node')).flatMap(g => {"
            " const box = g.querySelector('.cr-box').getBoundingClientRect();"
            " return Array.from(g.querySelectorAll('text')).filter(t => {"
            "  const b = t.getBoundingClientRect();"
            "  return b.left < box.left - 0.5 || b.right > box.right + 0.5; }).map(t => t.textContent); })"
        )
        assert overflow == []
    width = page.js("() => document.querySelector('svg.cr-graph').getBoundingClientRect().right")
    assert width <= 1280  # the whole network is in view: nothing to pan
    inside = page.js(
        "() => { const v = document.querySelector('.cr-viewport').getBoundingClientRect();"
        " return Array.from(document.querySelectorAll('.cr-node .cr-box')).every(r => {"
        "  const b = r.getBoundingClientRect(); return b.left >= v.left && b.right <= v.right; }); }"
    )
    assert inside  # the output L too: no box is cut off at the right


def test_backward_frames_mark_exactly_the_parents_that_receive_a_gradient(open_page):
    loss, V = network_221()
    stepper = Stepper(loss)
    page = open_page(stepper)
    index = {id(n): i for i, n in enumerate(stepper.scene.order)}
    read = (
        "() => Array.from(document.querySelectorAll('.cr-node')).map(g => [g.classList.contains('cr-recv'),"
        " g.classList.contains('cr-send'), g.querySelector('.cr-grad').textContent])"
    )
    flows = "() => Array.from(document.querySelectorAll('.cr-edge')).map(e => e.classList.contains('cr-flow'))"
    for f, frame in enumerate(stepper.frames):
        if frame.kind != "backward":
            continue
        page.go(f - 1)
        before = page.js(read)
        page.go(f)
        after = page.js(read)
        step = frame.steps[0]
        receivers = {index[id(e.parent)] for e in step.edges}
        assert {i for i, (recv, _, _) in enumerate(after) if recv} == receivers
        assert {i for i, (_, send, _) in enumerate(after) if send} == {index[id(step.node)]}
        changed = {i for i, (b, a) in enumerate(zip(before, after)) if b[2] != a[2]}
        assert changed <= receivers
        for edge in step.edges:  # each receiver shows its new total from the engine's own pass
            assert after[index[id(edge.parent)]][2] == format_number(edge.parent_grad_after)
        arrows, order = stepper.scene.arrows, stepper.scene.order
        assert {k for k, on in enumerate(page.js(flows)) if on} == {  # a constant (½, y*) receives nothing
            k for k, a in enumerate(arrows) if a.child == index[id(step.node)] and not order[a.parent].is_constant
        }
    loss.backward()
    assert page.js(read)[index[id(V["w22h"])]][2] == format_number(V["w22h"].grad)


def test_quiz_accepts_right_answers_and_refuses_wrong_ones(open_page):
    o, _ = neuron()
    stepper = Stepper(o, quiz=True)
    page = open_page(stepper)
    first_backward = next(f for f, frame in enumerate(stepper.frames) if frame.kind == "backward")
    page.go(first_backward)
    edge = stepper.frames[first_backward].steps[0].edges[0]  # n.grad from o: local 1 - o^2 = 0.5, new total 0.5
    assert page.page.locator(".cr-node.cr-recv .cr-grad").first.text_content() == "?"  # hidden until answered
    page.page.fill('input[data-field="local"]', format_number(edge.local))
    page.page.fill('input[data-field="after"]', "0.5004")  # within half a unit of the third digit of 0.5
    page.page.click(".cr-check")
    assert page.page.locator(".cr-caption .cr-right").count() == 2
    assert page.page.locator(".cr-score").inner_text() == "Quiz: 2 of 2 right"
    page.page.click(".cr-next")
    frame = stepper.frames[first_backward + 1]
    for r, e in enumerate(frame.steps[0].edges):
        page.page.fill(f'input[data-row="{r}"][data-field="local"]', "-" + format_number(e.local))  # wrong sign
        page.page.fill(f'input[data-row="{r}"][data-field="after"]', format_number(e.parent_grad_after))
    page.page.keyboard.press("Enter")
    rows = len(frame.steps[0].edges)
    assert page.page.locator(".cr-caption .cr-wrong").count() == rows
    assert page.page.locator(".cr-score").inner_text() == f"Quiz: {2 + rows} of {2 + 2 * rows} right"


@pytest.mark.parametrize(
    "answer, accepted",
    [("0.7124", True), ("0.712", True), ("0.71245", True), ("0.713", False), ("0.71", False), ("−0.712", False),
     ("abc", False), ("", False)],
)  # fmt: skip
def test_quiz_takes_three_significant_digits(open_page, answer, accepted):
    loss, _ = network_221()
    stepper = Stepper(loss, quiz=True)
    f, k = next(
        (f, k)
        for f, frame in enumerate(stepper.frames)
        if frame.kind == "backward"
        for k, e in enumerate(frame.steps[0].edges)
        if format_number(e.parent_grad_after) == "0.7124"  # by hand: y - y* = 1.212 - 0.5
    )
    page = open_page(stepper)
    page.go(f)
    for r, e in enumerate(stepper.frames[f].steps[0].edges):
        page.page.fill(f'input[data-row="{r}"][data-field="local"]', format_number(e.local))
        page.page.fill(
            f'input[data-row="{r}"][data-field="after"]', answer if r == k else format_number(e.parent_grad_after)
        )
    page.page.click(".cr-check")
    row = page.page.locator(".cr-caption tr").nth(k + 1)
    assert row.locator(".cr-right").count() == (2 if accepted else 1)


def test_the_legend_lists_only_the_marks_the_drawing_draws(open_page):
    loss, _ = network_221()
    static = open_page(Stepper(loss), name="static.html", scripts=False)
    legend = "() => Array.from(document.querySelectorAll('.cr-legend li')).filter(li => li.offsetParent).map(li => li.textContent)"
    # The final drawing, without its script, colours leaves, constants and the output, and marks nothing else.
    assert static.js(legend) == ["input or parameter (a leaf)", "constant: needs no gradient (—)", "the output"]
    assert static.page.locator(".cr-now, .cr-send, .cr-recv, .cr-src, .cr-flow, .cr-in").count() == 0
    live = open_page(Stepper(loss), name="live.html")
    shown = live.js(legend)
    assert shown[:3] == static.js(legend) and len(shown) == 7  # the frames' marks, and ? for a value not yet computed
    assert "passes its gradient back along the orange arrows" in shown


def test_the_page_reads_without_its_script(open_page):
    loss, V = network_221()
    page = open_page(Stepper(loss), scripts=False)
    assert page.page.locator(".cr-controls").is_hidden()
    assert page.page.locator(".cr-table").is_visible()
    rows = page.page.locator(".cr-table tbody tr").count()
    assert rows == len(Stepper(loss))
    loss.backward()
    texts = page.page.locator(".cr-grad").all_text_contents()
    assert format_number(V["w22h"].grad) in texts and "?" not in texts


def test_keys_move_only_the_stepper_last_clicked(open_page):
    o, _ = neuron()
    loss, _ = network_221()
    page_html = (
        "<!DOCTYPE html><html><body>" + Stepper(o)._repr_html_() + Stepper(loss)._repr_html_() + "</body></html>"
    )
    page = open_page(page_html)
    page.page.keyboard.press("ArrowRight")  # nothing clicked yet: no stepper takes the key
    assert (page.step(0), page.step(1)) == (0, 0)
    page.page.locator(".cr-next").nth(1).click()
    page.page.keyboard.press("ArrowRight")
    assert (page.step(0), page.step(1)) == (0, 2)
    page.page.locator(".cr-title").nth(0).click()
    page.page.keyboard.press("ArrowRight")
    assert (page.step(0), page.step(1)) == (1, 2)


def test_a_wide_graph_pans_to_the_active_node_instead_of_shrinking(open_page):
    y = Value(1.0, label="x")
    for i in range(24):
        y = y * Value(1.01, label=f"c{i}") + Value(0.0, label=f"d{i}")
    stepper = Stepper(y)
    assert stepper.scene.width > 2500
    page = open_page(stepper)
    scale = "() => document.querySelector('svg.cr-graph').getScreenCTM().a"
    assert page.js(scale) >= 11 / 12 - 1e-9  # 12 px text stays at least 11 px
    last_forward = max(f for f, frame in enumerate(stepper.frames) if frame.kind == "forward")
    page.go(last_forward)
    visible = (
        "() => { const v = document.querySelector('.cr-viewport').getBoundingClientRect();"
        " const b = document.querySelector('.cr-node.cr-now .cr-box').getBoundingClientRect();"
        " return b.left >= v.left && b.right <= v.right; }"
    )
    assert page.js(visible)
    before = page.js(scale)
    page.page.click(".cr-zoom-in")
    assert page.js(scale) == pytest.approx(before * 1.25)
    page.page.click(".cr-fit")
    assert page.js(scale) * stepper.scene.width <= 1280
    fitted = page.js(scale)
    box = page.page.locator(".cr-viewport").bounding_box()
    page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.page.mouse.wheel(0, -200)  # the standalone page's stepper is active: the wheel zooms in
    page.page.wait_for_timeout(50)
    assert page.js(scale) > fitted


def test_trace_of_the_page_matches_the_engine(open_page):
    # The last frame shows what backward() computes, for a graph with two paths into one input.
    x = Value(3.0, label="x")
    z = x * Value(-2.0, label="y")
    out = z * x + z
    stepper = Stepper(out)
    page = open_page(stepper)
    page.page.keyboard.press("End")
    out.backward()
    index = {id(n): i for i, n in enumerate(stepper.scene.order)}
    shown = page.page.locator(".cr-grad").all_text_contents()
    for node in autograd.topological_order(out):
        assert shown[index[id(node)]] == format_number(node.grad)


HOSTILE_LABELS = ["<!--<script>", "</script><script>alert(1)</script>", "]]>", "\"'&", "line\u2028break"]


def test_labels_that_look_like_markup_are_shown_as_text_and_the_page_runs(open_page):
    a, b, c = (Value(v, label=name) for v, name in zip((2.0, 3.0, 1.0), HOSTILE_LABELS))
    product = a * b
    product.label = HOSTILE_LABELS[3]
    out = (product + c).tanh()
    out.label = HOSTILE_LABELS[4]
    stepper = Stepper(out)
    page = open_page(stepper)
    dialogs = []
    page.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.page.reload()  # a script smuggled in by a label would run again, now with the dialog watched
    # The page's own two scripts (its data and its code) and no other; its controls are up, so the code ran.
    assert page.js("() => document.querySelectorAll('script').length") == 2
    assert page.page.locator(".cr-controls").is_visible()
    names = page.js("() => Array.from(document.querySelectorAll('.cr-node .cr-name')).map(t => t.textContent)")
    assert sorted(names) == sorted([*HOSTILE_LABELS, "n1"])  # product + c has no label
    caption = "() => document.querySelector('.cr-caption').textContent"
    assert all(name in page.js(caption) for name in HOSTILE_LABELS[:3])  # the first frame lists the leaves
    for frame in range(1, 4):
        page.page.click(".cr-next")
        assert page.step() == frame
    page.page.keyboard.press("End")
    assert page.step() == len(stepper) - 1
    assert HOSTILE_LABELS[3] in page.js(caption)  # the last frame: the product passes its gradient to a and b
    assert dialogs == []
