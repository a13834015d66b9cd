"""Make the pictures the README shows: a drawn graph and a frame of the stepper.

    python docs/make_images.py

Needs the ``playwright`` package (in the dev extra) and a Chromium on PATH
(``apt-get install chromium`` on Debian). Writes docs/images/graph.png and
docs/images/stepper.png.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import autograd  # noqa: E402
from tests.networks import network_221  # noqa: E402


def main() -> None:
    loss, V = network_221()
    loss.backward()
    out = HERE / "images"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        graph_page = Path(folder) / "graph.html"
        drawing = autograd.draw(loss, paths_to=V["x2"]).svg()
        graph_page.write_text(f"<!DOCTYPE html><html><body style='margin:8px'>{drawing}</body></html>")
        stepper = autograd.Stepper(loss, title="L = ½ (y − y*)²: the lectures' 2-2-1 network")
        stepper_page = stepper.save(Path(folder) / "s.html")
        # The frame where v2 = w21o · z2 passes its gradient back to w21o and z2.
        frame = next(i for i, f in enumerate(stepper.frames) if f.kind == "backward" and f.steps[0].node.label == "v2")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 700}, device_scale_factor=1)
            page.goto(graph_page.as_uri())
            page.locator("svg").screenshot(path=str(out / "graph.png"))
            page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            page.goto(stepper_page.as_uri())
            page.locator(".cr-slider").evaluate(
                "(e, f) => { e.value = f; e.dispatchEvent(new Event('input')); }", frame
            )
            page.screenshot(path=str(out / "stepper.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 760})
            browser.close()
    print(f"wrote {out / 'graph.png'} and {out / 'stepper.png'}")


if __name__ == "__main__":
    main()
