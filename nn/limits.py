"""How large a model may be: its weights and biases counted from its description, before any is allocated."""

from __future__ import annotations

import math

MAX_WEIGHTS = 10_000_000  # weights and biases in one model: about 80 MB as arrays, far more as a JSON file


def weights_in(config) -> int:
    """The weights and biases a model description asks for, counted over every stage without building any.

    Every stage of every (nested) Sequential and every layer of every MLP counts; parts the
    constructors will reject anyway count 0, and counting stops once the total passes
    ``MAX_WEIGHTS``, so even a description of millions of stages is read once, quickly.
    """
    total, stack = 0, [config]
    while stack and total <= MAX_WEIGHTS:
        part = stack.pop()
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        if kind == "Sequential":
            stack.extend(part.get("layers") if isinstance(part.get("layers"), list) else [])
            continue
        nouts = part.get("nouts") if kind == "MLP" else [part.get("nout", 1)]
        sizes = [part.get("nin"), *(nouts if isinstance(nouts, list) else [])]
        for nin, nout in zip(sizes, sizes[1:]):
            if not (type(nin) is int and type(nout) is int and nin > 0 and nout > 0) or total > MAX_WEIGHTS:
                break
            total += nin * nout + nout  # W and b
    return total


def check_size(config, what: str = "the model description") -> None:
    """Refuse a description of more than ``MAX_WEIGHTS`` weights and biases before anything is allocated."""
    count = weights_in(config)
    if count > MAX_WEIGHTS:
        # a count of thousands of digits is not printed in full (nor can str() print it)
        roughly = f"{count:,}" if count < 10**15 else f"10^{int((count.bit_length() - 1) * math.log10(2))}"
        raise ValueError(f"{what} asks for at least {roughly} weights and biases; the limit is {MAX_WEIGHTS:,}")
