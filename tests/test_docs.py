"""The manual's examples run: every ```python block of README.md and docs/*.md, in order, as a reader would.

A page's blocks share one fresh namespace (a later block may use what an earlier one made) and run in a
temporary folder, so the files they write land there. A block preceded by the line `<!-- not run -->`
is skipped; keep that for what needs a browser or a shell. Shell blocks (```bash) are never run. A
comment showing a result (`# 13.0`) is for the reader: the test asserts only that the block runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOT_RUN = "<!-- not run -->"

# A fenced python block, and whether the line before it says not to run it.
BLOCK = re.compile(r"^(?P<marker><!-- not run -->\n)?```python\n(?P<code>.*?)^```\s*$", re.S | re.M)


def blocks(text: str) -> list[tuple[int, str, bool]]:
    """Each ```python block of a page: the line its code starts on, its code, and whether it is to be run."""
    found = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start("code")) + 1
        found.append((line, match["code"], match["marker"] is None))
    return found


def name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def test_the_reader_finds_blocks_and_the_marker():
    page = "Text.\n\n```python\nx = 1\n```\n\n<!-- not run -->\n```python\nopen_a_browser()\n```\n\n```bash\nls\n```\n"
    assert blocks(page) == [(4, "x = 1\n", True), (9, "open_a_browser()\n", False)]
    assert len(blocks((ROOT / "README.md").read_text(encoding="utf-8"))) >= 2


@pytest.mark.parametrize("page", PAGES, ids=name)
def test_every_marker_stands_right_above_a_python_block(page):
    text = page.read_text(encoding="utf-8")
    marked = sum(not run for _, _, run in blocks(text))
    assert text.count(NOT_RUN) == marked, f"{name(page)}: a `{NOT_RUN}` line that is not right above a ```python block"


@pytest.mark.parametrize("page", [page for page in PAGES if blocks(page.read_text(encoding="utf-8"))], ids=name)
def test_each_page_runs_top_to_bottom(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")  # a block that plots draws into no window
    namespace = {"__name__": "__main__"}
    for line, code, run in blocks(page.read_text(encoding="utf-8")):
        if not run:
            continue
        if re.search(r"^\s*(import torch|from torch)\b", code, re.M):
            pytest.importorskip("torch", reason=f"{name(page)}:{line} needs PyTorch (pip install torch)")
        # Padded to its place in the page, so a traceback names the page's own line and shows it.
        exec(compile("\n" * (line - 1) + code, str(page), "exec"), namespace)  # noqa: S102
