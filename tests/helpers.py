"""Shared helpers: central finite differences, an independent check on backward(), numbers read as shown."""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal, localcontext

import pytest

from autograd import Value

try:
    import torch

    torch.set_default_dtype(torch.float64)
except ImportError:  # PyTorch comparisons are skipped where torch is absent
    torch = None

requires_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")


def central_difference(f, xs, i, eps=1e-6):
    """(f(x + eps e_i) - f(x - eps e_i)) / (2 eps), evaluating f forward only on fresh Values."""
    up = [Value(x) for x in xs]
    down = [Value(x) for x in xs]
    up[i] = Value(xs[i] + eps)
    down[i] = Value(xs[i] - eps)
    return (f(*up).data - f(*down).data) / (2 * eps)


def close(a, b, rel=1e-6, abs_=1e-8):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


class BrowserPage:
    """A saved page open in the browser (the ``browser`` fixture of conftest.py), its console watched for errors."""

    def __init__(self, browser, path, width=1280, height=900, scripts=True):
        self.context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=scripts)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def close(self):
        self.context.close()


# -- numbers as a caption shows them --------------------------------------------------------------
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?")


def read_exact(text: str) -> Decimal:
    """A number as shown (− for minus, negative ones in parentheses), exactly as written."""
    return Decimal(text.strip().strip("()").replace("\u2212", "-"))


def evaluate_shown(expression: str) -> Decimal | None:
    """The exact value of arithmetic as shown ("0.4 · (−1.5) + 0.1", "0.7124²"); None if it holds more than + − · / ²."""
    python = expression.replace("\u2212", "-").replace("·", "*").replace("²", "**2")
    if not re.fullmatch(r"[\d.e+\-*/() ]+", python):
        return None
    with localcontext(Context(prec=200)):
        return eval(_NUMBER.sub(lambda m: f"Decimal('{m[0]}')", python), {"Decimal": Decimal})  # noqa: S307


def holds(exact: Decimal, result: str) -> bool:
    """Whether ``exact`` reads as ``result``: within half a unit of its last digit written; a tie does not."""
    shown = read_exact(result)
    return abs(exact - shown) < Decimal(5).scaleb(shown.as_tuple().exponent - 1)
