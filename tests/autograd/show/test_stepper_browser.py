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

READABLE_PX = 11  # the smallest text the drawing may show, in screen pixels at the browser's 100 % zoom

# The size of the drawing's smallest text on screen, in CSS pixels: its font size times its own scale.
SMALLEST_TEXT = (
    "() => Math.min(...Array.from(document.querySelectorAll('svg.cr-graph text'))"
    ".filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"
)
SCALE = "() => document.querySelector('svg.cr-graph .cr-node').getScreenCTM().a"


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


@pytest.mark.parametrize("written", ["as notebook 06 builds it", "with binary + and the numbers inline"])
def test_text_is_at_least_11px_and_fits_its_box_for_the_221_network_at_1280(open_page, written):
    loss = network_221()[0] if written == "as notebook 06 builds it" else network_221_binary()
    page = open_page(Stepper(loss))
    for frame in (0, len(Stepper(loss)) - 1):
        page.go(frame)
        sizes = page.js(
            "() => Array.from(document.querySelectorAll('svg.cr-graph text')).filter(t => t.textContent.trim())"
            ".map(t => [parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a, t.getBoundingClientRect().height])"
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


READ_NODES = (
    "() => Array.from(document.querySelectorAll('.cr-node')).map(g => [g.classList.contains('cr-recv'),"
    " g.classList.contains('cr-send'), g.querySelector('.cr-grad').textContent])"
)


@pytest.mark.parametrize("graph", ["2-2-1", "tanh neuron"])
def test_a_box_is_marked_green_only_when_the_gradient_it_shows_changes(open_page, graph):
    root, leaves = network_221() if graph == "2-2-1" else neuron()
    stepper = Stepper(root)
    page = open_page(stepper)
    index = {id(n): i for i, n in enumerate(stepper.scene.order)}
    flows = "() => Array.from(document.querySelectorAll('.cr-edge')).map(e => e.classList.contains('cr-flow'))"
    before = page.js(READ_NODES)
    ever_green = set()
    for f in range(1, len(stepper)):
        page.go(f)
        after = page.js(READ_NODES)
        green = {i for i, (recv, _, _) in enumerate(after) if recv}
        changed = {i for i, (b, a) in enumerate(zip(before, after)) if b[2] != a[2]}
        assert green <= changed, (f, green - changed)  # no green mark without a new number
        ever_green |= green
        frame = stepper.frames[f]
        if frame.kind == "backward":
            step = frame.steps[0]
            receivers = {index[id(e.parent)] for e in step.edges}
            assert green == changed == changed & receivers  # only receivers change, and each one that does is green
            assert {i for i, (_, send, _) in enumerate(after) if send} == {index[id(step.node)]}
            for edge in step.edges:  # each receiver shows its new total from the engine's own pass
                assert after[index[id(edge.parent)]][2] == format_number(edge.parent_grad_after)
            arrows, order = stepper.scene.arrows, stepper.scene.order
            assert {k for k, on in enumerate(page.js(flows)) if on} == {  # a constant (½, y*) receives nothing
                k for k, a in enumerate(arrows) if a.child == index[id(step.node)] and not order[a.parent].is_constant
            }
        before = after
    if graph == "tanh neuron":
        # By hand: n = x1 w1 + x2 w2 + b with x2 = 0, so ∂n/∂w2 = x2 = 0 and w2.grad stays 0: never green.
        x1, x2, w1, w2, b = leaves
        assert index[id(w2)] not in ever_green and before[index[id(w2)]][2] == "0"
        assert {index[id(v)] for v in (x1, x2, w1, b)} <= ever_green
    else:
        root.backward()
        assert page.js(READ_NODES)[index[id(leaves["w22h"])]][2] == format_number(leaves["w22h"].grad)


def test_the_legend_lists_only_the_marks_the_drawing_draws(open_page):
    loss, _ = network_221()
    static = open_page(Stepper(loss), name="static.html", scripts=False)
    legend = "() => Array.from(document.querySelectorAll('.cr-legend li')).filter(li => li.offsetParent).map(li => li.textContent)"
    # The final drawing, without its script, colours leaves, constants and the output, and marks nothing else.
    assert static.js(legend) == [
        "a leaf that gets a gradient (an input or a parameter)",
        "constant: needs no gradient (—)",
        "the output",
    ]
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
    narrow = open_page(Stepper(loss), name="narrow.html", scripts=False, width=700)  # a notebook's output column
    heads = "() => Array.from(document.querySelectorAll('.cr-table th')).map(th => th.getClientRects().length ? th.firstChild.textContent : '')"
    lines = "() => Array.from(document.querySelectorAll('.cr-table th')).map(th => { const r = document.createRange(); r.selectNodeContents(th); return r.getClientRects().length; })"
    assert narrow.js(heads)[:2] == ["step", "pass"] and narrow.js(lines)[:2] == [1, 1]  # no header broken inside a word


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


def wide_chain() -> Value:
    y = Value(1.0, label="x")
    for i in range(24):
        y = y * Value(1.01, label=f"c{i}") + Value(0.0, label=f"d{i}")
    return y


def test_a_wide_graph_pans_to_the_active_node_instead_of_shrinking(open_page):
    stepper = Stepper(wide_chain())
    assert stepper.scene.width > 2500
    page = open_page(stepper)
    assert page.js(SMALLEST_TEXT) >= READABLE_PX * (1 - 1e-4)  # the browser's float32 matrices
    last_forward = max(f for f, frame in enumerate(stepper.frames) if frame.kind == "forward")
    page.go(last_forward)
    visible = (
        "() => { const v = document.querySelector('.cr-viewport').getBoundingClientRect();"
        " const b = document.querySelector('.cr-node.cr-now .cr-box').getBoundingClientRect();"
        " return b.left >= v.left && b.right <= v.right; }"
    )
    assert page.js(visible)
    before = page.js(SCALE)
    page.page.click(".cr-zoom-in")
    assert page.js(SCALE) == pytest.approx(before * 1.25, rel=1e-4)


def test_fit_keeps_the_text_readable_and_minus_then_zooms_out(open_page):
    stepper = Stepper(wide_chain())
    page = open_page(stepper)
    page.page.click(".cr-zoom-in")
    page.page.click(".cr-fit")  # too wide to fit at a readable size: fit at the readable minimum, pan the rest
    assert page.js(SMALLEST_TEXT) == pytest.approx(READABLE_PX, rel=1e-4)
    fitted = page.js(SCALE)
    page.page.click(".cr-zoom-out")
    assert page.js(SCALE) == pytest.approx(fitted * 0.8, rel=1e-4)  # an overview, below the readable size
    page.page.click(".cr-zoom-in")
    assert page.js(SCALE) == pytest.approx(fitted, rel=1e-4)


def test_fit_shows_a_small_graph_whole(open_page):
    o, _ = neuron()
    page = open_page(Stepper(o))
    page.page.click(".cr-zoom-in")
    page.page.click(".cr-zoom-in")
    page.page.click(".cr-fit")
    assert page.js(SMALLEST_TEXT) >= READABLE_PX
    inside = page.js(
        "() => { const v = document.querySelector('.cr-viewport').getBoundingClientRect();"
        " return Array.from(document.querySelectorAll('.cr-box')).every(r => { const b = r.getBoundingClientRect();"
        " return b.left >= v.left && b.right <= v.right && b.top >= v.top && b.bottom <= v.bottom; }); }"
    )
    assert inside


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


def test_without_its_script_on_a_phone_the_drawing_keeps_readable_text_and_scrolls_in_its_box(open_page):
    loss, _ = network_221()
    page = open_page(Stepper(loss), scripts=False, width=390, height=844)
    assert page.js(SMALLEST_TEXT) >= READABLE_PX  # was about 4 px: the whole drawing squeezed into 390 px
    assert page.js("() => document.documentElement.scrollWidth") == 390  # the page no wider than the phone
    box = "() => { const v = document.querySelector('.cr-viewport'); return [v.scrollWidth, v.clientWidth]; }"
    inner, outer = page.js(box)
    assert inner > outer  # the drawing scrolls sideways inside its own box
