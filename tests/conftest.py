"""Where a run must not skip: CHAINRULE_REQUIRE_TORCH=1 and CHAINRULE_REQUIRE_BROWSER=1 (both set in CI).

In CI (the CI variable set) Hypothesis draws the same examples on every run, so a result
can be reproduced; elsewhere it draws new ones each time.
"""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_sessionstart(session):
    if os.environ.get("CHAINRULE_REQUIRE_TORCH") == "1":
        try:
            import torch  # noqa: F401
        except ImportError:
            pytest.exit(
                "CHAINRULE_REQUIRE_TORCH=1 but PyTorch is not installed: pip install torch==2.13.0", returncode=1
            )


def _browser_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through Playwright, for the tests of the pages (stepper, training page)."""
    required = os.environ.get("CHAINRULE_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("playwright is not installed (pip install playwright)")
        pytest.skip("playwright is not installed (pip install playwright)")
    path = _browser_path()
    if path is None:
        if required:
            pytest.fail("no Chromium on PATH (apt-get install chromium)")
        pytest.skip("no Chromium on PATH (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def opened_pages():
    """The pages a browser test opens; afterwards none of them may have logged a console error."""
    pages = []
    yield pages
    for page in pages:
        assert not page.errors, page.errors
        page.close()
