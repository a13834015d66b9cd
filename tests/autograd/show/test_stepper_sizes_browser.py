"""The stepper page on the screens of a class, in Chromium: a big network opens with its drawing in the first
window, the 2-2-1 network fits a 1280 × 800 window and a projector at 150 % zoom, a phone shows nothing wider
than itself, the wheel scrolls the page (Ctrl + wheel and a pinch zoom), a presentation clicker steps, and a
step of a 744-frame page touches only what it changes.

Needs Chromium and playwright, like test_stepper_browser.py (the ``browser`` fixture is in conftest.py).
"""

from __future__ import annotations

import pytest

import nn
from autograd import Stepper

from ...networks import network_221, neuron
from .test_stepper_browser import READABLE_PX, SCALE, SMALLEST_TEXT, Page


@pytest.fixture
def open_page(browser, tmp_path, opened_pages):
    def opener(stepper: Stepper, name="page.html", **kwargs) -> Page:
        path = stepper.save(tmp_path / name)
        page = Page(browser, path, **kwargs)
        opened_pages.append(page)
        return page

    return opener


@pytest.fixture(scope="module")
def mlp_page(tmp_path_factory):
    """The stepper of MLP(2, [16, 16, 1]) on one example with a square loss, drawn as the lectures draw it: 744 frames."""
    model = nn.MLP(2, [16, 16, 1], seed=0)
    loss = nn.mse_loss(model([0.5, -0.2]), 1.0)
    stepper = Stepper(loss, max_nodes=2000)
    path = tmp_path_factory.mktemp("mlp") / "mlp.html"
    stepper.save(path)
    return path, stepper


class ZoomedPage(Page):
    """A page as Chromium shows it at ``zoom`` browser zoom on a screen ``width`` × ``height`` pixels wide: the page
    gets width/zoom × height/zoom CSS pixels of ``zoom`` screen pixels each, while the window's outerWidth and
    outerHeight stay ``width`` and ``height`` (screen pixels), as Chromium reports them."""

    def __init__(self, browser, path, width: int, height: int, zoom: float):
        size = {"width": round(width / zoom), "height": round(height / zoom)}
        self.context = browser.new_context(viewport=size, device_scale_factor=zoom)
        self.context.add_init_script(
            f"Object.defineProperty(window, 'outerWidth', {{ get: () => {width} }});"
            f"Object.defineProperty(window, 'outerHeight', {{ get: () => {height} }});"
        )
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())


CAPTION_SIZES = "() => { const c = document.querySelector('.cr-caption'); return [c.scrollHeight, c.clientHeight]; }"  # how tall its text is, how tall its box


def rect(page: Page, selector: str) -> dict:
    return page.js(f"() => document.querySelector('{selector}').getBoundingClientRect().toJSON()")


def test_the_caption_box_leaves_the_drawing_in_the_first_window_for_a_16_16_1_network(browser, mlp_page, opened_pages):
    path, stepper = mlp_page
    page = Page(browser, path, width=1280, height=800)
    opened_pages.append(page)
    rows = [len(f.steps[0].edges) if f.kind == "backward" else 0 for f in stepper.frames]
    longest = rows.index(max(rows))  # the backward step with the most inputs: the longest table
    assert max(rows) >= 16
    tops, heights = set(), set()
    for f in (0, 1, longest, len(stepper) // 2, len(stepper) - 1):
        page.go(f)
        tops.add(rect(page, ".cr-viewport")["top"])
        heights.add(rect(page, ".cr-caption")["height"])
    assert len(tops) == 1 and len(heights) == 1  # one caption height for every frame: the drawing never moves
    assert tops.pop() <= 800 - 200  # the drawing opens in the first window, with room to see it
    page.go(longest)
    sizes = page.js(CAPTION_SIZES)
    assert sizes[0] > sizes[1]  # the longest caption scrolls inside its box


def test_the_221_network_and_its_captions_fit_one_1280_by_800_window(open_page):
    loss, _ = network_221()
    stepper = Stepper(loss)
    page = open_page(stepper, width=1280, height=800)
    for f in range(len(stepper)):
        page.go(f)
        caption = page.js(CAPTION_SIZES)
        assert caption[0] <= caption[1], f  # every caption is read without scrolling
    assert rect(page, ".cr-viewport")["bottom"] <= 800
    inside = page.js(
        "() => { const v = document.querySelector('.cr-viewport').getBoundingClientRect();"
        " return Array.from(document.querySelectorAll('.cr-box')).every(r => { const b = r.getBoundingClientRect();"
        " return b.left >= v.left && b.right <= v.right && b.top >= v.top && b.bottom <= v.bottom; }); }"
    )
    assert inside


@pytest.mark.parametrize("quiz", [False, True])
def test_on_a_phone_the_drawing_opens_in_view_and_nothing_is_wider_than_the_screen(open_page, quiz):
    loss, _ = network_221()
    stepper = Stepper(loss, quiz=quiz)
    page = open_page(stepper, width=390, height=844)
    lowest = page.js(
        "() => Math.max(...Array.from(document.querySelectorAll('.cr-box')).map(r => r.getBoundingClientRect().bottom))"
    )
    assert lowest <= 844  # the drawing's whole height in the first screen (it pans sideways)
    overflow = (
        "() => { const c = document.querySelector('.cr-caption');"
        " return [document.documentElement.scrollWidth, c.scrollWidth - c.clientWidth]; }"
    )
    for f in range(len(stepper)):
        page.go(f)
        assert page.js(overflow) == [390, 0], f
    if not quiz:  # the quiz keeps its table of answers hidden
        page.page.click(".cr-steps summary")
        assert page.page.locator(".cr-table").is_visible()
        assert page.js("() => document.documentElement.scrollWidth") == 390


def test_the_wheel_scrolls_the_page_and_ctrl_wheel_zooms(open_page):
    loss, _ = network_221()
    page = open_page(Stepper(loss), width=1280, height=600)
    scale = page.js(SCALE)
    box = page.page.locator(".cr-viewport").bounding_box()
    page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    end = "() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1"
    assert not page.js(end)
    for _ in range(12):
        page.page.mouse.wheel(0, 250)
    page.page.wait_for_function(end)  # the legend and the table of steps are reached
    assert page.js(SCALE) == scale
    page.js("() => window.scrollTo(0, 0)")
    page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.page.keyboard.down("Control")
    page.page.mouse.wheel(0, -100)
    page.page.keyboard.up("Control")
    page.page.wait_for_function(f"() => document.querySelector('svg.cr-graph .cr-node').getScreenCTM().a > {scale}")
    assert page.js("() => window.scrollY") == 0


def test_two_fingers_pinch_to_zoom(open_page):
    loss, _ = network_221()
    page = open_page(Stepper(loss))
    scale = page.js(SCALE)
    page.js(
        "() => { const v = document.querySelector('.cr-viewport'), r = v.getBoundingClientRect();"
        " const cx = r.left + r.width / 2, cy = r.top + r.height / 2;"
        " const send = (type, id, dx) => v.dispatchEvent(new PointerEvent(type, {pointerId: id, pointerType: 'touch',"
        "  clientX: cx + dx, clientY: cy, bubbles: true, isPrimary: id === 1}));"
        " send('pointerdown', 1, -50); send('pointerdown', 2, 50);"
        " send('pointermove', 1, -100); send('pointermove', 2, 100);"
        " send('pointerup', 1, -100); send('pointerup', 2, 100); }"
    )
    assert page.js(SCALE) == pytest.approx(2 * scale, rel=1e-4)  # the fingers moved twice as far apart


def test_presentation_clickers_step_with_page_down_and_page_up_and_space_steps_on(open_page):
    o, _ = neuron()
    page = open_page(Stepper(o), width=1280, height=500)
    for _ in range(3):
        page.page.keyboard.press("PageDown")
    assert page.step() == 3
    page.page.keyboard.press("PageUp")
    assert page.step() == 2
    assert page.js("() => window.scrollY") == 0  # the keys step; they do not scroll the page
    page.page.keyboard.press(" ")  # Space steps on too, as in a slide show
    assert page.step() == 3
    assert page.js("() => window.scrollY") == 0
    page.page.click(".cr-prev")  # a teacher clicks Prev, then goes on with Space: the slide show goes on
    assert page.step() == 2
    page.page.keyboard.press(" ")
    assert page.step() == 3
    page.page.keyboard.press("Enter")  # Enter still presses the button that has the focus
    assert page.step() == 2


class SideToolsPage(Page):
    """A page in a 1280 × 800 window at 100 % zoom with developer tools docked at its side, 480 px wide:
    the window is wider than the page, but not taller."""

    def __init__(self, browser, path):
        self.context = browser.new_context(viewport={"width": 800, "height": 720})
        self.context.add_init_script(
            "Object.defineProperty(window, 'outerWidth', { get: () => 1280 });"
            "Object.defineProperty(window, 'outerHeight', { get: () => 800 });"
        )
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())


def test_developer_tools_docked_at_the_side_are_not_taken_for_browser_zoom(browser, tmp_path, opened_pages):
    loss, _ = network_221()
    page = SideToolsPage(browser, Stepper(loss).save(tmp_path / "tools.html"))
    opened_pages.append(page)
    assert page.js(SMALLEST_TEXT) >= READABLE_PX  # 1280/800 = 1.6 would have shrunk the text to 7 px


@pytest.mark.parametrize("network", ["hand-built", "nn"])
def test_at_150_percent_zoom_the_221_network_fits_a_1280_by_800_projector(browser, tmp_path, opened_pages, network):
    # Built by hand as the lecture does, and as nn builds it: MLP(2, [2, 1]) with a square loss on one example.
    if network == "nn":
        loss = nn.mse_loss(nn.MLP(2, [2, 1], seed=0)([0.5, -0.2]), 1.0)
    else:
        loss, _ = network_221()
    stepper = Stepper(loss)
    path = stepper.save(tmp_path / "zoomed.html")
    page = ZoomedPage(browser, path, 1280, 800, zoom=1.5)
    opened_pages.append(page)
    assert page.js("() => [window.innerWidth, devicePixelRatio]") == [853, 1.5]
    assert page.js(SMALLEST_TEXT) * 1.5 >= READABLE_PX  # in the projector's own pixels
    whole = (
        "() => { const v = document.querySelector('.cr-viewport').getBoundingClientRect();"
        " return v.bottom <= window.innerHeight && Array.from(document.querySelectorAll('.cr-box')).every(r => {"
        " const b = r.getBoundingClientRect();"
        " return b.left >= v.left && b.right <= v.right && b.top >= v.top && b.bottom <= v.bottom; }); }"
    )
    for f in range(len(stepper)):
        page.go(f)
        assert page.js(whole), f  # the whole network in the window, nothing to pan or scroll
        caption = page.js(CAPTION_SIZES)
        assert caption[0] <= caption[1], f  # and the whole step in the caption
        assert page.js("() => document.documentElement.scrollWidth") <= 853


# For each of `count` key presses: the boxes and arrows of the drawing whose elements changed (attributes, text,
# children), those of the frame before and of the frame after, and the boxes and arrows those two frames name.
# The texts a frame changes are measured in the animation frame after it, so each press waits for one.
TOUCHED_PER_STEP = """async (count) => {
  const root = document.querySelector('.cr-stepper'), svg = root.querySelector('svg.cr-graph');
  const spec = JSON.parse(root.querySelector('.cr-spec').textContent), edges = Array.from(svg.querySelectorAll('.cr-edge'));
  const named = f => { const fr = spec.frames[f] || {};
    return { nodes: [fr.node, ...(fr.parents || []), ...(fr.recv || []), ...(fr.show || []),
                     ...Object.keys(fr.grads || {}).map(Number)].filter(n => n !== undefined), edges: fr.edges || [] }; };
  let records = [];
  const observer = new MutationObserver(found => { records.push(...found); });
  observer.observe(svg, { subtree: true, attributes: true, characterData: true, childList: true });
  const steps = [];
  for (let i = 0; i < count; i++) {
    const before = +root.getAttribute('data-step');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    const after = +root.getAttribute('data-step'), nodes = new Set(), arrows = new Set();
    records.push(...observer.takeRecords());
    for (const record of records.splice(0)) {
      const element = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      const box = element.closest('[id^="' + svg.id + '-v"]'), arrow = element.closest('.cr-edge');
      if (box) nodes.add(+box.id.slice(svg.id.length + 2));
      if (arrow) arrows.add(edges.indexOf(arrow));
    }
    const a = named(before), b = named(after);
    steps.push({ before, after, nodes: [...nodes], arrows: [...arrows],
                 named: [...a.nodes, ...b.nodes], namedArrows: [...a.edges, ...b.edges] });
  }
  observer.disconnect();
  return steps;
}"""


def test_a_step_touches_only_what_its_frame_names_on_a_744_frame_page(browser, mlp_page, opened_pages):
    # A step's cost must not grow with the graph: it redraws the boxes and arrows of its own frame (and clears
    # those of the frame before), never the other 300-odd. Timings are the benchmark's (benchmarks/pages.py).
    path, stepper = mlp_page
    page = Page(browser, path, width=1280, height=800)
    opened_pages.append(page)
    boxes = page.js("() => document.querySelectorAll('.cr-node').length")
    seed = next(f for f, frame in enumerate(stepper.frames) if frame.kind == "seed")
    start = seed - 50
    page.go(start)
    steps = page.js(TOUCHED_PER_STEP, 100)
    assert [s["after"] for s in steps] == list(range(start + 1, start + 101))  # across the seed, into backward
    for s in steps:
        assert set(s["nodes"]) <= set(s["named"]), s
        assert set(s["arrows"]) <= set(s["namedArrows"]), s
    # The seed sets every grad to 0 (then the output's to 1): the one step that redraws every box but the
    # constants' (the inputs x1, x2 and the target), whose "—" stays.
    constants = sum(n.is_constant for n in stepper.order)
    assert constants == 3 and len(steps[seed - start - 1]["nodes"]) == boxes - constants
    touched = [len(s["nodes"]) for s in steps if s["after"] != seed]
    assert min(touched) >= 1 and max(touched) < boxes / 10, (max(touched), boxes)  # every other step, a few boxes


def test_on_a_big_network_the_node_of_each_step_is_in_view(browser, mlp_page, opened_pages):
    path, stepper = mlp_page
    page = Page(browser, path, width=1280, height=800)
    opened_pages.append(page)
    in_view = (
        "() => { const v = document.querySelector('.cr-viewport').getBoundingClientRect();"
        " const node = document.querySelector('.cr-node.cr-now, .cr-node.cr-send');"
        " if (!node) return null; const b = node.querySelector('.cr-box').getBoundingClientRect();"
        " return b.left >= v.left && b.right <= v.right && b.top >= v.top && b.bottom <= v.bottom; }"
    )
    for f in range(1, len(stepper), 7):
        page.go(f)
        assert page.js(in_view) in (True, None), f  # None: the seed frame marks no node
