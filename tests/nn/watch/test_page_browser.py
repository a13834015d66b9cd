"""The training page (nn.write_training_page) in a real browser: headless Chromium driven by Playwright.

Needs Debian's ``chromium`` (or any Chromium on PATH) and the ``playwright`` package;
without them these tests are skipped with the reason in the summary, except where
``CHAINRULE_REQUIRE_BROWSER=1`` (as in CI), where a missing browser is a failure (the fixture is in conftest.py).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import nn
from nn.watch import Recorder, write_training_page

from ...helpers import BrowserPage

EPOCHS = 30
GRID = 30


def record(every: int = 1, epochs: int = EPOCHS) -> Recorder:
    X, y = nn.data.make_moons(60, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    recorder = Recorder(model, X, y, every=every, grid=GRID)
    nn.fit(model, X, y, optimizer=nn.SGD(model, lr=0.5), epochs=epochs, callback=recorder)
    return recorder


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return record()


class FilmPage(BrowserPage):
    """One training page open in the browser, with the console watched for errors."""

    def frame(self) -> int:
        return int(self.page.locator("#cr-film").get_attribute("data-frame"))

    def slide(self, frame: int) -> None:
        """Move the slider as a hand would: set its value and fire an input event."""
        self.page.locator(".cr-film-slider").evaluate(
            "(e, f) => { e.value = f; e.dispatchEvent(new Event('input', {bubbles: true})); }", frame
        )

    def epoch_label(self) -> str:
        return self.page.locator(".cr-film-epoch").inner_text()

    def readout(self) -> str:
        return self.page.locator(".cr-film-readout").inner_text()

    def cells(self) -> np.ndarray:
        """The class of every boundary cell as drawn: rects in cell units (x = column, y = row)."""
        rects = self.js(
            "() => Array.from(document.querySelectorAll('.cr-film-cells rect')).map(r => [r.getAttribute('class'),"
            " +r.getAttribute('x'), +r.getAttribute('y'), +r.getAttribute('width')])"
        )
        grid = np.full((GRID, GRID), -9)
        for kind, x, y, width in rects:
            assert (grid[y, x : x + width] == -9).all()  # no cell drawn twice
            grid[y, x : x + width] = -1 if kind == "kx" else int(kind[1:])
        return grid

    def embedded(self) -> dict:
        return json.loads(self.page.locator(".cr-film-data").text_content())

    def bar_labels(self, kind: str = "norm") -> list[str]:
        return self.page.locator(f".cr-film-{kind}-val").all_text_contents()

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser, tmp_path, opened_pages):

    def opener(recorder: Recorder, name="training.html", **kwargs):
        path = write_training_page(recorder, tmp_path / name)
        page = FilmPage(browser, path, **kwargs)
        opened_pages.append(page)
        return page

    return opener


def expected_readout(frame) -> str:
    return f"loss {frame.loss:.4f} · accuracy {100 * frame.accuracy:.1f}%"


def assert_shows(page: FilmPage, recorder: Recorder, index: int) -> None:
    frame = recorder.frames[index]
    assert page.frame() == index
    assert page.epoch_label() == f"Epoch {frame.epoch} of {EPOCHS}"
    assert page.readout() == expected_readout(frame)
    assert np.array_equal(page.cells(), frame.classes())
    shown = [float(label) for label in page.bar_labels("norm")]
    assert shown == pytest.approx(frame.grad_norm, rel=5e-3)
    assert page.page.locator(".cr-film-slider").input_value() == str(index)


def test_the_page_opens_on_the_last_epoch(open_page, recorder):
    page = open_page(recorder)
    assert page.page.locator(".cr-film-controls").is_visible()
    assert not page.page.locator(".cr-film-static").is_visible()
    assert_shows(page, recorder, len(recorder.frames) - 1)


def test_the_slider_shows_each_epoch_from_the_embedded_data(open_page, recorder):
    page = open_page(recorder)
    data = page.embedded()
    last = page.cells()
    for index in (0, 1, 7, 18, len(recorder.frames) - 1):
        page.slide(index)
        assert_shows(page, recorder, index)
        shown = data["frames"][index]
        assert page.epoch_label() == f"Epoch {shown['epoch']} of {data['epochs'][-1]}"
        assert f"loss {data['loss'][shown['epoch'] - 1]:.4f}" in page.readout()
    page.slide(0)
    assert not np.array_equal(page.cells(), last)  # the boundary moved during training


def test_arrow_keys_home_and_end_step_one_frame_at_a_time(open_page, recorder):
    page = open_page(recorder)
    last = len(recorder.frames) - 1
    page.page.keyboard.press("Home")
    assert_shows(page, recorder, 0)
    page.page.keyboard.press("ArrowLeft")  # stays on the first
    assert page.frame() == 0
    page.page.keyboard.press("ArrowRight")
    page.page.keyboard.press("ArrowRight")
    assert_shows(page, recorder, 2)
    page.page.locator(".cr-film-slider").focus()  # the slider itself takes one step per key, not two
    page.page.keyboard.press("ArrowRight")
    assert_shows(page, recorder, 3)
    page.page.keyboard.press("ArrowLeft")
    assert page.frame() == 2
    page.page.keyboard.press("End")
    assert_shows(page, recorder, last)
    page.page.keyboard.press("ArrowRight")
    assert page.frame() == last


def test_play_runs_through_the_epochs_and_pause_stops(open_page, recorder):
    page = open_page(recorder)
    play = page.page.locator(".cr-film-play")
    play.click()  # at the last epoch, play starts again from the first
    assert "Pause" in play.inner_text()
    page.page.wait_for_function("() => +document.getElementById('cr-film').dataset.frame >= 3")
    play.click()
    assert "Play" in play.inner_text()
    stopped = page.frame()
    page.page.wait_for_timeout(700)
    assert page.frame() == stopped
    assert_shows(page, recorder, stopped)
    play.click()
    page.page.wait_for_function(f"() => +document.getElementById('cr-film').dataset.frame === {EPOCHS - 1}")
    page.page.wait_for_function("() => document.querySelector('.cr-film-play').textContent.includes('Play')")
    assert_shows(page, recorder, EPOCHS - 1)


def test_frames_every_fifth_epoch(open_page):
    recorder = record(every=5, epochs=12)
    page = open_page(recorder)
    assert [f.epoch for f in recorder.frames] == [1, 5, 10, 12]
    assert page.page.locator(".cr-film-slider").get_attribute("max") == "3"
    for index, epoch in enumerate([1, 5, 10, 12]):
        page.slide(index)
        assert page.epoch_label() == f"Epoch {epoch} of 12"
        assert page.readout() == expected_readout(recorder.frames[index])
        assert np.array_equal(page.cells(), recorder.frames[index].classes())


def test_the_page_reads_without_its_script(open_page, recorder):
    page = open_page(recorder, scripts=False)
    final = recorder.frames[-1]
    assert page.page.locator(".cr-film-controls").is_hidden()
    assert page.page.locator(".cr-film-static").is_visible()
    assert page.epoch_label() == f"Epoch {EPOCHS} of {EPOCHS}"
    assert page.readout() == expected_readout(final)
    assert np.array_equal(page.cells(), final.classes())
    assert [float(v) for v in page.bar_labels("norm")] == pytest.approx(final.grad_norm, rel=5e-3)


def test_text_is_at_least_11px_and_everything_fits_1280_wide(open_page, recorder):
    page = open_page(recorder)
    sizes = page.js(
        "() => Array.from(document.querySelectorAll('#cr-film svg text')).filter(t => t.textContent.trim())"
        ".map(t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)"
    )
    assert sizes and min(sizes) >= 11
    assert page.js("() => document.documentElement.scrollWidth") <= 1280
    right = page.js(
        "() => Math.max(...Array.from(document.querySelectorAll('#cr-film svg')).map(s =>"
        " s.getBoundingClientRect().right))"
    )
    assert right <= 1280


def test_on_a_phone_the_page_is_no_wider_than_the_screen(open_page, recorder):
    page = open_page(recorder, width=390, height=844)
    assert page.js("() => document.documentElement.scrollWidth") == 390
    right = page.js(
        "() => Math.max(...Array.from(document.querySelectorAll('#cr-film section, .cr-film-panel, .cr-film-bar-row'))"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 390  # a chart wider than that scrolls sideways inside its panel
    sizes = page.js(
        "() => Array.from(document.querySelectorAll('#cr-film svg text')).filter(t => t.textContent.trim())"
        ".map(t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)"
    )
    assert sizes and min(sizes) >= 10  # was 6.3 px: the 700-px charts squeezed into the phone's width
    scrolled = page.js(
        "() => Array.from(document.querySelectorAll('.cr-film-chart')).map(c => { const wide = c.scrollWidth > "
        "c.clientWidth; c.scrollLeft = 10000; const h = c.parentElement.querySelector('h2').getBoundingClientRect();"
        " return [wide, h.left >= 0 && h.right <= 390]; })"
    )
    assert scrolled == [[True, True], [True, True]]  # each chart scrolls under a title that stays in view
    page.page.keyboard.press("Home")  # the script still draws each epoch into the shrunken panels
    assert_shows(page, recorder, 0)
