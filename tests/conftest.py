"""Where a run must not skip: CHAINRULE_REQUIRE_TORCH=1 and CHAINRULE_REQUIRE_BROWSER=1 (both set in CI)."""

from __future__ import annotations

import os

import pytest


def pytest_sessionstart(session):
    if os.environ.get("CHAINRULE_REQUIRE_TORCH") == "1":
        try:
            import torch  # noqa: F401
        except ImportError:
            pytest.exit(
                "CHAINRULE_REQUIRE_TORCH=1 but PyTorch is not installed: pip install torch==2.13.0", returncode=1
            )
