"""The stepper page in Chromium: how long it takes to open, and how long one step takes.

A section of ``bench.py`` (``--section pages``); it needs Playwright and a Chromium on PATH
(``pip install playwright``, ``apt-get install chromium``).

Two pages take turns: a small network (MLP(2, [2, 1]), 28 frames) and the big one the
target is set on (MLP(2, [16, 16, 1]), 744 frames), both on one example with a square
loss. Since the page touches only what a frame changes, their steps should cost about the
same; the ratio between them says how much a step grows with the graph.

What is timed, and how:
- *opening*: from the start of navigation to the end of the page's DOMContentLoaded handlers
  (the stepper has drawn its first frame by then), the fastest of five openings;
- *a step*: from a key press to the browser having styled and laid out the new frame, read
  in the page with ``performance.now()``, 100 key presses across the end of the forward pass
  and into the backward pass (every step of the small page); each is run three times and
  keeps its fastest time.
This is wall time inside the browser (a renderer's CPU time cannot be read from the page),
so a busy machine shows up here; the fastest of several runs keeps most of it out.
"""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path

OPENINGS = 5
ROUNDS = 3
KEY_PRESSES = 100
STEP_TARGET_MS = 16
OPEN_TARGET_MS = 1000

# One key press, timed until the new frame is styled and laid out (reading a size forces both).
TIMED_KEY_PRESSES = """async (count) => {
  const times = [];
  for (let i = 0; i < count; i++) {
    await new Promise(r => setTimeout(r, 0));
    const t0 = performance.now();
    document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
    document.querySelector('.cr-caption').getBoundingClientRect(); document.body.offsetHeight;
    times.push(performance.now() - t0);
  }
  return times;
}"""
GO_TO = "(f) => { const s = document.querySelector('.cr-slider'); s.value = f; s.dispatchEvent(new Event('input')); }"
OPENED = "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def write_pages(folder: Path) -> list[tuple[str, Path, int, int]]:
    """The two stepper pages: (name, path, first frame timed, key presses timed).

    The big page is timed for 100 steps from 50 before the backward pass; the small one has
    fewer frames than that and is timed over all of them."""
    import nn
    from autograd import Stepper

    pages = []
    for hidden in ([2, 1], [16, 16, 1]):
        model = nn.MLP(2, hidden, seed=0)
        stepper = Stepper(nn.mse_loss(model([0.5, -0.2]), 1.0), max_nodes=2000)
        seed = next(f for f, frame in enumerate(stepper.frames) if frame.kind == "seed")
        name = f"MLP(2, {hidden}), {len(stepper.frames)} frames"
        start = max(0, seed - KEY_PRESSES // 2)
        presses = min(KEY_PRESSES, len(stepper.frames) - 1 - start)
        pages.append((name, stepper.save(folder / f"mlp-{len(hidden)}.html"), start, presses))
    return pages


def measure(browser, pages) -> dict[str, dict[str, list[float]]]:
    """Open and step each page in turn, round after round, so a change of load falls on both alike."""
    found = {name: {"open": [], "steps": []} for name, *_ in pages}
    tabs = {}
    for _ in range(OPENINGS):
        for name, path, *_ in pages:
            if name in tabs:
                tabs[name].close()
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.goto(path.resolve().as_uri())
            found[name]["open"].append(page.evaluate(OPENED))
            tabs[name] = context
    for _ in range(ROUNDS):
        for name, _, start, presses in pages:
            page = tabs[name].pages[0]
            page.evaluate(GO_TO, start)
            times = page.evaluate(TIMED_KEY_PRESSES, presses)
            kept = found[name]["steps"]
            found[name]["steps"] = times if not kept else [min(a, b) for a, b in zip(kept, times)]
    for context in tabs.values():
        context.close()
    return found


TITLE = "Pages: the stepper in Chromium"


def report(folder: Path) -> list[str]:
    """The section's Markdown lines: each page's opening and step times, and the verdicts."""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path = None
    if path is None:
        return ["Skipped: needs Playwright (`pip install playwright`) and Chromium on PATH.", ""]
    pages = write_pages(folder)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        try:
            found = measure(browser, pages)
        finally:
            browser.close()
    lines = [
        f"A 1280 × 800 window. Opening: the fastest of {OPENINGS}. A step: {KEY_PRESSES} key presses across the "
        f"start of the backward pass (every step of the small page), each the fastest of {ROUNDS} rounds; the pages take turns. Wall time inside "
        "the browser (see pages.py).",
        "",
        "| page | opens in ms | median step ms | slowest step ms |",
        "|---|---:|---:|---:|",
    ]
    for name, *_ in pages:
        times = found[name]
        lines.append(
            f"| {name} | {min(times['open']):.0f} | {statistics.median(times['steps']):.2f} "
            f"| {max(times['steps']):.2f} |"
        )
    small, big = (found[name] for name, *_ in pages)
    slowest, opening = max(big["steps"]), min(big["open"])
    growth = statistics.median(big["steps"]) / statistics.median(small["steps"])
    return lines + [
        "",
        f"- a step of the big page against the small one (median): {growth:.2f}×",
        f"- every step of the big page at most {STEP_TARGET_MS} ms: {'yes' if slowest <= STEP_TARGET_MS else 'no'}"
        f" (slowest {slowest:.2f} ms)",
        f"- the big page opens in under {OPEN_TARGET_MS / 1000:.0f} s: {'yes' if opening < OPEN_TARGET_MS else 'no'}"
        f" ({opening:.0f} ms)",
        "",
    ]
