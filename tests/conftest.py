"""Where a run must not skip: CHAINRULE_REQUIRE_TORCH=1 and CHAINRULE_REQUIRE_BROWSER=1 (both set in CI).

In CI (the CI variable set) Hypothesis draws the same examples on every run, so a result
can be reproduced; elsewhere it draws new ones each time.
"""

from __future__ import annotations

import os

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
